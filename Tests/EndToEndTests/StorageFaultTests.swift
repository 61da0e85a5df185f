import DealBus
import DealModel
import Foundation
import Testing

/// A service's database that is corrupt, or missing from a folder used before, stops the service with a clear
/// sentence; it is never replaced by an empty one.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StorageFaultTests {
    /// Runs an executable of the package with `arguments`; its exit status and everything it printed.
    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let child = Process()
        child.executableURL = LocalCluster.binaries.appendingPathComponent(executable)
        child.arguments = arguments
        let pipe = Pipe()
        child.standardOutput = pipe
        child.standardError = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        return (child.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aCorruptOrMissingDatabaseIsReportedAndNeverRecreatedEmpty() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        cluster.stop()
        for (service, executable, file) in [
            ("registry", "dealreg-registry", "registry.sqlite"),
            ("enforcement", "dealreg-enforce", "enforcement.sqlite"),
        ] {
            let folder = cluster.data.appendingPathComponent(service)
            let database = folder.appendingPathComponent(file)
            var arguments = ["--data", folder.path, "--api", "tcp://127.0.0.1:0"]
            arguments +=
                service == "registry"
                ? ["--work", "tcp://127.0.0.1:0", "--events", "tcp://127.0.0.1:0", "--sync", "tcp://127.0.0.1:0"]
                : [
                    "--events", "tcp://127.0.0.1:0", "--key",
                    cluster.data.appendingPathComponent("keys/svc-enforce.key").path,
                    "--registry-endpoints", cluster.data.appendingPathComponent("registry/endpoints.json").path,
                ]

            // Corrupt: the first page overwritten. The service refuses to start and leaves the file as it was.
            var bytes = try Data(contentsOf: database)
            bytes.replaceSubrange(0..<64, with: Data(repeating: 0x5A, count: 64))
            try bytes.write(to: database)
            let corrupt = try run(executable, arguments)
            #expect(corrupt.status != 0, "\(service) started on a corrupt database")
            #expect(corrupt.output.contains("cannot be used"), "\(corrupt.output)")
            #expect(try Data(contentsOf: database) == bytes, "\(service) changed the corrupt file")

            // Missing, in a folder used before: refused, and nothing is created.
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database.path + suffix)
            }
            let missing = try run(executable, arguments)
            #expect(missing.status != 0, "\(service) started afresh without its database")
            #expect(missing.output.contains("is missing"), "\(missing.output)")
            #expect(!FileManager.default.fileExists(atPath: database.path))
        }
    }
}
