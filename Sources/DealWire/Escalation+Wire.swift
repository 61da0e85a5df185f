import DealModel
import Foundation

extension Escalation {
    public var wire: Dealreg_V1_Escalation {
        var wire = Dealreg_V1_Escalation()
        wire.registrationID = registrationID.rawValue
        wire.reviewDue = reviewDue.wire
        wire.escalatedAt = escalatedAt
        wire.registrant = registrant.rawValue
        return wire
    }

    /// Nil when the wire escalation lacks its due date.
    public init?(wire: Dealreg_V1_Escalation) {
        guard wire.hasReviewDue, let due = CalendarDate(wire: wire.reviewDue) else { return nil }
        self.init(
            registrationID: RegistrationID(wire.registrationID), reviewDue: due, escalatedAt: wire.escalatedAt,
            registrant: PartyID(wire.registrant))
    }

    /// An escalation from the bytes a store keeps (its serialized wire form); nil when they do not decode.
    public init?(serialized bytes: Data) {
        guard let wire = try? Dealreg_V1_Escalation(serializedBytes: bytes) else { return nil }
        self.init(wire: wire)
    }
}
