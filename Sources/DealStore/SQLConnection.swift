/// Which SQL engine a connection speaks to: what the few statements that differ (schemas, `EXISTS` as a value) are
/// written for. A value; `Sendable`.
public enum SQLEngine: String, Sendable {
    case sqlite
    case postgres
}

/// A connection inside one `SQLDatabase.read`, `snapshot` or `write`, valid only there. Statements use `?`
/// placeholders on both engines (the PostgreSQL engine numbers them), and each statement is prepared once per
/// connection and cached by its text. Not thread-safe: used by the thread that called `read` or `write`.
public protocol SQLConnection: AnyObject {
    var engine: SQLEngine { get }

    /// Runs one statement; returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int

    /// Runs a script of statements separated by semicolons, without arguments (a migration).
    func executeScript(_ sql: String) throws

    /// The rows of one query, read as they are asked for: a long result (an audit's pass over the log) is never
    /// held whole. Another statement may run on this connection while the cursor is open.
    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> any SQLCursor
}

/// Rows read one at a time (`next()` returns nil after the last). Not thread-safe; valid inside the access that
/// opened it.
public protocol SQLCursor: AnyObject {
    func next() throws -> SQLRow?
}

extension SQLConnection {
    @discardableResult
    public func execute(_ sql: String, _ arguments: SQLValue...) throws -> Int { try execute(sql, arguments) }

    /// Every row of a query.
    public func fetchAll(_ sql: String, _ arguments: [SQLValue] = []) throws -> [SQLRow] {
        let rows = try cursor(sql, arguments)
        var all: [SQLRow] = []
        while let row = try rows.next() { all.append(row) }
        return all
    }

    /// The first row of a query, nil when it has none.
    public func fetchOne(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLRow? {
        try cursor(sql, arguments).next()
    }

    /// The first column of the first row, converted; nil when there is no row or the value is NULL.
    public func fetchValue<T: SQLValueConvertible>(_ sql: String, _ arguments: [SQLValue] = []) throws -> T? {
        try fetchOne(sql, arguments).flatMap { $0.values.first.flatMap(T.init(sqlValue:)) }
    }

    /// The first column of every row, converted (rows whose value does not convert are left out).
    public func fetchColumn<T: SQLValueConvertible>(_ sql: String, _ arguments: [SQLValue] = []) throws -> [T] {
        try fetchAll(sql, arguments).compactMap { $0.values.first.flatMap(T.init(sqlValue:)) }
    }

    /// Whether the query returns a row.
    public func exists(_ sql: String, _ arguments: [SQLValue] = []) throws -> Bool {
        try fetchOne(sql, arguments) != nil
    }
}
