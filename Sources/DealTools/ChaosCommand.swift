import ArgumentParser
import DealBench
import DealBus
import DealCLI
import DealModel
import DealStore
import DealWire
import Foundation
import ZeroMQ

/// `dealreg chaos`: registrations and bookings against a local cluster while its services are killed and restarted,
/// then the guarantees checked in the stores.
struct ChaosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos",
        abstract: "Register and book while killing services at random; then verify that nothing was lost or doubled.",
        discussion: """
            Starts a fresh local cluster (dealreg up, limits lifted), adds partners, a direct seller, a rival partner
            and an ERP service, and registers --registrations opportunities (a share of them the same customers
            again, from other partners; 5 % of them big accounts, one customer per 2,000 registrations registered
            about a hundred times by many partners over every catalog line) with --concurrency in flight. Then it
            books --bookings orders on approved
            registrations: half by their holder, a quarter by the direct seller (a bypass), a quarter by the rival
            (poaching). Meanwhile it kills (SIGKILL) the registry, a check worker or enforcement --kills times,
            spread evenly over the work; the supervisor restarts them. Clients resend an unanswered request with the
            same request_id. At the end the services send copies of their databases over the bus (Backup), the
            cluster stops, and the copies are checked: every acknowledged decision is stored once, as acknowledged; no
            customer has two protections on overlapping product lines; the event log has no gap;
            every booking is stored and each violation recorded once; both ledgers verify. Exits 1 when any of
            these is broken.
            """)

    @Option(help: "Registrations to make.") var registrations = 20_000
    @Option(help: "Kills (SIGKILL) to deal over the run.") var kills = 20
    @Option(help: "Bookings to record after the registrations (default: a tenth of them).") var bookings: Int?
    @Option(help: "Partners that register.") var partners = 8
    @Option(help: "Requests in flight.") var concurrency = 64
    @Option(help: "Check workers.") var workers = 2
    @Option(help: "Share of registrations for a customer registered before (by the same or another partner).")
    var conflictRatio = 0.3
    @Option(help: "Seconds without an answer before a request is sent again.") var retryAfter = 3.0
    @Option(help: "Seconds the whole run may take before it gives up.") var deadline = 1800.0
    @Option(help: "Seed of the data and of the choice of victims.") var seed: UInt64 = 20_261_130
    @Option(help: "Keep the cluster's data here, a new folder (default: a temporary one, removed when the run passes).")
    var data: String?
    @Option(
        help: ArgumentHelp(
            "The cluster's store: postgres://USER[:PASSWORD]@HOST[:PORT]/DB, a database of its own (the run's schemas "
                + "must be empty); default: SQLite files. The password also from DEALREG_STORE_PASSWORD.",
            valueName: "url"))
    var store: String?
    @Option(help: "Registry processes on a PostgreSQL store; kills then strike the active one.") var registries = 1
    @Option(
        help: ArgumentHelp(
            "What the kills strike, comma-separated: registry, worker, enforcement, freeze (the active registry "
                + "stopped with SIGSTOP for --freeze-seconds), postgres (--postgres-restart run). Default: "
                + "registry, worker, enforcement, and freeze with several registries, postgres with its command.",
            valueName: "kinds"))
    var victims: String?
    @Option(help: "Seconds a frozen registry stays frozen (then SIGCONT: it must step down).") var freezeSeconds = 4.0
    @Option(
        help: ArgumentHelp(
            "A shell command that restarts the PostgreSQL server (e.g. `scripts/postgres.sh restart DIR`).",
            valueName: "command"))
    var postgresRestart: String?
    @Flag(help: "Print the report as one JSON object.") var json = false
    @Flag(
        help: ArgumentHelp(
            "Before the checks, delete an acknowledged registration and an event from the registry (tests).",
            visibility: .hidden))
    var tamper = false

    func validate() throws {
        guard (1...10_000_000).contains(registrations) else { throw ValidationError("--registrations: 1 to 10M.") }
        guard kills >= 0 else { throw ValidationError("--kills must be 0 or more.") }
        guard (1...256).contains(partners) else { throw ValidationError("--partners must be 1 to 256.") }
        guard (1...4096).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 4096.") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be 1 to 64.") }
        guard (0...1).contains(conflictRatio) else { throw ValidationError("--conflict-ratio must be 0 to 1.") }
        guard retryAfter > 0, deadline > 0 else { throw ValidationError("--retry-after and --deadline: above 0.") }
        if let bookings, bookings < 0 { throw ValidationError("--bookings must be 0 or more.") }
        guard (1...16).contains(registries) else { throw ValidationError("--registries must be 1 to 16.") }
        if registries > 1, !(store ?? "").hasPrefix("postgres") {
            throw ValidationError("--registries \(registries) needs --store postgres://…")
        }
        for kind in victimKinds where !ChaosMonkey.Kind.allCases.map(\.rawValue).contains(kind.rawValue) {
            throw ValidationError("--victims: unknown \(kind)")
        }
        if victimKinds.contains(.postgres) && postgresRestart == nil {
            throw ValidationError("--victims postgres needs --postgres-restart COMMAND.")
        }
        if let data, !((try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []).isEmpty {
            throw ValidationError("--data must name a new or empty folder: the run starts a fresh cluster there.")
        }
    }

    /// What the kills strike.
    var victimKinds: [ChaosMonkey.Kind] {
        guard let victims else {
            return [.registry, .worker, .enforcement] + (registries > 1 ? [.freeze] : [])
                + (postgresRestart != nil ? [.postgres] : [])
        }
        return Endpoints.list(victims).map { ChaosMonkey.Kind(rawValue: $0) ?? .unknown }
    }

    /// `--store` parsed, its password filled from the environment; nil for SQLite.
    var storeLocation: PostgresLocation? {
        get throws {
            guard let store else { return nil }
            guard case .postgres(let location) = try StoreLocation(parsing: store) else {
                throw ValidationError("--store takes a postgres:// URL (SQLite is the default).")
            }
            return try location.fillingPassword(from: nil)
        }
    }

    func run() throws {
        let directory =
            data.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-chaos-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let policy = directory.appendingPathComponent("chaos-policy.json")
            // The run measures crash consistency, not the per-principal rate limit.
            try Data(#"{"version": "chaos", "limits": {"requests_per_second": 1000000, "burst": 1000000}}"#.utf8)
                .write(to: policy)
            let cluster = try ChildCluster(
                directory: directory, workers: workers,
                arguments: ["--policy", policy.path, "--registries", String(registries)]
                    + (try storeLocation.map { ["--store", $0.withoutPassword.description] } ?? []),
                environment: try storeLocation?.password.map { ["DEALREG_STORE_PASSWORD": $0] } ?? [:])
            var run = ChaosRun(
                cluster: cluster, settings: self,
                log: { line in if !json { FileHandle.standardError.write(Data((line + "\n").utf8)) } })
            let report = try run.play()
            if json {
                print(jsonText(report))
            } else {
                print(report)
            }
            if report.breaches == 0 && data == nil { try? FileManager.default.removeItem(at: directory) }
            if report.breaches > 0 {
                FileHandle.standardError.write(Data("chaos: the cluster's data is kept in \(directory.path)\n".utf8))
                throw ExitCode(1)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("chaos: the cluster's data is kept in \(directory.path)\n".utf8))
            exitWithError(error)
        }
    }
}

/// One chaos run: the parties, the load with its kills, the settling, the audits and the checks of the stores.
struct ChaosRun {
    let cluster: ChildCluster
    let settings: ChaosCommand
    let log: (String) -> Void
    private var random: SeededGenerator
    private var monkey: ChaosMonkey
    private let runID: String
    private let today = CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    private let products = ["storage", "servers", "networking", "laptops", "security", "services"]
    /// What big accounts are registered for: every line of the default catalog, overlapping ones included.
    private let accountLines = ProductCatalog.standard.lines.map(\.id)
    /// The share of registrations that go to a big account (one customer registered dozens of times, by many
    /// partners for many product lines), where the one-winner rule is hardest to keep.
    private let bigAccountShare = 0.05
    private let amount = Money(minorUnits: 5_000_000, currency: "EUR")
    /// Kills dealt once this much work (registrations, then bookings) is answered: evenly over the whole run.
    private var killAt: [Int] = []
    private var report = ChaosReport()

    init(cluster: ChildCluster, settings: ChaosCommand, log: @escaping (String) -> Void) {
        self.cluster = cluster
        self.settings = settings
        self.log = log
        random = SeededGenerator(seed: settings.seed)
        monkey = ChaosMonkey(
            supervisor: cluster.supervisorPID, kinds: settings.victimKinds,
            freeze: .milliseconds(Int(settings.freezeSeconds * 1000)), postgresRestart: settings.postgresRestart)
        runID = String(settings.seed, radix: 36)
    }

    var partnerIDs: [String] { (1...settings.partners).map { "chaos-\($0)" } }

    mutating func play() throws -> ChaosReport {
        let start = ContinuousClock.now
        let deadline = start.advanced(by: .seconds(settings.deadline))
        try addParties()
        let bookingCount = settings.bookings ?? settings.registrations / 10
        let work = settings.registrations + bookingCount
        // Evenly spread, each moved at random within a third of the gap to its neighbours.
        let gap = work / (settings.kills + 1)
        killAt = (0..<settings.kills).map { index in
            work * (index + 1) / (settings.kills + 1) + Int.random(in: -gap / 3...gap / 3, using: &random)
        }

        let plan = planRegistrations()
        let registered = try register(plan, deadline: deadline)
        try awaitEnforcementCaughtUp(deadline: deadline)
        let booked = try book(plan: plan, registered: registered, count: bookingCount, deadline: deadline)
        // The remaining kills (when the work ran out first) are not dealt: the run must end on a quiet cluster.
        report.kills = monkey.kills
        report.killsTotal = monkey.total
        try awaitEnforcementCaughtUp(deadline: deadline)
        try audit()
        report.seconds = Figures.seconds(start.duration(to: .now))
        report.failovers = monkey.failovers.summary
        let verifier: ChaosVerifier
        if let location = try settings.storeLocation {
            log("chaos: stopping the cluster, checking its PostgreSQL schemas")
            cluster.stop()
            verifier = try ChaosVerifier.reading(location)
        } else {
            log("chaos: copying both databases over the bus, stopping the cluster, checking the copies")
            verifier = try ChaosVerifier.download(
                registry: cluster.registry(as: "admin"), enforcement: cluster.enforcement(as: "admin"),
                into: cluster.directory.appendingPathComponent("copies-\(UUID().uuidString)"))
            cluster.stop()
        }
        if settings.tamper { try verifier.tamper(registered: registered) }
        try verifier.check(plan: plan, registered: registered, booked: booked, into: &report)
        report.tally()
        return report
    }

    /// The registering partners, a direct seller, a rival partner that registers nothing (so its poaching
    /// sanctions never touch a holder), and the ERP that books.
    private func addParties() throws {
        let admin = try cluster.registry(as: "admin")
        let parties =
            partnerIDs.map { ($0, PartyKind.partner) } + [
                ("chaos-seller", .seller), ("chaos-rival", .partner), ("chaos-erp", .service),
            ]
        for (id, kind) in parties {
            let keyPair = try CurveKeyPair.generate()
            _ = try admin.addParty(
                Party(id: PartyID(id), kind: kind, name: "Chaos \(id)", publicKey: keyPair.publicKey.z85).wire)
            try cluster.options.keystore.save(Identity(id: PartyID(id), kind: kind, keyPair: keyPair))
        }
    }

    /// Every registration of the run: which customer, for which product line, by which partner.
    private mutating func planRegistrations() -> ChaosPlan {
        var generator = SyntheticCustomers(seed: settings.seed)
        var plan = ChaosPlan()
        // About a hundred registrations per big account, over every line of the catalog.
        let bigAccounts = (0..<max(2, settings.registrations / 2000)).map { _ in
            plan.customers.append(generator.customer())
            plan.products.append(products[0])
            return plan.customers.count - 1
        }
        for index in 0..<settings.registrations {
            let customer: Int
            var product: String?
            if Double.random(in: 0..<1, using: &random) < bigAccountShare {
                customer = bigAccounts[Int.random(in: 0..<bigAccounts.count, using: &random)]
                product = accountLines[Int.random(in: 0..<accountLines.count, using: &random)]
            } else if plan.customers.count > bigAccounts.count
                && Double.random(in: 0..<1, using: &random) < settings.conflictRatio
            {
                customer = Int.random(in: bigAccounts.count..<plan.customers.count, using: &random)
            } else {
                customer = plan.customers.count
                plan.customers.append(generator.customer())
                plan.products.append(products[Int.random(in: 0..<products.count, using: &random)])
            }
            plan.registrations.append(
                .init(
                    requestID: "chaos-\(runID)-r\(index)", customer: customer,
                    partner: Int.random(in: 0..<settings.partners, using: &random),
                    product: product ?? plan.products[customer]))
        }
        return plan
    }

    /// Sends the registrations; the acknowledged decision of each, by its index in the plan.
    private mutating func register(_ plan: ChaosPlan, deadline: ContinuousClock.Instant) throws -> [Decision?] {
        let clients = try partnerIDs.map { try cluster.registry(as: $0).bus }
        let method = RegistryClient.Method.registerDeal
        let closeDay = today.adding(days: 120)
        let jobs = plan.registrations.map { planned in
            var request = Dealreg_V1_RegisterDealRequest()
            request.customer = plan.customers[planned.customer].wire
            request.productLines = [planned.product]
            request.amount = amount.wire
            request.expectedClose = closeDay.wire
            return RetryingSender.Job(
                requestID: planned.requestID, client: planned.partner, body: method.body(request))
        }
        var decisions = [Decision?](repeating: nil, count: jobs.count)
        let failovers = monkey.failovers
        var report = self.report
        let sender = RetryingSender(
            clients: clients, window: settings.concurrency, timeout: .seconds(settings.retryAfter))
        log(
            "chaos: \(jobs.count) registrations, \(settings.concurrency) in flight, \(settings.kills) kills over the run"
        )
        let unanswered = try sender.run(
            jobs, until: deadline,
            answer: { job, reply, again in
                switch method.result(reply) {
                case .success(let body):
                    guard let decision = Decision(wire: body.decision) else {
                        report.unexpectedErrors["UNREADABLE_DECISION", default: 0] += 1
                        return .failed
                    }
                    if again {
                        if let first = decisions[job],
                            first.outcome != decision.outcome || first.registrationID != decision.registrationID
                        {
                            report.invariants.inconsistentAnswers += 1
                            report.examples.append("\(jobs[job].requestID) answered \(first) then \(decision)")
                        }
                        return .done
                    }
                    decisions[job] = decision
                    report.outcomes[decision.outcome.rawValue, default: 0] += 1
                    failovers.decided()
                    return .done
                case .failure(let failure):
                    return report.refusal(failure, again: again)
                }
            }, progress: { answered in strikeIfDue(progress: answered) })
        self.report = report
        self.report.registrations = sender.counts
        self.report.invariants.unacknowledged += unanswered.count
        log("chaos: registrations answered; \(monkey.total) kills so far")
        return decisions
    }

    /// Books orders on approved registrations: by the holder, by the direct seller, by the rival partner.
    private mutating func book(plan: ChaosPlan, registered: [Decision?], count: Int, deadline: ContinuousClock.Instant)
        throws -> [ChaosBooking]
    {
        var approved = registered.indices.filter { registered[$0]?.outcome == .approved }
        approved.shuffle(using: &random)
        let bookings = approved.prefix(count).enumerated().map { number, index in
            let planned = plan.registrations[index]
            let booker: ChaosBooking.Booker = number % 4 == 2 ? .seller : number % 4 == 3 ? .rival : .holder
            return ChaosBooking(
                orderID: "chaos-\(runID)-o\(number)", registration: index, booker: booker,
                booking: Booking(
                    orderID: "chaos-\(runID)-o\(number)", customer: plan.customers[planned.customer],
                    productLines: [planned.product], amount: amount,
                    bookedBy: PartyID(
                        booker == .holder
                            ? partnerIDs[planned.partner] : booker == .seller ? "chaos-seller" : "chaos-rival"),
                    bookedOn: today))
        }
        let sender = RetryingSender(
            clients: [try cluster.enforcement(as: "chaos-erp").bus], window: min(32, settings.concurrency),
            timeout: .seconds(settings.retryAfter))
        let method = EnforcementClient.Method.recordBooking
        let jobs = bookings.map { planned in
            RetryingSender.Job(
                requestID: planned.orderID, client: 0, body: method.body(.with { $0.booking = planned.booking.wire }))
        }
        var answered = [Bool](repeating: false, count: bookings.count)
        var report = self.report
        log("chaos: \(bookings.count) bookings (\(count - bookings.count) fewer than asked: not enough approvals)")
        let unanswered = try sender.run(
            jobs, until: deadline,
            answer: { job, reply, again in
                switch method.result(reply) {
                case .success:
                    answered[job] = true
                    return .done
                case .failure(let failure):
                    return report.refusal(failure, again: again)
                }
            }, progress: { done in strikeIfDue(progress: settings.registrations + done) })
        self.report = report
        self.report.bookings = sender.counts
        self.report.invariants.unacknowledged += unanswered.count
        return zip(bookings, answered).map { booking, acknowledged in
            var booking = booking
            booking.acknowledged = acknowledged
            return booking
        }
    }

    /// Deals the next kill once the work answered reaches its mark.
    private mutating func strikeIfDue(progress: Int) {
        guard let mark = killAt.first, progress >= mark else { return }
        killAt.removeFirst()
        let registry = try? cluster.registry(as: "admin")
        let active = { (try? registry?.status(timeout: .seconds(2)))?.pid }
        if let victim = monkey.strike(using: &random, activeRegistry: active) {
            log("chaos: kill \(monkey.total): \(victim) at \(progress) answered")
        }
    }

    /// Waits until enforcement has applied every event the registry committed, the same twice a second apart
    /// (sanctions append standing changes to the registry's log, which enforcement then reads).
    private func awaitEnforcementCaughtUp(deadline: ContinuousClock.Instant) throws {
        let registry = try cluster.registry(as: "admin")
        let enforcement = try cluster.enforcement(as: "admin")
        var steady = 0
        var last: UInt64 = 0
        while steady < 2 {
            guard ContinuousClock.now < deadline else {
                throw AddressError("Enforcement did not catch up with the registry before the deadline.")
            }
            Thread.sleep(forTimeInterval: 0.5)
            guard let head = try? registry.status(timeout: .seconds(5)),
                let applied = try? enforcement.status(timeout: .seconds(5))
            else {
                steady = 0
                continue
            }
            steady = head.lastSeq == applied.lastSeq && head.lastSeq == last && applied.live ? steady + 1 : 0
            last = head.lastSeq
        }
    }

    /// Both services verify their ledgers, over the bus, as the admin.
    private mutating func audit() throws {
        let services: [(String, any ServiceClient)] = [
            ("registry", try cluster.registry(as: "admin")), ("enforcement", try cluster.enforcement(as: "admin")),
        ]
        for (service, client) in services {
            let audit = try client.audit(timeout: .seconds(120))
            report.ledgerEntries[service] = Int(audit.entries)
            if !audit.intact {
                report.invariants.ledgersBroken += 1
                report.examples.append("\(service) ledger broken at \(audit.firstBroken): \(audit.reason)")
            }
        }
    }
}

/// What the run meant to do: customers, their product line, and each registration's customer and partner.
struct ChaosPlan {
    struct Planned {
        var requestID: String
        var customer: Int
        var partner: Int
        /// The product line it is registered (and booked) for.
        var product: String
    }

    var customers: [Customer] = []
    var products: [String] = []
    var registrations: [Planned] = []
}

/// A booking of the run and whether it was acknowledged.
struct ChaosBooking {
    enum Booker {
        case holder, seller, rival
    }

    var orderID: String
    /// The registration (index in the plan) whose customer it books.
    var registration: Int
    var booker: Booker
    var booking: Booking
    var acknowledged = false

    /// The violation the booking must raise, if any.
    var expected: ViolationType? {
        switch booker {
        case .holder: nil
        case .seller: .directBypass
        case .rival: .poaching
        }
    }
}

extension ChaosReport {
    /// A reply that did not read as the answer asked for: a refusal that says to retry (counted, and retried), else
    /// an unexpected error (`BAD_REPLY` when it was no typed error), counted once per request.
    mutating func refusal(_ failure: ClientError, again: Bool) -> RetryingSender.Verdict {
        guard case .remote(let error) = failure else {
            unexpectedErrors["BAD_REPLY", default: 0] += 1
            return .failed
        }
        if let delay = RetryingSender.retryDelay(for: error) {
            retryRefusals[error.code.name, default: 0] += 1
            return .retry(after: delay)
        }
        if !again { unexpectedErrors[error.code.name, default: 0] += 1 }
        return .failed
    }
}
