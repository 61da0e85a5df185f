import DealWire
import Logging
import SwiftProtobuf
import ZeroMQ

/// A follower of the whole events, as enforcement reads them.
public typealias EventFollower = EventStreamFollower<WireEvent>

/// An event as a follower decodes it off the registry's stream: `WireEvent`, or a reader's view of it that skips the
/// fields its reader has no use for (`Dealreg_V1_WorkerEvent`).
public protocol FollowedEvent: Sendable {
    var seq: UInt64 { get }
    /// An event of the live stream, from its frame.
    init(frame: [UInt8]) throws
    /// A reply on the sync socket: its request id, and the events and the registry's head (nil when the registry
    /// refused the request); nil when it does not decode.
    static func syncReply(_ payload: [UInt8]) -> (requestID: String, reply: (events: [Self], headSeq: UInt64)?)?
}

extension WireEvent: FollowedEvent {
    public init(frame: [UInt8]) throws { try self.init(serializedBytes: frame) }

    public static func syncReply(_ payload: [UInt8]) -> (
        requestID: String, reply: (events: [WireEvent], headSeq: UInt64)?
    )? {
        guard let envelope = try? WireEnvelope(serializedBytes: payload) else { return nil }
        guard case .syncReply(let reply)? = envelope.body else { return (envelope.requestID, nil) }
        return (envelope.requestID, (reply.events, reply.headSeq))
    }
}

extension Dealreg_V1_WorkerEvent: FollowedEvent {
    /// Decoding discards what the view leaves out instead of keeping it as unknown fields.
    private static var options: BinaryDecodingOptions {
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        return options
    }

    public init(frame: [UInt8]) throws { try self.init(serializedBytes: frame, options: Self.options) }

    public static func syncReply(_ payload: [UInt8]) -> (
        requestID: String, reply: (events: [Dealreg_V1_WorkerEvent], headSeq: UInt64)?
    )? {
        guard let envelope = try? Dealreg_V1_WorkerSyncEnvelope(serializedBytes: payload, options: options) else {
            return nil
        }
        guard envelope.hasSyncReply else { return (envelope.requestID, nil) }
        return (envelope.requestID, (envelope.syncReply.events, envelope.syncReply.headSeq))
    }
}

/// Follows the registry's event log with the Clone pattern: subscribes first, replays from `sync` up to the
/// head, drops live events it already has, applies the rest in `seq` order, and asks for a replay whenever it sees
/// a gap or the stream goes quiet. Not thread-safe: lives on the reactor thread that owns its two sockets.
public final class EventStreamFollower<Event: FollowedEvent> {
    /// Where the registry's event stream is, and how to authenticate to it.
    public struct Source: Sendable {
        public var eventsEndpoint: String
        public var syncEndpoint: String
        public var serverKey: CurveKey
        public var keyPair: CurveKeyPair

        public init(eventsEndpoint: String, syncEndpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair) {
            self.eventsEndpoint = eventsEndpoint
            self.syncEndpoint = syncEndpoint
            self.serverKey = serverKey
            self.keyPair = keyPair
        }
    }

    /// The last seq applied.
    public private(set) var lastApplied: UInt64
    /// The registry's head as of the last sync reply.
    public private(set) var knownHead: UInt64 = 0
    /// True once a replay has reached the head the registry reported.
    public private(set) var isLive = false

    private let subscriber: Socket
    private let sync: Socket
    private let apply: ([Event]) throws -> Void
    /// Called when the registry's log ends before `lastApplied` (the follower started from a snapshot of a log
    /// that was since restored from an older backup): the owner forgets everything, and the log is replayed whole.
    private let forget: (() throws -> Void)?
    private let logger: Logger
    private var syncOutstanding: String?
    private var syncSentAt = ContinuousClock.now
    private var lastTraffic = ContinuousClock.now
    private var requestCounter = 0
    private var waiting: [Event] = []
    /// The last seq of the run `apply` is being handed, while it is: what the owner has seen, for a rewind it asks
    /// for from inside `apply`.
    private var applyingThrough: UInt64?
    /// Set by a rewind asked for from inside `apply`: the run is not taken as applied.
    private var rewoundWhileApplying = false
    private var maximumWaiting: Int { 100_000 }
    private var batch: UInt32 { 2000 }

    /// Connects both sockets and registers them with `reactor`; starts replaying after `lastApplied`. `apply`
    /// gets runs of consecutive events in `seq` order: a replay page at a time, so a follower can index in bulk.
    public init(
        context: Context, reactor: Reactor, source: Source, lastApplied: UInt64, logger: Logger,
        forget: (() throws -> Void)? = nil, apply: @escaping ([Event]) throws -> Void
    ) throws {
        self.lastApplied = lastApplied
        self.apply = apply
        self.forget = forget
        self.logger = logger
        subscriber = try CurveSockets.client(
            context, .subscriber, connect: source.eventsEndpoint, serverKey: source.serverKey, keyPair: source.keyPair)
        sync = try CurveSockets.client(
            context, .dealer, connect: source.syncEndpoint, serverKey: source.serverKey, keyPair: source.keyPair)
        reactor.register(subscriber) { [unowned self] in try self.drainLive() }
        reactor.register(sync) { [unowned self] in try self.drainSync() }
        reactor.schedule(every: .milliseconds(500)) { [unowned self] in try self.tick() }
        try requestReplay()
    }

    /// Forgets what was applied after `seq` and replays from there: the follower's owner could not record those
    /// events (its commit failed), so it has to be handed them again.
    ///
    /// The owner asks for it from inside `apply` as often as not (its store could not read what an event needs):
    /// then the run it was handed counts as seen, and is not taken as applied once `apply` returns.
    public func rewind(to seq: UInt64) throws {
        let had = applyingThrough ?? lastApplied
        guard seq < had else { return }
        logger.notice("replaying events not recorded", metadata: ["from": "\(seq + 1)", "had": "\(had)"])
        lastApplied = seq
        if applyingThrough != nil { rewoundWhileApplying = true }
        try requestReplay()
    }

    private func requestReplay() throws {
        requestCounter += 1
        let id = "sync-\(requestCounter)"
        var request = Dealreg_V1_SyncRequest()
        request.fromSeq = lastApplied + 1
        request.maxEvents = batch
        syncOutstanding = id
        syncSentAt = .now
        try sync.send(EnvelopeCodec.encode(requestID: id, body: .sync(request)), dontWait: true)
    }

    private func drainLive() throws {
        while let message = try subscriber.receive(dontWait: true) {
            lastTraffic = .now
            guard message.frames.count == 2, let event = try? Event(frame: message.frames[1]) else {
                logger.warning("dropped an undecodable event frame")
                continue
            }
            // While a replay is outstanding, live events wait for it in order.
            if syncOutstanding != nil {
                if waiting.count < maximumWaiting { waiting.append(event) }
                continue
            }
            try applyLive([event])
        }
    }

    private func applyLive(_ events: [Event]) throws {
        var run: [Event] = []
        for event in events where event.seq > lastApplied + UInt64(run.count) {
            guard event.seq == lastApplied + UInt64(run.count) + 1 else {
                // A rewind inside `apply` asked for its replay already.
                guard try applyRun(run) else { return }
                logger.info("gap in the event stream", metadata: ["have": "\(lastApplied)", "got": "\(event.seq)"])
                try requestReplay()
                return
            }
            run.append(event)
        }
        try applyRun(run)
    }

    /// Applies consecutive events that follow `lastApplied`; false when the owner rewound meanwhile (the replay it
    /// needs is asked for, and `lastApplied` is where it rewound to).
    @discardableResult
    private func applyRun(_ run: [Event]) throws -> Bool {
        guard let last = run.last else { return true }
        applyingThrough = last.seq
        defer {
            applyingThrough = nil
            rewoundWhileApplying = false
        }
        try apply(run)
        knownHead = max(knownHead, last.seq)
        guard !rewoundWhileApplying else { return false }
        lastApplied = last.seq
        return true
    }

    private func drainSync() throws {
        while let message = try sync.receive(dontWait: true) {
            lastTraffic = .now
            guard let answer = Event.syncReply(message.payload), answer.requestID == syncOutstanding else { continue }
            syncOutstanding = nil
            guard let reply = answer.reply else {
                logger.error("sync refused", metadata: ["request": "\(answer.requestID)"])
                continue
            }
            if reply.headSeq < lastApplied, let forget {
                logger.warning(
                    "the registry's log ends before what was applied: starting over from its first event",
                    metadata: ["head": "\(reply.headSeq)", "applied": "\(lastApplied)"])
                try forget()
                lastApplied = 0
                isLive = false
                waiting.removeAll()
                try requestReplay()
                continue
            }
            knownHead = reply.headSeq
            var run: [Event] = []
            for event in reply.events where event.seq == lastApplied + UInt64(run.count) + 1 { run.append(event) }
            // A rewind inside `apply` asked for its replay already; live events go on waiting for it.
            guard try applyRun(run) else { continue }
            if lastApplied < reply.headSeq && !reply.events.isEmpty {
                try requestReplay()
                continue
            }
            if !isLive && lastApplied >= reply.headSeq {
                isLive = true
                logger.info("event stream live", metadata: ["seq": "\(lastApplied)"])
            }
            let queued = waiting.sorted { $0.seq < $1.seq }
            waiting.removeAll()
            try applyLive(queued)
        }
    }

    /// Re-asks a replay that got no answer (registry restarting), and polls for a lost tail when quiet.
    private func tick() throws {
        let now = ContinuousClock.now
        if syncOutstanding != nil {
            if syncSentAt.duration(to: now) > .seconds(3) { try requestReplay() }
        } else if lastTraffic.duration(to: now) > .seconds(2) {
            lastTraffic = now
            try requestReplay()
        }
    }
}
