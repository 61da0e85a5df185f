import DealModel
import DealWire
import Logging
import Matching

/// Groups the registrations of a store from before accounts into accounts, once, when the registry starts: in
/// registration order, each joins the account of the best earlier registration it matches at the conflict
/// threshold, or makes a new one; each is recorded again with its account as a `registration` event (history
/// action `account`), so the ledger holds the grouping like any step. Matches between the review and the conflict
/// thresholds are listed as doubts for a channel manager. Two registrations that would make a double protection of
/// one account (the defect accounts end) are not grouped: the later one keeps an account of its own, listed as a
/// doubt, so the grouping never changes what is protected. Batches commit one by one, so a grouping stopped half way
/// goes on from where it was at the next start. Not thread-safe: runs before the reactor starts.
struct AccountGrouping {
    let store: RegistryStore
    let policy: ProgramPolicy
    let logger: Logger
    /// Registrations recorded per commit.
    var batch = 5_000

    /// What a grouping did.
    struct Summary: Sendable, Equatable {
        var registrations = 0
        var accounts = 0
        var doubts = 0
        /// Registrations kept apart because their account's protections would have overlapped.
        var keptApart = 0
    }

    /// Groups every registration that has no account yet; `now` is the time of the events it records.
    @discardableResult
    func run(now: Int64) throws -> Summary {
        var summary = Summary()
        var pending = try store.registrations(after: 0, limit: batch, grouped: false)
        guard !pending.isEmpty else { return summary }
        logger.notice("grouping the registrations of a store from before accounts into accounts")
        var counters = try store.counters()
        // The accounts made so far (a grouping stopped half way made some), one entry each under their spellings as
        // the workers index them, and their protections.
        var index = CustomerIndex<AccountID>()
        var held: [AccountID: [Registration]] = [:]
        func remember(_ registration: Registration, in account: AccountID) {
            index.addSpelling(account, customer: registration.request.customer)
            if registration.holdsExclusiveProtection { held[account, default: []].append(registration) }
        }
        var number: Int64 = 0
        while true {
            let grouped = try store.registrations(after: number, limit: batch, grouped: true)
            guard let last = grouped.last else { break }
            for registration in grouped { remember(registration, in: registration.account!) }
            number = Int64(last.id.rawValue.dropFirst(3)) ?? Int64.max
        }
        let time = now
        while !pending.isEmpty {
            var writes: [RegistryWrite] = []
            var doubts: [Dealreg_V1_AccountDoubt] = []
            for var registration in pending {
                let customer = PreparedCustomer(registration.request.customer)
                let ranked = index.candidates(for: customer, minimumScore: policy.reviewThreshold).map {
                    (key: $0.id, value: (score: $0.score, reasons: $0.reasons))
                }
                var account: AccountID?
                var apart: (AccountID, Double, [MatchReason])?
                if let (best, match) = ranked.first, match.score >= policy.conflictThreshold {
                    let protections = AccountProtections((held[best] ?? []) + [registration])
                    if protections.overlaps(in: policy.catalog).contains(where: {
                        $0.0.registration.id == registration.id || $0.1.registration.id == registration.id
                    }) {
                        apart = (best, match.score, match.reasons)
                    } else {
                        account = best
                    }
                }
                let chosen =
                    account
                    ?? {
                        counters.accountNumber += 1
                        summary.accounts += 1
                        return AccountID(number: counters.accountNumber)
                    }()
                for (other, match) in ranked
                where other != chosen
                    && (match.score < policy.conflictThreshold || apart?.0 == other)
                {
                    doubts.append(
                        .with {
                            $0.accountID = chosen.rawValue
                            $0.otherAccountID = other.rawValue
                            $0.score = match.score
                            $0.registrationID = registration.id.rawValue
                            $0.reasons = match.reasons.map(\.wire)
                        })
                }
                if apart != nil { summary.keptApart += 1 }
                registration.account = chosen
                remember(registration, in: chosen)
                counters.seq += 1
                let history = HistoryRow(
                    registrationID: registration.id, seq: counters.seq, time: time, actor: PartyID("registry"),
                    action: "account", status: registration.status,
                    reason: account == nil
                        ? "Made account \(chosen) when accounts were introduced."
                        : "Joined account \(chosen) when accounts were introduced.",
                    policyVersion: policy.version)
                writes.append(
                    RegistryWrite(.transitioned(registration, history), seq: counters.seq, time: time, answer: nil))
            }
            summary.registrations += pending.count
            summary.doubts += doubts.count
            if !doubts.isEmpty { writes.append(RegistryWrite(.doubts(doubts), seq: 0, time: time, answer: nil)) }
            try store.commit(writes)
            logger.notice(
                "registrations grouped into accounts",
                metadata: ["so far": "\(summary.registrations)", "accounts": "\(summary.accounts)"])
            let last = Int64(pending.last!.id.rawValue.dropFirst(3)) ?? Int64.max
            pending = try store.registrations(after: last, limit: batch, grouped: false)
        }
        logger.notice(
            "accounts introduced",
            metadata: [
                "registrations": "\(summary.registrations)", "accounts": "\(summary.accounts)",
                "doubts": "\(summary.doubts)", "kept apart": "\(summary.keptApart)",
            ])
        return summary
    }
}
