/// Finds legal forms ("GmbH & Co. KG", "Pty Ltd", "Sp. z o.o.") at the end of a folded name, and long forms written
/// first ("Société Anonyme …"), returning them in one canonical spelling; pure functions, safe from any thread.
public enum LegalForms {
    /// Splits folded name tokens (from `TextFolding.tokens`) into the name and its legal forms in reading order;
    /// the name is never left empty, and short forms that are also words ("as", "sa", "co") are only taken from
    /// the end.
    public static func split(_ tokens: [String]) -> (name: [String], forms: [String]) {
        split(tokens, country: "")
    }

    /// Like `split(_:)`, knowing the customer's ISO country: it also removes prefixes written first there
    /// ("AS" in Estonia, "UAB" in Lithuania, "PT" in Indonesia, "SC" in Romania), and keeps short forms that are
    /// also words when they are foreign to that country ("Day Spa" in the US keeps "spa").
    public static func split(_ tokens: [String], country: String) -> (name: [String], forms: [String]) {
        let country = country.uppercased()
        var start = 0
        var end = tokens.count
        var trailing: [String] = []
        // The longest spelling that matches is the reading; if it would leave no name, the name is the form.
        while end - start > 1,
            let spelling = suffixes[tokens[end - 1]]?.first(where: { matches($0, tokens, endingAt: end) }),
            keepsAName(tokens, from: start, to: end - spelling.tokens.count),
            allowsAmbiguous(spelling, tokens, before: end - spelling.tokens.count, country: country)
        {
            end -= spelling.tokens.count
            trailing.append(spelling.canonical)
            // "Smith & Co": the connective belonged to the form.
            if companyWords.contains(spelling.tokens[0]), end - start > 1,
                danglingConnectives.contains(tokens[end - 1]),
                keepsAName(tokens, from: start, to: end - 1)
            {
                end -= 1
            }
        }
        var leading: [String] = []
        if end - start > 1 {
            if let spelling = prefixes[tokens[start]]?.first(where: { matches($0, tokens, startingAt: start) }),
                keepsAName(tokens, from: start + spelling.tokens.count, to: end)
            {
                start += spelling.tokens.count
                leading.append(spelling.canonical)
            } else if let prefix = conditionalPrefixes[tokens[start]], keepsAName(tokens, from: start + 1, to: end),
                !prefix.requiredSuffix.isDisjoint(with: trailing) || prefix.countries.contains(country)
            {
                start += 1
                leading.append(prefix.canonical)
            }
        }
        return (Array(tokens[start..<end]), leading + trailing.reversed())
    }

    private static func matches(_ spelling: Spelling, _ tokens: [String], endingAt end: Int) -> Bool {
        let count = spelling.tokens.count
        guard count <= end else { return false }
        return tokens[(end - count)..<end].elementsEqual(spelling.tokens)
    }

    private static func matches(_ spelling: Spelling, _ tokens: [String], startingAt start: Int) -> Bool {
        let count = spelling.tokens.count
        guard start + count <= tokens.count else { return false }
        return tokens[start..<(start + count)].elementsEqual(spelling.tokens)
    }

    /// Whether `tokens[from..<to]` still holds a word, not only connectives like "&".
    private static func keepsAName(_ tokens: [String], from: Int, to: Int) -> Bool {
        guard from < to else { return false }
        return tokens[from..<to].contains { !danglingConnectives.contains($0) }
    }

    /// Short forms that are also words are not taken after a connective ("Tour de SA") or in a country that does
    /// not use them ("Day Spa" in the US).
    private static func allowsAmbiguous(_ spelling: Spelling, _ tokens: [String], before index: Int, country: String)
        -> Bool
    {
        guard spelling.tokens.count == 1, let homes = ambiguous[spelling.tokens[0]] else { return true }
        if !country.isEmpty && !homes.isEmpty && !homes.contains(country) { return false }
        return companyWords.contains(spelling.tokens[0]) || index == 0 || !blockingWords.contains(tokens[index - 1])
    }

    /// One way to write a legal form, as folded tokens, and its canonical spelling.
    private struct Spelling: Sendable {
        let tokens: [String]
        let canonical: String
    }

    /// Spellings by their last token, longest first.
    private static let suffixes: [String: [Spelling]] = index(spellings, key: \.last!)

    /// Long forms that may also open a name, by their first token, longest first.
    private static let prefixes: [String: [Spelling]] = index(
        spellings.filter { leadingSpellings.contains($0.tokens.joined(separator: " ")) }, key: \.first!)

    private static func index(_ spellings: [Spelling], key: KeyPath<[String], String>) -> [String: [Spelling]] {
        var index: [String: [Spelling]] = [:]
        for spelling in spellings { index[spelling.tokens[keyPath: key], default: []].append(spelling) }
        return index.mapValues { $0.sorted { $0.tokens.count > $1.tokens.count } }
    }

    private static let spellings: [Spelling] = {
        var all: [Spelling] = []
        for (canonical, variants) in table {
            for variant in variants {
                all.append(Spelling(tokens: variant.split(separator: " ").map(String.init), canonical: canonical))
            }
        }
        // "GmbH & Co. KG" and its relatives: a company with a legal form is the general partner of the KG.
        let partners = [
            ("gmbh", "gmbh"), ("ag", "ag"), ("se", "se"), ("ug", "ug"), ("ug haftungsbeschrankt", "ug"),
            ("ltd", "ltd"), ("bv", "bv"), ("stiftung", "stiftung"),
        ]
        for (partner, canonicalPartner) in partners {
            for joiner in ["&", "und", ""] {
                for company in ["co", "cie"] {
                    for partnership in ["kg", "kgaa", "ohg"] {
                        let variant = [partner, joiner, company, partnership].filter { !$0.isEmpty }
                        all.append(
                            Spelling(
                                tokens: variant.joined(separator: " ").split(separator: " ").map(String.init),
                                canonical: "\(canonicalPartner) & co \(partnership)"))
                    }
                }
            }
        }
        return all
    }()

    /// Words for "company" that often follow "&" ("Smith & Co", "Dupont et Cie").
    private static let companyWords: Set<String> = [
        "co", "company", "cie", "cia", "compagnie", "compania", "companhia",
    ]

    /// Connectives that are part of the form when they precede "& Co", and never a name on their own.
    private static let danglingConnectives: Set<String> = [
        "&", "and", "et", "und", "y", "e", "en", "og", "och", "i", "u",
    ]

    /// Words after which a short ambiguous token is read as part of the name ("Tour de SA", "Bank of AS").
    private static let blockingWords: Set<String> = [
        "&", "and", "of", "the", "de", "du", "des", "la", "le", "da", "do", "di", "del", "y", "et", "und",
    ]

    /// Short forms that are also words or initials, with the countries that use them (empty: many countries).
    private static let ambiguous: [String: Set<String>] = [
        "sa": [], "se": [], "co": [], "teo": ["IE"], "pty": ["AU", "ZA", "NA", "BW"], "eg": ["DE", "AT"],
        "spa": ["IT", "CL", "SM", "CH"], "as": ["NO", "DK", "EE", "LV", "TR", "CZ", "SK", "IS"],
        "ab": ["SE", "FI", "LT"], "ad": ["BG", "RS", "MK", "ME", "BA"], "ag": ["DE", "AT", "CH", "LI", "LU"],
        "pt": ["ID"], "ou": ["EE"], "oy": ["FI"], "bt": ["HU"], "rt": ["HU"], "dd": ["HR", "SI", "BA", "MK"],
        "ks": ["CZ", "SK", "NO", "DK"], "ae": ["GR", "CY"], "ao": ["RU", "KZ", "BY", "UA"],
        "cv": ["NL", "BE", "ID", "MX"], "pc": ["US", "CA"], "lp": ["US", "GB", "CA"], "kk": ["JP"],
        "gk": ["JP"], "yk": ["JP"], "sl": ["ES"],
        "oe": ["GR", "CY"], "ee": ["GR", "CY"], "ip": ["RU", "KZ", "BY"], "pat": ["UA"],
    ]

    /// Forms that open a name only when the name also ends in a matching form, or in the given countries.
    private static let conditionalPrefixes:
        [String: (canonical: String, requiredSuffix: Set<String>, countries: Set<String>)] = [
            "sc": ("sc", ["srl", "sa"], ["RO"]),
            "pt": ("pt", ["tbk", "persero"], ["ID"]),
            "cv": ("cv", [], ["ID"]),
            "as": ("as", [], ["EE", "LV"]),
            "ou": ("ou", [], ["EE"]),
            "sia": ("sia", [], ["LV"]),
            "uab": ("uab", [], ["LT"]),
            "ab": ("ab", [], ["LT"]),
            "ao": ("ao", [], ["RU", "KZ", "BY", "UA"]),
            "ae": ("ae", [], ["GR", "CY"]),
            "ip": ("ip", [], ["RU", "KZ", "BY"]),
        ]
}

extension LegalForms {
    /// Splits the legal forms written in Chinese characters, kana or hangul off the start or end of a name
    /// ("トヨタ自動車株式会社", "株式会社リコー", "华为技术有限公司", "삼성전자 주식회사", "(株)リコー"), returning
    /// the rest and the forms' canonical spellings, longest first. The name is never left empty.
    public static func splitCJK(_ name: String) -> (name: String, forms: [String]) {
        var rest = Substring(name.trimmingCharacters(in: .whitespaces))
        var forms: [String] = []
        var found = true
        while found {
            found = false
            for (spelling, canonical) in cjkForms {
                if rest.hasSuffix(spelling), rest.count > spelling.count {
                    rest = rest.dropLast(spelling.count)
                } else if rest.hasPrefix(spelling), rest.count > spelling.count {
                    rest = rest.dropFirst(spelling.count)
                } else {
                    continue
                }
                rest = Substring(rest.trimmingCharacters(in: .whitespaces))
                forms.append(canonical)
                found = true
                break
            }
        }
        return (String(rest), forms)
    }

    /// CJK legal forms and their canonical spellings, longest first (so "股份有限公司" is not read as "有限公司").
    private static let cjkForms: [(String, String)] = [
        // Japan.
        ("株式会社", "kk"), ("(株)", "kk"), ("（株）", "kk"), ("㈱", "kk"), ("有限会社", "yk"), ("(有)", "yk"),
        ("（有）", "yk"), ("㈲", "yk"), ("合同会社", "gk"), ("合資会社", "gshk"), ("合名会社", "gmk"),
        // China, Hong Kong, Taiwan.
        ("股份有限公司", "co ltd"), ("有限责任公司", "co ltd"), ("有限責任公司", "co ltd"), ("有限公司", "co ltd"),
        ("集团公司", "co"), ("公司", "co"),
        // Korea.
        ("주식회사", "jsh"), ("(주)", "jsh"), ("㈜", "jsh"), ("유한회사", "yhh"), ("유한책임회사", "yhh"),
        // Thailand: บริษัท … จำกัด (company limited), (มหาชน) public, ห้างหุ้นส่วนจำกัด limited partnership.
        ("บริษัท", "co"), ("จำกัด", "ltd"), ("(มหาชน)", "pcl"), ("มหาชน", "pcl"), ("ห้างหุ้นส่วนจำกัด", "ltd part"),
    ].sorted { $0.0.count > $1.0.count }
}
