/// Which (principal, request_id) pairs may have been seen: a Bloom filter of fixed size in front of the `requests`
/// table, so a new request skips the table lookup and memory stays flat however many requests the registry has
/// answered. Never a false "new" (a pair inserted is always found); a false "seen" only costs one indexed lookup.
/// 2^26 bits (8 MiB) and 4 probes: under 0.5 % false "seen" up to 5 million pairs, 24 % at 20 million. Not
/// thread-safe: owned by the reactor thread.
struct RequestFilter {
    private static let bitCount = 1 << 26
    private static let probes = 4
    private var words = [UInt64](repeating: 0, count: bitCount / 64)

    /// The first probe and the stride between probes: double hashing from the two halves of one 64-bit hash (the
    /// stride odd, so the probes differ).
    private static func probing(_ hash: Int) -> (first: Int, stride: Int) {
        let mixed = UInt64(bitPattern: Int64(hash))
        return (Int(mixed & 0xFFFF_FFFF) & (bitCount - 1), Int((mixed >> 32) | 1) & (bitCount - 1))
    }

    mutating func insert(_ hash: Int) {
        var (position, stride) = Self.probing(hash)
        for _ in 0..<Self.probes {
            words[position >> 6] |= 1 << UInt64(position & 63)
            position = (position &+ stride) & (Self.bitCount - 1)
        }
    }

    func mayContain(_ hash: Int) -> Bool {
        var (position, stride) = Self.probing(hash)
        for _ in 0..<Self.probes {
            guard words[position >> 6] & (1 << UInt64(position & 63)) != 0 else { return false }
            position = (position &+ stride) & (Self.bitCount - 1)
        }
        return true
    }
}
