import DealBus
import Foundation
import Logging
import Registry

/// `dealreg-registry`: its settings (`RegistryConfiguration.Keys`), then the registry until SIGTERM.
@main
enum RegistryCommand {
    static func main() async {
        await ServiceExecutable.run(
            "dealreg-registry", service: "registry",
            abstract: "The dealreg system of record: registrations, parties, events.",
            keys: RegistryConfiguration.Keys.all,
            configuration: { try RegistryConfiguration(settings: $0) }
        ) { configuration, stopWithParent in
            // A file-size limit (ulimit -f, prlimit --fsize) would kill the registry with SIGXFSZ at the first write
            // past it; ignored, that write fails with EFBIG like a full disk: registrations are refused with
            // STORAGE_UNAVAILABLE, reads go on, and the registry records again once the limit is raised.
            signal(SIGXFSZ, SIG_IGN)
            let logger = Logger(label: "dealreg.registry")
            try await RegistryService.make(configuration: configuration, logger: logger).runUntilSignalled(
                logger: logger, stopWithParent: stopWithParent)
        }
    }
}
