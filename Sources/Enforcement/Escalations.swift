import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// The vendor's own promise, enforced: a review a channel manager has not decided by its due date is escalated
/// once, saved, logged and published on enforcement's `events` PUB (topic "escalation").
extension EnforcementServer {
    func escalateOverdueReviews() throws {
        let today = CalendarDate(secondsSinceEpoch: now)
        var overdue: [Dealreg_V1_Escalation] = []
        for id in inReview where !escalated.contains(id.rawValue) {
            guard let registration = registrations[id], let due = registration.decision.reviewDue, due < today else {
                continue
            }
            var escalation = Dealreg_V1_Escalation()
            escalation.registrationID = id.rawValue
            escalation.reviewDue = due.wire
            escalation.escalatedAt = now
            escalation.registrant = registration.registrant.rawValue
            overdue.append(escalation)
        }
        guard !overdue.isEmpty else { return }
        try store.save(overdue)
        for escalation in overdue {
            escalated.insert(escalation.registrationID)
            logger.warning(
                "review overdue: escalated",
                metadata: [
                    "registration": "\(escalation.registrationID)",
                    "due": "\(CalendarDate(wire: escalation.reviewDue).map { "\($0)" } ?? "?")",
                ])
            _ = try? publisher?.send(
                frames: [Array("escalation".utf8), try escalation.serializedBytes()], dontWait: true)
        }
    }
}

extension EnforcementServer {
    /// After an expiry: a registrant whose registrations expire without outcome far above the program's norm is
    /// squatting. Recorded once per registrant (a replayed event finds the violation already there).
    func squatting(_ registration: Registration) {
        let registrant = registration.registrant
        guard let record = closings[registrant], record.isSquatting(against: norm, policy: rules.policy) else { return }
        do {
            guard try !store.hasViolation(.squatting, party: registrant.rawValue) else { return }
            let violation = Violation(
                type: .squatting, party: registrant, orderID: "", registrationID: registration.id, score: 1,
                reasons: [],
                explanation:
                    "\(record.expired) of \(registrant)'s \(record.closed) closed registrations expired without "
                    + "outcome (\(Int(record.expiredShare * 100)) %, program norm \(Int(norm.expiredShare * 100)) %).")
            try recordDetected(violation)
        } catch {
            logger.error("squatting not recorded", metadata: ["party": "\(registrant)", "error": "\(error)"])
        }
    }
}

extension EnforcementServer {
    /// Indexes a committed booking for later registrations to be checked against.
    func remember(_ booking: Booking) {
        bookingsByOrder[booking.orderID] = booking
        bookingIndex.insert(RegistrationID(booking.orderID), customer: booking.customer)
    }

    /// A new registration whose registrant had already booked the same customer on an earlier day registered late.
    func lateRegistration(_ registration: Registration) {
        let registered = CalendarDate(secondsSinceEpoch: registration.decision.decidedAt)
        let lines = Set(registration.request.productLines)
        let matches = bookingIndex.candidates(
            for: registration.request.customer, minimumScore: rules.policy.conflictThreshold)
        for found in matches {
            guard let booking = bookingsByOrder[found.id.rawValue], booking.bookedBy == registration.registrant,
                booking.bookedOn < registered, !lines.isDisjoint(with: booking.productLines)
            else { continue }
            do {
                guard
                    try !store.hasViolation(
                        .lateRegistration, orderID: booking.orderID, registrationID: registration.id.rawValue)
                else { continue }
                let violation = Violation(
                    type: .lateRegistration, party: registration.registrant, orderID: booking.orderID,
                    registrationID: registration.id, score: found.score, reasons: found.reasons,
                    explanation: "\(registration.id) was registered on \(registered), after \(registration.registrant) "
                        + "booked order \(booking.orderID) on \(booking.bookedOn).")
                try recordDetected(violation)
            } catch {
                logger.error("late registration not recorded", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension EnforcementServer {
    /// Records a violation found from the event stream rather than a booking, opens its case, and logs it.
    func recordDetected(_ violation: Violation) throws {
        let wire = violation.wire(id: nextViolationID(), detectedAt: now)
        let opened = try opening([wire])
        try store.commit(violations: [wire], cases: opened.cases, sanctions: opened.sanctions)
        publish(cases: opened.cases, sanctions: opened.sanctions)
        logger.notice(
            "violation detected",
            metadata: [
                "id": "\(wire.id)", "type": "\(violation.type.rawValue)", "party": "\(violation.party)",
                "order": "\(violation.orderID)", "registration": "\(violation.registrationID)",
            ])
    }
}
