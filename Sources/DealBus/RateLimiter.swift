import DealModel
import DealWire
import Foundation

/// Per-principal rate limits of a service's api (the policy's `limits`): a token bucket per party. Internal
/// services (check workers, enforcement) are not limited. A refusal is answered RATE_LIMITED, but only when a retry
/// could succeed, and never sooner than `minimumDelay`: a client that waits for its answers (as every well-behaved
/// one does) can then make the service refuse at most its window of requests per delay, instead of as many as the
/// machine can carry. Refusals are counted, not logged one by one; `drainRefusals` hands the counts to a periodic
/// log line. No clock: callers pass the moment. Not thread-safe: owned by the service's reactor thread.
public final class RateLimiter {
    /// The shortest wait before a refusal is answered.
    public static let minimumDelay = 0.05
    /// Refusals held per party at most; past it a request is dropped unanswered (the client sends without ever
    /// waiting for answers).
    public static let maximumHeld = 4096
    private var rate: Double
    private var burst: Double
    private var buckets: [PartyID: TokenBucket] = [:]
    private var refusals: [PartyID: Int] = [:]
    /// Refusals waiting to be answered: when, to whom (the reply's frames), for which party.
    private var held: [(due: Double, frames: [[UInt8]], party: PartyID)] = []
    private var heldHead = 0
    private var heldByParty: [PartyID: Int] = [:]
    /// The origin of the limiter's seconds: the first moment it was given.
    private var start: ContinuousClock.Instant?

    public init(policy: ProgramPolicy) {
        rate = policy.requestsPerSecond
        burst = Double(policy.requestBurst)
    }

    /// Takes up a new policy's limits; buckets refill under the new rate from now on.
    public func configure(_ policy: ProgramPolicy) {
        rate = policy.requestsPerSecond
        burst = Double(policy.requestBurst)
        for id in buckets.keys {
            buckets[id]?.rate = rate
            buckets[id]?.burst = burst
        }
    }

    /// `instant` in seconds since the first moment the limiter was given.
    private func seconds(_ instant: ContinuousClock.Instant) -> Double {
        let start = self.start ?? instant
        self.start = start
        let elapsed = start.duration(to: instant).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// True when `party` may send one more request at `instant`. Otherwise the request is refused: `answer` turns
    /// the RATE_LIMITED error into the reply's frames, which `due(at:)` hands back once the delay has passed.
    public func admit(
        _ party: PartyID, kind: PartyKind, at instant: ContinuousClock.Instant, answer: (WireError) -> [[UInt8]]
    ) -> Bool {
        guard kind != .checkWorker && kind != .enforcementService else { return true }
        let now = seconds(instant)
        guard let wait = buckets[party, default: TokenBucket(rate: rate, burst: burst, now: now)].take(now: now)
        else { return true }
        refusals[party, default: 0] += 1
        guard heldByParty[party, default: 0] < Self.maximumHeld else { return false }
        let delay = max(wait, Self.minimumDelay)
        var error = WireError(
            .rateLimited,
            "\(party) sends more than \(Int(rate)) requests a second (burst \(Int(burst))); retry with the same "
                + "request_id.")
        error.retryAfterMs = UInt32(min(60_000, (delay * 1000).rounded(.up)))
        held.append((now + delay, answer(error), party))
        heldByParty[party, default: 0] += 1
        return false
    }

    /// The held refusals whose delay has passed at `instant`, in the order they were refused.
    public func due(at instant: ContinuousClock.Instant) -> [[[UInt8]]] {
        guard heldHead < held.count else { return [] }
        let now = seconds(instant)
        var ready: [[[UInt8]]] = []
        while heldHead < held.count && held[heldHead].due <= now {
            ready.append(held[heldHead].frames)
            heldByParty[held[heldHead].party, default: 1] -= 1
            heldHead += 1
        }
        if heldHead == held.count {
            held.removeAll(keepingCapacity: true)
            heldHead = 0
        } else if heldHead > 4096 && heldHead * 2 > held.count {
            held.removeFirst(heldHead)
            heldHead = 0
        }
        return ready
    }

    /// The refusals counted since the last call, by party.
    public func drainRefusals() -> [PartyID: Int] {
        defer { refusals.removeAll(keepingCapacity: true) }
        return refusals
    }
}
