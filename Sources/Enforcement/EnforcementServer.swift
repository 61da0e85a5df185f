import CoreMetrics
import DealBus
import DealModel
import DealWire
import Foundation
import Logging
import Matching
import SwiftProtobuf
import ZeroMQ

/// The enforcement service's reactor: follows the registry's events durably (its cursor survives restarts) into a
/// mirror of the registrations with its own candidate index, takes bookings from other systems and records the
/// violations they reveal, runs due process and sanctions. Not thread-safe: runs on its one reactor thread.
final class EnforcementServer {
    let configuration: EnforcementConfiguration
    let logger: Logger
    let store: EnforcementStore
    let keyPair: CurveKeyPair
    /// Every party's current key and kind, from the bootstrap file and then the registry's party events.
    var partiesByKey: [String: PartyID] = [:]
    var keys: [PartyID: String] = [:]
    var kinds: [PartyID: PartyKind] = [:]
    var context: Context!
    /// Set when a key that could subscribe to enforcement's `events` was revoked or replaced.
    var eventsNeedRebind = false
    /// Requests read since the drain timer last looked (a graceful stop waits for a quiet tick).
    private var readSinceLastTick = 0
    /// A DEALER to the registry's api, where sanctions take effect; nil when no api endpoint is configured.
    var registry: Socket?
    var lastSanctionNumber: Int64 = 0
    private var unrecorded: [WireEvent] = []
    private var follower: EventFollower!
    /// The registry's registrations as last published that a booking, a review deadline or squatting can still
    /// concern (`isWatched`), and an index of those a booking can violate. Settled ones (rejected, withdrawn,
    /// lost) live only in the store, so memory follows the live registrations, not every one ever filed.
    var registrations: [RegistrationID: Registration] = [:]
    /// Audits run on threads of their own; their answers wait here for the reactor.
    private let audits = BackgroundAudits()
    /// Counters and gauges for `Stats` (`dealreg stats`).
    private let counters = EnforcementCounters()
    /// Registrations settled during this turn: dropped from memory once the turn's events are committed.
    private var settled: [RegistrationID] = []
    /// Registrations in review, and those already escalated for missing their review deadline.
    var inReview: Set<RegistrationID> = []
    var escalated: Set<String> = []
    /// Enforcement's own PUB: escalations as they happen.
    var publisher: Socket?
    private var index = CandidateIndex()
    let rules: ViolationRules
    /// Per-principal request limits of the api (the policy's `limits`).
    let limiter: RateLimiter
    /// How each registrant's registrations ended, and the program's norm: the basis of squatting detection.
    var closings: [PartyID: ClosingRecord] = [:]
    /// Recorded bookings, indexed by customer under their order id: a registration filed after its registrant's own
    /// booking is found when the registration arrives.
    var bookingsByOrder: [String: Booking] = [:]
    var bookingIndex = CandidateIndex()
    var norm = ClosingRecord()
    private let scorer = CustomerScorer()
    var lastViolationNumber: Int64 = 0
    /// Bookings of this turn with the routes to answer, committed together at its end before any reply.
    private var bookings: [(recorded: RecordedBooking, waiting: [(route: [[UInt8]], requestID: String)])] = []

    init(configuration: EnforcementConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        var policy = ProgramPolicy()
        if let file = configuration.policyFile {
            do {
                policy = try PolicyFile.load(file)
            } catch {
                throw AddressError("policy file \(file.path): \(error)")
            }
        }
        rules = ViolationRules(policy: policy)
        limiter = RateLimiter(policy: policy)
        store = try EnforcementStore(
            file: configuration.databaseFile,
            mustExist: FileManager.default.fileExists(atPath: configuration.serverKeyFile.path))
        let identity = try Keystore.loadOrCreate(
            configuration.serverKeyFile, id: PartyID("enforcement"), kind: .service)
        guard let pair = identity.keyPair else {
            throw KeystoreError.unreadable(path: configuration.serverKeyFile.path, reason: "bad key")
        }
        keyPair = pair
        // The bootstrap file first: the registry's events (stored) are newer, and carry rotations and revocations.
        if let file = configuration.bootstrapFile {
            for party in try JSONDecoder().decode([Party].self, from: Data(contentsOf: file)) {
                learn(party.id, kind: party.kind, key: party.publicKey)
            }
        }
        for party in try store.parties() {
            guard let kind = PartyKind(rawValue: party.kind) else { continue }
            learn(PartyID(party.id), kind: kind, key: party.publicKey)
        }
        eventsNeedRebind = false
        for registration in try store.registrations() where registration.isWatched {
            registrations[registration.id] = registration
        }
        index.insert(
            contentsOf: registrations.values.filter(\.isIndexed).map { ($0.id, $0.request.customer) })
        lastViolationNumber = try store.lastViolationNumber()
        lastSanctionNumber = try store.lastSanctionNumber()
        inReview = Set(registrations.values.filter { $0.status == .pendingReview }.map(\.id))
        for booking in try store.bookings() { bookingsByOrder[booking.orderID] = booking }
        bookingIndex.insert(contentsOf: bookingsByOrder.values.map { (RegistrationID($0.orderID), $0.customer) })
        for registration in registrations.values {
            closings[registration.registrant, default: ClosingRecord()].count(registration.status)
            norm.count(registration.status)
        }
        escalated = Set(try store.escalations().map(\.registrationID))
    }

    func run(context: Context, drain: DrainSignal? = nil, onReady: @Sendable (ServiceEndpoints) -> Void) throws {
        self.context = context
        let zap = try ZAPHandler(context: context) { [unowned self] request in self.admit(request) }
        let api = try CurveSockets.server(
            context, .router, bind: configuration.apiEndpoint, keyPair: keyPair, domain: "api")
        let events = try CurveSockets.server(
            context, .publisher, bind: configuration.eventsEndpoint, keyPair: keyPair, domain: "events")
        defer {
            for socket in [api, publisher ?? events, zap.socket] { socket.close() }
        }
        let reactor = Reactor()
        reactor.register(zap.socket) { try zap.handleOne() }
        reactor.register(api) { [unowned self] in try self.serve(api) }
        // On SIGTERM: keep serving until a tick finds nothing more to read (or 2 s), so every booking already
        // sent is committed and answered; the turn's end-of-turn commit runs before the reactor returns.
        var drainingSince: ContinuousClock.Instant?
        reactor.schedule(every: .milliseconds(50)) { [unowned self] in
            guard let drain, drain.isRequested else { return }
            let since = drainingSince ?? .now
            drainingSince = since
            if self.readSinceLastTick == 0 || since < .now.advanced(by: .seconds(-2)) {
                self.logger.notice("drained: every request in hand is answered")
                reactor.stop()
            }
            self.readSinceLastTick = 0
        }
        reactor.schedule(every: .milliseconds(10)) { [unowned self] in
            for frames in self.limiter.due(at: .now) + self.audits.take() {
                _ = try? api.send(frames: frames, dontWait: true)
            }
        }
        publisher = events
        reactor.schedule(every: .seconds(1)) { [unowned self] in
            try self.escalateOverdueReviews()
            for (party, count) in self.limiter.drainRefusals() {
                self.logger.warning(
                    "requests refused: rate limited", metadata: ["party": "\(party)", "count": "\(count)"])
            }
        }
        if !configuration.registryAPIEndpoint.isEmpty {
            let socket = try CurveSockets.client(
                context, .dealer, connect: configuration.registryAPIEndpoint, serverKey: configuration.registryKey,
                keyPair: configuration.keyPair)
            registry = socket
            reactor.register(socket) { [unowned self] in try self.drainRegistry(socket) }
            reactor.schedule(every: .seconds(1)) { [unowned self] in try self.syncStandings() }
        }
        defer { registry?.close() }
        follower = try EventFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: configuration.registryEventsEndpoint, syncEndpoint: configuration.registrySyncEndpoint,
                serverKey: configuration.registryKey, keyPair: configuration.keyPair),
            lastApplied: try store.cursor(), logger: logger
        ) { [unowned self] events in self.apply(events) }
        reactor.atEndOfTurn { [unowned self] in
            if self.eventsNeedRebind, let publisher = self.publisher {
                self.eventsNeedRebind = false
                self.publisher = try CurveSockets.rebind(
                    publisher, context, .publisher, keyPair: self.keyPair, domain: "events")
                self.logger.notice("events socket bound afresh: a subscriber's key was revoked or replaced")
            }
            if !self.unrecorded.isEmpty {
                try self.store.record(self.unrecorded)
                self.unrecorded.removeAll(keepingCapacity: true)
            }
            for id in self.settled where self.registrations[id]?.isWatched == false { self.registrations[id] = nil }
            self.settled.removeAll(keepingCapacity: true)
            try self.commitBookings(api)
        }
        let endpoints = ServiceEndpoints(
            service: "enforcement", endpoints: ["api": try api.lastEndpoint(), "events": try events.lastEndpoint()],
            publicKey: keyPair.publicKey.z85, pid: getpid())
        try endpoints.write(to: configuration.endpointsFile)
        logger.info("enforcement serving", metadata: ["cursor": "\(follower.lastApplied)"])
        onReady(endpoints)
        try reactor.run()
        if !unrecorded.isEmpty { try store.record(unrecorded) }
        logger.info("enforcement stopped", metadata: ["cursor": "\(follower.lastApplied)"])
    }

    private func serve(_ api: Socket) throws {
        while let message = try api.receive(dontWait: true) {
            readSinceLastTick += 1
            guard let request = RequestFrames(message) else { continue }
            let answer: WireEnvelope.OneOf_Body
            var requestID = ""
            switch EnvelopeCodec.decodeRequest(request.payload) {
            case .failure(let failure):
                requestID = failure.requestID
                answer = .error(failure.error)
            case .success(let envelope):
                requestID = envelope.requestID
                guard let answered = try self.answer(envelope, request) else { continue }
                answer = answered
            }
            if case .error(let error) = answer, error.code != .rateLimited {
                logger.notice(
                    "request refused",
                    metadata: [
                        "principal": "\(caller(ofKey: request.key)?.id.rawValue ?? "?")", "request_id": "\(requestID)",
                        "code": "\(error.code.name)", "field": "\(error.field)", "reason": "\(error.message)",
                    ])
            }
            _ = try? api.send(
                frames: request.reply(EnvelopeCodec.encode(requestID: requestID, body: answer)), dontWait: true)
        }
    }

    /// The answer to a decoded request, after the matrix let its principal in; nil when it is answered later (a
    /// booking, once committed).
    private func answer(_ envelope: WireEnvelope, _ request: RequestFrames) throws -> WireEnvelope.OneOf_Body? {
        guard let caller = caller(ofKey: request.key) else { return .error(Self.staleKey) }
        guard
            limiter.admit(
                caller.id, kind: caller.kind, at: .now,
                answer: { request.reply(EnvelopeCodec.encode(requestID: envelope.requestID, error: $0)) })
        else { return nil }
        guard let action = envelope.action, Self.apiActions.contains(action) else {
            return .error(
                WireError(.unknownMethod, "'\(envelope.methodName)' is not served by enforcement.", field: "body"))
        }
        let access = AccessPolicy.access(caller.kind, action)
        guard access != .denied else {
            return .error(WireError(.permissionDenied, AccessPolicy.refusal(caller.kind, action)))
        }
        let principal = Caller(id: caller.id, kind: caller.kind, access: access)
        switch envelope.body {
        case .status?:
            var status = Dealreg_V1_StatusReply()
            status.service = "enforcement"
            status.principal = caller.id.rawValue
            status.live = follower.isLive
            if access == .all { status.lastSeq = follower.lastApplied }
            return .statusReply(status)
        case .recordBooking(let body)?:
            return try record(body, principal: principal, route: request.route, requestID: envelope.requestID)
        case .listViolations(let body)?: return try listViolations(body, principal: principal)
        case .listCases(let body)?: return try listCases(body, principal: principal)
        case .caseRequest(let body)?: return try caseStep(body, principal: principal)
        case .listSanctions(let body)?: return try listSanctions(body, principal: principal)
        case .liftSanction(let body)?: return try liftSanction(body, principal: principal)
        case .stats?:
            counters.applied.record(Int64(follower.lastApplied))
            counters.live.record(follower.isLive ? 1 : 0)
            counters.watched.record(registrations.count)
            return .statsReply(
                .with {
                    $0.service = "enforcement"
                    $0.metrics = ServiceMetrics.shared.snapshot()
                })
        case .listEscalations?:
            var reply = Dealreg_V1_ListEscalationsReply()
            reply.escalations = try store.escalations()
            return .listEscalationsReply(reply)
        case .audit?:
            let file = configuration.databaseFile
            audits.start(route: request.route, requestID: envelope.requestID, logger: logger) {
                let verdict = try EnforcementStore.verify(readingOnly: file)
                return .init(
                    service: "enforcement", entries: verdict.entries, firstBroken: verdict.firstBroken,
                    reason: verdict.reason)
            }
            return nil
        default:
            return .error(WireError(.internal, "'\(envelope.methodName)' has no handler."))
        }
    }

    /// Records the events durably at the end of the turn and keeps the mirror and its index current.
    private func apply(_ events: [WireEvent]) {
        unrecorded += events
        for event in events {
            switch event.payload {
            case .party(let party)?:
                guard let kind = PartyKind(wire: party.kind) else { continue }
                learn(PartyID(party.id), kind: kind, key: party.publicKey)
            case .registration(let wire)?:
                guard let registration = Registration(wire: wire) else { continue }
                let before = registrations[registration.id]?.status
                registrations[registration.id] = registration
                if before == nil { lateRegistration(registration) }
                if before != registration.status {
                    closings[registration.registrant, default: ClosingRecord()].count(registration.status)
                    norm.count(registration.status)
                    if registration.status == .expired { squatting(registration) }
                }
                if registration.status == .pendingReview {
                    inReview.insert(registration.id)
                } else {
                    inReview.remove(registration.id)
                }
                if registration.isIndexed {
                    index.insert(registration.id, customer: registration.request.customer)
                } else {
                    index.remove(registration.id)
                }
                if !registration.isWatched { settled.append(registration.id) }
            case nil:
                break
            }
        }
    }

    /// A booking from an ERP or CRM: checked, its violations found, answered once committed (nil: answered later).
    private func record(
        _ body: Dealreg_V1_RecordBookingRequest, principal: Caller, route: [[UInt8]], requestID: String
    ) throws -> WireEnvelope.OneOf_Body? {
        let booking: Booking
        do {
            booking = try Booking(wire: body.booking)
        } catch {
            return .error(error.wire)
        }
        let fingerprint = body.fingerprint
        if let index = bookings.firstIndex(where: { $0.recorded.booking.orderID == booking.orderID }) {
            guard bookings[index].recorded.fingerprint == fingerprint else { return Self.orderReused(booking) }
            bookings[index].waiting.append((route, requestID))
            return nil
        }
        if let stored = try store.booking(booking.orderID) {
            guard stored.fingerprint == fingerprint,
                var reply = try? Dealreg_V1_RecordBookingReply(serializedBytes: stored.reply)
            else { return Self.orderReused(booking) }
            reply.alreadyRecorded = true
            return .recordBookingReply(reply)
        }
        guard let bookerKind = kinds[booking.bookedBy] else {
            return .error(
                WireError(
                    .invalidField, "'\(booking.bookedBy)' is not a party of the program.", field: "booking.booked_by"))
        }
        var claimed: ScoredCandidate?
        if let id = booking.claimedRegistration {
            guard let registration = try registrations[id] ?? store.registration(id) else {
                return .error(
                    WireError(
                        .invalidField, "No registration \(id) is known to enforcement.",
                        field: "booking.claimed_registration_id"))
            }
            let (score, reasons) = scorer.score(
                NormalizedCustomer(booking.customer), against: NormalizedCustomer(registration.request.customer))
            claimed = ScoredCandidate(registration: registration, score: score, reasons: reasons)
        }
        let candidates = index.candidates(for: booking.customer, minimumScore: rules.policy.reviewThreshold)
            .compactMap { found in
                registrations[found.id].map {
                    ScoredCandidate(registration: $0, score: found.score, reasons: found.reasons)
                }
            }
        let found = rules.violations(
            of: booking, by: ViolationRules.Booker(id: booking.bookedBy, kind: bookerKind), candidates: candidates,
            claimed: claimed)
        var reply = Dealreg_V1_RecordBookingReply()
        reply.violations = found.map { violation in
            violation.wire(id: nextViolationID(), detectedAt: now)
        }
        for violation in reply.violations {
            logger.notice(
                "violation detected",
                metadata: [
                    "id": "\(violation.id)", "type": "\(violation.type)", "party": "\(violation.party)",
                    "order": "\(violation.orderID)", "registration": "\(violation.registrationID)",
                ])
        }
        bookings.append(
            (
                RecordedBooking(
                    booking: booking, fingerprint: fingerprint, receivedAt: now, violations: reply.violations,
                    reply: (try? reply.serializedBytes()) ?? []),
                [(route, requestID)]
            ))
        return nil
    }

    private static func orderReused(_ booking: Booking) -> WireEnvelope.OneOf_Body {
        .error(
            WireError(
                .alreadyExists, "Order \(booking.orderID) was recorded with other content.", field: "booking.order_id"))
    }

    /// Commits this turn's bookings, their violations and the cases these open in one transaction, then answers
    /// them.
    private func commitBookings(_ api: Socket) throws {
        guard !bookings.isEmpty else { return }
        let turn = bookings
        bookings.removeAll()
        do {
            let opened = try opening(turn.flatMap(\.recorded.violations))
            try store.commit(bookings: turn.map(\.recorded), cases: opened.cases, sanctions: opened.sanctions)
            publish(cases: opened.cases, sanctions: opened.sanctions)
        } catch {
            logger.critical(
                "booking commit failed; nothing of this turn was acknowledged", metadata: ["error": "\(error)"])
            lastViolationNumber = try store.lastViolationNumber()
            lastSanctionNumber = try store.lastSanctionNumber()
            let failure = WireError(.unavailable, "Enforcement could not store the booking; retry with the same order.")
            for item in turn {
                for (route, requestID) in item.waiting {
                    _ = try? api.send(
                        frames: route + [EnvelopeCodec.encode(requestID: requestID, error: failure)], dontWait: true)
                }
            }
            return
        }
        for item in turn { remember(item.recorded.booking) }
        counters.recorded(turn.map(\.recorded))
        for item in turn {
            logger.debug(
                "booking recorded",
                metadata: [
                    "request_id": "\(item.waiting.first?.1 ?? "")", "order": "\(item.recorded.booking.orderID)",
                    "violations": "\(item.recorded.violations.count)",
                ])
        }
        for item in turn {
            let reply = (try? Dealreg_V1_RecordBookingReply(serializedBytes: item.recorded.reply)) ?? .init()
            for (route, requestID) in item.waiting {
                _ = try? api.send(
                    frames: route + [EnvelopeCodec.encode(requestID: requestID, body: .recordBookingReply(reply))],
                    dontWait: true)
            }
        }
    }

    private func listViolations(
        _ body: Dealreg_V1_ListViolationsRequest, principal: Caller
    ) throws -> WireEnvelope.OneOf_Body {
        let (party, limit): (String?, Int)
        switch page(of: "violations", party: body.party, limit: body.limit, principal: principal) {
        case .refused(let error): return .error(error)
        case .shown(let whose, let size): (party, limit) = (whose, size)
        }
        let after = body.afterID.isEmpty ? 0 : Int64(body.afterID.dropFirst(2)) ?? 0
        var reply = Dealreg_V1_ListViolationsReply()
        reply.violations = try store.violations(party: party, afterNumber: after, limit: limit)
        reply.nextAfterID = reply.violations.count == limit ? reply.violations.last?.id ?? "" : ""
        return .listViolationsReply(reply)
    }

    /// Whose records a listing shows and how many per page: officers, channel managers and admins see every
    /// party's (or the one they ask for), anyone else only its own; at most 1,000, 100 by default.
    /// A listing's page, or why it is refused.
    private enum Page {
        case refused(WireError)
        case shown(party: String?, limit: Int)
    }

    /// Whose records a listing shows and how many per page: officers, channel managers and admins see every
    /// party's (or the one they ask for), anyone else only its own; at most 1,000, 100 by default.
    private func page(of noun: String, party: String, limit: UInt32, principal: Caller) -> Page {
        guard limit <= 1000 else {
            return .refused(WireError(.invalidField, "At most 1000 \(noun) per page.", field: "limit"))
        }
        return .shown(
            party: principal.access == .all ? (party.isEmpty ? nil : party) : principal.id.rawValue,
            limit: limit == 0 ? 100 : Int(limit))
    }

    private func listCases(_ body: Dealreg_V1_ListCasesRequest, principal: Caller) throws -> WireEnvelope.OneOf_Body {
        let (party, limit): (String?, Int)
        switch page(of: "cases", party: body.party, limit: body.limit, principal: principal) {
        case .refused(let error): return .error(error)
        case .shown(let whose, let size): (party, limit) = (whose, size)
        }
        if case .UNRECOGNIZED = body.state {
            return .error(WireError(.invalidField, "The case state is unknown.", field: "state"))
        }
        var reply = Dealreg_V1_ListCasesReply()
        reply.cases = try store.cases(
            party: party, state: body.state == .unspecified ? nil : body.state, afterID: body.afterID, limit: limit)
        reply.nextAfterID = reply.cases.count == limit ? reply.cases.last?.id ?? "" : ""
        return .listCasesReply(reply)
    }

    /// The next violation id, V-00000001 onwards.
    func nextViolationID() -> String {
        lastViolationNumber += 1
        return "V-" + Self.padded(lastViolationNumber)
    }

    private static func padded(_ number: Int64) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, 8 - text.count)) + text
    }

}

extension Registration {
    /// Whether enforcement keeps it in memory: a booking can violate it (`isIndexed`), or its review can be late.
    var isWatched: Bool { isIndexed || status == .pendingReview }
}

/// Enforcement's swift-metrics: what `dealreg stats` reads.
struct EnforcementCounters {
    let bookings = Counter(label: "dealreg_bookings_total")
    let applied = Gauge(label: "dealreg_events_applied")
    let live = Gauge(label: "dealreg_events_live")
    let watched = Gauge(label: "dealreg_registrations_watched")
    private let violations = LabelledCounters(
        "dealreg_violations_total", label: "type", values: ViolationType.allCases, text: \.rawValue)

    /// Counts a turn's committed bookings and the violations they raised, by type.
    func recorded(_ bookings: [RecordedBooking]) {
        self.bookings.increment(by: bookings.count)
        for violation in bookings.flatMap(\.violations) {
            if let type = ViolationType(wire: violation.type) { violations.increment(type) }
        }
    }
}
