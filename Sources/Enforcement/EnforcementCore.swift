import DealBus
import DealLedger
import DealModel
import DealStore
import DealWire
import Logging
import Matching

/// Enforcement's decisions as a state machine with no I/O: decoded requests, the registry's events, ticks, the
/// registry's answers and commit outcomes go in, with the moment they happen; `EnforcementAction`s come out
/// (replies, a batch to write, publications, requests to the registry). It reads committed records through
/// `EnforcementRecords` and never writes: a turn's changes live in its `EnforcementTurn` until the shell reports
/// the commit, and only then reach the mirror, the numbering, the clients and the event stream, so a failed commit
/// needs no undoing. Not thread-safe: owned by enforcement's reactor thread.
struct EnforcementCore {
    /// What the core needs of the service's configuration.
    struct Settings: Sendable {
        /// Whether a registry api is configured: the sanctions it enforces are sent there.
        var sendsStandings = false
        /// How long a graceful stop waits for the api to go quiet.
        var drainLimit: Duration = .seconds(2)
    }

    let logger: Logger
    let records: any EnforcementRecords
    let settings: Settings
    let rules: ViolationRules
    var policy: ProgramPolicy { rules.policy }
    /// Per-principal request limits of the api (the policy's `limits`).
    let limiter: RateLimiter
    let scorer = CustomerScorer()

    /// Every party's current key and kind, from the bootstrap file and then the registry's committed party events.
    private(set) var parties: [PartyID: Party] = [:]
    private var partiesByKey: [String: PartyID] = [:]
    /// The registrations and bookings as committed.
    private(set) var mirror: EnforcementMirror
    /// The last registry event, violation number and sanction number committed.
    private(set) var committed: (cursor: UInt64, violationNumber: Int64, sanctionNumber: Int64)
    /// Reviews escalated for missing their due date (once each).
    private(set) var escalated: Set<RegistrationID>
    /// Whether the event follower has caught up with the registry's head (the shell says so every tick).
    private(set) var eventsLive = false
    /// Set when a key that could subscribe to enforcement's `events` was revoked or replaced.
    private var eventsNeedRebind = false
    /// A storage fault refusing commits since `since`; nil while the database takes writes.
    private var storageOutage: (since: ContinuousClock.Instant, refused: Int)?
    /// Requests read since the drain last looked, and when a graceful stop began.
    private var readSinceDrainCheck = 0
    private var drainingSince: ContinuousClock.Instant?

    /// This turn's changes, committed together at its end before any reply goes out.
    var turn: EnforcementTurn
    /// The turn handed to the shell to write, until it reports the outcome.
    private(set) var writing: EnforcementTurn?

    /// The signed ledger as the exchange of heads with the registry sees it (`EnforcementCore+Witness`).
    var witness: WitnessState

    var counters = EnforcementCounters()
    private var outbox: [EnforcementAction] = []

    /// A core over `records` (parties, numbering, escalations and what the mirror keeps are read once), running
    /// `policy`; `bootstrap` parties are known before the registry's events name them. The index of accounts starts
    /// from `snapshot` (written at its seq) when given, and from the store alone when not, or when the snapshot is
    /// ahead of the store's cursor (a store restored from an older copy).
    init(
        records: any EnforcementRecords, policy: ProgramPolicy, bootstrap: [Party] = [],
        settings: Settings = Settings(), snapshot: (index: CustomerIndex<AccountID>, seq: UInt64)? = nil,
        logger: Logger
    ) throws {
        self.records = records
        self.settings = settings
        self.logger = logger
        rules = ViolationRules(policy: policy)
        limiter = RateLimiter(policy: policy)
        let numbers = try records.lastNumbers()
        let cursor = try records.cursor()
        committed = (cursor, numbers.violation, numbers.sanction)
        turn = EnforcementTurn(
            cursor: cursor, lastViolationNumber: numbers.violation, lastSanctionNumber: numbers.sanction)
        var snapshot = snapshot
        if let ahead = snapshot, ahead.seq > cursor {
            logger.warning(
                "the index snapshot is ahead of the store; indexing the accounts from the store",
                metadata: ["snapshot_seq": "\(ahead.seq)", "cursor": "\(cursor)"])
            snapshot = nil
        }
        mirror = try EnforcementMirror(records: records, snapshot: snapshot)
        escalated = Set(try records.escalations().map(\.registrationID))
        let lastWitnessed = try records.witnessedHeads(newest: 1).first
        witness = WitnessState(
            head: records.ledgerHead, registryWitnessed: lastWitnessed?.size ?? 0, lastRegistryHead: lastWitnessed)
        // The bootstrap file first: the registry's events (stored) are newer, and carry rotations and revocations.
        for party in try bootstrap + records.parties() { learn(party) }
        eventsNeedRebind = false
    }

    /// Hands the actions queued since the last input to the shell.
    mutating func takeActions() -> [EnforcementAction] {
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    // MARK: inputs

    /// A request on the api socket.
    mutating func api(_ request: RequestFrames, at now: Moment) -> [EnforcementAction] {
        readSinceDrainCheck += 1
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

    /// The 10 ms tick: refusals of the rate limiter whose delay has passed, and whether the event stream is live.
    mutating func tick(at now: Moment, eventsLive live: Bool) -> [EnforcementAction] {
        eventsLive = live
        for frames in limiter.due(at: now.instant) {
            outbox.append(.reply(route: Array(frames.dropLast()), envelope: frames[frames.count - 1]))
        }
        return takeActions()
    }

    /// The one-second sweep: overdue reviews are escalated, the registry is told the standings it has yet to
    /// apply, and rate-limit refusals are logged as counts.
    mutating func sweep(at now: Moment) -> [EnforcementAction] {
        do {
            try escalateOverdueReviews(at: now)
            if settings.sendsStandings {
                try syncStandings()
                offerHead(at: now)
            }
        } catch {
            logger.error("sweep failed", metadata: ["error": "\(error)"])
        }
        for (party, count) in limiter.drainRefusals() {
            logger.warning("requests refused: rate limited", metadata: ["party": "\(party)", "count": "\(count)"])
        }
        return takeActions()
    }

    /// A graceful stop (SIGTERM) in progress: the core stops once a check finds no request read since the last,
    /// or after the drain limit, so every booking already sent is committed and answered.
    mutating func drain(at now: Moment) -> [EnforcementAction] {
        let since = drainingSince ?? now.instant
        drainingSince = since
        if readSinceDrainCheck == 0 || since.duration(to: now.instant) > settings.drainLimit {
            logger.notice("drained: every request in hand is answered")
            outbox.append(.stop)
        }
        readSinceDrainCheck = 0
        return takeActions()
    }

    /// The end of a reactor turn: its changes are handed over to be written, unless a write is still out.
    mutating func endOfTurn(at now: Moment) -> [EnforcementAction] {
        guard !turn.isEmpty && writing == nil else { return takeActions() }
        let sealed = turn
        writing = sealed
        turn = EnforcementTurn(after: sealed)
        outbox.append(.write(sealed.items.map(\.change)))
        return takeActions()
    }

    /// The written turn is durable: it joins the committed state, its requests are answered and its decisions
    /// published.
    mutating func committed(at now: Moment, head: LedgerHead? = nil) -> [EnforcementAction] {
        guard let done = writing else { return takeActions() }
        writing = nil
        witnessCommitted(done, head: head)
        committed = (done.cursor, done.lastViolationNumber, done.lastSanctionNumber)
        if let outage = storageOutage {
            storageOutage = nil
            logger.notice(
                "storage writable again: changes are recorded",
                metadata: ["refused": "\(outage.refused)", "lasted": "\(outage.since.duration(to: now.instant))"])
        }
        for (registrant, record) in done.closings { mirror.closings[registrant] = record }
        if let norm = done.norm { mirror.norm = norm }
        mirror.watched += done.watchedDelta
        var bookings = 0
        for item in done.items {
            switch item.change {
            case .registration(let registration, _, _): mirror.take(registration, prepared: item.prepared)
            case .party(let party, _, _): learn(party)
            case .account(let account, _, _): mirror.take(account)
            case .booking(let recorded):
                mirror.remember(recorded.booking, prepared: item.prepared)
                bookings += 1
                logger.debug(
                    "booking recorded",
                    metadata: [
                        "request_id": "\(item.waiting.first?.requestID ?? "")", "order": "\(recorded.booking.orderID)",
                        "violations": "\(recorded.violations.count)",
                    ])
            case .escalation(let escalation): escalated.insert(escalation.registrationID)
            case .cursor, .link, .detected, .enforcementCase, .imposed, .lifted, .registryApplied, .witness: break
            }
            log(item)
        }
        counters.recorded(bookings: bookings, violations: done.items.flatMap(\.change.violations))
        if eventsNeedRebind {
            eventsNeedRebind = false
            outbox.append(.rebindEvents)
        }
        for item in done.items {
            guard let publication = item.change.publication else { continue }
            outbox.append(.publish(topic: publication.topic, body: publication.body))
        }
        for item in done.items {
            guard let body = item.reply else { continue }
            for waiting in item.waiting { reply(waiting.route, waiting.requestID, body) }
        }
        return takeActions()
    }

    /// The written turn's commit failed: its requests are answered with the error and it is dropped, with the turn
    /// staged since (which numbered on from it). Nothing of them was answered, published or remembered, so nothing
    /// needs undoing: numbering goes on from the committed counters, and the registry's events they held are
    /// followed again from the committed cursor.
    mutating func commitFailed(_ failure: any Error, at now: Moment) -> [EnforcementAction] {
        guard let refused = writing else { return takeActions() }
        writing = nil
        let later = turn
        turn = EnforcementTurn(
            cursor: committed.cursor, lastViolationNumber: committed.violationNumber,
            lastSanctionNumber: committed.sanctionNumber)
        let waiting = (refused.items + later.items).reduce(0) { $0 + $1.waiting.count }
        let storageFault = StorageFault(failure) != nil
        if storageFault {
            if storageOutage == nil {
                storageOutage = (now.instant, 0)
                logger.error(
                    "storage fault: changes refused until the database takes writes; reads go on",
                    metadata: ["error": "\(failure)"])
            }
            storageOutage?.refused += waiting
        } else {
            logger.critical("commit failed; nothing of this turn was acknowledged", metadata: ["error": "\(failure)"])
        }
        for item in refused.items + later.items where item.reply != nil {
            // As at the registry: a storage fault is the operator's to fix (seconds at least), anything else is
            // retried at once.
            var error = WireError(
                storageFault ? .storageUnavailable : .unavailable,
                item.failure + (storageFault ? " Its disk is full or read-only: retry later." : ""))
            if storageFault { error.retryAfterMs = 5000 }
            for waiting in item.waiting {
                outbox.append(
                    .reply(
                        route: waiting.route, envelope: EnvelopeCodec.encode(requestID: waiting.requestID, error: error)
                    ))
            }
        }
        if refused.followsEvents || later.followsEvents { outbox.append(.rewindEvents(to: committed.cursor)) }
        return takeActions()
    }

    // MARK: answers

    mutating func reply(_ route: [[UInt8]], _ requestID: String, _ body: WireEnvelope.OneOf_Body) {
        outbox.append(.reply(route: route, envelope: EnvelopeCodec.encode(requestID: requestID, body: body)))
    }

    mutating func fail(_ route: [[UInt8]], _ requestID: String, _ error: WireError, key: String?) {
        if error.code != .rateLimited {
            logger.notice(
                "request refused",
                metadata: [
                    "principal": "\(principal(ofKey: key)?.id.rawValue ?? "?")", "request_id": "\(requestID)",
                    "code": "\(error.code.name)", "field": "\(error.field)", "reason": "\(error.message)",
                ])
        }
        outbox.append(.reply(route: route, envelope: EnvelopeCodec.encode(requestID: requestID, error: error)))
    }

    mutating func queue(_ action: EnforcementAction) { outbox.append(action) }

    /// The log line of a committed change that says what enforcement decided.
    private func log(_ item: EnforcementTurn.Item) {
        switch item.change {
        case .booking, .detected:
            for violation in item.change.violations {
                logger.notice(
                    "violation detected",
                    metadata: [
                        "id": "\(violation.id)", "type": "\(violation.type.rawValue)", "party": "\(violation.party)",
                        "order": "\(violation.violation.orderID)",
                        "registration": "\(violation.violation.registrationID)",
                    ])
            }
        case .enforcementCase(let record) where item.reply != nil:
            logger.notice(
                "case step",
                metadata: [
                    "case": "\(record.id)", "state": "\(record.state)",
                    "by": "\(record.steps.last?.actor.rawValue ?? "")",
                ])
        case .imposed(let sanction):
            logger.notice(
                "sanction imposed",
                metadata: [
                    "sanction": "\(sanction.id)", "party": "\(sanction.party)", "level": "\(sanction.level.rawValue)",
                    "case": "\(sanction.caseID)",
                ])
        case .lifted(let sanction):
            logger.notice("sanction lifted", metadata: ["sanction": "\(sanction.id)", "party": "\(sanction.party)"])
        case .registryApplied(let sanction):
            logger.info(
                "registry applied the standing", metadata: ["party": "\(sanction.party)", "sanction": "\(sanction.id)"])
        case .escalation(let escalation):
            logger.warning(
                "review overdue: escalated",
                metadata: ["registration": "\(escalation.registrationID)", "due": "\(escalation.reviewDue)"])
        case .registration, .party, .account, .link, .cursor, .enforcementCase, .witness:
            break
        }
    }

    // MARK: the turn

    /// Adds `change` to this turn, answering `waiting` with `reply` once it is durable.
    mutating func stage(
        _ change: EnforcementChange, answering waiting: [EnforcementTurn.Waiting] = [],
        with reply: WireEnvelope.OneOf_Body? = nil, failure: String = Self.unstored,
        prepared: PreparedCustomer? = nil
    ) {
        turn.append(change, waiting: waiting, reply: reply, failure: failure, prepared: prepared)
    }

    static let unstored = "Enforcement could not store the change; nothing was recorded; retry."

    /// Adds a case in its new state to this turn; `before` is its state before (nil for a case it opens).
    mutating func stage(
        _ record: EnforcementCase, before: EnforcementCase?, answering waiting: [EnforcementTurn.Waiting] = [],
        with reply: WireEnvelope.OneOf_Body? = nil
    ) {
        let delta = (record.state.isStanding ? 1 : 0) - ((before?.state.isStanding ?? false) ? 1 : 0)
        turn.standing(record.party, changesBy: delta)
        stage(.enforcementCase(record), answering: waiting, with: reply)
    }

    /// The newest of this turn's, the written turn's and the committed value.
    func latest<Value>(_ staged: (EnforcementTurn) -> Value?, else committed: () throws -> Value?) rethrows -> Value? {
        if let value = staged(turn) ?? writing.flatMap(staged) { return value }
        return try committed()
    }

    /// The newest state of registration `id`: this turn's, the written turn's, or the store's.
    func latestRegistration(_ id: RegistrationID) throws -> Registration? {
        try latest({ $0.registrations[id] }, else: { try records.registration(id) })
    }

    /// The newest status of registration `id` and whether it is watched, as `latestRegistration` would say, without
    /// reading its body from the store; nil for one enforcement never saw.
    func latestStatus(_ id: RegistrationID) throws -> (status: RegistrationStatus, watched: Bool)? {
        if let staged = turn.registrations[id] ?? writing?.registrations[id] {
            return (staged.status, staged.isWatched)
        }
        return try records.registrationStatus(id)
    }

    func latestCase(_ id: ViolationID) throws -> EnforcementCase? {
        try latest({ $0.cases[id] }, else: { try records.enforcementCase(id) })
    }

    func latestSanction(_ id: SanctionID) throws -> Sanction? {
        try latest({ $0.sanctions[id] }, else: { try records.sanction(id) })
    }

    /// How many of `party`'s cases stand, this turn's steps included: the rung its ladder reached.
    func standingCases(of party: PartyID) throws -> Int {
        try records.standingCases(of: party) + (writing?.standingDelta[party] ?? 0) + (turn.standingDelta[party] ?? 0)
    }

    // MARK: parties

    /// Takes note of a party's kind and current key (an empty key: revoked); a replaced key stops mapping.
    mutating func learn(_ party: Party) {
        if let old = parties[party.id], old.publicKey != party.publicKey {
            partiesByKey[old.publicKey] = nil
            if AccessPolicy.access(old.kind, .subscribeCaseEvents) != .denied { eventsNeedRebind = true }
        }
        parties[party.id] = party
        if !party.publicKey.isEmpty { partiesByKey[party.publicKey] = party.id }
    }

    /// The party whose current key the message's connection authenticated with; nil once that key was revoked
    /// or rotated, so the change holds on connections already open.
    func principal(ofKey key: String?) -> Party? {
        key.flatMap { partiesByKey[$0] }.flatMap { parties[$0] }
    }

    /// The kind of party `id`, this turn's events included; nil for a party the program does not know.
    func kind(of id: PartyID) -> PartyKind? {
        latest({ $0.parties[id] }, else: { parties[id] })?.kind
    }
}
