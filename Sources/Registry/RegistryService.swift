import DealBus
import DealStore
import Foundation
import Logging
import ZeroMQ

/// Builds the registry as a runnable service: the one wiring function the executable and tests share.
public enum RegistryService {
    /// Opens the store and returns the service; `onReady` is called on the reactor thread once every socket serves.
    /// On PostgreSQL the process first waits as a standby, binding nothing, until it holds the lease.
    public static func make(
        configuration: RegistryConfiguration, logger: Logger = Logger(label: "dealreg.registry"),
        onReady: @escaping @Sendable (ServiceEndpoints) -> Void = { _ in }
    ) throws -> ReactorService {
        let context = try Context()
        let drain = DrainSignal()
        // The server is created on the reactor thread: it owns the sockets for their whole life. The drain gives the
        // checks in hand up to the check timeout, then answers the rest UNAVAILABLE: the hard stop comes later, so
        // a drain that runs to its deadline (slow workers) still answers every request before the context goes.
        return ReactorService(
            name: "registry", context: context, drain: drain, drainLimit: configuration.checkTimeout + .seconds(5)
        ) { context in
            let standby = RegistryStandby(configuration: configuration, context: context, logger: logger)
            guard let (database, lease) = try standby.openStore() else { return }
            // The lease stays renewed while the state loads (seconds, on a large store) and while it serves.
            let keeper = try lease.flatMap { lease -> LeaseKeeper? in
                guard case .postgres(let location) = configuration.storeLocation else { return nil }
                return try LeaseKeeper(location, schema: "registry", lease: lease)
            }
            defer { keeper?.stop() }
            let server = try RegistryReactor(
                configuration: configuration, database: database, lease: lease, logger: logger)
            if let lost = keeper?.lost { throw lost }
            server.leaseKeeper = keeper
            try server.run(context: context, drain: drain, onReady: onReady)
        }
    }
}
