import Foundation
import Logging
import Synchronization

/// Sets up swift-log once per process: one line per record on standard error, level from `DEALREG_LOG_LEVEL`,
/// format from `DEALREG_LOG_FORMAT`: `json` (the default: one JSON object per line, for journald and log
/// collectors) or `text` (swift-log's plain lines, for a person at a terminal).
public enum LogSetup {
    public static func bootstrap(defaultLevel: Logger.Level = .info) {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["DEALREG_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        let text = environment["DEALREG_LOG_FORMAT"] == "text"
        LoggingSystem.bootstrap { label in
            if text {
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = JSONLinesLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// One JSON object per record on standard error: `time` (UTC, milliseconds), `level`, `logger` (the service),
/// `message`, then the metadata as string fields (e.g. `request_id`, `principal`, `code`). Thread-safe: a line is
/// written with one `write(2)`.
public struct JSONLinesLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = [
            ("time", Self.timestamp()), ("level", event.level.rawValue), ("logger", label),
            ("message", event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        fields += merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        let line = "{" + fields.map { "\(Self.quoted($0.0)):\(Self.quoted($0.1))" }.joined(separator: ",") + "}\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    /// RFC 3339 in UTC with milliseconds.
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1_000_000)
    }

    /// A JSON string: quotes, backslashes and control characters escaped; everything else as is (UTF-8).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
