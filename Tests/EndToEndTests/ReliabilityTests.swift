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
                guard case .registerDealReply(let reply) = try acme.call(.registerDeal(request), timeout: .seconds(10))
                else { continue }
                if reply.decision.outcome == .approved { approved += 1 }
            }
            return approved
        }
        // Enforcement, a subscriber of the event stream, is frozen: registrations go on, every one decided.
        let enforcement = try #require(cluster.pids(of: "dealreg-enforce").first)
        kill(enforcement, SIGSTOP)
        defer { kill(enforcement, SIGCONT) }
        #expect(try register(200, from: 0) == 200)
        guard case .statusReply(let during) = try admin.call(.status(.init())) else {
            Issue.record("no status")
            return
        }
        #expect(during.lastSeq >= 200)
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
}
