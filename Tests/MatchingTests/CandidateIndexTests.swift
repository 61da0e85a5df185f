import DealModel
import Matching
import Testing

@Suite("CandidateIndex")
struct CandidateIndexTests {
    let dupont = Customer(legalName: "Dupont Logistique SAS", city: "Lyon", postalCode: "69003", country: "FR")
    let martin = Customer(legalName: "Martin Informatique SARL", city: "Bordeaux", postalCode: "33000", country: "FR")
    let globex = Customer(legalName: "Globex Corporation", city: "Springfield", country: "US", webDomain: "globex.com")

    func index() -> CandidateIndex {
        var index = CandidateIndex()
        index.insert(RegistrationID(number: 1), customer: dupont)
        index.insert(RegistrationID(number: 2), customer: martin)
        index.insert(RegistrationID(number: 3), customer: globex)
        return index
    }

    @Test func findsAVariantSpellingOfAnIndexedCustomer() throws {
        let variant = Customer(legalName: "DUPONT LOGISTIQUES", city: "Lyon", postalCode: "69003", country: "FR")
        let found = index().candidates(for: variant, minimumScore: 0.75)
        let best = try #require(found.first)
        #expect(best.id == RegistrationID(number: 1))
        #expect(best.score >= 0.90)
        #expect(!found.contains { $0.id == RegistrationID(number: 2) })
    }

    @Test func findsAMisspeltNameThroughItsPrefix() throws {
        let misspelt = Customer(legalName: "Dupontt Logistik", city: "Lyon", country: "FR")
        let found = index().candidates(for: misspelt, minimumScore: 0.5)
        #expect(found.first?.id == RegistrationID(number: 1))
    }

    @Test func findsByWebDomainAlone() {
        let byDomain = Customer(legalName: "GBX Holdings", country: "US", webDomain: "https://shop.globex.com")
        #expect(index().candidates(for: byDomain, minimumScore: 0.9).map(\.id) == [RegistrationID(number: 3)])
    }

    /// One customer registered 45 times under one spelling: a cut at the limit fell among equals and dropped the
    /// registrations past it, whichever holds the customer. Every entry tied with the best is scored.
    @Test func keepsEveryEntryTiedWithTheBestPastTheLimit() {
        var index = CandidateIndex()
        let telekom = Customer(
            legalName: "Deutsche Telekom AG", street: "Friedrich-Ebert-Allee 140", city: "Bonn", postalCode: "53113",
            country: "DE")
        for number in 1...45 { index.insert(RegistrationID(number: Int64(number)), customer: telekom) }
        var query = telekom
        query.legalName = "Deutsche Telekom"
        let found = index.candidates(for: query, minimumScore: 0.5, limit: 32)
        #expect(found.count == 45)
        #expect(Set(found.map(\.id)) == Set((1...45).map { RegistrationID(number: Int64($0)) }))
        // Bounded: past `tieLimit` times the limit, the rest stays out.
        #expect(index.candidates(for: query, minimumScore: 0.5, limit: 4).count == 4 * CandidateIndex.tieLimit)
    }

    /// A cut below the best (many customers sharing a postal code with the query) is not widened.
    @Test func anOrdinaryCutStaysAtTheLimit() {
        var index = CandidateIndex()
        index.insert(RegistrationID(number: 1), customer: dupont)
        for number in 2...60 {
            index.insert(
                RegistrationID(number: Int64(number)),
                customer: Customer(
                    legalName: "Société \(number) Rhône", city: "Lyon", postalCode: "69003", country: "FR"))
        }
        #expect(index.candidates(for: dupont, minimumScore: 0, limit: 8).count <= 8)
    }

    @Test func returnsNothingForAnUnrelatedCustomer() {
        let other = Customer(legalName: "Initech", city: "Austin", postalCode: "73301", country: "US")
        #expect(index().candidates(for: other, minimumScore: 0.0).isEmpty)
    }

    @Test func appliesTheMinimumScore() throws {
        let index = index()
        let variant = Customer(legalName: "Dupont Logistique", country: "FR")  // same name, no address
        let found = try #require(index.candidates(for: variant, minimumScore: 0.0).first)
        #expect(found.id == RegistrationID(number: 1))
        #expect(index.candidates(for: variant, minimumScore: found.score).map(\.id) == [found.id])
        #expect(index.candidates(for: variant, minimumScore: found.score.nextUp).isEmpty)
    }

    @Test func ordersCandidatesBestFirst() {
        var index = CandidateIndex()
        index.insert(RegistrationID(number: 1), customer: Customer(legalName: "Dupont Transports", country: "FR"))
        index.insert(RegistrationID(number: 2), customer: dupont)
        let found = index.candidates(for: dupont, minimumScore: 0.0)
        #expect(found.map(\.id) == [RegistrationID(number: 2), RegistrationID(number: 1)])
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func doesNotReturnRemovedEntries() {
        var index = index()
        index.remove(RegistrationID(number: 1))
        #expect(index.count == 2)
        #expect(!index.candidates(for: dupont, minimumScore: 0.0).contains { $0.id == RegistrationID(number: 1) })
        index.remove(RegistrationID(number: 1))  // removing again is harmless
        index.remove(RegistrationID(number: 99))
        #expect(index.count == 2)
    }

    @Test func insertingTheSameIDAgainReplacesTheCustomer() {
        var index = index()
        index.insert(
            RegistrationID(number: 1), customer: Customer(legalName: "Initech", postalCode: "73301", country: "US"))
        #expect(index.count == 3)
        #expect(!index.candidates(for: dupont, minimumScore: 0.0).contains { $0.id == RegistrationID(number: 1) })
        let found = index.candidates(
            for: Customer(legalName: "Initech", country: "US"), minimumScore: ProgramPolicy().reviewThreshold)
        #expect(found.map(\.id) == [RegistrationID(number: 1)])
    }

    @Test func anEmptyIndexHasNoCandidates() {
        let index = CandidateIndex()
        #expect(index.count == 0)
        #expect(index.candidates(for: dupont, minimumScore: 0.0).isEmpty)
    }
}
