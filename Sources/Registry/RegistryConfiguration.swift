import DealModel
import Foundation

/// Everything the registry needs to run, with working defaults. Flags of `dealreg-registry` override these.
/// A value; `Sendable`.
public struct RegistryConfiguration: Sendable {
    /// Holds `registry.sqlite`, `server.key` (created on first start) and `endpoints.json` (written once serving).
    public var dataDirectory: URL
    /// Request socket for registrants and operators (ROUTER).
    public var apiEndpoint = "tcp://0.0.0.0:7400"
    /// Check workers connect their DEALERs here (ROUTER, credit protocol).
    public var workEndpoint = "tcp://0.0.0.0:7401"
    /// The event stream (PUB).
    public var eventsEndpoint = "tcp://0.0.0.0:7402"
    /// Replay of the event log for late joiners (ROUTER).
    public var syncEndpoint = "tcp://0.0.0.0:7403"
    /// A JSON array of parties upserted at every start: the admin and service principals of a cluster.
    public var bootstrapFile: URL?
    public var policy = ProgramPolicy()
    /// The policy file (see `PolicyFile`): read at start, replacing `policy`, and again on an admin's reload.
    public var policyFile: URL?
    /// How often the registry and workers exchange heartbeats.
    public var heartbeatInterval: Duration = .seconds(1)
    /// A worker silent this long is dead; its checks go to another.
    public var workerTimeout: Duration = .seconds(3)
    /// A registration no worker has answered within this gets `UNAVAILABLE` (retry with the same request_id).
    public var checkTimeout: Duration = .seconds(10)
    /// Registrations waiting for a worker beyond this are answered `OVERLOADED` at once instead of queueing.
    public var maximumQueuedChecks = 20_000
    /// The clock, in seconds since the Unix epoch.
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    var databaseFile: URL { dataDirectory.appendingPathComponent("registry.sqlite") }
    var serverKeyFile: URL { dataDirectory.appendingPathComponent("server.key") }
    public var endpointsFile: URL { dataDirectory.appendingPathComponent("endpoints.json") }
}
