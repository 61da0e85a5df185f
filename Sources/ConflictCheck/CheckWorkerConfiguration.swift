import DealBus
import DealModel
import Foundation
import ZeroMQ

/// What a check worker needs: where the registry is, who the worker is, and how much it takes at once;
/// `dealreg-check` fills it from its settings (`init(settings:)`, keys in `Keys`). A value; `Sendable`.
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
    public var capacity = Self.defaultCapacity
    public static let defaultCapacity = 64
    /// A name for the registry's logs.
    public var name: String
    /// The name a worker takes when none is given: its process id.
    public static var defaultName: String { "check-\(ProcessInfo.processInfo.processIdentifier)" }
    public var policy = ProgramPolicy()
    public var heartbeatInterval: Duration = .seconds(1)
    /// The registry silent this long: reconnect and announce again.
    public var registryTimeout: Duration = .seconds(3)
    /// Where the host's index snapshot is kept (shared by its workers); nil: none, every start replays the log.
    public var snapshotDirectory: URL?
    /// A snapshot is written once the index is this many events ahead of the last one (and at least
    /// `snapshotInterval` after it); nil: 2 % of the index's entries, at least 5,000. Writing one costs about 2 s
    /// of a core and 276 MB at a million accounts, which a 2-core host under load feels in its latency.
    public var snapshotEvents: UInt64?
    public var snapshotInterval: Duration = .seconds(60)

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

extension CheckWorkerConfiguration {
    /// The keys of `dealreg-check`'s settings (`--name`, `DEALREG_CHECK_NAME`, `name = …`), each with its help.
    /// The registry is found through its `endpoints.json`, each of its endpoints and its key overriding the file's.
    public enum Keys {
        public static let registryEndpoints = SettingKey(
            "registry-endpoints", .path("file"), "The registry's endpoints.json (endpoints and key).")
        public static let registryWork = SettingKey("registry-work", .text("endpoint"), "The registry's work endpoint.")
        public static let registryEvents = SettingKey(
            "registry-events", .text("endpoint"), "The registry's events endpoint.")
        public static let registrySync = SettingKey("registry-sync", .text("endpoint"), "The registry's sync endpoint.")
        public static let registryKey = SettingKey("registry-key", .curveKey, "The registry's CURVE public key (Z85).")
        public static let key = SettingKey(
            "key", .path("file"), "This worker's identity file (a service principal's key).", required: true)
        public static let capacity = SettingKey(
            "capacity", .integer("count", 1...100_000), "Checks held at once.",
            default: "\(CheckWorkerConfiguration.defaultCapacity)")
        public static let name = SettingKey(
            "name", .text("name"), "Name in the registry's logs.", default: "check-<pid>")
        public static let snapshots = SettingKey(
            "snapshots", .path("folder"),
            "Where the host's index snapshot is kept, shared by its workers: a worker starts from it and replays only "
                + "the events after it.")

        /// Every key, in the order `--help` lists them.
        public static let all = [
            registryEndpoints, registryWork, registryEvents, registrySync, registryKey, key, capacity, name,
            snapshots,
        ]
    }

    /// The configuration `settings` describe; reads the registry's endpoints file and the worker's key file.
    public init(settings: ServiceSettings) throws {
        let registry = try RegistryAddress.resolve(
            endpointsFile: settings.path(Keys.registryEndpoints)?.path, work: settings.text(Keys.registryWork),
            events: settings.text(Keys.registryEvents), sync: settings.text(Keys.registrySync),
            key: settings.curveKey(Keys.registryKey)?.z85)
        try registry.require("work", "events", "sync")
        let keyPair = try settings.keyPair(Keys.key)
        self.init(
            workEndpoint: registry.work, eventsEndpoint: registry.events, syncEndpoint: registry.sync,
            registryKey: registry.key, keyPair: keyPair, name: try settings.text(Keys.name) ?? Self.defaultName)
        capacity = try settings.integer(Keys.capacity) ?? capacity
        snapshotDirectory = try settings.path(Keys.snapshots)
    }
}
