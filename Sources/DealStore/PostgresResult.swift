import CLibPQ

/// One result libpq returned (`PGresult`), cleared when released. Not thread-safe: read by the thread that got it.
final class PostgresResult {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    var status: ExecStatusType { PQresultStatus(handle) }

    /// Whether the statement succeeded (an empty statement too).
    var succeeded: Bool { [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY].contains(status) }

    var rowCount: Int { Int(PQntuples(handle)) }

    /// How many rows an INSERT, UPDATE or DELETE changed (0 for other statements).
    var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The SQLSTATE of a failure, empty when libpq itself failed (a broken connection).
    var sqlState: String { field("C") ?? "" }

    /// The server's message and its detail, on one line.
    var errorMessage: String {
        guard let primary = field("M") else {
            return String(cString: PQresultErrorMessage(handle)).split(whereSeparator: \.isNewline)
                .joined(separator: "; ")
        }
        return field("D").map { "\(primary) (\($0))" } ?? primary
    }

    /// A prepared statement's description: parameter types, column names and types.
    var parameterTypes: [Oid] { (0..<PQnparams(handle)).map { PQparamtype(handle, $0) } }
    var columnNames: [String] { (0..<PQnfields(handle)).map { String(cString: PQfname(handle, $0)) } }
    var columnTypes: [Oid] { (0..<PQnfields(handle)).map { PQftype(handle, $0) } }

    /// The values of row `row`, from binary columns of readable types.
    func values(row: Int) -> [SQLValue] {
        let row = Int32(row)
        return (0..<PQnfields(handle)).map { column in
            guard PQgetisnull(handle, row, column) == 0 else { return .null }
            let bytes = UnsafeRawBufferPointer(
                start: PQgetvalue(handle, row, column), count: Int(PQgetlength(handle, row, column)))
            return PostgresValueCodec.decode(bytes, type: PQftype(handle, column))
        }
    }

    private func field(_ code: Unicode.Scalar) -> String? {
        PQresultErrorField(handle, Int32(code.value)).map { String(cString: $0) }
    }
}
