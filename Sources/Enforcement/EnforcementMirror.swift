import DealModel
import Matching

/// What enforcement keeps in memory of what it committed, each part small beside the registrations: the accounts
/// indexed under their spellings (one entry each, as the check workers index them), the few watched registrations
/// that name no account indexed alone, the accounts merged into others, the reviews with a due date, how each
/// registrant's registrations ended against the program's norm (the basis of squatting), how many registrations are
/// watched, and the recorded bookings indexed by customer under their order ids, so a registration filed after its
/// registrant's own booking is found when it arrives. The registrations and bookings themselves stay in the store,
/// read when a booking or an event needs them: memory follows the accounts, not the history. Not thread-safe: a
/// value owned by enforcement's core.
struct EnforcementMirror {
    /// Every account under the customers its registrations named (the first `CustomerIndex.maximumSpellings`), an
    /// open account under the spellings its last account event gave. Unlike a check worker's, it keeps a merged
    /// account under the spellings it had: its id stands for the account it went into (`mergedInto`), whose own
    /// account event with the merged spellings may come later in the stream.
    private(set) var index = CustomerIndex<AccountID>()
    /// The indexed registrations that name no account (a store from before accounts, until the registry groups
    /// them), each under its customer.
    private(set) var unaccounted = CandidateIndex()
    /// Each merged account and the account it went into, as the registry's account events said.
    private(set) var mergedInto: [AccountID: AccountID] = [:]
    /// The reverse of `mergedInto`: the accounts merged directly into each account.
    private(set) var mergedFrom: [AccountID: Set<AccountID>] = [:]
    /// The registrations waiting for a channel manager's review that have a due date, and that date: those a sweep
    /// may escalate.
    private(set) var reviewsDue: [RegistrationID: CalendarDate] = [:]
    var closings: [PartyID: ClosingRecord] = [:]
    var norm = ClosingRecord()
    /// How many registrations enforcement watches (`Registration.isWatched`), for its stats.
    var watched = 0
    private(set) var bookingIndex = CustomerIndex<OrderID>()
    /// The seq of the snapshot the index of accounts started from; nil when it was built from the store alone.
    private(set) var snapshotSeq: UInt64?

    init() {}

    /// The mirror of what `records` hold. The index of accounts is `snapshot`'s, written when the committed cursor
    /// was at its seq, topped up with the registrations and accounts written after that seq; without one it is
    /// built from every row. Everything else is read whole: the merged accounts, the reviews, the closing records
    /// (counted by the store, no body decoded), the registrations without an account, and the bookings (few beside
    /// the registrations; kept whole, since a late registration is judged against a booking of any age).
    init(records: any EnforcementRecords, snapshot: (index: CustomerIndex<AccountID>, seq: UInt64)? = nil) throws {
        for (account, into) in try records.mergedAccounts() { merge(account, into: into) }
        closings = try records.closingRecords()
        for record in closings.values {
            norm.closed += record.closed
            norm.expired += record.expired
        }
        for registration in try records.registrationsInReview() {
            reviewsDue[registration.id] = registration.decision.reviewDue
        }
        watched = try records.watchedCount()
        unaccounted.insert(
            contentsOf: try records.watchedRegistrationsWithoutAccount().filter(\.isIndexed).map {
                ($0.id, $0.request.customer)
            })
        bookingIndex.insert(contentsOf: try records.bookings().map { ($0.id, $0.customer) })
        index = snapshot?.index ?? CustomerIndex()
        snapshotSeq = snapshot?.seq
        try index.apply(records, after: snapshot?.seq)
    }

    /// Takes up a committed registration's state (`prepared` is its customer, prepared once when it was staged):
    /// its customer is one more spelling of its account, or, without an account, it is indexed alone while a
    /// booking can violate it.
    mutating func take(_ registration: Registration, prepared: PreparedCustomer?) {
        let id = registration.id
        if let account = registration.account {
            index.addSpelling(account, prepared: prepared ?? PreparedCustomer(registration.request.customer))
            unaccounted.remove(id)
        } else if registration.isIndexed {
            unaccounted.insert(id, prepared: prepared ?? PreparedCustomer(registration.request.customer))
        } else {
            unaccounted.remove(id)
        }
        reviewsDue[id] = registration.status == .pendingReview ? registration.decision.reviewDue : nil
    }

    /// Takes up a committed account event: a merged account now stands for the account it went into; an open one
    /// (a split's two sides, or an account the registry reopened) stands for itself, under the spellings the event
    /// gives.
    mutating func take(_ account: Account) {
        if let before = mergedInto.removeValue(forKey: account.id) {
            mergedFrom[before]?.remove(account.id)
            if mergedFrom[before]?.isEmpty == true { mergedFrom[before] = nil }
        }
        if let into = account.mergedInto { merge(account.id, into: into) }
        index.take(account)
    }

    private mutating func merge(_ account: AccountID, into survivor: AccountID) {
        guard account != survivor else { return }
        mergedInto[account] = survivor
        mergedFrom[survivor, default: []].insert(account)
    }

    /// Indexes a committed booking for later registrations to be checked against.
    mutating func remember(_ booking: Booking, prepared: PreparedCustomer?) {
        bookingIndex.insert(booking.id, prepared: prepared ?? PreparedCustomer(booking.customer))
    }
}

extension CustomerIndex<AccountID> {
    /// Applies the changes `records` hold after event `seq` (nil: all of them), in event order, as the check
    /// workers apply the events: runs of spellings go in together, normalised on every core.
    mutating func apply(_ records: any EnforcementRecords, after seq: UInt64?) throws {
        var spellings: [(id: AccountID, customer: Customer)] = []
        func flush(into index: inout CustomerIndex<AccountID>) {
            index.addSpellings(contentsOf: spellings)
            spellings.removeAll(keepingCapacity: true)
        }
        try records.accountIndexChanges(after: seq) { change in
            switch change {
            case .spelling(let account, let customer):
                spellings.append((account, customer))
                if spellings.count == 1 << 15 { flush(into: &self) }
            case .account(let account):
                flush(into: &self)
                take(account)
            }
        }
        flush(into: &self)
    }

    /// Takes up an account event: an open account has exactly its spellings; a merged one keeps its entry (see
    /// `EnforcementMirror.index`).
    mutating func take(_ account: Account) {
        guard account.mergedInto == nil else { return }
        replace(account.id, spellings: account.spellings)
    }
}

extension Registration {
    /// Whether enforcement watches it (reads it for a booking or a sweep): a booking can violate it (`isIndexed`),
    /// or its review can be late.
    var isWatched: Bool { isIndexed || status == .pendingReview }
}
