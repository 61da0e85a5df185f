import CoreMetrics
import DealWire
import Histogram
import Synchronization

/// The swift-metrics backend of a service process: counters, gauges and timers kept in memory, read whole by the
/// `Stats` request (`dealreg stats`). Timers are HdrHistograms of microseconds (1 µs to 10 min, 3 digits).
/// Thread-safe: each metric guards its own state.
public final class ServiceMetrics: MetricsFactory, Sendable {
    /// The one backend of the process; `bootstrap()` makes swift-metrics use it.
    public static let shared = ServiceMetrics()

    private struct Key: Hashable {
        var name: String
        var labels: [String]
    }

    private let metrics = Mutex<[Key: any StatsSource]>([:])

    /// Makes swift-metrics' `Counter`, `Gauge`, `Recorder` and `Timer` report here. Once per process (the service
    /// executables call it; in-process tests leave swift-metrics' no-op backend in place).
    public static func bootstrap() {
        MetricsSystem.bootstrap(shared)
    }

    private func handler<Handler: StatsSource>(_ label: String, _ dimensions: [(String, String)], make: () -> Handler)
        -> Handler
    {
        let key = Key(name: label, labels: dimensions.map { "\($0.0)=\($0.1)" })
        return metrics.withLock { metrics in
            if let existing = metrics[key] as? Handler { return existing }
            let made = make()
            metrics[key] = made
            return made
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        handler(label, dimensions) { CountingHandler(label, dimensions) }
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions) { GaugeHandler(label, dimensions) }
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        handler(label, dimensions) { TimingHandler(label, dimensions) }
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// Every metric as it stands, sorted by name, then labels.
    public func snapshot() -> [Dealreg_V1_Metric] {
        let sources = metrics.withLock { Array($0) }
        return sources.sorted { ($0.key.name, $0.key.labels.joined()) < ($1.key.name, $1.key.labels.joined()) }
            .map { $0.value.metric }
    }
}

/// A metric that can describe itself for `Stats`.
protocol StatsSource: AnyObject, Sendable {
    var metric: Dealreg_V1_Metric { get }
}

extension StatsSource {
    static func metric(_ name: String, _ dimensions: [(String, String)], _ kind: Dealreg_V1_MetricKind)
        -> Dealreg_V1_Metric
    {
        var metric = Dealreg_V1_Metric()
        metric.name = name
        metric.kind = kind
        metric.labels = dimensions.map { key, value in
            Dealreg_V1_MetricLabel.with {
                $0.key = key
                $0.value = value
            }
        }
        return metric
    }
}

final class CountingHandler: CounterHandler, StatsSource {
    private let template: Dealreg_V1_Metric
    private let total = Atomic<Int64>(0)

    init(_ name: String, _ dimensions: [(String, String)]) {
        template = Self.metric(name, dimensions, .counter)
    }

    func increment(by amount: Int64) { total.add(amount, ordering: .relaxed) }
    func reset() { total.store(0, ordering: .relaxed) }

    var metric: Dealreg_V1_Metric {
        var metric = template
        metric.value = Double(total.load(ordering: .relaxed))
        return metric
    }
}

final class GaugeHandler: RecorderHandler, StatsSource {
    private let template: Dealreg_V1_Metric
    private let last = Mutex<Double>(0)

    init(_ name: String, _ dimensions: [(String, String)]) {
        template = Self.metric(name, dimensions, .gauge)
    }

    func record(_ value: Int64) { last.withLock { $0 = Double(value) } }
    func record(_ value: Double) { last.withLock { $0 = value } }

    var metric: Dealreg_V1_Metric {
        var metric = template
        metric.value = last.withLock { $0 }
        return metric
    }
}

final class TimingHandler: TimerHandler, StatsSource {
    private let template: Dealreg_V1_Metric
    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 600_000_000))

    init(_ name: String, _ dimensions: [(String, String)]) {
        template = Self.metric(name, dimensions, .timer)
    }

    func recordNanoseconds(_ duration: Int64) {
        let micros = UInt64(min(max(0, duration / 1000), 600_000_000))
        histogram.withLock { _ = $0.record(micros) }
    }

    var metric: Dealreg_V1_Metric {
        var metric = template
        histogram.withLock { histogram in
            metric.latency.count = histogram.totalCount
            metric.latency.p50Us = histogram.valueAtPercentile(50)
            metric.latency.p90Us = histogram.valueAtPercentile(90)
            metric.latency.p99Us = histogram.valueAtPercentile(99)
            metric.latency.p999Us = histogram.valueAtPercentile(99.9)
            metric.latency.maxUs = histogram.maxRecorded
        }
        metric.value = Double(metric.latency.count)
        return metric
    }
}
