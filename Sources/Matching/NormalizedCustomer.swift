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

    /// The distinctive name tokens: generic business words set apart.
    public var coreTokens: [String]
    /// The distinctive name tokens joined without spaces ("Micro Soft" and "Microsoft" meet here).
    public var joinedName: String
    /// Generic business words of the name (industries, partners, group...): weak evidence.
    public var genericTokens: [String]
    /// Numbers in the name ("Hotel 12").
    public var nameNumbers: [String]
    /// House numbers of the street.
    public var streetNumbers: [String]
    /// Street words, types spelt out.
    public var streetTokens: [String]
    public var region: String
    /// The name's script when it was not written in Latin letters: "CJK", or the alphabet it was transliterated
    /// from ("Cyrillic", "Greek"…); "" for Latin.
    public var script: String
    /// Initials of the name's words ("ibm" for International Business Machines), and with its legal form's
    /// ("ibmc" for … Corporation); empty for a name of one word.
    public var initials: [String]
    /// Acronyms written with spaces or "&" ("pg" from "P&G", "att" from "AT&T") or a number ("mmm" from "3M");
    /// a word of the name ("ibm") may be one too.
    public var acronyms: [String]

    /// The name tokens joined by one space.
    public var name: String { nameTokens.joined(separator: " ") }

    /// Whether names in `script` are compared with names in the same script only: CJK, whose transliteration
    /// is a reading, and the scripts whose transliteration lacks the vowels a Latin spelling has (Arabic, Hebrew)
    /// or that ICU reads letter by letter (Thai, Indic).
    public static func comparedWithinScriptOnly(_ script: String) -> Bool {
        ["CJK", "Arabic", "Hebrew", "Thai", "Indic"].contains(script)
    }

    public init(_ customer: Customer) {
        country = customer.country.uppercased()
        var legalName = customer.legalName
        var cjkForms: [String] = []
        switch TextFolding.script(of: legalName) {
        case .latin: script = ""
        case .cjk:
            script = "CJK"
            // CJK legal forms are written without spaces, before or after the name: taken before the reading.
            (legalName, cjkForms) = LegalForms.splitCJK(legalName)
        case .other(let name):
            script = name
            if name == "Thai" { (legalName, cjkForms) = LegalForms.splitCJK(legalName) }
        }
        var tokens = TextFolding.tokens(legalName)
        if script == "Arabic" {
            // The article is written glued to its word ("الخليج" reads "alkhlyj"), as "li-" with it ("ll…").
            tokens = tokens.map { token in
                token.count > 4 && (token.hasPrefix("al") || token.hasPrefix("ll")) ? String(token.dropFirst(2)) : token
            }
        }
        var (name, forms) = LegalForms.split(tokens, country: country)
        forms = cjkForms + forms
        var kept: [String] = []
        // Single letters are initials or the remains of an elision written with a space ("D EQUIPEMENT").
        for token in name where !NameVocabulary.isConnective(token) && !(token.count == 1 && token.first!.isLetter) {
            kept.append(NameVocabulary.canonical(token) ?? token)
        }
        nameTokens = kept.isEmpty ? tokens.filter { $0 != "&" } : kept
        legalForms = forms
        let distinctive = nameTokens.filter { !NameVocabulary.isGenericBusinessWord($0) }
        let core = distinctive.isEmpty ? nameTokens : distinctive
        genericTokens = nameTokens.filter(NameVocabulary.isGenericBusinessWord)
        nameNumbers = nameTokens.filter { $0.allSatisfy(\.isNumber) }
        (initials, acronyms) = Acronyms.forms(name: name, kept: nameTokens, legalForms: forms)
        coreTokens = core
        joinedName = core.joined()
        let street = StreetAddress.normalize(customer.street)
        streetNumbers = street.numbers
        streetTokens = street.tokens
        region = TextFolding.tokens(customer.region).joined(separator: " ")
        city = PlaceNames.canonicalCity(TextFolding.tokens(customer.city).joined(separator: " "))
        postalCode = PostalCode.normalize(customer.postalCode, country: country)
        // A mail provider's or a shared host's domain says nothing of who the customer is.
        let domain = WebDomain.registrable(customer.webDomain)
        registrableDomain = WebDomain.isShared(domain) ? "" : domain
        // A mistyped tax id (one its country's check digit refutes) is no evidence either way.
        let tax = TaxIdentifier.normalize(customer.taxID, country: country)
        taxID = TaxIdentifier.check(tax) == .invalid ? "" : tax
    }
}
