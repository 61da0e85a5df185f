import ArgumentParser
import Crypto
import DealBus
import DealWire
import Foundation
import ZeroMQ

/// `dealreg backup`: a consistent copy of a running service's database, made by the service and downloaded over
/// the bus.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a running service's SQLite database consistently, without stopping it, over the bus.",
        discussion: """
            The service makes the copy itself with SQLite's online backup API (the database as of one committed \
            transaction, WAL included, while it goes on writing) and checks its integrity; the copy then comes \
            over the bus in chunks and is checked against the SHA-256 the service computed. Works from any \
            machine that reaches the service (DEALREG_REGISTRY / DEALREG_ENFORCEMENT and their keys). Back up \
            enforcement before the registry, so the restored enforcement's cursor is never ahead of the restored \
            registry's log. Restore (deploy/README.md): stop the service, replace its .sqlite file with the copy and \
            delete the -wal and -shm files beside it, start it, then run `dealreg audit verify`.
            """)

    @Argument(help: "The service: `registry` or `enforcement`.") var service: String
    @Argument(help: "The copy to write (must not exist).") var destination: String
    @Option(name: .customLong("as"), help: "The principal to act as: an admin.") var principal = "admin"
    @Option(help: "Registry api endpoint (default: $DEALREG_REGISTRY, else the local cluster's).") var registry: String?
    @Option(help: "Registry public key, Z85 (default: $DEALREG_REGISTRY_KEY, else the local cluster's).")
    var registryKey: String?
    @OptionGroup var data: DataOptions

    func run() throws {
        do {
            guard ["registry", "enforcement"].contains(service) else {
                throw ValidationError("'\(service)' is not a service: back up `registry` or `enforcement`.")
            }
            let context = try Context()
            let client: any ServiceClient =
                service == "registry"
                ? try data.connect(as: principal, registry: registry, registryKey: registryKey, context: context)
                : try data.connectEnforcement(as: principal, context: context)
            let start = ContinuousClock.now
            let copy = try BackupDownload.download(from: client, to: URL(fileURLWithPath: destination))
            print(
                "backup: \(destination), \(copy.size / 1024) KiB in \(copy.chunks) chunks, integrity ok (checked by "
                    + "the \(service)), sha256 \(copy.sha256), in \(start.duration(to: .now))")
        } catch {
            exitWithError(error)
        }
    }
}

/// Downloads the copy a service makes of its database (the `Backup` RPC): chunk after chunk into a file of its
/// own, checked against the service's SHA-256 before it takes its name.
public enum BackupDownload {
    /// A copy downloaded whole.
    public struct Copy: Sendable {
        public var size: UInt64
        public var sha256: String
        public var chunks: Int
    }

    /// Why a download did not give a copy.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the copy `client`'s service makes to `destination`, which must not exist.
    @discardableResult
    public static func download(from client: some ServiceClient, to destination: URL) throws -> Copy {
        guard !FileManager.default.fileExists(atPath: destination.path) else {
            throw Failure(description: "\(destination.path) exists; back up to a new file.")
        }
        let partial = destination.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw Failure(description: "\(partial.path) cannot be created.")
        }
        defer { try? FileManager.default.removeItem(at: partial) }
        let file = try FileHandle(forWritingTo: partial)
        defer { try? file.close() }
        // Making the copy takes as long as reading the whole database: minutes for a large one.
        var reply = try client.backup(timeout: .seconds(600))
        var hasher = SHA256()
        var received: UInt64 = 0
        var chunks = 0
        let (id, size, sha256) = (reply.backupID, reply.size, reply.sha256)
        while true {
            guard reply.backupID == id, reply.offset == received, reply.size == size, reply.sha256 == sha256 else {
                throw Failure(description: "The service sent a chunk of another copy or at another offset.")
            }
            try file.write(contentsOf: reply.data)
            hasher.update(data: reply.data)
            received += UInt64(reply.data.count)
            chunks += 1
            guard received < size else { break }
            guard !reply.data.isEmpty else {
                throw Failure(description: "The service sent an empty chunk at \(received) of \(size) bytes.")
            }
            reply = try client.backup(
                .with {
                    $0.backupID = id
                    $0.offset = received
                })
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard received == size, digest == sha256 else {
            throw Failure(
                description: "The copy arrived damaged: \(received) of \(size) bytes, SHA-256 \(digest), not \(sha256)."
            )
        }
        try file.synchronize()
        try FileManager.default.moveItem(at: partial, to: destination)
        return Copy(size: size, sha256: sha256, chunks: chunks)
    }
}
