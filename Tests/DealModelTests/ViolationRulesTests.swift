import DealModel
import Testing

@Suite("ViolationRules")
struct ViolationRulesTests {
    static let today = CalendarDate(iso: "2026-11-27")!
    let rules = ViolationRules(policy: ProgramPolicy())
    let customer = Customer(legalName: "Filature du Nord SAS", postalCode: "59000", country: "FR")

    func registration(
        _ number: Int64, holder: String, kind: PartyKind = .partner, status: RegistrationStatus = .approved,
        closedOn: CalendarDate? = nil, decidedOn: CalendarDate = today
    ) -> ScoredCandidate {
        let id = RegistrationID(number: number)
        var registration = Registration(
            id: id, registrant: PartyID(holder), holder: PartyID(holder), holderKind: kind,
            request: DealRequest(
                customer: customer, productLines: ["storage"], amount: Money(minorUnits: 100, currency: "EUR"),
                expectedClose: Self.today.adding(days: 60)),
            status: status,
            decision: Decision(
                registrationID: id, outcome: .approved, protectedUntil: Self.today.adding(days: 30), explanation: "",
                decidedAt: Int64(decidedOn.daysSinceEpoch) * 86_400))
        registration.closedOn = closedOn
        return ScoredCandidate(registration: registration, score: 0.99, reasons: [])
    }

    func types(
        by booker: String, _ kind: PartyKind, _ candidates: [ScoredCandidate], on day: CalendarDate = today,
        claiming claimed: ScoredCandidate? = nil
    ) -> [ViolationType] {
        let booking = Booking(
            orderID: "o", customer: customer, productLines: ["storage"],
            amount: Money(minorUnits: 100, currency: "EUR"),
            bookedBy: PartyID(booker), bookedOn: day)
        return rules.violations(
            of: booking, by: ViolationRules.Booker(id: PartyID(booker), kind: kind), candidates: candidates,
            claimed: claimed
        ).map(\.type)
    }

    @Test func aSellerOnAPartnerManagedAccountIsADirectBypass() {
        let won = registration(1, holder: "acme", status: .won, closedOn: Self.today.adding(days: -40))
        #expect(types(by: "seller-1", .seller, [won]) == [.directBypass])
        // A partner booking a won account is not poaching: the account is the partner's, not a live protection.
        #expect(types(by: "bolt", .partner, [won]).isEmpty)
    }

    @Test func aDistributorBookingAnotherPartnersProtectionIsPoaching() {
        #expect(types(by: "dist", .distributor, [registration(1, holder: "acme")]) == [.poaching])
    }

    /// The booker's own public tender for the customer, as it stands: confirmed in review (decided PENDING_REVIEW
    /// first), or approved at once `daysBefore` days before today.
    func tender(
        _ number: Int64, holder: String, status: RegistrationStatus, reviewed: Bool = true, daysBefore: Int = 0
    ) -> ScoredCandidate {
        var tender = registration(
            number, holder: holder, status: status, decidedOn: Self.today.adding(days: -daysBefore))
        tender.registration.request.tender = true
        tender.registration.request.tenderReference = "2026/S 123-456789"
        if reviewed { tender.registration.decision.outcome = .pendingReview }
        return tender
    }

    /// Winning a public tender is not poaching, however the customer is protected: the booking quotes the tender
    /// a channel manager confirmed, or one filed before the protection. A tender rejected in review, an unchecked
    /// one filed after the protection, or a booking that does not quote the tender, is poaching as before.
    @Test func aBookingThatQuotesItsConfirmedTenderIsNotPoaching() {
        let protected = registration(1, holder: "acme")
        for status in [RegistrationStatus.approved, .won] {
            let confirmed = tender(2, holder: "bolt", status: status)
            #expect(types(by: "bolt", .partner, [protected, confirmed], claiming: confirmed).isEmpty, "\(status)")
        }
        let earlier = tender(2, holder: "bolt", status: .approved, reviewed: false, daysBefore: 3)
        #expect(types(by: "bolt", .partner, [protected, earlier], claiming: earlier).isEmpty, "filed first")
        let unchecked = tender(2, holder: "bolt", status: .approved, reviewed: false)
        #expect(types(by: "bolt", .partner, [protected, unchecked], claiming: unchecked) == [.poaching])
        let confirmed = tender(2, holder: "bolt", status: .approved)
        #expect(types(by: "bolt", .partner, [protected, confirmed]) == [.poaching], "the tender was not quoted")
        for status in [RegistrationStatus.rejected, .pendingReview, .withdrawn] {
            let unconfirmed = tender(2, holder: "bolt", status: status)
            #expect(
                types(by: "bolt", .partner, [protected, unconfirmed], claiming: unconfirmed) == [.poaching],
                "\(status)")
        }
        // Someone else's tender proves nothing for the booker.
        let theirs = tender(3, holder: "carat", status: .approved)
        #expect(types(by: "bolt", .partner, [protected, theirs], claiming: theirs) == [.poaching])
    }

    @Test func directSalesProtectionsAndExpiredOnesAreNotViolations() {
        #expect(types(by: "seller-1", .seller, [registration(1, holder: "seller-2", kind: .seller)]).isEmpty)
        #expect(types(by: "bolt", .partner, [registration(1, holder: "acme")], on: Self.today.adding(days: 31)).isEmpty)
    }
}

extension ViolationRulesTests {
    @Test(arguments: [(["storage/arrays"], true), (["storage", "servers"], true), (["servers"], false)])
    func aBookingViolatesAProtectionOnLinesThatOverlapThroughTheCatalog(lines: [String], violates: Bool) {
        let booking = Booking(
            orderID: "o", customer: customer, productLines: lines, amount: Money(minorUnits: 100, currency: "EUR"),
            bookedBy: PartyID("seller-1"), bookedOn: Self.today)
        let found = rules.violations(
            of: booking, by: ViolationRules.Booker(id: PartyID("seller-1"), kind: .seller),
            candidates: [registration(1, holder: "acme")], claimed: nil)
        #expect(found.map(\.type) == (violates ? [.directBypass] : []))
    }
}
