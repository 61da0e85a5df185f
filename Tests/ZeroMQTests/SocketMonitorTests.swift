import Testing

@testable import ZeroMQ  // for SocketEvent's memberwise initializer

@Suite("SocketMonitor", .timeLimit(.minutes(1)))
struct SocketMonitorTests {
    @Test func reportsTheConnectionAndASuccessfulHandshake() throws {
        try withContext { context in
            let router = try Socket(context: context, type: .router)
            defer { router.close() }
            try router.bind("tcp://127.0.0.1:*")
            let endpoint = try router.lastEndpoint()

            let dealer = try Socket(context: context, type: .dealer)
            defer { dealer.close() }
            let monitor = try SocketMonitor(context: context, monitoring: dealer)
            defer { monitor.socket.close() }
            #expect(try monitor.next() == nil)
            try dealer.connect(endpoint)

            var events: [SocketEvent] = []
            for _ in 0..<200 where !events.contains(where: { $0.event == SocketEvent.handshakeSucceeded }) {
                _ = try Poller.readable([monitor.socket], timeoutMilliseconds: 50)
                while let event = try monitor.next() { events.append(event) }
            }
            let connected = try #require(events.first { $0.event == SocketEvent.connected })
            #expect(connected.endpoint == endpoint)
            #expect(events.contains { $0.event == SocketEvent.handshakeSucceeded })
            #expect(!events.contains { $0.isHandshakeFailure })
        }
    }

    @Test(arguments: [
        (SocketEvent.handshakeFailedAuth, true),
        (SocketEvent.handshakeFailedProtocol, true),
        (SocketEvent.handshakeFailedNoDetail, true),
        (SocketEvent.handshakeSucceeded, false),
        (SocketEvent.connected, false),
        (SocketEvent.disconnected, false),
    ])
    func classifiesHandshakeFailures(event: UInt16, isFailure: Bool) {
        #expect(SocketEvent(event: event, value: 0, endpoint: "").isHandshakeFailure == isFailure)
    }
}
