import DealLedger
import Testing

@Suite("MerkleAccumulator")
struct MerkleAccumulatorTests {
    static let leaves = ReferenceMerkleTree.leaves(300)

    /// A node as the tests compare it: tuples are not `Equatable`.
    struct Node: Hashable, CustomStringConvertible {
        var level: Int
        var index: UInt64
        var hash: [UInt8]

        var description: String { "(\(level), \(index))" }
    }

    /// The accumulator after each size 0...300.
    static let states: [MerkleAccumulator] = {
        var accumulator = MerkleAccumulator()
        var states = [accumulator]
        for leaf in leaves {
            accumulator.append(leaf)
            states.append(accumulator)
        }
        return states
    }()

    @Test func rootIsTheTreeHashAtEverySizeUpTo300() {
        for (size, accumulator) in Self.states.enumerated() {
            #expect(accumulator.size == UInt64(size))
            #expect(accumulator.root == ReferenceMerkleTree.root(Self.leaves[..<size]), "size \(size)")
        }
    }

    @Test func peaksAreTheCompleteSubtreesWherePeakPositionsSays() {
        for (size, accumulator) in Self.states.enumerated() {
            let positions = MerkleAccumulator.peakPositions(size: UInt64(size))
            #expect(accumulator.peaks.count == size.nonzeroBitCount)
            #expect(positions.count == size.nonzeroBitCount)
            var covered = 0
            for (position, peak) in zip(positions, accumulator.peaks) {
                let first = Int(position.index) << position.level
                #expect(first == covered, "peaks of \(size) leave no gap and are largest first")
                covered = first + (1 << position.level)
                #expect(peak == ReferenceMerkleTree.root(Self.leaves[first..<covered]), "size \(size)")
            }
            #expect(covered == size)
        }
        #expect(
            MerkleAccumulator.peakPositions(size: 0b1011_0000_0001).map { "\($0.level)/\($0.index)" }
                == ["11/0", "9/4", "8/10", "0/2816"])
    }

    @Test func appendReturnsExactlyTheSubtreesItCompletes() {
        var accumulator = MerkleAccumulator()
        for (index, leaf) in Self.leaves.enumerated() {
            let size = index + 1
            let finished = accumulator.append(leaf).map { Node(level: $0.level, index: $0.index, hash: $0.hash) }
            let expected = (1..<Int.bitWidth - 1).filter { size.isMultiple(of: 1 << $0) }.map { level in
                Node(
                    level: level, index: UInt64((size >> level) - 1),
                    hash: ReferenceMerkleTree.root(Self.leaves[(size - (1 << level))..<size]))
            }
            #expect(finished == expected, "append making \(size)")
        }
    }

    @Test func restoringFromPeaksContinuesIdentically() throws {
        for (size, original) in Self.states.enumerated() {
            var restored = try #require(MerkleAccumulator(size: UInt64(size), peaks: original.peaks))
            #expect(restored == original)
            #expect(restored.root == original.root)
            for leaf in Self.leaves[size...] { restored.append(leaf) }
            #expect(restored == Self.states[300], "restored at \(size)")
        }
    }

    @Test func restoringRefusesPeaksThatDoNotFitTheSize() {
        let hash = Self.leaves[0]
        #expect(MerkleAccumulator(size: 0, peaks: []) == MerkleAccumulator())
        #expect(MerkleAccumulator(size: 0, peaks: [hash]) == nil)
        #expect(MerkleAccumulator(size: 3, peaks: [hash]) == nil)
        #expect(MerkleAccumulator(size: 2, peaks: [hash, hash]) == nil)
        #expect(MerkleAccumulator(size: 3, peaks: [hash, Array(hash.prefix(31))]) == nil)
        #expect(MerkleAccumulator(size: 3, peaks: [hash, hash]) != nil)
    }
}
