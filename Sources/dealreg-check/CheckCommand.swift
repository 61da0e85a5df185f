import ConflictCheck
import DealBus
import Logging

/// `dealreg-check`: its settings (`CheckWorkerConfiguration.Keys`), then a check worker until SIGTERM.
@main
enum CheckCommand {
    static func main() async {
        await ServiceExecutable.run(
            "dealreg-check", service: "check",
            abstract: "A dealreg conflict-check worker; run as many as the load needs.",
            keys: CheckWorkerConfiguration.Keys.all, configuration: { try CheckWorkerConfiguration(settings: $0) }
        ) { configuration, stopWithParent in
            let logger = Logger(label: "dealreg.check")
            try await CheckWorkerService.make(configuration: configuration, logger: logger).runUntilSignalled(
                logger: logger, stopWithParent: stopWithParent)
        }
    }
}
