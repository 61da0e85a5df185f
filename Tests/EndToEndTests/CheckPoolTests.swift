import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// The check pool under bursts: racing registrations through four workers, a worker killed mid-burst, and a
/// subscriber that comes back after missing events.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CheckPoolTests {
    static func request(_ name: String, postalCode: String) -> Dealreg_V1_RegisterDealRequest {
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = Customer(legalName: name, postalCode: postalCode, country: "DE").wire
        request.productLines = ["storage"]
        request.amount = Money(minorUnits: 2_500_000, currency: "EUR").wire
        request.expectedClose = LocalCluster.closeDay.wire
        return request
    }

    typealias Burst = [(client: BusClient, id: String, body: Dealreg_V1_RegisterDealRequest)]
    static let registerDeal = RegistryClient.Method.registerDeal

    static func send(_ requests: Burst) throws {
        for item in requests { try item.client.send(registerDeal, item.body, requestID: item.id) }
    }

    /// Collects exactly one reply for each request, within a minute; a second reply for one id fails the test.
    static func collect(_ requests: Burst) throws -> [String: WireEnvelope] {
        var replies: [String: WireEnvelope] = [:]
        let clients = Array(
            Dictionary(
                requests.map { (ObjectIdentifier($0.client), $0.client) }, uniquingKeysWith: { first, _ in first }
            )
            .values)
        let deadline = Date().addingTimeInterval(60)
        while replies.count < requests.count && Date() < deadline {
            for client in clients {
                while let reply = try client.receiveWaiting() {
                    #expect(replies[reply.requestID] == nil, "two replies for \(reply.requestID)")
                    replies[reply.requestID] = reply
                }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return replies
    }

    /// What a failed race needs explained: the registry's and workers' log lines about workers and the stream.
    static func diagnostics(_ cluster: LocalCluster) -> String {
        cluster.logs.split(separator: "\n")
            .filter { line in
                ["worker", "gap", "registry silent", "announced", "live", "requeued"].contains { line.contains($0) }
            }
            .joined(separator: "\n")
    }

    @Test func racingRegistrationsThroughFourWorkersGetOneProtectionPerCustomer() throws {
        let cluster = try LocalCluster(workers: 4)
        let partners = (1...6).map { "racer-\($0)" }
        for partner in partners { try cluster.addParty(partner, kind: "partner") }
        let context = try Context()
        let clients = try partners.map { try cluster.client(context: context, as: $0).bus }
        var requests: Burst = []
        for customer in 0..<25 {
            for (index, client) in clients.enumerated() {
                // Every partner spells it a little differently.
                let name = index % 2 == 0 ? "Brandt Kältetechnik \(customer) GmbH" : "BRANDT KAELTETECHNIK \(customer)"
                requests.append(
                    (client, "race-\(customer)-\(index)", Self.request(name, postalCode: "2\(customer)000")))
            }
        }
        try Self.send(requests)
        let replies = try Self.collect(requests)
        #expect(replies.count == requests.count)
        for customer in 0..<25 {
            let outcomes = (0..<clients.count).compactMap { index in
                replies["race-\(customer)-\(index)"].flatMap { try? Self.registerDeal.decode($0).decision.outcome }
            }
            #expect(outcomes.count == clients.count)
            let approvals = outcomes.filter { $0 == .approved }.count
            #expect(
                approvals == 1, "customer \(customer): \(outcomes)\n\(approvals == 1 ? "" : Self.diagnostics(cluster))")
        }
    }

    @Test func aWorkerKilledMidBurstLosesNoRequest() throws {
        let cluster = try LocalCluster(workers: 2)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let client = try cluster.client(context: context, as: "acme").bus
        let requests = (0..<300).map { index in
            (
                client: client, id: "burst-\(index)",
                body: Self.request("Kunde \(index) Handel", postalCode: "\(10_000 + index)")
            )
        }
        let workers = cluster.pids(of: "dealreg-check")
        try #require(workers.count == 2)
        try Self.send(requests)
        #expect(kill(workers[0], SIGKILL) == 0)
        let replies = try Self.collect(requests)
        #expect(replies.count == requests.count)
        let refusals = replies.values.compactMap { reply -> ClientError? in
            guard case .failure(let refusal) = Self.registerDeal.result(reply) else { return nil }
            return refusal
        }
        #expect(refusals.isEmpty, "errors: \(refusals.prefix(3))")
    }

    @Test func aSubscriberThatMissedEventsReplaysThem() throws {
        let cluster = try LocalCluster(workers: 1)
        let enforcement = cluster.pids(of: "dealreg-enforce")
        try #require(enforcement.count == 1)
        #expect(kill(enforcement[0], SIGKILL) == 0)
        // Events it cannot see: parties added while it is down.
        for index in 1...5 { try cluster.addParty("late-\(index)", kind: "partner") }
        let context = try Context()
        let registry = try cluster.client(context: context).status()
        var seen: UInt64 = 0
        let deadline = Date().addingTimeInterval(30)
        while seen < registry.lastSeq && Date() < deadline {
            if let status = try? cluster.enforcementClient(context: context).status(timeout: .seconds(2)) {
                seen = status.lastSeq
            }
            if seen < registry.lastSeq { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(registry.lastSeq >= 8)
        #expect(seen == registry.lastSeq)
    }

    @Test func aWorkerStartedMidBurstCatchesUpAndTakesWork() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bolt", kind: "partner")
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme").bus
        let early = (0..<200).map { index in
            (
                client: acme, id: "early-\(index)",
                body: Self.request("Frühkunde \(index) Vertrieb", postalCode: "\(30_000 + index)")
            )
        }
        try Self.send(early)

        // A second worker joins while the burst is in flight.
        let late = Process()
        late.executableURL = LocalCluster.binaries.appendingPathComponent("dealreg-check")
        late.arguments = [
            "--registry-endpoints", cluster.data.appendingPathComponent("registry/endpoints.json").path,
            "--key", cluster.data.appendingPathComponent("keys/svc-check.key").path, "--name", "late-joiner",
            "--stop-with-parent",
        ]
        late.standardOutput = FileHandle.nullDevice
        late.standardError = FileHandle.nullDevice
        try late.run()
        defer { late.terminate() }
        #expect(try Self.collect(early).count == early.count)
        let admin = try cluster.client(context: context)
        var ready: UInt32 = 0
        for _ in 0..<200 where ready < 2 {
            ready = try admin.status().readyWorkers
            if ready < 2 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(ready == 2)

        // Only the late joiner may answer now: the first worker is frozen, its checks go to the other.
        let first = try #require(cluster.pids(of: "dealreg-check").first { $0 != late.processIdentifier })
        #expect(kill(first, SIGSTOP) == 0)
        defer { kill(first, SIGCONT) }
        let bolt = try cluster.client(context: context, as: "bolt")
        var rejected = 0
        for index in stride(from: 0, to: 200, by: 20) {
            // Another partner, respelling an early customer: the late joiner's index must already hold it.
            let respelled = Self.request("FRUEHKUNDE \(index) VERTRIEB", postalCode: "\(30_000 + index)")
            if try bolt.registerDeal(respelled, timeout: .seconds(30)).decision.outcome == .rejected { rejected += 1 }
        }
        #expect(rejected == 10)
    }
}
