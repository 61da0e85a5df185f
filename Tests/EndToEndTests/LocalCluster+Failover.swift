import Foundation

/// A failover group as its operator watches it: which registry holds the lease (`dealreg status --json`), the
/// processes by their instance names, and their logs.
extension LocalCluster {
    /// Waits until a registry serves holding the lease with an epoch above `epoch`; returns it. The bound is for a
    /// group that never fails over, not a measure of how fast it does.
    func awaitActive(after epoch: UInt64 = 0, attempts: Int = 120) throws -> RegistryStatus.Active {
        var last: RegistryStatus?
        for _ in 0..<attempts {
            last = try? registryStatus(timeout: 2)
            if let status = last, status.serving, let active = status.active, active.epoch > epoch { return active }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw ClusterFailure(
            "no registry served with a lease epoch above \(epoch); last status \(String(describing: last)):\n"
                + logs.suffix(6000))
    }

    /// The log of registry `instance` (`registry-1`, …) as written so far.
    func log(of instance: String) -> String {
        (try? String(contentsOf: data.appendingPathComponent("logs/\(instance).log"), encoding: .utf8)) ?? ""
    }

    /// The last lines of every registry's log, for a failure message.
    var registryLogs: String {
        (1...4).map { "registry-\($0)" }.filter { !log(of: $0).isEmpty }.map { instance in
            "== \(instance)\n" + log(of: instance).split(separator: "\n").suffix(25).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Waits until `instance`'s log, past its first `offset` characters, contains `text`; returns that part.
    @discardableResult
    func awaitLog(of instance: String, after offset: Int, containing text: String, attempts: Int = 400) throws
        -> String
    {
        for _ in 0..<attempts {
            let written = String(log(of: instance).dropFirst(offset))
            if written.contains(text) { return written }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw ClusterFailure(
            "\(instance) never logged \"\(text)\"; since then it wrote:\n\(log(of: instance).dropFirst(offset))")
    }

    /// The pid of the running registry process named `instance`, from /proc.
    func registryPid(_ instance: String) -> Int32? {
        pids(of: "dealreg-registry").first { pid in
            let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
            let arguments = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return zip(arguments, arguments.dropFirst()).contains { $0 == ("--instance", instance) }
        }
    }

    /// Waits until `instance` runs again under a pid other than `pid` (its supervisor restarted it); returns it.
    func awaitRestart(of instance: String, replacing pid: Int32, attempts: Int = 400) throws -> Int32 {
        for _ in 0..<attempts {
            if let restarted = registryPid(instance), restarted != pid { return restarted }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw ClusterFailure("\(instance) was not restarted:\n\(upOutput)")
    }

    /// Waits until enforcement has applied every event the registry committed and follows live (`dealreg status`).
    func awaitEnforcementCaughtUp(attempts: Int = 400) throws {
        var output = ""
        for _ in 0..<attempts {
            output = try dealreg(["status", "--json"]).output
            if output.contains(#""behind":0,"#) && output.contains(#""live":true"#) { return }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw ClusterFailure("enforcement did not catch up with the registry: \(output)\n\(logs.suffix(4000))")
    }

    /// `dealreg audit verify` run after `dealreg status`: the audit, the events its registry line counts ("registry:
    /// 12 entries, …"), and the last seq the registry said it had committed just before. The audit finds any gap in
    /// the events it reads; reading at least that far, it vouches for every event committed before it ran.
    func auditAfterStatus() throws -> (audit: Audit, events: UInt64, committed: UInt64) {
        let committed = try registryStatus()?.last_seq ?? .max
        let audit = try auditVerify()
        let events = audit.lines["registry"].flatMap { line in
            line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        return (audit, events ?? 0, committed)
    }
}
