import DealModel
import Testing

/// One way to spoil an otherwise valid request, and the error it must produce.
struct InvalidRequestCase: Sendable, CustomTestStringConvertible {
    let name: String
    let field: String
    let kind: ValidationError.Kind
    let spoil: @Sendable (inout DealRequest) -> Void

    init(
        _ name: String, _ field: String, _ kind: ValidationError.Kind,
        _ spoil: @escaping @Sendable (inout DealRequest) -> Void
    ) {
        self.name = name
        self.field = field
        self.kind = kind
        self.spoil = spoil
    }

    var testDescription: String { name }
}

/// A change to a valid request that must keep it valid.
struct AcceptableRequestCase: Sendable, CustomTestStringConvertible {
    let name: String
    let change: @Sendable (inout DealRequest) -> Void

    init(_ name: String, _ change: @escaping @Sendable (inout DealRequest) -> Void) {
        self.name = name
        self.change = change
    }

    var testDescription: String { name }
}

@Suite("DealRequest validation")
struct DealRequestValidationTests {
    static let today = CalendarDate(iso: "2026-11-27")!

    static func validRequest() -> DealRequest {
        DealRequest(
            customer: Customer(
                legalName: "Müller Straße GmbH", street: "Hauptstraße 1", city: "Berlin", postalCode: "10115",
                region: "BE", country: "DE", webDomain: "mueller-strasse.de", taxID: "DE123456789"),
            productLines: ["storage", "backup"],
            amount: Money(minorUnits: 12_500_000, currency: "EUR"),
            expectedClose: today.adding(days: 60),
            registrantReference: "OPP-2026-001",
            description: "Storage refresh for two data centres.")
    }

    static let invalidCases: [InvalidRequestCase] = [
        .init("missing legal name", "customer.legal_name", .missing) { $0.customer.legalName = "" },
        .init("blank legal name", "customer.legal_name", .missing) { $0.customer.legalName = " \t " },
        .init("legal name without letters", "customer.legal_name", .invalid) { $0.customer.legalName = "--- ..." },
        .init("control character in legal name", "customer.legal_name", .invalid) {
            $0.customer.legalName = "Acme\u{07} SA"
        },
        .init("newline in city", "customer.city", .invalid) { $0.customer.city = "Paris\nCedex" },
        .init("escape in tax id", "customer.tax_id", .invalid) { $0.customer.taxID = "FR\u{1B}123" },
        .init("too long legal name", "customer.legal_name", .invalid) {
            $0.customer.legalName = String(repeating: "a", count: 201)
        },
        .init("too long street", "customer.street", .invalid) {
            $0.customer.street = String(repeating: "x", count: 201)
        },
        .init("too long reference", "registrant_reference", .invalid) {
            $0.registrantReference = String(repeating: "r", count: 201)
        },
        .init("missing country", "customer.country", .missing) { $0.customer.country = "" },
        .init("unknown country XX", "customer.country", .invalid) { $0.customer.country = "XX" },
        .init("lower-case country", "customer.country", .invalid) { $0.customer.country = "de" },
        .init("three-letter country", "customer.country", .invalid) { $0.customer.country = "DEU" },
        .init("web domain without a dot", "customer.web_domain", .invalid) { $0.customer.webDomain = "localhost" },
        .init("web domain with a space", "customer.web_domain", .invalid) { $0.customer.webDomain = "acme .com" },
        .init("no product lines", "product_lines", .missing) { $0.productLines = [] },
        .init("too many product lines", "product_lines", .invalid) { $0.productLines = (1...51).map { "line-\($0)" } },
        .init("empty product line", "product_lines", .invalid) { $0.productLines = ["storage", ""] },
        .init("product line with punctuation", "product_lines", .invalid) { $0.productLines = ["storage;drop"] },
        .init("missing currency", "amount.currency", .missing) { $0.amount.currency = "" },
        .init("unknown currency", "amount.currency", .invalid) { $0.amount.currency = "XYZ" },
        .init("zero amount", "amount.minor_units", .invalid) { $0.amount.minorUnits = 0 },
        .init("negative amount", "amount.minor_units", .invalid) { $0.amount.minorUnits = -100 },
        .init("incredible amount", "amount.minor_units", .invalid) {
            $0.amount.minorUnits = FieldLimits.amountMinorUnits + 1
        },
        .init("close date in the past", "expected_close", .invalid) {
            $0.expectedClose = DealRequestValidationTests.today.adding(days: -1)
        },
        .init("close date four years away", "expected_close", .invalid) {
            $0.expectedClose = DealRequestValidationTests.today.adding(days: 4 * 365)
        },
        .init("malformed on-behalf-of party", "on_behalf_of", .invalid) { $0.onBehalfOf = PartyID("Reseller One") },
        .init("too long description", "description", .invalid) {
            $0.description = String(repeating: "d", count: FieldLimits.descriptionLength + 1)
        },
        .init("tender without its reference", "tender_reference", .missing) { $0.tender = true },
        .init("tender with a blank reference", "tender_reference", .missing) {
            $0.tender = true
            $0.tenderReference = " - / "
        },
        .init("tender reference over 64 characters", "tender_reference", .invalid) {
            $0.tender = true
            $0.tenderReference = String(repeating: "7", count: 65)
        },
        .init("tender reference on a registration that is no tender", "tender_reference", .invalid) {
            $0.tenderReference = "2026/S 123-456789"
        },
        .init("tender notice on a registration that is no tender", "tender_notice_url", .invalid) {
            $0.tenderNoticeURL = "https://ted.europa.eu/notice/1"
        },
        .init("tender notice that is a script", "tender_notice_url", .invalid) {
            $0.tender = true
            $0.tenderReference = "2026/S 123-456789"
            $0.tenderNoticeURL = "javascript:alert(1)"
        },
        .init("tender notice with markup", "tender_notice_url", .invalid) {
            $0.tender = true
            $0.tenderReference = "2026/S 123-456789"
            $0.tenderNoticeURL = "https://example.org/\"><script>"
        },
    ]

    @Test(arguments: invalidCases)
    func rejectsBadInputNamingTheFieldAtFault(_ testCase: InvalidRequestCase) {
        var request = Self.validRequest()
        testCase.spoil(&request)
        let error = #expect(throws: ValidationError.self) { try request.validate(today: Self.today) }
        #expect(error?.field == testCase.field)
        #expect(error?.kind == testCase.kind)
        #expect(error?.description.hasPrefix("\(testCase.field): ") == true)
    }

    @Test func acceptsAValidRequest() throws {
        try Self.validRequest().validate(today: Self.today)
    }

    @Test(arguments: [
        AcceptableRequestCase("closing today") { $0.expectedClose = DealRequestValidationTests.today },
        AcceptableRequestCase("closing in three years") {
            $0.expectedClose = CalendarDate(iso: "2029-11-27")!
        },
        AcceptableRequestCase("legal name of exactly 200 characters") {
            $0.customer.legalName = String(repeating: "a", count: 200)
        },
        AcceptableRequestCase("amount at the credibility limit") {
            $0.amount.minorUnits = FieldLimits.amountMinorUnits
        },
        AcceptableRequestCase("one minor unit") { $0.amount.minorUnits = 1 },
        AcceptableRequestCase("yen amount") { $0.amount = Money(minorUnits: 5_000_000, currency: "JPY") },
        AcceptableRequestCase("filed on behalf of a well-formed party") {
            $0.onBehalfOf = PartyID("reseller-one")
        },
        AcceptableRequestCase("public tender with its reference") {
            $0.tender = true
            $0.tenderReference = "2026/S 123-456789"
        },
        AcceptableRequestCase("public tender with its notice") {
            $0.tender = true
            $0.tenderReference = "BOAMP 26-12345"
            $0.tenderNoticeURL = "https://www.boamp.fr/avis/detail/26-12345"
        },
        AcceptableRequestCase("only the required fields") {
            $0 = DealRequest(
                customer: Customer(legalName: "Acme", country: "FR"), productLines: ["storage"],
                amount: Money(minorUnits: 1, currency: "EUR"), expectedClose: DealRequestValidationTests.today)
        },
        AcceptableRequestCase("description of exactly the limit") {
            $0.description = String(repeating: "d", count: FieldLimits.descriptionLength)
        },
        AcceptableRequestCase("multi-line description") { $0.description = "Line one.\nLine two." },
    ])
    func acceptsBoundaryValues(_ variant: AcceptableRequestCase) throws {
        var request = Self.validRequest()
        variant.change(&request)
        try request.validate(today: Self.today)
    }
}
