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
        abstract: "Register generated opportunities at a fixed rate or concurrency and print throughput and latency.",
        discussion: """
            The partners load-1 ... load-N are added through the registry as --admin on first use (their keys go to
            the keystore). Open loop (--rate) measures latency from when each request was due, so a slow registry
            shows in the figures instead of slowing the generator down. When the keystore holds --admin, the run
            also prints the registry's own figures for it: the wait for a check worker's result, the wait for the
            commit, and the commit (fsync included).
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "Registrations per second (open loop). Without it: closed loop at --concurrency.") var rate: Double?
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
            let settings = LoadGenerator.Settings(
                mode: rate.map { .rate($0) } ?? .concurrency(concurrency), duration: .seconds(duration),
                customers: customers, conflictRatio: conflictRatio)
            let operator_ =
                data.keystore.contains(PartyID(admin))
                ? try data.connect(as: admin, registry: registry, registryKey: registryKey, context: context) : nil
            _ = try operator_?.status(resetLatency: true)
            var summary = try LoadGenerator(clients: clients, settings: settings).run { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            if let status = try operator_?.status() { summary.registry = LoadGenerator.RegistryFigures(status) }
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
