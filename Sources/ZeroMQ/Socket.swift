import CZeroMQ

/// A libzmq socket. Not thread-safe: one thread creates it, uses it and closes it.
public final class Socket {
    /// The libzmq handle, valid until `close()`.
    public private(set) var handle: UnsafeMutableRawPointer?
    public let type: SocketType
    /// Kept alive while the socket is open: terminating a context with open sockets blocks forever.
    private let context: Context

    public init(context: Context, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else { throw .last("zmq_socket") }
        self.handle = handle
        self.type = type
        self.context = context
    }

    deinit { close() }

    /// Closes the socket now; unsent messages are kept for the linger period.
    public func close() {
        if let handle {
            zmq_close(handle)
            self.handle = nil
        }
    }

    func liveHandle(_ call: String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError(code: ENOTSOCK, call: call) }
        return handle
    }

    public func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(try liveHandle("zmq_bind"), endpoint) == 0 else { throw .last("zmq_bind(\(endpoint))") }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(try liveHandle("zmq_connect"), endpoint) == 0 else {
            throw .last("zmq_connect(\(endpoint))")
        }
    }

    public func disconnect(_ endpoint: String) throws(ZMQError) {
        guard zmq_disconnect(try liveHandle("zmq_disconnect"), endpoint) == 0 else {
            throw .last("zmq_disconnect(\(endpoint))")
        }
    }

    public func unbind(_ endpoint: String) throws(ZMQError) {
        guard zmq_unbind(try liveHandle("zmq_unbind"), endpoint) == 0 else { throw .last("zmq_unbind(\(endpoint))") }
    }

    /// Sends one frame; `more` says further frames of the same message follow.
    /// Returns false when `dontWait` is set and the message cannot be queued now.
    @discardableResult
    public func send(
        _ frame: some Collection<UInt8>, more: Bool = false, dontWait: Bool = false
    ) throws(ZMQError) -> Bool {
        let handle = try liveHandle("zmq_send")
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        while true {
            let sent =
                frame.withContiguousStorageIfAvailable { buffer in
                    zmq_send(handle, buffer.baseAddress, buffer.count, flags)
                }
                ?? Array(frame).withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            if sent >= 0 { return true }
            let error = ZMQError.last("zmq_send")
            if error.isInterrupted { continue }
            if error.wouldBlock && dontWait { return false }
            throw error
        }
    }

    /// Sends every frame as one multipart message; all or nothing as libzmq guarantees.
    @discardableResult
    public func send(frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        for (index, frame) in frames.enumerated() {
            let more = index < frames.count - 1
            // Only the first frame may refuse with EAGAIN; libzmq accepts the rest of a started message.
            guard try send(frame, more: more, dontWait: dontWait && index == 0) else { return false }
        }
        return true
    }

    /// Receives one whole multipart message; nil when `dontWait` is set and none is waiting.
    public func receive(dontWait: Bool = false) throws(ZMQError) -> Message? {
        let handle = try liveHandle("zmq_msg_recv")
        var frames: [[UInt8]] = []
        var userID: String?
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        while true {
            let flags = frames.isEmpty && dontWait ? ZMQ_DONTWAIT : 0
            let size = zmq_msg_recv(&message, handle, flags)
            if size < 0 {
                let error = ZMQError.last("zmq_msg_recv")
                if error.isInterrupted { continue }
                if error.wouldBlock && frames.isEmpty && dontWait { return nil }
                throw error
            }
            let bytes = UnsafeRawBufferPointer(start: zmq_msg_data(&message), count: Int(size))
            frames.append(Array(bytes))
            // ROUTER's routing-id frame carries no metadata; the peer's frames do.
            if userID == nil, let value = zmq_msg_gets(&message, "User-Id") {
                userID = String(cString: value)
            }
            if zmq_msg_more(&message) == 0 { break }
        }
        return Message(frames: frames, userID: userID)
    }
}
