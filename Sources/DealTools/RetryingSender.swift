import DealBus
import DealWire
import Foundation
import ZeroMQ

/// Sends requests with a window in flight and retries each with the same `request_id` until it is answered: after
/// `timeout` without an answer (the reply or the request was lost with a killed service), or after the
/// `retry_after_ms` of a refusal that says to retry. Not thread-safe: runs on the calling thread, which owns the
/// clients.
final class RetryingSender {
    /// What the caller makes of an answer.
    enum Verdict {
        case done
        case retry(after: Duration)
        case failed
    }

    struct Job {
        var requestID: String
        var client: Int
        var body: WireEnvelope.OneOf_Body
    }

    /// What a run counted.
    struct Counts: Codable {
        var sent = 0
        /// Requests sent again because no answer came within the timeout.
        var timeouts = 0
        /// Requests sent again after a refusal that said to retry (`UNAVAILABLE`, `OVERLOADED`, ...).
        var refusals = 0
        /// Answers to a request already answered: the first copy's, arriving after a retry went out.
        var repeatedAnswers = 0
        /// Handshakes a restarting service refused (the client keeps trying).
        var refusedHandshakes = 0
    }

    private let clients: [BusClient]
    private let window: Int
    private let timeout: Duration
    private(set) var counts = Counts()

    init(clients: [BusClient], window: Int, timeout: Duration) {
        self.clients = clients
        self.window = window
        self.timeout = timeout
    }

    /// Sends every job until each is answered (`.done` or `.failed`) or `deadline` passes. `answer` is called for
    /// every reply, with `again` true when its job was answered before; `progress` with the number answered so
    /// far, every few milliseconds. Returns the jobs never answered.
    func run(
        _ jobs: [Job], until deadline: ContinuousClock.Instant,
        answer: (_ job: Int, _ reply: WireEnvelope, _ again: Bool) -> Verdict, progress: (Int) -> Void
    ) throws -> [Int] {
        let clock = ContinuousClock()
        let indexOf = Dictionary(jobs.enumerated().map { ($0.element.requestID, $0.offset) }) { first, _ in first }
        var answered = [Bool](repeating: false, count: jobs.count)
        var inFlight: [Int: ContinuousClock.Instant] = [:]
        var retries: [(job: Int, at: ContinuousClock.Instant)] = []
        var nextFresh = 0
        var finished = 0
        while finished < jobs.count && clock.now < deadline {
            let now = clock.now
            for (job, sentAt) in inFlight where sentAt.duration(to: now) > timeout {
                inFlight[job] = nil
                counts.timeouts += 1
                retries.append((job, now))
            }
            while inFlight.count < window {
                let job: Int
                if let due = retries.firstIndex(where: { $0.at <= now }) {
                    job = retries.remove(at: due).job
                } else if nextFresh < jobs.count {
                    job = nextFresh
                    nextFresh += 1
                } else {
                    break
                }
                try clients[jobs[job].client].send(jobs[job].body, requestID: jobs[job].requestID)
                counts.sent += 1
                inFlight[job] = now
            }
            progress(finished)
            let ready = try Poller.readable(clients.map(\.socket), timeoutMilliseconds: 10)
            for (client, isReady) in ready.enumerated() where isReady {
                while let reply = try receive(from: clients[client]) {
                    guard let job = indexOf[reply.requestID] else { continue }
                    if answered[job] {
                        counts.repeatedAnswers += 1
                        _ = answer(job, reply, true)
                        continue
                    }
                    inFlight[job] = nil
                    retries.removeAll { $0.job == job }
                    switch answer(job, reply, false) {
                    case .done, .failed:
                        answered[job] = true
                        finished += 1
                    case .retry(let after):
                        counts.refusals += 1
                        retries.append((job, clock.now.advanced(by: after)))
                    }
                }
            }
        }
        return answered.indices.filter { !answered[$0] }
    }

    /// The next waiting reply; a refused handshake (a service restarting) is counted and waited out.
    private func receive(from client: BusClient) throws -> WireEnvelope? {
        do {
            return try client.receiveWaiting()
        } catch {
            guard case .refused = error else { throw error }
            counts.refusedHandshakes += 1
            return nil
        }
    }

    /// The retry a typed error asks for, or nil when it is final: what the server said (`retryAfter`), and
    /// `UNAVAILABLE` (a registry draining before it stops, or without a worker) after a tenth of a second.
    static func retryDelay(for error: WireError) -> Duration? {
        error.retryAfter.map { max($0, .milliseconds(100)) } ?? (error.code == .unavailable ? .milliseconds(100) : nil)
    }
}
