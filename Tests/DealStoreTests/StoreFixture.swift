import DealStore
import DealTestSupport
import Foundation

/// A fresh store on one engine for one test: an SQLite file in a new temporary folder, or a new schema in the shared
/// throwaway PostgreSQL server. `open` it (as often as the test likes), `remove()` it at the end.
struct StoreFixture {
    let engine: SQLEngine
    let location: StoreLocation
    let schema: String
    private let server: ThrowawayPostgres?

    init(_ engine: SQLEngine, server: ThrowawayPostgres? = nil) throws {
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

    /// Runs `body` on a fresh store of `engine` (on `server`, or the shared one), closed and removed afterwards.
    static func withStore<T>(
        _ engine: SQLEngine, server: ThrowawayPostgres? = nil, _ body: (any SQLDatabase) throws -> T
    ) throws -> T {
        let fixture = try StoreFixture(engine, server: server)
        defer { fixture.remove() }
        let database = try fixture.open()
        defer { database.close() }
        return try body(database)
    }

    func open(_ migrations: StoreMigrations = .items) throws -> any SQLDatabase {
        try StoreDatabases.open(
            location, schema: schema, migrations: migrations, mustExist: false, applicationName: "dealreg-tests")
    }

    func remove() {
        switch location {
        case .sqlite(let file): try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
        case .postgres: try? server?.dropSchema(schema)
        }
    }
}

extension StoreMigrations {
    /// One table with a column of every storage class, a unique name, and a trigger that refuses a name of "forbidden"
    /// the way the registry's one-winner trigger refuses a second winner.
    static let items = StoreMigrations(
        sqlite: [
            """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, amount INTEGER, ratio REAL, body BLOB);
            CREATE TRIGGER items_forbidden BEFORE INSERT ON items WHEN NEW.name = 'forbidden'
            BEGIN SELECT RAISE(ABORT, 'forbidden is refused'); END;
            """
        ],
        postgres: [
            """
            CREATE TABLE items (
                id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, amount BIGINT, ratio DOUBLE PRECISION, body BYTEA);
            CREATE FUNCTION items_forbidden() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.name = 'forbidden' THEN
                    RAISE EXCEPTION 'forbidden is refused' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER items_forbidden BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_forbidden();
            """
        ])
}
