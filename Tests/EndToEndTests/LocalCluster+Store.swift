import DealStore
import Foundation
import Testing

/// The stores under a cluster, reached behind the services' backs as an insider with the database would, on either
/// engine; and the registry's line of `dealreg status --json`, which says which registry of a group is active.
extension LocalCluster {
    /// Runs `sql` on `service`'s store ("registry" or "enforcement"): on SQLite with Python's sqlite3 in another
    /// process, as a tamperer would; on PostgreSQL in the service's schema of the cluster's database.
    func tamper(_ service: String, _ sql: String) throws {
        guard let postgres else {
            let file = data.appendingPathComponent("\(service)/\(service).sqlite")
            let python = try Self.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                [
                    "python3", "-c",
                    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                    file.path, sql,
                ])
            #expect(python.status == 0, "\(python.error)")
            return
        }
        let database = try PostgresDatabase(postgres.database, schema: service, applicationName: "dealreg-tests")
        defer { database.close() }
        try database.write { try $0.executeScript(sql) }
    }

    /// `bytes` as a literal of the store's engine, for `tamper`: `x'0a0b'` on SQLite, `'\x0a0b'::bytea` on PostgreSQL.
    func blobLiteral(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return engine == .sqlite ? "x'\(hex)'" : "'\\x\(hex)'::bytea"
    }

    /// The registry's line of `dealreg status --json`.
    struct RegistryStatus: Decodable {
        struct Active: Decodable, Equatable {
            var instance: String
            var pid: Int32
            var since: Int64
            var epoch: UInt64
        }

        var serving: Bool
        var last_seq: UInt64?
        var ready_workers: UInt32?
        var store: String?
        var active: Active?
        var error: String?
    }

    /// What `dealreg status --json` says of the registry (nil when the command printed no registry line).
    func registryStatus(timeout: Int = 5) throws -> RegistryStatus? {
        let result = try dealreg(["status", "--json", "--timeout", String(timeout)])
        return result.output.split(separator: "\n").lazy.compactMap { line -> RegistryStatus? in
            guard line.contains(#""service":"registry""#) else { return nil }
            return try? JSONDecoder().decode(RegistryStatus.self, from: Data(line.utf8))
        }.first
    }
}
