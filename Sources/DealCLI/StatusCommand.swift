import ArgumentParser
import DealBus
import DealWire
import Foundation
import ZeroMQ

/// `dealreg status`: whether the registry and enforcement serve, and how far each has got in the event log.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Whether the registry and enforcement serve, and how far each has got in the event log.",
        discussion:
            "Exits 1 when a service does not answer; `enforcement behind` is how many events it has yet to apply. To "
            + "an admin, the registry also lists stored registrations' product lines the policy's catalog does not "
            + "know (kept as written).")

    @OptionGroup var data: DataOptions
    @Option(name: .customLong("as"), help: "The principal asking.") var principal = "admin"
    @Option(help: "Seconds to wait for each service.") var timeout = 5
    @Flag(help: "Print JSON lines.") var json = false

    struct Line: Codable {
        var service: String
        var serving: Bool
        var last_seq: UInt64?
        var ready_workers: UInt32?
        var queued_checks: UInt32?
        var live: Bool?
        var behind: UInt64?
        var policy_version: String?
        /// Registry: its store, the password never shown.
        var store: String?
        /// Registry on PostgreSQL: the active process of the failover group (its name, pid, since when, and the
        /// lease's epoch).
        var active: Active?
        /// Registry, to an admin: stored product lines the catalog does not know.
        var unknown_product_lines: [UnknownLine]?
        var error: String?
    }

    struct Active: Codable {
        var instance: String
        var pid: Int32
        /// Seconds since the Unix epoch.
        var since: Int64
        var epoch: UInt64
    }

    struct UnknownLine: Codable {
        var line: String
        var registrations: UInt64
        var registration_ids: [String]
    }

    func run() throws {
        let context = try Context()
        var lines: [Line] = []
        do {
            let reply = try data.connect(as: principal, registry: nil, context: context).status(
                timeout: .seconds(timeout))
            lines.append(
                Line(
                    service: "registry", serving: true, last_seq: reply.lastSeq, ready_workers: reply.readyWorkers,
                    queued_checks: reply.queuedChecks, policy_version: reply.policyVersion,
                    store: reply.store.isEmpty ? nil : reply.store,
                    active: reply.instance.isEmpty
                        ? nil
                        : Active(
                            instance: reply.instance, pid: reply.pid, since: reply.activeSince, epoch: reply.epoch),
                    unknown_product_lines: reply.unknownProductLines.isEmpty
                        ? nil
                        : reply.unknownProductLines.map {
                            UnknownLine(
                                line: $0.line, registrations: $0.registrations, registration_ids: $0.registrationIds)
                        }))
        } catch {
            lines.append(Line(service: "registry", serving: false, error: "\(error)"))
        }
        do {
            let reply = try data.connectEnforcement(as: principal, context: context).status(
                timeout: .seconds(timeout))
            let head = lines[0].last_seq ?? reply.lastSeq
            lines.append(
                Line(
                    service: "enforcement", serving: true, last_seq: reply.lastSeq, live: reply.live,
                    behind: head > reply.lastSeq ? head - reply.lastSeq : 0))
        } catch {
            lines.append(Line(service: "enforcement", serving: false, error: "\(error)"))
        }
        for line in lines {
            if json {
                print(jsonText(line))
            } else if let error = line.error {
                print("\(line.service)  not answering: \(error)")
            } else if line.service == "registry" {
                print(
                    "registry  last seq \(line.last_seq ?? 0)  \(line.ready_workers ?? 0) workers ready  "
                        + "\(line.queued_checks ?? 0) checks queued  policy \(line.policy_version ?? "")")
                if let store = line.store { print("  store \(store)") }
                if let active = line.active {
                    let since = Date(timeIntervalSince1970: TimeInterval(active.since)).formatted(.iso8601)
                    print("  active \(active.instance) (pid \(active.pid)) since \(since), lease epoch \(active.epoch)")
                }
                for unknown in line.unknown_product_lines ?? [] {
                    print(
                        "  product line '\(unknown.line)' is not in the catalog: \(unknown.registrations) "
                            + "registrations (\(unknown.registration_ids.joined(separator: ", ")))")
                }
            } else {
                print(
                    "enforcement  last seq \(line.last_seq ?? 0)  \(line.live == true ? "live" : "catching up")  "
                        + "behind \(line.behind ?? 0)")
            }
        }
        if lines.contains(where: { !$0.serving }) { throw ExitCode(1) }
    }
}
