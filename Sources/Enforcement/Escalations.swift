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
