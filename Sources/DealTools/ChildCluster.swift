import DealBus
import DealCLI
import Foundation
import ZeroMQ

/// A local cluster started as a child `dealreg up` on free ports (its restarts pinned to the ports it got), for
/// the demo and the chaos run. Its output goes to `up.out` in the data directory.
final class ChildCluster {
    let options: DataOptions
    let context: Context
    let directory: URL
    private let process = Process()

    /// Starts `dealreg up` with `workers` check workers, `arguments` added (a policy file, a store) and `environment`
    /// (a store's password), and waits for its ready line.
    init(directory: URL, workers: Int = 1, arguments: [String] = [], environment: [String: String] = [:]) throws {
        options = DataOptions(directory: directory.path)
        self.directory = directory
        context = try Context()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appendingPathComponent("up.out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments =
            ["up", "--data", directory.path, "--base-port", "0", "--workers", String(workers), "--stop-with-parent"]
            + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !((try? String(contentsOf: output, encoding: .utf8)) ?? "").contains("dealreg ready") {
            guard process.isRunning, Date() < deadline else {
                throw AddressError("The local cluster did not start; see \(output.path).")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The supervisor's process id: the services are its children.
    var supervisorPID: Int32 { process.processIdentifier }

    /// Stops the supervisor, which stops every service in order (SIGTERM, so each drains and commits).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    func registry(as principal: String) throws -> RegistryClient {
        try options.connect(as: principal, registry: nil, context: context)
    }

    func enforcement(as principal: String) throws -> EnforcementClient {
        try options.connectEnforcement(as: principal, context: context)
    }
}
