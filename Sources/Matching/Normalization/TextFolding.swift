import Foundation

/// Folds free text into comparable lower-case tokens; pure functions on values, safe from any thread.
public enum TextFolding {
    /// Folds case, diacritics and width (é → e, ø → o, æ → ae, ß → ss, ＡＣＭＥ → acme), joins dotted abbreviations
    /// (S.A. → sa, G.m.b.H. → gmbh; Co.KG stays co, kg), drops elided French and Italian articles (l'Union →
    /// union), joins other apostrophes (O'Brien → obrien), makes `&` and `+` a token `&`, and splits on everything
    /// else that is not a letter or digit.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        // Letters since the token began or since the last joining dot: "S.A." joins, "Co.KG" does not.
        var segmentLength = 0
        var lastWasDigit = false

        func flush() {
            if !current.isEmpty { tokens.append(String(current)) }
            current = String.UnicodeScalarView()
            segmentLength = 0
            lastWasDigit = false
        }

        // Latin text folds through a table; other scripts are written in Latin letters first (ICU's
        // transliteration), then folded by Foundation, which is much slower.
        let tableFolds = text.unicodeScalars.allSatisfy { $0.isASCII || foldings[$0.value] != nil }
        let folded = tableFolds ? text : latin(text).folding(options: foldingOptions, locale: nil)
        var scalars = FoldedScalars(base: folded.unicodeScalars.makeIterator())
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch kind(of: scalar) {
            case .letter:
                current.append(scalar)
                segmentLength += 1
                lastWasDigit = false
            case .digit:
                current.append(scalar)
                segmentLength += 1
                lastWasDigit = true
            case .mark:
                if !current.isEmpty { current.append(scalar) }
            case .dot:
                let next = pending.map(kind(of:))
                if segmentLength == 1 && !lastWasDigit && next == .letter {
                    segmentLength = 0
                } else if lastWasDigit && next == .digit {
                    segmentLength = 0
                } else {
                    flush()
                }
            case .apostrophe:
                if pending.map(kind(of:)) == .letter && elidedArticles.contains(String(current)) {
                    current = String.UnicodeScalarView()
                    segmentLength = 0
                }
            case .ampersand:
                flush()
                tokens.append("&")
            case .separator:
                flush()
            }
        }
        flush()
        return tokens
    }

    /// The writing system a text's letters belong to, as far as comparison cares.
    public enum Script: Sendable, Hashable {
        /// Latin letters (with any diacritics), or no letters at all.
        case latin
        /// Chinese characters, Japanese kana or Korean hangul: their Latin transliteration is a reading, not the
        /// name a company gives itself in Latin letters ("トヨタ自動車" reads "toyota zi dong che", not "Toyota
        /// Motor").
        case cjk
        /// Another alphabet (Cyrillic, Greek, Arabic, Hebrew, Thai…), whose transliteration is close to how its
        /// speakers write the name in Latin letters; `name` says which, for reasons.
        case other(name: String)
    }

    /// The script of the first letter of `text` that is not Latin, CJK winning over others.
    public static func script(of text: String) -> Script {
        var other: String?
        for scalar in text.unicodeScalars where !scalar.isASCII && foldings[scalar.value] == nil {
            if isCJK(scalar) { return .cjk }
            if other == nil, scalar.properties.isAlphabetic { other = scriptName(scalar) }
        }
        return other.map { .other(name: $0) } ?? .latin
    }

    /// Chinese characters, kana and hangul, in their common blocks (full-width Latin is not CJK).
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x2FFFF:
            return true
        default: return false
        }
    }

    private static func scriptName(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x0370...0x03FF, 0x1F00...0x1FFF: "Greek"
        case 0x0400...0x052F: "Cyrillic"
        case 0x0530...0x058F: "Armenian"
        case 0x0590...0x05FF: "Hebrew"
        case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: "Arabic"
        case 0x0900...0x0DFF: "Indic"
        case 0x0E00...0x0E7F: "Thai"
        case 0x10A0...0x10FF: "Georgian"
        default: "a non-Latin script"
        }
    }

    /// `text` in Latin letters: Cyrillic by the BGN/PCGN romanisation (how Russian names are written in Latin
    /// letters: "Щукин" → "Shchukin", "Яндекс" → "Yandeks"), Greek by UNGEGN's ("Θεσσαλονίκη" → "Thessaloniki"),
    /// and every other script by ICU's `Any-Latin`. Latin letters pass unchanged; so does the text if ICU cannot
    /// transliterate it. The soft and hard signs' primes are dropped ("нефть" → "neft"), as people write them.
    public static func latin(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII && foldings[$0.value] == nil }) else { return text }
        // CJK is written without spaces: "軽井沢1323" is a street and a house number, "中馬込1-3-6" too.
        var spaced = String.UnicodeScalarView()
        var previousCJK: Bool?
        for scalar in text.unicodeScalars {
            let cjk = isCJK(scalar)
            if let previousCJK, previousCJK != cjk, !scalar.properties.isWhitespace { spaced.append(" ") }
            previousCJK = scalar.properties.isWhitespace ? nil : cjk
            spaced.append(scalar)
        }
        guard let latin = String(spaced).applyingTransform(romanisation, reverse: false) else { return text }
        // The soft and hard signs' primes ("neftʹ") are not written in names.
        var result = String.UnicodeScalarView()
        result.append(contentsOf: latin.unicodeScalars.lazy.filter { $0 != "\u{2B9}" && $0 != "\u{2BA}" })
        return String(result)
    }

    private static let romanisation = StringTransform("Russian-Latin/BGN; Greek-Latin/UNGEGN; Any-Latin")

    /// Spells umlauts' German transcriptions as the bare vowel ("mueller" → "muller", "boerse" → "borse"); apply
    /// it to both sides of a comparison, since it also shortens words that never had an umlaut ("michael" →
    /// "michal").
    public static func umlautInsensitive(_ token: String) -> String {
        guard token.utf8.contains(UInt8(ascii: "e")) else { return token }
        var result = String.UnicodeScalarView()
        var previous: Unicode.Scalar = " "
        for scalar in token.unicodeScalars {
            if scalar == "e" && (previous == "a" || previous == "o" || previous == "u") {
                previous = " "
                continue
            }
            result.append(scalar)
            previous = scalar
        }
        return String(result)
    }

    private static let foldingOptions: String.CompareOptions = [
        .caseInsensitive, .diacriticInsensitive, .widthInsensitive,
    ]

    /// The scalars of a text with ASCII lower-cased and every scalar of `foldings` replaced by its folding.
    private struct FoldedScalars: IteratorProtocol {
        var base: String.UnicodeScalarView.Iterator
        var expansion: [Unicode.Scalar] = []
        var position = 0

        mutating func next() -> Unicode.Scalar? {
            while true {
                if position < expansion.count {
                    position += 1
                    return expansion[position - 1]
                }
                guard let scalar = base.next() else { return nil }
                if scalar.isASCII { return lowercased(scalar) }
                guard let folded = foldings[scalar.value] else { return scalar }
                expansion = folded
                position = 0
            }
        }
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar
    }

    /// Foundation's folding of every Latin letter, modifier letter, combining diacritic, general punctuation and
    /// full-width form, computed once, with the letters it leaves alone (ø, æ, ł, ı) replaced by their base letters.
    private static let foldings: [UInt32: [Unicode.Scalar]] = {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        let ranges: [ClosedRange<UInt32>] = [
            0x80...0x24F, 0x2B0...0x36F, 0x1E00...0x1EFF, 0x2000...0x206F,
            0x3000...0x3000, 0xFF01...0xFF5E,
        ]
        for value in ranges.joined() {
            guard let scalar = Unicode.Scalar(value) else { continue }
            // Apostrophes stay: they decide whether an article is elided or a name joined.
            if kind(of: scalar) == .apostrophe {
                table[value] = [scalar]
                continue
            }
            // Combining diacritics of decomposed text ("e\u{301}") go, as their precomposed forms' do.
            if (0x300...0x36F).contains(value) {
                table[value] = []
                continue
            }
            var folded: [Unicode.Scalar] = []
            for foldedScalar in String(scalar).folding(options: foldingOptions, locale: nil).unicodeScalars {
                if let replacement = letterReplacements[foldedScalar] {
                    folded.append(contentsOf: replacement.unicodeScalars)
                } else {
                    folded.append(lowercased(foldedScalar))
                }
            }
            table[value] = folded
        }
        return table
    }()

    private enum Kind: Equatable {
        case letter, digit, mark, dot, apostrophe, ampersand, separator
    }

    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        switch scalar.value {
        case 0x61...0x7A, 0x41...0x5A: return .letter
        case 0x30...0x39: return .digit
        case 0x2E: return .dot
        case 0x27, 0x60, 0xB4, 0x2018, 0x2019, 0x02BC: return .apostrophe
        case 0x26, 0x2B: return .ampersand
        case 0...0x7F: return .separator
        default: break
        }
        let properties = scalar.properties
        if properties.numericType != nil { return .digit }
        if properties.isAlphabetic { return .letter }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        default: return .separator
        }
    }

    /// Letters that Unicode does not decompose into a base letter and a diacritic, so folding leaves them alone.
    private static let letterReplacements: [Unicode.Scalar: String] = [
        "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
        "ß": "ss", "ẞ": "ss", "ı": "i", "ŀ": "l", "Ŀ": "l", "ħ": "h", "Ħ": "h", "þ": "th", "Þ": "th", "ð": "d",
        "Ð": "d", "ŧ": "t", "Ŧ": "t", "ĸ": "k", "ŋ": "n", "Ŋ": "n", "º": "o", "ª": "a",
    ]

    /// Articles elided before a vowel in French and Italian names ("d'Équipement", "dell'Arte").
    private static let elidedArticles: Set<String> = ["d", "l", "dell", "nell", "all", "dall", "sull", "qu"]
}
