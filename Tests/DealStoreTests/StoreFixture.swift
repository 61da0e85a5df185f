import DealStore
import DealTestSupport

/// The engine layer's tests take a fresh store of their own on each engine, opened with the `items` table.
typealias StoreFixture = ScratchStore

extension ScratchStore {
    /// Runs `body` on a fresh store of `engine` (on `server`, or the shared one) with the `items` table, closed and
    /// removed afterwards.
    static func withStore<T>(
        _ engine: SQLEngine, server: ThrowawayPostgres? = nil, _ body: (any SQLDatabase) throws -> T
    ) throws -> T {
        let fixture = try StoreFixture(engine, server: server)
        defer { fixture.remove() }
        let database = try fixture.open(.items)
        defer { database.close() }
        return try body(database)
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
