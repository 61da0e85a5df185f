import DealLedger
import DealModel
import DealStore
import DealTestSupport
import Foundation
import Testing

@testable import Registry

/// The lease of a failover group and its fencing token, on a real PostgreSQL server: who may take it, and that a
/// registry that lost it commits nothing more.
@Suite(.timeLimit(.minutes(2)))
struct RegistryLeaseTests {
    /// A registry's database on a fresh schema of the test server, migrated; and how to open another connection to it.
    struct Store {
        let server: ThrowawayPostgres
        let schema: String

        init() throws {
            server = try ThrowawayPostgres.shared()
            schema = server.freshSchema()
        }

        func open(_ name: String) throws -> PostgresDatabase {
            let database = try PostgresDatabase(server.location, schema: schema, applicationName: name)
            try database.migrate(RegistryStore.migrations(for: .postgres))
            return database
        }

        /// Two registries' connections, the first holding the lease.
        func holderAndStandby() throws -> (holder: PostgresDatabase, standby: PostgresDatabase, lease: RegistryLease) {
            let holder = try open("holder")
            let standby = try open("standby")
            let lease = try #require(try RegistryLease.acquire(holder, instance: "registry-1", pid: 11, api: "tcp://a"))
            return (holder, standby, lease)
        }

        func expireTheLease() throws {
            let database = try open("expirer")
            defer { database.close() }
            _ = try database.write { db in
                try db.execute("UPDATE registry_lease SET expires_at = now() - make_interval(secs => 1)")
            }
        }
    }

    /// The standby's attempt to take the lease.
    static func standbyTakes(_ database: PostgresDatabase) throws -> RegistryLease? {
        try RegistryLease.acquire(database, instance: "registry-2", pid: 12, api: "tcp://b")
    }

    /// The standby's attempts to take the lease, every 100 ms for up to `seconds`; the lease once taken.
    static func standbyTakes(_ database: PostgresDatabase, within seconds: Int) throws -> RegistryLease? {
        for _ in 0..<(seconds * 10) {
            if let taken = try standbyTakes(database) { return taken }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return nil
    }

    /// A partner's addition, as event `seq`.
    static func party(_ id: String, seq: UInt64) -> RegistryWrite {
        RegistryWrite(
            .party(Party(id: PartyID(id), kind: .partner, name: id, publicKey: "")), seq: seq, time: Int64(seq),
            answer: nil)
    }

    @Test func theFirstRegistryTakesTheLeaseAndAnotherWaitsWhileItsHolderLives() throws {
        let store = try Store()
        defer { try? store.server.dropSchema(store.schema) }
        let first = try store.open("first")
        let second = try store.open("second")
        defer { second.close() }

        let held = try #require(try RegistryLease.acquire(first, instance: "registry-1", pid: 11, api: "tcp://a"))
        #expect(held.epoch == 1 && held.instance == "registry-1")
        #expect(try Self.standbyTakes(second) == nil)
        #expect(try RegistryLease.current(second)?.instance == "registry-1")

        // The holder dies: its session ends, and the standby takes over at once, with the next epoch.
        first.close()
        let taken = try Self.standbyTakes(second, within: 5)
        #expect(taken?.epoch == 2)
        #expect(try RegistryLease.current(second)?.instance == "registry-2")
    }

    /// A holder whose reactor is busy for longer than a lease lasts (turns of seconds on a loaded machine) keeps it:
    /// its lease keeper renews it from a thread and a connection of its own while the reactor shows progress. A
    /// reactor that shows none for the keeper's stall limit lets it go, and the standby takes over; the keeper
    /// then finds it lost.
    @Test func theLeaseKeeperHoldsTheLeaseThroughBusyTurnsAndLetsAStuckReactorGo() throws {
        let store = try Store()
        defer { try? store.server.dropSchema(store.schema) }
        let (holder, standby, lease) = try store.holderAndStandby()
        defer {
            holder.close()
            standby.close()
        }
        let keeper = try LeaseKeeper(store.server.location, schema: store.schema, lease: lease, stall: .seconds(2))
        defer { keeper.stop() }
        // Four seconds, twice a lease, without a renewal on the holder's connection: a reactor busy but going on.
        for _ in 0..<8 {
            keeper.reactorProgressed()
            Thread.sleep(forTimeInterval: 0.5)
            #expect(try Self.standbyTakes(standby) == nil)
        }
        // Stuck: no progress. The keeper stops renewing after 2 s, the lease expires 2 s later.
        let taken = try Self.standbyTakes(standby, within: 10)
        #expect(taken?.epoch == lease.epoch + 1, "\(String(describing: taken))")
        #expect(taken?.takeover.contains("lease had expired") == true, "\(String(describing: taken))")
        // Unstuck, it finds the lease gone.
        keeper.reactorProgressed()
        for _ in 0..<40 where keeper.lost == nil { Thread.sleep(forTimeInterval: 0.1) }
        #expect(keeper.lost?.epoch == lease.epoch)
    }

    @Test func anExpiredLeaseIsTakenAndItsFormerHolderCommitsNothingMore() throws {
        let store = try Store()
        defer { try? store.server.dropSchema(store.schema) }
        let (frozen, standby, lease) = try store.holderAndStandby()
        defer {
            frozen.close()
            standby.close()
        }
        let deposed = try RegistryStore(frozen, lease: lease) { _ in testLedgerKey }
        let seq = try deposed.counters().seq + 1
        try deposed.commit([Self.party("acme", seq: seq)])

        // Frozen past its lease (its session still open): the standby takes the lease, with the next epoch.
        #expect(try Self.standbyTakes(standby) == nil)
        try store.expireTheLease()
        let taken = try #require(try Self.standbyTakes(standby))
        #expect(taken.epoch == lease.epoch + 1)

        // Woken, the former holder can neither renew nor commit: the fence is the epoch, checked in the transaction.
        #expect(throws: LeaseLost.self) { try deposed.renewLease() }
        #expect(throws: LeaseLost.self) {
            try deposed.commit([Self.party("bolt", seq: seq + 1)])
        }
        #expect(throws: LeaseLost.self) { try deposed.keepHead(at: 3) }
        let active = try RegistryStore(standby, lease: taken) { _ in testLedgerKey }
        #expect(try active.parties().map(\.id.rawValue).sorted() == ["acme"])
        #expect(try active.counters().seq == seq)
    }

    @Test func aHolderRenewsItsOwnLeaseAndKeepsIt() throws {
        let store = try Store()
        defer { try? store.server.dropSchema(store.schema) }
        let (holder, standby, lease) = try store.holderAndStandby()
        defer {
            holder.close()
            standby.close()
        }
        let registry = try RegistryStore(holder, lease: lease) { _ in testLedgerKey }
        try store.expireTheLease()
        // Renewed before a standby came by: the lease is the holder's again, and the standby waits.
        try registry.renewLease()
        #expect(try Self.standbyTakes(standby) == nil)
        #expect(try RegistryLease.current(standby)?.epoch == lease.epoch)
    }

    @Test func aHolderFrozenInTheMiddleOfACommitIsCutOffOnceItsLeaseExpired() throws {
        let store = try Store()
        defer { try? store.server.dropSchema(store.schema) }
        let (frozen, standby, _) = try store.holderAndStandby()
        defer {
            frozen.close()
            standby.close()
        }
        try store.expireTheLease()
        // The holder froze inside a commit that locked the lease row: the standby neither waits for it for ever nor
        // takes the lease under it; it ends the holder's session, whose commit then fails.
        #expect(throws: StorageFault.self) {
            _ = try frozen.write { db in
                _ = try db.fetchOne("SELECT epoch FROM registry_lease WHERE id = 1 FOR UPDATE")
                #expect(try Self.standbyTakes(standby) == nil)
            }
        }
        let taken = try Self.standbyTakes(standby)
        #expect(taken?.epoch == 2)
    }
}
