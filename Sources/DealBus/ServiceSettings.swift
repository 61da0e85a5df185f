import Configuration
import Foundation
import Synchronization
import ZeroMQ

/// A service's settings, read through one swift-configuration `ConfigReader` whose providers are asked in the
/// order of `precedence`: the command line, then the environment (`DEALREG_<SERVICE>_<KEY>`), then the settings
/// file (`--config FILE` or `DEALREG_<SERVICE>_CONFIG`); a key none of them sets keeps the configuration struct's
/// default. Each read converts the text for its key's kind and, when it cannot, says which key and where it was
/// written. Thread-safe: reads are serialised (each takes the reader's report of where its value came from).
public struct ServiceSettings: Sendable {
    /// The executable, as errors name it: `dealreg-registry`.
    public let executable: String
    /// The service, as its variables are prefixed: `registry` reads `DEALREG_REGISTRY_*`.
    public let service: String
    /// The keys it reads: the service's, then `config` and `stop-with-parent`.
    public let keys: [SettingKey]
    /// `DEALREG_<SERVICE>_*` variables that name no key: ignored, but worth a word, since a misspelt one would
    /// otherwise go unnoticed.
    public let ignored: [String]
    private let reader: ConfigReader
    private let lookups: Lookups

    /// Reads `service`'s `keys` (`config` and `stop-with-parent` are added) from `commandLine` (without the
    /// executable's name), `environment` and the settings file either of them names.
    public init(
        executable: String, service: String, keys: [SettingKey],
        commandLine: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SettingsError) {
        let keys = keys + [.config, .stopWithParent]
        let arguments = try SettingsTextProvider(commandLine: commandLine, keys: keys, executable: executable)
        let variables = EnvironmentVariablesProvider(environmentVariables: environment)
            .prefixKeys(with: ConfigKey(["dealreg", service]))
        let named = Set(keys.map { $0.environmentVariable(service: service) })
        let prefix = "DEALREG_\(service.uppercased())_"
        let ignored = environment.keys.filter { $0.hasPrefix(prefix) && !named.contains($0) }.sorted()
        let lookups = Lookups()
        func settings(file: SettingsTextProvider?) -> ServiceSettings {
            ServiceSettings(
                executable: executable, service: service, keys: keys, ignored: ignored,
                reader: ConfigReader(
                    providers: Self.precedence(commandLine: arguments, environment: variables, file: file),
                    accessReporter: lookups),
                lookups: lookups)
        }
        // The file is named on the command line or in the environment, never in itself.
        let withoutFile = settings(file: nil)
        guard let file = try withoutFile.text(.config) else {
            self = withoutFile
            return
        }
        self = settings(file: try SettingsTextProvider(file: file, keys: keys, executable: executable))
    }

    private init(
        executable: String, service: String, keys: [SettingKey], ignored: [String], reader: ConfigReader,
        lookups: Lookups
    ) {
        self.executable = executable
        self.service = service
        self.keys = keys
        self.ignored = ignored
        self.reader = reader
        self.lookups = lookups
    }

    /// The one statement of precedence: the first provider that sets a key wins.
    private static func precedence(
        commandLine: SettingsTextProvider, environment: some ConfigProvider, file: SettingsTextProvider?
    ) -> [any ConfigProvider] {
        [commandLine, environment] + (file.map { [$0] } ?? [])
    }

    /// The text of `key` and where it was written, from the first source that sets it; nil when none does.
    public func lookup(_ key: SettingKey) throws(SettingsError) -> (text: String, origin: String)? {
        precondition(keys.contains(key), "\(key.name) is not a key of \(executable)")
        let (text, event) = lookups.read { reader.string(forKey: ConfigKey([key.name])) }
        for provider in event?.providerResults ?? [] {
            if case .failure(let error) = provider.result {
                throw error as? SettingsError
                    ?? SettingsError("\(key.name), from the \(provider.providerName): \(error)")
            }
        }
        guard let text else { return nil }
        let origin = event?.providerResults.lazy.compactMap { try? $0.result.get() }.first { $0.value != nil }
        return (text, origin?.encodedKey ?? key.name)
    }

    /// The value of `key` as `parse` makes it from the text; nil when no source sets it. Text `parse` refuses is
    /// an error naming the key, where it was written and what it takes.
    public func value<Value>(_ key: SettingKey, _ parse: (String) -> Value?) throws(SettingsError) -> Value? {
        guard let (text, origin) = try lookup(key) else { return nil }
        guard let value = parse(text) else {
            throw SettingsError("\(origin): \(key.name) takes \(key.expected), not '\(text)'.")
        }
        return value
    }

    /// The value of `key` as `parse` makes it from the text; nil when no source sets it. What `parse` throws is an
    /// error naming where the key was written.
    public func parsed<Value>(_ key: SettingKey, _ parse: (String) throws -> Value) throws(SettingsError) -> Value? {
        guard let (text, origin) = try lookup(key) else { return nil }
        do {
            return try parse(text)
        } catch {
            throw SettingsError("\(origin): \(error)")
        }
    }

    /// A text key's value.
    public func text(_ key: SettingKey) throws(SettingsError) -> String? {
        try value(key) { $0 }
    }

    /// A path key's value, relative to the working directory.
    public func path(_ key: SettingKey) throws(SettingsError) -> URL? {
        try value(key) { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
    }

    /// A required path key's value; its absence is an error saying where it can be set.
    public func requiredPath(_ key: SettingKey) throws(SettingsError) -> URL {
        guard let url = try path(key) else {
            throw SettingsError(
                "\(key.name) is required: --\(key.name) \(key.placeholder ?? ""), "
                    + "\(key.environmentVariable(service: service)) or '\(key.name) = …' in the settings file.")
        }
        return url
    }

    /// The key pair in the identity file a required path key names (`dealreg keys create` writes them).
    public func keyPair(_ key: SettingKey) throws -> CurveKeyPair {
        let file = try requiredPath(key)
        guard let keyPair = try Keystore.read(file).keyPair else {
            throw AddressError("The key file \(file.path) holds no usable key pair.")
        }
        return keyPair
    }

    /// An integer key's value, within its range.
    public func integer(_ key: SettingKey) throws(SettingsError) -> Int? {
        guard case .integer(_, let range) = key.kind else { preconditionFailure("\(key.name) is not an integer") }
        return try value(key) { Int($0).flatMap { range.contains($0) ? $0 : nil } }
    }

    /// A flag's value: false when no source sets it.
    public func flag(_ key: SettingKey) throws(SettingsError) -> Bool {
        try value(key) { text in
            switch text.lowercased() {
            case "true", "yes", "1": true
            case "false", "no", "0": false
            default: nil
            }
        } ?? false
    }

    /// A CURVE public key's value.
    public func curveKey(_ key: SettingKey) throws(SettingsError) -> CurveKey? {
        try value(key) { CurveKey(z85: $0) }
    }
}

/// The last report of a `ConfigReader`'s lookups, so a read can tell which provider answered it (an
/// `AccessReporter`). Thread-safe: `read` serialises the lookups it wraps.
private final class Lookups: AccessReporter {
    private let serial = Mutex(())
    private let last = Mutex<AccessEvent?>(nil)

    func report(_ event: AccessEvent) {
        last.withLock { $0 = event }
    }

    /// What `lookup` returned, and the report it made.
    func read(_ lookup: () -> String?) -> (String?, AccessEvent?) {
        serial.withLock { _ in
            last.withLock { $0 = nil }
            let text = lookup()
            return (text, last.withLock { $0 })
        }
    }
}
