import ArgumentParser
import ConflictCheck
import DealBus
import Foundation
import Logging

@main
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg-check", abstract: "A dealreg conflict-check worker; run as many as the load needs.")

    @Option(help: "The registry's endpoints.json (endpoints and key).") var registryEndpoints: String?
    @Option(help: "The registry's work endpoint.") var registryWork: String?
    @Option(help: "The registry's events endpoint.") var registryEvents: String?
    @Option(help: "The registry's sync endpoint.") var registrySync: String?
    @Option(help: "The registry's CURVE public key (Z85).") var registryKey: String?
    @Option(help: "This worker's identity file (a service principal's key).") var key: String
    @Option(help: "Checks held at once.") var capacity = 64
    @Option(help: "Name in the registry's logs.") var name = "check-\(getpid())"

    @Flag(help: "Stop when the process that started this one is gone.") var stopWithParent = false
    @Option(
        help: ArgumentHelp(
            "Settings file: 'option = value' lines. The environment (DEALREG_CHECK_<OPTION>) overrides it, the command line both.",
            valueName: "file"))
    var config: String?

    /// Notes the parent first (`--stop-with-parent`), then runs the command line completed from the environment
    /// and the settings file (`ServiceSettings`).
    static func main() async {
        LaunchingParent.record()
        await main(
            ServiceSettings.arguments(service: "check", executable: "dealreg-check", help: helpMessage(columns: 1000)))
    }

    func run() async throws {
        LogSetup.bootstrap()
        ServiceMetrics.bootstrap()
        let registry = try RegistryAddress.resolve(
            endpointsFile: registryEndpoints, work: registryWork, events: registryEvents, sync: registrySync,
            key: registryKey)
        try registry.require("work", "events", "sync")
        guard let keyPair = try Keystore.read(URL(fileURLWithPath: key)).keyPair else {
            throw AddressError("The key file \(key) holds no usable key pair.")
        }
        var configuration = CheckWorkerConfiguration(
            workEndpoint: registry.work, eventsEndpoint: registry.events, syncEndpoint: registry.sync,
            registryKey: registry.key, keyPair: keyPair, name: name)
        configuration.capacity = capacity
        let logger = Logger(label: "dealreg.check")
        try await CheckWorkerService.make(configuration: configuration, logger: logger).runUntilSignalled(
            logger: logger, stopWithParent: stopWithParent)
    }
}
