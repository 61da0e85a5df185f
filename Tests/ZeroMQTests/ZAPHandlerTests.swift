import Testing
import ZeroMQ

/// Drives the handler with hand-written RFC 27 requests from a REQ socket, as libzmq would send them.
@Suite("ZAPHandler protocol", .timeLimit(.minutes(1)))
struct ZAPHandlerTests {
    static let clientKey = CurveKey(bytes: (0..<32).map { UInt8($0 * 3) })!

    /// Sends `request` to a handler deciding with `decide`, lets it answer once, and returns the reply frames.
    func exchange(_ request: [[UInt8]], decide: @escaping (ZAPRequest) -> ZAPVerdict) throws -> [[UInt8]]? {
        try withContext { context in
            let zap = try ZAPHandler(context: context, decide: decide)
            defer { zap.socket.close() }
            let libzmq = try Socket(context: context, type: .request)
            defer { libzmq.close() }
            try libzmq.setReceiveTimeout(milliseconds: 10_000)
            try libzmq.connect(ZAPHandler.endpoint)
            try libzmq.send(frames: request)
            guard try Poller.readable([zap.socket], timeoutMilliseconds: 10_000) == [true] else { return nil }
            try zap.handleOne()
            return try libzmq.receive()?.frames
        }
    }

    func curveRequest(id: String = "7") -> [[UInt8]] {
        [
            [UInt8](text: "1.0"), [UInt8](text: id), [UInt8](text: "dealreg"), [UInt8](text: "192.0.2.7"),
            [UInt8](text: "peer"), [UInt8](text: "CURVE"), Self.clientKey.bytes,
        ]
    }

    @Test func answersAnAllowedRequestWith200AndTheUserID() throws {
        var seen: ZAPRequest?
        let reply = try exchange(curveRequest(id: "42")) { request in
            seen = request
            return .allow(userID: "partner-acme")
        }
        #expect(
            reply == [
                [UInt8](text: "1.0"), [UInt8](text: "42"), [UInt8](text: "200"), [UInt8](text: "OK"),
                [UInt8](text: "partner-acme"), [],
            ])
        #expect(seen?.domain == "dealreg")
        #expect(seen?.address == "192.0.2.7")
        #expect(seen?.mechanism == "CURVE")
        #expect(seen?.clientKey == Self.clientKey)
    }

    @Test func answersADeniedRequestWith400AndTheReason() throws {
        let reply = try exchange(curveRequest(id: "43")) { _ in .deny(reason: "unknown key") }
        #expect(
            reply == [
                [UInt8](text: "1.0"), [UInt8](text: "43"), [UInt8](text: "400"), [UInt8](text: "unknown key"), [], [],
            ])
    }

    @Test func passesNoClientKeyForOtherMechanisms() throws {
        var seen: ZAPRequest?
        let request: [[UInt8]] = [
            [UInt8](text: "1.0"), [UInt8](text: "1"), [UInt8](text: "dealreg"), [UInt8](text: "127.0.0.1"), [],
            [UInt8](text: "NULL"),
        ]
        let reply = try exchange(request) { request in
            seen = request
            return .deny(reason: "curve only")
        }
        #expect(seen?.mechanism == "NULL")
        #expect(seen?.clientKey == nil)
        #expect(reply?[2] == [UInt8](text: "400"))
    }

    @Test(arguments: [
        [[UInt8](text: "2.0"), [UInt8](text: "9"), [], [], [], [UInt8](text: "NULL")],  // unknown version
        [[UInt8](text: "1.0"), [UInt8](text: "9"), [UInt8](text: "dealreg")],  // too few frames
    ])
    func answersAMalformedRequestWith500WithoutAskingTheDecision(request: [[UInt8]]) throws {
        var asked = false
        let reply = try exchange(request) { _ in
            asked = true
            return .allow(userID: "nobody")
        }
        let frames = try #require(reply)
        #expect(frames.count == 6)
        #expect(frames[0] == [UInt8](text: "1.0"))
        #expect(frames[1] == [UInt8](text: "9"))
        #expect(frames[2] == [UInt8](text: "500"))
        #expect(frames[4].isEmpty)
        #expect(!asked)
    }

    @Test func handleOneDoesNothingWhenNoRequestWaits() throws {
        try withContext { context in
            var asked = false
            let zap = try ZAPHandler(context: context) { _ in
                asked = true
                return .allow(userID: "x")
            }
            defer { zap.socket.close() }
            try zap.handleOne()
            #expect(!asked)
        }
    }

    @Test func onlyOneHandlerCanServeAContext() throws {
        try withContext { context in
            let first = try ZAPHandler(context: context) { _ in .deny(reason: "") }
            defer { first.socket.close() }
            #expect(throws: ZMQError.self) { _ = try ZAPHandler(context: context) { _ in .deny(reason: "") } }
        }
    }
}
