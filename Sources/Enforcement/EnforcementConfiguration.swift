import DealBus
import DealStore
import Foundation
import ZeroMQ

/// What the enforcement service needs, with working defaults for its own sockets; `dealreg-enforce` fills it from
/// its settings (`init(settings:)`, keys in `Keys`). A value; `Sendable`.
public struct EnforcementConfiguration: Sendable {
    /// Holds `enforcement.sqlite`, `server.key` (created on first start) and `endpoints.json`.
    public var dataDirectory: URL
    /// Request socket for officers and tools (ROUTER).
    public var apiEndpoint = Self.defaultAPIEndpoint
    public static let defaultAPIEndpoint = "tcp://0.0.0.0:7410"
    /// Violations and sanctions as they are decided (PUB).
    public var eventsEndpoint = Self.defaultEventsEndpoint
    public static let defaultEventsEndpoint = "tcp://0.0.0.0:7411"
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
    /// The Ed25519 key enforcement signs its ledger heads with (`LedgerKey`), created on first start; outside the
    /// data directory. Default: `keys/enforcement-ledger.key` beside the data directory.
    public var ledgerKeyFile: URL?
    /// Where the store is (`--store`): nil for `enforcement.sqlite` in the data directory; on PostgreSQL, the
    /// schema `enforcement` of the database named.
    public var store: StoreLocation?
    /// Where enforcement keeps its index snapshot (`enforcement-index.snapshot`): the accounts' index as of its
    /// committed cursor, written every minute or so while live and at a graceful stop, from which a restart starts
    /// instead of indexing every registration of the store. Nil: the data directory.
    public var snapshotDirectory: URL?
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
    /// Where the store is: `store`, or the SQLite file in the data directory.
    public var storeLocation: StoreLocation { store ?? .sqlite(databaseFile) }
    var serverKeyFile: URL { dataDirectory.appendingPathComponent("server.key") }
    /// The index snapshot's file: in `snapshotDirectory`, or the data directory.
    public var snapshotFile: IndexSnapshotFile {
        IndexSnapshotFile(
            directory: snapshotDirectory ?? dataDirectory, fileName: IndexSnapshotFile.enforcementFileName)
    }
    /// `ledgerKeyFile`, or its default beside the data directory.
    public var ledgerKey: URL {
        ledgerKeyFile
            ?? dataDirectory.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(
                "keys/enforcement-ledger.key")
    }
    public var endpointsFile: URL { dataDirectory.appendingPathComponent("endpoints.json") }
}

extension EnforcementConfiguration {
    /// The keys of `dealreg-enforce`'s settings (`--name`, `DEALREG_ENFORCE_NAME`, `name = …`), each with its help;
    /// the defaults shown are the fields' own. The registry is found as by a check worker.
    public enum Keys {
        public static let data = SettingKey(
            "data", .path("dir"), "Data directory (database, server key, endpoints.json).", required: true)
        public static let api = SettingKey(
            "api", .text("endpoint"), "api ROUTER endpoint.", default: EnforcementConfiguration.defaultAPIEndpoint)
        public static let events = SettingKey(
            "events", .text("endpoint"), "events PUB endpoint.",
            default: EnforcementConfiguration.defaultEventsEndpoint)
        public static let registryEndpoints = SettingKey(
            "registry-endpoints", .path("file"), "The registry's endpoints.json (endpoints and key).")
        public static let registryEvents = SettingKey(
            "registry-events", .text("endpoint"), "The registry's events endpoint.")
        public static let registrySync = SettingKey("registry-sync", .text("endpoint"), "The registry's sync endpoint.")
        public static let registryAPI = SettingKey(
            "registry-api", .text("endpoint"), "The registry's api endpoint (sanctions take effect there).")
        public static let policy = SettingKey(
            "policy", .path("file"), "Program policy file (JSON), as for the registry.")
        public static let registryKey = SettingKey("registry-key", .curveKey, "The registry's CURVE public key (Z85).")
        public static let key = SettingKey("key", .path("file"), "This service's identity file.", required: true)
        public static let bootstrap = SettingKey(
            "bootstrap", .path("file"), "JSON file of admin and service parties known at start.")
        public static let ledgerKey = SettingKey(
            "ledger-key", .path("file"),
            "Ed25519 key signing the ledger's heads (created if missing; keep it outside the data directory). "
                + "Default: keys/enforcement-ledger.key beside the data directory.")
        public static let snapshots = SettingKey(
            "snapshots", .path("folder"),
            "Where enforcement keeps its index snapshot, which a restart starts from (reading only what the store "
                + "changed after it). Default: the data directory.")

        /// Every key, in the order `--help` lists them.
        public static let all = [
            data, api, events, registryEndpoints, registryEvents, registrySync, registryAPI, policy, registryKey, key,
            bootstrap, ledgerKey, snapshots, SettingKey.store, SettingKey.storePasswordFile, SettingKey.clockOffsetFile,
        ]
    }

    /// The configuration `settings` describe; reads the registry's endpoints file and the service's key file.
    public init(settings: ServiceSettings) throws {
        let dataDirectory = try settings.requiredPath(Keys.data)
        let registry = try RegistryAddress.resolve(
            endpointsFile: settings.path(Keys.registryEndpoints)?.path, api: settings.text(Keys.registryAPI),
            events: settings.text(Keys.registryEvents), sync: settings.text(Keys.registrySync),
            key: settings.curveKey(Keys.registryKey)?.z85)
        try registry.require("events", "sync")
        let keyPair = try settings.keyPair(Keys.key)
        self.init(
            dataDirectory: dataDirectory, registryEventsEndpoint: registry.events,
            registrySyncEndpoint: registry.sync, registryKey: registry.key, keyPair: keyPair)
        apiEndpoint = try settings.text(Keys.api) ?? apiEndpoint
        eventsEndpoint = try settings.text(Keys.events) ?? eventsEndpoint
        registryAPIEndpoint = registry.api
        policyFile = try settings.path(Keys.policy) ?? policyFile
        bootstrapFile = try settings.path(Keys.bootstrap) ?? bootstrapFile
        ledgerKeyFile = try settings.path(Keys.ledgerKey) ?? ledgerKeyFile
        snapshotDirectory = try settings.path(Keys.snapshots) ?? snapshotDirectory
        let passwordFile = try settings.path(SettingKey.storePasswordFile)
        store = try settings.parsed(SettingKey.store) { try StoreLocation.resolve($0, passwordFile: passwordFile) }
        if let file = try settings.path(SettingKey.clockOffsetFile) {
            let clock = OffsetClock(file: file)
            now = { clock.now() }
        }
    }
}
