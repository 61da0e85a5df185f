import DealModel

/// A moment as a service's core sees it: the wall clock for dates and events, the monotonic clock for timeouts
/// and latencies. Cores take one with every input instead of reading a clock. A value; `Sendable`.
public struct Moment: Sendable {
    /// Seconds since the Unix epoch.
    public var secondsSinceEpoch: Int64
    public var instant: ContinuousClock.Instant

    public init(secondsSinceEpoch: Int64, instant: ContinuousClock.Instant) {
        self.secondsSinceEpoch = secondsSinceEpoch
        self.instant = instant
    }

    /// The calendar day of the wall clock (UTC).
    public var today: CalendarDate { CalendarDate(secondsSinceEpoch: secondsSinceEpoch) }

    /// The same moment `duration` later on both clocks.
    public func advanced(by duration: Duration) -> Moment {
        Moment(
            secondsSinceEpoch: secondsSinceEpoch + duration.components.seconds,
            instant: instant.advanced(by: duration))
    }
}
