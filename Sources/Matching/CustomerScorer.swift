import DealModel
import Foundation

/// Scores how likely two customers are the same: each field's agreement adds its log-odds weight, and the sum
/// becomes a probability (the calibrated score), with one reason per field that spoke. A value; `Sendable`.
public struct CustomerScorer: Sendable {
    public var weights: MatchWeights
    /// The highest score a match may reach on its address alone: below any sensible conflict threshold.
    public static let addressOnlyCeiling = 0.9

    public init(weights: MatchWeights = .standard) {
        self.weights = weights
    }

    public func score(_ new: NormalizedCustomer, against held: NormalizedCustomer) -> (
        score: Double, reasons: [MatchReason]
    ) {
        let (evidence, reasons) = compare(new, held)
        var logit = weights.prior
        for item in evidence { logit += weights[item] }
        let probability = 1 / (1 + exp(-logit))
        // Neighbours share addresses: without a similar name (or a shared distinctive word and no clashing line of
        // business) or an equal identifier, an address alone may send a registration to review, never turn it away.
        let nameAgrees =
            evidence.contains { [.nameExact, .nameStrong, .nameGood, .nameFair].contains($0) }
            || (evidence.contains(.nameShared) && !evidence.contains(.genericDifferent))
        let identifierAgrees = evidence.contains(.domainSame) || evidence.contains(.taxSame)
        return (nameAgrees || identifierAgrees ? probability : min(probability, Self.addressOnlyCeiling), reasons)
    }

    /// What the fields say, one piece of evidence per field present on both sides, with the reasons to show.
    public func compare(_ new: NormalizedCustomer, _ held: NormalizedCustomer) -> (
        evidence: [MatchEvidence], reasons: [MatchReason]
    ) {
        var evidence: [MatchEvidence] = []
        var reasons: [MatchReason] = []
        let name = nameSimilarity(new, held)
        reasons.append(MatchReason(field: "name", similarity: name))
        evidence.append(
            name >= 0.985
                ? .nameExact
                : name >= 0.94
                    ? .nameStrong
                    : name >= 0.90
                        ? .nameGood
                        : name >= 0.85
                            ? .nameFair
                            // One name replaced, the other kept ("Kate Rawlings" / "Connor Rawlings").
                            : Self.sharesDistinctiveToken(new, held)
                                ? .nameShared : name >= 0.78 ? .nameWeak : .nameDifferent)
        // "Hotel 12" and "Hotel 21" are two companies: different numbers outweigh similar letters.
        if !new.nameNumbers.isEmpty && !held.nameNumbers.isEmpty && new.nameNumbers != held.nameNumbers {
            evidence.append(.numbersDifferent)
        }
        if !new.genericTokens.isEmpty && !held.genericTokens.isEmpty {
            evidence.append(
                Set(new.genericTokens).isDisjoint(with: held.genericTokens) ? .genericDifferent : .genericSame)
        }
        if !new.taxID.isEmpty && !held.taxID.isEmpty {
            let same = new.taxID == held.taxID
            evidence.append(same ? .taxSame : .taxDifferent)
            reasons.append(MatchReason(field: "tax_id", similarity: same ? 1 : 0, detail: same ? "equal" : "differs"))
        }
        if !new.registrableDomain.isEmpty && !held.registrableDomain.isEmpty {
            let same = new.registrableDomain == held.registrableDomain
            evidence.append(same ? .domainSame : .domainDifferent)
            reasons.append(
                MatchReason(field: "web_domain", similarity: same ? 1 : 0, detail: same ? "equal" : "differs"))
        }
        if new.country != held.country { evidence.append(.countryDifferent) }
        if !new.streetNumbers.isEmpty && !held.streetNumbers.isEmpty {
            let same = !Set(new.streetNumbers).isDisjoint(with: held.streetNumbers)
            evidence.append(same ? .streetNumberSame : .streetNumberDifferent)
            if same { reasons.append(MatchReason(field: "street_number", similarity: 1, detail: "equal")) }
        }
        if !new.streetScalars.isEmpty && !held.streetScalars.isEmpty {
            let street = Self.coverage(new.streetScalars, held.streetScalars)
            evidence.append(street >= 0.93 ? .streetSame : street >= 0.85 ? .streetClose : .streetDifferent)
            reasons.append(MatchReason(field: "street", similarity: street))
        }
        if !new.postalCode.isEmpty && !held.postalCode.isEmpty {
            if new.postalCode == held.postalCode {
                evidence.append(.postalSame)
                reasons.append(MatchReason(field: "postal_code", similarity: 1, detail: "equal"))
            } else if Self.oneEditApart(new.postalCode, held.postalCode) {
                evidence.append(.postalNear)
                reasons.append(MatchReason(field: "postal_code", similarity: 0.8, detail: "one character apart"))
            } else {
                evidence.append(.postalDifferent)
            }
        }
        if !new.city.isEmpty && !held.city.isEmpty {
            let same = JaroWinkler.similarity(new.cityScalars, held.cityScalars) >= 0.92
            evidence.append(same ? .citySame : .cityDifferent)
            if same { reasons.append(MatchReason(field: "city", similarity: 1, detail: "equal")) }
        }
        if !new.region.isEmpty && !held.region.isEmpty {
            evidence.append(new.region == held.region ? .regionSame : .regionDifferent)
        }
        return (evidence, reasons)
    }

    /// Token-aware similarity of the distinctive name tokens: each token's best Jaro-Winkler partner in the other
    /// name, weighted by length and averaged both ways; names written with other spacing ("Micro Soft",
    /// "Braithw Aite") meet on their joined form.
    public func nameSimilarity(_ lhs: NormalizedCustomer, _ rhs: NormalizedCustomer) -> Double {
        guard !lhs.nameScalars.isEmpty, !rhs.nameScalars.isEmpty else { return 0 }
        let tokens =
            (Self.directed(lhs.nameScalars, rhs.nameScalars) + Self.directed(rhs.nameScalars, lhs.nameScalars)) / 2
        let joined = JaroWinkler.similarity(lhs.joinedNameScalars, rhs.joinedNameScalars)
        return max(tokens, joined >= 0.93 ? joined : 0)
    }

    /// Whether a distinctive name token of four letters or more appears, nearly equal, on both sides.
    static func sharesDistinctiveToken(_ lhs: NormalizedCustomer, _ rhs: NormalizedCustomer) -> Bool {
        lhs.nameScalars.contains { token in
            token.count >= 4 && rhs.nameScalars.contains { $0.count >= 4 && JaroWinkler.similarity(token, $0) >= 0.95 }
        }
    }

    /// How well the shorter token list is covered by the longer: robust to a missing second address line.
    static func coverage(_ lhs: [[Unicode.Scalar]], _ rhs: [[Unicode.Scalar]]) -> Double {
        lhs.count <= rhs.count ? directed(lhs, rhs) : directed(rhs, lhs)
    }

    static func directed(_ from: [[Unicode.Scalar]], _ to: [[Unicode.Scalar]]) -> Double {
        var total = 0.0
        var weight = 0.0
        for token in from {
            var best = 0.0
            for other in to where best < 1 { best = max(best, JaroWinkler.similarity(token, other)) }
            total += best * Double(token.count)
            weight += Double(token.count)
        }
        return weight == 0 ? 0 : total / weight
    }

    /// Same length with one substitution or one adjacent swap, or one character more or less.
    static func oneEditApart(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        if a.count == b.count {
            let differing = a.indices.filter { a[$0] != b[$0] }
            if differing.count == 1 { return true }
            return differing.count == 2 && differing[1] == differing[0] + 1 && a[differing[0]] == b[differing[1]]
                && a[differing[1]] == b[differing[0]]
        }
        guard abs(a.count - b.count) == 1 else { return false }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        return short[i...] == long[(i + 1)...]
    }
}
