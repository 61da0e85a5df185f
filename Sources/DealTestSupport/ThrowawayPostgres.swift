import DealStore
import Foundation

/// A PostgreSQL server for tests: the one `DEALREG_TEST_POSTGRES` names (a directory `scripts/postgres.sh start`
/// filled, with its `url`), or one this test process starts once and stops when it exits; or a private one for a
/// test that restarts or halts it. Each test takes a fresh schema in it, so tests never see each other's tables.
/// Thread-safe: immutable, and the script does the work.
public final class ThrowawayPostgres: Sendable {
    /// Why a server could not be started or driven: the script's own words. A value; `Sendable`.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let directory: String
    public let location: PostgresLocation
    /// Whether this process started the server, and so stops it.
    private let isOwned: Bool

    /// The server every test of this process shares: restarting or halting it would fail the tests running beside.
    public static func shared() throws -> ThrowawayPostgres { try sharedServer.get() }

    /// A server of this test's own, started now (a few seconds), for a test that restarts or halts it; `stop()` it.
    public static func startPrivate() throws -> ThrowawayPostgres {
        let directory = "/tmp/dealreg-test-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try script("start", directory)
        return try ThrowawayPostgres(directory: directory, isOwned: true)
    }

    private static let sharedServer: Result<ThrowawayPostgres, Failure> = {
        do {
            if let directory = ProcessInfo.processInfo.environment["DEALREG_TEST_POSTGRES"], !directory.isEmpty {
                return .success(try ThrowawayPostgres(directory: directory, isOwned: false))
            }
            let directory = "/tmp/dealreg-test-pg-\(getpid())"
            try script("start", directory)
            let server = try ThrowawayPostgres(directory: directory, isOwned: true)
            atexit { try? ThrowawayPostgres.shared().stop() }
            return .success(server)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }()

    private init(directory: String, isOwned: Bool) throws {
        self.directory = directory
        self.isOwned = isOwned
        let urlFile = URL(fileURLWithPath: directory).appendingPathComponent("url")
        guard let url = try? String(contentsOf: urlFile, encoding: .utf8) else {
            throw Failure(
                description: "\(urlFile.path) cannot be read: start the server with scripts/postgres.sh start")
        }
        location = try PostgresLocation(parsing: url.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A schema name no other test uses (`t_` and random hex).
    public func freshSchema() -> String {
        "t_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Drops `schema` and everything in it.
    public func dropSchema(_ schema: String) throws {
        let database = try PostgresDatabase(location, schema: schema, applicationName: "dealreg-tests")
        defer { database.close() }
        try database.write { try $0.executeScript("DROP SCHEMA \(schema) CASCADE") }
    }

    /// A database of its own in this server (`dealreg_` and random hex), for a whole cluster: its services keep
    /// their tables in fixed schemas (`registry`, `enforcement`), so two clusters must never share a database.
    /// `dropDatabase` it afterwards. The role needs CREATEDB, which `scripts/postgres.sh start` gives it.
    public func createDatabase() throws -> PostgresLocation {
        let name = "dealreg_" + (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        do {
            try administer("CREATE DATABASE \(name)")
        } catch let refused as SQLStatementError where refused.code == "42501" {
            throw Failure(
                description: "the role \(location.user) may not create databases (\(refused)): start the server "
                    + "with this package's scripts/postgres.sh, which gives it CREATEDB")
        }
        var made = location
        made.database = name
        return made
    }

    /// Drops a database `createDatabase` made, ending the sessions still on it.
    public func dropDatabase(_ database: PostgresLocation) throws {
        precondition(database.database.hasPrefix("dealreg_"), "not a database createDatabase made")
        try administer("DROP DATABASE IF EXISTS \(database.database) WITH (FORCE)")
    }

    /// Runs `sql` alone in autocommit in the server's own database (statements that refuse a transaction).
    private func administer(_ sql: String) throws {
        let database = try PostgresDatabase(location, schema: "public", applicationName: "dealreg-tests")
        defer { database.close() }
        try database.read { try $0.executeScript(sql) }
    }

    /// Restarts the server on its port (a fast shutdown ends every session).
    public func restart() throws { try Self.script("restart", directory) }

    /// Stops the server at once, as a crash would; `resume()` starts it again on its port.
    public func halt() throws { try Self.script("halt", directory) }

    public func resume() throws { try Self.script("resume", directory) }

    /// Stops a server this process started and removes its directory; leaves one it was given alone.
    public func stop() throws {
        if isOwned { try Self.script("stop", directory) }
    }

    /// Runs `scripts/postgres.sh COMMAND DIRECTORY` of this package and waits for it.
    private static func script(_ command: String, _ directory: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/postgres.sh").path
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("postgres-sh-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: errors) }
        // posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit can miss the exit of a
        // child on Linux when called from a test's worker thread.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let words: [String] = [script, command, directory]
        let arguments = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, script, &actions, nil, arguments, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(script): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failure(description: "scripts/postgres.sh \(command) \(directory) failed (status \(status)): \(said)")
        }
    }
}
