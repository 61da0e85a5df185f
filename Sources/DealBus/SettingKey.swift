/// One key of a service's settings, under one name everywhere: `check-timeout` is `--check-timeout` on the command
/// line, `DEALREG_REGISTRY_CHECK_TIMEOUT` in the environment and `check-timeout = …` in the settings file. It states
/// what the key takes and its help; the default it shows is read from the configuration struct's own field, so it
/// is written once. A value; `Sendable`.
public struct SettingKey: Sendable, Hashable {
    /// What a key's text must be.
    public enum Kind: Sendable, Hashable {
        /// Any text (an endpoint, a name); the placeholder names it in `--help`.
        case text(_ placeholder: String)
        /// A file or folder; relative paths are taken from the working directory.
        case path(_ placeholder: String)
        /// A whole number within the range.
        case integer(_ placeholder: String, ClosedRange<Int>)
        /// A CURVE public key in Z85 (40 characters; it may begin with '-').
        case curveKey
        /// On or off: present on the command line, `true`/`false` (or `yes`/`no`, `1`/`0`) elsewhere.
        case flag
    }

    public let name: String
    public let kind: Kind
    public let help: String
    /// The default as `--help` shows it; nil when the key has none (it is optional, or required).
    public let defaultValue: String?
    /// A service does not start without it.
    public let isRequired: Bool
    /// Left out of `--help` (test hooks).
    public let isHidden: Bool

    public init(
        _ name: String, _ kind: Kind, _ help: String, default defaultValue: String? = nil, required: Bool = false,
        hidden: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.help = help
        self.defaultValue = defaultValue
        self.isRequired = required
        self.isHidden = hidden
    }

    /// The key's environment variable for `service`: `DEALREG_REGISTRY_CHECK_TIMEOUT` (the name
    /// swift-configuration's `EnvironmentVariablesProvider` reads for the key under the prefix `dealreg.registry`).
    public func environmentVariable(service: String) -> String {
        "DEALREG_\(service.uppercased())_\(name.uppercased().replacingOccurrences(of: "-", with: "_"))"
    }

    /// What the key takes, in `--help` (`<seconds>`); nil for a flag.
    var placeholder: String? {
        switch kind {
        case .text(let placeholder), .path(let placeholder), .integer(let placeholder, _): "<\(placeholder)>"
        case .curveKey: "<z85>"
        case .flag: nil
        }
    }

    /// The values an integer key takes.
    var range: ClosedRange<Int>? {
        guard case .integer(_, let range) = kind else { return nil }
        return range
    }

    /// What the key takes, in an error: "a whole number from 1 to 86400".
    var expected: String {
        switch kind {
        case .text(let placeholder): "a \(placeholder)"
        case .path: "a path"
        case .integer(_, let range): "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .curveKey: "a CURVE public key in Z85 (40 characters)"
        case .flag: "true or false"
        }
    }
}

extension SettingKey {
    /// The settings file (`option = value` lines); every service has it.
    public static let config = SettingKey(
        "config", .path("file"),
        "Settings file: 'option = value' lines, one per option here. The environment overrides it, the command line both."
    )
    /// Every service has it: a supervisor's children never outlive it.
    public static let stopWithParent = SettingKey(
        "stop-with-parent", .flag, "Stop when the process that started this one is gone.", default: "false")
    /// Where the registry or enforcement keeps its store (issue 19); parsed by the service as a `StoreLocation`.
    public static let store = SettingKey(
        "store", .text("url"),
        "sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (the service owns its own schema there). "
            + "Default: sqlite in the data directory.")
    /// A file holding the PostgreSQL password, so that it is on no command line (else DEALREG_STORE_PASSWORD).
    public static let storePasswordFile = SettingKey(
        "store-password-file", .path("file"),
        "File whose first line is the PostgreSQL password (else the URL's, DEALREG_STORE_PASSWORD, PGPASSWORD).")
    /// How end-to-end tests move a service's time (`OffsetClock`); the registry and enforcement have it.
    public static let clockOffsetFile = SettingKey(
        "clock-offset-file", .path("file"),
        "A file holding seconds to add to the system clock, re-read every second (tests move time with it).",
        hidden: true)
}
