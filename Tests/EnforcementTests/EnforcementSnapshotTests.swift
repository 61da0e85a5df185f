import DealBus
import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Matching
import Testing
import ZeroMQ

@testable import Enforcement

/// Enforcement restarted from its index snapshot judges bookings as one that indexed every account from its store,
/// the registrations and accounts changed after the snapshot included; a snapshot it cannot trust is set aside for
/// the store; and a store from before the watch columns gets them filled at open.
extension EnforcementCoreTests {
    /// Customers made from word lists, the same in every run.
    static func companies(_ count: Int) -> [Customer] {
        let first = ["Nordic", "Alpine", "Atlas", "Crescent", "Harbor", "Summit", "Granite", "Cedar", "Delta", "Ivory"]
        let second = ["Logistics", "Foods", "Systems", "Textiles", "Pharma", "Robotics", "Energy", "Media", "Metals"]
        let cities = ["Berlin", "Lyon", "Leeds", "Utrecht", "Milan", "Graz"]
        let countries = ["DE", "FR", "GB", "NL", "IT", "AT"]
        return (0..<count).map { n in
            Customer(
                legalName: "\(first[n % first.count]) \(second[(n / 10) % second.count]) \(n / 90) Holding",
                street: "\(n % 300 + 1) \(["Park", "Mill", "Station", "Church"][n % 4]) Road", city: cities[n % 6],
                postalCode: String(10_000 + (n * 37) % 89_999), country: countries[n % 6])
        }
    }

    static func accountID(_ number: Int) -> String { AccountID(number: Int64(number)).rawValue }

    /// What `core` judges a booking of each of `queries` against: the registrations, scores and reasons.
    static func judged(_ core: EnforcementCore, _ queries: [Customer]) throws -> [String] {
        var core = core
        return try queries.map { query in
            try core.registrations(matching: PreparedCustomer(query)).map {
                "\($0.registration.id) \($0.score) \($0.reasons)"
            }.joined(separator: "; ")
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStartFromTheSnapshotJudgesAsAStartFromTheStore(engine: SQLEngine) throws {
        var harness = try Harness(engine: engine)
        let day = harness.today
        let customers = Self.companies(240)
        let statuses: [RegistrationStatus] = [.approved, .approved, .pendingReview, .expired, .withdrawn, .won]
        // Two registrations of each account, by three partners over two lines, in several states.
        let registrations = customers.enumerated().map { n, customer in
            Self.registration(
                Int64(n + 1), of: customer, in: Self.accountID(n / 2 + 1), by: ["acme", "bolt", "crest"][n % 3],
                line: n % 2 == 0 ? "storage" : "servers", status: statuses[n % statuses.count], decidedOn: day)
        }
        harness.publish(Array(registrations.prefix(160)))
        harness.publish(account: Self.merged(Self.accountID(3), into: Self.accountID(1)))

        // The snapshot, as the file holds it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("enforcement-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = IndexSnapshotFile(directory: folder, fileName: IndexSnapshotFile.enforcementFileName)
        let registry = try CurveKeyPair.generate().publicKey
        try file.write(harness.core.mirror.index, seq: harness.core.committed.cursor, registry: registry)
        let loaded = try #require(try file.load(registry: registry))
        #expect(loaded.seq == harness.core.committed.cursor && loaded.index.count == harness.core.mirror.index.count)

        // After it: more registrations, the merged account's registrations moved, a merge of accounts the snapshot
        // does not have, an account split in two.
        harness.publish(Array(registrations.suffix(80)))
        var moved = registrations[4...5].map { $0 }
        for index in moved.indices { moved[index].account = AccountID(Self.accountID(1)) }
        harness.publish(moved)
        harness.publish(account: Self.merged(Self.accountID(101), into: Self.accountID(100)))
        var split = registrations[199]
        split.account = AccountID(Self.accountID(500))
        harness.publish(account: Account(id: AccountID(Self.accountID(100)), spellings: [customers[198]]).wire)
        harness.publish(account: Account(id: AccountID(Self.accountID(500)), spellings: [customers[199]]).wire)
        harness.publish([split])

        let fromSnapshot = try Harness.core(
            over: harness.store, policy: ProgramPolicy(), parties: harness.parties,
            snapshot: (loaded.index, loaded.seq))
        let fromStore = try Harness.core(over: harness.store, policy: ProgramPolicy(), parties: harness.parties)
        #expect(fromSnapshot.mirror.snapshotSeq == loaded.seq && fromStore.mirror.snapshotSeq == nil)
        #expect(fromSnapshot.mirror.watched == harness.core.mirror.watched && fromStore.mirror.watched == 240)
        #expect(fromSnapshot.mirror.closings == harness.core.mirror.closings)
        #expect(fromSnapshot.mirror.norm == harness.core.mirror.norm)
        #expect(fromSnapshot.mirror.reviewsDue == harness.core.mirror.reviewsDue)

        // Every customer, as registered and as another system spells it, and a stranger.
        var queries = customers
        queries += customers.map { customer in
            var respelled = customer
            respelled.legalName = customer.legalName.uppercased()
            respelled.street = ""
            return respelled
        }
        queries.append(Customer(legalName: "Unrelated Holdings plc", city: "Cardiff", country: "GB"))
        let expected = try Self.judged(fromStore, queries)
        #expect(expected.filter { !$0.isEmpty }.count > customers.count)
        #expect(try Self.judged(fromSnapshot, queries) == expected)
        #expect(try Self.judged(harness.core, queries) == expected, "the core that followed every event")
        // The moved registrations are judged with the account they joined, the split one alone.
        let first = try Self.judged(fromSnapshot, [customers[0]])[0]
        #expect(first.contains(registrations[4].id.rawValue) && first.contains(registrations[5].id.rawValue))
        #expect(!(try Self.judged(fromSnapshot, [customers[199]])[0].contains(registrations[198].id.rawValue)))
    }

    @Test func aSnapshotAheadOfTheStoreIsSetAsideForTheStore() throws {
        var harness = try Harness()
        let day = harness.today
        let held = Self.registration(
            1, of: Self.telekom, in: "AC-00000001", by: "acme", line: "storage", decidedOn: day)
        harness.publish([held])
        // An index from a store that went further (this one was restored from an older copy): it names an account
        // this store never saw.
        var ahead = CustomerIndex<AccountID>()
        ahead.addSpelling(AccountID("AC-00000042"), customer: Self.telekomDeutschland)
        harness.core = try Harness.core(
            over: harness.store, policy: ProgramPolicy(), parties: harness.parties,
            snapshot: (ahead, harness.core.committed.cursor + 5))
        #expect(harness.core.mirror.snapshotSeq == nil)
        #expect(harness.core.mirror.index.count == 1 && harness.core.mirror.index.spellingCount(of: held.account!) == 1)
        #expect(
            Self.found(&harness, Self.booking("o-1", of: Self.telekom, by: "crest", on: day)) == [
                "POACHING \(held.id)"
            ])
    }

    @Test func aDamagedForeignOrMissingSnapshotFileIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("enforcement-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = IndexSnapshotFile(directory: folder, fileName: IndexSnapshotFile.enforcementFileName)
        let registry = try CurveKeyPair.generate().publicKey
        #expect(try file.load(registry: registry) == nil, "none yet")
        var index = CustomerIndex<AccountID>()
        index.addSpellings(contentsOf: Self.companies(50).enumerated().map { (AccountID(number: Int64($0 + 1)), $1) })
        let bytes = try file.write(index, seq: 7, registry: registry)
        #expect(try file.load(registry: registry)?.seq == 7)
        #expect(throws: IndexSnapshotError.self) { try file.load(registry: try CurveKeyPair.generate().publicKey) }

        let whole = try Data(contentsOf: file.file)
        #expect(whole.count == bytes)
        for damage in [
            whole.prefix(whole.count / 2),  // cut short
            Data([0, 0, 0, 0]) + whole.dropFirst(4),  // not a snapshot
            whole.prefix(4) + Data([9, 0, 0, 0]) + whole.dropFirst(8),  // another version
            whole.prefix(200) + Data(repeating: 0xFF, count: 64) + whole.dropFirst(264),  // a damaged body
        ] {
            try damage.write(to: file.file)
            #expect(throws: IndexSnapshotError.self) { try file.load(registry: registry) }
        }
    }

    /// A store written before the watch columns (its rows as the previous release wrote them) gets them at open:
    /// each registration's account, registrant, status and whether it is watched from its body, its seq and its
    /// account's from the observations; a core over it then judges through the account.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStoreFromBeforeTheWatchColumnsHasThemFilledAtOpen(engine: SQLEngine) throws {
        let scratch = try ScratchStore(engine)
        let database = try scratch.open()
        try database.migrate(Array(EnforcementStore.migrations(for: engine).dropLast()))
        let day = CalendarDate(secondsSinceEpoch: 1_790_000_000)
        let (first, second) = Self.telekomAccount(decidedOn: day)
        var rejected = Self.registration(3, by: "bolt", decidedOn: day)
        rejected.status = .rejected
        var expired = Self.registration(
            4, of: Self.brasserie, in: "AC-00000003", by: "crest", line: "storage", status: .expired, decidedOn: day)
        expired.closedOn = day
        let merged = Account(id: AccountID("AC-00000002"), state: .merged(into: AccountID("AC-00000001")))
        try database.write { db in
            for (seq, registration) in [(3, first), (5, second), (6, rejected), (8, expired)] {
                try db.execute(
                    "INSERT INTO registrations (id, body) VALUES (?, ?)", .text(registration.id.rawValue),
                    .blob(try registration.wire.serializedBytes()))
                try db.execute(
                    "INSERT INTO observations (seq, time, topic, subject, detail) VALUES (?, 0, 'registration', ?, '')",
                    .int(seq), .text(registration.id.rawValue))
            }
            // An earlier event of the first registration: the last one counts.
            try db.execute(
                "INSERT INTO observations (seq, time, topic, subject, detail) VALUES (1, 0, 'registration', ?, '')",
                .text(first.id.rawValue))
            try db.execute(
                "INSERT INTO accounts (id, merged_into, body) VALUES (?, ?, ?)", .text(merged.id.rawValue),
                .text("AC-00000001"), .blob(try merged.wire.serializedBytes()))
            try db.execute(
                "INSERT INTO observations (seq, time, topic, subject, detail) VALUES (7, 0, 'account', ?, '')",
                .text(merged.id.rawValue))
            try db.execute("UPDATE cursor SET seq = 8")
        }
        let store = try EnforcementStore(database, ledgerKey: LedgerKey(service: "enforcement"))
        let rows = try store.database.read { db in
            try db.fetchAll(
                "SELECT id, seq, account, registrant, status, watched FROM registrations ORDER BY id"
            ).map { row in
                [
                    row["id"] as String, "\(row["seq"] as Int64)", row["account"] as String? ?? "-",
                    row["registrant"] as String, row["status"] as String, "\(row["watched"] as Int64)",
                ].joined(separator: " ")
            }
        }
        #expect(
            rows == [
                "\(first.id) 3 AC-00000001 acme approved 1", "\(second.id) 5 AC-00000001 bolt approved 1",
                "\(rejected.id) 6 - bolt rejected 0", "\(expired.id) 8 AC-00000003 crest expired 1",
            ])
        #expect(
            try store.database.read { db in try db.fetchValue("SELECT seq FROM accounts") as Int64? } == 7)
        #expect(try store.closingRecords()[PartyID("crest")]?.expired == 1)
        #expect(try store.watchedRegistrations(ofAccounts: [AccountID("AC-00000001")]).count == 2)
        // Opened again, nothing is left to fill.
        _ = try EnforcementStore(database, ledgerKey: LedgerKey(service: "enforcement"))

        var harness = try Harness(engine: engine)
        harness.core = try Harness.core(over: store, policy: ProgramPolicy(), parties: harness.parties)
        #expect(harness.core.mirror.index.count == 2 && harness.core.mirror.watched == 3)
        #expect(harness.core.mirror.mergedInto == [AccountID("AC-00000002"): AccountID("AC-00000001")])
        let booking = Self.booking("o-1", of: Self.telekomDeutschland, by: "crest", on: day)
        #expect(
            try harness.core.registrations(matching: PreparedCustomer(booking.customer)).map(\.registration.id) == [
                first.id, second.id,
            ])
    }
}
