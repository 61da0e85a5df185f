import DealBus
import Enforcement
import Logging

/// `dealreg-enforce`: its settings (`EnforcementConfiguration.Keys`), then enforcement until SIGTERM.
@main
enum EnforceCommand {
    static func main() async {
        await ServiceExecutable.run(
            "dealreg-enforce", service: "enforce",
            abstract: "dealreg enforcement: violations, sanctions, audit ledger.",
            keys: EnforcementConfiguration.Keys.all, configuration: { try EnforcementConfiguration(settings: $0) }
        ) { configuration, stopWithParent in
            let logger = Logger(label: "dealreg.enforce")
            try await EnforcementService.make(configuration: configuration, logger: logger).runUntilSignalled(
                logger: logger, stopWithParent: stopWithParent)
        }
    }
}
