import DealBus
import DealModel
import DealWire

/// Cases and the sanctions ladder: every violation opens a case, clear-cut ones are confirmed at detection (a type
/// the policy lists, on conclusive evidence: `ProgramPolicy.autoConfirmation(of:)`), and each confirmation imposes
/// the next rung of the party's ladder (`ProgramPolicy.sanctionsLadder`). Each step is answered once it is durable.
extension EnforcementCore {
    /// How many cases stand for each party of `violations`: read before anything of them is staged, so that a
    /// failed read stages nothing.
    func standing(of violations: [Violation]) throws -> [PartyID: Int] {
        var standing: [PartyID: Int] = [:]
        for party in Set(violations.map(\.party)) { standing[party] = try standingCases(of: party) }
        return standing
    }

    /// Opens the cases of new `violations` (whose parties' standing cases `standing` counted), each saying why it
    /// is or is not confirmed at once; those the policy confirms on their evidence are confirmed, and sanctioned,
    /// at once, each one a rung further up its party's ladder. The others wait for an officer.
    mutating func open(_ violations: [DetectedViolation], standing: [PartyID: Int], at now: Moment) {
        var standing = standing
        for violation in violations {
            let verdict = policy.autoConfirmation(of: violation.violation)
            var record = EnforcementCase(opening: violation, triage: verdict.reason)
            var sanction: Sanction?
            if verdict.confirmed {
                let rung = standing[violation.party, default: 0] + 1
                standing[violation.party] = rung
                sanction = confirm(
                    &record, by: EnforcementCase.automaticActor, reason: verdict.reason, rung: rung, at: now)
            }
            stage(record, before: nil)
            if let sanction { stage(.imposed(sanction)) }
        }
    }

    /// Confirms `record`, its party's `rung`th standing case, and returns the sanction it imposes: that rung of
    /// the party's ladder. Nil for a party outside the ladder.
    private mutating func confirm(
        _ record: inout EnforcementCase, by actor: PartyID, reason: String, rung: Int, at now: Moment
    ) -> Sanction? {
        record.take(.init(time: now.secondsSinceEpoch, actor: actor, action: .confirm, reason: reason))
        guard let kind = kind(of: record.party), let level = policy.sanctionsLadder.level(for: kind, rung: rung)
        else { return nil }
        let sanction = Sanction(
            id: turn.takeSanctionID(), party: record.party, level: level, caseID: record.id,
            reason: "\(record.violation.type) confirmed in case \(record.id)", time: now.secondsSinceEpoch)
        record.sanction = sanction.id
        return sanction
    }

    /// Shows a case, or takes a step of due process on it.
    mutating func caseStep(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.caseRequest
        let principal = request.principal
        let id = ViolationID(body.caseID)
        func visible(_ record: EnforcementCase?) throws(WireError) -> EnforcementCase {
            guard let record, AccessPolicy.access(principal.kind, .showCase) == .all || record.party == principal.id
            else {
                throw WireError(.notFound, "No case \(body.caseID) is visible to you.", field: "case_id")
            }
            return record
        }
        guard let action = EnforcementCase.StepAction(wire: body.action) else {
            // No action: the case as committed.
            let record = try visible(try records.enforcementCase(id))
            _ = try FieldLimits.reason(body.reason, required: false)
            return .reply(.caseReply(.with { $0.record = record.wire(shownTo: request.access) }))
        }
        let before = try visible(try latestCase(id))
        let reason = try FieldLimits.reason(body.reason, required: true)
        if action == .appeal {
            guard before.party == principal.id else {
                throw WireError(.permissionDenied, "Only the accused party may appeal.")
            }
            guard before.allows(.appeal) else {
                throw WireError(
                    .invalidTransition, "Case \(id) is \(before.state); a confirmed case may be appealed once.",
                    field: "action")
            }
        } else if !before.allows(action) {
            throw WireError(
                .invalidTransition, "Case \(id) is \(before.state); that step does not apply.", field: "action")
        }
        var record = before
        var sanction: EnforcementChange?
        if action == .confirm {
            let rung = try standingCases(of: record.party) + 1
            sanction = confirm(&record, by: principal.id, reason: reason, rung: rung, at: now)
                .map(EnforcementChange.imposed)
        } else {
            record.take(.init(time: now.secondsSinceEpoch, actor: principal.id, action: action, reason: reason))
            if action == .overturn, let id = record.sanction, let lifted = try lifting(id) {
                sanction = .lifted(lifted)
            }
        }
        stage(
            record, before: before,
            answering: [EnforcementTurn.Waiting(route: request.route, requestID: request.requestID)],
            with: .caseReply(.with { $0.record = record.wire(shownTo: request.access) }))
        if let sanction { stage(sanction) }
        return .inHand
    }

    /// Sanction `id` made inactive, or nil when there is none in force.
    private func lifting(_ id: SanctionID) throws -> Sanction? {
        guard let sanction = try latestSanction(id), sanction.active else { return nil }
        return sanction.lifted
    }

    mutating func liftSanction(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.liftSanction
        _ = try FieldLimits.reason(body.reason)
        let id = SanctionID(body.sanctionID)
        guard try latestSanction(id) != nil else {
            throw WireError(.notFound, "No sanction \(body.sanctionID).", field: "sanction_id")
        }
        guard let lifted = try lifting(id) else {
            throw WireError(.invalidTransition, "Sanction \(body.sanctionID) is not active.", field: "sanction_id")
        }
        stage(
            .lifted(lifted), answering: [EnforcementTurn.Waiting(route: request.route, requestID: request.requestID)],
            with: .liftSanctionReply(.with { $0.sanction = lifted.wire }))
        return .inHand
    }
}
