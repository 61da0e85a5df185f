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

/// The registry's decision rules (ARCHITECTURE.md, "Decision rules"), in their order: duplicate, a tender on a held
/// customer (to review), conflict, partner-managed account, uncertain match, re-registration cooldown, approval. Pure: the caller passes the day
/// and the candidates. A value; `Sendable`.
public struct DecisionRules: Sendable {
    public var policy: ProgramPolicy

    public init(policy: ProgramPolicy) {
        self.policy = policy
    }

    /// Who a new registration would protect: the holder, its kind and its partner tier.
    public struct Holder: Sendable, Hashable {
        public var id: PartyID
        public var kind: PartyKind
        public var tier: String
        /// Under a loss-of-benefits sanction: no approval without review, the base protection term.
        public var benefitsLost: Bool

        public init(id: PartyID, kind: PartyKind, tier: String = "", benefitsLost: Bool = false) {
            self.id = id
            self.kind = kind
            self.tier = tier
            self.benefitsLost = benefitsLost
        }
    }

    /// Decides a new registration `id` by `holder` against `candidates` on `today`.
    public func decide(
        id: RegistrationID, request: DealRequest, holder: Holder, candidates: [ScoredCandidate],
        today: CalendarDate, now: Int64
    ) -> Decision {
        let requested = request.productLines
        var considered: [(candidate: ScoredCandidate, match: Match)] = []
        var managed: [(candidate: ScoredCandidate, match: Match)] = []
        var cooling: [(candidate: ScoredCandidate, match: Match)] = []
        for candidate in candidates where candidate.score >= policy.reviewThreshold {
            let held = candidate.registration
            guard held.id != id else { continue }
            // Product lines overlap through the catalog's hierarchy (`ProductCatalog.overlap`): both sides of each
            // overlapping pair are reported, stored lines read as their canonical ids.
            let overlap = policy.catalog.overlap(held.request.productLines, requested)
            guard !overlap.isEmpty else { continue }
            let match = Match(
                registrationID: held.id, score: candidate.score, reasons: candidate.reasons,
                holderKind: held.holderKind, tender: held.request.tender, overlappingProductLines: overlap,
                accountID: held.account
            )
            if held.holdsCustomer(on: today) {
                considered.append((candidate, match))
            } else if held.managesAccount(on: today, policy: policy) && candidate.score >= policy.conflictThreshold {
                managed.append((candidate, match))
            } else if held.coolingDown(on: today, policy: policy) && held.holder == holder.id {
                // At any score worth a review: a respelling of one's own customer just withdrawn is as much a way
                // around the cooldown as the same spelling.
                cooling.append((candidate, match))
            }
        }
        let byScore: ((candidate: ScoredCandidate, match: Match), (candidate: ScoredCandidate, match: Match)) -> Bool =
            {
                ($0.match.score, $1.match.registrationID) > ($1.match.score, $0.match.registrationID)
            }
        considered.sort(by: byScore)
        managed.sort(by: byScore)
        // What a registrant learns of another holder's registration: its id, the score and reasons, whether a
        // partner or direct sales holds it and whether it is a tender; never who, how much, which products or when.
        let matches = (considered + managed + cooling).map { found in
            var match = found.match
            if found.candidate.registration.holder != holder.id { match.overlappingProductLines = [] }
            return match
        }
        let protectionDays = policy.protectionDays(for: holder)

        func decision(_ outcome: Outcome, against: RegistrationID? = nil, _ explanation: String) -> Decision {
            Decision(
                registrationID: id, outcome: outcome,
                protectedUntil: outcome == .approved ? today.adding(days: protectionDays) : nil,
                reviewDue: outcome == .pendingReview
                    ? policy.reviewDue(openedOn: today, country: request.customer.country) : nil,
                conflictingRegistrationID: against, matches: matches, explanation: explanation, decidedAt: now,
                policyVersion: policy.version
            )
        }

        if let own = considered.first(where: {
            $0.candidate.registration.holder == holder.id && $0.match.score >= policy.conflictThreshold
        }) {
            return decision(
                .duplicate, against: own.match.registrationID,
                "You already hold this opportunity as \(own.match.registrationID).")
        }
        // A tender is the registrant's claim until a channel manager has seen it: one on a customer another party
        // holds goes to review, where it is confirmed or rejected as invented.
        if request.tender,
            let held = considered.first(where: {
                !$0.match.tender && $0.candidate.registration.holder != holder.id
            })
        {
            let who = held.match.holderKind.isChannel ? "another partner" : "the vendor's direct sales"
            return decision(
                .pendingReview,
                "Public tender \(request.tenderReference ?? "") names a customer protected for \(who) as "
                    + "\(held.match.registrationID); a channel manager will confirm the tender.")
        }
        let exclusive = considered.filter {
            !$0.match.tender && !request.tender && $0.candidate.registration.holder != holder.id
        }
        if let conflict = exclusive.first(where: { $0.match.score >= policy.conflictThreshold }) {
            let who = conflict.match.holderKind.isChannel ? "another partner" : "the vendor's direct sales"
            return decision(
                .rejected, against: conflict.match.registrationID,
                "The customer is already protected for \(who) as \(conflict.match.registrationID).")
        }
        if !request.tender, let account = managed.first(where: { $0.candidate.registration.holder != holder.id }) {
            if holder.kind == .seller {
                return decision(
                    .rejected, against: account.match.registrationID,
                    "The customer is partner-managed (won as \(account.match.registrationID)): work with the partner.")
            }
            return decision(
                .pendingReview,
                "The customer is partner-managed (won as \(account.match.registrationID)); a channel manager will "
                    + "confirm the customer's choice.")
        }
        if let uncertain = exclusive.first {
            return decision(
                .pendingReview,
                "The customer may already be registered (\(uncertain.match.registrationID), score "
                    + "\(MatchReason.format(uncertain.match.score))); a channel manager will decide.")
        }
        if let ended = cooling.first {
            let how =
                switch ended.candidate.registration.status {
                case .withdrawn: "you withdrew it"
                case .lost: "it was lost"
                case .rejected: "it was rejected in review"
                default: "it expired"
                }
            let what =
                ended.match.score >= policy.conflictThreshold
                ? "this opportunity as \(ended.match.registrationID)"
                : "what may be this opportunity (\(ended.match.registrationID), score "
                    + "\(MatchReason.format(ended.match.score)))"
            return decision(
                .pendingReview,
                "You held \(what) until \(how) less than \(policy.reregistrationCooldownDays) days ago; a channel "
                    + "manager will decide.")
        }
        if request.tender {
            return decision(.approved, "Approved as a public tender: open to every partner, not exclusive.")
        }
        if holder.benefitsLost {
            return decision(
                .pendingReview,
                "\(holder.id) has lost its deal-registration benefits: a channel manager reviews every registration, "
                    + "and protection is the base \(protectionDays) days.")
        }
        return decision(.approved, "Approved and protected for \(protectionDays) days.")
    }
}
