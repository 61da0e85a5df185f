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
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: a.count + b.count) { flags in
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
            if matches == 0 { return 0 }
            var transpositions = 0
            var j = 0
            for i in 0..<a.count where flags[i] {
                while !flags[a.count + j] { j += 1 }
                if a[i] != b[j] { transpositions += 1 }
                j += 1
            }
            let m = Double(matches)
            let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions) / 2) / m) / 3
            var prefix = 0
            while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
            return jaro + Double(prefix) * 0.1 * (1 - jaro)
        }
    }
}
