import DealStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct CursorTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aCursorStreamsThousandsOfRowsWhileAQueryRunsForEach(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            try Self.insertItems(5000, into: database)

            let (count, mismatches) = try database.snapshot { db in
                let rows = try db.cursor("SELECT id, amount FROM items ORDER BY id", [])
                var count = 0
                var mismatches: [Int64] = []
                while let row = try rows.next() {
                    let id: Int64 = row["id"]
                    let name: String? = try db.fetchValue("SELECT name FROM items WHERE id = ?", [.integer(id)])
                    if name != "item \(id)" || row["amount"] as Int64 != id * 10 { mismatches.append(id) }
                    count += 1
                }
                return (count, mismatches)
            }

            #expect(count == 5000)
            #expect(mismatches.isEmpty)
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func anAbandonedCursorLeavesTheConnectionUsable(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            try Self.insertItems(2000, into: database)

            let (first, count, ids) = try database.snapshot { db in
                let first = try db.cursor("SELECT id FROM items ORDER BY id", []).next().map { $0[0] as Int64 }
                _ = try db.cursor("SELECT id FROM items WHERE id > ?", [1000]).next()
                let count: Int64? = try db.fetchValue("SELECT COUNT(*) FROM items")
                let ids: [Int64] = try db.fetchColumn("SELECT id FROM items ORDER BY id")
                return (first, count, ids)
            }
            try database.write { db in
                _ = try db.cursor("SELECT id FROM items ORDER BY id", []).next()
                try db.execute("DELETE FROM items WHERE id > ?", 1000)
            }
            let remaining = try database.read { db in
                _ = try db.cursor("SELECT id FROM items", []).next()
                return try db.fetchValue("SELECT COUNT(*) FROM items") as Int64?
            }

            #expect(first == 1)
            #expect(count == 2000)
            #expect(ids == Array(1...2000))
            #expect(remaining == 1000)
        }
    }

    static func insertItems(_ count: Int, into database: any SQLDatabase) throws {
        try database.write { db in
            for id in 1...Int64(count) {
                try db.execute(
                    "INSERT INTO items (id, name, amount) VALUES (?, ?, ?)", .integer(id), .text("item \(id)"),
                    .integer(id * 10))
            }
        }
    }
}
