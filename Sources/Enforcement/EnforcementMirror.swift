import DealModel
import Matching

/// What enforcement knows, as committed: the registrations the registry published that a booking or a review
/// deadline can still concern (`isWatched`) with an index of those a booking can violate and their grouping by
/// account, the accounts merged into others, how each registrant's registrations ended against the program's norm
/// (the basis of squatting), and every recorded booking, indexed by customer under its order id so a registration
/// filed after its registrant's own booking is found when it arrives. Settled registrations (rejected, withdrawn, won, lost, expired) live only in the store, so memory
/// follows the live ones. Not thread-safe: a value owned by enforcement's core.
struct EnforcementMirror {
    private(set) var registrations: [RegistrationID: Registration] = [:]
    private(set) var index = CandidateIndex()
    /// The watched registrations of each account, under the account they name (a merged account's until the
    /// registry publishes them again under the account they went into).
    private(set) var accounts: [AccountID: Set<RegistrationID>] = [:]
    /// Each merged account and the account it went into, as the registry's account events said.
    private(set) var mergedInto: [AccountID: AccountID] = [:]
    /// The reverse of `mergedInto`: the accounts merged directly into each account.
    private(set) var mergedFrom: [AccountID: Set<AccountID>] = [:]
    /// Registrations waiting for a channel manager's review.
    private(set) var inReview: Set<RegistrationID> = []
    var closings: [PartyID: ClosingRecord] = [:]
    var norm = ClosingRecord()
    private(set) var bookings: [OrderID: Booking] = [:]
    private(set) var bookingIndex = CustomerIndex<OrderID>()

    /// The mirror of `registrations` (all of them as stored: settled ones count in the closings), `bookings` and
    /// the `merged` accounts (each with the account it went into), indexed in bulk.
    init(registrations all: [Registration], bookings recorded: [Booking], merged: [AccountID: AccountID] = [:]) {
        for registration in all {
            closings[registration.registrant, default: ClosingRecord()].count(registration.status)
            norm.count(registration.status)
            guard registration.isWatched else { continue }
            registrations[registration.id] = registration
            if let account = registration.account { accounts[account, default: []].insert(registration.id) }
            if registration.status == .pendingReview { inReview.insert(registration.id) }
        }
        for (account, into) in merged { merge(account, into: into) }
        index.insert(contentsOf: registrations.values.filter(\.isIndexed).map { ($0.id, $0.request.customer) })
        for booking in recorded { bookings[booking.id] = booking }
        bookingIndex.insert(contentsOf: bookings.values.map { ($0.id, $0.customer) })
    }

    init() {}

    /// Takes up a committed registration's state: kept while watched, indexed while a booking can violate it
    /// (`prepared` is its customer, prepared once when it was staged).
    mutating func take(_ registration: Registration, prepared: PreparedCustomer?) {
        let id = registration.id
        if let before = registrations[id]?.account {
            accounts[before]?.remove(id)
            if accounts[before]?.isEmpty == true { accounts[before] = nil }
        }
        registrations[id] = registration.isWatched ? registration : nil
        if registration.isWatched, let account = registration.account { accounts[account, default: []].insert(id) }
        if registration.isIndexed {
            index.insert(id, prepared: prepared ?? PreparedCustomer(registration.request.customer))
        } else {
            index.remove(id)
        }
        if registration.status == .pendingReview {
            inReview.insert(id)
        } else {
            inReview.remove(id)
        }
    }

    /// Takes up a committed account event: a merged account now stands for the account it went into; an open one
    /// (a split's two sides, or an account the registry reopened) for itself.
    mutating func take(_ account: Account) {
        if let before = mergedInto.removeValue(forKey: account.id) {
            mergedFrom[before]?.remove(account.id)
            if mergedFrom[before]?.isEmpty == true { mergedFrom[before] = nil }
        }
        if let into = account.mergedInto { merge(account.id, into: into) }
    }

    private mutating func merge(_ account: AccountID, into survivor: AccountID) {
        guard account != survivor else { return }
        mergedInto[account] = survivor
        mergedFrom[survivor, default: []].insert(account)
    }

    /// Indexes a committed booking for later registrations to be checked against.
    mutating func remember(_ booking: Booking, prepared: PreparedCustomer?) {
        bookings[booking.id] = booking
        bookingIndex.insert(booking.id, prepared: prepared ?? PreparedCustomer(booking.customer))
    }
}

extension Registration {
    /// Whether enforcement keeps it in memory: a booking can violate it (`isIndexed`), or its review can be late.
    var isWatched: Bool { isIndexed || status == .pendingReview }
}
