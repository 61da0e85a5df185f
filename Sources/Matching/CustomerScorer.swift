import DealModel

/// Scores how likely two customers are the same, with the reasons. The first matcher: identifiers are strong
/// evidence, a name is weaker alone than with its address. A value; `Sendable`.
public struct CustomerScorer: Sendable {
    public init() {}

    public func score(_ new: NormalizedCustomer, against held: NormalizedCustomer) -> (
        score: Double, reasons: [MatchReason]
    ) {
        var reasons: [MatchReason] = []
        var identifierScore = 0.0
        if !new.taxID.isEmpty && new.taxID == held.taxID {
            reasons.append(MatchReason(field: "tax_id", similarity: 1, detail: "equal"))
            identifierScore = 0.99
        }
        if !new.registrableDomain.isEmpty && new.registrableDomain == held.registrableDomain {
            reasons.append(MatchReason(field: "web_domain", similarity: 1, detail: "equal"))
            identifierScore = max(identifierScore, 0.97)
        }
        guard new.country == held.country else {
            return (identifierScore * 0.9, reasons)
        }
        var name = nameSimilarity(new, held)
        // "Hotel 12" and "Hotel 21" are two companies: different numbers outweigh similar letters.
        let newNumbers = Set(new.nameTokens.filter { $0.allSatisfy(\.isNumber) })
        let heldNumbers = Set(held.nameTokens.filter { $0.allSatisfy(\.isNumber) })
        if !newNumbers.isEmpty && !heldNumbers.isEmpty && newNumbers != heldNumbers { name *= 0.6 }
        reasons.insert(MatchReason(field: "name", similarity: name), at: 0)
        let samePostal = !new.postalCode.isEmpty && new.postalCode == held.postalCode
        let sameCity = !new.city.isEmpty && JaroWinkler.similarity(new.city, held.city) >= 0.93
        let addressKnown =
            (!new.postalCode.isEmpty && !held.postalCode.isEmpty) || (!new.city.isEmpty && !held.city.isEmpty)
        var nameScore: Double
        if samePostal {
            reasons.append(MatchReason(field: "postal_code", similarity: 1, detail: "equal"))
            nameScore = 0.85 * name + 0.15
        } else if sameCity {
            reasons.append(MatchReason(field: "city", similarity: 1, detail: "equal"))
            nameScore = 0.9 * name + 0.08
        } else if addressKnown {
            reasons.append(MatchReason(field: "address", similarity: 0, detail: "differs"))
            nameScore = 0.8 * name
        } else {
            nameScore = 0.92 * name
        }
        if name < 0.8 { nameScore = min(nameScore, name) }
        if identifierScore > 0 && name < 0.5 { identifierScore -= 0.1 }
        return (max(identifierScore, nameScore), reasons)
    }

    /// Token-aware similarity: each token's best Jaro-Winkler partner in the other name, weighted by length and
    /// averaged both ways; near-identical names written with other spacing ("Micro Soft") count as well.
    public func nameSimilarity(_ lhs: NormalizedCustomer, _ rhs: NormalizedCustomer) -> Double {
        guard !lhs.nameScalars.isEmpty, !rhs.nameScalars.isEmpty else { return 0 }
        func directed(_ from: [[Unicode.Scalar]], _ to: [[Unicode.Scalar]]) -> Double {
            var total = 0.0
            var weight = 0.0
            for token in from {
                var best = 0.0
                for other in to where best < 1 { best = max(best, JaroWinkler.similarity(token, other)) }
                total += best * Double(token.count)
                weight += Double(token.count)
            }
            return total / weight
        }
        let tokens = (directed(lhs.nameScalars, rhs.nameScalars) + directed(rhs.nameScalars, lhs.nameScalars)) / 2
        let joined = JaroWinkler.similarity(lhs.joinedNameScalars, rhs.joinedNameScalars)
        return max(tokens, joined >= 0.95 ? joined : 0)
    }
}
