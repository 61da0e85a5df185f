import DealModel
import Testing

/// What a violation of each type needs to be confirmed at detection, with no officer.
@Suite("AutoConfirmation")
struct AutoConfirmationTests {
    static func violation(_ type: ViolationType, _ evidence: [ConclusiveEvidence]) -> Violation {
        Violation(
            type: type, party: PartyID("bolt"), orderID: "o-1", registrationID: RegistrationID(number: 1), score: 0.999,
            reasons: [], explanation: "", conclusiveEvidence: evidence)
    }

    /// Every type listed in the policy: the evidence found, and whether it is confirmed at once.
    @Test(arguments: [
        (ViolationType.poaching, [ConclusiveEvidence](), false),
        (.poaching, [.nameAndAddress], true),
        (.directBypass, [], false),
        (.directBypass, [.equalDomainAndName], true),
        (.lateRegistration, [], false),
        (.lateRegistration, [.equalTaxID], true),
        (.customerSwitch, [], false),
        (.customerSwitch, [.nameAndAddress], false),
        (.falseTender, [], true),
        (.squatting, [], true),
    ])
    func aListedTypeIsConfirmedOnlyOnWhatItRestsOn(type: ViolationType, evidence: [ConclusiveEvidence], confirmed: Bool)
    {
        var policy = ProgramPolicy()
        policy.autoConfirmed = Set(ViolationType.allCases.map(\.rawValue))
        let verdict = policy.autoConfirmation(of: Self.violation(type, evidence))
        #expect(verdict.confirmed == confirmed, "\(verdict.reason)")
        #expect(verdict.reason.hasPrefix(confirmed ? "Confirmed at detection" : "Waits for an officer"))
    }

    @Test func theDefaultsConfirmBypassAndPoachingOnAnyConclusiveEvidenceAndNothingElse() {
        let policy = ProgramPolicy()
        #expect(policy.autoConfirmEvidence == Set(ConclusiveEvidence.allCases))
        for evidence in ConclusiveEvidence.allCases {
            #expect(policy.autoConfirmation(of: Self.violation(.poaching, [evidence])).confirmed)
            #expect(policy.autoConfirmation(of: Self.violation(.directBypass, [evidence])).confirmed)
            #expect(!policy.autoConfirmation(of: Self.violation(.lateRegistration, [evidence])).confirmed)
        }
        #expect(!policy.autoConfirmation(of: Self.violation(.falseTender, [])).confirmed)
        #expect(!policy.autoConfirmation(of: Self.violation(.squatting, [])).confirmed)
    }

    @Test func evidenceOfAKindThePolicyDoesNotAcceptWaitsAndSaysSo() {
        var policy = ProgramPolicy()
        policy.autoConfirmEvidence = [.equalTaxID]
        let verdict = policy.autoConfirmation(of: Self.violation(.poaching, [.nameAndAddress]))
        #expect(!verdict.confirmed && verdict.reason.contains("name_and_address"))
        let confirmed = policy.autoConfirmation(of: Self.violation(.poaching, [.equalTaxID, .nameAndAddress]))
        #expect(
            confirmed.confirmed
                && confirmed.reason == "Confirmed at detection on conclusive evidence: "
                    + ConclusiveEvidence.equalTaxID.sentence + "."
        )
        policy.autoConfirmEvidence = []
        #expect(!policy.autoConfirmation(of: Self.violation(.poaching, ConclusiveEvidence.allCases)).confirmed)
    }
}
