import DealModel
import Foundation

extension DetectedViolation {
    public var wire: Dealreg_V1_Violation { violation.wire(id: id.rawValue, detectedAt: detectedAt) }

    /// Nil when the wire violation lacks a type this build knows.
    public init?(wire: Dealreg_V1_Violation) {
        guard let type = ViolationType(wire: wire.type) else { return nil }
        self.init(
            id: ViolationID(wire.id),
            violation: Violation(
                type: type, party: PartyID(wire.party), orderID: wire.orderID,
                registrationID: RegistrationID(wire.registrationID), score: wire.score,
                reasons: wire.reasons.map(MatchReason.init(wire:)), explanation: wire.explanation,
                bookingCustomer: wire.hasBookingCustomer ? Customer(wire: wire.bookingCustomer) : nil,
                registrationCustomer: wire.hasRegistrationCustomer ? Customer(wire: wire.registrationCustomer) : nil,
                conclusiveEvidence: wire.conclusiveEvidence.compactMap(ConclusiveEvidence.init(wire:))),
            detectedAt: wire.detectedAt)
    }

    /// On the wire as `access` may see it: the accused party (`.own`) is not shown the customer of the registration
    /// it was matched with, another party's protected customer.
    public func wire(shownTo access: Access) -> Dealreg_V1_Violation {
        var wire = self.wire
        if access != .all { wire.clearRegistrationCustomer() }
        return wire
    }

    /// A violation from the bytes a store keeps (its serialized wire form); nil when they do not decode.
    public init?(serialized bytes: Data) {
        guard let wire = try? Dealreg_V1_Violation(serializedBytes: bytes) else { return nil }
        self.init(wire: wire)
    }
}
