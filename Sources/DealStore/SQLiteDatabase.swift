import Foundation
import GRDB

/// The SQLite engine: one file per service through GRDB (`DurableDatabase`: WAL, `synchronous = FULL`), or a database
/// in memory for a core's unit tests. Thread-safe through GRDB's serialized queue.
public final class SQLiteDatabase: SQLDatabase {
    public let queue: DatabaseQueue
    public var engine: SQLEngine { .sqlite }

    public init(_ queue: DatabaseQueue) { self.queue = queue }

    /// Outside a transaction: nothing else writes through this queue meanwhile. Not GRDB's `read`, which sets
    /// `PRAGMA query_only` on and off around each access: a flag pragma expires every prepared statement of the
    /// connection, so each read made the next commit prepare all its statements again (7 % of the registry's CPU).
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try Self.mapped { try queue.inDatabase { db in try body(SQLiteConnection(db)) } }
    }

    /// One deferred transaction: every statement of `body` reads the same committed state.
    public func snapshot<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try Self.mapped {
            try queue.inDatabase { db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(SQLiteConnection(db))
                    return .commit
                }
                return result!
            }
        }
    }

    public func write<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try Self.mapped { try queue.write { db in try body(SQLiteConnection(db)) } }
    }

    /// Numbered "v1", "v2", … in GRDB's own table, as every SQLite store of dealreg has been migrated since v1.
    public func migrate(_ migrations: [String]) throws {
        var migrator = DatabaseMigrator()
        for (index, script) in migrations.enumerated() {
            migrator.registerMigration("v\(index + 1)") { db in try db.execute(sql: script) }
        }
        try Self.mapped { try migrator.migrate(queue) }
    }

    public func close() { try? queue.close() }

    /// GRDB's errors as the engine-neutral ones: a storage fault, or a statement refused.
    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            if let fault = StorageFault(error) { throw fault }
            throw SQLStatementError(
                code: "\(error.extendedResultCode.rawValue)", description: "\(error)",
                isConstraint: error.resultCode == .SQLITE_CONSTRAINT)
        }
    }
}

/// A GRDB `Database` as an `SQLConnection`: statements cached by their text. Not thread-safe; valid inside its
/// access.
final class SQLiteConnection: SQLConnection {
    let db: Database
    var engine: SQLEngine { .sqlite }

    init(_ db: Database) { self.db = db }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func executeScript(_ sql: String) throws { try db.execute(sql: sql) }

    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> any SQLCursor {
        let statement = try db.cachedStatement(sql: sql)
        let columns = SQLColumns(statement.columnNames)
        return SQLiteCursor(try Row.fetchCursor(statement, arguments: Self.arguments(arguments)), columns: columns)
    }

    /// Through GRDB's initializer of optional existentials: the one of a sequence of `DatabaseValue`s maps them
    /// with a key path, which GRDB (not inlinable) instantiates on every call: 18,600 instructions per statement,
    /// 10 % of the registry's, where this takes a few hundred.
    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(
            values.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: nil
                case .integer(let value): value
                case .real(let value): value
                case .text(let value): value
                case .blob(let value): Data(value)
                }
            })
    }
}

/// A GRDB row cursor yielding `SQLRow`s. Not thread-safe.
final class SQLiteCursor: SQLCursor {
    private let rows: RowCursor
    private let columns: SQLColumns

    init(_ rows: RowCursor, columns: SQLColumns) {
        self.rows = rows
        self.columns = columns
    }

    func next() throws -> SQLRow? {
        guard let row = try rows.next() else { return nil }
        return SQLRow(
            columns: columns,
            values: row.databaseValues.map { value in
                switch value.storage {
                case .null: .null
                case .int64(let value): .integer(value)
                case .double(let value): .real(value)
                case .string(let value): .text(value)
                case .blob(let value): .blob([UInt8](value))
                }
            })
    }
}
