import DealModel

extension Account {
    public var wire: Dealreg_V1_Account {
        var wire = Dealreg_V1_Account()
        wire.id = id.rawValue
        switch state {
        case .open: wire.state = .open
        case .merged(let into):
            wire.state = .merged
            wire.mergedInto = into.rawValue
        }
        wire.spellings = spellings.map(\.wire)
        wire.actor = actor?.rawValue ?? ""
        wire.changedAt = changedAt
        wire.reason = reason
        return wire
    }

    /// Nil when the wire account lacks its id or its state (a stored or replayed one never does).
    public init?(wire: Dealreg_V1_Account) {
        guard !wire.id.isEmpty else { return nil }
        let state: State
        switch wire.state {
        case .open: state = .open
        case .merged where !wire.mergedInto.isEmpty: state = .merged(into: AccountID(wire.mergedInto))
        default: return nil
        }
        self.init(
            id: AccountID(wire.id), state: state, spellings: wire.spellings.map(Customer.init(wire:)),
            actor: wire.actor.isEmpty ? nil : PartyID(wire.actor), changedAt: wire.changedAt, reason: wire.reason)
    }
}
