import DealBus
import DealLedger
import DealModel
import DealStore
import DealWire
import Logging
import Matching

/// The registry's decisions as a state machine with no I/O: decoded requests, worker messages, ticks and commit
/// outcomes go in, with the moment they happen; `RegistryAction`s come out (replies, dispatches, a batch to
/// write, publications). It reads committed records through `RegistryRecords` and never writes: a turn's changes
/// live in its `RegistryTurn` until the shell reports the commit, and only then reach the committed state, the
/// clients and the event stream, so a failed commit needs no undoing. Not thread-safe: owned by the registry's
/// reactor thread.
struct RegistryCore {
    /// What the core needs of the service's configuration: bounds and timeouts, never a policy or a clock.
    struct Settings: Sendable {
        /// A worker silent this long is dead; its checks go to another.
        var workerTimeout: Duration = .seconds(3)
        /// A registration no worker has answered within this gets `UNAVAILABLE`.
        var checkTimeout: Duration = .seconds(10)
        /// Registrations waiting for a worker beyond this are answered `OVERLOADED` at once.
        var maximumQueuedChecks = 20_000
        /// Whether a policy file backs the running policy (an admin's reload re-reads it).
        var policyFileConfigured = false
        /// Where the database is, its password never shown: for status and the log line of a storage fault.
        var store = ""
        /// The retry delay a refusal for a storage fault suggests: an operator freeing a disk takes longer than a
        /// database server restarting.
        var storageRetryAfterMs: UInt32 = 5000
        /// The lease this process holds on a PostgreSQL store (for status); nil on SQLite.
        var lease: RegistryLease?
    }

    let logger: Logger
    let records: any RegistryRecords
    let settings: Settings
    /// The running policy's rules: the one policy every rule, check and re-check reads. A reload replaces it.
    private(set) var rules: DecisionRules
    var policy: ProgramPolicy { rules.policy }
    /// Stored registrations' product lines the running catalog does not know, for an admin's status.
    private(set) var unknownProductLines: UnknownProductLines
    /// Per-principal request limits of the api (the policy's `limits`).
    let limiter: RateLimiter
    let scorer = CustomerScorer()

    private(set) var parties = PartyDirectory()
    /// The committed two-tier links, in their latest state: who may register on behalf of whom.
    private(set) var links: [PartyLink.Pair: PartyLink] = [:]
    /// The last event seq, registration number and account number committed: the head workers, subscribers and
    /// status are told.
    private(set) var committed: RegistryCounters
    /// Every merged account and the account it went into, as committed: a worker that still names one is read as
    /// naming the other.
    private(set) var mergedAccounts: [AccountID: AccountID] = [:]
    var recent: RecentChanges
    /// (principal, request_id) of every stored answer, as a filter of fixed size: a request it has not seen is
    /// new, which spares the database lookup for all but retries (and the filter's rare false "seen").
    private var knownRequests: RequestFilter
    /// Committed new registrations per registrant in the quota week starting `quotaWeek` (a Monday).
    var registeredThisWeek: [PartyID: Int] = [:]
    var quotaWeek = CalendarDate(daysSinceEpoch: 0)
    /// Set when a key that could subscribe to `events` was revoked or replaced: the socket is bound afresh.
    private var eventsNeedRebind = false
    /// The storage fault refusing commits since `since`, with the requests refused so far; nil while the database
    /// takes writes. Logged when it begins and when it ends, not for each refusal.
    private var storageOutage: (fault: StorageFault, since: ContinuousClock.Instant, refused: Int)?

    var pool = WorkerPool()
    /// Registrations waiting for their check.
    var pending = ChecksInHand()
    /// When a graceful stop began (SIGTERM): registrations are no longer taken.
    var drainingSince: ContinuousClock.Instant?

    /// This turn's decisions, committed together at its end before any reply goes out.
    var turn: RegistryTurn
    /// The turn handed to the shell to write, until it reports the outcome.
    private var writing: RegistryTurn?

    /// The newest signed head of the log (each commit signs one); what proofs and exchanges answer under.
    var head: LedgerHead
    /// The largest of enforcement's heads the log witnesses: a head no larger is not recorded again.
    var witnessedSize: UInt64

    var metrics = RegistryMetrics()
    /// The same figures and more through swift-metrics, for `Stats` (`dealreg stats`).
    var gauges = RegistryGauges()
    private var outbox: [RegistryAction] = []

    /// A core over `records` (their parties, counters and answered requests are read once), running `policy`.
    init(records: any RegistryRecords, policy: ProgramPolicy, settings: Settings, logger: Logger) throws {
        self.records = records
        self.settings = settings
        self.logger = logger
        rules = DecisionRules(policy: policy)
        limiter = RateLimiter(policy: policy)
        committed = try records.counters()
        head = records.ledgerHead
        witnessedSize = try records.witnessedHeads(newest: 1).first?.size ?? 0
        recent = RecentChanges(floor: committed.seq)
        turn = RegistryTurn(committed)
        mergedAccounts = try records.mergedAccounts()
        var filter = RequestFilter()
        try records.forEachRequestKey { principal, requestID in
            filter.insert(Self.requestHash(RequestKey(principal: PartyID(principal), requestID: requestID)))
        }
        knownRequests = filter
        unknownProductLines = try UnknownProductLines(records: records, catalog: policy.catalog)
        for party in try records.parties() { remember(party) }
        for link in try records.links() { links[link.pair] = link }
        eventsNeedRebind = false
        warnOfUnknownProductLines()
    }

    private func warnOfUnknownProductLines() {
        guard !unknownProductLines.isEmpty else { return }
        logger.warning(
            "stored registrations name product lines not in the catalog, kept as written (dealreg status --as admin)",
            metadata: ["lines": "\(unknownProductLines.summary)"])
    }

    private static func requestHash(_ key: RequestKey) -> Int {
        var hasher = Hasher()
        hasher.combine(key.principal.rawValue)
        hasher.combine(key.requestID)
        return hasher.finalize()
    }

    /// Hands the actions queued since the last input to the shell.
    mutating func takeActions() -> [RegistryAction] {
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    // MARK: inputs

    /// What fell due while the registry was down (expiries) happens before anything else is served.
    mutating func start(at now: Moment) -> [RegistryAction] {
        do {
            try expireDue(at: now)
        } catch {
            logger.error("expiries could not be read", metadata: ["error": "\(error)"])
        }
        return endOfTurn(at: now)
    }

    /// A request on the api socket.
    mutating func api(_ request: RequestFrames, at now: Moment) -> [RegistryAction] {
        let envelope: WireEnvelope
        let principal: Party
        switch APIIntake.take(request, principal: principal(ofKey:), limiter: limiter, at: now) {
        case .admitted(let decoded, let party): (envelope, principal) = (decoded, party)
        case .refused(let requestID, let error):
            fail(request.route, requestID, error, key: request.key)
            return takeActions()
        case .held: return takeActions()
        }
        let id = envelope.requestID
        switch Self.methods.serve(
            envelope, route: request.route, principal: principal, core: &self, at: now, logger: logger)
        {
        case .success(.reply(let body)): reply(request.route, id, body)
        case .success(.inHand): break
        case .failure(let error): fail(request.route, id, error, key: request.key)
        }
        return takeActions()
    }

    /// A request on the sync socket: a replay of the event log for a late joiner.
    mutating func sync(_ request: RequestFrames) -> [RegistryAction] {
        switch replay(request) {
        case .success(let envelope): outbox.append(.replySync(route: request.route, envelope: envelope))
        case .failure(let refusal):
            log(refusal.error, requestID: refusal.requestID, key: request.key)
            outbox.append(
                .replySync(
                    route: request.route,
                    envelope: EnvelopeCodec.encode(requestID: refusal.requestID, error: refusal.error)))
        }
        return takeActions()
    }

    /// The 10 ms tick: refusals of the rate limiter whose delay has passed.
    mutating func tick(at now: Moment) -> [RegistryAction] {
        for frames in limiter.due(at: now.instant) {
            outbox.append(.reply(route: Array(frames.dropLast()), envelope: frames[frames.count - 1]))
        }
        return takeActions()
    }

    /// The end of a reactor turn: checks go to workers with credit, and the turn's decisions are handed over to
    /// be written.
    mutating func endOfTurn(at now: Moment) -> [RegistryAction] {
        dispatch(at: now)
        sealTurn()
        return takeActions()
    }

    /// Hands this turn's decisions over to be written, unless a write is still out.
    mutating func sealTurn() {
        guard !turn.isEmpty && writing == nil else { return }
        let sealed = turn
        writing = sealed
        turn = RegistryTurn(sealed.counters)
        outbox.append(.write(sealed.items.map(\.write)))
    }

    /// The written turn is durable (its commit began at `started`): it joins the committed state, its requests
    /// are answered and its events published.
    mutating func committed(
        started: ContinuousClock.Instant, at now: Moment, ledger: LedgerCommit = LedgerCommit()
    ) -> [RegistryAction] {
        guard let done = writing else { return takeActions() }
        writing = nil
        committed = done.counters
        if let head = ledger.head { self.head = head }
        if let outage = storageOutage {
            storageOutage = nil
            logger.notice(
                "storage writable again: registrations are recorded",
                metadata: ["refused": "\(outage.refused)", "lasted": "\(outage.since.duration(to: now.instant))"])
        }
        metrics.commit.record(from: started, to: now.instant)
        metrics.decisionsCommitted += UInt64(done.items.count)
        for (registrant, count) in done.registeredBy { registeredThisWeek[registrant, default: 0] += count }
        for (index, item) in done.items.enumerated() {
            let write = item.write
            metrics.commitWait.record(from: item.decided, to: now.instant)
            if case .witness(let witnessed) = write.change { witnessedSize = max(witnessedSize, witnessed.size) }
            if let registration = write.change.registration, let customer = item.customer {
                recent.remember(registration, customer: customer, seq: write.seq)
            }
            if let party = write.change.party { remember(party) }
            if let link = write.change.link { links[link.pair] = link }
            if let account = write.change.account, let into = account.mergedInto { mergedAccounts[account.id] = into }
            if let answer = write.answer {
                knownRequests.insert(
                    Self.requestHash(RequestKey(principal: answer.principal, requestID: answer.requestID)))
                let reply = ledger.replies[index] ?? answer.reply
                for route in item.routes { outbox.append(.reply(route: route, envelope: reply)) }
            } else if let read = item.read {
                for route in item.routes { outbox.append(.reply(route: route, envelope: read.reply)) }
            }
            if let outcome = write.change.outcome {
                gauges.decided(outcome)
                logger.debug(
                    "registration decided",
                    metadata: [
                        "request_id": "\(write.answer?.requestID ?? "")",
                        "principal": "\(write.answer?.principal.rawValue ?? "")",
                        "registration": "\(write.change.registration?.id.rawValue ?? "")",
                        "outcome": "\(outcome.rawValue)",
                    ])
            }
        }
        if eventsNeedRebind {
            eventsNeedRebind = false
            outbox.append(.rebindEvents)
        }
        for item in done.items {
            guard let topic = item.write.change.topic else { continue }
            outbox.append(.publish(topic: topic, event: item.write.eventBytes))
        }
        recent.prune(toWatermark: pool.lowestWatermark)
        return takeActions()
    }

    /// The written turn's commit failed: its requests are answered with the error and it is dropped. Nothing of it
    /// was acknowledged, published or remembered, so nothing needs undoing; the turn decided since numbers on from
    /// the committed counters again.
    mutating func commitFailed(_ failure: any Error, at now: Moment) -> [RegistryAction] {
        guard let refused = writing else { return takeActions() }
        writing = nil
        // Whatever was decided after the write began numbered on from the refused turn and may rest on it: it is
        // refused with it (the shell commits at once, so this is empty today).
        let later = turn
        turn = RegistryTurn(committed)
        var answer: WireError
        if let fault = StorageFault(failure) {
            answer = WireError(
                .storageUnavailable,
                "The registry cannot write its database (disk full, read-only, or the database server unreachable); "
                    + "nothing was recorded; retry with the same request_id later.")
            // The operator has to free space, or the server has to come back: seconds at least, not milliseconds.
            answer.retryAfterMs = settings.storageRetryAfterMs
            if storageOutage == nil {
                storageOutage = (fault, now.instant, 0)
                logger.error(
                    "storage fault: changes refused (STORAGE_UNAVAILABLE) until the database takes writes; reads go on",
                    metadata: ["database": "\(settings.store)", "error": "\(fault)"])
            }
            storageOutage?.refused += (refused.items + later.items).reduce(0) { $0 + $1.routes.count }
        } else {
            logger.critical("commit failed; nothing of this turn was acknowledged", metadata: ["error": "\(failure)"])
            answer = WireError(
                .unavailable, "The registry could not store the decision; retry with the same request_id.")
        }
        for item in refused.items + later.items {
            for route in item.routes {
                let requestID = item.write.answer?.requestID ?? item.read?.requestID ?? ""
                outbox.append(.reply(route: route, envelope: EnvelopeCodec.encode(requestID: requestID, error: answer)))
            }
        }
        return takeActions()
    }

    // MARK: answers

    mutating func reply(_ route: [[UInt8]], _ requestID: String, _ body: WireEnvelope.OneOf_Body) {
        outbox.append(.reply(route: route, envelope: EnvelopeCodec.encode(requestID: requestID, body: body)))
    }

    mutating func fail(_ route: [[UInt8]], _ requestID: String, _ error: WireError, key: String?) {
        log(error, requestID: requestID, key: key)
        outbox.append(.reply(route: route, envelope: EnvelopeCodec.encode(requestID: requestID, error: error)))
    }

    /// Answers every request waiting for check `checkID` with `error`, and forgets the check.
    mutating func abandon(_ checkID: UInt64, _ check: ChecksInHand.Check, with error: WireError) {
        pool.dropFromQueue(checkID)
        pending.remove(checkID)
        for route in check.routes {
            outbox.append(
                .reply(route: route, envelope: EnvelopeCodec.encode(requestID: check.requestID, error: error)))
        }
    }

    mutating func send(worker: [UInt8], _ message: WireWorkMessage) {
        guard let bytes: [UInt8] = try? message.serializedBytes() else { return }
        outbox.append(.sendWork(worker: worker, message: bytes))
    }

    mutating func queue(_ action: RegistryAction) { outbox.append(action) }

    private func log(_ error: WireError, requestID: String, key: String?) {
        logger.notice(
            "request refused",
            metadata: [
                "principal": "\(principal(ofKey: key)?.id.rawValue ?? "?")", "request_id": "\(requestID)",
                "code": "\(error.code.name)", "field": "\(error.field)", "reason": "\(error.message)",
            ])
    }

    // MARK: the turn

    /// Adds a decision or change to this turn, answering the requests at `routes` once it is durable.
    mutating func append(
        _ write: RegistryWrite, routes: [[[UInt8]]], customer: PreparedCustomer? = nil, at now: Moment
    ) {
        turn.append(write, routes: routes, customer: customer, at: now.instant)
    }

    /// The answer to a repeated request_id: joined to this turn's decision, or the stored one. Nil for a request
    /// not seen before; `REQUEST_ID_REUSED` is thrown for one seen with another body.
    mutating func answerFromHistory(_ request: APIRequest, fingerprint: String) throws -> Handling? {
        let key = RequestKey(principal: request.principal.id, requestID: request.requestID)
        switch turn.join(key, fingerprint: fingerprint, route: request.route) {
        case true?: return .inHand
        case false?:
            throw WireError(.requestIDReused, "This request_id was used for another request.", field: "request_id")
        case nil: break
        }
        guard knownRequests.mayContain(Self.requestHash(key)) else { return nil }
        guard let stored = try records.storedAnswer(principal: key.principal, requestID: key.requestID) else {
            return nil
        }
        guard stored.fingerprint == fingerprint else {
            throw WireError(.requestIDReused, "This request_id was used for another request.", field: "request_id")
        }
        outbox.append(.reply(route: request.route, envelope: stored.reply))
        return .inHand
    }

    /// The newest state of `id`: this turn's if it changed in it, else the stored one.
    func latestRegistration(_ id: RegistrationID) throws -> Registration? {
        try turn.registration(id) ?? writing?.registration(id) ?? records.registration(id)
    }

    // MARK: parties

    /// Takes in a committed party; a replaced key that could subscribe to `events` has the socket bound afresh.
    mutating func remember(_ party: Party) {
        if let old = parties.remember(party), AccessPolicy.access(old.kind, .subscribeEvents) != .denied {
            eventsNeedRebind = true
        }
    }

    /// The party whose current key the message's connection authenticated with; nil once that key was revoked
    /// or rotated, so the change holds on connections already open.
    func principal(ofKey key: String?) -> Party? { parties.party(withKey: key) }

    /// The newest state of party `id`, this turn's change included.
    func latestParty(_ id: PartyID) -> Party? { turn.parties[id] ?? writing?.parties[id] ?? parties[id] }

    /// The account `id` stands for now: itself, or the account it was merged into (through every later merge),
    /// this turn's merges included.
    func survivor(of id: AccountID) -> AccountID {
        var current = id
        for _ in 0..<64 {
            let next =
                turn.accounts[current]?.mergedInto ?? writing?.accounts[current]?.mergedInto
                ?? mergedAccounts[current]
            guard let next, next != current else { return current }
            current = next
        }
        return current
    }

    /// Every registration of `account` a decision on `day` must see, exactly, in its newest state: the stored
    /// ones with this turn's and the written turn's changes over them (moves into and out of the account
    /// included).
    func registrations(of account: AccountID, on day: CalendarDate) throws -> [Registration] {
        let horizon = max(policy.incumbencyDays, policy.reregistrationCooldownDays)
        return newest(
            try records.registrations(of: account, concerningDecisionsOn: day, horizonDays: horizon), of: account
        ).filter { $0.concernsDecisions(on: day, horizonDays: horizon) }
    }

    /// `stored` registrations of `account` in their newest state, with those the written turn and this one moved
    /// into the account and without those they moved out, by id.
    func newest(_ stored: [Registration], of account: AccountID) -> [Registration] {
        var found: [RegistrationID: Registration] = [:]
        for registration in stored { found[registration.id] = registration }
        for staged in [writing, turn].compactMap({ $0 }) {
            for registration in staged.registrations
            where found[registration.id] != nil || registration.account == account {
                found[registration.id] = registration
            }
        }
        return found.values.filter { $0.account == account }.sorted { $0.id < $1.id }
    }

    /// The registrations changed in the written turn and in this one, the newer last.
    var stagedRegistrations: [Registration] {
        (writing.map { Array($0.registrations) } ?? []) + Array(turn.registrations)
    }

    /// The written turn's step of account `id`, if it took one.
    func writingAccount(_ id: AccountID) -> Account? { writing?.accounts[id] }

    /// The newest state of the link of `pair`, this turn's change included.
    func latestLink(_ pair: PartyLink.Pair) -> PartyLink? { turn.links[pair] ?? writing?.links[pair] ?? links[pair] }

    /// What the decision rules see of holder `id`: its kind, its tier and whether it lost its benefits.
    func holder(_ id: PartyID, kind: PartyKind) -> DecisionRules.Holder {
        DecisionRules.Holder(
            id: id, kind: kind, tier: parties[id]?.tier ?? "", benefitsLost: parties[id]?.standing == .benefitsLost)
    }

    /// Replaces the running policy (an admin's reload): every rule, the re-check and the limits use it from now on.
    mutating func run(_ policy: ProgramPolicy) {
        let catalogChanged = policy.catalog != self.policy.catalog
        rules = DecisionRules(policy: policy)
        limiter.configure(policy)
        guard catalogChanged else { return }
        do {
            unknownProductLines = try UnknownProductLines(records: records, catalog: policy.catalog)
            warnOfUnknownProductLines()
        } catch {
            logger.error("stored product lines could not be read", metadata: ["error": "\(error)"])
        }
    }
}
