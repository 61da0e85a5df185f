import DealBus
import DealModel
import DealWire
import Matching

/// The registry's event stream as enforcement follows it: the mirror of registrations, parties and merged accounts,
/// recorded with the cursor in the turn that relies on them, and the violations only the stream reveals (a
/// registration filed after its registrant's own booking, squatting), then the reviews that missed their due date.
extension EnforcementCore {
    /// Events as the follower delivers them, in `seq` order; those already staged or committed are skipped.
    mutating func events(_ events: [WireEvent], at now: Moment) -> [EnforcementAction] {
        noteRegistryEvents(events)
        var last: UInt64?
        for event in events where event.seq > turn.cursor && event.seq > (last ?? 0) {
            let followed = last
            last = event.seq
            switch event.payload {
            case .party(let wire)?:
                guard let party = Party(wire: wire) else { continue }
                stage(.party(party, seq: event.seq, time: event.time))
            case .link(let wire)?:
                guard let link = PartyLink(wire: wire) else { continue }
                stage(.link(link, seq: event.seq, time: event.time))
            case .registration(let wire)?:
                guard let registration = Registration(wire: wire) else { continue }
                do {
                    try follow(registration, seq: event.seq, time: event.time, at: now)
                } catch {
                    // Its state before could not be read: this event and the rest are asked for again, after the
                    // last one staged.
                    logger.error(
                        "registration event not followed: the store did not answer",
                        metadata: ["seq": "\(event.seq)", "error": "\(error)"])
                    if let followed { stage(.cursor(followed)) }
                    queue(.rewindEvents(to: followed ?? turn.cursor))
                    return takeActions()
                }
            case .account(let wire)?:
                // A merge or split: the registrations it moved follow as registration events of their own; the
                // account says which account a merged one's id stands for until they arrive.
                guard let account = Account(wire: wire), account.mergedInto != account.id else {
                    logger.warning(
                        "account event ignored: unreadable",
                        metadata: ["seq": "\(event.seq)", "account": "\(wire.id)", "state": "\(wire.state)"])
                    continue
                }
                stage(.account(account, seq: event.seq, time: event.time))
            case .witness?, .access?, nil:
                break
            }
        }
        if let last { stage(.cursor(last)) }
        return takeActions()
    }

    /// Mirrors a registration's new state, and looks for what it reveals: a new one its registrant had already
    /// booked, an expiry that makes its registrant a squatter. Its customer is prepared once, for the index of its
    /// account (or, without one, its own entry) and this turn's.
    private mutating func follow(_ registration: Registration, seq: UInt64, time: Int64, at now: Moment) throws {
        // Everything read before anything is staged: a read that fails leaves the event to be followed again.
        let previous = try latestStatus(registration.id)
        let before = previous?.status
        let prepared = PreparedCustomer(registration.request.customer)
        let booked = before == nil ? try bookings(matching: prepared) : []
        stage(.registration(registration, seq: seq, time: time), prepared: prepared)
        turn.watched(changesBy: (registration.isWatched ? 1 : 0) - (previous?.watched == true ? 1 : 0))
        if before == nil { lateRegistration(registration, booked: booked, at: now) }
        guard before != registration.status else { return }
        if before == .pendingReview && registration.status == .rejected && registration.request.tender {
            falseTender(registration, at: now)
        }
        let registrant = registration.registrant
        var record = latest({ $0.closings[registrant] }, else: { mirror.closings[registrant] }) ?? ClosingRecord()
        var norm = latest({ $0.norm }, else: { mirror.norm }) ?? ClosingRecord()
        record.count(registration.status)
        norm.count(registration.status)
        turn.closed(registrant, record: record, norm: norm)
        if registration.status == .expired { squatting(registration, record: record, norm: norm, at: now) }
    }

    /// A new registration whose registrant had already booked the same customer on an earlier day registered late;
    /// `booked` are the recorded bookings of its customer.
    private mutating func lateRegistration(
        _ registration: Registration, booked: [(booking: Booking, match: Candidate<OrderID>)], at now: Moment
    ) {
        let registered = CalendarDate(secondsSinceEpoch: registration.decision.decidedAt)
        let lines = registration.request.productLines
        for (booking, match) in booked {
            guard booking.bookedBy == registration.registrant, booking.bookedOn < registered,
                !policy.catalog.overlap(lines, booking.productLines).isEmpty
            else { continue }
            let finding = EnforcementTurn.Finding(
                type: .lateRegistration, party: registration.registrant, order: booking.orderID,
                registration: registration.id)
            do {
                guard
                    try !found(finding)
                        && !records.hasViolation(.lateRegistration, order: booking.id, registration: registration.id)
                else { continue }
                let violation = Violation(
                    type: .lateRegistration, party: registration.registrant, orderID: booking.orderID,
                    registrationID: registration.id, score: match.score, reasons: match.reasons,
                    explanation: "\(registration.id) was registered on \(registered), after "
                        + "\(registration.registrant) booked order \(booking.orderID) on \(booking.bookedOn).")
                try detect(
                    try withEvidence(
                        violation, booked: booking.customer, normalized: NormalizedCustomer(booking.customer),
                        against: registration),
                    as: finding, at: now)
            } catch {
                logger.error("late registration not recorded", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A tender a channel manager rejected in review was claimed falsely: it counts against its registrant like any
    /// other rule broken, through a case. Recorded once (a replayed event finds the violation already there).
    private mutating func falseTender(_ registration: Registration, at now: Moment) {
        let registrant = registration.registrant
        let finding = EnforcementTurn.Finding(
            type: .falseTender, party: registrant, order: "", registration: registration.id)
        do {
            guard
                try !found(finding)
                    && !records.hasViolation(.falseTender, order: OrderID(""), registration: registration.id)
            else { return }
            try detect(
                Violation(
                    type: .falseTender, party: registrant, orderID: "", registrationID: registration.id, score: 1,
                    reasons: [],
                    explanation: "\(registration.id) was registered by \(registrant) as public tender "
                        + "\(registration.request.tenderReference ?? "(no reference)"), which a channel manager "
                        + "rejected in review."),
                as: finding, at: now)
        } catch {
            logger.error(
                "false tender not recorded", metadata: ["registration": "\(registration.id)", "error": "\(error)"])
        }
    }

    /// After an expiry: a registrant whose registrations expire without outcome far above the program's norm is
    /// squatting. Recorded once per registrant (a replayed event finds the violation already there).
    private mutating func squatting(
        _ registration: Registration, record: ClosingRecord, norm: ClosingRecord, at now: Moment
    ) {
        let registrant = registration.registrant
        guard record.isSquatting(against: norm, policy: policy) else { return }
        let finding = EnforcementTurn.Finding(type: .squatting, party: registrant, order: "", registration: nil)
        do {
            guard try !found(finding) && !records.hasViolation(.squatting, party: registrant) else { return }
            try detect(
                Violation(
                    type: .squatting, party: registrant, orderID: "", registrationID: registration.id, score: 1,
                    reasons: [],
                    explanation:
                        "\(record.expired) of \(registrant)'s \(record.closed) closed registrations expired without "
                        + "outcome (\(Int(record.expiredShare * 100)) %, program norm \(Int(norm.expiredShare * 100)) %)."
                ),
                as: finding, at: now)
        } catch {
            logger.error("squatting not recorded", metadata: ["party": "\(registrant)", "error": "\(error)"])
        }
    }

    /// Whether this turn or the one being written already found `finding`.
    private func found(_ finding: EnforcementTurn.Finding) -> Bool {
        turn.findings.contains(finding) || writing?.findings.contains(finding) == true
    }

    /// Records a violation found from the event stream rather than a booking, and opens its case.
    private mutating func detect(_ violation: Violation, as finding: EnforcementTurn.Finding, at now: Moment) throws {
        let standing = try standing(of: [violation])
        let detected = DetectedViolation(
            id: turn.takeViolationID(), violation: violation, detectedAt: now.secondsSinceEpoch)
        turn.found(finding)
        stage(.detected(detected))
        open([detected], standing: standing, at: now)
    }

    /// The vendor's own promise, enforced: a review a channel manager has not decided by its due date is escalated
    /// once, and published on enforcement's `events` (topic "escalation").
    mutating func escalateOverdueReviews(at now: Moment) throws {
        let today = now.today
        // Only the reviews past their due date are read: those committed as such, and this turn's.
        var ids = Set(mirror.reviewsDue.filter { $0.value < today }.keys).union(turn.registrations.keys)
        if let writing { ids.formUnion(writing.registrations.keys) }
        for id in ids.sorted() {
            guard !escalated.contains(id), !turn.escalated.contains(id), writing?.escalated.contains(id) != true,
                let registration = try latestRegistration(id), registration.status == .pendingReview,
                let due = registration.decision.reviewDue, due < today
            else { continue }
            stage(
                .escalation(
                    Escalation(
                        registrationID: id, reviewDue: due, escalatedAt: now.secondsSinceEpoch,
                        registrant: registration.registrant)))
        }
    }
}
