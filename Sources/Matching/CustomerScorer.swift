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
        let comparison = new.bytes.withUnsafeBufferPointer { a in
            held.bytes.withUnsafeBufferPointer { b in
                compare(Side(packed: new, buffer: a), Side(packed: held, buffer: b))
            }
        }
        var logit = weights.prior
        for item in comparison.evidence { logit += weights[item] }
        var reasons = comparison.reasons
        return (Self.bounded(1 / (1 + exp(-logit)), comparison, &reasons), reasons)
    }

    /// A score of 0.99 or more: a conflict at any sensible threshold.
    public static let settledFloor = 0.99
    /// The highest score of customers whose names share no word, or of sister companies, elsewhere than at one
    /// address or web domain: below any sensible review threshold.
    public static let unrelatedCeiling = 0.1

    /// The rules that outweigh the sum of the evidence, applied in this order:
    /// - an equal tax id valid by its check digit is one legal entity: a conflict, unless the names share
    ///   nothing and the countries differ;
    /// - names that share no distinctive word, and sister companies (names that differ only in a number, a region
    ///   or a division), are at most a review at one address or web domain, and free elsewhere: similar letters
    ///   are not a similar name, and a group's companies are different legal entities;
    /// - an equal registrable web domain (never a shared host's or a mail provider's: those are dropped when
    ///   normalising) is at least a review, and a conflict with any name support;
    /// - an address without a similar name or an equal identifier is at most a review (neighbours share streets).
    static func bounded(_ probability: Double, _ comparison: Comparison, _ reasons: inout [MatchReason]) -> Double {
        let evidence = comparison
        let facts = comparison.facts
        let taxSame = evidence.has(.taxSame)
        let domainSame = evidence.has(.domainSame)
        let countryDifferent = evidence.has(.countryDifferent)
        if taxSame && facts.contains(.taxValid) && !(facts.contains(.nameUnrelated) && countryDifferent) {
            return max(probability, settledFloor)
        }
        var score = probability
        let together = facts.contains(.sameStreet) || domainSame || taxSame
        if facts.contains(.nameUnrelated) {
            score = min(score, together ? addressOnlyCeiling : unrelatedCeiling)
            reasons.append(MatchReason(field: "name", similarity: 0, detail: "shares no word: at most a review"))
        } else if facts.contains(.siblings) {
            score = min(score, together ? addressOnlyCeiling : unrelatedCeiling)
            reasons.append(
                MatchReason(
                    field: "name", similarity: 0,
                    detail: "differs only in a number, region or division: sister companies, at most a review"))
        }
        if domainSame {
            score = max(score, facts.contains(.nameSupports) ? settledFloor : addressOnlyCeiling)
        }
        let nameAgrees =
            [.nameExact, .nameStrong, .nameGood, .nameFair, .acronym].contains(where: evidence.has)
            || (evidence.has(.nameShared) && evidence.has(.genericSame))
        if !(nameAgrees || domainSame || taxSame) { score = min(score, addressOnlyCeiling) }
        // A name only fairly similar ("Al Rashid" / "Al Rajhi") at another house number of the same street is a
        // neighbour as likely as a typo: at most a review.
        if evidence.has(.nameFair) && evidence.has(.streetNumberDifferent) && !(domainSame || taxSame) {
            score = min(score, addressOnlyCeiling)
        }
        // An acronym is a name only at the same street, or with an equal identifier.
        if evidence.has(.acronym) && !facts.contains(.sameStreet) && !(domainSame || taxSame) {
            score = min(score, addressOnlyCeiling)
        }
        return score
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
        let comparison = new.bytes.withUnsafeBufferPointer { a in
            held.bytes.withUnsafeBufferPointer { b in
                compare(Side(packed: new, buffer: a), Side(packed: held, buffer: b))
            }
        }
        return (comparison.evidence, comparison.reasons)
    }

    /// What comparing two customers found: the evidence that adds up, the reasons to show, and the facts the
    /// rules of `bounded` read. A value.
    struct Comparison {
        var evidence: [MatchEvidence] = []
        var reasons: [MatchReason] = []
        var facts: Facts = []
        /// The evidence as bits of its raw values, for the rules' lookups.
        var mask: UInt32 = 0

        mutating func add(_ item: MatchEvidence) {
            evidence.append(item)
            mask |= 1 << UInt32(item.rawValue)
        }

        func has(_ item: MatchEvidence) -> Bool { mask & (1 << UInt32(item.rawValue)) != 0 }
    }

    /// Facts about a pair that are not evidence with a weight. A set of flags.
    struct Facts: OptionSet {
        let rawValue: UInt8
        /// Both tax ids are equal and pass their country's check digit.
        static let taxValid = Facts(rawValue: 1 << 0)
        /// The names are comparable and share no distinctive word, nor is one the other's acronym.
        static let nameUnrelated = Facts(rawValue: 1 << 1)
        /// The names share a word and differ only in numbers, regions or divisions.
        static let siblings = Facts(rawValue: 1 << 2)
        /// The same street (or nearly: one typed with typos), in the same postal code or city (or one a typo
        /// of the other), whatever the house numbers say: neighbours, or one customer whose address was mistyped.
        static let sameStreet = Facts(rawValue: 1 << 3)
        /// The names agree enough to support an equal domain: similar, sharing a word, or an acronym.
        static let nameSupports = Facts(rawValue: 1 << 4)
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

    private func compare(_ new: Side, _ held: Side) -> Comparison {
        var result = Comparison()
        result.evidence.reserveCapacity(14)
        // A name in Chinese characters, kana, hangul, Arabic or Hebrew and one in Latin letters are not compared:
        // the reading of one is not the other's name. Identifiers, the address and the postal code decide.
        let newWithinScript = Self.isComparedWithinScriptOnly(new)
        let comparable = newWithinScript == Self.isComparedWithinScriptOnly(held)
        if comparable {
            compareNames(new, held, into: &result)
        } else if Self.isAbjadAgainstLatin(new, held), Self.sharesConsonants(new, held, .name, minimum: 3) {
            result.add(.nameShared)
            result.reasons.append(
                MatchReason(field: "name", similarity: 0.5, detail: "a word's consonants agree across scripts"))
        } else {
            result.add(.nameOtherScript)
            let script = (newWithinScript ? new : held).packed.text(.script)
            let other = (newWithinScript ? held : new).packed.text(.script)
            result.reasons.append(
                MatchReason(
                    field: "name", similarity: 0,
                    detail: "written in \(script) and in \(other.isEmpty ? "Latin letters" : other), not compared: "
                        + "decided on identifiers, address and postal code"))
        }
        if !new.packed.isEmpty(.tax) && !held.packed.isEmpty(.tax) {
            let same = Self.equal(new.field(.tax), held.field(.tax))
            result.add(same ? .taxSame : .taxDifferent)
            let valid = same && TaxIdentifier.check(new.packed.text(.tax)) == .valid
            if valid { result.facts.insert(.taxValid) }
            result.reasons.append(
                MatchReason(
                    field: "tax_id", similarity: same ? 1 : 0,
                    detail: valid ? "equal, valid check digit" : same ? "equal" : "differs"))
        }
        if !new.packed.isEmpty(.domain) && !held.packed.isEmpty(.domain) {
            let same = Self.equal(new.field(.domain), held.field(.domain))
            result.add(same ? .domainSame : .domainDifferent)
            result.reasons.append(
                MatchReason(field: "web_domain", similarity: same ? 1 : 0, detail: same ? "equal" : "differs"))
            // A domain that spells a word of either name ties the other name to it ("Associates" and
            // "Flockhart & Associates", both on flockhart-d.com.au): the names support each other through it.
            if same, result.facts.contains(.nameUnrelated),
                Self.spellsName(new.field(.domain), new) || Self.spellsName(new.field(.domain), held)
            {
                result.facts.remove(.nameUnrelated)
                result.facts.insert(.nameSupports)
                result.reasons.append(MatchReason(field: "web_domain", similarity: 1, detail: "spells the name"))
            }
        }
        if !Self.equal(new.field(.country), held.field(.country)) { result.add(.countryDifferent) }
        compareAddresses(new, held, streetWords: comparable, into: &result)
        return result
    }

    /// The names' evidence: their similarity, numbers, generic words and acronyms, and the facts of `Facts` about
    /// them.
    private func compareNames(_ new: Side, _ held: Side, into result: inout Comparison) {
        var (name, bestPair) = Self.nameSimilarityAndBestPair(new, held)
        // Names transliterated from another alphabet meet names romanised by other rules ("Shchukin", "Schukin").
        if !new.packed.isEmpty(.script) || !held.packed.isEmpty(.script) {
            name = max(name, Self.romanisationInsensitiveSimilarity(new, held))
        }
        result.reasons.append(MatchReason(field: "name", similarity: name))
        let shares = name >= 0.85 || bestPair >= 0.88
        let acronym = !shares && (Self.isAcronym(new, of: held) || Self.isAcronym(held, of: new))
        if name >= 0.985 {
            result.add(.nameExact)
        } else if name >= 0.94 {
            result.add(.nameStrong)
        } else if name >= 0.90 {
            result.add(.nameGood)
        } else if acronym {
            result.add(.acronym)
            result.reasons.append(MatchReason(field: "name", similarity: 1, detail: "acronym of the other"))
        } else if name >= 0.85 {
            result.add(.nameFair)
        } else if bestPair >= 0.95 {
            // One name replaced, the other kept ("Kate Rawlings" / "Connor Rawlings").
            result.add(.nameShared)
        } else {
            result.add(name >= 0.78 ? .nameWeak : .nameDifferent)
        }
        if shares || acronym { result.facts.insert(.nameSupports) } else { result.facts.insert(.nameUnrelated) }
        // "Hotel 12" and "Hotel 21" are two companies: different numbers outweigh similar letters.
        let numbersDiffer =
            !new.packed.isEmpty(.nameNumbers) && !held.packed.isEmpty(.nameNumbers)
            && !Self.equal(new.field(.nameNumbers), held.field(.nameNumbers))
        if numbersDiffer { result.add(.numbersDifferent) }
        // A number on one side only ("Müller Maschinenbau 2") is a sister company's at any name similarity; names
        // equal with equal numbers have no other word to tell them apart.
        let numbersEqual = Self.equal(new.field(.nameNumbers), held.field(.nameNumbers))
        if shares && (numbersDiffer || ((name < 0.985 || !numbersEqual) && Self.areSiblings(new, held))) {
            result.facts.insert(.siblings)
            result.facts.remove(.nameSupports)
        }
        if !new.packed.isEmpty(.generic) && !held.packed.isEmpty(.generic) {
            result.add(Self.sharesToken(new, held, .generic) ? .genericSame : .genericDifferent)
        }
    }

    /// The addresses' evidence: house number, street words (unless the names were in different scripts, whose
    /// streets are too), postal code, city and region.
    private func compareAddresses(_ new: Side, _ held: Side, streetWords: Bool, into result: inout Comparison) {
        if !new.packed.isEmpty(.streetNumbers) && !held.packed.isEmpty(.streetNumbers) {
            let same = Self.sharesToken(new, held, .streetNumbers)
            result.add(same ? .streetNumberSame : .streetNumberDifferent)
            if same { result.reasons.append(MatchReason(field: "street_number", similarity: 1, detail: "equal")) }
        }
        var streetAgrees = false
        if streetWords && !new.packed.isEmpty(.street) && !held.packed.isEmpty(.street) {
            var street =
                new.tokenCount(.street) <= held.tokenCount(.street)
                ? Self.directed(new, held, .street) : Self.directed(held, new, .street)
            if street < 0.93 && (!new.packed.isEmpty(.script) || !held.packed.isEmpty(.script)) {
                street = max(street, Self.romanisationInsensitiveSimilarity(new, held, .street))
            }
            streetAgrees = street >= 0.85
            result.add(street >= 0.93 ? .streetSame : street >= 0.85 ? .streetClose : .streetDifferent)
            result.reasons.append(MatchReason(field: "street", similarity: street))
        }
        var placeAgrees = false
        if !new.packed.isEmpty(.postal) && !held.packed.isEmpty(.postal) {
            if Self.equal(new.field(.postal), held.field(.postal)) {
                result.add(.postalSame)
                result.reasons.append(MatchReason(field: "postal_code", similarity: 1, detail: "equal"))
                placeAgrees = true
            } else if Self.oneEditApart(new.field(.postal), held.field(.postal)) {
                result.add(.postalNear)
                result.reasons.append(MatchReason(field: "postal_code", similarity: 0.8, detail: "one character apart"))
                placeAgrees = true
            } else {
                result.add(.postalDifferent)
            }
        }
        if !new.packed.isEmpty(.city) && !held.packed.isEmpty(.city) {
            let same =
                JaroWinkler.similarity(new.field(.city), held.field(.city)) >= 0.92
                || (!streetWords && Self.isAbjadAgainstLatin(new, held)
                    && Self.sharesConsonants(new, held, .city, minimum: 2))
            if same || streetWords { result.add(same ? .citySame : .cityDifferent) }
            if same {
                result.reasons.append(MatchReason(field: "city", similarity: 1, detail: "equal"))
                placeAgrees = true
            }
        }
        if !new.packed.isEmpty(.region) && !held.packed.isEmpty(.region) {
            result.add(
                Self.equal(new.field(.region), held.field(.region)) ? .regionSame : .regionDifferent)
        }
        if streetAgrees && placeAgrees { result.facts.insert(.sameStreet) }
    }

    /// Token-aware similarity of the distinctive name tokens: each token's best Jaro-Winkler partner in the other
    /// name, weighted by length and averaged both ways; names written with other spacing ("Micro Soft",
    /// "Braithw Aite") meet on their joined form.
    static func nameSimilarity(_ lhs: Side, _ rhs: Side) -> Double {
        nameSimilarityAndBestPair(lhs, rhs).similarity
    }

    /// `nameSimilarity`, and the best Jaro-Winkler similarity of two distinctive name tokens of four letters or
    /// more (one of each side): whether the names share a word, found in the same pass.
    static func nameSimilarityAndBestPair(_ lhs: Side, _ rhs: Side) -> (similarity: Double, bestPair: Double) {
        guard !lhs.packed.isEmpty(.name), !rhs.packed.isEmpty(.name) else { return (0, 0) }
        var bestPair = 0.0
        let forward = directed(lhs, rhs, .name, bestPair: &bestPair)
        var unused = 0.0
        let tokens = (forward + directed(rhs, lhs, .name, bestPair: &unused)) / 2
        let joined = JaroWinkler.similarity(lhs.field(.joinedName), rhs.field(.joinedName))
        return (max(tokens, joined >= 0.93 ? joined : 0), bestPair)
    }

    /// Each token of `from`'s field with its best partner in `to`'s, weighted by length.
    static func directed(_ from: Side, _ to: Side, _ field: PackedCustomer.Field) -> Double {
        var unused = 0.0
        return directed(from, to, field, bestPair: &unused)
    }

    /// `directed`, raising `bestPair` to the best similarity of two tokens of four letters or more.
    static func directed(_ from: Side, _ to: Side, _ field: PackedCustomer.Field, bestPair: inout Double) -> Double {
        var total = 0.0
        var weight = 0.0
        from.forEachToken(field) { token in
            var best = 0.0
            to.forEachToken(field) { other in
                guard best < 1 else { return }
                let similarity = JaroWinkler.similarity(token, other)
                best = max(best, similarity)
                if token.count >= 4 && other.count >= 4 { bestPair = max(bestPair, similarity) }
            }
            total += best * Double(token.count)
            weight += Double(token.count)
        }
        return weight == 0 ? 0 : total / weight
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
