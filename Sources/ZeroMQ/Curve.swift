import CZeroMQ

/// A 32-byte CURVE key, public or secret. A value; `Sendable`.
public struct CurveKey: Hashable, Sendable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Decodes the 40-character Z85 text form; nil if it is not one.
    public init?(z85: String) {
        // C stops at a NUL, so one inside the text would silently shorten the key.
        guard z85.utf8.count == 40, !z85.utf8.contains(0) else { return nil }
        var decoded = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&decoded, z85) != nil else { return nil }
        self.bytes = decoded
    }

    /// The 40-character Z85 text form.
    public var z85: String {
        var text = [CChar](repeating: 0, count: 41)
        _ = bytes.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, 32) }
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The Z85 form: secret keys should not be printed, so callers decide where this goes.
    public var description: String { z85 }
}

/// A CURVE key pair. A value; `Sendable`.
public struct CurveKeyPair: Hashable, Sendable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    public init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Derives the pair from its secret key.
    public init(secretKey: CurveKey) throws(ZMQError) {
        var publicText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicText, secretKey.z85) == 0 else { throw .last("zmq_curve_public") }
        let text = String(decoding: publicText.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let publicKey = CurveKey(z85: text) else { throw ZMQError(code: EINVAL, call: "zmq_curve_public") }
        self.init(publicKey: publicKey, secretKey: secretKey)
    }

    /// A fresh random pair from libzmq (libsodium underneath).
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .last("zmq_curve_keypair") }
        func key(_ text: [CChar]) -> CurveKey? {
            CurveKey(z85: String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        guard let publicKey = key(publicText), let secretKey = key(secretText) else {
            throw ZMQError(code: EINVAL, call: "zmq_curve_keypair")
        }
        return CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
    }
}
