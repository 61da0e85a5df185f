import DealBus
import DealLedger
import DealModel
import DealWire
import SwiftProtobuf

/// One thing the registry records. A closed set: each case says what is written, which event carries it and
/// what is counted once it is durable. A value; `Sendable`.
enum RegistryChange: Sendable {
    /// A new registration decided: approved, rejected or sent to review.
    case registered(Registration, HistoryRow)
    /// A later step of a registration's life: a review, closing, withdrawal, extension or expiry.
    case transitioned(Registration, HistoryRow)
    /// A party added or changed (standing, key, or the bootstrap file).
    case party(Party)
    /// A two-tier link proposed, accepted or ended.
    case link(PartyLink)
    /// An account merged into another, or the two sides of a split: its whole state after the step.
    case account(Account)
    /// Pairs of accounts that may be one customer, listed for a channel manager (no event: advice, not a step).
    case doubts([Dealreg_V1_AccountDoubt])
    /// A DUPLICATE answer: nothing is recorded but the answer to its request.
    case duplicate(Decision)
    /// Enforcement's signed ledger head, recorded as the registry's witness of it.
    case witness(LedgerHead)
    /// A read of partners' registrations by the vendor's side, recorded before it is answered.
    case access(AccessRecord)

    /// The registration this change records, if any.
    var registration: Registration? {
        switch self {
        case .registered(let registration, _), .transitioned(let registration, _): registration
        case .party, .link, .account, .doubts, .duplicate, .witness, .access: nil
        }
    }

    /// Whether its answer carries a receipt or the registry's head once the turn's head is signed (`Receipts`).
    var carriesReceipt: Bool {
        switch self {
        case .registered, .transitioned, .witness: true
        case .party, .link, .account, .doubts, .duplicate, .access: false
        }
    }

    /// Whether it records a registration for the first time.
    var isNewRegistration: Bool {
        if case .registered = self { true } else { false }
    }

    var account: Account? {
        if case .account(let account) = self { account } else { nil }
    }

    var party: Party? {
        if case .party(let party) = self { party } else { nil }
    }

    var link: PartyLink? {
        if case .link(let link) = self { link } else { nil }
    }

    var history: HistoryRow? {
        switch self {
        case .registered(_, let history), .transitioned(_, let history): history
        case .party, .link, .account, .doubts, .duplicate, .witness, .access: nil
        }
    }

    /// The event stream's topic (subscribers filter on it); nil for a change that has no event.
    var topic: String? {
        switch self {
        case .registered, .transitioned: "registration"
        case .party: "party"
        // Not "party-link": subscribers match topics by prefix, and "party" must match party events only.
        case .link: "link"
        case .account: "account"
        case .witness: "witness"
        case .access: "access"
        case .doubts, .duplicate: nil
        }
    }

    /// The outcome of a new registration's decision, counted by `dealreg_registrations_total`.
    var outcome: Outcome? {
        switch self {
        case .registered(let registration, _): registration.decision.outcome
        case .duplicate: .duplicate
        case .transitioned, .party, .link, .account, .doubts, .witness, .access: nil
        }
    }
}

/// The answer to a request, kept so a retry with the same request_id gets the same answer. A value; `Sendable`.
struct StoredAnswer: Sendable {
    var principal: PartyID
    var requestID: String
    /// The request body's fingerprint: the same request_id with another body is `REQUEST_ID_REUSED`.
    var fingerprint: String
    /// The serialized reply envelope.
    var reply: [UInt8]
}

/// A change as a commit writes it: the change, its event (serialized once, for the log and the publisher) and
/// the answer to the request that made it. A value; `Sendable`.
struct RegistryWrite: Sendable {
    var change: RegistryChange
    /// The event's seq, 0 for a change without event.
    var seq: UInt64
    var time: Int64
    var eventBytes: [UInt8]
    /// A registration change's registration, serialized: the row's body, and the tail of `eventBytes`.
    var registrationBytes: [UInt8] = []
    var answer: StoredAnswer?

    /// The write of `change` as event `seq` at `time` (no event for a duplicate), answering `answer`'s request.
    init(_ change: RegistryChange, seq: UInt64, time: Int64, answer: StoredAnswer?) {
        self.change = change
        self.time = time
        self.answer = answer
        var event = WireEvent()
        event.seq = seq
        event.time = time
        switch change {
        case .registered(let registration, let history), .transitioned(let registration, let history):
            // The registration is serialized once, for its row and its event: `registration` (10) is the event's
            // last field, so the event is its other fields followed by that one, byte for byte what serializing
            // the whole event gives.
            event.history = history.wire
            registrationBytes = (try? registration.wire.serializedBytes()) ?? []
            self.seq = seq
            eventBytes = (try? event.serializedBytes()) ?? []
            WireSplice.append(field: Self.registrationField, registrationBytes, to: &eventBytes)
            return
        case .party(let party):
            event.party = party.wire
        case .link(let link):
            event.link = link.wire
        case .account(let account):
            event.account = account.wire
        case .witness(let head):
            event.witness = head.wire
        case .access(let record):
            event.access = record.wire
        case .doubts, .duplicate:
            self.seq = 0
            eventBytes = []
            return
        }
        self.seq = seq
        eventBytes = (try? event.serializedBytes()) ?? []
    }

    /// The field number of `Event.registration`.
    static let registrationField = 10
}
