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
        let name = nameSimilarity(new.nameTokens, held.nameTokens)
        reasons.insert(MatchReason(field: "name", similarity: name), at: 0)
        let samePostal = !new.postalCode.isEmpty && new.postalCode == held.postalCode
        let sameCity = !new.city.isEmpty && JaroWinkler.similarity(new.city, held.city) >= 0.93
        let addressKnown =
            (!new.postalCode.isEmpty && !held.postalCode.isEmpty) || (!new.city.isEmpty && !held.city.isEmpty)
        var nameScore: Double
        if samePostal {
            reasons.append(MatchReason(field: "postal_code", similarity: 1, detail: "equal"))
            nameScore = 0.6 * name + 0.4
        } else if sameCity {
            reasons.append(MatchReason(field: "city", similarity: 1, detail: "equal"))
            nameScore = 0.7 * name + 0.25
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

    /// The better of the whole-name and the sorted-token Jaro-Winkler similarities.
    public func nameSimilarity(_ lhs: [String], _ rhs: [String]) -> Double {
        let whole = JaroWinkler.similarity(lhs.joined(separator: " "), rhs.joined(separator: " "))
        let sorted = JaroWinkler.similarity(lhs.sorted().joined(separator: " "), rhs.sorted().joined(separator: " "))
        return max(whole, sorted)
    }
}
