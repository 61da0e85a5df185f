import Foundation

/// The name rules of issue 17: scripts, romanisations, acronyms and sister companies.
extension CustomerScorer {
    /// Whether the side's name was written in a script whose transliteration is a reading, not a name (CJK) or
    /// has no vowels (Arabic, Hebrew): compared with names of its script only.
    static func isComparedWithinScriptOnly(_ side: Side) -> Bool {
        !side.packed.isEmpty(.script) && NormalizedCustomer.comparedWithinScriptOnly(side.packed.text(.script))
    }

    /// The name similarity once both names are spelt by one romanisation: transliterations of one name by BGN,
    /// passport, German or French rules ("Shchukin", "Schukin", "Chtchoukine"; "Yandeks", "Jandeks") meet.
    static func romanisationInsensitiveSimilarity(_ lhs: Side, _ rhs: Side, _ field: PackedCustomer.Field = .name)
        -> Double
    {
        let left = lhs.packed.tokens(field).map(romanisationInsensitive)
        let right = rhs.packed.tokens(field).map(romanisationInsensitive)
        guard !left.isEmpty, !right.isEmpty else { return 0 }
        func directed(_ from: [String], _ to: [String]) -> Double {
            var total = 0.0
            var weight = 0.0
            for token in from {
                let best = to.map { JaroWinkler.similarity(token, $0) }.max() ?? 0
                total += best * Double(token.count)
                weight += Double(token.count)
            }
            return weight == 0 ? 0 : total / weight
        }
        let tokens = (directed(left, right) + directed(right, left)) / 2
        let joined = JaroWinkler.similarity(left.joined(), right.joined())
        return max(tokens, joined >= 0.93 ? joined : 0)
    }

    /// One spelling for the letters romanisations of Cyrillic and Greek disagree on, doubled letters made single.
    static func romanisationInsensitive(_ token: String) -> String {
        var text = token
        for (from, to) in romanisations { text = text.replacingOccurrences(of: from, with: to) }
        var result = ""
        for character in text where result.last != character { result.append(character) }
        return result
    }

    /// Longest first: "shch" before "sch", "sh" and "ch".
    private static let romanisations: [(String, String)] = [
        ("schtsch", "sh"), ("shtsh", "sh"), ("shch", "sh"), ("chtch", "sh"), ("sch", "sh"), ("tsch", "ch"),
        ("tch", "ch"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ks", "x"), ("ya", "ia"),
        ("ja", "ia"), ("yu", "iu"), ("ju", "iu"), ("yo", "io"), ("jo", "io"), ("ye", "ie"), ("je", "ie"), ("y", "i"),
        ("j", "i"), ("w", "v"), ("z", "s"), ("ou", "u"), ("ph", "f"),
        // Greek digraphs read as one vowel: αι, ει, οι ("Peiraios", "Pireos").
        ("ai", "e"), ("ei", "i"), ("oi", "i"),
    ]

    /// Whether an acronym of `short`'s name ("ibm", "pg", "att") is the initials of `long`'s.
    static func isAcronym(_ short: Side, of long: Side) -> Bool {
        guard !long.packed.isEmpty(.initials) else { return false }
        let initials = long.field(.initials)
        // The legal form's first letter may end the acronym ("HSBC" for … Banking Corporation).
        let formLetter = long.field(.legalForms).first
        let first = long.field(.name).first
        var found = false
        func check(_ acronym: UnsafeBufferPointer<UInt8>) {
            guard !found, (2...6).contains(acronym.count), acronym.allSatisfy(isASCIILetter) else { return }
            if equal(acronym, initials)
                || (acronym.count == initials.count + 1 && acronym.last == formLetter
                    && equal(UnsafeBufferPointer(rebasing: acronym.dropLast()), initials))
            {
                found = true
            } else if acronym.count >= 3, acronym.first == first {
                // Names that glue words ("Peters Projectmanagement" for PPM): letters may come from inside a word.
                found = Acronyms.abbreviates(Array(acronym), long.packed.tokens(.name).map { Array($0.utf8) })
            }
        }
        short.forEachToken(.acronyms, check)
        short.forEachToken(.name) { token in if token.count <= 5 { check(token) } }
        return found
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }

    /// Whether two names that share a word differ only in numbers (also Roman), regions or divisions ("Nordic Data
    /// 1" / "Nordic Data 2", "Acme Nordic" / "Acme Iberia", "Siemens Healthineers" / "Siemens Energy"): the
    /// words of each without a similar partner in the other are all such words, and there is at least one. A
    /// region or division word on one side only ("Acme" / "Acme Energy") is not enough: that is how a partner would
    /// relabel a competitor's customer, so it is scored as any other difference.
    static func areSiblings(_ lhs: Side, _ rhs: Side) -> Bool {
        var differing = (0, 0)
        var numbersOnly = true
        var allSiblingWords = true
        func check(_ from: Side, _ to: Side, _ count: inout Int) {
            from.forEachToken(.name) { token in
                guard allSiblingWords else { return }
                var partnered = false
                to.forEachToken(.name) { other in
                    if !partnered && JaroWinkler.similarity(token, other) >= 0.92 { partnered = true }
                }
                guard !partnered else { return }
                count += 1
                let word = String(decoding: token, as: UTF8.self)
                if !SiblingWords.isSiblingWord(word) { allSiblingWords = false }
                if !SiblingWords.isNumber(word) { numbersOnly = false }
            }
        }
        check(lhs, rhs, &differing.0)
        check(rhs, lhs, &differing.1)
        guard allSiblingWords, differing.0 + differing.1 > 0 else { return false }
        // A division on one side is a sister company when the legal forms say two entities ("Siemens AG",
        // "Siemens Mobility GmbH").
        let formsDiffer =
            !lhs.packed.isEmpty(.legalForms) && !rhs.packed.isEmpty(.legalForms)
            && !equal(lhs.field(.legalForms), rhs.field(.legalForms))
        return numbersOnly || (differing.0 > 0 && differing.1 > 0) || formsDiffer
    }

    /// Whether a distinctive name word of four letters or more of `side` appears in `domain`.
    static func spellsName(_ domain: UnsafeBufferPointer<UInt8>, _ side: Side) -> Bool {
        var found = false
        side.forEachToken(.name) { token in
            guard !found, token.count >= 4, token.count <= domain.count else { return }
            for start in 0...(domain.count - token.count) where domain[start] == token[0] {
                if equal(UnsafeBufferPointer(rebasing: domain[start..<(start + token.count)]), token) {
                    found = true
                    return
                }
            }
        }
        return found
    }

    /// Whether one side is written in an abjad (Arabic, Hebrew) and the other in Latin letters: their words can
    /// only meet on their consonants.
    static func isAbjadAgainstLatin(_ lhs: Side, _ rhs: Side) -> Bool {
        let (a, b) = (lhs.packed.text(.script), rhs.packed.text(.script))
        return (["Arabic", "Hebrew"].contains(a) && b.isEmpty) || (["Arabic", "Hebrew"].contains(b) && a.isEmpty)
    }

    /// Whether a word of `field` of one side has the consonants of a word of the other, at least `minimum` of them
    /// ("khaleej" and "الخليج", read "alkhlyj": both "hlj").
    static func sharesConsonants(_ lhs: Side, _ rhs: Side, _ field: PackedCustomer.Field, minimum: Int) -> Bool {
        let left = Set(lhs.packed.tokens(field).map(consonants).filter { $0.count >= minimum })
        return rhs.packed.tokens(field).contains { left.contains(consonants($0)) }
    }

    /// A word's consonant skeleton as an abjad writes it: the article, vowels, "w" and "y" (long vowels there),
    /// doubled letters and a final "h" or "t" (the feminine ending) dropped, Latin digraphs made one letter.
    static func consonants(_ word: String) -> String {
        var text = word
        if (text.hasPrefix("al") || text.hasPrefix("el")) && text.count > 4 { text.removeFirst(2) }
        for (from, to) in [("kh", "h"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ph", "f"), ("q", "k")] {
            text = text.replacingOccurrences(of: from, with: to)
        }
        var result = ""
        for character in text where !"aeiouyw".contains(character) && result.last != character {
            result.append(character)
        }
        if result.count > 2, result.last == "h" || result.last == "t" { result.removeLast() }
        return result
    }
}
