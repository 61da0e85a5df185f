import DealModel

/// An inverted index of the customers that can conflict (name tokens, registrable domain, tax id, postal code),
/// scored on lookup. Not thread-safe: one owner mutates and queries it.
public struct CandidateIndex {
    private struct Entry {
        var id: RegistrationID
        var customer: NormalizedCustomer
    }

    private var entries: [Int: Entry] = [:]
    private var slots: [RegistrationID: Int] = [:]
    private var postings: [String: Set<Int>] = [:]
    private var nextSlot = 0
    private let scorer = CustomerScorer()

    public init() {}

    public var count: Int { entries.count }

    /// Adds or replaces the customer of `id`.
    public mutating func insert(_ id: RegistrationID, customer: Customer) {
        remove(id)
        let normalized = NormalizedCustomer(customer)
        nextSlot += 1
        entries[nextSlot] = Entry(id: id, customer: normalized)
        slots[id] = nextSlot
        for key in Self.keys(of: normalized) { postings[key, default: []].insert(nextSlot) }
    }

    public mutating func remove(_ id: RegistrationID) {
        guard let slot = slots.removeValue(forKey: id), let entry = entries.removeValue(forKey: slot) else { return }
        for key in Self.keys(of: entry.customer) {
            postings[key]?.remove(slot)
            if postings[key]?.isEmpty == true { postings[key] = nil }
        }
    }

    /// Every indexed registration scoring at least `minimumScore` against `customer`, best first.
    public func candidates(for customer: Customer, minimumScore: Double) -> [(
        id: RegistrationID, score: Double, reasons: [MatchReason]
    )] {
        let normalized = NormalizedCustomer(customer)
        var seen = Set<Int>()
        for key in Self.keys(of: normalized) { seen.formUnion(postings[key] ?? []) }
        var found: [(id: RegistrationID, score: Double, reasons: [MatchReason])] = []
        for slot in seen {
            guard let entry = entries[slot] else { continue }
            let (score, reasons) = scorer.score(normalized, against: entry.customer)
            if score >= minimumScore { found.append((entry.id, score, reasons)) }
        }
        return found.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
    }

    static func keys(of customer: NormalizedCustomer) -> [String] {
        var keys = customer.nameTokens.filter { $0.count >= 2 }.map { "n:\(customer.country):\($0)" }
        // Prefixes catch a misspelt token whose start is right.
        keys += customer.nameTokens.filter { $0.count >= 4 }.map { "p:\(customer.country):\($0.prefix(3))" }
        if !customer.registrableDomain.isEmpty { keys.append("d:" + customer.registrableDomain) }
        if !customer.taxID.isEmpty { keys.append("t:" + customer.taxID) }
        if !customer.postalCode.isEmpty { keys.append("z:\(customer.country):\(customer.postalCode)") }
        return keys
    }
}
