import DealModel
import Matching

/// Who asked and under which request id: the idempotency key of a request. A value; `Sendable`.
struct RequestKey: Hashable, Sendable {
    var principal: PartyID
    var requestID: String
}

/// The changes decided during one reactor turn, not yet durable: they number on from the committed counters, and
/// later decisions of the same turn see them, but nothing of them is acknowledged, published, counted or kept in
/// the core's committed state until their commit succeeds. A failed commit just drops the turn. Not thread-safe:
/// a value owned by the registry's core.
struct RegistryTurn {
    /// A write with the routes of the requests waiting for it and when it was decided.
    struct Item {
        var write: RegistryWrite
        var routes: [[[UInt8]]]
        var decided: ContinuousClock.Instant
        /// The registration's customer prepared once, for the recent changes once committed.
        var customer: PreparedCustomer?
        /// The answer to the read this write records (an access event), sent to `routes` once it is durable.
        var read: ReadAnswer?
    }

    /// The answer to a read held until its access event is durable. Never stored as an idempotent answer: a read
    /// is answered afresh each time it is asked (and recorded each time).
    struct ReadAnswer {
        var requestID: String
        var reply: [UInt8]
    }

    private(set) var items: [Item] = []
    /// The last event seq, registration number and account number given out, the committed ones when nothing was
    /// yet.
    private(set) var lastSeq: UInt64
    private(set) var lastRegistrationNumber: Int64
    private(set) var lastAccountNumber: Int64
    private var itemByRequest: [RequestKey: Int] = [:]
    /// The latest state of each registration changed in this turn.
    private var latest: [RegistrationID: Registration] = [:]
    /// Those of `latest` a check must see, indexed.
    private var index = CandidateIndex()
    /// The latest state of each party changed in this turn.
    private(set) var parties: [PartyID: Party] = [:]
    /// The latest state of each two-tier link changed in this turn.
    private(set) var links: [PartyLink.Pair: PartyLink] = [:]
    /// The latest state of each account merged or split in this turn.
    private(set) var accounts: [AccountID: Account] = [:]
    /// The largest of enforcement's heads witnessed in this turn.
    private(set) var witnessedSize: UInt64 = 0
    /// New registrations per registrant in this turn, for the weekly quota.
    private(set) var registeredBy: [PartyID: Int] = [:]

    init(_ counters: RegistryCounters) {
        lastSeq = counters.seq
        lastRegistrationNumber = counters.registrationNumber
        lastAccountNumber = counters.accountNumber
    }

    /// The counters after this turn: what the next one numbers on from.
    var counters: RegistryCounters {
        RegistryCounters(seq: lastSeq, registrationNumber: lastRegistrationNumber, accountNumber: lastAccountNumber)
    }

    /// The next account number, taken for a registration that matched no account.
    mutating func takeAccountNumber() -> Int64 {
        lastAccountNumber += 1
        return lastAccountNumber
    }

    var isEmpty: Bool { items.isEmpty }

    /// The next registration number, taken for a new registration of this turn.
    mutating func takeRegistrationNumber() -> Int64 {
        lastRegistrationNumber += 1
        return lastRegistrationNumber
    }

    /// The next event seq, taken for a change of this turn.
    mutating func takeSeq() -> UInt64 {
        lastSeq += 1
        return lastSeq
    }

    /// Adds a write answering the requests at `routes` (with `read` for a read it records); `customer` is its
    /// registration's customer when the caller has it prepared already (a new registration's check did), so it is
    /// not prepared twice.
    mutating func append(
        _ write: RegistryWrite, routes: [[[UInt8]]], customer known: PreparedCustomer? = nil, read: ReadAnswer? = nil,
        at instant: ContinuousClock.Instant
    ) {
        var customer: PreparedCustomer?
        if let registration = write.change.registration {
            let prepared = known ?? PreparedCustomer(registration.request.customer)
            customer = prepared
            latest[registration.id] = registration
            if registration.isIndexed {
                index.insert(registration.id, prepared: prepared)
            } else {
                index.remove(registration.id)
            }
        }
        if case .registered(let registration, _) = write.change {
            registeredBy[registration.registrant, default: 0] += 1
        }
        if let party = write.change.party { parties[party.id] = party }
        if let link = write.change.link { links[link.pair] = link }
        if let account = write.change.account { accounts[account.id] = account }
        if case .witness(let head) = write.change { witnessedSize = max(witnessedSize, head.size) }
        if let answer = write.answer {
            itemByRequest[RequestKey(principal: answer.principal, requestID: answer.requestID)] = items.count
        }
        items.append(Item(write: write, routes: routes, decided: instant, customer: customer, read: read))
    }

    /// The fingerprint of the request `key` decided in this turn, if one was; `route` then waits for its answer
    /// too when the fingerprint is the same.
    mutating func join(_ key: RequestKey, fingerprint: String, route: [[UInt8]]) -> Bool? {
        guard let index = itemByRequest[key], let answer = items[index].write.answer else { return nil }
        guard answer.fingerprint == fingerprint else { return false }
        items[index].routes.append(route)
        return true
    }

    /// The state of registration `id` after this turn's changes, if it changed in this turn.
    func registration(_ id: RegistrationID) -> Registration? { latest[id] }

    /// Every registration this turn changed, in its latest state.
    var registrations: Dictionary<RegistrationID, Registration>.Values { latest.values }

    /// Whether a party change of this turn uses `publicKey`.
    func claims(publicKey: String) -> Bool { parties.values.contains { $0.publicKey == publicKey } }

    /// This turn's registrations that match `customer` at `minimumScore` or more, in their latest state.
    func matches(_ customer: PreparedCustomer, minimumScore: Double) -> [ScoredCandidate] {
        guard !latest.isEmpty else { return [] }
        return index.candidates(for: customer, minimumScore: minimumScore, limit: 128).compactMap { found in
            latest[found.id].map {
                ScoredCandidate(registration: $0, score: found.score, reasons: found.reasons)
            }
        }
    }

    /// History rows of registration `id` written in this turn.
    func history(of id: RegistrationID) -> [HistoryRow] {
        items.compactMap { $0.write.change.history }.filter { $0.registrationID == id }
    }
}
