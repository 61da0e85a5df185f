/// A violation as enforcement recorded it: the finding with the id it was given and when. A value; `Sendable`.
public struct DetectedViolation: Sendable, Hashable {
    public var id: ViolationID
    public var violation: Violation
    /// Seconds since the Unix epoch.
    public var detectedAt: Int64

    public init(id: ViolationID, violation: Violation, detectedAt: Int64) {
        self.id = id
        self.violation = violation
        self.detectedAt = detectedAt
    }

    public var type: ViolationType { violation.type }
    /// The party that broke the rule.
    public var party: PartyID { violation.party }
}
