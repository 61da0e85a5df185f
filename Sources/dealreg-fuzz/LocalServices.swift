import ConflictCheck
import DealBus
import DealModel
import DealWire
import Enforcement
import Foundation
import Logging
import Registry
import Synchronization
import ZeroMQ

/// The registry, one check worker and (for the enforcement target) enforcement, started in-process once per
/// process through their wiring functions: loopback ports, a temporary folder, CURVE keys from a keystore there,
/// the fixed clock of `FuzzClock`. Each input goes out on a real client socket as one principal and must get one
/// answer within the deadline. Not thread-safe: the fuzzing thread alone calls it; the services run on their own.
final class LocalServices {
    enum Service: String {
        case registry, enforcement
    }

    /// Everyone the bootstrap file declares. `root` is the harness's own admin: it puts back a key the fuzzer
    /// rotated or revoked, so one input cannot lock a principal out for the rest of the run.
    static let parties: [(id: String, kind: PartyKind)] = [
        ("acme", .partner), ("bolt", .partner), ("dist", .distributor), ("seller-1", .seller),
        ("cm", .channelManager), ("officer", .enforcementOfficer), ("admin", .admin), ("svc-erp", .service),
        ("svc-check", .checkWorker), ("svc-enforce", .enforcementService), ("root", .admin),
    ]
    /// Who an input speaks as: its first byte, modulo the count, picks one; the rest of it is the payload.
    static let registryCallers = [
        "acme", "dist", "seller-1", "cm", "officer", "admin", "svc-erp", "bolt", "svc-enforce",
    ]
    static let enforcementCallers = ["svc-erp", "officer", "admin", "cm", "acme", "seller-1", "bolt", "dist"]
    /// New registrations a principal may file per week: keeps the registry's and the worker's memory bounded
    /// however long the run (past it the answer is `QUOTA_EXCEEDED`).
    static let weeklyQuota = 20_000

    nonisolated(unsafe) static let shared = LocalServices()

    let directory: URL
    private let keys: [String: CurveKeyPair]
    private let context: Context
    private let alarms = ServiceAlarms()
    /// How long an input may wait for its answer before it counts as a hang.
    private let deadline: Duration
    private var registry: ServiceEndpoints?
    private var enforcement: ServiceEndpoints?
    private var clients: [Service: [String: BusClient]] = [:]
    /// Inputs sent so far, for the live-heap reports.
    private(set) var inputs = 0
    /// The input each client sent last, named when a second answer to it turns up.
    private var previousInputs: [ObjectIdentifier: [UInt8]] = [:]
    /// `DEALREG_FUZZ_VERBOSE=1`: print each input's principal and answer (to read a reproducer).
    private let verbose = ProcessInfo.processInfo.environment["DEALREG_FUZZ_VERBOSE"] == "1"

    private init() {
        let milliseconds = ProcessInfo.processInfo.environment["DEALREG_FUZZ_DEADLINE_MS"].flatMap { Int($0) } ?? 5000
        deadline = .milliseconds(milliseconds)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dealreg-fuzz-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            context = try Context()
            let keystore = Keystore(directory: directory.appendingPathComponent("keys"))
            var keys: [String: CurveKeyPair] = [:]
            for (id, kind) in Self.parties {
                try keystore.save(Identity(id: PartyID(id), kind: kind, keyPair: try CurveKeyPair.generate()))
                keys[id] = try keystore.load(PartyID(id)).keyPair
            }
            self.keys = keys
            let parties = Self.parties.map { id, kind in
                Party(
                    id: PartyID(id), kind: kind, name: "Fuzz \(id)", country: "FR", publicKey: keys[id]!.publicKey.z85)
            }
            try JSONEncoder().encode(parties).write(to: bootstrapFile)
            try Self.policy.write(to: policyFile)
        } catch {
            fatalError("dealreg-fuzz: cannot prepare \(directory.path): \(error)")
        }
        let alarms = alarms
        let level =
            ProcessInfo.processInfo.environment["DEALREG_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .error
        LoggingSystem.bootstrap { label in AlarmingLogHandler(label: label, level: level, alarms: alarms) }
        atexit {
            HeapReport.print(after: LocalServices.shared.inputs)
            try? FileManager.default.removeItem(at: LocalServices.shared.directory)
        }
    }

    /// The services' policy file: the weekly quota, and request rate limits (where this build has them) opened
    /// wide, since one fuzzing client sends thousands of requests a second by design.
    static var policy: Data {
        let quota = #""quotas": {"registrations_per_week": \#(weeklyQuota)}"#
        let unlimited = Data(#"{"version": "fuzz", \#(quota), "limits": {"requests_per_second": 1000000}}"#.utf8)
        if (try? PolicyFile.parse(unlimited)) != nil { return unlimited }
        return Data(#"{"version": "fuzz", \#(quota)}"#.utf8)
    }

    private var bootstrapFile: URL { directory.appendingPathComponent("bootstrap.json") }
    private var policyFile: URL { directory.appendingPathComponent("policy.json") }

    /// The fixed clock, moving on with real time from `FuzzClock.start`.
    private static let clock: @Sendable () -> Int64 = {
        let started = ContinuousClock.now
        return { FuzzClock.start + started.duration(to: .now).components.seconds }
    }()

    // MARK: inputs

    /// Starts what `service` needs, once.
    func prepare(_ service: Service) {
        if registry == nil { startRegistry() }
        if service == .enforcement && enforcement == nil { startEnforcement() }
    }

    /// Sends `input` (after its principal byte) to `service`'s api and waits for its one answer.
    static func call(_ service: Service, _ input: [UInt8]) {
        shared.prepare(service)
        shared.call(service, input)
    }

    private func call(_ service: Service, _ input: [UInt8]) {
        let names = service == .registry ? Self.registryCallers : Self.enforcementCallers
        let caller = names[Int(input.first ?? 0) % names.count]
        let client = clients[service]![caller]!
        let payload = Array(input.dropFirst())
        inputs += 1
        if inputs.isMultiple(of: 50_000) { HeapReport.print(after: inputs) }
        refuseSecondAnswers(client)
        previousInputs[ObjectIdentifier(client)] = input
        do {
            try client.sendRaw([payload])
        } catch {
            fatalError("dealreg-fuzz: cannot send to the \(service.rawValue): \(error)")
        }
        let answer = answer(from: client, service: service, caller: caller)
        if verbose {
            FileHandle.standardError.write(Data("\(service.rawValue) as \(caller): \(Self.summary(answer))\n".utf8))
        }
        if case .error(let error)? = answer.body {
            precondition(
                error.code != .unspecified && !error.message.isEmpty,
                "the \(service.rawValue) answered an error without a code or a sentence: \(error)")
        }
        if let reply = try? RegistryClient.Method.setKey.decode(answer) { restoreKey(reply.party.id) }
        if let alarm = alarms.first { fatalError("dealreg-fuzz: \(alarm) (while serving this input)") }
    }

    /// The answer to the request just sent; a hang (a finding) when none comes within the deadline.
    private func answer(from client: BusClient, service: Service, caller: String) -> WireEnvelope {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while true {
            do {
                return try client.receive(timeout: max(clock.now.duration(to: end), .milliseconds(1)))
            } catch .refused {
                // A reconnection refused while the fuzzer had rotated this key; the key is back, wait on.
                continue
            } catch .timeout {
                if let alarm = alarms.first { fatalError("dealreg-fuzz: \(alarm)") }
                fatalError(
                    "dealreg-fuzz: hang: no answer from the \(service.rawValue) to \(caller) within \(deadline)")
            } catch {
                fatalError("dealreg-fuzz: the \(service.rawValue) answered \(caller) badly: \(error)")
            }
        }
    }

    /// An answer in one line: the error's code, field and sentence, or the reply's name.
    static func summary(_ answer: WireEnvelope) -> String {
        guard case .error(let error)? = answer.body else { return answer.methodName }
        return "\(error.code.name) \(error.field) \(error.message)"
    }

    /// One request, one answer: an answer waiting before this input is sent is a second answer to an earlier one.
    private func refuseSecondAnswers(_ client: BusClient) {
        guard let extra = try? client.receiveWaiting() else { return }
        fatalError(
            "dealreg-fuzz: a second answer (\(Self.summary(extra))) to an earlier input, base64 "
                + Data(previousInputs[ObjectIdentifier(client)] ?? []).base64EncodedString())
    }

    /// Puts back the harness's key of `party` after the fuzzer rotated or revoked it (a stored answer to a
    /// repeated request id changed nothing, so the key is looked up first).
    private func restoreKey(_ party: String) {
        guard let pair = keys[party] else { return }
        let restorer = RegistryClient(clients[.registry]![party == "root" ? "admin" : "root"]!)
        let request = Dealreg_V1_SetKeyRequest.with {
            $0.partyID = party
            $0.publicKey = pair.publicKey.z85
            $0.reason = "the fuzz harness restores its key"
        }
        do {
            let list = try restorer.listParties(timeout: deadline)
            guard list.parties.first(where: { $0.id == party })?.publicKey != pair.publicKey.z85 else { return }
            _ = try restorer.setKey(request, timeout: deadline)
        } catch {
            fatalError("dealreg-fuzz: cannot restore the key of \(party): \(error)")
        }
    }

    // MARK: starting

    private func startRegistry() {
        var configuration = RegistryConfiguration(dataDirectory: directory.appendingPathComponent("registry"))
        for keyPath in [\RegistryConfiguration.apiEndpoint, \.workEndpoint, \.eventsEndpoint, \.syncEndpoint] {
            configuration[keyPath: keyPath] = "tcp://127.0.0.1:*"
        }
        configuration.bootstrapFile = bootstrapFile
        configuration.policyFile = policyFile
        configuration.now = Self.clock
        // Without a worker's answer a registration is answered UNAVAILABLE well inside the deadline.
        configuration.checkTimeout = .seconds(1)
        configuration.heartbeatInterval = .milliseconds(250)
        let endpoints: ServiceEndpoints
        do {
            let service = try RegistryService.make(configuration: configuration, logger: Self.logger("registry"))
            run("registry", service)
            endpoints = try waitForEndpoints(configuration.endpointsFile, "registry")
            let address = try RegistryAddress.resolve(endpointsFile: configuration.endpointsFile.path)
            var worker = CheckWorkerConfiguration(
                workEndpoint: address.work, eventsEndpoint: address.events, syncEndpoint: address.sync,
                registryKey: address.key, keyPair: keys["svc-check"]!, name: "fuzz-worker")
            worker.heartbeatInterval = .milliseconds(250)
            run("check worker", try CheckWorkerService.make(configuration: worker, logger: Self.logger("check")))
        } catch {
            fatalError("dealreg-fuzz: cannot start the registry: \(error)")
        }
        registry = endpoints
        clients[.registry] = connect(endpoints, Self.registryCallers + ["root"])
        let root = RegistryClient(clients[.registry]!["root"]!)
        waitUntil("a check worker is ready") { try root.status(timeout: deadline).readyWorkers == 1 }
        // dist and acme are linked, so a registration on acme's behalf reaches the check (inputs may unlink them).
        do {
            let pair = (distributor: "dist", reseller: "acme")
            _ = try RegistryClient(clients[.registry]!["dist"]!).linkParties(
                .with { ($0.distributor, $0.reseller) = pair }, requestID: "harness-link", timeout: deadline)
            _ = try RegistryClient(clients[.registry]!["acme"]!).acceptLink(
                .with { ($0.distributor, $0.reseller) = pair }, requestID: "harness-accept", timeout: deadline)
        } catch {
            fatalError("dealreg-fuzz: the registry refused the harness's two-tier link: \(error)")
        }
        for (index, (registrant, customer)) in zip(["acme", "bolt", "dist", "seller-1"], SeedCorpus.customers)
            .enumerated()
        {
            let request = SeedCorpus.registration(customer)
            do {
                _ = try RegistryClient(clients[.registry]![registrant]!).registerDeal(
                    request, requestID: "harness-\(index)", timeout: deadline)
            } catch {
                fatalError("dealreg-fuzz: the registry refused a harness registration: \(error)")
            }
        }
    }

    private func startEnforcement() {
        guard let registry, let registryKey = CurveKey(z85: registry.publicKey) else { return }
        func endpoint(_ name: String) -> String { ServiceEndpoints.connectable(registry.endpoints[name] ?? "") }
        var configuration = EnforcementConfiguration(
            dataDirectory: directory.appendingPathComponent("enforcement"), registryEventsEndpoint: endpoint("events"),
            registrySyncEndpoint: endpoint("sync"), registryKey: registryKey, keyPair: keys["svc-enforce"]!)
        configuration.apiEndpoint = "tcp://127.0.0.1:*"
        configuration.eventsEndpoint = "tcp://127.0.0.1:*"
        configuration.registryAPIEndpoint = endpoint("api")
        configuration.bootstrapFile = bootstrapFile
        configuration.policyFile = policyFile
        configuration.now = Self.clock
        let endpoints: ServiceEndpoints
        do {
            let service = try EnforcementService.make(configuration: configuration, logger: Self.logger("enforcement"))
            run("enforcement", service)
            endpoints = try waitForEndpoints(configuration.endpointsFile, "enforcement")
        } catch {
            fatalError("dealreg-fuzz: cannot start enforcement: \(error)")
        }
        enforcement = endpoints
        clients[.enforcement] = connect(endpoints, Self.enforcementCallers + ["root"])
        let root = EnforcementClient(clients[.enforcement]!["root"]!)
        let registryRoot = RegistryClient(clients[.registry]!["root"]!)
        waitUntil("enforcement follows the registry's log") {
            let head = try registryRoot.status(timeout: deadline)
            let status = try root.status(timeout: deadline)
            return status.live && status.lastSeq >= head.lastSeq
        }
        // A bypass and a poaching, so case steps and sanctions have something to act on from the first input.
        for (index, bookedBy) in ["seller-1", "bolt"].enumerated() {
            let booking = SeedCorpus.booking(order: "harness-order-\(index)", customer: 0, bookedBy: bookedBy)
            do {
                _ = try root.recordBooking(booking, timeout: deadline)
            } catch {
                fatalError("dealreg-fuzz: enforcement refused a harness booking: \(error)")
            }
        }
    }

    private func run(_ name: String, _ service: ReactorService) {
        let alarms = alarms
        Task.detached {
            do {
                try await service.run()
                alarms.record("the \(name) stopped")
            } catch {
                alarms.record("the \(name) failed: \(error)")
            }
        }
    }

    private func waitForEndpoints(_ file: URL, _ name: String) throws -> ServiceEndpoints {
        for _ in 0..<1200 {
            if let endpoints = try? ServiceEndpoints.read(file) { return endpoints }
            if let alarm = alarms.first { fatalError("dealreg-fuzz: \(alarm)") }
            Thread.sleep(forTimeInterval: 0.025)
        }
        throw AddressError("the \(name) did not write \(file.path) within 30 s")
    }

    /// A client socket per principal to the api of `endpoints`.
    private func connect(_ endpoints: ServiceEndpoints, _ principals: [String]) -> [String: BusClient] {
        guard let api = endpoints.endpoints["api"], let serverKey = CurveKey(z85: endpoints.publicKey) else {
            fatalError("dealreg-fuzz: \(endpoints.service) announced no api or key")
        }
        var clients: [String: BusClient] = [:]
        for principal in principals {
            do {
                clients[principal] = try BusClient(
                    context: context, endpoint: ServiceEndpoints.connectable(api), serverKey: serverKey,
                    keyPair: keys[principal]!)
            } catch {
                fatalError("dealreg-fuzz: cannot connect \(principal) to \(endpoints.service): \(error)")
            }
        }
        return clients
    }

    private func waitUntil(_ what: String, _ condition: () throws -> Bool) {
        for _ in 0..<600 {
            if (try? condition()) == true { return }
            if let alarm = alarms.first { fatalError("dealreg-fuzz: \(alarm)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        fatalError("dealreg-fuzz: gave up waiting until \(what)")
    }

    private static func logger(_ name: String) -> Logger { Logger(label: name) }
}

/// What went wrong inside the services: a task that ended, a critical log record (a commit that failed, say).
/// Recorded by the services' threads, read by the fuzzing thread after each input. Thread-safe.
final class ServiceAlarms: Sendable {
    private let messages = Mutex<[String]>([])

    func record(_ message: String) { messages.withLock { $0.append(message) } }

    var first: String? { messages.withLock { $0.first } }
}

/// The services' log on standard error at `DEALREG_LOG_LEVEL` (error by default: a refused request is routine
/// here); a critical record also raises an alarm, since no input may make a service fail like that. A value;
/// `Sendable`.
struct AlarmingLogHandler: LogHandler {
    private var stream: StreamLogHandler
    private let label: String
    private let alarms: ServiceAlarms

    init(label: String, level: Logger.Level, alarms: ServiceAlarms) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = level
        self.label = label
        self.alarms = alarms
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level == .critical {
            alarms.record("the \(label) logged a critical error: \(event.message) \(event.metadata ?? [:])")
        }
        stream.log(event: event)
    }
}

#if FUZZING
    /// AddressSanitizer's count of the bytes allocated and not yet freed (quarantine excluded).
    @_silgen_name("__sanitizer_get_current_allocated_bytes")
    private func sanitizerAllocatedBytes() -> Int
#endif

/// The process's live heap, printed every 50,000 inputs and at exit in a fuzzing build: whether the services'
/// memory levels off or keeps growing under hostile input. (LeakSanitizer cannot judge a service that keeps state
/// across inputs, and reports as lost what GRDB's statement cache keeps through Swift enum payloads.)
enum HeapReport {
    static func print(after inputs: Int) {
        #if FUZZING
            let megabytes = Double(sanitizerAllocatedBytes()) / 1_048_576
            FileHandle.standardError.write(
                Data("dealreg-fuzz heap: \(String(format: "%.1f", megabytes)) MB live after \(inputs) inputs\n".utf8))
        #endif
    }
}
