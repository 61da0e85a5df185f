import DealLedger
import Foundation
import GRDB

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

    /// The tables a ledger needs, created if missing (run in a migration).
    public static func schema(prefix: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(prefix)_merkle (
            level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS \(prefix)_heads (
            size INTEGER NOT NULL, time INTEGER NOT NULL, root BLOB NOT NULL, chain_hash BLOB NOT NULL,
            public_key BLOB NOT NULL, signature BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS \(prefix)_heads_size ON \(prefix)_heads(size);
        """
    }

    /// The ledger of a store whose log holds `size` entries, the last with chain hash `chainHash`; `leaves(first,
    /// last)` reads the leaf hashes of entries first...last (`MerkleTree.leafHash`). Reads at most ~64 tree nodes and
    /// 255 leaves.
    public init(
        service: String, prefix: String, size: UInt64, chainHash: [UInt8], _ db: Database,
        leaves: (UInt64, UInt64) throws -> [[UInt8]]
    ) throws {
        self.service = service
        nodes = MerkleNodes(table: "\(prefix)_merkle")
        headsTable = "\(prefix)_heads"
        self.size = size
        self.chainHash = chainHash
        let kept = try Self.heads(in: headsTable, of: service, db, newest: 1).first
        let stored = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(prefix)_merkle") ?? 0
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
    public mutating func append(seq: UInt64, _ body: [UInt8], _ db: Database) throws -> [UInt8] {
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
    public mutating func sign(at time: Int64, by signer: LedgerSigner, keep: Bool = false, _ db: Database) throws
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

    private mutating func keepHead(_ head: LedgerHead, _ db: Database) throws {
        try db.cachedStatement(
            sql:
                "INSERT INTO \(headsTable) (size, time, root, chain_hash, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            Int64(head.size), head.time, Data(head.root), Data(head.chainHash), Data(head.publicKey),
            Data(head.signature),
        ])
        keptAt = head.time
        isHeadKept = true
    }

    /// The kept heads of `service` in `table`, newest first, at most `newest` (all when nil).
    public static func heads(in table: String, of service: String, _ db: Database, newest: Int? = nil) throws
        -> [LedgerHead]
    {
        let limit = newest.map { " LIMIT \($0)" } ?? ""
        return try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY size DESC, time DESC\(limit)").map {
            head(from: $0, service: service)
        }
    }

    /// The kept heads of this ledger, oldest first: what its audit holds the log to.
    public static func keptHeads(in table: String, of service: String, _ db: Database) throws -> [LedgerHead] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY size, time").map { head(from: $0, service: service) }
    }

    static func head(from row: Row, service: String) -> LedgerHead {
        LedgerHead(
            service: service, size: UInt64(row["size"] as Int64), root: [UInt8](row["root"] as Data),
            chainHash: [UInt8](row["chain_hash"] as Data), time: row["time"],
            publicKey: [UInt8](row["public_key"] as Data), signature: [UInt8](row["signature"] as Data))
    }
}

extension SignedLedger {
    /// Whether the database in `file` kept heads signed with a ledger key before: then a missing key file is lost,
    /// not yet to be made.
    public static func hasSigned(_ file: URL, prefix: String) -> Bool {
        guard FileManager.default.fileExists(atPath: file.path),
            let queue = try? DurableDatabase.openReadOnly(file)
        else { return false }
        let count = try? queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(prefix)_heads") }
        return (count ?? nil ?? 0) > 0
    }
}

extension SignedLedger {
    /// The ledger of the log kept in `table` (columns `seq` and `hash`), restored, and its start signed and kept
    /// (a new key's first head, or the log as found).
    public static func open(
        service: String, prefix: String, log table: String, signer: LedgerSigner, at time: Int64, _ db: Database
    ) throws -> SignedLedger {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM \(table) ORDER BY seq DESC LIMIT 1")
        var ledger = try SignedLedger(
            service: service, prefix: prefix, size: UInt64(last?["seq"] as Int64? ?? 0),
            chainHash: (last?["hash"] as Data?).map { [UInt8]($0) } ?? LedgerChain.genesis, db
        ) { try leaves(of: table, db, from: $0, to: $1) }
        try ledger.sign(at: time, by: signer, keep: true, db)
        return ledger
    }

    /// The leaf hashes (`MerkleTree.leafHash`) of entries `first...last` of the log kept in `table`, in order.
    public static func leaves(of table: String, _ db: Database, from first: UInt64, to last: UInt64) throws
        -> [[UInt8]]
    {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT seq, hash FROM \(table) WHERE seq BETWEEN ? AND ? ORDER BY seq"),
            arguments: [Int64(first), Int64(last)]
        ).map { MerkleTree.leafHash(seq: UInt64($0["seq"] as Int64), chainHash: [UInt8]($0["hash"] as Data)) }
    }

    /// `ledger`'s head signed and kept in `queue` as the log is: at shutdown, so the last head is kept whatever the
    /// second.
    public static func keepHead(
        of ledger: inout SignedLedger, in queue: DatabaseQueue, by signer: LedgerSigner, at time: Int64
    ) throws {
        var copy = ledger
        try queue.write { db in _ = try copy.sign(at: time, by: signer, keep: true, db) }
        ledger = copy
    }

    /// The newest signed head (every store signs one when it opens).
    public var newestHead: LedgerHead {
        head
            ?? LedgerHead(
                service: service, size: 0, root: MerkleTree.emptyRoot, chainHash: LedgerChain.genesis, time: 0)
    }
}
