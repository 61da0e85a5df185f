import DealStore
import Foundation
import Synchronization

/// Keeps the lease renewed on a connection and a thread of its own for as long as this process is the active
/// registry: while it loads its state (longer than a lease lasts on a large store) and while it serves, so that a
/// reactor turn that takes seconds (a slow disk at quarter-end, a machine short of CPU) does not let the lease lapse
/// and hand the registry to the standby, which a busy turn would cost the same way: the two took it from each other
/// every few seconds in chaos runs on a loaded machine. Once the registry serves, it renews only while the reactor
/// shows progress (`reactorProgressed`) within `RegistryLease.stall`: a reactor stuck that long hands over. The
/// fence is unchanged: every commit renews the lease by its epoch inside its own transaction, and a frozen process
/// renews nothing (this thread is frozen with it). The lease keeps naming the registry's own connection (the one a
/// standby ends when a frozen commit holds the lease's row). Thread-safe.
final class LeaseKeeper: @unchecked Sendable {
    private struct State {
        var running = true
        var lost: LeaseLost?
        /// When the reactor last made progress; nil until it serves.
        var progress: ContinuousClock.Instant?
    }

    private let database: PostgresDatabase
    private let lease: RegistryLease
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    /// Starts renewing `lease` every `RegistryLease.renewal` on a new connection to `location`; once the reactor
    /// serves, while it made progress within `stall`.
    init(_ location: PostgresLocation, schema: String, lease: RegistryLease, stall: Duration = RegistryLease.stall)
        throws
    {
        database = try PostgresDatabase(location, schema: schema, applicationName: "dealreg-registry lease keeper")
        self.lease = lease
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            while let progress = state.withLock({ $0.running && $0.lost == nil ? .some($0.progress) : nil }) {
                if progress.map({ $0.duration(to: .now) < stall }) ?? true {
                    do {
                        try database.write { db in try lease.extend(db) }
                    } catch let lost as LeaseLost {
                        state.withLock { $0.lost = lost }
                    } catch {
                        // The database does not answer: the next renewal, or the registry's own, tries again.
                    }
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    /// The lease went to another registry: this process commits nothing more (its commits would fail anyway).
    var lost: LeaseLost? { state.withLock { $0.lost } }

    /// The reactor made progress (a message handled, a turn ended). From the first call on, the lease is renewed
    /// only while these calls keep coming.
    func reactorProgressed() {
        state.withLock { $0.progress = .now }
    }

    /// Stops renewing and closes the connection.
    func stop() {
        let wasRunning = state.withLock { state in
            let was = state.running
            state.running = false
            return was
        }
        guard wasRunning else { return }
        finished.wait()
        database.close()
    }
}
