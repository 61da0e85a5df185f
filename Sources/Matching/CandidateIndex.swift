import DealModel
import Foundation

/// An inverted index of the customers that can conflict (name tokens, registrable domain, tax id, postal code),
/// scored on lookup. Not thread-safe: one owner mutates and queries it.
public struct CandidateIndex {
    // Ids and customers apart, so that filtering by id copies no customer.
    private var ids: [Int: RegistrationID] = [:]
    private var customers: [Int: NormalizedCustomer] = [:]
    private var slots: [RegistrationID: Int] = [:]
    private var postings: [String: Set<Int>] = [:]
    private var nextSlot = 0
    private let scorer = CustomerScorer()

    public init() {}

    public var count: Int { ids.count }

    /// Adds or replaces the customer of `id`.
    public mutating func insert(_ id: RegistrationID, customer: Customer) {
        remove(id)
        let normalized = NormalizedCustomer(customer)
        nextSlot += 1
        ids[nextSlot] = id
        customers[nextSlot] = normalized
        slots[id] = nextSlot
        for key in Self.keys(of: normalized) { postings[key, default: []].insert(nextSlot) }
    }

    public mutating func remove(_ id: RegistrationID) {
        guard let slot = slots.removeValue(forKey: id), let customer = customers.removeValue(forKey: slot) else {
            return
        }
        ids[slot] = nil
        for key in Self.keys(of: customer) {
            postings[key]?.remove(slot)
            if postings[key]?.isEmpty == true { postings[key] = nil }
        }
    }

    /// The indexed registrations scoring at least `minimumScore` against `customer`, best first. Only the
    /// `limit` entries sharing the most (rarity-weighted) keys are scored, and only those `include` accepts.
    public func candidates(
        for customer: Customer, minimumScore: Double, limit: Int = 64,
        include: ((RegistrationID) -> Bool)? = nil
    ) -> [(id: RegistrationID, score: Double, reasons: [MatchReason])] {
        let normalized = NormalizedCustomer(customer)
        var weights: [Int: Double] = [:]
        for key in Self.keys(of: normalized) {
            guard let posting = postings[key] else { continue }
            // An identifier is strong evidence on its own; a common word or postal code is weak.
            let weight = key.hasPrefix("d:") || key.hasPrefix("t:") ? 10 : 1 / log2(2 + Double(posting.count))
            for slot in posting { weights[slot, default: 0] += weight }
        }
        let eligible = include.map { include in weights.filter { ids[$0.key].map(include) ?? false } } ?? weights
        let ranked =
            eligible.count <= limit ? Array(eligible) : Array(eligible.sorted { $0.value > $1.value }.prefix(limit))
        var found: [(id: RegistrationID, score: Double, reasons: [MatchReason])] = []
        for (slot, _) in ranked {
            guard let id = ids[slot], let candidate = customers[slot] else { continue }
            let (score, reasons) = scorer.score(normalized, against: candidate)
            if score >= minimumScore { found.append((id, score, reasons)) }
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
