import Foundation
import Logging

/// Sets up swift-log once per process: one line per record on standard error, level from `DEALREG_LOG_LEVEL`.
public enum LogSetup {
    public static func bootstrap(defaultLevel: Logger.Level = .info) {
        let level =
            ProcessInfo.processInfo.environment["DEALREG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            ?? defaultLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
