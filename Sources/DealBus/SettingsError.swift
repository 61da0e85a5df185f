/// Settings a service cannot start with, told as one sentence naming the key and where it was written
/// (`--check-timeout`, `DEALREG_REGISTRY_CHECK_TIMEOUT`, `/etc/dealreg/registry.conf line 12`). A value; `Sendable`.
public struct SettingsError: Error, CustomStringConvertible, Sendable, Hashable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
