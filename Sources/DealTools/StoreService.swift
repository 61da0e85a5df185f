import DealStore
import Enforcement
import Foundation
import Registry

/// A service whose store `dealreg store migrate` moves: its file in a cluster's data directory, the PostgreSQL schema
/// it owns, its migrations on both engines (the service's own), and the hash-chained log whose last entry proves the
/// copy. A value; `Sendable`.
enum StoreService: String, CaseIterable, Sendable {
    case registry
    case enforcement

    /// The schema the service owns in a PostgreSQL database, as it names it at start.
    var schema: String { rawValue }

    /// Its SQLite file in the data directory of `dealreg up --data DIR`.
    func file(inCluster directory: URL) -> URL {
        directory.appendingPathComponent(rawValue).appendingPathComponent("\(rawValue).sqlite")
    }

    /// The table of its hash-chained log (columns `seq` and `hash`).
    var logTable: String {
        switch self {
        case .registry: "events"
        case .enforcement: "ledger"
        }
    }

    var migrations: StoreMigrations {
        switch self {
        case .registry: RegistryStoreSchema.migrations
        case .enforcement: EnforcementStoreSchema.migrations
        }
    }

    /// The service whose file is named like `file` (`registry.sqlite`, `enforcement.sqlite`); nil for another name.
    init?(file: URL) {
        self.init(rawValue: file.deletingPathExtension().lastPathComponent)
        guard file.pathExtension == "sqlite" else { return nil }
    }
}
