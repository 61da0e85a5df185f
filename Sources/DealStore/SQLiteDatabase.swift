import Foundation
import GRDB
import GRDBSQLite

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

    /// Binds and steps GRDB's cached statement through SQLite's own API: GRDB's `StatementArguments` (an array of
    /// existentials mapped by unspecialised generic code) and its per-statement hooks took a third of the
    /// registry's time in SQL besides SQLite's own (callgrind: 6,000 instructions a statement for the arguments
    /// alone, ten statements a registration). Nothing here needs those hooks: dealreg observes no transactions,
    /// and every statement runs inside GRDB's access to the connection, which this connection is.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        let statement = try db.cachedStatement(sql: sql)
        let handle = statement.sqliteStatement
        let connection = db.sqliteConnection
        func check(_ code: Int32) throws {
            guard code != SQLITE_OK else { return }
            sqlite3_reset(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                sql: sql)
        }
        // A previous failed step leaves its code in reset's answer, not a reason to refuse this one.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard arguments.count == Int(sqlite3_bind_parameter_count(handle)) else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "\(arguments.count) arguments for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql
            )
        }
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: try check(sqlite3_bind_null(handle, index))
            case .integer(let value): try check(sqlite3_bind_int64(handle, index, value))
            case .real(let value): try check(sqlite3_bind_double(handle, index, value))
            case .text(var value):
                try check(
                    value.withUTF8 { text in
                        // An empty buffer may have no address, which SQLite would bind as NULL.
                        text.isEmpty
                            ? sqlite3_bind_text(handle, index, "", 0, nil)
                            : sqlite3_bind_text(
                                handle, index, UnsafeRawPointer(text.baseAddress!).assumingMemoryBound(to: CChar.self),
                                Int32(text.count), Self.transient)
                    })
            case .blob(let value):
                try check(
                    value.isEmpty
                        ? sqlite3_bind_zeroblob(handle, index, 0)
                        : value.withUnsafeBytes {
                            sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), Self.transient)
                        })
            }
        }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE:
                sqlite3_reset(handle)
                return Int(sqlite3_changes(connection))
            case SQLITE_ROW: continue
            case let code: try check(code)
            }
        }
    }

    /// SQLite copies what it binds with this destructor: the Swift buffers only live for the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func executeScript(_ sql: String) throws { try db.execute(sql: sql) }

    func cursor(_ sql: String, _ arguments: [SQLValue]) throws -> any SQLCursor {
        let statement = try db.cachedStatement(sql: sql)
        let columns = SQLColumns(statement.columnNames)
        return SQLiteCursor(try Row.fetchCursor(statement, arguments: Self.arguments(arguments)), columns: columns)
    }

    /// Through GRDB's initializer of optional existentials: the one of a sequence of `DatabaseValue`s maps them
    /// with a key path, which GRDB (not inlinable) instantiates on every call (18,600 instructions a statement
    /// against 6,000 this way).
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
