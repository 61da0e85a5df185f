import Crypto
import Foundation

/// A service's ledger head: how many entries it covers, the Merkle tree hash over their leaves (`MerkleTree`), the
/// hash chain's value at the last one (`LedgerChain`), when, and the Ed25519 signature of the service's ledger key.
/// A value; `Sendable`. PROTOCOL.md ("Receipts and proofs") gives the signed bytes so any client can check one.
public struct LedgerHead: Sendable, Hashable {
    /// "registry" or "enforcement".
    public var service: String
    public var size: UInt64
    public var root: [UInt8]
    public var chainHash: [UInt8]
    /// Seconds since the Unix epoch.
    public var time: Int64
    public var publicKey: [UInt8]
    public var signature: [UInt8]

    public init(
        service: String, size: UInt64, root: [UInt8], chainHash: [UInt8], time: Int64, publicKey: [UInt8] = [],
        signature: [UInt8] = []
    ) {
        self.service = service
        self.size = size
        self.root = root
        self.chainHash = chainHash
        self.time = time
        self.publicKey = publicKey
        self.signature = signature
    }

    /// What the signature covers: a fixed label, the service, the size, both hashes and the time, big-endian.
    public var signedBytes: [UInt8] {
        var bytes = Array("dealreg ledger head v1\n".utf8) + Array(service.utf8) + [0]
        bytes += Self.bigEndian(size) + root + chainHash + Self.bigEndian(UInt64(bitPattern: time))
        return bytes
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// Whether the signature is valid for the head's own public key (trust in that key is the caller's question:
    /// `LedgerKeyring.trusts`).
    public var isSignatureValid: Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: signedBytes)
    }

    /// The key's short name in messages: the first 8 bytes of its SHA-256, in hex.
    public var keyID: String { LedgerKey.id(of: publicKey) }

    /// "head at 12 signed 2026-12-07T08:00:00Z".
    public var description: String {
        "head at \(size) signed \(Date(timeIntervalSince1970: TimeInterval(time)).ISO8601Format())"
    }
}
