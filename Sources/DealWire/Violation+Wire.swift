import DealModel

public typealias WireBooking = Dealreg_V1_Booking
public typealias WireViolation = Dealreg_V1_Violation

extension Booking {
    public var wire: Dealreg_V1_Booking {
        var wire = Dealreg_V1_Booking()
        wire.orderID = orderID
        wire.customer = customer.wire
        wire.productLines = productLines
        wire.amount = amount.wire
        wire.bookedBy = bookedBy.rawValue
        wire.claimedRegistrationID = claimedRegistration?.rawValue ?? ""
        wire.bookedOn = bookedOn.wire
        return wire
    }

    /// The booking, or the field that is missing or wrong.
    public init(wire: Dealreg_V1_Booking) throws(ValidationError) {
        let orderID = wire.orderID.trimmedSpaces
        guard !orderID.isEmpty else { throw .missing("booking.order_id", "The order id is required.") }
        guard orderID.count <= 128,
            orderID.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else {
            throw .invalid("booking.order_id", "The order id must be 1 to 128 printable ASCII characters.")
        }
        guard wire.hasCustomer else { throw .missing("booking.customer", "The customer is required.") }
        var customer = Customer(wire: wire.customer)
        customer.country = customer.country.uppercased()
        try customer.validate(prefix: "booking.customer")
        let lines = wire.productLines.map { $0.trimmedSpaces.lowercased() }.filter { !$0.isEmpty }
        try FieldLimits.productLines(lines, "booking.product_lines")
        guard wire.hasAmount else { throw .missing("booking.amount", "The amount is required.") }
        let amount = Money(minorUnits: wire.amount.minorUnits, currency: wire.amount.currency.uppercased())
        try FieldLimits.amount(amount, "booking.amount")
        let bookedBy = PartyID(wire.bookedBy.trimmedSpaces)
        guard !bookedBy.rawValue.isEmpty else { throw .missing("booking.booked_by", "Who booked it is required.") }
        guard bookedBy.isWellFormed else { throw .invalid("booking.booked_by", "'\(bookedBy)' is not a party id.") }
        guard wire.hasBookedOn, let day = CalendarDate(wire: wire.bookedOn) else {
            throw .missing("booking.booked_on", "The booking date (YYYY-MM-DD) is required.")
        }
        guard (2000...2100).contains(day.year) else {
            throw .invalid("booking.booked_on", "The booking date \(day) is not a credible date.")
        }
        let claimed = wire.claimedRegistrationID.trimmedSpaces
        guard claimed.count <= 32, claimed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw .invalid("booking.claimed_registration_id", "'\(claimed)' is not a registration id.")
        }
        self.init(
            orderID: orderID, customer: customer, productLines: lines,
            amount: amount, bookedBy: bookedBy, claimedRegistration: claimed.isEmpty ? nil : RegistrationID(claimed),
            bookedOn: day)
    }
}

extension ViolationType {
    public var wire: Dealreg_V1_ViolationType {
        switch self {
        case .directBypass: .directBypass
        case .poaching: .poaching
        case .lateRegistration: .lateRegistration
        case .customerSwitch: .customerSwitch
        case .squatting: .squatting
        case .falseTender: .falseTender
        }
    }

    public init?(wire: Dealreg_V1_ViolationType) {
        switch wire {
        case .directBypass: self = .directBypass
        case .poaching: self = .poaching
        case .lateRegistration: self = .lateRegistration
        case .customerSwitch: self = .customerSwitch
        case .squatting: self = .squatting
        case .falseTender: self = .falseTender
        default: return nil
        }
    }
}

extension Violation {
    /// On the wire with the id and time enforcement gave it.
    public func wire(id: String, detectedAt: Int64) -> Dealreg_V1_Violation {
        var wire = Dealreg_V1_Violation()
        wire.id = id
        wire.type = type.wire
        wire.party = party.rawValue
        wire.orderID = orderID
        wire.registrationID = registrationID.rawValue
        wire.score = score
        wire.reasons = reasons.map(\.wire)
        wire.explanation = explanation
        wire.detectedAt = detectedAt
        if let bookingCustomer { wire.bookingCustomer = bookingCustomer.wire }
        if let registrationCustomer { wire.registrationCustomer = registrationCustomer.wire }
        wire.conclusiveEvidence = conclusiveEvidence.map(\.wire)
        return wire
    }
}
