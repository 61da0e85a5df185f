import DealModel
import Foundation
import Glibc
import Matching
import ZeroMQ

/// An index of accounts on disk, as it stood after event `seq` of one registry's log: a check worker starting on a
/// host that has one loads it and replays only the events after it, instead of the whole log; enforcement loads its
/// own and reads from its store only what changed after it. Every worker of a host may share the folder: each writes
/// a whole new file and renames it over the old one, so a reader sees one snapshot or the next, never half of one.
/// A value; `Sendable`.
public struct IndexSnapshotFile: Sendable {
    /// The index and the seq it is up to.
    public struct Loaded {
        public var index: CustomerIndex<AccountID>
        public var seq: UInt64
        public var bytes: Int
    }

    /// The check workers' file, which the workers of a host share.
    public static let workerFileName = "check-index.snapshot"
    /// Enforcement's file, beside its store.
    public static let enforcementFileName = "enforcement-index.snapshot"
    private static let magic: UInt32 = 0x5743_5244  // "DRCW"
    private static let version: UInt32 = 1
    private static let headerSize = 4 + 4 + 8 + 40

    public let directory: URL
    /// The file's name in `directory`.
    public let fileName: String
    public var file: URL { directory.appendingPathComponent(fileName) }

    /// The snapshot named `fileName` in `directory` (a check worker's by default).
    public init(directory: URL, fileName: String = Self.workerFileName) {
        self.directory = directory
        self.fileName = fileName
    }

    /// The snapshot of `registry`'s log in the folder; nil when there is none. Throws when one is there but cannot
    /// be used (damaged, another registry's, another matcher's): the reader then starts from the beginning.
    public func load(registry: CurveKey) throws -> Loaded? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data = try Data(contentsOf: file, options: .alwaysMapped)
        return try data.withUnsafeBytes { raw throws -> Loaded in
            guard raw.count >= Self.headerSize,
                UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)) == Self.magic,
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == Self.version
            else { throw IndexSnapshotError(description: "\(file.path) is not an index snapshot of this release") }
            let seq = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let key = String(decoding: raw[16..<56], as: UTF8.self)
            guard key == registry.z85 else {
                throw IndexSnapshotError(description: "\(file.path) follows another registry (key \(key))")
            }
            let index = try CustomerIndex<AccountID>(
                snapshot: UnsafeRawBufferPointer(rebasing: raw[Self.headerSize...]))
            return Loaded(index: index, seq: seq, bytes: raw.count)
        }
    }

    /// Writes `index`, up to event `seq` of `registry`'s log, over the folder's snapshot: to a file of its own
    /// first, flushed to the disk, then renamed. Returns the bytes written.
    @discardableResult
    public func write(_ index: CustomerIndex<AccountID>, seq: UInt64, registry: CurveKey) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent("\(fileName).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SnapshotWriteError(call: "open \(temporary.path)", code: errno) }
        var written = 0
        do {
            defer { close(descriptor) }
            func put(_ raw: UnsafeRawBufferPointer) throws {
                var offset = 0
                while offset < raw.count {
                    let count = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    guard count > 0 else { throw SnapshotWriteError(call: "write \(temporary.path)", code: errno) }
                    offset += count
                }
                written += raw.count
            }
            var header: [UInt8] = []
            withUnsafeBytes(of: Self.magic.littleEndian) { header += $0 }
            withUnsafeBytes(of: Self.version.littleEndian) { header += $0 }
            withUnsafeBytes(of: seq.littleEndian) { header += $0 }
            header += Array(registry.z85.utf8)
            try header.withUnsafeBytes(put)
            try index.encodeSnapshot(put)
            guard fsync(descriptor) == 0 else { throw SnapshotWriteError(call: "fsync \(temporary.path)", code: errno) }
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, file.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw SnapshotWriteError(call: "rename to \(file.path)", code: code)
        }
        // The rename itself reaches the disk with the folder.
        let folder = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
        return written
    }

    /// When the folder's snapshot was last replaced (by any writer of the host); nil when there is none.
    public var modified: Date? {
        (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
    }
}

/// A system call failed while writing a snapshot. A value; `Sendable`.
public struct SnapshotWriteError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var code: Int32
    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}
