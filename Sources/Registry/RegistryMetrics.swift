import CoreMetrics
import DealBus
import DealModel
import DealWire
import Histogram

/// Where the registry's time goes, as HdrHistograms of microseconds: the figures `Status` reports (resettable, for a
/// benchmark's run boundary) and `dealreg load` prints. Check wait and commit also go to swift-metrics timers, which
/// `dealreg stats` reads since start. Not thread-safe: owned by the registry's core.
struct RegistryMetrics {
    var checkWait = LatencyRecorder(reporting: "dealreg_check_wait")
    var commitWait = LatencyRecorder()
    var commit = LatencyRecorder(reporting: "dealreg_commit")
    var decisionsCommitted: UInt64 = 0

    mutating func reset() { self = RegistryMetrics() }

    func fill(_ status: inout Dealreg_V1_StatusReply) {
        status.checkWait = checkWait.summary
        status.commitWait = commitWait.summary
        status.commit = commit.summary
        status.decisionsCommitted = decisionsCommitted
    }
}

/// One duration's distribution, 1 µs to 10 min at 2 significant digits (within 1 %), and optionally the same
/// durations to a swift-metrics timer. Two digits, not three: each percentile of `summary` walks the histogram's
/// buckets through unspecialised generic code, and at three digits (20,000 buckets) a status request cost 18 million
/// instructions, 6 ms of the reactor, which the elastic pool and `dealreg load --report` ask for every second.
struct LatencyRecorder {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .two)
    private let timer: CoreMetrics.Timer?

    init(reporting label: String? = nil) {
        timer = label.map { CoreMetrics.Timer(label: $0) }
    }

    mutating func record(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        let elapsed = start.duration(to: end).components
        let micros = min(
            max(0, elapsed.seconds) * 1_000_000 + max(0, elapsed.attoseconds) / 1_000_000_000_000, 600_000_000)
        histogram.record(UInt64(micros))
        timer?.recordMicroseconds(micros)
    }

    var summary: Dealreg_V1_LatencySummary {
        var summary = Dealreg_V1_LatencySummary()
        summary.count = histogram.totalCount
        summary.p50Us = histogram.valueAtPercentile(50)
        summary.p90Us = histogram.valueAtPercentile(90)
        summary.p99Us = histogram.valueAtPercentile(99)
        summary.p999Us = histogram.valueAtPercentile(99.9)
        summary.maxUs = histogram.maxRecorded
        return summary
    }
}

/// The registry's other swift-metrics (its timers are in `RegistryMetrics`): what `dealreg stats` reads, every
/// outcome's counter from the start. A value; the metrics themselves are thread-safe.
struct RegistryGauges {
    let workers = Gauge(label: "dealreg_workers_ready")
    let queued = Gauge(label: "dealreg_checks_queued")
    let pending = Gauge(label: "dealreg_registrations_in_hand")
    let lastSeq = Gauge(label: "dealreg_events_last_seq")
    private let decisions = LabelledCounters(
        "dealreg_registrations_total", label: "outcome",
        values: [Outcome.approved, .rejected, .pendingReview, .duplicate], text: \.rawValue)

    /// Counts a committed decision by its outcome.
    func decided(_ outcome: Outcome) { decisions.increment(outcome) }
}
