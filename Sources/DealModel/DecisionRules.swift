/// A registration of the index that a new one scored against, with the evidence.
public struct ScoredCandidate: Sendable, Hashable {
    public var registration: Registration
    public var score: Double
    public var reasons: [MatchReason]

    public init(registration: Registration, score: Double, reasons: [MatchReason]) {
        self.registration = registration
        self.score = score
        self.reasons = reasons
    }
}

/// The registry's decision rules that need no lifecycle: duplicate, tender, conflict, review, approval.
/// Pure: the caller passes the day and the candidates. A value; `Sendable`.
public struct DecisionRules: Sendable {
    public var policy: ProgramPolicy

    public init(policy: ProgramPolicy) {
        self.policy = policy
    }

    /// Decides a new registration `id` by `holder` against `candidates` on `today`.
    public func decide(
        id: RegistrationID, request: DealRequest, holder: PartyID, candidates: [ScoredCandidate],
        today: CalendarDate, now: Int64
    ) -> Decision {
        let requested = Set(request.productLines)
        var considered: [(candidate: ScoredCandidate, match: Match)] = []
        for candidate in candidates where candidate.score >= policy.reviewThreshold {
            let held = candidate.registration
            guard held.id != id, held.holdsCustomer(on: today) else { continue }
            let overlap = held.request.productLines.filter(requested.contains).sorted()
            guard !overlap.isEmpty else { continue }
            let match = Match(
                registrationID: held.id, score: candidate.score, reasons: candidate.reasons,
                holderKind: held.holderKind, tender: held.request.tender, overlappingProductLines: overlap
            )
            considered.append((candidate, match))
        }
        considered.sort { ($0.match.score, $1.match.registrationID) > ($1.match.score, $0.match.registrationID) }
        let matches = considered.map(\.match)

        func decision(_ outcome: Outcome, against: RegistrationID? = nil, _ explanation: String) -> Decision {
            Decision(
                registrationID: id, outcome: outcome,
                protectedUntil: outcome == .approved ? policy.protectionEnd(grantedOn: today) : nil,
                reviewDue: outcome == .pendingReview ? policy.reviewDue(openedOn: today) : nil,
                conflictingRegistrationID: against, matches: matches, explanation: explanation, decidedAt: now
            )
        }

        if let own = considered.first(where: {
            $0.candidate.registration.holder == holder && $0.match.score >= policy.conflictThreshold
        }) {
            return decision(
                .duplicate, against: own.match.registrationID,
                "You already hold this opportunity as \(own.match.registrationID).")
        }
        let exclusive = considered.filter {
            !$0.match.tender && !request.tender && $0.candidate.registration.holder != holder
        }
        if let conflict = exclusive.first(where: { $0.match.score >= policy.conflictThreshold }) {
            let who = conflict.match.holderKind.isChannel ? "another partner" : "the vendor's direct sales"
            return decision(
                .rejected, against: conflict.match.registrationID,
                "The customer is already protected for \(who) as \(conflict.match.registrationID) on "
                    + conflict.match.overlappingProductLines.joined(separator: ", ") + ".")
        }
        if let uncertain = exclusive.first {
            return decision(
                .pendingReview,
                "The customer may already be registered (\(uncertain.match.registrationID), score "
                    + "\(MatchReason.format(uncertain.match.score))); a channel manager will decide.")
        }
        if request.tender {
            return decision(.approved, "Approved as a public tender: open to every partner, not exclusive.")
        }
        return decision(.approved, "Approved and protected for \(policy.protectionDays) days.")
    }
}
