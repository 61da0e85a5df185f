import ArgumentParser
import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg feed`: the events an external subscriber may read (its own, or all for the vendor's side).
struct FeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Read the event feed: a partner's own registrations' events, every event for the vendor's side.",
        discussion: "Prints one line per event after --after; --follow keeps polling each second.")

    @OptionGroup var client: ClientOptions
    @Option(help: "Start after this event seq.") var after: UInt64 = 0
    @Flag(help: "Keep reading as new events come.") var follow = false
    @Flag(help: "Print JSON lines.") var json = false

    struct Line: Codable {
        var seq: UInt64
        var time: Int64
        var kind: String
        var subject: String
        var status: String
        var action: String
    }

    func run() throws {
        try withServiceErrors(json: json) {
            let registry = try client.connect(context: try Context())
            var cursor = after
            while true {
                let reply = try registry.feed(
                    .with {
                        $0.afterSeq = cursor
                        $0.limit = 1000
                    })
                for event in reply.events {
                    let line: Line
                    switch event.payload {
                    case .registration(let registration)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "registration", subject: registration.id,
                            status: RegistrationStatus(wire: registration.status)?.rawValue ?? "?",
                            action: event.history.action)
                    case .party(let party)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "party", subject: party.id,
                            status: PartyStanding(wire: party.standing)?.rawValue ?? "?", action: "changed")
                    case .link(let link)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "link",
                            subject: "\(link.distributor)->\(link.reseller)",
                            status: PartyLink.State(wire: link.state)?.rawValue ?? "?", action: "changed")
                    case .account(let account)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "account", subject: account.id,
                            status: account.state == .merged ? "merged" : "open", action: "changed")
                    case .witness(let head)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "witness", subject: head.service,
                            status: "size \(head.size)", action: "witnessed")
                    case .access(let access)?:
                        line = Line(
                            seq: event.seq, time: event.time, kind: "access",
                            subject: access.registrationIds.joined(separator: ","),
                            status: "\(access.reader) (\(PartyKind(wire: access.readerKind)?.rawValue ?? "?"))",
                            action: access.method)
                    case nil:
                        continue
                    }
                    print(
                        json
                            ? jsonText(line)
                            : "\(line.seq)  \(line.kind)  \(line.subject)  \(line.action)  \(line.status)")
                }
                cursor = reply.lastSeq
                guard reply.events.isEmpty else { continue }
                guard follow else { break }
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }
}
