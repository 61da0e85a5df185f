/// An order booked in the vendor's ERP or CRM, as enforcement receives it. A value; `Sendable`.
public struct Booking: Sendable, Hashable, Codable {
    /// Unique per booking system: a retried booking carries the same one and counts once.
    public var orderID: String
    public var customer: Customer
    /// Product lines, lower case.
    public var productLines: [String]
    public var amount: Money
    /// The internal seller or partner that booked it.
    public var bookedBy: PartyID
    /// The registration the booking says it fulfils, if any.
    public var claimedRegistration: RegistrationID?
    public var bookedOn: CalendarDate

    public init(
        orderID: String, customer: Customer, productLines: [String], amount: Money, bookedBy: PartyID,
        claimedRegistration: RegistrationID? = nil, bookedOn: CalendarDate
    ) {
        self.orderID = orderID
        self.customer = customer
        self.productLines = productLines
        self.amount = amount
        self.bookedBy = bookedBy
        self.claimedRegistration = claimedRegistration
        self.bookedOn = bookedOn
    }
}

/// The kinds of rule-breaking enforcement detects.
public enum ViolationType: String, Sendable, Hashable, Codable, CaseIterable {
    /// An internal seller booked a customer protected for a partner, or a partner-managed account.
    case directBypass = "DIRECT_BYPASS"
    /// A partner booked another partner's protected deal.
    case poaching = "POACHING"
    /// A registration filed after the registrant's own matching booking.
    case lateRegistration = "LATE_REGISTRATION"
    /// A booking quotes a registration of another customer.
    case customerSwitch = "CUSTOMER_SWITCH"
    /// A registrant whose protections expire without outcome far above the norm.
    case squatting = "SQUATTING"
    /// A registration claimed as a public tender that a channel manager rejected in review: an invented tender.
    case falseTender = "FALSE_TENDER"
}

/// How registrations of one registrant (or of the whole program) ended: the basis of squatting detection.
public struct ClosingRecord: Sendable, Hashable {
    public var closed = 0
    public var expired = 0

    public init() {}

    public mutating func count(_ status: RegistrationStatus) { count(status, times: 1) }

    /// Counts `times` registrations that ended in `status`.
    public mutating func count(_ status: RegistrationStatus, times: Int) {
        guard [.won, .lost, .withdrawn, .expired].contains(status) else { return }
        closed += times
        if status == .expired { expired += times }
    }

    public var expiredShare: Double { closed == 0 ? 0 : Double(expired) / Double(closed) }

    /// Whether this record is squatting against `norm` under `policy`.
    public func isSquatting(against norm: ClosingRecord, policy: ProgramPolicy) -> Bool {
        closed >= policy.squattingMinimumClosed && expiredShare >= policy.squattingExpiredShare
            && expiredShare >= policy.squattingTimesNorm * norm.expiredShare
    }
}

/// One detected violation with its evidence: the booking, the registration and the match. A value; `Sendable`.
public struct Violation: Sendable, Hashable, Codable {
    public var type: ViolationType
    /// The party that broke the rule (the booker, or the late registrant).
    public var party: PartyID
    public var orderID: String
    public var registrationID: RegistrationID
    public var score: Double
    public var reasons: [MatchReason]
    public var explanation: String
    /// The booking's customer, for a violation found on a booking.
    public var bookingCustomer: Customer?
    /// The customer the booking was matched with: the violated registration's, or that of another registration of
    /// its account when that one gave the conclusive evidence. Nil for a violation that matched no customers.
    public var registrationCustomer: Customer?
    /// The conclusive evidence found that the two customers are one, strongest first; empty when none was.
    public var conclusiveEvidence: [ConclusiveEvidence]

    public init(
        type: ViolationType, party: PartyID, orderID: String, registrationID: RegistrationID, score: Double,
        reasons: [MatchReason], explanation: String, bookingCustomer: Customer? = nil,
        registrationCustomer: Customer? = nil, conclusiveEvidence: [ConclusiveEvidence] = []
    ) {
        self.type = type
        self.party = party
        self.orderID = orderID
        self.registrationID = registrationID
        self.score = score
        self.reasons = reasons
        self.explanation = explanation
        self.bookingCustomer = bookingCustomer
        self.registrationCustomer = registrationCustomer
        self.conclusiveEvidence = conclusiveEvidence
    }
}

/// Enforcement's detection rules over one booking: the registrations that matched its customer (scored by the
/// same matcher as the registry), and the registration it claims with that one's score. Pure. A value; `Sendable`.
public struct ViolationRules: Sendable {
    public var policy: ProgramPolicy

    public init(policy: ProgramPolicy) {
        self.policy = policy
    }

    /// Who booked: their id and kind, and the parties they may book for (a distributor's resellers).
    public struct Booker: Sendable, Hashable {
        public var id: PartyID
        public var kind: PartyKind

        public init(id: PartyID, kind: PartyKind) {
            self.id = id
            self.kind = kind
        }
    }

    public func violations(
        of booking: Booking, by booker: Booker, candidates: [ScoredCandidate], claimed: ScoredCandidate?
    ) -> [Violation] {
        var found: [Violation] = []
        let lines = booking.productLines
        let day = booking.bookedOn
        func involves(_ registration: Registration) -> Bool {
            registration.holder == booker.id || registration.registrant == booker.id
        }
        // A booking that names a registration must be for that registration's customer.
        if let claimed, claimed.score < policy.reviewThreshold {
            found.append(
                Violation(
                    type: .customerSwitch, party: booker.id, orderID: booking.orderID,
                    registrationID: claimed.registration.id, score: claimed.score, reasons: claimed.reasons,
                    explanation: "Order \(booking.orderID) quotes \(claimed.registration.id), registered for another "
                        + "customer (score \(MatchReason.format(claimed.score)))."))
        }
        // A booking that quotes the booker's own public tender for this customer is the tender's outcome, open to
        // every party, so neither poaching nor a bypass of `held`, when the tender stands (approved or won) and was
        // either confirmed by a channel manager in review or filed before `held` was decided: an unchecked tender
        // filed after the protection would let anyone open it by saying "tender".
        func coveredByTender(_ held: Registration) -> Bool {
            guard let quoted = claimed, quoted.score >= policy.conflictThreshold else { return false }
            let tender = quoted.registration
            guard tender.request.tender, involves(tender), [.approved, .won].contains(tender.status),
                !policy.catalog.overlap(tender.request.productLines, lines).isEmpty
            else { return false }
            return tender.decision.outcome == .pendingReview || tender.decision.decidedAt < held.decision.decidedAt
        }
        let strong = candidates.filter { candidate in
            candidate.score >= policy.conflictThreshold
                && !policy.catalog.overlap(candidate.registration.request.productLines, lines).isEmpty
        }
        for candidate in strong.sorted(by: { $0.score > $1.score }) {
            let held = candidate.registration
            guard !involves(held), !held.request.tender, !coveredByTender(held) else { continue }
            let protected = held.holdsCustomer(on: day) && held.holderKind.isChannel
            let managed = held.managesAccount(on: day, policy: policy)
            let type: ViolationType
            if booker.kind == .seller && (protected || managed) {
                type = .directBypass
            } else if booker.kind.isChannel && protected {
                type = .poaching
            } else {
                continue
            }
            let what = managed ? "a partner-managed account (won as \(held.id))" : "a customer protected as \(held.id)"
            found.append(
                Violation(
                    type: type, party: booker.id, orderID: booking.orderID, registrationID: held.id,
                    score: candidate.score, reasons: candidate.reasons,
                    explanation: "\(booker.id) booked order \(booking.orderID) on \(day) for \(what)."))
            break
        }
        // The booker's own registration of this customer, filed after the booking.
        if let late = strong.first(where: {
            involves($0.registration) && $0.registration.registrant == booker.id
                && CalendarDate(secondsSinceEpoch: $0.registration.decision.decidedAt) > day
        }) {
            found.append(
                Violation(
                    type: .lateRegistration, party: booker.id, orderID: booking.orderID,
                    registrationID: late.registration.id, score: late.score, reasons: late.reasons,
                    explanation: "\(late.registration.id) was registered after \(booker.id) booked order "
                        + "\(booking.orderID) on \(day)."))
        }
        return found
    }
}
