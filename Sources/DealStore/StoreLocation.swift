import Foundation

/// Where a service keeps its store: an SQLite file, or a PostgreSQL database (in which the service owns one schema).
/// A value; `Sendable`.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(URL)
    case postgres(PostgresLocation)

    /// `sqlite:PATH` (relative to the working directory, or absolute), `sqlite:///ABSOLUTE/PATH`, or a
    /// `postgres://` / `postgresql://` URL.
    public init(parsing text: String) throws(StoreLocationError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(parsing: text))
        } else if text.hasPrefix("sqlite://") {
            let path = text.dropFirst("sqlite://".count)
            guard path.hasPrefix("/"), let decoded = String(path).removingPercentEncoding else {
                throw StoreLocationError("\(text) is not sqlite:///ABSOLUTE/PATH (nor sqlite:PATH)")
            }
            self = .sqlite(URL(fileURLWithPath: decoded))
        } else if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreLocationError("\(text) names no file") }
            self = .sqlite(URL(fileURLWithPath: path).standardizedFileURL)
        } else {
            throw StoreLocationError(
                "\(PostgresLocation.redacted(text)) is neither sqlite:PATH nor a postgres://USER@HOST/DB URL")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let file): "sqlite:\(file.path)"
        case .postgres(let location): location.description
        }
    }
}
