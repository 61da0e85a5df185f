import DealBus
import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import GRDB
import Logging
import Matching
import Testing
import ZeroMQ

@testable import Enforcement

/// Enforcement's core driven as a plain value: requests, the registry's events, sweeps, the registry's answers
/// and commit outcomes in, actions out. No socket: the records are a store in memory (SQLite) or a schema of the
/// test's own (PostgreSQL), and the test plays the shell.
@Suite(.timeLimit(.minutes(2))) struct EnforcementCoreTests {
    /// A core over a store on `engine` knowing an admin, an officer, a booking system, three partners, a distributor
    /// and a seller; the test's clock and the registry's event numbering.
    struct Harness {
        static let route: [UInt8] = [0xC1]
        let store: EnforcementStore
        /// The PostgreSQL schema the store is in, dropped with the harness; nil for SQLite's store in memory.
        let scratch: ScratchStore?
        var core: EnforcementCore
        var now = Moment(secondsSinceEpoch: 1_790_000_000, instant: .now)
        let parties: [Party]
        /// When set, the next write fails as a lost database would.
        var failNextCommit = false
        /// When set, the next write fails as a full disk would.
        var fillDiskForNextCommit = false
        /// Every write the harness committed, in order.
        private(set) var written: [[EnforcementChange]] = []
        private(set) var seq: UInt64 = 0
        private var requestNumber = 0

        static let kinds: [(String, PartyKind)] = [
            ("admin", .admin), ("officer", .enforcementOfficer), ("erp", .service), ("acme", .partner),
            ("bolt", .partner), ("crest", .partner), ("dist", .distributor), ("seller-1", .seller),
        ]

        init(engine: SQLEngine = .sqlite, policy: ProgramPolicy = ProgramPolicy()) throws {
            if engine == .postgres {
                let scratch = try ScratchStore(.postgres)
                store = try EnforcementStore(try scratch.open(), ledgerKey: LedgerKey(service: "enforcement"))
                self.scratch = scratch
            } else {
                store = try EnforcementStore()
                scratch = nil
            }
            parties = try Self.kinds.map { id, kind in
                Party(id: PartyID(id), kind: kind, name: id, publicKey: try CurveKeyPair.generate().publicKey.z85)
            }
            core = try Self.core(over: self.store, policy: policy, parties: parties)
        }

        static func core(
            over store: EnforcementStore, policy: ProgramPolicy, parties: [Party],
            snapshot: (index: CustomerIndex<AccountID>, seq: UInt64)? = nil
        ) throws -> EnforcementCore {
            var limitless = policy
            limitless.requestsPerSecond = 1_000_000
            limitless.requestBurst = 1_000_000
            var settings = EnforcementCore.Settings()
            settings.sendsStandings = true
            return try EnforcementCore(
                records: store, policy: limitless, bootstrap: parties, settings: settings, snapshot: snapshot,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        }

        /// The same store under a new core: enforcement restarted.
        mutating func restart(policy: ProgramPolicy = ProgramPolicy()) throws {
            core = try Self.core(over: store, policy: policy, parties: parties)
        }

        var today: CalendarDate { now.today }

        func key(_ id: String) -> String? { parties.first { $0.id.rawValue == id }?.publicKey }

        /// Sends `body` as `principal` on the api, under `requestID` (a fresh one by default).
        mutating func send(
            _ body: WireEnvelope.OneOf_Body, as principal: String, requestID: String? = nil
        ) -> [EnforcementAction] {
            requestNumber += 1
            let payload = EnvelopeCodec.encode(requestID: requestID ?? "r-\(requestNumber)", body: body)
            let frames = RequestFrames(ZeroMQ.Message(frames: [Self.route, payload], userID: key(principal)))!
            return core.api(frames, at: now)
        }

        /// Ends the turn; performs the write (or fails it) and returns every action after.
        mutating func endTurn() -> [EnforcementAction] { perform(core.endOfTurn(at: now)) }

        mutating func perform(_ actions: [EnforcementAction]) -> [EnforcementAction] {
            var done: [EnforcementAction] = []
            for action in actions {
                guard case .write(let changes) = action else {
                    done.append(action)
                    continue
                }
                done.append(action)
                if failNextCommit || fillDiskForNextCommit {
                    let failure: any Error =
                        fillDiskForNextCommit ? DatabaseError(resultCode: .SQLITE_FULL) : LostDatabase()
                    (failNextCommit, fillDiskForNextCommit) = (false, false)
                    done += perform(core.commitFailed(failure, at: now))
                    continue
                }
                do {
                    try store.commit(changes)
                    written.append(changes)
                    done += perform(core.committed(at: now))
                } catch {
                    done += perform(core.commitFailed(error, at: now))
                }
            }
            return done
        }

        /// Sends `body` as `principal` and ends the turn: every action, the immediate ones first.
        mutating func call(_ body: WireEnvelope.OneOf_Body, as principal: String, requestID: String? = nil)
            -> [EnforcementAction]
        {
            let immediate = send(body, as: principal, requestID: requestID)
            return immediate + endTurn()
        }

        /// The registry publishes `registrations` (one event each) and the turn ends.
        @discardableResult
        mutating func publish(_ registrations: [Registration]) -> [EnforcementAction] {
            let events = registrations.map { registration in
                seq += 1
                return Self.event(seq, registration, at: now)
            }
            return perform(core.events(events, at: now)) + endTurn()
        }

        /// The registry publishes `account` (one event, after a merge or split) and the turn ends.
        @discardableResult
        mutating func publish(account: Dealreg_V1_Account) -> [EnforcementAction] {
            seq += 1
            let event = WireEvent.with {
                $0.seq = seq
                $0.time = now.secondsSinceEpoch
                $0.account = account
            }
            return perform(core.events([event], at: now)) + endTurn()
        }

        /// Hands the core event `seq` carrying `registration`, as the follower would; the turn goes on.
        mutating func deliver(_ seq: UInt64, _ registration: Registration) {
            _ = core.events([Self.event(seq, registration, at: now)], at: now)
        }

        static func event(_ seq: UInt64, _ registration: Registration, at now: Moment) -> WireEvent {
            WireEvent.with {
                $0.seq = seq
                $0.time = now.secondsSinceEpoch
                $0.registration = registration.wire
            }
        }

        /// Records `booking` as the booking system: what it was answered.
        mutating func book(_ booking: Booking, requestID: String? = nil) -> Result<
            Dealreg_V1_RecordBookingReply, WireError
        > {
            let actions = call(.recordBooking(.with { $0.booking = booking.wire }), as: "erp", requestID: requestID)
            if let error = Self.errors(actions).first { return .failure(error) }
            for envelope in Self.envelopes(actions) {
                if case .recordBookingReply(let reply)? = envelope.body { return .success(reply) }
            }
            return .failure(WireError(.internal, "no answer"))
        }

        /// The types of the violations `booking` revealed, or the code it was refused with.
        mutating func types(_ booking: Booking) -> [String] {
            switch book(booking) {
            case .success(let reply): reply.violations.compactMap { ViolationType(wire: $0.type)?.rawValue }
            case .failure(let error): [error.code.name]
            }
        }

        /// Takes a step of due process on `caseID` as `principal`: the case as answered, or the error.
        mutating func step(
            _ action: Dealreg_V1_CaseAction, _ caseID: ViolationID, as principal: String, reason: String = "checked"
        ) -> Result<EnforcementCase, WireError> {
            let actions = call(
                .caseRequest(
                    .with {
                        $0.caseID = caseID.rawValue
                        $0.action = action
                        $0.reason = reason
                    }), as: principal)
            if let error = Self.errors(actions).first { return .failure(error) }
            for envelope in Self.envelopes(actions) {
                if case .caseReply(let reply)? = envelope.body, let record = EnforcementCase(wire: reply.record) {
                    return .success(record)
                }
            }
            return .failure(WireError(.internal, "no answer"))
        }

        func sanctions(of party: String) throws -> [Sanction] {
            try store.sanctions(party: PartyID(party), unapplied: false, active: false)
        }

        static func envelopes(_ actions: [EnforcementAction]) -> [WireEnvelope] {
            actions.compactMap {
                guard case .reply(_, let bytes) = $0 else { return nil }
                return try? WireEnvelope(serializedBytes: bytes)
            }
        }

        static func errors(_ actions: [EnforcementAction]) -> [WireError] {
            envelopes(actions).compactMap { if case .error(let error)? = $0.body { error } else { nil } }
        }

        static func topics(_ actions: [EnforcementAction]) -> [String] {
            actions.compactMap { if case .publish(let topic, _) = $0 { topic } else { nil } }
        }
    }

    /// A commit that failed for a reason other than storage.
    struct LostDatabase: Error {}

    /// A customer, and the same one as another system spells it: the same name at the same address, conclusive.
    static let filature = Customer(
        legalName: "Filature du Nord SAS", street: "12 rue Nationale", city: "Lille", postalCode: "59000",
        country: "FR")
    static let respelled = Customer(
        legalName: "FILATURE DU NORD", street: "12, Rue Nationale", city: "Lille", postalCode: "59000", country: "FR")
    static let brasserie = Customer(
        legalName: "Brasserie de la Gare SARL", city: "Marseille", postalCode: "13001", country: "FR")

    /// Registration `number` of `customer` by `holder`, decided `decidedOn` (today by default).
    static func registration(
        _ number: Int64, of customer: Customer = filature, by holder: String, kind: PartyKind = .partner,
        status: RegistrationStatus = .approved, tender: Bool = false, decidedOn: CalendarDate, protectedDays: Int = 90,
        reviewDue: CalendarDate? = nil
    ) -> Registration {
        let id = RegistrationID(number: number)
        return Registration(
            id: id, registrant: PartyID(holder), holder: PartyID(holder), holderKind: kind,
            request: DealRequest(
                customer: customer, productLines: ["storage"], amount: Money(minorUnits: 5_000_000, currency: "EUR"),
                expectedClose: decidedOn.adding(days: 60), tender: tender),
            status: status,
            decision: Decision(
                registrationID: id, outcome: status == .pendingReview ? .pendingReview : .approved,
                protectedUntil: status == .pendingReview ? nil : decidedOn.adding(days: protectedDays),
                reviewDue: reviewDue, explanation: "", decidedAt: Int64(decidedOn.daysSinceEpoch) * 86_400))
    }

    static func booking(
        _ order: String, of customer: Customer = respelled, by bookedBy: String, on day: CalendarDate,
        claims: RegistrationID? = nil
    ) -> Booking {
        Booking(
            orderID: order, customer: customer, productLines: ["storage"],
            amount: Money(minorUnits: 1_200_000, currency: "EUR"), bookedBy: PartyID(bookedBy),
            claimedRegistration: claims, bookedOn: day)
    }
}

extension EnforcementCoreTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aSellerBookingAPartnersProtectedCustomerIsADirectBypassConfirmedAndSanctionedAtOnce(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        #expect(harness.types(Self.booking("o-1", by: "seller-1", on: harness.today)) == ["DIRECT_BYPASS"])
        let record = try #require(try harness.store.enforcementCase(ViolationID(number: 1)))
        #expect(record.state == .confirmed && record.steps.map(\.actor) == [EnforcementCase.automaticActor])
        let sanctions = try harness.sanctions(of: "seller-1")
        #expect(sanctions.map(\.level) == [.commissionWithheld] && record.sanction == sanctions.first?.id)
        #expect(sanctions.first?.registryApplied == true, "the registry does not enforce a seller's sanction")
    }

    /// What a booking of the respelled customer reveals, by whom and against which registration.
    static let bookingsAgainstOneRegistration: [(String, String, Registration?, [String])] = {
        let day = CalendarDate(secondsSinceEpoch: 1_790_000_000)
        return [
            (
                "a seller on a partner's protection", "seller-1", registration(1, by: "acme", decidedOn: day),
                ["DIRECT_BYPASS"]
            ),
            (
                "a seller on a partner-managed account", "seller-1",
                {
                    var won = registration(1, by: "acme", status: .won, decidedOn: day.adding(days: -200))
                    won.closedOn = day.adding(days: -40)
                    return won
                }(), ["DIRECT_BYPASS"]
            ),
            ("a partner on another's protection", "bolt", registration(1, by: "acme", decidedOn: day), ["POACHING"]),
            (
                "a distributor on a partner's protection", "dist", registration(1, by: "acme", decidedOn: day),
                ["POACHING"]
            ),
            ("a partner on its own protection", "acme", registration(1, by: "acme", decidedOn: day), []),
            ("a partner on a public tender", "bolt", registration(1, by: "acme", tender: true, decidedOn: day), []),
            (
                "a partner after the protection ended", "bolt",
                registration(1, by: "acme", decidedOn: day.adding(days: -120)), []
            ),
            (
                "a seller on direct sales' own protection", "seller-1",
                registration(1, by: "seller-1", kind: .seller, decidedOn: day), []
            ),
            (
                "the registrant, registered after it booked", "acme",
                registration(1, by: "acme", decidedOn: day.adding(days: 10)), ["LATE_REGISTRATION"]
            ),
            ("a customer nobody registered", "bolt", nil, []),
        ]
    }()

    @Test(arguments: bookingsAgainstOneRegistration)
    func findsWhatABookingViolates(situation: String, bookedBy: String, held: Registration?, found: [String]) throws {
        var harness = try Harness()
        if let held { harness.publish([held]) }
        #expect(harness.types(Self.booking("o-1", by: bookedBy, on: harness.today)) == found, "\(situation)")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aBookingQuotingAnotherCustomersRegistrationIsACustomerSwitchLeftForAnOfficer(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let held = Self.registration(1, by: "acme", decidedOn: harness.today)
        harness.publish([held])
        let switched = Self.booking("o-5", of: Self.brasserie, by: "acme", on: harness.today, claims: held.id)
        #expect(harness.types(switched) == ["CUSTOMER_SWITCH"])
        #expect(try harness.store.enforcementCase(ViolationID(number: 1))?.state == .open)
        #expect(try harness.sanctions(of: "acme").isEmpty)
        // A registration enforcement never heard of is a typed refusal, and so is a booker outside the program.
        let unknown = Self.booking("o-6", by: "acme", on: harness.today, claims: RegistrationID(number: 9))
        #expect(harness.book(unknown).failure?.field == "booking.claimed_registration_id")
        #expect(
            harness.book(Self.booking("o-7", by: "nobody", on: harness.today)).failure?.field == "booking.booked_by")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRetriedBookingCountsOnceAndAnotherContentUnderItsOrderIsRefused(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        let first = try harness.book(Self.booking("o-1", by: "bolt", on: harness.today)).get()
        let again = try harness.book(Self.booking("o-1", by: "bolt", on: harness.today)).get()
        #expect(again.alreadyRecorded && again.violations == first.violations)
        let other = harness.book(Self.booking("o-1", by: "seller-1", on: harness.today))
        #expect(other.failure?.code == .alreadyExists && other.failure?.field == "booking.order_id")
        // Sent twice in one turn: both wait for the one commit and get the same answer.
        let booking = Self.booking("o-2", of: Self.brasserie, by: "bolt", on: harness.today)
        var actions = harness.send(.recordBooking(.with { $0.booking = booking.wire }), as: "erp")
        actions += harness.send(.recordBooking(.with { $0.booking = booking.wire }), as: "erp")
        #expect(actions.isEmpty, "nothing is answered before the commit")
        actions = harness.endTurn()
        #expect(Harness.envelopes(actions).count == 2 && Harness.errors(actions).isEmpty)
        #expect(try harness.store.lastNumbers().violation == 1)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func repliesGoOutOnlyAfterTheirCommit(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        let booking = Self.booking("o-1", by: "bolt", on: harness.today)
        #expect(harness.send(.recordBooking(.with { $0.booking = booking.wire }), as: "erp").isEmpty)
        let actions = harness.endTurn()
        let written = try #require(actions.firstIndex { if case .write = $0 { true } else { false } })
        let replied = try #require(actions.firstIndex { if case .reply = $0 { true } else { false } })
        #expect(written < replied)
        #expect(Harness.topics(actions) == ["case", "sanction"], "each step of due process is an event, once durable")
    }
}

extension Result {
    var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}

extension EnforcementCoreTests {
    /// Four of acme's customers, registered today.
    static func heldCustomers(decidedOn day: CalendarDate) -> [Registration] {
        (1...4).map { number in
            registration(
                Int64(number),
                of: Customer(
                    legalName: "Client Numero \(number) SAS", street: "\(number) place du Marché", city: "Lille",
                    postalCode: "5900\(number)", country: "FR"), by: "acme", decidedOn: day)
        }
    }

    /// bolt's booking of acme's customer `number`, at its address: poaching on conclusive evidence.
    static func poaching(_ number: Int, on day: CalendarDate) -> Booking {
        booking(
            "p-\(number)",
            of: Customer(
                legalName: "CLIENT NUMERO \(number)", street: "\(number) PLACE DU MARCHE", city: "Lille",
                postalCode: "5900\(number)", country: "FR"),
            by: "bolt", on: day)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func eachConfirmedCaseClimbsTheLadderAndTheRegistryIsToldTheStandingsItEnforces(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish(Self.heldCustomers(decidedOn: harness.today))
        for number in 1...4 { #expect(harness.types(Self.poaching(number, on: harness.today)) == ["POACHING"]) }
        let sanctions = try harness.sanctions(of: "bolt")
        #expect(sanctions.map(\.level) == [.warning, .benefitsLost, .suspension, .expulsion])
        #expect(sanctions.map(\.registryApplied) == [true, false, false, false])

        // The sweep sends bolt's gravest standing, named after its latest unapplied sanction.
        // (The sweep also offers enforcement's signed head to the registry: not a standing.)
        let sent = harness.core.sweep(at: harness.now).compactMap { action -> WireEnvelope? in
            guard case .sendRegistry(let bytes) = action else { return nil }
            return try? WireEnvelope(serializedBytes: bytes)
        }.filter { !$0.requestID.hasPrefix(EnforcementCore.headsRequestPrefix) }
        #expect(sent.map(\.requestID) == ["standing-S-00000004-on-\(Dealreg_V1_PartyStanding.expelled.rawValue)"])
        #expect(sent.first?.setStanding.standing == .expelled)
        // The registry's answer marks every sanction up to that one applied, once committed.
        let reply = EnvelopeCodec.encode(requestID: sent[0].requestID, body: .setStandingReply(.init()))
        _ = harness.core.registryReply(reply, at: harness.now)
        #expect(try harness.sanctions(of: "bolt").filter(\.registryApplied).count == 1, "not before the commit")
        let applied = harness.endTurn()
        #expect(try harness.sanctions(of: "bolt").allSatisfy(\.registryApplied))
        #expect(Harness.topics(applied) == ["sanction", "sanction", "sanction"])
        #expect(harness.core.sweep(at: harness.now).isEmpty, "nothing left to send")
    }

    @Test func aLadderFromThePolicyFileChangesTheSanction() throws {
        let policy = try PolicyFile.parse(
            Data(#"{"enforcement": {"ladder": {"partner": ["SUSPENSION"], "seller": ["WARNING"]}}}"#.utf8))
        #expect(policy.sanctionsLadder.level(for: .distributor, rung: 1) == .warning, "a kind left out keeps its own")
        var harness = try Harness(policy: policy)
        harness.publish(Self.heldCustomers(decidedOn: harness.today))
        #expect(harness.types(Self.poaching(1, on: harness.today)) == ["POACHING"])
        #expect(harness.types(Self.poaching(2, on: harness.today)) == ["POACHING"])
        #expect(try harness.sanctions(of: "bolt").map(\.level) == [.suspension, .suspension], "the last rung repeats")
        #expect(harness.types(Self.poaching(3, on: harness.today).with(bookedBy: "seller-1")) == ["DIRECT_BYPASS"])
        #expect(try harness.sanctions(of: "seller-1").map(\.level) == [.warning])
    }

    @Test(arguments: [
        (#"{"enforcement": {"ladder": {"partner": []}}}"#, "enforcement.ladder.partner"),
        (#"{"enforcement": {"ladder": {"partner": ["WARNING", "BANISHMENT"]}}}"#, "enforcement.ladder.partner[1]"),
        (#"{"enforcement": {"ladder": {"seller": ["EXPULSION"]}}}"#, "enforcement.ladder.seller[0]"),
        (#"{"enforcement": {"ladder": {"partner": ["COMMISSION_WITHHELD"]}}}"#, "enforcement.ladder.partner[0]"),
        (#"{"enforcement": {"ladder": {"admin": ["WARNING"]}}}"#, "enforcement.ladder.admin"),
        (#"{"enforcement": {"ladder": {"reseller": ["WARNING"]}}}"#, "enforcement.ladder.reseller"),
        (#"{"enforcement": {"ladder": {"partner": "WARNING"}}}"#, "enforcement.ladder.partner"),
        (#"{"enforcement": {"ladder": ["WARNING"]}}"#, "enforcement.ladder"),
    ])
    func refusesABadLadderNamingTheKey(text: String, key: String) {
        #expect {
            _ = try PolicyFile.parse(Data(text.utf8))
        } throws: { error in
            (error as? PolicyFile.Problem)?.key == key
        }
    }

    @Test func theLadderIsShownAndReadBackWithThePolicy() throws {
        let policy = try PolicyFile.parse(Data(#"{"enforcement": {"ladder": {"distributor": ["WARNING"]}}}"#.utf8))
        var again = try PolicyFile.parse(Data(PolicyFile.json(policy).utf8))
        again.version = policy.version
        #expect(again == policy)
        #expect(ProgramPolicy().sanctionsLadder == SanctionLadder.standard)
        #expect(SanctionLadder.standard.level(for: .seller, rung: 1) == .commissionWithheld)
        #expect(SanctionLadder.standard.level(for: .admin, rung: 1) == nil)
    }

    /// The policy lists the types confirmed at detection; a customer switch, which rests on customers the matcher
    /// finds unlike, waits for an officer even when the policy lists it.
    @Test func autoConfirmationFollowsThePolicyButNeverConfirmsACustomerSwitch() throws {
        var policy = ProgramPolicy()
        policy.autoConfirmed = ["CUSTOMER_SWITCH", "LATE_REGISTRATION"]
        var harness = try Harness(policy: policy)
        let held = Self.registration(1, by: "acme", decidedOn: harness.today)
        harness.publish([held])
        #expect(harness.types(Self.booking("o-1", by: "bolt", on: harness.today)) == ["POACHING"])
        let poaching = try #require(try harness.store.enforcementCase(ViolationID(number: 1)))
        #expect(poaching.state == .open && poaching.triage.contains("does not confirm POACHING"), "\(poaching.triage)")
        let switched = Self.booking("o-2", of: Self.brasserie, by: "acme", on: harness.today, claims: held.id)
        #expect(harness.types(switched) == ["CUSTOMER_SWITCH"])
        let switchCase = try #require(try harness.store.enforcementCase(ViolationID(number: 2)))
        #expect(switchCase.state == .open && switchCase.triage.contains("never confirmed"), "\(switchCase.triage)")
        #expect(try harness.sanctions(of: "acme").isEmpty)
        // A late registration of the same customer at the same address is listed and conclusive: confirmed.
        harness.publish([Self.registration(2, of: Self.telekom, by: "crest", decidedOn: harness.today.adding(days: 10))]
        )
        #expect(
            harness.types(Self.booking("o-3", of: Self.telekom, by: "crest", on: harness.today)) == [
                "LATE_REGISTRATION"
            ])
        #expect(try harness.store.enforcementCase(ViolationID(number: 3))?.state == .confirmed)
        #expect(try harness.sanctions(of: "crest").map(\.level) == [.warning])
    }
}

extension Booking {
    func with(bookedBy party: String) -> Booking {
        var booking = self
        booking.bookedBy = PartyID(party)
        booking.orderID += "-" + party
        return booking
    }
}

extension EnforcementCoreTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRegistrationArrivingAfterItsRegistrantsBookingIsFoundLateFromTheEventOnce(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        #expect(harness.types(Self.booking("o-11", by: "acme", on: harness.today.adding(days: -1))).isEmpty)
        let late = Self.registration(1, by: "acme", decidedOn: harness.today)
        let actions = harness.publish([late])
        #expect(Harness.topics(actions) == ["case"], "a late registration waits for an officer")
        let found = try harness.store.violations(party: PartyID("acme"), afterNumber: 0, limit: 10)
        #expect(found.map(\.type) == [.lateRegistration] && found.first?.violation.orderID == "o-11")
        #expect(try harness.store.cursor() == 1, "the event and the cursor are recorded with what they revealed")
        // The same event replayed (enforcement restarted before its cursor moved) finds nothing twice.
        try harness.restart()
        harness.deliver(1, late)
        var replayed = late
        replayed.decision.explanation = "published again"
        harness.deliver(2, replayed)
        _ = harness.endTurn()
        #expect(try harness.store.violations(party: nil, afterNumber: 0, limit: 10).count == 1)
        #expect(try harness.store.cursor() == 2)
    }

    @Test func aBookingAndTheRegistrationItMakesLateInOneTurnAreFound() throws {
        var harness = try Harness()
        let booking = Self.booking("o-1", by: "acme", on: harness.today.adding(days: -3))
        _ = harness.send(.recordBooking(.with { $0.booking = booking.wire }), as: "erp")
        harness.deliver(1, Self.registration(1, by: "acme", decidedOn: harness.today))
        _ = harness.endTurn()
        #expect(try harness.store.violations(party: nil, afterNumber: 0, limit: 10).map(\.type) == [.lateRegistration])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRegistrantWhoseProtectionsExpireFarAboveTheNormIsSquattingOnce(engine: SQLEngine) throws {
        var policy = ProgramPolicy()
        (policy.squattingMinimumClosed, policy.squattingExpiredShare, policy.squattingTimesNorm) = (2, 0.5, 1.5)
        var harness = try Harness(engine: engine, policy: policy)
        let day = harness.today.adding(days: -100)
        let acme = (1...2).map { Self.registration(Int64($0), of: Self.customer($0), by: "acme", decidedOn: day) }
        let bolt = (3...4).map { Self.registration(Int64($0), of: Self.customer($0), by: "bolt", decidedOn: day) }
        harness.publish(acme + bolt)
        harness.publish(
            bolt.map {
                var lost = $0
                lost.status = .lost
                return lost
            })
        func expire(_ registration: Registration) {
            var expired = registration
            expired.status = .expired
            harness.publish([expired])
        }
        expire(acme[0])
        #expect(try harness.store.violations(party: nil, afterNumber: 0, limit: 10).isEmpty, "one closed is too few")
        // Restarted in between: the closings come back from the store, so the second expiry is squatting.
        try harness.restart(policy: policy)
        expire(acme[1])
        let found = try harness.store.violations(party: nil, afterNumber: 0, limit: 10)
        #expect(found.map(\.type) == [.squatting] && found.first?.party == PartyID("acme"), "\(found)")
        #expect(try harness.store.enforcementCase(found[0].id)?.state == .open, "not clear-cut: an officer decides")
        // A third expiry is squatting still, but it is recorded once per registrant.
        let third = Self.registration(5, of: Self.customer(5), by: "acme", decidedOn: day)
        harness.publish([third])
        expire(third)
        #expect(try harness.store.violations(party: nil, afterNumber: 0, limit: 10).count == 1)
    }

    static func customer(_ number: Int) -> Customer {
        let names = ["Conserverie Atlantique", "Brasserie Picarde", "Quincaillerie Centrale", "Menuiserie Alsacienne"]
        return Customer(
            legalName: number <= names.count ? names[number - 1] : "Tonnellerie Numero \(number)",
            postalCode: "2920\(number)", country: "FR")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aReviewNotDecidedByItsDueDateIsEscalatedOnceEvenAcrossARestart(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let due = harness.today.adding(days: -1)
        let review = Self.registration(1, by: "acme", status: .pendingReview, decidedOn: due, reviewDue: due)
        harness.publish([review])
        _ = harness.core.sweep(at: harness.now)
        let escalated = harness.endTurn()
        #expect(Harness.topics(escalated) == ["escalation"])
        #expect(try harness.store.escalations().map(\.registrationID) == [review.id])
        _ = harness.core.sweep(at: harness.now)
        #expect(harness.endTurn().isEmpty)
        try harness.restart()
        _ = harness.core.sweep(at: harness.now)
        #expect(harness.endTurn().isEmpty)
        // Decided in the same turn as the sweep: not escalated.
        let decided = Self.registration(2, by: "bolt", status: .pendingReview, decidedOn: due, reviewDue: due)
        harness.publish([decided])
        var approved = decided
        approved.status = .approved
        harness.deliver(99, approved)
        _ = harness.core.sweep(at: harness.now)
        #expect(Harness.topics(harness.endTurn()).isEmpty)
    }
}

extension EnforcementCoreTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func dueProcessConfirmsDismissesHearsOneAppealAndAnOverturnLiftsTheSanction(engine: SQLEngine) throws {
        var policy = ProgramPolicy()
        policy.autoConfirmed = []
        var harness = try Harness(engine: engine, policy: policy)
        harness.publish(Self.heldCustomers(decidedOn: harness.today))
        for number in 1...3 { #expect(harness.types(Self.poaching(number, on: harness.today)) == ["POACHING"]) }
        let (first, second, third) = (ViolationID(number: 1), ViolationID(number: 2), ViolationID(number: 3))

        // An officer decides open cases; the accused cannot, and others do not even see them.
        #expect(harness.step(.confirm, first, as: "bolt").failure?.code == .permissionDenied)
        #expect(harness.step(.confirm, first, as: "acme").failure?.code == .permissionDenied)
        #expect(harness.step(.appeal, first, as: "acme").failure?.code == .notFound)
        #expect(harness.step(.confirm, first, as: "officer", reason: "").failure?.code == .missingField)
        #expect(try harness.step(.confirm, first, as: "officer").get().state == .confirmed)
        #expect(try harness.step(.dismiss, second, as: "officer").get().state == .dismissed)
        #expect(harness.step(.confirm, second, as: "officer").failure?.code == .invalidTransition)
        #expect(try harness.step(.confirm, third, as: "officer").get().state == .confirmed)
        #expect(try harness.sanctions(of: "bolt").map(\.level) == [.warning, .benefitsLost])

        // The accused appeals once; an officer upholds one appeal and overturns the other.
        #expect(try harness.step(.appeal, first, as: "bolt").get().state == .appealed)
        #expect(harness.step(.appeal, first, as: "bolt").failure?.code == .invalidTransition)
        #expect(try harness.step(.uphold, first, as: "officer").get().state == .upheld)
        #expect(harness.step(.appeal, first, as: "bolt").failure?.code == .invalidTransition, "appealed once already")
        #expect(try harness.step(.appeal, third, as: "bolt").get().state == .appealed)
        let overturned = try harness.step(.overturn, third, as: "officer").get()
        #expect(overturned.state == .overturned && overturned.steps.map(\.action) == [.confirm, .appeal, .overturn])
        let lifted = try #require(try harness.sanctions(of: "bolt").last)
        #expect(lifted.id == overturned.sanction && !lifted.active && !lifted.registryApplied)
        #expect(try harness.store.standingCases(of: PartyID("bolt")) == 1)

        // Showing a case needs no reason; the accused sees its own.
        let shown = harness.call(.caseRequest(.with { $0.caseID = first.rawValue }), as: "bolt")
        #expect(Harness.errors(shown).isEmpty && Harness.envelopes(shown).count == 1)
        // Lifting by hand: an officer's, with a reason, once.
        let warning = try #require(try harness.sanctions(of: "bolt").first)
        let lift = WireEnvelope.OneOf_Body.liftSanction(
            .with {
                $0.sanctionID = warning.id.rawValue
                $0.reason = "settled"
            })
        #expect(Harness.errors(harness.call(lift, as: "bolt")).map(\.code) == [.permissionDenied])
        #expect(Harness.errors(harness.call(lift, as: "officer")).isEmpty)
        #expect(Harness.errors(harness.call(lift, as: "officer")).map(\.code) == [.invalidTransition])
    }

    /// A tender a channel manager rejected in review is a false claim: a FALSE_TENDER case against its registrant,
    /// once however often the event comes. Rejecting an ordinary registration, or approving the tender, is not.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aTenderRejectedInReviewIsAFalseTenderOnce(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        var claimed = Self.registration(
            1, by: "bolt", status: .pendingReview, tender: true, decidedOn: harness.today,
            reviewDue: harness.today.adding(days: 2))
        claimed.request.tenderReference = "2026/S 123-456789"
        var ordinary = Self.registration(
            2, of: Self.brasserie, by: "acme", status: .pendingReview, decidedOn: harness.today,
            reviewDue: harness.today.adding(days: 2))
        var confirmed = claimed
        confirmed.id = RegistrationID(number: 3)
        _ = harness.publish([claimed, ordinary, confirmed])
        claimed.status = .rejected
        claimed.closedOn = harness.today
        ordinary.status = .rejected
        ordinary.closedOn = harness.today
        confirmed.status = .approved
        let actions = harness.publish([claimed, ordinary, confirmed])
        #expect(Harness.topics(actions) == ["case"], "a false tender waits for an officer")
        let found = try harness.store.violations(party: nil, afterNumber: 0, limit: 10)
        #expect(found.map(\.type) == [.falseTender] && found.first?.violation.party == PartyID("bolt"), "\(found)")
        #expect(found.first?.violation.registrationID == claimed.id)
        #expect(found.first?.violation.explanation.contains("2026/S 123-456789") == true)
        try harness.restart()
        harness.deliver(4, claimed)
        _ = harness.endTurn()
        #expect(try harness.store.violations(party: nil, afterNumber: 0, limit: 10).count == 1)
    }

    /// A full disk is STORAGE_UNAVAILABLE with a retry delay, as at the registry, not a plain UNAVAILABLE.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStorageFaultIsAnsweredStorageUnavailable(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        harness.fillDiskForNextCommit = true
        let refused = harness.book(Self.booking("o-1", by: "bolt", on: harness.today)).failure
        #expect(refused?.code == .storageUnavailable && refused?.retryAfterMs == 5000, "\(String(describing: refused))")
        #expect(try harness.book(Self.booking("o-1", by: "bolt", on: harness.today)).get().violations.count == 1)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aConfirmationCountsTheCasesStandingInTheSameTurn(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish(Self.heldCustomers(decidedOn: harness.today))
        var actions: [EnforcementAction] = []
        for number in 1...3 {
            actions += harness.send(
                .recordBooking(.with { $0.booking = Self.poaching(number, on: harness.today).wire }), as: "erp")
        }
        actions += harness.endTurn()
        #expect(Harness.errors(actions).isEmpty)
        #expect(try harness.sanctions(of: "bolt").map(\.level) == [.warning, .benefitsLost, .suspension])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aFailedCommitLeavesNumberingAndMemoryAsBeforeAndTheRetryIsDecidedTheSame(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        harness.failNextCommit = true
        let refused = harness.book(Self.booking("o-1", by: "bolt", on: harness.today))
        #expect(refused.failure?.code == .unavailable)
        #expect(harness.core.committed.violationNumber == 0 && harness.core.committed.sanctionNumber == 0)
        #expect(harness.core.mirror.bookingIndex.count == 0 && harness.core.turn.isEmpty)
        #expect(try harness.store.bookingAnswer(OrderID("o-1")) == nil)
        // The retry is decided afresh, under the numbers the refused one would have had.
        let retried = try harness.book(Self.booking("o-1", by: "bolt", on: harness.today)).get()
        #expect(retried.violations.map(\.id) == ["V-00000001"] && !retried.alreadyRecorded)
        #expect(try harness.sanctions(of: "bolt").map(\.id) == [SanctionID(number: 1)])
        #expect(try harness.sanctions(of: "bolt").map(\.level) == [.warning], "the refused confirmation did not count")

        // A case step refused the same way leaves the case as it was.
        var policy = ProgramPolicy()
        policy.autoConfirmed = []
        var open = try Harness(engine: engine, policy: policy)
        open.publish([Self.registration(1, by: "acme", decidedOn: open.today)])
        #expect(open.types(Self.booking("o-1", by: "bolt", on: open.today)) == ["POACHING"])
        open.failNextCommit = true
        #expect(open.step(.confirm, ViolationID(number: 1), as: "officer").failure?.code == .unavailable)
        #expect(try open.store.enforcementCase(ViolationID(number: 1))?.state == .open)
        #expect(try open.step(.confirm, ViolationID(number: 1), as: "officer").get().sanction == SanctionID(number: 1))
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func eventsWhoseCommitFailedAreFollowedAgainFromTheCommittedCursor(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.failNextCommit = true
        let actions = harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        #expect(
            actions.contains { if case .rewindEvents(to: 0) = $0 { true } else { false } },
            "the follower hands them over again")
        #expect(harness.core.mirror.watched == 0 && harness.core.committed.cursor == 0)
        #expect(harness.types(Self.booking("o-1", by: "bolt", on: harness.today)).isEmpty, "not relied on")
        harness.deliver(1, Self.registration(1, by: "acme", decidedOn: harness.today))
        _ = harness.endTurn()
        #expect(harness.core.committed.cursor == 1 && harness.core.mirror.watched == 1)
        #expect(harness.types(Self.booking("o-2", by: "bolt", on: harness.today)) == ["POACHING"])
    }

    /// A registration event is followed only once its state before is read from the store: when the store does not
    /// answer, the events from it on are asked for again, and followed once it does.
    @Test func eventsWhoseStateBeforeCannotBeReadAreAskedForAgain() throws {
        var harness = try Harness()
        let day = harness.today
        harness.publish([Self.registration(1, by: "acme", decidedOn: day)])
        try harness.store.database.write { db in try db.execute("ALTER TABLE registrations RENAME TO elsewhere") }
        let later = [Self.registration(2, of: Self.brasserie, by: "bolt", decidedOn: day)]
        let actions =
            harness.perform(
                harness.core.events([Harness.event(2, later[0], at: harness.now)], at: harness.now)) + harness.endTurn()
        #expect(actions.contains { if case .rewindEvents(to: 1) = $0 { true } else { false } })
        #expect(harness.core.committed.cursor == 1 && harness.core.turn.isEmpty)
        try harness.store.database.write { db in try db.execute("ALTER TABLE elsewhere RENAME TO registrations") }
        harness.deliver(2, later[0])
        _ = harness.endTurn()
        #expect(harness.core.committed.cursor == 2 && harness.core.mirror.watched == 2)
        #expect(harness.types(Self.booking("o-1", of: Self.brasserie, by: "acme", on: day)) == ["POACHING"])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRestartedCoreResumesItsNumberingMirrorAndCursor(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        #expect(harness.types(Self.booking("o-1", by: "bolt", on: harness.today)) == ["POACHING"])
        try harness.restart()
        #expect(harness.core.committed.cursor == 1 && harness.core.committed.violationNumber == 1)
        let next = try harness.book(Self.booking("o-2", by: "seller-1", on: harness.today)).get()
        #expect(next.violations.map(\.id) == ["V-00000002"] && next.violations.map(\.type) == [.directBypass])
        #expect(try harness.sanctions(of: "seller-1").map(\.id) == [SanctionID(number: 2)])
    }

    @Test func anUnknownEnumValueIsRefusedNamingItsFieldWhoeverAsks() throws {
        var harness = try Harness()
        harness.publish([Self.registration(1, by: "acme", decidedOn: harness.today)])
        #expect(harness.types(Self.booking("o-1", by: "bolt", on: harness.today)) == ["POACHING"])
        for principal in ["bolt", "officer"] {
            let unknownAction = harness.call(
                .caseRequest(
                    .with {
                        $0.caseID = "V-00000001"
                        $0.action = .UNRECOGNIZED(99)
                        $0.reason = "a step from a newer contract"
                    }), as: principal)
            let unknownState = harness.call(.listCases(.with { $0.state = .UNRECOGNIZED(99) }), as: principal)
            #expect(Harness.errors(unknownAction).map(\.field) == ["action"], "\(principal)")
            #expect(Harness.errors(unknownState).map(\.field) == ["state"], "\(principal)")
            #expect(
                (Harness.errors(unknownAction) + Harness.errors(unknownState)).allSatisfy { $0.code == .invalidField })
        }
    }

    @Test func theTableServesEveryEnforcementActionAndRefusesTheRest() throws {
        #expect(
            EnforcementCore.methods.actions == [
                .recordBooking, .listViolations, .listCases, .showCase, .judgeCase, .appealCase, .listSanctions,
                .liftSanction, .listEscalations, .audit, .status, .stats, .backup, .showHeads,
            ])
        var harness = try Harness()
        let refused = Harness.errors(harness.call(.listParties(.init()), as: "admin"))
        #expect(refused.map(\.code) == [.unknownMethod] && refused.first?.field == "body")
        let status = Harness.envelopes(harness.call(.status(.init()), as: "acme"))
        #expect(status.first?.statusReply.lastSeq == 0 && status.first?.statusReply.service == "enforcement")
    }
}
