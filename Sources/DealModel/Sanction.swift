/// A sanction a confirmed case imposed on its party, at the rung of the ladder its standing cases reached. Those
/// the registry enforces (loss of benefits, suspension, expulsion) are sent to it, and marked applied once it
/// answers. A value; `Sendable`.
public struct Sanction: Sendable, Hashable {
    public var id: SanctionID
    public var party: PartyID
    public var level: SanctionLevel
    /// The case whose confirmation imposed it.
    public var caseID: ViolationID
    /// In force: not lifted by hand nor by an overturned appeal.
    public var active: Bool
    public var reason: String
    /// Seconds since the Unix epoch.
    public var time: Int64
    /// Whether the registry holds the party to it (or, once lifted, no longer does); true from the start for
    /// levels the registry does not enforce.
    public var registryApplied: Bool

    public init(
        id: SanctionID, party: PartyID, level: SanctionLevel, caseID: ViolationID, active: Bool = true,
        reason: String, time: Int64, registryApplied: Bool? = nil
    ) {
        self.id = id
        self.party = party
        self.level = level
        self.caseID = caseID
        self.active = active
        self.reason = reason
        self.time = time
        self.registryApplied = registryApplied ?? (level.standing == nil)
    }

    /// Whether the registry has to hear of it at all.
    public var reachesRegistry: Bool { level.standing != nil }

    /// The sanction made inactive: a lifted one the registry enforced waits for the registry to drop it.
    public var lifted: Sanction {
        var lifted = self
        lifted.active = false
        lifted.registryApplied = !reachesRegistry
        return lifted
    }
}
