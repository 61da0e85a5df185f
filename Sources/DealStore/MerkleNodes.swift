import DealLedger
import Foundation

/// The interior nodes of a ledger's `MerkleTree` kept in a table of the service's database: the complete aligned
/// subtrees of level `minimumLevel` and above (one row per 2^minimumLevel leaves, so about 1/128 of a row per entry at
/// the default 8), with everything below computed from the ledger's leaves. It serves the subtree provider that
/// proofs are built with, and restores the `MerkleAccumulator` at start-up. A value holding the table's name;
/// `Sendable`; its functions run inside the caller's database access, on whatever thread that is.
///
/// The table is a cache, never a source of truth: a missing row (a store created before the table, or a table an
/// insider truncated) is computed from its children and ultimately from the leaves, and a wrong row gives proofs and
/// roots that fail whoever verifies them against a signed head. A service restoring its accumulator from here should
/// compare the restored root with its last signed head's before signing another.
public struct MerkleNodes: Sendable {
    /// The table's name, written into SQL as it is: a name from the code, never from input.
    public let table: String
    /// The lowest level stored; lower subtrees (at most 2^minimumLevel - 1 leaves each) are computed from the leaves.
    public let minimumLevel: Int

    /// Nodes kept in `table` (a plain SQL identifier) from level `minimumLevel` (1...63) up.
    public init(table: String, minimumLevel: Int = 8) {
        precondition(
            !table.isEmpty && table.utf8.allSatisfy { $0 == UInt8(ascii: "_") || $0.isASCIIAlphanumeric },
            "the table name is written into SQL, so it must be a plain identifier")
        precondition((1..<64).contains(minimumLevel), "levels run from 1 (a pair of leaves) to 63")
        self.table = table
        self.minimumLevel = minimumLevel
    }

    /// Reads the leaf hashes of entries `firstSeq...lastSeq` (1-based: leaf index i is seq i + 1), in order.
    public typealias LeafReader = (_ firstSeq: UInt64, _ lastSeq: UInt64) throws -> [[UInt8]]

    /// CREATE TABLE IF NOT EXISTS <table> (level, idx, hash, PRIMARY KEY (level, idx)), in the engine's types.
    public func create(_ db: any SQLConnection) throws {
        try db.executeScript(
            db.engine == .sqlite
                ? """
                CREATE TABLE IF NOT EXISTS \(table) (
                    level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)
                ) WITHOUT ROWID
                """
                : """
                CREATE TABLE IF NOT EXISTS \(table) (
                    level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx))
                """)
    }

    /// Inserts the nodes an append returned whose level >= minimumLevel, inside the caller's transaction so they
    /// commit with the entry. A row already there is replaced: the node was just computed from the leaves.
    public func insert(_ nodes: [(level: Int, index: UInt64, hash: [UInt8])], _ db: any SQLConnection) throws {
        for node in nodes where node.level >= minimumLevel {
            try db.execute(
                "INSERT INTO \(table) (level, idx, hash) VALUES (?, ?, ?) "
                    + "ON CONFLICT (level, idx) DO UPDATE SET hash = excluded.hash",
                .int(node.level), .int(node.index), .blob(node.hash))
        }
    }

    /// The hash of the complete aligned subtree over leaves [index << level, (index + 1) << level): from the table
    /// when level >= minimumLevel and the row is there, else from its two children (recursively), and below
    /// minimumLevel from the leaves, which `leaves` reads. Throws `MissingLeaves` when the ledger lacks some.
    public func subtree(level: Int, index: UInt64, _ db: any SQLConnection, leaves: LeafReader) throws -> [UInt8] {
        guard level >= minimumLevel else {
            let first = index << level
            let count = UInt64(1) << level
            let hashes = try leaves(first + 1, first + count)
            guard hashes.count == count, hashes.allSatisfy({ $0.count == MerkleTree.hashLength }) else {
                throw MissingLeaves(firstSeq: first + 1, lastSeq: first + count, found: hashes.count)
            }
            return MerkleTree.root(ofLeaves: hashes)
        }
        let stored: [UInt8]? = try db.fetchValue(
            "SELECT hash FROM \(table) WHERE level = ? AND idx = ?", [.int(level), .int(index)])
        if let stored, stored.count == MerkleTree.hashLength { return stored }
        return MerkleTree.nodeHash(
            try subtree(level: level - 1, index: index << 1, db, leaves: leaves),
            try subtree(level: level - 1, index: index << 1 | 1, db, leaves: leaves))
    }

    /// The accumulator at `size`, its peaks read through `subtree(level:index:_:leaves:)`: restoring it at start-up
    /// reads at most 64 rows and fewer than 2^minimumLevel leaves when the table is whole.
    public func accumulator(size: UInt64, _ db: any SQLConnection, leaves: LeafReader) throws -> MerkleAccumulator {
        let peaks = try MerkleAccumulator.peakPositions(size: size).map { position in
            try subtree(level: position.level, index: position.index, db, leaves: leaves)
        }
        // One 32-byte hash per set bit of the size is all the initialiser checks, and `subtree` returns just that.
        guard let accumulator = MerkleAccumulator(size: size, peaks: peaks) else {
            preconditionFailure("a peak per set bit of the size, each 32 bytes")
        }
        return accumulator
    }

    /// Computes and inserts every node of level >= minimumLevel in the tree of `size` leaves, replaying the leaves in
    /// batches of 2^minimumLevel: for a ledger that existed before its table, so that its proofs need not read
    /// long runs of leaves. Returns the accumulator at `size`. Run it inside a write transaction.
    @discardableResult
    public func rebuild(size: UInt64, _ db: any SQLConnection, leaves: LeafReader) throws -> MerkleAccumulator {
        var accumulator = MerkleAccumulator()
        let batch = UInt64(1) << minimumLevel
        while accumulator.size < size {
            let first = accumulator.size + 1
            let last = min(size, accumulator.size + batch)
            let hashes = try leaves(first, last)
            guard hashes.count == last - first + 1 else {
                throw MissingLeaves(firstSeq: first, lastSeq: last, found: hashes.count)
            }
            for hash in hashes { try insert(accumulator.append(hash), db) }
        }
        return accumulator
    }

    /// The ledger gave fewer leaves than a complete subtree needs: entries `firstSeq...lastSeq` are not all there.
    public struct MissingLeaves: Error, CustomStringConvertible, Sendable {
        public var firstSeq: UInt64
        public var lastSeq: UInt64
        /// How many leaves the ledger gave.
        public var found: Int

        public var description: String {
            "the Merkle tree needs ledger entries \(firstSeq) to \(lastSeq), but \(found) leaves were read"
        }
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
