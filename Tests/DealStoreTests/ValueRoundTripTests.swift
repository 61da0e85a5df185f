import DealStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ValueRoundTripTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func everyKindOfValueReadsBackAsWritten(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            let rows: [[SQLValue]] = [
                [1, "plain", .integer(.max), 0.5, .blob([0, 1, 255])],
                [2, "ünïcødé ✓ 'quoted'", .integer(.min), -1e300, .blob([])],
                [3, "", nil, nil, nil],
            ]
            try database.write { db in
                for row in rows {
                    try db.execute("INSERT INTO items (id, name, amount, ratio, body) VALUES (?, ?, ?, ?, ?)", row)
                }
            }

            let read = try database.read {
                try $0.fetchAll("SELECT id, name, amount, ratio, body FROM items ORDER BY id")
            }

            #expect(read.map(\.values) == rows)
            #expect(read.first.map { $0["NAME"] as String } == "plain")
            #expect(read.first?.columns.names == ["id", "name", "amount", "ratio", "body"])
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aggregatesReadAsNumbers(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            let empty = try database.read { try $0.fetchOne("SELECT SUM(amount), COUNT(*) FROM items") }
            #expect(empty?.values == [.null, .integer(0)])
            try database.write { db in
                for (id, amount) in [(1, 1), (2, 2), (3, 4)] {
                    try db.execute(
                        "INSERT INTO items (id, name, amount) VALUES (?, ?, ?)", .int(id), .text("n\(id)"), .int(amount)
                    )
                }
            }

            let row = try database.read { try $0.fetchOne("SELECT SUM(amount), COUNT(*), AVG(amount) FROM items") }

            #expect(row?.values.prefix(2) == [7, 3])
            let average = row.map { $0[2] as Double } ?? 0
            #expect(abs(average - 7.0 / 3) < 1e-12)
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func tooFewOrTooManyArgumentsAreRefusedAndWriteNothing(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            for arguments: [SQLValue] in [[1], [1, "one", 2]] {
                #expect(throws: SQLStatementError.self) {
                    try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", arguments) }
                }
            }
            _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", [1, "one"]) }
            #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 1)
        }
    }
}
