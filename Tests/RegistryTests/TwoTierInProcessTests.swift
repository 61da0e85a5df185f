import DealBus
import DealModel
import DealWire
import Testing
import ZeroMQ

/// Two-tier links end to end: the registry and a check worker in-process through their wiring functions, the
/// parties talking to it with the typed client over real CURVE sockets.
@Suite(.timeLimit(.minutes(2)))
struct TwoTierInProcessTests {
    typealias Harness = RegistryInProcessTests.Harness

    @Test func aDistributorFilesForAResellerOnlyWhileTheResellerAcceptedTheirLink() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        try harness.startWorker(endpoints)
        let admin = RegistryClient(try harness.client(endpoints, keyPair: harness.admin))
        #expect(try await RegistryInProcessTests.waitForWorkers(admin.bus))
        var clients: [String: RegistryClient] = [:]
        for id in ["dist", "rogue"] {
            let keys = try CurveKeyPair.generate()
            _ = try admin.addParty(
                Party(id: PartyID(id), kind: .distributor, name: id, publicKey: keys.publicKey.z85).wire)
            clients[id] = RegistryClient(try harness.client(endpoints, keyPair: keys))
        }
        let dist = try #require(clients["dist"])
        let rogue = try #require(clients["rogue"])
        let acme = RegistryClient(try harness.client(endpoints, keyPair: harness.partner))
        let refusal = RegistryInProcessTests.refusal
        var filing = RegistryInProcessTests.request()
        filing.onBehalfOf = "acme"

        #expect(refusal { _ = try dist.registerDeal(filing) }! == (.permissionDenied, "on_behalf_of"))
        let proposed = try dist.linkParties(
            .with {
                $0.distributor = "dist"
                $0.reseller = "acme"
                $0.reason = "distribution agreement 2027"
            }
        ).link
        #expect(proposed.state == .proposedByDistributor)
        let acceptance = Dealreg_V1_AcceptLinkRequest.with {
            $0.distributor = "dist"
            $0.reseller = "acme"
        }
        // Neither another distributor nor the proposer itself can accept on the reseller's behalf.
        #expect(refusal { _ = try rogue.acceptLink(acceptance) }! == (.permissionDenied, "distributor"))
        #expect(refusal { _ = try dist.acceptLink(acceptance) }! == (.permissionDenied, "reseller"))
        #expect(refusal { _ = try dist.registerDeal(filing) }! == (.permissionDenied, "on_behalf_of"))

        #expect(try acme.acceptLink(acceptance).link.state == .active)
        let filed = try dist.registerDeal(filing).decision
        #expect(filed.outcome == .approved)
        let held = try acme.getRegistration(filed.registrationID).registration
        #expect(held.holder == "acme" && held.registrant == "dist")
        #expect(refusal { _ = try rogue.registerDeal(filing) }! == (.permissionDenied, "on_behalf_of"))

        let ended = try acme.unlinkParties(
            .with {
                $0.distributor = "dist"
                $0.reseller = "acme"
                $0.reason = "agreement ended"
            }
        ).link
        #expect(ended.state == .ended && ended.endedBy == "acme")
        var another = filing
        another.customer.legalName = "Imprimerie du Quai SAS"
        #expect(refusal { _ = try dist.registerDeal(another) }! == (.permissionDenied, "on_behalf_of"))
        #expect(try acme.getRegistration(filed.registrationID).registration == held, "still acme's")
        #expect(try acme.listLinks().links == [ended])
        #expect(try rogue.listLinks().links.isEmpty, "a distributor never sees another's links")

        // Each step is an event in both sides' feeds (and nobody else's), chained in the ledger the audit checks.
        func linkStates(_ client: RegistryClient) throws -> [Dealreg_V1_LinkState] {
            try client.feed(.with { $0.limit = 1000 }).events.compactMap {
                if case .link(let link)? = $0.payload { link.state } else { nil }
            }
        }
        #expect(try linkStates(acme) == [.proposedByDistributor, .active, .ended])
        #expect(try linkStates(dist) == [.proposedByDistributor, .active, .ended])
        #expect(try linkStates(rogue).isEmpty)
        let audit = try admin.audit(timeout: .seconds(30))
        #expect(audit.intact, "\(audit.firstBroken): \(audit.reason)")
    }
}
