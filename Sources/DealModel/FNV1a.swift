/// FNV-1a, 64-bit: a fast hash that is the same in every process and run, for request fingerprints, file digests and
/// index keys. Not cryptographic. A value; `Sendable`.
public struct FNV1a: Sendable, Hashable {
    /// The hash so far. Settable only so that the inlinable `combine` can be specialised in the modules that call
    /// it (an unspecialised generic loop over a sequence was a tenth of a check worker's CPU).
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    @inlinable @inline(__always)
    public mutating func combine(_ byte: UInt8) {
        value ^= UInt64(byte)
        value &*= 0x100_0000_01b3
    }

    @inlinable
    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            for byte in buffer { combine(byte) }
        }
        if done == nil {
            for byte in bytes { combine(byte) }
        }
    }

    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = FNV1a()
        hasher.combine(bytes)
        return hasher.value
    }
}
