import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// Slow consumers and restarts cost the registry nothing and lose nothing.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct ReliabilityTests {
    @Test func aStalledSubscriberNeverSlowsRegistrationsAndCatchesUpByReplay() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme")
        let admin = try cluster.client(context: context)
        func register(_ count: Int, from start: Int) throws -> Int {
            var approved = 0
            for index in start..<(start + count) {
                var request = Dealreg_V1_RegisterDealRequest()
                request.customer =
                    Customer(legalName: "Tonnellerie \(index) SARL", city: "Cognac", postalCode: "16100", country: "FR")
                    .wire
                request.productLines = ["storage"]
                request.amount = Money(minorUnits: 100_000, currency: "EUR").wire
                request.expectedClose = LocalCluster.closeDay.wire
                if try acme.registerDeal(request, timeout: .seconds(10)).decision.outcome == .approved { approved += 1 }
            }
            return approved
        }
        // Enforcement, a subscriber of the event stream, is frozen: registrations go on, every one decided.
        let enforcement = try #require(cluster.pids(of: "dealreg-enforce").first)
        kill(enforcement, SIGSTOP)
        defer { kill(enforcement, SIGCONT) }
        #expect(try register(200, from: 0) == 200)
        #expect(try admin.status().lastSeq >= 200)
        // Thawed, it catches up to the registry's last event, by the stream and by replay from `sync`.
        kill(enforcement, SIGCONT)
        var behind = -1
        for _ in 0..<200 where behind != 0 {
            let status = try cluster.dealreg(["status", "--json"]).output
            behind = status.contains(#""behind":0,"#) ? 0 : 1
            if behind != 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(behind == 0, "enforcement did not catch up:\n\(cluster.logs.suffix(2000))")
        #expect(try register(20, from: 200) == 20)
    }

    @Test func sigtermMidBurstAnswersEveryRequestAndKeepsEveryDecision() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let context = try Context()
        let acme = try cluster.client(context: context, as: "acme")
        let registry = try #require(cluster.pids(of: "dealreg-registry").first)
        var sent: Set<String> = []
        for index in 0..<300 {
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer =
                Customer(legalName: "Distillerie \(index) SAS", city: "Cognac", postalCode: "16100", country: "FR").wire
            request.productLines = ["storage"]
            request.amount = Money(minorUnits: 100_000, currency: "EUR").wire
            request.expectedClose = LocalCluster.closeDay.wire
            try acme.bus.send(RegistryClient.Method.registerDeal, request, requestID: "burst-\(index)")
            sent.insert("burst-\(index)")
        }
        // SIGTERM while the burst is being decided: every request gets one answer before the registry exits.
        var answers: [String: WireEnvelope] = [:]
        var terminated = false
        while answers.count < sent.count {
            let reply = try acme.bus.receive(timeout: .seconds(30))
            answers[reply.requestID] = reply
            if !terminated && answers.count >= 20 {
                kill(registry, SIGTERM)
                terminated = true
            }
        }
        #expect(Set(answers.keys) == sent)
        let decided = answers.values.compactMap {
            try? RegistryClient.Method.registerDeal.decode($0).decision.registrationID
        }
        let refused = answers.values.filter { $0.error.code == .unavailable }.count
        #expect(decided.count + refused == sent.count, "every answer is a decision or UNAVAILABLE")
        #expect(decided.count >= 20)
        // Restarted by the supervisor: every acknowledged decision is there.
        let admin = try cluster.client(context: context)
        var found = 0
        for id in decided {
            for _ in 0..<100 {
                if (try? admin.getRegistration(id)) != nil {
                    found += 1
                    break
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        #expect(found == decided.count)
        #expect(cluster.logs.contains("drained: every request in hand is answered"))
    }

    @Test func sigtermMidBookingBurstAnswersAndKeepsEveryBooking() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("seller-1", kind: "seller")
        let context = try Context()
        let erp = try cluster.enforcementClient(context: context)
        let enforcement = try #require(cluster.pids(of: "dealreg-enforce").first)
        func booking(_ index: Int) -> Dealreg_V1_Booking {
            var booking = Dealreg_V1_Booking()
            booking.orderID = "ERP-\(index)"
            booking.customer = Customer(legalName: "Chai \(index) SARL", city: "Cognac", country: "FR").wire
            booking.productLines = ["storage"]
            booking.amount = Money(minorUnits: 100_000, currency: "EUR").wire
            booking.bookedBy = "seller-1"
            booking.bookedOn = LocalCluster.closeDay.adding(days: -180).wire
            return booking
        }
        let method = EnforcementClient.Method.recordBooking
        for index in 0..<200 {
            try erp.bus.send(method, .with { $0.booking = booking(index) }, requestID: "b-\(index)")
        }
        var answered: Set<String> = []
        var terminated = false
        while answered.count < 200 {
            let reply = try erp.bus.receive(timeout: .seconds(30))
            if case .failure(let refusal) = method.result(reply) {
                Issue.record("booking \(reply.requestID) refused: \(refusal)")
                continue
            }
            answered.insert(reply.requestID)
            if !terminated && answered.count >= 20 {
                kill(enforcement, SIGTERM)
                terminated = true
            }
        }
        // Every acknowledged booking is stored: retried after the restart, each one is already recorded.
        let again = try cluster.enforcementClient(context: context)
        var recorded = 0
        for index in 0..<200 {
            for _ in 0..<100 {
                if let reply = try? again.recordBooking(booking(index), timeout: .seconds(2)) {
                    if reply.alreadyRecorded { recorded += 1 }
                    break
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        #expect(recorded == 200)
    }
}

/// The chaos harness: its kills land, and its checks of the stores find a lost registration and a hole in the
/// event log (so a run that passes means they were looked for).
@Suite(.timeLimit(.minutes(5)))
struct ChaosHarnessTests {
    @Test func theChaosRunKillsServicesAndItsChecksFindTamperedStores() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("chaos-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let child = Process()
        child.executableURL = LocalCluster.binaries.appendingPathComponent("dealreg")
        child.arguments = [
            "chaos", "--registrations", "400", "--kills", "4", "--workers", "1", "--concurrency", "16",
            "--retry-after", "1", "--data", data.path, "--json", "--tamper",
        ]
        let output = Pipe()
        child.standardOutput = output
        child.standardError = FileHandle.nullDevice
        try child.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        #expect(child.terminationStatus == 1, "a tampered store passed the checks")
        let report = try #require(
            try JSONSerialization.jsonObject(with: printed) as? [String: Any],
            "\(String(decoding: printed, as: UTF8.self))")
        let invariants = try #require(report["invariants"] as? [String: Int])
        #expect(report["killsTotal"] as? Int == 4)
        #expect(invariants["lostOrChanged"] ?? 0 >= 1, "the deleted registration was not missed: \(invariants)")
        #expect(invariants["eventGaps"] ?? 0 >= 1, "the deleted event was not missed: \(invariants)")
        // Everything the tampering did not touch held.
        for name in [
            "unacknowledged", "inconsistentAnswers", "overlappingProtections", "violationsDoubled", "ledgersBroken",
        ] {
            #expect(invariants[name] == 0, "\(name): \(invariants)")
        }
        #expect((report["stored"] as? [String: Int])?["bookings"] == 40)
    }
}
