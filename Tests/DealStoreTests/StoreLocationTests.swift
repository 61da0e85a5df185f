import DealStore
import Foundation
import Testing

@Suite struct StoreLocationTests {
    @Test func readsSQLitePathsRelativeOrAbsolute() throws {
        let relative = try StoreLocation(parsing: "sqlite:data/registry.sqlite")
        let absolute = try StoreLocation(parsing: "sqlite:///var/lib/dealreg/registry.sqlite")
        let plain = try StoreLocation(parsing: "sqlite:/var/lib/dealreg/registry.sqlite")
        let cwd = FileManager.default.currentDirectoryPath

        #expect(relative == .sqlite(URL(fileURLWithPath: cwd + "/data/registry.sqlite").standardizedFileURL))
        #expect(absolute == .sqlite(URL(fileURLWithPath: "/var/lib/dealreg/registry.sqlite")))
        #expect(plain.description == "sqlite:/var/lib/dealreg/registry.sqlite")
    }

    @Test func readsPostgresURLs() throws {
        let location = try StoreLocation(parsing: "postgresql://dealreg:pw@127.0.0.1:5433/dealreg")
        #expect(location.description == "postgres://dealreg:***@127.0.0.1:5433/dealreg")
    }

    @Test(arguments: ["registry.sqlite", "sqlite:", "sqlite://host/registry.sqlite", "https://u:pw@h/d"])
    func refusesAnythingElse(text: String) {
        let error = #expect(throws: StoreLocationError.self) { try StoreLocation(parsing: text) }
        #expect(error?.description.contains(":pw@") == false)
    }
}
