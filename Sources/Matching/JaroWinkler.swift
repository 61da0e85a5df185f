import Foundation

/// Jaro-Winkler similarity of two strings, over their UTF-8 bytes (folded text is mostly ASCII); 1 is equal, 0 nothing
/// in common.
public enum JaroWinkler {
    public static func similarity(_ lhs: String, _ rhs: String) -> Double {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { a in rhs.withUTF8 { b in similarity(a, b) } }
    }

    /// Jaro-Winkler over two byte ranges of UTF-8 (folded text is mostly ASCII), without allocating.
    public static func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        if a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 { return 1 }
        let (matches, transpositions) = b.count <= 64 ? matchBits(a, b) : matchScan(a, b)
        if matches == 0 { return 0 }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// The matching step with `b`'s positions as bits (`b` at most 64 bytes): each byte of `a` takes the lowest
    /// unmatched equal byte of `b` within the window in one mask operation instead of a scan of the window. Same
    /// choices as `matchScan`, so the same result.
    static func matchBits(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
    ) -> (matches: Int, transpositions: Int) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { positions in
            // Only entries for bytes of `a` are read, so only they (and those `b` sets) need clearing.
            for byte in a { positions[Int(byte)] = 0 }
            for byte in b { positions[Int(byte)] = 0 }
            for (index, byte) in b.enumerated() { positions[Int(byte)] |= 1 << UInt64(index) }
            let window = max(0, max(a.count, b.count) / 2 - 1)
            // The matched bytes of `a` in order (at most `b.count` of them), to compare with `b`'s in order.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: b.count) { fromA in
                var matchedB: UInt64 = 0
                var matches = 0
                for i in 0..<a.count {
                    let low = max(0, i - window)
                    let high = min(b.count - 1, i + window)
                    if low > high { continue }
                    let span = high - low + 1
                    let inWindow = (span == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(span)) - 1) << UInt64(low)
                    let free = positions[Int(a[i])] & inWindow & ~matchedB
                    guard free != 0 else { continue }
                    matchedB |= free & (0 &- free)
                    fromA[matches] = a[i]
                    matches += 1
                }
                var transpositions = 0
                var bits = matchedB
                var k = 0
                while bits != 0 {
                    if b[bits.trailingZeroBitCount] != fromA[k] { transpositions += 1 }
                    k += 1
                    bits &= bits - 1
                }
                return (matches, transpositions)
            }
        }
    }

    /// The textbook matching step: for each byte of `a`, the first unmatched equal byte of `b` within the window.
    static func matchScan(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>
    ) -> (matches: Int, transpositions: Int) {
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            let window = max(0, max(a.count, b.count) / 2 - 1)
            for i in 0..<a.count {
                let low = max(0, i - window)
                let high = min(b.count - 1, i + window)
                if low > high { continue }
                for j in low...high where !flags[a.count + j] && a[i] == b[j] {
                    flags[i] = true
                    flags[a.count + j] = true
                    matches += 1
                    break
                }
            }
            var transpositions = 0
            var j = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { transpositions += 1 }
                j += 1
            }
            return (matches, transpositions)
        }
    }
}
