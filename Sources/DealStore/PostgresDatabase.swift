/// The PostgreSQL engine: one libpq connection, a service's own schema in a shared database, statements prepared once
/// and sent with binary values. When the connection breaks (the server restarted, the network failed), the access
/// that saw it throws a `StorageFault` and the next one reconnects first, so a service recovers by itself once the
/// server is back. Not thread-safe: used by one thread (a service's reactor), one access at a time.
public final class PostgresDatabase: SQLDatabase {
    public var engine: SQLEngine { .postgres }
    public let location: PostgresLocation
    /// The schema that holds this service's tables (`registry`, `enforcement`): services never share tables.
    public let schema: String
    private var session: LibPQConnection?
    private var isInAccess = false

    /// Connects, creates `schema` when missing (lowercase letters, digits and underscores) and makes it the only
    /// one statements see, with synchronous commits; throws a `StorageFault` when the server cannot be reached.
    public init(_ location: PostgresLocation, schema: String, applicationName: String) throws {
        precondition(
            !schema.isEmpty && schema.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" },
            "a schema name is lowercase letters, digits and underscores: \(schema)")
        self.location = location
        self.schema = schema
        let session = try LibPQConnection(
            location, applicationName: applicationName,
            setup: "SET client_min_messages TO warning; SET search_path TO \(schema); SET synchronous_commit TO on")
        do {
            try session.run("CREATE SCHEMA IF NOT EXISTS \(schema)")
        } catch let error as SQLStatementError where error.code == "23505" {
            // Another process created it at the same moment.
        }
        self.session = session
    }

    /// The server's version as a number (150004 for 15.4); 0 once closed.
    public var serverVersion: Int { session?.serverVersion ?? 0 }

    /// Runs `SELECT 1`, reconnecting first if need be: a health check.
    public func ping() throws {
        _ = try read { connection -> Int? in try connection.fetchValue("SELECT 1") }
    }

    /// Statements run in autocommit, each consistent on its own; a cursor holds its whole result (a long read
    /// belongs in `snapshot`).
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try access(begin: nil, body) }

    /// A read-only repeatable-read transaction; its cursors stream from the server.
    public func snapshot<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try access(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// A transaction committed with `synchronous_commit = on`. A `StorageFault` from the COMMIT itself (the
    /// connection broke) leaves its outcome unknown: the caller reads the state again.
    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T { try access(begin: "BEGIN", body) }

    /// Versions in `dealreg_migrations` in the schema; each migration not yet applied runs in its own transaction
    /// under an advisory lock on the schema, so that two processes starting together apply it once.
    public func migrate(_ migrations: [String]) throws {
        let applied = try appliedMigrations()
        for (index, script) in migrations.enumerated() where !applied.contains(Int64(index + 1)) {
            let version = Int64(index + 1)
            try write { connection in
                try connection.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
                try connection.executeScript(
                    "CREATE TABLE IF NOT EXISTS dealreg_migrations "
                        + "(version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)")
                guard try !connection.exists("SELECT 1 FROM dealreg_migrations WHERE version = ?", [.integer(version)])
                else { return }
                try connection.executeScript(script)
                try connection.execute(
                    "INSERT INTO dealreg_migrations (version, applied_at) VALUES (?, EXTRACT(EPOCH FROM now())::bigint)",
                    .integer(version))
            }
        }
    }

    /// The migration versions applied to the schema: none in a new one.
    public func appliedMigrations() throws -> Set<Int64> {
        try read { connection in
            guard try connection.fetchValue("SELECT to_regclass('dealreg_migrations') IS NOT NULL") ?? false else {
                return []
            }
            return Set(try connection.fetchColumn("SELECT version FROM dealreg_migrations"))
        }
    }

    public func close() { session = nil }

    private func access<T>(begin: String?, _ body: (any SQLConnection) throws -> T) throws -> T {
        precondition(!isInAccess, "a PostgresDatabase access (read, snapshot, write) inside another")
        guard let session else { preconditionFailure("a PostgresDatabase used after close()") }
        isInAccess = true
        defer { isInAccess = false }
        if !session.isUsable { try session.reconnect() }
        let connection = PostgresConnection(session, begin: begin)
        let value: T
        do {
            value = try body(connection)
        } catch {
            connection.rollback()
            throw error
        }
        try connection.commit()
        return value
    }
}
