import Crypto

/// RFC 6962 section 2.1's definitions of MTH, PATH and PROOF, transcribed recursively with no shortcuts, and no code
/// shared with `MerkleTree`: what the tree's functions are checked against. Pure functions; thread-safe.
enum ReferenceMerkleTree {
    /// The RFC's leaf hash of a leaf input: SHA-256(0x00 || input).
    static func leafHash(_ input: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: [0x00] + input)) }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: [0x01] + left + right))
    }

    /// k: the largest power of two smaller than `n` (> 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    /// MTH(D[n]) over leaf hashes.
    static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: Array(SHA256.hash(data: [UInt8]()))
        case 1: leaves[leaves.startIndex]
        default: nodeHash(root(leaves.prefix(split(leaves.count))), root(leaves.dropFirst(split(leaves.count))))
        }
    }

    /// PATH(m, D[n]).
    static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        return m < k
            ? path(m, leaves.prefix(k)) + [root(leaves.dropFirst(k))]
            : path(m - k, leaves.dropFirst(k)) + [root(leaves.prefix(k))]
    }

    /// PROOF(m, D[n]) for 0 < m <= n.
    static func proof(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] { subproof(m, leaves, true) }

    /// SUBPROOF(m, D[n], b).
    static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        if m == leaves.count { return b ? [] : [root(leaves)] }
        let k = split(leaves.count)
        return m <= k
            ? subproof(m, leaves.prefix(k), b) + [root(leaves.dropFirst(k))]
            : subproof(m - k, leaves.dropFirst(k), false) + [root(leaves.prefix(k))]
    }

    /// The subtree provider over an array of leaf hashes, each subtree hashed from its leaves.
    static func subtrees(_ leaves: [[UInt8]]) -> (_ level: Int, _ index: UInt64) -> [UInt8] {
        { level, index in root(leaves[(Int(index) << level)..<(Int(index + 1) << level)]) }
    }

    /// Distinct leaf hashes, of the leaf inputs 0, 1, 2... as 4 bytes big-endian.
    static func leaves(_ count: Int) -> [[UInt8]] {
        (0..<count).map { leafHash(withUnsafeBytes(of: UInt32($0).bigEndian, Array.init)) }
    }
}

extension Array where Element == UInt8 {
    /// Bytes from hexadecimal digits, for test vectors; a malformed string is a defect of the test.
    init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "\(hex) has an odd number of digits")
        self = stride(from: 0, to: digits.count, by: 2).map { offset in
            guard let byte = UInt8(String(decoding: digits[offset..<offset + 2], as: UTF8.self), radix: 16) else {
                preconditionFailure("\(hex) is not hexadecimal")
            }
            return byte
        }
    }

    var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
