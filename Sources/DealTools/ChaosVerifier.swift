import DealBus
import DealCLI
import DealModel
import DealStore
import DealWire
import Foundation

/// What a chaos run counted, and each guarantee it found broken.
struct ChaosReport: Codable {
    /// Each count is a guarantee broken that many times; all zero is a pass.
    struct Invariants: Codable {
        /// Requests never answered, though resent until the deadline.
        var unacknowledged = 0
        /// A request answered twice with different decisions.
        var inconsistentAnswers = 0
        /// An acknowledged decision missing from the registry, or stored differently than it was answered.
        var lostOrChanged = 0
        /// A registration stored that no acknowledged request made, or that two requests made.
        var doubled = 0
        /// A customer held (approved or in review) by two registrations at once.
        var overlappingProtections = 0
        /// An account with two active exclusive protections on overlapping product lines, as stored.
        var overlappingAccountProtections = 0
        /// A stored registration without its account.
        var withoutAccount = 0
        /// Events missing from the registry's log (its sequence numbers must run 1, 2, ... without a hole).
        var eventGaps = 0
        /// An acknowledged booking missing from enforcement.
        var bookingsLost = 0
        /// A violation recorded more than once for the same booking, registration and type.
        var violationsDoubled = 0
        /// A bypass or poaching booking for which no violation of its type was recorded.
        var violationsMissed = 0
        /// A ledger whose audit did not verify.
        var ledgersBroken = 0
        /// Enforcement's cursor short of the registry's last event after the cluster stopped.
        var enforcementBehind = 0

        var total: Int {
            unacknowledged + inconsistentAnswers + lostOrChanged + doubled + overlappingProtections
                + overlappingAccountProtections + withoutAccount + eventGaps
                + bookingsLost + violationsDoubled + violationsMissed + ledgersBroken + enforcementBehind
        }
    }

    var seconds = 0.0
    var registrations = RetryingSender.Counts()
    var bookings = RetryingSender.Counts()
    var killsTotal = 0
    var kills: [String: Int] = [:]
    /// From each kill or freeze of the active registry to the first registration decided after it.
    struct Failovers: Codable {
        var count: Int
        var p50Seconds: Double
        var maxSeconds: Double
    }
    var failovers: Failovers?
    var outcomes: [String: Int] = [:]
    var retryRefusals: [String: Int] = [:]
    var unexpectedErrors: [String: Int] = [:]
    var stored: [String: Int] = [:]
    var violations: [String: Int] = [:]
    var ledgerEntries: [String: Int] = [:]
    var invariants = Invariants()
    /// The first few breaches, in words.
    var examples: [String] = []
    /// Guarantees broken and unexpected errors, all told: the run passes at zero.
    var breaches = 0

    mutating func tally() { breaches = invariants.total + unexpectedErrors.values.reduce(0, +) }

    mutating func breach(_ example: String) {
        if examples.count < 10 { examples.append(example) }
    }
}

extension ChaosReport: CustomStringConvertible {
    var description: String {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty
                ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        func sent(_ counts: RetryingSender.Counts) -> String {
            "\(counts.sent) sent (\(counts.timeouts) resent after a timeout, \(counts.refusals) after a refusal), "
                + "\(counts.repeatedAnswers) repeated answers, \(counts.refusedHandshakes) refused handshakes"
        }
        let checks: [(String, Int)] = [
            ("acknowledged but never answered", invariants.unacknowledged),
            ("answered twice, differently", invariants.inconsistentAnswers),
            ("acknowledged decision lost or changed", invariants.lostOrChanged),
            ("registration stored twice or unacknowledged", invariants.doubled),
            ("customer with two protections", invariants.overlappingProtections),
            ("account with two protections of one line", invariants.overlappingAccountProtections),
            ("registration without an account", invariants.withoutAccount),
            ("gaps in the event log", invariants.eventGaps),
            ("acknowledged booking lost", invariants.bookingsLost),
            ("violation recorded twice", invariants.violationsDoubled),
            ("violation not detected", invariants.violationsMissed),
            ("ledger not verifying", invariants.ledgersBroken),
            ("enforcement behind the registry", invariants.enforcementBehind),
            ("unexpected errors", unexpectedErrors.values.reduce(0, +)),
        ]
        return """
            chaos        \(String(format: "%.1f", seconds)) s, \(killsTotal) kills (\(list(kills)))
            failover     \(failovers.map { "\($0.count) strikes of the active registry: to the next decision p50 " + String(format: "%.2f s, max %.2f s", $0.p50Seconds, $0.maxSeconds) } ?? "no registry struck")
            registrations \(sent(registrations))
            outcomes     \(list(outcomes))
            bookings     \(sent(bookings))
            refusals     \(list(retryRefusals)) (retried)
            stored       \(list(stored))
            violations   \(list(violations))
            ledgers      \(list(ledgerEntries)) entries
            """ + "\n" + checks.map { "  \($0.1 == 0 ? "ok  " : "FAIL") \($0.1) \($0.0)" }.joined(separator: "\n")
                + (examples.isEmpty ? "" : "\n" + examples.map { "  - \($0)" }.joined(separator: "\n"))
                + "\n" + (breaches == 0 ? "chaos: every guarantee held" : "chaos: \(breaches) breaches")
    }
}

/// Checks a chaos cluster's stores against what the run acknowledged: on SQLite the copies the services made and sent
/// over the bus once the run was over (the Backup RPC), never a service's own file; on PostgreSQL the services'
/// schemas, read once the cluster stopped. Not thread-safe.
struct ChaosVerifier {
    let registry: any SQLDatabase
    let enforcement: any SQLDatabase

    /// Downloads both services' copies into `copies` (a new folder): the registry's first, then enforcement's,
    /// whose cursor then cannot be behind a log it had caught up with.
    static func download(
        registry: some ServiceClient, enforcement: some ServiceClient, into copies: URL
    ) throws -> ChaosVerifier {
        try FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
        try BackupDownload.download(from: registry, to: copies.appendingPathComponent("registry.sqlite"))
        try BackupDownload.download(from: enforcement, to: copies.appendingPathComponent("enforcement.sqlite"))
        return ChaosVerifier(
            registry: try StoreDatabases.open(
                .sqlite(copies.appendingPathComponent("registry.sqlite")), schema: "registry",
                migrations: StoreMigrations(sqlite: [], postgres: []), mustExist: true, applicationName: "chaos"),
            enforcement: try StoreDatabases.open(
                .sqlite(copies.appendingPathComponent("enforcement.sqlite")), schema: "enforcement",
                migrations: StoreMigrations(sqlite: [], postgres: []), mustExist: true, applicationName: "chaos"))
    }

    /// The services' schemas in the PostgreSQL database at `location`, read once the cluster stopped.
    static func reading(_ location: PostgresLocation) throws -> ChaosVerifier {
        ChaosVerifier(
            registry: try PostgresDatabase(location, schema: "registry", applicationName: "dealreg chaos"),
            enforcement: try PostgresDatabase(location, schema: "enforcement", applicationName: "dealreg chaos"))
    }

    func check(plan: ChaosPlan, registered: [Decision?], booked: [ChaosBooking], into report: inout ChaosReport)
        throws
    {
        let lastSeq = try registry.snapshot { db in
            try checkRegistry(db, plan: plan, registered: registered, &report)
        }
        try enforcement.snapshot { db in
            try checkEnforcement(db, plan: plan, registered: registered, booked: booked, lastSeq: lastSeq, &report)
        }
    }

    /// Acknowledged decisions stored once and as answered, no doubled registration, one holder per customer, and
    /// an event log without holes. Returns the last event's sequence number.
    private func checkRegistry(
        _ db: any SQLConnection, plan: ChaosPlan, registered: [Decision?], _ report: inout ChaosReport
    )
        throws -> Int64
    {
        var stored: [String: (registrant: String, status: String, registration: Registration?)] = [:]
        for row in try db.fetchAll("SELECT id, registrant, status, body FROM registrations") {
            stored[row["id"]] = (row["registrant"], row["status"], Registration(serialized: row["body"]))
        }
        var replies: [String: Decision] = [:]
        for row in try db.fetchAll("SELECT request_id, reply FROM requests WHERE request_id LIKE 'chaos-%'") {
            if let envelope = try? WireEnvelope(serializedBytes: row["reply"] as [UInt8]),
                let body = try? RegistryClient.Method.registerDeal.decode(envelope),
                let decision = Decision(wire: body.decision)
            {
                replies[row["request_id"]] = decision
            }
        }
        report.stored["registrations"] = stored.count
        report.stored["events"] = try db.fetchValue("SELECT count(*) FROM events") ?? 0

        var claimedBy: [String: Int] = [:]
        var holders: [Int: [(id: String, product: String)]] = [:]
        for (index, decision) in registered.enumerated() {
            guard let decision else { continue }
            let planned = plan.registrations[index]
            let id = decision.registrationID.rawValue
            let partner = "chaos-\(planned.partner + 1)"
            if let reply = replies[planned.requestID],
                reply.outcome != decision.outcome
                    || reply.registrationID != decision.registrationID
            {
                report.invariants.lostOrChanged += 1
                report.breach("\(planned.requestID): answered \(decision.outcome) \(id), remembered \(reply.outcome)")
            } else if replies[planned.requestID] == nil {
                report.invariants.lostOrChanged += 1
                report.breach("\(planned.requestID): answered \(decision.outcome) \(id), no stored answer")
            }
            guard let row = stored[id] else {
                report.invariants.lostOrChanged += 1
                report.breach("\(planned.requestID): answered \(decision.outcome) \(id), which is not stored")
                continue
            }
            if decision.outcome == .duplicate { continue }  // It names the partner's own earlier registration.
            claimedBy[id, default: 0] += 1
            if row.registrant != partner || row.registration?.decision.outcome != decision.outcome {
                report.invariants.lostOrChanged += 1
                report.breach(
                    "\(id): answered \(decision.outcome) to \(partner), stored \(row.status) for \(row.registrant)")
            }
            if row.status == RegistrationStatus.approved.rawValue
                || row.status == RegistrationStatus.pendingReview.rawValue
            {
                holders[planned.customer, default: []].append((id, planned.product))
            }
        }
        for (id, row) in stored where row.registrant.hasPrefix("chaos-") && claimedBy[id] != 1 {
            report.invariants.doubled += 1
            report.breach("\(id) of \(row.registrant) stored, claimed by \(claimedBy[id] ?? 0) acknowledged requests")
        }
        // One winner per customer and product line: two holders of one customer whose lines overlap in the
        // catalog's hierarchy (a big account has many holders, each on its own lines).
        let catalog = ProductCatalog.standard
        for (customer, held) in holders where held.count > 1 {
            for (first, a) in held.enumerated() {
                for b in held.dropFirst(first + 1) where catalog.overlaps(a.product, b.product) {
                    report.invariants.overlappingProtections += 1
                    report.breach(
                        "customer \(plan.customers[customer].legalName) held by \(a.id) (\(a.product)) and \(b.id) "
                            + "(\(b.product))")
                }
            }
        }
        // One winner per account and product line, as the registry stored them: every stored registration names
        // its account, and no two active exclusive protections of one account overlap.
        var byAccount: [AccountID: [Registration]] = [:]
        for (id, row) in stored {
            guard let registration = row.registration, let account = registration.account else {
                report.invariants.withoutAccount += 1
                report.breach("\(id) stored without an account")
                continue
            }
            if registration.holdsExclusiveProtection { byAccount[account, default: []].append(registration) }
        }
        report.stored["accounts"] = try db.fetchValue("SELECT count(*) FROM accounts") ?? 0
        for (account, held) in byAccount where held.count > 1 {
            for (a, b) in AccountProtections(held).overlaps(in: catalog) {
                report.invariants.overlappingAccountProtections += 1
                report.breach(
                    "account \(account) protected by \(a.registration.id) (\(a.productLine)) and "
                        + "\(b.registration.id) (\(b.productLine))")
            }
        }
        let events = try db.fetchOne(
            "SELECT count(*) AS n, coalesce(min(seq), 1) AS low, coalesce(max(seq), 0) AS high FROM events")!
        let (count, low, high): (Int64, Int64, Int64) = (events["n"], events["low"], events["high"])
        if low != 1 || count != high {
            report.invariants.eventGaps += Int(max(1, high - count))
            report.breach("events: \(count) stored, numbered \(low) to \(high)")
        }
        return high
    }

    /// Acknowledged bookings stored, each violation once, each bypass and poaching detected, the cursor at the end.
    private func checkEnforcement(
        _ db: any SQLConnection, plan: ChaosPlan, registered: [Decision?], booked: [ChaosBooking], lastSeq: Int64,
        _ report: inout ChaosReport
    ) throws {
        let orders = Set(try db.fetchColumn("SELECT order_id FROM bookings") as [String])
        report.stored["bookings"] = orders.count
        var found: [String: Set<String>] = [:]
        var recorded: [String: Int] = [:]
        for row in try db.fetchAll("SELECT order_id, registration_id, type FROM violations") {
            let (order, registration, type): (String, String, String) = (row[0], row[1], row[2])
            found[order, default: []].insert(type)
            recorded["\(order) \(registration) \(type)", default: 0] += 1
            report.violations[type, default: 0] += 1
        }
        for (key, count) in recorded where count > 1 {
            report.invariants.violationsDoubled += count - 1
            report.breach("violation \(key) recorded \(count) times")
        }
        for booking in booked where booking.acknowledged {
            if !orders.contains(booking.orderID) {
                report.invariants.bookingsLost += 1
                report.breach("booking \(booking.orderID) acknowledged, not stored")
            }
            if let expected = booking.expected, found[booking.orderID]?.contains(expected.rawValue) != true {
                report.invariants.violationsMissed += 1
                let held = registered[booking.registration].map { " of \($0.registrationID.rawValue)" } ?? ""
                report.breach(
                    "booking \(booking.orderID)\(held) by \(booking.booking.bookedBy): no \(expected.rawValue)")
            }
        }
        let cursor: Int64 = try db.fetchValue("SELECT seq FROM cursor WHERE id = 1") ?? 0
        if cursor != lastSeq {
            report.invariants.enforcementBehind += 1
            report.breach("enforcement's cursor at \(cursor), the registry's log at \(lastSeq)")
        }
    }

    /// Deletes the first acknowledged registration and the event in the middle of the log, so the checks have
    /// something to find (the test that they can fail).
    func tamper(registered: [Decision?]) throws {
        guard let victim = registered.lazy.compactMap({ $0 }).first(where: { $0.outcome != .duplicate }) else { return }
        _ = try registry.write { db in
            try db.execute("DELETE FROM registrations WHERE id = ?", .text(victim.registrationID.rawValue))
            try db.execute("DELETE FROM events WHERE seq = (SELECT max(seq) / 2 FROM events)")
        }
    }

}
