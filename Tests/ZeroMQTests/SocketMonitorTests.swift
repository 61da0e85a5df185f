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

    /// A monitor asked for handshake failures only stays empty while its socket connects, fails and retries: what
    /// keeps an idle client's monitor from filling up and blocking libzmq's I/O thread.
    @Test func aMaskedMonitorReportsOnlyWhatItAskedFor() throws {
        try withContext { context in
            // Two sockets, since a socket has one monitor at a time.
            let watched = try Socket(context: context, type: .dealer)
            defer { watched.close() }
            let masked = try Socket(context: context, type: .dealer)
            defer { masked.close() }
            let all = try SocketMonitor(context: context, monitoring: watched)
            defer { all.socket.close() }
            let failures = try SocketMonitor(context: context, monitoring: masked, mask: SocketEvent.handshakeFailures)
            defer { failures.socket.close() }
            // Nobody listens there: connection refused, retried every 10 ms.
            for socket in [watched, masked] {
                try socket.setReconnectInterval(milliseconds: 10, max: 10)
                try socket.connect("tcp://127.0.0.1:1")
            }
            var seen = 0
            for _ in 0..<50 where seen < 5 {
                _ = try Poller.readable([all.socket], timeoutMilliseconds: 20)
                while try all.next() != nil { seen += 1 }
            }
            #expect(seen >= 5, "the unmasked monitor sees the retries")
            #expect(try failures.next() == nil)
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
