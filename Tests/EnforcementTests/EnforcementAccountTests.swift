import DealModel
import DealStore
import DealWire
import Testing

@testable import Enforcement

/// Bookings judged against accounts: a booking of any spelling of an account meets every watched registration of
/// it, a merged account's id stands for the account it went into, and both survive a restart.
extension EnforcementCoreTests {
    static let telekom = Customer(
        legalName: "Deutsche Telekom AG", street: "Friedrich-Ebert-Allee 140", city: "Bonn", postalCode: "53113",
        country: "DE")
    static let telekomDeutschland = Customer(
        legalName: "Telekom Deutschland GmbH", street: "Landgrabenweg 151", city: "Bonn", postalCode: "53227",
        country: "DE")

    /// Registration `number` of `customer` in `account`, held by `holder` on `line`.
    static func registration(
        _ number: Int64, of customer: Customer, in account: String, by holder: String, kind: PartyKind = .partner,
        line: String, status: RegistrationStatus = .approved, decidedOn day: CalendarDate
    ) -> Registration {
        var made = Self.registration(number, of: customer, by: holder, kind: kind, status: status, decidedOn: day)
        made.request.productLines = [line]
        made.account = AccountID(account)
        if [.won, .lost, .withdrawn, .expired].contains(status) { made.closedOn = day.adding(days: 30) }
        return made
    }

    /// The violations `booking` revealed, each as its type and the registration it names, or the code it was
    /// refused with.
    static func found(_ harness: inout Harness, _ booking: Booking) -> [String] {
        switch harness.book(booking) {
        case .success(let reply):
            reply.violations.map { "\(ViolationType(wire: $0.type)?.rawValue ?? "?") \($0.registrationID)" }
        case .failure(let error): [error.code.name]
        }
    }

    /// acme's storage registration of Deutsche Telekom and bolt's servers registration of Telekom Deutschland, two
    /// spellings of one account.
    static func telekomAccount(decidedOn day: CalendarDate) -> (first: Registration, second: Registration) {
        (
            Self.registration(1, of: Self.telekom, in: "AC-00000001", by: "acme", line: "storage", decidedOn: day),
            Self.registration(
                2, of: Self.telekomDeutschland, in: "AC-00000001", by: "bolt", line: "servers", decidedOn: day)
        )
    }

    @Test func aBookingSpelledLikeAnAccountsSecondSpellingPoachesItsFirstRegistration() throws {
        var harness = try Harness()
        let day = harness.today
        let (first, second) = Self.telekomAccount(decidedOn: day)
        harness.publish([first, second])
        let booking = Self.booking("o-1", of: Self.telekomDeutschland, by: "crest", on: day)
        #expect(Self.found(&harness, booking) == ["POACHING \(first.id)"])
        // acme's own booking under the other spelling, quoting its registration, is not a customer switch.
        var own = Self.booking("o-2", of: Self.telekomDeutschland, by: "acme", on: day)
        own.claimedRegistration = first.id
        #expect(Self.found(&harness, own).isEmpty)
        // The account map comes back from the store.
        try harness.restart()
        #expect(
            Self.found(&harness, Self.booking("o-3", of: Self.telekomDeutschland, by: "seller-1", on: day)) == [
                "DIRECT_BYPASS \(first.id)"
            ])
        // What the poacher lists of its violations names acme's registration, as any poaching does, and nothing of
        // bolt's.
        let listed = Harness.envelopes(harness.call(.listViolations(.init()), as: "crest"))
        let violations = try #require(listed.first).listViolationsReply.violations
        #expect(violations.map(\.registrationID) == [first.id.rawValue] && violations.map(\.party) == ["crest"])
        #expect(!violations.contains { $0.explanation.contains(second.id.rawValue) || $0.explanation.contains("bolt") })
    }

    /// 199 settled or lapsed registrations of one account by 40 partners over five lines, and acme's one active
    /// protection of storage: the index answers a booking with the best few of those that tie, never acme's, yet
    /// the booking is judged against acme's through the account.
    @Test func aBigAccountIsJudgedWholeHoweverManyOfItsRegistrationsTie() throws {
        var harness = try Harness()
        let day = harness.today
        let lines = ["storage", "servers", "networking", "software", "services"]
        let settled: [RegistrationStatus] = [.withdrawn, .lost, .expired]
        var registrations = (1...199).map { number in
            let line = lines[number % lines.count]
            return Self.registration(
                Int64(number), of: Self.telekom, in: "AC-00000007", by: "partner-\(number % 40)", line: line,
                status: line == "storage" || number % 2 == 0 ? settled[number % settled.count] : .approved,
                decidedOn: day.adding(days: -150))
        }
        // Spelled shorter than the others, it shares fewer keys with the booking than the 199 that tie above it.
        let protection = Self.registration(
            200, of: Customer(legalName: "Deutsche Telekom AG", city: "Bonn", country: "DE"), in: "AC-00000007",
            by: "acme", line: "storage", decidedOn: day)
        registrations.append(protection)
        harness.publish(registrations)
        #expect(
            Self.found(&harness, Self.booking("o-1", of: Self.telekom, by: "bolt", on: day)) == [
                "POACHING \(protection.id)"
            ])
        #expect(
            Self.found(&harness, Self.booking("o-2", of: Self.telekom, by: "seller-1", on: day)) == [
                "DIRECT_BYPASS \(protection.id)"
            ])
        #expect(Self.found(&harness, Self.booking("o-3", of: Self.telekom, by: "acme", on: day)).isEmpty)
    }

    static func merged(_ id: String, into survivor: String) -> Dealreg_V1_Account {
        Account(id: AccountID(id), state: .merged(into: AccountID(survivor)), actor: PartyID("cm"), reason: "one")
            .wire
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aMergedAccountsSpellingIsJudgedAgainstTheAccountItWentIntoAcrossARestart(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let day = harness.today
        let held = Self.registration(
            1, of: Self.telekom, in: "AC-00000001", by: "acme", line: "storage", decidedOn: day)
        let other = Self.registration(
            2, of: Self.telekomDeutschland, in: "AC-00000002", by: "bolt", line: "servers", decidedOn: day)
        harness.publish([held, other])
        let booking = { (order: String) in Self.booking(order, of: Self.telekomDeutschland, by: "crest", on: day) }
        #expect(Self.found(&harness, booking("o-1")).isEmpty, "two accounts: nothing of acme's is met")

        // An unreadable account event is passed over, and the events after it followed.
        var unreadable = Self.merged("AC-00000002", into: "AC-00000001")
        unreadable.state = .unspecified
        harness.publish(account: unreadable)
        harness.publish(
            account: Account(id: AccountID("AC-00000009"), state: .merged(into: AccountID("AC-00000009"))).wire)
        #expect(Self.found(&harness, booking("o-2")).isEmpty)
        #expect(harness.core.committed.cursor == 4)

        // Merged, the moved registration not yet published again: AC-2 stands for AC-1, after a restart too.
        harness.publish(account: Self.merged("AC-00000002", into: "AC-00000001"))
        #expect(Self.found(&harness, booking("o-3")) == ["POACHING \(held.id)"])
        try harness.restart()
        #expect(harness.core.mirror.mergedInto == [AccountID("AC-00000002"): AccountID("AC-00000001")])
        #expect(Self.found(&harness, booking("o-4")) == ["POACHING \(held.id)"])

        // The registry publishes the moved registration under AC-1.
        var moved = other
        moved.account = AccountID("AC-00000001")
        harness.publish([moved])
        let watched = try harness.core.watchedRegistrations(of: [AccountID("AC-00000001"), AccountID("AC-00000002")])
        #expect(watched[AccountID("AC-00000001")].map { Set($0.map(\.id)) } == [held.id, other.id])
        #expect(watched[AccountID("AC-00000002")] == nil)
        try harness.restart()
        #expect(Self.found(&harness, booking("o-5")) == ["POACHING \(held.id)"])

        // Split off again into a new account, the registration no longer meets acme's.
        harness.publish(account: Account(id: AccountID("AC-00000003"), actor: PartyID("cm"), reason: "two").wire)
        var split = moved
        split.account = AccountID("AC-00000003")
        harness.publish([split])
        #expect(Self.found(&harness, booking("o-6")).isEmpty)
        try harness.restart()
        #expect(Self.found(&harness, booking("o-7")).isEmpty)
    }

    @Test func aRegistrationWithoutAnAccountIsJudgedAlone() throws {
        var harness = try Harness()
        let day = harness.today
        var first = Self.registration(
            1, of: Self.telekom, in: "AC-00000001", by: "acme", line: "storage", decidedOn: day)
        first.account = nil
        var second = Self.registration(
            2, of: Self.telekomDeutschland, in: "AC-00000001", by: "bolt", line: "servers", decidedOn: day)
        second.account = nil
        harness.publish([first, second])
        #expect(Self.found(&harness, Self.booking("o-1", of: Self.telekomDeutschland, by: "crest", on: day)).isEmpty)
        #expect(
            Self.found(&harness, Self.booking("o-2", of: Self.telekom, by: "crest", on: day)) == [
                "POACHING \(first.id)"
            ])
    }
}
