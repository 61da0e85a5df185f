import ArgumentParser
import DealBus
import DealWire
import Foundation
import ZeroMQ

/// `dealreg stats`: the registry's and enforcement's counters, gauges and latency histograms, over the bus.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Counters, gauges and latency histograms of the registry and enforcement (admins, officers, services).",
        discussion: """
            Registrations by outcome, check wait and commit latency, queued checks, ready workers, registrations in
            hand, bookings and violations by type, and the event lag (events the registry committed that
            enforcement has yet to apply). Latencies are since the service started, in milliseconds. Exits 1 when a
            service does not answer.
            """)

    @OptionGroup var data: DataOptions
    @Option(name: .customLong("as"), help: "The principal asking.") var principal = "admin"
    @Option(help: "Seconds to wait for each service.") var timeout = 5
    @Flag(help: "Print one JSON line per metric.") var json = false

    /// One metric as printed.
    struct Line: Codable {
        var service: String
        var name: String
        var labels: [String: String]
        var kind: String
        var value: Double
        var count: UInt64?
        var p50_ms: Double?
        var p99_ms: Double?
        var max_ms: Double?
    }

    func run() throws {
        let context = try Context()
        var lines: [Line] = []
        var failed = false
        for service in ["registry", "enforcement"] {
            do {
                let client: any ServiceClient =
                    service == "registry"
                    ? try data.connect(as: principal, registry: nil, context: context)
                    : try data.connectEnforcement(as: principal, context: context)
                let reply = try client.stats(timeout: .seconds(timeout))
                lines += reply.metrics.map { Line(service: service, $0) }
            } catch {
                failed = true
                FileHandle.standardError.write(Data("\(service): \(error)\n".utf8))
            }
        }
        let head = lines.first { $0.name == "dealreg_events_last_seq" }?.value
        let applied = lines.first { $0.name == "dealreg_events_applied" }?.value
        if let head, let applied {
            lines.append(
                Line(
                    service: "enforcement", name: "dealreg_event_lag", labels: [:], kind: "gauge",
                    value: max(0, head - applied)))
        }
        for line in lines { print(json ? jsonText(line) : line.text) }
        if failed { throw ExitCode(1) }
    }
}

extension StatsCommand.Line {
    init(service: String, _ metric: Dealreg_V1_Metric) {
        self.service = service
        name = metric.name
        labels = Dictionary(metric.labels.map { ($0.key, $0.value) }) { first, _ in first }
        value = metric.value
        switch metric.kind {
        case .counter: kind = "counter"
        case .gauge: kind = "gauge"
        case .timer:
            kind = "timer"
            count = metric.latency.count
            p50_ms = Figures.milliseconds(metric.latency.p50Us)
            p99_ms = Figures.milliseconds(metric.latency.p99Us)
            max_ms = Figures.milliseconds(metric.latency.maxUs)
        default: kind = "unknown"
        }
    }

    /// `registry  dealreg_registrations_total{outcome=APPROVED}  42`, or a timer's count and percentiles.
    var text: String {
        let dimensions =
            labels.isEmpty
            ? "" : "{" + labels.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: ",") + "}"
        let figure =
            kind == "timer"
            ? "count \(count ?? 0)  p50 \(p50_ms ?? 0) ms  p99 \(p99_ms ?? 0) ms  max \(max_ms ?? 0) ms"
            : value == value.rounded() ? String(Int64(value)) : String(value)
        return "\(service.padding(toLength: 12, withPad: " ", startingAt: 0))\(name)\(dimensions)  \(figure)"
    }
}
