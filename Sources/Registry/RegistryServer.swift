import DealBus
import DealModel
import DealStore
import DealWire
import Foundation
import Logging
import Matching
import SwiftProtobuf
import ZeroMQ

/// The registry's reactor: authenticates, validates, dispatches checks to workers with credit, decides, commits
/// durably, then replies and publishes. Not thread-safe: everything here runs on its one reactor thread, the
/// single writer of the system of record.
final class RegistryServer {
    /// A registration waiting for its check.
    private struct PendingCheck {
        var routes: [[[UInt8]]]
        var principal: Party
        var requestID: String
        var fingerprint: String
        var request: DealRequest
        /// The customer normalised once, for the commit-time re-check and the recent index.
        var normalized: NormalizedCustomer
        var holder: PartyID
        var holderKind: PartyKind
        var received: ContinuousClock.Instant
    }

    let configuration: RegistryConfiguration
    let logger: Logger
    let store: RegistryStore
    /// The running policy's rules; an admin's reload replaces them.
    var rules: DecisionRules
    /// Per-principal request limits of the api (the policy's `limits`).
    let limiter: RateLimiter
    private let scorer = CustomerScorer()
    let keyPair: CurveKeyPair

    var parties: [PartyID: Party] = [:]
    var partiesByKey: [String: PartyID] = [:]
    var lastSeq: UInt64 = 0
    private var lastRegistrationNumber: Int64 = 0
    /// The last event seq and registration number in the database: where a failed commit winds the counters back
    /// to, and the head that workers, subscribers and status are told.
    private var committed: (seq: UInt64, registrationNumber: Int64) = (0, 0)
    /// The storage fault refusing commits since `since`, with the requests refused so far; nil while the database
    /// takes writes. Logged when it begins and when it ends, not for each refusal.
    private var storageOutage: (fault: StorageFault, since: ContinuousClock.Instant, refused: Int)?

    private var pool = WorkerPool()
    private var pending: [UInt64: PendingCheck] = [:]
    private var pendingByRequest: [String: UInt64] = [:]
    private var nextCheckID: UInt64 = 0

    /// Registrations changed after `recentFloor`, oldest first from `recentHead`, indexed: what a worker's index
    /// may not have applied yet. Pruned down to the lowest watermark of the known workers (the in-flight window,
    /// a few hundred), so commit-time validation searches a small index. Bounded; a worker lagging further
    /// behind is covered from the database.
    private var recent: [(seq: UInt64, registration: Registration)] = []
    private var recentHead = 0
    private var recentIndex = CandidateIndex()
    /// The latest recent change of each registration in `recent`.
    private var recentLatest: [RegistrationID: (seq: UInt64, registration: Registration)] = [:]
    private var recentFloor: UInt64 = 0
    private static let recentLimit = 20_000
    /// Changes kept in memory however far the workers have got, for a worker that joins slightly behind.
    private static let recentKeep = 512

    /// (principal, request_id) of every stored or batched reply, as a filter of fixed size: a request it has not
    /// seen is new, which spares the database lookup for all but retries (and the filter's rare false "seen").
    private var knownRequests = RequestFilter()

    /// New registrations per registrant in the quota week starting `quotaWeek` (a Monday), decided or in flight.
    var registeredThisWeek: [PartyID: Int] = [:]
    var quotaWeek = CalendarDate(daysSinceEpoch: 0)
    private var pendingByPrincipal: [PartyID: Int] = [:]

    /// A decision or change with the routes of the requests waiting for it and when it was made.
    typealias BatchedWrite = (write: PendingWrite, routes: [[[UInt8]]], decided: ContinuousClock.Instant)
    /// Decisions of this turn, committed together at its end before any reply goes out.
    var batch: [BatchedWrite] = []
    private var metrics = RegistryMetrics()
    /// The same figures and more through swift-metrics, for `Stats` (`dealreg stats`).
    private var gauges = RegistryGauges()
    /// Audits run on threads of their own; their answers wait here for the reactor.
    let audits = BackgroundAudits()

    var api: Socket!
    private var work: Socket!
    var events: Socket!
    var context: Context!
    /// Set when a key that could subscribe to `events` was revoked or replaced: the socket is bound afresh.
    var eventsNeedRebind = false
    /// When a graceful stop began (SIGTERM): registrations are no longer taken.
    private var drainingSince: ContinuousClock.Instant?
    private var sync: Socket!

    init(configuration: RegistryConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        store = try RegistryStore(
            file: configuration.databaseFile,
            mustExist: FileManager.default.fileExists(atPath: configuration.serverKeyFile.path))
        var policy = configuration.policy
        if let file = configuration.policyFile {
            do {
                policy = try PolicyFile.load(file)
            } catch {
                throw RegistryStartError(reason: "policy file \(file.path): \(error)")
            }
        }
        rules = DecisionRules(policy: policy)
        limiter = RateLimiter(policy: policy)
        let identity = try Keystore.loadOrCreate(configuration.serverKeyFile, id: PartyID("registry"), kind: .service)
        guard let pair = identity.keyPair else {
            throw KeystoreError.unreadable(path: configuration.serverKeyFile.path, reason: "bad key")
        }
        keyPair = pair
        try bootstrapParties()
        for party in try store.parties() { remember(party) }
        (lastSeq, lastRegistrationNumber) = try store.counters()
        committed = (lastSeq, lastRegistrationNumber)
        recentFloor = lastSeq
        try store.forEachRequestKey { principal, requestID in
            knownRequests.insert(Self.requestHash(PartyID(principal), requestID))
        }
    }

    private static func requestHash(_ principal: PartyID, _ requestID: String) -> Int {
        var hasher = Hasher()
        hasher.combine(principal.rawValue)
        hasher.combine(requestID)
        return hasher.finalize()
    }

    /// Adds the bootstrap file's parties (admin and service principals) that the store does not know, with their
    /// events, and brings the kind and name of known ones up to date. Never their keys: a key rotated or revoked
    /// with SetKey stays so, whatever an older bootstrap file says.
    private func bootstrapParties() throws {
        guard let file = configuration.bootstrapFile else { return }
        let known = Dictionary(uniqueKeysWithValues: try store.parties().map { ($0.id, $0) })
        let wanted = try JSONDecoder().decode([Party].self, from: Data(contentsOf: file)).map { party in
            guard let stored = known[party.id] else { return party }
            var kept = party
            kept.publicKey = stored.publicKey
            kept.standing = stored.standing
            return kept
        }
        var (seq, _) = try store.counters()
        var writes: [PendingWrite] = []
        for party in wanted where known[party.id] != party {
            guard CurveKey(z85: party.publicKey) != nil || known[party.id] != nil, party.id.isWellFormed else {
                logger.error("bootstrap party skipped: bad id or key", metadata: ["party": "\(party.id)"])
                continue
            }
            seq += 1
            writes.append(partyWrite(party, seq: seq, principal: PartyID("registry"), requestID: ""))
        }
        try store.commit(writes)
    }

    func remember(_ party: Party) {
        if let old = parties[party.id], old.publicKey != party.publicKey {
            partiesByKey[old.publicKey] = nil
            if AccessPolicy.access(old.kind, .subscribeEvents) != .denied { eventsNeedRebind = true }
        }
        parties[party.id] = party
        if !party.publicKey.isEmpty { partiesByKey[party.publicKey] = party.id }
    }

    /// Binds every socket, serves until the context is shut down, and returns.
    func run(context: Context, drain: DrainSignal? = nil, onReady: @Sendable (ServiceEndpoints) -> Void) throws {
        self.context = context
        let zap = try ZAPHandler(context: context) { [unowned self] request in self.admit(request) }
        api = try CurveSockets.server(
            context, .router, bind: configuration.apiEndpoint, keyPair: keyPair, domain: "api")
        work = try CurveSockets.server(
            context, .router, bind: configuration.workEndpoint, keyPair: keyPair, domain: "work")
        events = try CurveSockets.server(
            context, .publisher, bind: configuration.eventsEndpoint, keyPair: keyPair, domain: "events")
        sync = try CurveSockets.server(
            context, .router, bind: configuration.syncEndpoint, keyPair: keyPair, domain: "sync")
        defer {
            for socket in [api, work, events, sync, zap.socket] { socket?.close() }
        }

        let reactor = Reactor()
        reactor.register(zap.socket) { try zap.handleOne() }
        reactor.register(api) { [unowned self] in try self.drain(self.api, self.serveAPI) }
        reactor.register(work) { [unowned self] in try self.drain(self.work, self.serveWork) }
        reactor.register(sync) { [unowned self] in try self.drain(self.sync, self.serveSync) }
        reactor.schedule(every: configuration.heartbeatInterval) { [unowned self] in try self.heartbeat() }
        reactor.schedule(every: .milliseconds(10)) { [unowned self] in
            for frames in self.limiter.due() { self.send(self.api, frames) }
            for frames in self.audits.take() { self.send(self.api, frames) }
            if let drain, drain.isRequested { try self.drainStep(reactor) }
        }
        reactor.atEndOfTurn { [unowned self] in
            try self.dispatch()
            try self.commitBatch()
        }

        let endpoints = ServiceEndpoints(
            service: "registry",
            endpoints: [
                "api": try api.lastEndpoint(), "work": try work.lastEndpoint(), "events": try events.lastEndpoint(),
                "sync": try sync.lastEndpoint(),
            ], publicKey: keyPair.publicKey.z85, pid: getpid())
        try endpoints.write(to: configuration.endpointsFile)
        // Expiries that fell due while the registry was down happen before anything else is served.
        try expireDue()
        try commitBatch()
        logger.info(
            "registry serving",
            metadata: [
                "endpoints": "\(endpoints.endpoints)", "seq": "\(lastSeq)", "policy": "\(rules.policy.version)",
            ])
        onReady(endpoints)
        try reactor.run()
        logger.info("registry stopped", metadata: ["seq": "\(lastSeq)"])
    }

    /// Handles up to a turn's worth of messages from `socket`, so one busy socket cannot starve the others.
    private func drain(_ socket: Socket, _ handle: (ZeroMQ.Message) throws -> Void) throws {
        for _ in 0..<512 {
            guard let message = try socket.receive(dontWait: true) else { return }
            try handle(message)
        }
    }

    func send(_ socket: Socket, _ frames: [[UInt8]]) {
        do {
            try socket.send(frames: frames, dontWait: true)
        } catch {
            // The client went away (EHOSTUNREACH) or is not reading: its answer stays stored for a retry.
            logger.debug("reply not delivered", metadata: ["error": "\(error)"])
        }
    }

    func reply(_ request: RequestFrames, _ requestID: String, _ body: WireEnvelope.OneOf_Body) {
        send(api, request.reply(EnvelopeCodec.encode(requestID: requestID, body: body)))
    }

    func fail(_ request: RequestFrames, _ requestID: String, _ error: WireError, socket: Socket? = nil) {
        logger.notice(
            "request refused",
            metadata: [
                "principal": "\(principal(ofKey: request.key)?.id.rawValue ?? "?")", "request_id": "\(requestID)",
                "code": "\(error.code.name)",
                "field": "\(error.field)",
                "reason": "\(error.message)",
            ])
        send(socket ?? api, request.reply(EnvelopeCodec.encode(requestID: requestID, error: error)))
    }

    // MARK: api

    private func serveAPI(_ message: ZeroMQ.Message) throws {
        guard let request = RequestFrames(message) else { return }
        let envelope: WireEnvelope
        switch EnvelopeCodec.decodeRequest(request.payload) {
        case .success(let decoded): envelope = decoded
        case .failure(let failure):
            fail(request, failure.requestID, failure.error)
            return
        }
        let id = envelope.requestID
        guard let principal = principal(ofKey: request.key) else {
            fail(request, id, Self.staleKey)
            return
        }
        // Refused before any work and without a log line each: a flood costs little more than its decoding.
        guard
            limiter.admit(
                principal.id, kind: principal.kind,
                answer: { request.reply(EnvelopeCodec.encode(requestID: id, error: $0)) })
        else { return }
        guard let action = envelope.action, Self.apiActions.contains(action) else {
            fail(
                request, id,
                WireError(
                    .unknownMethod, "'\(envelope.methodName)' is not a request the registry's api serves.",
                    field: "body"))
            return
        }
        let access = AccessPolicy.access(principal.kind, action)
        guard access != .denied else {
            fail(request, id, WireError(.permissionDenied, AccessPolicy.refusal(principal.kind, action)))
            return
        }
        switch envelope.body {
        case .registerDeal(let body)?: try register(body, request: request, requestID: id, principal: principal)
        case .getRegistration(let body)?: try get(body, request: request, requestID: id, principal: principal)
        case .listRegistrations(let body)?: try list(body, request: request, requestID: id, principal: principal)
        case .transition(let body)?: try transition(body, request: request, requestID: id, principal: principal)
        case .history(let body)?: try history(body, request: request, requestID: id, principal: principal)
        case .policy(let body)?: policy(body, request: request, requestID: id, principal: principal)
        case .setStanding(let body)?: try setStanding(body, request: request, requestID: id, principal: principal)
        case .setKey(let body)?: try setKey(body, request: request, requestID: id, principal: principal)
        case .listParties?: listParties(request: request, requestID: id, principal: principal, access: access)
        case .feed(let body)?: try feed(body, request: request, requestID: id, principal: principal, access: access)
        case .stats?:
            gauges.workers.record(pool.readyCount)
            gauges.queued.record(pool.queuedCount)
            gauges.pending.record(pending.count)
            gauges.lastSeq.record(Int64(committed.seq))
            reply(
                request, id,
                .statsReply(
                    .with {
                        $0.service = "registry"
                        $0.metrics = ServiceMetrics.shared.snapshot()
                    }))
        case .audit?:
            let file = configuration.databaseFile
            audits.start(route: request.route, requestID: id, logger: logger) {
                let verdict = try RegistryStore.verify(readingOnly: file)
                return .init(
                    service: "registry", entries: verdict.entries, firstBroken: verdict.firstBroken,
                    reason: verdict.reason)
            }
        case .addParty(let body)?: try addParty(body, request: request, requestID: id, principal: principal)
        case .status(let body)?:
            var status = Dealreg_V1_StatusReply()
            status.service = "registry"
            status.principal = principal.id.rawValue
            status.live = true
            // A partner learns that the registry serves, not how busy the program is.
            guard access == .all else {
                reply(request, id, .statusReply(status))
                return
            }
            status.lastSeq = committed.seq
            status.readyWorkers = UInt32(pool.readyCount)
            status.queuedChecks = UInt32(pool.queuedCount)
            status.now = configuration.now()
            status.policyVersion = rules.policy.version
            metrics.fill(&status)
            if body.resetLatency { metrics.reset() }
            reply(request, id, .statusReply(status))
        default:
            fail(
                request, id,
                WireError(
                    .unknownMethod, "'\(envelope.methodName)' is not a request the registry's api serves.",
                    field: "body"))
        }
    }

    private func register(
        _ body: Dealreg_V1_RegisterDealRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        let fingerprint = body.fingerprint
        let requestKey = principal.id.rawValue + "\u{0}" + requestID
        // A request already decided (or being decided) gets that answer whatever happened since: a retry after a
        // lost reply must find its decision even while the registry stops or after the registrant was sanctioned.
        if let checkID = pendingByRequest[requestKey] {
            guard pending[checkID]?.fingerprint == fingerprint else {
                fail(
                    request, requestID,
                    WireError(.requestIDReused, "This request_id is in use for another request.", field: "request_id"))
                return
            }
            pending[checkID]?.routes.append(request.route)
            return
        }
        if try answerFromHistory(request, requestID: requestID, principal: principal.id, fingerprint: fingerprint) {
            return
        }
        guard drainingSince == nil else {
            fail(
                request, requestID, WireError(.unavailable, "The registry is stopping; retry with the same request_id.")
            )
            return
        }
        guard principal.standing.mayRegister else {
            fail(
                request, requestID,
                WireError(
                    .registrantSanctioned, "\(principal.id) is \(principal.standing.rawValue) and may not register."))
            return
        }
        if let problem = try quotaProblem(principal.id, inFlight: pendingByPrincipal[principal.id] ?? 0) {
            fail(request, requestID, problem)
            return
        }
        guard pool.queuedCount < configuration.maximumQueuedChecks else {
            var overloaded = WireError(
                .overloaded,
                "\(pool.queuedCount) registrations are waiting for a check worker; retry later with the same "
                    + "request_id.")
            // A second: the pool works off thousands of checks in it, and a client does not idle long.
            overloaded.retryAfterMs = 1000
            fail(request, requestID, overloaded)
            return
        }

        let deal: DealRequest
        do {
            deal = try DealRequest(wire: body)
            try deal.validate(today: today)
        } catch {
            fail(request, requestID, error.wire)
            return
        }
        var holder = principal.id
        var holderKind = principal.kind
        if let onBehalfOf = deal.onBehalfOf, onBehalfOf != principal.id {
            guard principal.kind == .distributor else {
                fail(
                    request, requestID,
                    WireError(
                        .permissionDenied, "Only a distributor may register on behalf of another party.",
                        field: "on_behalf_of"))
                return
            }
            guard let reseller = parties[onBehalfOf], reseller.kind == .partner else {
                fail(
                    request, requestID,
                    WireError(.invalidField, "'\(onBehalfOf)' is not a partner of the program.", field: "on_behalf_of"))
                return
            }
            holder = reseller.id
            holderKind = reseller.kind
        }
        nextCheckID += 1
        pending[nextCheckID] = PendingCheck(
            routes: [request.route], principal: principal, requestID: requestID, fingerprint: fingerprint,
            request: deal, normalized: NormalizedCustomer(deal.customer), holder: holder, holderKind: holderKind,
            received: .now)
        pendingByRequest[requestKey] = nextCheckID
        pendingByPrincipal[principal.id, default: 0] += 1
        pool.enqueue(nextCheckID)
    }

    /// Answers a repeated request_id from the stored reply; true when it did.
    func answerFromHistory(
        _ request: RequestFrames, requestID: String, principal: PartyID, fingerprint: String
    ) throws -> Bool {
        guard knownRequests.mayContain(Self.requestHash(principal, requestID)) else { return false }
        if let index = batch.firstIndex(where: { $0.write.principal == principal && $0.write.requestID == requestID }) {
            guard batch[index].write.fingerprint == fingerprint else {
                fail(
                    request, requestID,
                    WireError(.requestIDReused, "This request_id was used for another request.", field: "request_id"))
                return true
            }
            batch[index].routes.append(request.route)
            return true
        }
        guard let stored = try store.storedReply(principal: principal, requestID: requestID) else { return false }
        guard stored.fingerprint == fingerprint else {
            fail(
                request, requestID,
                WireError(.requestIDReused, "This request_id was used for another request.", field: "request_id"))
            return true
        }
        send(api, request.reply(stored.reply))
        return true
    }

    private func get(
        _ body: Dealreg_V1_GetRegistrationRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        guard let registration = try visibleRegistration(body.registrationID, to: principal, request, requestID) else {
            return
        }
        var reply = Dealreg_V1_GetRegistrationReply()
        reply.registration = registration.wire
        self.reply(request, requestID, .getRegistrationReply(reply))
    }

    private func list(
        _ body: Dealreg_V1_ListRegistrationsRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        guard body.limit <= 1000 else {
            fail(request, requestID, WireError(.invalidField, "At most 1000 registrations per page.", field: "limit"))
            return
        }
        let limit = body.limit == 0 ? 100 : Int(body.limit)
        var filter = RegistrationFilter()
        filter.visibleTo = AccessPolicy.access(principal.kind, .listRegistrations) == .all ? nil : principal.id
        if body.status != .unspecified {
            guard let status = RegistrationStatus(wire: body.status) else {
                fail(request, requestID, WireError(.invalidField, "Unknown registration status.", field: "status"))
                return
            }
            filter.status = status
        }
        filter.registrant = body.registrant.isEmpty ? nil : PartyID(body.registrant)
        filter.customer = String(body.customer.prefix(FieldLimits.textLength))
        if body.expiringWithinDays > 0 {
            filter.protectedUntilAtMost = today.adding(days: Int(min(body.expiringWithinDays, 3650)))
        }
        let page = try store.registrations(filter, after: body.afterID, limit: limit)
        var reply = Dealreg_V1_ListRegistrationsReply()
        reply.registrations = page.map(\.wire)
        reply.nextAfterID = page.count == limit ? page.last?.id.rawValue ?? "" : ""
        self.reply(request, requestID, .listRegistrationsReply(reply))
    }

    private func addParty(
        _ body: Dealreg_V1_AddPartyRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        let fingerprint = body.fingerprint
        if try answerFromHistory(request, requestID: requestID, principal: principal.id, fingerprint: fingerprint) {
            return
        }
        guard body.hasParty else {
            fail(request, requestID, WireError(.missingField, "The party is required.", field: "party"))
            return
        }
        guard let party = Party(wire: body.party) else {
            fail(
                request, requestID,
                WireError(.invalidField, "The party kind is missing or unknown.", field: "party.kind"))
            return
        }
        let problem: WireError? =
            if body.party.standing != .unspecified && PartyStanding(wire: body.party.standing) == nil {
                // Unset means active; a value this registry does not know is refused, never taken as active.
                WireError(
                    .invalidField, "The party's standing is not one this registry knows.", field: "party.standing")
            } else if !party.id.isWellFormed {
                WireError(
                    .invalidField, "'\(party.id)' is not a party id (a-z, 0-9, . _ -, at most 64).", field: "party.id")
            } else if party.name.isEmpty || party.name.count > FieldLimits.textLength {
                WireError(
                    .invalidField, "The party's name must have 1 to \(FieldLimits.textLength) characters.",
                    field: "party.name")
            } else if !party.country.isEmpty && !ISOCodes.isCountry(party.country) {
                WireError(
                    .invalidField, "'\(party.country)' is not an ISO 3166-1 alpha-2 country code.",
                    field: "party.country")
            } else if CurveKey(z85: party.publicKey) == nil {
                WireError(
                    .invalidField, "The public key is not a 40-character Z85 CURVE key.", field: "party.public_key")
            } else if parties[party.id] != nil || batch.contains(where: { $0.write.party?.id == party.id }) {
                WireError(.alreadyExists, "A party '\(party.id)' already exists.", field: "party.id")
            } else if partiesByKey[party.publicKey] != nil {
                WireError(.alreadyExists, "That public key already belongs to a party.", field: "party.public_key")
            } else {
                nil
            }
        if let problem {
            fail(request, requestID, problem)
            return
        }
        appendPartyChange(
            party, principal: principal, request: request, requestID: requestID, fingerprint: fingerprint,
            reply: .addPartyReply(.with { $0.party = party.wire }))
    }

    func partyWrite(_ party: Party, seq: UInt64, principal: PartyID, requestID: String) -> PendingWrite {
        var event = WireEvent()
        event.seq = seq
        event.time = configuration.now()
        event.party = party.wire
        return PendingWrite(
            registration: nil, party: party, event: event, topic: "party", principal: principal, requestID: requestID,
            fingerprint: "", reply: [])
    }

    // MARK: checks

    private func dispatch() throws {
        while let (checkID, worker) = pool.nextAssignment() {
            guard let check = pending[checkID] else {
                _ = pool.answered(worker, check: checkID)
                continue
            }
            var request = Dealreg_V1_CheckRequest()
            request.checkID = checkID
            request.customer = check.request.customer.wire
            request.productLines = check.request.productLines
            request.tender = check.request.tender
            request.holder = check.holder.rawValue
            request.minimumScore = rules.policy.reviewThreshold
            var message = WireWorkMessage()
            message.checkRequest = request
            send(work, [worker, try message.serializedBytes()])
        }
    }

    private func serveWork(_ message: ZeroMQ.Message) throws {
        guard message.frames.count == 2 else { return }
        let identity = message.frames[0]
        guard let principal = principal(ofKey: message.userID),
            AccessPolicy.access(principal.kind, .checkWork) != .denied
        else {
            // A worker whose key was revoked or rotated: its checks go to the others.
            for check in pool.remove(identity) where pending[check] != nil { pool.enqueue(check, first: true) }
            var disconnect = WireWorkMessage()
            disconnect.disconnect.reason = "this connection's key is no longer a check worker's"
            send(work, [identity, try disconnect.serializedBytes()])
            logger.warning("work message refused: key revoked or not a check worker's")
            return
        }
        guard let work = try? WireWorkMessage(serializedBytes: message.frames[1]) else {
            logger.warning("undecodable work message", metadata: ["principal": "\(principal.id)"])
            return
        }
        switch work.body {
        case .ready(let ready)?:
            let held = pool.ready(
                identity, name: ready.workerName, capacity: Int(ready.capacity), watermark: ready.watermark)
            for check in held where pending[check] != nil { pool.enqueue(check, first: true) }
            logger.info("worker ready", metadata: ["worker": "\(ready.workerName)", "capacity": "\(ready.capacity)"])
        case .heartbeat(let beat)?:
            if pool.knows(identity) {
                pool.heard(identity, watermark: beat.watermark)
            } else {
                var disconnect = WireWorkMessage()
                disconnect.disconnect.reason = "unknown worker: send Ready"
                send(self.work, [identity, try disconnect.serializedBytes()])
            }
        case .checkResult(let result)?:
            pool.heard(identity, watermark: result.watermark)
            guard pool.answered(identity, check: result.checkID), let check = pending[result.checkID] else { return }
            try decide(result.checkID, check, result: result)
        case .disconnect?:
            for check in pool.remove(identity) where pending[check] != nil { pool.enqueue(check, first: true) }
        default:
            break
        }
    }

    private func heartbeat() throws {
        try expireDue()
        for (party, count) in limiter.drainRefusals() {
            logger.warning("requests refused: rate limited", metadata: ["party": "\(party)", "count": "\(count)"])
        }
        let deadline = ContinuousClock.now.advanced(by: .zero - configuration.workerTimeout)
        for identity in pool.silent(since: deadline) {
            let held = pool.remove(identity)
            logger.warning("worker lost", metadata: ["requeued": "\(held.count)"])
            for check in held where pending[check] != nil { pool.enqueue(check, first: true) }
        }
        var beat = WireWorkMessage()
        beat.heartbeat.watermark = committed.seq
        let bytes = try beat.serializedBytes() as [UInt8]
        for identity in pool.workers.keys { send(work, [identity, bytes]) }

        let expiry = ContinuousClock.now.advanced(by: .zero - configuration.checkTimeout)
        for (checkID, check) in pending where check.received < expiry {
            pool.dropFromQueue(checkID)
            forget(checkID, check)
            let error = WireError(
                .unavailable, "No check worker answered in time; retry with the same request_id.")
            for route in check.routes {
                send(api, route + [EnvelopeCodec.encode(requestID: check.requestID, error: error)])
            }
        }
    }

    /// A graceful stop, one timer tick at a time: new registrations are refused, the ones in hand are decided while
    /// workers answer (up to the check timeout), the rest get UNAVAILABLE; then everything is committed and
    /// answered and the reactor returns.
    private func drainStep(_ reactor: Reactor) throws {
        if drainingSince == nil {
            drainingSince = .now
            logger.notice(
                "draining: no new registrations; deciding those in hand", metadata: ["pending": "\(pending.count)"])
        }
        guard
            pending.isEmpty || pool.readyCount == 0
                || drainingSince! < .now.advanced(by: .zero - configuration.checkTimeout)
        else { return }
        for (checkID, check) in pending {
            pool.dropFromQueue(checkID)
            forget(checkID, check)
            let error = WireError(.unavailable, "The registry is stopping; retry with the same request_id.")
            for route in check.routes {
                send(api, route + [EnvelopeCodec.encode(requestID: check.requestID, error: error)])
            }
        }
        try commitBatch()
        logger.notice("drained: every request in hand is answered")
        reactor.stop()
    }

    private func forget(_ checkID: UInt64, _ check: PendingCheck) {
        pending[checkID] = nil
        pendingByPrincipal[check.principal.id, default: 1] -= 1
        pendingByRequest[check.principal.id.rawValue + "\u{0}" + check.requestID] = nil
    }

    /// Applies the decision rules to a worker's candidates plus whatever was committed after its watermark.
    private func decide(_ checkID: UInt64, _ check: PendingCheck, result: Dealreg_V1_CheckResult) throws {
        forget(checkID, check)
        metrics.checkWait.record(from: check.received, to: .now)
        let day = today
        var scored: [RegistrationID: ScoredCandidate] = [:]
        for candidate in result.candidates {
            let id = RegistrationID(candidate.registrationID)
            guard let registration = try batchRegistration(id) ?? store.registration(id) else { continue }
            // A worker's score is trusted only as a probability: anything else (NaN, out of range) counts as none.
            let score = candidate.score.isFinite ? min(1, max(0, candidate.score)) : 0
            scored[id] = ScoredCandidate(
                registration: registration, score: score, reasons: candidate.reasons.map(MatchReason.init(wire:)))
        }
        // The worker's index stops at its watermark; what came after is matched here.
        for (registration, score, reasons) in try registrations(
            changedAfter: result.watermark, matching: check.normalized)
        {
            if score > scored[registration.id]?.score ?? -1 {
                scored[registration.id] = ScoredCandidate(registration: registration, score: score, reasons: reasons)
            } else {
                scored[registration.id]?.registration = registration  // its newer status wins
            }
        }
        let number = lastRegistrationNumber + 1
        let id = RegistrationID(number: number)
        // Matches carry ids, scores, reasons and the holder's kind: never a competitor's name, value or details.
        let holder = holder(check.holder, kind: check.holderKind)
        var decision = rules.decide(
            id: id, request: check.request, holder: holder, candidates: Array(scored.values), today: day,
            now: configuration.now())
        var write = PendingWrite(
            registration: nil, party: nil, event: nil, topic: "registration", principal: check.principal.id,
            requestID: check.requestID, fingerprint: check.fingerprint, reply: [])
        if decision.outcome != .duplicate {
            lastRegistrationNumber = number
            lastSeq += 1
            let status: RegistrationStatus =
                switch decision.outcome {
                case .approved: .approved
                case .rejected: .rejected
                default: .pendingReview
                }
            let registration = Registration(
                id: id, registrant: check.principal.id, holder: check.holder, holderKind: check.holderKind,
                request: check.request, status: status, decision: decision)
            var event = WireEvent()
            event.seq = lastSeq
            event.time = configuration.now()
            event.registration = registration.wire
            let history = HistoryRow(
                registrationID: id, seq: lastSeq, time: event.time, actor: check.principal.id, action: "registered",
                status: status, reason: decision.explanation, policyVersion: decision.policyVersion)
            event.history = history.wire
            write.registration = registration
            write.event = event
            write.eventBytes = try event.serializedBytes()
            write.history = history
            rememberRecent(registration, normalized: check.normalized, seq: lastSeq)
            registeredThisWeek[check.principal.id, default: 0] += 1
        } else {
            decision.registrationID = decision.conflictingRegistrationID ?? id
        }
        var reply = Dealreg_V1_RegisterDealReply()
        reply.decision = decision.wire
        write.reply = EnvelopeCodec.encode(requestID: check.requestID, body: .registerDealReply(reply))
        write.outcome = decision.outcome.rawValue
        append(write, routes: check.routes)
    }

    func append(_ write: PendingWrite, routes: [[[UInt8]]]) {
        if !write.requestID.isEmpty { knownRequests.insert(Self.requestHash(write.principal, write.requestID)) }
        batch.append((write, routes, .now))
    }

    func rememberRecent(_ registration: Registration, normalized: NormalizedCustomer, seq: UInt64) {
        recent.append((seq, registration))
        recentLatest[registration.id] = (seq, registration)
        // Only what a check must see is indexed (as in the workers): rejected or finished registrations would
        // crowd the best candidates out of the search's top slots.
        if registration.isIndexed {
            recentIndex.insert(registration.id, normalized: normalized)
        } else {
            recentIndex.remove(registration.id)
        }
        if recent.count - recentHead > Self.recentLimit {
            pruneRecent(through: recent[recentHead + Self.recentLimit / 2].seq)
        }
    }

    /// Drops the recent changes at or below `seq` from memory (they stay findable in the database), and
    /// rebuilds the index once removed slots outnumber live ones.
    private func pruneRecent(through seq: UInt64) {
        guard seq > recentFloor else { return }
        while recentHead < recent.count && recent[recentHead].seq <= seq {
            let (changed, registration) = recent[recentHead]
            if recentLatest[registration.id]?.seq == changed {
                recentLatest[registration.id] = nil
                recentIndex.remove(registration.id)
            }
            recentHead += 1
        }
        recentFloor = seq
        if recentHead >= 1024 && recentHead * 2 >= recent.count {
            recent.removeFirst(recentHead)
            recentHead = 0
        }
        if recentIndex.slotCount > 2 * recentIndex.count + 4096 {
            var index = CandidateIndex()
            index.insert(
                contentsOf: recentLatest.filter { $0.value.registration.isIndexed }.map {
                    ($0.key, $0.value.registration.request.customer)
                })
            recentIndex = index
        }
    }

    /// Prunes the recent changes every known worker has applied, keeping at least the last `recentKeep`.
    private func pruneRecentToWorkers() {
        let kept = recent.count - recentHead
        guard kept > Self.recentKeep, let lowest = pool.lowestWatermark else { return }
        pruneRecent(through: min(lowest, recent[recent.count - Self.recentKeep].seq))
    }

    /// Registrations changed after event `seq` that match the customer at least at the review threshold: from the
    /// in-memory index of recent changes when `seq` is recent enough, else from the database.
    private func registrations(
        changedAfter seq: UInt64, matching normalized: NormalizedCustomer
    ) throws -> [(Registration, Double, [MatchReason])] {
        let threshold = configuration.policy.reviewThreshold
        guard seq >= recentFloor else {
            let changed = try store.registrations(changedAfter: seq) + batch.compactMap(\.write.registration)
            return changed.compactMap { registration in
                let (score, reasons) = scorer.score(
                    normalized, against: NormalizedCustomer(registration.request.customer))
                return score >= threshold ? (registration, score, reasons) : nil
            }
        }
        guard let newest = recent.last?.seq, newest > seq else { return [] }
        let latest = recentLatest
        // The recent set is small, so the search scores more of it than a worker's top 32.
        return recentIndex.candidates(for: normalized, minimumScore: threshold, limit: 128) {
            (latest[$0]?.seq ?? 0) > seq
        }
        .compactMap { found in latest[found.id].map { ($0.registration, found.score, found.reasons) } }
    }

    func batchRegistration(_ id: RegistrationID) -> Registration? {
        batch.last(where: { $0.write.registration?.id == id })?.write.registration
    }

    /// Commits the turn's decisions in one fsynced transaction, then replies and publishes them.
    func commitBatch() throws {
        guard !batch.isEmpty else { return }
        let turn = batch
        batch.removeAll(keepingCapacity: true)
        let started = ContinuousClock.now
        do {
            try store.commit(turn.map(\.write))
        } catch {
            refuse(turn, failure: error)
            return
        }
        let finished = ContinuousClock.now
        committed = (lastSeq, lastRegistrationNumber)
        if let outage = storageOutage {
            storageOutage = nil
            logger.notice(
                "storage writable again: registrations are recorded",
                metadata: ["refused": "\(outage.refused)", "lasted": "\(outage.since.duration(to: finished))"])
        }
        metrics.commit.record(from: started, to: finished)
        metrics.decisionsCommitted += UInt64(turn.count)
        for item in turn {
            metrics.commitWait.record(from: item.decided, to: finished)
            if !item.write.outcome.isEmpty {
                gauges.decided(item.write.outcome)
                logger.debug(
                    "registration decided",
                    metadata: [
                        "request_id": "\(item.write.requestID)", "principal": "\(item.write.principal)",
                        "registration": "\(item.write.registration?.id.rawValue ?? "")",
                        "outcome": "\(item.write.outcome)",
                    ])
            }
            if let party = item.write.party { remember(party) }
            for route in item.routes { send(api, route + [item.write.reply]) }
        }
        if eventsNeedRebind && events != nil {
            eventsNeedRebind = false
            events = try CurveSockets.rebind(events, context, .publisher, keyPair: keyPair, domain: "events")
            logger.notice("events socket bound afresh: a subscriber's key was revoked or replaced")
        }
        for item in turn {
            guard let event = item.write.event else { continue }
            let bytes = item.write.eventBytes.isEmpty ? try event.serializedBytes() : item.write.eventBytes
            send(events, [Array(item.write.topic.utf8), bytes])
        }
        pruneRecentToWorkers()
    }

    /// Answers every request of a turn whose commit failed with the error, after undoing in memory what the turn
    /// would have recorded: its seqs and registration numbers are given out again, its recent changes and its
    /// registrations' share of the week's quota forgotten. Nothing of it was acknowledged, published or remembered
    /// as decided.
    private func refuse(_ turn: [BatchedWrite], failure: any Error) {
        (lastSeq, lastRegistrationNumber) = committed
        var undone: Set<RegistrationID> = []
        for (seq, registration) in recent[recentHead...] where seq > lastSeq { undone.insert(registration.id) }
        recent.removeAll { $0.seq > lastSeq }
        for id in undone {
            recentLatest[id] = nil
            recentIndex.remove(id)
        }
        // A registration changed again in the refused turn is back at its last committed change, if still recent.
        for change in recent[recentHead...] where undone.contains(change.registration.id) {
            recentLatest[change.registration.id] = change
        }
        for id in undone {
            guard let kept = recentLatest[id]?.registration, kept.isIndexed else { continue }
            recentIndex.insert(id, normalized: NormalizedCustomer(kept.request.customer))
        }
        for item in turn where item.write.history?.action == "registered" {
            guard let registrant = item.write.registration?.registrant else { continue }
            registeredThisWeek[registrant, default: 1] -= 1
        }
        var answer: WireError
        if let fault = StorageFault(failure) {
            answer = WireError(
                .storageUnavailable,
                "The registry cannot write its database (disk full or read-only); nothing was recorded; retry with "
                    + "the same request_id later.")
            // The operator has to free space or fix the file system: seconds at least, not milliseconds.
            answer.retryAfterMs = 5000
            if storageOutage == nil {
                storageOutage = (fault, .now, 0)
                logger.error(
                    "storage fault: changes refused (STORAGE_UNAVAILABLE) until the database takes writes; reads go on",
                    metadata: ["database": "\(configuration.databaseFile.path)", "error": "\(fault)"])
            }
            storageOutage?.refused += turn.reduce(0) { $0 + $1.routes.count }
        } else {
            logger.critical("commit failed; nothing of this turn was acknowledged", metadata: ["error": "\(failure)"])
            answer = WireError(
                .unavailable, "The registry could not store the decision; retry with the same request_id.")
        }
        for item in turn {
            for route in item.routes {
                send(api, route + [EnvelopeCodec.encode(requestID: item.write.requestID, error: answer)])
            }
        }
    }

    // MARK: sync

    private func serveSync(_ message: ZeroMQ.Message) throws {
        guard let request = RequestFrames(message) else { return }
        guard let principal = principal(ofKey: request.key) else {
            fail(request, "", Self.staleKey, socket: sync)
            return
        }
        guard AccessPolicy.access(principal.kind, .replayLog) != .denied else {
            fail(
                request, "", WireError(.permissionDenied, AccessPolicy.refusal(principal.kind, .replayLog)),
                socket: sync)
            return
        }
        let envelope: WireEnvelope
        switch EnvelopeCodec.decodeRequest(request.payload) {
        case .success(let decoded): envelope = decoded
        case .failure(let failure):
            fail(request, failure.requestID, failure.error, socket: sync)
            return
        }
        guard case .sync(let body)? = envelope.body else {
            fail(
                request, envelope.requestID,
                WireError(.unknownMethod, "The sync socket serves only SyncRequest.", field: "body"), socket: sync)
            return
        }
        let events = try store.eventBodies(
            from: max(1, body.fromSeq), limit: Int(min(max(body.maxEvents, 1), 5000)))
        send(
            sync,
            request.reply(
                EnvelopeCodec.encodeSyncReply(requestID: envelope.requestID, headSeq: committed.seq, events: events)))
    }

    var today: CalendarDate { CalendarDate(secondsSinceEpoch: configuration.now()) }

}
