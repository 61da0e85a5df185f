import DealBus
import DealModel
import DealWire
import Foundation
import Testing
import ZeroMQ

/// Checks held by a worker that stops answering go to another worker; no registration is left without an answer.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct WorkerFailureTests {
    @Test func checksOfAFrozenWorkerAreDecidedByAnother() throws {
        let cluster = try LocalCluster(workers: 2)
        try cluster.addParty("acme", kind: "partner")
        let workers = cluster.pids(of: "dealreg-check")
        try #require(workers.count == 2)
        // Frozen, not dead: it holds its checks and sends no heartbeats, and the supervisor sees it running.
        #expect(kill(workers[0], SIGSTOP) == 0)
        defer { kill(workers[0], SIGCONT) }

        let context = try Context()
        let client = try cluster.client(context: context, as: "acme").bus
        let method = RegistryClient.Method.registerDeal
        var sent: Set<String> = []
        for index in 0..<40 {
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer =
                Customer(legalName: "Kundenfirma \(index) Vertrieb", postalCode: "1\(index)00", country: "AT").wire
            request.productLines = ["storage"]
            request.amount = Money(minorUnits: 1_000_000, currency: "EUR").wire
            request.expectedClose = LocalCluster.closeDay.wire
            let id = "frozen-\(index)"
            try client.send(method, request, requestID: id)
            sent.insert(id)
        }
        var approved = 0
        while !sent.isEmpty {
            let reply = try client.receive(timeout: .seconds(30))
            guard sent.remove(reply.requestID) != nil else { continue }
            if (try? method.decode(reply))?.decision.outcome == .approved { approved += 1 }
        }
        #expect(approved == 40)
        #expect(cluster.logs.contains("worker lost"))
    }
}
