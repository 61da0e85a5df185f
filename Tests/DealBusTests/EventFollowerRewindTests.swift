import DealBus
import DealWire
import Foundation
import Logging
import Testing
import ZeroMQ

/// A follower's owner that cannot record what it was handed (enforcement, whose store did not answer) rewinds the
/// follower from inside `apply`, the run it was handed only partly taken or not at all. The follower must then hand
/// it every event again from the rewind point, whether that point is before the run, inside it or before the
/// first event of the run: a rewind that the end of `apply` overwrote left a whole replay page unrecorded while
/// the owner's cursor moved past it (chaos on PostgreSQL: bypasses and poachings of those registrations never found).
@Suite(.timeLimit(.minutes(1)))
struct EventFollowerRewindTests {
    /// A registry's event log of `count` events over real CURVE sockets, serving replays a page of `page` events at
    /// a time, and publishing nothing live: every event reaches the follower through a replay page.
    final class LogServer {
        let publisher: Socket
        let sync: Socket
        let keyPair: CurveKeyPair
        let count: UInt64
        let page: UInt64
        /// The first seq of each replay asked for, in order.
        private(set) var replaysFrom: [UInt64] = []

        init(context: Context, reactor: Reactor, count: UInt64, page: UInt64) throws {
            keyPair = try CurveKeyPair.generate()
            publisher = try CurveSockets.server(
                context, .publisher, bind: "tcp://127.0.0.1:*", keyPair: keyPair, domain: "events")
            sync = try CurveSockets.server(
                context, .router, bind: "tcp://127.0.0.1:*", keyPair: keyPair, domain: "sync")
            self.count = count
            self.page = page
            reactor.register(sync) { [unowned self] in try self.serve() }
        }

        private func serve() throws {
            while let message = try sync.receive(dontWait: true) {
                guard case .success(let envelope) = EnvelopeCodec.decodeRequest(message.payload),
                    case .sync(let request)? = envelope.body
                else { continue }
                replaysFrom.append(request.fromSeq)
                let first = max(1, request.fromSeq)
                let last = min(count, first + min(page, UInt64(request.maxEvents)) - 1)
                let events: [[UInt8]] =
                    first <= last ? try (first...last).map { try Self.event($0).serializedBytes() } : []
                try sync.send(
                    frames: Array(message.frames.dropLast())
                        + [EnvelopeCodec.encodeSyncReply(requestID: envelope.requestID, headSeq: count, events: events)]
                )
            }
        }

        static func event(_ seq: UInt64) -> WireEvent {
            var event = WireEvent()
            event.seq = seq
            event.party.id = "party-\(seq)"
            return event
        }
    }

    /// Follows a log of 30 events served in pages of 10; `owner` is handed each run and returns how many of its
    /// events it recorded (the rest, if any, it rewinds to be handed again). Returns the seqs recorded, in order,
    /// and the replays asked for.
    static func follow(
        _ owner: @escaping (_ run: [UInt64], _ recorded: [UInt64]) -> (taken: Int, rewindTo: UInt64?)
    ) throws -> (recorded: [UInt64], replaysFrom: [UInt64]) {
        let context = try Context()
        let reactor = Reactor()
        let server = try LogServer(context: context, reactor: reactor, count: 30, page: 10)
        defer {
            server.publisher.close()
            server.sync.close()
        }
        var recorded: [UInt64] = []
        var follower: EventFollower?
        follower = try EventFollower(
            context: context, reactor: reactor,
            source: .init(
                eventsEndpoint: try server.publisher.lastEndpoint(), syncEndpoint: try server.sync.lastEndpoint(),
                serverKey: server.keyPair.publicKey, keyPair: try CurveKeyPair.generate()),
            lastApplied: 0, logger: Logger(label: "test.follower")
        ) { events in
            let run = events.map(\.seq)
            let (taken, rewindTo) = owner(run, recorded)
            recorded += run.prefix(taken)
            if let rewindTo { try follower?.rewind(to: rewindTo) }
            if recorded.last == 30 { reactor.stop() }
        }
        reactor.schedule(after: .seconds(20)) { reactor.stop() }
        try reactor.run()
        return (recorded, server.replaysFrom)
    }

    /// Follows the log; the run starting at `first` fails once: `taken` of its events recorded, then a rewind to
    /// `rewindTo`.
    static func follow(failingOnceAt first: UInt64, taken: Int, rewindTo: UInt64) throws -> (
        recorded: [UInt64], replaysFrom: [UInt64]
    ) {
        var failed = false
        return try follow { run, _ in
            guard run.first == first && !failed else { return (run.count, nil) }
            failed = true
            return (taken, rewindTo)
        }
    }

    @Test func aRewindToJustBeforeTheRunItIsHandedReplaysTheWholeRun() throws {
        // The page 11–20 cannot be read the first time: nothing of it recorded, back to 10.
        let (recorded, replays) = try Self.follow(failingOnceAt: 11, taken: 0, rewindTo: 10)
        #expect(recorded == Array(1...30), "replays asked from \(replays)")
        #expect(replays.filter { $0 == 11 }.count == 2)
    }

    @Test func aRewindToTheMiddleOfTheRunReplaysItsRest() throws {
        // The page 11–20 fails at 15: 11–14 recorded, back to 14.
        let (recorded, replays) = try Self.follow(failingOnceAt: 11, taken: 4, rewindTo: 14)
        #expect(recorded == Array(1...30), "replays asked from \(replays)")
        #expect(replays.contains(15))
    }

    @Test func aRewindFurtherBackThanTheRunReplaysFromThere() throws {
        // The page 21–30 fails, and its owner's last commit, of 11–20, failed too: back to 10.
        let (recorded, replays) = try Self.follow(failingOnceAt: 21, taken: 0, rewindTo: 10)
        #expect(Array(recorded.prefix(20)) == Array(1...20))
        #expect(Array(recorded.suffix(20)) == Array(11...30), "replays asked from \(replays)")
    }
}
