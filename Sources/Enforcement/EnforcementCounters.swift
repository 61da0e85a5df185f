import CoreMetrics
import DealBus
import DealModel

/// Enforcement's swift-metrics: what `dealreg stats` reads. Every violation type has its counter from the start,
/// so a type never seen reads 0 rather than missing. Not thread-safe: owned by the core (the metrics themselves
/// are).
struct EnforcementCounters {
    let bookings = Counter(label: "dealreg_bookings_total")
    let applied = Gauge(label: "dealreg_events_applied")
    let live = Gauge(label: "dealreg_events_live")
    let watched = Gauge(label: "dealreg_registrations_watched")
    private let violations = LabelledCounters(
        "dealreg_violations_total", label: "type", values: ViolationType.allCases, text: \.rawValue)

    /// Counts a turn's committed bookings and the violations it recorded (from bookings and from events), by type.
    func recorded(bookings count: Int, violations found: [DetectedViolation]) {
        if count > 0 { bookings.increment(by: count) }
        for violation in found { violations.increment(violation.type) }
    }
}
