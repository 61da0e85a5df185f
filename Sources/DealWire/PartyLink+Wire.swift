import DealModel

extension PartyLink {
    public var wire: Dealreg_V1_PartyLink {
        var wire = Dealreg_V1_PartyLink()
        wire.distributor = pair.distributor.rawValue
        wire.reseller = pair.reseller.rawValue
        wire.state = state.wire
        wire.proposedBy = proposedBy.rawValue
        wire.proposedAt = proposedAt
        wire.acceptedBy = acceptedBy?.rawValue ?? ""
        wire.acceptedAt = acceptedAt ?? 0
        wire.endedBy = endedBy?.rawValue ?? ""
        wire.endedAt = endedAt ?? 0
        wire.reason = reason
        return wire
    }

    /// Nil for a link without both parties or with a state this build does not know.
    public init?(wire: Dealreg_V1_PartyLink) {
        guard let state = State(wire: wire.state), !wire.distributor.isEmpty, !wire.reseller.isEmpty else {
            return nil
        }
        self.init(
            pair: Pair(distributor: PartyID(wire.distributor), reseller: PartyID(wire.reseller)), state: state,
            proposedBy: PartyID(wire.proposedBy), proposedAt: wire.proposedAt,
            acceptedBy: wire.acceptedBy.isEmpty ? nil : PartyID(wire.acceptedBy),
            acceptedAt: wire.acceptedBy.isEmpty ? nil : wire.acceptedAt,
            endedBy: wire.endedBy.isEmpty ? nil : PartyID(wire.endedBy),
            endedAt: wire.endedBy.isEmpty ? nil : wire.endedAt, reason: wire.reason)
    }
}

extension PartyLink.State {
    public var wire: Dealreg_V1_LinkState {
        switch self {
        case .proposedByDistributor: .proposedByDistributor
        case .proposedByReseller: .proposedByReseller
        case .active: .active
        case .ended: .ended
        }
    }

    /// Nil for an unspecified or unknown state.
    public init?(wire: Dealreg_V1_LinkState) {
        switch wire {
        case .proposedByDistributor: self = .proposedByDistributor
        case .proposedByReseller: self = .proposedByReseller
        case .active: self = .active
        case .ended: self = .ended
        default: return nil
        }
    }
}
