import DealBus
import Logging
import ZeroMQ

/// Builds the enforcement service: the wiring function the executable and tests share.
public enum EnforcementService {
    public static func make(
        configuration: EnforcementConfiguration, logger: Logger = Logger(label: "dealreg.enforce"),
        onReady: @escaping @Sendable (ServiceEndpoints) -> Void = { _ in }
    ) throws -> ReactorService {
        let context = try Context()
        let drain = DrainSignal()
        return ReactorService(name: "enforcement", context: context, drain: drain, drainLimit: .seconds(3)) {
            context in
            try EnforcementReactor(configuration: configuration, logger: logger).run(
                context: context, drain: drain, onReady: onReady)
        }
    }
}
