extension MerkleTree {
    /// RFC 6962 PATH(m, D[n]) for leaf index `leaf` (0-based, below `size`, which the caller checks first) in a tree
    /// of `size` leaves: the sibling hashes from the leaf up to the root. `subtree(level, index)` returns the hash of
    /// the complete aligned subtree covering leaves [index << level, (index + 1) << level) (level 0 = a leaf hash).
    public static func inclusionProof(
        leaf: UInt64, size: UInt64, subtree: (_ level: Int, _ index: UInt64) throws -> [UInt8]
    ) rethrows -> [[UInt8]] {
        precondition(leaf < size, "leaf \(leaf) is not in a tree of \(size) leaves")
        // Walks the RFC's recursion from the root down over the range [start, start + count) holding the leaf,
        // collecting the other half at each split; PATH lists them from the leaf up.
        var siblings: [[UInt8]] = []
        var start: UInt64 = 0
        var count = size
        while count > 1 {
            let split = largestPowerOfTwo(below: count)
            if leaf < start + split {
                siblings.append(try rangeHash(from: start + split, to: start + count, subtree: subtree))
                count = split
            } else {
                let level = split.trailingZeroBitCount
                siblings.append(try subtree(level, start >> level))
                start += split
                count -= split
            }
        }
        return siblings.reversed()
    }

    /// RFC 6962 PROOF(m, D[n]) (SUBPROOF with b = true) that the tree of `oldSize` leaves is a prefix of the tree of
    /// `newSize` (not below `oldSize`, which the caller checks first); empty when `oldSize` is 0 or `newSize`.
    /// Same subtree provider as `inclusionProof(leaf:size:subtree:)`.
    public static func consistencyProof(
        from oldSize: UInt64, to newSize: UInt64, subtree: (_ level: Int, _ index: UInt64) throws -> [UInt8]
    ) rethrows -> [[UInt8]] {
        precondition(oldSize <= newSize, "a tree of \(oldSize) leaves cannot be a prefix of one of \(newSize)")
        guard oldSize > 0 else { return [] }
        // The RFC's recursion from the root down: [start, start + count) is the current subtree of the new tree,
        // `old` how many of its leaves the old tree holds, and `oldRootIsKnown` SUBPROOF's b.
        var siblings: [[UInt8]] = []
        var start: UInt64 = 0
        var count = newSize
        var old = oldSize
        var oldRootIsKnown = true
        while old < count {
            let split = largestPowerOfTwo(below: count)
            if old <= split {
                siblings.append(try rangeHash(from: start + split, to: start + count, subtree: subtree))
                count = split
            } else {
                let level = split.trailingZeroBitCount
                siblings.append(try subtree(level, start >> level))
                start += split
                count -= split
                old -= split
                oldRootIsKnown = false
            }
        }
        let oldSubtree = oldRootIsKnown ? [] : [try rangeHash(from: start, to: start + count, subtree: subtree)]
        return oldSubtree + siblings.reversed()
    }

    /// The root a proof leads to from the leaf (RFC 9162 2.1.3.2 verification algorithm); nil when the proof's
    /// length does not fit the leaf and size, the leaf is not below the size, or a hash is not 32 bytes.
    public static func root(fromInclusion proof: [[UInt8]], leafHash: [UInt8], leaf: UInt64, size: UInt64) -> [UInt8]? {
        guard leaf < size, leafHash.count == hashLength, proof.allSatisfy({ $0.count == hashLength }) else {
            return nil
        }
        var index = leaf
        var last = size - 1
        var hash = leafHash
        for sibling in proof {
            guard last > 0 else { return nil }
            if index & 1 == 1 || index == last {
                hash = nodeHash(sibling, hash)
                // The right edge of an unbalanced tree: the levels where the node has no right sibling add nothing.
                while index & 1 == 0 && index != 0 {
                    index >>= 1
                    last >>= 1
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            index >>= 1
            last >>= 1
        }
        return last == 0 ? hash : nil
    }

    /// Whether `proof` shows the leaf `leafHash` at index `leaf` in the tree of `size` leaves whose root is `root`.
    public static func verifyInclusion(
        _ proof: [[UInt8]], leafHash: [UInt8], leaf: UInt64, size: UInt64, root: [UInt8]
    ) -> Bool {
        self.root(fromInclusion: proof, leafHash: leafHash, leaf: leaf, size: size) == root
    }

    /// Whether `proof` shows the tree of `oldSize` leaves with root `oldRoot` to be a prefix of the tree of
    /// `newSize` leaves with root `newRoot` (RFC 9162 2.1.4.2 verification). Equal sizes need equal roots and an
    /// empty proof; an old size of 0 needs an empty proof and `oldRoot` to be `emptyRoot`.
    public static func verifyConsistency(
        _ proof: [[UInt8]], from oldSize: UInt64, oldRoot: [UInt8], to newSize: UInt64, newRoot: [UInt8]
    ) -> Bool {
        guard oldSize <= newSize, proof.allSatisfy({ $0.count == hashLength }) else { return false }
        if oldSize == 0 { return proof.isEmpty && oldRoot == emptyRoot && (newSize > 0 || newRoot == emptyRoot) }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        // A power-of-two old tree is a complete subtree of the new one, so PROOF leaves its root out.
        let path = oldSize.nonzeroBitCount == 1 ? [oldRoot] + proof : proof
        guard var oldHash = path.first else { return false }
        var newHash = oldHash
        var index = oldSize - 1
        var last = newSize - 1
        while index & 1 == 1 {
            index >>= 1
            last >>= 1
        }
        for node in path.dropFirst() {
            guard last > 0 else { return false }
            if index & 1 == 1 || index == last {
                oldHash = nodeHash(node, oldHash)
                newHash = nodeHash(node, newHash)
                while index & 1 == 0 && index != 0 {
                    index >>= 1
                    last >>= 1
                }
            } else {
                newHash = nodeHash(newHash, node)
            }
            index >>= 1
            last >>= 1
        }
        return last == 0 && oldHash == oldRoot && newHash == newRoot
    }
}
