import DealWire
import Foundation
import ZeroMQ

/// Why a call to a dealreg service did not produce a result.
public enum ClientError: Error, CustomStringConvertible {
    /// The server refused our key during the CURVE handshake: the principal is unknown to it.
    case refused(endpoint: String)
    case timeout(endpoint: String, seconds: Double)
    case transport(ZMQError)
    case badReply(String)
    /// The server answered with a typed error.
    case remote(WireError)

    public var description: String {
        switch self {
        case .refused(let endpoint):
            "The service at \(endpoint) refused our key: this principal is not registered there."
        case .timeout(let endpoint, let seconds):
            "No answer from \(endpoint) within \(seconds) s: is the service running and reachable?"
        case .transport(let error): "Transport error: \(error)."
        case .badReply(let reason): "The service sent a reply this client cannot read: \(reason)."
        case .remote(let error):
            "\(error.code.name): \(error.message)" + (error.field.isEmpty ? "" : " (field \(error.field))")
        }
    }
}

/// A CURVE-authenticated DEALER to a service's request socket, with pipelining. Not thread-safe: one thread
/// creates and uses it.
public final class BusClient {
    public let endpoint: String
    /// The DEALER, for callers that wait on several clients at once with `Poller`.
    public let socket: Socket
    /// Whether the endpoint lists several processes of a failover group: then a call resends its request (same
    /// request_id, decided once) every `resendInterval` until the one that serves answers.
    public private(set) var followsFailover = false
    /// How long a call of a failover group waits for an answer before it sends its request again.
    public static let resendInterval: Duration = .seconds(1)
    private let monitor: SocketMonitor

    public init(context: Context, endpoint: String, serverKey: CurveKey, keyPair: CurveKeyPair) throws(ClientError) {
        self.endpoint = endpoint
        do {
            socket = try Socket(context: context, type: .dealer)
            // Only the handshake failures a client reports: with every event, an idle client's reconnects to a
            // restarting service piled up unread in the monitor until libzmq's I/O thread blocked on it, and
            // with it every socket of the context (found by a chaos run that hung in its bookings).
            monitor = try SocketMonitor(context: context, monitoring: socket, mask: SocketEvent.handshakeFailures)
            try socket.setLinger(milliseconds: 0)
            try socket.makeCurveClient(serverKey: serverKey, keyPair: keyPair)
            try socket.setReconnectInterval(milliseconds: 100, max: 1000)
            try socket.setSendHighWaterMark(100_000)
            try socket.setReceiveHighWaterMark(100_000)
            let endpoints = Endpoints.list(endpoint)
            followsFailover = endpoints.count > 1
            if followsFailover { try CurveSockets.followFailover(socket, endpoints: endpoints.count) }
            for endpoint in endpoints { try socket.connect(endpoint) }
        } catch {
            throw .transport(error)
        }
    }

    /// A fresh request id (also the idempotency key).
    public static func newRequestID() -> String { UUID().uuidString.lowercased() }

    /// Queues a request; its reply comes back through `receive`.
    public func send(_ body: WireEnvelope.OneOf_Body, requestID: String) throws(ClientError) {
        do {
            try socket.send(EnvelopeCodec.encode(requestID: requestID, body: body))
        } catch {
            throw .transport(error)
        }
    }

    /// Sends raw frames, as a misbehaving client would (tests).
    public func sendRaw(_ frames: [[UInt8]]) throws(ClientError) {
        do { try socket.send(frames: frames) } catch { throw .transport(error) }
    }

    /// A reply that is already waiting, or nil; never blocks. Refusal of our key is thrown as `.refused`.
    public func receiveWaiting() throws(ClientError) -> WireEnvelope? {
        if let message = try transport({ () throws(ZMQError) in try socket.receive(dontWait: true) }) {
            do {
                return try WireEnvelope(serializedBytes: message.payload)
            } catch {
                throw .badReply("\(error)")
            }
        }
        while let event = try transport({ () throws(ZMQError) in try monitor.next() }) {
            // A connection lost mid-handshake (a registry of a group exiting or killed) refuses no key.
            if event.isHandshakeFailure, event.event != SocketEvent.handshakeFailedNoDetail {
                throw .refused(endpoint: endpoint)
            }
        }
        return nil
    }

    /// The next reply envelope, waiting up to `timeout`.
    public func receive(timeout: Duration) throws(ClientError) -> WireEnvelope {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if let reply = try receiveWaiting() { return reply }
            let remaining = clock.now.duration(to: deadline)
            guard remaining > .zero else {
                throw .timeout(endpoint: endpoint, seconds: Double(timeout.components.seconds))
            }
            let milliseconds =
                Int(remaining.components.seconds) * 1000
                + Int(remaining.components.attoseconds / 1_000_000_000_000_000) + 1
            _ = try transport { () throws(ZMQError) in
                try Poller.readable([socket, monitor.socket], timeoutMilliseconds: milliseconds)
            }
        }
    }

    /// Runs a libzmq call, reporting its failure as a transport error.
    private func transport<T>(_ body: () throws(ZMQError) -> T) throws(ClientError) -> T {
        do {
            return try body()
        } catch {
            throw .transport(error)
        }
    }

    /// Sends one request and waits for its reply; a typed error reply is thrown as `.remote`.
    public func call(
        _ body: WireEnvelope.OneOf_Body, requestID: String = BusClient.newRequestID(), timeout: Duration = .seconds(15)
    ) throws(ClientError) -> WireEnvelope.OneOf_Body {
        guard followsFailover else {
            try send(body, requestID: requestID)
            return try awaitReply(to: requestID, timeout: timeout)
        }
        // A failover group: the request waits for a registry that serves (no connection completes to a standby),
        // and goes again with its request_id when the one that had it died or froze before answering.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let frames = EnvelopeCodec.encode(requestID: requestID, body: body)
        while true {
            while !(try transport({ () throws(ZMQError) in try socket.send(frames: [frames], dontWait: true) })) {
                guard clock.now < deadline else {
                    throw .timeout(endpoint: endpoint, seconds: Double(timeout.components.seconds))
                }
                usleep(50_000)
            }
            let remaining = clock.now.duration(to: deadline)
            do {
                return try awaitReply(to: requestID, timeout: min(remaining, Self.resendInterval))
            } catch .timeout where clock.now < deadline {
                continue
            }
        }
    }

    /// Waits for the reply to `requestID`, dropping others (late answers to earlier requests).
    private func awaitReply(to requestID: String, timeout: Duration) throws(ClientError) -> WireEnvelope.OneOf_Body {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let remaining = clock.now.duration(to: deadline)
            let reply = try receive(timeout: remaining > .zero ? remaining : .milliseconds(1))
            guard reply.requestID == requestID || reply.requestID.isEmpty else { continue }
            switch reply.body {
            case .error(let error)?: throw .remote(error)
            case let body?: return body
            case nil: throw .badReply("empty reply body")
            }
        }
    }
}
