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
/// the supervisor's children in `/proc`. The supervisor restarts it on the same ports and data.
struct ChaosMonkey {
    /// The services, by the name the kernel gives their process (at most 15 characters), and how often each is
    /// picked: the registry most, as it holds the decisions.
    static let victims: [(service: String, command: String, weight: Int)] = [
        ("registry", "dealreg-registr", 4), ("check-worker", "dealreg-check", 3), ("enforcement", "dealreg-enforce", 3),
    ]

    let supervisor: Int32
    private(set) var kills: [String: Int] = [:]
    var total: Int { kills.values.reduce(0, +) }

    init(supervisor: Int32) {
        self.supervisor = supervisor
    }

    /// Kills one service, picked by weight among those running; returns its name, or nil when none runs.
    mutating func strike(using random: inout SeededGenerator) -> String? {
        let running = Self.children(of: supervisor)
        let candidates = Self.victims.filter { victim in running.contains { $0.command == victim.command } }
        guard !candidates.isEmpty else { return nil }
        var roll = Int.random(in: 0..<candidates.map(\.weight).reduce(0, +), using: &random)
        let victim = candidates.first { candidate in
            roll -= candidate.weight
            return roll < 0
        }!
        let processes = running.filter { $0.command == victim.command }
        let target = processes[Int.random(in: 0..<processes.count, using: &random)]
        guard kill(target.pid, SIGKILL) == 0 else { return nil }
        kills[victim.service, default: 0] += 1
        return victim.service
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
