import DealModel
import Testing

@Suite("DecisionRules")
struct DecisionRulesTests {
    static let today = CalendarDate(iso: "2026-11-27")!  // a Friday
    static let now: Int64 = 1_795_737_600
    /// Thresholds of their own, so that these tests follow the rules, not the tuned defaults.
    static let policy: ProgramPolicy = {
        var policy = ProgramPolicy()
        policy.conflictThreshold = 0.90
        policy.reviewThreshold = 0.75
        return policy
    }()
    let rules = DecisionRules(policy: policy)
    let newID = RegistrationID(number: 100)
    let me = PartyID("partner-alpha")
    let rival = PartyID("partner-rival-gmbh")
    let customerName = "Hôpital Saint-Exupéry"

    func request(lines: [String] = ["storage", "backup"], tender: Bool = false) -> DealRequest {
        DealRequest(
            customer: Customer(legalName: customerName, city: "Lyon", postalCode: "69003", country: "FR"),
            productLines: lines, amount: Money(minorUnits: 5_000_000, currency: "EUR"),
            expectedClose: Self.today.adding(days: 30), tender: tender,
            tenderReference: tender ? "2026/S 123-456789" : nil)
    }

    /// A registration already in the index.
    func held(
        _ number: Int64, by holder: PartyID, kind: PartyKind = .partner, lines: [String] = ["storage"],
        tender: Bool = false, status: RegistrationStatus = .approved,
        protectedUntil: CalendarDate? = today.adding(days: 30)
    ) -> Registration {
        let id = RegistrationID(number: number)
        return Registration(
            id: id, registrant: holder, holder: holder, holderKind: kind,
            request: request(lines: lines, tender: tender),
            status: status,
            decision: Decision(
                registrationID: id, outcome: .approved, protectedUntil: protectedUntil, explanation: "", decidedAt: 0))
    }

    func decide(
        _ candidates: [ScoredCandidate], request: DealRequest? = nil, holder: DecisionRules.Holder? = nil,
        rules: DecisionRules? = nil
    ) -> Decision {
        (rules ?? self.rules).decide(
            id: newID, request: request ?? self.request(),
            holder: holder ?? DecisionRules.Holder(id: me, kind: .partner),
            candidates: candidates, today: Self.today, now: Self.now)
    }

    /// A registration that left the active states on `closedOn`.
    func closed(
        _ number: Int64, by holder: PartyID, kind: PartyKind = .partner, status: RegistrationStatus,
        closedOn: CalendarDate
    ) -> Registration {
        var registration = held(number, by: holder, kind: kind, status: status)
        registration.closedOn = closedOn
        return registration
    }

    func scored(_ registration: Registration, _ score: Double) -> ScoredCandidate {
        ScoredCandidate(
            registration: registration, score: score, reasons: [MatchReason(field: "name", similarity: score)])
    }

    @Test func approvesAndProtectsWhenThereAreNoCandidates() {
        let decision = decide([])
        #expect(decision.outcome == .approved)
        #expect(decision.registrationID == newID)
        #expect(decision.protectedUntil == Self.today.adding(days: 90))
        #expect(decision.reviewDue == nil)
        #expect(decision.conflictingRegistrationID == nil)
        #expect(decision.matches.isEmpty)
        #expect(decision.decidedAt == Self.now)
    }

    @Test func reportsADuplicateWhenTheSameHolderHoldsAStrongMatch() {
        let mine = held(7, by: me)
        let decision = decide([scored(mine, 0.95)])
        #expect(decision.outcome == .duplicate)
        #expect(decision.conflictingRegistrationID == mine.id)
        #expect(decision.protectedUntil == nil)
        #expect(decision.explanation.contains(mine.id.rawValue))
    }

    @Test func duplicateTakesPrecedenceOverAnotherHoldersConflict() {
        let decision = decide([scored(held(8, by: rival), 0.99), scored(held(7, by: me), 0.92)])
        #expect(decision.outcome == .duplicate)
        #expect(decision.conflictingRegistrationID == RegistrationID(number: 7))
    }

    @Test(arguments: [PartyKind.partner, .distributor, .seller])
    func rejectsWhenAnotherHolderHoldsAStrongMatchOnOverlappingLines(kind: PartyKind) throws {
        let theirs = held(8, by: rival, kind: kind, lines: ["backup", "network"])
        let decision = decide([scored(theirs, 0.93)])
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == theirs.id)
        #expect(decision.protectedUntil == nil)
        #expect(decision.reviewDue == nil)
        let match = try #require(decision.matches.first)
        #expect(match.registrationID == theirs.id)
        #expect(match.overlappingProductLines.isEmpty, "another holder's products are not told")
        #expect(!decision.explanation.contains("backup"))
        #expect(match.holderKind == kind)
        #expect(decision.explanation.contains(theirs.id.rawValue))
        #expect(decision.explanation.contains(kind.isChannel ? "another partner" : "the vendor's direct sales"))
    }

    @Test func conflictExplanationDoesNotRevealTheHolderOrTheCustomer() {
        let decision = decide([scored(held(8, by: rival), 0.97)])
        #expect(decision.outcome == .rejected)
        #expect(!decision.explanation.contains(rival.rawValue))
        #expect(!decision.explanation.contains("rival"))
        #expect(!decision.explanation.contains(customerName))
        #expect(!decision.explanation.contains("Exupéry"))
    }

    @Test func rejectsAgainstTheBestScoringConflict() {
        let decision = decide([scored(held(8, by: rival), 0.91), scored(held(9, by: PartyID("partner-third")), 0.98)])
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == RegistrationID(number: 9))
        #expect(decision.matches.map(\.registrationID) == [RegistrationID(number: 9), RegistrationID(number: 8)])
    }

    @Test func breaksScoreTiesByRegistrationID() {
        let decision = decide([scored(held(12, by: rival), 0.95), scored(held(11, by: rival), 0.95)])
        #expect(decision.conflictingRegistrationID == RegistrationID(number: 11))
    }

    @Test func approvesWhenProductLinesDoNotOverlap() {
        let decision = decide([scored(held(8, by: rival, lines: ["network", "security"]), 0.99)])
        #expect(decision.outcome == .approved)
        #expect(decision.conflictingRegistrationID == nil)
        #expect(decision.matches.isEmpty)
    }

    @Test(arguments: [(false, true), (true, true)])
    func approvesNextToAHeldTender(newIsTender: Bool, heldIsTender: Bool) {
        let theirs = held(8, by: rival, tender: heldIsTender)
        let decision = decide([scored(theirs, 0.99)], request: request(tender: newIsTender))
        #expect(decision.outcome == .approved)
        #expect(decision.conflictingRegistrationID == nil)
        #expect(decision.matches.map(\.registrationID) == [theirs.id])
        #expect(decision.matches.first?.tender == heldIsTender)
    }

    /// A tender is a claim until a channel manager has seen it: on a customer another party protects it goes to
    /// review (it used to be approved at once, so any partner could open a protected customer by saying "tender").
    @Test(arguments: [0.99, 0.80])
    func sendsATenderOnAProtectedCustomerToReview(score: Double) {
        let theirs = held(8, by: rival)
        let decision = decide([scored(theirs, score)], request: request(tender: true))
        #expect(decision.outcome == .pendingReview)
        #expect(decision.conflictingRegistrationID == nil)
        #expect(decision.explanation.contains(theirs.id.rawValue) && decision.explanation.contains("tender"))
        #expect(decision.reviewDue != nil && decision.protectedUntil == nil)
    }

    @Test func approvesATenderOnAFreeCustomerOrOnItsOwn() {
        #expect(decide([], request: request(tender: true)).outcome == .approved)
        let ours = held(8, by: me, lines: ["network"])
        #expect(decide([scored(ours, 0.99)], request: request(tender: true)).outcome == .approved)
    }

    @Test(arguments: [0.75, 0.80, 0.89])
    func sendsAnUncertainMatchToReview(score: Double) {
        let theirs = held(8, by: rival)
        let decision = decide([scored(theirs, score)])
        #expect(decision.outcome == .pendingReview)
        #expect(decision.reviewDue == CalendarDate(iso: "2026-12-01"))  // Friday + 2 business days
        #expect(decision.protectedUntil == nil)
        #expect(decision.conflictingRegistrationID == nil)
        #expect(decision.matches.map(\.registrationID) == [theirs.id])
        #expect(!decision.explanation.contains(rival.rawValue))
    }

    @Test func rejectsAtExactlyTheConflictThreshold() {
        #expect(decide([scored(held(8, by: rival), 0.90)]).outcome == .rejected)
    }

    @Test(arguments: [0.0, 0.5, 0.7499])
    func ignoresMatchesBelowTheReviewThreshold(score: Double) {
        let decision = decide([scored(held(8, by: rival), score)])
        #expect(decision.outcome == .approved)
        #expect(decision.matches.isEmpty)
    }

    @Test func approvesAnUncertainMatchWithTheSameHolder() {
        #expect(decide([scored(held(7, by: me), 0.80)]).outcome == .approved)
    }

    @Test func ignoresProtectionThatExpiredBeforeToday() {
        let expired = held(8, by: rival, protectedUntil: Self.today.adding(days: -1))
        let decision = decide([scored(expired, 0.99)])
        #expect(decision.outcome == .approved)
        #expect(decision.matches.isEmpty)
    }

    @Test func protectionEndingTodayStillHolds() {
        let endingToday = held(8, by: rival, protectedUntil: Self.today)
        #expect(decide([scored(endingToday, 0.99)]).outcome == .rejected)
    }

    @Test(arguments: [RegistrationStatus.rejected, .won, .lost, .expired, .withdrawn])
    func ignoresRegistrationsThatNoLongerHoldTheCustomer(status: RegistrationStatus) {
        let decision = decide([scored(held(8, by: rival, status: status), 0.99)])
        #expect(decision.outcome == .approved)
        #expect(decision.matches.isEmpty)
    }

    @Test func aRegistrationInReviewHoldsTheCustomer() {
        let inReview = held(8, by: rival, status: .pendingReview, protectedUntil: nil)
        let decision = decide([scored(inReview, 0.99)])
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == inReview.id)
    }

    @Test func ignoresTheRegistrationBeingDecided() {
        let itself = held(100, by: rival)
        #expect(decide([scored(itself, 0.99)]).outcome == .approved)
    }

    // MARK: lifecycle rules

    @Test func anInternalSellerIsRefusedOnAPartnerManagedAccount() {
        let won = closed(9, by: rival, status: .won, closedOn: Self.today.adding(days: -100))
        let decision = decide([scored(won, 0.97)], holder: DecisionRules.Holder(id: PartyID("seller-1"), kind: .seller))
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == won.id)
        #expect(decision.explanation.contains("work with the partner"))
    }

    @Test func anotherPartnerOnAPartnerManagedAccountGoesToReview() {
        let won = closed(9, by: rival, status: .won, closedOn: Self.today.adding(days: -100))
        let decision = decide([scored(won, 0.97)])
        #expect(decision.outcome == .pendingReview)
        #expect(decision.explanation.contains("partner-managed"))
    }

    @Test func theWinningPartnerAndExpiredIncumbencyAreFree() {
        let mine = closed(9, by: me, status: .won, closedOn: Self.today.adding(days: -100))
        #expect(decide([scored(mine, 0.97)]).outcome == .approved)
        let old = closed(10, by: rival, status: .won, closedOn: Self.today.adding(days: -366))
        #expect(
            decide([scored(old, 0.97)], holder: DecisionRules.Holder(id: PartyID("s"), kind: .seller)).outcome
                == .approved)
        // Won by direct sales: not a partner-managed account.
        let direct = closed(11, by: PartyID("seller-2"), kind: .seller, status: .won, closedOn: Self.today)
        #expect(decide([scored(direct, 0.97)]).outcome == .approved)
    }

    @Test func reRegisteringWithinTheCooldownOfOwnExpiryGoesToReview() {
        let expired = closed(12, by: me, status: .expired, closedOn: Self.today.adding(days: -10))
        let decision = decide([scored(expired, 0.97)])
        #expect(decision.outcome == .pendingReview)
        #expect(decision.explanation.contains("expired"))
        let longAgo = closed(13, by: me, status: .expired, closedOn: Self.today.adding(days: -31))
        #expect(decide([scored(longAgo, 0.97)]).outcome == .approved)
        // Someone else's expired registration frees the customer at once.
        let theirs = closed(14, by: rival, status: .expired, closedOn: Self.today.adding(days: -1))
        #expect(decide([scored(theirs, 0.97)]).outcome == .approved)
    }

    /// Every end of one's own protection cools the customer down for its holder, not only an expiry: withdrawing
    /// and filing again used to give a fresh term (and a fresh extension) at once.
    @Test(arguments: [
        (RegistrationStatus.withdrawn, "withdrew"), (.lost, "lost"), (.rejected, "rejected in review"),
        (.expired, "expired"),
    ])
    func reRegisteringWithinTheCooldownOfAnyEndOfOwnProtectionGoesToReview(status: RegistrationStatus, word: String) {
        let ended = closed(15, by: me, status: status, closedOn: Self.today.adding(days: -3))
        let decision = decide([scored(ended, 0.97)])
        #expect(decision.outcome == .pendingReview, "\(status)")
        #expect(decision.explanation.contains(word) && decision.explanation.contains(ended.id.rawValue))
        let longAgo = closed(16, by: me, status: status, closedOn: Self.today.adding(days: -31))
        #expect(decide([scored(longAgo, 0.97)]).outcome == .approved, "\(status) after the cooldown")
    }

    /// Withdrawing and filing again under another spelling of the same customer (a match worth a review, below the
    /// conflict threshold) is no way around the cooldown; someone else's ended registration at that score is.
    @Test func aRespellingOfOnesOwnEndedProtectionGoesToReviewToo() {
        let withdrawn = closed(18, by: me, status: .withdrawn, closedOn: Self.today.adding(days: -2))
        let decision = decide([scored(withdrawn, 0.8)])
        #expect(decision.outcome == .pendingReview)
        #expect(decision.explanation.contains("may be this opportunity (DR-00000018, score 0.80)"))
        let theirs = closed(19, by: rival, status: .withdrawn, closedOn: Self.today.adding(days: -2))
        #expect(decide([scored(theirs, 0.8)]).outcome == .approved)
        let longAgo = closed(20, by: me, status: .withdrawn, closedOn: Self.today.adding(days: -31))
        #expect(decide([scored(longAgo, 0.8)]).outcome == .approved)
    }

    @Test func aRegistrationRejectedAtItsDecisionHeldNothingAndCoolsNothing() {
        var refused = held(17, by: me, status: .rejected)
        refused.closedOn = nil
        #expect(!refused.isIndexed)
        #expect(decide([scored(refused, 0.97)]).outcome == .approved)
    }

    @Test func protectionFollowsTheHoldersTierAndDecisionsCarryThePolicyVersion() {
        var policy = Self.policy
        policy.protectionDaysByTier = ["gold": 120]
        policy.version = "test+0000"
        let rules = DecisionRules(policy: policy)
        let gold = decide([], holder: DecisionRules.Holder(id: me, kind: .partner, tier: "gold"), rules: rules)
        #expect(gold.protectedUntil == Self.today.adding(days: 120))
        #expect(gold.policyVersion == "test+0000")
        #expect(decide([], rules: rules).protectedUntil == Self.today.adding(days: 90))
    }

    @Test func aHolderThatLostItsBenefitsGoesToReviewAtTheBaseTermButStillLosesConflicts() {
        var policy = Self.policy
        policy.protectionDaysByTier = ["gold": 120]
        let rules = DecisionRules(policy: policy)
        let sanctioned = DecisionRules.Holder(id: me, kind: .partner, tier: "gold", benefitsLost: true)
        let review = decide([], holder: sanctioned, rules: rules)
        #expect(review.outcome == .pendingReview)
        #expect(review.explanation.contains("lost its deal-registration benefits"))
        #expect(review.explanation.contains("base 90 days"))
        #expect(rules.policy.protectionDays(for: sanctioned) == 90)
        #expect(decide([scored(held(8, by: rival), 0.97)], holder: sanctioned, rules: rules).outcome == .rejected)
        // A public tender is open to all and protects nobody: the sanction changes nothing there.
        #expect(decide([], request: request(tender: true), holder: sanctioned, rules: rules).outcome == .approved)
    }

    @Test func aReviewIsDueAfterTheCustomersCountrysBusinessDays() {
        // Friday 2026-11-27 (FR): Monday and Tuesday are the two business days.
        let review = decide([scored(held(8, by: rival), 0.80)])
        #expect(review.outcome == .pendingReview)
        #expect(review.reviewDue == CalendarDate(iso: "2026-12-01"))
    }
}

@Suite struct MatchReasonFormatTests {
    @Test(arguments: [
        (0.97, "0.97"), (1.0, "1.00"), (0.05, "0.05"), (-0.5, "-0.50"), (Double.nan, "?"), (-1.7e300, "?"),
        (Double.infinity, "?"),
    ])
    func printsTwoDecimalsAndNeverTrapsOnHostileValues(value: Double, text: String) {
        #expect(MatchReason.format(value) == text)
    }
}

extension DecisionRulesTests {
    /// Held lines, requested lines: overlapping through the catalog's hierarchy, or a stored alias.
    static let overlappingLines: [([String], [String])] = [
        (["storage"], ["storage/arrays"]),
        (["storage/arrays"], ["storage"]),
        (["storage/arrays", "laptops"], ["servers", "storage"]),
        (["backup"], ["storage"]),  // stored before the catalog, as its alias
    ]

    @Test(arguments: overlappingLines)
    func rejectsARivalOnLinesThatOverlapThroughTheCatalog(held lines: [String], requested: [String]) {
        let theirs = held(8, by: rival, lines: lines)
        let decision = decide([scored(theirs, 0.97)], request: request(lines: requested))
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == theirs.id)
    }

    @Test(arguments: [(["storage/arrays"], ["storage/backup"]), (["storage"], ["servers", "services/support"])])
    func approvesARivalOnLinesThatDoNotOverlap(held lines: [String], requested: [String]) {
        let decision = decide([scored(held(8, by: rival, lines: lines), 0.97)], request: request(lines: requested))
        #expect(decision.outcome == .approved)
        #expect(decision.matches.isEmpty)
    }

    @Test func tellsTheHolderBothLinesOfEachOverlappingPair() throws {
        let mine = held(7, by: me, lines: ["storage", "laptops"])
        let decision = decide([scored(mine, 0.97)], request: request(lines: ["storage/arrays", "servers"]))
        #expect(decision.outcome == .duplicate)
        #expect(try #require(decision.matches.first).overlappingProductLines == ["storage", "storage/arrays"])
    }
}
