import DealBus
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Testing
import ZeroMQ

/// A `dealreg up` cluster in a temporary directory on free ports, driven through the real executables: on SQLite
/// files in its data directory, or on a PostgreSQL database of its own (with one registry or a failover group).
/// Not thread-safe: one test owns it.
final class LocalCluster {
    let data: URL
    let process: Process
    let output: URL
    /// The engine of the registry's and enforcement's stores.
    let engine: SQLEngine
    /// The database made for this cluster on PostgreSQL, and its server; dropped with the cluster.
    let postgres: (server: ThrowawayPostgres, database: PostgresLocation)?

    /// A close date half a year from today, so the tests never age into invalid dates.
    static var closeDay: CalendarDate {
        CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).adding(days: 180)
    }
    static var closeDate: String { closeDay.description }

    static var binaries: URL {
        // The test bundle sits beside the package's executables in the build folder.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dealreg").path),
            directory.path != "/"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }

    /// Seconds added to the registry's clock (see `advanceClock`).
    var clockFile: URL { data.appendingPathComponent("clock-offset") }
    var policyFile: URL { data.appendingPathComponent("policy.json") }

    /// A cluster on free ports; `policy` (JSON) becomes the registry's policy file, and `clockOffset` seconds
    /// are added to its clock from the start. On `.postgres` its stores are a database made for it on `server` (the
    /// shared throwaway server by default), and `registries` registry processes share them, one active. `prepare`
    /// gets the empty data directory before anything starts (a test mounts a file system in it). `pool` makes the
    /// check workers an elastic pool (`--workers MIN..MAX`) instead of `workers`; `options` go to `dealreg up` too.
    init(
        workers: Int = 2, pool: ClosedRange<Int>? = nil, options: [String] = [], policy: String? = nil,
        clockOffset: Int64 = 0, engine: SQLEngine = .sqlite, registries: Int = 1, server: ThrowawayPostgres? = nil,
        prepare: (URL) throws -> Void = { _ in }
    ) throws {
        self.engine = engine
        if engine == .postgres {
            let server = try server ?? ThrowawayPostgres.shared()
            postgres = (server, try server.createDatabase())
        } else {
            postgres = nil
        }
        data = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try prepare(data)
        try String(clockOffset).write(
            to: data.appendingPathComponent("clock-offset"), atomically: true, encoding: .utf8)
        var extra = ["--clock-offset-file", data.appendingPathComponent("clock-offset").path]
        if let policy {
            try policy.write(to: data.appendingPathComponent("policy.json"), atomically: true, encoding: .utf8)
            extra += ["--policy", data.appendingPathComponent("policy.json").path]
        }
        output = data.appendingPathComponent("up.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process = Process()
        process.executableURL = Self.binaries.appendingPathComponent("dealreg")
        if let postgres {
            // The password goes in the environment, as an operator's would, never on a command line.
            extra += ["--store", postgres.database.withoutPassword.description, "--registries", String(registries)]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["DEALREG_STORE_PASSWORD": postgres.database.password ?? ""]
            ) { $1 }
        }
        let count = pool.map { "\($0.lowerBound)..\($0.upperBound)" } ?? String(workers)
        process.arguments =
            ["up", "--data", data.path, "--base-port", "0", "--workers", count, "--stop-with-parent"] + extra + options
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !upOutput.contains("dealreg ready") {
            guard process.isRunning, Date() < deadline else {
                throw ClusterFailure("dealreg up did not become ready:\n\(upOutput)\n\(logs)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if let postgres {
            // The test means PostgreSQL: a cluster that fell back to SQLite files would prove nothing.
            let store = try registryStatus()?.store ?? ""
            guard store.hasSuffix("/\(postgres.database.database)") else {
                throw ClusterFailure("the registry's store is \(store), not \(postgres.database)")
            }
        }
    }

    deinit {
        stop()
        if let postgres { try? postgres.server.dropDatabase(postgres.database) }
        try? FileManager.default.removeItem(at: data)
    }

    /// Sets the registry's clock offset and waits until the registry's status shows the moved clock.
    func setClock(offset: Int64) throws {
        try String(offset).write(to: clockFile, atomically: true, encoding: .utf8)
        let context = try Context()
        let admin = try client(context: context)
        let target = Int64(Date().timeIntervalSince1970) + offset
        for _ in 0..<100 {
            if abs(try admin.status().now - target) < 5 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw ClusterFailure("the registry's clock did not move")
    }

    var upOutput: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    var logs: String {
        let folder = data.appendingPathComponent("logs")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.sorted().map { name in
            "== \(name)\n" + ((try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }

    /// SIGTERM and wait for every child to stop.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Runs `dealreg ARGS --data DIR`; returns its exit status, standard output and standard error.
    @discardableResult
    func dealreg(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try Self.run(Self.binaries.appendingPathComponent("dealreg"), arguments + ["--data", data.path])
    }

    /// Runs `executable` with `arguments`; returns its exit status, standard output and standard error.
    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let child = Process()
        child.executableURL = executable
        child.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        child.standardOutput = out
        child.standardError = err
        try child.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return (
            child.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
        )
    }

    /// `dealreg register ... --json` as `principal`, decoded.
    func register(as principal: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try dealreg(["register", "--as", principal, "--json"] + arguments)
        let line = try #require(
            result.output.split(separator: "\n").first.map(String.init), "no output: \(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    func addParty(_ id: String, kind: String) throws {
        let result = try dealreg(["party", "add", id, "--kind", kind, "--name", "Party \(id)", "--country", "FR"])
        #expect(result.status == 0, "party add \(id): \(result.error)")
    }

    var registryEndpoints: ServiceEndpoints {
        get throws { try ServiceEndpoints.read(data.appendingPathComponent("registry/endpoints.json")) }
    }

    /// Pids of this cluster's processes whose command line contains `executable` (from /proc).
    func pids(of executable: String) -> [Int32] { Self.pids(of: executable, using: data) }

    /// Pids of the running `executable`s (by the end of their path) with an argument inside `data` (from /proc).
    static func pids(of executable: String, using data: URL) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = Int32(entry),
                let raw = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard arguments.first?.hasSuffix(executable) == true, arguments.contains(where: { $0.hasPrefix(data.path) })
            else { return nil }
            return pid
        }
    }

    /// A client of enforcement's api as the admin, or with `keyPair` when given.
    func enforcementClient(context: Context, keyPair: CurveKeyPair? = nil) throws -> EnforcementClient {
        EnforcementClient(
            try bus(context: context, of: "enforcement/endpoints.json", keyPair: keyPair ?? self.keyPair(of: "admin")))
    }

    /// A client of the registry's api as `principal` (from the keystore), or with `keyPair` when given.
    func client(context: Context, as principal: String = "admin", keyPair: CurveKeyPair? = nil) throws
        -> RegistryClient
    {
        RegistryClient(
            try bus(context: context, of: "registry/endpoints.json", keyPair: keyPair ?? self.keyPair(of: principal)))
    }

    /// The key pair of `principal` in the cluster's keystore.
    func keyPair(of principal: String) throws -> CurveKeyPair {
        try #require(Keystore(directory: data.appendingPathComponent("keys")).load(PartyID(principal)).keyPair)
    }

    private func bus(context: Context, of endpointsFile: String, keyPair: CurveKeyPair) throws -> BusClient {
        let endpoints = try ServiceEndpoints.read(data.appendingPathComponent(endpointsFile))
        return try BusClient(
            context: context, endpoint: ServiceEndpoints.connectable(endpoints.endpoints["api"]!),
            serverKey: #require(CurveKey(z85: endpoints.publicKey)), keyPair: keyPair)
    }
}

struct ClusterFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
