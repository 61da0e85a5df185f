import DealCLI
import Foundation

/// SplitMix64: a seeded generator, so a chaos run's data and choice of victims can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Kills (SIGKILL) a random service of a local cluster: the registry, a check worker or enforcement, found among
/// the supervisor's children in `/proc`, which the supervisor restarts on the same ports and data. With a failover
/// group it strikes the active registry (killed, or frozen with SIGSTOP and woken later, when it must step down),
/// and it may restart the PostgreSQL server under the cluster. Not thread-safe (the thaws and restarts it starts
/// run on threads of their own).
struct ChaosMonkey {
    /// What a kill may strike.
    enum Kind: String, CaseIterable, Sendable {
        case registry, worker, enforcement, freeze, postgres
        case unknown = ""
    }

    /// The services, by the name the kernel gives their process (at most 15 characters), and how often each is
    /// picked: the registry most, as it holds the decisions.
    static let victims: [(kind: Kind, command: String, weight: Int)] = [
        (.registry, "dealreg-registr", 4), (.worker, "dealreg-check", 3), (.enforcement, "dealreg-enforce", 3),
        (.freeze, "dealreg-registr", 2), (.postgres, "", 1),
    ]

    let supervisor: Int32
    let kinds: [Kind]
    /// How long a frozen registry stays frozen.
    let freeze: Duration
    /// The shell command that restarts the PostgreSQL server.
    let postgresRestart: String?
    private(set) var kills: [String: Int] = [:]
    var total: Int { kills.values.reduce(0, +) }
    /// From each strike of the active registry to the first decision after it.
    let failovers = FailoverClock()

    init(supervisor: Int32, kinds: [Kind], freeze: Duration = .seconds(4), postgresRestart: String? = nil) {
        self.supervisor = supervisor
        self.kinds = kinds
        self.freeze = freeze
        self.postgresRestart = postgresRestart
    }

    /// Strikes one victim, picked by weight among those that can be struck; returns what it struck, or nil when
    /// nothing could be. `activeRegistry` asks the cluster which registry process serves.
    mutating func strike(using random: inout SeededGenerator, activeRegistry: () -> Int32?) -> String? {
        let running = Self.children(of: supervisor)
        let candidates = Self.victims.filter { victim in
            kinds.contains(victim.kind)
                && (victim.kind == .postgres || running.contains { $0.command == victim.command })
        }
        guard !candidates.isEmpty else { return nil }
        var roll = Int.random(in: 0..<candidates.map(\.weight).reduce(0, +), using: &random)
        let victim = candidates.first { candidate in
            roll -= candidate.weight
            return roll < 0
        }!
        switch victim.kind {
        case .postgres:
            guard let command = postgresRestart else { return nil }
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                try? process.run()
                process.waitUntilExit()
            }
            kills["postgres restart", default: 0] += 1
            return "postgres restart"
        case .freeze:
            guard let pid = activeRegistry(), running.contains(where: { $0.pid == pid }), kill(pid, SIGSTOP) == 0
            else { return nil }
            failovers.struck()
            let thaw = freeze
            Thread.detachNewThread {
                Thread.sleep(
                    forTimeInterval: Figures.seconds(thaw))
                kill(pid, SIGCONT)
            }
            kills["registry frozen", default: 0] += 1
            return "registry \(pid) frozen for \(freeze)"
        default:
            let processes = running.filter { $0.command == victim.command }
            // Among registries, the active one: the others are standbys, and killing one tests little.
            let active = victim.kind == .registry && processes.count > 1 ? activeRegistry() : nil
            let target =
                processes.first { $0.pid == active } ?? processes[Int.random(in: 0..<processes.count, using: &random)]
            guard kill(target.pid, SIGKILL) == 0 else { return nil }
            if victim.kind == .registry { failovers.struck() }
            kills[victim.kind.rawValue, default: 0] += 1
            return victim.kind.rawValue
        }
    }

    /// The live children of `parent`: their pid and command name (`/proc/PID/stat`).
    static func children(of parent: Int32) -> [(pid: Int32, command: String)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> (pid: Int32, command: String)? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            // After the command: state, then the parent's pid. A zombie (state Z) is already dead.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, fields[0] != "Z", Int32(fields[1]) == parent else { return nil }
            return (pid, String(stat[stat.index(after: open)..<close]))
        }
    }
}

/// The time from each strike of the active registry (a kill or a freeze) to the first registration decided after
/// it, which only another registry can have decided. Decisions that arrive within 20 ms of the strike were sent
/// before it (no takeover is that fast: the standby polls every 200 ms) and do not count. Used from the chaos run's
/// thread only.
final class FailoverClock {
    private var struckAt: ContinuousClock.Instant?
    private(set) var times: [Duration] = []

    func struck() {
        // A strike before the last one was followed by a decision counts from the first.
        if struckAt == nil { struckAt = .now }
    }

    func decided() {
        guard let since = struckAt else { return }
        let elapsed = since.duration(to: .now)
        guard elapsed > .milliseconds(20) else { return }
        times.append(elapsed)
        struckAt = nil
    }

    /// p50 and max in seconds, and how many, for the report; nil when no registry was struck.
    var summary: ChaosReport.Failovers? {
        guard !times.isEmpty else { return nil }
        let sorted = times.sorted()
        return ChaosReport.Failovers(
            count: sorted.count, p50Seconds: Figures.seconds(sorted[sorted.count / 2]),
            maxSeconds: Figures.seconds(sorted.last!))
    }
}
