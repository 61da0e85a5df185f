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
        let shown = keys.filter { !$0.isHidden }
        let required = shown.filter(\.isRequired).map { "--\($0.name) \($0.placeholder ?? "")" }
        var lines = [
            "OVERVIEW: \(abstract)", "",
            "USAGE: \(executable) \((required + ["[<option> ...]"]).joined(separator: " "))", "",
            "Each option is also DEALREG_\(service.uppercased())_<OPTION> in the environment and 'option = value' in "
                + "the settings file; the command line wins over the environment, which wins over the file.", "",
            "OPTIONS:",
        ]
        for key in shown {
            let option = "--\(key.name)" + (key.placeholder.map { " \($0)" } ?? "")
            let notes: [String?] = [
                key.isRequired ? "required" : key.defaultValue.map { "default: \($0)" },
                key.range.map { "\($0.lowerBound) to \($0.upperBound)" },
                key.environmentVariable(service: service),
            ]
            lines.append(
                "  \(option.padding(toLength: max(option.count, 30), withPad: " ", startingAt: 0)) \(key.help)")
            lines.append(
                String(repeating: " ", count: 33) + "(" + notes.compactMap { $0 }.joined(separator: "; ") + ")")
        }
        lines.append("  -h, --help" + String(repeating: " ", count: 21) + "Show this help.")
        return lines.joined(separator: "\n")
    }

    private static func complain(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
