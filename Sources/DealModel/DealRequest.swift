/// An opportunity as a registrant files it, before the registry decides. A value; `Sendable`.
public struct DealRequest: Sendable, Hashable, Codable {
    public var customer: Customer
    /// Product lines, lower case, without duplicates.
    public var productLines: [String]
    public var amount: Money
    public var expectedClose: CalendarDate
    public var tender: Bool
    public var onBehalfOf: PartyID?
    public var registrantReference: String
    public var description: String
    /// The public tender's reference as its notice gives it: what makes a tender a fact a channel manager can check.
    /// Set exactly when `tender` is (nil in registrations stored before tenders carried one).
    public var tenderReference: String?
    /// Where the tender notice is published, if the registrant gave it (http or https).
    public var tenderNoticeURL: String?

    public init(
        customer: Customer, productLines: [String], amount: Money, expectedClose: CalendarDate, tender: Bool = false,
        onBehalfOf: PartyID? = nil, registrantReference: String = "", description: String = "",
        tenderReference: String? = nil, tenderNoticeURL: String? = nil
    ) {
        self.tenderReference = tenderReference
        self.tenderNoticeURL = tenderNoticeURL
        self.customer = customer
        self.productLines = productLines
        self.amount = amount
        self.expectedClose = expectedClose
        self.tender = tender
        self.onBehalfOf = onBehalfOf
        self.registrantReference = registrantReference
        self.description = description
    }
}

/// Why a request was refused before any decision: a stable kind, the field at fault and a sentence.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing, invalid
    }

    public var kind: Kind
    /// Dotted path into the request, e.g. `customer.country`.
    public var field: String
    public var message: String

    public static func missing(_ field: String, _ message: String) -> Self {
        Self(kind: .missing, field: field, message: message)
    }

    public static func invalid(_ field: String, _ message: String) -> Self {
        Self(kind: .invalid, field: field, message: message)
    }

    public var description: String { "\(field): \(message)" }
}

/// Limits that keep absurd input out of the system of record.
public enum FieldLimits {
    public static let textLength = 200
    public static let descriptionLength = 4000
    public static let productLines = 50
    /// 10^13 minor units: ten thousand billion euros is not a deal.
    public static let amountMinorUnits: Int64 = 10_000_000_000_000
}

extension FieldLimits {
    /// A reason given for a step, checked: surrounding spaces dropped, at most `textLength` characters, no control
    /// characters; an empty one is refused when `required`.
    public static func reason(_ raw: String, required: Bool = true) throws(ValidationError) -> String {
        let reason = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        if required && reason.isEmpty {
            throw .missing("reason", "A reason (1 to \(textLength) characters) is required.")
        }
        guard reason.count <= textLength else {
            throw .invalid("reason", "The reason is longer than \(textLength) characters.")
        }
        guard !hasControlCharacters(reason) else {
            throw .invalid("reason", "The reason contains control characters.")
        }
        return reason
    }
}

extension Customer {
    /// Checks every field of a customer, named under `prefix` ("customer", "booking.customer").
    public func validate(prefix: String) throws(ValidationError) {
        try FieldLimits.text(legalName, "\(prefix).legal_name", required: true)
        guard legalName.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw .invalid("\(prefix).legal_name", "The customer's legal name has no letters or digits.")
        }
        for (value, field) in [
            (street, "street"), (city, "city"), (postalCode, "postal_code"), (region, "region"),
            (webDomain, "web_domain"), (taxID, "tax_id"),
        ] {
            try FieldLimits.text(value, "\(prefix).\(field)", required: false)
        }
        guard !country.isEmpty else {
            throw .missing("\(prefix).country", "The customer's country (ISO 3166-1 alpha-2, e.g. FR) is required.")
        }
        guard ISOCodes.isCountry(country) else {
            throw .invalid("\(prefix).country", "'\(country)' is not an ISO 3166-1 alpha-2 country code.")
        }
        if !webDomain.isEmpty {
            guard webDomain.contains("."), !webDomain.contains(" ") else {
                throw .invalid("\(prefix).web_domain", "'\(webDomain)' is not a web domain.")
            }
        }
    }
}

extension FieldLimits {
    /// Product lines: 1 to `productLines` names of letters, digits, `-_ /`, at most 64 characters each.
    public static func productLines(_ lines: [String], _ field: String) throws(ValidationError) {
        guard !lines.isEmpty else { throw .missing(field, "At least one product line is required.") }
        guard lines.count <= productLines else {
            throw .invalid(field, "At most \(productLines) product lines may be given.")
        }
        for line in lines {
            guard !line.isEmpty, line.count <= 64,
                line.allSatisfy({ $0.isLetter || $0.isNumber || "-_ /".contains($0) })
            else { throw .invalid(field, "'\(line)' is not a product line name.") }
        }
    }

    /// An amount: an ISO 4217 currency, above zero, at most `amountMinorUnits`.
    public static func amount(_ amount: Money, _ field: String) throws(ValidationError) {
        guard !amount.currency.isEmpty else {
            throw .missing("\(field).currency", "The currency (ISO 4217, e.g. EUR) is required.")
        }
        guard ISOCodes.minorUnitDigits(currency: amount.currency) != nil else {
            throw .invalid("\(field).currency", "'\(amount.currency)' is not an ISO 4217 currency code.")
        }
        guard amount.minorUnits > 0 else {
            throw .invalid("\(field).minor_units", "The amount must be greater than zero.")
        }
        guard amount.minorUnits <= amountMinorUnits else {
            throw .invalid(
                "\(field).minor_units", "The amount \(amount.decimalText) \(amount.currency) is not credible.")
        }
    }

    /// A short text: at most `textLength` characters, no control characters, not blank when `required`.
    /// `field` is only spelled out for an error: every registration checks a dozen fields.
    public static func text(_ value: String, _ field: @autoclosure () -> String, required: Bool)
        throws(ValidationError)
    {
        if required && value.allSatisfy(\.isWhitespace) {
            throw .missing(field(), "\(field()) is required.")
        }
        // At most one character per UTF-8 byte: counting characters is only needed for a long value.
        guard value.utf8.count <= textLength || value.count <= textLength else {
            throw .invalid(field(), "\(field()) is longer than \(textLength) characters.")
        }
        guard !hasControlCharacters(value) else {
            throw .invalid(field(), "\(field()) contains control characters.")
        }
    }

    /// Whether `value` has a scalar of general category Cc (U+0000–U+001F, U+007F–U+009F: the whole category, so no
    /// Unicode property lookup is needed).
    public static func hasControlCharacters(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

extension DealRequest {
    /// Checks every field; the first problem found is thrown with its field.
    public func validate(today: CalendarDate) throws(ValidationError) {
        try customer.validate(prefix: "customer")
        try FieldLimits.text(registrantReference, "registrant_reference", required: false)
        try FieldLimits.productLines(productLines, "product_lines")
        try FieldLimits.amount(amount, "amount")
        guard expectedClose >= today else {
            throw .invalid("expected_close", "The expected close date \(expectedClose) is in the past.")
        }
        let threeYears =
            CalendarDate(year: today.year + 3, month: today.month, day: today.day)
            ?? today.adding(days: 3 * 365)  // 29 February three years on does not exist
        guard expectedClose <= threeYears else {
            throw .invalid("expected_close", "The expected close date \(expectedClose) is more than three years away.")
        }
        if let onBehalfOf, !onBehalfOf.isWellFormed {
            throw .invalid("on_behalf_of", "'\(onBehalfOf)' is not a party id.")
        }
        guard description.count <= FieldLimits.descriptionLength else {
            throw .invalid("description", "The description is longer than \(FieldLimits.descriptionLength) characters.")
        }
        try validateTender()
    }

    /// A tender names its public tender; nothing else may claim one.
    private func validateTender() throws(ValidationError) {
        guard tender else {
            if tenderReference != nil {
                throw .invalid("tender_reference", "Only a public tender (tender set) carries a tender reference.")
            }
            if tenderNoticeURL != nil {
                throw .invalid("tender_notice_url", "Only a public tender (tender set) carries a tender notice.")
            }
            return
        }
        guard let reference = tenderReference, reference.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw .missing(
                "tender_reference",
                "A public tender needs its reference as the tender notice gives it (e.g. 2026/S 123-456789).")
        }
        try FieldLimits.text(reference, "tender_reference", required: true)
        guard reference.count <= 64 else {
            throw .invalid("tender_reference", "The tender reference is longer than 64 characters.")
        }
        if let url = tenderNoticeURL {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://"), url.count <= 512,
                !url.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }),
                !FieldLimits.hasControlCharacters(url)
            else {
                throw .invalid(
                    "tender_notice_url", "The tender notice must be an http or https address of at most 512 characters."
                )
            }
        }
    }
}
