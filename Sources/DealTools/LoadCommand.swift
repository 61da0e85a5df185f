import ArgumentParser
import DealBus
import DealCLI
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg load`: a load generator over the real protocol.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Register generated opportunities at a rate or concurrency and print throughput and latency.",
        discussion: """
            The partners load-1 ... load-N are added through the registry as --admin on first use (their keys go to
            the keystore). Open loop (--rate, --profile) measures latency from when each request was due, so a slow
            registry shows in the figures instead of slowing the generator down. When the keystore holds --admin,
            the run also prints the registry's own figures for it: the wait for a check worker's result, the wait
            for the commit, and the commit (fsync included).

            --profile moves the open-loop rate (registrations per second) over the run:
              ramp:BASE..PEAK   from BASE at the start to PEAK at the end, linearly (a quarter-end rush)
              spike:BASE,xN     BASE, then N times BASE for the middle fifth of the run, then BASE again
              steps:R1,R2,...   each rate held for an equal share of the run
              constant:R        R throughout, as --rate R

            --report FILE.html writes one self-contained page (no script, nothing fetched): the summary as a
            table, then per-second charts of throughput sent and answered, latency p50, p99 and max, errors by
            code, and the registry's queue (checks waiting for a worker, asked once a second as --admin over a
            connection of its own).
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Registrations per second (open loop). Without it or --profile: closed loop at --concurrency.")
    var rate: Double?
    @Option(
        help: ArgumentHelp(
            "Open-loop rate over time: ramp:BASE..PEAK, spike:BASE,xN, steps:R1,R2,... or constant:R (see below).",
            valueName: "kind:rates"))
    var profile: String?
    @Option(help: ArgumentHelp("Write an HTML report of the run, with charts over time.", valueName: "file.html"))
    var report: String?
    @Option(help: "Requests in flight (closed loop).") var concurrency = 64
    @Option(help: "Seconds to send for.") var duration = 10.0
    @Option(help: "Distinct customers to draw from.") var customers = 100_000
    @Option(help: "Share of registrations that hit an already registered customer, respelled.") var conflictRatio = 0.2
    @Option(help: "Partner principals to spread the load over.") var partners = 4
    @Option(help: "Name of those partners: PREFIX-1, PREFIX-2, ... (added when missing).") var prefix = "load"
    @Option(help: "The admin that adds missing partners.") var admin = "admin"
    @Option(help: "Registry api endpoint (default: $DEALREG_REGISTRY, else the local cluster's).") var registry: String?
    @Option(help: "The registry's public key, Z85 (default: $DEALREG_REGISTRY_KEY, else the local cluster's).")
    var registryKey: String?
    @Flag(help: "Print the summary as one JSON object.") var json = false

    func validate() throws {
        guard duration > 0, duration <= 3600 else { throw ValidationError("--duration must be 1 s to 1 h.") }
        guard partners >= 1, partners <= 256 else { throw ValidationError("--partners must be 1 to 256.") }
        guard PartyID("\(prefix)-1").isWellFormed else { throw ValidationError("--prefix must make party ids.") }
        guard (0...1).contains(conflictRatio) else { throw ValidationError("--conflict-ratio must be 0 to 1.") }
        if let rate, !(rate > 0 && rate <= 1_000_000) { throw ValidationError("--rate must be above 0.") }
        if rate != nil && profile != nil {
            throw ValidationError("--rate and --profile both set the open-loop rate; give one of them.")
        }
        if let profile {
            do {
                _ = try LoadProfile(parsing: profile)
            } catch {
                throw ValidationError("--profile: \(error).")
            }
        }
        if let report {
            var isFolder: ObjCBool = false
            let folder = URL(fileURLWithPath: report).deletingLastPathComponent()
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--report: the folder \(folder.path) does not exist.")
            }
        }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1.") }
    }

    func run() throws {
        do {
            let context = try Context()
            let names = (1...partners).map { "\(prefix)-\($0)" }
            try provision(names, context: context)
            let clients = try names.map {
                try data.connect(as: $0, registry: registry, registryKey: registryKey, context: context).bus
            }
            let schedule = try (profile.map { try LoadProfile(parsing: $0) } ?? rate.map { .constant($0) }).map {
                RateSchedule($0, duration: duration)
            }
            let settings = LoadGenerator.Settings(
                mode: schedule.map { .open($0) } ?? .concurrency(concurrency), duration: .seconds(duration),
                customers: customers, conflictRatio: conflictRatio)
            let operator_ =
                data.keystore.contains(PartyID(admin))
                ? try data.connect(as: admin, registry: registry, registryKey: registryKey, context: context) : nil
            _ = try operator_?.status(resetLatency: true)
            let sampler = report != nil && operator_ != nil ? queueSampler(context: context) : nil
            let generator = LoadGenerator(clients: clients, settings: settings)
            var summary = try generator.run { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            let queue = sampler?.stop()
            if let status = try operator_?.status() { summary.registry = LoadGenerator.RegistryFigures(status) }
            if let report {
                var timeline = LoadTimeline(seconds: generator.timeline, queue: queue?.samples)
                timeline.queueNote =
                    switch (queue?.samples.isEmpty, queue?.failure) {
                    case (nil, _): "not sampled: the keystore holds no key for --admin \(admin)"
                    case (true?, let failure): "not sampled: \(failure ?? "no answer")"
                    case (false?, let failure?): "some samples missing: \(failure)"
                    case (false?, nil): nil
                    }
                try write(
                    LoadReport(
                        title: "dealreg load: \(summary.mode)", settings: reportSettings, summary: summary,
                        timeline: timeline, schedule: schedule),
                    to: report)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(summary)
            }
        } catch {
            exitWithError(error)
        }
    }

    /// Samples the registry's queue from now on, as the admin, on a connection the sampler opens on its own thread.
    private func queueSampler(context: Context) -> QueueSampler {
        let (directory, admin, registry, registryKey) = (data.directory.path, admin, registry, registryKey)
        return QueueSampler(from: .now) {
            try DataOptions(directory: directory).connect(
                as: admin, registry: registry, registryKey: registryKey, context: context)
        }
    }

    /// How the run was set up, for the report's table.
    private var reportSettings: [LoadReport.Row] {
        [
            .init(name: "command", value: (["dealreg"] + CommandLine.arguments.dropFirst()).joined(separator: " ")),
            .init(name: "finished", value: ISO8601DateFormatter().string(from: Date())),
            .init(
                name: "partners",
                value: partners == 1 ? "\(prefix)-1" : "\(partners) (\(prefix)-1 ... \(prefix)-\(partners))"),
            .init(
                name: "customers",
                value: "\(customers) distinct, \(Int(conflictRatio * 100)) % of registrations an earlier one respelled"),
        ]
    }

    private func write(_ report: LoadReport, to path: String) throws {
        try Data(report.html.utf8).write(to: URL(fileURLWithPath: path))
        FileHandle.standardError.write(Data("load: report written to \(path)\n".utf8))
    }

    /// Adds the partners the keystore lacks, through the registry, as the admin.
    private func provision(_ names: [String], context: Context) throws {
        let missing = names.filter { !data.keystore.contains(PartyID($0)) }
        guard !missing.isEmpty else { return }
        let client = try data.connect(as: admin, registry: registry, registryKey: registryKey, context: context)
        for name in missing {
            let keyPair = try CurveKeyPair.generate()
            _ = try client.addParty(
                Party(
                    id: PartyID(name), kind: .partner, name: "Load partner \(name)", publicKey: keyPair.publicKey.z85
                ).wire)
            try data.keystore.save(Identity(id: PartyID(name), kind: .partner, keyPair: keyPair))
        }
    }
}
