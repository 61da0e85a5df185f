import DealModel
import Testing

/// Due process and the sanctions ladder as pure values.
@Suite struct EnforcementCaseTests {
    static func record(_ state: EnforcementCase.State, appealed: Bool = false) -> EnforcementCase {
        let violation = DetectedViolation(
            id: ViolationID(number: 1),
            violation: Violation(
                type: .poaching, party: PartyID("bolt"), orderID: "o-1", registrationID: RegistrationID(number: 1),
                score: 0.99, reasons: [], explanation: ""),
            detectedAt: 0)
        let steps = appealed ? [EnforcementCase.Step(time: 0, actor: PartyID("bolt"), action: .appeal, reason: "")] : []
        return EnforcementCase(violation: violation, state: state, steps: steps, sanction: nil)
    }

    @Test(arguments: [
        (EnforcementCase.State.open, [EnforcementCase.StepAction.confirm, .dismiss]),
        (.confirmed, [.appeal]),
        (.appealed, [.uphold, .overturn]),
        (.upheld, []),
        (.dismissed, []),
        (.overturned, []),
    ])
    func eachStateAllowsOnlyItsSteps(state: EnforcementCase.State, allowed: [EnforcementCase.StepAction]) {
        let allows = EnforcementCase.StepAction.allCases.filter { Self.record(state).allows($0) }
        #expect(allows == allowed)
    }

    @Test func aConfirmedCaseIsAppealedOnce() {
        var record = Self.record(.confirmed)
        record.take(.init(time: 1, actor: PartyID("bolt"), action: .appeal, reason: "the customer chose us"))
        #expect(record.state == .appealed && record.state.isStanding)
        #expect(!Self.record(.confirmed, appealed: true).allows(.appeal))
    }

    @Test func theLastRungRepeatsAndKindsOutsideTheLadderAreNotSanctioned() {
        let ladder = SanctionLadder.standard
        #expect(
            (1...5).map { ladder.level(for: .partner, rung: $0) } == [
                .warning, .benefitsLost, .suspension, .expulsion, .expulsion,
            ])
        #expect(ladder.level(for: .seller, rung: 3) == .terminationReview)
        #expect(ladder.level(for: .channelManager, rung: 1) == nil)
        var custom = ladder
        #expect(throws: SanctionLadder.Refusal.notApplicable(index: 1, .expulsion)) {
            try custom.replace(.seller, with: [.warning, .expulsion])
        }
        #expect(throws: SanctionLadder.Refusal.empty) { try custom.replace(.partner, with: []) }
        #expect(custom == ladder, "a refused ladder changes nothing")
    }

    @Test func theRegistryHoldsAPartyToItsGravestSanctionInForce() {
        #expect(PartyStanding.gravest(of: [.benefitsLost, .suspended]) == .suspended)
        #expect(PartyStanding.gravest(of: []) == .active)
        let suspension = Sanction(
            id: SanctionID(number: 1), party: PartyID("bolt"), level: .suspension, caseID: ViolationID(number: 1),
            reason: "", time: 0)
        #expect(!suspension.registryApplied && suspension.reachesRegistry)
        #expect(!suspension.lifted.active && !suspension.lifted.registryApplied)
        let warning = Sanction(
            id: SanctionID(number: 2), party: PartyID("bolt"), level: .warning, caseID: ViolationID(number: 2),
            reason: "", time: 0)
        #expect(warning.registryApplied && warning.lifted.registryApplied)
    }

    @Test func idsNumberAsTheStoreSortsThem() {
        #expect(ViolationID(number: 42).rawValue == "V-00000042" && ViolationID("V-00000042").number == 42)
        #expect(SanctionID(number: 123_456_789).rawValue == "S-123456789")
        #expect(ViolationID("DR-00000001").number == nil)
    }
}
