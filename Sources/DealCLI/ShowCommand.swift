import ArgumentParser
import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg show ID`: one registration, if the principal may see it.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one registration.")

    @Argument(help: "Registration id, e.g. DR-00000001.") var id: String
    @OptionGroup var client: ClientOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        do {
            let registry = try client.connect(context: try Context())
            let reply = try registry.getRegistration(id, timeout: .seconds(client.timeout))
            guard let registration = Registration(wire: reply.registration) else {
                throw ClientError.badReply("expected a registration")
            }
            print(json ? RegistrationLine(registration).json : RegistrationLine(registration).text)
        } catch ClientError.remote(let error) {
            print(json ? DecisionLine(ref: nil, error: error).json : DecisionLine(ref: nil, error: error).text)
            throw ExitCode(2)
        } catch {
            exitWithError(error)
        }
    }
}

/// `dealreg list`: every registration the principal may see, page by page, optionally filtered; when `--limit`
/// stops it before the end, it says how many it showed and how to get the rest.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List visible registrations.",
        // Lines end in `\` so that the help wraps the text as one paragraph.
        discussion: """
            Prints every registration that matches, in id order, however many pages the registry answers in. \
            With --limit N it stops after N; when more match, it says so on standard error: how many it showed, \
            and the --after ID that goes on from the last one shown (run the same command with it for the rest). \
            With --json it also ends its output with one more line after the registrations, \
            {"after":"ID","more":true,"shown":N}: the only line without a registration_id.
            """)

    @OptionGroup var client: ClientOptions
    @Option(help: "At most this many (default: all).") var limit: Int?
    @Option(help: "Only those whose id sorts after this one: where a --limit stopped.") var after = ""
    @Option(help: "Only this state: approved, pending-review, rejected, won, lost, expired, withdrawn.")
    var status: String?
    @Option(help: "Only those filed by this party.") var registrant: String?
    @Option(help: "Only customers whose legal name contains this (any case).") var customer: String?
    @Option(help: "Only approved ones whose protection ends within this many days.") var expiringWithin: UInt32?
    @Option(help: "Only the registrations of this account, e.g. AC-00000001.") var account: String?
    @Option(help: ArgumentHelp("Registrations asked for per request, 1 to 1000 (tests).", visibility: .hidden))
    var pageSize = 1000
    @Flag(help: "Print JSON lines.") var json = false

    func validate() throws {
        if let status, RegistrationStatus(rawValue: status) == nil {
            throw ValidationError(
                "--status must be one of approved, pending-review, rejected, won, lost, expired, withdrawn.")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 1000.") }
    }

    func run() throws {
        try Self.printPages(client, json: json, limit: limit, after: after, pageSize: pageSize) { request in
            if let status { request.status = RegistrationStatus(rawValue: status)!.wire }
            request.registrant = registrant ?? ""
            request.customer = customer ?? ""
            request.expiringWithinDays = expiringWithin ?? 0
            request.accountID = account ?? ""
        }
    }

    /// What a `--limit` left out: printed on standard error, and as the last JSON line with `--json`.
    struct Remainder: Codable {
        var more = true
        var shown: Int
        /// The last registration shown: `--after` this goes on with the rest.
        var after: String

        /// `command` names the listing in the sentence: `list`, `account list`.
        func report(json: Bool, command: String = "list") {
            FileHandle.standardError.write(
                Data(
                    ("\(command): \(shown) shown (--limit \(shown)) and more match; for the rest, run the same command with "
                        + "--after \(after)\n").utf8))
            if json { print(jsonText(self)) }
        }
    }

    /// Prints every page of a filtered listing after `after`, or the first `limit` registrations and what was left.
    static func printPages(
        _ client: ClientOptions, json: Bool, limit: Int? = nil, after: String = "", pageSize: Int = 1000,
        filter: (inout Dealreg_V1_ListRegistrationsRequest) -> Void
    ) throws {
        try withServiceErrors(json: json) {
            let registry = try client.connect(context: try Context())
            var after = after
            var shown = 0
            while true {
                var request = Dealreg_V1_ListRegistrationsRequest()
                filter(&request)
                request.afterID = after
                // One more than the limit leaves, so that a listing stopped by it knows whether anything is left.
                request.limit = UInt32(min(pageSize, limit.map { $0 - shown + 1 } ?? pageSize))
                let reply = try registry.listRegistrations(request, timeout: .seconds(client.timeout))
                for wire in reply.registrations {
                    if shown == limit {
                        Remainder(shown: shown, after: after).report(json: json)
                        return
                    }
                    if let registration = Registration(wire: wire) {
                        print(json ? RegistrationLine(registration).json : RegistrationLine(registration).summary)
                        shown += 1
                    }
                    after = wire.id
                }
                guard !reply.nextAfterID.isEmpty else { return }
                after = reply.nextAfterID
            }
        }
    }
}

/// A registration as the CLI prints it.
struct RegistrationLine: Codable {
    var registration_id: String
    var status: String
    var registrant: String
    var holder: String
    var customer: String
    var country: String
    var product_lines: [String]
    var amount: String
    var currency: String
    var expected_close: String
    var tender: Bool
    var tender_reference: String?
    var tender_notice_url: String?
    var ref: String
    var protected_until: String?
    var closed_on: String?
    var extended: Bool
    var account_id: String?
    var decision: DecisionLine

    init(_ registration: Registration) {
        let request = registration.request
        registration_id = registration.id.rawValue
        status = registration.status.rawValue
        registrant = registration.registrant.rawValue
        holder = registration.holder.rawValue
        customer = request.customer.legalName
        country = request.customer.country
        product_lines = request.productLines
        amount = request.amount.decimalText
        currency = request.amount.currency
        expected_close = request.expectedClose.description
        tender = request.tender
        tender_reference = request.tenderReference
        tender_notice_url = request.tenderNoticeURL
        ref = request.registrantReference
        protected_until = registration.status == .approved ? registration.decision.protectedUntil?.description : nil
        closed_on = registration.closedOn?.description
        extended = registration.extended
        account_id = registration.account?.rawValue
        decision = DecisionLine(ref: nil, decision: registration.decision)
    }

    var json: String {
        jsonText(self)
    }

    var summary: String {
        "\(registration_id)  \(status)  \(customer) (\(country))  \(product_lines.joined(separator: ","))  "
            + "\(amount) \(currency)  close \(expected_close)  holder \(holder)"
            + (tender ? "  tender \(tender_reference ?? "")" : "")
            + (protected_until.map { "  protected until \($0)" } ?? "") + (extended ? " (extended)" : "")
            + (status == RegistrationStatus.pendingReview.rawValue
                ? decision.review_due.map { "  review due \($0)" } ?? "" : "")
            + (closed_on.map { "  closed \($0)" } ?? "")
    }

    var text: String {
        summary + "\n  registrant \(registrant)" + (ref.isEmpty ? "" : ", ref \(ref)")
            + (account_id.map { "\n  account \($0)" } ?? "") + "\n  decision: " + decision.text
    }
}
