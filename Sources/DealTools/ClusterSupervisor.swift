import DealBus
import DealModel
import DealStore
import DealWire
import Foundation
import Synchronization
import ZeroMQ

/// Starts the services of a local cluster as child processes, restarts one that dies, grows and shrinks an elastic
/// pool of check workers (`ElasticPool`), and stops them all in order. Thread-safe for `requestStop()`; everything
/// else runs on the thread that calls `run()`.
final class ClusterSupervisor: Sendable {
    struct Child {
        let name: String
        let arguments: [String]
        var process: Process
    }

    let data: URL
    let binaries: URL
    let listen: String
    let basePort: Int
    /// The check workers: a fixed number (minimum and maximum equal), or the bounds of an elastic pool and when it
    /// changes size.
    let pool: PoolScaler.Settings
    /// Stop the cluster when the process that started `dealreg up` is gone (tests, scripts).
    let stopWithParent: Bool
    /// How long start-up may take: workers replay the whole event log first (about a minute per million).
    let readyTimeout: Duration
    /// Extra arguments of the registry (its policy file, a test clock).
    let registryArguments: [String]
    /// The store of the registry and enforcement (`--store`), nil for SQLite files in their data directories; its
    /// password, if any, goes to them in the environment, never on a command line.
    let store: StoreLocation?
    /// Registry processes on the store: one active, the others standbys (PostgreSQL only).
    let registries: Int
    private let stopRequested = Mutex(false)

    init(
        data: URL, binaries: URL, listen: String, basePort: Int, pool: PoolScaler.Settings,
        stopWithParent: Bool = false, readyTimeout: Duration = .seconds(300), registryArguments: [String] = [],
        store: StoreLocation? = nil, registries: Int = 1
    ) {
        self.store = store
        self.registries = registries
        self.registryArguments = registryArguments
        self.stopWithParent = stopWithParent
        self.readyTimeout = readyTimeout
        self.data = data
        self.binaries = binaries
        self.listen = listen
        self.basePort = basePort
        self.pool = pool
    }

    func requestStop() { stopRequested.withLock { $0 = true } }
    private var stopping: Bool { stopRequested.withLock { $0 } }

    private func endpoint(_ offset: Int) -> String {
        "tcp://\(listen):\(basePort == 0 ? "*" : String(basePort + offset))"
    }

    /// Creates keys and the bootstrap file on first run; returns the admin identity.
    func prepare() throws -> Identity {
        let keystore = Keystore(directory: data.appendingPathComponent("keys"))
        try keystore.secureDirectory()
        for folder in ["logs", "registry", "enforcement"] {
            try FileManager.default.createDirectory(
                at: data.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var parties: [Party] = []
        var admin: Identity?
        for (id, kind, name) in [
            ("admin", PartyKind.admin, "Cluster administrator"), ("svc-check", .checkWorker, "Check workers"),
            ("svc-enforce", .enforcementService, "Enforcement"),
        ] {
            let partyID = PartyID(id)
            let identity =
                keystore.contains(partyID)
                ? try keystore.load(partyID)
                : Identity(id: partyID, kind: kind, keyPair: try CurveKeyPair.generate())
            if !keystore.contains(partyID) { try keystore.save(identity) }
            parties.append(Party(id: partyID, kind: kind, name: name, publicKey: identity.publicKey))
            if kind == .admin { admin = identity }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(parties).write(to: bootstrapFile, options: .atomic)
        return admin!
    }

    var bootstrapFile: URL { data.appendingPathComponent("bootstrap.json") }
    var registryEndpointsFile: URL { data.appendingPathComponent("registry/endpoints.json") }
    var enforcementEndpointsFile: URL { data.appendingPathComponent("enforcement/endpoints.json") }

    /// The `--store` arguments of the registry and enforcement, the password left out (it goes in the environment).
    private var storeArguments: [String] {
        switch store {
        case nil: []
        case .sqlite(let file)?: ["--store", "sqlite:\(file.path)"]
        case .postgres(let location)?: ["--store", location.withoutPassword.description]
        }
    }

    /// Launches a child with its output appended to `logs/NAME.log`.
    func launch(_ name: String, _ executable: String, _ arguments: [String]) throws -> Child {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(executable)
        if case .postgres(let location)? = store, let password = location.password {
            process.environment = ProcessInfo.processInfo.environment.merging(["DEALREG_STORE_PASSWORD": password]) {
                $1
            }
        }
        // Supervised children never outlive the supervisor, even one killed with SIGKILL.
        process.arguments = arguments + ["--stop-with-parent"]
        let log = data.appendingPathComponent("logs/\(name).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Child(name: name, arguments: arguments, process: process)
    }

    /// Waits until `file` is written by process `pid`; returns its endpoints.
    func awaitEndpoints(_ file: URL, pid: Int32, child: Child, timeout: Duration = .seconds(60)) throws
        -> ServiceEndpoints
    {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            guard !stopping else { throw Self.stoppedBeforeReady }
            if let endpoints = try? ServiceEndpoints.read(file), endpoints.pid == pid { return endpoints }
            guard child.process.isRunning else {
                throw AddressError(
                    "\(child.name) exited (status \(child.process.terminationStatus)); see \(data.path)/logs/\(child.name).log"
                )
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw AddressError("\(child.name) did not start within \(timeout); see \(data.path)/logs/\(child.name).log")
    }

    /// The command line of the registry or enforcement, binding the given endpoints (`api`, `work`, ...).
    private func arguments(of service: String, binding endpoints: [String: String]) -> [String] {
        let sockets = endpoints.sorted { $0.key < $1.key }.flatMap { ["--\($0.key)", $0.value] }
        var arguments = ["--data", data.appendingPathComponent(service).path] + sockets + storeArguments
        if service == "enforcement" {
            arguments += [
                "--registry-endpoints", registryEndpointsFile.path, "--key",
                data.appendingPathComponent("keys/svc-enforce.key").path,
            ]
        }
        if service == "registry" { arguments += registryArguments }
        // Enforcement runs under the same policy file and (in tests) the same moved clock.
        for flag in ["--policy", "--clock-offset-file"] where service == "enforcement" {
            if let index = registryArguments.firstIndex(of: flag) {
                arguments += registryArguments[index...(index + 1)]
            }
        }
        return arguments + ["--bootstrap", bootstrapFile.path]
    }

    /// Launches a service that binds sockets into `children`, waits until it serves, and pins its restarts to the
    /// ports it got.
    private func launchPinned(
        _ service: String, _ executable: String, binding endpoints: [String: String], announcedIn file: URL,
        into children: inout [Child]
    ) throws -> ServiceEndpoints {
        try? FileManager.default.removeItem(at: file)
        let child = try launch(service, executable, arguments(of: service, binding: endpoints))
        // Listed before it serves, so that a stop during start-up stops it too.
        children.append(child)
        let resolved = try awaitEndpoints(file, pid: child.process.processIdentifier, child: child)
        children[children.count - 1] = Child(
            name: service, arguments: arguments(of: service, binding: resolved.endpoints), process: child.process)
        return resolved
    }

    /// Launches the registries of a failover group on one PostgreSQL store, sharing the `registry` folder (its
    /// server key, ledger key and backups): the first, which takes the lease on a free store, then the standbys,
    /// each on ports of its own fixed up front. Writes the group's endpoints file (every registry's endpoint in
    /// each list), which workers, enforcement and the command line follow. Returns it.
    private func launchGroup(into children: inout [Child]) throws -> ServiceEndpoints {
        let ports = try (0..<registries).map { index in
            try (0..<4).map { socket in
                basePort == 0 ? try FreePort.pick(on: listen) : basePort + 20 + 10 * index + socket
            }
        }
        var first: ServiceEndpoints?
        for index in 0..<registries {
            let name = "registry-\(index + 1)"
            let binding = Dictionary(
                uniqueKeysWithValues: zip(["api", "work", "events", "sync"], ports[index]).map {
                    ($0, "tcp://\(listen):\($1)")
                })
            let announced = data.appendingPathComponent("registry/\(name).json")
            try? FileManager.default.removeItem(at: announced)
            let arguments =
                arguments(of: "registry", binding: binding) + ["--instance", name, "--announce", announced.path]
            let child = try launch(name, "dealreg-registry", arguments)
            children.append(child)
            // The first takes the lease (a free store, or one whose holder is gone) and makes the server key the
            // others share: the standbys start once it serves.
            if index == 0 { first = try awaitEndpoints(announced, pid: child.process.processIdentifier, child: child) }
        }
        guard let first else { throw AddressError("no registry started") }
        var lists: [String: String] = [:]
        for name in ["api", "work", "events", "sync"] {
            let position = ["api", "work", "events", "sync"].firstIndex(of: name)!
            lists[name] = ports.map { "tcp://\(listen):\($0[position])" }.map(ServiceEndpoints.connectable)
                .joined(separator: ",")
        }
        let group = ServiceEndpoints(service: "registry", endpoints: lists, publicKey: first.publicKey, pid: 0)
        try group.write(to: registryEndpointsFile)
        return group
    }

    /// What `run()` throws when a stop (a signal, the parent gone) comes before the cluster is ready.
    static let stoppedBeforeReady = AddressError("Stopped before the cluster was ready.")

    /// Requests a stop once the process that started `dealreg up` is gone, from start-up on; polls on a thread of
    /// its own until a stop is requested.
    private func watchParent() {
        Thread.detachNewThread { [self] in
            while !stopping {
                if LaunchingParent.isGone {
                    FileHandle.standardError.write(Data("dealreg: parent process gone; stopping\n".utf8))
                    requestStop()
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
    }

    /// Starts everything, prints the ready line, supervises until a stop is requested, then stops in order.
    func run() throws {
        if stopWithParent { watchParent() }
        let admin = try prepare()
        var children: [Child] = []
        defer { stop(children) }
        let registryEndpoints =
            registries > 1
            ? try launchGroup(into: &children)
            : try launchPinned(
                "registry", "dealreg-registry",
                binding: ["api": endpoint(0), "work": endpoint(1), "events": endpoint(2), "sync": endpoint(3)],
                announcedIn: registryEndpointsFile, into: &children)
        for index in 1...max(1, pool.minimum) { children.append(try launchWorker("check-\(index)")) }
        let enforcementEndpoints = try launchPinned(
            "enforcement", "dealreg-enforce", binding: ["api": endpoint(10), "events": endpoint(11)],
            announcedIn: enforcementEndpointsFile, into: &children)

        try awaitServing(
            admin: admin, registry: registryEndpoints, enforcement: enforcementEndpoints, children: children)
        print(
            "dealreg ready: registry \(ServiceEndpoints.connectable(registryEndpoints.endpoints["api"]!))"
                + (registries > 1 ? " (\(registries) registries, one active)" : "") + ", "
                + "\(pool.minimum) check worker(s)\(pool.maximum > pool.minimum ? " (up to \(pool.maximum))" : ""), "
                + "enforcement \(ServiceEndpoints.connectable(enforcementEndpoints.endpoints["api"]!)), "
                + "data \(data.path)")
        fflush(nil)

        let elastic =
            pool.maximum > pool.minimum
            ? ElasticPool(
                settings: pool, client: try statusClient(admin: admin, registry: registryEndpoints),
                launch: launchWorker)
            : nil
        // When each exited child of a failover group is due for its restart.
        var restartDue: [String: ContinuousClock.Instant] = [:]
        while !stopping {
            Thread.sleep(forTimeInterval: 0.2)
            try elastic?.step(&children, at: .now)
            for (index, child) in children.enumerated()
            where !child.process.isRunning && !stopping && elastic?.isRetiring(child.name) != true {
                let now = ContinuousClock.now
                if restartDue[child.name] == nil {
                    let delay = restartDelay(of: child.name)
                    restartDue[child.name] = now + delay
                    FileHandle.standardError.write(
                        Data(
                            ("dealreg: \(child.name) exited (status \(child.process.terminationStatus)); restarting"
                                + (delay > .zero ? " in \(delay) (a standby takes over first)" : "") + "\n").utf8))
                }
                guard let due = restartDue[child.name], due <= now else { continue }
                restartDue[child.name] = nil
                let executable = child.process.executableURL!.lastPathComponent
                let restarted = try launch(child.name, executable, child.arguments)
                children[index] = restarted
            }
        }
    }

    /// How long an exited child waits for its restart. A registry of a failover group waits one lease: restarted at
    /// once it would race its standby for the lease its death freed (the standby polls every 200 ms, and a restart
    /// that wins it makes the failover a restart of the same process); after one lease the standby holds it and the
    /// restarted one waits as a standby in turn (two seconds: `RegistryLease.seconds`). Anything else restarts at once.
    private func restartDelay(of name: String) -> Duration {
        registries > 1 && name.hasPrefix("registry-") ? .seconds(2) : .zero
    }

    /// Launches check worker `name` (`check-N`), with its log in `logs/NAME.log`.
    private func launchWorker(_ name: String) throws -> Child {
        try launch(
            name, "dealreg-check",
            [
                "--registry-endpoints", registryEndpointsFile.path,
                "--key", data.appendingPathComponent("keys/svc-check.key").path, "--name", name,
                // One snapshot for the host's workers: a worker added to the pool starts from it.
                "--snapshots", data.appendingPathComponent("check").path,
            ])
    }

    /// A client of the registry's api as the admin, whose status shows the queue and the workers.
    private func statusClient(admin: Identity, registry: ServiceEndpoints) throws -> RegistryClient {
        try RegistryClient(
            context: Context(), endpoint: ServiceEndpoints.connectable(registry.endpoints["api"]!),
            serverKey: CurveKey(z85: registry.publicKey)!, keyPair: admin.keyPair!)
    }

    /// Polls the registry until every worker is ready and enforcement until it is live.
    private func awaitServing(
        admin: Identity, registry: ServiceEndpoints, enforcement: ServiceEndpoints, children: [Child]
    ) throws {
        let registryClient = try statusClient(admin: admin, registry: registry)
        let enforcementClient = try EnforcementClient(
            context: Context(), endpoint: ServiceEndpoints.connectable(enforcement.endpoints["api"]!),
            serverKey: CurveKey(z85: enforcement.publicKey)!, keyPair: admin.keyPair!)
        let deadline = ContinuousClock.now.advanced(by: readyTimeout)
        var workersReady = false
        var enforcementLive = false
        while !(workersReady && enforcementLive) {
            guard !stopping else { throw Self.stoppedBeforeReady }
            guard ContinuousClock.now < deadline else {
                throw AddressError("The cluster did not become ready; see the logs in \(data.path)/logs.")
            }
            if let dead = children.first(where: { !$0.process.isRunning }) {
                throw AddressError("\(dead.name) exited during start-up; see \(data.path)/logs/\(dead.name).log")
            }
            if !workersReady, let status = try? registryClient.status(timeout: .seconds(2)) {
                workersReady = status.readyWorkers >= UInt32(max(1, pool.minimum))
            }
            if !enforcementLive, let status = try? enforcementClient.status(timeout: .seconds(2)) {
                enforcementLive = status.live
            }
            if !(workersReady && enforcementLive) { Thread.sleep(forTimeInterval: 0.1) }
        }
    }

    /// Workers and enforcement first, the registry last, each with SIGTERM and up to 10 s before SIGKILL.
    private func stop(_ children: [Child]) {
        terminate(children.filter { !$0.name.hasPrefix("registry") })
        terminate(children.filter { $0.name.hasPrefix("registry") })
    }

    private func terminate(_ children: [Child]) {
        for child in children where child.process.isRunning { child.process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        for child in children {
            while child.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) }
        }
    }
}
