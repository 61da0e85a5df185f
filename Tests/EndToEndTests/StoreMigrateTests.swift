import DealModel
import DealStore
import DealTestSupport
import Foundation
import Testing

/// `dealreg store migrate`: a history made on SQLite by the real services, moved to PostgreSQL while they are stopped,
/// and served from there by `dealreg up --store` on the same data directory.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct StoreMigrateTests {
    static let deal = ["--amount", "50000", "--currency", "EUR", "--close-date", LocalCluster.closeDate]

    static func customer(_ name: String, postalCode: String) -> [String] {
        ["--customer", name, "--country", "FR", "--city", "Lille", "--postal-code", postalCode]
    }

    @Test func aStoppedClusterMovesToPostgresWithItsWholeHistory() throws {
        // The services name their schemas themselves (registry, enforcement): a server of this test's own keeps the
        // clusters of other tests out of them.
        let postgres = try ThrowawayPostgres.startPrivate()
        defer { try? postgres.stop() }
        let password = try #require(postgres.location.password)
        let url = postgres.location.withoutPassword.description

        let cluster = try LocalCluster(workers: 1)
        let passwordFile = cluster.data.appendingPathComponent("store-password")
        try Data((password + "\n").utf8).write(to: passwordFile, options: .withoutOverwriting)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner"), ("officer", "enforcement-officer")] {
            try cluster.addParty(id, kind: kind)
        }
        let filature = Self.customer("Filature du Nord SAS", postalCode: "59000")
        let held = try #require(
            try cluster.register(as: "acme", filature + ["--products", "storage"] + Self.deal)["registration_id"]
                as? String)
        let other = try cluster.register(
            as: "bolt",
            Self.customer("Brasserie de la Gare SARL", postalCode: "13001") + ["--products", "storage"]
                + Self.deal)
        #expect(other["outcome"] as? String == "APPROVED", "\(other)")
        let booking = try cluster.dealreg(
            [
                "booking", "add", "--as", "admin", "--json", "--order", "o-1", "--booked-by", "bolt", "--booked-on",
                CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).description, "--products",
                "storage", "--amount", "12000", "--currency", "EUR",
            ] + Self.customer("FILATURE DU NORD", postalCode: "59000"))
        #expect(booking.output.contains("POACHING"), "\(booking)")

        let migrate = ["store", "migrate", cluster.data.path, url, "--password-file", passwordFile.path]
        let refused = try LocalCluster.run(LocalCluster.binaries.appendingPathComponent("dealreg"), migrate)
        #expect(refused.status != 0 && refused.error.contains("is in use"), "a running cluster's files: \(refused)")
        let heads = cluster.data.appendingPathComponent("heads.json")
        try Data(try cluster.dealreg(["audit", "head", "--json"]).output.utf8).write(to: heads)
        cluster.stop()

        let registry = cluster.data.appendingPathComponent("registry/registry.sqlite")
        let enforcement = cluster.data.appendingPathComponent("enforcement/enforcement.sqlite")
        let events = try Self.rows(of: "events", in: registry)
        let ledger = try Self.rows(of: "ledger", in: enforcement)
        let violations = try Self.rows(of: "violations", in: enforcement)
        #expect(events > 0 && ledger > 0 && violations == 1)

        let moved = try LocalCluster.run(LocalCluster.binaries.appendingPathComponent("dealreg"), migrate)
        #expect(moved.status == 0, "\(moved)")
        #expect(Self.copied("events", in: moved.output) == events, "\(moved.output)")
        #expect(Self.copied("ledger", in: moved.output) == ledger, "\(moved.output)")
        #expect(Self.copied("violations", in: moved.output) == violations, "\(moved.output)")
        #expect(moved.output.contains("Next: start the services on PostgreSQL"))
        #expect(!moved.output.contains(password) && !moved.error.contains(password))
        #expect(try Self.rows(of: "events", inSchema: "registry", of: postgres) == events)
        #expect(try Self.rows(of: "ledger", inSchema: "enforcement", of: postgres) == ledger)

        let again = try LocalCluster.run(LocalCluster.binaries.appendingPathComponent("dealreg"), migrate)
        #expect(again.status != 0 && again.error.contains("already holds rows"), "a second move: \(again)")

        let served = try Self.up(on: cluster.data, store: url, password: password)
        defer {
            served.terminate()
            served.waitUntilExit()
        }
        let status = try cluster.dealreg(["status", "--as", "admin", "--json"])
        #expect(status.output.contains("postgres://"), "the registry serves from PostgreSQL: \(status)")
        let audit = try cluster.dealreg(["audit", "verify", "--as", "officer", "--json", "--against", heads.path])
        #expect(audit.status == 0, "\(audit)")
        let verdicts = Self.jsonLines(audit.output)
        #expect(verdicts.map { $0["intact"] as? Bool } == [true, true], "\(audit)")
        // The ledgers may have grown since (the services witness each other's heads), never shrunk.
        #expect(
            (verdicts.first?["entries"] as? Int ?? 0) >= events && (verdicts.last?["entries"] as? Int ?? 0) >= ledger)

        let shown = try cluster.dealreg(["show", held, "--as", "acme"])
        #expect(shown.status == 0 && shown.output.contains("Filature du Nord SAS"), "\(shown)")
        let poach = try cluster.register(
            as: "bolt", Self.customer("FILATURE DU NORD", postalCode: "59000") + ["--products", "storage"] + Self.deal)
        #expect(poach["outcome"] as? String == "REJECTED", "\(poach)")
        #expect(poach["conflicting_registration_id"] as? String == held)
        let listed = try cluster.dealreg(["violations", "list", "--as", "officer", "--json"])
        #expect(Self.jsonLines(listed.output).compactMap { $0["type"] as? String } == ["POACHING"], "\(listed)")
    }

    /// `dealreg up --store STORE` on `data`, the password in its environment; returns once it is ready.
    static func up(on data: URL, store: String, password: String) throws -> Process {
        let output = data.appendingPathComponent("up-postgres.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = LocalCluster.binaries.appendingPathComponent("dealreg")
        process.arguments = [
            "up", "--data", data.path, "--base-port", "0", "--workers", "1", "--stop-with-parent", "--store", store,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["DEALREG_STORE_PASSWORD": password]) {
            $1
        }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while true {
            let said = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if said.contains("dealreg ready") { return process }
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { process.terminate() }
                throw ClusterFailure("dealreg up --store did not become ready:\n\(said)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The rows `dealreg store migrate` says it copied into `table` ("  events   42 rows  0.01 s").
    static func copied(_ table: String, in output: String) -> Int? {
        for line in output.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count > 2, words[0] == table, words[2] == "rows" { return Int(words[1]) }
        }
        return nil
    }

    static func rows(of table: String, in file: URL) throws -> Int {
        let database = SQLiteDatabase(try DurableDatabase.openReadOnly(file))
        defer { database.close() }
        return try database.read { try $0.fetchValue("SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    static func rows(of table: String, inSchema schema: String, of postgres: ThrowawayPostgres) throws -> Int {
        let database = try PostgresDatabase(postgres.location, schema: schema, applicationName: "dealreg-tests")
        defer { database.close() }
        return try database.read { try $0.fetchValue("SELECT COUNT(*) FROM \(table)") ?? -1 }
    }

    static func jsonLines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
