import DealBus
import DealModel
import DealWire
import Foundation
import Matching

/// The registry could not start; the reason names what to fix.
public struct RegistryStartError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// A registration's life after its decision: reviews, closing, withdrawal, the one extension, expiry, history,
/// the policy and the weekly quotas. Runs on the reactor thread like the rest of `RegistryServer`.
extension RegistryServer {
    func transition(
        _ body: Dealreg_V1_TransitionRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        let fingerprint = body.fingerprint
        if try answerFromHistory(request, requestID: requestID, principal: principal.id, fingerprint: fingerprint) {
            return
        }
        guard let current = try visibleRegistration(body.registrationID, to: principal, request, requestID) else {
            return
        }
        let id = current.id
        let reason: String
        do {
            reason = try FieldLimits.reason(
                body.reason, required: [.approve, .reject, .extend].contains(body.transition))
        } catch {
            fail(request, requestID, error.wire)
            return
        }
        let day = today
        var next = current
        let action: String
        func refuse(_ message: String) {
            fail(request, requestID, WireError(.invalidTransition, message, field: "transition"))
        }
        switch body.transition {
        case .approve, .reject:
            guard current.status == .pendingReview else {
                refuse("\(id) is \(current.status.rawValue), not in review.")
                return
            }
            if body.transition == .approve {
                next.status = .approved
                next.decision.protectedUntil = day.adding(
                    days: rules.policy.protectionDays(for: holder(current.holder, kind: current.holderKind)))
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
            else {
                fail(request, requestID, WireError(.permissionDenied, "Only the holder or the registrant may do this."))
                return
            }
            let allowed: Set<RegistrationStatus> =
                body.transition == .withdraw ? [.approved, .pendingReview] : [.approved]
            guard allowed.contains(current.status) else {
                refuse("\(id) is \(current.status.rawValue); only an active registration can be closed.")
                return
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
            else {
                fail(request, requestID, WireError(.permissionDenied, "Only the holder or the registrant may extend."))
                return
            }
            guard current.status == .approved, let until = current.decision.protectedUntil, until >= day else {
                refuse("\(id) is not an active protection; only one before its expiry can be extended.")
                return
            }
            guard !current.extended else {
                refuse("\(id) was extended once already; the program allows one extension.")
                return
            }
            guard parties[current.holder]?.standing != .benefitsLost else {
                fail(
                    request, requestID,
                    WireError(
                        .registrantSanctioned,
                        "\(current.holder) has lost its deal-registration benefits: no extension while the sanction "
                            + "stands."))
                return
            }
            guard rules.policy.extensionDays > 0 else {
                refuse("The program's policy grants no extensions.")
                return
            }
            next.extended = true
            next.decision.protectedUntil = until.adding(days: rules.policy.extensionDays)
            action = "extended"
        default:
            fail(
                request, requestID,
                WireError(.invalidField, "The transition is missing or unknown.", field: "transition"))
            return
        }
        var reply = Dealreg_V1_TransitionReply()
        reply.registration = next.wire
        var write = changeWrite(next, actor: principal.id, action: action, reason: reason)
        write.requestID = requestID
        write.fingerprint = fingerprint
        write.reply = EnvelopeCodec.encode(requestID: requestID, body: .transitionReply(reply))
        append(write, routes: [request.route])
    }

    /// The durable writes of a registration's new state: the row, its event, its history line; remembered as a
    /// recent change so racing decisions see it.
    func changeWrite(_ registration: Registration, actor: PartyID, action: String, reason: String) -> PendingWrite {
        lastSeq += 1
        var event = WireEvent()
        event.seq = lastSeq
        event.time = configuration.now()
        event.registration = registration.wire
        let history = HistoryRow(
            registrationID: registration.id, seq: lastSeq, time: event.time, actor: actor, action: action,
            status: registration.status, reason: reason, policyVersion: rules.policy.version)
        event.history = history.wire
        rememberRecent(registration, normalized: NormalizedCustomer(registration.request.customer), seq: lastSeq)
        logger.info(
            "registration \(action)",
            metadata: ["registration": "\(registration.id)", "actor": "\(actor)", "seq": "\(lastSeq)"])
        return PendingWrite(
            registration: registration, party: nil, event: event, eventBytes: (try? event.serializedBytes()) ?? [],
            topic: "registration", history: history, principal: actor, requestID: "", fingerprint: "", reply: [])
    }

    /// The newest state of registration `rawID` if `principal` may see it (its registrant, its holder, or a kind
    /// that sees all); else answers the request with the error and returns nil. Not found and not yours read the
    /// same: ids of competitors' registrations reveal nothing.
    func visibleRegistration(
        _ rawID: String, to principal: Party, _ request: RequestFrames, _ requestID: String
    ) throws -> Registration? {
        guard !rawID.isEmpty else {
            fail(
                request, requestID,
                WireError(.missingField, "The registration id is required.", field: "registration_id"))
            return nil
        }
        guard let registration = try latestRegistration(RegistrationID(rawID)),
            AccessPolicy.access(principal.kind, .showRegistration) == .all || registration.registrant == principal.id
                || registration.holder == principal.id
        else {
            fail(
                request, requestID,
                WireError(.notFound, "No registration \(rawID) is visible to you.", field: "registration_id"))
            return nil
        }
        return registration
    }

    /// The newest state of `id`: this turn's if it changed in it, else the stored one.
    func latestRegistration(_ id: RegistrationID) throws -> Registration? {
        try batchRegistration(id) ?? store.registration(id)
    }

    /// Expires the approved registrations whose protection ended before today: at start (what fell due while the
    /// registry was down) and on every heartbeat. Each is an event and a history row like any transition.
    func expireDue() throws {
        let day = today
        for registration in try store.expired(before: day, limit: 1000) {
            guard var current = try latestRegistration(registration.id), current.status == .approved,
                let until = current.decision.protectedUntil, until < day
            else { continue }
            current.status = .expired
            current.closedOn = until.adding(days: 1)
            append(
                changeWrite(
                    current, actor: PartyID("registry"), action: "expired", reason: "Protection ended \(until)."),
                routes: [])
        }
    }

    func history(
        _ body: Dealreg_V1_HistoryRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        guard let current = try visibleRegistration(body.registrationID, to: principal, request, requestID) else {
            return
        }
        let id = current.id
        var reply = Dealreg_V1_HistoryReply()
        reply.entries =
            (try store.history(id) + batch.compactMap { $0.write.history }.filter { $0.registrationID == id }).map(
                \.wire)
        self.reply(request, requestID, .historyReply(reply))
    }

    /// Shows the running policy; an admin's `reload` re-reads the policy file first, keeping the running policy
    /// when the file is refused.
    func policy(_ body: Dealreg_V1_PolicyRequest, request: RequestFrames, requestID: String, principal: Party) {
        if body.reload {
            guard let file = configuration.policyFile else {
                fail(
                    request, requestID,
                    WireError(.invalidPolicy, "The registry runs the built-in policy; start it with --policy FILE."))
                return
            }
            do {
                let policy = try PolicyFile.load(file)
                rules = DecisionRules(policy: policy)
                limiter.configure(policy)
                logger.notice("policy reloaded", metadata: ["version": "\(policy.version)"])
            } catch {
                logger.error(
                    "policy reload refused; the running policy stays",
                    metadata: ["file": "\(file.path)", "problem": "\(error)", "running": "\(rules.policy.version)"])
                fail(
                    request, requestID,
                    WireError(
                        .invalidPolicy, "\(error.reason) (still running \(rules.policy.version))", field: error.key))
                return
            }
        }
        var reply = Dealreg_V1_PolicyReply()
        reply.version = rules.policy.version
        reply.json = PolicyFile.json(rules.policy)
        self.reply(request, requestID, .policyReply(reply))
    }

    /// The newest state of party `id` (this turn's change included) and the trimmed reason of a change to it;
    /// nil, with the request answered, when the reason is missing or the party unknown.
    func partyToChange(_ id: String, reason raw: String, _ request: RequestFrames, _ requestID: String) -> (
        Party, String
    )? {
        let reason: String
        do {
            reason = try FieldLimits.reason(raw)
        } catch {
            fail(request, requestID, error.wire)
            return nil
        }
        guard
            let party = batch.last(where: { $0.write.party?.id.rawValue == id })?.write.party
                ?? parties[PartyID(id)]
        else {
            fail(request, requestID, WireError(.notFound, "No party '\(id)'.", field: "party_id"))
            return nil
        }
        return (party, reason)
    }

    /// `id` as the decision rules see a holder: its kind, its tier and whether it lost its benefits.
    func holder(_ id: PartyID, kind: PartyKind) -> DecisionRules.Holder {
        DecisionRules.Holder(
            id: id, kind: kind, tier: parties[id]?.tier ?? "", benefitsLost: parties[id]?.standing == .benefitsLost)
    }

    /// Sets a party's standing: how enforcement's sanctions take effect (a suspended or expelled party's
    /// registrations are refused) and are lifted. Services and admins only; the change is a party event.
    func setStanding(
        _ body: Dealreg_V1_SetStandingRequest, request: RequestFrames, requestID: String, principal: Party
    ) throws {
        let fingerprint = body.fingerprint
        if try answerFromHistory(request, requestID: requestID, principal: principal.id, fingerprint: fingerprint) {
            return
        }
        guard let standing = PartyStanding(wire: body.standing) else {
            fail(request, requestID, WireError(.invalidField, "The standing is missing or unknown.", field: "standing"))
            return
        }
        guard let (party, reason) = partyToChange(body.partyID, reason: body.reason, request, requestID) else { return }
        var changed = party
        guard party.kind != .admin && !party.kind.isService else {
            fail(
                request, requestID,
                WireError(.invalidField, "Admins and services have no standing to set.", field: "party_id"))
            return
        }
        changed.standing = standing
        appendPartyChange(
            changed, principal: principal, request: request, requestID: requestID, fingerprint: fingerprint,
            reply: .setStandingReply(.with { $0.party = changed.wire }))
        logger.notice(
            "party standing set",
            metadata: [
                "party": "\(party.id)", "standing": "\(standing.rawValue)", "by": "\(principal.id)",
                "reason": "\(reason)",
            ])
    }

    /// Queues a party's change for this turn's commit: its event, its idempotency record and the reply.
    func appendPartyChange(
        _ party: Party, principal: Party, request: RequestFrames, requestID: String, fingerprint: String,
        reply: WireEnvelope.OneOf_Body
    ) {
        lastSeq += 1
        var write = partyWrite(party, seq: lastSeq, principal: principal.id, requestID: requestID)
        write.fingerprint = fingerprint
        write.reply = EnvelopeCodec.encode(requestID: requestID, body: reply)
        append(write, routes: [request.route])
    }

    /// The error to answer when `principal` has used its weekly quota (counting `inFlight` undecided ones).
    func quotaProblem(_ principal: PartyID, inFlight: Int) throws -> WireError? {
        guard let limit = rules.policy.weeklyQuota(for: principal) else { return nil }
        let day = today
        let monday = day.adding(days: 1 - day.isoWeekday)
        if monday != quotaWeek {
            quotaWeek = monday
            registeredThisWeek = try store.registrationCounts(since: monday)
        }
        let used = (registeredThisWeek[principal] ?? 0) + inFlight
        guard used >= limit else { return nil }
        return WireError(
            .quotaExceeded,
            "\(principal) has filed \(used) of its \(limit) registrations this week (from \(monday)); retry next week.")
    }
}
