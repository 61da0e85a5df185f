import DealLedger
import Foundation

/// A service's ledger as its store grows it inside each commit: the hash chain's value, the Merkle tree's right
/// edge (its complete subtrees of level 8 and more kept in `<prefix>_merkle`), and the signed heads kept in
/// `<prefix>_heads` (at most one a second while the log changes, and the last one at shutdown). A value: a store
/// copies it into its write transaction and keeps the copy only once the transaction committed, so a failed commit
/// leaves nothing to undo. `Sendable`.
public struct SignedLedger: Sendable {
    public let service: String
    public let nodes: MerkleNodes
    /// Entries in the log.
    public private(set) var size: UInt64
    /// The hash chain's value at entry `size` (`LedgerChain.genesis` when empty).
    public private(set) var chainHash: [UInt8]
    private var accumulator: MerkleAccumulator
    /// The newest signed head, kept or not; nil until the first signature.
    public private(set) var head: LedgerHead?
    /// When the newest kept head was signed.
    private var keptAt: Int64
    /// Whether `head` is in the heads table.
    private var isHeadKept: Bool

    /// The heads table's name: `registry_heads`, `ledger_heads`.
    public let headsTable: String

    /// The tables a ledger needs on `engine`, created if missing (run in a migration).
    public static func schema(prefix: String, engine: SQLEngine = .sqlite) -> String {
        switch engine {
        case .sqlite:
            """
            CREATE TABLE IF NOT EXISTS \(prefix)_merkle (
                level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS \(prefix)_heads (
                size INTEGER NOT NULL, time INTEGER NOT NULL, root BLOB NOT NULL, chain_hash BLOB NOT NULL,
                public_key BLOB NOT NULL, signature BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS \(prefix)_heads_size ON \(prefix)_heads(size);
            """
        case .postgres:
            """
            CREATE TABLE IF NOT EXISTS \(prefix)_merkle (
                level INTEGER NOT NULL, idx BIGINT NOT NULL, hash BYTEA NOT NULL, PRIMARY KEY (level, idx));
            CREATE TABLE IF NOT EXISTS \(prefix)_heads (
                size BIGINT NOT NULL, time BIGINT NOT NULL, root BYTEA NOT NULL, chain_hash BYTEA NOT NULL,
                public_key BYTEA NOT NULL, signature BYTEA NOT NULL);
            CREATE INDEX IF NOT EXISTS \(prefix)_heads_size ON \(prefix)_heads(size);
            """
        }
    }

    /// The ledger of a store whose log holds `size` entries, the last with chain hash `chainHash`; `leaves(first,
    /// last)` reads the leaf hashes of entries first...last (`MerkleTree.leafHash`). Reads at most ~64 tree nodes and
    /// 255 leaves.
    public init(
        service: String, prefix: String, size: UInt64, chainHash: [UInt8], _ db: any SQLConnection,
        leaves: (UInt64, UInt64) throws -> [[UInt8]]
    ) throws {
        self.service = service
        nodes = MerkleNodes(table: "\(prefix)_merkle")
        headsTable = "\(prefix)_heads"
        self.size = size
        self.chainHash = chainHash
        let kept = try Self.heads(in: headsTable, of: service, db, newest: 1).first
        let stored: Int = try db.fetchValue("SELECT COUNT(*) FROM \(prefix)_merkle") ?? 0
        var accumulator = try nodes.accumulator(size: size, db, leaves: leaves)
        // A store from before the tree has no nodes yet; a table edited by hand restores a wrong right edge, which
        // the last kept head shows. Either way the table is made again from the leaves, once.
        if (stored == 0 && size >= UInt64(1) << nodes.minimumLevel)
            || (kept.map { $0.size == size && $0.root != accumulator.root } ?? false)
        {
            accumulator = try nodes.rebuild(size: size, db, leaves: leaves)
        }
        self.accumulator = accumulator
        head = kept
        keptAt = kept?.time ?? .min
        isHeadKept = kept != nil
    }

    /// Appends an entry of canonical bytes `body` as `seq` (which must be `size + 1`); returns its chain hash.
    public mutating func append(seq: UInt64, _ body: [UInt8], _ db: any SQLConnection) throws -> [UInt8] {
        precondition(seq == size + 1, "ledger entries are gapless: \(seq) after \(size)")
        chainHash = LedgerChain.next(after: chainHash, body)
        size = seq
        let completed = accumulator.append(MerkleTree.leafHash(seq: seq, chainHash: chainHash))
        try nodes.insert(completed, db)
        return chainHash
    }

    /// The head of the log as it is, signed by `signer` at `time` when it changed since the last signature (the
    /// last head otherwise), and kept when a second has passed since the last kept one, or when `keep`.
    @discardableResult
    public mutating func sign(at time: Int64, by signer: LedgerSigner, keep: Bool = false, _ db: any SQLConnection)
        throws
        -> LedgerHead
    {
        if let head, head.size == size, head.publicKey == signer.publicKey {
            if keep && !isHeadKept { try keepHead(head, db) }
            return head
        }
        let signed = signer.sign(
            LedgerHead(service: service, size: size, root: accumulator.root, chainHash: chainHash, time: time))
        head = signed
        isHeadKept = false
        if keep || time >= keptAt + 1 { try keepHead(signed, db) }
        return signed
    }

    private mutating func keepHead(_ head: LedgerHead, _ db: any SQLConnection) throws {
        try db.execute(
            "INSERT INTO \(headsTable) (size, time, root, chain_hash, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)",
            .int(head.size), .integer(head.time), .blob(head.root), .blob(head.chainHash), .blob(head.publicKey),
            .blob(head.signature))
        keptAt = head.time
        isHeadKept = true
    }

    /// The kept heads of `service` in `table`, newest first, at most `newest` (all when nil).
    public static func heads(in table: String, of service: String, _ db: any SQLConnection, newest: Int? = nil) throws
        -> [LedgerHead]
    {
        let limit = newest.map { " LIMIT \($0)" } ?? ""
        return try db.fetchAll("SELECT * FROM \(table) ORDER BY size DESC, time DESC\(limit)").map {
            head(from: $0, service: service)
        }
    }

    /// The kept heads of this ledger, oldest first: what its audit holds the log to.
    public static func keptHeads(in table: String, of service: String, _ db: any SQLConnection) throws -> [LedgerHead] {
        try db.fetchAll("SELECT * FROM \(table) ORDER BY size, time").map { head(from: $0, service: service) }
    }

    static func head(from row: SQLRow, service: String) -> LedgerHead {
        LedgerHead(
            service: service, size: UInt64(row["size"] as Int64), root: row["root"], chainHash: row["chain_hash"],
            time: row["time"], publicKey: row["public_key"], signature: row["signature"])
    }
}

extension SignedLedger {
    /// Whether `database` kept heads signed with a ledger key before: then a missing key file is lost, not yet to
    /// be made.
    public static func hasSigned(_ database: any SQLDatabase, prefix: String) throws -> Bool {
        try database.read { db in try db.exists("SELECT 1 FROM \(prefix)_heads LIMIT 1") }
    }
}

extension SignedLedger {
    /// The ledger of the log kept in `table` (columns `seq` and `hash`), restored, and its start signed and kept
    /// (a new key's first head, or the log as found).
    public static func open(
        service: String, prefix: String, log table: String, signer: LedgerSigner, at time: Int64,
        _ db: any SQLConnection
    ) throws -> SignedLedger {
        let last = try db.fetchOne("SELECT seq, hash FROM \(table) ORDER BY seq DESC LIMIT 1")
        var ledger = try SignedLedger(
            service: service, prefix: prefix, size: UInt64(last?["seq"] as Int64? ?? 0),
            chainHash: last?["hash"] as [UInt8]? ?? LedgerChain.genesis, db
        ) { try leaves(of: table, db, from: $0, to: $1) }
        try ledger.sign(at: time, by: signer, keep: true, db)
        return ledger
    }

    /// The leaf hashes (`MerkleTree.leafHash`) of entries `first...last` of the log kept in `table`, in order.
    public static func leaves(of table: String, _ db: any SQLConnection, from first: UInt64, to last: UInt64) throws
        -> [[UInt8]]
    {
        try db.fetchAll(
            "SELECT seq, hash FROM \(table) WHERE seq BETWEEN ? AND ? ORDER BY seq", [.int(first), .int(last)]
        ).map { MerkleTree.leafHash(seq: UInt64($0["seq"] as Int64), chainHash: $0["hash"]) }
    }

    /// `ledger`'s head signed and kept in `database` as the log is: at shutdown, so the last head is kept whatever
    /// the second.
    public static func keepHead(
        of ledger: inout SignedLedger, in database: any SQLDatabase, by signer: LedgerSigner, at time: Int64
    ) throws {
        var copy = ledger
        try database.write { db in _ = try copy.sign(at: time, by: signer, keep: true, db) }
        ledger = copy
    }

    /// The newest signed head (every store signs one when it opens).
    public var newestHead: LedgerHead {
        head
            ?? LedgerHead(
                service: service, size: 0, root: MerkleTree.emptyRoot, chainHash: LedgerChain.genesis, time: 0)
    }
}
