import Foundation

/// When each request of an open-loop run is due: a `LoadProfile` laid over the run's duration. Request k (from 0) is
/// due when the profile's rate, integrated from the start, reaches k, so the first is due at the start and the run
/// sends the integral's worth in all. Pure: times are seconds since the start, no clock. A value.
struct RateSchedule: Hashable, Sendable {
    /// A stretch of the run over which the rate moves linearly from `startRate` to `endRate`.
    private struct Segment: Hashable, Sendable {
        var start: Double
        var end: Double
        var startRate: Double
        var endRate: Double
        /// Requests due before this segment: the integral of the rate up to `start`.
        var before: Double

        var length: Double { end - start }
        var slope: Double { length > 0 ? (endRate - startRate) / length : 0 }
        var requests: Double { (startRate + endRate) / 2 * length }
        /// Requests due by the end of this segment.
        var after: Double { before + requests }
    }

    let profile: LoadProfile
    /// The run's length, seconds.
    let duration: Double
    private let segments: [Segment]
    /// How many requests the run sends.
    let totalRequests: Int

    /// Absorbs floating-point error, so that 10/s for 1 s is 10 requests, not 11.
    private static let tolerance = 1e-9

    init(_ profile: LoadProfile, duration: Double) {
        self.profile = profile
        self.duration = duration
        // Each segment as (share of the run where it starts, where it ends, rate at its start, rate at its end).
        let shape: [(Double, Double, Double, Double)] =
            switch profile {
            case .constant(let rate): [(0, 1, rate, rate)]
            case .ramp(let base, let peak): [(0, 1, base, peak)]
            case .spike(let base, let factor):
                [(0, 2, base, base), (2, 3, base * factor, base * factor), (3, 5, base, base)].map {
                    ($0.0 / 5, $0.1 / 5, $0.2, $0.3)
                }
            case .steps(let rates):
                rates.enumerated().map { index, rate in
                    (Double(index) / Double(rates.count), Double(index + 1) / Double(rates.count), rate, rate)
                }
            }
        var segments: [Segment] = []
        var before = 0.0
        for (from, to, startRate, endRate) in shape {
            let segment = Segment(
                start: from * duration, end: to * duration, startRate: startRate, endRate: endRate, before: before)
            segments.append(segment)
            before += segment.requests
        }
        self.segments = segments
        totalRequests = Int((before - Self.tolerance).rounded(.up))
    }

    /// The rate at `time` seconds into the run, per second (0 outside it).
    func rate(at time: Double) -> Double {
        guard time >= 0, time < duration, let segment = segments.last(where: { $0.start <= time }) else { return 0 }
        return segment.startRate + segment.slope * (time - segment.start)
    }

    /// How many requests are due at or before `time` seconds into the run.
    func dueCount(by time: Double) -> Int {
        guard time >= 0 else { return 0 }
        guard time < duration, let segment = segments.last(where: { $0.start <= time }) else { return totalRequests }
        let elapsed = time - segment.start
        let integral = segment.before + segment.startRate * elapsed + segment.slope / 2 * elapsed * elapsed
        return min(Int((integral + Self.tolerance).rounded(.down)) + 1, totalRequests)
    }

    /// When request `index` (from 0) is due, seconds into the run; nil when the run ends first. Allocates nothing:
    /// the generator calls it for every request.
    func dueTime(of index: Int) -> Double? {
        guard index >= 0, index < totalRequests else { return nil }
        let wanted = Double(index)
        // The first segment by whose end the integral reaches the index (binary search: steps may be many). A
        // segment at rate 0 keeps the integral where it was, so a request is never due inside one.
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].after >= wanted - Self.tolerance { high = middle } else { low = middle + 1 }
        }
        let segment = segments[low]
        let remaining = max(0, wanted - segment.before)
        guard remaining > Self.tolerance else { return segment.start }
        // Solve startRate·x + slope/2·x² = remaining for x, in the form that stays exact when the slope is 0.
        let root = max(0, segment.startRate * segment.startRate + 2 * segment.slope * remaining).squareRoot()
        let offset = 2 * remaining / (segment.startRate + root)
        return min(segment.start + offset, segment.end)
    }
}
