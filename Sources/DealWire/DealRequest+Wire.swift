import DealModel

extension CalendarDate {
    /// Nil when the wire date names no real day.
    public init?(wire: Dealreg_V1_Date) {
        self.init(year: Int(wire.year), month: Int(wire.month), day: Int(wire.day))
    }

    public var wire: Dealreg_V1_Date {
        var wire = Dealreg_V1_Date()
        wire.year = Int32(year)
        wire.month = Int32(month)
        wire.day = Int32(day)
        return wire
    }
}

extension Money {
    public var wire: Dealreg_V1_Money {
        var wire = Dealreg_V1_Money()
        wire.minorUnits = minorUnits
        wire.currency = currency
        return wire
    }
}

extension DealRequest {
    /// Takes a wire request, normalising spelling (trimmed text, upper-case codes, lower-case product lines
    /// without duplicates); throws for what is structurally missing or impossible. `validate(today:)` checks the rest.
    public init(wire: Dealreg_V1_RegisterDealRequest) throws(ValidationError) {
        guard wire.hasCustomer else { throw .missing("customer", "The customer is required.") }
        guard wire.hasAmount else { throw .missing("amount", "The amount is required.") }
        guard wire.hasExpectedClose else {
            throw .missing("expected_close", "The expected close date is required.")
        }
        guard let close = CalendarDate(wire: wire.expectedClose) else {
            throw .invalid(
                "expected_close",
                "\(wire.expectedClose.year)-\(wire.expectedClose.month)-\(wire.expectedClose.day) is not a date.")
        }
        var lines: [String] = []
        for line in wire.productLines.map({ $0.trimmedSpaces.lowercased() }) where !lines.contains(line) {
            lines.append(line)
        }
        let onBehalfOf = wire.onBehalfOf.trimmedSpaces
        let tenderReference = wire.tenderReference.trimmedSpaces
        let tenderNoticeURL = wire.tenderNoticeURL.trimmedSpaces
        self.init(
            customer: Customer(wire: wire.customer), productLines: lines,
            amount: Money(
                minorUnits: wire.amount.minorUnits, currency: wire.amount.currency.trimmedSpaces.uppercased()),
            expectedClose: close, tender: wire.tender, onBehalfOf: onBehalfOf.isEmpty ? nil : PartyID(onBehalfOf),
            registrantReference: wire.registrantReference.trimmedSpaces, description: wire.description_p,
            tenderReference: tenderReference.isEmpty ? nil : tenderReference,
            tenderNoticeURL: tenderNoticeURL.isEmpty ? nil : tenderNoticeURL
        )
    }

    public var wire: Dealreg_V1_RegisterDealRequest {
        var wire = Dealreg_V1_RegisterDealRequest()
        wire.customer = customer.wire
        wire.productLines = productLines
        wire.amount = amount.wire
        wire.expectedClose = expectedClose.wire
        wire.tender = tender
        wire.onBehalfOf = onBehalfOf?.rawValue ?? ""
        wire.registrantReference = registrantReference
        wire.description_p = description
        wire.tenderReference = tenderReference ?? ""
        wire.tenderNoticeURL = tenderNoticeURL ?? ""
        return wire
    }
}

extension ValidationError {
    /// The typed error a client receives.
    public var wire: Dealreg_V1_Error {
        Dealreg_V1_Error(kind == .missing ? .missingField : .invalidField, message, field: field)
    }
}
