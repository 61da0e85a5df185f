import DealBus
import DealModel
import DealWire
import Logging
import Matching
import ZeroMQ

/// A conflict-check worker: keeps an in-memory index of the accounts (one entry each, under their spellings),
/// replicated from the registry's event log, and answers checks under the credit protocol. Not thread-safe: runs on its one reactor thread.
final class CheckWorker {
    private let configuration: CheckWorkerConfiguration
    private let logger: Logger
    private var index = CustomerIndex<AccountID>()
    /// The customers of the checks this worker answered, prepared, until their registration's event arrives: the
    /// registration that follows a check adds the very customer it was checked with, which need not be normalised
    /// again (half the worker's cost of applying an event). At most `preparedLimit`; a check whose registration never
    /// comes (a duplicate, a refusal) is forgotten when the map is full.
    private var prepared: [Customer: PreparedCustomer] = [:]
    private static let preparedLimit = 4096
    /// Reads only what the index needs of each event (`Dealreg_V1_WorkerEvent`): decoding whole events was a sixth
    /// of the worker's instructions.
    private var follower: EventStreamFollower<Dealreg_V1_WorkerEvent>!
    private var work: Socket?
    private var announced = false
    private var lastHeard = ContinuousClock.now
    /// The host's index snapshot, when a folder is configured.
    private var snapshots: IndexSnapshots?
    /// Since when the worker has been leaving: it sent `disconnect` and waits for the registry's, which says the
    /// registry took back every check it had sent here.
    private var leavingSince: ContinuousClock.Instant?

    init(configuration: CheckWorkerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        snapshots = configuration.snapshotDirectory.map {
            IndexSnapshots(
                file: IndexSnapshotFile(directory: $0), registry: configuration.registryKey,
                events: configuration.snapshotEvents, interval: configuration.snapshotInterval, logger: logger)
        }
    }

    /// Starts the index from the host's snapshot when there is a usable one; returns the seq it is up to (0:
    /// none, the whole log is replayed).
    private func loadSnapshot() -> UInt64 {
        guard let snapshots else { return 0 }
        let clock = ContinuousClock()
        let began = clock.now
        do {
            guard let loaded = try snapshots.load() else { return 0 }
            index = loaded.index
            logger.info(
                "index loaded from the host's snapshot; replaying the events after it",
                metadata: [
                    "seq": "\(loaded.seq)", "entries": "\(index.count)", "bytes": "\(loaded.bytes)",
                    "ms": "\(Int(began.duration(to: clock.now) / .milliseconds(1)))",
                ])
            return loaded.seq
        } catch {
            logger.warning(
                "the host's snapshot is not usable; replaying the whole log",
                metadata: ["file": "\(snapshots.file.file.path)", "error": "\(error)"])
            return 0
        }
    }

    /// Serves until the context is shut down, or until `drain` is requested and the registry took the checks in hand
    /// back (`leave`).
    func run(context: Context, drain: DrainSignal? = nil) throws {
        let reactor = Reactor()
        let started = loadSnapshot()
        follower = try EventStreamFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: configuration.eventsEndpoint, syncEndpoint: configuration.syncEndpoint,
                serverKey: configuration.registryKey, keyPair: configuration.keyPair),
            lastApplied: started, logger: logger,
            forget: { [unowned self] in
                index = CustomerIndex()
                snapshots?.forget()
            }
        ) { [unowned self] events in self.apply(events) }
        try connect(reactor: reactor, context: context)
        reactor.schedule(every: configuration.heartbeatInterval) { [unowned self] in
            try self.tick(reactor: reactor, context: context)
            if follower.isLive { snapshots?.keep(index, seq: follower.lastApplied) }
        }
        if let drain {
            reactor.schedule(every: .milliseconds(20)) { [unowned self] in
                if drain.isRequested { try self.leave(reactor: reactor) }
            }
        }
        defer {
            // Stopped without leaving (the context shut down): the registry re-queues this worker's checks once its
            // heartbeats stop.
            if let work, leavingSince == nil {
                var bye = WireWorkMessage()
                bye.disconnect.reason = "worker stopping"
                _ = try? work.send((try? bye.serializedBytes()) ?? [], dontWait: true)
                work.close()
            }
            // The index as it stands, for the next worker of this host to start from.
            if follower.isLive { snapshots?.keep(index, seq: follower.lastApplied, now: true) }
        }
        logger.info("check worker started", metadata: ["name": "\(configuration.name)"])
        try reactor.run()
        logger.info("check worker stopped", metadata: ["indexed": "\(index.count)"])
    }

    /// Indexes accounts, one entry each under its spellings: every registration adds its customer as a spelling of
    /// its account (the first `Account.maximumSpellings` distinct ones count), and an `account` event (a merge or a
    /// split) sets an account's spellings, or removes a merged one. Which of an account's registrations can conflict
    /// is the registry's to read, exactly, from its store: the worker only finds the accounts. Runs of spellings (a
    /// replay page) go in together, normalised on every core. A registration of a store from before accounts names
    /// none: the registry re-publishes it with its account when it groups them.
    private func apply(_ events: [Dealreg_V1_WorkerEvent]) {
        var spellings: [(id: AccountID, customer: Customer)] = []
        func flush() {
            if spellings.count == 1 {
                index.addSpelling(spellings[0].id, customer: spellings[0].customer)
            } else if !spellings.isEmpty {
                index.addSpellings(contentsOf: spellings)
            }
            spellings.removeAll()
        }
        for event in events {
            switch event.payload {
            case .registration(let wire)?:
                guard !wire.accountID.isEmpty else { continue }
                let customer = Customer(wire: wire.request.customer)
                if let prepared = prepared.removeValue(forKey: customer) {
                    flush()
                    index.addSpelling(AccountID(wire.accountID), prepared: prepared)
                } else {
                    spellings.append((AccountID(wire.accountID), customer))
                }
            case .account(let wire)?:
                guard let account = Account(wire: wire) else { continue }
                flush()
                if account.mergedInto != nil {
                    index.remove(account.id)
                } else {
                    index.replace(account.id, spellings: account.spellings)
                }
            default:
                continue
            }
        }
        flush()
    }

    /// A new DEALER to the registry (Paranoid Pirate: a fresh socket after the registry went silent).
    private func connect(reactor: Reactor, context: Context) throws {
        if let work {
            reactor.unregister(work)
            work.close()
        }
        let socket = try CurveSockets.client(
            context, .dealer, connect: configuration.workEndpoint, serverKey: configuration.registryKey,
            keyPair: configuration.keyPair)
        work = socket
        announced = false
        lastHeard = .now
        reactor.register(socket) { [unowned self] in try self.drain(socket, reactor: reactor) }
    }

    private func announce() throws {
        var message = WireWorkMessage()
        message.ready.capacity = UInt32(configuration.capacity)
        message.ready.workerName = configuration.name
        message.ready.watermark = follower.lastApplied
        // With a failover group's endpoints, nothing is sent while no registry serves: announced at a later tick.
        announced = try work?.send((try message.serializedBytes() as [UInt8]), dontWait: true) ?? false
        guard announced else { return }
        logger.info("announced to the registry", metadata: ["watermark": "\(follower.lastApplied)"])
    }

    /// A graceful stop, one step at a time: every check read so far is answered already (each is answered as it is
    /// read), so the worker sends `disconnect`, which has the registry re-queue whatever else it sent here, first in
    /// line for the other workers; checks that arrive after it are left unanswered. The registry's `disconnect` in
    /// return (it comes after every check it sent here) ends the worker; without it within the registry timeout, the
    /// worker stops anyway and the registry re-queues its checks once its heartbeats stop.
    private func leave(reactor: Reactor) throws {
        if let leavingSince {
            if leavingSince.duration(to: .now) > configuration.registryTimeout {
                logger.warning("the registry did not acknowledge the disconnect; stopping")
                reactor.stop()
            }
            return
        }
        guard let work, announced else {
            reactor.stop()
            return
        }
        var bye = WireWorkMessage()
        bye.disconnect.reason = "worker stopping"
        try work.send((try bye.serializedBytes() as [UInt8]), dontWait: true)
        leavingSince = .now
        logger.notice("leaving: every check read is answered; handing the others back")
    }

    private func tick(reactor: Reactor, context: Context) throws {
        // Announce only once the index has caught up: answers from a cold index would all need re-checking.
        guard follower.isLive, leavingSince == nil else { return }
        if !announced {
            try announce()
            return
        }
        if lastHeard.duration(to: .now) > configuration.registryTimeout {
            logger.warning("registry silent; reconnecting")
            try connect(reactor: reactor, context: context)
            try announce()
            return
        }
        var beat = WireWorkMessage()
        beat.heartbeat.watermark = follower.lastApplied
        try work?.send((try beat.serializedBytes() as [UInt8]), dontWait: true)
    }

    private func drain(_ socket: Socket, reactor: Reactor) throws {
        while let message = try socket.receive(dontWait: true) {
            lastHeard = .now
            guard let work = try? WireWorkMessage(serializedBytes: message.payload) else {
                logger.warning("undecodable message from the registry")
                continue
            }
            switch work.body {
            case .checkRequest? where leavingSince != nil:
                // Sent before the registry read our disconnect: it re-queued this one.
                continue
            case .checkRequest(let request)?:
                try socket.send((try answer(request).serializedBytes() as [UInt8]), dontWait: true)
            case .disconnect(let bye)? where leavingSince != nil:
                logger.notice("left: the registry took back the checks in hand", metadata: ["reason": "\(bye.reason)"])
                reactor.stop()
                return
            case .disconnect?:
                try announce()
            default:
                break
            }
        }
    }

    /// Of the accounts found, best first, those a worker answers with: the best 20, and past them every one that
    /// ties with the best (the registry decides against every registration of each account it is told of).
    static func answered<Found: Collection>(_ found: Found) -> Found.SubSequence
    where Found.Element == (id: AccountID, score: Double, reasons: [MatchReason]) {
        guard found.count > 20, let best = found.first?.score, found.dropFirst(19).first?.score == best else {
            return found.prefix(20)
        }
        return found.prefix { $0.score == best }
    }

    private func answer(_ request: Dealreg_V1_CheckRequest) -> WireWorkMessage {
        let customer = Customer(wire: request.customer)
        let preparedCustomer = PreparedCustomer(customer)
        if prepared.count >= Self.preparedLimit { prepared.removeAll(keepingCapacity: true) }
        prepared[customer] = preparedCustomer
        var result = Dealreg_V1_CheckResult()
        result.checkID = request.checkID
        result.watermark = follower.lastApplied
        let found = index.candidates(
            for: preparedCustomer,
            minimumScore: request.minimumScore > 0 ? request.minimumScore : configuration.policy.reviewThreshold)
        result.candidates = Self.answered(found).map { found in
            var candidate = Dealreg_V1_Candidate()
            candidate.accountID = found.id.rawValue
            candidate.score = found.score
            candidate.reasons = found.reasons.map(\.wire)
            return candidate
        }
        var message = WireWorkMessage()
        message.checkResult = result
        return message
    }
}
