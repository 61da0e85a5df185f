import CZeroMQ

/// What a ZAP handler was asked: who is connecting, to which domain, with which mechanism.
public struct ZAPRequest: Sendable, Hashable {
    public var domain: String
    public var address: String
    public var mechanism: String
    /// The client's CURVE public key, for the CURVE mechanism.
    public var clientKey: CurveKey?
}

/// A ZAP verdict: let the connection in as a user id, or refuse it.
public enum ZAPVerdict: Sendable, Hashable {
    /// Accept; every message on the connection carries `userID` as its `User-Id` property.
    case allow(userID: String)
    case deny(reason: String)
}

/// The ZAP handler of one context (RFC 27): a REP socket on `inproc://zeromq.zap.01` that answers libzmq's
/// authentication requests with a decision function. Not thread-safe: poll `socket` on the thread that owns it
/// and call `handleOne()` when it is readable.
public final class ZAPHandler {
    public static let endpoint = "inproc://zeromq.zap.01"
    public let socket: Socket
    private let decide: (ZAPRequest) -> ZAPVerdict

    /// Binds the handler; do this before any CURVE server socket of the context binds.
    public init(context: Context, decide: @escaping (ZAPRequest) -> ZAPVerdict) throws(ZMQError) {
        socket = try Socket(context: context, type: .reply)
        try socket.setLinger(milliseconds: 0)
        try socket.bind(Self.endpoint)
        self.decide = decide
    }

    /// Answers one waiting request, if any. Malformed requests are answered with status 500.
    public func handleOne() throws(ZMQError) {
        guard let message = try socket.receive(dontWait: true) else { return }
        let frames = message.frames
        // version, request id, domain, address, identity, mechanism, credentials...
        guard frames.count >= 6, String(decoding: frames[0], as: UTF8.self) == "1.0" else {
            try reply(
                requestID: frames.count > 1 ? frames[1] : [], status: "500", text: "malformed ZAP request", user: "")
            return
        }
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        let request = ZAPRequest(
            domain: String(decoding: frames[2], as: UTF8.self),
            address: String(decoding: frames[3], as: UTF8.self),
            mechanism: mechanism,
            clientKey: mechanism == "CURVE" && frames.count >= 7 ? CurveKey(bytes: frames[6]) : nil
        )
        switch decide(request) {
        case .allow(let userID):
            try reply(requestID: frames[1], status: "200", text: "OK", user: userID)
        case .deny(let reason):
            try reply(requestID: frames[1], status: "400", text: reason, user: "")
        }
    }

    private func reply(requestID: [UInt8], status: String, text: String, user: String) throws(ZMQError) {
        try socket.send(frames: [
            Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), [],
        ])
    }
}
