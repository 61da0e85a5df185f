import DealModel
import Matching
import Testing

@Suite("NormalizedCustomer")
struct NormalizedCustomerTests {
    func normalized(_ name: String, country: String = "FR") -> NormalizedCustomer {
        NormalizedCustomer(Customer(legalName: name, country: country))
    }

    @Test(arguments: [
        ("Acme GmbH", "DE", ["gmbh"]),
        ("Acme G.m.b.H.", "DE", ["gmbh"]),
        ("ACME S.A.", "FR", ["sa"]),
        ("Acme SA", "FR", ["sa"]),
        ("Acme SAS", "FR", ["sas"]),
        ("Acme S.A.S.", "FR", ["sas"]),
        ("Acme Ltd", "GB", ["ltd"]),
        ("Acme Ltd.", "GB", ["ltd"]),
        ("Acme Limited", "GB", ["ltd"]),
        ("Acme Pty. Ltd.", "AU", ["pty ltd"]),
        ("Acme Pty Ltd", "AU", ["pty ltd"]),
        ("Acme, Inc.", "US", ["inc"]),
        ("Acme LLC", "US", ["llc"]),
        ("Acme L.L.C.", "US", ["llc"]),
        ("Acme BV", "NL", ["bv"]),
        ("Acme B.V.", "NL", ["bv"]),
        ("Acme SpA", "IT", ["spa"]),
        ("Acme S.p.A.", "IT", ["spa"]),
        ("ACME gmbh", "AT", ["gmbh"]),
    ])
    func stripsLegalFormsInTheirUsualSpellings(name: String, country: String, forms: [String]) {
        let customer = normalized(name, country: country)
        #expect(customer.nameTokens == ["acme"])
        #expect(customer.legalForms == forms)
        #expect(customer.name == "acme")
    }

    @Test func foldsCaseDiacriticsAndSharpS() {
        let german = normalized("Müller Straße GmbH", country: "DE")
        let shouted = normalized("MULLER STRASSE", country: "DE")
        #expect(german.nameTokens == ["muller", "strasse"])
        #expect(german.nameTokens == shouted.nameTokens)
        #expect(normalized("Électricité Générale de Lyon").nameTokens == ["electricite", "generale", "lyon"])
        #expect(normalized("ＡＣＭＥ").nameTokens == ["acme"])  // full-width letters
    }

    @Test(arguments: [
        ("Acme Grp", ["acme", "group"]),
        ("Acme Intl", ["acme", "international"]),
        ("Intl Widget Mfg Grp", ["international", "widget", "manufacturing", "group"]),
        ("Smith Bros Svcs", ["smith", "brothers", "services"]),
    ])
    func expandsAbbreviations(name: String, tokens: [String]) {
        #expect(normalized(name).nameTokens == tokens)
    }

    @Test func dropsConnectivesAndPunctuation() {
        #expect(normalized("Smith & Sons").nameTokens == ["smith", "sons"])
        #expect(normalized("Smith and Sons").nameTokens == normalized("Smith & Sons").nameTokens)
        #expect(normalized("The Bank of Lyon").nameTokens == ["bank", "lyon"])
        #expect(normalized("O'Brien-Walsh (Europe)").nameTokens == ["obrien", "walsh", "europe"])
    }

    @Test func keepsTheNameWhenEveryTokenIsALegalForm() {
        #expect(normalized("The Company").nameTokens == ["the", "company"])
    }

    @Test(arguments: [
        ("https://www.shop.example.co.uk/path", "example.co.uk"),
        ("WWW.Example.COM", "example.com"),
        ("sub.example.com.au", "example.com.au"),
        ("example.com", "example.com"),
        ("http://example.com:8080/a?b=c", "example.com"),
        ("  www.example.fr  ", "example.fr"),
        ("www.example.com.", "example.com"),
        ("shop.example.de?ref=x", "example.de"),
        ("www.bbc.co.uk#top", "bbc.co.uk"),
        ("", ""),
    ])
    func reducesAWebAddressToItsRegistrableDomain(text: String, domain: String) {
        #expect(WebDomain.registrable(text) == domain)
        let customer = NormalizedCustomer(Customer(legalName: "Acme", country: "GB", webDomain: text))
        #expect(customer.registrableDomain == domain)
    }

    @Test func normalisesTaxIDsWithOrWithoutTheVATPrefix() {
        let prefixed = NormalizedCustomer(Customer(legalName: "Acme", country: "FR", taxID: "FR 40.303.265.045"))
        let bare = NormalizedCustomer(Customer(legalName: "Acme", country: "FR", taxID: "40303265045"))
        let lower = NormalizedCustomer(Customer(legalName: "Acme", country: "FR", taxID: "fr40-303-265-045"))
        #expect(prefixed.taxID == "FR:40303265045")
        #expect(bare.taxID == prefixed.taxID)
        #expect(lower.taxID == prefixed.taxID)
    }

    @Test func taxIDsOfDifferentCountriesDiffer() {
        // Countries whose ids have no check digit here, so that one number is a valid id of both.
        let american = NormalizedCustomer(Customer(legalName: "Acme", country: "US", taxID: "12345678901"))
        let canadian = NormalizedCustomer(Customer(legalName: "Acme", country: "CA", taxID: "12345678901"))
        #expect(american.taxID != canadian.taxID)
        // A mistyped id is no evidence: its check digit fails, and it is dropped.
        #expect(NormalizedCustomer(Customer(legalName: "Acme", country: "FR", taxID: "FR 12 345 678 901")).taxID == "")
        #expect(NormalizedCustomer(Customer(legalName: "Acme", country: "FR")).taxID == "")
        #expect(NormalizedCustomer(Customer(legalName: "Acme", country: "FR", taxID: " - ")).taxID == "")
    }

    @Test func keepsEveryTaxIDCharacterWhenTheCountryIsMissing() {
        let customer = NormalizedCustomer(Customer(legalName: "Acme", country: "", taxID: "12345678901"))
        #expect(customer.taxID.hasSuffix("12345678901"))
    }

    @Test func recognisesTheGreekVATPrefixEL() {
        let prefixed = NormalizedCustomer(Customer(legalName: "Acme", country: "GR", taxID: "EL 123456789"))
        let bare = NormalizedCustomer(Customer(legalName: "Acme", country: "GR", taxID: "123456789"))
        #expect(prefixed.taxID == bare.taxID)
    }

    @Test func normalisesCountryCityAndPostalCode() {
        let customer = NormalizedCustomer(
            Customer(legalName: "Acme", city: "Saint-Étienne", postalCode: "sw1a 1aa", country: "gb"))
        #expect(customer.country == "GB")
        #expect(customer.city == "saint etienne")
        #expect(customer.postalCode == "SW1A1AA")
    }
}

@Suite struct ElisionTests {
    @Test(arguments: [
        ("Société Générale d'Équipement SA", "SOCIETE GENERALE D EQUIPEMENT S.A."),
        ("Banca dell'Arte SpA", "Banca Arte S.p.A."),
        ("Caisse de l’Union", "CAISSE DE L UNION"),
    ])
    func dropsElidedArticles(written: String, respelled: String) {
        let lhs = NormalizedCustomer(Customer(legalName: written, country: "FR"))
        let rhs = NormalizedCustomer(Customer(legalName: respelled, country: "FR"))
        #expect(lhs.nameTokens == rhs.nameTokens)
    }
}
