import Foundation
import Synchronization
import Testing
import ZeroMQ

/// A value shared between the test and a thread it starts.
private final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}

private struct Boom: Error {}

@Suite("Reactor", .timeLimit(.minutes(1)))
struct ReactorTests {
    @Test func firesOneShotAndRepeatingTimersUntilStopped() throws {
        let reactor = Reactor()
        var ticks = 0
        var onceFired = 0
        reactor.schedule(after: .milliseconds(1)) { onceFired += 1 }
        reactor.schedule(every: .milliseconds(2)) { [unowned reactor] in
            ticks += 1
            if ticks == 5 { reactor.stop() }
        }
        try reactor.run()
        #expect(ticks == 5)
        #expect(onceFired == 1)
    }

    @Test func stopEndsRunAfterTheCurrentTurn() throws {
        let reactor = Reactor()
        var turns = 0
        reactor.schedule(every: .milliseconds(1)) {}  // keeps each poll short
        reactor.atEndOfTurn { [unowned reactor] in
            turns += 1
            reactor.stop()
        }
        try reactor.run()
        #expect(turns == 1)
        // run() can be started again after a stop.
        try reactor.run()
        #expect(turns == 2)
    }

    @Test func aCancelledTimerDoesNotFire() throws {
        let reactor = Reactor()
        var fired = false
        let timer = reactor.schedule(after: .zero) { fired = true }
        reactor.cancel(timer)
        reactor.schedule(after: .milliseconds(5)) { [unowned reactor] in reactor.stop() }
        try reactor.run()
        #expect(!fired)
    }

    @Test func aRepeatingTimerCanCancelItself() throws {
        let reactor = Reactor()
        var ticks = 0
        var timer: Reactor.TimerID?
        timer = reactor.schedule(every: .milliseconds(1)) { [unowned reactor] in
            ticks += 1
            reactor.cancel(timer!)
        }
        var laterTurns = 0
        reactor.schedule(every: .milliseconds(1)) { [unowned reactor] in
            laterTurns += 1
            if laterTurns == 5 { reactor.stop() }
        }
        try reactor.run()
        #expect(ticks == 1)
    }

    @Test func aTimerCancelledByAnotherInTheSameTurnDoesNotFire() throws {
        let reactor = Reactor()
        var secondFired = false
        var second: Reactor.TimerID?
        // Both are due on the first turn; the first, older one cancels the second.
        reactor.schedule(after: .zero) { reactor.cancel(second!) }
        second = reactor.schedule(after: .zero) { secondFired = true }
        reactor.schedule(after: .milliseconds(5)) { [unowned reactor] in reactor.stop() }
        try reactor.run()
        #expect(!secondFired)
    }

    @Test func rethrowsAHandlersError() {
        let reactor = Reactor()
        reactor.schedule(after: .zero) { throw Boom() }
        #expect(throws: Boom.self) { try reactor.run() }
    }

    @Test func callsSocketHandlersThenEndOfTurnHandlers() throws {
        try withContext { context in
            let pull = try Socket(context: context, type: .pull)
            defer { pull.close() }
            try pull.bind("inproc://reactor-pull")
            let push = try Socket(context: context, type: .push)
            defer { push.close() }
            try push.connect("inproc://reactor-pull")
            for word in ["one", "two", "three"] { try push.send([UInt8](text: word)) }

            let reactor = Reactor()
            var received: [String] = []
            var flushed: [[String]] = []
            reactor.register(pull) {
                while let message = try pull.receive(dontWait: true) {
                    received.append(String(decoding: message.payload, as: UTF8.self))
                }
            }
            reactor.atEndOfTurn { [unowned reactor] in
                guard !received.isEmpty else { return }
                flushed.append(received)
                received.removeAll()
                if flushed.joined().count == 3 { reactor.stop() }
            }
            try reactor.run()
            #expect(Array(flushed.joined()) == ["one", "two", "three"])
        }
    }

    @Test func anUnregisteredSocketIsNoLongerPolled() throws {
        try withContext { context in
            let ignored = try Socket(context: context, type: .pull)
            defer { ignored.close() }
            try ignored.bind("inproc://reactor-ignored")
            let watched = try Socket(context: context, type: .pull)
            defer { watched.close() }
            try watched.bind("inproc://reactor-watched")
            let push = try Socket(context: context, type: .push)
            defer { push.close() }
            try push.connect("inproc://reactor-ignored")
            try push.connect("inproc://reactor-watched")
            try push.send([UInt8](text: "a"))  // push round-robins: one message to each pull
            try push.send([UInt8](text: "b"))
            #expect(try Poller.readable([ignored, watched], timeoutMilliseconds: 10_000) == [true, true])

            let reactor = Reactor()
            var ignoredCalls = 0
            var watchedCalls = 0
            reactor.register(ignored) { ignoredCalls += 1 }
            reactor.register(watched) { [unowned reactor] in
                watchedCalls += 1
                _ = try watched.receive(dontWait: true)
                reactor.stop()
            }
            reactor.unregister(ignored)
            try reactor.run()
            #expect(watchedCalls == 1)
            #expect(ignoredCalls == 0)
        }
    }

    @Test func runReturnsNormallyOnceTheContextIsShutDown() throws {
        try withContext { context in
            let pull = try Socket(context: context, type: .pull)
            defer { pull.close() }
            try pull.bind("inproc://reactor-shutdown-same-thread")
            let reactor = Reactor()
            reactor.register(pull) { _ = try pull.receive(dontWait: true) }
            context.shutdown()
            context.shutdown()  // any number of times
            try reactor.run()

            let error = #expect(throws: ZMQError.self) { try pull.receive(dontWait: true) }
            #expect(error?.isContextTerminated == true)
            #expect(throws: ZMQError.self) { try Poller.readable([pull], timeoutMilliseconds: 0) }
            #expect(throws: ZMQError.self) { _ = try Socket(context: context, type: .pull) }
        }
    }

    @Test func contextShutdownEndsARunBlockedOnAnotherThread() throws {
        let context = try Context()
        let running = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Shared<String>("not run")
        let thread = Thread {
            do {
                // The socket belongs to this thread: created, polled and closed here.
                let pull = try Socket(context: context, type: .pull)
                defer { pull.close() }
                try pull.bind("inproc://reactor-shutdown")
                let reactor = Reactor()
                reactor.register(pull) { _ = try pull.receive(dontWait: true) }
                reactor.schedule(after: .zero) { running.signal() }
                try reactor.run()
                outcome.value = "returned"
            } catch {
                outcome.value = "threw \(error)"
            }
            finished.signal()
        }
        thread.start()
        #expect(running.wait(timeout: .now() + 10) == .success)
        context.shutdown()
        let ended = finished.wait(timeout: .now() + 10) == .success
        #expect(ended, "run() did not return after Context.shutdown()")
        #expect(outcome.value == "returned")
        if !ended {
            // The thread still holds a socket: terminating the context would block forever, so leak it.
            _ = Unmanaged.passRetained(context)
        }
    }
}
