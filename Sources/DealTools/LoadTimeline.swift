/// What a load run saw second by second, for `LoadReport`: the generator's own buckets and the registry's queue as
/// sampled beside it. A value.
struct LoadTimeline: Hashable, Sendable {
    /// One second of the run (the last may be shorter): what was sent and answered in it, the latency of those
    /// answers from when each was due, errors by code, and what was still in flight when it ended.
    struct Second: Hashable, Sendable {
        /// Seconds from the run's start to this bucket's start.
        var start: Double
        /// The bucket's length, seconds: 1, except the last one's.
        var length: Double = 1
        var sent: Int
        var answered: Int
        /// Latency of the answers in this second, milliseconds; nil when none came.
        var latency: Latency?
        var errors: [String: Int] = [:]
        var inFlight: Int

        struct Latency: Hashable, Sendable {
            var p50: Double
            var p99: Double
            var max: Double
        }
    }

    /// The registry's queue at one moment of the run.
    struct QueueSample: Hashable, Sendable {
        /// Seconds from the run's start.
        var at: Double
        /// Checks waiting for a worker.
        var queuedChecks: Int
        var readyWorkers: Int
    }

    var seconds: [Second] = []
    /// Samples of the registry's queue, about one a second; nil when they were not taken, with `queueNote` saying why.
    var queue: [QueueSample]?
    var queueNote: String?
}
