import ArgumentParser
import DealStore
import Foundation
import GRDB

/// `dealreg backup`: a consistent copy of a service's live database, through SQLite's online backup API.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a running service's SQLite database consistently, without stopping it.",
        discussion: """
            Uses SQLite's online backup API: the copy is the database as of one committed transaction, WAL included,
            while the service goes on writing. Back up enforcement before the registry, so the restored enforcement's
            cursor is never ahead of the restored registry's log. Restore (deploy/README.md): stop the service,
            replace its .sqlite file with the copy and delete the -wal and -shm files beside it, start it, then run
            `dealreg audit verify`.
            """)

    @Argument(
        help:
            "The live database: `registry` or `enforcement` (under --data), or a file such as /var/lib/dealreg/registry/registry.sqlite."
    )
    var database: String
    @Argument(help: "The copy to write (must not exist).") var destination: String
    @OptionGroup var data: DataOptions

    /// The database file: a service's under the data directory, or the path given.
    var source: String {
        ["registry", "enforcement"].contains(database)
            ? data.directory.appendingPathComponent("\(database)/\(database).sqlite").path : database
    }

    func run() throws {
        do {
            guard FileManager.default.fileExists(atPath: source) else {
                throw ValidationError("\(source) does not exist.")
            }
            guard !FileManager.default.fileExists(atPath: destination) else {
                throw ValidationError("\(destination) exists; back up to a new file.")
            }
            let live = try DurableDatabase.openReadOnly(URL(fileURLWithPath: source))
            let copy = try DatabaseQueue(path: destination)
            let start = ContinuousClock.now
            try live.backup(to: copy, pagesPerStep: 1024)
            let check = try copy.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
            guard check == "ok" else { throw ValidationError("The copy failed its integrity check: \(check)") }
            try copy.close()
            let size = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int) ?? 0
            print(
                "backup: \(destination), \(size / 1024) KiB, integrity ok, in \(start.duration(to: .now))")
        } catch {
            exitWithError(error)
        }
    }
}
