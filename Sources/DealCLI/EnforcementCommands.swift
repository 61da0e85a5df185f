import ArgumentParser
import DealBus
import DealCSV
import DealModel
import DealWire
import Foundation
import Histogram
import ZeroMQ

/// A violation as the CLI prints it.
public struct ViolationLine: Codable {
    var violation_id: String
    public var type: String
    var party: String
    var order_id: String
    var registration_id: String
    var score: Double
    var reasons: [String]
    public var explanation: String

    public init(_ wire: Dealreg_V1_Violation) {
        violation_id = wire.id
        type = ViolationType(wire: wire.type)?.rawValue ?? "?"
        party = wire.party
        order_id = wire.orderID
        registration_id = wire.registrationID
        score = wire.score
        reasons = wire.reasons.map { MatchReason(wire: $0).description }
        explanation = wire.explanation
    }

    public var json: String {
        jsonText(self)
    }

    public var text: String {
        "\(violation_id)  \(type)  \(party)  order \(order_id)  \(registration_id)  \(explanation)"
    }
}

/// `dealreg booking add`: an order booked elsewhere, sent to enforcement as a booking system would.
struct BookingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "booking", abstract: "Send booked orders to enforcement, as an ERP or CRM would.",
        subcommands: [Add.self, Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record one booked order per CSV row and print the violations each reveals.",
            discussion: """
                Header names: order_id, customer_name, street, city, postal_code, country, web_domain, tax_id,
                product_lines (separated by ';'), amount, currency, booked_by, booked_on, claimed_registration_id.
                A bad row is reported with its line number and the rest go on; re-importing a file counts each order
                once (idempotent by order id).
                """)
        static let columns: Set<String> = [
            "order_id", "customer_name", "street", "city", "postal_code", "country", "web_domain", "tax_id",
            "product_lines", "amount", "currency", "booked_by", "booked_on", "claimed_registration_id",
        ]

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal sending them (a service, officer or admin).")
        var principal = "admin"
        @Option(help: "Bookings in flight at once.") var window = 64
        @Option(help: "Seconds to wait for an answer.") var timeout = 30.0
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            guard window > 0 else { throw ValidationError("--window must be at least 1.") }
            var records = CSVReader.records((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
            guard !records.isEmpty else { throw ValidationError("\(file) is empty or unreadable.") }
            let header = records.removeFirst().fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if let unknown = header.first(where: { !Self.columns.contains($0) }) {
                throw ValidationError(
                    "Unknown column '\(unknown)'; known: \(Self.columns.sorted().joined(separator: ", ")).")
            }
            try withServiceErrors(json: json) {
                let enforcement = try data.connectEnforcement(as: principal, context: try Context())
                try send(records, header: header, bus: enforcement.bus)
            }
        }

        /// Sends the rows `window` at a time and prints each row's outcome as its answer comes, then a summary
        /// (rate and latency) on standard error.
        private func send(_ records: [(line: Int, fields: [String])], header: [String], bus: BusClient) throws {
            let clock = ContinuousClock()
            let start = clock.now
            var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000)
            var inFlight:
                [String: (line: Int, order: String, sent: ContinuousClock.Instant, booking: Dealreg_V1_Booking)] = [:]
            var (next, done, violations, bad) = (0, 0, 0, 0)
            let method = EnforcementClient.Method.recordBooking

            func report(_ line: Int, _ order: String, _ outcome: String) {
                done += 1
                if !json { print("line \(line)  \(order)  \(outcome.isEmpty ? "no violation" : outcome)") }
            }

            while done < records.count {
                while next < records.count && inFlight.count < window {
                    let record = records[next]
                    next += 1
                    var values: [String: String] = [:]
                    for (name, value) in zip(header, record.fields) {
                        values[name] = value.trimmingCharacters(in: .whitespaces)
                    }
                    let order = values["order_id"] ?? ""
                    let requestID = "booking-\(record.line)-\(order)"
                    let booking = try Self.booking(values)
                    try bus.send(method, .with { $0.booking = booking }, requestID: requestID)
                    inFlight[requestID] = (record.line, order, clock.now, booking)
                }
                let reply = try bus.receive(timeout: .milliseconds(Int(timeout * 1000)))
                guard let pending = inFlight.removeValue(forKey: reply.requestID) else { continue }
                let answer = method.result(reply)
                if case .failure(.remote(let error)) = answer, let delay = error.retryAfter {
                    Thread.sleep(forTimeInterval: Figures.seconds(delay))
                    try bus.send(method, .with { $0.booking = pending.booking }, requestID: reply.requestID)
                    inFlight[reply.requestID] = pending
                    continue
                }
                let elapsed = pending.sent.duration(to: clock.now).components
                _ = latency.record(
                    UInt64(elapsed.seconds) * 1_000_000 + UInt64(elapsed.attoseconds / 1_000_000_000_000))
                switch answer {
                case .success(let body):
                    violations += body.violations.count
                    for violation in body.violations where json { print(ViolationLine(violation).json) }
                    report(
                        pending.line, pending.order,
                        body.violations.map { ViolationLine($0).type }.joined(separator: ","))
                case .failure(.remote(let error)):
                    bad += 1
                    if json { print(DecisionLine(row: pending.line, ref: pending.order, error: error).json) }
                    report(pending.line, pending.order, "\(error.code.name) \(error.field): \(error.message)")
                case .failure(let failure):
                    throw failure
                }
            }
            if !json { print("\(records.count) rows: \(violations) violations, \(bad) refused") }
            let seconds = ImportCommand.seconds(start.duration(to: clock.now))
            FileHandle.standardError.write(
                Data(
                    ("booking import: \(records.count) rows in \(String(format: "%.2f", seconds)) s, "
                        + "\(Int(Double(records.count) / max(seconds, 0.000_001))) rows/s, \(violations) violations, "
                        + "\(bad) refused; latency p50 \(ImportCommand.milliseconds(latency.valueAtPercentile(50))) ms, "
                        + "p99 \(ImportCommand.milliseconds(latency.valueAtPercentile(99))) ms, "
                        + "max \(ImportCommand.milliseconds(latency.maxRecorded)) ms\n").utf8))
        }

        /// The wire booking of a row; the service validates it and names the field at fault.
        static func booking(_ values: [String: String]) throws -> Dealreg_V1_Booking {
            var booking = Dealreg_V1_Booking()
            booking.orderID = values["order_id"] ?? ""
            booking.customer =
                Customer(
                    legalName: values["customer_name"] ?? "", street: values["street"] ?? "",
                    city: values["city"] ?? "",
                    postalCode: values["postal_code"] ?? "", country: (values["country"] ?? "").uppercased(),
                    webDomain: values["web_domain"] ?? "", taxID: values["tax_id"] ?? ""
                ).wire
            booking.productLines = (values["product_lines"] ?? "").split(separator: ";").map(String.init)
            let currency = (values["currency"] ?? "").uppercased()
            if let money = Money(decimal: values["amount"] ?? "", currency: currency) { booking.amount = money.wire }
            booking.bookedBy = values["booked_by"] ?? ""
            if let day = CalendarDate(iso: values["booked_on"] ?? "") { booking.bookedOn = day.wire }
            booking.claimedRegistrationID = values["claimed_registration_id"] ?? ""
            return booking
        }
    }

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
                let reply = try data.connectEnforcement(as: principal, context: try Context()).recordBooking(
                    booking.wire)
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
                let enforcement = try data.connectEnforcement(as: principal, context: try Context())
                var after = ""
                repeat {
                    let reply = try enforcement.listViolations(
                        .with {
                            $0.party = party
                            $0.afterID = after
                            $0.limit = 1000
                        })
                    for violation in reply.violations {
                        print(json ? ViolationLine(violation).json : ViolationLine(violation).text)
                    }
                    after = reply.nextAfterID
                } while !after.isEmpty
            }
        }
    }
}

/// `dealreg case list|show|confirm|dismiss|appeal|uphold|overturn`.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Show a case or take a step of due process on it.",
        subcommands: [
            List.self, Show.self, Confirm.self, Dismiss.self, Appeal.self, Uphold.self, Overturn.self,
        ], defaultSubcommand: Show.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cases in detection order: all for officers, channel managers and admins, your own otherwise.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal asking.") var principal: String
        @Option(help: "Only this party's (officers and admins).") var party = ""
        @Option(help: "Only cases in this state: open, confirmed, dismissed, appealed, upheld or overturned.")
        var state = ""
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            let wanted = Dealreg_V1_CaseState.allCases.first { CaseCommand.name($0) == state.uppercased() }
            guard state.isEmpty || wanted != nil else {
                throw ValidationError("--state must be open, confirmed, dismissed, appealed, upheld or overturned.")
            }
            try withServiceErrors(json: json) {
                let enforcement = try data.connectEnforcement(as: principal, context: try Context())
                var after = ""
                repeat {
                    let reply = try enforcement.listCases(
                        .with {
                            $0.party = party
                            $0.state = wanted ?? .unspecified
                            $0.afterID = after
                            $0.limit = 1000
                        })
                    for record in reply.cases { CaseLine(record).print(json: json, detailed: false) }
                    after = reply.nextAfterID
                } while !after.isEmpty
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a case (officers, or the accused party).")
        @Argument(help: "Case id (the violation's id, e.g. V-00000001).") var id: String
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal asking.") var principal: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws { try CaseCommand.send(data, principal, id, .unspecified, "", json: json) }
    }

    /// The options every step of due process takes.
    struct StepOptions: ParsableArguments {
        @Argument(help: "Case id (the violation's id).") var id: String
        @Option(help: "Why (kept in the case).") var reason: String
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal acting.") var principal: String
        @Flag(help: "Print JSON.") var json = false

        func send(_ action: Dealreg_V1_CaseAction) throws {
            try CaseCommand.send(data, principal, id, action, reason, json: json)
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Confirm an open case (an officer); it is sanctioned.")
        @OptionGroup var step: StepOptions
        func run() throws { try step.send(.confirm) }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dismiss an open case (an officer).")
        @OptionGroup var step: StepOptions
        func run() throws { try step.send(.dismiss) }
    }

    struct Appeal: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Appeal a confirmed case, once (the accused party).")
        @OptionGroup var step: StepOptions
        func run() throws { try step.send(.appeal) }
    }

    struct Uphold: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Uphold an appealed case (an officer).")
        @OptionGroup var step: StepOptions
        func run() throws { try step.send(.uphold) }
    }

    struct Overturn: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Overturn an appealed case (an officer); its sanction is lifted.")
        @OptionGroup var step: StepOptions
        func run() throws { try step.send(.overturn) }
    }

    static let actions: [String: Dealreg_V1_CaseAction] = [
        "confirm": .confirm, "dismiss": .dismiss, "appeal": .appeal, "uphold": .uphold, "overturn": .overturn,
    ]

    static func send(
        _ data: DataOptions, _ principal: String, _ id: String, _ action: Dealreg_V1_CaseAction, _ reason: String,
        json: Bool
    ) throws {
        try withServiceErrors(json: json) {
            let reply = try data.connectEnforcement(as: principal, context: try Context()).caseStep(
                .with {
                    $0.caseID = id
                    $0.action = action
                    $0.reason = reason
                })
            CaseLine(reply.record).print(json: json, detailed: true)
        }
    }

    static func name(_ state: Dealreg_V1_CaseState) -> String {
        String(describing: state).uppercased()
    }

    static func name(_ action: Dealreg_V1_CaseAction) -> String {
        actions.first { $0.value == action }?.key ?? "show"
    }
}

/// `dealreg sanctions list|lift`.
struct SanctionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanctions", abstract: "List sanctions or lift one.", subcommands: [List.self, Lift.self])

    struct Line: Codable {
        var sanction_id: String
        var party: String
        var level: String
        var case_id: String
        var active: Bool
        var registry_applied: Bool
        var reason: String

        init(_ wire: Dealreg_V1_Sanction) {
            sanction_id = wire.id
            party = wire.party
            level = Self.name(wire.level)
            case_id = wire.caseID
            active = wire.active
            registry_applied = wire.registryApplied
            reason = wire.reason
        }

        static func name(_ level: Dealreg_V1_SanctionLevel) -> String {
            switch level {
            case .warning: "WARNING"
            case .benefitsLost: "BENEFITS_LOST"
            case .suspension: "SUSPENSION"
            case .expulsion: "EXPULSION"
            case .commissionWithheld: "COMMISSION_WITHHELD"
            case .terminationReview: "TERMINATION_REVIEW"
            default: "UNSPECIFIED"
            }
        }

        func print(json: Bool) {
            Swift.print(
                json
                    ? jsonText(self)
                    : "\(sanction_id)  \(party)  \(level)  case \(case_id)  \(active ? "active" : "lifted")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sanctions: all for officers, your own otherwise.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The principal asking.") var principal: String
        @Option(help: "Only this party's (officers).") var party = ""
        @Flag(help: "Print JSON lines.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try data.connectEnforcement(as: principal, context: try Context()).listSanctions(
                    .with { $0.party = party })
                for sanction in reply.sanctions { Line(sanction).print(json: json) }
            }
        }
    }

    struct Lift: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift a sanction (an officer); a lifted suspension or expulsion is lifted at the registry too.")
        @Argument(help: "Sanction id.") var id: String
        @Option(help: "Why.") var reason: String
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "The officer acting.") var principal: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try data.connectEnforcement(as: principal, context: try Context()).liftSanction(
                    .with {
                        $0.sanctionID = id
                        $0.reason = reason
                    })
                Line(reply.sanction).print(json: json)
            }
        }
    }
}

/// `dealreg escalations list`: reviews the vendor did not decide in time.
struct EscalationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalations", abstract: "Reviews not decided by their due date.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Escalated reviews, oldest first.")
        @OptionGroup var data: DataOptions
        @Option(name: .customLong("as"), help: "An officer, channel manager or admin.") var principal: String
        @Flag(help: "Print JSON lines.") var json = false

        struct Line: Codable {
            var registration_id: String
            var registrant: String
            var review_due: String
            var escalated_at: String
        }

        func run() throws {
            try withServiceErrors(json: json) {
                let reply = try data.connectEnforcement(as: principal, context: try Context()).listEscalations()
                for escalation in reply.escalations {
                    let line = Line(
                        registration_id: escalation.registrationID, registrant: escalation.registrant,
                        review_due: CalendarDate(wire: escalation.reviewDue)?.description ?? "",
                        escalated_at: Date(timeIntervalSince1970: TimeInterval(escalation.escalatedAt)).ISO8601Format())
                    print(
                        json
                            ? jsonText(line)
                            : "\(line.registration_id)  registrant \(line.registrant)  review due \(line.review_due)  "
                                + "escalated \(line.escalated_at)")
                }
            }
        }
    }
}
