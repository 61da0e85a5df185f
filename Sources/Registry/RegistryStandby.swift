import DealBus
import DealStore
import Foundation
import Logging
import ZeroMQ

/// How a registry process gets its store: the SQLite file at once; on PostgreSQL, a connection (retried while the
/// server is unreachable) and then the lease, waited for as a standby that binds nothing, so that clients, workers
/// and enforcement given every registry's endpoints reach only the active one. Not thread-safe: used by the reactor
/// thread before it serves.
struct RegistryStandby {
    let configuration: RegistryConfiguration
    let context: Context
    let logger: Logger

    /// The store and, on PostgreSQL, the lease held; nil when the service was stopped while waiting.
    func openStore() throws -> (database: any SQLDatabase, lease: RegistryLease?)? {
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let usedBefore = FileManager.default.fileExists(atPath: configuration.serverKeyFile.path)
        let location = configuration.storeLocation
        guard case .postgres = location else {
            return (try open(location, mustExist: usedBefore), nil)
        }
        var waitingLogged = false
        while true {
            do {
                let database = try open(location, mustExist: usedBefore)
                guard let lease = try awaitLease(database) else { return nil }
                return (database, lease)
            } catch let fault as StorageFault {
                if !waitingLogged {
                    logger.error(
                        "the database does not answer; retrying every second",
                        metadata: ["store": "\(location)", "error": "\(fault)"])
                    waitingLogged = true
                }
                guard try pause(.seconds(1)) else { return nil }
            }
        }
    }

    /// The store's database, migrated.
    private func open(_ location: StoreLocation, mustExist: Bool) throws -> any SQLDatabase {
        let database = try StoreDatabases.open(
            location, schema: "registry", migrations: StoreMigrations(sqlite: [], postgres: []), mustExist: mustExist,
            applicationName: "dealreg-registry \(configuration.instance)")
        try database.migrate(RegistryStore.migrations(for: database.engine))
        return database
    }

    /// Takes the lease as soon as it is free, polling; nil when the service was stopped meanwhile.
    private func awaitLease(_ database: any SQLDatabase) throws -> RegistryLease? {
        let api = Endpoints.list(configuration.apiEndpoint).map(ServiceEndpoints.connectable).joined(separator: ",")
        var announced: Int64?
        while true {
            if let lease = try RegistryLease.acquire(
                database, instance: configuration.instance, pid: getpid(), api: api)
            {
                logger.notice(
                    "registry active: holds the store's lease",
                    metadata: [
                        "instance": "\(lease.instance)", "epoch": "\(lease.epoch)", "because": "\(lease.takeover)",
                    ])
                return lease
            }
            if let holder = try RegistryLease.current(database), announced != holder.epoch {
                announced = holder.epoch
                logger.notice(
                    "registry standby: another registry holds the lease; taking it when it dies, freezes or loses its session",
                    metadata: ["active": "\(holder.instance)", "epoch": "\(holder.epoch)", "api": "\(holder.api)"])
            }
            guard try pause(RegistryLease.poll) else { return nil }
        }
    }

    /// Waits `duration`; false when the service is stopping (its context shut down).
    private func pause(_ duration: Duration) throws -> Bool {
        do {
            let socket = try Socket(context: context, type: .pair)
            defer { socket.close() }
            _ = try Poller.readable([socket], timeoutMilliseconds: Int(duration / .milliseconds(1)))
            return true
        } catch  where error.isContextTerminated {
            return false
        }
    }
}
