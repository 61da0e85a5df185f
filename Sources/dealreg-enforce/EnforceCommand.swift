import ArgumentParser
import DealBus
import Enforcement
import Foundation
import Logging

@main
struct EnforceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg-enforce", abstract: "dealreg enforcement: violations, sanctions, audit ledger.")

    @Option(help: "Data directory (database, server key, endpoints.json).") var data: String
    @Option(help: "api ROUTER endpoint.") var api = "tcp://0.0.0.0:7410"
    @Option(help: "events PUB endpoint.") var events = "tcp://0.0.0.0:7411"
    @Option(help: "The registry's endpoints.json (endpoints and key).") var registryEndpoints: String?
    @Option(help: "The registry's events endpoint.") var registryEvents: String?
    @Option(help: "The registry's sync endpoint.") var registrySync: String?
    @Option(help: "The registry's api endpoint (sanctions take effect there).") var registryAPI: String?
    @Option(help: "Program policy file (JSON), as for the registry.") var policy: String?
    @Option(help: "The registry's CURVE public key (Z85).") var registryKey: String?
    @Option(help: "This service's identity file.") var key: String
    @Option(help: "JSON file of admin and service parties known at start.") var bootstrap: String?

    @Flag(help: "Stop when the process that started this one is gone.") var stopWithParent = false
    @Option(
        help: ArgumentHelp(
            "Settings file: 'option = value' lines. The environment (DEALREG_ENFORCE_<OPTION>) overrides it, the command line both.",
            valueName: "file"))
    var config: String?

    /// Notes the parent first (`--stop-with-parent`), then runs the command line completed from the environment
    /// and the settings file (`ServiceSettings`).
    static func main() async {
        LaunchingParent.record()
        await main(
            ServiceSettings.arguments(
                service: "enforce", executable: "dealreg-enforce", help: helpMessage(columns: 1000)))
    }
    @Option(
        help: ArgumentHelp(
            "A file holding seconds to add to the system clock, re-read every second (tests move time with it).",
            visibility: .hidden))
    var clockOffsetFile: String?

    func run() async throws {
        LogSetup.bootstrap()
        ServiceMetrics.bootstrap()
        let registry = try RegistryAddress.resolve(
            endpointsFile: registryEndpoints, api: registryAPI, events: registryEvents, sync: registrySync,
            key: registryKey)
        try registry.require("events", "sync")
        guard let keyPair = try Keystore.read(URL(fileURLWithPath: key)).keyPair else {
            throw AddressError("The key file \(key) holds no usable key pair.")
        }
        var configuration = EnforcementConfiguration(
            dataDirectory: URL(fileURLWithPath: data), registryEventsEndpoint: registry.events,
            registrySyncEndpoint: registry.sync, registryKey: registry.key, keyPair: keyPair)
        configuration.apiEndpoint = api
        configuration.registryAPIEndpoint = registry.api
        configuration.policyFile = policy.map(URL.init(fileURLWithPath:))
        if let clockOffsetFile {
            let clock = OffsetClock(file: URL(fileURLWithPath: clockOffsetFile))
            configuration.now = { clock.now() }
        }
        configuration.eventsEndpoint = events
        configuration.bootstrapFile = bootstrap.map(URL.init(fileURLWithPath:))
        let logger = Logger(label: "dealreg.enforce")
        try await EnforcementService.make(configuration: configuration, logger: logger).runUntilSignalled(
            logger: logger, stopWithParent: stopWithParent)
    }
}
