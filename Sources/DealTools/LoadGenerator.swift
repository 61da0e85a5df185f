import DealBench
import DealBus
import DealCLI
import DealModel
import DealWire
import Foundation
import Histogram
import ZeroMQ

/// Drives registrations through the real protocol from several principals, open loop (a rate over time, latency
/// measured from when each request was due) or closed loop (a fixed number in flight), and counts what came back,
/// in all and second by second. Not thread-safe: runs on the calling thread, which owns every socket.
final class LoadGenerator {
    enum Mode {
        case open(RateSchedule)
        case concurrency(Int)
    }

    struct Settings {
        var mode: Mode
        var duration: Duration
        var customers: Int
        var conflictRatio: Double
        var timeout: Duration = .seconds(30)
    }

    /// What one run measured.
    struct Summary: Codable {
        var mode: String
        var seconds: Double
        var sent: Int
        var answered: Int
        var throughput: Double
        var p50_ms: Double
        var p90_ms: Double
        var p99_ms: Double
        var p999_ms: Double
        var max_ms: Double
        var outcomes: [String: Int]
        var errors: [String: Int]
        var unanswered: Int
        /// Requests sent again with their request_id, unanswered after `BusClient.resendInterval` on a failover
        /// group of registries (the one holding them may have died); the registry decides each once.
        var resent: Int
        /// CPU time the load generator itself used (user + system), to subtract from a shared machine's budget.
        var cpu_seconds: Double
        /// The registry's own figures for the run, when the generator could ask as an admin.
        var registry: RegistryFigures?
    }

    /// Where the registry says the time went during a run (see `StatusReply`).
    struct RegistryFigures: Codable {
        struct Stage: Codable {
            var count: UInt64
            var p50_ms: Double
            var p99_ms: Double
            var max_ms: Double

            init(_ summary: Dealreg_V1_LatencySummary) {
                count = summary.count
                p50_ms = Figures.milliseconds(summary.p50Us)
                p99_ms = Figures.milliseconds(summary.p99Us)
                max_ms = Figures.milliseconds(summary.maxUs)
            }
        }

        var check_wait: Stage
        var commit_wait: Stage
        var commit: Stage
        var decisions_per_commit: Double

        init(_ status: Dealreg_V1_StatusReply) {
            check_wait = Stage(status.checkWait)
            commit_wait = Stage(status.commitWait)
            commit = Stage(status.commit)
            decisions_per_commit = Double(status.decisionsCommitted) / Double(max(1, status.commit.count))
        }
    }

    private let clients: [BusClient]
    private let settings: Settings
    private var generator = SyntheticCustomers(seed: UInt64(Date().timeIntervalSince1970))
    /// Customers registered so far, with the product line they were registered for.
    private var issued: [(customer: Customer, product: String)] = []
    private var fresh = 0
    private var inFlight: [String: ContinuousClock.Instant] = [:]
    /// A request in flight to a failover group, kept to be resent.
    private struct Outstanding {
        var client: Int
        var request: Dealreg_V1_RegisterDealRequest
        var sentAt: ContinuousClock.Instant
    }
    /// On a failover group: each request in flight by its request_id.
    private var outstanding: [String: Outstanding] = [:]
    private var resent = 0
    private var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000)
    /// This second's, for the timeline: at two significant digits, since reading and resetting it every second at
    /// three (20,000 buckets walked by unspecialised generic code) took 6 million instructions a second.
    private var secondLatency = Histogram<UInt64>(
        highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .two)
    private var outcomes: [String: Int] = [:]
    private var errors: [String: Int] = [:]
    private var sent = 0
    private var answered = 0
    /// The run second by second, each second closed by `closeSecond`.
    private(set) var timeline: [LoadTimeline.Second] = []
    /// The totals when the current second began.
    private var secondBegan: (sent: Int, answered: Int, errors: [String: Int]) = (0, 0, [:])
    private let closeDay = CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).adding(days: 120)
    private let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private let products = ["storage", "servers", "networking", "laptops", "security", "services"]

    init(clients: [BusClient], settings: Settings) {
        self.clients = clients
        self.settings = settings
    }

    /// Runs for the configured duration, then waits for the stragglers; calls `progress` once a second.
    func run(progress: (String) -> Void) throws -> Summary {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start.advanced(by: settings.duration)
        // Open loop: when the next request is due; nil once the schedule has sent them all.
        var nextSend: ContinuousClock.Instant? = if case .open = settings.mode { start } else { nil }
        var nextReport = start.advanced(by: .seconds(1))
        while true {
            let now = clock.now
            // Open loop, what fell due before the end goes out even when the loop comes round after it (a slow
            // round of replies): the run sends what its schedule asked for.
            if now < end || nextSend != nil {
                switch settings.mode {
                case .open(let schedule):
                    while let due = nextSend, due <= now {
                        try send(due: due)
                        nextSend = schedule.dueTime(of: sent).map { start.advanced(by: .seconds($0)) }
                    }
                case .concurrency(let limit):
                    while inFlight.count < limit { try send(due: clock.now) }
                }
            } else if inFlight.isEmpty || now > end.advanced(by: settings.timeout) {
                break
            }
            try resendOutstanding(now: now)
            if now >= nextReport {
                let second = closeSecond(length: 1)
                progress(
                    "load: \(timeline.count) s, \(second.answered) answered/s, \(second.inFlight) in flight, "
                        + "p99 \(second.latency?.p99 ?? 0) ms")
                nextReport = nextReport.advanced(by: .seconds(1))
            }
            let wait: Duration =
                switch (settings.mode, nextSend) {
                case (.open, let next?): max(.zero, min(clock.now.duration(to: next), .milliseconds(100)))
                default: .milliseconds(100)
                }
            // At least a millisecond: at high rates everything due by then goes out together (latency still counts
            // from each request's due time), rather than a poll loop spinning a core the cluster needs.
            let milliseconds = now < end ? max(1, Int(wait.components.attoseconds / 1_000_000_000_000_000)) : 100
            let ready = try Poller.readable(clients.map(\.socket), timeoutMilliseconds: milliseconds)
            for (index, isReady) in ready.enumerated() where isReady {
                while let reply = try clients[index].receiveWaiting() { record(reply, at: clock.now) }
            }
        }
        let finish = clock.now
        // The last second, cut short where the run ended, unless it is empty.
        let partial = min(1, Figures.seconds(nextReport.duration(to: finish)) + 1)
        if partial > 0.001 || sent > secondBegan.sent || answered > secondBegan.answered {
            closeSecond(length: max(0.001, partial))
        }
        let seconds = Figures.seconds(start.duration(to: min(finish, end)))
        let mode =
            switch settings.mode {
            case .open(let schedule):
                if case .constant(let rate) = schedule.profile {
                    "open loop, \(Int(rate))/s"
                } else {
                    "open loop, \(schedule.profile)"
                }
            case .concurrency(let limit): "closed loop, \(limit) in flight"
            }
        return Summary(
            mode: mode, seconds: seconds, sent: sent, answered: answered,
            throughput: Double(answered) / max(seconds, 0.001),
            p50_ms: Figures.milliseconds(latency.valueAtPercentile(50)),
            p90_ms: Figures.milliseconds(latency.valueAtPercentile(90)),
            p99_ms: Figures.milliseconds(latency.valueAtPercentile(99)),
            p999_ms: Figures.milliseconds(latency.valueAtPercentile(99.9)),
            max_ms: Figures.milliseconds(latency.maxRecorded), outcomes: outcomes, errors: errors,
            unanswered: inFlight.count, resent: resent, cpu_seconds: Self.cpuSeconds(), registry: nil)
    }

    /// Ends the current second of the timeline (`length` seconds long) and starts the next.
    @discardableResult
    private func closeSecond(length: Double) -> LoadTimeline.Second {
        var second = LoadTimeline.Second(
            start: Double(timeline.count), length: length, sent: sent - secondBegan.sent,
            answered: answered - secondBegan.answered, inFlight: inFlight.count)
        if secondLatency.totalCount > 0 {
            second.latency = .init(
                p50: Figures.milliseconds(secondLatency.valueAtPercentile(50)),
                p99: Figures.milliseconds(secondLatency.valueAtPercentile(99)),
                max: Figures.milliseconds(secondLatency.maxRecorded))
        }
        for (code, count) in errors where count > secondBegan.errors[code, default: 0] {
            second.errors[code] = count - secondBegan.errors[code, default: 0]
        }
        timeline.append(second)
        secondLatency.reset()
        secondBegan = (sent, answered, errors)
        return second
    }

    /// One registration: a customer already registered, respelled, with probability `conflictRatio`; else a new one.
    private func send(due: ContinuousClock.Instant) throws {
        let customer: Customer
        let product: String
        if !issued.isEmpty && Double.random(in: 0..<1) < settings.conflictRatio {
            // The same opportunity again, as another registrant would spell it: a conflict or a duplicate.
            let earlier = issued[Int.random(in: 0..<issued.count)]
            customer = generator.variant(of: earlier.customer)
            product = earlier.product
        } else if fresh < settings.customers {
            customer = generator.customer()
            product = products[Int.random(in: 0..<products.count)]
            issued.append((customer, product))
            fresh += 1
        } else {
            (customer, product) = issued[Int.random(in: 0..<issued.count)]
        }
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = customer.wire
        request.productLines = [product]
        request.amount = Money(minorUnits: Int64.random(in: 100_000...50_000_000), currency: "EUR").wire
        request.expectedClose = closeDay.wire
        sent += 1
        let id = "load-\(runID)-\(sent)"
        let client = sent % clients.count
        try clients[client].send(RegistryClient.Method.registerDeal, request, requestID: id)
        inFlight[id] = due
        if clients[client].followsFailover {
            outstanding[id] = Outstanding(client: client, request: request, sentAt: ContinuousClock.now)
        }
    }

    /// Sends again, with the same request_id, each request of a failover group unanswered for a resend interval.
    private func resendOutstanding(now: ContinuousClock.Instant) throws {
        for (id, pending) in outstanding where pending.sentAt.duration(to: now) >= BusClient.resendInterval {
            try clients[pending.client].send(RegistryClient.Method.registerDeal, pending.request, requestID: id)
            outstanding[id]?.sentAt = now
            resent += 1
        }
    }

    private func record(_ reply: WireEnvelope, at now: ContinuousClock.Instant) {
        guard let due = inFlight.removeValue(forKey: reply.requestID) else { return }
        outstanding[reply.requestID] = nil
        answered += 1
        let elapsed = due.duration(to: now).components
        let micros =
            UInt64(max(0, elapsed.seconds)) * 1_000_000 + UInt64(max(0, elapsed.attoseconds) / 1_000_000_000_000)
        _ = latency.record(micros)
        _ = secondLatency.record(micros)
        switch RegistryClient.Method.registerDeal.result(reply) {
        case .success(let body):
            outcomes[Outcome(wire: body.decision.outcome)?.rawValue ?? "UNKNOWN", default: 0] += 1
        case .failure(.remote(let error)):
            errors[error.code.name, default: 0] += 1
        case .failure:
            errors["BAD_REPLY", default: 0] += 1
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000_000
    }
}

extension LoadGenerator.RegistryFigures: CustomStringConvertible {
    var description: String {
        func line(_ name: String, _ stage: Stage) -> String {
            "\(name) p50 \(stage.p50_ms) ms, p99 \(stage.p99_ms) ms, max \(stage.max_ms) ms"
        }
        return """
            registry     \(line("check wait", check_wait)); \(line("commit wait", commit_wait))
            commits      \(line("fsynced transaction", commit)), \(commit.count) of them, \(String(format: "%.1f", decisions_per_commit)) decisions each
            """
    }
}

extension LoadGenerator.Summary: CustomStringConvertible {
    var description: String {
        let outcomeText = outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let errorText =
            errors.isEmpty
            ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return """
            mode         \(mode), \(String(format: "%.1f", seconds)) s
            throughput   \(String(format: "%.0f", throughput)) registrations/s (\(answered) answered of \(sent) sent, \(unanswered) unanswered)
            latency      p50 \(p50_ms) ms, p90 \(p90_ms) ms, p99 \(p99_ms) ms, p99.9 \(p999_ms) ms, max \(max_ms) ms
            outcomes     \(outcomeText)
            errors       \(errorText)\(resent > 0 ? " (\(resent) requests resent to a failover group)" : "")
            load cpu     \(String(format: "%.2f", cpu_seconds)) s (\(String(format: "%.0f", cpu_seconds / Double(max(1, answered)) * 1e6)) µs per registration)
            """ + (registry.map { "\n" + $0.description } ?? "")
    }
}
