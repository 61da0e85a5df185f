/// Holds a log, read entry by entry in order, to the signed heads that vouch for it: the service's own kept heads,
/// the heads the other service witnessed, heads published to an outside witness. Each head must be signed with a
/// ledger key of the service, and the log must reach it with the same Merkle root and chain hash. Not thread-safe:
/// a value used by one audit.
public struct HeadAudit {
    /// A head, and who vouches for it: "kept by the registry", "witnessed by enforcement", "published in h.json".
    public struct Held: Sendable, Hashable {
        public var head: LedgerHead
        public var source: String

        public init(_ head: LedgerHead, source: String) {
            self.head = head
            self.source = source
        }
    }

    /// What does not hold: the first entry concerned ("event 8"), and why.
    public struct Finding: Sendable, Hashable, Error {
        public var entry: String
        public var reason: String
    }

    /// How the log names entry `seq`: "event 8", "ledger entry 8".
    private let name: (UInt64) -> String
    private var pending: [Held]
    private var next = 0
    private var accumulator = MerkleAccumulator()
    /// The largest head that held so far, and who vouched for it (heads signed after a rollback aside).
    private var lastHeld: Held?
    /// Heads checked.
    public private(set) var checked = 0
    /// A head not signed by a key of the service: reported as soon as the audit starts.
    private let untrusted: Finding?
    /// Heads (by index in `pending`) signed after an earlier-signed head covered more entries: signed on a log
    /// rolled back, so the log matching them vouches for nothing beyond the rollback.
    private let afterRollback: Set<Int>

    /// An audit of `keyring.service`'s log against `heads` (any order).
    public init(keyring: LedgerKeyring, heads: [Held], naming name: @escaping (UInt64) -> String) {
        self.name = name
        let pending = heads.sorted { ($0.head.size, $0.head.time) < ($1.head.size, $1.head.time) }
        self.pending = pending
        // An honest log only grows: a head signed later never covers fewer entries than one signed earlier.
        var largest: UInt64 = 0
        var afterRollback: Set<Int> = []
        for index in pending.indices.sorted(by: { pending[$0].head.time < pending[$1].head.time }) {
            if pending[index].head.size < largest { afterRollback.insert(index) }
            largest = max(largest, pending[index].head.size)
        }
        self.afterRollback = afterRollback
        untrusted =
            pending.lazy.compactMap { held in
                keyring.problem(with: held.head).map {
                    Finding(
                        entry: name(max(held.head.size, 1)),
                        reason: "the \(held.head.description) \(held.source) cannot be trusted: \($0)")
                }
            }.first
    }

    /// The first finding before any entry is read: an untrusted head.
    public var start: Finding? { untrusted }

    /// Reads entry `seq` (1, 2, ...) with its chain hash; returns the first head it breaks, if any.
    public mutating func visit(seq: UInt64, chainHash: [UInt8]) -> Finding? {
        accumulator.append(MerkleTree.leafHash(seq: seq, chainHash: chainHash))
        while next < pending.count, pending[next].head.size <= seq {
            let held = pending[next]
            next += 1
            checked += 1
            guard held.head.size == seq else { continue }
            guard held.head.root == accumulator.root, held.head.chainHash == chainHash else {
                return changed(held)
            }
            if !afterRollback.contains(next - 1) { lastHeld = held }
        }
        return nil
    }

    /// After the last entry: a head past the log's end means entries were removed.
    public mutating func finish(size: UInt64) -> Finding? {
        // Heads of size 0 vouch for nothing.
        while next < pending.count, pending[next].head.size == 0 {
            next += 1
            checked += 1
        }
        guard next < pending.count else { return nil }
        let held = pending.max { $0.head.size < $1.head.size } ?? pending[next]
        checked += pending.count - next
        // Entries after the last head that held may have been put in place of removed ones (a service restarted on
        // a truncated log numbers on from its end): none of them is vouched for.
        let first = (lastHeld?.head.size ?? 0) + 1
        let replaced =
            first <= size
            ? "; no head that holds vouches for entries \(first) to \(size) (the last is at \(first - 1))" : ""
        return Finding(
            entry: name(first),
            reason:
                "missing: the \(held.head.description) \(held.source) covers \(held.head.size) entries, the log ends at "
                + "\(size)\(replaced)")
    }

    private func changed(_ held: Held) -> Finding {
        let first = (lastHeld?.head.size ?? 0) + 1
        let range = first == held.head.size ? name(first) : "entries \(first) to \(held.head.size)"
        let since = lastHeld.map { "; the \($0.head.description) \($0.source) still holds" } ?? ""
        return Finding(
            entry: name(first),
            reason:
                "changed after it was signed: the log does not reach the \(held.head.description) \(held.source) "
                + "(\(range) \(first == held.head.size ? "differs" : "differ") from what was signed)\(since)")
    }
}
