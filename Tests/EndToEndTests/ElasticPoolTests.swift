import DealBus
import DealWire
import Foundation
import Testing
import ZeroMQ

/// `dealreg up --workers MIN..MAX`: the pool grows while checks wait for a worker and shrinks once idle, and a worker
/// that leaves (retired, or stopped with SIGTERM) hands the checks it has not answered back at once: every
/// registration is answered, none refused.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ElasticPoolTests {
    static let limitless = #"{"limits": {"requests_per_second": 1000000, "burst": 1000000}}"#
    static let registerDeal = RegistryClient.Method.registerDeal

    /// Registrations pipelined on one client, each of a customer of its own, and the one answer each got.
    struct Traffic {
        let client: BusClient
        private(set) var sent = 0
        private(set) var waiting: Set<String> = []
        private(set) var decided = 0
        private(set) var refusals: [String] = []

        /// Sends registrations until `inFlight` wait for their answer.
        mutating func fill(to inFlight: Int) throws {
            while waiting.count < inFlight {
                let id = "elastic-\(sent)"
                try client.send(
                    ElasticPoolTests.registerDeal,
                    CheckPoolTests.request("Elastic Kunde \(sent) Handel", postalCode: "\(10_000 + sent)"),
                    requestID: id)
                waiting.insert(id)
                sent += 1
            }
        }

        /// Reads one answer; a second answer to a request, or an answer to none sent, is an issue.
        mutating func receive() throws {
            let reply = try client.receive(timeout: .seconds(30))
            #expect(waiting.remove(reply.requestID) != nil, "an answer to \(reply.requestID) not waited for")
            switch ElasticPoolTests.registerDeal.result(reply) {
            case .success: decided += 1
            case .failure(let refusal): refusals.append("\(reply.requestID): \(refusal)")
            }
        }
    }

    /// Waits, up to a minute, for `condition`; returns whether it came.
    static func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            guard Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return true
    }

    /// The workers named in `dealreg up`'s lines `dealreg: check-N STEP…` (`added:`, `retiring:`, `retired`), in order.
    static func workers(_ step: String, in output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count > 2, words[0] == "dealreg:", words[2].hasPrefix(step) else { return nil }
            return String(words[1])
        }
    }

    @Test func aPoolGrowsWhileChecksWaitAndShrinksWhenIdleAnsweringEveryRegistration() throws {
        let cluster = try LocalCluster(
            pool: 1...3, options: ["--scale-up-queue", "0", "--scale-up-after", "1", "--retire-idle-after", "2"],
            policy: Self.limitless)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        var traffic = Traffic(client: try cluster.client(context: context, as: "acme").bus)
        // A closed loop of 150 to 200 in flight, more than a worker's credit (64): checks wait for a worker until the
        // pool grows. How far it grows depends on where the host's time goes (the registry's commits or the checks).
        let deadline = Date().addingTimeInterval(90)
        var grown = false
        while !grown && Date() < deadline {
            try traffic.fill(to: 200)
            for _ in 0..<50 { try traffic.receive() }
            grown = cluster.upOutput.contains("check-2 added: 2 check workers")
        }
        #expect(grown, "\(cluster.upOutput)")
        while !traffic.waiting.isEmpty { try traffic.receive() }
        #expect(traffic.refusals.isEmpty, "\(traffic.refusals.prefix(5))")
        #expect(traffic.decided == traffic.sent)

        // Idle: every worker added retires, newest first, one at a time, down to the minimum.
        let admin = try cluster.client(context: context)
        let shrunk = Self.eventually {
            let output = cluster.upOutput
            return Self.workers("retired", in: output).count == Self.workers("added:", in: output).count
                && (try? admin.status().readyWorkers) == 1
        }
        let output = cluster.upOutput
        #expect(shrunk, "\(output)")
        let added = Self.workers("added:", in: output)
        #expect(added.first == "check-2")
        #expect(Self.workers("retiring:", in: output) == added.reversed())
        #expect(output.contains("retiring: 1 check workers (no check for"), "\(output)")
        let retired = output.split(separator: "\n").filter { $0.contains(" retired (") }
        #expect(retired.allSatisfy { $0.hasSuffix("(exit status 0)") }, "\(output)")
        #expect(!output.contains("restarting"), "no worker died")
        // Each told the registry it was leaving, rather than being found silent.
        let left = cluster.logs.split(separator: "\n").filter { $0.contains("\"worker left\"") }
        #expect(Set(added) == Set(left.compactMap { line in added.first { line.contains("\"worker\":\"\($0)\"") } }))
        #expect(left.count == added.count, "\(cluster.logs)")

        // The one left still serves.
        try traffic.fill(to: 1)
        try traffic.receive()
        #expect(traffic.refusals.isEmpty)
    }

    @Test func aWorkerStoppedMidBurstHandsItsChecksBackAtOnce() throws {
        let cluster = try LocalCluster(workers: 2, policy: Self.limitless)
        try cluster.addParty("acme", kind: "partner")
        let workers = cluster.pids(of: "dealreg-check")
        try #require(workers.count == 2)
        let context = try Context()
        var traffic = Traffic(client: try cluster.client(context: context, as: "acme").bus)
        try traffic.fill(to: 300)
        // Both workers hold checks once the first answer is back.
        try traffic.receive()
        #expect(kill(workers[0], SIGTERM) == 0)
        while !traffic.waiting.isEmpty { try traffic.receive() }
        #expect(traffic.refusals.isEmpty, "\(traffic.refusals.prefix(5))")
        #expect(traffic.decided == 300)
        let logs = cluster.logs
        #expect(logs.contains("\"worker left\""), "the registry took its checks back when it said so")
        #expect(logs.contains("left: the registry took back the checks in hand"), "the worker waited for that")
        #expect(!logs.contains("worker lost"), "not found out by its silence")
    }
}
