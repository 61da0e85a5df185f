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

    func types(by booker: String, _ kind: PartyKind, _ candidates: [ScoredCandidate], on day: CalendarDate = today)
        -> [ViolationType]
    {
        let booking = Booking(
            orderID: "o", customer: customer, productLines: ["storage"],
            amount: Money(minorUnits: 100, currency: "EUR"),
            bookedBy: PartyID(booker), bookedOn: day)
        return rules.violations(
            of: booking, by: ViolationRules.Booker(id: PartyID(booker), kind: kind), candidates: candidates,
            claimed: nil
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
