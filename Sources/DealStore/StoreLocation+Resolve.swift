import Foundation

extension StoreLocation {
    /// A service's `--store` setting as a location, its PostgreSQL password filled from `passwordFile` or the
    /// environment when the URL has none.
    public static func resolve(_ text: String, passwordFile: URL?) throws(StoreLocationError) -> StoreLocation {
        switch try StoreLocation(parsing: text) {
        case .sqlite(let file): return .sqlite(file)
        case .postgres(let location): return .postgres(try location.fillingPassword(from: passwordFile?.path))
        }
    }
}

extension PostgresLocation {
    /// The same location without its password: what a supervisor puts on a child's command line (the password goes
    /// in its environment).
    public var withoutPassword: PostgresLocation {
        var copy = self
        copy.password = nil
        return copy
    }
}

extension DurableDatabase {
    /// A consistent copy of the store at `location` for the `Backup` request: SQLite's online backup; a PostgreSQL
    /// store is backed up by its server's tools, and the request says so.
    public static func backup(_ location: StoreLocation, to destination: URL) throws {
        switch location {
        case .sqlite(let file): try backup(file, to: destination)
        case .postgres(let postgres):
            throw StoreError(
                description:
                    "the store is PostgreSQL (\(postgres)): back it up with pg_dump or a base backup and WAL archiving "
                    + "(deploy/README.md); the Backup request copies SQLite stores")
        }
    }
}
