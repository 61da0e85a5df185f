import DealBus
import Foundation
import ZeroMQ

/// A cluster started on the stores another one left, the exchange of signed heads awaited, and `audit verify` read
/// as the user reads it.
extension LocalCluster {
    /// A cluster on a copy of `stores`, the data directory of a stopped cluster (its logs left out), which `edit`
    /// gets before anything starts.
    convenience init(
        copyOf stores: URL, workers: Int = 1, policy: String? = nil, editedBy edit: (URL) throws -> Void = { _ in }
    ) throws {
        try self.init(workers: workers, policy: policy) { data in
            for item in try FileManager.default.contentsOfDirectory(atPath: stores.path) where item != "logs" {
                try FileManager.default.copyItem(
                    at: stores.appendingPathComponent(item), to: data.appendingPathComponent(item))
            }
            try edit(data)
        }
    }

    /// Waits until enforcement has witnessed the registry's newest head: the exchange of heads that follows every
    /// change is done, so the log's last event is vouched for by a head in enforcement's ledger as well.
    func awaitWitnessedHeads() throws {
        let context = try Context()
        let registry = try client(context: context)
        let enforcement = try enforcementClient(context: context)
        for _ in 0..<600 {
            let size = try registry.heads().head.size
            if try enforcement.heads().witnessed.map(\.size).max() == size { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ClusterFailure("enforcement did not witness the registry's head:\n\(logs)")
    }

    /// What `dealreg audit verify` said.
    struct Audit: CustomStringConvertible {
        var status: Int32
        /// Each service's line, by service: "registry: 12 entries, 9 signed heads, intact".
        var lines: [String: String]
        var error: String

        /// The entry the service's line names as the first broken one ("event 12"); nil when it is intact.
        func broken(_ service: String) -> String? {
            guard let line = lines[service], let range = line.range(of: "BROKEN at ") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != ":" })
        }

        func isIntact(_ service: String) -> Bool { lines[service]?.hasSuffix(", intact") == true }

        /// Exit status 0, both ledgers intact.
        var holds: Bool { status == 0 && isIntact("registry") && isIntact("enforcement") }

        /// Exit status 1, `service`'s line naming `entry` as the first broken one, the other service's intact.
        func breaks(only service: String, at entry: String) -> Bool {
            status == 1 && broken(service) == entry && isIntact(service == "registry" ? "enforcement" : "registry")
        }

        var description: String { (lines.values.sorted() + [error]).joined(separator: "\n") }
    }

    /// `dealreg audit verify ARGS` as the admin.
    func auditVerify(_ arguments: [String] = []) throws -> Audit {
        let result = try dealreg(["audit", "verify"] + arguments)
        var lines: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            lines[String(line[..<colon])] = String(line)
        }
        return Audit(status: result.status, lines: lines, error: result.error)
    }
}
