import DealWire
import Foundation
import Logging
import Synchronization

/// Ledger audits run off a service's reactor thread: recomputing a large hash chain takes seconds, during which the
/// reactor would answer nothing (the registry would miss its workers' heartbeats). Each audit runs on a thread of its
/// own, on its own read-only connection; its answer waits here until the reactor's tick sends it. Thread-safe.
public final class BackgroundAudits: Sendable {
    private let answers = Mutex<[[[UInt8]]]>([])
    /// The audits running, by route and request id: a client that sends its request again while it runs (a
    /// failover group's client resends every second) gets the one answer, not another audit.
    private let running = Mutex<Set<[[UInt8]]>>([])
    /// At most this many audits run at once (each reads the whole store, on a connection of its own); more are
    /// refused `OVERLOADED`.
    public static let concurrentLimit = 2

    public init() {}

    /// Runs `verify` on a new thread and queues its answer, or an `INTERNAL` error naming what failed, for `route`.
    public func start(
        route: [[UInt8]], requestID: String, logger: Logger,
        verify: @escaping @Sendable () throws -> Dealreg_V1_AuditReply
    ) {
        let key = route + [Array(requestID.utf8)]
        let admitted = running.withLock { running -> Bool? in
            guard !running.contains(key) else { return nil }
            guard running.count < Self.concurrentLimit else { return false }
            running.insert(key)
            return true
        }
        guard let admitted else { return }
        guard admitted else {
            var busy = WireError(.overloaded, "Audits are already running; ask again when they are done.")
            busy.retryAfterMs = 5000
            answers.withLock { $0.append(route + [EnvelopeCodec.encode(requestID: requestID, error: busy)]) }
            return
        }
        Thread.detachNewThread { [self] in
            defer { _ = running.withLock { $0.remove(key) } }
            let reply: WireEnvelope.OneOf_Body
            do {
                reply = .auditReply(try verify())
            } catch {
                logger.error("audit failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
                reply = .error(WireError(.internal, "The audit could not read the database: \(error)"))
            }
            let frames = route + [EnvelopeCodec.encode(requestID: requestID, body: reply)]
            answers.withLock { $0.append(frames) }
        }
    }

    /// The answers of the audits finished since the last call.
    public func take() -> [[[UInt8]]] {
        answers.withLock { answers in
            defer { answers.removeAll() }
            return answers
        }
    }
}
