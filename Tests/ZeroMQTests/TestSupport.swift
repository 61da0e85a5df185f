import ZeroMQ

/// Runs `body` with a fresh context kept alive until `body` returns. A `Socket` does not retain its context, and
/// terminating a context blocks until all of its sockets are closed, so every socket `body` creates must be closed
/// (or released) before the context is: create them inside `body` and let them go out of scope there.
func withContext<Result>(_ body: (Context) throws -> Result) throws -> Result {
    let context = try Context()
    return try withExtendedLifetime(context) { try body(context) }
}

/// Polls `socket` and the ZAP handler's socket on the calling thread, answering ZAP requests, until `socket` has a
/// message or `attempts` polls have passed without one.
func receiveServingZAP(_ socket: Socket, zap: ZAPHandler, attempts: Int = 200) throws -> Message? {
    for _ in 0..<attempts {
        let ready = try Poller.readable([socket, zap.socket], timeoutMilliseconds: 50)
        if ready[1] { try zap.handleOne() }
        if ready[0], let message = try socket.receive(dontWait: true) { return message }
    }
    return nil
}

extension Array where Element == UInt8 {
    init(text: String) { self = Array(text.utf8) }
}
