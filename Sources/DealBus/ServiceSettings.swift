import Foundation

/// A service's settings from three places, the first that has one winning: its command line, the environment
/// (`DEALREG_<SERVICE>_<OPTION>`, e.g. `DEALREG_REGISTRY_CHECK_TIMEOUT=20`), and a settings file (`--config FILE`
/// or `DEALREG_<SERVICE>_CONFIG`; `option = value` lines, `#` comments, flags as `true`/`false`). All three become
/// command-line arguments, so ArgumentParser parses and validates an option the same way wherever it came from.
public enum ServiceSettings {
    /// A settings file that cannot be used: which file, which line, and why.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// What the command runs with, and the environment variables that name no option (ignored, but worth a word:
    /// a misspelt one would otherwise go unnoticed).
    public struct Resolved {
        public var arguments: [String]
        public var ignored: [String]
    }

    /// The options a command declares, from its help text (`--name <value>` takes a value, `--name` is a flag).
    /// ArgumentParser does not expose its argument table; the help text is its public rendering of it.
    public static func options(inHelp help: String) -> [String: Bool] {
        var options: [String: Bool] = [:]
        for line in help.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            for (index, word) in words.enumerated() where word.hasPrefix("--") && word.count > 2 {
                let name = String(word.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
                guard !name.isEmpty, name != "help" else { continue }
                options[name] = index + 1 < words.count && words[index + 1].hasPrefix("<")
            }
        }
        return options
    }

    /// The arguments for `service` (`registry`, `check`, `enforce`) given the command's `help` text.
    public static func resolve(
        service: String, help: String, commandLine: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Problem) -> Resolved {
        let known = options(inHelp: help)
        let onCommandLine = Set(
            commandLine.filter { $0.hasPrefix("--") }.map { String($0.dropFirst(2).prefix { $0 != "=" }) })
        let prefix = "DEALREG_\(service.uppercased())_"
        var fromEnvironment: [(String, String)] = []
        var ignored: [String] = []
        for (variable, value) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(prefix) {
            let name = variable.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: "-")
            if known[name] == nil {
                ignored.append(variable)
            } else if !onCommandLine.contains(name) {
                fromEnvironment.append((name, value))
            }
        }
        var fromFile: [(String, String)] = []
        // `--config FILE` or `--config=FILE`, as ArgumentParser takes either.
        let file =
            commandLine.firstIndex(of: "--config").flatMap { $0 + 1 < commandLine.count ? commandLine[$0 + 1] : nil }
            ?? commandLine.first { $0.hasPrefix("--config=") }.map { String($0.dropFirst("--config=".count)) }
            ?? fromEnvironment.first { $0.0 == "config" }?.1
        if let file {
            let named = onCommandLine.union(fromEnvironment.map(\.0))
            fromFile = try read(file, known: known).filter { !named.contains($0.0) }
        }
        var arguments: [String] = []
        for (name, value) in fromFile + fromEnvironment {
            guard let takesValue = known[name] else { continue }
            if takesValue {
                // One word, `--name=value`: a value may begin with '-' (Z85 keys do), which as a word of its own
                // would be taken for an option.
                arguments.append("--\(name)=\(value)")
            } else if ["true", "1", "yes"].contains(value.lowercased()) {
                arguments.append("--\(name)")
            } else if !["false", "0", "no"].contains(value.lowercased()) {
                throw Problem(description: "'\(name)' is a flag: set it to true or false, not '\(value)'.")
            }
        }
        return Resolved(arguments: arguments + commandLine, ignored: ignored)
    }

    /// The `option = value` pairs of a settings file; an unknown option or a line without `=` is refused.
    static func read(_ path: String, known: [String: Bool]) throws(Problem) -> [(String, String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "The settings file \(path) cannot be read.")
        }
        var pairs: [(String, String)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw Problem(description: "\(path) line \(number + 1): expected 'option = value', found '\(line)'.")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard known[name] != nil, name != "config" else {
                throw Problem(description: "\(path) line \(number + 1): '\(name)' is not an option of this service.")
            }
            pairs.append((name, value))
        }
        return pairs
    }
}

extension ServiceSettings {
    /// The arguments `executable` runs with; a settings problem is printed and exits with status 2 (a usage error).
    public static func arguments(service: String, executable: String, help: String) -> [String] {
        do {
            let resolved = try resolve(service: service, help: help)
            for variable in resolved.ignored {
                FileHandle.standardError.write(Data("\(executable): \(variable) names no option; ignored\n".utf8))
            }
            return resolved.arguments
        } catch {
            FileHandle.standardError.write(Data("\(executable): \(error)\n".utf8))
            exit(2)
        }
    }
}
