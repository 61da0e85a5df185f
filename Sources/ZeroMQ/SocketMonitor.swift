import CZeroMQ

/// Events of a socket's connections, as `zmq_socket_monitor` reports them.
public struct SocketEvent: Sendable, Hashable {
    public let event: UInt16
    public let value: UInt32
    public let endpoint: String

    public static let connected = UInt16(ZMQ_EVENT_CONNECTED)
    public static let disconnected = UInt16(ZMQ_EVENT_DISCONNECTED)
    public static let handshakeSucceeded = UInt16(ZMQ_EVENT_HANDSHAKE_SUCCEEDED)
    public static let handshakeFailedAuth = UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
    public static let handshakeFailedProtocol = UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
    public static let handshakeFailedNoDetail = UInt16(ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL)

    /// The mask of the three handshake failures, for a monitor that watches for nothing else.
    public static let handshakeFailures =
        ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL

    /// The handshake failed: the peer refused our key, or spoke another protocol.
    public var isHandshakeFailure: Bool {
        [Self.handshakeFailedAuth, Self.handshakeFailedProtocol, Self.handshakeFailedNoDetail].contains(event)
    }
}

/// Watches a socket's connection events through a PAIR socket. Not thread-safe: owned by the thread that owns
/// the monitored socket. libzmq's I/O thread writes each event to the pair and blocks, for every socket of the
/// context, once a thousand are unread: read it often, or ask only for the events you need (`mask`).
public final class SocketMonitor {
    public let socket: Socket

    /// Starts monitoring `monitored` for the events in `mask` (default: all).
    public init(context: Context, monitoring monitored: Socket, mask: Int32 = ZMQ_EVENT_ALL) throws(ZMQError) {
        let endpoint = "inproc://monitor-\(UInt(bitPattern: monitored.handle))-\(UInt64.random(in: 0...UInt64.max))"
        guard zmq_socket_monitor(try monitored.liveHandle("zmq_socket_monitor"), endpoint, mask) == 0 else {
            throw .last("zmq_socket_monitor")
        }
        socket = try Socket(context: context, type: .pair)
        try socket.setLinger(milliseconds: 0)
        try socket.connect(endpoint)
    }

    /// The next event, if one is waiting (or within the socket's receive timeout when `dontWait` is false).
    public func next(dontWait: Bool = true) throws(ZMQError) -> SocketEvent? {
        guard let message = try socket.receive(dontWait: dontWait), message.frames.count >= 2,
            message.frames[0].count >= 6
        else { return nil }
        let head = message.frames[0]
        let event = UInt16(head[0]) | UInt16(head[1]) << 8
        let value = UInt32(head[2]) | UInt32(head[3]) << 8 | UInt32(head[4]) << 16 | UInt32(head[5]) << 24
        return SocketEvent(event: event, value: value, endpoint: String(decoding: message.frames[1], as: UTF8.self))
    }
}
