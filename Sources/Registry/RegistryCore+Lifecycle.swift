import DealBus
import DealModel
import DealWire

/// A registration's life after its decision: reviews, closing, withdrawal, the one extension, expiry, history,
/// the policy and the weekly quotas.
extension RegistryCore {
    mutating func transition(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.transition
        let principal = request.principal
        let fingerprint = body.fingerprint
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        let current = try visibleRegistration(body.registrationID, to: principal)
        let id = current.id
        let reason = try FieldLimits.reason(
            body.reason, required: [.approve, .reject, .extend].contains(body.transition))
        let day = now.today
        var next = current
        let action: String
        func refused(_ message: String) -> WireError { WireError(.invalidTransition, message, field: "transition") }
        switch body.transition {
        case .approve, .reject:
            guard current.status == .pendingReview else {
                throw refused("\(id) is \(current.status.rawValue), not in review.")
            }
            // The reviewer may say which account the customer is: its own account goes into that one (refused
            // when that would make a double protection; a rejected registration no longer protects anything).
            if !body.accountID.isEmpty, let own = current.account {
                let named = survivor(of: try accountID(body.accountID, field: "account_id"))
                if named != own {
                    let rejecting = body.transition == .reject
                    do {
                        try merge(
                            own, into: named, actor: principal.id, reason: "review of \(id): \(reason)", at: now,
                            sparing: rejecting ? id : nil)
                    } catch var refusal as WireError {
                        // The review names the account; the merge's own field names would not be in its request.
                        refusal.field = refusal.field.isEmpty ? "" : "account_id"
                        throw refusal
                    }
                    // A rejection moves its registration itself: it no longer protects what the account holds.
                    next = rejecting ? current : try latestRegistration(id) ?? current
                    next.account = named
                }
            }
            if body.transition == .approve {
                next.status = .approved
                next.decision.protectedUntil = day.adding(
                    days: policy.protectionDays(for: holder(current.holder, kind: current.holderKind)))
                action = "approved"
            } else {
                next.status = .rejected
                next.closedOn = day
                action = "rejected"
            }
        case .won, .lost, .withdraw:
            guard
                current.registrant == principal.id || current.holder == principal.id
                    || AccessPolicy.access(principal.kind, .close) == .all
            else { throw WireError(.permissionDenied, "Only the holder or the registrant may do this.") }
            let allowed: Set<RegistrationStatus> =
                body.transition == .withdraw ? [.approved, .pendingReview] : [.approved]
            guard allowed.contains(current.status) else {
                throw refused("\(id) is \(current.status.rawValue); only an active registration can be closed.")
            }
            (next.status, action) =
                switch body.transition {
                case .won: (.won, "won")
                case .lost: (.lost, "lost")
                default: (.withdrawn, "withdrawn")
                }
            next.closedOn = day
        case .extend:
            guard
                current.holder == principal.id || current.registrant == principal.id
                    || AccessPolicy.access(principal.kind, .extend) == .all
            else { throw WireError(.permissionDenied, "Only the holder or the registrant may extend.") }
            guard current.status == .approved, let until = current.decision.protectedUntil, until >= day else {
                throw refused("\(id) is not an active protection; only one before its expiry can be extended.")
            }
            guard !current.extended else {
                throw refused("\(id) was extended once already; the program allows one extension.")
            }
            guard parties[current.holder]?.standing != .benefitsLost else {
                throw WireError(
                    .registrantSanctioned,
                    "\(current.holder) has lost its deal-registration benefits: no extension while the sanction "
                        + "stands.")
            }
            guard policy.extensionDays > 0 else { throw refused("The program's policy grants no extensions.") }
            next.extended = true
            next.decision.protectedUntil = until.adding(days: policy.extensionDays)
            action = "extended"
        default:
            throw WireError(.invalidField, "The transition is missing or unknown.", field: "transition")
        }
        var reply = Dealreg_V1_TransitionReply()
        reply.registration = next.wire
        let answer = StoredAnswer(
            principal: principal.id, requestID: request.requestID, fingerprint: fingerprint,
            reply: EnvelopeCodec.encode(requestID: request.requestID, body: .transitionReply(reply)))
        appendStep(
            next, actor: principal.id, action: action, reason: reason, answer: answer, routes: [request.route], at: now)
        return .inHand
    }

    /// Adds a registration's new state to this turn: the row, its event, its history line.
    mutating func appendStep(
        _ registration: Registration, actor: PartyID, action: String, reason: String, answer: StoredAnswer?,
        routes: [[[UInt8]]], at now: Moment
    ) {
        let seq = turn.takeSeq()
        let history = HistoryRow(
            registrationID: registration.id, seq: seq, time: now.secondsSinceEpoch, actor: actor, action: action,
            status: registration.status, reason: reason, policyVersion: policy.version)
        append(
            RegistryWrite(.transitioned(registration, history), seq: seq, time: now.secondsSinceEpoch, answer: answer),
            routes: routes, at: now)
        logger.info(
            "registration \(action)",
            metadata: ["registration": "\(registration.id)", "actor": "\(actor)", "seq": "\(seq)"])
    }

    /// The newest state of registration `rawID` if `principal` may see it (its registrant, its holder, or a kind
    /// that sees all). Not found and not yours read the same: ids of competitors' registrations reveal nothing.
    func visibleRegistration(_ rawID: String, to principal: Party) throws -> Registration {
        guard !rawID.isEmpty else {
            throw WireError(.missingField, "The registration id is required.", field: "registration_id")
        }
        guard let registration = try latestRegistration(RegistrationID(rawID)),
            AccessPolicy.access(principal.kind, .showRegistration) == .all || registration.registrant == principal.id
                || registration.holder == principal.id
        else { throw WireError(.notFound, "No registration \(rawID) is visible to you.", field: "registration_id") }
        return registration
    }

    /// Expires the approved registrations whose protection ended before today: at start (what fell due while the
    /// registry was down) and on every heartbeat. Each is an event and a history row like any transition.
    mutating func expireDue(at now: Moment) throws {
        let day = now.today
        for registration in try records.expired(before: day, limit: 1000) {
            guard let current = try latestRegistration(registration.id), current.status == .approved,
                let until = current.decision.protectedUntil, until < day
            else { continue }
            expire(current, at: now)
        }
    }

    /// Expires an approved registration whose protection ended (an event and a history row like any
    /// transition), returning its new state.
    @discardableResult
    mutating func expire(_ registration: Registration, at now: Moment) -> Registration {
        var expired = registration
        let until = registration.decision.protectedUntil ?? now.today.adding(days: -1)
        expired.status = .expired
        expired.closedOn = until.adding(days: 1)
        appendStep(
            expired, actor: PartyID("registry"), action: "expired", reason: "Protection ended \(until).",
            answer: nil, routes: [], at: now)
        return expired
    }

    mutating func history(_ request: APIRequest, at now: Moment) throws -> Handling {
        let current = try visibleRegistration(request.envelope.history.registrationID, to: request.principal)
        var reply = Dealreg_V1_HistoryReply()
        reply.entries = (try records.history(current.id) + turn.history(of: current.id)).map(\.wire)
        return answerRead(
            request, .history, recording: recordedReads(of: [current], by: request.principal), .historyReply(reply),
            at: now)
    }

    /// Shows the running policy; an admin's `reload` has the shell re-read the policy file first
    /// (`policyLoaded`), keeping the running policy when the file is refused.
    mutating func showPolicy(_ request: APIRequest, at now: Moment) throws -> Handling {
        guard request.envelope.policy.reload else { return .reply(.policyReply(policyReply)) }
        guard settings.policyFileConfigured else {
            throw WireError(.invalidPolicy, "The registry runs the built-in policy; start it with --policy FILE.")
        }
        queue(.reloadPolicy(route: request.route, requestID: request.requestID))
        return .inHand
    }

    /// The policy file read again for an admin's reload: run it, or keep the running one when it was refused.
    mutating func policyLoaded(
        _ loaded: Result<ProgramPolicy, PolicyFile.Problem>, route: [[UInt8]], requestID: String
    ) -> [RegistryAction] {
        switch loaded {
        case .success(let policy):
            run(policy)
            logger.notice("policy reloaded", metadata: ["version": "\(policy.version)"])
            reply(route, requestID, .policyReply(policyReply))
        case .failure(let problem):
            logger.error(
                "policy reload refused; the running policy stays",
                metadata: ["problem": "\(problem)", "running": "\(policy.version)"])
            fail(
                route, requestID,
                WireError(.invalidPolicy, "\(problem.reason) (still running \(policy.version))", field: problem.key),
                key: nil)
        }
        return takeActions()
    }

    private var policyReply: Dealreg_V1_PolicyReply {
        var reply = Dealreg_V1_PolicyReply()
        reply.version = policy.version
        reply.json = PolicyFile.json(policy)
        return reply
    }

    /// Throws `QUOTA_EXCEEDED` when `principal` has used its weekly quota (counting `inFlight` undecided ones and
    /// this turn's).
    mutating func checkQuota(_ principal: PartyID, inFlight: Int, at now: Moment) throws {
        guard let limit = policy.weeklyQuota(for: principal) else { return }
        let day = now.today
        let monday = day.adding(days: 1 - day.isoWeekday)
        if monday != quotaWeek {
            quotaWeek = monday
            registeredThisWeek = try records.registrationCounts(since: monday)
        }
        let used = (registeredThisWeek[principal] ?? 0) + (turn.registeredBy[principal] ?? 0) + inFlight
        guard used >= limit else { return }
        throw WireError(
            .quotaExceeded,
            "\(principal) has filed \(used) of its \(limit) registrations this week (from \(monday)); retry next week.")
    }
}
