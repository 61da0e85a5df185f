import GRDB

/// A failure of the storage under a database rather than of the statement's data: a full disk, a file-size limit, a
/// read-only or failing file system (SQLite), the server restarting, unreachable or refusing connections
/// (PostgreSQL). Nothing was committed by the failed access (except when PostgreSQL's COMMIT itself was lost with the
/// connection: then its outcome is unknown, and the caller reads the state again), and the same one may succeed once
/// the storage recovers. A value; `Sendable`.
public struct StorageFault: Error, CustomStringConvertible, Sendable {
    /// The engine's code: SQLite's extended result code (`13` is SQLITE_FULL), PostgreSQL's SQLSTATE (`57P01` is an
    /// administrator shutdown), or empty when the connection itself broke.
    public var code: String
    public var description: String

    public init(code: String, description: String) {
        self.code = code
        self.description = description
    }

    /// The primary result codes SQLite gives when the file system, not the statement, refused the write.
    private static let storageCodes: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN]

    /// `error` as a storage fault; nil for any other failure (a constraint, a closed database, a bug).
    public init?(_ error: any Error) {
        if let fault = error as? StorageFault {
            self = fault
            return
        }
        guard let error = error as? DatabaseError, Self.storageCodes.contains(error.resultCode) else { return nil }
        code = "\(error.extendedResultCode.rawValue)"
        description = "\(error)"
    }
}
