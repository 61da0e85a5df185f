import DealStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct TransactionTests {
    struct Abandoned: Error {}

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aWriteThatThrowsLeavesNothing(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in

            #expect(throws: Abandoned.self) {
                try database.write { db in
                    try db.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "one")
                    try db.execute("INSERT INTO items (id, name) VALUES (?, ?)", 2, "two")
                    throw Abandoned()
                }
            }
            #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 0)
            _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "one") }
            #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 1)
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aSnapshotDoesNotSeeACommitMadeDuringIt(engine: SQLEngine) throws {
        let fixture = try StoreFixture(engine)
        defer { fixture.remove() }
        let database = try fixture.open(.items)
        defer { database.close() }
        let writer = try fixture.open(.items)
        defer { writer.close() }

        let (before, after) = try database.snapshot { db in
            let before: Int64? = try db.fetchValue("SELECT COUNT(*) FROM items")
            _ = try writer.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "one") }
            return (before, try db.fetchValue("SELECT COUNT(*) FROM items") as Int64?)
        }

        #expect(before == 0)
        #expect(after == 0)
        #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 1)
    }

    @Test func aFailedStatementCaughtInsideAPostgresWriteRollsItBack() throws {
        try StoreFixture.withStore(.postgres) { database throws in
            let error = #expect(throws: SQLStatementError.self) {
                try database.write { db in
                    try db.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "one")
                    _ = try? db.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "one again")
                }
            }

            #expect(error?.code == "25P02")
            let count: Int64? = try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") }
            #expect(count == 0)
        }
    }
}
