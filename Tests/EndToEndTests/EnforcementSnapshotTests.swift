import Foundation
import Testing

/// Enforcement restarted from its index snapshot (written at a graceful stop), then killed and restarted from the
/// same snapshot with the store's changes after it, then from a damaged one (set aside for the store): each time it
/// finds the violations against registrations made before the restart and after it.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EnforcementSnapshotTests {
    static func customer(_ number: Int, respelled: Bool = false) -> [String] {
        [
            "--customer", respelled ? "TISSAGE \(number) DU NORD S.A.S." : "Tissage \(number) du Nord SAS",
            "--country", "FR", "--city", "Roubaix", "--postal-code", "\(59_100 + number)",
        ]
    }

    /// Waits for enforcement to answer, live and with every event of the registry's log applied.
    static func caughtUp(_ cluster: LocalCluster) -> Bool {
        ElasticPoolTests.eventually {
            guard let status = try? cluster.dealreg(["status", "--as", "admin", "--json"]) else { return false }
            return status.output.split(separator: "\n").contains { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    return false
                }
                return object["service"] as? String == "enforcement" && object["live"] as? Bool == true
                    && object["behind"] as? Int == 0
            }
        }
    }

    /// `dealreg booking add` by `bookedBy` of customer `number` respelled, once enforcement has caught up with the
    /// registry: the violations' types.
    static func book(_ cluster: LocalCluster, order: String, by bookedBy: String, customer number: Int) throws
        -> [String]
    {
        #expect(caughtUp(cluster), "\(cluster.logs.suffix(4000))")
        let arguments =
            [
                "booking", "add", "--as", "admin", "--json", "--order", order, "--booked-by", bookedBy,
                "--booked-on", EnforcementTests.today.description, "--products", "storage", "--amount", "12000",
                "--currency", "EUR",
            ] + customer(number, respelled: true)
        for _ in 0..<300 {
            let result = try cluster.dealreg(arguments)
            let types = result.output.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String
            }
            if result.status == 0 { return types }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ClusterFailure("enforcement did not answer:\n\(cluster.logs.suffix(4000))")
    }

    /// acme registers customer `number`: its registration id.
    static func register(_ cluster: LocalCluster, _ number: Int) throws -> String {
        let answer = try cluster.register(
            as: "acme", customer(number) + ["--products", "storage"] + EnforcementTests.deal)
        #expect(answer["outcome"] as? String == "APPROVED", "\(answer)")
        return try #require(answer["registration_id"] as? String)
    }

    /// Stops enforcement with `signal` and waits for `dealreg up` to start another and for it to log `started`
    /// `times` times in all.
    static func restart(_ cluster: LocalCluster, with signal: Int32, until started: String, times: Int) throws {
        let old = try #require(cluster.pids(of: "dealreg-enforce").first)
        #expect(kill(old, signal) == 0)
        #expect(
            ElasticPoolTests.eventually {
                cluster.logs.components(separatedBy: started).count > times
                    && cluster.pids(of: "dealreg-enforce").first.map { $0 != old } == true
            }, "\(cluster.logs.suffix(4000))")
    }

    @Test func enforcementRestartedFromItsSnapshotFindsViolationsBeforeAndAfterIt() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner"), ("seller-1", "seller")] {
            try cluster.addParty(id, kind: kind)
        }
        let snapshot = cluster.data.appendingPathComponent("enforcement/enforcement-index.snapshot")
        _ = try Self.register(cluster, 1)
        #expect(try Self.book(cluster, order: "o-1", by: "bolt", customer: 1) == ["POACHING"])
        #expect(!FileManager.default.fileExists(atPath: snapshot.path))

        // A graceful stop writes the snapshot; the enforcement started in its place starts from it.
        try Self.restart(cluster, with: SIGTERM, until: "accounts indexed from the snapshot", times: 1)
        #expect(FileManager.default.fileExists(atPath: snapshot.path))
        _ = try Self.register(cluster, 2)
        #expect(try Self.book(cluster, order: "o-2", by: "seller-1", customer: 1) == ["DIRECT_BYPASS"])
        #expect(try Self.book(cluster, order: "o-3", by: "bolt", customer: 2) == ["POACHING"])

        // Killed outright (no snapshot at its end): the next one starts from the same snapshot, and customer 3,
        // followed and committed before the kill, comes from the store's rows written after it.
        _ = try Self.register(cluster, 3)
        #expect(try Self.book(cluster, order: "o-4", by: "bolt", customer: 3) == ["POACHING"])
        try Self.restart(cluster, with: SIGKILL, until: "accounts indexed from the snapshot", times: 2)
        for (number, order) in [(1, "o-5"), (2, "o-6"), (3, "o-7")] {
            #expect(try Self.book(cluster, order: order, by: "seller-1", customer: number) == ["DIRECT_BYPASS"])
        }

        // A damaged snapshot is set aside: the accounts are indexed from the store.
        var bytes = try Data(contentsOf: snapshot)
        bytes.replaceSubrange(100..<140, with: Data(repeating: 0xFF, count: 40))
        try bytes.write(to: snapshot)
        try Self.restart(cluster, with: SIGKILL, until: "the index snapshot is not usable", times: 1)
        _ = try Self.register(cluster, 4)
        for (number, order) in [(1, "o-8"), (3, "o-9"), (4, "o-10")] {
            #expect(try Self.book(cluster, order: order, by: "bolt", customer: number) == ["POACHING"])
        }
    }
}
