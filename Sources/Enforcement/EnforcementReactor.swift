import DealBus
import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import Logging
import ZeroMQ

/// Enforcement's shell: owns the sockets, the event follower and the store on one reactor thread, hands what
/// arrives to the `EnforcementCore` with the moment it arrived, and performs the actions the core returns
/// (replies, the turn's commit, publications, standing requests to the registry). It decides nothing. Not
/// thread-safe: everything runs on the reactor thread.
final class EnforcementReactor {
    let configuration: EnforcementConfiguration
    let logger: Logger
    let store: EnforcementStore
    let keyPair: CurveKeyPair
    var core: EnforcementCore
    /// Audits run on threads of their own; their answers wait here for the reactor.
    private let audits = BackgroundAudits()
    /// Copies of the database for the Backup request, made on threads of their own.
    private let backups: BackgroundBackups
    /// The index snapshot a restart starts from, written on a thread of its own.
    private let snapshots: IndexSnapshots

    private var context: Context!
    private var api: Socket!
    /// Enforcement's own PUB: case steps, sanctions and escalations as they are committed.
    private var events: Socket!
    /// A DEALER to the registry's api, where sanctions take effect; nil when no api endpoint is configured.
    private var registry: Socket?
    private var follower: EventFollower!
    /// A commit failed on a PostgreSQL fault: it may have landed, so the service reloads once the server answers.
    private var commitInDoubt = false
    /// Set when the reactor stopped to reload.
    private var reloadNeeded = false
    private var reactor: Reactor?

    init(configuration: EnforcementConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        var policy = ProgramPolicy()
        if let file = configuration.policyFile {
            do {
                policy = try PolicyFile.load(file)
            } catch {
                throw AddressError("policy file \(file.path): \(error)")
            }
        }
        store = try EnforcementStore(Self.open(configuration, logger: logger)) { signedBefore in
            try LedgerKeys.load(configuration.ledgerKey, service: "enforcement", signedBefore: signedBefore)
        }
        let identity = try Keystore.loadOrCreate(
            configuration.serverKeyFile, id: PartyID("enforcement"), kind: .service)
        guard let pair = identity.keyPair else {
            throw KeystoreError.unreadable(path: configuration.serverKeyFile.path, reason: "bad key")
        }
        keyPair = pair
        let location = configuration.storeLocation
        backups = BackgroundBackups(
            service: "enforcement", directory: configuration.dataDirectory.appendingPathComponent("backups")
        ) { try DurableDatabase.backup(location, to: $0) }
        let bootstrap = try configuration.bootstrapFile.map {
            try JSONDecoder().decode([Party].self, from: Data(contentsOf: $0))
        }
        var settings = EnforcementCore.Settings()
        settings.sendsStandings = !configuration.registryAPIEndpoint.isEmpty
        snapshots = IndexSnapshots(
            file: configuration.snapshotFile, registry: configuration.registryKey, events: nil,
            interval: .seconds(60), logger: logger)
        let clock = ContinuousClock()
        let began = clock.now
        let snapshot = Self.loadSnapshot(snapshots, logger: logger)
        core = try EnforcementCore(
            records: store, policy: policy, bootstrap: bootstrap ?? [], settings: settings,
            snapshot: snapshot.map { ($0.index, $0.seq) }, logger: logger)
        if core.mirror.snapshotSeq == nil { snapshots.forget() }
        logger.info(
            core.mirror.snapshotSeq == nil
                ? "accounts indexed from the store"
                : "accounts indexed from the snapshot and the store's changes after it",
            metadata: [
                "snapshot_seq": "\(core.mirror.snapshotSeq.map(String.init) ?? "none")",
                "cursor": "\(core.committed.cursor)", "accounts": "\(core.mirror.index.count)",
                "ms": "\(Int(began.duration(to: clock.now) / .milliseconds(1)))",
            ])
    }

    /// The index snapshot when there is a usable one; nil when there is none, or when it is damaged, another
    /// registry's or another matcher's (then the accounts are indexed from the store).
    private static func loadSnapshot(_ snapshots: IndexSnapshots, logger: Logger) -> IndexSnapshotFile.Loaded? {
        do {
            return try snapshots.load()
        } catch {
            logger.warning(
                "the index snapshot is not usable; indexing the accounts from the store",
                metadata: ["file": "\(snapshots.file.file.path)", "error": "\(error)"])
            return nil
        }
    }

    private var now: Moment { Moment(secondsSinceEpoch: configuration.now(), instant: .now) }

    /// The store's database; a PostgreSQL server that does not answer yet (starting with the host, restarting) is
    /// waited for, a second at a time, for up to a minute.
    private static func open(_ configuration: EnforcementConfiguration, logger: Logger) throws -> any SQLDatabase {
        for attempt in 1...60 {
            do {
                return try StoreDatabases.open(
                    configuration.storeLocation, schema: "enforcement",
                    migrations: StoreMigrations(sqlite: [], postgres: []),
                    mustExist: FileManager.default.fileExists(atPath: configuration.serverKeyFile.path),
                    applicationName: "dealreg-enforce")
            } catch let fault as StorageFault where attempt < 60 {
                if attempt == 1 {
                    logger.error(
                        "the database does not answer; retrying every second",
                        metadata: ["store": "\(configuration.storeLocation)", "error": "\(fault)"])
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        preconditionFailure("the last attempt throws")
    }

    /// Binds every socket, follows the registry's events from the stored cursor, serves until the context is shut
    /// down or a drain completes, and returns.
    func run(context: Context, drain: DrainSignal? = nil, onReady: @Sendable (ServiceEndpoints) -> Void) throws {
        self.context = context
        let zap = try ZAPHandler(context: context) { [unowned self] request in self.core.admit(request) }
        api = try CurveSockets.server(
            context, .router, bind: configuration.apiEndpoint, keyPair: keyPair, domain: "api")
        events = try CurveSockets.server(
            context, .publisher, bind: configuration.eventsEndpoint, keyPair: keyPair, domain: "events")
        defer {
            for socket in [api, events, zap.socket] { socket?.close() }
        }
        let reactor = Reactor()
        self.reactor = reactor
        reactor.register(zap.socket) { try zap.handleOne() }
        reactor.register(api) { [unowned self] in
            while let message = try self.api.receive(dontWait: true) {
                guard let request = RequestFrames(message) else { continue }
                self.perform(self.core.api(request, at: self.now))
            }
        }
        // On SIGTERM: keep serving until a check finds nothing more to read (or 2 s), so every booking already
        // sent is committed and answered; the turn's end-of-turn commit runs before the reactor returns.
        reactor.schedule(every: .milliseconds(50)) { [unowned self] in
            if let drain, drain.isRequested { self.perform(self.core.drain(at: self.now)) }
        }
        reactor.schedule(every: .milliseconds(10)) { [unowned self] in
            self.perform(self.core.tick(at: self.now, eventsLive: self.follower?.isLive ?? false))
            for frames in self.audits.take() + self.backups.take() { self.send(self.api, frames) }
        }
        reactor.schedule(every: .seconds(1)) { [unowned self] in
            self.perform(self.core.sweep(at: self.now))
            // Between turns: the index is the committed state, at the committed cursor.
            if self.follower?.isLive == true {
                self.snapshots.keep(self.core.mirror.index, seq: self.core.committed.cursor)
            }
            if self.commitInDoubt, (try? self.store.database.read { db in try db.exists("SELECT 1") }) == true {
                self.logger.critical(
                    "a commit was cut off by the database's loss and may have landed: stopping to reload from the store"
                )
                self.reloadNeeded = true
                reactor.stop()
            }
        }
        if !configuration.registryAPIEndpoint.isEmpty {
            let socket = try CurveSockets.client(
                context, .dealer, connect: configuration.registryAPIEndpoint, serverKey: configuration.registryKey,
                keyPair: configuration.keyPair)
            registry = socket
            reactor.register(socket) { [unowned self] in
                while let message = try socket.receive(dontWait: true) {
                    self.perform(self.core.registryReply(message.payload, at: self.now))
                }
            }
        }
        defer { registry?.close() }
        follower = try EventFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: configuration.registryEventsEndpoint, syncEndpoint: configuration.registrySyncEndpoint,
                serverKey: configuration.registryKey, keyPair: configuration.keyPair),
            lastApplied: core.committed.cursor, logger: logger
        ) { [unowned self] events in self.perform(self.core.events(events, at: self.now)) }
        reactor.atEndOfTurn { [unowned self] in self.perform(self.core.endOfTurn(at: self.now)) }
        let endpoints = ServiceEndpoints(
            service: "enforcement", endpoints: ["api": try api.lastEndpoint(), "events": try events.lastEndpoint()],
            publicKey: keyPair.publicKey.z85, pid: getpid())
        try endpoints.write(to: configuration.endpointsFile)
        logger.info("enforcement serving", metadata: ["cursor": "\(core.committed.cursor)"])
        onReady(endpoints)
        try reactor.run()
        if reloadNeeded { throw AddressError("enforcement stopped to reload after a commit in doubt") }
        // A shutdown ends the loop between a turn's handlers and its end: what the turn staged is still written.
        perform(core.endOfTurn(at: now))
        do {
            try store.keepHead(at: now.secondsSinceEpoch)
        } catch {
            logger.error("the last ledger head could not be kept", metadata: ["error": "\(error)"])
        }
        // The index as committed, for the next start (written unless the snapshot is at this cursor already).
        snapshots.keep(core.mirror.index, seq: core.committed.cursor, now: true)
        logger.info("enforcement stopped", metadata: ["cursor": "\(core.committed.cursor)"])
    }

    /// Performs the core's actions in order; a commit's outcome goes back to the core, and so do its actions.
    private func perform(_ actions: [EnforcementAction]) {
        for action in actions {
            switch action {
            case .reply(let route, let envelope): send(api, route + [envelope])
            case .write(let changes):
                do {
                    try store.commit(changes, at: now.secondsSinceEpoch)
                } catch {
                    // On PostgreSQL a commit cut off by the server's loss may have landed: the counters can no longer
                    // be trusted, so the service reloads (exits, to be restarted) once the server answers again.
                    if StorageFault(error) != nil && store.database.engine == .postgres { commitInDoubt = true }
                    perform(core.commitFailed(error, at: now))
                    continue
                }
                perform(core.committed(at: now, head: store.ledgerHead))
            case .publish(let topic, let body): send(events, [Array(topic.utf8), body])
            case .sendRegistry(let envelope):
                guard let registry else { continue }
                send(registry, [envelope])
            case .rebindEvents:
                do {
                    events = try CurveSockets.rebind(events, context, .publisher, keyPair: keyPair, domain: "events")
                    logger.notice("events socket bound afresh: a subscriber's key was revoked or replaced")
                } catch {
                    logger.error("events socket could not be bound afresh", metadata: ["error": "\(error)"])
                }
            case .rewindEvents(let seq):
                do {
                    try follower.rewind(to: seq)
                } catch {
                    logger.error("event replay could not be asked for", metadata: ["error": "\(error)"])
                }
            case .audit(let route, let requestID, let request):
                let location = configuration.storeLocation
                let plan = AuditPlan(wire: request, keyring: store.keyring)
                audits.start(route: route, requestID: requestID, logger: logger) {
                    .init(service: "enforcement", try EnforcementStore.verify(readingOnly: location, plan))
                }
            case .backup(let route, let requestID, let request):
                backups.serve(request, route: route, requestID: requestID, logger: logger)
            case .stop:
                reactor?.stop()
            }
        }
    }

    private func send(_ socket: Socket, _ frames: [[UInt8]]) {
        do {
            try socket.send(frames: frames, dontWait: true)
        } catch {
            // The client went away (EHOSTUNREACH) or is not reading: a booking's answer stays stored for a retry.
            logger.debug("not delivered", metadata: ["error": "\(error)"])
        }
    }
}
