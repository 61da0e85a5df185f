import DealStore
import Foundation
import Synchronization

/// Keeps a just-taken lease renewed, on a connection and a thread of its own, while the registry loads its state
/// before it serves: loading a large store takes longer than a lease lasts, and a lease that lapsed meanwhile would
/// go to the other registry, which would lose it the same way. Thread-safe: its connection is used by its thread until
/// `stop` has waited for that thread to end, and by `stop` only afterwards.
final class LeaseKeeper: @unchecked Sendable {
    private let database: PostgresDatabase
    private let lease: RegistryLease
    /// Whether to go on renewing, and what the last renewal found.
    private let state = Mutex<(running: Bool, lost: LeaseLost?)>((true, nil))
    private let finished = DispatchSemaphore(value: 0)

    /// Starts renewing `lease` every `RegistryLease.renewal` on a new connection to `location`.
    init(_ location: PostgresLocation, schema: String, lease: RegistryLease) throws {
        database = try PostgresDatabase(location, schema: schema, applicationName: "dealreg-registry lease keeper")
        self.lease = lease
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            while state.withLock({ $0.running && $0.lost == nil }) {
                do {
                    try database.write { db in try lease.renew(db) }
                } catch let lost as LeaseLost {
                    state.withLock { $0.lost = lost }
                } catch {
                    // The database does not answer: the next renewal, or the registry's own, tries again.
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    /// Stops renewing; throws `LeaseLost` when the lease went to another registry meanwhile. `handOver` renews it
    /// on the registry's own connection before this one closes, so that the lease names a live session throughout.
    func stop(handOver: () throws -> Void) throws {
        state.withLock { $0.running = false }
        finished.wait()
        if let lost = state.withLock({ $0.lost }) { throw lost }
        defer { database.close() }
        try handOver()
    }
}
