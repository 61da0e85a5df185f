import DealBus
import DealModel
import DealWire
import Matching

/// Bookings from an ERP or CRM: checked against the registrations enforcement mirrors, their violations found by
/// `ViolationRules` and kept with the customers and the conclusive evidence they rest on, recorded with the cases
/// they open, and answered once durable.
extension EnforcementCore {
    static let bookingUnstored = "Enforcement could not store the booking; retry with the same order."

    mutating func recordBooking(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.recordBooking
        var booking = try Booking(wire: body.booking)
        let fingerprint = body.fingerprint
        let waiting = EnforcementTurn.Waiting(route: request.route, requestID: request.requestID)
        switch turn.join(booking.id, fingerprint: fingerprint, waiting: waiting) {
        case true?: return .inHand
        case false?: throw Self.orderReused(booking)
        case nil: break
        }
        if let stored = try records.bookingAnswer(booking.id) {
            guard stored.fingerprint == fingerprint,
                var reply = try? Dealreg_V1_RecordBookingReply(serializedBytes: stored.reply)
            else { throw Self.orderReused(booking) }
            reply.alreadyRecorded = true
            return .reply(.recordBookingReply(reply))
        }
        booking.productLines = try policy.catalog.resolve(booking.productLines, field: "booking.product_lines")
        guard let bookerKind = kind(of: booking.bookedBy) else {
            throw WireError(
                .invalidField, "'\(booking.bookedBy)' is not a party of the program.", field: "booking.booked_by")
        }
        let prepared = PreparedCustomer(booking.customer)
        var claimed: ScoredCandidate?
        if let id = booking.claimedRegistration {
            guard let registration = try latestRegistration(id) else {
                throw WireError(
                    .invalidField, "No registration \(id) is known to enforcement.",
                    field: "booking.claimed_registration_id")
            }
            let (score, reasons) = scorer.score(
                prepared.normalized, against: NormalizedCustomer(registration.request.customer))
            claimed = ScoredCandidate(registration: registration, score: score, reasons: reasons)
        }
        let candidates = try registrations(matching: prepared)
        // A registration quoted under another spelling of its own account is for the booking's customer: it is
        // scored as its account is.
        if let quoted = claimed, let account = self.account(of: quoted.registration),
            let peer = candidates.first(where: { self.account(of: $0.registration) == account }),
            peer.score > quoted.score
        {
            claimed = ScoredCandidate(registration: quoted.registration, score: peer.score, reasons: peer.reasons)
        }
        let judged = (candidates + [claimed].compactMap { $0 }).map(\.registration)
        let found = try rules.violations(
            of: booking, by: ViolationRules.Booker(id: booking.bookedBy, kind: bookerKind),
            candidates: candidates, claimed: claimed
        ).map { violation in
            guard let registration = judged.first(where: { $0.id == violation.registrationID }) else {
                return violation
            }
            return try withEvidence(
                violation, booked: booking.customer, normalized: prepared.normalized, against: registration)
        }
        let standing = try standing(of: found)
        let violations = found.map {
            DetectedViolation(id: turn.takeViolationID(), violation: $0, detectedAt: now.secondsSinceEpoch)
        }
        var reply = Dealreg_V1_RecordBookingReply()
        reply.violations = violations.map(\.wire)
        let recorded = RecordedBooking(
            booking: booking, fingerprint: fingerprint, receivedAt: now.secondsSinceEpoch, violations: violations,
            reply: (try? reply.serializedBytes()) ?? [])
        stage(
            .booking(recorded), answering: [waiting], with: .recordBookingReply(reply), failure: Self.bookingUnstored,
            prepared: prepared)
        open(violations, standing: standing, at: now)
        return .inHand
    }

    private static func orderReused(_ booking: Booking) -> WireError {
        WireError(
            .alreadyExists, "Order \(booking.orderID) was recorded with other content.", field: "booking.order_id")
    }

    /// The registrations a booking of customer `prepared` may violate, in their latest state, best first. The index
    /// of accounts finds the accounts whose spellings match it at the review threshold (and this turn's registrations
    /// theirs); each stands for the account it was merged into. Every watched registration a booking can violate of
    /// each such account, read from the store with this turn's changes over it, is judged with the best score and
    /// reasons any of them reaches, so a booking of any spelling of an account meets all of it however many
    /// registrations the account has; an account none of whose registrations reaches the threshold (the match was
    /// on a spelling of a settled registration, or of one that left the account) is not judged. A registration
    /// without an account (a store from before accounts, not yet migrated by the registry) stands alone.
    mutating func registrations(matching prepared: PreparedCustomer) throws -> [ScoredCandidate] {
        let threshold = policy.reviewThreshold
        var accounts = Set(mirror.index.candidates(for: prepared, minimumScore: threshold).map { survivor(of: $0.id) })
        var alone: [RegistrationID: Candidate<RegistrationID>] = [:]
        for found in mirror.unaccounted.candidates(for: prepared, minimumScore: threshold) {
            alone[found.id] = Candidate(found)
        }
        for candidate in turn.registrations(matching: prepared, minimumScore: threshold) {
            alone[candidate.id] = candidate
        }
        var found: [RegistrationID: (registration: Registration, match: Candidate<RegistrationID>)] = [:]
        for candidate in alone.values {
            guard let registration = try latestRegistration(candidate.id), registration.isIndexed else { continue }
            if let account = account(of: registration) {
                accounts.insert(account)
            } else {
                found[registration.id] = (registration, candidate)
            }
        }
        // Each customer scored once: an account's registrations often share a spelling.
        var scores: [Customer: (score: Double, reasons: [MatchReason])] = [:]
        for registrations in try watchedRegistrations(of: accounts).values {
            let judged = registrations.filter(\.isIndexed).sorted { $0.id < $1.id }
            var best: (score: Double, reasons: [MatchReason])?
            for registration in judged {
                let customer = registration.request.customer
                let scored =
                    scores[customer] ?? scorer.score(prepared.normalized, against: NormalizedCustomer(customer))
                scores[customer] = scored
                if scored.score > best?.score ?? -1 { best = scored }
            }
            guard let best, best.score >= threshold else { continue }
            for registration in judged {
                found[registration.id] = (registration, Candidate((registration.id, best.score, best.reasons)))
            }
        }
        return Candidate.ranked(found.values.map(\.match)).compactMap { candidate in
            found[candidate.id].map {
                ScoredCandidate(registration: $0.registration, score: candidate.score, reasons: candidate.reasons)
            }
        }
    }

    /// The recorded bookings whose customer matches `prepared` (a customer) at the conflict threshold, this turn's
    /// included, best first; the committed ones read from the store.
    func bookings(matching prepared: PreparedCustomer) throws -> [(booking: Booking, match: Candidate<OrderID>)] {
        let threshold = policy.conflictThreshold
        var found: [OrderID: Candidate<OrderID>] = [:]
        for candidate in mirror.bookingIndex.candidates(for: prepared, minimumScore: threshold).map(Candidate.init) {
            found[candidate.id] = candidate
        }
        for staged in [writing, turn].compactMap({ $0 }) {
            for candidate in staged.bookings(matching: prepared, minimumScore: threshold) {
                found[candidate.id] = candidate
            }
        }
        return try Candidate.ranked(Array(found.values)).compactMap { candidate in
            try latest({ $0.booking(candidate.id) }, else: { try records.booking(candidate.id) }).map {
                ($0, candidate)
            }
        }
    }
}
