import DealBus
import DealCLI
import Foundation
import Synchronization

/// Asks the registry for its queue (checks waiting for a worker) about once a second while a load runs, on an admin
/// connection and a thread of its own: a ZeroMQ socket belongs to one thread for its whole life, and the generator's
/// thread owns the partners' sockets. Thread-safe: the sampling thread opens, uses and drops its connection, and
/// hands its samples over under a lock.
final class QueueSampler: Sendable {
    private let state = Mutex<(running: Bool, samples: [LoadTimeline.QueueSample], failure: String?)>((true, [], nil))
    private let finished = DispatchSemaphore(value: 0)

    /// Starts sampling at `start` and each second after it, through the client `connect` opens on the new thread.
    init(from start: ContinuousClock.Instant, connect: @escaping @Sendable () throws -> RegistryClient) {
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            let registry: RegistryClient
            do {
                registry = try connect()
            } catch {
                state.withLock { $0.failure = "\(error)" }
                return
            }
            var next = start
            while state.withLock({ $0.running }) {
                let now = ContinuousClock.now
                guard now >= next else {
                    // Short naps, so that `stop` is not kept waiting for a whole second.
                    Thread.sleep(forTimeInterval: min(0.05, Figures.seconds(now.duration(to: next))))
                    continue
                }
                do {
                    let status = try registry.status(timeout: .seconds(2))
                    let sample = LoadTimeline.QueueSample(
                        at: Figures.seconds(start.duration(to: ContinuousClock.now)),
                        queuedChecks: Int(status.queuedChecks), readyWorkers: Int(status.readyWorkers))
                    state.withLock { $0.samples.append(sample) }
                } catch {
                    // A registry too busy to answer within the timeout leaves a gap in the chart, noted once.
                    state.withLock { $0.failure = $0.failure ?? "\(error)" }
                }
                while next <= ContinuousClock.now { next = next.advanced(by: .seconds(1)) }
            }
        }
    }

    /// Stops sampling and returns the samples, and the first failure when there was one.
    func stop() -> (samples: [LoadTimeline.QueueSample], failure: String?) {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { ($0.samples, $0.failure) }
    }
}
