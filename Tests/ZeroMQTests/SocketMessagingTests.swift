import Foundation  // ENOTSOCK
import Testing
import ZeroMQ

@Suite("Socket messaging", .timeLimit(.minutes(1)))
struct SocketMessagingTests {
    /// A frame large enough to need many TCP reads, with contents that reveal any reordering or truncation.
    static let largeFrame: [UInt8] = (0..<(3 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }

    @Test func bindsAWildcardPortAndReportsIt() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.bind("tcp://127.0.0.1:*")
            let endpoint = try router.lastEndpoint()
            #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
            let port = Int(endpoint.split(separator: ":").last ?? "")
            #expect((port ?? 0) > 0)
        }
    }

    @Test func dealerAndRouterExchangeMultipartMessagesWholeAndUnmodified() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.setReceiveTimeout(milliseconds: 10_000)
            try router.bind("tcp://127.0.0.1:*")
            let endpoint = try router.lastEndpoint()

            let dealer = try Socket(context: context, type: .dealer)
            defer { dealer.close() }
            try dealer.setReceiveTimeout(milliseconds: 10_000)
            try dealer.setRoutingID([UInt8](text: "dealer-1"))
            try dealer.connect(endpoint)

            let request: [[UInt8]] = [[], [UInt8](text: "header"), Self.largeFrame, [], [0, 1, 0, 255]]
            #expect(try dealer.send(frames: request))

            let received = try #require(try router.receive())
            #expect(received.frames.count == request.count + 1)
            #expect(received.frames.first == [UInt8](text: "dealer-1"))
            #expect(received.frames[1].isEmpty)
            #expect(received.frames[2] == [UInt8](text: "header"))
            #expect(received.frames[3].count == Self.largeFrame.count)
            let largeIntact = received.frames[3] == Self.largeFrame
            #expect(largeIntact, "the 3 MiB frame arrived modified")
            #expect(received.frames[4].isEmpty)
            #expect(received.payload == [0, 1, 0, 255])
            #expect(received.userID == nil)

            // The router answers through the routing id it was given; the dealer gets the rest, large frame last.
            let reply: [[UInt8]] = [[], [UInt8](text: "ok"), [], Self.largeFrame]
            #expect(try router.send(frames: [received.frames[0]] + reply))
            let answer = try #require(try dealer.receive())
            #expect(answer.frames.count == reply.count)
            #expect(Array(answer.frames.prefix(3)) == [[], [UInt8](text: "ok"), []])
            let payloadIntact = answer.payload == Self.largeFrame
            #expect(payloadIntact, "the 3 MiB reply frame arrived modified")
        }
    }

    @Test func sendsOneFrameMessagesIncludingAnEmptyOne() throws {
        try withContext { context in
            let pull = try Socket(context: context, type: .pull)
            defer { pull.close() }
            try pull.setReceiveTimeout(milliseconds: 10_000)
            try pull.bind("inproc://one-frame")
            let push = try Socket(context: context, type: .push)
            defer { push.close() }
            try push.connect("inproc://one-frame")

            try push.send([UInt8]())
            try push.send(UInt8(1)...UInt8(5))  // a collection without contiguous storage
            try push.send("héllo".utf8)
            try push.send([UInt8](text: "a"), more: true)
            try push.send([UInt8](text: "b"))

            #expect(try pull.receive()?.frames == [[]])
            #expect(try pull.receive()?.frames == [[1, 2, 3, 4, 5]])
            #expect(try pull.receive()?.frames == [Array("héllo".utf8)])
            #expect(try pull.receive()?.frames == [[UInt8](text: "a"), [UInt8](text: "b")])
        }
    }

    @Test func routerMandatoryRefusesAnUnknownRoutingIDAsUnroutable() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.setRouterMandatory(true)
            try router.setReceiveTimeout(milliseconds: 10_000)
            try router.bind("tcp://127.0.0.1:*")

            let error = #expect(throws: ZMQError.self) {
                try router.send(frames: [[UInt8](text: "nobody"), [UInt8](text: "hello")])
            }
            #expect(error?.isUnroutable == true)
            #expect(error?.wouldBlock == false)
            #expect(error?.isContextTerminated == false)

            // A peer that has introduced itself is routable.
            let dealer = try Socket(context: context, type: .dealer)
            defer { dealer.close() }
            try dealer.setRoutingID([UInt8](text: "known"))
            try dealer.setReceiveTimeout(milliseconds: 10_000)
            try dealer.connect(try router.lastEndpoint())
            try dealer.send([UInt8](text: "hi"))
            let hello = try #require(try router.receive())
            #expect(hello.frames.first == [UInt8](text: "known"))
            #expect(try router.send(frames: [[UInt8](text: "known"), [UInt8](text: "welcome")]))
            #expect(try dealer.receive()?.frames == [[UInt8](text: "welcome")])
            #expect(throws: ZMQError.self) { try router.send(frames: [[UInt8](text: "unknown"), []]) }
        }
    }

    @Test func routerWithoutMandatoryDropsUnroutableMessagesSilently() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.bind("tcp://127.0.0.1:*")
            #expect(try router.send(frames: [[UInt8](text: "nobody"), [UInt8](text: "hello")]))
        }
    }

    @Test func receiveWithoutWaitingReturnsNilWhenNothingWaits() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.bind("tcp://127.0.0.1:*")
            #expect(try router.receive(dontWait: true) == nil)
            #expect(try Poller.readable([router], timeoutMilliseconds: 0) == [false])
        }
    }

    @Test func receiveWithoutWaitingReturnsAWaitingMessage() throws {
        try withContext { context in
            let pull = try Socket(context: context, type: .pull)
            defer { pull.close() }
            try pull.bind("inproc://waiting")
            let quiet = try Socket(context: context, type: .pull)
            defer { quiet.close() }
            try quiet.bind("inproc://quiet")
            let push = try Socket(context: context, type: .push)
            defer { push.close() }
            try push.connect("inproc://waiting")
            try push.send(frames: [[UInt8](text: "x"), [UInt8](text: "y")])

            #expect(try Poller.readable([quiet, pull], timeoutMilliseconds: 10_000) == [false, true])
            #expect(try pull.receive(dontWait: true)?.frames == [[UInt8](text: "x"), [UInt8](text: "y")])
            #expect(try pull.receive(dontWait: true) == nil)
        }
    }

    @Test func sendWithoutWaitingReportsAFullQueueAsFalse() throws {
        try withContext { context in
            // A dealer with no peer has nowhere to queue a message.
            let dealer = try Socket(context: context, type: .dealer)
            defer { dealer.close() }
            #expect(try dealer.send([UInt8](text: "lost"), dontWait: true) == false)
            #expect(try dealer.send(frames: [[UInt8](text: "a"), [UInt8](text: "b")], dontWait: true) == false)
        }
    }

    @Test func aTimedOutReceiveThrowsWouldBlock() throws {
        try withContext { context in
            let pull = try Socket(context: context, type: .pull)
            defer { pull.close() }
            try pull.setReceiveTimeout(milliseconds: 1)
            try pull.bind("inproc://timeout")
            let error = #expect(throws: ZMQError.self) { try pull.receive() }
            #expect(error?.wouldBlock == true)
            #expect(error?.call == "zmq_msg_recv")
        }
    }

    @Test func aClosedSocketRefusesEveryOperation() throws {
        try withContext { context in
            let socket = try Socket(context: context, type: .dealer)
            socket.close()
            socket.close()  // closing twice is harmless
            #expect(socket.handle == nil)
            let sendError = #expect(throws: ZMQError.self) { try socket.send([UInt8](text: "x")) }
            #expect(sendError?.code == ENOTSOCK)
            #expect(throws: ZMQError.self) { try socket.receive(dontWait: true) }
            #expect(throws: ZMQError.self) { try socket.bind("inproc://closed") }
            #expect(throws: ZMQError.self) { try socket.lastEndpoint() }
        }
    }

    @Test func aBadEndpointIsReportedWithTheCall() throws {
        try withContext { context in
            let socket = try Socket(context: context, type: .router)
            defer { socket.close() }
            let error = #expect(throws: ZMQError.self) { try socket.bind("nonsense://here") }
            #expect(error?.call == "zmq_bind(nonsense://here)")
            #expect(error?.description.hasPrefix("zmq_bind(nonsense://here): ") == true)
        }
    }
}
