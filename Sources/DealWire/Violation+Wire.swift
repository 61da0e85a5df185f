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
        guard orderID.count <= 128 else { throw .invalid("booking.order_id", "The order id is too long.") }
        guard wire.hasCustomer else { throw .missing("booking.customer", "The customer is required.") }
        var customer = Customer(wire: wire.customer)
        customer.country = customer.country.uppercased()
        guard !customer.legalName.isEmpty else {
            throw .missing("booking.customer.legal_name", "The customer's legal name is required.")
        }
        guard ISOCodes.isCountry(customer.country) else {
            throw .invalid("booking.customer.country", "'\(customer.country)' is not an ISO 3166-1 alpha-2 code.")
        }
        let lines = wire.productLines.map { $0.trimmedSpaces.lowercased() }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw .missing("booking.product_lines", "At least one product line is required.") }
        guard wire.hasAmount, wire.amount.minorUnits > 0,
            ISOCodes.minorUnitDigits(currency: wire.amount.currency.uppercased()) != nil
        else { throw .invalid("booking.amount", "A positive amount in an ISO 4217 currency is required.") }
        let bookedBy = wire.bookedBy.trimmedSpaces
        guard !bookedBy.isEmpty else { throw .missing("booking.booked_by", "Who booked it is required.") }
        guard wire.hasBookedOn, let day = CalendarDate(wire: wire.bookedOn) else {
            throw .missing("booking.booked_on", "The booking date (YYYY-MM-DD) is required.")
        }
        let claimed = wire.claimedRegistrationID.trimmedSpaces
        self.init(
            orderID: orderID, customer: customer, productLines: lines,
            amount: Money(minorUnits: wire.amount.minorUnits, currency: wire.amount.currency.uppercased()),
            bookedBy: PartyID(bookedBy), claimedRegistration: claimed.isEmpty ? nil : RegistrationID(claimed),
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
        }
    }

    public init?(wire: Dealreg_V1_ViolationType) {
        switch wire {
        case .directBypass: self = .directBypass
        case .poaching: self = .poaching
        case .lateRegistration: self = .lateRegistration
        case .customerSwitch: self = .customerSwitch
        case .squatting: self = .squatting
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
        return wire
    }
}
