import ArgumentParser
import DealBus
import Foundation
import Logging
import Registry

@main
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dealreg-registry", abstract: "The dealreg system of record: registrations, parties, events.")

    @Option(help: "Data directory (database, server key, endpoints.json).") var data: String
    @Option(help: "api ROUTER endpoint.") var api = "tcp://0.0.0.0:7400"
    @Option(help: "work ROUTER endpoint for check workers.") var work = "tcp://0.0.0.0:7401"
    @Option(help: "events PUB endpoint.") var events = "tcp://0.0.0.0:7402"
    @Option(help: "sync ROUTER endpoint.") var sync = "tcp://0.0.0.0:7403"
    @Option(help: "JSON file of admin and service parties to upsert at start.") var bootstrap: String?
    @Option(help: "Seconds a registration may wait for a check worker.") var checkTimeout = 10
    @Option(help: "Registrations waiting for a worker beyond which new ones get OVERLOADED.") var maxQueued = 20_000
    @Option(help: "Program policy file (JSON; see `dealreg policy check`). Without it: the built-in policy.")
    var policy: String?
    @Option(
        help: ArgumentHelp(
            "A file holding seconds to add to the system clock, re-read every second (tests move time with it).",
            visibility: .hidden))
    var clockOffsetFile: String?

    @Flag(help: "Stop when the process that started this one is gone.") var stopWithParent = false
    @Option(
        help: ArgumentHelp(
            "Settings file: 'option = value' lines. The environment (DEALREG_REGISTRY_<OPTION>) overrides it, the command line both.",
            valueName: "file"))
    var config: String?

    /// Notes the parent first (`--stop-with-parent`), then runs the command line completed from the environment
    /// and the settings file (`ServiceSettings`).
    static func main() async {
        LaunchingParent.record()
        await main(
            ServiceSettings.arguments(
                service: "registry", executable: "dealreg-registry", help: helpMessage(columns: 1000)))
    }

    func run() async throws {
        LogSetup.bootstrap()
        ServiceMetrics.bootstrap()
        // A file-size limit (ulimit -f, prlimit --fsize) would kill the registry with SIGXFSZ at the first write
        // past it; ignored, that write fails with EFBIG like a full disk: registrations are refused with
        // STORAGE_UNAVAILABLE, reads go on, and the registry records again once the limit is raised.
        signal(SIGXFSZ, SIG_IGN)
        var configuration = RegistryConfiguration(dataDirectory: URL(fileURLWithPath: data))
        configuration.apiEndpoint = api
        configuration.workEndpoint = work
        configuration.eventsEndpoint = events
        configuration.syncEndpoint = sync
        configuration.bootstrapFile = bootstrap.map(URL.init(fileURLWithPath:))
        configuration.checkTimeout = .seconds(checkTimeout)
        configuration.maximumQueuedChecks = maxQueued
        configuration.policyFile = policy.map(URL.init(fileURLWithPath:))
        if let clockOffsetFile {
            let clock = OffsetClock(file: URL(fileURLWithPath: clockOffsetFile))
            configuration.now = { clock.now() }
        }
        let logger = Logger(label: "dealreg.registry")
        try await RegistryService.make(configuration: configuration, logger: logger).runUntilSignalled(
            logger: logger, stopWithParent: stopWithParent)
    }
}
