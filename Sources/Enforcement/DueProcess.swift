import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// Cases, the sanctions ladder and how sanctions reach the registry. Runs on the reactor thread like the rest of
/// `EnforcementServer`; every step is saved (fsynced) before it is answered.
extension EnforcementServer {

    /// The sanction on the `rung`th confirmed case of a party of `kind`, or nil for kinds outside the ladder.
    static func level(for kind: PartyKind, rung: Int) -> Dealreg_V1_SanctionLevel? {
        switch kind {
        case .partner, .distributor:
            let ladder: [Dealreg_V1_SanctionLevel] = [.warning, .benefitsLost, .suspension, .expulsion]
            return ladder[min(max(rung, 1), ladder.count) - 1]
        case .seller:
            let ladder: [Dealreg_V1_SanctionLevel] = [.commissionWithheld, .terminationReview]
            return ladder[min(max(rung, 1), ladder.count) - 1]
        default:
            return nil
        }
    }

    private static func reachesRegistry(_ level: Dealreg_V1_SanctionLevel) -> Bool {
        level == .benefitsLost || level == .suspension || level == .expulsion
    }

    var now: Int64 { configuration.now() }

    /// The cases new violations open, to be committed with them by the caller; auto-confirmed types are confirmed,
    /// and sanctioned, at once (each one a rung further up its party's ladder).
    func opening(_ violations: [Dealreg_V1_Violation]) throws -> (
        cases: [Dealreg_V1_Case], sanctions: [Dealreg_V1_Sanction]
    ) {
        var opened: (cases: [Dealreg_V1_Case], sanctions: [Dealreg_V1_Sanction]) = ([], [])
        var confirmedHere: [String: Int] = [:]
        for violation in violations {
            var record = Dealreg_V1_Case()
            record.id = violation.id
            record.violation = violation
            record.state = .open
            if let type = ViolationType(wire: violation.type), rules.policy.autoConfirmed.contains(type.rawValue) {
                opened.sanctions += try confirm(
                    &record, actor: "enforcement", reason: "Confirmed at detection (zero tolerance).",
                    alsoConfirmed: confirmedHere[violation.party, default: 0])
                confirmedHere[violation.party, default: 0] += 1
            }
            opened.cases.append(record)
        }
        return opened
    }

    /// Confirms `record` and returns the sanction it imposes: the next rung of its party's ladder, counting the
    /// `alsoConfirmed` cases of the same party confirmed but not yet saved.
    private func confirm(_ record: inout Dealreg_V1_Case, actor: String, reason: String, alsoConfirmed: Int = 0)
        throws -> [Dealreg_V1_Sanction]
    {
        record.state = .confirmed
        record.steps.append(step(actor, .confirm, reason))
        let party = record.violation.party
        guard let kind = kinds[PartyID(party)],
            let level = Self.level(for: kind, rung: try store.confirmedCases(of: party) + alsoConfirmed + 1)
        else { return [] }
        lastSanctionNumber += 1
        var sanction = Dealreg_V1_Sanction()
        sanction.id = "S-" + String(format: "%08lld", lastSanctionNumber)
        sanction.party = party
        sanction.level = level
        sanction.caseID = record.id
        sanction.active = true
        sanction.reason = "\(record.violation.type) confirmed in case \(record.id)"
        sanction.time = now
        sanction.registryApplied = !Self.reachesRegistry(level)
        record.sanctionID = sanction.id
        logger.notice(
            "sanction imposed",
            metadata: ["sanction": "\(sanction.id)", "party": "\(party)", "level": "\(level)", "case": "\(record.id)"])
        return [sanction]
    }

    /// Saves cases and sanctions (with their ledger entries), then publishes each on enforcement's `events` PUB
    /// (topics "case" and "sanction"): every step of due process is an event.
    func commit(cases: [Dealreg_V1_Case], sanctions: [Dealreg_V1_Sanction]) throws {
        try store.commit(cases: cases, sanctions: sanctions)
        publish(cases: cases, sanctions: sanctions)
    }

    /// Publishes committed case steps and sanctions on enforcement's `events` PUB.
    func publish(cases: [Dealreg_V1_Case], sanctions: [Dealreg_V1_Sanction]) {
        for record in cases {
            _ = try? publisher?.send(frames: [Array("case".utf8), try record.serializedBytes()], dontWait: true)
        }
        for sanction in sanctions {
            _ = try? publisher?.send(frames: [Array("sanction".utf8), try sanction.serializedBytes()], dontWait: true)
        }
    }

    private func step(_ actor: String, _ action: Dealreg_V1_CaseAction, _ reason: String) -> Dealreg_V1_CaseStep {
        var step = Dealreg_V1_CaseStep()
        step.time = now
        step.actor = actor
        step.action = action
        step.reason = reason
        return step
    }

    func caseStep(_ body: Dealreg_V1_CaseRequest, principal caller: Caller) throws -> WireEnvelope.OneOf_Body {
        let principal = caller.id
        guard var record = try store.enforcementCase(body.caseID),
            AccessPolicy.access(caller.kind, .showCase) == .all || record.violation.party == principal.rawValue
        else {
            return .error(WireError(.notFound, "No case \(body.caseID) is visible to you.", field: "case_id"))
        }
        let reason: String
        do {
            reason = try FieldLimits.reason(
                body.reason, required: [.confirm, .dismiss, .appeal, .uphold, .overturn].contains(body.action))
        } catch {
            return .error(error.wire)
        }
        func refuse(_ message: String) -> WireEnvelope.OneOf_Body {
            .error(WireError(.invalidTransition, message, field: "action"))
        }
        var sanctions: [Dealreg_V1_Sanction] = []
        switch body.action {
        case .unspecified:
            var reply = Dealreg_V1_CaseReply()
            reply.record = record
            return .caseReply(reply)
        case .confirm, .dismiss, .uphold, .overturn:
            switch (body.action, record.state) {
            case (.confirm, .open):
                sanctions = try confirm(&record, actor: principal.rawValue, reason: reason)
            case (.dismiss, .open):
                record.state = .dismissed
                record.steps.append(step(principal.rawValue, .dismiss, reason))
            case (.uphold, .appealed):
                record.state = .upheld
                record.steps.append(step(principal.rawValue, .uphold, reason))
            case (.overturn, .appealed):
                record.state = .overturned
                record.steps.append(step(principal.rawValue, .overturn, reason))
                if let lifted = try lift(record.sanctionID) { sanctions = [lifted] }
            default:
                return refuse("Case \(record.id) is \(record.state); that step does not apply.")
            }
        case .appeal:
            guard record.violation.party == principal.rawValue else {
                return .error(WireError(.permissionDenied, "Only the accused party may appeal."))
            }
            guard record.state == .confirmed, !record.steps.contains(where: { $0.action == .appeal }) else {
                return refuse("Case \(record.id) is \(record.state); a confirmed case may be appealed once.")
            }
            record.state = .appealed
            record.steps.append(step(principal.rawValue, .appeal, reason))
        default:
            return .error(WireError(.invalidField, "Unknown case action.", field: "action"))
        }
        try commit(cases: [record], sanctions: sanctions)
        logger.notice(
            "case step", metadata: ["case": "\(record.id)", "state": "\(record.state)", "by": "\(principal)"])
        var reply = Dealreg_V1_CaseReply()
        reply.record = record
        return .caseReply(reply)
    }

    /// The sanction `id` made inactive (to be saved by the caller), or nil when there is none active.
    private func lift(_ id: String) throws -> Dealreg_V1_Sanction? {
        guard !id.isEmpty, var sanction = try store.sanction(id), sanction.active else { return nil }
        sanction.active = false
        sanction.registryApplied = !Self.reachesRegistry(sanction.level)
        logger.notice("sanction lifted", metadata: ["sanction": "\(id)", "party": "\(sanction.party)"])
        return sanction
    }

    func liftSanction(_ body: Dealreg_V1_LiftSanctionRequest, principal: Caller) throws -> WireEnvelope.OneOf_Body {
        do {
            _ = try FieldLimits.reason(body.reason)
        } catch {
            return .error(error.wire)
        }
        guard try store.sanction(body.sanctionID) != nil else {
            return .error(WireError(.notFound, "No sanction \(body.sanctionID).", field: "sanction_id"))
        }
        guard let lifted = try lift(body.sanctionID) else {
            return .error(
                WireError(.invalidTransition, "Sanction \(body.sanctionID) is not active.", field: "sanction_id"))
        }
        try commit(cases: [], sanctions: [lifted])
        var reply = Dealreg_V1_LiftSanctionReply()
        reply.sanction = lifted
        return .liftSanctionReply(reply)
    }

    func listSanctions(_ body: Dealreg_V1_ListSanctionsRequest, principal: Caller) throws -> WireEnvelope.OneOf_Body {
        let seesAll = principal.access == .all
        var reply = Dealreg_V1_ListSanctionsReply()
        reply.sanctions = try store.sanctions(
            party: seesAll ? (body.party.isEmpty ? nil : body.party) : principal.id.rawValue)
        return .listSanctionsReply(reply)
    }

    /// The standing the registry should hold for `party`: the gravest of its active sanctions that the registry
    /// enforces (expulsion, suspension, loss of benefits).
    private func standing(of party: String) throws -> Dealreg_V1_PartyStanding {
        let active = Set(try store.sanctions(party: party, active: true).map(\.level))
        let ladder: [(Dealreg_V1_SanctionLevel, Dealreg_V1_PartyStanding)] = [
            (.expulsion, .expelled), (.suspension, .suspended), (.benefitsLost, .benefitsLost),
        ]
        return ladder.first { active.contains($0.0) }?.1 ?? .active
    }

    /// Sends the registry the standing of every party with a sanction it has not applied yet, once per party
    /// (named after its latest such sanction); retried each second until the registry answers (the request id
    /// makes retries idempotent there).
    func syncStandings() throws {
        guard let registry else { return }
        var latest: [String: Dealreg_V1_Sanction] = [:]
        for sanction in try store.sanctions(party: nil, unapplied: true) { latest[sanction.party] = sanction }
        for (party, sanction) in latest {
            let standing = try standing(of: party)
            var request = Dealreg_V1_SetStandingRequest()
            request.partyID = party
            request.standing = standing
            request.reason = sanction.active ? sanction.reason : "sanction \(sanction.id) lifted"
            let id = "standing-\(sanction.id)-\(sanction.active ? "on" : "off")-\(standing.rawValue)"
            _ = try? registry.send(EnvelopeCodec.encode(requestID: id, body: .setStanding(request)), dontWait: true)
        }
    }

    /// The registry's answers to standing requests. When the standing it applied is still the party's, the
    /// party's sanctions up to the one the request was named after are marked applied; otherwise the next sync
    /// sends the newer standing.
    func drainRegistry(_ socket: Socket) throws {
        while let message = try socket.receive(dontWait: true) {
            guard let envelope = try? WireEnvelope(serializedBytes: message.payload) else { continue }
            let parts = envelope.requestID.split(separator: "-")
            guard parts.count == 5, parts[0] == "standing", let sent = Int(parts[4]) else { continue }
            let sanctionID = parts[1] + "-" + parts[2]
            switch envelope.body {
            case .setStandingReply?:
                guard let named = try store.sanction(String(sanctionID)),
                    try standing(of: named.party).rawValue == sent
                else { continue }
                let applied = try store.sanctions(party: named.party, unapplied: true)
                    .filter { $0.id <= named.id }
                    .map { sanction in
                        var sanction = sanction
                        sanction.registryApplied = true
                        return sanction
                    }
                guard !applied.isEmpty else { continue }
                try commit(cases: [], sanctions: applied)
                logger.info(
                    "registry applied the standing",
                    metadata: ["party": "\(named.party)", "through": "\(sanctionID)", "sanctions": "\(applied.count)"])
            case .error(let error)?:
                logger.error(
                    "registry refused a standing",
                    metadata: ["sanction": "\(sanctionID)", "code": "\(error.code.name)", "reason": "\(error.message)"])
            default:
                break
            }
        }
    }
}
