import DealBus
import DealModel
import DealStore
import DealWire
import Foundation
import Testing
import ZeroMQ

/// Two registry processes on one PostgreSQL store (issue 19), as `dealreg up --registries 2` runs them: the active
/// one killed or frozen, the standby takes over; clients, workers and enforcement follow it without an operator;
/// a frozen one woken commits nothing; every request is decided once and the log stays gapless.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct FailoverTests {
    static let deal = ["--amount", "50000", "--currency", "EUR", "--close-date", LocalCluster.closeDate]

    static func customer(_ name: String, street: String = "12 rue Nationale") -> [String] {
        ["--customer", name, "--country", "FR", "--city", "Lille", "--postal-code", "59000", "--street", street]
    }

    /// A group of two registries, one worker and enforcement on a database of its own, with `parties` (partners),
    /// and the registry that holds the lease.
    static func group(partners: [String] = ["acme", "bolt"]) throws -> (
        LocalCluster, LocalCluster.RegistryStatus.Active
    ) {
        let cluster = try LocalCluster(workers: 1, engine: .postgres, registries: 2)
        for partner in partners { try cluster.addParty(partner, kind: "partner") }
        return (cluster, try cluster.awaitActive())
    }

    /// The outcome and registration id of `dealreg register … --json`, or its error code.
    static func register(_ cluster: LocalCluster, as principal: String, _ arguments: [String]) throws -> (
        outcome: String, id: String, conflicting: String
    ) {
        let decided = try cluster.register(as: principal, arguments + ["--products", "storage"] + Self.deal)
        let error = (decided["error"] as? [String: Any])?["code"] as? String
        return (
            decided["outcome"] as? String ?? error ?? "\(decided)", decided["registration_id"] as? String ?? "",
            decided["conflicting_registration_id"] as? String ?? ""
        )
    }

    /// Every stored registration whose customer's name contains `name`, as the admin lists them.
    static func registrations(_ cluster: LocalCluster, customer name: String) throws -> [Dealreg_V1_Registration] {
        let context = try Context()
        let admin = try cluster.client(context: context)
        var request = Dealreg_V1_ListRegistrationsRequest()
        request.customer = name
        request.limit = 100
        return try admin.listRegistrations(request, timeout: .seconds(30)).registrations
    }

    @Test func aKilledActiveRegistryIsReplacedMidBurstEveryRequestIsDecidedOnceAndItReturnsAsStandby() throws {
        let (cluster, before) = try Self.group(partners: ["acme"])
        let context = try Context()
        var burst = RegistrationBurst(try cluster.client(context: context, as: "acme"), prefix: "kill", count: 60)
        try burst.sendAll()
        try burst.receive(untilDecided: 10)
        let offset = cluster.log(of: before.instance).count
        kill(before.pid, SIGKILL)
        burst.settle()

        let after = try cluster.awaitActive(after: before.epoch)
        #expect(
            after.instance != before.instance && after.epoch > before.epoch,
            "\(before) then \(after)\n\(cluster.registryLogs)")
        #expect(burst.isDecided)
        burst.expectEachDecidedOnce()
        // Each decided once: sixty approvals numbered 1 to 60, none skipped, none twice.
        let decisions = burst.firstDecisions.values
        #expect(decisions.allSatisfy { $0.outcome == .approved })
        #expect(Set(decisions.map(\.registrationID)) == Set((1...60).map { RegistrationID(number: $0).rawValue }))

        // The log has no gap across the change, and both ledgers hold.
        let (audit, events, committed) = try cluster.auditAfterStatus()
        #expect(audit.holds && events >= committed, "\(audit)\nthe registry had committed \(committed) events")

        // The killed one, restarted by `dealreg up`, waits as a standby: the one that took over keeps serving.
        _ = try cluster.awaitRestart(of: before.instance, replacing: before.pid)
        try cluster.awaitLog(of: before.instance, after: offset, containing: "registry standby")
        #expect(try cluster.awaitActive() == after, "\(cluster.registryLogs)")
        #expect(
            cluster.upOutput.contains("\(before.instance) exited"), "dealreg up did not report it: \(cluster.upOutput)")
    }

    /// Fencing. The active registry frozen holds a registration of a customer sent before its clients gave up on it;
    /// the standby takes over and approves another partner's registration of that customer. Woken, the frozen one,
    /// which never saw that approval, would approve the registration it holds: it commits nothing, steps down and
    /// comes back as a standby, and the retried registration is decided once, against the approval.
    @Test func aFrozenActiveRegistryWokenAfterATakeoverCommitsNothingAndStepsDown() throws {
        let (cluster, frozen) = try Self.group()
        let context = try Context()
        let bolt = try cluster.client(context: context, as: "bolt")
        _ = try bolt.status(timeout: .seconds(30))  // connected to the active one
        let customer = Customer(legalName: "Filature du Nord SAS", city: "Lille", postalCode: "59000", country: "FR")
        var held = Dealreg_V1_RegisterDealRequest()
        held.customer = customer.wire
        held.productLines = ["storage"]
        held.amount = Money(minorUnits: 100_000, currency: "EUR").wire
        held.expectedClose = LocalCluster.closeDay.wire

        let offset = cluster.log(of: frozen.instance).count
        kill(frozen.pid, SIGSTOP)
        var woken = false
        defer { if !woken { kill(frozen.pid, SIGCONT) } }
        // Sent at once, on the connection bolt still has to the frozen registry: it waits in its socket.
        try bolt.bus.send(RegistryClient.Method.registerDeal, held, requestID: "held-1")

        let active = try cluster.awaitActive(after: frozen.epoch)
        #expect(active.instance != frozen.instance)
        let acme = try Self.register(cluster, as: "acme", ["--customer", "Filature du Nord SAS"] + Self.where59000)
        #expect(acme.outcome == "APPROVED", "the standby decides while the active one is frozen")
        let retried = try bolt.registerDeal(held, requestID: "held-1", timeout: .seconds(60)).decision
        #expect(retried.outcome == .rejected && retried.conflictingRegistrationID == acme.id, "\(retried)")

        kill(frozen.pid, SIGCONT)
        woken = true
        let stepped = try cluster.awaitLog(of: frozen.instance, after: offset, containing: "registry stepping down")
        #expect(stepped.contains("epoch \(frozen.epoch)"), "\(stepped)")
        _ = try cluster.awaitRestart(of: frozen.instance, replacing: frozen.pid)
        try cluster.awaitLog(of: frozen.instance, after: offset, containing: "registry standby")
        #expect(try cluster.awaitActive() == active, "the woken one took the lease back:\n\(cluster.registryLogs)")

        // Whatever reached bolt for the held request is the one decision; asked again, the same.
        var replies: [Dealreg_V1_Decision] = []
        while let reply = try bolt.bus.receiveWaiting() {
            if reply.requestID == "held-1", let answer = try? RegistryClient.Method.registerDeal.decode(reply) {
                replies.append(answer.decision)
            }
        }
        let again = try bolt.registerDeal(held, requestID: "held-1", timeout: .seconds(30)).decision
        for reply in replies + [retried] {
            #expect(reply.registrationID == again.registrationID && reply.outcome == again.outcome, "\(reply)")
        }
        // One exclusive protection of the customer, acme's; both registrations stored once.
        let stored = try Self.registrations(cluster, customer: "Filature du Nord")
        #expect(stored.count == 2, "\(stored.map(\.id))")
        #expect(stored.filter { $0.status == .approved }.map(\.id) == [acme.id])
        #expect(try cluster.auditVerify().holds)
    }

    static let where59000 = ["--country", "FR", "--city", "Lille", "--postal-code", "59000"]

    /// After the active registry froze, the check worker and enforcement follow the one that took over, without
    /// being restarted: the new active has a ready worker, which finds a conflict, and enforcement detects a booking
    /// that poaches a registration made after the change.
    @Test func workersAndEnforcementFollowTheRegistryThatTookOver() throws {
        let (cluster, frozen) = try Self.group()
        let held = try Self.register(
            cluster, as: "acme", Self.customer("Conserverie Atlantique SAS", street: "3 quai de la Fosse"))
        #expect(held.outcome == "APPROVED")
        let workers = Set(cluster.pids(of: "dealreg-check"))
        let enforcement = Set(cluster.pids(of: "dealreg-enforce"))

        kill(frozen.pid, SIGSTOP)
        defer { kill(frozen.pid, SIGCONT) }
        let active = try cluster.awaitActive(after: frozen.epoch)
        var ready: UInt32 = 0
        for _ in 0..<240 where ready == 0 {
            ready = (try? cluster.registryStatus(timeout: 2))?.ready_workers ?? 0
            if ready == 0 { Thread.sleep(forTimeInterval: 0.25) }
        }
        #expect(ready >= 1, "no worker announced itself to \(active.instance):\n\(cluster.logs.suffix(4000))")
        #expect(Set(cluster.pids(of: "dealreg-check")) == workers, "the worker was restarted")

        // The worker's index finds acme's customer, respelled: the rival is rejected naming acme's registration.
        let rival = try Self.register(
            cluster, as: "bolt", Self.customer("CONSERVERIE ATLANTIQUE", street: "3, Quai de la Fosse"))
        #expect(rival.outcome == "REJECTED" && rival.conflicting == held.id, "\(rival)")

        // A registration made after the change reaches enforcement, which detects the booking that poaches it.
        let after = try Self.register(
            cluster, as: "acme", Self.customer("Biscuiterie Nantaise SA", street: "8 rue de Strasbourg"))
        #expect(after.outcome == "APPROVED")
        try cluster.awaitEnforcementCaughtUp()
        let booked = try cluster.dealreg(
            [
                "booking", "add", "--as", "admin", "--json", "--order", "after-failover", "--booked-by", "bolt",
                "--booked-on", CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).description,
                "--products", "storage", "--amount", "12000", "--currency", "EUR",
            ] + Self.customer("BISCUITERIE NANTAISE", street: "8, Rue de Strasbourg"))
        #expect(booked.output.contains(#""type":"POACHING""#), "\(booked)")
        #expect(booked.output.contains(after.id), "the violation cites the registration: \(booked.output)")
        #expect(Set(cluster.pids(of: "dealreg-enforce")) == enforcement, "enforcement was restarted")
    }

    /// The active registry frozen in the middle of a commit, its transaction open on the server (as a process is
    /// stopped, or its host cut off, at any moment under load): the lease row it renewed in that transaction stays
    /// locked. The standby must take over all the same, and the frozen one, woken, must commit nothing.
    @Test func aRegistryFrozenInTheMiddleOfACommitDoesNotKeepTheStandbyOut() throws {
        let (cluster, frozen) = try Self.group(partners: ["acme"])
        let postgres = try #require(cluster.postgres)
        let watcher = try PostgresDatabase(
            postgres.database, schema: "registry", applicationName: "dealreg-tests watcher")
        defer { watcher.close() }
        func inTransaction() throws -> Bool {
            try watcher.read { db in
                try db.exists(
                    "SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND state = 'idle in transaction'",
                    [.text("dealreg-registry \(frozen.instance)")])
            }
        }
        let context = try Context()
        var burst = RegistrationBurst(try cluster.client(context: context, as: "acme"), prefix: "midcommit", count: 400)
        try burst.sendAll()
        // Stopped when its session is seen inside a transaction, and kept stopped only if it still is.
        var stoppedInTransaction = false
        var woken = false
        defer { if !woken { kill(frozen.pid, SIGCONT) } }
        for _ in 0..<50_000 where !stoppedInTransaction {
            guard try inTransaction() else { continue }
            kill(frozen.pid, SIGSTOP)
            Thread.sleep(forTimeInterval: 0.05)
            stoppedInTransaction = try inTransaction()
            if !stoppedInTransaction { kill(frozen.pid, SIGCONT) }
        }
        try #require(stoppedInTransaction, "the registry was never caught inside a transaction")

        let active = Result { try cluster.awaitActive(after: frozen.epoch, attempts: 40) }
        if case .failure(let failure) = active {
            // What the registries' sessions are doing: the standby's waits on the frozen one's lock.
            let sessions = try watcher.read { db in
                try db.fetchAll(
                    """
                    SELECT application_name || ': ' || state || ' ' || COALESCE(wait_event_type || '/' || wait_event, '')
                    || ' ' || left(query, 80) FROM pg_stat_activity WHERE application_name LIKE 'dealreg-registry%'
                    """
                ).map { $0[0] as String }
            }
            Issue.record(
                """
                no registry took over while the active one was frozen inside a transaction; the registries' sessions:
                \(sessions.joined(separator: "\n"))
                \(failure)
                """)
        }
        kill(frozen.pid, SIGCONT)
        woken = true
        burst.settle()
        #expect(burst.isDecided)
        burst.expectEachDecidedOnce()
        let decisions = burst.firstDecisions.values
        #expect(Set(decisions.map(\.registrationID)) == Set((1...400).map { RegistrationID(number: $0).rawValue }))
        #expect(try cluster.auditVerify().holds)
    }

    /// A standby taking over the store of a long-lived program loads what it needs before it serves (among it the
    /// request id of every stored answer). The lease it took must not lapse while it loads, or the other registry
    /// takes it, loads in turn and loses it the same way: the group would never settle.
    @Test func aStandbyTakingOverALargeStoreKeepsTheLeaseWhileItLoads() throws {
        let (cluster, killed) = try Self.group(partners: ["acme"])
        let postgres = try #require(cluster.postgres)
        let store = try PostgresDatabase(postgres.database, schema: "registry", applicationName: "dealreg-tests seeder")
        defer { store.close() }
        // A million stored answers, as years of requests leave them: the registry reads them all when it starts.
        _ = try store.write { db in
            try db.execute(
                """
                INSERT INTO requests (principal, request_id, fingerprint, reply)
                SELECT 'seeded', 'r-' || n, '', ''::bytea FROM generate_series(1, 1000000) AS n
                """)
        }
        let offsets = Dictionary(
            uniqueKeysWithValues: ["registry-1", "registry-2"].map { ($0, cluster.log(of: $0).count) })
        kill(killed.pid, SIGKILL)
        let taken = try cluster.awaitActive(after: killed.epoch)
        _ = try cluster.awaitRestart(of: killed.instance, replacing: killed.pid)
        // Watched for a while: the registry that took over keeps serving under the epoch it took, and nobody steps down.
        for _ in 0..<20 {
            let now = try cluster.awaitActive()
            guard now == taken else {
                Issue.record("the lease moved from \(taken) to \(now):\n\(cluster.registryLogs)")
                break
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        for (instance, offset) in offsets {
            let since = cluster.log(of: instance).dropFirst(offset)
            #expect(!since.contains("registry stepping down"), "\(instance):\n\(since)")
        }
        let next = try Self.register(cluster, as: "acme", Self.customer("Huilerie Provencale SA"))
        #expect(next.outcome == "APPROVED", "\(next)")
    }
}
