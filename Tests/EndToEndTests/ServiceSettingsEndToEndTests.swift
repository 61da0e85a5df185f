import DealBus
import Foundation
import Testing

/// The service executables take their settings from a file, the environment and the command line, in that order
/// of increasing weight, and say what they cannot use before they start.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ServiceSettingsEndToEndTests {
    /// Starts `executable` with `arguments` and the `DEALREG_*`-free environment plus `environment`.
    static func launch(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        Process, Pipe
    ) {
        let process = Process()
        process.executableURL = LocalCluster.binaries.appendingPathComponent(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DEALREG_") }
            .merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, output)
    }

    /// Runs `executable` to its end; its exit status and everything it printed.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        let (process, output) = try launch(executable, arguments, environment: environment)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theRegistryBindsWhatTheCommandLineTheEnvironmentAndItsFileSay() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("registry.conf")
        try """
        data = \(folder.appendingPathComponent("registry").path)
        api = tcp://127.0.0.2:0
        work = tcp://127.0.0.2:0
        events = tcp://127.0.0.2:0
        sync = tcp://127.0.0.2:0
        """.write(to: file, atomically: true, encoding: .utf8)
        let (process, output) = try Self.launch(
            "dealreg-registry", ["--config", file.path, "--events", "tcp://127.0.0.4:0", "--stop-with-parent"],
            environment: [
                "DEALREG_REGISTRY_API": "tcp://127.0.0.3:0", "DEALREG_REGISTRY_EVENTS": "tcp://127.0.0.3:0",
                "DEALREG_REGISTRY_CHEK_TIMEOUT": "5",
            ])
        defer { if process.isRunning { process.terminate() } }
        let endpointsFile = folder.appendingPathComponent("registry/endpoints.json")
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var endpoints: ServiceEndpoints?
        while endpoints == nil && process.isRunning && ContinuousClock.now < deadline {
            endpoints = try? ServiceEndpoints.read(endpointsFile)
            if endpoints == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        process.terminate()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let bound = try #require(endpoints?.endpoints, "the registry did not serve: \(text)")
        #expect(bound["api"]?.hasPrefix("tcp://127.0.0.3:") == true, "\(bound)")
        #expect(bound["events"]?.hasPrefix("tcp://127.0.0.4:") == true, "\(bound)")
        #expect(bound["work"]?.hasPrefix("tcp://127.0.0.2:") == true, "\(bound)")
        #expect(text.contains("dealreg-registry: DEALREG_REGISTRY_CHEK_TIMEOUT names no option; ignored"), "\(text)")
    }

    @Test func aSettingTheServiceCannotUseStopsItBeforeItStarts() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString).conf")
        try "registry-key = REPLACE-WITH-THE-REGISTRYS-PUBLIC-KEY\nkey = /nonexistent\ncapasity = 8\n"
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let unknown = try Self.run("dealreg-check", ["--config", file.path])
        #expect(unknown.status == 2)
        #expect(
            unknown.output
                == "dealreg-check: \(file.path) line 3: 'capasity' is not an option of dealreg-check (see --help).\n")

        let bad = try Self.run(
            "dealreg-enforce", ["--data", "/nonexistent"], environment: ["DEALREG_ENFORCE_REGISTRY_KEY": "not-a-key"])
        #expect(bad.status == 2)
        #expect(
            bad.output.contains(
                "DEALREG_ENFORCE_REGISTRY_KEY: registry-key takes a CURVE public key in Z85 (40 characters), not 'not-a-key'."
            ),
            "\(bad.output)")
    }

    @Test func helpListsTheKeysWithTheirVariables() throws {
        for (executable, expected) in [
            ("dealreg-registry", "(default: 20000; 1 to 10000000; DEALREG_REGISTRY_MAX_QUEUED)"),
            ("dealreg-check", "(default: 64; 1 to 100000; DEALREG_CHECK_CAPACITY)"),
            ("dealreg-enforce", "(default: tcp://0.0.0.0:7411; DEALREG_ENFORCE_EVENTS)"),
        ] {
            let help = try Self.run(executable, ["--help"])
            #expect(help.status == 0)
            #expect(help.output.contains(expected), "\(help.output)")
            #expect(help.output.contains("--stop-with-parent"), "\(help.output)")
        }
    }
}
