import DealStore
import Foundation
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1)))
struct MigrationTests {
    static let seeded = StoreMigrations(
        sqlite: StoreMigrations.items.sqlite + ["INSERT INTO items (id, name) VALUES (100, 'seeded')"],
        postgres: StoreMigrations.items.postgres + ["INSERT INTO items (id, name) VALUES (100, 'seeded')"])

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func openingTwiceAppliesEachMigrationOnce(engine: SQLEngine) throws {
        let fixture = try StoreFixture(engine)
        defer { fixture.remove() }
        try fixture.open(Self.seeded).close()
        let database = try fixture.open(Self.seeded)
        defer { database.close() }
        try database.migrate(engine == .sqlite ? Self.seeded.sqlite : Self.seeded.postgres)

        #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items WHERE id = 100") } == 1)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aStoreThatMustExistIsNotCreatedAfresh(engine: SQLEngine) throws {
        let fixture = try StoreFixture(engine)
        defer { fixture.remove() }

        #expect(throws: StoreError.self) {
            try StoreDatabases.open(
                fixture.location, schema: fixture.schema, migrations: .items, mustExist: true,
                applicationName: "dealreg-tests")
        }
        try fixture.open(.items).close()
        try StoreDatabases.open(
            fixture.location, schema: fixture.schema, migrations: .items, mustExist: true,
            applicationName: "dealreg-tests"
        ).close()
    }

    @Test func twoProcessesMigratingTogetherApplyEachMigrationOnce() throws {
        let fixture = try StoreFixture(.postgres)
        defer { fixture.remove() }
        guard case .postgres(let location) = fixture.location else { return }
        let schema = fixture.schema
        let failures = Mutex<[String]>([])

        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let database = try PostgresDatabase(
                    location, schema: schema, applicationName: "migrator \(index)")
                try database.migrate(Self.seeded.postgres)
                database.close()
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }

        #expect(failures.withLock { $0 } == [])
        let database = try fixture.open(Self.seeded)
        defer { database.close() }
        #expect(try database.read { try $0.fetchValue("SELECT COUNT(*) FROM items WHERE id = 100") } == 1)
    }
}
