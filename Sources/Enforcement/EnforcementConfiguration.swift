import Foundation
import ZeroMQ

/// What the enforcement service needs, with working defaults for its own sockets. A value; `Sendable`.
public struct EnforcementConfiguration: Sendable {
    /// Holds `enforcement.sqlite`, `server.key` (created on first start) and `endpoints.json`.
    public var dataDirectory: URL
    /// Request socket for officers and tools (ROUTER).
    public var apiEndpoint = "tcp://0.0.0.0:7410"
    /// Violations and sanctions as they are decided (PUB).
    public var eventsEndpoint = "tcp://0.0.0.0:7411"
    /// The registry's `events` PUB and `sync` ROUTER, and its key.
    public var registryEventsEndpoint: String
    public var registrySyncEndpoint: String
    /// The registry's `api`, where sanctions take effect (suspension, expulsion, their lifting); empty: none sent.
    public var registryAPIEndpoint = ""
    public var registryKey: CurveKey
    /// This service's identity toward the registry.
    public var keyPair: CurveKeyPair
    /// Parties known before the registry's event log names them (admin, services), as for the registry.
    public var bootstrapFile: URL?
    /// The program policy file (thresholds and squatting limits), as for the registry; nil: the built-in policy.
    public var policyFile: URL?
    /// The clock, in seconds since the Unix epoch (review deadlines, detection times).
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(
        dataDirectory: URL, registryEventsEndpoint: String, registrySyncEndpoint: String, registryKey: CurveKey,
        keyPair: CurveKeyPair
    ) {
        self.dataDirectory = dataDirectory
        self.registryEventsEndpoint = registryEventsEndpoint
        self.registrySyncEndpoint = registrySyncEndpoint
        self.registryKey = registryKey
        self.keyPair = keyPair
    }

    var databaseFile: URL { dataDirectory.appendingPathComponent("enforcement.sqlite") }
    var serverKeyFile: URL { dataDirectory.appendingPathComponent("server.key") }
    public var endpointsFile: URL { dataDirectory.appendingPathComponent("endpoints.json") }
}
