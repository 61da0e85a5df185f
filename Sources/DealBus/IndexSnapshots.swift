import DealModel
import Foundation
import Logging
import Matching
import Synchronization
import ZeroMQ

/// When a check worker (or enforcement) replaces its index snapshot, and the writing itself: a copy of the index
/// (its arrays are shared until the reactor next changes them) is written on a thread of its own, so the service
/// goes on meanwhile. A snapshot is due once the index is `events` past the last one (2 % of its entries, at least
/// 5,000, by default) and `interval` after it; another worker of the host having replaced it within `interval`
/// counts as one. Not thread-safe but for the write in flight: owned by the service's reactor thread.
public final class IndexSnapshots {
    public let file: IndexSnapshotFile
    private let registry: CurveKey
    private let events: UInt64?
    private let interval: Duration
    private let logger: Logger
    /// The seq of the snapshot last written or loaded.
    private var seq: UInt64 = 0
    private var writtenAt = ContinuousClock.now
    private let writing = Atomic<Bool>(false)

    public init(file: IndexSnapshotFile, registry: CurveKey, events: UInt64?, interval: Duration, logger: Logger) {
        self.file = file
        self.registry = registry
        self.events = events
        self.interval = interval
        self.logger = logger
    }

    /// The host's snapshot of this registry's log, which the index then starts from; nil when there is none.
    /// Throws when one is there but cannot be used (see `IndexSnapshotFile.load`).
    public func load() throws -> IndexSnapshotFile.Loaded? {
        guard let loaded = try file.load(registry: registry) else { return nil }
        seq = loaded.seq
        return loaded
    }

    /// The index was emptied: the next snapshot is due as if none had been written.
    public func forget() { seq = 0 }

    /// Writes `index`, up to `seq`, when a snapshot is due; `now`: at once and before returning (the worker stops),
    /// unless the host's snapshot is at `seq` already.
    public func keep(_ index: CustomerIndex<AccountID>, seq: UInt64, now: Bool = false) {
        guard seq > self.seq else { return }
        if now {
            // A write in flight finishes first: the file it renames into place is then replaced by this one.
            while writing.load(ordering: .acquiring) { usleep(10_000) }
        } else {
            let due = events ?? max(5_000, UInt64(index.count / 50))
            guard seq - self.seq >= due, writtenAt.duration(to: .now) >= interval else { return }
            if let modified = file.modified, -modified.timeIntervalSinceNow < Double(interval.components.seconds) {
                writtenAt = .now
                return
            }
        }
        guard writing.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        self.seq = seq
        writtenAt = .now
        let job = SnapshotJob(index: index, seq: seq, file: file, registry: registry, logger: logger)
        if now {
            job.run()
            writing.store(false, ordering: .releasing)
            return
        }
        let writing = UnsafeSendable(self)
        Thread.detachNewThread {
            job.run()
            writing.value.writing.store(false, ordering: .releasing)
        }
    }
}

/// One snapshot to write, off the reactor thread. The index copy shares its storage with the worker's, which only
/// the writer reads until the reactor's next change copies it: `@unchecked Sendable`.
private struct SnapshotJob: @unchecked Sendable {
    let index: CustomerIndex<AccountID>
    let seq: UInt64
    let file: IndexSnapshotFile
    let registry: CurveKey
    let logger: Logger

    func run() {
        let clock = ContinuousClock()
        let began = clock.now
        do {
            let bytes = try file.write(index, seq: seq, registry: registry)
            logger.info(
                "index snapshot written",
                metadata: [
                    "seq": "\(seq)", "entries": "\(index.count)", "bytes": "\(bytes)",
                    "ms": "\(Int(began.duration(to: clock.now) / .milliseconds(1)))",
                ])
        } catch {
            logger.error("index snapshot not written", metadata: ["file": "\(file.file.path)", "error": "\(error)"])
        }
    }
}

/// Hands the snapshots' owner to the writing thread, which touches only its atomic flag. `@unchecked Sendable`.
private struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
