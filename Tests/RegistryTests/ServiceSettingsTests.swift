import DealBus
import Foundation
import Testing

/// A service's settings come from its command line, the environment and a settings file, in that order.
struct ServiceSettingsTests {
    static let help = """
        USAGE: dealreg-registry --data <data> [--api <api>] [--check-timeout <check-timeout>] [--stop-with-parent]

        OPTIONS:
          --data <data>           Data directory.
          --api <api>             api ROUTER endpoint.
          --check-timeout <check-timeout>
                                  Seconds a registration may wait for a check worker.
          --stop-with-parent      Stop when the process that started this one is gone.
          --config <file>         Settings file.
          -h, --help              Show help information.
        """

    func settingsFile(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func theOptionsAreReadFromTheHelpText() {
        #expect(
            ServiceSettings.options(inHelp: Self.help)
                == ["data": true, "api": true, "check-timeout": true, "stop-with-parent": false, "config": true])
    }

    @Test func theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws {
        let file = try settingsFile(
            """
            # the registry host
            data = /var/lib/dealreg/registry
            api = "tcp://10.0.0.1:7400"
            check-timeout = 5
            stop-with-parent = true
            """)
        let resolved = try ServiceSettings.resolve(
            service: "registry", help: Self.help, commandLine: ["--config", file, "--api", "tcp://*:9"],
            environment: ["DEALREG_REGISTRY_CHECK_TIMEOUT": "20", "DEALREG_REGISTRY_KEY": "x", "HOME": "/root"])
        #expect(
            resolved.arguments == [
                "--data=/var/lib/dealreg/registry", "--stop-with-parent", "--check-timeout=20", "--config", file,
                "--api", "tcp://*:9",
            ])
        #expect(resolved.ignored == ["DEALREG_REGISTRY_KEY"])
    }

    @Test func aSettingsFileGivenAsOneWordIsRead() throws {
        let file = try settingsFile("data = /srv/registry\n")
        let resolved = try ServiceSettings.resolve(
            service: "registry", help: Self.help, commandLine: ["--config=\(file)"], environment: [:])
        #expect(resolved.arguments == ["--data=/srv/registry", "--config=\(file)"])
    }

    @Test func aSettingsFileIsFoundThroughTheEnvironmentToo() throws {
        let file = try settingsFile("data = /srv/registry\nstop-with-parent = false\n")
        let resolved = try ServiceSettings.resolve(
            service: "registry", help: Self.help, commandLine: [], environment: ["DEALREG_REGISTRY_CONFIG": file])
        #expect(resolved.arguments == ["--data=/srv/registry", "--config=\(file)"])
    }

    @Test func aValueBeginningWithADashStaysAValue() throws {
        // Z85 keys may begin with '-': as a word of its own it would be read as an option.
        let resolved = try ServiceSettings.resolve(
            service: "registry", help: Self.help, commandLine: [], environment: ["DEALREG_REGISTRY_API": "-ds9]+5Y"])
        #expect(resolved.arguments == ["--api=-ds9]+5Y"])
    }

    @Test func aBadSettingsFileIsRefusedNamingItsLine() throws {
        for (text, expected) in [
            ("data = /srv\nbogus = 1\n", "line 2: 'bogus' is not an option"),
            ("data /srv\n", "line 1: expected 'option = value'"),
            ("stop-with-parent = maybe\n", "'stop-with-parent' is a flag"),
        ] {
            let file = try settingsFile(text)
            #expect {
                _ = try ServiceSettings.resolve(
                    service: "registry", help: Self.help, commandLine: ["--config", file], environment: [:])
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
        #expect(throws: ServiceSettings.Problem.self) {
            _ = try ServiceSettings.resolve(
                service: "registry", help: Self.help, commandLine: ["--config", "/nonexistent/settings"],
                environment: [:])
        }
    }

    @Test func aLogLineIsOneJSONObjectWithEverythingEscaped() throws {
        let quoted = JSONLinesLogHandler.quoted("say \"hi\"\n\\ tab\t\u{1}é")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == ["say \"hi\"\n\\ tab\t\u{1}é"])
        #expect(JSONLinesLogHandler.timestamp().count == "2026-11-30T04:54:43.214Z".count)
    }
}
