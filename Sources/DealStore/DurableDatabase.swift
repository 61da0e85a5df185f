import Foundation
import GRDB

/// Why a service's database could not be opened; never answered by creating an empty one in its place.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Opens a service's own SQLite file the one way dealreg stores anything: WAL journal, `synchronous = FULL`
/// (every commit is fsynced before it returns), schema brought up to date by numbered migrations.
public enum DurableDatabase {
    /// `migrations` are SQL scripts applied once each, in order, as "v1", "v2", ... When `mustExist` (the data
    /// directory was used before), a missing file is an error, not a fresh start; an unreadable one always is.
    public static func open(_ file: URL, migrations: [String], mustExist: Bool) throws -> DatabaseQueue {
        guard !mustExist || FileManager.default.fileExists(atPath: file.path) else {
            throw StoreError(
                description:
                    "\(file.path) is missing, but its folder was used before (the server key is there). Nothing was "
                    + "created: restore the database from a backup, or move the folder aside to start afresh.")
        }
        do {
            return try open(file, migrations: migrations)
        } catch {
            if let fault = StorageFault(error) {
                throw StoreError(
                    description:
                        "\(file.path) cannot be written (\(fault)): its folder or file system is read-only or full. It "
                        + "was left as it is: make the folder writable or free space, then start again.")
            }
            throw StoreError(
                description:
                    "\(file.path) cannot be used (\(error)). It was left as it is: restore it from a backup, or move it "
                    + "aside to start afresh.")
        }
    }

    /// A database in memory with the same schema: for a core's unit tests, which touch no file.
    public static func inMemory(migrations: [String]) throws -> DatabaseQueue {
        try migrated(DatabaseQueue(), migrations)
    }

    private static func open(_ file: URL, migrations: [String]) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return try migrated(DatabaseQueue(path: file.path, configuration: configuration), migrations)
    }

    private static func migrated(_ queue: DatabaseQueue, _ migrations: [String]) throws -> DatabaseQueue {
        var migrator = DatabaseMigrator()
        for (index, script) in migrations.enumerated() {
            migrator.registerMigration("v\(index + 1)") { db in try db.execute(sql: script) }
        }
        try migrator.migrate(queue)
        return queue
    }

    /// Writes a consistent copy of the live database `file` to `destination` (which must not exist) through SQLite's
    /// online backup API, and checks the copy's integrity: the database as of one committed transaction, WAL
    /// included, while its service goes on writing.
    public static func backup(_ file: URL, to destination: URL) throws {
        let live = try openReadOnly(file)
        let copy = try DatabaseQueue(path: destination.path)
        try live.backup(to: copy, pagesPerStep: 1024)
        let check = try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
        try copy.close()
        try live.close()
        guard check == "ok" else {
            throw StoreError(description: "the copy of \(file.path) failed its integrity check: \(check)")
        }
    }

    /// A read-only connection to a service's file, for readers beside it (an audit, a backup, a check of a stopped
    /// cluster): in WAL mode it reads committed snapshots while the service goes on writing, and never writes.
    public static func openReadOnly(_ file: URL) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: file.path, configuration: configuration)
    }
}
