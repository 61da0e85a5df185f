import CZeroMQ

/// One-shot `zmq_poll` over a few sockets, for clients that wait on a reply. Not thread-safe: the thread that
/// owns the sockets calls it.
public enum Poller {
    /// Waits up to `timeoutMilliseconds` (-1: forever) for any of `sockets` to have a message; returns which do.
    public static func readable(_ sockets: [Socket], timeoutMilliseconds: Int) throws(ZMQError) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        while true {
            if zmq_poll(&items, Int32(items.count), timeoutMilliseconds) >= 0 { break }
            let error = ZMQError.last("zmq_poll")
            if !error.isInterrupted { throw error }
        }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}
