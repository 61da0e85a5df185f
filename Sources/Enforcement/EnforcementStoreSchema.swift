import DealStore

/// Enforcement's store schema as an operator tool sees it: the numbered migrations enforcement applies at start, on
/// each engine, so that `dealreg store migrate` creates a PostgreSQL schema exactly as the service would. Stateless;
/// thread-safe.
public enum EnforcementStoreSchema {
    public static var migrations: StoreMigrations {
        StoreMigrations(
            sqlite: EnforcementStore.migrations(for: .sqlite), postgres: EnforcementStore.migrations(for: .postgres))
    }
}
