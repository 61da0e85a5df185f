import DealModel
import Foundation
import ZeroMQ

/// A principal's identity on disk: its id, kind and CURVE key pair. A value; `Sendable`.
public struct Identity: Sendable, Hashable, Codable {
    public var id: PartyID
    public var kind: PartyKind
    public var publicKey: String
    public var secretKey: String

    public init(id: PartyID, kind: PartyKind, keyPair: CurveKeyPair) {
        self.id = id
        self.kind = kind
        publicKey = keyPair.publicKey.z85
        secretKey = keyPair.secretKey.z85
    }

    enum CodingKeys: String, CodingKey {
        case id, kind
        case publicKey = "public_key"
        case secretKey = "secret_key"
    }

    /// The key pair, checked: nil when the file was tampered with or truncated.
    public var keyPair: CurveKeyPair? {
        guard let secret = CurveKey(z85: secretKey), let pair = try? CurveKeyPair(secretKey: secret),
            pair.publicKey.z85 == publicKey
        else { return nil }
        return pair
    }
}

/// Why an identity could not be read or written.
public enum KeystoreError: Error, CustomStringConvertible {
    case missing(PartyID, path: String)
    case unreadable(path: String, reason: String)
    case exists(PartyID, path: String)

    public var description: String {
        switch self {
        case .missing(let id, let path): "No key for '\(id)' in the keystore (\(path))."
        case .unreadable(let path, let reason): "The key file \(path) cannot be used: \(reason)."
        case .exists(let id, let path): "A key for '\(id)' already exists (\(path))."
        }
    }
}

/// A folder of identity files (`<id>.key`, mode 0600). Thread-safe as the file system is.
public struct Keystore: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func path(for id: PartyID) -> URL { directory.appendingPathComponent("\(id.rawValue).key") }

    public func contains(_ id: PartyID) -> Bool { FileManager.default.fileExists(atPath: path(for: id).path) }

    public func load(_ id: PartyID) throws(KeystoreError) -> Identity {
        let file = path(for: id)
        guard FileManager.default.fileExists(atPath: file.path) else { throw .missing(id, path: file.path) }
        return try Self.read(file)
    }

    /// Writes a new identity; refuses to overwrite one unless `replacing`.
    public func save(_ identity: Identity, replacing: Bool = false) throws(KeystoreError) {
        let file = path(for: identity.id)
        if !replacing && FileManager.default.fileExists(atPath: file.path) {
            throw .exists(identity.id, path: file.path)
        }
        try Self.write(identity, to: file)
    }

    /// Creates the keystore's folder, or secures one that exists (`secureFolder(_:)`).
    public func secureDirectory() throws(KeystoreError) {
        try Self.secureFolder(directory)
    }

    /// Makes `folder` a place for secrets: created mode 0700, or set to 0700 when it exists with other bits (a
    /// folder made 0755 by an earlier version, or by hand). Only the owner may list, add or remove its keys.
    public static func secureFolder(_ folder: URL) throws(KeystoreError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unreadable(path: folder.path, reason: "cannot create the folder: \(error)")
        }
        var status = stat()
        guard stat(folder.path, &status) == 0 else {
            throw .unreadable(path: folder.path, reason: "cannot read the folder's mode (errno \(errno))")
        }
        guard status.st_mode & 0o7777 != 0o700 else { return }
        guard chmod(folder.path, 0o700) == 0 else {
            throw .unreadable(path: folder.path, reason: "cannot make the folder mode 0700 (errno \(errno))")
        }
    }

    /// Writes an identity file (mode 0600, folder 0700): a fresh file created 0600 by `open(2)`, fsynced, then
    /// renamed over the old one, so a secret is never readable by others, even for an instant, nor half written.
    static func write(_ identity: Identity, to file: URL) throws(KeystoreError) {
        try secureFolder(file.deletingLastPathComponent())
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(identity)
            let temporary = file.path + ".tmp-\(getpid())"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw KeystoreError.unreadable(path: temporary, reason: "cannot create it") }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, file.path) == 0 else {
                unlink(temporary)
                throw KeystoreError.unreadable(path: file.path, reason: "cannot replace it")
            }
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .unreadable(path: file.path, reason: "\(error)")
        }
    }

    /// Moves a revoked identity aside (`<id>.key.revoked`), so nothing uses it by mistake.
    public func retire(_ id: PartyID) throws {
        let file = path(for: id)
        let aside = file.appendingPathExtension("revoked")
        try? FileManager.default.removeItem(at: aside)
        try FileManager.default.moveItem(at: file, to: aside)
    }

    /// Every identity in the keystore, by id.
    public func identities() -> [Identity] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "key" }.compactMap { try? Self.read($0) }
            .sorted { $0.id.rawValue < $1.id.rawValue }
    }

    /// Reads an identity file anywhere.
    public static func read(_ file: URL) throws(KeystoreError) -> Identity {
        do {
            let identity = try JSONDecoder().decode(Identity.self, from: Data(contentsOf: file))
            guard identity.keyPair != nil else {
                throw KeystoreError.unreadable(path: file.path, reason: "its keys do not form a CURVE key pair")
            }
            return identity
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .unreadable(path: file.path, reason: "\(error)")
        }
    }

    /// Loads the identity at `file`, or creates it with a fresh key pair; either way its folder is made 0700, so a
    /// service's data folder left looser by an earlier version is secured at its next start.
    public static func loadOrCreate(_ file: URL, id: PartyID, kind: PartyKind) throws -> Identity {
        if FileManager.default.fileExists(atPath: file.path) {
            // Best effort: a folder this process may not change (another owner's) must not stop a service whose
            // key is already there, 0600 and readable to it alone.
            try? secureFolder(file.deletingLastPathComponent())
            return try read(file)
        }
        let identity = Identity(id: id, kind: kind, keyPair: try CurveKeyPair.generate())
        try write(identity, to: file)
        return identity
    }
}
