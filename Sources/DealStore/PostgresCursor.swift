/// The rows of one PostgreSQL query: a whole result held, or a server-side cursor read `fetchSize` rows at a time
/// and closed when it is exhausted or released. Not thread-safe; valid inside the access that opened it.
final class PostgresCursor: SQLCursor {
    private var batch: PostgresResult
    private var row = 0
    private let columns: SQLColumns
    /// The server-side cursor, while it may have more rows.
    private var server: (name: String, connection: PostgresConnection)?

    /// Rows of `result`, then of the server-side cursor `name` when there is one.
    init(_ result: PostgresResult, columns: SQLColumns, name: String? = nil, connection: PostgresConnection? = nil) {
        batch = result
        self.columns = columns
        if let name, let connection {
            server = (name, connection)
            closeIfExhausted()
        }
    }

    deinit {
        if let server { server.connection.close(server.name) }
    }

    func next() throws -> SQLRow? {
        while row == batch.rowCount {
            guard let server else { return nil }
            batch = try server.connection.fetch(server.name)
            row = 0
            closeIfExhausted()
        }
        defer { row += 1 }
        return SQLRow(columns: columns, values: batch.values(row: row))
    }

    private func closeIfExhausted() {
        guard let server, batch.rowCount < PostgresConnection.fetchSize else { return }
        server.connection.close(server.name)
        self.server = nil
    }
}
