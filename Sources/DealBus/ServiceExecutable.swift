import Foundation

/// What each service executable's `main` does, once: `--help` from its keys; its configuration from its settings
/// (`ServiceSettings`), a settings problem printed on standard error with exit status 2 (a usage error) and each
/// ignored variable with a line; then logs and metrics set up and the service run until SIGTERM, a failure printed
/// with status 1.
public enum ServiceExecutable {
    nonisolated(nonsending) public static func run<ServiceConfiguration: Sendable>(
        _ executable: String, service: String, abstract: String, keys: [SettingKey],
        configuration: (ServiceSettings) throws -> ServiceConfiguration,
        serve: (ServiceConfiguration, _ stopWithParent: Bool) async throws -> Void
    ) async -> Never {
        // First of all: a parent that exits during start-up is still seen as gone (`--stop-with-parent`).
        LaunchingParent.record()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
            print(help(executable, service: service, abstract: abstract, keys: keys + [.config, .stopWithParent]))
            exit(0)
        }
        let built: ServiceConfiguration
        let stopWithParent: Bool
        do {
            let settings = try ServiceSettings(executable: executable, service: service, keys: keys)
            for variable in settings.ignored {
                complain("\(executable): \(variable) names no option; ignored")
            }
            stopWithParent = try settings.flag(.stopWithParent)
            built = try configuration(settings)
        } catch let error as SettingsError {
            complain("\(executable): \(error)")
            exit(2)
        } catch {
            complain("\(executable): \(error)")
            exit(1)
        }
        LogSetup.bootstrap()
        ServiceMetrics.bootstrap()
        do {
            try await serve(built, stopWithParent)
        } catch {
            complain("\(executable): \(error)")
            exit(1)
        }
        exit(0)
    }

    /// The usage text: every key that is not hidden, with what it takes, its help, its default and its variable.
    public static func help(_ executable: String, service: String, abstract: String, keys: [SettingKey]) -> String {
        // Plain loops: the release compiler (6.3.1) crashed in its ownership verifier on the closure-based form.
        var usage = executable
        var options: [String] = []
        for key in keys where !key.isHidden {
            var option = "--" + key.name
            if let placeholder = key.placeholder { option += " " + placeholder }
            if key.isRequired { usage += " " + option }
            var notes: [String] = []
            if key.isRequired {
                notes.append("required")
            } else if let value = key.defaultValue {
                notes.append("default: " + value)
            }
            if let range = key.range { notes.append("\(range.lowerBound) to \(range.upperBound)") }
            notes.append(key.environmentVariable(service: service))
            let padding = String(repeating: " ", count: max(0, 30 - option.count))
            options.append("  " + option + padding + " " + key.help)
            options.append(String(repeating: " ", count: 33) + "(" + notes.joined(separator: "; ") + ")")
        }
        let lines =
            [
                "OVERVIEW: \(abstract)", "", "USAGE: \(usage) [<option> ...]", "",
                "Each option is also DEALREG_\(service.uppercased())_<OPTION> in the environment and 'option = value' in "
                    + "the settings file; the command line wins over the environment, which wins over the file.", "",
                "OPTIONS:",
            ] + options + ["  -h, --help" + String(repeating: " ", count: 21) + "Show this help."]
        return lines.joined(separator: "\n")
    }

    private static func complain(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
