import CLibPQ
import Foundation

/// Where a PostgreSQL database is: parsed from `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?param=value&...]` (or
/// `postgresql://`), percent-decoded, with an IPv6 host in brackets. Its `description` never shows the password. A
/// value; `Sendable`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// libpq connection parameters from the query (`sslmode=require`), in their order; a `password` there is moved to
    /// `password`.
    public var parameters: [(key: String, value: String)]

    public init(
        user: String, password: String? = nil, host: String, port: Int = 5432, database: String,
        parameters: [(key: String, value: String)] = []
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.parameters = parameters
    }

    public init(parsing text: String) throws(StoreLocationError) {
        guard let rest = ["postgres://", "postgresql://"].lazy.compactMap({ text.dropPrefix($0) }).first else {
            throw StoreLocationError("\(Self.redacted(text)) is not a postgres:// URL")
        }
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        guard let at = authority.lastIndex(of: "@") else {
            throw StoreLocationError("\(Self.redacted(text)) names no user: write postgres://USER@HOST/DB")
        }
        let userInfo = authority[..<at]
        let (rawUser, rawPassword) =
            userInfo.firstIndex(of: ":").map { (userInfo[..<$0], Optional(userInfo[userInfo.index(after: $0)...])) }
            ?? (userInfo, nil)
        user = try Self.decoded(rawUser, "the user", in: text)
        password = try rawPassword.map { (raw) throws(StoreLocationError) in
            try Self.decoded(raw, "the password", in: text)
        }
        guard !user.isEmpty else { throw StoreLocationError("\(Self.redacted(text)) names no user") }
        (host, port) = try Self.hostAndPort(authority[authority.index(after: at)...], in: text)

        guard end < rest.endIndex, rest[end] == "/" else {
            throw StoreLocationError("\(Self.redacted(text)) names no database: write postgres://USER@HOST/DB")
        }
        let path = rest[rest.index(after: end)...].prefix { $0 != "?" && $0 != "#" }
        database = try Self.decoded(path, "the database", in: text)
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreLocationError("\(Self.redacted(text)) names no database, or one with a slash")
        }
        parameters = []
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...].prefix { $0 != "#" }
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = try Self.decoded(parts[0], "a parameter name", in: text)
                let value = try parts.count == 2 ? Self.decoded(parts[1], "the value of \(key)", in: text) : ""
                guard Self.knownKeywords.contains(key) else {
                    throw StoreLocationError(
                        "\(Self.redacted(text)) has the parameter \(key), which libpq does not know")
                }
                if key == "password" {
                    password = password ?? value
                } else {
                    parameters.append((key, value))
                }
            }
        }
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let shownUser = password == nil ? user : "\(user):***"
        let query = parameters.map { "\($0.key)=\($0.key.contains("password") ? "***" : $0.value)" }
        return "postgres://\(shownUser)@\(shownHost):\(port)/\(database)"
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// This location with a missing password filled from, in order, the first line of `passwordFile` (trimmed), then
    /// the environment variable `DEALREG_STORE_PASSWORD`; left missing when neither gives one (libpq then tries
    /// PGPASSWORD and ~/.pgpass).
    public func fillingPassword(
        from passwordFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(StoreLocationError) -> PostgresLocation {
        guard password == nil else { return self }
        var filled = self
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile) else {
                throw StoreLocationError("the password file \(passwordFile) cannot be read")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard let line, !line.isEmpty else {
                throw StoreLocationError("the password file \(passwordFile) has no password on its first line")
            }
            filled.password = line
        } else if let variable = environment["DEALREG_STORE_PASSWORD"], !variable.isEmpty {
            filled.password = variable
        }
        return filled
    }

    /// The libpq keywords and values to connect with (for `PQconnectdbParams`, so nothing needs quoting): short
    /// timeouts and keepalives so that a dead server is noticed in seconds, then the URL's own parameters, which win.
    public func connectionParameters(applicationName: String) -> [(key: String, value: String)] {
        var all: [(key: String, value: String)] = [
            ("host", host), ("port", "\(port)"), ("dbname", database), ("user", user),
            ("connect_timeout", "3"), ("application_name", applicationName), ("client_encoding", "UTF8"),
            ("tcp_user_timeout", "5000"), ("keepalives", "1"), ("keepalives_idle", "5"),
            ("keepalives_interval", "2"), ("keepalives_count", "2"),
        ]
        if let password { all.append(("password", password)) }
        return all + parameters
    }

    public static func == (lhs: PostgresLocation, rhs: PostgresLocation) -> Bool {
        lhs.user == rhs.user && lhs.password == rhs.password && lhs.host == rhs.host && lhs.port == rhs.port
            && lhs.database == rhs.database && lhs.parameters.elementsEqual(rhs.parameters, by: ==)
    }

    private static func hostAndPort(
        _ hostPort: Substring, in text: String
    ) throws(StoreLocationError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw StoreLocationError("\(redacted(text)) has an IPv6 host without its closing bracket")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw StoreLocationError("\(redacted(text)) has text after its IPv6 host")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else {
            let colon = hostPort.firstIndex(of: ":")
            host = hostPort[..<(colon ?? hostPort.endIndex)]
            portText = colon.map { hostPort[hostPort.index(after: $0)...] }
        }
        guard !host.isEmpty else { throw StoreLocationError("\(redacted(text)) names no host") }
        guard let portText else { return (try decoded(host, "the host", in: text), 5432) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw StoreLocationError("\(redacted(text)) has the port \(portText), not a number from 1 to 65535")
        }
        return (try decoded(host, "the host", in: text), port)
    }

    private static func decoded(
        _ part: Substring, _ what: String, in text: String
    ) throws(StoreLocationError) -> String {
        guard let value = String(part).removingPercentEncoding else {
            throw StoreLocationError("\(redacted(text)) has a broken percent-escape in \(what)")
        }
        return value
    }

    /// `text` with the password masked (between `user:` and `@`, and after any `password=`), for errors about a URL
    /// that did not parse.
    static func redacted(_ text: String) -> String {
        var shown = text
        if let scheme = shown.range(of: "://") {
            let authorityEnd = shown[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? shown.endIndex
            if let at = shown[scheme.upperBound..<authorityEnd].lastIndex(of: "@"),
                let colon = shown[scheme.upperBound..<at].firstIndex(of: ":")
            {
                shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
            }
        }
        var searched = shown.startIndex
        while let key = shown.range(of: "password=", range: searched..<shown.endIndex) {
            let valueEnd = shown[key.upperBound...].firstIndex(of: "&") ?? shown.endIndex
            let offset = shown.distance(from: shown.startIndex, to: key.upperBound) + 3
            shown.replaceSubrange(key.upperBound..<valueEnd, with: "***")
            searched = shown.index(shown.startIndex, offsetBy: offset)
        }
        return shown
    }

    /// The keywords this libpq accepts, read once from `PQconndefaults`.
    private static let knownKeywords: Set<String> = {
        guard let defaults = PQconndefaults() else { return [] }
        defer { PQconninfoFree(defaults) }
        var keywords: Set<String> = []
        var option = defaults
        while let keyword = option.pointee.keyword {
            keywords.insert(String(cString: keyword))
            option += 1
        }
        return keywords
    }()
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
