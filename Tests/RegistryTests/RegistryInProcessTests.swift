import ConflictCheck
import Crypto
import DealBus
import DealModel
import DealWire
import Foundation
import Matching
import Registry
import Synchronization
import Testing
import ZeroMQ

/// The registry and a check worker started in-process through their wiring functions, on real sockets.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RegistryInProcessTests {
    /// A registry in a temporary directory on free loopback ports, with admin, service and one partner key.
    final class Harness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        let admin = try! CurveKeyPair.generate()
        let service = try! CurveKeyPair.generate()
        let partner = try! CurveKeyPair.generate()
        let rival = try! CurveKeyPair.generate()
        var configuration: RegistryConfiguration
        var tasks: [Task<Void, Error>] = []

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let parties = [
                Party(id: PartyID("admin"), kind: .admin, name: "Admin", publicKey: admin.publicKey.z85),
                Party(id: PartyID("svc-check"), kind: .checkWorker, name: "Check", publicKey: service.publicKey.z85),
                Party(id: PartyID("acme"), kind: .partner, name: "Acme", publicKey: partner.publicKey.z85),
                Party(id: PartyID("bolt"), kind: .partner, name: "Bolt", publicKey: rival.publicKey.z85),
            ]
            let bootstrap = directory.appendingPathComponent("bootstrap.json")
            try JSONEncoder().encode(parties).write(to: bootstrap)
            configuration = RegistryConfiguration(dataDirectory: directory.appendingPathComponent("registry"))
            for keyPath in [\RegistryConfiguration.apiEndpoint, \.workEndpoint, \.eventsEndpoint, \.syncEndpoint] {
                configuration[keyPath: keyPath] = "tcp://127.0.0.1:*"
            }
            configuration.bootstrapFile = bootstrap
            configuration.checkTimeout = .seconds(1)
        }

        deinit {
            for task in tasks { task.cancel() }
            try? FileManager.default.removeItem(at: directory)
        }

        func startRegistry() async throws -> ServiceEndpoints {
            let service = try RegistryService.make(configuration: configuration)
            tasks.append(Task { try await service.run() })
            for _ in 0..<200 {
                if let endpoints = try? ServiceEndpoints.read(configuration.endpointsFile) { return endpoints }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw ClientError.badReply("registry did not start")
        }

        func startWorker(_ endpoints: ServiceEndpoints) throws {
            let registry = try RegistryAddress.resolve(endpointsFile: configuration.endpointsFile.path)
            let worker = try CheckWorkerService.make(
                configuration: CheckWorkerConfiguration(
                    workEndpoint: registry.work, eventsEndpoint: registry.events, syncEndpoint: registry.sync,
                    registryKey: registry.key, keyPair: service, name: "in-process"))
            tasks.append(Task { try await worker.run() })
        }

        func client(_ endpoints: ServiceEndpoints, keyPair: CurveKeyPair) throws -> BusClient {
            try BusClient(
                context: try Context(), endpoint: ServiceEndpoints.connectable(endpoints.endpoints["api"]!),
                serverKey: CurveKey(z85: endpoints.publicKey)!, keyPair: keyPair)
        }
    }

    static func request() -> Dealreg_V1_RegisterDealRequest {
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = Customer(legalName: "Brasserie du Port SARL", postalCode: "13002", country: "FR").wire
        request.productLines = ["pos-terminals"]
        request.amount = Money(minorUnits: 4_200_000, currency: "EUR").wire
        request.expectedClose =
            CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).adding(days: 60).wire
        return request
    }

    @Test func answersUnavailableWithoutWorkersAndDecidesTheRetryOnceOneJoins() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        #expect {
            _ = try partner.call(.registerDeal(Self.request()), requestID: "first-try", timeout: .seconds(20))
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .unavailable
        }

        try harness.startWorker(endpoints)
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        var ready = false
        for _ in 0..<200 where !ready {
            if case .statusReply(let status) = try admin.call(.status(.init())) { ready = status.readyWorkers == 1 }
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready)
        guard
            case .registerDealReply(let reply) = try partner.call(.registerDeal(Self.request()), requestID: "first-try")
        else {
            Issue.record("no decision")
            return
        }
        #expect(reply.decision.outcome == .approved)
        #expect(reply.decision.registrationID == "DR-00000001")
    }

    /// Waits until the registry reports `count` ready workers.
    static func waitForWorkers(_ admin: BusClient, count: UInt32 = 1) async throws -> Bool {
        for _ in 0..<200 {
            if case .statusReply(let status) = try admin.call(.status(.init())), status.readyWorkers == count {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func reportsWhereTheTimeWentAndOnlyAnAdminResetsTheFigures() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        try harness.startWorker(endpoints)
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        #expect(try await Self.waitForWorkers(admin))
        _ = try partner.call(.registerDeal(Self.request()), requestID: "timed")
        guard case .statusReply(let status) = try admin.call(.status(.init())) else {
            Issue.record("no status")
            return
        }
        #expect(status.checkWait.count == 1)
        #expect(status.commitWait.count == 1)
        #expect(status.commit.count == 1)
        #expect(status.decisionsCommitted == 1)
        #expect(status.checkWait.p50Us > 0 && status.checkWait.maxUs >= status.checkWait.p50Us)

        #expect {
            _ = try partner.call(.status(.with { $0.resetLatency = true }))
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .permissionDenied
        }
        _ = try admin.call(.status(.with { $0.resetLatency = true }))
        guard case .statusReply(let after) = try admin.call(.status(.init())) else {
            Issue.record("no status")
            return
        }
        #expect(after.checkWait.count == 0 && after.commit.count == 0 && after.decisionsCommitted == 0)
    }

    @Test func aWorkerReplaysSeededRegistrationsAndFindsTheirCustomers() async throws {
        let harness = try Harness()
        var customers = (0..<3000).map { index in
            Customer(legalName: "Filler Trading \(index) GmbH", postalCode: "10115", country: "DE")
        }
        customers[1234] = Customer(legalName: "Brasserie du Port SARL", postalCode: "13002", country: "FR")
        let last = try RegistrySeeding.seed(
            dataDirectory: harness.configuration.dataDirectory, holder: PartyID("seed-partner"), customers: customers)
        #expect(last == 3000)
        let endpoints = try await harness.startRegistry()
        try harness.startWorker(endpoints)
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        #expect(try await Self.waitForWorkers(admin))
        var request = Self.request()
        request.customer.legalName = "Brasserie du Port"
        request.productLines = ["storage"]  // what the seeded registrations cover
        guard
            case .registerDealReply(let reply) = try harness.client(endpoints, keyPair: harness.partner)
                .call(.registerDeal(request))
        else {
            Issue.record("no decision")
            return
        }
        #expect(reply.decision.outcome == .rejected)
        #expect(reply.decision.conflictingRegistrationID == "DR-00001235")
    }

    /// Calls `body` and returns the typed error code and field the registry answered with.
    static func refusal(_ body: () throws -> Void) -> (WireErrorCode, String)? {
        do {
            try body()
            return nil
        } catch ClientError.remote(let wire) {
            return (wire.code, wire.field)
        } catch {
            return nil
        }
    }

    @Test func lifecycleRequestsRefuseBadInputWithTypedErrors() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        try harness.startWorker(endpoints)
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        #expect(try await Self.waitForWorkers(admin))
        guard case .registerDealReply(let reply) = try partner.call(.registerDeal(Self.request())) else {
            Issue.record("no decision")
            return
        }
        let id = reply.decision.registrationID
        func step(_ client: BusClient, _ transition: Dealreg_V1_Transition, id: String = id, reason: String = "why")
            -> (WireErrorCode, String)?
        {
            Self.refusal {
                _ = try client.call(
                    .transition(
                        .with {
                            $0.registrationID = id
                            $0.transition = transition
                            $0.reason = reason
                        }))
            }
        }
        #expect(step(partner, .won, id: "")! == (.missingField, "registration_id"))
        #expect(step(partner, .won, id: "DR-99999999")! == (.notFound, "registration_id"))
        #expect(step(partner, .unspecified)! == (.invalidField, "transition"))
        #expect(step(partner, .extend, reason: String(repeating: "x", count: 5000))! == (.invalidField, "reason"))
        #expect(step(partner, .extend, reason: "")! == (.missingField, "reason"))
        #expect(step(partner, .approve)?.0 == .permissionDenied)
        #expect(step(admin, .approve)! == (.invalidTransition, "transition"))
        #expect(
            Self.refusal { _ = try partner.call(.history(.with { $0.registrationID = "DR-99999999" })) }! == (
                .notFound, "registration_id"
            ))
        #expect(Self.refusal { _ = try partner.call(.policy(.with { $0.reload = true })) }?.0 == .permissionDenied)
        #expect(Self.refusal { _ = try admin.call(.policy(.with { $0.reload = true })) }?.0 == .invalidPolicy)
        // After all that, the registration is untouched and the registry still serves.
        guard case .historyReply(let history) = try partner.call(.history(.with { $0.registrationID = id })) else {
            Issue.record("no history")
            return
        }
        #expect(history.entries.map(\.action) == ["registered"])
    }

    @Test func aSuspendedPartnerIsRefusedUntilReinstated() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        try harness.startWorker(endpoints)
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        #expect(try await Self.waitForWorkers(admin))
        func standing(_ client: BusClient, _ value: Dealreg_V1_PartyStanding, reason: String = "case V-00000001")
            throws
        {
            _ = try client.call(
                .setStanding(
                    .with {
                        $0.partyID = "acme"
                        $0.standing = value
                        $0.reason = reason
                    }))
        }
        #expect(Self.refusal { try standing(partner, .active) }?.0 == .permissionDenied)
        #expect(Self.refusal { try standing(admin, .suspended, reason: "") }! == (.missingField, "reason"))
        #expect(Self.refusal { try standing(admin, .unspecified) }! == (.invalidField, "standing"))
        // A standing this registry does not know is refused when a party is added, never taken as active.
        var odd = Dealreg_V1_AddPartyRequest()
        odd.party =
            Party(id: PartyID("odd"), kind: .partner, name: "Odd", publicKey: try CurveKeyPair.generate().publicKey.z85)
            .wire
        odd.party.standing = .UNRECOGNIZED(42)
        #expect(Self.refusal { _ = try admin.call(.addParty(odd)) }! == (.invalidField, "party.standing"))
        try standing(admin, .suspended)
        #expect(Self.refusal { _ = try partner.call(.registerDeal(Self.request())) }?.0 == .registrantSanctioned)
        try standing(admin, .active)
        guard case .registerDealReply(let reply) = try partner.call(.registerDeal(Self.request())) else {
            Issue.record("no decision")
            return
        }
        #expect(reply.decision.outcome == .approved)
        // Suspended again, acme still gets the stored answer to a registration decided before: a retry after a
        // lost reply finds its decision; only new registrations are refused.
        var earlier = Self.request()
        earlier.customer.legalName = "Brasserie du Port SARL"
        guard case .registerDealReply(let first) = try partner.call(.registerDeal(earlier), requestID: "before") else {
            Issue.record("no decision")
            return
        }
        try standing(admin, .suspended)
        guard case .registerDealReply(let retried) = try partner.call(.registerDeal(earlier), requestID: "before")
        else {
            Issue.record("the retry of a decided registration was refused")
            return
        }
        #expect(retried.decision == first.decision)
        #expect(Self.refusal { _ = try partner.call(.registerDeal(earlier)) }?.0 == .registrantSanctioned)
    }

    @Test func refusesRegistrationsFromServicesAndAdmins() async throws {
        let harness = try Harness()
        let endpoints = try await harness.startRegistry()
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        #expect {
            _ = try admin.call(.registerDeal(Self.request()))
        } throws: { error in
            guard case ClientError.remote(let wire) = error else { return false }
            return wire.code == .permissionDenied
        }
    }

    @Test func answersOverloadedInsteadOfQueueingWithoutBound() async throws {
        let harness = try Harness()
        harness.configuration.maximumQueuedChecks = 3
        harness.configuration.checkTimeout = .seconds(2)
        let endpoints = try await harness.startRegistry()
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        for index in 0..<5 {
            var request = Self.request()
            request.customer.legalName = "Brasserie \(index) SARL"
            try partner.send(.registerDeal(request), requestID: "queue-\(index)")
        }
        var errors: [String: WireError] = [:]
        while errors.count < 5 {
            let reply = try partner.receive(timeout: .seconds(20))
            if case .error(let error)? = reply.body { errors[reply.requestID] = error }
        }
        // The first three waited for a worker that never came; the last two were turned back at once, told when
        // to come back.
        #expect((0..<3).allSatisfy { errors["queue-\($0)"]?.code == .unavailable })
        #expect((3..<5).allSatisfy { errors["queue-\($0)"]?.code == .overloaded })
        #expect((3..<5).allSatisfy { errors["queue-\($0)"]?.retryAfterMs == 1000 })
        #expect(errors["queue-4"]?.message.contains("retry later with the same request_id") == true)
    }

    /// A check worker over the real work socket whose index never gets past `watermark` and never finds anything,
    /// as a worker far behind the log would: every decision then rests on the registry's re-check. It records the
    /// minimum score each check asked for.
    final class LaggingWorker: @unchecked Sendable {
        private let stopped = Mutex(false)
        let asked = Mutex<[Double]>([])

        init(endpoints: ServiceEndpoints, keyPair: CurveKeyPair, watermark: UInt64 = 0) throws {
            let context = try Context()
            let endpoint = ServiceEndpoints.connectable(endpoints.endpoints["work"]!)
            let serverKey = CurveKey(z85: endpoints.publicKey)!
            Thread.detachNewThread { [self] in
                // The socket lives and dies on this thread, as libzmq wants.
                guard
                    let socket = try? CurveSockets.client(
                        context, .dealer, connect: endpoint, serverKey: serverKey, keyPair: keyPair)
                else { return }
                defer { socket.close() }
                var ready = WireWorkMessage()
                ready.ready = .with {
                    $0.capacity = 8
                    $0.workerName = "lagging"
                    $0.watermark = watermark
                }
                _ = try? socket.send(ready.serializedBytes() as [UInt8])
                while !stopped.withLock({ $0 }) {
                    guard (try? Poller.readable([socket], timeoutMilliseconds: 50))?.first == true,
                        let message = try? socket.receive(dontWait: true),
                        let work = try? WireWorkMessage(serializedBytes: message.payload),
                        case .checkRequest(let check)? = work.body
                    else { continue }
                    asked.withLock { $0.append(check.minimumScore) }
                    var result = WireWorkMessage()
                    result.checkResult = .with {
                        $0.checkID = check.checkID
                        $0.watermark = watermark
                    }
                    _ = try? socket.send(result.serializedBytes() as [UInt8])
                }
            }
        }

        func stop() { stopped.withLock { $0 = true } }
    }

    @Test func theRecheckAndTheWorkersUseThePolicyFilesReviewThreshold() async throws {
        let harness = try Harness()
        let policyFile = harness.directory.appendingPathComponent("policy.json")
        try Data(#"{"version": "low-review", "matching": {"review_threshold": 0.01}}"#.utf8).write(to: policyFile)
        harness.configuration.policyFile = policyFile
        let port = Customer(
            legalName: "Brasserie du Port SARL", street: "12 quai du Port", city: "Marseille", postalCode: "13002",
            country: "FR")
        // In acme's postal code and city only: under the built-in review threshold, over the file's.
        let neighbour = Customer(
            legalName: "Garage Lemaire", street: "3 rue Colbert", city: "Marseille", postalCode: "13002",
            country: "FR")
        let score = CustomerScorer().score(NormalizedCustomer(neighbour), against: NormalizedCustomer(port)).score
        #expect(score >= 0.01 && score < ProgramPolicy().reviewThreshold, "score \(score)")

        let endpoints = try await harness.startRegistry()
        let worker = try LaggingWorker(endpoints: endpoints, keyPair: harness.service)
        defer { worker.stop() }
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        #expect(try await Self.waitForWorkers(admin))
        var request = Self.request()
        request.customer = port.wire
        guard
            case .registerDealReply(let first) = try harness.client(endpoints, keyPair: harness.partner)
                .call(.registerDeal(request))
        else {
            Issue.record("no decision")
            return
        }
        #expect(first.decision.outcome == .approved)
        request.customer = neighbour.wire
        guard
            case .registerDealReply(let second) = try harness.client(endpoints, keyPair: harness.rival)
                .call(.registerDeal(request))
        else {
            Issue.record("no decision")
            return
        }
        // The worker saw nothing: only the commit-time re-check, under the file's threshold, finds acme's.
        #expect(second.decision.outcome == .pendingReview)
        #expect(second.decision.matches.map(\.registrationID) == [first.decision.registrationID])
        #expect(second.decision.policyVersion.hasPrefix("low-review"))
        #expect(worker.asked.withLock { $0 } == [0.01, 0.01], "workers are sent the same threshold")
    }

    @Test func anAdminDownloadsAConsistentCopyOfTheLiveDatabaseInChunks() async throws {
        let harness = try Harness()
        let customers = (0..<6000).map { index in
            Customer(legalName: "Filler Trading \(index) GmbH", postalCode: "10115", country: "DE")
        }
        try RegistrySeeding.seed(
            dataDirectory: harness.configuration.dataDirectory, holder: PartyID("seed-partner"), customers: customers)
        let endpoints = try await harness.startRegistry()
        let admin = try harness.client(endpoints, keyPair: harness.admin)
        var copy = Data()
        var chunks = 0
        var first = Dealreg_V1_BackupReply()
        repeat {
            let request = Dealreg_V1_BackupRequest.with {
                $0.backupID = first.backupID
                $0.offset = UInt64(copy.count)
            }
            guard case .backupReply(let reply) = try admin.call(.backup(request), timeout: .seconds(60)) else {
                Issue.record("no backup reply")
                return
            }
            if chunks == 0 { first = reply }
            #expect(reply.offset == UInt64(copy.count) && reply.backupID == first.backupID)
            copy += reply.data
            chunks += 1
        } while UInt64(copy.count) < first.size && chunks < 100
        #expect(chunks > 1, "a copy of \(first.size) bytes comes in chunks of at most 1 MiB")
        #expect(UInt64(copy.count) == first.size)
        #expect(SHA256.hash(data: copy).map { String(format: "%02x", $0) }.joined() == first.sha256)
        #expect(copy.prefix(16) == Data("SQLite format 3\u{0}".utf8))

        #expect(
            Self.refusal { _ = try admin.call(.backup(.with { $0.backupID = "backup-0-0" })) }
                .map { "\($0.0)/\($0.1)" } == "\(WireErrorCode.notFound)/backup_id")
        let partner = try harness.client(endpoints, keyPair: harness.partner)
        #expect(Self.refusal { _ = try partner.call(.backup(.init())) }?.0 == .permissionDenied)
    }
}
