import DealBus
import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import Logging
import ZeroMQ

/// The registry could not start; the reason names what to fix.
public struct RegistryStartError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// The registry's shell: owns the sockets and the store on one reactor thread, hands what arrives to the
/// `RegistryCore` with the moment it arrived, and performs the actions the core returns (replies, dispatches,
/// the turn's commit, publications). It decides nothing. Not thread-safe: everything runs on the reactor thread.
final class RegistryReactor {
    let configuration: RegistryConfiguration
    let logger: Logger
    let store: RegistryStore
    let keyPair: CurveKeyPair
    var core: RegistryCore
    /// Audits run on threads of their own; their answers wait here for the reactor.
    private let audits = BackgroundAudits()
    /// Copies of the database for the Backup request, made on threads of their own.
    private let backups: BackgroundBackups

    private var context: Context!
    private var api: Socket!
    private var work: Socket!
    private var events: Socket!
    private var sync: Socket!
    private var reactor: Reactor?
    /// Why this process stopped serving before it was asked to (the lease lost, a commit in doubt).
    private var steppedDown: RegistryStartError?
    /// Renews the lease on a thread of its own while this reactor shows progress (PostgreSQL); set before `run`.
    var leaseKeeper: LeaseKeeper?
    /// A commit failed on a PostgreSQL fault: it may have landed.
    private var commitInDoubt = false
    /// The last renewal failed (the database unreachable): logged once.
    private var leaseUnrenewed = false
    /// When the lease was last renewed (by the timer; commits renew it too).
    private var leaseRenewedAt = ContinuousClock.now
    /// Whether the lease may have expired since it was last renewed (the process was frozen, or the renewals
    /// failed): then it is renewed before anything is answered.
    private var leaseMayHaveLapsed: Bool {
        store.lease != nil && leaseRenewedAt.duration(to: .now) > .seconds(RegistryLease.seconds) - .milliseconds(500)
            && leaseTriedAt.duration(to: .now) > RegistryLease.renewal
    }
    /// When a renewal was last tried: a database that does not answer is not asked again at every request.
    private var leaseTriedAt = ContinuousClock.now

    /// The registry on `database` (opened by `RegistryService`), holding `lease` when the store is PostgreSQL.
    init(
        configuration: RegistryConfiguration, database: any SQLDatabase, lease: RegistryLease?, logger: Logger
    ) throws {
        self.configuration = configuration
        self.logger = logger
        store = try RegistryStore(database, lease: lease) { signedBefore in
            try LedgerKeys.load(configuration.ledgerKey, service: "registry", signedBefore: signedBefore)
        }
        var policy = configuration.policy
        if let file = configuration.policyFile {
            do {
                policy = try PolicyFile.load(file)
            } catch {
                throw RegistryStartError(reason: "policy file \(file.path): \(error)")
            }
        }
        let identity = try Keystore.loadOrCreate(configuration.serverKeyFile, id: PartyID("registry"), kind: .service)
        guard let pair = identity.keyPair else {
            throw KeystoreError.unreadable(path: configuration.serverKeyFile.path, reason: "bad key")
        }
        keyPair = pair
        let location = configuration.storeLocation
        backups = BackgroundBackups(
            service: "registry", directory: configuration.dataDirectory.appendingPathComponent("backups")
        ) { try DurableDatabase.backup(location, to: $0) }
        try Self.bootstrapParties(configuration, store: store, logger: logger)
        try AccountGrouping(store: store, policy: policy, logger: logger).run(now: configuration.now())
        var settings = RegistryCore.Settings()
        settings.workerTimeout = configuration.workerTimeout
        settings.checkTimeout = configuration.checkTimeout
        settings.maximumQueuedChecks = configuration.maximumQueuedChecks
        settings.policyFileConfigured = configuration.policyFile != nil
        settings.store = configuration.storeLocation.description
        settings.lease = lease
        if lease != nil { settings.storageRetryAfterMs = 1000 }
        core = try RegistryCore(records: store, policy: policy, settings: settings, logger: logger)
    }

    /// Adds the bootstrap file's parties (admin and service principals) that the store does not know, with their
    /// events, and brings the kind and name of known ones up to date. Never their keys: a key rotated or revoked
    /// with SetKey stays so, whatever an older bootstrap file says.
    private static func bootstrapParties(
        _ configuration: RegistryConfiguration, store: RegistryStore, logger: Logger
    ) throws {
        guard let file = configuration.bootstrapFile else { return }
        let known = Dictionary(uniqueKeysWithValues: try store.parties().map { ($0.id, $0) })
        let wanted = try JSONDecoder().decode([Party].self, from: Data(contentsOf: file)).map { party in
            guard let stored = known[party.id] else { return party }
            var kept = party
            kept.publicKey = stored.publicKey
            kept.standing = stored.standing
            return kept
        }
        var seq = try store.counters().seq
        var writes: [RegistryWrite] = []
        for party in wanted where known[party.id] != party {
            guard CurveKey(z85: party.publicKey) != nil || known[party.id] != nil, party.id.isWellFormed else {
                logger.error("bootstrap party skipped: bad id or key", metadata: ["party": "\(party.id)"])
                continue
            }
            seq += 1
            writes.append(RegistryWrite(.party(party), seq: seq, time: configuration.now(), answer: nil))
        }
        try store.commit(writes)
    }

    private var now: Moment { Moment(secondsSinceEpoch: configuration.now(), instant: .now) }

    /// Binds every socket, serves until the context is shut down or a drain completes, and returns.
    func run(context: Context, drain: DrainSignal? = nil, onReady: @Sendable (ServiceEndpoints) -> Void) throws {
        self.context = context
        let zap = try ZAPHandler(context: context) { [unowned self] request in self.core.admit(request) }
        api = try CurveSockets.server(
            context, .router, bind: configuration.apiEndpoint, keyPair: keyPair, domain: "api")
        work = try CurveSockets.server(
            context, .router, bind: configuration.workEndpoint, keyPair: keyPair, domain: "work")
        events = try CurveSockets.server(
            context, .publisher, bind: configuration.eventsEndpoint, keyPair: keyPair, domain: "events")
        sync = try CurveSockets.server(
            context, .router, bind: configuration.syncEndpoint, keyPair: keyPair, domain: "sync")
        defer {
            for socket in [api, work, events, sync, zap.socket] { socket?.close() }
        }

        let reactor = Reactor()
        self.reactor = reactor
        reactor.register(zap.socket) { try zap.handleOne() }
        reactor.register(api) { [unowned self] in
            // Woken after a freeze longer than the lease: nothing is answered before the lease is known to be held
            // (a standby may have taken over and changed what this process would read).
            if self.leaseMayHaveLapsed { self.renewLease() }
            guard self.steppedDown == nil else { return }
            try self.drain(self.api) { message in
                guard let request = RequestFrames(message) else { return }
                self.perform(self.core.api(request, at: self.now))
            }
        }
        reactor.register(work) { [unowned self] in
            try self.drain(self.work) { message in
                guard message.frames.count == 2 else { return }
                self.perform(
                    self.core.work(from: message.frames[0], key: message.userID, message.frames[1], at: self.now))
            }
        }
        reactor.register(sync) { [unowned self] in
            try self.drain(self.sync) { message in
                guard let request = RequestFrames(message) else { return }
                self.perform(self.core.sync(request))
            }
        }
        reactor.schedule(every: configuration.heartbeatInterval) { [unowned self] in
            self.perform(self.core.heartbeat(at: self.now))
        }
        reactor.schedule(every: .milliseconds(10)) { [unowned self] in
            self.perform(self.core.tick(at: self.now))
            for frames in self.audits.take() + self.backups.take() { self.send(self.api, frames) }
            if let drain, drain.isRequested { self.perform(self.core.drain(at: self.now)) }
        }
        reactor.atEndOfTurn { [unowned self] in
            self.perform(self.core.endOfTurn(at: self.now))
            self.leaseKeeper?.reactorProgressed()
        }
        if store.lease != nil {
            reactor.schedule(every: RegistryLease.renewal) { [unowned self] in self.renewLease() }
        }

        let endpoints = ServiceEndpoints(
            service: "registry",
            endpoints: [
                "api": try api.lastEndpoint(), "work": try work.lastEndpoint(), "events": try events.lastEndpoint(),
                "sync": try sync.lastEndpoint(),
            ], publicKey: keyPair.publicKey.z85, pid: getpid())
        try endpoints.write(to: configuration.endpointsFile)
        perform(core.start(at: now))
        logger.info(
            "registry serving",
            metadata: [
                "endpoints": "\(endpoints.endpoints)", "seq": "\(core.committed.seq)",
                "policy": "\(core.policy.version)",
            ])
        onReady(endpoints)
        try reactor.run()
        if let steppedDown { throw steppedDown }
        do {
            try store.keepHead(at: now.secondsSinceEpoch)
        } catch {
            logger.error("the last ledger head could not be kept", metadata: ["error": "\(error)"])
        }
        logger.info("registry stopped", metadata: ["seq": "\(core.committed.seq)"])
    }

    /// Handles up to a turn's worth of messages from `socket`, so one busy socket cannot starve the others.
    private func drain(_ socket: Socket, _ handle: (ZeroMQ.Message) -> Void) throws {
        for _ in 0..<512 {
            guard let message = try socket.receive(dontWait: true) else { return }
            handle(message)
            leaseKeeper?.reactorProgressed()
        }
    }

    /// Performs the core's actions in order; a commit's outcome goes back to the core, and so do its actions.
    private func perform(_ actions: [RegistryAction]) {
        for action in actions {
            switch action {
            case .reply(let route, let envelope): send(api, route + [envelope])
            case .replySync(let route, let envelope): send(sync, route + [envelope])
            case .sendWork(let worker, let message): send(work, [worker, message])
            case .write(let writes):
                let started = ContinuousClock.now
                let ledger: LedgerCommit
                do {
                    ledger = try store.commit(writes, at: now.secondsSinceEpoch)
                } catch let lost as LeaseLost {
                    // Nothing of the turn is answered: its requests are resent to the registry that took over.
                    stepDown(lost.description)
                    return
                } catch {
                    // On PostgreSQL a commit cut off by the server's loss may have landed: this process's counters
                    // can no longer be trusted, so it reloads (steps down) once the server answers again.
                    if StorageFault(error) != nil && store.lease != nil { commitInDoubt = true }
                    perform(core.commitFailed(error, at: now))
                    continue
                }
                perform(core.committed(started: started, at: now, ledger: ledger))
            case .publish(let topic, let event): send(events, [Array(topic.utf8), event])
            case .rebindEvents:
                do {
                    events = try CurveSockets.rebind(events, context, .publisher, keyPair: keyPair, domain: "events")
                    logger.notice("events socket bound afresh: a subscriber's key was revoked or replaced")
                } catch {
                    logger.error("events socket could not be bound afresh", metadata: ["error": "\(error)"])
                }
            case .audit(let route, let requestID, let request):
                let location = configuration.storeLocation
                let plan = AuditPlan(wire: request, keyring: store.keyring)
                audits.start(route: route, requestID: requestID, logger: logger) {
                    .init(service: "registry", try RegistryStore.verify(readingOnly: location, plan))
                }
            case .backup(let route, let requestID, let request):
                backups.serve(request, route: route, requestID: requestID, logger: logger)
            case .reloadPolicy(let route, let requestID):
                guard let file = configuration.policyFile else { continue }
                let loaded = Result { () throws(PolicyFile.Problem) in try PolicyFile.load(file) }
                perform(core.policyLoaded(loaded, route: route, requestID: requestID))
            case .stop:
                reactor?.stop()
            }
        }
    }

    /// Renews the lease (every `RegistryLease.renewal`). A process deposed meanwhile (frozen, cut off, its session ended) steps down at
    /// once; one whose commit failed in doubt steps down once the server answers again, to be reloaded.
    private func renewLease() {
        // A turn that took seconds: the lease keeper renewed the lease meanwhile, but it is worth knowing.
        let late = leaseTriedAt.duration(to: .now) - RegistryLease.renewal
        if late > .seconds(1) {
            logger.warning(
                "the reactor was busy: a lease renewal ran late",
                metadata: ["late_ms": "\(Int(late / .milliseconds(1)))"])
        }
        leaseTriedAt = .now
        if let lost = leaseKeeper?.lost {
            stepDown(lost.description)
            return
        }
        do {
            try store.renewLease()
            leaseRenewedAt = .now
            if leaseUnrenewed {
                leaseUnrenewed = false
                logger.notice("the database answers again; the lease is renewed")
            }
            if commitInDoubt {
                stepDown("a commit was cut off by the database's loss and may have landed: reloading from the store")
            }
        } catch let lost as LeaseLost {
            stepDown(lost.description)
        } catch {
            if !leaseUnrenewed {
                logger.error(
                    "the lease cannot be renewed: the database does not answer; changes get STORAGE_UNAVAILABLE",
                    metadata: ["store": "\(configuration.storeLocation)", "error": "\(error)"])
            }
            leaseUnrenewed = true
        }
    }

    /// Stops serving at once and makes `run` throw: the process exits, and its supervisor starts it again as a
    /// standby (which takes the lease back and reloads, when no other registry has).
    private func stepDown(_ reason: String) {
        guard steppedDown == nil else { return }
        logger.critical("registry stepping down", metadata: ["reason": "\(reason)"])
        steppedDown = RegistryStartError(reason: "stepped down: \(reason)")
        reactor?.stop()
    }

    private func send(_ socket: Socket, _ frames: [[UInt8]]) {
        do {
            try socket.send(frames: frames, dontWait: true)
        } catch {
            // The client went away (EHOSTUNREACH) or is not reading: its answer stays stored for a retry.
            logger.debug("reply not delivered", metadata: ["error": "\(error)"])
        }
    }
}
