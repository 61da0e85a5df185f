import Crypto
import DealWire
import Foundation
import Logging
import Synchronization

/// Copies of a service's live database for the `Backup` request, made off its reactor and served in chunks: each
/// copy is made on a thread of its own by `make` (SQLite's online backup and an integrity check), hashed, and kept
/// in `directory` (mode 0700) until 15 minutes after it was last read; at most two are kept. Answers wait here
/// until the reactor's tick sends them, as audits do. Thread-safe.
public final class BackgroundBackups: Sendable {
    /// The most a chunk carries: well under every socket's message limit.
    public static let chunkBytes = 1 << 20
    /// How long a copy is kept after it was last read.
    public static let keptFor: Duration = .seconds(15 * 60)

    private struct Copy {
        var file: URL
        var size: UInt64
        var sha256: String
        var lastRead: ContinuousClock.Instant
    }

    private let service: String
    private let directory: URL
    private let make: @Sendable (URL) throws -> Void
    private let copies = Mutex<[String: Copy]>([:])
    private let answers = Mutex<[[[UInt8]]]>([])

    /// Backups of `service`'s database kept in `directory`, each written by `make` to the file it is given.
    public init(service: String, directory: URL, make: @escaping @Sendable (URL) throws -> Void) {
        self.service = service
        self.directory = directory
        self.make = make
    }

    /// Answers `request` at `route`: a new copy and its first chunk when it names none, else the chunk it asks.
    public func serve(_ request: Dealreg_V1_BackupRequest, route: [[UInt8]], requestID: String, logger: Logger) {
        forgetStale()
        guard request.backupID.isEmpty else {
            answer(route, requestID, chunk(of: request.backupID, from: request.offset))
            return
        }
        Thread.detachNewThread { [self] in
            let started = ContinuousClock.now
            let id = "backup-\(Int(Date().timeIntervalSince1970))-\(UInt32.random(in: 0...UInt32.max))"
            let file = directory.appendingPathComponent("\(id).sqlite")
            do {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try make(file)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
                let (size, sha256) = try Self.digest(file)
                copies.withLock { copies in
                    // Two copies at most: the oldest goes first.
                    while copies.count >= 2, let oldest = copies.min(by: { $0.value.lastRead < $1.value.lastRead }) {
                        try? FileManager.default.removeItem(at: oldest.value.file)
                        copies[oldest.key] = nil
                    }
                    copies[id] = Copy(file: file, size: size, sha256: sha256, lastRead: .now)
                }
                logger.notice(
                    "backup made",
                    metadata: ["backup": "\(id)", "bytes": "\(size)", "took": "\(started.duration(to: .now))"])
                answer(route, requestID, chunk(of: id, from: 0))
            } catch {
                try? FileManager.default.removeItem(at: file)
                logger.error("backup failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
                answer(
                    route, requestID,
                    .error(WireError(.internal, "The \(service) could not copy its database: \(error)")))
            }
        }
    }

    /// The answers ready since the last call, as reply frames.
    public func take() -> [[[UInt8]]] {
        answers.withLock { answers in
            defer { answers.removeAll() }
            return answers
        }
    }

    private func answer(_ route: [[UInt8]], _ requestID: String, _ body: WireEnvelope.OneOf_Body) {
        let frames = route + [EnvelopeCodec.encode(requestID: requestID, body: body)]
        answers.withLock { $0.append(frames) }
    }

    /// The chunk of copy `id` from `offset`, or the error naming what is wrong with the request.
    private func chunk(of id: String, from offset: UInt64) -> WireEnvelope.OneOf_Body {
        guard
            let copy = copies.withLock({ copies -> Copy? in
                copies[id]?.lastRead = .now
                return copies[id]
            })
        else {
            return .error(
                WireError(.notFound, "No backup \(id) is kept here (copies are kept 15 minutes).", field: "backup_id"))
        }
        guard offset <= copy.size else {
            return .error(WireError(.invalidField, "The copy has \(copy.size) bytes.", field: "offset"))
        }
        do {
            let handle = try FileHandle(forReadingFrom: copy.file)
            defer { try? handle.close() }
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: Self.chunkBytes) ?? Data()
            return .backupReply(
                .with {
                    $0.service = service
                    $0.backupID = id
                    $0.size = copy.size
                    $0.sha256 = copy.sha256
                    $0.offset = offset
                    $0.data = data
                })
        } catch {
            return .error(WireError(.internal, "The \(service) could not read backup \(id): \(error)"))
        }
    }

    /// Deletes the copies nobody read for `keptFor`.
    private func forgetStale() {
        let deadline = ContinuousClock.now.advanced(by: .zero - Self.keptFor)
        copies.withLock { copies in
            for (id, copy) in copies where copy.lastRead < deadline {
                try? FileManager.default.removeItem(at: copy.file)
                copies[id] = nil
            }
        }
    }

    /// The size and SHA-256 (lowercase hex) of `file`, read a chunk at a time.
    static func digest(_ file: URL) throws -> (size: UInt64, sha256: String) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: UInt64 = 0
        while let data = try handle.read(upToCount: chunkBytes), !data.isEmpty {
            hasher.update(data: data)
            size += UInt64(data.count)
        }
        return (size, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
