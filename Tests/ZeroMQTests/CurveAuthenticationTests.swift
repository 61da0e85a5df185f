import Testing
import ZeroMQ

@Suite("CURVE with a ZAP handler", .timeLimit(.minutes(1)))
struct CurveAuthenticationTests {
    static let domain = "dealreg-test"

    @Test func admitsAKnownClientKeyAndStampsItsUserIDOnMessages() throws {
        try withContext { context in
            let serverKeys = try CurveKeyPair.generate()
            let clientKeys = try CurveKeyPair.generate()
            var requests: [ZAPRequest] = []
            let zap = try ZAPHandler(context: context) { request in
                requests.append(request)
                return request.clientKey == clientKeys.publicKey
                    ? .allow(userID: "partner-acme") : .deny(reason: "unknown key")
            }
            defer { zap.socket.close() }

            let server = try Socket(context: context, type: .router)
            defer { server.close() }
            try server.makeCurveServer(secretKey: serverKeys.secretKey, zapDomain: Self.domain)
            try server.bind("tcp://127.0.0.1:*")

            let client = try Socket(context: context, type: .dealer)
            defer { client.close() }
            try client.makeCurveClient(serverKey: serverKeys.publicKey, keyPair: clientKeys)
            try client.setReceiveTimeout(milliseconds: 10_000)
            try client.connect(try server.lastEndpoint())
            try client.send(frames: [[], [UInt8](text: "register")])

            let message = try #require(try receiveServingZAP(server, zap: zap))
            #expect(message.userID == "partner-acme")
            #expect(Array(message.frames.dropFirst()) == [[], [UInt8](text: "register")])

            let request = try #require(requests.first)
            #expect(request.mechanism == "CURVE")
            #expect(request.domain == Self.domain)
            #expect(request.clientKey == clientKeys.publicKey)
            #expect(request.address == "127.0.0.1")

            // Every later message on the connection carries the same user id, and the reply is encrypted back.
            try client.send(frames: [[], [UInt8](text: "again")])
            let second = try #require(try receiveServingZAP(server, zap: zap))
            #expect(second.userID == "partner-acme")
            try server.send(frames: [message.frames[0], [], [UInt8](text: "accepted")])
            #expect(try client.receive()?.frames == [[], [UInt8](text: "accepted")])
            #expect(requests.count == 1)
        }
    }

    @Test func refusesAnUnknownClientKeyAndTheClientSeesAHandshakeFailure() throws {
        try withContext { context in
            let serverKeys = try CurveKeyPair.generate()
            let knownKeys = try CurveKeyPair.generate()
            let rogueKeys = try CurveKeyPair.generate()
            var asked: [CurveKey?] = []
            let zap = try ZAPHandler(context: context) { request in
                asked.append(request.clientKey)
                return request.clientKey == knownKeys.publicKey
                    ? .allow(userID: "partner-acme") : .deny(reason: "unknown key")
            }
            defer { zap.socket.close() }

            let server = try Socket(context: context, type: .router)
            defer { server.close() }
            try server.makeCurveServer(secretKey: serverKeys.secretKey, zapDomain: Self.domain)
            try server.bind("tcp://127.0.0.1:*")

            let client = try Socket(context: context, type: .dealer)
            defer { client.close() }
            try client.makeCurveClient(serverKey: serverKeys.publicKey, keyPair: rogueKeys)
            let monitor = try SocketMonitor(context: context, monitoring: client)
            defer { monitor.socket.close() }
            try client.connect(try server.lastEndpoint())
            try client.send(frames: [[], [UInt8](text: "let me in")])

            var events: [SocketEvent] = []
            var delivered: [Message] = []
            for _ in 0..<200 where !events.contains(where: { $0.isHandshakeFailure }) {
                let ready = try Poller.readable([zap.socket, monitor.socket, server], timeoutMilliseconds: 50)
                if ready[0] { try zap.handleOne() }
                if ready[2], let message = try server.receive(dontWait: true) { delivered.append(message) }
                while let event = try monitor.next() { events.append(event) }
            }

            let failure = try #require(events.first { $0.isHandshakeFailure })
            #expect(failure.event == SocketEvent.handshakeFailedAuth)
            #expect(failure.value == 400)
            #expect(failure.endpoint == (try server.lastEndpoint()))
            #expect(!events.contains { $0.event == SocketEvent.handshakeSucceeded })
            #expect(delivered.isEmpty)
            #expect(asked.first == rogueKeys.publicKey)
            #expect(try server.receive(dontWait: true) == nil)
        }
    }

    @Test func aNullClientIsNotAdmittedToACurveServer() throws {
        try withContext { context in
            let serverKeys = try CurveKeyPair.generate()
            let zap = try ZAPHandler(context: context) { _ in .allow(userID: "anyone") }
            defer { zap.socket.close() }
            let server = try Socket(context: context, type: .router)
            defer { server.close() }
            try server.makeCurveServer(secretKey: serverKeys.secretKey, zapDomain: Self.domain)
            try server.bind("tcp://127.0.0.1:*")

            let client = try Socket(context: context, type: .dealer)  // no CURVE options: the NULL mechanism
            defer { client.close() }
            let monitor = try SocketMonitor(context: context, monitoring: client)
            defer { monitor.socket.close() }
            try client.connect(try server.lastEndpoint())
            try client.send([UInt8](text: "plain"))

            var failure: SocketEvent?
            for _ in 0..<200 where failure == nil {
                let ready = try Poller.readable([zap.socket, monitor.socket, server], timeoutMilliseconds: 50)
                if ready[0] { try zap.handleOne() }
                #expect(!ready[2], "a NULL client's message reached the CURVE server")
                while let event = try monitor.next() {
                    if event.isHandshakeFailure && failure == nil { failure = event }
                }
            }
            #expect(failure != nil)
            #expect(try server.receive(dontWait: true) == nil)
        }
    }
}
