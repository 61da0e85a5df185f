import GRDB

/// A write refused by the storage under a database rather than by its data: a full disk, a file-size limit, a
/// read-only or failing file system. SQLite rolled the transaction back, so the same write may succeed once the
/// storage recovers. A value; thread-safe.
public struct StorageFault: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code, such as `SQLITE_FULL` (13) or `SQLITE_IOERR_WRITE` (778).
    public var code: Int32
    public var description: String

    /// The primary result codes SQLite gives when the file system, not the statement, refused the write.
    private static let storageCodes: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN]

    /// `error` as a storage fault; nil for any other failure (a constraint, a closed database, a bug).
    public init?(_ error: any Error) {
        guard let error = error as? DatabaseError, Self.storageCodes.contains(error.resultCode) else { return nil }
        code = error.extendedResultCode.rawValue
        description = "\(error)"
    }
}
