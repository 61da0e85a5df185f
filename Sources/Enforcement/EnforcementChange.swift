import DealLedger
import DealModel
import DealWire
import SwiftProtobuf

/// One thing enforcement records. A closed set: each case says what is written (and entered in the ledger), what
/// is published on enforcement's events once durable, and what memory takes up after the commit. A value;
/// `Sendable`.
enum EnforcementChange: Sendable {
    /// A registration as the registry published it in event `seq`: enforcement's mirror.
    case registration(Registration, seq: UInt64, time: Int64)
    /// A party as the registry published it in event `seq`: its kind and current key.
    case party(Party, seq: UInt64, time: Int64)
    /// An account as the registry published it in event `seq` after a merge or split: a merged one stands for the
    /// account it went into.
    case account(Account, seq: UInt64, time: Int64)
    /// A two-tier link as the registry published it in event `seq`: observed, not mirrored (enforcement judges
    /// registrants and holders, which the registrations carry already).
    case link(PartyLink, seq: UInt64, time: Int64)
    /// The registry's events up to `seq` are recorded: where a restart resumes.
    case cursor(UInt64)
    /// A booking, with the violations it revealed and the answer to it.
    case booking(RecordedBooking)
    /// A violation found from the event stream rather than a booking (a late registration, squatting).
    case detected(DetectedViolation)
    /// A case opened or moved on, in its new state.
    case enforcementCase(EnforcementCase)
    /// A sanction a confirmation imposed.
    case imposed(Sanction)
    /// A sanction lifted, by hand or by an overturned appeal.
    case lifted(Sanction)
    /// A sanction the registry now holds the party to (or, once lifted, no longer does).
    case registryApplied(Sanction)
    /// A review escalated for missing its due date.
    case escalation(Escalation)
    /// The registry's signed head, witnessed: a ledger entry of kind `witness`.
    case witness(LedgerHead)

    /// The topic and body published on enforcement's events once the change is durable; nil for changes that
    /// are not enforcement's own decisions.
    var publication: (topic: String, body: [UInt8])? {
        let topic: String
        let message: any SwiftProtobuf.Message
        switch self {
        case .enforcementCase(let record): (topic, message) = ("case", record.wire)
        case .imposed(let sanction), .lifted(let sanction), .registryApplied(let sanction):
            (topic, message) = ("sanction", sanction.wire)
        case .escalation(let escalation): (topic, message) = ("escalation", escalation.wire)
        case .registration, .party, .account, .link, .cursor, .booking, .detected, .witness: return nil
        }
        return (try? message.serializedBytes()).map { (topic, $0) }
    }

    /// The violations this change records.
    var violations: [DetectedViolation] {
        switch self {
        case .booking(let booking): booking.violations
        case .detected(let violation): [violation]
        default: []
        }
    }
}

/// A booking as enforcement keeps it: the request's fingerprint, the violations found and the answer sent. A
/// value; `Sendable`.
struct RecordedBooking: Sendable {
    var booking: Booking
    var fingerprint: String
    /// Seconds since the Unix epoch.
    var receivedAt: Int64
    var violations: [DetectedViolation]
    /// The serialized `RecordBookingReply`: what a retry of the same order is answered.
    var reply: [UInt8]
}

/// The stored answer to a booking, with the fingerprint of the booking it answered. A value; `Sendable`.
struct BookingAnswer: Sendable {
    var fingerprint: String
    var reply: [UInt8]
}
