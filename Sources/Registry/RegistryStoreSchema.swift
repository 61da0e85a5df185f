import DealStore

/// The registry's store schema as an operator tool sees it: the numbered migrations the registry applies at start,
/// on each engine, so that `dealreg store migrate` creates a PostgreSQL schema exactly as the service would.
/// Stateless; thread-safe.
public enum RegistryStoreSchema {
    public static var migrations: StoreMigrations {
        StoreMigrations(
            sqlite: RegistryStore.migrations(for: .sqlite), postgres: RegistryStore.migrations(for: .postgres))
    }
}
