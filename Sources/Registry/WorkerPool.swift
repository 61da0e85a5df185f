import DealWire

/// The check workers the registry knows, their credit, and the checks waiting for one (Paranoid Pirate ideas over
/// the credit protocol). No clock: callers pass the moment. Not thread-safe: owned by the registry's core.
struct WorkerPool {
    struct Worker {
        var name: String
        var credit: Int
        var watermark: UInt64
        var lastSeen: ContinuousClock.Instant
        var holding: Set<UInt64> = []
    }

    private(set) var workers: [[UInt8]: Worker] = [:]
    /// Checks waiting for credit, oldest first from `head`: taking one is O(1), not a shift of the array.
    private var queue: [UInt64] = []
    private var head = 0

    var readyCount: Int { workers.count }
    var queuedCount: Int { queue.count - head }

    /// The lowest watermark any known worker reported. A worker's results never carry a watermark below what it
    /// reported before (one ordered connection), so changes at or below this need no re-check from memory.
    var lowestWatermark: UInt64? { workers.values.lazy.map(\.watermark).min() }

    func knows(_ identity: [UInt8]) -> Bool { workers[identity] != nil }

    /// A worker (re)announced itself: fresh credit; returns the checks it held before, to re-queue.
    mutating func ready(
        _ identity: [UInt8], name: String, capacity: Int, watermark: UInt64, at now: ContinuousClock.Instant
    ) -> Set<UInt64> {
        let held = workers[identity]?.holding ?? []
        workers[identity] = Worker(name: name, credit: max(1, capacity), watermark: watermark, lastSeen: now)
        return held
    }

    mutating func heard(_ identity: [UInt8], watermark: UInt64?, at now: ContinuousClock.Instant) {
        workers[identity]?.lastSeen = now
        if let watermark { workers[identity]?.watermark = watermark }
    }

    /// A worker left or died: returns the checks it held, to re-queue.
    mutating func remove(_ identity: [UInt8]) -> Set<UInt64> {
        workers.removeValue(forKey: identity)?.holding ?? []
    }

    /// Workers silent since `deadline`.
    func silent(since deadline: ContinuousClock.Instant) -> [[UInt8]] {
        workers.filter { $0.value.lastSeen < deadline }.map(\.key)
    }

    mutating func enqueue(_ check: UInt64, first: Bool = false) {
        if !first {
            queue.append(check)
        } else if head > 0 {
            head -= 1
            queue[head] = check
        } else {
            queue.insert(check, at: 0)
        }
    }

    mutating func dropFromQueue(_ check: UInt64) {
        guard let index = queue[head...].firstIndex(of: check) else { return }
        queue.remove(at: index)
    }

    /// Takes the next queued check and the worker with most credit for it, consuming one credit.
    mutating func nextAssignment() -> (check: UInt64, worker: [UInt8])? {
        guard head < queue.count else { return nil }
        var best: (identity: [UInt8], credit: Int)?
        for (identity, worker) in workers where worker.credit > (best?.credit ?? 0) {
            best = (identity, worker.credit)
        }
        guard let best else { return nil }
        let check = queue[head]
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096 && head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        workers[best.identity]?.credit -= 1
        workers[best.identity]?.holding.insert(check)
        return (check, best.identity)
    }

    /// A worker answered `check`: one credit back, if it held that check. Returns whether it did. A late answer
    /// (after the worker announced itself afresh) or a made-up check id earns nothing, so a worker's credit never
    /// grows past the capacity it announced.
    mutating func answered(_ identity: [UInt8], check: UInt64, at now: ContinuousClock.Instant) -> Bool {
        guard workers[identity] != nil else { return false }
        workers[identity]?.lastSeen = now
        guard workers[identity]?.holding.remove(check) != nil else { return false }
        workers[identity]?.credit += 1
        return true
    }
}
