import DealModel
import Matching
import Testing

/// An index of accounts: one entry per customer, holding the spellings seen on its registrations.
@Suite("AccountIndex")
struct AccountIndexTests {
    typealias AccountIndex = CustomerIndex<AccountID>

    let review = ProgramPolicy().reviewThreshold
    let ibm = Customer(
        legalName: "International Business Machines Corporation", street: "1 New Orchard Road", city: "Armonk",
        postalCode: "10504", region: "NY", country: "US", webDomain: "ibm.com")
    let ibmGermany = Customer(
        legalName: "IBM Deutschland GmbH", street: "IBM-Allee 1", city: "Ehningen", postalCode: "71139", country: "DE")
    let dupont = Customer(
        legalName: "Dupont Logistique SAS", street: "12 Rue Garibaldi", city: "Lyon", postalCode: "69003", country: "FR"
    )

    @Test func findsAnAccountThroughASecondSpellingWhenTheFirstDoesNotMatch() throws {
        var index = AccountIndex()
        let account = AccountID(number: 1)
        index.addSpelling(account, customer: ibm)
        index.addSpelling(AccountID(number: 2), customer: dupont)
        let query = Customer(legalName: "IBM Deutschland", street: "IBM Allee 1", city: "Ehningen", country: "DE")
        #expect(!index.candidates(for: query, minimumScore: review).contains { $0.id == account })

        let added = index.addSpelling(account, customer: ibmGermany)
        #expect(added)
        #expect(index.count == 2)
        #expect(index.spellingCount(of: account) == 2)
        let found = try #require(index.candidates(for: query, minimumScore: review).first)
        #expect(found.id == account)
        // It scores as its best spelling, with that spelling's reasons.
        let alone = CustomerScorer().score(NormalizedCustomer(query), against: NormalizedCustomer(ibmGermany))
        #expect(found.score == alone.score)
        #expect(found.reasons == alone.reasons)
        // The first spelling still finds it too.
        #expect(index.candidates(for: ibm, minimumScore: review).first?.id == account)
    }

    @Test func aSpellingAlreadyHeldIsNotAddedAgainAndChangesNoScore() {
        var once = AccountIndex()
        once.addSpelling(AccountID(number: 1), customer: dupont)
        var twice = once
        let again = twice.addSpelling(AccountID(number: 1), customer: dupont)
        #expect(!again)
        // Another writing of the same normalised customer is the same spelling.
        var shouted = dupont
        shouted.legalName = "DUPONT  LOGISTIQUE S.A.S."
        let shoutedAgain = twice.addSpelling(AccountID(number: 1), customer: shouted)
        #expect(!shoutedAgain)
        #expect(twice.spellingCount(of: AccountID(number: 1)) == 1)
        let query = Customer(legalName: "Dupont Logistik", city: "Lyon", postalCode: "69003", country: "FR")
        let expected = once.candidates(for: query, minimumScore: 0).map { "\($0.id) \($0.score)" }
        #expect(!expected.isEmpty)
        #expect(twice.candidates(for: query, minimumScore: 0).map { "\($0.id) \($0.score)" } == expected)
    }

    /// A key that several spellings share is posted once for the account: counted twice, it would lift an account
    /// that matches on its name alone above the customer who matches on name and address.
    @Test func countsAKeySharedBySpellingsOnce() {
        var index = AccountIndex()
        index.addSpelling(AccountID(number: 1), customer: dupont)
        for (city, postal) in [("Paris", "75011"), ("Lille", "59000"), ("Nantes", "44000")] {
            index.addSpelling(
                AccountID(number: 2),
                customer: Customer(
                    legalName: "Dupont Logistique SAS", street: "3 Rue Nationale", city: city, postalCode: postal,
                    country: "FR"))
        }
        #expect(index.spellingCount(of: AccountID(number: 2)) == 3)
        #expect(index.candidates(for: dupont, minimumScore: 0, limit: 1).map(\.id) == [AccountID(number: 1)])
    }

    @Test func keepsAtMostTheMaximumOfSpellings() {
        var index = AccountIndex()
        let account = AccountID(number: 1)
        var added = 0
        for number in 1...(AccountIndex.maximumSpellings + 8) {
            var spelling = dupont
            spelling.street = "\(number) Rue Garibaldi"
            if index.addSpelling(account, customer: spelling) { added += 1 }
        }
        #expect(added == AccountIndex.maximumSpellings)
        #expect(index.spellingCount(of: account) == AccountIndex.maximumSpellings)
        var last = dupont
        last.street = "\(AccountIndex.maximumSpellings + 8) Rue Garibaldi"
        let pastTheCap = index.addSpelling(account, customer: last)
        #expect(!pastTheCap)
    }

    @Test func replacingTheSpellingsDropsTheKeysOfTheOldOnes() {
        var index = AccountIndex()
        let account = AccountID(number: 1)
        index.replace(account, spellings: [ibm, ibmGermany, ibm])
        #expect(index.spellingCount(of: account) == 2)
        #expect(index.candidates(for: ibmGermany, minimumScore: review).map(\.id) == [account])

        index.replace(account, spellings: [ibm])
        #expect(index.spellingCount(of: account) == 1)
        #expect(index.candidates(for: ibmGermany, minimumScore: review).isEmpty)
        #expect(index.candidates(for: ibm, minimumScore: review).map(\.id) == [account])

        index.replace(account, spellings: [Customer]())
        #expect(index.count == 0)
        #expect(index.spellingCount(of: account) == 0)
        #expect(index.candidates(for: ibm, minimumScore: 0).isEmpty)
    }

    @Test func removingAnAccountRemovesEverySpelling() {
        var index = AccountIndex()
        index.replace(AccountID(number: 1), spellings: [ibm, ibmGermany])
        index.remove(AccountID(number: 1))
        #expect(index.count == 0)
        #expect(index.candidates(for: ibm, minimumScore: 0).isEmpty)
        #expect(index.candidates(for: ibmGermany, minimumScore: 0).isEmpty)
    }

    /// A big account is one entry, so its own registrations cannot crowd it, or anyone else, out of the limit.
    @Test func aBigAccountIsOneEntryFoundFirstAmongItsNeighbours() {
        var index = AccountIndex()
        let account = AccountID(number: 1)
        for _ in 1...1000 { index.addSpelling(account, customer: dupont) }
        #expect(index.count == 1)
        #expect(index.spellingCount(of: account) == 1)
        for number in 2...61 {
            index.addSpelling(
                AccountID(number: Int64(number)),
                customer: Customer(
                    legalName: "Société \(number) Rhône", city: "Lyon", postalCode: "69003", country: "FR"))
        }
        let query = Customer(legalName: "Dupont Logistique", city: "Lyon", postalCode: "69003", country: "FR")
        let found = index.candidates(for: query, minimumScore: 0, limit: 4)
        #expect(found.first?.id == account)
        #expect(found.count <= 4)
    }

    @Test func addingInBulkGivesWhatAddingOneByOneGives() {
        var generator = Spellings()
        let spellings = generator.registrations(accounts: 80, count: 400)
        var oneByOne = AccountIndex()
        for (id, customer) in spellings { oneByOne.addSpelling(id, customer: customer) }
        var bulk = AccountIndex()
        bulk.addSpellings(contentsOf: spellings)
        // Given all at once, each account's spellings are keyed from the customers themselves rather than
        // recomputed from a packed first spelling.
        var replaced = AccountIndex()
        for id in Set(spellings.map(\.id)).sorted() {
            replaced.replace(id, spellings: spellings.filter { $0.id == id }.map(\.customer))
        }

        #expect(bulk.count == oneByOne.count)
        #expect(replaced.count == oneByOne.count)
        #expect(oneByOne.count == 80)
        for id in Set(spellings.map(\.id)) {
            #expect(bulk.spellingCount(of: id) == oneByOne.spellingCount(of: id))
            #expect(
                replaced.spellingCount(of: id) == min(AccountIndex.maximumSpellings, oneByOne.spellingCount(of: id)))
        }
        // Repeats were refused and respellings kept.
        let held = Set(spellings.map(\.id)).reduce(0) { $0 + oneByOne.spellingCount(of: $1) }
        #expect(held > 80 && held < spellings.count)

        func found(_ index: AccountIndex, _ query: Customer, limit: Int) -> [String] {
            index.candidates(for: query, minimumScore: 0, limit: limit).map { "\($0.id) \($0.score)" }
        }
        var checked = 0
        for query in spellings.map(\.customer).prefix(120) + (0..<40).map({ _ in generator.customer() }) {
            #expect(found(bulk, query, limit: 8) == found(oneByOne, query, limit: 8))
            // With no cut, the slots' order does not matter: the same keys find the same accounts.
            #expect(found(replaced, query, limit: 1000) == found(oneByOne, query, limit: 1000))
            checked += found(oneByOne, query, limit: 8).isEmpty ? 0 : 1
        }
        #expect(checked >= 120)
    }
}

/// A small deterministic population of accounts and the spellings their registrations use: SplitMix64 over a few
/// syllables, streets of one or two house numbers. Not thread-safe: one per test.
struct Spellings {
    private var state: UInt64 = 16

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private mutating func word() -> String {
        let syllables = ["ka", "lor", "trin", "bra", "nik", "dol", "mer", "zan", "tor", "pen", "gri", "vin", "hof"]
        return (0..<(2 + below(2))).map { _ in syllables[below(syllables.count)] }.joined().capitalized
    }

    mutating func customer() -> Customer {
        let (country, form, postalBase) = [("DE", "GmbH", 10_000), ("FR", "SARL", 69_000), ("NL", "BV", 1000)][below(3)]
        let numbers = below(4) == 0 ? "\(1 + below(90))-\(91 + below(9))" : "\(1 + below(120))"
        return Customer(
            legalName: "\(word()) \(below(2) == 0 ? word() + " " : "")\(form)", street: "\(numbers) \(word()) Street",
            city: "Stadt\(below(5))", postalCode: String(postalBase + below(20)), country: country,
            webDomain: below(2) == 0 ? "\(word().lowercased()).example" : "")
    }

    /// `count` registrations over `accounts` accounts: most repeat the account's spelling, the others respell it.
    mutating func registrations(accounts: Int, count: Int) -> [(id: AccountID, customer: Customer)] {
        let originals = (0..<accounts).map { _ in customer() }
        return (0..<count).map { _ in
            let number = below(accounts)
            var spelling = originals[number]
            switch below(6) {
            case 0: spelling.legalName = spelling.legalName.uppercased()
            case 1:
                var letters = Array(spelling.legalName)
                let position = 1 + below(letters.count - 3)
                letters.swapAt(position, position + 1)
                spelling.legalName = String(letters)
            case 2: spelling.webDomain = ""
            case 3: spelling.street = "\(1 + below(120)) \(word()) Street"
            default: break
            }
            return (AccountID(number: Int64(number + 1)), spelling)
        }
    }
}
