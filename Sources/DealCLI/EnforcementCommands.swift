import ArgumentParser
import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// A violation as the CLI prints it.
struct ViolationLine: Codable {
    var violation_id: String
    var type: String
    var party: String
    var order_id: String
    var registration_id: String
    var score: Double
    var reasons: [String]
    var explanation: String

    init(_ wire: Dealreg_V1_Violation) {
        violation_id = wire.id
        type = ViolationType(wire: wire.type)?.rawValue ?? "?"
        party = wire.party
        order_id = wire.orderID
        registration_id = wire.registrationID
        score = wire.score
        reasons = wire.reasons.map { MatchReason(wire: $0).description }
        explanation = wire.explanation
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    var text: String { "\(violation_id)  \(type)  \(party)  order \(order_id)  \(registration_id)  \(explanation)" }
}

/// `dealreg booking add`: an order booked elsewhere, sent to enforcement as a booking system would.
struct BookingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booking", abstract: "Send booked orders to enforcement, as an ERP or CRM would.",
        subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record one booked order and print the violations it reveals (none: a clean booking).")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal sending it (a service, officer or admin).")
        var principal = "admin"
        @Option(help: "The order id (a retry with the same id and content counts once).") var order: String
        @Option(help: "The customer's legal name.") var customer: String
        @Option(help: "ISO 3166-1 alpha-2 country of the customer.") var country: String
        @Option var street = ""
        @Option var city = ""
        @Option var postalCode = ""
        @Option(help: "The customer's web domain.") var domain = ""
        @Option(help: "The customer's tax (VAT) id.") var taxID = ""
        @Option(help: "Product lines, separated by commas.") var products: String
        @Option(help: "Amount as a decimal, e.g. 125000.00.") var amount: String
        @Option(help: "ISO 4217 currency.") var currency: String
        @Option(help: "The internal seller or partner that booked it.") var bookedBy: String
        @Option(help: "Booking date, YYYY-MM-DD.") var bookedOn: String
        @Option(help: "The registration the order claims to fulfil.") var claims = ""
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                guard let money = Money(decimal: amount, currency: currency.uppercased()) else {
                    throw ValidationError("'\(amount) \(currency)' is not a positive amount in an ISO 4217 currency.")
                }
                guard let day = CalendarDate(iso: bookedOn) else {
                    throw ValidationError("--booked-on must be a date (YYYY-MM-DD).")
                }
                let booking = Booking(
                    orderID: order,
                    customer: Customer(
                        legalName: customer, street: street, city: city, postalCode: postalCode, country: country,
                        webDomain: domain, taxID: taxID),
                    productLines: products.split(separator: ",").map(String.init), amount: money,
                    bookedBy: PartyID(bookedBy), claimedRegistration: claims.isEmpty ? nil : RegistrationID(claims),
                    bookedOn: day)
                let bus = try data.connectEnforcement(as: principal, context: try Context())
                guard
                    case .recordBookingReply(let reply) = try bus.call(
                        .recordBooking(.with { $0.booking = booking.wire }))
                else { throw ClientError.badReply("expected a booking reply") }
                if reply.violations.isEmpty && !json {
                    print("order \(order): no violation" + (reply.alreadyRecorded ? " (recorded before)" : ""))
                }
                for violation in reply.violations {
                    print(json ? ViolationLine(violation).json : ViolationLine(violation).text)
                }
            }
        }
    }
}

/// `dealreg violations list`.
struct ViolationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "violations", abstract: "List detected violations.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Violations in detection order: all for officers and admins, your own for anyone else.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal asking.") var principal: String
        @Option(help: "Only this party's (officers and admins).") var party = ""
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let bus = try data.connectEnforcement(as: principal, context: try Context())
                var after = ""
                repeat {
                    guard
                        case .listViolationsReply(let reply) = try bus.call(
                            .listViolations(
                                .with {
                                    $0.party = party
                                    $0.afterID = after
                                    $0.limit = 1000
                                }))
                    else { throw ClientError.badReply("expected violations") }
                    for violation in reply.violations {
                        print(json ? ViolationLine(violation).json : ViolationLine(violation).text)
                    }
                    after = reply.nextAfterID
                } while !after.isEmpty
            }
        }
    }
}
