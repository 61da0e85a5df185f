import ConflictCheck
import DealBus
import DealModel
import Enforcement
import Foundation
import Registry
import Testing
import ZeroMQ

/// A service's configuration comes from its command line, then the environment, then its settings file, then the
/// configuration struct's defaults; what cannot be used is refused naming the key and where it was written.
struct ServiceSettingsTests {
    static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    func settingsFile(_ text: String) throws -> String {
        let file = Self.folder.appendingPathComponent("settings-\(UUID().uuidString).conf")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// A service principal's key file, as `dealreg keys create` writes it.
    static let identityFile: String = {
        let keystore = Keystore(directory: folder)
        let identity = Identity(id: PartyID("svc-test"), kind: .checkWorker, keyPair: try! CurveKeyPair.generate())
        try! keystore.save(identity)
        return keystore.path(for: identity.id).path
    }()

    static let registryKey = try! CurveKeyPair.generate().publicKey

    /// What enforcement needs besides the key under test: the registry and its own key.
    static let registry = [
        "--key", identityFile, "--registry-key=\(registryKey.z85)", "--registry-events", "tcp://10.0.0.1:7402",
        "--registry-sync", "tcp://10.0.0.1:7403",
    ]
    /// What a check worker needs besides the key under test.
    static let worker = registry + ["--registry-work", "tcp://10.0.0.1:7401"]

    func registry(_ commandLine: [String], _ environment: [String: String] = [:]) throws -> RegistryConfiguration {
        try RegistryConfiguration(
            settings: settings("registry", RegistryConfiguration.Keys.all, commandLine, environment))
    }

    func settings(
        _ service: String, _ keys: [SettingKey], _ commandLine: [String], _ environment: [String: String] = [:]
    ) throws(SettingsError) -> ServiceSettings {
        try ServiceSettings(
            executable: "dealreg-\(service)", service: service, keys: keys, commandLine: commandLine,
            environment: environment)
    }

    /// The value `read` gives with `key` set nowhere, then in the file, then also in the environment, then also
    /// on the command line (`values` in that order).
    func layered<Value>(
        _ service: String, _ keys: [SettingKey], base: [String], _ key: SettingKey, _ values: [String],
        read: (ServiceSettings) throws -> Value
    ) throws -> [Value] {
        let file = try settingsFile("# from the file\n\(key.name) = \(values[0])\n")
        let variable = key.environmentVariable(service: service)
        return [
            try read(settings(service, keys, base)),
            try read(settings(service, keys, base + ["--config", file])),
            try read(settings(service, keys, base + ["--config", file], [variable: values[1]])),
            try read(
                settings(service, keys, base + ["--config", file, "--\(key.name)", values[2]], [variable: values[1]])),
        ]
    }

    @Test func theRegistryTakesTheCommandLineOverTheEnvironmentOverTheFileOverItsDefault() throws {
        let timeouts = try layered(
            "registry", RegistryConfiguration.Keys.all, base: ["--data", "/srv/registry"],
            RegistryConfiguration.Keys.checkTimeout, ["5", "20", "30"]
        ) { try RegistryConfiguration(settings: $0).checkTimeout }
        #expect(timeouts == [.seconds(10), .seconds(5), .seconds(20), .seconds(30)])
        #expect(
            RegistryConfiguration.Keys.checkTimeout.environmentVariable(service: "registry")
                == "DEALREG_REGISTRY_CHECK_TIMEOUT")
    }

    @Test func aCheckWorkerTakesTheCommandLineOverTheEnvironmentOverTheFileOverItsDefault() throws {
        let capacities = try layered(
            "check", CheckWorkerConfiguration.Keys.all, base: Self.worker, CheckWorkerConfiguration.Keys.capacity,
            ["8", "16", "32"]
        ) { try CheckWorkerConfiguration(settings: $0).capacity }
        #expect(capacities == [64, 8, 16, 32])
    }

    @Test func enforcementTakesTheCommandLineOverTheEnvironmentOverTheFileOverItsDefault() throws {
        let endpoints = try layered(
            "enforce", EnforcementConfiguration.Keys.all, base: ["--data", "/srv/enforcement"] + Self.registry,
            EnforcementConfiguration.Keys.api, ["tcp://10.0.0.3:1", "tcp://10.0.0.3:2", "tcp://10.0.0.3:3"]
        ) { try EnforcementConfiguration(settings: $0).apiEndpoint }
        #expect(endpoints == ["tcp://0.0.0.0:7410", "tcp://10.0.0.3:1", "tcp://10.0.0.3:2", "tcp://10.0.0.3:3"])
    }

    @Test func everyKeyOfTheRegistryIsReadFromTheFile() throws {
        let file = try settingsFile(
            """
            # the registry host
            data = /var/lib/dealreg/registry
            api = "tcp://10.0.0.1:7400"
            work = tcp://10.0.0.1:7401
            events = tcp://10.0.0.1:7402
            sync = tcp://10.0.0.1:7403
            bootstrap = /etc/dealreg/bootstrap.json
            check-timeout = 5
            max-queued = 100
            policy = /etc/dealreg/policy.json
            stop-with-parent = yes
            """)
        let settings = try settings("registry", RegistryConfiguration.Keys.all, ["--config=\(file)"])
        let configuration = try RegistryConfiguration(settings: settings)
        #expect(configuration.dataDirectory.path == "/var/lib/dealreg/registry")
        #expect(configuration.apiEndpoint == "tcp://10.0.0.1:7400")
        #expect(
            [configuration.workEndpoint, configuration.eventsEndpoint, configuration.syncEndpoint]
                == ["tcp://10.0.0.1:7401", "tcp://10.0.0.1:7402", "tcp://10.0.0.1:7403"])
        #expect(configuration.bootstrapFile?.path == "/etc/dealreg/bootstrap.json")
        #expect(configuration.checkTimeout == .seconds(5) && configuration.maximumQueuedChecks == 100)
        #expect(configuration.policyFile?.path == "/etc/dealreg/policy.json")
        #expect(try settings.flag(.stopWithParent))
    }

    @Test func theSettingsFileIsNamedOnTheCommandLineOrInTheEnvironment() throws {
        let fromFile = try settingsFile("data = /srv/from-file\n")
        let fromVariable = try settingsFile("data = /srv/from-variable\n")
        #expect(try registry(["--config", fromFile]).dataDirectory.path == "/srv/from-file")
        #expect(try registry(["--config=\(fromFile)"]).dataDirectory.path == "/srv/from-file")
        #expect(try registry([], ["DEALREG_REGISTRY_CONFIG": fromVariable]).dataDirectory.path == "/srv/from-variable")
        #expect(
            try registry(["--config", fromFile], ["DEALREG_REGISTRY_CONFIG": fromVariable]).dataDirectory.path
                == "/srv/from-file")
    }

    @Test func flagsNeedNoValueOnTheCommandLine() throws {
        let keys = RegistryConfiguration.Keys.all
        #expect(try settings("registry", keys, ["--stop-with-parent", "--data", "/srv"]).flag(.stopWithParent))
        #expect(try !settings("registry", keys, ["--stop-with-parent=false"]).flag(.stopWithParent))
        #expect(try !settings("registry", keys, []).flag(.stopWithParent))
        #expect(try settings("registry", keys, [], ["DEALREG_REGISTRY_STOP_WITH_PARENT": "1"]).flag(.stopWithParent))
    }

    @Test func aValueBeginningWithADashStaysAValue() throws {
        // Z85 keys may begin with '-'; such a word must not be taken for an option. (One in 85 of them begins with
        // '--', which only the `=` form can carry: `aValueBeginningWithTwoDashesNeedsTheEqualsForm`.)
        var key = Self.registryKey
        while !key.z85.hasPrefix("-") || key.z85.hasPrefix("--") { key = try CurveKeyPair.generate().publicKey }
        let base = Self.worker.filter { !$0.hasPrefix("--registry-key") }
        let keys = CheckWorkerConfiguration.Keys.all
        for (commandLine, environment) in [
            (base + ["--registry-key=\(key.z85)"], [:]),
            (base + ["--registry-key", key.z85], [:]),
            (base, ["DEALREG_CHECK_REGISTRY_KEY": key.z85]),
        ] {
            let configuration = try CheckWorkerConfiguration(
                settings: settings("check", keys, commandLine, environment))
            #expect(configuration.registryKey == key)
        }
        #expect(try registry(["--data", "/srv", "--api=-weird"]).apiEndpoint == "-weird")
    }

    @Test func aValueBeginningWithTwoDashesNeedsTheEqualsForm() throws {
        var key = Self.registryKey
        while !key.z85.hasPrefix("--") { key = try CurveKeyPair.generate().publicKey }
        let base = Self.worker.filter { !$0.hasPrefix("--registry-key") }
        let keys = CheckWorkerConfiguration.Keys.all
        let written = try CheckWorkerConfiguration(
            settings: settings("check", keys, base + ["--registry-key=\(key.z85)"]))
        #expect(written.registryKey == key)
        #expect(throws: (any Error).self) {
            try CheckWorkerConfiguration(settings: settings("check", keys, base + ["--registry-key", key.z85]))
        }
    }

    @Test(
        arguments: [
            (
                ["--check-timeout", "0"], [:], "",
                "--check-timeout: check-timeout takes a whole number from 1 to 86400, not '0'."
            ),
            (
                [], ["DEALREG_REGISTRY_CHECK_TIMEOUT": "soon"], "",
                "DEALREG_REGISTRY_CHECK_TIMEOUT: check-timeout takes a whole number from 1 to 86400, not 'soon'."
            ),
            ([], [:], "max-queued = -5", "line 1: max-queued takes a whole number from 1 to 10000000, not '-5'."),
            ([], [:], "stop-with-parent = maybe", "line 1: stop-with-parent takes true or false, not 'maybe'."),
        ] as [([String], [String: String], String, String)])
    func aBadValueNamesTheKeyAndWhereItWasWritten(
        commandLine: [String], environment: [String: String], file: String, expected: String
    ) throws {
        let config = file.isEmpty ? [] : ["--config", try settingsFile(file)]
        #expect {
            let settings = try settings(
                "registry", RegistryConfiguration.Keys.all, ["--data", "/srv"] + config + commandLine, environment)
            _ = try RegistryConfiguration(settings: settings)
            _ = try settings.flag(.stopWithParent)
        } throws: { error in
            (error as? SettingsError)?.description.hasSuffix(expected) == true
        }
    }

    @Test func aRegistryKeyThatIsNotZ85IsRefusedNamingItsVariable() throws {
        let base = Self.worker.filter { !$0.hasPrefix("--registry-key") }
        #expect {
            _ = try CheckWorkerConfiguration(
                settings: settings(
                    "check", CheckWorkerConfiguration.Keys.all, base, ["DEALREG_CHECK_REGISTRY_KEY": "REPLACE-ME"]))
        } throws: { error in
            "\(error)"
                == "DEALREG_CHECK_REGISTRY_KEY: registry-key takes a CURVE public key in Z85 (40 characters), not 'REPLACE-ME'."
        }
    }

    @Test func aBadSettingsFileIsRefusedNamingFileAndLine() throws {
        for (text, expected) in [
            ("data = /srv\nbogus = 1\n", "line 2: 'bogus' is not an option of dealreg-registry (see --help)."),
            (
                "data = /srv\n# a comment\nconfig = /etc/other.conf\n",
                "line 3: a settings file cannot name another; give it with --config."
            ),
            ("data /srv\n", "line 1: expected 'option = value', found 'data /srv'."),
        ] {
            let file = try settingsFile(text)
            #expect {
                _ = try settings("registry", RegistryConfiguration.Keys.all, ["--config", file])
            } throws: { error in
                "\(error)".hasPrefix("\(file) line") && "\(error)".contains(expected)
            }
        }
        #expect(throws: SettingsError("The settings file /nonexistent/settings cannot be read.")) {
            _ = try settings("registry", RegistryConfiguration.Keys.all, ["--config", "/nonexistent/settings"])
        }
    }

    @Test func aMisspeltOptionOrAMissingValueIsRefused() throws {
        let keys = RegistryConfiguration.Keys.all
        for (commandLine, expected) in [
            (["--chek-timeout", "5"], "--chek-timeout is not an option of dealreg-registry (see --help)."),
            (["--data"], "--data needs a value (a path); one that begins with '--' is written --data=VALUE."),
            (["--data", "--api", "tcp://*:1"], "--data needs a value"),
            (["--data", "/srv", "stray"], "'stray' is not an option of dealreg-registry (see --help)."),
        ] {
            #expect { _ = try settings("registry", keys, commandLine) } throws: { error in
                "\(error)".hasPrefix(expected)
            }
        }
        #expect(
            throws: SettingsError(
                "data is required: --data <dir>, DEALREG_REGISTRY_DATA or 'data = …' in the settings file.")
        ) {
            _ = try registry([])
        }
    }

    @Test func aVariableNamingNoKeyIsReportedAsIgnored() throws {
        let settings = try settings(
            "registry", RegistryConfiguration.Keys.all, [],
            [
                "DEALREG_REGISTRY_CHECK_TIMOUT": "20", "DEALREG_REGISTRY_KEY": "x", "DEALREG_REGISTRY_API": "tcp://*:9",
                "DEALREG_REGISTRY_CONFIG": try settingsFile(""), "DEALREG_CHECK_BOGUS": "1", "HOME": "/root",
            ])
        #expect(settings.ignored == ["DEALREG_REGISTRY_CHECK_TIMOUT", "DEALREG_REGISTRY_KEY"])
    }

    @Test func theDeploymentExamplesNameOnlyKnownKeys() throws {
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy")
        for (service, keys, key) in [
            ("registry", RegistryConfiguration.Keys.all, RegistryConfiguration.Keys.data),
            ("check", CheckWorkerConfiguration.Keys.all, CheckWorkerConfiguration.Keys.key),
            ("enforce", EnforcementConfiguration.Keys.all, EnforcementConfiguration.Keys.data),
        ] {
            let file = deploy.appendingPathComponent("\(service).conf.example").standardizedFileURL.path
            let settings = try settings(service, keys, ["--config", file])
            #expect(try settings.lookup(key)?.origin.hasPrefix("\(file) line") == true)
        }
    }

    @Test func helpListsEveryKeyWithItsDefaultAndVariable() {
        let help = ServiceExecutable.help(
            "dealreg-registry", service: "registry", abstract: "The registry.",
            keys: RegistryConfiguration.Keys.all + [.config, .stopWithParent])
        #expect(help.contains("USAGE: dealreg-registry --data <dir> [<option> ...]"))
        #expect(help.contains("--check-timeout <seconds>"))
        #expect(help.contains("(default: 10; 1 to 86400; DEALREG_REGISTRY_CHECK_TIMEOUT)"))
        #expect(help.contains("(default: tcp://0.0.0.0:7400; DEALREG_REGISTRY_API)"))
        #expect(help.contains("(required; DEALREG_REGISTRY_DATA)"))
        #expect(!help.contains("clock-offset-file"))
    }

    @Test func aLogLineIsOneJSONObjectWithEverythingEscaped() throws {
        let quoted = JSONLinesLogHandler.quoted("say \"hi\"\n\\ tab\t\u{1}é")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(decoded == ["say \"hi\"\n\\ tab\t\u{1}é"])
        #expect(JSONLinesLogHandler.timestamp().count == "2026-11-30T04:54:43.214Z".count)
    }
}
