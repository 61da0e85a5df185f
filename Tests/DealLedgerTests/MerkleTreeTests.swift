import DealLedger
import Testing

/// The RFC 6962 known answers of Certificate Transparency's reference implementations (google/certificate-transparency
/// `cpp/merkletree/merkle_tree_test.cc`, and transparency-dev/merkle `proof/verify_test.go`, which adds the 6-to-7
/// consistency proof): eight leaf inputs, the roots of their first 1...8 leaves, and some proofs over them.
enum ReferenceVectors {
    static let inputs = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]

    /// The leaf hashes, SHA-256(0x00 || input), which the tree functions take.
    static let leaves = inputs.map { ReferenceMerkleTree.leafHash([UInt8](hex: $0)) }

    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func root(size: UInt64) -> [UInt8] { [UInt8](hex: roots[Int(size) - 1]) }

    /// (leaf index, tree size, PATH): the sources number leaves from 1, so their leaf 1 is index 0 here.
    static let inclusionProofs: [(UInt64, UInt64, [String])] = [
        (0, 1, []),
        (
            0, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        (
            5, 8,
            [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1, 5,
            [
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
    ]

    /// (old size, new size, PROOF).
    static let consistencyProofs: [(UInt64, UInt64, [String])] = [
        (1, 1, []),
        (
            1, 8,
            [
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ]
        ),
        (
            6, 8,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
        (
            2, 5,
            [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ]
        ),
        (
            6, 7,
            [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ]
        ),
    ]
}

@Suite("MerkleTree")
struct MerkleTreeTests {
    @Test func theEmptyTreeHashesToTheHashOfNothing() {
        let sha256OfNothing = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        #expect(MerkleTree.emptyRoot.hex == sha256OfNothing)
        #expect(MerkleTree.root(ofLeaves: []).hex == sha256OfNothing)
        #expect(MerkleAccumulator().root.hex == sha256OfNothing)
    }

    @Test(arguments: 1...8)
    func rootsMatchTheReferenceVectors(size: Int) {
        let leaves = Array(ReferenceVectors.leaves.prefix(size))
        let expected = ReferenceVectors.roots[size - 1]
        #expect(MerkleTree.root(ofLeaves: leaves).hex == expected)
        let subtree = ReferenceMerkleTree.subtrees(leaves)
        #expect(MerkleTree.rangeHash(from: 0, to: UInt64(size), subtree: subtree).hex == expected)
        var accumulator = MerkleAccumulator()
        for leaf in leaves { accumulator.append(leaf) }
        #expect(accumulator.root.hex == expected)
    }

    @Test(arguments: ReferenceVectors.inclusionProofs)
    func inclusionProofsMatchTheReferenceVectors(leaf: UInt64, size: UInt64, expected: [String]) {
        let leaves = Array(ReferenceVectors.leaves.prefix(Int(size)))
        let proof = MerkleTree.inclusionProof(leaf: leaf, size: size, subtree: ReferenceMerkleTree.subtrees(leaves))
        #expect(proof.map(\.hex) == expected)
        let root = ReferenceVectors.root(size: size)
        let leafHash = leaves[Int(leaf)]
        #expect(MerkleTree.root(fromInclusion: proof, leafHash: leafHash, leaf: leaf, size: size) == root)
        #expect(MerkleTree.verifyInclusion(proof, leafHash: leafHash, leaf: leaf, size: size, root: root))
    }

    @Test(arguments: ReferenceVectors.consistencyProofs)
    func consistencyProofsMatchTheReferenceVectors(oldSize: UInt64, newSize: UInt64, expected: [String]) {
        let leaves = Array(ReferenceVectors.leaves.prefix(Int(newSize)))
        let proof = MerkleTree.consistencyProof(
            from: oldSize, to: newSize, subtree: ReferenceMerkleTree.subtrees(leaves))
        #expect(proof.map(\.hex) == expected)
        let oldRoot = ReferenceVectors.root(size: oldSize)
        let newRoot = ReferenceVectors.root(size: newSize)
        #expect(MerkleTree.verifyConsistency(proof, from: oldSize, oldRoot: oldRoot, to: newSize, newRoot: newRoot))
    }

    /// Expected values computed independently, with Python's hashlib.
    @Test func aLedgerLeafHashesItsSeqBigEndianThenItsChainHash() {
        #expect(
            MerkleTree.leafHash(seq: 1, chainHash: LedgerChain.genesis).hex
                == "c6f95ebdeb1dc8dcf5bb0518d73446c98d17c60867993647318c5034aac8ff7e")
        #expect(
            MerkleTree.leafHash(seq: 0x0102_0304_0506_0708, chainHash: (0..<32).map { UInt8($0) }).hex
                == "6b647b1cfffdeca302f20d27ec3184d851f620ca01637c1cb0814a735e9b01a2")
        let chainHash = [UInt8](repeating: 0xab, count: 32)
        #expect(
            MerkleTree.leafHash(seq: 2, chainHash: chainHash)
                == ReferenceMerkleTree.leafHash([0, 0, 0, 0, 0, 0, 0, 2] + chainHash))
        #expect(MerkleTree.leafHash(seq: 2, chainHash: chainHash) != MerkleTree.leafHash(seq: 3, chainHash: chainHash))
    }

    @Test func rangesOfAlignedSubtreesHashAsTheirLeavesDo() {
        let leaves = ReferenceMerkleTree.leaves(70)
        let subtree = ReferenceMerkleTree.subtrees(leaves)
        for start in 0..<70 {
            for end in (start + 1)...70 {
                let largestPart = 1 << (Int.bitWidth - 1 - (end - start).leadingZeroBitCount)
                guard start.isMultiple(of: largestPart) else { continue }
                #expect(
                    MerkleTree.rangeHash(from: UInt64(start), to: UInt64(end), subtree: subtree)
                        == ReferenceMerkleTree.root(leaves[start..<end]), "[\(start), \(end))")
            }
        }
    }

    @Test func inclusionProofsAreTheRFCsPathForEveryLeafOfEveryTreeUpTo70() {
        let leaves = ReferenceMerkleTree.leaves(70)
        for size in 1...70 {
            let tree = leaves[..<size]
            let subtree = ReferenceMerkleTree.subtrees(Array(tree))
            let root = ReferenceMerkleTree.root(tree)
            #expect(MerkleTree.root(ofLeaves: Array(tree)) == root)
            for leaf in 0..<size {
                let proof = MerkleTree.inclusionProof(leaf: UInt64(leaf), size: UInt64(size), subtree: subtree)
                #expect(proof == ReferenceMerkleTree.path(leaf, tree), "leaf \(leaf) of \(size)")
                #expect(
                    MerkleTree.root(
                        fromInclusion: proof, leafHash: leaves[leaf], leaf: UInt64(leaf), size: UInt64(size))
                        == root, "leaf \(leaf) of \(size)")
            }
        }
    }

    @Test func consistencyProofsAreTheRFCsProofForEveryPairOfSizesUpTo70() {
        let leaves = ReferenceMerkleTree.leaves(70)
        let roots = (0...70).map { ReferenceMerkleTree.root(leaves[..<$0]) }
        for newSize in 1...70 {
            let tree = leaves[..<newSize]
            let subtree = ReferenceMerkleTree.subtrees(Array(tree))
            #expect(MerkleTree.consistencyProof(from: 0, to: UInt64(newSize), subtree: subtree).isEmpty)
            #expect(
                MerkleTree.verifyConsistency(
                    [], from: 0, oldRoot: MerkleTree.emptyRoot, to: UInt64(newSize), newRoot: roots[newSize]))
            for oldSize in 1...newSize {
                let proof = MerkleTree.consistencyProof(from: UInt64(oldSize), to: UInt64(newSize), subtree: subtree)
                #expect(proof == ReferenceMerkleTree.proof(oldSize, tree), "\(oldSize) to \(newSize)")
                #expect(
                    MerkleTree.verifyConsistency(
                        proof, from: UInt64(oldSize), oldRoot: roots[oldSize], to: UInt64(newSize),
                        newRoot: roots[newSize]), "\(oldSize) to \(newSize)")
            }
        }
    }

    @Test func proofsAskOnlyForCompleteSubtreesInsideTheTree() {
        for size in UInt64(1)...70 {
            var outside: [String] = []
            let subtree = { (level: Int, index: UInt64) -> [UInt8] in
                if (index + 1) << level > size { outside.append("(\(level), \(index))") }
                return MerkleTree.emptyRoot
            }
            for leaf in 0..<size { _ = MerkleTree.inclusionProof(leaf: leaf, size: size, subtree: subtree) }
            for oldSize in 0...size { _ = MerkleTree.consistencyProof(from: oldSize, to: size, subtree: subtree) }
            #expect(outside.isEmpty, "size \(size)")
        }
    }

    @Test func theProviderThrowingStopsTheProof() {
        struct Unavailable: Error {}
        #expect(throws: Unavailable.self) {
            try MerkleTree.inclusionProof(leaf: 3, size: 10) { _, _ in throw Unavailable() }
        }
        #expect(throws: Unavailable.self) {
            try MerkleTree.consistencyProof(from: 3, to: 10) { _, _ in throw Unavailable() }
        }
    }
}
