import DealBus
import DealModel
import DealWire
import Logging
import Matching
import ZeroMQ

/// A conflict-check worker: keeps an in-memory index of what can conflict, replicated from the registry's event
/// log, and answers checks under the credit protocol. Not thread-safe: runs on its one reactor thread.
final class CheckWorker {
    private let configuration: CheckWorkerConfiguration
    private let logger: Logger
    private var index = CandidateIndex()
    private var follower: EventFollower!
    private var work: Socket?
    private var announced = false
    private var lastHeard = ContinuousClock.now

    init(configuration: CheckWorkerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func run(context: Context) throws {
        let reactor = Reactor()
        follower = try EventFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: configuration.eventsEndpoint, syncEndpoint: configuration.syncEndpoint,
                serverKey: configuration.registryKey, keyPair: configuration.keyPair),
            lastApplied: 0, logger: logger
        ) { [unowned self] events in self.apply(events) }
        try connect(reactor: reactor, context: context)
        reactor.schedule(every: configuration.heartbeatInterval) { [unowned self] in
            try self.tick(reactor: reactor, context: context)
        }
        defer {
            if let work {
                var bye = WireWorkMessage()
                bye.disconnect.reason = "worker stopping"
                _ = try? work.send((try? bye.serializedBytes()) ?? [], dontWait: true)
                work.close()
            }
        }
        logger.info("check worker started", metadata: ["name": "\(configuration.name)"])
        try reactor.run()
        logger.info("check worker stopped", metadata: ["indexed": "\(index.count)"])
    }

    /// Indexes what a check must see (`Registration.isIndexed`) and drops the rest, in order; runs of inserts (a replay page)
    /// go in together, normalised on every core.
    private func apply(_ events: [WireEvent]) {
        var inserts: [(id: RegistrationID, customer: Customer)] = []
        func flush() {
            if inserts.count == 1 {
                index.insert(inserts[0].id, customer: inserts[0].customer)
            } else if !inserts.isEmpty {
                index.insert(contentsOf: inserts)
            }
            inserts.removeAll()
        }
        for event in events {
            guard case .registration(let wire)? = event.payload, let registration = Registration(wire: wire) else {
                continue
            }
            if registration.isIndexed {
                inserts.append((registration.id, registration.request.customer))
            } else {
                flush()
                index.remove(registration.id)
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
        reactor.register(socket) { [unowned self] in try self.drain(socket) }
    }

    private func announce() throws {
        var message = WireWorkMessage()
        message.ready.capacity = UInt32(configuration.capacity)
        message.ready.workerName = configuration.name
        message.ready.watermark = follower.lastApplied
        try work?.send((try message.serializedBytes() as [UInt8]), dontWait: true)
        announced = true
        logger.info("announced to the registry", metadata: ["watermark": "\(follower.lastApplied)"])
    }

    private func tick(reactor: Reactor, context: Context) throws {
        // Announce only once the index has caught up: answers from a cold index would all need re-checking.
        guard follower.isLive else { return }
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

    private func drain(_ socket: Socket) throws {
        while let message = try socket.receive(dontWait: true) {
            lastHeard = .now
            guard let work = try? WireWorkMessage(serializedBytes: message.payload) else {
                logger.warning("undecodable message from the registry")
                continue
            }
            switch work.body {
            case .checkRequest(let request)?:
                try socket.send((try answer(request).serializedBytes() as [UInt8]), dontWait: true)
            case .disconnect?:
                try announce()
            default:
                break
            }
        }
    }

    /// Of the candidates found, best first, those a worker answers with: the best 20, and past them every one that
    /// ties with the best. Many registrations of one customer under one spelling must all reach the decision, or
    /// the holders past the cut go unseen (issue 16's double protection).
    static func answered<Found: Collection>(_ found: Found) -> Found.SubSequence
    where Found.Element == (id: RegistrationID, score: Double, reasons: [MatchReason]) {
        guard found.count > 20, let best = found.first?.score, found.dropFirst(19).first?.score == best else {
            return found.prefix(20)
        }
        return found.prefix { $0.score == best }
    }

    private func answer(_ request: Dealreg_V1_CheckRequest) -> WireWorkMessage {
        let customer = Customer(wire: request.customer)
        var result = Dealreg_V1_CheckResult()
        result.checkID = request.checkID
        result.watermark = follower.lastApplied
        let found = index.candidates(
            for: customer,
            minimumScore: request.minimumScore > 0 ? request.minimumScore : configuration.policy.reviewThreshold)
        result.candidates = Self.answered(found).map { found in
            var candidate = Dealreg_V1_Candidate()
            candidate.registrationID = found.id.rawValue
            candidate.score = found.score
            candidate.reasons = found.reasons.map(\.wire)
            return candidate
        }
        var message = WireWorkMessage()
        message.checkResult = result
        return message
    }
}
