import DealWire
import Histogram

/// Where the registry's time goes, as HdrHistograms of microseconds: the figures `Status` reports and
/// `dealreg load` prints. Not thread-safe: owned by the reactor thread.
struct RegistryMetrics {
    var checkWait = LatencyRecorder()
    var commitWait = LatencyRecorder()
    var commit = LatencyRecorder()
    var decisionsCommitted: UInt64 = 0

    mutating func reset() { self = RegistryMetrics() }

    func fill(_ status: inout Dealreg_V1_StatusReply) {
        status.checkWait = checkWait.summary
        status.commitWait = commitWait.summary
        status.commit = commit.summary
        status.decisionsCommitted = decisionsCommitted
    }
}

/// One duration's distribution, 1 µs to 10 min at 3 significant digits.
struct LatencyRecorder {
    private var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000)

    mutating func record(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant) {
        let elapsed = start.duration(to: end).components
        let micros = max(0, elapsed.seconds) * 1_000_000 + max(0, elapsed.attoseconds) / 1_000_000_000_000
        histogram.record(UInt64(min(micros, 600_000_000)))
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
