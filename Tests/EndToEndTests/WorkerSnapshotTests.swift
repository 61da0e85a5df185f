import Foundation
import Testing
import ZeroMQ

/// A check worker starts from the host's index snapshot and replays only the events after it, and finds every
/// customer a worker that replayed the whole log would: those in the snapshot and those registered after it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct WorkerSnapshotTests {
    static func customer(_ number: Int, respelled: Bool = false) -> [String] {
        [
            "--customer", respelled ? "SNAPSHOT KUNDE \(number) HANDEL S.A.S." : "Snapshot Kunde \(number) Handel SAS",
            "--country", "FR", "--city", respelled ? "lyon" : "Lyon", "--postal-code", "\(69_000 + number)",
            "--products", "storage", "--amount", "90000.00", "--currency", "EUR", "--close-date",
            LocalCluster.closeDate,
        ]
    }

    @Test func aWorkerStartedFromTheSnapshotFindsWhatAFullReplayWould() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bolt", kind: "partner")
        var held: [Int: String] = [:]
        for number in 1...8 {
            let answer = try cluster.register(as: "acme", Self.customer(number))
            #expect(answer["outcome"] as? String == "APPROVED", "\(answer)")
            held[number] = answer["registration_id"] as? String
        }
        let snapshot = cluster.data.appendingPathComponent("check/check-index.snapshot")
        #expect(!FileManager.default.fileExists(atPath: snapshot.path))

        // A graceful stop writes the snapshot; the worker started in its place loads it.
        let first = try #require(cluster.pids(of: "dealreg-check").first)
        #expect(kill(first, SIGTERM) == 0)
        #expect(ElasticPoolTests.eventually { cluster.logs.contains("index loaded from the host's snapshot") })
        #expect(FileManager.default.fileExists(atPath: snapshot.path))
        let second = try #require(
            ElasticPoolTests.eventually { cluster.pids(of: "dealreg-check").first.map { $0 != first } ?? false }
                ? cluster.pids(of: "dealreg-check").first : nil)

        // Registered after the snapshot, then the worker killed outright (no snapshot at its end): the next one
        // starts from the same snapshot and replays these from the log.
        for number in 9...14 {
            let answer = try cluster.register(as: "acme", Self.customer(number))
            #expect(answer["outcome"] as? String == "APPROVED", "\(answer)")
            held[number] = answer["registration_id"] as? String
        }
        #expect(kill(second, SIGKILL) == 0)
        #expect(
            ElasticPoolTests.eventually {
                cluster.logs.components(separatedBy: "index loaded from the host's snapshot").count == 3
                    && (try? cluster.client(context: Context()).status().readyWorkers) == 1
            }, "\(cluster.logs)")

        // Every one of them, respelled by a competitor, is found: in the snapshot (1-8) and after it (9-14).
        for number in 1...14 {
            let poach = try cluster.register(as: "bolt", Self.customer(number, respelled: true))
            #expect(poach["outcome"] as? String == "REJECTED", "\(number): \(poach)")
            #expect(poach["conflicting_registration_id"] as? String == held[number], "\(number): \(poach)")
        }
    }
}
