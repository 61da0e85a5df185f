import DealModel
import ZeroMQ

/// What a check worker needs: where the registry is, who the worker is, and how much it takes at once.
/// A value; `Sendable`.
public struct CheckWorkerConfiguration: Sendable {
    /// The registry's `work` ROUTER.
    public var workEndpoint: String
    /// The registry's `events` PUB.
    public var eventsEndpoint: String
    /// The registry's `sync` ROUTER.
    public var syncEndpoint: String
    /// The registry's CURVE public key.
    public var registryKey: CurveKey
    /// This worker's service identity.
    public var keyPair: CurveKeyPair
    /// Checks the worker accepts at once (its credit).
    public var capacity = 64
    /// A name for the registry's logs.
    public var name: String
    public var policy = ProgramPolicy()
    public var heartbeatInterval: Duration = .seconds(1)
    /// The registry silent this long: reconnect and announce again.
    public var registryTimeout: Duration = .seconds(3)

    public init(
        workEndpoint: String, eventsEndpoint: String, syncEndpoint: String, registryKey: CurveKey,
        keyPair: CurveKeyPair, name: String
    ) {
        self.workEndpoint = workEndpoint
        self.eventsEndpoint = eventsEndpoint
        self.syncEndpoint = syncEndpoint
        self.registryKey = registryKey
        self.keyPair = keyPair
        self.name = name
    }
}
