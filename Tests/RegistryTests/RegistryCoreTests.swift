import DealBus
import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Logging
import Matching
import Testing
import ZeroMQ

@testable import Registry

/// The registry's core driven as a plain value: requests, worker results and commit outcomes in, actions out.
/// No socket: the records are a store in memory (SQLite) or a schema of the test's own (PostgreSQL), and the test
/// plays the shell.
@Suite(.timeLimit(.minutes(2))) struct RegistryCoreTests {
    /// A core over a store on `engine` with an admin, two partners, a check worker and any `more` parties; the
    /// test's clock.
    struct Harness {
        static let worker: [UInt8] = [0xAA]
        let store: RegistryStore
        /// The PostgreSQL schema the store is in, dropped with the harness; nil for SQLite's store in memory.
        let scratch: ScratchStore?
        var core: RegistryCore
        var now = Moment(secondsSinceEpoch: 1_790_000_000, instant: .now)
        let keys: [PartyID: String]
        /// When set, the next write fails as a full disk would.
        var failNextCommit = false
        private var requestNumber = 0

        /// `extra` parties are added after the standard four, so the standard ones keep their seqs.
        init(engine: SQLEngine = .sqlite, policy: ProgramPolicy = ProgramPolicy(), extra: [(String, PartyKind)] = [])
            throws
        {
            (store, scratch) = try Self.store(on: engine)
            var keys: [PartyID: String] = [:]
            var writes: [RegistryWrite] = []
            for (id, kind) in [
                ("admin", PartyKind.admin), ("acme", .partner), ("bolt", .partner), ("svc-check", .checkWorker),
            ] + extra {
                let key = try CurveKeyPair.generate().publicKey.z85
                keys[PartyID(id)] = key
                let party = Party(id: PartyID(id), kind: kind, name: id, country: "FR", publicKey: key)
                writes.append(RegistryWrite(.party(party), seq: UInt64(writes.count + 1), time: 0, answer: nil))
            }
            try store.commit(writes)
            self.keys = keys
            var limitless = policy
            limitless.requestsPerSecond = 1_000_000
            limitless.requestBurst = 1_000_000
            core = try RegistryCore(
                records: store, policy: limitless, settings: RegistryCore.Settings(),
                logger: Logger(label: "test"))
            _ = core.work(from: Self.worker, key: keys[PartyID("svc-check")], readyMessage, at: now)
        }

        /// An empty store on `engine`: in memory on SQLite, for speed; on PostgreSQL, in a fresh schema of the shared
        /// throwaway server (the scratch store drops it).
        static func store(on engine: SQLEngine) throws -> (RegistryStore, ScratchStore?) {
            guard engine == .postgres else { return (try RegistryStore(), nil) }
            let scratch = try ScratchStore(.postgres)
            return (try RegistryStore(try scratch.open(), ledgerKey: LedgerKey(service: "registry")), scratch)
        }

        /// A new core over the same store, as after a restart (what was written behind the core's back, too).
        mutating func reopen() throws {
            core = try RegistryCore(
                records: store, policy: core.policy, settings: RegistryCore.Settings(), logger: Logger(label: "test"))
            _ = core.work(from: Self.worker, key: keys[PartyID("svc-check")], readyMessage, at: now)
        }

        private var readyMessage: [UInt8] {
            var ready = WireWorkMessage()
            ready.ready = .with {
                $0.capacity = 64
                $0.workerName = "test"
            }
            return try! ready.serializedBytes()
        }

        /// Sends `body` as `principal` on the api, under `requestID` (a fresh one by default).
        mutating func send(
            _ body: WireEnvelope.OneOf_Body, as principal: String, requestID: String? = nil
        ) -> [RegistryAction] {
            requestNumber += 1
            let id = requestID ?? "r-\(requestNumber)"
            let payload = EnvelopeCodec.encode(requestID: id, body: body)
            let frames = RequestFrames(
                ZeroMQ.Message(frames: [Array(principal.utf8), payload], userID: keys[PartyID(principal)]))!
            return core.api(frames, at: now)
        }

        /// The checks sent to the worker among `actions`.
        static func checks(_ actions: [RegistryAction]) -> [Dealreg_V1_CheckRequest] {
            actions.compactMap {
                guard case .sendWork(_, let bytes) = $0, let message = try? WireWorkMessage(serializedBytes: bytes),
                    case .checkRequest(let check)? = message.body
                else { return nil }
                return check
            }
        }

        /// Ends the turn, dispatching checks; performs the write (or fails it) and returns every action after.
        mutating func endTurn() -> [RegistryAction] {
            perform(core.endOfTurn(at: now))
        }

        mutating func perform(_ actions: [RegistryAction]) -> [RegistryAction] {
            var done: [RegistryAction] = []
            for action in actions {
                guard case .write(let writes) = action else {
                    done.append(action)
                    continue
                }
                if failNextCommit {
                    failNextCommit = false
                    done += perform(core.commitFailed(LostDatabase(), at: now))
                    continue
                }
                do {
                    try store.commit(writes)
                    done += perform(core.committed(started: now.instant, at: now))
                } catch {
                    done += perform(core.commitFailed(error, at: now))
                }
            }
            return done
        }

        /// The worker answers check `checkID` with `candidates`, having applied the log up to `watermark`.
        mutating func answer(
            _ checkID: UInt64, watermark: UInt64, candidates: [Dealreg_V1_Candidate] = []
        ) -> [RegistryAction] {
            var result = WireWorkMessage()
            result.checkResult = .with {
                $0.checkID = checkID
                $0.watermark = watermark
                $0.candidates = candidates
            }
            return core.work(
                from: Self.worker, key: keys[PartyID("svc-check")], try! result.serializedBytes(), at: now)
        }

        /// Registers `customer` as `principal`, has the worker answer from an index at `watermark` that found
        /// nothing, and commits: the decision the principal receives (or its error).
        mutating func register(
            _ customer: Customer, as principal: String, lines: [String] = ["storage"], tender: Bool = false,
            onBehalfOf: String = "", watermark: UInt64 = 0, requestID: String? = nil
        ) -> Result<Dealreg_V1_Decision, WireError> {
            var deal = Self.deal(customer, lines: lines, tender: tender, today: now.today)
            deal.onBehalfOf = onBehalfOf
            let immediate = send(.registerDeal(deal), as: principal, requestID: requestID)
            if let error = Self.errors(immediate).first { return .failure(error) }
            if let answer = Self.decisions(perform(immediate)).first { return .success(answer) }
            var actions = endTurn()
            for check in Self.checks(actions) { actions += answer(check.checkID, watermark: watermark) }
            actions += endTurn()
            if let error = Self.errors(actions).first { return .failure(error) }
            return Self.decisions(actions).first.map { .success($0) } ?? .failure(WireError(.internal, "no answer"))
        }

        static func deal(
            _ customer: Customer, lines: [String], tender: Bool, today: CalendarDate
        ) -> Dealreg_V1_RegisterDealRequest {
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer = customer.wire
            request.productLines = lines
            request.tender = tender
            if tender { request.tenderReference = "2026/S 123-456789" }
            request.amount = Money(minorUnits: 4_200_000, currency: "EUR").wire
            request.expectedClose = today.adding(days: 60).wire
            return request
        }

        static func envelopes(_ actions: [RegistryAction]) -> [WireEnvelope] {
            actions.compactMap {
                guard case .reply(_, let bytes) = $0 else { return nil }
                return try? WireEnvelope(serializedBytes: bytes)
            }
        }

        static func decisions(_ actions: [RegistryAction]) -> [Dealreg_V1_Decision] {
            envelopes(actions).compactMap {
                if case .registerDealReply(let reply)? = $0.body { reply.decision } else { nil }
            }
        }

        static func errors(_ actions: [RegistryAction]) -> [WireError] {
            envelopes(actions).compactMap { if case .error(let error)? = $0.body { error } else { nil } }
        }
    }

    /// A commit that failed for a reason other than storage (those are `StorageFaultTests`' concern).
    struct LostDatabase: Error {}

    static let port = Customer(
        legalName: "Brasserie du Port SARL", street: "12 quai du Port", city: "Marseille", postalCode: "13002",
        country: "FR")

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func approvesAFreeCustomerAndRejectsAnotherPartnerOnIt(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let first = try harness.register(Self.port, as: "acme").get()
        #expect(first.outcome == .approved && first.registrationID == "DR-00000001")
        let second = try harness.register(Self.port, as: "bolt", watermark: 0).get()
        #expect(second.outcome == .rejected, "the worker's stale index missed acme's: the re-check must find it")
        #expect(second.conflictingRegistrationID == "DR-00000001")
        let again = try harness.register(Self.port, as: "acme", watermark: 0).get()
        #expect(again.outcome == .duplicate && again.registrationID == "DR-00000001")
    }

    /// After a restart (or a takeover) the registry's recent changes begin at its load, and every worker answers
    /// from an index behind that. The registrations a lagging worker missed are read from the store once and kept
    /// with the recent changes: each lagging answer is still checked against all of them, those from before the
    /// load and those after it alike, and none is missed or doubled.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func workersBehindARestartedRegistryStillMeetEveryRegistrationTheyMissed(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine, extra: [("cobalt", .partner)])
        let held = try harness.register(Self.port, as: "acme").get()
        let bakery = Customer(legalName: "Boulangerie Martin", city: "Lyon", postalCode: "69002", country: "FR")
        let other = try harness.register(bakery, as: "acme").get()
        try harness.reopen()
        let market = Customer(legalName: "Marché Couvert SA", city: "Nantes", postalCode: "44000", country: "FR")
        let after = try harness.register(market, as: "bolt", watermark: 0).get()
        #expect(after.outcome == .approved, "\(after)")
        for (customer, holder) in [(Self.port, held), (bakery, other), (Self.port, held), (market, after)] {
            let late = try harness.register(customer, as: "cobalt", watermark: 0).get()
            #expect(
                late.outcome == .rejected && late.conflictingRegistrationID == holder.registrationID,
                "\(customer.legalName): \(late)")
        }
    }

    /// A transition value from a newer contract, or none, is refused naming the field, whoever sends it: the matrix
    /// used to read it as "close", which a channel manager may not do, and answered PERMISSION_DENIED.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func anUnknownTransitionIsRefusedNamingTheFieldForEveryCaller(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine, extra: [("manager", .channelManager)])
        let held = try harness.register(Self.port, as: "acme").get()
        for principal in ["acme", "manager", "admin"] {
            for transition in [Dealreg_V1_Transition.UNRECOGNIZED(99), .unspecified] {
                var request = Dealreg_V1_TransitionRequest()
                request.registrationID = held.registrationID
                request.transition = transition
                request.reason = "a step from a newer contract"
                let actions = harness.send(.transition(request), as: principal)
                let error = Harness.errors(actions).first
                #expect(
                    error?.code == .invalidField && error?.field == "transition",
                    "\(principal), \(transition): \(String(describing: error))")
            }
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aTenderIsOpenToEveryPartnerButOneOnAProtectedCustomerIsReviewed(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let hospital = Customer(legalName: "Centre Hospitalier de Lyon", postalCode: "69003", country: "FR")
        let open = try harness.register(hospital, as: "acme", tender: true).get()
        #expect(open.outcome == .approved, "nobody held the customer")
        let also = try harness.register(hospital, as: "bolt", tender: true).get()
        #expect(also.outcome == .approved, "a tender protects nobody")
        _ = try harness.register(Self.port, as: "acme").get()
        let claimed = try harness.register(Self.port, as: "bolt", tender: true).get()
        #expect(claimed.outcome == .pendingReview && claimed.explanation.contains("DR-00000003"), "\(claimed)")
        var bare = Harness.deal(Self.port, lines: ["storage"], tender: true, today: harness.now.today)
        bare.tenderReference = ""
        let refused = Harness.errors(harness.send(.registerDeal(bare), as: "bolt")).first
        #expect(refused?.code == .missingField && refused?.field == "tender_reference")
    }

    /// The loophole of withdrawing a protection and filing it again at once, for a fresh term and extension: the new
    /// registration goes to a channel manager (the re-check finds the withdrawn one, which the stale worker missed).
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func withdrawingAndFilingAgainWithinTheCooldownGoesToReview(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let first = try harness.register(Self.port, as: "acme").get()
        var withdraw = Dealreg_V1_TransitionRequest()
        withdraw.registrationID = first.registrationID
        withdraw.transition = .withdraw
        var actions = harness.send(.transition(withdraw), as: "acme")
        actions += harness.endTurn()
        #expect(Harness.errors(actions).isEmpty, "\(Harness.errors(actions))")
        let again = try harness.register(Self.port, as: "acme", watermark: 0).get()
        #expect(again.outcome == .pendingReview, "\(again)")
        #expect(again.explanation.contains("withdrew") && again.explanation.contains(first.registrationID))
        // Meanwhile the registration in review holds the customer against others.
        let rival = try harness.register(Self.port, as: "bolt", watermark: 0).get()
        #expect(rival.outcome == .rejected, "acme's registration in review holds the customer: \(rival)")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aDecisionSeesAnEarlierDecisionOfTheSameTurn(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let deal = Harness.deal(Self.port, lines: ["storage"], tender: false, today: harness.now.today)
        var actions = harness.send(.registerDeal(deal), as: "acme")
        actions += harness.send(.registerDeal(deal), as: "bolt")
        actions = harness.perform(harness.core.endOfTurn(at: harness.now))
        let checks = Harness.checks(actions)
        #expect(checks.count == 2)
        // Both answered within one turn, from an index that has neither: the second is decided against the first.
        var answers = harness.answer(checks[0].checkID, watermark: 0)
        answers += harness.answer(checks[1].checkID, watermark: 0)
        #expect(Harness.decisions(answers).isEmpty, "nothing is answered before its commit")
        let decided = Harness.decisions(harness.endTurn())
        #expect(decided.map(\.outcome) == [.approved, .rejected])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aFailedCommitLeavesTheCoreAsBefore(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        harness.failNextCommit = true
        let refused = harness.register(Self.port, as: "acme", requestID: "first")
        if case .failure(let error) = refused {
            #expect(error.code == .unavailable)
        } else {
            Issue.record("acknowledged")
        }
        #expect(harness.core.committed.seq == 4 && harness.core.committed.registrationNumber == 0)
        #expect(harness.core.registeredThisWeek.isEmpty, "the refused registration is not counted in the quota")
        // Nothing of the refused turn is remembered: bolt is approved (its check sees no acme registration),
        // under the number and seq the refused one would have had.
        let bolt = try harness.register(Self.port, as: "bolt").get()
        #expect(bolt.outcome == .approved && bolt.registrationID == "DR-00000001")
        #expect(harness.core.committed.seq == 5)
        let retried = try harness.register(Self.port, as: "acme", requestID: "first").get()
        #expect(retried.outcome == .rejected && retried.registrationID == "DR-00000002")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRepeatedRequestGetsItsAnswerAndAnotherBodyIsRefused(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let first = try harness.register(Self.port, as: "acme", requestID: "same").get()
        let retried = try harness.register(Self.port, as: "acme", requestID: "same").get()
        #expect(retried == first)
        var other = Self.port
        other.legalName = "Another company"
        let reused = harness.register(other, as: "acme", requestID: "same")
        if case .failure(let error) = reused {
            #expect(error.code == .requestIDReused)
        } else {
            Issue.record("accepted")
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aSuspendedPartnerIsRefusedBeforeAnyCheck(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        var actions = harness.send(
            .setStanding(
                .with {
                    $0.partyID = "bolt"
                    $0.standing = .suspended
                    $0.reason = "poaching"
                }), as: "admin")
        actions = harness.perform(actions + harness.endTurn())
        #expect(Harness.errors(actions).isEmpty)
        let refused = harness.register(Self.port, as: "bolt")
        if case .failure(let error) = refused {
            #expect(error.code == .registrantSanctioned)
        } else {
            Issue.record("accepted")
        }
    }

    /// A customer in acme's postal code and city: scored below the built-in review threshold.
    static let neighbour = Customer(
        legalName: "Garage Lemaire", street: "3 rue Colbert", city: "Marseille", postalCode: "13002", country: "FR")

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aPolicyReloadChangesWhatTheRecheckUses(engine: SQLEngine) throws {
        var builtIn = try Harness(engine: engine)
        _ = try builtIn.register(Self.port, as: "acme").get()
        let score = builtIn.core.scorer.score(
            NormalizedCustomer(Self.neighbour), against: NormalizedCustomer(Self.port)
        )
        .score
        #expect(score > 0 && score < ProgramPolicy().reviewThreshold, "score \(score)")
        // From an index that has not applied acme's registration (watermark 0), so only the re-check sees it.
        #expect(try builtIn.register(Self.neighbour, as: "bolt").get().outcome == .approved)

        var reloaded = try Harness(engine: engine)
        _ = try reloaded.register(Self.port, as: "acme").get()
        var policy = reloaded.core.policy
        policy.reviewThreshold = score / 2
        policy.version = "lower-review"
        let answer = reloaded.core.policyLoaded(.success(policy), route: [[1]], requestID: "reload")
        #expect(Harness.errors(answer).isEmpty)
        let checked = try reloaded.register(Self.neighbour, as: "bolt").get()
        #expect(checked.outcome == .pendingReview, "the re-check reads the running policy's review threshold")
        #expect(checked.policyVersion == "lower-review")
    }

    @Test func anUnansweredCheckIsRefusedAfterTheTimeout() throws {
        var harness = try Harness()
        let deal = Harness.deal(Self.port, lines: ["storage"], tender: false, today: harness.now.today)
        _ = harness.send(.registerDeal(deal), as: "acme")
        #expect(Harness.checks(harness.endTurn()).count == 1)
        harness.now = harness.now.advanced(by: .seconds(11))
        let actions = harness.core.heartbeat(at: harness.now)
        #expect(Harness.errors(actions).map(\.code) == [.unavailable])
    }
}

extension RegistryCoreTests {
    /// A message from a worker of the harness's check-worker key, connection `identity`.
    static func workMessage(
        _ harness: inout Harness, from identity: [UInt8], _ body: (inout WireWorkMessage) -> Void
    ) -> [RegistryAction] {
        var message = WireWorkMessage()
        body(&message)
        return harness.core.work(
            from: identity, key: harness.keys[PartyID("svc-check")], try! message.serializedBytes(), at: harness.now)
    }

    /// The work messages among `actions`, with the connection each goes to.
    static func workSent(_ actions: [RegistryAction]) -> [(worker: [UInt8], message: WireWorkMessage)] {
        actions.compactMap {
            guard case .sendWork(let worker, let bytes) = $0, let message = try? WireWorkMessage(serializedBytes: bytes)
            else { return nil }
            return (worker, message)
        }
    }

    @Test func aWorkerThatLeavesHandsItsChecksToAnotherAndIsToldSo() throws {
        var harness = try Harness()
        let other: [UInt8] = [0xBB]
        _ = Self.workMessage(&harness, from: other) {
            $0.ready = .with {
                $0.capacity = 64
                $0.workerName = "other"
            }
        }
        let deal = Harness.deal(Self.port, lines: ["storage"], tender: false, today: harness.now.today)
        _ = harness.send(.registerDeal(deal), as: "acme")
        let dispatched = Self.workSent(harness.endTurn())
        try #require(dispatched.count == 1)
        let leaving = dispatched[0].worker
        let staying = leaving == other ? Harness.worker : other

        let farewell = Self.workSent(Self.workMessage(&harness, from: leaving) { $0.disconnect.reason = "retiring" })
        #expect(farewell.map(\.worker) == [leaving])
        #expect(farewell.first?.message.disconnect.reason == "1 checks handed back")
        let redispatched = Self.workSent(harness.endTurn())
        #expect(redispatched.map(\.worker) == [staying])
        #expect(redispatched.first?.message.checkRequest.checkID == dispatched[0].message.checkRequest.checkID)
        #expect(harness.core.pool.readyCount == 1)

        let checkID = dispatched[0].message.checkRequest.checkID
        let watermark = harness.core.committed.seq
        var actions = Self.workMessage(&harness, from: staying) {
            $0.checkResult = .with {
                $0.checkID = checkID
                $0.watermark = watermark
            }
        }
        actions += harness.endTurn()
        #expect(Harness.decisions(actions).map(\.outcome) == [.approved])
    }
}
