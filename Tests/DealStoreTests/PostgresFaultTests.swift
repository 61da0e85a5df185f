import DealStore
import DealTestSupport
import Testing

/// Each test drives a server of its own, since restarting or halting the shared one would fail the tests beside.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PostgresFaultTests {
    @Test func aServerRestartIsRecoveredFromByTheNextAccess() throws {
        try withPrivateServer { server, database in
            try server.restart()

            // The first access may find the session the server ended, or reconnect before it runs.
            do {
                #expect(try count(database) == 1)
            } catch let fault as StorageFault {
                #expect(!fault.description.isEmpty)
            }
            #expect(try count(database) == 1)
            try insert(2, into: database)
            #expect(try count(database) == 2)
        }
    }

    @Test func aHaltedServerFailsEachAccessAtOnceUntilItIsBack() throws {
        try withPrivateServer { server, database in
            try server.halt()

            #expect(throws: StorageFault.self) { try count(database) }
            #expect(throws: StorageFault.self) { try insert(2, into: database) }
            try server.resume()
            #expect(try count(database) == 1)
            try insert(2, into: database)
            #expect(try count(database) == 2)
        }
    }

    /// Runs `body` on a store holding item 1, in a server of its own, stopped afterwards.
    private func withPrivateServer(_ body: (ThrowawayPostgres, any SQLDatabase) throws -> Void) throws {
        let server = try ThrowawayPostgres.startPrivate()
        defer { try? server.stop() }
        try StoreFixture.withStore(.postgres, server: server) { database throws in
            try insert(1, into: database)
            try body(server, database)
        }
    }

    private func insert(_ id: Int64, into database: any SQLDatabase) throws {
        _ = try database.write {
            try $0.execute("INSERT INTO items (id, name) VALUES (?, ?)", .integer(id), .text("n\(id)"))
        }
    }

    private func count(_ database: any SQLDatabase) throws -> Int64? {
        try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items") }
    }
}
