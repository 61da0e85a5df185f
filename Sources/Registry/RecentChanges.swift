import DealModel
import Matching

/// Registrations committed after `floor`, oldest first, indexed: what a worker's index may not have applied yet.
/// Pruned down to the lowest watermark of the known workers (the in-flight window, a few hundred), so commit-time
/// validation searches a small index. Bounded; a worker lagging further behind is covered from the database. Holds
/// committed changes only: a turn's own changes are its `RegistryTurn`'s until its commit succeeds. Not
/// thread-safe: a value owned by the registry's core.
struct RecentChanges {
    /// Changes kept at most; past it the older half is pruned whatever the workers applied.
    static let limit = 20_000
    /// Changes kept however far the workers have got, for a worker that joins slightly behind.
    static let keep = 512

    private var changes: [(seq: UInt64, registration: Registration)] = []
    private var head = 0
    private var index = CandidateIndex()
    /// The latest change of each registration in `changes`.
    private var latest: [RegistrationID: (seq: UInt64, registration: Registration)] = [:]
    /// Changes at or below this seq are no longer in memory (they stay findable in the database).
    private(set) var floor: UInt64

    init(floor: UInt64) {
        self.floor = floor
    }

    /// The newest change's seq, if any is kept.
    var newestSeq: UInt64? { head < changes.count ? changes.last?.seq : nil }

    /// Remembers a committed change; `customer` is its customer, prepared once by the caller.
    mutating func remember(_ registration: Registration, customer: PreparedCustomer, seq: UInt64) {
        changes.append((seq, registration))
        latest[registration.id] = (seq, registration)
        // Only what a check must see is indexed (as in the workers): rejected or finished registrations would
        // crowd the best candidates out of the search's top slots.
        if registration.isIndexed {
            index.insert(registration.id, prepared: customer)
        } else {
            index.remove(registration.id)
        }
        if changes.count - head > Self.limit {
            prune(through: changes[head + Self.limit / 2].seq)
        }
    }

    /// Takes in the committed changes after `seq` and at or below `floor` (`older`, oldest first, each registration
    /// in its latest state as of then: the database's), so that the changes reach back to `seq`. A registration
    /// changed again after `floor` keeps its later change.
    mutating func backfill(_ older: [(seq: UInt64, registration: Registration)], after seq: UInt64) {
        guard seq < floor else { return }
        var taken: [(seq: UInt64, registration: Registration)] = []
        for change in older where change.seq > seq && change.seq <= floor {
            taken.append(change)
            guard latest[change.registration.id] == nil else { continue }
            latest[change.registration.id] = change
            if change.registration.isIndexed {
                index.insert(change.registration.id, prepared: PreparedCustomer(change.registration.request.customer))
            }
        }
        changes = taken + changes[head...]
        head = 0
        floor = seq
    }

    /// Prunes the changes every known worker has applied (`lowestWatermark`), keeping at least the last `keep`.
    mutating func prune(toWatermark lowestWatermark: UInt64?) {
        guard changes.count - head > Self.keep, let lowestWatermark else { return }
        prune(through: min(lowestWatermark, changes[changes.count - Self.keep].seq))
    }

    /// Drops the changes at or below `seq` from memory, and rebuilds the index once removed slots outnumber live
    /// ones.
    private mutating func prune(through seq: UInt64) {
        guard seq > floor else { return }
        while head < changes.count && changes[head].seq <= seq {
            let (changed, registration) = changes[head]
            if latest[registration.id]?.seq == changed {
                latest[registration.id] = nil
                index.remove(registration.id)
            }
            head += 1
        }
        floor = seq
        if head >= 1024 && head * 2 >= changes.count {
            changes.removeFirst(head)
            head = 0
        }
        if index.slotCount > 2 * index.count + 4096 {
            var rebuilt = CandidateIndex()
            rebuilt.insert(
                contentsOf: latest.filter { $0.value.registration.isIndexed }.map {
                    ($0.key, $0.value.registration.request.customer)
                })
            index = rebuilt
        }
    }

    /// The registrations changed after `seq` (which must be at least `floor`) that match `customer` at
    /// `minimumScore` or more, each in its latest state.
    func matches(
        changedAfter seq: UInt64, _ customer: PreparedCustomer, minimumScore: Double
    ) -> [ScoredCandidate] {
        guard let newest = newestSeq, newest > seq else { return [] }
        let latest = self.latest
        // The recent set is small, so the search scores more of it than a worker's top 32.
        return index.candidates(for: customer, minimumScore: minimumScore, limit: 128) {
            (latest[$0]?.seq ?? 0) > seq
        }
        .compactMap { found in
            latest[found.id].map {
                ScoredCandidate(registration: $0.registration, score: found.score, reasons: found.reasons)
            }
        }
    }
}
