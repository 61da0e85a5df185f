import DealModel
import Matching
import Testing

/// The pairs of issue 17, tried by hand before it: a global vendor's customers written in other scripts, as
/// acronyms, under another trading name with one web domain, and the other way round, different customers that
/// share a mail provider's domain, a town or a group name. Thresholds are the policy's defaults.
@Suite struct GlobalVendorTests {
    static let policy = ProgramPolicy()

    enum Outcome: String, CustomStringConvertible {
        case conflict, review, free
        var description: String { rawValue }
    }

    static func outcome(_ new: Customer, _ held: Customer) -> (Outcome, Double, [MatchReason]) {
        let (score, reasons) = CustomerScorer().score(NormalizedCustomer(new), against: NormalizedCustomer(held))
        let outcome: Outcome =
            score >= policy.conflictThreshold ? .conflict : score >= policy.reviewThreshold ? .review : .free
        return (outcome, score, reasons)
    }

    // MARK: The same customer: a conflict.

    @Test(arguments: [
        // Cyrillic and its romanisations, with the street and city in either script.
        (
            Customer(
                legalName: "ООО «Ромашка»", street: "ул. Тверская, д. 7", city: "Москва", postalCode: "125009",
                country: "RU"),
            Customer(
                legalName: "Romashka LLC", street: "7 Tverskaya St.", city: "Moscow", postalCode: "125009",
                country: "RU")
        ),
        (
            Customer(
                legalName: "АО «Щукин и Партнёры»", street: "Невский проспект, 28", city: "Санкт-Петербург",
                postalCode: "191186", country: "RU"),
            Customer(
                legalName: "Schukin & Partners JSC", street: "Nevsky prospekt 28", city: "St Petersburg",
                postalCode: "191186", country: "RU")
        ),
        // Greek.
        (
            Customer(
                legalName: "Αθηναϊκή Ζυθοποιία Α.Ε.", street: "Λεωφόρος Κηφισού 102", city: "Αθήνα",
                postalCode: "12241", country: "GR"),
            Customer(
                legalName: "Athinaiki Zythopoiia SA", street: "Leof. Kifisou 102", city: "Athens",
                postalCode: "122 41", country: "GR")
        ),
        // Japanese against its Latin name: decided on the equal tax id (the corporate number) and the address.
        (
            Customer(
                legalName: "トヨタ自動車株式会社", street: "トヨタ町1番地", city: "豊田市", postalCode: "471-8571",
                country: "JP", taxID: "1180301018771"),
            Customer(
                legalName: "Toyota Motor Corporation", street: "1 Toyota-cho", city: "Toyota City",
                postalCode: "471-8571", country: "JP", taxID: "1180301018771")
        ),
        // An acronym at the same address.
        (
            Customer(
                legalName: "IBM Corp", street: "1 New Orchard Road", city: "Armonk", postalCode: "10504",
                country: "US"),
            Customer(
                legalName: "International Business Machines Corporation", street: "1 New Orchard Rd",
                city: "Armonk", postalCode: "10504", country: "US")
        ),
        (
            Customer(
                legalName: "P&G", street: "1 Procter & Gamble Plaza", city: "Cincinnati", postalCode: "45202",
                country: "US"),
            Customer(
                legalName: "The Procter & Gamble Company", street: "1 Procter and Gamble Plaza", city: "Cincinnati",
                postalCode: "45202", country: "US")
        ),
        // One web domain, a shop subdomain and the main site, a similar name, another city.
        (
            Customer(
                legalName: "Bergsport Huber Shop", city: "Innsbruck", postalCode: "6020", country: "AT",
                webDomain: "https://shop.bergsport-huber.at/kontakt"),
            Customer(
                legalName: "Bergsport Huber GmbH", city: "Wien", postalCode: "1010", country: "AT",
                webDomain: "www.bergsport-huber.at")
        ),
    ])
    func theSameCustomerIsAConflict(new: Customer, held: Customer) {
        let (outcome, score, reasons) = Self.outcome(new, held)
        #expect(outcome == .conflict, "\(new.legalName) ~ \(held.legalName): \(score) \(reasons)")
    }

    // MARK: The same customer on weaker evidence: a review at least.

    @Test(arguments: [
        // Japanese against Latin at one address, no identifier: the address and postal code send it to review.
        (
            Customer(
                legalName: "株式会社リコー", street: "中馬込1-3-6", city: "東京都", postalCode: "143-8555",
                country: "JP"),
            Customer(
                legalName: "Ricoh Company, Ltd.", street: "1-3-6 Nakamagome", city: "Tokyo", postalCode: "143-8555",
                country: "JP")
        ),
        // An acronym in the same city, no street: a review, not a conflict.
        (
            Customer(legalName: "NDS GmbH", city: "Hamburg", postalCode: "20095", country: "DE"),
            Customer(legalName: "Nordic Data Systems GmbH", city: "Hamburg", postalCode: "20095", country: "DE")
        ),
    ])
    func weakerEvidenceIsAReview(new: Customer, held: Customer) {
        let (outcome, score, reasons) = Self.outcome(new, held)
        #expect(outcome == .review, "\(new.legalName) ~ \(held.legalName): \(score) \(reasons)")
    }

    /// The domain spells the held customer's name: the new name is tied to it through the domain, a conflict.
    @Test func anEqualDomainUnderAnotherTradingNameIsNeverFree() {
        let (outcome, score, reasons) = Self.outcome(
            Customer(
                legalName: "Alpenglück Outdoor", city: "Salzburg", postalCode: "5020", country: "AT",
                webDomain: "shop.bergsport-huber.at"),
            Customer(
                legalName: "Bergsport Huber GmbH", city: "Wien", postalCode: "1010", country: "AT",
                webDomain: "https://www.bergsport-huber.at"))
        #expect(outcome == .conflict, "\(score) \(reasons)")
        let (other, otherScore, otherReasons) = Self.outcome(
            Customer(
                legalName: "Alpenglück Outdoor", city: "Salzburg", postalCode: "5020", country: "AT",
                webDomain: "shop.hb-sport.at"),
            Customer(
                legalName: "Bergsport Huber GmbH", city: "Wien", postalCode: "1010", country: "AT",
                webDomain: "https://www.hb-sport.at"))
        #expect(other == .review, "\(otherScore) \(otherReasons)")
    }

    // MARK: Different customers: never a conflict.

    @Test(arguments: [
        // Two small businesses in one town on one free-mail domain (the bakery and plumber).
        (
            Customer(
                legalName: "Plomberie Durand", street: "12 rue de Nantes", city: "Rennes", postalCode: "35000",
                country: "FR", webDomain: "plomberie.durand35@orange.fr"),
            Customer(
                legalName: "Boulangerie Le Fournil", street: "4 place des Lices", city: "Rennes",
                postalCode: "35000", country: "FR", webDomain: "lefournil.rennes@orange.fr")
        ),
        (
            Customer(
                legalName: "Plomberie Durand", city: "Rennes", postalCode: "35000", country: "FR",
                webDomain: "gmail.com"),
            Customer(
                legalName: "Boulangerie Le Fournil", city: "Rennes", postalCode: "35000", country: "FR",
                webDomain: "gmail.com")
        ),
        // Numbered sister companies at one address.
        (
            Customer(
                legalName: "Nordic Data 2 AB", street: "Kungsgatan 12", city: "Stockholm", postalCode: "111 43",
                country: "SE", webDomain: "nordicdata.se"),
            Customer(
                legalName: "Nordic Data 1 AB", street: "Kungsgatan 12", city: "Stockholm", postalCode: "11143",
                country: "SE", webDomain: "nordicdata.se")
        ),
        // Divisions of one group.
        (
            Customer(
                legalName: "Siemens Energy AG", street: "Otto-Hahn-Ring 6", city: "München", postalCode: "81739",
                country: "DE"),
            Customer(
                legalName: "Siemens Healthineers AG", street: "Henkestraße 127", city: "Erlangen",
                postalCode: "91052", country: "DE")
        ),
        // A mistyped tax id (its check digit fails) is no evidence: a different company stays free.
        (
            Customer(legalName: "Weber Logistik GmbH", city: "Köln", postalCode: "50667", country: "DE"),
            Customer(legalName: "Krause Maschinenbau GmbH", city: "Bremen", postalCode: "28195", country: "DE")
        ),
    ])
    func differentCustomersAreNeverAConflict(new: Customer, held: Customer) {
        let (outcome, score, reasons) = Self.outcome(new, held)
        #expect(outcome != .conflict, "\(new.legalName) ~ \(held.legalName): \(score) \(reasons)")
    }

    @Test func namesThatShareNoWordAreFreeElsewhereThanAtOneAddress() {
        let bakery = Customer(
            legalName: "Boulangerie Le Fournil", street: "4 place des Lices", city: "Rennes", postalCode: "35000",
            country: "FR", webDomain: "orange.fr")
        let plumber = Customer(
            legalName: "Plomberie Durand", street: "12 rue de Nantes", city: "Rennes", postalCode: "35000",
            country: "FR", webDomain: "orange.fr")
        #expect(Self.outcome(plumber, bakery).0 == .free)
        var neighbour = plumber
        neighbour.street = "4 place des Lices"
        #expect(Self.outcome(neighbour, bakery).0 == .review)
    }

    @Test func siblingsAreAtMostAReviewAtOneAddressAndFreeElsewhere() {
        let first = Customer(
            legalName: "Nordic Data 1 AB", street: "Kungsgatan 12", city: "Stockholm", postalCode: "11143",
            country: "SE")
        var second = first
        second.legalName = "Nordic Data 2 AB"
        #expect(Self.outcome(second, first).0 != .conflict)
        second.street = "Drottninggatan 80"
        second.postalCode = "11136"
        #expect(Self.outcome(second, first).0 == .free)
        var region = first
        region.legalName = "Nordic Data Iberia SL"
        region.street = "Calle de Alcalá 50"
        region.city = "Madrid"
        region.postalCode = "28014"
        region.country = "ES"
        var nordic = first
        nordic.legalName = "Nordic Data Nordic AB"
        #expect(Self.outcome(region, nordic).0 == .free)
    }

    /// A partner that adds a division word to a competitor's customer does not make it a sister company.
    @Test func aDivisionWordOnOneSideOnlyIsNotASisterCompany() {
        let held = Customer(
            legalName: "Müller Maschinenbau GmbH", street: "Hauptstraße 5", city: "München", postalCode: "80331",
            country: "DE")
        var relabelled = held
        relabelled.legalName = "Müller Maschinenbau Energy GmbH"
        relabelled.street = "Hauptstr. 5"
        let (outcome, score, reasons) = Self.outcome(relabelled, held)
        #expect(outcome == .conflict, "\(score) \(reasons)")
    }

    /// A number added on one side at the same street: a sister company as likely as a relabelling, so a review
    /// for a channel manager, and never conclusive for a sanction.
    @Test func aNumberOnOneSideOnlyIsAReviewAndNotConclusive() {
        let held = Customer(
            legalName: "Müller Maschinenbau GmbH", street: "Hauptstraße 5", city: "München", postalCode: "80331",
            country: "DE")
        var numbered = held
        numbered.legalName = "Müller Maschinenbau 2 GmbH"
        let (outcome, score, reasons) = Self.outcome(numbered, held)
        #expect(outcome == .review, "\(score) \(reasons)")
        let conclusive = CustomerScorer().conclusiveEvidence(NormalizedCustomer(numbered), NormalizedCustomer(held))
        #expect(conclusive.isEmpty)
    }

    @Test func aCJKNameAgainstALatinOneSaysItWasNotCompared() {
        let (_, _, reasons) = Self.outcome(
            Customer(legalName: "株式会社リコー", postalCode: "143-8555", country: "JP"),
            Customer(legalName: "Ricoh Company, Ltd.", postalCode: "143-8555", country: "JP"))
        #expect(reasons.contains { $0.field == "name" && $0.detail.contains("not compared") })
    }

    @Test func cjkLegalFormsAreSplitBeforeOrAfterTheName() {
        #expect(LegalForms.splitCJK("トヨタ自動車株式会社") == ("トヨタ自動車", ["kk"]))
        #expect(LegalForms.splitCJK("株式会社リコー") == ("リコー", ["kk"]))
        #expect(LegalForms.splitCJK("华为技术有限公司").name == "华为技术")
        #expect(LegalForms.splitCJK("台湾积体电路制造股份有限公司").name == "台湾积体电路制造")
        #expect(LegalForms.splitCJK("삼성전자 주식회사").name == "삼성전자")
        #expect(LegalForms.splitCJK("株式会社") == ("株式会社", []))
    }

    @Test func theSameCJKNameWithAndWithoutItsLegalFormIsAConflict() {
        let (outcome, score, reasons) = Self.outcome(
            Customer(legalName: "トヨタ自動車株式会社", city: "豊田市", postalCode: "471-8571", country: "JP"),
            Customer(legalName: "トヨタ自動車", city: "豊田市", postalCode: "4718571", country: "JP"))
        #expect(outcome == .conflict, "\(score) \(reasons)")
    }
}
