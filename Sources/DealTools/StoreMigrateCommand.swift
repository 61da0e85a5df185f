import ArgumentParser
import DealCLI
import DealStore
import Foundation

/// `dealreg store migrate FROM TO`: a stopped cluster's SQLite stores copied into PostgreSQL (`StoreMigration`).
struct StoreMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy SQLite stores into PostgreSQL, each service into its own schema. Stop the services first.",
        discussion: """
            Run it with the services stopped. A file a service has open is refused (SQLite reports it locked), and the \
            files stay locked until the copy is done, so no service starts on them meanwhile.

            FROM is a cluster's data directory (dealreg up --data DIR), for both services: registry/registry.sqlite \
            into the schema registry, enforcement/enforcement.sqlite into the schema enforcement. Or sqlite:PATH, one \
            service's file: --service says which when the file's name does not.

            TO is postgres://USER@HOST[:PORT]/DB. The password: the URL's, else the first line of --password-file, \
            else DEALREG_STORE_PASSWORD, else PGPASSWORD or ~/.pgpass. Keep it off the command line, which every user \
            of the host can read.

            Each schema is created with the service's own migrations and must hold no rows: two histories are never \
            merged. Every table is copied column by column in transactions of 1,000 rows; then the row count of every \
            table and the last entry and chain hash of each log are compared, and a line per table says its rows and \
            time. Then start the services with --store URL and run `dealreg audit verify`.
            """)

    @Argument(help: "A cluster's data directory (both services), or sqlite:PATH of one service's file.")
    var from: String
    @Argument(help: "postgres://USER@HOST[:PORT]/DB: each service goes into its own schema there.") var to: String
    @Option(help: "The service whose store FROM is (default: from the file's name), or the only one to move.")
    var service: StoreService?
    @Option(help: "File whose first line is the PostgreSQL password.") var passwordFile: String?

    func run() throws {
        do {
            let location = try destination()
            // Every check on every store before anything is written, and the files locked until the end.
            let migrations = try sources().map { service, file in
                try StoreMigration(service: service, file: file, to: location)
            }
            var entries: [String] = []
            for migration in migrations {
                print(
                    "\(migration.service): sqlite:\(migration.file.path) to \(location), schema \(migration.service.schema)"
                )
                let started = ContinuousClock.now
                let outcome = try migration.run { table in
                    let rows = "\(table.rows)"
                    print(
                        "  \(table.name.padding(toLength: 16, withPad: " ", startingAt: 0)) "
                            + String(repeating: " ", count: max(0, 9 - rows.count)) + "\(rows) rows  "
                            + String(format: "%6.2f s", Figures.seconds(table.duration)))
                    fflush(nil)
                }
                let last =
                    outcome.lastSeq.map {
                        "the same last \(migration.service == .registry ? "event" : "ledger entry") (\($0), chain hash "
                            + outcome.lastHash.prefix(8).map { String(format: "%02x", $0) }.joined() + "…)"
                    } ?? "an empty log on both sides"
                print(
                    "\(migration.service): \(outcome.rows) rows in \(outcome.tables) tables copied in "
                        + String(format: "%.2f s", Figures.seconds(ContinuousClock.now - started))
                        + "; the same row count in every table, \(last)")
                entries.append("\(migration.service) \(outcome.lastSeq ?? 0)")
            }
            print(
                """
                Next: start the services on PostgreSQL with --store \(location.withoutPassword)
                  (dealreg up --store, or `store =` in registry.conf and enforce.conf, the password in store-password-file),
                  then run `dealreg audit verify --as admin`: both ledgers intact, with at least these entries
                  (\(entries.joined(separator: ", "))).
                The SQLite files are left as they were, as the copy of this moment: never start a service on them again,
                or its history forks from PostgreSQL's.
                """)
        } catch let error as ValidationError {
            throw error
        } catch {
            exitWithError(error)
        }
    }

    /// TO as a PostgreSQL location, its password filled from the file or the environment.
    private func destination() throws -> PostgresLocation {
        let location: StoreLocation
        do {
            location = try StoreLocation.resolve(to, passwordFile: passwordFile.map { URL(fileURLWithPath: $0) })
        } catch {
            throw ValidationError("TO: \(error)")
        }
        guard case .postgres(let postgres) = location else {
            throw ValidationError("TO must be a postgres://USER@HOST[:PORT]/DB URL, not \(location)")
        }
        return postgres
    }

    /// The stores FROM names, each with its service.
    private func sources() throws -> [(StoreService, URL)] {
        if from.hasPrefix("sqlite:") {
            guard case .sqlite(let file) = try? StoreLocation(parsing: from) else {
                throw ValidationError("FROM: \(from) is not sqlite:PATH")
            }
            guard let owner = service ?? StoreService(file: file) else {
                throw ValidationError(
                    "FROM: \(file.lastPathComponent) is not registry.sqlite or enforcement.sqlite: say whose store it "
                        + "is with --service registry or --service enforcement")
            }
            return [(owner, file)]
        }
        guard !from.hasPrefix("postgres") else {
            throw ValidationError("FROM is SQLite: a cluster's data directory or sqlite:PATH, not a postgres:// URL")
        }
        let directory = URL(fileURLWithPath: from).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ValidationError(
                "FROM: \(directory.path) is not a directory; give a cluster's data directory or sqlite:PATH")
        }
        let services = service.map { [$0] } ?? StoreService.allCases
        for service in services where !FileManager.default.fileExists(atPath: service.file(inCluster: directory).path) {
            throw ValidationError(
                "FROM: \(service.file(inCluster: directory).path) is missing"
                    + (self.service == nil ? "; to move the other service's store alone, give --service" : ""))
        }
        return services.map { ($0, $0.file(inCluster: directory)) }
    }
}

extension StoreService: ExpressibleByArgument {}
