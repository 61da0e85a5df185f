import DealBus
import DealModel
import DealStore
import DealWire
import Matching

/// New registrations: taken in, sent to a worker with credit, re-checked against what changed after the worker's
/// watermark, decided. Also the workers' credit protocol, their heartbeats and a graceful stop.
extension RegistryCore {
    mutating func register(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.registerDeal
        let principal = request.principal
        let fingerprint = body.fingerprint
        let key = RequestKey(principal: principal.id, requestID: request.requestID)
        // A request already decided (or being decided) gets that answer whatever happened since: a retry after a
        // lost reply must find its decision even while the registry stops or after the registrant was sanctioned.
        if let checkID = pending.id(of: key) {
            guard pending[checkID]?.fingerprint == fingerprint else {
                throw WireError(.requestIDReused, "This request_id is in use for another request.", field: "request_id")
            }
            pending.addRoute(request.route, to: checkID)
            return .inHand
        }
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        guard drainingSince == nil else {
            throw WireError(.unavailable, "The registry is stopping; retry with the same request_id.")
        }
        guard principal.standing.mayRegister else {
            throw WireError(
                .registrantSanctioned, "\(principal.id) is \(principal.standing.rawValue) and may not register.")
        }
        try checkQuota(principal.id, inFlight: pending.count(of: principal.id), at: now)
        guard pool.queuedCount < settings.maximumQueuedChecks else {
            var overloaded = WireError(
                .overloaded,
                "\(pool.queuedCount) registrations are waiting for a check worker; retry later with the same "
                    + "request_id.")
            // A second: the pool works off thousands of checks in it, and a client does not idle long.
            overloaded.retryAfterMs = 1000
            throw overloaded
        }
        var deal = try DealRequest(wire: body)
        try deal.validate(today: now.today)
        // Only the running catalog's lines, stored and returned as their ids; a reload's catalog applies from the
        // next request on.
        deal.productLines = try policy.catalog.resolve(deal.productLines, field: "product_lines")
        var holder = principal.id
        var holderKind = principal.kind
        if let onBehalfOf = deal.onBehalfOf, onBehalfOf != principal.id {
            guard principal.kind == .distributor else {
                throw WireError(
                    .permissionDenied, "Only a distributor may register on behalf of another party.",
                    field: "on_behalf_of")
            }
            guard let reseller = parties[onBehalfOf], reseller.kind == .partner else {
                throw WireError(
                    .invalidField, "'\(onBehalfOf)' is not a partner of the program.", field: "on_behalf_of")
            }
            if let refusal = onBehalfRefusal(of: principal.id, for: reseller.id) { throw refusal }
            holder = reseller.id
            holderKind = reseller.kind
        }
        let checkID = pending.take(
            ChecksInHand.Check(
                routes: [request.route], principal: principal, requestID: request.requestID, fingerprint: fingerprint,
                request: deal, customer: PreparedCustomer(deal.customer), holder: holder, holderKind: holderKind,
                received: now.instant))
        pool.enqueue(checkID)
        return .inHand
    }

    /// Sends queued checks to workers with credit.
    mutating func dispatch(at now: Moment) {
        while let (checkID, worker) = pool.nextAssignment() {
            guard let check = pending[checkID] else {
                _ = pool.answered(worker, check: checkID, at: now.instant)
                continue
            }
            var message = WireWorkMessage()
            message.checkRequest = .with {
                $0.checkID = checkID
                $0.customer = check.request.customer.wire
                $0.productLines = check.request.productLines
                $0.tender = check.request.tender
                $0.holder = check.holder.rawValue
                $0.minimumScore = policy.reviewThreshold
            }
            send(worker: worker, message)
        }
    }

    /// A message on the work socket from the connection `identity`, authenticated with `key`.
    mutating func work(from identity: [UInt8], key: String?, _ payload: [UInt8], at now: Moment) -> [RegistryAction] {
        guard let principal = principal(ofKey: key), AccessPolicy.access(principal.kind, .checkWork) != .denied
        else {
            // A worker whose key was revoked or rotated: its checks go to the others.
            requeue(pool.remove(identity))
            var disconnect = WireWorkMessage()
            disconnect.disconnect.reason = "this connection's key is no longer a check worker's"
            send(worker: identity, disconnect)
            logger.warning("work message refused: key revoked or not a check worker's")
            return takeActions()
        }
        guard let message = try? WireWorkMessage(serializedBytes: payload) else {
            logger.warning("undecodable work message", metadata: ["principal": "\(principal.id)"])
            return takeActions()
        }
        switch message.body {
        case .ready(let ready)?:
            requeue(
                pool.ready(
                    identity, name: ready.workerName, capacity: Int(ready.capacity), watermark: ready.watermark,
                    at: now.instant))
            logger.info("worker ready", metadata: ["worker": "\(ready.workerName)", "capacity": "\(ready.capacity)"])
        case .heartbeat(let beat)?:
            if pool.knows(identity) {
                pool.heard(identity, watermark: beat.watermark, at: now.instant)
            } else {
                var disconnect = WireWorkMessage()
                disconnect.disconnect.reason = "unknown worker: send Ready"
                send(worker: identity, disconnect)
            }
        case .checkResult(let result)?:
            pool.heard(identity, watermark: result.watermark, at: now.instant)
            guard pool.answered(identity, check: result.checkID, at: now.instant), let check = pending[result.checkID]
            else { break }
            do {
                try decide(result.checkID, check, result: result, at: now)
            } catch {
                // The database unreachable while deciding: nothing was decided, the client sends it again.
                let answer =
                    StorageFault(error) != nil
                    ? WireError.storageUnavailable(retryAfterMs: settings.storageRetryAfterMs)
                    : WireError(.internal, "The registry could not read what the check found: \(error)")
                abandon(result.checkID, check, with: answer)
                logger.error("decision failed", metadata: ["request_id": "\(check.requestID)", "error": "\(error)"])
            }
        case .disconnect(let bye)?:
            // A worker leaving (a retiring one of an elastic pool, or one stopped): what it has not answered goes to
            // the others, first in line; the answer tells it so, after every check sent to it.
            let name = pool.workers[identity]?.name
            let held = pool.remove(identity)
            requeue(held)
            var farewell = WireWorkMessage()
            farewell.disconnect.reason = "\(held.count) checks handed back"
            send(worker: identity, farewell)
            logger.info(
                "worker left",
                metadata: ["worker": "\(name ?? "unknown")", "requeued": "\(held.count)", "reason": "\(bye.reason)"])
        default:
            break
        }
        return takeActions()
    }

    /// Puts the checks a lost worker held back at the front of the queue (those still waiting for an answer).
    private mutating func requeue(_ checks: Set<UInt64>) {
        for check in checks where pending[check] != nil { pool.enqueue(check, first: true) }
    }

    /// The heartbeat: expiries that fell due, silent workers dropped, heartbeats sent, checks nobody answered in
    /// time refused.
    mutating func heartbeat(at now: Moment) -> [RegistryAction] {
        do {
            try expireDue(at: now)
        } catch {
            logger.error("expiries could not be read", metadata: ["error": "\(error)"])
        }
        for (party, count) in limiter.drainRefusals() {
            logger.warning("requests refused: rate limited", metadata: ["party": "\(party)", "count": "\(count)"])
        }
        for identity in pool.silent(since: now.instant.advanced(by: .zero - settings.workerTimeout)) {
            let held = pool.remove(identity)
            logger.warning("worker lost", metadata: ["requeued": "\(held.count)"])
            requeue(held)
        }
        var beat = WireWorkMessage()
        beat.heartbeat.watermark = committed.seq
        for identity in pool.workers.keys { send(worker: identity, beat) }
        let expiry = now.instant.advanced(by: .zero - settings.checkTimeout)
        for (checkID, check) in pending.byID where check.received < expiry {
            abandon(
                checkID, check,
                with: WireError(.unavailable, "No check worker answered in time; retry with the same request_id."))
        }
        return takeActions()
    }

    /// A graceful stop, one tick at a time: new registrations are refused, the ones in hand are decided while
    /// workers answer (up to the check timeout), the rest get UNAVAILABLE; then `stop` once this turn is written.
    mutating func drain(at now: Moment) -> [RegistryAction] {
        if drainingSince == nil {
            drainingSince = now.instant
            logger.notice(
                "draining: no new registrations; deciding those in hand", metadata: ["pending": "\(pending.count)"])
        }
        guard
            pending.isEmpty || pool.readyCount == 0
                || drainingSince! < now.instant.advanced(by: .zero - settings.checkTimeout)
        else { return takeActions() }
        for (checkID, check) in pending.byID {
            abandon(
                checkID, check,
                with: WireError(.unavailable, "The registry is stopping; retry with the same request_id."))
        }
        sealTurn()
        logger.notice("drained: every request in hand is answered")
        queue(.stop)
        return takeActions()
    }

    /// Applies the decision rules to a worker's candidates plus whatever changed after its watermark.
    private mutating func decide(
        _ checkID: UInt64, _ check: ChecksInHand.Check, result: Dealreg_V1_CheckResult, at now: Moment
    ) throws {
        // The link may have ended while the check was out: nothing is filed for a reseller without one.
        if let refusal = onBehalfRefusal(of: check.principal.id, for: check.holder) {
            abandon(checkID, check, with: refusal)
            return
        }
        pending.remove(checkID)
        metrics.checkWait.record(from: check.received, to: now.instant)
        // The accounts found, each at its best score: the worker's (a worker of before accounts names
        // registrations, read as their accounts) and those changed after its watermark, matched here.
        var found: [AccountID: (score: Double, reasons: [MatchReason])] = [:]
        func consider(_ account: AccountID, score: Double, reasons: [MatchReason]) {
            let account = survivor(of: account)
            if score > found[account]?.score ?? -1 { found[account] = (score, reasons) }
        }
        for candidate in result.candidates {
            // A worker's score is trusted only as a probability: anything else (NaN, out of range) counts as none.
            let score = candidate.score.isFinite ? min(1, max(0, candidate.score)) : 0
            let reasons = candidate.reasons.map(MatchReason.init(wire:))
            if !candidate.accountID.isEmpty {
                consider(AccountID(candidate.accountID), score: score, reasons: reasons)
            } else if let account = try latestRegistration(RegistrationID(candidate.registrationID))?.account {
                consider(account, score: score, reasons: reasons)
            }
        }
        for match in try changes(after: result.watermark, matching: check.customer) {
            guard let account = match.registration.account else { continue }
            consider(account, score: match.score, reasons: match.reasons)
        }
        // Every registration of each account found that a decision must see, however many it has: the one-winner
        // rule is taken against all of an account's protections, whatever the search returned.
        var scored: [ScoredCandidate] = []
        for (account, match) in found where match.score >= policy.reviewThreshold {
            for var registration in try registrations(of: account, on: now.today) {
                // A protection that ended yesterday leaves the account's protected lines before a new one joins
                // them (the heartbeat's expiry may not have come round yet).
                if registration.status == .approved, let until = registration.decision.protectedUntil,
                    until < now.today
                {
                    registration = expire(registration, at: now)
                }
                scored.append(ScoredCandidate(registration: registration, score: match.score, reasons: match.reasons))
            }
        }
        // The account it joins: the best found at the conflict threshold, or a new one.
        let linked = found.filter { $0.value.score >= policy.conflictThreshold }.max {
            ($0.value.score, $1.key) < ($1.value.score, $0.key)
        }?.key
        let number = turn.lastRegistrationNumber + 1
        let id = RegistrationID(number: number)
        // Matches carry ids, scores, reasons and the holder's kind: never a competitor's name, value or details.
        var decision = rules.decide(
            id: id, request: check.request, holder: holder(check.holder, kind: check.holderKind),
            candidates: scored, today: now.today, now: now.secondsSinceEpoch)
        // Read before the decision is staged: a read that fails must not leave it staged and its request refused.
        let conflict = try conflictRead(decision, candidates: scored, of: check)
        let change: RegistryChange
        var seq: UInt64 = 0
        if decision.outcome == .duplicate {
            decision.registrationID = decision.conflictingRegistrationID ?? id
            change = .duplicate(decision)
        } else {
            _ = turn.takeRegistrationNumber()
            seq = turn.takeSeq()
            let status: RegistrationStatus =
                switch decision.outcome {
                case .approved: .approved
                case .rejected: .rejected
                default: .pendingReview
                }
            let account = linked ?? AccountID(number: turn.takeAccountNumber())
            let registration = Registration(
                id: id, registrant: check.principal.id, holder: check.holder, holderKind: check.holderKind,
                request: check.request, status: status, decision: decision, account: account)
            let history = HistoryRow(
                registrationID: id, seq: seq, time: now.secondsSinceEpoch, actor: check.principal.id,
                action: "registered", status: status, reason: decision.explanation,
                policyVersion: decision.policyVersion)
            change = .registered(registration, history)
        }
        var reply = Dealreg_V1_RegisterDealReply()
        reply.decision = decision.wire
        let answer = StoredAnswer(
            principal: check.principal.id, requestID: check.requestID, fingerprint: check.fingerprint,
            reply: EnvelopeCodec.encode(requestID: check.requestID, body: .registerDealReply(reply)))
        append(
            RegistryWrite(change, seq: seq, time: now.secondsSinceEpoch, answer: answer), routes: check.routes,
            customer: check.customer, at: now)
        // A seller's answer names partners' registrations: the vendor reading them, recorded with the decision.
        if let conflict { appendAccess(conflict, routes: [], read: nil, at: now) }
    }

    /// Registrations changed after event `seq` that match the customer at least at the running policy's review
    /// threshold: this turn's, and the committed ones from the recent changes, which first take in those changed
    /// after `seq` from the database when `seq` is older than they reach back (once for a worker that lags, as every
    /// worker does after a takeover: the new registry's recent changes begin at its load), or, further back than
    /// they hold, from the database. Each in its latest state.
    private mutating func changes(after seq: UInt64, matching customer: PreparedCustomer) throws -> [ScoredCandidate] {
        let threshold = policy.reviewThreshold
        var found: [RegistrationID: ScoredCandidate] = [:]
        if seq < recent.floor && recent.floor - seq <= UInt64(RecentChanges.limit / 2) {
            recent.backfill(try records.registrations(changedAfter: seq).filter { $0.seq <= recent.floor }, after: seq)
        }
        if seq >= recent.floor {
            for match in recent.matches(changedAfter: seq, customer, minimumScore: threshold) {
                found[match.registration.id] = match
            }
        } else {
            for (_, registration) in try records.registrations(changedAfter: seq) {
                let (score, reasons) = scorer.score(
                    customer.normalized, against: NormalizedCustomer(registration.request.customer))
                guard score >= threshold else { continue }
                found[registration.id] = ScoredCandidate(registration: registration, score: score, reasons: reasons)
            }
        }
        // This turn's changes are newer than anything committed.
        for match in turn.matches(customer, minimumScore: threshold) { found[match.registration.id] = match }
        for id in found.keys {
            if let newer = turn.registration(id) { found[id]?.registration = newer }
        }
        return Array(found.values)
    }
}
