import DealBus
import Logging
import ZeroMQ

/// Builds a check worker as a runnable service: the wiring function the executable and tests share.
public enum CheckWorkerService {
    public static func make(
        configuration: CheckWorkerConfiguration, logger: Logger = Logger(label: "dealreg.check")
    ) throws -> ReactorService {
        let context = try Context()
        return ReactorService(name: "check", context: context) { context in
            try CheckWorker(configuration: configuration, logger: logger).run(context: context)
        }
    }
}
