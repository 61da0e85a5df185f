/// The right edge of a growing `MerkleTree` (a "compact range" or frontier): the roots of its complete subtrees, one
/// per set bit of the size, in O(log n) hashes, with O(1) amortised hashing per append. A value; `Sendable`.
public struct MerkleAccumulator: Sendable, Hashable {
    /// How many leaves were appended.
    public private(set) var size: UInt64
    /// The peaks, largest first.
    private var storedPeaks: [[UInt8]]

    /// The accumulator of the empty tree.
    public init() {
        size = 0
        storedPeaks = []
    }

    /// Restores the accumulator at `size` from the roots of its complete subtrees, largest first (the ones `peaks`
    /// gives, found where `peakPositions(size:)` says); nil when `peaks.count != size.nonzeroBitCount` or a hash is
    /// not 32 bytes. Nothing else about the peaks can be checked here: compare `root` with a signed head's.
    public init?(size: UInt64, peaks: [[UInt8]]) {
        guard peaks.count == size.nonzeroBitCount, peaks.allSatisfy({ $0.count == MerkleTree.hashLength }) else {
            return nil
        }
        self.size = size
        storedPeaks = peaks
    }

    /// The roots of the complete subtrees, largest first (one per set bit of `size`).
    public var peaks: [[UInt8]] { storedPeaks }

    /// Where each peak of a tree of `size` leaves sits, as (level, index) pairs, largest first, so a caller can look
    /// them up in a node table: the subtree over leaves [index << level, (index + 1) << level).
    public static func peakPositions(size: UInt64) -> [(level: Int, index: UInt64)] {
        var positions: [(level: Int, index: UInt64)] = []
        var start: UInt64 = 0
        for level in (0..<UInt64.bitWidth).reversed() where size & (1 << level) != 0 {
            positions.append((level, start >> level))
            start += 1 << level
        }
        return positions
    }

    /// Appends a leaf hash; returns the complete subtrees this append finished at level >= 1, as (level, index,
    /// hash), lowest level first, for a caller that stores interior nodes.
    @discardableResult
    public mutating func append(_ leafHash: [UInt8]) -> [(level: Int, index: UInt64, hash: [UInt8])] {
        var finished: [(level: Int, index: UInt64, hash: [UInt8])] = []
        var hash = leafHash
        var level = 0
        var index = size
        // Each trailing set bit of the old size is a peak of that level just left of the new node: they merge.
        while size & (1 << UInt64(level)) != 0, let left = storedPeaks.popLast() {
            hash = MerkleTree.nodeHash(left, hash)
            level += 1
            index >>= 1
            finished.append((level, index, hash))
        }
        storedPeaks.append(hash)
        size += 1
        return finished
    }

    /// MTH of all leaves appended so far: the peaks combined right to left.
    public var root: [UInt8] {
        guard var hash = storedPeaks.last else { return MerkleTree.emptyRoot }
        for peak in storedPeaks.dropLast().reversed() { hash = MerkleTree.nodeHash(peak, hash) }
        return hash
    }
}
