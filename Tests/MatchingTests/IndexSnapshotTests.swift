import DealModel
import Matching
import Testing

/// A snapshot of an index read back is the same index: every lookup answers as before, whatever state the
/// original was in (sorted postings and recent ones, several spellings, removed entries).
@Suite("IndexSnapshot")
struct IndexSnapshotTests {
    typealias AccountIndex = CustomerIndex<AccountID>

    /// Customers made from word lists, the same in every run: enough of them to fold postings into the sorted base.
    static func customers(_ count: Int) -> [Customer] {
        let first = ["Nordic", "Alpine", "Atlas", "Crescent", "Harbor", "Summit", "Granite", "Cedar", "Delta", "Ivory"]
        let second = ["Logistics", "Foods", "Systems", "Textiles", "Pharma", "Robotics", "Energy", "Media", "Metals"]
        let forms = ["GmbH", "Ltd", "SAS", "Inc", "BV", "AG", "SpA", ""]
        let cities = ["Berlin", "Lyon", "Leeds", "Utrecht", "Milan", "Austin", "Graz", "Porto"]
        let countries = ["DE", "FR", "GB", "NL", "IT", "US", "AT", "PT"]
        return (0..<count).map { n in
            let place = n % cities.count
            return Customer(
                legalName: "\(first[n % first.count]) \(second[(n / 10) % second.count]) \(n / 90) "
                    + forms[(n / 7) % forms.count],
                street: "\(n % 300 + 1) \(["Park", "Mill", "Station", "Church"][n % 4]) Road", city: cities[place],
                postalCode: String(10_000 + (n * 37) % 89_999), country: countries[place],
                webDomain: n % 5 == 0 ? "\(first[n % first.count].lowercased())\(n).example" : "")
        }
    }

    /// An index in every state a worker's can be in: thousands of entries (postings folded into the sorted base and
    /// recent ones beside it), accounts with several spellings, merged (removed) and replaced ones.
    static func busyIndex() -> AccountIndex {
        var index = AccountIndex()
        let all = customers(6000)
        index.addSpellings(contentsOf: all.prefix(5000).enumerated().map { (AccountID(number: Int64($0 + 1)), $1) })
        for (offset, customer) in all.dropFirst(5000).enumerated() {
            // Second spellings of earlier accounts, and new accounts, after the bulk load.
            let account = AccountID(number: Int64(offset % 2 == 0 ? offset / 2 + 1 : 5000 + offset))
            index.addSpelling(account, customer: customer)
        }
        for number in stride(from: 3, to: 400, by: 7) { index.remove(AccountID(number: Int64(number))) }
        index.replace(AccountID(number: 10), spellings: [all[10], all[5999]])
        return index
    }

    static func snapshot(of index: AccountIndex) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try index.encodeSnapshot { bytes += $0 }
        return bytes
    }

    static func answers(_ index: AccountIndex, _ queries: [Customer]) -> [String] {
        queries.map { query in
            index.candidates(for: query, minimumScore: 0.3).map { "\($0.id) \($0.score) \($0.reasons)" }
                .joined(separator: "; ")
        }
    }

    @Test func anIndexReadBackAnswersEveryLookupAsTheOriginal() throws {
        let index = Self.busyIndex()
        let bytes = try Self.snapshot(of: index)
        let restored = try bytes.withUnsafeBytes { try AccountIndex(snapshot: $0) }
        #expect(restored.count == index.count)
        #expect(restored.slotCount == index.slotCount)
        // The indexed customers themselves, respelled ones, and strangers.
        var queries = Self.customers(6000).enumerated().filter { $0.offset % 13 == 0 }.map(\.element)
        queries += queries.prefix(200).map { customer in
            var respelled = customer
            respelled.legalName = customer.legalName.uppercased().replacingOccurrences(of: "O", with: "0")
            return respelled
        }
        queries.append(Customer(legalName: "Unrelated Holdings plc", city: "Cardiff", country: "GB"))
        let expected = Self.answers(index, queries)
        #expect(expected.filter { !$0.isEmpty }.count > queries.count / 2)
        // Asked twice, the original answers the same (the weights are summed in one order whatever the query's set).
        #expect(Self.answers(index, queries) == expected)
        #expect(Self.answers(restored, queries) == expected)
        // And it goes on as the original would: the same changes give the same answers.
        var original = index
        var copy = restored
        for (offset, customer) in Self.customers(6100).suffix(100).enumerated() {
            original.addSpelling(AccountID(number: Int64(7000 + offset)), customer: customer)
            copy.addSpelling(AccountID(number: Int64(7000 + offset)), customer: customer)
        }
        #expect(Self.answers(copy, queries) == Self.answers(original, queries))
        // Written again, the restored index gives the same bytes.
        #expect(try Self.snapshot(of: restored) == bytes)
    }

    /// Ways a snapshot file can be damaged.
    enum Damage: String, CaseIterable, Sendable {
        case cutShort, notASnapshot, anotherMatcher, impossibleCount, trailingBytes

        func apply(to bytes: inout [UInt8]) {
            switch self {
            case .cutShort: bytes.removeLast(9)
            case .notASnapshot: bytes[0] ^= 0xFF
            case .anotherMatcher: bytes[8] ^= 0x01
            case .impossibleCount: bytes.replaceSubrange(16..<24, with: [0, 0, 0, 0, 1, 0, 0, 0])
            case .trailingBytes: bytes.append(0)
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func aDamagedSnapshotIsRefused(_ damage: Damage) throws {
        var index = AccountIndex()
        index.addSpellings(contentsOf: Self.customers(50).enumerated().map { (AccountID(number: Int64($0 + 1)), $1) })
        var bytes = try Self.snapshot(of: index)
        damage.apply(to: &bytes)
        #expect(throws: IndexSnapshotError.self) {
            try bytes.withUnsafeBytes { try AccountIndex(snapshot: $0) }
        }
    }

    @Test func everyDamagedByteIsRefusedOrReadAsAnIndex() throws {
        // A flipped byte anywhere either fails the checks or still makes an index that answers without crashing.
        var index = AccountIndex()
        index.addSpellings(contentsOf: Self.customers(20).enumerated().map { (AccountID(number: Int64($0 + 1)), $1) })
        let bytes = try Self.snapshot(of: index)
        for position in bytes.indices {
            var damaged = bytes
            damaged[position] ^= 0x5A
            if let read = try? damaged.withUnsafeBytes({ try AccountIndex(snapshot: $0) }) {
                _ = read.candidates(for: Self.customers(20)[position % 20], minimumScore: 0)
            }
        }
    }
}
