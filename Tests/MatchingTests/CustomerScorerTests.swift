import DealModel
import Matching
import Testing

@Suite("CustomerScorer")
struct CustomerScorerTests {
    let scorer = CustomerScorer()

    func score(_ new: Customer, _ held: Customer) -> (score: Double, reasons: [MatchReason]) {
        scorer.score(NormalizedCustomer(new), against: NormalizedCustomer(held))
    }

    @Test(arguments: [
        (
            Customer(legalName: "Dupont Logistique SAS", city: "Lyon", postalCode: "69003", country: "FR"),
            Customer(legalName: "DUPONT LOGISTIQUES S.A.S.", city: "LYON", postalCode: "69003", country: "FR")
        ),
        (
            Customer(legalName: "Müller Maschinenbau GmbH", city: "München", postalCode: "80331", country: "DE"),
            Customer(legalName: "Muller Maschinenbau", city: "Munich", postalCode: "80 331", country: "DE")
        ),
        (
            Customer(legalName: "Northwind Traders Intl Ltd", city: "Leeds", postalCode: "LS1 4AP", country: "GB"),
            Customer(legalName: "Northwind Trader International Limited", postalCode: "LS14AP", country: "GB")
        ),
    ])
    func theSameCompanySpeltSlightlyDifferentlyInTheSamePostalCodeScoresHigh(new: Customer, held: Customer) {
        let (score, reasons) = score(new, held)
        #expect(score >= 0.90)
        #expect(reasons.map(\.field).contains("postal_code"))
        #expect(reasons.first?.field == "name")
    }

    @Test(arguments: [
        (
            Customer(legalName: "Martin Plomberie SARL", city: "Lyon", postalCode: "69003", country: "FR"),
            Customer(legalName: "Martin Informatique SAS", city: "Bordeaux", postalCode: "33000", country: "FR")
        ),
        (
            Customer(legalName: "Schmidt Bau GmbH", city: "Hamburg", postalCode: "20095", country: "DE"),
            Customer(legalName: "Schmidt Elektrotechnik GmbH", city: "Köln", postalCode: "50667", country: "DE")
        ),
    ])
    func differentCompaniesSharingASurnameInDifferentCitiesScoreBelowReview(new: Customer, held: Customer) {
        let (score, reasons) = score(new, held)
        #expect(score < ProgramPolicy().reviewThreshold)
        #expect(!reasons.contains { $0.field == "postal_code" || $0.field == "city" })
    }

    @Test func anEqualTaxIDScoresHighDespiteADifferentSpelling() {
        let new = Customer(
            legalName: "Compagnie Generale d'Optique", city: "Paris", postalCode: "75008", country: "FR",
            taxID: "FR 40.303.265.045")
        let held = Customer(
            legalName: "Cie Générale Optique Distribution", city: "Lille", postalCode: "59000", country: "FR",
            taxID: "40303265045")
        let (score, reasons) = score(new, held)
        #expect(score >= CustomerScorer.settledFloor)
        #expect(reasons.contains(MatchReason(field: "tax_id", similarity: 1, detail: "equal, valid check digit")))
    }

    @Test func anEqualWebDomainScoresHigh() {
        let new = Customer(legalName: "Globex", country: "US", webDomain: "https://www.globex.com/contact")
        let held = Customer(
            legalName: "Globex Corporation", city: "Springfield", country: "US", webDomain: "globex.com")
        let (score, reasons) = score(new, held)
        #expect(score >= 0.90)
        #expect(reasons.contains(MatchReason(field: "web_domain", similarity: 1, detail: "equal")))
    }

    @Test func aDifferentCountryWithoutIdentifiersScoresLow() {
        let (score, reasons) = score(
            Customer(legalName: "Acme Widgets SA", city: "Paris", country: "FR"),
            Customer(legalName: "Acme Widgets SA", city: "Paris", country: "BE"))
        #expect(score < ProgramPolicy().reviewThreshold)
        #expect(!reasons.contains { $0.field == "tax_id" || $0.field == "web_domain" })
    }

    @Test func aSharedDomainAcrossCountriesIsDiscounted() {
        let (score, _) = score(
            Customer(legalName: "Acme France", country: "FR", webDomain: "acme.com"),
            Customer(legalName: "Acme Benelux", country: "BE", webDomain: "www.acme.com"))
        // Subsidiaries in two countries: a channel manager decides.
        #expect(score >= ProgramPolicy().reviewThreshold)
        #expect(score < ProgramPolicy().conflictThreshold)
    }

    @Test func addressEvidenceRaisesOrLowersTheScoreOfTheSameName() {
        let held = Customer(legalName: "ACME WIDGETS SARL", city: "Lyon", postalCode: "69003", country: "FR")
        let samePostal = score(Customer(legalName: "Acme Widgets", postalCode: "69003", country: "FR"), held).score
        let sameCity = score(Customer(legalName: "Acme Widgets", city: "LYON", country: "FR"), held).score
        let noAddress = score(Customer(legalName: "Acme Widgets", country: "FR"), held).score
        let elsewhere = score(
            Customer(legalName: "Acme Widgets", city: "Brest", postalCode: "29200", country: "FR"), held
        ).score
        #expect(samePostal > noAddress)
        #expect(sameCity > noAddress)
        #expect(noAddress > elsewhere)
        #expect(elsewhere < 0.90)
    }

    @Test func aDissimilarNameIsNotRescuedByTheSamePostalCode() {
        let (score, _) = score(
            Customer(legalName: "Boulangerie Petit", postalCode: "69003", country: "FR"),
            Customer(legalName: "Garage Dumas", postalCode: "69003", country: "FR"))
        #expect(score < 0.75)
    }

    @Test func scoresAreSymmetricForNames() {
        let lhs = NormalizedCustomer(Customer(legalName: "Dupont Logistique", city: "Lyon", country: "FR"))
        let rhs = NormalizedCustomer(Customer(legalName: "Dupond Logistics", city: "Lyon", country: "FR"))
        #expect(scorer.score(lhs, against: rhs).score == scorer.score(rhs, against: lhs).score)
    }

    @Test func nameSimilarityIgnoresTokenOrder() {
        let lhs = NormalizedCustomer(Customer(legalName: "Martin Fils Boulangerie", country: "FR"))
        let rhs = NormalizedCustomer(Customer(legalName: "Boulangerie Martin Fils", country: "FR"))
        #expect(scorer.nameSimilarity(lhs, rhs) == 1)
    }
}

@Suite struct NumberedNameTests {
    @Test func differentNumbersInOtherwiseEqualNamesAreDifferentCompanies() {
        let scorer = CustomerScorer()
        let first = NormalizedCustomer(Customer(legalName: "Hotel Sonne 12 GmbH", postalCode: "10115", country: "DE"))
        let second = NormalizedCustomer(Customer(legalName: "Hotel Sonne 21 GmbH", postalCode: "10115", country: "DE"))
        let same = NormalizedCustomer(Customer(legalName: "HOTEL SONNE 12", postalCode: "10115", country: "DE"))
        #expect(scorer.score(first, against: second).score < 0.75)
        #expect(scorer.score(first, against: same).score >= 0.90)
    }
}
