import DealBus
import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Testing

@testable import Registry

/// Two-tier links in the registry's core: proposed by one side, accepted by the other, ended by either side or
/// the vendor, and the rule they serve, that a distributor files on behalf of a reseller only while their link is
/// active. The core is driven as a plain value over an in-memory store, as in `RegistryCoreTests`.
@Suite(.timeLimit(.minutes(2))) struct RegistryLinkTests {
    typealias Harness = RegistryCoreTests.Harness

    static func harness(engine: SQLEngine = .sqlite) throws -> Harness {
        try Harness(
            engine: engine,
            extra: [
                ("dist", .distributor), ("rogue", .distributor), ("cm", .channelManager), ("seller-1", .seller),
            ])
    }

    /// A link step as `principal`, committed: the link as answered, or the error.
    static func step(
        _ harness: inout Harness, _ body: WireEnvelope.OneOf_Body, as principal: String, requestID: String? = nil
    ) -> Result<Dealreg_V1_PartyLink, WireError> {
        let immediate = harness.send(body, as: principal, requestID: requestID)
        if let error = Harness.errors(immediate).first { return .failure(error) }
        let answers = Harness.envelopes(harness.perform(immediate) + harness.endTurn())
        for envelope in answers {
            switch envelope.body {
            case .linkPartiesReply(let reply)?: return .success(reply.link)
            case .acceptLinkReply(let reply)?: return .success(reply.link)
            case .unlinkPartiesReply(let reply)?: return .success(reply.link)
            case .error(let error)?: return .failure(error)
            default: continue
            }
        }
        return .failure(WireError(.internal, "no answer"))
    }

    static func link(_ distributor: String, _ reseller: String, reason: String = "") -> WireEnvelope.OneOf_Body {
        .linkParties(
            .with {
                $0.distributor = distributor
                $0.reseller = reseller
                $0.reason = reason
            })
    }

    static func accept(_ distributor: String, _ reseller: String, reason: String = "") -> WireEnvelope.OneOf_Body {
        .acceptLink(
            .with {
                $0.distributor = distributor
                $0.reseller = reseller
                $0.reason = reason
            })
    }

    static func unlink(_ distributor: String, _ reseller: String, reason: String = "") -> WireEnvelope.OneOf_Body {
        .unlinkParties(
            .with {
                $0.distributor = distributor
                $0.reseller = reseller
                $0.reason = reason
            })
    }

    /// The code and field of a refusal; nil when the step was taken.
    static func refusal(_ result: Result<Dealreg_V1_PartyLink, WireError>) -> (WireErrorCode, String)? {
        if case .failure(let error) = result { (error.code, error.field) } else { nil }
    }

    static let port = RegistryCoreTests.port
    static let quay = Customer(
        legalName: "Imprimerie du Quai SAS", street: "4 quai Rambaud", city: "Lyon", postalCode: "69002",
        country: "FR")
    static let hill = Customer(
        legalName: "Fromagerie de la Colline", street: "9 montée du Gourguillon", city: "Lyon", postalCode: "69005",
        country: "FR")

    @Test func aDistributorFilesForAResellerOnlyWhileTheirLinkIsActive() throws {
        var harness = try Self.harness()
        guard case .failure(let unlinked) = harness.register(Self.port, as: "dist", onBehalfOf: "acme") else {
            Issue.record("filed for acme without a link")
            return
        }
        #expect(unlinked.code == .permissionDenied && unlinked.field == "on_behalf_of")
        #expect(unlinked.message.contains("dist has no active two-tier link with acme"), "\(unlinked.message)")

        let proposed = try Self.step(&harness, Self.link("dist", "acme", reason: "contract 2027"), as: "dist").get()
        #expect(PartyLink.State(wire: proposed.state) == .proposedByDistributor)
        #expect(proposed.proposedBy == "dist" && proposed.proposedAt == harness.now.secondsSinceEpoch)
        #expect(proposed.reason == "contract 2027")
        let waiting = harness.register(Self.port, as: "dist", onBehalfOf: "acme")
        #expect(waiting.failure?.code == .permissionDenied, "a proposal is not a link")

        let accepted = try Self.step(&harness, Self.accept("dist", "acme"), as: "acme").get()
        #expect(PartyLink.State(wire: accepted.state) == .active && accepted.acceptedBy == "acme")
        let filed = try harness.register(Self.port, as: "dist", onBehalfOf: "acme").get()
        #expect(filed.outcome == .approved)
        let held = try #require(try harness.store.registration(RegistrationID(filed.registrationID)))
        #expect(held.holder == PartyID("acme") && held.registrant == PartyID("dist") && held.holderKind == .partner)

        let ended = try Self.step(&harness, Self.unlink("dist", "acme", reason: "contract over"), as: "acme").get()
        #expect(PartyLink.State(wire: ended.state) == .ended && ended.endedBy == "acme")
        #expect(harness.register(Self.quay, as: "dist", onBehalfOf: "acme").failure?.code == .permissionDenied)
        let kept = try #require(try harness.store.registration(RegistrationID(filed.registrationID)))
        #expect(kept == held, "unlinking leaves what was filed with the reseller")
        // A distributor still files for itself without any link.
        #expect(try harness.register(Self.hill, as: "dist").get().outcome == .approved)
    }

    @Test func onlyTheOtherSideAcceptsAndNobodyStepsOnAnotherPairsLink() throws {
        var harness = try Self.harness()
        _ = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        func refused(_ body: WireEnvelope.OneOf_Body, as principal: String) -> String {
            guard case .failure(let error) = Self.step(&harness, body, as: principal) else { return "taken" }
            return "\(error.code.name) \(error.field)"
        }
        #expect(refused(Self.accept("dist", "acme"), as: "dist") == "PERMISSION_DENIED reseller")
        #expect(refused(Self.accept("dist", "acme"), as: "rogue") == "PERMISSION_DENIED distributor")
        #expect(refused(Self.link("dist", "acme"), as: "rogue") == "PERMISSION_DENIED distributor")
        #expect(refused(Self.accept("dist", "acme"), as: "bolt") == "PERMISSION_DENIED reseller")
        #expect(refused(Self.unlink("dist", "acme"), as: "rogue") == "PERMISSION_DENIED distributor")
        // The rogue's own proposal does not let it file for acme either.
        _ = try Self.step(&harness, Self.link("rogue", "acme"), as: "rogue").get()
        #expect(harness.register(Self.port, as: "rogue", onBehalfOf: "acme").failure?.code == .permissionDenied)
        #expect(harness.register(Self.port, as: "dist", onBehalfOf: "acme").failure?.code == .permissionDenied)
        let accepted = try Self.step(&harness, Self.accept("dist", "acme"), as: "acme").get()
        #expect(PartyLink(wire: accepted)?.isActive == true)
        #expect(try harness.register(Self.port, as: "dist", onBehalfOf: "acme").get().outcome == .approved)
        #expect(harness.register(Self.quay, as: "rogue", onBehalfOf: "acme").failure?.code == .permissionDenied)
    }

    /// A suspended distributor could not file under a link, so it may not start one; it may still end one.
    @Test func aSuspendedPartyMayEndALinkButNotStartOne() throws {
        var harness = try Self.harness()
        #expect(throws: Never.self) { try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get() }
        let suspend = harness.send(
            .setStanding(
                .with {
                    $0.partyID = "dist"
                    $0.standing = .suspended
                    $0.reason = "case V-00000001"
                }), as: "admin")
        #expect(Harness.errors(harness.perform(suspend) + harness.endTurn()).isEmpty)
        let refused = Self.step(&harness, Self.link("dist", "bolt"), as: "dist")
        #expect(refused.failure?.code == .registrantSanctioned, "\(refused)")
        #expect(throws: Never.self) { try Self.step(&harness, Self.unlink("dist", "acme"), as: "dist").get() }
    }

    @Test func proposingWhatTheOtherSideProposedAcceptsIt() throws {
        var harness = try Self.harness()
        let asked = try Self.step(&harness, Self.link("dist", "acme"), as: "acme").get()
        #expect(PartyLink.State(wire: asked.state) == .proposedByReseller && asked.proposedBy == "acme")
        let agreed = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        #expect(PartyLink.State(wire: agreed.state) == .active && agreed.acceptedBy == "dist")
        #expect(try harness.register(Self.port, as: "dist", onBehalfOf: "acme").get().outcome == .approved)
    }

    /// One bad step of the table below: who asks, the request, and the code and field of its refusal.
    struct BadStep: Sendable, CustomTestStringConvertible {
        let name: String
        let principal: String
        let body: WireEnvelope.OneOf_Body
        let code: WireErrorCode
        let field: String
        var testDescription: String { name }

        init(
            _ name: String, _ principal: String, _ body: WireEnvelope.OneOf_Body, _ code: WireErrorCode,
            _ field: String
        ) {
            (self.name, self.principal, self.body, self.code, self.field) = (name, principal, body, code, field)
        }
    }

    static let badSteps: [BadStep] = [
        BadStep("no distributor", "acme", link("", "acme"), .missingField, "distributor"),
        BadStep("no reseller", "dist", link("dist", ""), .missingField, "reseller"),
        BadStep("malformed id", "dist", link("dist", "Acme Inc"), .invalidField, "reseller"),
        BadStep("unknown reseller", "dist", link("dist", "ghost"), .invalidField, "reseller"),
        BadStep("unknown distributor", "acme", link("ghost", "acme"), .invalidField, "distributor"),
        BadStep("linked to itself", "dist", link("dist", "dist"), .invalidField, "reseller"),
        BadStep("a seller as reseller", "dist", link("dist", "seller-1"), .invalidField, "reseller"),
        BadStep("a partner as distributor", "acme", link("bolt", "acme"), .invalidField, "distributor"),
        BadStep(
            "a reason with control characters", "dist", link("dist", "acme", reason: "a\u{7}b"), .invalidField, "reason"
        ),
        BadStep("accepting nothing proposed", "acme", accept("dist", "acme"), .notFound, "reseller"),
        BadStep("ending nothing", "dist", unlink("dist", "acme"), .notFound, "reseller"),
        BadStep("the vendor ending without a reason", "cm", unlink("dist", "acme"), .missingField, "reason"),
        BadStep("a seller", "seller-1", link("dist", "acme"), .permissionDenied, ""),
        BadStep("a channel manager proposing", "cm", link("dist", "acme"), .permissionDenied, ""),
    ]

    @Test(arguments: badSteps) func aBadStepIsRefusedWithItsCodeAndField(_ bad: BadStep) throws {
        var harness = try Self.harness()
        let refused = Self.step(&harness, bad.body, as: bad.principal)
        #expect(Self.refusal(refused)?.0 == bad.code, "\(refused)")
        #expect(Self.refusal(refused)?.1 == bad.field, "\(refused)")
        #expect(harness.core.links.isEmpty, "a refused step records nothing")
    }

    @Test func whatIsProposedOrActiveAlreadyIsRefusedAsExisting() throws {
        var harness = try Self.harness()
        _ = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        #expect(Self.refusal(Self.step(&harness, Self.link("dist", "acme"), as: "dist"))?.0 == .alreadyExists)
        _ = try Self.step(&harness, Self.accept("dist", "acme"), as: "acme").get()
        for (body, principal) in [
            (Self.link("dist", "acme"), "dist"), (Self.link("dist", "acme"), "acme"),
            (Self.accept("dist", "acme"), "acme"),
        ] {
            #expect(Self.refusal(Self.step(&harness, body, as: principal))?.0 == .alreadyExists)
        }
        // The vendor ends it with a reason; it can then be proposed afresh.
        let ended = try Self.step(&harness, Self.unlink("dist", "acme", reason: "audit finding"), as: "cm").get()
        #expect(ended.endedBy == "cm" && ended.reason == "audit finding")
        #expect(Self.refusal(Self.step(&harness, Self.unlink("dist", "acme"), as: "dist"))?.0 == .notFound)
        let again = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        #expect(PartyLink.State(wire: again.state) == .proposedByDistributor && again.endedBy.isEmpty)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStepIsAnsweredOnceDurableAndARetryGetsTheStoredAnswer(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let immediate = harness.send(Self.link("dist", "acme"), as: "dist", requestID: "link-1")
        #expect(Harness.envelopes(immediate).isEmpty, "nothing is answered before its commit")
        harness.failNextCommit = true
        let lost = Harness.errors(harness.perform(immediate) + harness.endTurn())
        #expect(lost.map(\.code) == [.unavailable])
        #expect(harness.core.links.isEmpty, "a failed commit keeps no link")
        #expect(try harness.store.links().isEmpty)

        let first = try Self.step(&harness, Self.link("dist", "acme"), as: "dist", requestID: "link-1").get()
        let retried = try Self.step(&harness, Self.link("dist", "acme"), as: "dist", requestID: "link-1").get()
        #expect(retried == first)
        let reused = Self.step(&harness, Self.link("dist", "bolt"), as: "dist", requestID: "link-1")
        #expect(Self.refusal(reused)?.0 == .requestIDReused)
        // A restarted core reads the link back from the store.
        let restarted = try RegistryCore(
            records: harness.store, policy: ProgramPolicy(), settings: RegistryCore.Settings(),
            logger: harness.core.logger)
        #expect(restarted.links.values.map(\.wire) == [first])
    }

    @Test func aLinkEndedWhileTheCheckIsOutRefusesTheRegistration() throws {
        var harness = try Self.harness()
        _ = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        _ = try Self.step(&harness, Self.accept("dist", "acme"), as: "acme").get()
        var deal = Harness.deal(Self.port, lines: ["storage"], tender: false, today: harness.now.today)
        deal.onBehalfOf = "acme"
        _ = harness.send(.registerDeal(deal), as: "dist")
        let checks = Harness.checks(harness.endTurn())
        #expect(checks.count == 1)
        _ = try Self.step(&harness, Self.unlink("dist", "acme"), as: "acme").get()
        let answers = harness.answer(checks[0].checkID, watermark: 0) + harness.endTurn()
        #expect(Harness.errors(answers).map(\.code) == [.permissionDenied])
        #expect(Harness.decisions(answers).isEmpty && harness.core.committed.registrationNumber == 0)
    }

    @Test func aPartnerListsOnlyItsOwnLinksAndTheVendorListsAll() throws {
        var harness = try Self.harness()
        _ = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        _ = try Self.step(&harness, Self.link("rogue", "bolt"), as: "bolt").get()
        func listed(_ principal: String, party: String = "") -> [String] {
            let body = WireEnvelope.OneOf_Body.listLinks(.with { $0.party = party })
            return Harness.envelopes(harness.send(body, as: principal)).flatMap { envelope in
                guard case .listLinksReply(let reply)? = envelope.body else { return [String]() }
                return reply.links.map { "\($0.distributor)>\($0.reseller)" }
            }
        }
        #expect(listed("acme") == ["dist>acme"])
        #expect(listed("acme", party: "bolt") == ["dist>acme"], "a partner's filter cannot widen what it sees")
        #expect(listed("bolt") == ["rogue>bolt"])
        #expect(listed("rogue") == ["rogue>bolt"])
        #expect(listed("cm") == ["dist>acme", "rogue>bolt"])
        #expect(listed("admin", party: "acme") == ["dist>acme"])
        #expect(Harness.errors(harness.send(.listLinks(.init()), as: "seller-1")).map(\.code) == [.permissionDenied])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func eachStepIsAChainedEventInBothSidesFeedsOnly(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let before = harness.core.committed.seq
        _ = try Self.step(&harness, Self.link("dist", "acme"), as: "dist").get()
        _ = try Self.step(&harness, Self.accept("dist", "acme"), as: "acme").get()
        _ = try Self.step(&harness, Self.unlink("dist", "acme", reason: "over"), as: "dist").get()
        let events = try harness.store.feed(nil, after: before, limit: 10).map {
            try WireEvent(serializedBytes: $0.body)
        }
        #expect(events.map(\.seq) == [before + 1, before + 2, before + 3])
        #expect(events.compactMap { PartyLink(wire: $0.link)?.state } == [.proposedByDistributor, .active, .ended])
        for side in ["dist", "acme"] {
            #expect(try harness.store.feed(PartyID(side), after: before, limit: 10).count == 3, "\(side)")
        }
        #expect(try harness.store.feed(PartyID("bolt"), after: before, limit: 10).isEmpty)
        #expect(try harness.store.feed(PartyID("rogue"), after: before, limit: 10).isEmpty)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func theAuditHoldsEveryLinkRowToItsEvent(engine: SQLEngine) throws {
        let scratch = try ScratchStore(engine)
        let store = try scratch.registryStore()
        let pair = PartyLink.Pair(distributor: PartyID("dist"), reseller: PartyID("acme"))
        let proposed = PartyLink(pair: pair, state: .proposedByDistributor, proposedBy: pair.distributor, proposedAt: 1)
        let active = try proposed.accepted(by: .reseller, actor: pair.reseller, at: 2, reason: "")
        try store.commit([RegistryWrite(.link(proposed), seq: 1, time: 1, answer: nil)])
        try store.commit([RegistryWrite(.link(active), seq: 2, time: 2, answer: nil)])
        let intact = try scratch.verifyRegistry()
        #expect(intact.firstBroken == nil && intact.entries == 2)
        // A row that says active while its chained event says proposed is named.
        var forged = RegistryWrite(.link(active), seq: 3, time: 3, answer: nil)
        forged.eventBytes = RegistryWrite(.link(proposed), seq: 3, time: 3, answer: nil).eventBytes
        try store.commit([forged])
        let broken = try scratch.verifyRegistry()
        #expect(broken.firstBroken == "link dist → acme", "\(broken)")
    }
}

extension Result {
    /// The error of a failure; nil for a success.
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
