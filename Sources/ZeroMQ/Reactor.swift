import CZeroMQ

/// A `zmq_poll` loop with timers, run by the one thread that owns its sockets. Not thread-safe: register,
/// schedule and stop only from that thread (other threads stop it through `Context.shutdown()`).
public final class Reactor {
    /// Identifies a scheduled timer, to cancel it.
    public struct TimerID: Hashable, Sendable {
        let value: Int
    }

    private struct Registration {
        let socket: Socket
        let onReadable: () throws -> Void
    }

    private struct Timer {
        var due: ContinuousClock.Instant
        let interval: Duration?
        let handler: () throws -> Void
    }

    private var registrations: [Registration] = []
    private var timers: [Int: Timer] = [:]
    private var nextTimer = 0
    private var endOfTurn: [() throws -> Void] = []
    private var stopping = false
    private let clock = ContinuousClock()

    public init() {}

    /// Calls `onReadable` each turn in which `socket` has a message waiting. The handler should drain what it
    /// can without blocking.
    public func register(_ socket: Socket, onReadable: @escaping () throws -> Void) {
        registrations.append(Registration(socket: socket, onReadable: onReadable))
    }

    public func unregister(_ socket: Socket) {
        registrations.removeAll { $0.socket === socket }
    }

    /// Runs `handler` every `interval`, first after one interval.
    @discardableResult
    public func schedule(every interval: Duration, _ handler: @escaping () throws -> Void) -> TimerID {
        addTimer(Timer(due: clock.now.advanced(by: interval), interval: interval, handler: handler))
    }

    /// Runs `handler` once after `delay`.
    @discardableResult
    public func schedule(after delay: Duration, _ handler: @escaping () throws -> Void) -> TimerID {
        addTimer(Timer(due: clock.now.advanced(by: delay), interval: nil, handler: handler))
    }

    public func cancel(_ timer: TimerID) {
        timers[timer.value] = nil
    }

    /// Runs `handler` after the socket handlers of every turn: the place for group commits and flushes.
    public func atEndOfTurn(_ handler: @escaping () throws -> Void) {
        endOfTurn.append(handler)
    }

    /// Makes `run()` return after the current turn.
    public func stop() {
        stopping = true
    }

    /// Polls until `stop()` or until the context is shut down (then returns normally). Rethrows a handler's error.
    public func run() throws {
        stopping = false
        var items: [zmq_pollitem_t] = []
        while !stopping {
            items = registrations.map {
                zmq_pollitem_t(socket: $0.socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
            }
            let ready = zmq_poll(&items, Int32(items.count), pollTimeoutMilliseconds())
            if ready < 0 {
                let error = ZMQError.last("zmq_poll")
                if error.isInterrupted { continue }
                if error.isContextTerminated { return }
                throw error
            }
            do {
                let polled = registrations
                for (index, item) in items.enumerated() where item.revents & Int16(ZMQ_POLLIN) != 0 {
                    try polled[index].onReadable()
                }
                try fireDueTimers()
                for handler in endOfTurn { try handler() }
            } catch let error as ZMQError where error.isContextTerminated {
                return
            }
        }
    }

    private func addTimer(_ timer: Timer) -> TimerID {
        nextTimer += 1
        timers[nextTimer] = timer
        return TimerID(value: nextTimer)
    }

    private func pollTimeoutMilliseconds() -> Int {
        guard let due = timers.values.map(\.due).min() else { return 1000 }
        let wait = clock.now.duration(to: due)
        if wait <= .zero { return 0 }
        let (seconds, attoseconds) = wait.components
        return min(1000, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000) + 1)
    }

    private func fireDueTimers() throws {
        let now = clock.now
        for id in timers.keys.sorted() {
            // A handler may have cancelled a timer due in this same turn.
            guard let timer = timers[id], timer.due <= now else { continue }
            if let interval = timer.interval {
                timers[id]?.due = now.advanced(by: interval)
            } else {
                timers[id] = nil
            }
            try timer.handler()
        }
    }
}
