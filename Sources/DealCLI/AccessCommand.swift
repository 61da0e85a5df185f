import ArgumentParser
import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg access ID`: who of the vendor's side read a registration, from the registry's ledger.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access", abstract: "Show who of the vendor's side read a registration.",
        discussion: """
            Prints one line per recorded read, newest first (at most 1,000): when, who and of which kind, through \
            which request, and the ledger event that recorded it. Every read of a partner's registration by a \
            channel manager, officer, admin, seller or integration is recorded before it is answered. Its \
            registrant, holder and filing distributor may ask, and admins and enforcement officers.
            """)

    @Argument(help: "Registration id, e.g. DR-00000001.") var id: String
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON lines.") var json = false

    struct Line: Codable {
        var time: String
        var reader: String
        var reader_kind: String
        var method: String
        var request_id: String
        var seq: UInt64

        init(_ entry: Dealreg_V1_AccessEntry) {
            time = Date(timeIntervalSince1970: TimeInterval(entry.time)).ISO8601Format()
            reader = entry.reader
            reader_kind = PartyKind(wire: entry.readerKind)?.rawValue ?? "?"
            method = entry.method
            request_id = entry.requestID
            seq = entry.seq
        }

        var text: String {
            "\(time)  \(reader) (\(reader_kind))  \(method)  request \(request_id)  event \(seq)"
        }
    }

    func run() throws {
        try withServiceErrors(json: json) {
            let reply = try client.connect(context: try Context()).listAccess(id, timeout: .seconds(client.timeout))
            if reply.entries.isEmpty && !json { print("No read of \(id) by the vendor's side is recorded.") }
            for entry in reply.entries {
                print(json ? jsonText(Line(entry)) : Line(entry).text)
            }
        }
    }
}
