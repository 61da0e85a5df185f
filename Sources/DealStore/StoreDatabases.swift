/// Opens a service's store wherever its location says, on either engine, migrated to its current schema. Stateless;
/// thread-safe.
public enum StoreDatabases {
    /// The database at `location`: an SQLite file through `DurableDatabase`, or the service's own `schema` in a
    /// PostgreSQL database. When `mustExist` (the service ran before), a missing file or a schema that was never
    /// migrated is a `StoreError`, not a fresh start; a PostgreSQL server that cannot be reached is a `StorageFault`.
    public static func open(
        _ location: StoreLocation, schema: String, migrations: StoreMigrations, mustExist: Bool,
        applicationName: String
    ) throws -> any SQLDatabase {
        switch location {
        case .sqlite(let file):
            return SQLiteDatabase(try DurableDatabase.open(file, migrations: migrations.sqlite, mustExist: mustExist))
        case .postgres(let postgres):
            let database = try PostgresDatabase(postgres, schema: schema, applicationName: applicationName)
            if mustExist, try database.appliedMigrations().isEmpty {
                database.close()
                throw StoreError(
                    description:
                        "the schema \(schema) of \(postgres) holds no store, but this service ran before (its key is "
                        + "there). Nothing was migrated: restore the database from a backup, or move the service's "
                        + "folder aside to start afresh.")
            }
            try database.migrate(migrations.postgres)
            return database
        }
    }
}
