/// A review a channel manager did not decide by its due date: the vendor's own promise broken, escalated once.
/// A value; `Sendable`.
public struct Escalation: Sendable, Hashable {
    public var registrationID: RegistrationID
    public var reviewDue: CalendarDate
    /// Seconds since the Unix epoch.
    public var escalatedAt: Int64
    public var registrant: PartyID

    public init(registrationID: RegistrationID, reviewDue: CalendarDate, escalatedAt: Int64, registrant: PartyID) {
        self.registrationID = registrationID
        self.reviewDue = reviewDue
        self.escalatedAt = escalatedAt
        self.registrant = registrant
    }
}
