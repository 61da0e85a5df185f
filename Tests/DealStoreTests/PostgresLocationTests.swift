import DealStore
import DealTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1)))
struct PostgresLocationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var user: String
        var password: String?
        var host: String
        var port: Int
        var database: String
        var shown: String
        var testDescription: String { text }
    }

    @Test(arguments: [
        Case(
            text: "postgres://dealreg:s3cret@127.0.0.1:5432/dealreg", user: "dealreg", password: "s3cret",
            host: "127.0.0.1", port: 5432, database: "dealreg", shown: "postgres://dealreg:***@127.0.0.1:5432/dealreg"),
        Case(
            text: "postgresql://reader@db.example/records", user: "reader", password: nil, host: "db.example",
            port: 5432, database: "records", shown: "postgres://reader@db.example:5432/records"),
        Case(
            text: "postgres://us%65r:p%40ss%2Fw:rd@[::1]:6543/deal%20reg?sslmode=disable", user: "user",
            password: "p@ss/w:rd", host: "::1", port: 6543, database: "deal reg",
            shown: "postgres://user:***@[::1]:6543/deal reg?sslmode=disable"),
        Case(
            text: "postgres://u@h/d?password=hunter2&application_name=x", user: "u", password: "hunter2", host: "h",
            port: 5432, database: "d", shown: "postgres://u:***@h:5432/d?application_name=x"),
    ])
    func parsesAURLAndNeverShowsItsPassword(_ example: Case) throws {
        let location = try PostgresLocation(parsing: example.text)

        #expect(location.user == example.user)
        #expect(location.password == example.password)
        #expect(location.host == example.host)
        #expect(location.port == example.port)
        #expect(location.database == example.database)
        #expect(location.description == example.shown)
        #expect(StoreLocation.postgres(location).description == example.shown)
    }

    @Test(arguments: [
        ("mysql://u:hunter2@h/d", "not a postgres:// URL"),
        ("postgres://h/d", "names no user"),
        ("postgres://u:hunter2@h", "names no database"),
        ("postgres://u:hunter2@h:99999/d", "the port 99999"),
        ("postgres://u:hunter2@h:port/d", "the port port"),
        ("postgres://u:hunter2@[::1/d", "closing bracket"),
        ("postgres://u:hunter2@h/d?nonsense=1", "the parameter nonsense"),
        ("postgres://u:hunter2@h/d%zz", "percent-escape"),
        ("postgres://u@h/d?password=hunter2&nonsense=1", "the parameter nonsense"),
    ])
    func refusesABadURLSayingWhatIsWrong(text: String, complaint: String) {
        let error = #expect(throws: StoreLocationError.self) { try PostgresLocation(parsing: text) }

        #expect(error?.description.contains(complaint) == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func fillsAMissingPasswordFromAFileThenTheEnvironment() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("password-\(UUID())")
        try "  from-file \nsecond line\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bare = try PostgresLocation(parsing: "postgres://u@h/d")
        let environment = ["DEALREG_STORE_PASSWORD": "from-environment"]

        #expect(try bare.fillingPassword(from: file.path, environment: environment).password == "from-file")
        #expect(try bare.fillingPassword(from: nil, environment: environment).password == "from-environment")
        #expect(try bare.fillingPassword(from: nil, environment: [:]).password == nil)
        #expect(
            try PostgresLocation(parsing: "postgres://u:given@h/d").fillingPassword(from: file.path).password == "given"
        )
        #expect(throws: StoreLocationError.self) { try bare.fillingPassword(from: file.path + ".missing") }
    }

    @Test func connectsWithShortTimeoutsThatTheURLMayOverride() throws {
        let location = try PostgresLocation(parsing: "postgres://u:pw@h/d?connect_timeout=10")
        let parameters = location.connectionParameters(applicationName: "dealreg-registry")
        let last = Dictionary(parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })

        #expect(last["connect_timeout"] == "10")
        #expect(last["application_name"] == "dealreg-registry")
        #expect(last["tcp_user_timeout"] == "5000")
        #expect(last["keepalives_idle"] == "5")
        #expect(last["password"] == "pw")
    }

    @Test func aWrongPasswordFailsWithoutShowingIt() throws {
        var location = try ThrowawayPostgres.shared().location
        location.password = "Wrong-Pa55word-7Q"

        let fault = #expect(throws: StorageFault.self) {
            try PostgresDatabase(location, schema: "public", applicationName: "dealreg-tests")
        }

        #expect(fault?.description.contains("authentication") == true)
        #expect(fault?.description.contains("Wrong-Pa55word-7Q") == false)
    }

    @Test func aStatementErrorNeverShowsThePassword() throws {
        let password = try #require(try ThrowawayPostgres.shared().location.password)

        let error = try StoreFixture.withStore(.postgres) { database throws in
            #expect(throws: SQLStatementError.self) {
                try database.read { try $0.fetchAll("SELECT '\(password)' FROM nowhere") }
            }
        }

        #expect(error?.description.contains(password) == false)
    }
}
