import DealStore
import Foundation
import GRDB

/// Moves one service's SQLite store into the service's schema of a PostgreSQL database (`dealreg store migrate`).
/// Making one checks both ends and writes nothing: the file is locked for the whole move (a service running on it, or
/// starting meanwhile, is refused), its migrations must be this release's, and the schema must hold no rows, so that
/// two histories are never merged. `run` creates the schema with the service's own migrations, copies every table
/// column by column in transactions of `batchSize` rows, and checks the copy: the same rows in each table, the same
/// last entry and chain hash in the log. Not thread-safe: used by the thread that made it.
final class StoreMigration {
    /// Rows per PostgreSQL transaction: what a failure loses, and what the server holds uncommitted at once.
    static let batchSize = 1_000
    /// Rows per INSERT, so that a batch costs ten round trips rather than a thousand.
    static let rowsPerStatement = 100

    /// One table copied: its rows, and how long they took.
    struct CopiedTable {
        var name: String
        var rows: Int
        var duration: Duration
    }

    /// What `run` copied and checked.
    struct Outcome {
        var tables: Int
        var rows: Int
        /// The log's last entry (nil when the log is empty), the same on both sides.
        var lastSeq: Int64?
        var lastHash: [UInt8]
    }

    let service: StoreService
    let file: URL
    let location: PostgresLocation
    private let source: SQLiteDatabase
    private let destination: PostgresDatabase
    /// The source's tables and their columns, in the order SQLite lists them.
    private let sourceTables: [(name: String, columns: [String])]

    init(service: StoreService, file: URL, to location: PostgresLocation) throws {
        self.service = service
        self.file = file
        self.location = location
        source = try Self.lock(file)
        let migrations = service.migrations
        sourceTables = try source.read { db in
            let applied: Set<String> =
                try db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'")
                ? Set(try db.fetchColumn("SELECT identifier FROM grdb_migrations") as [String]) : []
            let current = Set((1...migrations.sqlite.count).map { "v\($0)" })
            guard applied.isSubset(of: current) else {
                let unknown = applied.subtracting(current).sorted().joined(separator: ", ")
                throw StoreMigrationError(
                    "\(file.path) was written by a newer release of dealreg (migrations \(unknown)): move it with that "
                        + "release")
            }
            guard applied == current else {
                throw StoreMigrationError(
                    "\(file.path) is not a \(service) store of this release (\(applied.count) of its "
                        + "\(current.count) migrations applied): start the \(service) on it once with this release "
                        + "(it migrates at start), stop it, then move it")
            }
            let names: [String] = try db.fetchColumn(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    + "AND name <> 'grdb_migrations' ORDER BY rowid")
            return try names.map { name in
                (name, try db.fetchColumn("SELECT name FROM pragma_table_info(?)", [.text(name)]) as [String])
            }
        }
        destination = try PostgresDatabase(
            location, schema: service.schema, applicationName: "dealreg store migrate")
        let holding = try destination.read { db in
            try Self.tables(db).filter { $0 != "dealreg_migrations" }.filter { table in
                try db.fetchValue("SELECT EXISTS (SELECT 1 FROM \(Self.quoted(table)))") ?? true
            }
        }
        guard holding.isEmpty else {
            throw StoreMigrationError(
                "the schema \(service.schema) of \(location) already holds rows (in \(holding.joined(separator: ", "))):"
                    + " two histories are never merged. Move the store into an empty schema; if this one holds only "
                    + "an earlier, failed move, drop it first (DROP SCHEMA \(service.schema) CASCADE)")
        }
    }

    deinit {
        source.close()
        destination.close()
    }

    /// Creates the schema, copies every table, calling `copied` after each, and checks the copy.
    func run(copied: (CopiedTable) -> Void) throws -> Outcome {
        try destination.migrate(service.migrations.postgres)
        // The tables the migrations filled (a cursor at 0): the source's rows replace theirs.
        let (columnTypes, seeded) = try destination.read { db in
            var types: [String: [String: String]] = [:]
            var seeded: Set<String> = []
            for table in try Self.tables(db) {
                let columns = try db.fetchAll(
                    """
                    SELECT a.attname::text, t.typname::text FROM pg_attribute a
                    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_type t ON t.oid = a.atttypid
                    WHERE n.nspname = current_schema() AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
                    """, [.text(table)])
                types[table] = Dictionary(uniqueKeysWithValues: columns.map { ($0[0] as String, $0[1] as String) })
                if try db.fetchValue("SELECT EXISTS (SELECT 1 FROM \(Self.quoted(table)))") ?? false {
                    seeded.insert(table)
                }
            }
            return (types, seeded)
        }
        for table in sourceTables {
            guard let types = columnTypes[table.name] else {
                throw StoreMigrationError(
                    "the PostgreSQL schema of the \(service) has no table \(table.name), which \(file.path) has: "
                        + "nothing was copied (drop the schema \(service.schema) before moving the store again)")
            }
            if let missing = table.columns.first(where: { types[$0] == nil }) {
                throw StoreMigrationError(
                    "the PostgreSQL table \(service.schema).\(table.name) has no column \(missing): nothing was copied "
                        + "(drop the schema \(service.schema) before moving the store again)")
            }
        }
        return try source.snapshot { db in
            var rows = 0
            for table in sourceTables {
                let started = ContinuousClock.now
                let count = try copy(
                    table.name, columns: table.columns, types: table.columns.map { columnTypes[table.name]![$0]! },
                    replacingSeed: seeded.contains(table.name), from: db)
                rows += count
                copied(CopiedTable(name: table.name, rows: count, duration: ContinuousClock.now - started))
            }
            return try check(rows: rows, from: db)
        }
    }

    /// Copies one table in batches; returns its rows.
    private func copy(
        _ table: String, columns: [String], types: [String], replacingSeed: Bool, from db: any SQLConnection
    ) throws -> Int {
        let list = columns.map(Self.quoted).joined(separator: ", ")
        let rows = try db.cursor("SELECT \(list) FROM \(Self.quoted(table))", [])
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        func insert(_ count: Int) -> String {
            "INSERT INTO \(Self.quoted(table)) (\(list)) VALUES "
                + Array(repeating: row, count: count).joined(separator: ", ")
        }
        var batch: [[SQLValue]] = []
        var copied = 0
        var isFirst = true
        func commit() throws {
            try destination.write { target in
                if isFirst && replacingSeed { try target.execute("DELETE FROM \(Self.quoted(table))") }
                for start in stride(from: 0, to: batch.count, by: Self.rowsPerStatement) {
                    let statement = batch[start..<min(start + Self.rowsPerStatement, batch.count)]
                    try target.execute(insert(statement.count), statement.flatMap { $0 })
                }
            }
            copied += batch.count
            batch.removeAll(keepingCapacity: true)
            isFirst = false
        }
        do {
            while let next = try rows.next() {
                let row = copied + batch.count
                batch.append(
                    try zip(next.values, zip(columns, types)).map { value, column in
                        try Self.converted(value, to: column.1, at: "\(table).\(column.0)", row: row)
                    })
                if batch.count == Self.batchSize { try commit() }
            }
            if !batch.isEmpty || (isFirst && replacingSeed) { try commit() }
        } catch {
            throw StoreMigrationError(
                "copying \(service.schema).\(table) stopped after \(copied) rows: \(error). The schema "
                    + "\(service.schema) holds a partial copy: drop it (DROP SCHEMA \(service.schema) CASCADE) and "
                    + "move the store again")
        }
        return copied
    }

    /// The same rows in every table on both sides, and the same last entry and chain hash in the log.
    private func check(rows: Int, from db: any SQLConnection) throws -> Outcome {
        let log = Self.quoted(service.logTable)
        let (counts, last) = try destination.snapshot { destination in
            (
                try sourceTables.map { table -> (String, Int, Int) in
                    let count = "SELECT COUNT(*) FROM \(Self.quoted(table.name))"
                    return (table.name, try db.fetchValue(count) ?? -1, try destination.fetchValue(count) ?? -1)
                },
                try destination.fetchOne("SELECT seq, hash FROM \(log) ORDER BY seq DESC LIMIT 1")
            )
        }
        for (table, copied, stored) in counts where copied != stored {
            throw StoreMigrationError(
                "the copy differs: \(service.schema).\(table) has \(stored) rows in PostgreSQL, \(copied) in "
                    + "\(file.path). Drop the schema \(service.schema) and move the store again")
        }
        let original = try db.fetchOne("SELECT seq, hash FROM \(log) ORDER BY seq DESC LIMIT 1")
        let lastSeq = original.map { $0["seq"] as Int64 }
        let lastHash = original.map { $0["hash"] as [UInt8] } ?? []
        guard last.map({ $0["seq"] as Int64 }) == lastSeq, last.map({ $0["hash"] as [UInt8] }) ?? [] == lastHash else {
            throw StoreMigrationError(
                "the copy differs: the last entry of \(service.schema).\(service.logTable) or its chain hash is not "
                    + "the one in \(file.path). Drop the schema \(service.schema) and move the store again")
        }
        return Outcome(tables: counts.count, rows: rows, lastSeq: lastSeq, lastHash: lastHash)
    }

    /// The SQLite file opened with an exclusive lock held until it is closed: SQLite refuses it while a service has
    /// it open (a service's connection keeps a shared lock), and refuses a service starting on it meanwhile.
    private static func lock(_ file: URL) throws -> SQLiteDatabase {
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw StoreMigrationError("\(file.path) does not exist")
        }
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE") }
        do {
            let queue = try DatabaseQueue(path: file.path, configuration: configuration)
            // A write transaction takes the lock even if opening the file read it in the normal mode.
            try queue.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE; COMMIT") }
            return SQLiteDatabase(queue)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        {
            throw StoreMigrationError(
                "\(file.path) is in use (SQLite reports it locked): stop the services using it (dealreg up, "
                    + "dealreg-registry, dealreg-enforce), then move it")
        }
    }

    /// The tables of the connection's schema.
    private static func tables(_ db: any SQLConnection) throws -> [String] {
        try db.fetchColumn(
            """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1
            """)
    }

    /// `value` as a column of PostgreSQL type `type` takes it: SQLite keeps text in a BLOB column and bytes in a
    /// TEXT one, PostgreSQL does not.
    private static func converted(_ value: SQLValue, to type: String, at column: String, row: Int) throws -> SQLValue {
        switch (value, type) {
        case (.text(let text), "bytea"): return .blob(Array(text.utf8))
        case (.blob(let bytes), "text"):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw StoreMigrationError(
                    "\(column) holds bytes that are not UTF-8 in row \(row + 1), which a PostgreSQL text column cannot "
                        + "hold")
            }
            return .text(text)
        default: return value
        }
    }

    /// An SQL identifier in double quotes (both engines).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
