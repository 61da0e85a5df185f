import DealBus
import Logging
import ZeroMQ

/// Builds a check worker as a runnable service: the wiring function the executable and tests share.
public enum CheckWorkerService {
    public static func make(
        configuration: CheckWorkerConfiguration, logger: Logger = Logger(label: "dealreg.check")
    ) throws -> ReactorService {
        let context = try Context()
        let drain = DrainSignal()
        // SIGTERM: the worker hands back the checks it has not answered and waits for the registry to take them
        // (up to its registry timeout) before the context is shut down.
        return ReactorService(
            name: "check", context: context, drain: drain, drainLimit: configuration.registryTimeout + .seconds(2)
        ) { context in
            try CheckWorker(configuration: configuration, logger: logger).run(context: context, drain: drain)
        }
    }
}
