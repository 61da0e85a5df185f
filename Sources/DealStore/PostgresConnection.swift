/// The `SQLConnection` one `PostgresDatabase` access hands its body: statements on the database's libpq session,
/// inside the access's transaction when it has one. The transaction's `BEGIN` and the `CLOSE` of finished cursors
/// wait to travel in the pipeline of the next statement, so that most statements cost one round trip. Not
/// thread-safe; valid inside its access.
final class PostgresConnection: SQLConnection {
    /// Rows one `FETCH` asks a server-side cursor for.
    static let fetchSize = 512

    var engine: SQLEngine { .postgres }
    private let session: LibPQConnection
    private let isTransaction: Bool
    /// Statements without arguments to send ahead of the next one.
    private var pending: [String]
    /// Whether `BEGIN` was sent: the access ends with COMMIT or ROLLBACK.
    private var began = false
    private var isOpen = true
    private var cursorCount = 0

    /// A connection for one access; `begin` opens its transaction, nil for statements in autocommit.
    init(_ session: LibPQConnection, begin: String?) {
        self.session = session
        isTransaction = begin != nil
        pending = begin.map { [$0] } ?? []
    }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        let statement = try session.statement(sql)
        return try send([.prepared(statement, PostgresParameters(arguments, for: statement))])[0].affectedRows
    }

    func executeScript(_ sql: String) throws {
        precondition(isOpen, "an SQLConnection used after its access ended")
        if !pending.isEmpty { _ = try send([]) }
        try session.run(sql)
    }

    /// Inside `snapshot` or `write`, a query streams through a server-side cursor; inside `read` (no transaction),
    /// its whole result is held, so a long read belongs in `snapshot`.
    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> any SQLCursor {
        let statement = try session.statement(sql)
        if let column = statement.unreadableColumn {
            throw SQLStatementError(
                code: "",
                description: "column \(column.name) of `\(sql)` is of PostgreSQL type "
                    + "\(PostgresValueCodec.typeName(column.type)), which dealreg does not read: cast it to bigint, "
                    + "double precision, text or bytea",
                isConstraint: false)
        }
        let parameters = try PostgresParameters(arguments, for: statement)
        guard isTransaction, statement.isQuery else {
            return PostgresCursor(try send([.prepared(statement, parameters)])[0], columns: statement.columns)
        }
        cursorCount += 1
        let name = "c\(cursorCount)"
        let declare = "DECLARE \(name) NO SCROLL CURSOR FOR \(statement.numbered)"
        let first = try send([.query(declare, parameters), Self.fetch(name)])[1]
        return PostgresCursor(first, columns: statement.columns, name: name, connection: self)
    }

    /// The next rows of cursor `name`.
    func fetch(_ name: String) throws -> PostgresResult { try send([Self.fetch(name)])[0] }

    /// Closes cursor `name` with the next statement; nothing to do once the transaction has ended, which closed it.
    func close(_ name: String) {
        if isOpen { pending.append("CLOSE \(name)") }
    }

    /// Ends the access: commits its transaction. A transaction in which a statement failed is rolled back and
    /// reported, since PostgreSQL would answer its COMMIT with a silent ROLLBACK. A COMMIT lost with the connection
    /// throws a `StorageFault` whose outcome is unknown: the caller reads the state again.
    func commit() throws {
        isOpen = false
        guard began else { return }
        if session.isTransactionFailed {
            try session.run("ROLLBACK")
            throw SQLStatementError(
                code: "25P02", description: "a statement failed inside the transaction, so it was rolled back",
                isConstraint: false)
        }
        try session.run("COMMIT")
    }

    /// Ends the access after its body threw: rolls its transaction back, if the connection still holds one (a broken
    /// one is reconnected by the next access).
    func rollback() {
        isOpen = false
        if began, session.isInTransaction { _ = try? session.run("ROLLBACK") }
    }

    private func send(_ requests: [LibPQConnection.Request]) throws -> [PostgresResult] {
        precondition(isOpen, "an SQLConnection used after its access ended")
        let ahead = pending.map { LibPQConnection.Request.query($0, .none) }
        pending.removeAll()
        began = began || isTransaction
        let results = try session.pipeline(ahead + requests)
        return Array(results.dropFirst(ahead.count))
    }

    private static func fetch(_ name: String) -> LibPQConnection.Request {
        .query("FETCH \(fetchSize) FROM \(name)", .none)
    }
}
