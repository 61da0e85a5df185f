import DealStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct PostgresTypeTests {
    @Test func readsEachBuiltInTypeAsItsStorageClass() throws {
        try withDatabase { database in
            let row = try database.read {
                try $0.fetchOne(
                    "SELECT 1::smallint, 2::integer, 1.5::real, true, false, NULL::boolean, 'x'::varchar, 'y'::char(2), "
                        + "'\\x00ff'::bytea")
            }
            #expect(row?.values == [1, 2, 1.5, 1, 0, nil, "x", "y ", .blob([0, 255])])
        }
    }

    @Test func readsANumericAsAnIntegerUnlessItHasAFraction() throws {
        try withDatabase { database in
            let row = try database.read {
                try $0.fetchOne(
                    "SELECT 12345678901234::numeric, 100000000::numeric, 2.0::numeric, 1.5::numeric, "
                        + "-0.0001::numeric, 0::numeric, 99999999999999999999::numeric, 'NaN'::numeric")
            }
            #expect(row?.values.prefix(7) == [12_345_678_901_234, 100_000_000, 2, 1.5, -0.0001, 0, 1e20])
            #expect(row.map { $0[7] as Double }?.isNaN == true)
        }
    }

    @Test func bindsAnIntegerToABooleanAndANumericParameter() throws {
        try withDatabase { database in
            let row = try database.read { try $0.fetchOne("SELECT ?::boolean, ?::numeric + 1", [1, 41]) }
            #expect(row?.values == [1, 42])
        }
    }

    @Test func refusesAValueOfAnotherTypeNamingTheParameter() throws {
        try withDatabase { database in
            let error = #expect(throws: SQLStatementError.self) {
                _ = try database.write { try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", "one", "one") }
            }
            #expect(error?.description.contains("parameter 1") == true)
            #expect(error?.description.contains("bigint") == true)
        }
    }

    @Test func refusesAnIntegerOutOfItsColumnsRange() throws {
        try withDatabase { database in
            let error = #expect(throws: SQLStatementError.self) {
                try database.read { try $0.fetchAll("SELECT ?::integer", [.integer(1 << 40)]) }
            }
            #expect(error?.description.contains("integer") == true)
        }
    }

    @Test func asksForACastOfAColumnItDoesNotRead() throws {
        try withDatabase { database in
            let error = #expect(throws: SQLStatementError.self) {
                try database.read { try $0.fetchAll("SELECT now()") }
            }
            #expect(error?.description.contains("cast it to") == true)
            let seconds = try database.read { try $0.fetchValue("SELECT EXTRACT(EPOCH FROM now())::bigint") as Int64? }
            #expect(seconds != nil)
        }
    }

    @Test func answersAPingAndItsServerVersion() throws {
        try withDatabase { database in
            try database.ping()
            #expect(database.serverVersion >= 100_000)
        }
    }

    private func withDatabase(_ body: (PostgresDatabase) throws -> Void) throws {
        try StoreFixture.withStore(.postgres) { database in try body(try #require(database as? PostgresDatabase)) }
    }
}
