/// A store's numbered schema migrations, written once per engine: the SQL of both is close but not the same (`BLOB`
/// or `BYTEA`, `INTEGER PRIMARY KEY` or `BIGINT`). A value; `Sendable`.
public struct StoreMigrations: Sendable {
    public var sqlite: [String]
    public var postgres: [String]

    public init(sqlite: [String], postgres: [String]) {
        self.sqlite = sqlite
        self.postgres = postgres
    }
}
