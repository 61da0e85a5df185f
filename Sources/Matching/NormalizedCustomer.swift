import DealModel
import Foundation

/// A customer reduced to what comparison needs: folded name tokens, registrable domain, tax id, postal code.
/// A value; `Sendable`.
public struct NormalizedCustomer: Sendable, Hashable {
    /// Name tokens, folded, without legal forms or connectives.
    public var nameTokens: [String]
    /// Legal forms found in the name (kept as evidence, not compared).
    public var legalForms: [String]
    public var country: String
    public var city: String
    public var postalCode: String
    public var registrableDomain: String
    /// Country plus the tax id's letters and digits, VAT prefix removed.
    public var taxID: String

    /// The distinctive name tokens (generic business words set apart) as Unicode scalars, for Jaro-Winkler.
    public var nameScalars: [[Unicode.Scalar]]
    /// The distinctive name tokens joined without spaces ("Micro Soft" and "Microsoft" meet here).
    public var joinedNameScalars: [Unicode.Scalar]
    /// Generic business words of the name (industries, partners, group...): weak evidence.
    public var genericTokens: [String]
    /// Numbers in the name ("Hotel 12").
    public var nameNumbers: [String]
    /// House numbers of the street.
    public var streetNumbers: [String]
    /// Street words (types spelt out), as scalars.
    public var streetScalars: [[Unicode.Scalar]]
    public var cityScalars: [Unicode.Scalar]
    public var region: String

    /// The name tokens joined by one space.
    public var name: String { nameTokens.joined(separator: " ") }

    public init(_ customer: Customer) {
        let tokens = Self.tokens(of: customer.legalName)
        var kept: [String] = []
        var forms: [String] = []
        for token in tokens {
            if Self.legalForms.contains(token) {
                forms.append(token)
            } else if !Self.connectives.contains(token) && !(token.count == 1 && token.first!.isLetter) {
                kept.append(Self.abbreviations[token] ?? token)
            }
        }
        nameTokens = kept.isEmpty ? tokens : kept
        let distinctive = nameTokens.filter { !Self.genericWords.contains($0) }
        let core = distinctive.isEmpty ? nameTokens : distinctive
        genericTokens = nameTokens.filter { Self.genericWords.contains($0) }
        nameNumbers = nameTokens.filter { $0.allSatisfy(\.isNumber) }
        nameScalars = core.map { Array($0.unicodeScalars) }
        joinedNameScalars = Array(core.joined().unicodeScalars)
        var streetNumbers: [String] = []
        var streetWords: [String] = []
        for token in Self.tokens(of: customer.street) {
            if token.first?.isNumber == true {
                streetNumbers.append(String(token.prefix(while: \.isNumber)))
            } else {
                streetWords += Self.streetWords(token)
            }
        }
        self.streetNumbers = streetNumbers
        streetScalars = streetWords.map { Array($0.unicodeScalars) }
        region = Self.tokens(of: customer.region).joined(separator: " ")
        legalForms = forms
        country = customer.country.uppercased()
        city = Self.tokens(of: customer.city).joined(separator: " ")
        cityScalars = Array(city.unicodeScalars)
        postalCode = String(customer.postalCode.uppercased().filter { $0.isLetter || $0.isNumber })
        registrableDomain = Self.registrableDomain(customer.webDomain)
        let taxCharacters = String(customer.taxID.uppercased().filter { $0.isLetter || $0.isNumber })
        let vatPrefix = Self.vatPrefixes[country] ?? country
        let unprefixed =
            !country.isEmpty && taxCharacters.hasPrefix(vatPrefix) && taxCharacters.count > 2
            ? String(taxCharacters.dropFirst(vatPrefix.count)) : taxCharacters
        taxID = unprefixed.isEmpty ? "" : country + ":" + unprefixed
    }

    /// Folds case, diacritics and width, spells ß as ss, joins dotted abbreviations (S.A. → sa) and apostrophes
    /// (O'Brien → obrien), drops elided articles (d'Équipement, l'Union, dell'Arte) and splits on everything else
    /// that is not a letter or digit.
    public static func tokens(of text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(of: text) }
        let folded = text.replacingOccurrences(of: "ß", with: "ss")
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var tokens: [String] = []
        var current = ""
        var characters = folded.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if character == "." {
                continue
            } else if character == "'" || character == "\u{2019}" {
                if Self.elidedArticles.contains(current), pending?.isLetter == true { current = "" }
            } else {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character == "&" || character == "+" { tokens.append("&") }
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The same rules as `tokens(of:)` for plain ASCII text, without Foundation's folding: most input is ASCII.
    static func asciiTokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                current.append(byte | 0x20)
            case UInt8(ascii: "."):
                continue
            case UInt8(ascii: "'"):
                let next = index + 1 < bytes.count ? bytes[index + 1] : 0
                let nextIsLetter = (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z")
                if nextIsLetter && elidedArticles.contains(String(decoding: current, as: UTF8.self)) {
                    current.removeAll(keepingCapacity: true)
                }
            default:
                if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "+") { tokens.append("&") }
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    static let elidedArticles: Set<String> = ["d", "l", "dell", "nell", "all", "sull", "qu"]

    /// `https://www.shop.example.co.uk/path` → `example.co.uk`.
    public static func registrableDomain(_ text: String) -> String {
        var host = text.lowercased().trimmingCharacters(in: .whitespaces)
        if let scheme = host.range(of: "://") { host = String(host[scheme.upperBound...]) }
        if let path = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = String(host[..<path]) }
        if let port = host.firstIndex(of: ":") { host = String(host[..<port]) }
        let labels = host.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return host }
        let secondLevel = ["co", "com", "org", "net", "gov", "ac", "edu", "ltd", "plc", "gouv", "ne", "or"]
        let keep =
            labels.count >= 3 && labels.last!.count == 2 && secondLevel.contains(labels[labels.count - 2]) ? 3 : 2
        return labels.suffix(keep).joined(separator: ".")
    }

    /// A street token with its type spelt out, and a type glued to the name split off ("markhamstreet").
    static func streetWords(_ token: String) -> [String] {
        if let type = streetTypes[token] { return [type] }
        for (suffix, type) in gluedStreetTypes where token.count > suffix.count + 2 && token.hasSuffix(suffix) {
            return [String(token.dropLast(suffix.count)), type]
        }
        return [token]
    }

    static let streetTypes: [String: String] = [
        "st": "street", "str": "strasse", "rd": "road", "ave": "avenue", "av": "avenue", "pl": "place",
        "cres": "crescent", "cct": "circuit", "dr": "drive", "ct": "court", "ln": "lane", "cl": "close",
        "pde": "parade", "tce": "terrace", "hwy": "highway", "blvd": "boulevard", "bd": "boulevard", "sq": "square",
        "gr": "grove", "mt": "mount", "pkwy": "parkway", "esp": "esplanade",
    ]

    static let streetTypeWords = Set(streetTypes.values)

    static let gluedStreetTypes = [
        ("street", "street"), ("strasse", "strasse"), ("str", "strasse"), ("road", "road"), ("place", "place"),
        ("avenue", "avenue"), ("crescent", "crescent"), ("circuit", "circuit"), ("drive", "drive"),
    ]

    /// Words that many unrelated companies share; they count, but little.
    static let genericWords: Set<String> = [
        "industries", "partners", "associates", "engineering", "brothers", "cabinet", "plumbing", "electrical",
        "group", "services", "solutions", "systems", "international", "trading", "consulting", "holdings",
        "holding", "enterprises", "technologies", "management", "construction", "logistics", "global",
    ]

    /// VAT prefixes that are not the ISO country code.
    static let vatPrefixes = ["GR": "EL"]

    static let legalForms: Set<String> = [
        "sa", "sas", "sarl", "eurl", "sasu", "sca", "snc", "gmbh", "ag", "kg", "ohg", "ug", "ev", "ltd", "limited",
        "plc", "inc", "incorporated", "corp", "corporation", "llc", "llp", "lp", "pty", "proprietary", "bv", "nv",
        "spa", "srl", "sl", "sau", "slu", "ab", "as", "asa", "oy", "oyj", "aps", "sp", "zoo", "kft", "zrt", "sro",
        "as", "doo", "ad", "ooo", "kk", "co", "company", "cie", "ste", "societe", "anonyme", "gesellschaft", "mbh",
    ]

    static let connectives: Set<String> = [
        "&", "and", "et", "und", "y", "e", "the", "of", "de", "du", "der", "la", "le",
    ]

    static let abbreviations: [String: String] = [
        "grp": "group", "intl": "international", "int": "international", "mfg": "manufacturing",
        "bros": "brothers", "svcs": "services", "svc": "services", "tech": "technologies", "hldgs": "holdings",
        "ind": "industries", "inds": "industries", "eng": "engineering", "engg": "engineering",
        "assoc": "associates", "assocs": "associates", "mgmt": "management", "ptnrs": "partners", "cab": "cabinet",
        "plbg": "plumbing", "elec": "electrical",
    ]
}
