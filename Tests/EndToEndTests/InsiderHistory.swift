import DealModel
import Foundation
import Synchronization
import Testing
import ZeroMQ

/// One live cluster's history, recorded once for `InsiderTamperTests` and kept stopped: the data directory every
/// tamper test starts a cluster on a copy of, a live backup of the registry, and what happened in them. Between its
/// steps the exchange of signed heads is awaited, so each step's first event follows a head enforcement witnessed.
/// A value; `Sendable`.
struct InsiderHistory: Sendable {
    /// A registration and the event that recorded it.
    struct Filed: Sendable {
        var id: String
        var seq: UInt64
    }

    /// The stopped cluster's data directory.
    let stores: URL
    /// The registry's database as `dealreg backup registry` copied it after the first registration, and how many
    /// events it holds.
    let backup: URL
    let backupSize: UInt64
    /// acme's registrations of "Atelier Numero 1, 2, 3, 4 SAS", one after the other, and their receipts
    /// (`receipts/N.json`).
    let filed: [Filed]
    let receipts: URL
    /// bolt booked the third's customer: enforcement's violation and its case, open, cite it.
    let caseID: String
    /// Both services' heads after the booking, as `dealreg audit head --json` printed them, before the fourth
    /// registration.
    let published: URL
    /// The sizes of enforcement's heads the registry witnessed.
    let enforcementHeadsWitnessed: [UInt64]

    static func customer(_ number: Int) -> [String] {
        [
            "--customer", "Atelier Numero \(number) SAS", "--country", "FR", "--city", "Lille", "--postal-code",
            "5910\(number)",
        ]
    }

    /// Runs the history on a new cluster, keeps its stores in `folder`, and stops it.
    static func record(in folder: URL) throws -> InsiderHistory {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner"), ("officer", "enforcement-officer")] {
            try cluster.addParty(id, kind: kind)
        }
        try cluster.awaitWitnessedHeads()
        var filed: [Filed] = []
        let receipts = folder.appendingPathComponent("receipts")
        try FileManager.default.createDirectory(at: receipts, withIntermediateDirectories: true)
        func file(_ number: Int) throws {
            let receipt = receipts.appendingPathComponent("\(number).json")
            let decision = try cluster.register(
                as: "acme",
                customer(number) + ["--products", "storage", "--amount", "50000", "--currency", "EUR"]
                    + ["--close-date", LocalCluster.closeDate, "--receipt", receipt.path])
            let seq = try #require((decision["receipt"] as? [String: Any])?["seq"] as? Int, "\(decision)")
            filed.append(Filed(id: try #require(decision["registration_id"] as? String), seq: UInt64(seq)))
            try cluster.awaitWitnessedHeads()
        }
        try file(1)
        let registry = try cluster.client(context: try Context())
        let backup = folder.appendingPathComponent("registry-backup.sqlite")
        let backupSize = try registry.heads().head.size
        let copy = try cluster.dealreg(["backup", "registry", backup.path])
        guard copy.status == 0, try registry.heads().head.size == backupSize else {
            throw ClusterFailure("the backup failed, or the log moved while it was made: \(copy)")
        }
        try file(2)
        try file(3)
        let booking = try cluster.dealreg(
            [
                "booking", "add", "--as", "admin", "--json", "--order", "ERP-1", "--booked-by", "bolt", "--booked-on",
                CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).description, "--products",
                "storage", "--amount", "12000", "--currency", "EUR",
            ] + customer(3))
        let violation = try #require(
            try JSONSerialization.jsonObject(with: Data(booking.output.utf8)) as? [String: Any], "\(booking)")
        #expect(violation["registration_id"] as? String == filed[2].id, "\(booking)")
        try cluster.awaitWitnessedHeads()
        let published = folder.appendingPathComponent("published-heads.json")
        let heads = try cluster.dealreg(["audit", "head", "--json"])
        guard heads.status == 0 else { throw ClusterFailure("audit head failed: \(heads)") }
        try heads.output.write(to: published, atomically: true, encoding: .utf8)
        try file(4)
        let witnessed = try registry.heads().witnessed.map(\.size)
        cluster.stop()
        let stores = folder.appendingPathComponent("stores")
        try FileManager.default.copyItem(at: cluster.data, to: stores)
        return InsiderHistory(
            stores: stores, backup: backup, backupSize: backupSize, filed: filed, receipts: receipts,
            caseID: try #require(violation["violation_id"] as? String), published: published,
            enforcementHeadsWitnessed: witnessed)
    }
}

extension InsiderHistory {
    /// The history of the running suite, recorded when a test first asks for it.
    static func recorded() throws -> InsiderHistory {
        try #require(Once.current, "the suite is not marked .recordsInsiderHistory").history()
    }

    /// Records the history at most once in a suite's run, and removes its folder after it. Thread-safe: a mutex.
    final class Once: Sendable {
        @TaskLocal static var current: Once?
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("insider-\(UUID().uuidString)")
        private let recording = Mutex<Result<InsiderHistory, any Error>?>(nil)

        func history() throws -> InsiderHistory {
            try recording.withLock { recording in
                if recording == nil {
                    recording = Result {
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        return try InsiderHistory.record(in: folder)
                    }
                }
                return try recording!.get()
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// The trait that gives a suite its `Once`.
    struct Scope: SuiteTrait, TestScoping {
        func provideScope(
            for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
        ) async throws {
            let once = Once()
            defer { once.remove() }
            try await Once.$current.withValue(once) { try await function() }
        }
    }
}

extension Trait where Self == InsiderHistory.Scope {
    /// The suite's tests share one `InsiderHistory`, recorded when first asked for and removed after the suite.
    static var recordsInsiderHistory: Self { Self() }
}
