import Configuration

/// A swift-configuration provider of settings written as text, each with where it was written: a service's command
/// line (`--api tcp://…`, `--api=tcp://…`, `--stop-with-parent`) or its settings file (`api = tcp://…`). Both are
/// checked against the service's keys when read, so a misspelt option or line is refused, not skipped. The place a
/// value was written is its lookup's encoded key (`--api`, `/etc/dealreg/registry.conf line 4`), which is how an
/// error about the value names it. A value; `Sendable`.
///
/// swift-configuration's own `CommandLineArgumentsProvider` is not used: it ignores options it was not asked about
/// (a misspelt `--chek-timeout 5` would do nothing) and splits every value at its commas.
struct SettingsTextProvider: ConfigProvider, ConfigSnapshot {
    /// A key's text and where it was written.
    struct Entry: Sendable, Hashable {
        var text: String
        var origin: String
    }

    let providerName: String
    let entries: [String: Entry]

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        let name = key.components.joined(separator: ".")
        guard let entry = entries[name] else { return LookupResult(encodedKey: name, value: nil) }
        guard type == .string else {
            // `ServiceSettings` asks for text and converts it itself, naming the key and the origin on failure.
            throw SettingsError("\(entry.origin): \(name) is read as text, not as \(type.rawValue).")
        }
        return LookupResult(encodedKey: entry.origin, value: ConfigValue(.string(entry.text), isSecret: false))
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey, type: ConfigType,
        updatesHandler:
            nonisolated(nonsending) (
                ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
            ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { self }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler:
            nonisolated(nonsending) (ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws
            -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}

extension SettingsTextProvider {
    /// The options of `arguments` (without the executable's name): `--name value`, `--name=value` (one word, for a
    /// value that begins with `--`), a flag alone (`--stop-with-parent`) or set (`--stop-with-parent=false`).
    /// A value word may begin with a single '-' (Z85 keys do). Given twice, the last wins, as ArgumentParser did.
    init(commandLine arguments: [String], keys: [SettingKey], executable: String) throws(SettingsError) {
        let known = Dictionary(keys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var entries: [String: Entry] = [:]
        var words = arguments[...]
        while let word = words.popFirst() {
            guard word.hasPrefix("--"), word.count > 2 else {
                throw SettingsError("'\(word)' is not an option of \(executable) (see --help).")
            }
            let option = word.dropFirst(2)
            let name = String(option.prefix { $0 != "=" })
            let inline = option.firstIndex(of: "=").map { String(option[option.index(after: $0)...]) }
            guard let key = known[name] else {
                throw SettingsError("--\(name) is not an option of \(executable) (see --help).")
            }
            let text: String
            if let inline {
                text = inline
            } else if key.kind == .flag {
                text = "true"
            } else if let next = words.first, !next.hasPrefix("--") {
                text = next
                words = words.dropFirst()
            } else {
                throw SettingsError(
                    "--\(name) needs a value (\(key.expected)); one that begins with '--' is written --\(name)=VALUE.")
            }
            entries[name] = Entry(text: text, origin: "--\(name)")
        }
        self.init(providerName: "command line", entries: entries)
    }

    /// The `option = value` lines of the settings file at `path`: `#` comments, blank lines, values optionally in
    /// double quotes. A line naming no key (or `config` itself), or without '=', is refused naming file and line.
    init(file path: String, keys: [SettingKey], executable: String) throws(SettingsError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SettingsError("The settings file \(path) cannot be read.")
        }
        let known = Set(keys.map(\.name))
        var entries: [String: Entry] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let origin = "\(path) line \(index + 1)"
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError("\(origin): expected 'option = value', found '\(line)'.")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard known.contains(name) else {
                throw SettingsError("\(origin): '\(name)' is not an option of \(executable) (see --help).")
            }
            guard name != SettingKey.config.name else {
                throw SettingsError("\(origin): a settings file cannot name another; give it with --config.")
            }
            entries[name] = Entry(text: value, origin: origin)
        }
        self.init(providerName: "settings file", entries: entries)
    }
}
