import CZeroMQ

/// A libzmq context: owns the I/O threads. Thread-safe, as libzmq's context is.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` I/O threads.
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
        self.handle = handle
        zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads)
        zmq_ctx_set(handle, ZMQ_BLOCKY, 0)
    }

    /// Makes every blocking call on this context's sockets return `ETERM`, so that their
    /// owning threads close them and stop. Safe from any thread, any number of times.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// Whether the linked libzmq supports a capability such as `"curve"`.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// The linked libzmq version, e.g. `"4.3.4"`.
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
