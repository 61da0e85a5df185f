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

    /// Writes an identity file (mode 0600, folder 0700) and fsyncs it.
    static func write(_ identity: Identity, to file: URL) throws(KeystoreError) {
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(identity)
            _ = FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .unreadable(path: file.path, reason: "\(error)")
        }
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

    /// Loads the identity at `file`, or creates it with a fresh key pair.
    public static func loadOrCreate(_ file: URL, id: PartyID, kind: PartyKind) throws -> Identity {
        if FileManager.default.fileExists(atPath: file.path) { return try read(file) }
        let identity = Identity(id: id, kind: kind, keyPair: try CurveKeyPair.generate())
        try write(identity, to: file)
        return identity
    }
}
