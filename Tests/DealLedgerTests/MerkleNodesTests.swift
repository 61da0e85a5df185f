import DealLedger
import DealStore
import Foundation
import GRDB
import Testing

@Suite("MerkleNodes")
struct MerkleNodesTests {
    static let count = 2000

    /// Leaves as a ledger makes them: entry seq's chain hash follows the previous one's.
    static let leaves: [[UInt8]] = {
        var chainHash = LedgerChain.genesis
        return (1...count).map { seq in
            chainHash = LedgerChain.next(after: chainHash, Array("entry \(seq)".utf8))
            return MerkleTree.leafHash(seq: UInt64(seq), chainHash: chainHash)
        }
    }()

    /// Every complete subtree of the 2,000 leaves, hashed pairwise from them: `levels[level][index]`.
    static let levels: [[[UInt8]]] = {
        var levels = [leaves]
        while let below = levels.last, below.count > 1 {
            levels.append(
                stride(from: 0, to: below.count - 1, by: 2).map { MerkleTree.nodeHash(below[$0], below[$0 + 1]) })
        }
        return levels
    }()

    static func subtreeFromLeaves(level: Int, index: UInt64) -> [UInt8] { levels[level][Int(index)] }

    static let roots = [0, 1, 2, 3, 255, 256, 257, 1000, 1024, 1025, 1999, 2000].map { size in
        (size: UInt64(size), root: ReferenceMerkleTree.root(leaves[..<size]))
    }

    /// The ledger's leaf reader: entries `firstSeq...lastSeq`, as many of them as exist.
    static func readLeaves(_ firstSeq: UInt64, _ lastSeq: UInt64) -> [[UInt8]] {
        Array(leaves[min(Int(firstSeq - 1), count)..<min(Int(lastSeq), count)])
    }

    static let table = "ledger_nodes"

    /// A database holding the nodes of all 2,000 leaves, inserted append by append as a service would.
    static func store(minimumLevel: Int) throws -> (SQLiteDatabase, MerkleNodes) {
        let queue = SQLiteDatabase(try DatabaseQueue())
        let nodes = MerkleNodes(table: table, minimumLevel: minimumLevel)
        try queue.write { db in
            try nodes.create(db)
            var accumulator = MerkleAccumulator()
            for leaf in leaves { try nodes.insert(accumulator.append(leaf), db) }
        }
        return (queue, nodes)
    }

    static func rows(_ queue: SQLiteDatabase) throws -> [String] {
        try queue.read { db in
            try db.fetchAll("SELECT level, idx, hash FROM \(table) ORDER BY level, idx").map { row in
                "\(row[0] as Int)/\(row[1] as Int64)/\((row[2] as [UInt8]).hex)"
            }
        }
    }

    /// Inclusion proofs for a spread of leaves, and consistency proofs between the sizes, from `subtree`.
    static func proofs(_ subtree: (Int, UInt64) throws -> [UInt8]) rethrows -> [String: [[UInt8]]] {
        var proofs: [String: [[UInt8]]] = [:]
        for (size, _) in roots where size > 0 {
            for leaf in Set([0, 1, size / 3, size / 2, max(size, 2) - 2, size - 1].filter { $0 < size }) {
                proofs["leaf \(leaf) of \(size)"] = try MerkleTree.inclusionProof(
                    leaf: leaf, size: size, subtree: subtree)
            }
            for (oldSize, _) in roots where oldSize <= size {
                proofs["\(oldSize) to \(size)"] = try MerkleTree.consistencyProof(
                    from: oldSize, to: size, subtree: subtree)
            }
        }
        return proofs
    }

    /// The proofs built from the node table, checked against the reference roots and the proofs from the leaves.
    static func expectProofsMatchTheLeaves(_ queue: SQLiteDatabase, _ nodes: MerkleNodes) throws {
        let stored = try queue.read { db in
            try proofs { level, index in try nodes.subtree(level: level, index: index, db, leaves: readLeaves) }
        }
        let expected = proofs(subtreeFromLeaves)
        #expect(stored.count == expected.count)
        for (name, proof) in expected { #expect(stored[name] == proof, "\(name)") }
        for (size, root) in roots where size > 0 {
            let leaf = size / 2
            #expect(
                MerkleTree.verifyInclusion(
                    stored["leaf \(leaf) of \(size)"] ?? [], leafHash: leaves[Int(leaf)], leaf: leaf, size: size,
                    root: root))
        }
    }

    @Test(arguments: [1, 3, 8])
    func proofsFromStoredNodesAreProofsFromTheLeaves(minimumLevel: Int) throws {
        let (queue, nodes) = try Self.store(minimumLevel: minimumLevel)
        let stored = try Self.rows(queue).count
        #expect(stored == (minimumLevel...10).map { Self.count >> $0 }.reduce(0, +))
        try Self.expectProofsMatchTheLeaves(queue, nodes)
    }

    @Test(arguments: [1, 3, 8])
    func restoresTheAccumulatorFromFewerLeavesThanALevel(minimumLevel: Int) throws {
        let (queue, nodes) = try Self.store(minimumLevel: minimumLevel)
        for (size, root) in Self.roots {
            var leavesRead = 0
            let restored = try queue.read { db in
                try nodes.accumulator(size: size, db) { first, last in
                    leavesRead += Int(last - first + 1)
                    return Self.readLeaves(first, last)
                }
            }
            var expected = MerkleAccumulator()
            for leaf in Self.leaves[..<Int(size)] { expected.append(leaf) }
            #expect(restored == expected, "size \(size)")
            #expect(restored.root == root, "size \(size)")
            #expect(leavesRead < 1 << minimumLevel, "size \(size)")
        }
    }

    @Test func recomputesDeletedNodesFromTheirChildrenAndTheLeaves() throws {
        let (queue, nodes) = try Self.store(minimumLevel: 8)
        try queue.write { db in try db.execute("DELETE FROM \(Self.table) WHERE level = 10 AND idx = 0") }
        let subtree = try queue.read { db in try nodes.subtree(level: 10, index: 0, db, leaves: Self.readLeaves) }
        #expect(subtree == Self.levels[10][0])
        try Self.expectProofsMatchTheLeaves(queue, nodes)

        try queue.write { db in try db.execute("DELETE FROM \(Self.table)") }
        try Self.expectProofsMatchTheLeaves(queue, nodes)
        let restored = try queue.read { db in try nodes.accumulator(size: 2000, db, leaves: Self.readLeaves) }
        #expect(restored.root == ReferenceMerkleTree.root(Self.leaves[...]))
    }

    @Test func aRowThatIsNotAHashIsRecomputed() throws {
        let (queue, nodes) = try Self.store(minimumLevel: 8)
        try queue.write { db in
            try db.execute("UPDATE \(Self.table) SET hash = x'0102' WHERE level = 9 AND idx = 1")
        }
        let subtree = try queue.read { db in try nodes.subtree(level: 9, index: 1, db, leaves: Self.readLeaves) }
        #expect(subtree == Self.levels[9][1])
    }

    @Test func aTamperedNodeGivesProofsThatFailAgainstTheRoot() throws {
        let (queue, nodes) = try Self.store(minimumLevel: 8)
        try queue.write { db in
            try db.execute("UPDATE \(Self.table) SET hash = zeroblob(32) WHERE level = 9 AND idx = 1")
        }
        let proof = try queue.read { db in
            try MerkleTree.inclusionProof(leaf: 0, size: 2000) { level, index in
                try nodes.subtree(level: level, index: index, db, leaves: Self.readLeaves)
            }
        }
        let root = ReferenceMerkleTree.root(Self.leaves[...])
        #expect(proof.contains([UInt8](repeating: 0, count: 32)))
        #expect(!MerkleTree.verifyInclusion(proof, leafHash: Self.leaves[0], leaf: 0, size: 2000, root: root))
    }

    @Test(arguments: [1, 8])
    func rebuildFillsATableCreatedAfterItsLedger(minimumLevel: Int) throws {
        let (appended, _) = try Self.store(minimumLevel: minimumLevel)
        let queue = SQLiteDatabase(try DatabaseQueue())
        let nodes = MerkleNodes(table: Self.table, minimumLevel: minimumLevel)
        let accumulator = try queue.write { db in
            try nodes.create(db)
            return try nodes.rebuild(size: 2000, db, leaves: Self.readLeaves)
        }
        #expect(try Self.rows(queue) == Self.rows(appended))
        #expect(accumulator.root == ReferenceMerkleTree.root(Self.leaves[...]))
    }

    @Test func aLedgerShortOfLeavesThrows() throws {
        let (queue, nodes) = try Self.store(minimumLevel: 8)
        #expect(throws: MerkleNodes.MissingLeaves.self) {
            try queue.read { db in try nodes.subtree(level: 2, index: 600, db, leaves: Self.readLeaves) }
        }
        #expect(throws: MerkleNodes.MissingLeaves.self) {
            try queue.read { db in try nodes.accumulator(size: 2001, db, leaves: Self.readLeaves) }
        }
    }
}
