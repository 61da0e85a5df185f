import DealModel
import DealWire
import Matching

/// The changes staged during one reactor turn, not yet durable: they number on from the committed counters, and
/// later decisions of the same turn see them (a registration event, a booking, a case step), but nothing of them
/// is answered, published, counted or kept in the core's committed state until their commit succeeds. A failed
/// commit just drops the turn. Not thread-safe: a value owned by enforcement's core.
struct EnforcementTurn {
    /// A request waiting for a change to be durable.
    struct Waiting: Sendable {
        var route: [[UInt8]]
        var requestID: String
    }

    /// A change with the requests waiting for it and what they are answered.
    struct Item {
        var change: EnforcementChange
        var waiting: [Waiting]
        var reply: WireEnvelope.OneOf_Body?
        /// What the requests are answered when the commit fails.
        var failure: String
        /// The customer normalised once (a booking's, a registration's), for the indexes once committed.
        var prepared: PreparedCustomer?
    }

    /// A violation found from the event stream, so that a replayed event finds nothing twice.
    struct Finding: Hashable {
        var type: ViolationType
        var party: PartyID
        var order: String
        var registration: RegistrationID?
    }

    /// The largest registry head witnessed in this turn.
    private(set) var registryWitnessed: UInt64 = 0
    private(set) var items: [Item] = []
    /// The last registry event staged, and the last violation and sanction numbers given out: the committed ones
    /// when nothing was yet.
    private(set) var cursor: UInt64
    private(set) var lastViolationNumber: Int64
    private(set) var lastSanctionNumber: Int64

    /// The latest state of each registration and party the turn's events changed.
    private(set) var registrations: [RegistrationID: Registration] = [:]
    private(set) var parties: [PartyID: Party] = [:]
    /// The latest state of each account a merge or split of the turn changed.
    private(set) var accounts: [AccountID: Account] = [:]
    /// Those of `registrations` a booking can violate, prepared, and indexed once a booking of the turn asks.
    private var indexed: [RegistrationID: PreparedCustomer] = [:]
    private var registrationIndex: CandidateIndex?
    /// The closing records of the registrants whose registrations closed in this turn, and the norm after them.
    private(set) var closings: [PartyID: ClosingRecord] = [:]
    private(set) var norm: ClosingRecord?
    /// This turn's bookings (the item recording each) and their index by customer.
    private var bookingItems: [OrderID: Int] = [:]
    private var bookingIndex = CustomerIndex<OrderID>()
    /// The latest state of each case and sanction changed in this turn.
    private(set) var cases: [ViolationID: EnforcementCase] = [:]
    private(set) var sanctions: [SanctionID: Sanction] = [:]
    /// How many more (or fewer) standing cases each party has after this turn.
    private(set) var standingDelta: [PartyID: Int] = [:]
    /// How many more (or fewer) registrations are watched after this turn.
    private(set) var watchedDelta = 0
    private(set) var escalated: Set<RegistrationID> = []
    private(set) var findings: Set<Finding> = []

    init(cursor: UInt64, lastViolationNumber: Int64, lastSanctionNumber: Int64) {
        self.cursor = cursor
        self.lastViolationNumber = lastViolationNumber
        self.lastSanctionNumber = lastSanctionNumber
    }

    /// A turn numbering on from where `previous` left off.
    init(after previous: EnforcementTurn) {
        self.init(
            cursor: previous.cursor, lastViolationNumber: previous.lastViolationNumber,
            lastSanctionNumber: previous.lastSanctionNumber)
    }

    var isEmpty: Bool { items.isEmpty }

    /// Whether the turn records registry events (a failed commit then has them replayed).
    var followsEvents: Bool {
        items.contains {
            if case .cursor = $0.change { true } else { false }
        }
    }

    mutating func takeViolationID() -> ViolationID {
        lastViolationNumber += 1
        return ViolationID(number: lastViolationNumber)
    }

    mutating func takeSanctionID() -> SanctionID {
        lastSanctionNumber += 1
        return SanctionID(number: lastSanctionNumber)
    }

    /// Adds `change`, answering `waiting` with `reply` once it is durable (or with `failure` if its commit fails).
    mutating func append(
        _ change: EnforcementChange, waiting: [Waiting] = [], reply: WireEnvelope.OneOf_Body? = nil,
        failure: String = "", prepared: PreparedCustomer? = nil
    ) {
        switch change {
        case .registration(let registration, _, _):
            registrations[registration.id] = registration
            if registration.isIndexed, let prepared {
                indexed[registration.id] = prepared
                registrationIndex?.insert(registration.id, prepared: prepared)
            } else {
                indexed[registration.id] = nil
                registrationIndex?.remove(registration.id)
            }
        case .party(let party, _, _):
            parties[party.id] = party
        case .account(let account, _, _):
            accounts[account.id] = account
        case .cursor(let seq):
            cursor = max(cursor, seq)
        case .booking(let recorded):
            bookingItems[recorded.booking.id] = items.count
            bookingIndex.insert(
                recorded.booking.id, prepared: prepared ?? PreparedCustomer(recorded.booking.customer))
        case .enforcementCase(let record):
            cases[record.id] = record
        case .imposed(let sanction), .lifted(let sanction), .registryApplied(let sanction):
            sanctions[sanction.id] = sanction
        case .escalation(let escalation):
            escalated.insert(escalation.registrationID)
        case .witness(let head):
            registryWitnessed = max(registryWitnessed, head.size)
        case .detected, .link:
            break
        }
        items.append(Item(change: change, waiting: waiting, reply: reply, failure: failure, prepared: prepared))
    }

    /// Counts a case of `party` that now stands, or no longer does.
    mutating func standing(_ party: PartyID, changesBy delta: Int) {
        guard delta != 0 else { return }
        standingDelta[party, default: 0] += delta
    }

    /// Counts a registration that is watched now and was not before (1), or the reverse (-1).
    mutating func watched(changesBy delta: Int) { watchedDelta += delta }

    /// Takes up the closing record of `registrant` and the program's norm after one of its registrations closed.
    mutating func closed(_ registrant: PartyID, record: ClosingRecord, norm: ClosingRecord) {
        closings[registrant] = record
        self.norm = norm
    }

    mutating func found(_ finding: Finding) { findings.insert(finding) }

    /// The booking of `order` recorded in this turn, if any.
    func booking(_ order: OrderID) -> Booking? {
        guard let index = bookingItems[order], case .booking(let recorded) = items[index].change else { return nil }
        return recorded.booking
    }

    /// Whether the booking of `order` recorded in this turn had the same content; `waiting` then waits for its
    /// answer too. Nil when the turn recorded no booking of `order`.
    mutating func join(_ order: OrderID, fingerprint: String, waiting: Waiting) -> Bool? {
        guard let index = bookingItems[order], case .booking(let recorded) = items[index].change else { return nil }
        guard recorded.fingerprint == fingerprint else { return false }
        items[index].waiting.append(waiting)
        return true
    }

    /// This turn's bookings whose customer scores `minimumScore` or more against `prepared`.
    func bookings(matching prepared: PreparedCustomer, minimumScore: Double) -> [Candidate<OrderID>] {
        guard !bookingItems.isEmpty else { return [] }
        return bookingIndex.candidates(for: prepared, minimumScore: minimumScore).map(Candidate.init)
    }

    /// This turn's registrations a booking can violate whose customer scores `minimumScore` or more against
    /// `prepared`. Their index is built on the first such question.
    mutating func registrations(matching prepared: PreparedCustomer, minimumScore: Double)
        -> [Candidate<RegistrationID>]
    {
        guard !indexed.isEmpty else { return [] }
        if registrationIndex == nil {
            var index = CandidateIndex()
            for (id, customer) in indexed { index.insert(id, prepared: customer) }
            registrationIndex = index
        }
        return registrationIndex!.candidates(for: prepared, minimumScore: minimumScore).map(Candidate.init)
    }
}
