import Foundation
import Testing

/// `dealreg up --stop-with-parent`: once the process that started it exits, at whatever moment, nothing the
/// cluster started is left running.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StopWithParentTests {
    /// When the shell that starts `dealreg up` exits.
    enum ParentExit: CaseIterable, Sendable {
        /// Once the supervisor wrote its keys, seconds before its services are ready.
        case beforeReady
        /// Once `dealreg up` printed its ready line.
        case afterReady
    }

    static let executables = ["dealreg", "dealreg-registry", "dealreg-check", "dealreg-enforce"]

    /// The cluster's processes still running, by executable.
    static func survivors(_ data: URL) -> [String: [Int32]] {
        Dictionary(
            uniqueKeysWithValues: executables.map { ($0, LocalCluster.pids(of: $0, using: data)) }.filter {
                !$0.1.isEmpty
            })
    }

    /// Waits until `process` has exited, leaving it to Foundation to reap: `waitUntilExit()` would also wait for
    /// every process that inherited Foundation's descriptor for it, here the very cluster that may fail to stop.
    static func awaitExit(of process: Process) {
        var info = siginfo_t()
        while waitid(P_PID, id_t(process.processIdentifier), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
    }

    @Test(arguments: ParentExit.allCases)
    func theWholeClusterStopsWhenTheProcessThatStartedItExits(_ moment: ParentExit) throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-orphan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let output = data.appendingPathComponent("up.out")
        let dealreg = LocalCluster.binaries.appendingPathComponent("dealreg").path
        let condition =
            switch moment {
            case .beforeReady: "[ -e '\(data.path)/keys/admin.key' ]"
            case .afterReady: "grep -q 'dealreg ready' '\(output.path)'"
            }
        let wait = "i=0; until \(condition) || [ $i -ge 1200 ]; do sleep 0.05; i=$((i+1)); done"
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sh")
        parent.arguments = [
            "-c",
            "'\(dealreg)' up --data '\(data.path)' --base-port 0 --workers 1 --stop-with-parent > '\(output.path)' 2>&1 & "
                + wait,
        ]
        try parent.run()
        Self.awaitExit(of: parent)
        defer {
            // A failing run leaves its processes behind: killed here rather than left on the machine.
            for pid in Self.survivors(data).values.joined() { kill(pid, SIGKILL) }
        }
        let upOutput = { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
        try #require(
            FileManager.default.fileExists(atPath: data.appendingPathComponent("keys/admin.key").path),
            "dealreg up never started: \(upOutput())")
        try #require(upOutput().contains("dealreg ready") == (moment == .afterReady), "\(upOutput())")

        // Generous: stopping in order waits up to 10 s per group; this bounds a hang, it does not time a stop.
        let deadline = Date().addingTimeInterval(60)
        var left = Self.survivors(data)
        while !left.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            left = Self.survivors(data)
        }
        #expect(left.isEmpty, "still running a minute after the parent exited: \(left)\n\(upOutput())")
        #expect(upOutput().contains("parent process gone"), "\(upOutput())")
    }
}
