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

    /// Blocking keys: distinctive name tokens and their Soundex codes (typos), registrable domain, tax id, postal
    /// code, and house number with the street's Soundex.
    static func keys(of customer: NormalizedCustomer) -> Set<String> {
        var keys: Set<String> = []
        let country = customer.country
        for scalars in customer.nameScalars where scalars.count >= 2 {
            let token = String(String.UnicodeScalarView(scalars))
            keys.insert("n:\(country):\(token)")
            let code = Soundex.code(token)
            if !code.isEmpty { keys.insert("x:\(country):\(code)") }
        }
        if customer.joinedNameScalars.count >= 4 && customer.nameScalars.count > 1 {
            keys.insert("n:\(country):\(String(String.UnicodeScalarView(customer.joinedNameScalars)))")
        }
        // Character trigrams of the joined name, with boundaries: what survives typos, splits and swaps.
        let joined = [Unicode.Scalar("^")] + customer.joinedNameScalars + [Unicode.Scalar("$")]
        if joined.count >= 3 {
            for start in 0...(joined.count - 3) {
                keys.insert("g:\(country):" + String(String.UnicodeScalarView(joined[start..<(start + 3)])))
            }
        }
        for scalars in customer.nameScalars where scalars.count >= 4 {
            keys.insert("o:\(country):" + String(String.UnicodeScalarView(scalars.sorted { $0.value < $1.value })))
        }
        if let number = customer.streetNumbers.first, !customer.city.isEmpty {
            keys.insert("c:\(country):\(number):\(Soundex.code(customer.city))")
        }
        if !customer.registrableDomain.isEmpty { keys.insert("d:" + customer.registrableDomain) }
        if !customer.taxID.isEmpty { keys.insert("t:" + customer.taxID) }
        if !customer.postalCode.isEmpty { keys.insert("z:\(country):\(customer.postalCode)") }
        // Street words name a place better than a customer's spelling of its own name does.
        for scalars in customer.streetScalars where scalars.count >= 4 {
            let word = String(String.UnicodeScalarView(scalars))
            guard !NormalizedCustomer.streetTypeWords.contains(word) else { continue }
            keys.insert("s:\(country):\(word)")
            if let number = customer.streetNumbers.first { keys.insert("a:\(country):\(number):\(Soundex.code(word))") }
        }
        return keys
    }
}
