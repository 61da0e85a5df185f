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

/// `dealreg list`: the registrations the principal may see, page by page, optionally filtered.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List visible registrations.")

    @OptionGroup var client: ClientOptions
    @Option(help: "At most this many.") var limit = 1000
    @Option(help: "Only this state: approved, pending-review, rejected, won, lost, expired, withdrawn.")
    var status: String?
    @Option(help: "Only those filed by this party.") var registrant: String?
    @Option(help: "Only customers whose legal name contains this (any case).") var customer: String?
    @Option(help: "Only approved ones whose protection ends within this many days.") var expiringWithin: UInt32?
    @Flag(help: "Print JSON lines.") var json = false

    func validate() throws {
        if let status, RegistrationStatus(rawValue: status) == nil {
            throw ValidationError(
                "--status must be one of approved, pending-review, rejected, won, lost, expired, withdrawn.")
        }
    }

    func run() throws {
        try Self.printPages(client, json: json, limit: limit) { request in
            if let status { request.status = RegistrationStatus(rawValue: status)!.wire }
            request.registrant = registrant ?? ""
            request.customer = customer ?? ""
            request.expiringWithinDays = expiringWithin ?? 0
        }
    }

    /// Prints every page of a filtered listing.
    static func printPages(
        _ client: ClientOptions, json: Bool, limit: Int = 100_000,
        filter: (inout Dealreg_V1_ListRegistrationsRequest) -> Void
    ) throws {
        try withServiceErrors(json: json) {
            let registry = try client.connect(context: try Context())
            var after = ""
            var printed = 0
            repeat {
                var request = Dealreg_V1_ListRegistrationsRequest()
                filter(&request)
                request.afterID = after
                request.limit = UInt32(min(1000, limit - printed))
                let reply = try registry.listRegistrations(request, timeout: .seconds(client.timeout))
                for registration in reply.registrations.compactMap(Registration.init(wire:)) {
                    print(json ? RegistrationLine(registration).json : RegistrationLine(registration).summary)
                    printed += 1
                }
                after = reply.nextAfterID
            } while !after.isEmpty && printed < limit
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
    var ref: String
    var protected_until: String?
    var closed_on: String?
    var extended: Bool
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
        ref = request.registrantReference
        protected_until = registration.status == .approved ? registration.decision.protectedUntil?.description : nil
        closed_on = registration.closedOn?.description
        extended = registration.extended
        decision = DecisionLine(ref: nil, decision: registration.decision)
    }

    var json: String {
        jsonText(self)
    }

    var summary: String {
        "\(registration_id)  \(status)  \(customer) (\(country))  \(product_lines.joined(separator: ","))  "
            + "\(amount) \(currency)  close \(expected_close)  holder \(holder)" + (tender ? "  tender" : "")
            + (protected_until.map { "  protected until \($0)" } ?? "") + (extended ? " (extended)" : "")
            + (status == RegistrationStatus.pendingReview.rawValue
                ? decision.review_due.map { "  review due \($0)" } ?? "" : "")
            + (closed_on.map { "  closed \($0)" } ?? "")
    }

    var text: String {
        summary + "\n  registrant \(registrant)" + (ref.isEmpty ? "" : ", ref \(ref)") + "\n  decision: "
            + decision.text
    }
}
