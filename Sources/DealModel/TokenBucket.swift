/// A token bucket: `rate` tokens a second, holding at most `burst`; each request takes one. A value; `Sendable`.
public struct TokenBucket: Sendable, Hashable {
    public var rate: Double
    public var burst: Double
    private var tokens: Double
    private var last: Double

    /// A full bucket at `now` (seconds on any monotonic clock).
    public init(rate: Double, burst: Double, now: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        last = now
    }

    /// Takes a token at `now`: nil when granted, else the seconds until one will be there.
    public mutating func take(now: Double) -> Double? {
        tokens = min(burst, tokens + max(0, now - last) * rate)
        last = max(last, now)
        guard tokens >= 1 else { return (1 - tokens) / rate }
        tokens -= 1
        return nil
    }
}
