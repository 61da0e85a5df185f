import DealLedger
import Testing

/// The corruptions Certificate Transparency's verifier tests try (`merkle_tree_test.cc`, `verify_test.go`), each of
/// which must make a good proof fail, over every proof of every tree up to 70 leaves.
@Suite("Merkle proof verification")
struct MerkleVerificationTests {
    static let leaves = ReferenceMerkleTree.leaves(71)
    static let roots = (0...71).map { ReferenceMerkleTree.root(leaves[..<$0]) }
    static let otherHash = [UInt8](hex: "abacaba000000000000000000000000000000000000000000060061e00123456")

    /// An inclusion claim: a proof, with the leaf, index, size and root it is checked against.
    struct InclusionClaim: CustomTestStringConvertible {
        var name: String
        var proof: [[UInt8]]
        var leafHash: [UInt8]
        var leaf: UInt64
        var size: UInt64
        var root: [UInt8]

        var verifies: Bool {
            MerkleTree.verifyInclusion(proof, leafHash: leafHash, leaf: leaf, size: size, root: root)
        }

        var testDescription: String { name }

        func changed(_ name: String, _ change: (inout Self) -> Void) -> Self {
            var claim = self
            claim.name = name
            change(&claim)
            return claim
        }
    }

    /// A consistency claim between two trees.
    struct ConsistencyClaim: CustomTestStringConvertible {
        var name: String
        var proof: [[UInt8]]
        var oldSize: UInt64
        var oldRoot: [UInt8]
        var newSize: UInt64
        var newRoot: [UInt8]

        var verifies: Bool {
            MerkleTree.verifyConsistency(proof, from: oldSize, oldRoot: oldRoot, to: newSize, newRoot: newRoot)
        }

        var testDescription: String { name }

        func changed(_ name: String, _ change: (inout Self) -> Void) -> Self {
            var claim = self
            claim.name = name
            change(&claim)
            return claim
        }
    }

    static func flipped(_ hash: [UInt8], at offset: Int) -> [UInt8] {
        var hash = hash
        hash[offset] ^= 0x10
        return hash
    }

    /// Every proof element with one byte changed (its first and its last, in turn).
    static func flippedElements(_ proof: [[UInt8]]) -> [(String, [[UInt8]])] {
        proof.indices.flatMap { index in
            [0, 31].map { offset in
                var wrong = proof
                wrong[index] = flipped(proof[index], at: offset)
                return ("proof[\(index)] byte \(offset) flipped", wrong)
            }
        }
    }

    static func corruptions(of good: InclusionClaim) -> [InclusionClaim] {
        var claims = [
            good.changed("leaf + 1") { $0.leaf += 1 },
            good.changed("leaf ^ 2") { $0.leaf ^= 2 },
            // A proof alone does not fix the size (leaf 0 of 5 and of 6 take the same path): the signed root does.
            // Doubling or halving it always changes the path's length.
            good.changed("size * 2") { $0.size *= 2 },
            good.changed("size / 2") { $0.size /= 2 },
            good.changed("another leaf") { $0.leafHash = leaves[Int(good.leaf + 1)] },
            good.changed("a leaf of 9 bytes") { $0.leafHash = Array("WrongLeaf".utf8) },
            good.changed("the empty root") { $0.root = MerkleTree.emptyRoot },
            good.changed("another root") { $0.root = otherHash },
            good.changed("the root of one more leaf") { $0.root = roots[Int(good.size) + 1] },
            good.changed("a root byte flipped") { $0.root = flipped(good.root, at: 7) },
            good.changed("trailing empty element") { $0.proof.append([]) },
            good.changed("trailing root") { $0.proof.append(good.root) },
            good.changed("preceding empty element") { $0.proof.insert([], at: 0) },
            good.changed("preceding root") { $0.proof.insert(good.root, at: 0) },
        ]
        if good.leaf > 0 { claims.append(good.changed("leaf - 1") { $0.leaf -= 1 }) }
        if !good.proof.isEmpty { claims.append(good.changed("last element removed") { $0.proof.removeLast() }) }
        if good.proof.count > 1 {
            claims.append(good.changed("element inserted") { $0.proof.insert(otherHash, at: 1) })
        }
        for (name, proof) in flippedElements(good.proof) { claims.append(good.changed(name) { $0.proof = proof }) }
        return claims
    }

    static func corruptions(of good: ConsistencyClaim) -> [ConsistencyClaim] {
        var claims = [
            good.changed("old size - 1") { $0.oldSize -= 1 },
            good.changed("old size + 1") { $0.oldSize += 1 },
            good.changed("old size ^ 2") { $0.oldSize ^= 2 },
            good.changed("new size * 2") { $0.newSize *= 2 },
            good.changed("new size / 2") { $0.newSize /= 2 },
            good.changed("a wrong old root") { $0.oldRoot = Array("WrongRoot".utf8) },
            good.changed("a wrong new root") { $0.newRoot = Array("WrongRoot".utf8) },
            good.changed("an old root byte flipped") { $0.oldRoot = flipped(good.oldRoot, at: 0) },
            good.changed("a new root byte flipped") { $0.newRoot = flipped(good.newRoot, at: 31) },
            good.changed("swapped roots") { ($0.oldRoot, $0.newRoot) = (good.newRoot, good.oldRoot) },
            good.changed("empty proof") { $0.proof = [] },
            good.changed("trailing empty element") { $0.proof.append([]) },
            good.changed("trailing old root") { $0.proof.append(good.oldRoot) },
            good.changed("trailing new root") { $0.proof.append(good.newRoot) },
            good.changed("preceding empty element") { $0.proof.insert([], at: 0) },
            good.changed("preceding old root") { $0.proof.insert(good.oldRoot, at: 0) },
            good.changed("preceding new root") { $0.proof.insert(good.newRoot, at: 0) },
            good.changed("preceding proof[0]") { $0.proof.insert(good.proof[0], at: 0) },
            good.changed("last element removed") { $0.proof.removeLast() },
        ]
        for (name, proof) in flippedElements(good.proof) { claims.append(good.changed(name) { $0.proof = proof }) }
        return claims
    }

    @Test func everyCorruptedInclusionProofFails() {
        for size in 1...70 {
            let subtree = ReferenceMerkleTree.subtrees(Array(Self.leaves.prefix(size)))
            for leaf in UInt64(0)..<UInt64(size) {
                let good = InclusionClaim(
                    name: "good", proof: MerkleTree.inclusionProof(leaf: leaf, size: UInt64(size), subtree: subtree),
                    leafHash: Self.leaves[Int(leaf)], leaf: leaf, size: UInt64(size), root: Self.roots[size])
                #expect(good.verifies, "leaf \(leaf) of \(size)")
                for claim in Self.corruptions(of: good) {
                    #expect(!claim.verifies, "\(claim.name): leaf \(leaf) of \(size)")
                }
            }
        }
    }

    @Test func everyCorruptedConsistencyProofFails() {
        for newSize in 2...70 {
            let subtree = ReferenceMerkleTree.subtrees(Array(Self.leaves.prefix(newSize)))
            for oldSize in 1..<newSize {
                let good = ConsistencyClaim(
                    name: "good",
                    proof: MerkleTree.consistencyProof(from: UInt64(oldSize), to: UInt64(newSize), subtree: subtree),
                    oldSize: UInt64(oldSize), oldRoot: Self.roots[oldSize], newSize: UInt64(newSize),
                    newRoot: Self.roots[newSize])
                #expect(good.verifies, "\(oldSize) to \(newSize)")
                for claim in Self.corruptions(of: good) {
                    #expect(!claim.verifies, "\(claim.name): \(oldSize) to \(newSize)")
                }
            }
        }
    }

    @Test func inclusionNeedsALeafInsideTheTreeAndHashesOf32Bytes() {
        let leaf = Self.leaves[0]
        #expect(MerkleTree.verifyInclusion([], leafHash: leaf, leaf: 0, size: 1, root: leaf))
        #expect(!MerkleTree.verifyInclusion([], leafHash: leaf, leaf: 0, size: 0, root: leaf))
        #expect(!MerkleTree.verifyInclusion([], leafHash: leaf, leaf: 1, size: 1, root: leaf))
        #expect(!MerkleTree.verifyInclusion([], leafHash: [], leaf: 0, size: 1, root: []))
        #expect(MerkleTree.root(fromInclusion: [], leafHash: [], leaf: 0, size: 1) == nil)
        let short = Array(leaf.prefix(31))
        #expect(!MerkleTree.verifyInclusion([], leafHash: short, leaf: 0, size: 1, root: short))
        #expect(MerkleTree.root(fromInclusion: [short], leafHash: leaf, leaf: 0, size: 2) == nil)
        #expect(MerkleTree.root(fromInclusion: [], leafHash: leaf, leaf: 0, size: 2) == nil)
    }

    @Test func consistencyOfEqualOrEmptyTreesNeedsAnEmptyProofAndMatchingRoots() {
        let (one, two) = (Self.roots[1], Self.roots[2])
        let empty = MerkleTree.emptyRoot
        #expect(MerkleTree.verifyConsistency([], from: 0, oldRoot: empty, to: 0, newRoot: empty))
        #expect(!MerkleTree.verifyConsistency([], from: 0, oldRoot: one, to: 0, newRoot: one))
        #expect(MerkleTree.verifyConsistency([], from: 0, oldRoot: empty, to: 2, newRoot: two))
        #expect(!MerkleTree.verifyConsistency([], from: 0, oldRoot: one, to: 2, newRoot: two))
        #expect(!MerkleTree.verifyConsistency([empty], from: 0, oldRoot: empty, to: 2, newRoot: two))
        #expect(MerkleTree.verifyConsistency([], from: 2, oldRoot: two, to: 2, newRoot: two))
        #expect(!MerkleTree.verifyConsistency([], from: 2, oldRoot: one, to: 2, newRoot: two))
        #expect(!MerkleTree.verifyConsistency([empty], from: 2, oldRoot: two, to: 2, newRoot: two))
        #expect(!MerkleTree.verifyConsistency([], from: 2, oldRoot: two, to: 1, newRoot: one))
        #expect(!MerkleTree.verifyConsistency([], from: 1, oldRoot: one, to: 2, newRoot: two))
    }
}
