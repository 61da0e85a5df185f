import Testing

@testable import DealStore

@Suite(.timeLimit(.minutes(1)))
struct PlaceholderTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func questionMarksInLiteralsAndCommentsAreNotParameters(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in

            try database.write { db in
                try db.execute("INSERT INTO items (id, name) VALUES (?, '?')", 1)
                try db.execute("INSERT INTO items (\"id\", name) /* id? name? */ VALUES (?, ?)", 2, "it's ?")
            }
            let names: [String] = try database.read {
                try $0.fetchColumn("SELECT name FROM items WHERE name = '?' OR name = ? ORDER BY id", ["it's ?"])
            }

            #expect(names == ["?", "it's ?"])
        }
    }

    @Test func numbersEachPlaceholderOutsideQuotesAndComments() {
        let sql = "SELECT 'it''s ?', \"a?\", ? -- why?\n, ? /* and? */ FROM t WHERE x = ?"
        #expect(
            PostgresStatement.numbering(sql)
                == "SELECT 'it''s ?', \"a?\", $1 -- why?\n, $2 /* and? */ FROM t WHERE x = $3")
    }
}
