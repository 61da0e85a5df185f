/// Why `dealreg store migrate` refused or stopped: one sentence saying what was found and what to do, never the
/// password. A value; `Sendable`.
struct StoreMigrationError: Error, CustomStringConvertible, Sendable {
    var description: String

    init(_ description: String) { self.description = description }
}
