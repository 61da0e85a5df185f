import Crypto

/// The RFC 6962 (section 2.1, also RFC 9162 section 2.1) Merkle tree over a service's ledger, as Certificate
/// Transparency builds it: entry `seq` (1-based) is leaf index `seq - 1`, and the tree hash of `n` leaves splits them
/// at the largest power of two below `n`. Pure functions over SHA-256; thread-safe.
///
/// Proofs are built through a subtree provider, `subtree(level, index)`, which gives the hash of the complete aligned
/// subtree over leaves `[index << level, (index + 1) << level)` (level 0 being a leaf hash), so a store can keep
/// only some levels and compute the others: every tree hash the RFC's recursion needs is one such subtree or splits
/// into a few of them (`rangeHash(from:to:subtree:)`).
public enum MerkleTree {
    /// The leaf for ledger entry `seq`: SHA-256(0x00 || seq as 8 bytes big-endian || the entry's chain hash).
    public static func leafHash(seq: UInt64, chainHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: (0..<8).map { UInt8(truncatingIfNeeded: seq >> (56 - 8 * $0)) })
        hasher.update(data: chainHash)
        return Array(hasher.finalize())
    }

    /// An interior node: SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The tree hash of no leaves: SHA-256 of the empty string.
    public static let emptyRoot: [UInt8] = Array(SHA256.hash(data: [UInt8]()))

    /// The length of every hash in the tree.
    public static let hashLength = 32

    /// MTH over a list of leaf hashes (for small ranges and tests), straight from the RFC's recursive definition.
    public static func root(ofLeaves leaves: [[UInt8]]) -> [UInt8] {
        leaves.isEmpty ? emptyRoot : root(of: leaves[...])
    }

    private static func root(of leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        guard leaves.count > 1 else { return leaves[leaves.startIndex] }
        let split = leaves.startIndex + Int(largestPowerOfTwo(below: UInt64(leaves.count)))
        return nodeHash(root(of: leaves[..<split]), root(of: leaves[split...]))
    }

    /// MTH(D[start:end]) from complete aligned subtrees: the range splits, by the binary digits of its length, into
    /// complete subtrees, largest first, combined right to left as MTH does. `start` must be a multiple of the
    /// largest power of two not above `end - start`, which holds for every range the RFC's PATH and PROOF recursions
    /// visit (each starts at a multiple of the power of two its tree is split at).
    public static func rangeHash(
        from start: UInt64, to end: UInt64, subtree: (_ level: Int, _ index: UInt64) throws -> [UInt8]
    ) rethrows -> [UInt8] {
        precondition(start <= end, "a range ends after it starts")
        guard start < end else { return emptyRoot }
        precondition(start % largestPowerOfTwo(notAbove: end - start) == 0, "the range is not aligned")
        var parts: [[UInt8]] = []
        var offset = start
        while offset < end {
            let level = 63 - (end - offset).leadingZeroBitCount
            parts.append(try subtree(level, offset >> level))
            offset += 1 << level
        }
        var hash = parts.removeLast()
        while let left = parts.popLast() { hash = nodeHash(left, hash) }
        return hash
    }

    /// The largest power of two not above `n` (> 0).
    static func largestPowerOfTwo(notAbove n: UInt64) -> UInt64 { 1 << (63 - n.leadingZeroBitCount) }

    /// The largest power of two strictly below `n` (> 1): the RFC's split point `k`.
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 { largestPowerOfTwo(notAbove: n - 1) }
}
