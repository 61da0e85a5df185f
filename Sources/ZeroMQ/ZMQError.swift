import CZeroMQ

/// An error from a libzmq call: the `errno` it set and the call that failed. A value; `Sendable`.
public struct ZMQError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `zmq_errno()` value.
    public let code: Int32
    /// The libzmq function that failed, e.g. `"zmq_bind"`.
    public let call: String

    public init(code: Int32, call: String) {
        self.code = code
        self.call = call
    }

    /// Captures `zmq_errno()` for a call that just failed.
    static func last(_ call: String) -> ZMQError {
        ZMQError(code: zmq_errno(), call: call)
    }

    /// The context was shut down or terminated; the owner should close its sockets and return.
    public var isContextTerminated: Bool { code == ETERM }
    /// A non-blocking call would have blocked.
    public var wouldBlock: Bool { code == EAGAIN }
    /// A blocking call was interrupted by a signal; retrying is correct.
    public var isInterrupted: Bool { code == EINTR }
    /// ROUTER_MANDATORY: the routing id names no connected peer.
    public var isUnroutable: Bool { code == EHOSTUNREACH }

    public var description: String {
        "\(call): \(String(cString: zmq_strerror(code))) (errno \(code))"
    }
}
