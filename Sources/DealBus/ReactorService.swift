import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// Asks a reactor to finish what it has in hand and return (a graceful SIGTERM). Thread-safe.
public final class DrainSignal: Sendable {
    private let requested = Mutex(false)

    public init() {}

    public func request() { requested.withLock { $0 = true } }
    public var isRequested: Bool { requested.withLock { $0 } }
}

/// Runs a service's reactor on a thread of its own and stops it on graceful shutdown or cancellation by shutting
/// its ZeroMQ context down (blocked calls return `ETERM`). Thread-safe.
public final class ReactorService: Service, Sendable {
    public let name: String
    public let context: Context
    private let body: @Sendable (Context) throws -> Void
    /// Set for a body that drains on a graceful shutdown; the context is shut down only if it has not returned
    /// within `drainLimit`.
    private let drain: DrainSignal?
    private let drainLimit: Duration

    /// `body` creates its sockets on the reactor thread, serves, and returns once the context is shut down.
    public init(name: String, context: Context, body: @escaping @Sendable (Context) throws -> Void) {
        self.name = name
        self.context = context
        self.body = body
        drain = nil
        drainLimit = .zero
    }

    /// `body` serves until `drain` is requested (SIGTERM), then finishes the work in hand, answers it and returns;
    /// a body still running after `drainLimit` is stopped by shutting its context down.
    public init(
        name: String, context: Context, drain: DrainSignal, drainLimit: Duration,
        body: @escaping @Sendable (Context) throws -> Void
    ) {
        self.name = name
        self.context = context
        self.body = body
        self.drain = drain
        self.drainLimit = drainLimit
    }

    public func run() async throws {
        let context = context
        let drain = drain
        let drainLimit = drainLimit
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await runOnThread()
            } onCancel: {
                context.shutdown()
            }
        } onGracefulShutdown: {
            guard let drain else {
                context.shutdown()
                return
            }
            drain.request()
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: Double(drainLimit.components.seconds) + 1)
                context.shutdown()
            }
        }
    }

    /// Runs the body on a new thread and waits for it, from async code.
    private func runOnThread() async throws {
        let body = body
        let context = context
        let name = name
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                do {
                    try body(context)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "\(name)-reactor"
            thread.start()
        }
    }

    /// Runs the service until SIGTERM or SIGINT, as an executable's `main` does; with `stopWithParent`, also stops
    /// gracefully once the process that started it is gone (a supervisor killed with SIGKILL leaves no orphans),
    /// also when it went during start-up, before this was called (`LaunchingParent`).
    public func runUntilSignalled(logger: Logger, stopWithParent: Bool = false) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let watch: Task<Void, Never>? =
            stopWithParent
            ? Task {
                while !LaunchingParent.isGone && !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
                guard !Task.isCancelled else { return }
                logger.warning("parent process gone; stopping")
                await group.triggerGracefulShutdown()
            } : nil
        defer { watch?.cancel() }
        try await group.run()
    }
}
