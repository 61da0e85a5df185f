import DealBus
import Foundation

/// The shell of `PoolScaler` in `dealreg up --workers MIN..MAX`: samples the registry's status once a second, starts
/// a check worker or retires one as the scaler decides, logging each change with its reason, and reaps retired
/// workers. A worker retires on SIGTERM, which it takes as a graceful stop: it answers what it has read, hands the
/// rest back with `disconnect` and waits for the registry's acknowledgement before it exits (`CheckWorker`), so no
/// check is lost. Not thread-safe: the supervisor's thread.
final class ElasticPool {
    private var scaler: PoolScaler
    private let client: RegistryClient
    private let launch: (String) throws -> ClusterSupervisor.Child
    /// Workers told to stop, by name, and since when.
    private var retiring: [String: ContinuousClock.Instant] = [:]
    private var sampledAt: ContinuousClock.Instant
    /// How long a retiring worker may take to hand its checks back and exit before it is killed; the registry then
    /// re-queues what it held once its heartbeats stop.
    static let retirementLimit: Duration = .seconds(10)

    init(
        settings: PoolScaler.Settings, client: RegistryClient,
        launch: @escaping (String) throws -> ClusterSupervisor.Child
    ) {
        scaler = PoolScaler(settings: settings, startingAt: .now)
        self.client = client
        self.launch = launch
        sampledAt = .now
    }

    /// Whether worker `name` was told to stop: the supervisor does not restart it.
    func isRetiring(_ name: String) -> Bool { retiring[name] != nil }

    /// Drops retired workers that exited from `children` (killing one that overstays), then, once a second, samples
    /// the registry and performs what the scaler decides.
    func step(_ children: inout [ClusterSupervisor.Child], at now: ContinuousClock.Instant) throws {
        children.removeAll { child in
            guard let since = retiring[child.name] else { return false }
            if child.process.isRunning {
                if since.duration(to: now) > Self.retirementLimit { kill(child.process.processIdentifier, SIGKILL) }
                return false
            }
            retiring[child.name] = nil
            report("\(child.name) retired (exit status \(child.process.terminationStatus))")
            return true
        }
        guard sampledAt.duration(to: now) >= .seconds(1) else { return }
        sampledAt = now
        guard let status = try? client.status(timeout: .seconds(1)) else {
            scaler.lostSight(at: now)
            return
        }
        let sample = PoolScaler.Sample(
            queued: Int(status.queuedChecks), answered: status.checkWait.count, ready: Int(status.readyWorkers),
            leaving: retiring.count)
        guard let action = scaler.observe(sample, at: now) else { return }
        switch action {
        case .add:
            let name = Self.freeName(among: children)
            children.append(try launch(name))
            report("\(name) added: \(scaler.size) check workers (\(action))")
        case .retire:
            let workers = children.filter { $0.name.hasPrefix("check-") && retiring[$0.name] == nil }
            guard let last = workers.max(by: { Self.number(of: $0.name) < Self.number(of: $1.name) }) else { return }
            retiring[last.name] = now
            last.process.terminate()
            report("\(last.name) retiring: \(scaler.size) check workers (\(action))")
        }
    }

    /// The lowest `check-N` no child has.
    static func freeName(among children: [ClusterSupervisor.Child]) -> String {
        let taken = Set(children.map(\.name))
        return (1...).lazy.map { "check-\($0)" }.first { !taken.contains($0) }!
    }

    private static func number(of name: String) -> Int { Int(name.dropFirst("check-".count)) ?? 0 }

    private func report(_ line: String) {
        FileHandle.standardError.write(Data("dealreg: \(line)\n".utf8))
    }
}
