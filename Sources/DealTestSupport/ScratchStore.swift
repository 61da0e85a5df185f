import DealStore
import Foundation

/// A fresh, empty store on one engine for one test: an SQLite file in a new temporary folder, or a new schema in a
/// throwaway PostgreSQL server (the shared one unless given). `open` it as often as the test likes; it is removed by
/// `remove()` or when released, whichever comes first. Not thread-safe: one test owns it.
public final class ScratchStore {
    public let engine: SQLEngine
    public let location: StoreLocation
    /// The schema that holds the tables on PostgreSQL; `main` on SQLite.
    public let schema: String
    private let server: ThrowawayPostgres?
    private var isRemoved = false

    public init(_ engine: SQLEngine, server: ThrowawayPostgres? = nil) throws {
        self.engine = engine
        switch engine {
        case .sqlite:
            self.server = nil
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dealstore-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            location = .sqlite(folder.appendingPathComponent("store.sqlite"))
            schema = "main"
        case .postgres:
            let server = try server ?? ThrowawayPostgres.shared()
            self.server = server
            location = .postgres(server.location)
            schema = server.freshSchema()
        }
    }

    deinit { remove() }

    /// The store's database, with `migrations` applied (none by default: a service's store migrates itself).
    public func open(_ migrations: StoreMigrations = StoreMigrations(sqlite: [], postgres: [])) throws
        -> any SQLDatabase
    {
        try StoreDatabases.open(
            location, schema: schema, migrations: migrations, mustExist: false, applicationName: "dealreg-tests")
    }

    /// Removes the SQLite file's folder, or drops the schema; once.
    public func remove() {
        guard !isRemoved else { return }
        isRemoved = true
        switch location {
        case .sqlite(let file): try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
        case .postgres: try? server?.dropSchema(schema)
        }
    }
}
