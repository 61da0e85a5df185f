import DealStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct ConstraintTests {
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aDuplicateOfAUniqueKeyIsRefusedAsAConstraint(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in
            _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "taken") }

            let error = #expect(throws: SQLStatementError.self) {
                _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", 2, "taken") }
            }

            #expect(error?.isConstraint == true)
            #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 1)
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aTriggerThatRaisesIsRefusedAsAConstraint(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in

            let error = #expect(throws: SQLStatementError.self) {
                _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", 1, "forbidden") }
            }

            #expect(error?.isConstraint == true)
            #expect(error?.description.contains("forbidden is refused") == true)
        }
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aMisspelledStatementIsNotAConstraint(engine: SQLEngine) throws {
        try StoreFixture.withStore(engine) { database throws in

            let error = #expect(throws: SQLStatementError.self) {
                try database.read { try $0.fetchAll("SELEKT name FROM items") }
            }

            #expect(error?.isConstraint == false)
            #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") } == 0)
        }
    }
}
