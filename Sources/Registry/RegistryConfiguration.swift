import DealBus
import DealModel
import DealStore
import Foundation

/// Everything the registry needs to run, with working defaults; `dealreg-registry` fills it from its settings
/// (`init(settings:)`, keys in `Keys`). A value; `Sendable`.
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
    /// The Ed25519 key the registry signs its ledger heads with (`LedgerKey`), created on first start; outside the
    /// data directory, so that whoever can write the database cannot sign. Default: `keys/registry-ledger.key`
    /// beside the data directory (the local cluster's keys folder).
    public var ledgerKeyFile: URL?
    /// Where the store is (`--store`): nil for `registry.sqlite` in the data directory. On PostgreSQL any number of
    /// registry processes may share it: the one holding the lease serves, the others wait as standbys, unbound.
    public var store: StoreLocation?
    /// Where the registry writes its endpoints once it serves, when not `endpoints.json` in the data directory: the
    /// registries of one failover group sharing a folder each write their own, beside the group's list.
    public var announceFile: URL?
    /// This process's name among the registries of one store, shown by `status`.
    public var instance = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    /// The clock, in seconds since the Unix epoch.
    public var now: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    var databaseFile: URL { dataDirectory.appendingPathComponent("registry.sqlite") }
    var serverKeyFile: URL { dataDirectory.appendingPathComponent("server.key") }
    /// `ledgerKeyFile`, or its default beside the data directory.
    public var ledgerKey: URL {
        ledgerKeyFile
            ?? dataDirectory.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(
                "keys/registry-ledger.key")
    }
    public var endpointsFile: URL { announceFile ?? dataDirectory.appendingPathComponent("endpoints.json") }
    /// Where the store is: `store`, its password filled in, or the SQLite file in the data directory.
    public var storeLocation: StoreLocation { store ?? .sqlite(databaseFile) }
}

extension RegistryConfiguration {
    /// The keys of `dealreg-registry`'s settings (`--name`, `DEALREG_REGISTRY_NAME`, `name = …`), each with its help;
    /// the defaults shown are the fields' own.
    public enum Keys {
        private static let defaults = RegistryConfiguration(dataDirectory: URL(fileURLWithPath: "/"))

        public static let data = SettingKey(
            "data", .path("dir"), "Data directory (database, server key, endpoints.json).", required: true)
        public static let api = SettingKey(
            "api", .text("endpoint"), "api ROUTER endpoint.", default: defaults.apiEndpoint)
        public static let work = SettingKey(
            "work", .text("endpoint"), "work ROUTER endpoint for check workers.", default: defaults.workEndpoint)
        public static let events = SettingKey(
            "events", .text("endpoint"), "events PUB endpoint.", default: defaults.eventsEndpoint)
        public static let sync = SettingKey(
            "sync", .text("endpoint"), "sync ROUTER endpoint.", default: defaults.syncEndpoint)
        public static let bootstrap = SettingKey(
            "bootstrap", .path("file"), "JSON file of admin and service parties to upsert at start.")
        public static let checkTimeout = SettingKey(
            "check-timeout", .integer("seconds", 1...86_400), "Seconds a registration may wait for a check worker.",
            default: "\(defaults.checkTimeout.components.seconds)")
        public static let maxQueued = SettingKey(
            "max-queued", .integer("count", 1...10_000_000),
            "Registrations waiting for a worker beyond which new ones get OVERLOADED.",
            default: "\(defaults.maximumQueuedChecks)")
        public static let policy = SettingKey(
            "policy", .path("file"),
            "Program policy file (JSON; see `dealreg policy check`). Without it: the built-in policy.")

        public static let ledgerKey = SettingKey(
            "ledger-key", .path("file"),
            "Ed25519 key signing the ledger's heads (created if missing; keep it outside the data directory). "
                + "Default: keys/registry-ledger.key beside the data directory.")

        /// The name of this process among the registries of one PostgreSQL store (`status` shows the active one).
        public static let instance = SettingKey(
            "instance", .text("name"), "This registry's name among those of one store. Default: HOST:PID.")

        public static let announce = SettingKey(
            "announce", .path("file"),
            "File the registry writes its endpoints to once it serves. Default: endpoints.json in the data directory.")

        /// Every key, in the order `--help` lists them.
        public static let all = [
            data, api, work, events, sync, bootstrap, checkTimeout, maxQueued, policy, ledgerKey, SettingKey.store,
            SettingKey.storePasswordFile, instance, announce, SettingKey.clockOffsetFile,
        ]
    }

    /// The configuration `settings` describe: each key that a source sets replaces the field's default.
    public init(settings: ServiceSettings) throws(SettingsError) {
        self.init(dataDirectory: try settings.requiredPath(Keys.data))
        apiEndpoint = try settings.text(Keys.api) ?? apiEndpoint
        workEndpoint = try settings.text(Keys.work) ?? workEndpoint
        eventsEndpoint = try settings.text(Keys.events) ?? eventsEndpoint
        syncEndpoint = try settings.text(Keys.sync) ?? syncEndpoint
        bootstrapFile = try settings.path(Keys.bootstrap) ?? bootstrapFile
        checkTimeout = try settings.integer(Keys.checkTimeout).map { .seconds($0) } ?? checkTimeout
        maximumQueuedChecks = try settings.integer(Keys.maxQueued) ?? maximumQueuedChecks
        policyFile = try settings.path(Keys.policy) ?? policyFile
        ledgerKeyFile = try settings.path(Keys.ledgerKey) ?? ledgerKeyFile
        let passwordFile = try settings.path(SettingKey.storePasswordFile)
        store = try settings.parsed(SettingKey.store) { try StoreLocation.resolve($0, passwordFile: passwordFile) }
        instance = try settings.text(Keys.instance) ?? instance
        announceFile = try settings.path(Keys.announce) ?? announceFile
        if let file = try settings.path(SettingKey.clockOffsetFile) {
            let clock = OffsetClock(file: file)
            now = { clock.now() }
        }
    }
}
