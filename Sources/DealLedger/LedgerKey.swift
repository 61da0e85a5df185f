import Crypto
import Foundation

/// A service's Ed25519 ledger key file: the current key and the public keys it replaced, so that heads signed
/// before a rotation still verify. JSON, mode 0600, written atomically; kept outside the database's folder (an
/// insider who can write the database cannot sign). A value; `Sendable`.
public struct LedgerKey: Sendable {
    public let service: String
    /// The Ed25519 seed (32 bytes).
    let secret: [UInt8]
    public let publicKey: [UInt8]
    /// Public keys of earlier keys, newest first.
    public let retired: [[UInt8]]

    /// Every public key a head of this service may carry: the current one first.
    public var keyring: LedgerKeyring { LedgerKeyring(service: service, keys: [publicKey] + retired) }

    public init(service: String, signingKey: Curve25519.Signing.PrivateKey = .init(), retired: [[UInt8]] = []) {
        self.service = service
        secret = Array(signingKey.rawRepresentation)
        publicKey = Array(signingKey.publicKey.rawRepresentation)
        self.retired = retired
    }

    /// What signs heads with this key; made once (expanding the key costs as much as a signature).
    public func signer() -> LedgerSigner {
        // The seed was read from a checked file or made by CryptoKit: it is a valid key.
        LedgerSigner(service: service, key: try! Curve25519.Signing.PrivateKey(rawRepresentation: secret))
    }

    /// A new key, the current one's public key kept as retired.
    public func rotated() -> LedgerKey {
        LedgerKey(service: service, signingKey: .init(), retired: [publicKey] + retired)
    }

    /// The first 8 bytes of SHA-256 of `publicKey`, in hex: how messages and `dealreg audit head` name a key.
    public static func id(of publicKey: [UInt8]) -> String {
        SHA256.hash(data: publicKey).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    struct File: Codable {
        var service: String
        var secret_key: String
        var public_key: String
        var retired_public_keys: [String]
    }

    /// Reads `file`, or creates it with a fresh key when it does not exist.
    public static func loadOrCreate(_ file: URL, service: String) throws -> LedgerKey {
        if FileManager.default.fileExists(atPath: file.path) { return try load(file) }
        let key = LedgerKey(service: service)
        try key.save(to: file)
        return key
    }

    public static func load(_ file: URL) throws -> LedgerKey {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw LedgerKeyError("The ledger key \(file.path) cannot be read: \(error.localizedDescription)")
        }
        guard let stored = try? JSONDecoder().decode(File.self, from: data),
            let secret = Data(base64Encoded: stored.secret_key),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: secret),
            key.publicKey.rawRepresentation.base64EncodedString() == stored.public_key
        else { throw LedgerKeyError("The ledger key \(file.path) is not a ledger key file, or was altered.") }
        let retired = try stored.retired_public_keys.map { text -> [UInt8] in
            guard let bytes = Data(base64Encoded: text), bytes.count == 32 else {
                throw LedgerKeyError("The ledger key \(file.path) lists a retired key that is not 32 bytes of base64.")
            }
            return Array(bytes)
        }
        return LedgerKey(service: stored.service, signingKey: key, retired: retired)
    }

    /// Writes the key file mode 0600 (its folder 0700): created under a temporary name, fsynced, renamed.
    public func save(to file: URL) throws {
        let folder = file.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stored = File(
            service: service, secret_key: Data(secret).base64EncodedString(),
            public_key: Data(publicKey).base64EncodedString(),
            retired_public_keys: retired.map { Data($0).base64EncodedString() })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(stored)
        let temporary = file.path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LedgerKeyError("Cannot create \(temporary) (errno \(errno)).") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, file.path) == 0 else {
            unlink(temporary)
            throw LedgerKeyError("Cannot replace \(file.path) (errno \(errno)).")
        }
    }
}

/// Signs a service's heads with its ledger key. Not `Sendable`: one per store, on the thread that commits.
public final class LedgerSigner {
    public let service: String
    private let key: Curve25519.Signing.PrivateKey
    public let publicKey: [UInt8]

    init(service: String, key: Curve25519.Signing.PrivateKey) {
        self.service = service
        self.key = key
        publicKey = Array(key.publicKey.rawRepresentation)
    }

    /// `head` signed (its service and public key set to this key's).
    public func sign(_ head: LedgerHead) -> LedgerHead {
        var head = head
        head.service = service
        head.publicKey = publicKey
        // Signing with a valid key over bytes cannot fail.
        head.signature = Array(try! key.signature(for: head.signedBytes))
        return head
    }
}

/// The public keys a service's heads may be signed with. A value; `Sendable`.
public struct LedgerKeyring: Sendable, Hashable {
    public var service: String
    public var keys: [[UInt8]]

    public init(service: String, keys: [[UInt8]]) {
        self.service = service
        self.keys = keys
    }

    /// Why `head` cannot be trusted as this service's, or nil when it can: its service, its key, its signature.
    public func problem(with head: LedgerHead) -> String? {
        guard head.service == service else { return "it is a head of \(head.service), not of \(service)" }
        guard keys.contains(head.publicKey) else {
            return "it is signed with key \(head.keyID), which is not a ledger key of \(service)"
        }
        guard head.isSignatureValid else { return "its signature does not verify with key \(head.keyID)" }
        return nil
    }
}

public struct LedgerKeyError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
