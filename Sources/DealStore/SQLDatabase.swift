/// A service's database on one of the two engines (`SQLiteDatabase`, `PostgresDatabase`): reads, consistent
/// snapshots and durable write transactions, each handing the caller a connection. Not thread-safe unless the engine
/// says so: a service uses its database from its reactor thread, and readers beside it (an audit) open their own.
public protocol SQLDatabase: AnyObject {
    var engine: SQLEngine { get }

    /// Runs `body` on committed data; statements may see commits made between them (one statement is consistent).
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// Runs `body` on one consistent snapshot of committed data, however long it reads (an audit).
    func snapshot<T>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// Runs `body` in one transaction and commits it: when `write` returns, the transaction is durable on the server
    /// (fsynced on SQLite, committed with synchronous commit on PostgreSQL). A throw rolls everything back.
    func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T

    /// Applies the numbered migrations not yet applied, each once and in order, in one transaction each.
    func migrate(_ migrations: [String]) throws

    /// Closes the connection; the database is unusable afterwards.
    func close()
}

/// A statement the engine refused: a constraint (a unique key, the one-winner trigger), a syntax error, a type. The
/// transaction was rolled back. A value; `Sendable`.
public struct SQLStatementError: Error, CustomStringConvertible, Sendable {
    /// The engine's code: SQLite's extended result code, or PostgreSQL's SQLSTATE.
    public var code: String
    /// What the engine said, and the statement.
    public var description: String
    /// Whether a constraint refused it (SQLite's SQLITE_CONSTRAINT, PostgreSQL's class 23, or a trigger's RAISE).
    public var isConstraint: Bool

    public init(code: String, description: String, isConstraint: Bool) {
        self.code = code
        self.description = description
        self.isConstraint = isConstraint
    }
}
