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
