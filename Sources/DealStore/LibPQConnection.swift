import CLibPQ
import Foundation

/// One libpq connection (`PGconn`), finished when released: it connects and reconnects, prepares each statement once
/// per session, sends statements in pipelines (one round trip for several), and turns failures into `StorageFault`s
/// and `SQLStatementError`s that never show the password. Not thread-safe: used by one thread.
final class LibPQConnection {
    /// One request in a pipeline: each is answered by one result.
    enum Request {
        case prepare(name: String, sql: String)
        case describe(name: String, sql: String)
        case prepared(PostgresStatement, PostgresParameters)
        case query(String, PostgresParameters)
    }

    private let handle: OpaquePointer
    private let location: String
    private let password: String?
    /// Statements run after every connect: the schema, durable commits.
    private let setup: String
    private var statements: [String: PostgresStatement] = [:]
    /// Statements prepared in this session, cached or not: the next one's name.
    private var preparedCount = 0
    /// Set when a failure left the session unusable although libpq still counts it connected.
    private var broken = false

    init(_ location: PostgresLocation, applicationName: String, setup: String) throws(StorageFault) {
        self.location = location.description
        password = location.password
        self.setup = setup
        handle = try Self.connect(
            location.connectionParameters(applicationName: applicationName), describing: location.description,
            password: location.password)
        // A throw from here on finishes the connection in deinit.
        do {
            try run(setup)
        } catch {
            throw StorageFault(code: "", description: "\(error)")
        }
    }

    deinit { PQfinish(handle) }

    /// Whether the session can take an access now: connected, and in no transaction.
    var isUsable: Bool {
        !broken && PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Whether a transaction is open on the server and a statement in it failed.
    var isTransactionFailed: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    /// Whether a transaction is open on the server.
    var isInTransaction: Bool { [PQTRANS_INTRANS, PQTRANS_INERROR].contains(PQtransactionStatus(handle)) }

    var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Closes the session and opens a new one with the same parameters (prepared statements are gone with it);
    /// throws at once when the server cannot be reached (libpq's `connect_timeout` bounds the wait).
    func reconnect() throws(StorageFault) {
        statements.removeAll()
        preparedCount = 0
        broken = false
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw StorageFault(code: "", description: scrubbed("cannot reconnect to \(location): \(connectionMessage)"))
        }
        do {
            try run(setup)
        } catch {
            broken = true
            throw StorageFault(code: "", description: "\(error)")
        }
    }

    /// Runs `sql` (one statement or several, no arguments) with the simple protocol; the last statement's result.
    @discardableResult
    func run(_ sql: String) throws -> PostgresResult {
        guard let pointer = PQexec(handle, sql) else { throw failure(nil, sql: sql) }
        let result = PostgresResult(pointer)
        guard result.succeeded else { throw failure(result, sql: sql) }
        return result
    }

    /// `sql` prepared on this session (once, then from the cache), with its parameters and columns described.
    func statement(_ sql: String) throws -> PostgresStatement {
        if let statement = statements[sql] { return statement }
        preparedCount += 1
        let name = "s\(preparedCount)"
        let numbered = PostgresStatement.numbering(sql)
        let description = try pipeline([.prepare(name: name, sql: numbered), .describe(name: name, sql: sql)])[1]
        let statement = PostgresStatement(
            name: name, sql: sql, numbered: numbered, parameterTypes: description.parameterTypes,
            columns: SQLColumns(description.columnNames), columnTypes: description.columnTypes)
        statements[sql] = statement
        return statement
    }

    /// Sends `requests` in one pipeline, one round trip, and returns their results in order (rows in binary); the
    /// first failure is thrown (the requests after it were not run).
    func pipeline(_ requests: [Request]) throws -> [PostgresResult] {
        guard PQenterPipelineMode(handle) == 1 else { throw failure(nil, sql: requests.first.map(Self.sql) ?? "") }
        let sent = requests.prefix { send($0) }.count
        let synced = PQpipelineSync(handle) == 1
        var results: [PostgresResult?] = []
        for _ in 0..<sent {
            var first: PostgresResult?
            while PQstatus(handle) == CONNECTION_OK, let pointer = PQgetResult(handle) {
                let result = PostgresResult(pointer)
                first = first ?? result
            }
            results.append(first)
        }
        while synced, PQstatus(handle) == CONNECTION_OK, let pointer = PQgetResult(handle) {
            if PostgresResult(pointer).status == PGRES_PIPELINE_SYNC { break }
        }
        if PQexitPipelineMode(handle) != 1 { broken = true }
        for (index, request) in requests.enumerated() {
            let result = index < results.count ? results[index] : nil
            guard let result, result.succeeded else { throw failure(result, sql: Self.sql(request)) }
        }
        return results.map { $0! }
    }

    private func send(_ request: Request) -> Bool {
        switch request {
        case .prepare(let name, let sql):
            return PQsendPrepare(handle, name, sql, 0, nil) == 1
        case .describe(let name, _):
            return PQsendDescribePrepared(handle, name) == 1
        case .prepared(let statement, let parameters):
            return parameters.withUnsafeArguments { count, _, values, lengths, formats in
                PQsendQueryPrepared(handle, statement.name, count, values, lengths, formats, 1) == 1
            }
        case .query(let sql, let parameters):
            return parameters.withUnsafeArguments { count, types, values, lengths, formats in
                PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 1) == 1
            }
        }
    }

    private static func sql(_ request: Request) -> String {
        switch request {
        case .prepare(_, let sql), .describe(_, let sql), .query(let sql, _): sql
        case .prepared(let statement, _): statement.sql
        }
    }

    /// The failure `result` reports (or libpq, when there is no result): a `StorageFault` when the connection broke
    /// or the server cannot go on (shutting down, out of resources, a system error), else an `SQLStatementError`.
    private func failure(_ result: PostgresResult?, sql: String) -> any Error {
        let state = result?.sqlState ?? ""
        let message = result?.errorMessage ?? connectionMessage
        if PQstatus(handle) == CONNECTION_BAD || state.hasPrefix("08") || state.hasPrefix("57P0") { broken = true }
        if broken || ["08", "53", "58"].contains(state.prefix(2)) || ["57P01", "57P02", "57P03"].contains(state) {
            return StorageFault(code: state, description: scrubbed("PostgreSQL at \(location) failed: \(message)"))
        }
        return SQLStatementError(
            code: state, description: scrubbed("\(message), in `\(sql)`"), isConstraint: state.hasPrefix("23"))
    }

    private var connectionMessage: String { Self.message(of: handle) }

    private func scrubbed(_ text: String) -> String { Self.scrubbed(text, hiding: password) }

    /// libpq's last error on `handle`, on one line.
    private static func message(of handle: OpaquePointer) -> String {
        String(cString: PQerrorMessage(handle)).split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    /// `text` with `password` masked, should a server or libpq message ever echo it.
    private static func scrubbed(_ text: String, hiding password: String?) -> String {
        guard let password, !password.isEmpty else { return text }
        return text.replacingOccurrences(of: password, with: "***")
    }

    private static func connect(
        _ parameters: [(key: String, value: String)], describing location: String, password: String?
    ) throws(StorageFault) -> OpaquePointer {
        let keys = parameters.map { UnsafePointer(strdup($0.key)) } + [nil]
        let values = parameters.map { UnsafePointer(strdup($0.value)) } + [nil]
        defer { (keys + values).forEach { free(UnsafeMutablePointer(mutating: $0)) } }
        let handle = keys.withUnsafeBufferPointer { keys in
            values.withUnsafeBufferPointer { values in PQconnectdbParams(keys.baseAddress, values.baseAddress, 0) }
        }
        guard let handle else { throw StorageFault(code: "", description: "libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = scrubbed(message(of: handle), hiding: password)
            PQfinish(handle)
            throw StorageFault(code: "", description: "cannot connect to \(location): \(message)")
        }
        return handle
    }
}
