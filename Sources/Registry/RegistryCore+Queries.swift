import DealBus
import DealModel
import DealStore
import DealWire

/// The api's table of methods, and the requests that only read: a registration, a listing, the feed, status,
/// metrics, the audit, and the replay of the event log on `sync`.
extension RegistryCore {
    /// Every method of the registry's api: one handler per action of the matrix.
    static let methods = ServiceMethods<RegistryCore>(
        service: "the registry's api",
        translating: { StorageFault($0).map { _ in .storageUnavailable(retryAfterMs: 1000) } },
        [
            .register: { try $0.register($1, at: $2) },
            .showRegistration: { try $0.showRegistration($1, at: $2) },
            .listRegistrations: { try $0.listRegistrations($1, at: $2) },
            .history: { try $0.history($1, at: $2) },
            .review: { try $0.transition($1, at: $2) },
            .close: { try $0.transition($1, at: $2) },
            .extend: { try $0.transition($1, at: $2) },
            .showPolicy: { try $0.showPolicy($1, at: $2) },
            .reloadPolicy: { try $0.showPolicy($1, at: $2) },
            .addParty: { try $0.addParty($1, at: $2) },
            .listParties: { try $0.listParties($1, at: $2) },
            .setStanding: { try $0.setStanding($1, at: $2) },
            .setKey: { try $0.setKey($1, at: $2) },
            .feed: { try $0.feed($1, at: $2) },
            .status: { try $0.status($1, at: $2) },
            .resetMetrics: { try $0.status($1, at: $2) },
            .stats: { try $0.stats($1, at: $2) },
            .audit: { try $0.audit($1, at: $2) },
            .backup: { try $0.backup($1, at: $2) },
            .linkParties: { try $0.linkParties($1, at: $2) },
            .acceptLink: { try $0.acceptLink($1, at: $2) },
            .unlinkParties: { try $0.unlinkParties($1, at: $2) },
            .listLinks: { try $0.listLinks($1, at: $2) },
            .showAccount: { try $0.showAccount($1, at: $2) },
            .listAccounts: { try $0.listAccounts($1, at: $2) },
            .mergeAccounts: { try $0.mergeAccounts($1, at: $2) },
            .splitAccount: { try $0.splitAccount($1, at: $2) },
            .prove: { try $0.prove($1, at: $2) },
            .exchangeHeads: { try $0.exchangeHeads($1, at: $2) },
            .showHeads: { try $0.heads($1, at: $2) },
            .listAccess: { try $0.listAccess($1, at: $2) },
        ])

    mutating func showRegistration(_ request: APIRequest, at now: Moment) throws -> Handling {
        let registration = try visibleRegistration(
            request.envelope.getRegistration.registrationID, to: request.principal)
        return answerRead(
            request, .getRegistration, recording: recordedReads(of: [registration], by: request.principal),
            .getRegistrationReply(.with { $0.registration = registration.wire }), at: now)
    }

    mutating func listRegistrations(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.listRegistrations
        guard body.limit <= 1000 else {
            throw WireError(.invalidField, "At most 1000 registrations per page.", field: "limit")
        }
        let limit = body.limit == 0 ? 100 : Int(body.limit)
        var filter = RegistrationFilter()
        filter.visibleTo = request.access == .all ? nil : request.principal.id
        if body.status != .unspecified {
            guard let status = RegistrationStatus(wire: body.status) else {
                throw WireError(.invalidField, "Unknown registration status.", field: "status")
            }
            filter.status = status
        }
        filter.registrant = body.registrant.isEmpty ? nil : PartyID(body.registrant)
        if !body.accountID.isEmpty { filter.account = try accountID(body.accountID, field: "account_id") }
        filter.customer = String(body.customer.prefix(FieldLimits.textLength))
        if body.expiringWithinDays > 0 {
            filter.protectedUntilAtMost = now.today.adding(days: Int(min(body.expiringWithinDays, 3650)))
        }
        let page = try records.registrations(filter, after: body.afterID, limit: limit)
        var reply = Dealreg_V1_ListRegistrationsReply()
        reply.registrations = page.map(\.wire)
        reply.nextAfterID = page.count == limit ? page.last?.id.rawValue ?? "" : ""
        return answerRead(
            request, .listRegistrations, recording: recordedReads(of: page, by: request.principal),
            .listRegistrationsReply(reply), at: now)
    }

    /// The feed: events after a cursor that concern the principal (all of them for the vendor's side), a
    /// registrant's `access` events cut down to its own registrations; the partners' registrations a vendor-side
    /// page shows are recorded before it is answered.
    mutating func feed(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.feed
        guard body.limit <= 1000 else {
            throw WireError(.invalidField, "At most 1000 events per page.", field: "limit")
        }
        // Only what is committed: the turn is not durable yet.
        let page = try records.feed(
            request.access == .all ? nil : request.principal.id, after: body.afterSeq,
            limit: body.limit == 0 ? 100 : Int(body.limit))
        var reply = Dealreg_V1_FeedReply()
        reply.events = page.compactMap { try? WireEvent(serializedBytes: $0.body) }
        if request.access != .all { reply.events = try ownAccess(reply.events, of: request.principal.id) }
        reply.lastSeq = page.last?.seq ?? body.afterSeq
        // Each event's receipt under the newest head, which covers every committed event.
        let hashes = try records.chainHashes(of: reply.events.map(\.seq))
        reply.receipts = reply.events.compactMap { event in
            hashes[event.seq].map {
                Dealreg_V1_Receipt(seq: event.seq, hash: $0.chain, previous: $0.previous, head: head)
            }
        }
        return answerRead(
            request, .feed, recording: recordedReads(ofFeed: reply.events, by: request.principal), .feedReply(reply),
            at: now)
    }

    mutating func status(_ request: APIRequest, at now: Moment) throws -> Handling {
        var status = Dealreg_V1_StatusReply()
        status.service = "registry"
        status.principal = request.principal.id.rawValue
        status.live = true
        // A partner learns that the registry serves, not how busy the program is.
        guard request.access == .all else { return .reply(.statusReply(status)) }
        status.lastSeq = committed.seq
        status.readyWorkers = UInt32(pool.readyCount)
        status.queuedChecks = UInt32(pool.queuedCount)
        status.now = now.secondsSinceEpoch
        status.policyVersion = policy.version
        status.store = settings.store
        if let lease = settings.lease {
            status.instance = lease.instance
            status.pid = lease.pid
            status.activeSince = lease.since
            status.epoch = UInt64(lease.epoch)
        }
        if request.principal.kind == .admin { status.unknownProductLines = unknownProductLines.wire }
        metrics.fill(&status)
        if request.envelope.status.resetLatency { metrics.reset() }
        return .reply(.statusReply(status))
    }

    mutating func stats(_ request: APIRequest, at now: Moment) throws -> Handling {
        gauges.workers.record(pool.readyCount)
        gauges.queued.record(pool.queuedCount)
        gauges.pending.record(pending.count)
        gauges.lastSeq.record(Int64(committed.seq))
        return .reply(
            .statsReply(
                .with {
                    $0.service = "registry"
                    $0.metrics = ServiceMetrics.shared.snapshot()
                }))
    }

    /// The ledger's audit runs off the reactor (it reads the whole log); the shell answers when it is done.
    mutating func audit(_ request: APIRequest, at now: Moment) throws -> Handling {
        queue(.audit(route: request.route, requestID: request.requestID, request.envelope.audit))
        return .inHand
    }

    /// A copy of the database is made, and read, off the reactor; the shell answers each chunk.
    mutating func backup(_ request: APIRequest, at now: Moment) throws -> Handling {
        queue(.backup(route: request.route, requestID: request.requestID, request.envelope.backup))
        return .inHand
    }

    /// A replay of committed events from the sync socket, or the refusal to answer with its request id.
    func replay(_ request: RequestFrames) -> Result<[UInt8], EnvelopeFailure> {
        guard let principal = principal(ofKey: request.key) else {
            return .failure(EnvelopeFailure(requestID: "", error: APIIntake.staleKey))
        }
        guard AccessPolicy.access(principal.kind, .replayLog) != .denied else {
            return .failure(
                EnvelopeFailure(
                    requestID: "", error: WireError(.permissionDenied, AccessPolicy.refusal(principal.kind, .replayLog))
                ))
        }
        let envelope: WireEnvelope
        switch EnvelopeCodec.decodeRequest(request.payload) {
        case .success(let decoded): envelope = decoded
        case .failure(let failure): return .failure(failure)
        }
        guard case .sync(let body)? = envelope.body else {
            return .failure(
                EnvelopeFailure(
                    requestID: envelope.requestID,
                    error: WireError(.unknownMethod, "The sync socket serves only SyncRequest.", field: "body")))
        }
        do {
            let events = try records.eventBodies(
                from: max(1, body.fromSeq), limit: Int(min(max(body.maxEvents, 1), 5000)))
            return .success(
                EnvelopeCodec.encodeSyncReply(requestID: envelope.requestID, headSeq: committed.seq, events: events))
        } catch {
            return .failure(
                EnvelopeFailure(
                    requestID: envelope.requestID,
                    error: WireError(.internal, "The registry could not read its event log: \(error)")))
        }
    }
}
