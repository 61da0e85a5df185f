import Foundation
import GRDB

/// Opens a service's own SQLite file the one way dealreg stores anything: WAL journal, `synchronous = FULL`
/// (every commit is fsynced before it returns), schema brought up to date by numbered migrations.
public enum DurableDatabase {
    /// `migrations` are SQL scripts applied once each, in order, as "v1", "v2", ...
    public static func open(_ file: URL, migrations: [String]) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue = try DatabaseQueue(path: file.path, configuration: configuration)
        var migrator = DatabaseMigrator()
        for (index, script) in migrations.enumerated() {
            migrator.registerMigration("v\(index + 1)") { db in try db.execute(sql: script) }
        }
        try migrator.migrate(queue)
        return queue
    }
}
