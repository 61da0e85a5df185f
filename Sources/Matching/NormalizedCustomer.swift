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

    /// The name tokens joined by one space.
    public var name: String { nameTokens.joined(separator: " ") }

    public init(_ customer: Customer) {
        country = customer.country.uppercased()
        let tokens = TextFolding.tokens(customer.legalName)
        let (name, forms) = LegalForms.split(tokens, country: country)
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
        coreTokens = core
        joinedName = core.joined()
        let street = StreetAddress.normalize(customer.street)
        streetNumbers = street.numbers
        streetTokens = street.tokens
        region = TextFolding.tokens(customer.region).joined(separator: " ")
        city = TextFolding.tokens(customer.city).joined(separator: " ")
        postalCode = PostalCode.normalize(customer.postalCode, country: country)
        registrableDomain = WebDomain.registrable(customer.webDomain)
        taxID = TaxIdentifier.normalize(customer.taxID, country: country)
    }
}
