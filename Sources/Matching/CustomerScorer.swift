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
        score(PackedCustomer(new), against: PackedCustomer(held))
    }

    public func score(_ new: PackedCustomer, against held: PackedCustomer) -> (score: Double, reasons: [MatchReason]) {
        let (evidence, reasons) = compare(new, held)
        var logit = weights.prior
        for item in evidence { logit += weights[item] }
        let probability = 1 / (1 + exp(-logit))
        // Neighbours share addresses: without a similar name (or a shared distinctive word in the same line of
        // business) or an equal identifier, an address alone may send a registration to review, never turn it away.
        let nameAgrees =
            evidence.contains { [.nameExact, .nameStrong, .nameGood, .nameFair].contains($0) }
            || (evidence.contains(.nameShared) && evidence.contains(.genericSame))
        let identifierAgrees = evidence.contains(.domainSame) || evidence.contains(.taxSame)
        return (nameAgrees || identifierAgrees ? probability : min(probability, Self.addressOnlyCeiling), reasons)
    }

    public func compare(_ new: NormalizedCustomer, _ held: NormalizedCustomer) -> (
        evidence: [MatchEvidence], reasons: [MatchReason]
    ) {
        compare(PackedCustomer(new), PackedCustomer(held))
    }

    /// What the fields say, one piece of evidence per field present on both sides, with the reasons to show.
    public func compare(_ new: PackedCustomer, _ held: PackedCustomer) -> (
        evidence: [MatchEvidence], reasons: [MatchReason]
    ) {
        new.bytes.withUnsafeBufferPointer { a in
            held.bytes.withUnsafeBufferPointer { b in
                compare(Side(packed: new, buffer: a), Side(packed: held, buffer: b))
            }
        }
    }

    /// The distinctive-name similarity of two customers (see `compare`).
    public func nameSimilarity(_ lhs: NormalizedCustomer, _ rhs: NormalizedCustomer) -> Double {
        let (a, b) = (PackedCustomer(lhs), PackedCustomer(rhs))
        return a.bytes.withUnsafeBufferPointer { x in
            b.bytes.withUnsafeBufferPointer { y in
                Self.nameSimilarity(Side(packed: a, buffer: x), Side(packed: b, buffer: y))
            }
        }
    }

    /// One customer's packed bytes, borrowed for a comparison.
    struct Side {
        let packed: PackedCustomer
        let buffer: UnsafeBufferPointer<UInt8>

        @inline(__always)
        func field(_ field: PackedCustomer.Field) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: buffer[packed.range(field)])
        }

        /// Calls `body` with each space-separated token of `field`.
        @inline(__always)
        func forEachToken(_ field: PackedCustomer.Field, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
            let range = packed.range(field)
            var start = range.lowerBound
            for index in range where buffer[index] == 0x20 {
                if index > start { body(UnsafeBufferPointer(rebasing: buffer[start..<index])) }
                start = index + 1
            }
            if range.upperBound > start { body(UnsafeBufferPointer(rebasing: buffer[start..<range.upperBound])) }
        }

        func tokenCount(_ field: PackedCustomer.Field) -> Int {
            var count = 0
            forEachToken(field) { _ in count += 1 }
            return count
        }
    }

    private func compare(_ new: Side, _ held: Side) -> (evidence: [MatchEvidence], reasons: [MatchReason]) {
        var evidence: [MatchEvidence] = []
        var reasons: [MatchReason] = []
        evidence.reserveCapacity(12)
        let name = Self.nameSimilarity(new, held)
        reasons.append(MatchReason(field: "name", similarity: name))
        if name >= 0.985 {
            evidence.append(.nameExact)
        } else if name >= 0.94 {
            evidence.append(.nameStrong)
        } else if name >= 0.90 {
            evidence.append(.nameGood)
        } else if name >= 0.85 {
            evidence.append(.nameFair)
        } else if Self.sharesDistinctiveToken(new, held) {
            // One name replaced, the other kept ("Kate Rawlings" / "Connor Rawlings").
            evidence.append(.nameShared)
        } else {
            evidence.append(name >= 0.78 ? .nameWeak : .nameDifferent)
        }
        // "Hotel 12" and "Hotel 21" are two companies: different numbers outweigh similar letters.
        if !new.packed.isEmpty(.nameNumbers) && !held.packed.isEmpty(.nameNumbers)
            && !Self.equal(new.field(.nameNumbers), held.field(.nameNumbers))
        {
            evidence.append(.numbersDifferent)
        }
        if !new.packed.isEmpty(.generic) && !held.packed.isEmpty(.generic) {
            evidence.append(Self.sharesToken(new, held, .generic) ? .genericSame : .genericDifferent)
        }
        if !new.packed.isEmpty(.tax) && !held.packed.isEmpty(.tax) {
            let same = Self.equal(new.field(.tax), held.field(.tax))
            evidence.append(same ? .taxSame : .taxDifferent)
            reasons.append(MatchReason(field: "tax_id", similarity: same ? 1 : 0, detail: same ? "equal" : "differs"))
        }
        if !new.packed.isEmpty(.domain) && !held.packed.isEmpty(.domain) {
            let same = Self.equal(new.field(.domain), held.field(.domain))
            evidence.append(same ? .domainSame : .domainDifferent)
            reasons.append(
                MatchReason(field: "web_domain", similarity: same ? 1 : 0, detail: same ? "equal" : "differs"))
        }
        if !Self.equal(new.field(.country), held.field(.country)) { evidence.append(.countryDifferent) }
        if !new.packed.isEmpty(.streetNumbers) && !held.packed.isEmpty(.streetNumbers) {
            let same = Self.sharesToken(new, held, .streetNumbers)
            evidence.append(same ? .streetNumberSame : .streetNumberDifferent)
            if same { reasons.append(MatchReason(field: "street_number", similarity: 1, detail: "equal")) }
        }
        if !new.packed.isEmpty(.street) && !held.packed.isEmpty(.street) {
            let street =
                new.tokenCount(.street) <= held.tokenCount(.street)
                ? Self.directed(new, held, .street) : Self.directed(held, new, .street)
            evidence.append(street >= 0.93 ? .streetSame : street >= 0.85 ? .streetClose : .streetDifferent)
            reasons.append(MatchReason(field: "street", similarity: street))
        }
        if !new.packed.isEmpty(.postal) && !held.packed.isEmpty(.postal) {
            if Self.equal(new.field(.postal), held.field(.postal)) {
                evidence.append(.postalSame)
                reasons.append(MatchReason(field: "postal_code", similarity: 1, detail: "equal"))
            } else if Self.oneEditApart(new.field(.postal), held.field(.postal)) {
                evidence.append(.postalNear)
                reasons.append(MatchReason(field: "postal_code", similarity: 0.8, detail: "one character apart"))
            } else {
                evidence.append(.postalDifferent)
            }
        }
        if !new.packed.isEmpty(.city) && !held.packed.isEmpty(.city) {
            let same = JaroWinkler.similarity(new.field(.city), held.field(.city)) >= 0.92
            evidence.append(same ? .citySame : .cityDifferent)
            if same { reasons.append(MatchReason(field: "city", similarity: 1, detail: "equal")) }
        }
        if !new.packed.isEmpty(.region) && !held.packed.isEmpty(.region) {
            evidence.append(Self.equal(new.field(.region), held.field(.region)) ? .regionSame : .regionDifferent)
        }
        return (evidence, reasons)
    }

    /// Token-aware similarity of the distinctive name tokens: each token's best Jaro-Winkler partner in the other
    /// name, weighted by length and averaged both ways; names written with other spacing ("Micro Soft",
    /// "Braithw Aite") meet on their joined form.
    static func nameSimilarity(_ lhs: Side, _ rhs: Side) -> Double {
        guard !lhs.packed.isEmpty(.name), !rhs.packed.isEmpty(.name) else { return 0 }
        let tokens = (directed(lhs, rhs, .name) + directed(rhs, lhs, .name)) / 2
        let joined = JaroWinkler.similarity(lhs.field(.joinedName), rhs.field(.joinedName))
        return max(tokens, joined >= 0.93 ? joined : 0)
    }

    /// Each token of `from`'s field with its best partner in `to`'s, weighted by length.
    static func directed(_ from: Side, _ to: Side, _ field: PackedCustomer.Field) -> Double {
        var total = 0.0
        var weight = 0.0
        from.forEachToken(field) { token in
            var best = 0.0
            to.forEachToken(field) { other in
                if best < 1 { best = max(best, JaroWinkler.similarity(token, other)) }
            }
            total += best * Double(token.count)
            weight += Double(token.count)
        }
        return weight == 0 ? 0 : total / weight
    }

    /// Whether a distinctive name token of four letters or more appears, nearly equal, on both sides.
    static func sharesDistinctiveToken(_ lhs: Side, _ rhs: Side) -> Bool {
        var shared = false
        lhs.forEachToken(.name) { token in
            guard !shared, token.count >= 4 else { return }
            rhs.forEachToken(.name) { other in
                if !shared && other.count >= 4 && JaroWinkler.similarity(token, other) >= 0.95 { shared = true }
            }
        }
        return shared
    }

    static func sharesToken(_ lhs: Side, _ rhs: Side, _ field: PackedCustomer.Field) -> Bool {
        var shared = false
        lhs.forEachToken(field) { token in
            guard !shared else { return }
            rhs.forEachToken(field) { other in if !shared && equal(token, other) { shared = true } }
        }
        return shared
    }

    @inline(__always)
    static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        lhs.count == rhs.count && (lhs.isEmpty || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0)
    }

    /// Same length with one substitution or one adjacent swap, or one character more or less.
    static func oneEditApart(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.count == b.count {
            var first = -1
            var second = -1
            for index in 0..<a.count where a[index] != b[index] {
                if first < 0 { first = index } else if second < 0 { second = index } else { return false }
            }
            if second < 0 { return first >= 0 }
            return second == first + 1 && a[first] == b[second] && a[second] == b[first]
        }
        guard abs(a.count - b.count) == 1 else { return false }
        let (short, long) = a.count < b.count ? (a, b) : (b, a)
        var i = 0
        while i < short.count && short[i] == long[i] { i += 1 }
        while i < short.count && short[i] == long[i + 1] { i += 1 }
        return i == short.count
    }
}
