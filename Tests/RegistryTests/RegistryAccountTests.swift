import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Logging
import Testing

@testable import Registry

/// Accounts (issue 16): a registration joins the account it matches or makes one, and is decided against every
/// registration of each account found, however many there are and whatever the search returned; the store refuses
/// a double protection of an account whatever the code above it does; merges, splits and reviews move
/// registrations between accounts as steps of the log.
@Suite(.timeLimit(.minutes(2))) struct RegistryAccountTests {
    typealias Harness = RegistryCoreTests.Harness

    static let telekom = Customer(
        legalName: "Deutsche Telekom AG", street: "Friedrich-Ebert-Allee 140", city: "Bonn", postalCode: "53113",
        country: "DE")
    static let spellings = [
        telekom,
        Customer(
            legalName: "DEUTSCHE TELEKOM AKTIENGESELLSCHAFT", street: "Friedrich Ebert Allee 140", city: "Bonn",
            postalCode: "53113", country: "DE"),
        Customer(
            legalName: "Telekom Deutschland GmbH", street: "Landgrabenweg 151", city: "Bonn", postalCode: "53227",
            country: "DE"),
        Customer(legalName: "Deutsche Telekom", city: "Bonn", country: "DE", webDomain: "telekom.de"),
    ]
    static let brasserie = Customer(
        legalName: "Brasserie du Port SARL", street: "3 quai des Pêcheurs", city: "Sète", postalCode: "34200",
        country: "FR")

    /// A worker's candidate naming an account (`account`) or, as a worker of before accounts did, a registration.
    static func candidate(account: AccountID? = nil, registration: RegistrationID? = nil, score: Double = 0.98)
        -> Dealreg_V1_Candidate
    {
        .with {
            $0.accountID = account?.rawValue ?? ""
            $0.registrationID = registration?.rawValue ?? ""
            $0.score = score
        }
    }

    /// Registers `customer` as `principal`; the worker answers `found` from an index at the committed head.
    static func register(
        _ harness: inout Harness, _ customer: Customer, as principal: String, lines: [String] = ["storage"],
        found: [Dealreg_V1_Candidate] = []
    ) throws -> Dealreg_V1_Decision {
        let deal = Harness.deal(customer, lines: lines, tender: false, today: harness.now.today)
        let immediate = harness.send(.registerDeal(deal), as: principal)
        if let error = Harness.errors(immediate).first { throw error }
        var actions = harness.endTurn()
        let head = harness.core.committed.seq
        for check in Harness.checks(actions) {
            actions += harness.answer(check.checkID, watermark: head, candidates: found)
        }
        actions += harness.endTurn()
        if let error = Harness.errors(actions).first { throw error }
        return try #require(Harness.decisions(actions).first)
    }

    /// Sends `body` as `principal` and ends the turn: the reply's body, or the error thrown.
    static func call(_ harness: inout Harness, _ body: WireEnvelope.OneOf_Body, as principal: String = "admin") throws
        -> WireEnvelope.OneOf_Body?
    {
        var actions = harness.send(body, as: principal)
        actions = harness.perform(actions) + harness.endTurn()
        let envelope = try #require(Harness.envelopes(actions).first)
        if case .error(let error)? = envelope.body { throw error }
        return envelope.body
    }

    /// Writes `registrations` of `account` straight to the store after what it holds (as a long-lived account
    /// would have them), then restarts the core over it.
    static func seed(_ harness: inout Harness, _ registrations: [Registration]) throws {
        var seq = harness.core.committed.seq
        let writes = registrations.map { registration in
            seq += 1
            return RegistryWrite(
                .registered(
                    registration,
                    HistoryRow(
                        registrationID: registration.id, seq: seq, time: 1, actor: registration.registrant,
                        action: "registered", status: registration.status, reason: "", policyVersion: "builtin")),
                seq: seq, time: 1, answer: nil)
        }
        try harness.store.commit(writes)
        try harness.reopen()
    }

    /// Registration `number` of `account` held by `holder` on `lines`, in `status` (closed `closedDaysAgo` before
    /// `today` when settled).
    static func registration(
        _ number: Int64, of account: AccountID, holder: String, lines: [String], status: RegistrationStatus,
        customer: Customer = telekom, today: CalendarDate, closedDaysAgo: Int = 400
    ) -> Registration {
        let id = RegistrationID(number: number)
        let settled = !status.holdsCustomer
        return Registration(
            id: id, registrant: PartyID(holder), holder: PartyID(holder), holderKind: .partner,
            request: DealRequest(
                customer: customer, productLines: lines, amount: Money(minorUnits: 100_000, currency: "EUR"),
                expectedClose: today.adding(days: 30)),
            status: status,
            decision: Decision(
                registrationID: id, outcome: status == .pendingReview ? .pendingReview : .approved,
                protectedUntil: status == .approved ? today.adding(days: 60) : today.adding(days: -closedDaysAgo),
                explanation: "", decidedAt: 1),
            closedOn: settled ? today.adding(days: -closedDaysAgo) : nil, account: account)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aNewCustomerMakesAnAccountAndAStrongMatchJoinsIt(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let first = try Self.register(&harness, Self.telekom, as: "acme")
        #expect(first.outcome == .approved)
        let held = try #require(try harness.store.registration(RegistrationID(first.registrationID)))
        #expect(held.account == AccountID(number: 1))
        let rival = try Self.register(
            &harness, Self.spellings[1], as: "bolt", found: [Self.candidate(account: AccountID(number: 1))])
        #expect(rival.outcome == .rejected && rival.conflictingRegistrationID == first.registrationID)
        #expect(rival.matches.first?.accountID == "AC-00000001")
        let linked = try #require(try harness.store.registration(RegistrationID(rival.registrationID)))
        #expect(linked.account == AccountID(number: 1))
        // A customer nobody registered makes the next account.
        let other = try Self.register(&harness, Self.brasserie, as: "bolt")
        #expect(other.outcome == .approved)
        #expect(try harness.store.registration(RegistrationID(other.registrationID))?.account == AccountID(number: 2))
    }

    /// The issue's big account: 1,000 registrations of one customer across partners, spellings and product lines,
    /// nine lines actively protected by nine partners, the rest settled. Every rival registration on a line that
    /// overlaps a protected one is rejected naming its holder, whether the worker names the account or, as a worker
    /// of before accounts, only settled registrations of it.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aBigAccountRejectsEveryRivalOnAnOverlappingLineNamingTheHolder(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let today = harness.now.today
        let account = AccountID(number: 1)
        let protected = [
            "storage/arrays", "servers", "networking", "security", "laptops", "cloud", "software", "services/support",
            "pos-terminals",
        ]
        let settled: [RegistrationStatus] = [.withdrawn, .lost, .expired, .won]
        var registrations: [Registration] = []
        for number in 1...991 {
            let line = Array(ProductCatalog.standard.lines.map(\.id))[number % 13]
            registrations.append(
                Self.registration(
                    Int64(number), of: account, holder: "p-\(number % 37)", lines: [line],
                    status: settled[number % 4], customer: Self.spellings[number % 4], today: today))
        }
        var holders: [String: RegistrationID] = [:]
        for (offset, line) in protected.enumerated() {
            let number = Int64(992 + offset)
            registrations.append(
                Self.registration(
                    number, of: account, holder: "holder-\(offset)", lines: [line], status: .approved,
                    customer: Self.spellings[offset % 4], today: today))
            holders[line] = RegistrationID(number: number)
        }
        try Self.seed(&harness, registrations)
        #expect(harness.core.committed.registrationNumber == 1000)
        let settledOnly = (1...32).map { Self.candidate(registration: RegistrationID(number: Int64($0))) }
        var rejected = 0
        for (line, holder) in holders.sorted(by: { $0.key < $1.key }) {
            for found in [[Self.candidate(account: account)], settledOnly] {
                let decision = try Self.register(&harness, Self.spellings[0], as: "bolt", lines: [line], found: found)
                #expect(decision.outcome == .rejected, "\(line): \(decision.explanation)")
                #expect(decision.conflictingRegistrationID == holder.rawValue, "\(line)")
                if decision.outcome == .rejected { rejected += 1 }
            }
        }
        #expect(rejected == 2 * protected.count)
        // The whole of `storage` overlaps the protected `storage/arrays`.
        let parent = try Self.register(
            &harness, Self.spellings[2], as: "bolt", lines: ["storage"], found: [Self.candidate(account: account)])
        #expect(parent.outcome == .rejected && parent.conflictingRegistrationID == holders["storage/arrays"]?.rawValue)
        // A line nobody holds is the rival's, in the same account.
        let free = try Self.register(
            &harness, Self.spellings[0], as: "bolt", lines: ["printers"], found: [Self.candidate(account: account)])
        #expect(free.outcome == .approved, "\(free.explanation)")
        #expect(try harness.store.registration(RegistrationID(free.registrationID))?.account == account)
    }

    /// Forty settled registrations (withdrawn, lost, expired, won past incumbency) precede the one active
    /// protection, spelled otherwise: a worker whose answer the settled ones fill still has the rival rejected.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func fortySettledRegistrationsBeforeTheOneActiveProtectionDoNotHideIt(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let today = harness.now.today
        let account = AccountID(number: 1)
        let settled: [RegistrationStatus] = [.withdrawn, .lost, .expired, .won]
        var registrations = (1...40).map { number in
            Self.registration(
                Int64(number), of: account, holder: "p-\(number % 7)", lines: ["storage"],
                status: settled[number % 4], today: today)
        }
        registrations.append(
            Self.registration(
                41, of: account, holder: "acme", lines: ["storage"], status: .approved, customer: Self.spellings[2],
                today: today))
        try Self.seed(&harness, registrations)
        let found = (1...20).map { Self.candidate(registration: RegistrationID(number: Int64($0))) }
        let decision = try Self.register(&harness, Self.telekom, as: "bolt", found: found)
        #expect(decision.outcome == .rejected)
        #expect(decision.conflictingRegistrationID == "DR-00000041")
    }

    /// Two new registrations of one new customer in one turn, through two checks that each found nothing: one
    /// wins and makes the account, the other is rejected and linked to it.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func twoRegistrationsOfOneNewCustomerRacingMakeOneAccount(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let deal = Harness.deal(Self.telekom, lines: ["storage"], tender: false, today: harness.now.today)
        var actions = harness.send(.registerDeal(deal), as: "acme")
        actions += harness.send(.registerDeal(deal), as: "bolt")
        actions += harness.endTurn()
        let head = harness.core.committed.seq
        for check in Harness.checks(actions) { actions += harness.answer(check.checkID, watermark: head) }
        actions += harness.endTurn()
        let decisions = Harness.decisions(actions)
        #expect(decisions.map(\.outcome).sorted { $0.rawValue < $1.rawValue } == [.approved, .rejected])
        let accounts = try decisions.map {
            try #require(try harness.store.registration(RegistrationID($0.registrationID))?.account)
        }
        #expect(Set(accounts) == [AccountID(number: 1)])
    }

    /// The store itself refuses a second active exclusive protection of one account and an overlapping line, and
    /// lets a sibling line and a tender through: SQLite's trigger, and PostgreSQL's own in PL/pgSQL.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func theDatabaseRefusesADoubleProtectionOfAnAccount(engine: SQLEngine) throws {
        let today = CalendarDate(iso: "2026-12-07")!
        let account = AccountID(number: 1)
        for (held, second, refused) in [
            ("storage", "storage", true), ("storage", "storage/arrays", true), ("storage/arrays", "storage", true),
            ("storage/arrays", "storage/backup", false), ("storage", "servers", false),
        ] {
            let (store, scratch) = try Harness.store(on: engine)
            defer { scratch?.remove() }
            let first = Self.registration(
                1, of: account, holder: "acme", lines: [held], status: .approved, today: today)
            let rival = Self.registration(
                2, of: account, holder: "bolt", lines: [second], status: .pendingReview, today: today)
            func write(_ registration: Registration, _ seq: UInt64) -> RegistryWrite {
                RegistryWrite(
                    .registered(
                        registration,
                        HistoryRow(
                            registrationID: registration.id, seq: seq, time: 1, actor: registration.registrant,
                            action: "registered", status: registration.status, reason: "", policyVersion: "")),
                    seq: seq, time: 1, answer: nil)
            }
            try store.commit([write(first, 1)])
            let refusal = Result { try store.commit([write(rival, 2)]) }
            #expect((try? refusal.get()) == nil ? refused : !refused, "\(held) then \(second)")
            if refused {
                let error = refusal.failure as? SQLStatementError
                #expect(error?.isConstraint == true, "\(held) then \(second): \(String(describing: refusal.failure))")
                // The turn is refused whole: nothing of it was written.
                #expect(try store.registration(rival.id) == nil)
                var tender = rival
                tender.request.tender = true
                try store.commit([write(tender, 2)])
            }
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aMergeThatWouldMakeADoubleProtectionIsRefusedAndAnotherMovesEveryRegistration(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine, extra: [("cami", .partner), ("cm", .channelManager)])
        _ = try Self.register(&harness, Self.telekom, as: "acme")  // AC-1, storage
        let second = try Self.register(&harness, Self.brasserie, as: "bolt", lines: ["storage", "servers"])  // AC-2
        #expect(second.outcome == .approved)
        let merge = Dealreg_V1_MergeAccountsRequest.with {
            $0.accountID = "AC-00000001"
            $0.mergedAccountID = "AC-00000002"
            $0.reason = "same group"
        }
        #expect {
            try Self.call(&harness, .mergeAccounts(merge), as: "cm")
        } throws: { error in
            let error = error as? WireError
            return error?.code == .invalidTransition && error?.message.contains("DR-00000001") == true
                && error?.message.contains("DR-00000002") == true
        }
        // A partner may not merge.
        #expect(throws: WireError.self) { try Self.call(&harness, .mergeAccounts(merge), as: "cami") }
        // bolt withdraws; the merge then moves its registration, with an event and a history line.
        let withdraw = Dealreg_V1_TransitionRequest.with {
            $0.registrationID = second.registrationID
            $0.transition = .withdraw
        }
        _ = try Self.call(&harness, .transition(withdraw), as: "bolt")
        let head = harness.core.committed.seq
        let reply = try Self.call(&harness, .mergeAccounts(merge), as: "cm")
        guard case .mergeAccountsReply(let merged)? = reply else { Issue.record("no reply"); return }
        #expect(merged.account.id == "AC-00000001" && merged.account.spellings.count == 2)
        let moved = try #require(try harness.store.registration(RegistrationID(second.registrationID)))
        #expect(moved.account == AccountID(number: 1))
        #expect(try harness.store.history(moved.id).last?.action == "moved")
        #expect(try harness.store.account(AccountID(number: 2))?.mergedInto == AccountID(number: 1))
        #expect(harness.core.committed.seq == head + 3)  // one moved registration, two accounts
        // A worker that still names the merged account is read as naming the one it went into.
        let rival = try Self.register(
            &harness, Self.telekom, as: "cami", found: [Self.candidate(account: AccountID(number: 2))])
        #expect(rival.outcome == .rejected && rival.conflictingRegistrationID == "DR-00000001")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aSplitMovesTheNamedRegistrationsToANewAccount(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine, extra: [("cm", .channelManager)])
        let first = try Self.register(&harness, Self.telekom, as: "acme")
        let second = try Self.register(
            &harness, Self.spellings[2], as: "bolt", lines: ["servers"],
            found: [Self.candidate(account: AccountID(number: 1))])
        #expect(second.outcome == .approved)
        let split = Dealreg_V1_SplitAccountRequest.with {
            $0.accountID = "AC-00000001"
            $0.registrationIds = [second.registrationID]
            $0.reason = "Telekom Deutschland is another legal entity"
        }
        let reply = try Self.call(&harness, .splitAccount(split), as: "cm")
        guard case .splitAccountReply(let done)? = reply else { Issue.record("no reply"); return }
        #expect(done.account.id == "AC-00000002" && done.remaining.id == "AC-00000001")
        #expect(try harness.store.registration(RegistrationID(second.registrationID))?.account == AccountID(number: 2))
        #expect(try harness.store.registration(RegistrationID(first.registrationID))?.account == AccountID(number: 1))
        // Every registration of an account cannot be split off; one of another account cannot be named.
        var all = split
        all.registrationIds = [first.registrationID]
        #expect(throws: WireError.self) { try Self.call(&harness, .splitAccount(all), as: "cm") }
        let verdict = try RegistryStore.verify(harness.store.database, AuditPlan(keyring: harness.store.keyring))
        #expect(verdict.firstBroken == nil, "\(verdict)")
    }

    /// A registration in review on an uncertain match makes an account of its own; the reviewer says which
    /// account the customer is, and a double protection is refused there too.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aReviewNamesTheCustomersAccount(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine, extra: [("cami", .partner)])
        _ = try Self.register(&harness, Self.telekom, as: "acme")
        let doubtful = try Self.register(
            &harness, Self.spellings[2], as: "bolt", found: [Self.candidate(account: AccountID(number: 1), score: 0.5)])
        #expect(doubtful.outcome == .pendingReview)
        let id = RegistrationID(doubtful.registrationID)
        #expect(try harness.store.registration(id)?.account == AccountID(number: 2))
        let approve = Dealreg_V1_TransitionRequest.with {
            $0.registrationID = doubtful.registrationID
            $0.transition = .approve
            $0.reason = "same customer"
            $0.accountID = "AC-00000001"
        }
        #expect(throws: WireError.self) { try Self.call(&harness, .transition(approve)) }
        #expect(try harness.store.registration(id)?.status == .pendingReview)
        var reject = approve
        reject.transition = .reject
        _ = try Self.call(&harness, .transition(reject))
        let rejected = try #require(try harness.store.registration(id))
        #expect(rejected.status == .rejected && rejected.account == AccountID(number: 1))
    }

    /// A store from before accounts: registrations grouped in order, a respelling joining its account, a double
    /// protection the old matcher let through kept apart and listed, and the audit intact afterwards.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStoreFromBeforeAccountsIsGroupedOnce(engine: SQLEngine) throws {
        let scratch = try ScratchStore(engine)
        let today = CalendarDate(iso: "2026-12-07")!
        let store = try scratch.registryStore()
        var registrations = [
            Self.registration(
                1, of: AccountID(number: 0), holder: "acme", lines: ["storage"], status: .approved, today: today),
            Self.registration(
                2, of: AccountID(number: 0), holder: "bolt", lines: ["servers"], status: .approved,
                customer: Self.spellings[1], today: today),
            Self.registration(
                3, of: AccountID(number: 0), holder: "cami", lines: ["storage/arrays"], status: .approved,
                customer: Self.spellings[1], today: today),
            Self.registration(
                4, of: AccountID(number: 0), holder: "bolt", lines: ["storage"], status: .approved,
                customer: Self.brasserie, today: today),
        ]
        for index in registrations.indices { registrations[index].account = nil }
        try store.commit(
            registrations.enumerated().map { offset, registration in
                RegistryWrite(
                    .registered(
                        registration,
                        HistoryRow(
                            registrationID: registration.id, seq: UInt64(offset + 1), time: 1,
                            actor: registration.registrant, action: "registered", status: registration.status,
                            reason: "", policyVersion: "")),
                    seq: UInt64(offset + 1), time: 1, answer: nil)
            })
        let grouping = AccountGrouping(store: store, policy: ProgramPolicy(), logger: Logger(label: "test"))
        let summary = try grouping.run(now: 2)
        #expect(summary == .init(registrations: 4, accounts: 3, doubts: 1, keptApart: 1))
        let accounts = try (1...4).map { try store.registration(RegistrationID(number: $0))?.account }
        #expect(accounts == [AccountID(number: 1), AccountID(number: 1), AccountID(number: 2), AccountID(number: 3)])
        #expect(try store.doubts(of: AccountID(number: 2)).first?.otherAccountID == "AC-00000001")
        #expect(try store.history(RegistrationID(number: 1)).last?.action == "account")
        let verdict = try scratch.verifyRegistry()
        #expect(verdict.firstBroken == nil && verdict.entries == 8, "\(verdict)")
        // Once is enough.
        #expect(try grouping.run(now: 3) == .init())
        // The protected lines are held to the registrations: a row deleted by hand is named.
        try scratch.tamper("DELETE FROM protections WHERE registration_id = 'DR-00000001'")
        let tampered = try scratch.verifyRegistry()
        #expect(tampered.firstBroken?.hasPrefix("protection AC-00000001 storage") == true, "\(tampered)")
        // So is a registration moved out of its account by hand, which would hide its protection from decisions.
        try scratch.tamper(
            "INSERT INTO protections (account, product_line, registration_id) VALUES ('AC-00000001', 'storage', "
                + "'DR-00000001')")
        #expect(
            try scratch.verifyRegistry().firstBroken == nil)
        try scratch.tamper("UPDATE registrations SET account = 'AC-00000009' WHERE number = 1")
        let moved = try scratch.verifyRegistry()
        #expect(moved.firstBroken == "registration DR-00000001", "\(moved)")
        try scratch.tamper("UPDATE registrations SET account = 'AC-00000001' WHERE number = 1")
        // An account marked merged by hand would send its decisions to another account's registrations.
        try scratch.tamper(
            "UPDATE accounts SET state = 'merged', merged_into = 'AC-00000003' WHERE id = 'AC-00000001'")
        let merged = try scratch.verifyRegistry()
        #expect(merged.firstBroken == "account AC-00000001", "\(merged)")
    }
}
