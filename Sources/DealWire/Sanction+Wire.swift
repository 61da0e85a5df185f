import DealModel
import Foundation

extension SanctionLevel {
    public var wire: Dealreg_V1_SanctionLevel {
        switch self {
        case .warning: .warning
        case .benefitsLost: .benefitsLost
        case .suspension: .suspension
        case .expulsion: .expulsion
        case .commissionWithheld: .commissionWithheld
        case .terminationReview: .terminationReview
        }
    }

    /// Nil for an unspecified or unknown level.
    public init?(wire: Dealreg_V1_SanctionLevel) {
        switch wire {
        case .warning: self = .warning
        case .benefitsLost: self = .benefitsLost
        case .suspension: self = .suspension
        case .expulsion: self = .expulsion
        case .commissionWithheld: self = .commissionWithheld
        case .terminationReview: self = .terminationReview
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension Sanction {
    public var wire: Dealreg_V1_Sanction {
        var wire = Dealreg_V1_Sanction()
        wire.id = id.rawValue
        wire.party = party.rawValue
        wire.level = level.wire
        wire.caseID = caseID.rawValue
        wire.active = active
        wire.reason = reason
        wire.time = time
        wire.registryApplied = registryApplied
        return wire
    }

    /// Nil when the wire sanction lacks a level this build knows.
    public init?(wire: Dealreg_V1_Sanction) {
        guard let level = SanctionLevel(wire: wire.level) else { return nil }
        self.init(
            id: SanctionID(wire.id), party: PartyID(wire.party), level: level, caseID: ViolationID(wire.caseID),
            active: wire.active, reason: wire.reason, time: wire.time, registryApplied: wire.registryApplied)
    }

    /// A sanction from the bytes a store keeps (its serialized wire form); nil when they do not decode.
    public init?(serialized bytes: Data) {
        guard let wire = try? Dealreg_V1_Sanction(serializedBytes: bytes) else { return nil }
        self.init(wire: wire)
    }
}
