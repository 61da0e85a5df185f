/// When `dealreg up --workers MIN..MAX` adds a check worker or retires one, from the registry's status sampled about
/// once a second: checks waiting for a worker (`queued_checks`) above the threshold at every sample for `sustain`
/// add one, up to the maximum; a pool that had no check queued and answered none for `idleAfter` retires one per
/// sample, down to the minimum. It decides only while the registry sees the pool as it should be (no worker starting
/// or leaving). No clock and no processes: samples and their instants in, an action out. A value; not thread-safe.
struct PoolScaler {
    struct Settings: Sendable, Equatable {
        var minimum: Int
        var maximum: Int
        /// Checks waiting for a worker above which the pool is short of workers (`--scale-up-queue`). A worker holds
        /// 64 checks at once, so a queue means every worker is full.
        var queueThreshold = 10
        /// How long the queue stays above the threshold before a worker is added (`--scale-up-after`): longer than a
        /// burst that the pool works off by itself.
        var sustain: Duration = .seconds(5)
        /// How long the pool answers nothing before a worker above the minimum retires (`--retire-idle-after`): a
        /// new worker replays the whole event log before it serves, so one is not given up at the first lull.
        var idleAfter: Duration = .seconds(60)

        /// Every default, for the flags' own (the bounds are the command line's).
        static let defaults = Settings(minimum: 1, maximum: 1)
    }

    /// What the supervisor saw at one instant: the registry's status and its own retiring processes.
    struct Sample: Sendable, Equatable {
        /// Checks waiting for a worker's credit (`queued_checks`).
        var queued: Int
        /// Checks answered since the registry started or its figures were reset (`check_wait.count`): only whether
        /// it changed counts.
        var answered: UInt64
        /// Workers the registry knows (`ready_workers`).
        var ready: Int
        /// Workers told to stop that have not exited yet.
        var leaving = 0
    }

    enum Action: Equatable, CustomStringConvertible {
        /// One worker more: at least `queued` checks waited for one at every sample over `over`.
        case add(queued: Int, over: Duration)
        /// One worker fewer: no check queued or answered for `idle`.
        case retire(idle: Duration)

        var description: String {
            switch self {
            case .add(let queued, let over):
                "\(queued) or more checks waited for a worker for \(over.components.seconds) s"
            case .retire(let idle): "no check for \(idle.components.seconds) s"
            }
        }
    }

    let settings: Settings
    /// The workers the pool has: the minimum at first, then as the actions left it.
    private(set) var size: Int
    /// The first of an unbroken run of samples above the threshold, and the least queued since.
    private var busy: (since: ContinuousClock.Instant, leastQueued: Int)?
    private var lastActive: ContinuousClock.Instant
    private var lastAnswered: UInt64?

    init(settings: Settings, size: Int? = nil, startingAt now: ContinuousClock.Instant) {
        self.settings = settings
        self.size = size ?? settings.minimum
        lastActive = now
    }

    /// The action `sample`, taken at `now`, calls for, if any; the pool's size counts it as done.
    mutating func observe(_ sample: Sample, at now: ContinuousClock.Instant) -> Action? {
        if sample.queued > 0 || (lastAnswered != nil && lastAnswered != sample.answered) { lastActive = now }
        lastAnswered = sample.answered
        // A worker starting (it replays the log before it announces itself) or leaving: a queue now says nothing of
        // what the pool's size can serve, so its window starts again once the registry sees the pool whole.
        guard sample.ready >= size, sample.leaving == 0 else {
            busy = nil
            return nil
        }
        if sample.queued > settings.queueThreshold {
            busy = (busy?.since ?? now, min(busy?.leastQueued ?? sample.queued, sample.queued))
        } else {
            busy = nil
        }
        if let busy, busy.since.duration(to: now) >= settings.sustain, size < settings.maximum {
            size += 1
            self.busy = nil
            return .add(queued: busy.leastQueued, over: busy.since.duration(to: now))
        }
        let idle = lastActive.duration(to: now)
        if idle >= settings.idleAfter, size > settings.minimum {
            size -= 1
            return .retire(idle: idle)
        }
        return nil
    }

    /// The registry did not answer: nothing is known of the queue or of the pool's work, so both windows start again.
    mutating func lostSight(at now: ContinuousClock.Instant) {
        busy = nil
        lastActive = now
        lastAnswered = nil
    }
}
