import DealModel

/// Accounts as enforcement sees them: the account a (possibly merged) account id stands for now, and the watched
/// registrations of an account in their latest state, this turn's and the written turn's over the store's.
extension EnforcementCore {
    /// The account `id` stands for now: itself, or the account it was merged into, through every later merge; the
    /// turn's account events over the written turn's over the mirror's. A cycle (which the registry never makes)
    /// stops at the account that closes it.
    func survivor(of id: AccountID) -> AccountID {
        var current = id
        var seen: Set<AccountID> = [id]
        while true {
            let next: AccountID? =
                if let staged = turn.accounts[current] ?? writing?.accounts[current] {
                    staged.mergedInto
                } else {
                    mirror.mergedInto[current]
                }
            guard let next, seen.insert(next).inserted else { return current }
            current = next
        }
    }

    /// The account registration `registration` belongs to now; nil for one from before accounts.
    func account(of registration: Registration) -> AccountID? {
        registration.account.map(survivor(of:))
    }

    /// Every watched registration of each of `accounts` (accounts `survivor(of:)` returned) in its latest state,
    /// by account: those the store has under it or an account merged into it, with this turn's and the written
    /// turn's changes over them, less those a later event moved to another account.
    func watchedRegistrations(of accounts: Set<AccountID>) throws -> [AccountID: [Registration]] {
        guard !accounts.isEmpty else { return [:] }
        var names = accounts
        var frontier = Array(accounts)
        let staged = [writing, turn].compactMap { $0 }.flatMap(\.accounts.values)
        while let current = frontier.popLast() {
            var merged = mirror.mergedFrom[current] ?? []
            for other in staged where other.mergedInto == current { merged.insert(other.id) }
            for name in merged where names.insert(name).inserted { frontier.append(name) }
        }
        var latest: [RegistrationID: Registration] = [:]
        for registration in try records.watchedRegistrations(ofAccounts: names) {
            latest[registration.id] = registration
        }
        // The written turn's changes, then this turn's over them.
        for changed in [writing, turn].compactMap({ $0 }) {
            for (id, registration) in changed.registrations
            where latest[id] != nil || registration.account.map({ names.contains($0) }) == true {
                latest[id] = registration
            }
        }
        var grouped: [AccountID: [Registration]] = [:]
        for registration in latest.values where registration.isWatched {
            guard let account = account(of: registration), accounts.contains(account) else { continue }
            grouped[account, default: []].append(registration)
        }
        return grouped
    }
}
