/// Reduces a street line to its house numbers and canonical words, so "Hauptstr. 12a" meets "Hauptstraße 12 a" and
/// "12 Main St., Suite 400" meets "12 Main Street"; pure functions on values, safe from any thread.
public enum StreetAddress {
    /// Folds the street with `TextFolding` and returns its house numbers in order ("12a"; "12-14" gives "12" and
    /// "14") and its other words, with street types spelt out in one canonical word ("hauptstr" gives "haupt",
    /// "strasse"), a post-office box as "pobox", and connectives, units, suites, floors and "No." dropped.
    public static func normalize(_ street: String) -> (numbers: [String], tokens: [String]) {
        let raw = expanded(TextFolding.tokens(street))
        var numbers: [String] = []
        var words: [String] = []
        var index = 0
        while index < raw.count {
            let token = raw[index]
            let roles = lexicon[token]?.roles ?? []
            let previous = index > 0 ? raw[index - 1] : nil
            let next = index + 1 < raw.count ? raw[index + 1] : nil
            index += 1
            if isNumber(token) {
                if let next, isNumberSuffix(next, before: index + 1 < raw.count ? raw[index + 1] : nil) {
                    numbers.append(token + next)
                    index += 1
                } else {
                    numbers.append(token)
                }
                continue
            }
            if roles.contains(.numberMarker), let next, isNumber(next) { continue }
            if token == "s" && next == "n" {
                index += 1  // "s/n", sin número: no house number
                continue
            }
            if roles.contains(.connective) { continue }
            if roles.contains(.unit) || roles.contains(.ambiguousUnit) {
                // A floor word takes the number before it ("3rd Floor, 1 Martin Place") or else the one after it.
                let floor =
                    roles.contains(.floor) && dropPrecedingFloor(previous, numbers: &numbers, words: &words)
                let identified = !floor && (next.map(isIdentifier) ?? false)
                if identified { index += 1 }
                if roles.contains(.unit) || identified || floor { continue }
            }
            words.append(canonicalWord(token, next: next, isFirst: words.isEmpty))
        }
        return (numbers, words)
    }

    /// Whether `word` is a canonical street type ("street", "avenue", "strasse"): common to many streets.
    public static func isStreetType(_ word: String) -> Bool { streetTypeWords.contains(word) }

    private static let streetTypeWords = Set(types.values).union(["street", "drive", "calle", "rue", "via"])

    // "st" before a word of the name is "saint" ("St Kilda Rd", "Rue St Denis"), otherwise "street" ("Main St",
    // "Main St N", "Main St Suite 5"); "dr" is "doctor" or "drive" alike. "ste" that is not a suite before a number
    // is "sainte". A lone "c", "r" or "v" opening the street is Spanish "C/", French "R." or Italian "V.".
    private static func canonicalWord(_ token: String, next: String?, isFirst: Bool) -> String {
        let beforeAName = next.map(startsAName) ?? false
        switch token {
        case "st": return beforeAName ? "saint" : "street"
        case "dr": return beforeAName ? "doctor" : "drive"
        case "ste": return "sainte"
        case "c" where isFirst && beforeAName: return "calle"
        case "r" where isFirst && beforeAName: return "rue"
        case "v" where isFirst && beforeAName: return "via"
        default: return lexicon[token]?.type ?? token
        }
    }

    /// Whether a word after "st" or "dr" is part of a name rather than a direction, unit or street type.
    private static func startsAName(_ token: String) -> Bool {
        guard !isNumber(token) else { return false }
        guard let entry = lexicon[token] else { return true }
        return entry.type == nil && entry.roles.isDisjoint(with: [.compass, .unit, .ambiguousUnit])
    }

    /// "bis" or a lone letter after a house number belongs to it ("Hauptstr. 12 a", "12 b rue …"), unless the
    /// letter opens the name ("12 E 42nd St", "12 r. de Rivoli").
    private static func isNumberSuffix(_ token: String, before following: String?) -> Bool {
        if lexicon[token]?.roles.contains(.numberSuffix) == true { return true }
        guard token.utf8.count == 1, let byte = token.utf8.first, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z")
        else { return false }
        guard let following else { return true }
        guard !isNumber(following) else { return true }
        guard let entry = lexicon[following] else { return false }
        return entry.type != nil && !entry.roles.contains(.compass)
    }

    /// Removes the number or ordinal just before a floor word ("3rd Floor", "2. OG") when it is not the only
    /// number of the street.
    private static func dropPrecedingFloor(_ previous: String?, numbers: inout [String], words: inout [String])
        -> Bool
    {
        guard let previous else { return false }
        if isOrdinal(previous) || lexicon[previous]?.roles.contains(.floorName) == true, words.last == previous {
            words.removeLast()
            return true
        }
        if isNumber(previous), numbers.count >= 2, numbers.last == previous {
            numbers.removeLast()
            return true
        }
        return false
    }

    /// Splits glued street types off their names and joins the words of a post-office box.
    private static func expanded(_ tokens: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(tokens.count + 2)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if token == "&" { continue }
            if token == "po" || token == "p", index < tokens.count {
                if tokens[index] == "box" {
                    result.append("pobox")
                    index += 1
                    continue
                }
                if token == "p", tokens[index] == "o", index + 1 < tokens.count, tokens[index + 1] == "box" {
                    result.append("pobox")
                    index += 2
                    continue
                }
            }
            if lexicon[token]?.roles.contains(.postBox) == true,
                token == "pobox"
                    || index < tokens.count
                        && isNumber(tokens[index])
            {
                result.append("pobox")
                continue
            }
            if let (stem, type) = splitGluedType(token) {
                result.append(stem)
                result.append(type)
                continue
            }
            result.append(token)
        }
        return result
    }

    private static func splitGluedType(_ token: String) -> (String, String)? {
        let bytes = token.utf8
        guard bytes.count >= 5, let first = bytes.first, !isDigit(first), let last = bytes.last,
            gluedEndings.contains(last)
        else { return nil }
        for (suffix, type) in gluedTypes
        where bytes.count >= suffix.count + 3 && bytes.suffix(suffix.count).elementsEqual(suffix) {
            return (String(decoding: bytes.dropLast(suffix.count), as: UTF8.self), type)
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A token that starts with a digit and is not an ordinal ("12", "12a", "3b"; not "1st", "2nd", "3e").
    private static func isNumber(_ token: String) -> Bool {
        guard let first = token.utf8.first, isDigit(first) else { return false }
        return !isOrdinal(token)
    }

    private static func isOrdinal(_ token: String) -> Bool {
        let bytes = token.utf8
        guard let first = bytes.first, isDigit(first) else { return false }
        let suffix = bytes.drop(while: isDigit)
        return !suffix.isEmpty && ordinalSuffixes.contains(String(decoding: suffix, as: UTF8.self))
    }

    private static func isIdentifier(_ token: String) -> Bool {
        token.utf8.count == 1 || token.utf8.contains(where: isDigit)
    }

    private static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th", "er", "re", "eme", "ieme"]

    /// What a word can be in a street line.
    private struct Roles: OptionSet, Sendable {
        let rawValue: UInt16
        /// A unit, suite or floor designation, dropped with the identifier after it.
        static let unit = Roles(rawValue: 1 << 0)
        /// A unit word that is also an ordinary word ("Bus Station Rd", "Top Lane"), dropped only with an
        /// identifier.
        static let ambiguousUnit = Roles(rawValue: 1 << 1)
        /// A floor, written after its number in many languages ("3rd Floor", "2. OG", "3e étage").
        static let floor = Roles(rawValue: 1 << 2)
        static let floorName = Roles(rawValue: 1 << 3)
        static let numberMarker = Roles(rawValue: 1 << 4)
        static let numberSuffix = Roles(rawValue: 1 << 5)
        static let postBox = Roles(rawValue: 1 << 6)
        static let connective = Roles(rawValue: 1 << 7)
        static let compass = Roles(rawValue: 1 << 8)
    }

    /// Every word with a role or a canonical street type, so that each token costs one lookup.
    private static let lexicon: [String: (roles: Roles, type: String?)] = {
        var lexicon: [String: (roles: Roles, type: String?)] = [:]
        for (word, type) in types { lexicon[word] = ([], type) }
        func add(_ role: Roles, _ words: [String]) {
            for word in words { lexicon[word, default: ([], nil)].roles.insert(role) }
        }
        add(
            .unit,
            [
                "suite", "unit", "apt", "apartment", "appt", "appartement", "floor", "flr", "level", "lvl", "room",
                "rm",
                "etage", "etg", "piso", "planta", "puerta", "escalera", "interno", "wohnung", "whg", "stiege", "bldg",
                "dpto", "depto", "erdgeschoss", "obergeschoss", "dachgeschoss", "rdc",
                // Russian, transliterated: building, block, flat, office.
                "korpus", "korp", "stroyeniye", "stroenie", "kvartira", "kv", "ofis",
            ])
        add(
            .ambiguousUnit,
            [
                "flat", "fl", "bus", "bte", "office", "building", "int", "sc", "scala", "piano", "top", "stock", "og",
                "eg",
                "local", "lokal", "tur", "ste",
            ])
        add(.floor, ["floor", "flr", "fl", "level", "etage", "etg", "stock", "og", "eg", "piso", "planta"])
        add(.floorName, ["ground", "first", "second", "third", "upper", "lower", "top"])
        // "д. 7" (дом, house) is "d. 7" transliterated.
        add(.numberMarker, ["no", "nr", "num", "numero", "n", "nro", "nos", "d", "dom", "ar", "arith"])
        add(.numberSuffix, ["bis", "ter", "quater"])
        add(.postBox, ["pobox", "box", "postfach", "postbus", "postboks", "bp", "cp", "apartado", "casilla"])
        add(
            .connective,
            [
                "de", "du", "des", "la", "le", "les", "del", "della", "di", "da", "do", "dos", "das", "der", "die",
                "den",
                "dem", "of", "the", "y", "et", "and",
            ])
        add(.compass, ["n", "s", "e", "w", "ne", "nw", "se", "sw"])
        return lexicon
    }()

    /// Street types glued to the end of a name ("Hauptstr", "Kalverstraat"), longest first.
    private static let gluedTypes: [([UInt8], String)] = [
        ("strasse", "strasse"), ("straat", "strasse"), ("gracht", "gracht"), ("gasse", "gasse"),
        ("platz", "place"), ("allee", "allee"), ("plein", "place"), ("damm", "damm"), ("laan", "lane"),
        ("weg", "weg"), ("str", "strasse"), ("pl", "place"),
    ].map { (Array($0.utf8), $1) }

    private static let gluedEndings: Set<UInt8> = Set(gluedTypes.compactMap(\.0.last))

    // Abbreviations shared by several languages cannot tell them apart, so the words they stand for share one
    // canonical word: "place" (pl, platz, plaza, piazza, plein, praça), "avenue" (av, ave, avda, avenida), "lane"
    // (ln, laan), "strasse" (str, straße, straat), "rue" (r, rua).
    private static let types: [String: String] = [
        // English.
        "street": "street", "rd": "road", "av": "avenue", "ave": "avenue", "avn": "avenue", "blvd": "boulevard",
        "blv": "boulevard", "bd": "boulevard", "bld": "boulevard", "boul": "boulevard", "boulv": "boulevard",
        "drv": "drive", "ln": "lane", "laan": "lane", "ct": "court", "crt": "court", "pl": "place",
        "cres": "crescent", "cresc": "crescent", "hwy": "highway", "pde": "parade", "tce": "terrace",
        "terr": "terrace", "cl": "close", "sq": "square", "sqr": "square", "pkwy": "parkway", "pky": "parkway",
        "cir": "circle", "circ": "circle", "rte": "route", "expy": "expressway", "fwy": "freeway",
        "tpke": "turnpike", "grv": "grove", "gdns": "gardens", "pk": "park", "cct": "circuit", "esp": "esplanade",
        "espl": "esplanade", "prom": "promenade", "mt": "mount", "n": "north", "s": "south", "e": "east",
        "w": "west", "ne": "northeast", "nw": "northwest", "se": "southeast", "sw": "southwest",
        // French.
        "rue": "rue", "rua": "rue", "ch": "chemin", "chem": "chemin", "imp": "impasse", "fbg": "faubourg",
        "fg": "faubourg", "crs": "cours", "sankt": "saint", "skt": "saint",
        // German and Dutch.
        "str": "strasse", "strasse": "strasse", "straat": "strasse", "platz": "place", "plein": "place",
        // Spanish, Portuguese and Italian.
        "avda": "avenue", "avenida": "avenue", "plaza": "place", "pza": "place", "piazza": "place",
        "pzza": "place", "praca": "place", "pca": "place", "ps": "paseo", "pso": "paseo", "ctra": "carretera",
        "carr": "carretera", "cno": "camino", "cmno": "camino", "vle": "viale", "cso": "corso", "lgo": "largo",
        "lg": "largo", "vic": "vicolo", "estr": "estrada",
        // Russian and Ukrainian, as transliterated ("ул. Тверская" is "ul. Tverskaya") or translated.
        "ul": "street", "ulitsa": "street", "ulica": "street", "ulitza": "street", "ulitca": "street",
        "vul": "street", "vulytsya": "street", "vulitsa": "street", "vulytsia": "street", "prospekt": "avenue",
        "prosp": "avenue", "prospect": "avenue", "pr": "avenue", "pereulok": "lane", "per": "lane",
        "naberezhnaya": "embankment", "nab": "embankment", "shosse": "highway", "sh": "highway", "bulvar": "boulevard",
        "bul": "boulevard", "ploshchad": "place",
        // Greek, transliterated ("αρ." before a number is "ar.", a number marker).
        "odos": "street", "od": "street", "leoforos": "avenue", "leof": "avenue", "plateia": "place",
    ]
}
