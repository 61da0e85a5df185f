import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import SwiftProtobuf

/// One step of a registration's life, as the history table keeps it.
struct HistoryRow {
    var registrationID: RegistrationID
    var seq: UInt64
    var time: Int64
    var actor: PartyID
    var action: String
    var status: RegistrationStatus
    var reason: String
    var policyVersion: String

    init(
        registrationID: RegistrationID, seq: UInt64, time: Int64, actor: PartyID, action: String,
        status: RegistrationStatus, reason: String, policyVersion: String
    ) {
        self.registrationID = registrationID
        self.seq = seq
        self.time = time
        self.actor = actor
        self.action = action
        self.status = status
        self.reason = reason
        self.policyVersion = policyVersion
    }

    /// A row of the history table; nil when its status is not one the registry writes.
    init?(row: SQLRow) {
        guard let status = RegistrationStatus(rawValue: row["status"]) else { return nil }
        self.init(
            registrationID: RegistrationID(row["registration_id"] as String), seq: UInt64(row["seq"] as Int64),
            time: row["time"], actor: PartyID(row["actor"] as String), action: row["action"], status: status,
            reason: row["reason"], policyVersion: row["policy_version"])
    }

    var wire: Dealreg_V1_HistoryEntry {
        var wire = Dealreg_V1_HistoryEntry()
        wire.time = time
        wire.actor = actor.rawValue
        wire.action = action
        wire.status = status.wire
        wire.reason = reason
        wire.policyVersion = policyVersion
        return wire
    }
}

/// Filters of a registration listing (all optional, combined with AND).
struct RegistrationFilter {
    var visibleTo: PartyID?
    var status: RegistrationStatus?
    var registrant: PartyID?
    var account: AccountID?
    var customer: String = ""
    /// APPROVED registrations whose protection ends on or before this day.
    var protectedUntilAtMost: CalendarDate?
}

/// The registry's database, on SQLite (WAL, synchronous=FULL) or PostgreSQL (its own schema, synchronous commit):
/// parties, two-tier links, registrations, the event log and idempotency records. Not thread-safe: the registry uses
/// it from its reactor thread, and readers beside it (an audit) open a database of their own.
final class RegistryStore: RegistryRecords {
    let database: any SQLDatabase
    /// The event log as the registry's ledger: its chain, Merkle tree and signed heads (`SignedLedger`).
    private(set) var ledger: SignedLedger
    /// Signs the heads, with a key kept outside the database.
    let signer: LedgerSigner
    /// The public keys the registry's heads may carry (the current key's first).
    let keyring: LedgerKeyring
    /// The lease this process holds on a PostgreSQL store, renewed by its epoch inside every commit (the fence):
    /// nil on SQLite, where one process owns the file.
    var lease: RegistryLease?
    /// The highest account number with a row: a registration naming a higher one makes its account's row, the others
    /// cost no statement for it.
    private var lastAccountNumber: Int64

    /// The SQLite schema, as numbered migrations (a store keeps the ones it had since v1).
    private static let sqliteMigrations = [
        """
        CREATE TABLE parties (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL,
            tier TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, standing TEXT NOT NULL);
        CREATE TABLE registrations (
            number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, registrant TEXT NOT NULL,
            holder TEXT NOT NULL, status TEXT NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL);
        CREATE INDEX registrations_seq ON registrations(seq);
        CREATE INDEX registrations_registrant ON registrations(registrant, id);
        CREATE INDEX registrations_holder ON registrations(holder, id);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, topic TEXT NOT NULL, body BLOB NOT NULL);
        CREATE TABLE requests (
            principal TEXT NOT NULL, request_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
            reply BLOB NOT NULL, PRIMARY KEY (principal, request_id)) WITHOUT ROWID;
        """,
        """
        ALTER TABLE registrations ADD COLUMN protected_until TEXT NOT NULL DEFAULT '';
        ALTER TABLE registrations ADD COLUMN customer TEXT NOT NULL DEFAULT '';
        ALTER TABLE registrations ADD COLUMN decided_on TEXT NOT NULL DEFAULT '';
        CREATE INDEX registrations_expiry ON registrations(status, protected_until);
        CREATE INDEX registrations_decided ON registrations(decided_on, registrant);
        CREATE TABLE history (
            registration_id TEXT NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, policy_version TEXT NOT NULL,
            PRIMARY KEY (registration_id, seq)) WITHOUT ROWID;
        """,
        """
        ALTER TABLE events ADD COLUMN hash BLOB NOT NULL DEFAULT x'';
        """,
        // v4: a revoked key is an empty public_key, so keys are unique only when set; the feed index
        // (which events concern which party) for external subscribers.
        """
        CREATE TABLE parties_v4 (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL,
            tier TEXT NOT NULL, public_key TEXT NOT NULL, standing TEXT NOT NULL);
        INSERT INTO parties_v4 SELECT id, kind, name, country, tier, public_key, standing FROM parties;
        DROP TABLE parties;
        ALTER TABLE parties_v4 RENAME TO parties;
        CREATE UNIQUE INDEX parties_key ON parties(public_key) WHERE public_key != '';
        CREATE TABLE feed (party TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (party, seq)) WITHOUT ROWID;
        INSERT OR IGNORE INTO feed (party, seq)
            SELECT r.registrant, h.seq FROM history h JOIN registrations r ON r.id = h.registration_id;
        INSERT OR IGNORE INTO feed (party, seq)
            SELECT r.holder, h.seq FROM history h JOIN registrations r ON r.id = h.registration_id;
        """,
        // v5: two-tier links, each in the state of its latest event `seq` (the audit holds the row to it).
        """
        CREATE TABLE links (
            distributor TEXT NOT NULL, reseller TEXT NOT NULL, state TEXT NOT NULL, seq INTEGER NOT NULL,
            body BLOB NOT NULL, PRIMARY KEY (distributor, reseller)) WITHOUT ROWID;
        """,
        // v6: accounts (issue 16). Each registration names its account; `closed_on` finds the settled ones a
        // decision must still see. `protections` holds every active exclusive protection per (account, product
        // line): the primary key refuses a second holder of one line, the trigger one of an overlapping line
        // (`storage` and `storage/arrays`), whatever the code above it decides. An account's row is in the state of
        // its latest `account` event, or of the registration event that made it. `account_doubts` lists the pairs
        // of accounts the grouping of a store from before accounts found doubtful.
        """
        ALTER TABLE registrations ADD COLUMN account TEXT NOT NULL DEFAULT '';
        ALTER TABLE registrations ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';
        CREATE INDEX registrations_account ON registrations(account, closed_on);
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE, state TEXT NOT NULL, merged_into TEXT NOT NULL,
            name TEXT NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL);
        CREATE TABLE protections (
            account TEXT NOT NULL, product_line TEXT NOT NULL, registration_id TEXT NOT NULL,
            PRIMARY KEY (account, product_line)) WITHOUT ROWID;
        CREATE INDEX protections_registration ON protections(registration_id);
        CREATE TRIGGER protections_one_winner BEFORE INSERT ON protections
        WHEN EXISTS (
            SELECT 1 FROM protections p WHERE p.account = NEW.account AND p.registration_id <> NEW.registration_id
            AND (substr(p.product_line, 1, length(NEW.product_line) + 1) = NEW.product_line || '/'
                OR substr(NEW.product_line, 1, length(p.product_line) + 1) = p.product_line || '/'))
        BEGIN SELECT RAISE(ABORT, 'one winner: an overlapping product line of this account is protected'); END;
        CREATE TABLE account_doubts (
            account TEXT NOT NULL, other TEXT NOT NULL, score REAL NOT NULL, registration_id TEXT NOT NULL,
            body BLOB NOT NULL, PRIMARY KEY (account, other)) WITHOUT ROWID;
        """,
        // v7: the signed ledger (issue 18): the Merkle tree's complete subtrees of 256 events and more, the heads
        // kept (one a second while the log changes, and at shutdown), and which events witness enforcement's heads.
        SignedLedger.schema(prefix: "registry") + """
            CREATE TABLE witnessed (seq INTEGER PRIMARY KEY);
            """,
        // v8: the access log (issue 18): which `access` events name each registration, for ListAccess. The audit
        // holds it to the log both ways.
        """
        CREATE TABLE access_log (
            registration_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (registration_id, seq)) WITHOUT ROWID;
        """,
    ]

    /// The PostgreSQL schema, as numbered migrations: v1 is the SQLite schema as of its v8, in PostgreSQL's types,
    /// with the one-winner trigger in PL/pgSQL.
    private static let postgresMigrations = [
        """
        CREATE TABLE parties (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL,
            tier TEXT NOT NULL, public_key TEXT NOT NULL, standing TEXT NOT NULL);
        CREATE UNIQUE INDEX parties_key ON parties(public_key) WHERE public_key <> '';
        CREATE TABLE registrations (
            number BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, registrant TEXT NOT NULL,
            holder TEXT NOT NULL, status TEXT NOT NULL, seq BIGINT NOT NULL, body BYTEA NOT NULL,
            protected_until TEXT NOT NULL DEFAULT '', customer TEXT NOT NULL DEFAULT '',
            decided_on TEXT NOT NULL DEFAULT '', account TEXT NOT NULL DEFAULT '', closed_on TEXT NOT NULL DEFAULT '');
        CREATE INDEX registrations_seq ON registrations(seq);
        CREATE INDEX registrations_registrant ON registrations(registrant, id);
        CREATE INDEX registrations_holder ON registrations(holder, id);
        CREATE INDEX registrations_expiry ON registrations(status, protected_until);
        CREATE INDEX registrations_decided ON registrations(decided_on, registrant);
        CREATE INDEX registrations_account ON registrations(account, closed_on);
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY, time BIGINT NOT NULL, topic TEXT NOT NULL, body BYTEA NOT NULL,
            hash BYTEA NOT NULL DEFAULT ''::bytea);
        CREATE TABLE requests (
            principal TEXT NOT NULL, request_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
            reply BYTEA NOT NULL, PRIMARY KEY (principal, request_id));
        CREATE TABLE history (
            registration_id TEXT NOT NULL, seq BIGINT NOT NULL, time BIGINT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, policy_version TEXT NOT NULL,
            PRIMARY KEY (registration_id, seq));
        CREATE TABLE feed (party TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (party, seq));
        CREATE TABLE links (
            distributor TEXT NOT NULL, reseller TEXT NOT NULL, state TEXT NOT NULL, seq BIGINT NOT NULL,
            body BYTEA NOT NULL, PRIMARY KEY (distributor, reseller));
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY, number BIGINT NOT NULL UNIQUE, state TEXT NOT NULL, merged_into TEXT NOT NULL,
            name TEXT NOT NULL, seq BIGINT NOT NULL, body BYTEA NOT NULL);
        CREATE TABLE protections (
            account TEXT NOT NULL, product_line TEXT NOT NULL, registration_id TEXT NOT NULL,
            PRIMARY KEY (account, product_line));
        CREATE INDEX protections_registration ON protections(registration_id);
        CREATE FUNCTION protections_one_winner() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM protections p WHERE p.account = NEW.account AND p.registration_id <> NEW.registration_id
                AND (substr(p.product_line, 1, length(NEW.product_line) + 1) = NEW.product_line || '/'
                    OR substr(NEW.product_line, 1, length(p.product_line) + 1) = p.product_line || '/'))
            THEN
                RAISE EXCEPTION 'one winner: an overlapping product line of this account is protected'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER protections_one_winner BEFORE INSERT ON protections
            FOR EACH ROW EXECUTE FUNCTION protections_one_winner();
        CREATE TABLE account_doubts (
            account TEXT NOT NULL, other TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, registration_id TEXT NOT NULL,
            body BYTEA NOT NULL, PRIMARY KEY (account, other));
        CREATE TABLE witnessed (seq BIGINT PRIMARY KEY);
        CREATE TABLE access_log (
            registration_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (registration_id, seq));
        """ + SignedLedger.schema(prefix: "registry", engine: .postgres),
        // v2: the lease that makes one registry process of many the active one, and its fencing token.
        RegistryLease.schema,
    ]

    /// The numbered migrations of `engine`'s schema.
    static func migrations(for engine: SQLEngine) -> [String] {
        engine == .sqlite ? sqliteMigrations : postgresMigrations
    }

    /// The store in `file`, its heads signed with `ledgerKey`.
    convenience init(file: URL, mustExist: Bool = false, ledgerKey: LedgerKey) throws {
        try self.init(
            SQLiteDatabase(DurableDatabase.open(file, migrations: [], mustExist: mustExist)), ledgerKey: ledgerKey)
    }

    /// A store in memory, for the core's unit tests.
    convenience init(ledgerKey: LedgerKey = LedgerKey(service: "registry")) throws {
        try self.init(SQLiteDatabase(DurableDatabase.inMemory(migrations: [])), ledgerKey: ledgerKey)
    }

    /// The store in `database`, its schema brought up to date, its heads signed with `ledgerKey`.
    convenience init(_ database: any SQLDatabase, ledgerKey: LedgerKey) throws {
        try self.init(database) { _ in ledgerKey }
    }

    /// The store in `database`, its schema brought up to date, its heads signed with the key `loadKey` gives, told
    /// whether the store holds heads signed before (then a missing key is lost, not yet to be made).
    /// With `lease` (PostgreSQL), every write is fenced by it, the first one included.
    init(
        _ database: any SQLDatabase, lease: RegistryLease? = nil, loadKey: (_ signedBefore: Bool) throws -> LedgerKey
    ) throws {
        try database.migrate(Self.migrations(for: database.engine))
        let ledgerKey = try loadKey(SignedLedger.hasSigned(database, prefix: "registry"))
        self.database = database
        self.lease = lease
        signer = ledgerKey.signer()
        keyring = ledgerKey.keyring
        let signer = signer
        ledger = try database.write { db in
            try lease?.renew(db)
            return try SignedLedger.open(
                service: "registry", prefix: "registry", log: "events", signer: signer,
                at: Int64(Date().timeIntervalSince1970), db)
        }
        lastAccountNumber = try database.read { db in
            try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM accounts") ?? 0
        }
    }

    func parties() throws -> [Party] {
        try database.read { db in try db.fetchAll("SELECT * FROM parties").compactMap(Self.party(from:)) }
    }

    func links() throws -> [PartyLink] {
        try database.read { db in
            try (db.fetchColumn("SELECT body FROM links ORDER BY distributor, reseller") as [[UInt8]]).compactMap {
                (try? Dealreg_V1_PartyLink(serializedBytes: $0)).flatMap(PartyLink.init(wire:))
            }
        }
    }

    /// The last event seq, registration number and account number committed.
    func counters() throws -> RegistryCounters {
        try database.read { db in
            let seq: Int64 = try db.fetchValue("SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
            let number: Int64 = try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM registrations") ?? 0
            let account: Int64 = try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM accounts") ?? 0
            return RegistryCounters(seq: UInt64(seq), registrationNumber: number, accountNumber: account)
        }
    }

    func storedAnswer(principal: PartyID, requestID: String) throws -> StoredAnswer? {
        try database.read { db in
            try db.fetchOne(
                "SELECT fingerprint, reply FROM requests WHERE principal = ? AND request_id = ?",
                [.text(principal.rawValue), .text(requestID)]
            ).map {
                StoredAnswer(principal: principal, requestID: requestID, fingerprint: $0[0], reply: $0[1])
            }
        }
    }

    /// Calls `body` with the principal and request id of every stored reply, to seed the in-memory filter.
    func forEachRequestKey(_ body: (String, String) -> Void) throws {
        try database.snapshot { db in
            let rows = try db.cursor("SELECT principal, request_id FROM requests", [])
            while let row = try rows.next() { body(row[0], row[1]) }
        }
    }

    func forEachProductLines(_ body: (RegistrationID, [String]) -> Void) throws {
        try database.snapshot { db in
            let rows = try db.cursor("SELECT body FROM registrations", [])
            while let row = try rows.next() {
                guard let registration = Registration(serialized: row[0]) else { continue }
                body(registration.id, registration.request.productLines)
            }
        }
    }

    func registration(_ id: RegistrationID) throws -> Registration? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM registrations WHERE id = ?", [.text(id.rawValue)]) as Data?)
                .flatMap(Registration.init(serialized:))
        }
    }

    /// Registrations whose latest change was committed after event `seq`: what a worker's index may lack.
    func registrations(changedAfter seq: UInt64) throws -> [(seq: UInt64, registration: Registration)] {
        try database.read { db in
            try db.fetchAll("SELECT seq, body FROM registrations WHERE seq > ? ORDER BY seq", [.int(seq)]).compactMap {
                row in Registration(serialized: row["body"]).map { (UInt64(row["seq"] as Int64), $0) }
            }
        }
    }

    /// A `LIKE` pattern matching `text` (lower case) anywhere, its wildcards escaped with `\`.
    private static func containsPattern(_ text: String) -> SQLValue {
        let escaped = text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return .text("%\(escaped)%")
    }

    /// A page of registrations matching `filter`, ordered by id.
    func registrations(_ filter: RegistrationFilter, after: String, limit: Int) throws -> [Registration] {
        var conditions = ["id > ?"]
        var arguments: [SQLValue] = [.text(after)]
        if let party = filter.visibleTo {
            conditions.append("(registrant = ? OR holder = ?)")
            arguments += [.text(party.rawValue), .text(party.rawValue)]
        }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments.append(.text(status.rawValue))
        }
        if let registrant = filter.registrant {
            conditions.append("registrant = ?")
            arguments.append(.text(registrant.rawValue))
        }
        if let account = filter.account {
            conditions.append("account = ?")
            arguments.append(.text(account.rawValue))
        }
        if !filter.customer.isEmpty {
            conditions.append("customer LIKE ? ESCAPE '\\'")
            arguments.append(Self.containsPattern(filter.customer))
        }
        if let day = filter.protectedUntilAtMost {
            conditions.append("status = 'approved' AND protected_until <> '' AND protected_until <= ?")
            arguments.append(.text(day.description))
        }
        arguments.append(.int(limit))
        return try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM registrations WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                    arguments) as [Data]).compactMap(Registration.init(serialized:))
        }
    }

    /// APPROVED registrations whose protection ended before `day`, oldest first.
    func expired(before day: CalendarDate, limit: Int) throws -> [Registration] {
        try database.read { db in
            try
                (db.fetchColumn(
                    """
                    SELECT body FROM registrations WHERE status = 'approved' AND protected_until <> ''
                    AND protected_until < ? ORDER BY protected_until LIMIT ?
                    """, [.text(day.description), .int(limit)]) as [Data]).compactMap(Registration.init(serialized:))
        }
    }

    /// New registrations per registrant decided on or after `day` (a quota week's count so far).
    func registrationCounts(since day: CalendarDate) throws -> [PartyID: Int] {
        try database.read { db in
            var counts: [PartyID: Int] = [:]
            let rows = try db.fetchAll(
                "SELECT registrant, COUNT(*) FROM registrations WHERE decided_on >= ? GROUP BY registrant",
                [.text(day.description)])
            for row in rows { counts[PartyID(row[0] as String)] = row[1] }
            return counts
        }
    }

    func history(_ id: RegistrationID) throws -> [HistoryRow] {
        try database.read { db in
            try db.fetchAll("SELECT * FROM history WHERE registration_id = ? ORDER BY seq", [.text(id.rawValue)])
                .compactMap(HistoryRow.init(row:))
        }
    }

    /// Up to `limit` events after `seq` that concern `party` (all events when nil), as stored, with their seqs.
    func feed(_ party: PartyID?, after seq: UInt64, limit: Int) throws -> [(seq: UInt64, body: [UInt8])] {
        try database.read { db in
            let rows =
                if let party {
                    try db.fetchAll(
                        """
                        SELECT e.seq, e.body FROM feed f JOIN events e ON e.seq = f.seq
                        WHERE f.party = ? AND f.seq > ? ORDER BY f.seq LIMIT ?
                        """, [.text(party.rawValue), .int(seq), .int(limit)])
                } else {
                    try db.fetchAll(
                        "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?", [.int(seq), .int(limit)])
                }
            return rows.map { (UInt64($0[0] as Int64), $0[1]) }
        }
    }

    /// Up to `limit` events from `seq` on, as stored (serialized `Event`s).
    func eventBodies(from seq: UInt64, limit: Int) throws -> [[UInt8]] {
        try database.read { db in
            try db.fetchColumn("SELECT body FROM events WHERE seq >= ? ORDER BY seq LIMIT ?", [.int(seq), .int(limit)])
        }
    }

    func registrations(of account: AccountID, concerningDecisionsOn day: CalendarDate, horizonDays: Int) throws
        -> [Registration]
    {
        try database.read { db in
            try
                (db.fetchColumn(
                    """
                    SELECT body FROM registrations WHERE account = ?
                    AND ((closed_on = '' AND status IN ('approved', 'pending-review')) OR closed_on >= ?)
                    ORDER BY number
                    """, [.text(account.rawValue), .text(day.adding(days: -horizonDays).description)]) as [Data])
                .compactMap(Registration.init(serialized:)).filter {
                    $0.concernsDecisions(on: day, horizonDays: horizonDays)
                }
        }
    }

    func registrations(of account: AccountID) throws -> [Registration] {
        try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM registrations WHERE account = ? ORDER BY number", [.text(account.rawValue)])
                as [Data]).compactMap(Registration.init(serialized:))
        }
    }

    func account(_ id: AccountID) throws -> Account? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM accounts WHERE id = ?", [.text(id.rawValue)]) as [UInt8]?).flatMap {
                (try? Dealreg_V1_Account(serializedBytes: $0)).flatMap(Account.init(wire:))
            }
        }
    }

    func mergedAccounts() throws -> [AccountID: AccountID] {
        try database.read { db in
            var merged: [AccountID: AccountID] = [:]
            for row in try db.fetchAll("SELECT id, merged_into FROM accounts WHERE state = 'merged'") {
                merged[AccountID(row[0] as String)] = AccountID(row[1] as String)
            }
            return merged
        }
    }

    func accounts(after: String, limit: Int, customer: String, doubtfulOnly: Bool) throws -> [Account] {
        var conditions = ["a.id > ?"]
        var arguments: [SQLValue] = [.text(after)]
        if !customer.isEmpty {
            conditions.append(
                "EXISTS (SELECT 1 FROM registrations r WHERE r.account = a.id AND r.customer LIKE ? ESCAPE '\\')")
            arguments.append(Self.containsPattern(customer))
        }
        if doubtfulOnly {
            conditions.append(
                "EXISTS (SELECT 1 FROM account_doubts d WHERE d.account = a.id OR d.other = a.id)")
        }
        arguments.append(.int(limit))
        return try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT a.body FROM accounts a WHERE \(conditions.joined(separator: " AND ")) ORDER BY a.id LIMIT ?",
                    arguments) as [[UInt8]]).compactMap {
                    (try? Dealreg_V1_Account(serializedBytes: $0)).flatMap(Account.init(wire:))
                }
        }
    }

    func doubts(of account: AccountID) throws -> [Dealreg_V1_AccountDoubt] {
        try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM account_doubts WHERE account = ? OR other = ? ORDER BY score DESC",
                    [.text(account.rawValue), .text(account.rawValue)]) as [[UInt8]]).compactMap {
                    try? Dealreg_V1_AccountDoubt(serializedBytes: $0)
                }
        }
    }

    func accountFigures(_ ids: [AccountID]) throws -> [AccountID: AccountFigures] {
        try database.read { db in
            var figures: [AccountID: AccountFigures] = [:]
            for id in ids {
                let account = SQLValue.text(id.rawValue)
                let registrations: Int =
                    try db.fetchValue("SELECT COUNT(*) FROM registrations WHERE account = ?", [account]) ?? 0
                let protections: Int =
                    try db.fetchValue(
                        "SELECT COUNT(DISTINCT registration_id) FROM protections WHERE account = ?", [account]) ?? 0
                let doubts: Int =
                    try db.fetchValue(
                        "SELECT COUNT(*) FROM account_doubts WHERE account = ? OR other = ?", [account, account]) ?? 0
                let first = try
                    (db.fetchValue(
                        "SELECT body FROM registrations WHERE account = ? ORDER BY number LIMIT 1", [account]) as Data?)
                    .flatMap(Registration.init(serialized:))?.request.customer
                figures[id] = AccountFigures(
                    registrations: registrations, protections: protections, doubts: doubts, firstCustomer: first)
            }
            return figures
        }
    }

    /// Registrations with an account (`grouped`) or from before accounts, without one, oldest first, at most `limit`
    /// after number `after`: what the grouping of a store from before accounts reads.
    func registrations(after number: Int64, limit: Int, grouped: Bool) throws -> [Registration] {
        try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM registrations WHERE account \(grouped ? "<>" : "=") '' AND number > ? "
                        + "ORDER BY number LIMIT ?", [.integer(number), .int(limit)]) as [Data]).compactMap(
                    Registration.init(serialized:))
        }
    }

    /// The leaf hashes of entries `first...last` (`MerkleTree.leafHash`), in order.
    static func leaves(_ db: any SQLConnection, from first: UInt64, to last: UInt64) throws -> [[UInt8]] {
        try SignedLedger.leaves(of: "events", db, from: first, to: last)
    }

    /// Commits every write in one transaction, fsynced before it returns; signs the head that covers them, which
    /// the replies with a receipt carry (`LedgerCommit`).
    @discardableResult
    func commit(_ writes: [RegistryWrite], at time: Int64 = Int64(Date().timeIntervalSince1970)) throws
        -> LedgerCommit
    {
        var ledger = self.ledger
        var accountNumber = lastAccountNumber
        var result = LedgerCommit()
        try database.write { db in
            // First, so that a process deposed since its last commit writes nothing, and a takeover waits for this
            // transaction (the lease row stays locked until it ends).
            try lease?.renew(db)
            var hashes: [UInt64: (chain: [UInt8], previous: [UInt8])] = [:]
            for write in writes {
                switch write.change {
                case .party(let party):
                    try db.execute(
                        """
                        INSERT INTO parties (id, kind, name, country, tier, public_key, standing)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                        country = excluded.country, tier = excluded.tier, public_key = excluded.public_key,
                        standing = excluded.standing
                        """,
                        .text(party.id.rawValue), .text(party.kind.rawValue), .text(party.name), .text(party.country),
                        .text(party.tier), .text(party.publicKey), .text(party.standing.rawValue))
                case .registered(let registration, let row), .transitioned(let registration, let row):
                    try db.execute(
                        """
                        INSERT INTO registrations (number, id, registrant, holder, status, seq, body,
                        protected_until, customer, decided_on, account, closed_on)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET status = excluded.status, seq = excluded.seq,
                        body = excluded.body, protected_until = excluded.protected_until,
                        account = excluded.account, closed_on = excluded.closed_on
                        """,
                        .integer(Int64(registration.id.rawValue.dropFirst(3)) ?? 0), .text(registration.id.rawValue),
                        .text(registration.registrant.rawValue), .text(registration.holder.rawValue),
                        .text(registration.status.rawValue), .int(write.seq),
                        .blob(write.registrationBytes),
                        .text(registration.decision.protectedUntil?.description ?? ""),
                        .text(registration.request.customer.legalName.lowercased()),
                        .text(CalendarDate(secondsSinceEpoch: registration.decision.decidedAt).description),
                        .text(registration.account?.rawValue ?? ""), .text(registration.closedOn?.description ?? ""))
                    try Self.recordProtections(
                        of: registration, new: write.change.isNewRegistration, seq: write.seq,
                        lastAccountNumber: &accountNumber, db)
                    try db.execute(
                        """
                        INSERT INTO history (registration_id, seq, time, actor, action, status, reason,
                        policy_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        .text(row.registrationID.rawValue), .int(row.seq), .integer(row.time),
                        .text(row.actor.rawValue),
                        .text(row.action), .text(row.status.rawValue), .text(row.reason), .text(row.policyVersion))
                case .link(let link):
                    try db.execute(
                        """
                        INSERT INTO links (distributor, reseller, state, seq, body) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(distributor, reseller) DO UPDATE SET state = excluded.state,
                        seq = excluded.seq, body = excluded.body
                        """,
                        .text(link.pair.distributor.rawValue), .text(link.pair.reseller.rawValue),
                        .text(link.state.rawValue), .int(write.seq), .blob(try link.wire.serializedBytes()))
                case .account(let account):
                    accountNumber = max(accountNumber, account.id.number ?? 0)
                    try db.execute(
                        """
                        INSERT INTO accounts (id, number, state, merged_into, name, seq, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET state = excluded.state, merged_into = excluded.merged_into,
                        name = excluded.name, seq = excluded.seq, body = excluded.body
                        """,
                        .text(account.id.rawValue), .integer(account.id.number ?? 0),
                        .text(account.mergedInto == nil ? "open" : "merged"), .text(account.mergedInto?.rawValue ?? ""),
                        .text(account.displayName.lowercased()), .int(write.seq),
                        .blob(try account.wire.serializedBytes()))
                case .doubts(let doubts):
                    for doubt in doubts {
                        try db.execute(
                            """
                            INSERT INTO account_doubts (account, other, score, registration_id, body)
                            VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (account, other) DO UPDATE SET score = excluded.score,
                            registration_id = excluded.registration_id, body = excluded.body
                            """,
                            .text(doubt.accountID), .text(doubt.otherAccountID), .real(doubt.score),
                            .text(doubt.registrationID), .blob(try doubt.serializedBytes()))
                    }
                case .access(let record):
                    try Self.recordAccess(record, seq: write.seq, db)
                case .duplicate, .witness:
                    break
                }
                if let topic = write.change.topic {
                    // The feed: a registration's step concerns its registrant and its holder; a party's change,
                    // the party; a link's step, its two sides.
                    let concerned: Set<String> =
                        if let registration = write.change.registration {
                            [registration.registrant.rawValue, registration.holder.rawValue]
                        } else if let party = write.change.party {
                            [party.id.rawValue]
                        } else if let link = write.change.link {
                            [link.pair.distributor.rawValue, link.pair.reseller.rawValue]
                        } else {
                            []
                        }
                    for party in concerned {
                        try db.execute(
                            "INSERT INTO feed (party, seq) VALUES (?, ?) ON CONFLICT DO NOTHING", .text(party),
                            .int(write.seq))
                    }
                    let previous = ledger.chainHash
                    let hash = try ledger.append(seq: write.seq, write.eventBytes, db)
                    hashes[write.seq] = (hash, previous)
                    try db.execute(
                        "INSERT INTO events (seq, time, topic, body, hash) VALUES (?, ?, ?, ?, ?)", .int(write.seq),
                        .integer(write.time), .text(topic), .blob(write.eventBytes), .blob(hash))
                    if case .witness = write.change {
                        try db.execute("INSERT INTO witnessed (seq) VALUES (?)", .int(write.seq))
                    }
                }
            }
            // The head is signed once the turn's events are in, so each answer carries a receipt under it and a
            // retry of the request gets the same answer.
            let head = try ledger.sign(at: time, by: signer, db)
            result.head = head
            for (index, write) in writes.enumerated() {
                guard var answer = write.answer else { continue }
                // Only decisions, steps and exchanges carry a receipt or a head: no other answer is decoded again.
                if write.change.carriesReceipt,
                    let reply = Receipts.attach(to: answer.reply, seq: write.seq, hash: hashes[write.seq], head: head)
                {
                    answer.reply = reply
                    result.replies[index] = reply
                }
                try db.execute(
                    "INSERT INTO requests (principal, request_id, fingerprint, reply) VALUES (?, ?, ?, ?)",
                    .text(answer.principal.rawValue), .text(answer.requestID), .text(answer.fingerprint),
                    .blob(answer.reply))
            }
        }
        self.ledger = ledger
        lastAccountNumber = accountNumber
        return result
    }

    /// Signs and keeps the head of the log as it is: at shutdown, so the last head is kept whatever the second.
    func keepHead(at time: Int64) throws {
        guard let lease else { return try SignedLedger.keepHead(of: &ledger, in: database, by: signer, at: time) }
        var copy = ledger
        try database.write { db in
            try lease.renew(db)
            _ = try copy.sign(at: time, by: signer, keep: true, db)
        }
        ledger = copy
    }

    /// Renews the lease (every `RegistryLease.renewal`): throws `LeaseLost` when another process took it.
    func renewLease() throws {
        guard let lease else { return }
        try database.write { db in try lease.renew(db) }
    }

    /// Keeps `protections` in step with a registration's new state: its rows go, and come back line by line while
    /// it holds an exclusive protection; a registration's account gets its row when it makes it.
    /// A new registration has no rows to remove, and an account numbered at most `lastAccountNumber` has its row.
    private static func recordProtections(
        of registration: Registration, new: Bool, seq: UInt64, lastAccountNumber: inout Int64,
        _ db: any SQLConnection
    ) throws {
        if !new {
            try db.execute("DELETE FROM protections WHERE registration_id = ?", .text(registration.id.rawValue))
        }
        guard let account = registration.account else { return }
        if let number = account.number, number > lastAccountNumber {
            lastAccountNumber = number
            try Self.makeAccountRow(account, registration: registration, seq: seq, db)
        }
        guard registration.holdsExclusiveProtection else { return }
        for line in Set(registration.request.productLines).sorted() {
            try db.execute(
                "INSERT INTO protections (account, product_line, registration_id) VALUES (?, ?, ?)",
                .text(account.rawValue), .text(line), .text(registration.id.rawValue))
        }
    }

    /// The row of an account the registration at `seq` makes.
    private static func makeAccountRow(
        _ account: AccountID, registration: Registration, seq: UInt64, _ db: any SQLConnection
    ) throws {
        try db.execute(
            """
            INSERT INTO accounts (id, number, state, merged_into, name, seq, body)
            VALUES (?, ?, 'open', '', ?, ?, ?) ON CONFLICT DO NOTHING
            """,
            .text(account.rawValue), .integer(account.number ?? 0),
            .text(registration.request.customer.legalName.lowercased()), .int(seq),
            .blob(try Account(id: account).wire.serializedBytes()))
    }

    static func party(from row: SQLRow) -> Party? {
        guard let kind = PartyKind(rawValue: row["kind"]), let standing = PartyStanding(rawValue: row["standing"])
        else {
            return nil
        }
        return Party(
            id: PartyID(row["id"] as String), kind: kind, name: row["name"], country: row["country"], tier: row["tier"],
            publicKey: row["public_key"], standing: standing)
    }
}

extension RegistryStore {
    /// Recomputes the event log's hash chain, then checks that every registration and link row is what its latest
    /// event says: a hand-edited row, event, or a removed event is named.
    /// Verifies the database at `file` through a read-only connection of its own: in WAL mode it reads one
    /// committed snapshot while the registry goes on writing, so an audit never stalls the reactor.
    static func verify(readingOnly file: URL, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try verify(SQLiteDatabase(DurableDatabase.openReadOnly(file)), plan)
    }

    /// Verifies the store at `location` through a connection of its own, on one snapshot (SQLite read-only; a
    /// repeatable-read transaction on PostgreSQL), so an audit never stalls the reactor.
    static func verify(readingOnly location: StoreLocation, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        switch location {
        case .sqlite(let file): return try verify(readingOnly: file, plan)
        case .postgres(let postgres):
            let database = try PostgresDatabase(postgres, schema: "registry", applicationName: "dealreg-registry audit")
            defer { database.close() }
            return try verify(database, plan)
        }
    }

    /// How the audit names a link: "dist → acme".
    private static func linkName(_ distributor: String, _ reseller: String) -> String { "\(distributor) → \(reseller)" }

    static func verify(_ database: any SQLDatabase, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try database.snapshot { db in
            let kept = try SignedLedger.keptHeads(in: "registry_heads", of: "registry", db).map {
                HeadAudit.Held($0, source: "kept by the registry")
            }
            var heads = HeadAudit(keyring: plan.keyring, heads: kept + plan.against) { "event \($0)" }
            var verdict = try verify(db, plan, &heads)
            verdict.heads = heads.checked
            return verdict
        }
    }

    /// The audit proper, holding the log to `heads` as it reads it.
    private static func verify(_ db: any SQLConnection, _ plan: AuditPlan, _ heads: inout HeadAudit) throws
        -> LedgerChain.Verdict
    {
        if let untrusted = heads.start {
            return LedgerChain.Verdict(entries: 0, firstBroken: untrusted.entry, reason: untrusted.reason)
        }
        var hash = LedgerChain.genesis
        var count = 0
        let events = try db.cursor("SELECT seq, body, hash FROM events ORDER BY seq", [])
        var expectedSeq: Int64 = 1
        var histories = 0
        // The latest event of each registration and link: its row must exist and be in that event's state, so a
        // deleted row, or one set back to an earlier event, is named too.
        var latestRegistration: [String: Int64] = [:]
        var latestLink: [String: Int64] = [:]
        // Each account's latest `account` event, and the first registration event that named it.
        var latestAccount: [String: Int64] = [:]
        var accountMadeAt: [String: Int64] = [:]
        // The access log's rows the `access` events call for.
        var accessRows = 0
        while let row = try events.next() {
            let seq: Int64 = row["seq"]
            guard seq == expectedSeq else {
                return LedgerChain.Verdict(entries: count, firstBroken: "event \(expectedSeq)", reason: "missing")
            }
            let body: [UInt8] = row["body"]
            hash = LedgerChain.next(after: hash, body)
            guard hash == row["hash"] else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "event \(seq)",
                    reason: "its bytes or a previous event were altered")
            }
            if let finding = heads.visit(seq: UInt64(seq), chainHash: hash) {
                return LedgerChain.Verdict(entries: count, firstBroken: finding.entry, reason: finding.reason)
            }
            count += 1
            expectedSeq += 1
            let event = try? WireEvent(serializedBytes: body)
            switch event?.payload {
            case .registration(let registration)?:
                latestRegistration[registration.id] = seq
                if !registration.accountID.isEmpty && accountMadeAt[registration.accountID] == nil {
                    accountMadeAt[registration.accountID] = seq
                }
            case .link(let link)?: latestLink[Self.linkName(link.distributor, link.reseller)] = seq
            case .account(let account)?: latestAccount[account.id] = seq
            case .access(let record)?:
                if let broken = try verifyAccess(record, seq: seq, db, rows: &accessRows) {
                    return LedgerChain.Verdict(entries: count, firstBroken: broken.what, reason: broken.reason)
                }
            default: break
            }
            // The history line of each step must say what its chained event says.
            guard let event, event.hasHistory, case .registration(let registration)? = event.payload else {
                continue
            }
            histories += 1
            let line = try db.fetchOne(
                "SELECT * FROM history WHERE registration_id = ? AND seq = ?", [.text(registration.id), .integer(seq)])
            guard line.flatMap(HistoryRow.init(row:))?.wire == event.history else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "history \(registration.id) at event \(seq)",
                    reason: line == nil ? "the line is missing" : "the line differs from its event")
            }
        }
        if let finding = heads.finish(size: UInt64(count)) {
            return LedgerChain.Verdict(entries: count, firstBroken: finding.entry, reason: finding.reason)
        }
        if plan.expectedSize > count {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "event \(count + 1)",
                reason:
                    "missing: enforcement has followed the log to event \(plan.expectedSize), the log ends at "
                    + "\(count)")
        }
        for citation in plan.cited {
            let exists: Int? = try db.fetchValue(
                "SELECT COUNT(*) FROM registrations WHERE id = ?", [.text(citation.registrationID)])
            guard exists == 1 else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "registration \(citation.registrationID)",
                    reason: "missing: enforcement's \(citation.citedBy) cites it as evidence")
            }
        }
        let lines: Int = try db.fetchValue("SELECT COUNT(*) FROM history") ?? 0
        guard lines == histories else {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "history",
                reason: "\(lines - histories) lines have no event in the ledger")
        }
        var protections: Set<String> = []
        let rows = try db.cursor(
            "SELECT id, seq, body, status, account, closed_on FROM registrations ORDER BY number", [])
        while let row = try rows.next() {
            if let registration = Registration(serialized: row["body"]) {
                // The columns the decisions query by (a registration's account, status and end) say what its
                // body says: an account changed by hand would hide a protection from its account's decisions.
                guard row["status"] as String == registration.status.rawValue,
                    row["account"] as String == (registration.account?.rawValue ?? ""),
                    row["closed_on"] as String == (registration.closedOn?.description ?? "")
                else {
                    return LedgerChain.Verdict(
                        entries: count, firstBroken: "registration \(row["id"] as String)",
                        reason: "its status, account or end column differs from its body")
                }
                if let account = registration.account, registration.holdsExclusiveProtection {
                    for line in registration.request.productLines {
                        protections.insert("\(account)|\(line)|\(registration.id)")
                    }
                }
            }
            let id: String = row["id"]
            let seq: Int64 = row["seq"]
            guard latestRegistration.removeValue(forKey: id) == seq else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "registration \(id)",
                    reason: "the row is not in the state of its latest event")
            }
            guard
                let body: [UInt8] = try db.fetchValue("SELECT body FROM events WHERE seq = ?", [.integer(seq)]),
                let event = try? WireEvent(serializedBytes: body),
                case .registration(let registration)? = event.payload,
                registration.id == id, try registration.serializedBytes() == row["body"] as [UInt8]
            else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "registration \(id)",
                    reason: "the row differs from its event \(seq)")
            }
        }
        if let (id, seq) = latestRegistration.min(by: { $0.value < $1.value }) {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "registration \(id)",
                reason: "its row is missing (last event \(seq))")
        }
        let links = try db.cursor(
            "SELECT distributor, reseller, seq, body FROM links ORDER BY distributor, reseller", [])
        while let row = try links.next() {
            let pair = Self.linkName(row["distributor"], row["reseller"])
            let seq: Int64 = row["seq"]
            guard latestLink.removeValue(forKey: pair) == seq else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "link \(pair)",
                    reason: "the row is not in the state of its latest event")
            }
            guard
                let body: [UInt8] = try db.fetchValue("SELECT body FROM events WHERE seq = ?", [.integer(seq)]),
                let event = try? WireEvent(serializedBytes: body), case .link(let link)? = event.payload,
                try link.serializedBytes() == row["body"] as [UInt8]
            else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "link \(pair)", reason: "the row differs from its event \(seq)")
            }
        }
        if let (pair, seq) = latestLink.min(by: { $0.value < $1.value }) {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "link \(pair)", reason: "its row is missing (last event \(seq))")
        }
        if let broken = try verifyAccounts(db, latest: latestAccount, madeAt: accountMadeAt) {
            return LedgerChain.Verdict(entries: count, firstBroken: broken.what, reason: broken.reason)
        }
        if let broken = try verifyAccessLog(db, rows: accessRows) {
            return LedgerChain.Verdict(entries: count, firstBroken: broken.what, reason: broken.reason)
        }
        // The protected lines are what the registrations' rows say, no more and no less: a row deleted by hand
        // would let a rival in beside the holder.
        let stored = try db.fetchAll("SELECT account, product_line, registration_id FROM protections")
            .map { "\($0[0] as String)|\($0[1] as String)|\($0[2] as String)" }
        for line in stored where protections.remove(line) == nil {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "protection \(line.replacingOccurrences(of: "|", with: " "))",
                reason: "no registration holds it")
        }
        if let line = protections.min() {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "protection \(line.replacingOccurrences(of: "|", with: " "))",
                reason: "its row is missing")
        }
        return LedgerChain.Verdict(entries: count)
    }

    /// Every account row in the state of its latest `account` event, or, never stepped, as made by the first
    /// registration event naming it; and a row for every account an event names.
    private static func verifyAccounts(
        _ db: any SQLConnection, latest: [String: Int64], madeAt: [String: Int64]
    ) throws -> (what: String, reason: String)? {
        var latest = latest
        var madeAt = madeAt
        let rows = try db.cursor("SELECT id, seq, body, state, merged_into FROM accounts ORDER BY id", [])
        while let row = try rows.next() {
            let id: String = row["id"]
            let seq: Int64 = row["seq"]
            // The registry reads merges from these columns: one set by hand would send decisions to another account.
            let body = (try? Dealreg_V1_Account(serializedBytes: row["body"] as [UInt8])).flatMap(Account.init(wire:))
            guard row["state"] as String == (body?.mergedInto == nil ? "open" : "merged"),
                row["merged_into"] as String == (body?.mergedInto?.rawValue ?? "")
            else { return ("account \(id)", "its state column differs from its body") }
            let made = madeAt.removeValue(forKey: id)
            let expected: [UInt8]
            if let stepped = latest.removeValue(forKey: id) {
                guard stepped == seq,
                    let body: [UInt8] = try db.fetchValue("SELECT body FROM events WHERE seq = ?", [.integer(seq)]),
                    let event = try? WireEvent(serializedBytes: body), case .account(let account)? = event.payload
                else { return ("account \(id)", "the row is not in the state of its latest event") }
                expected = try account.serializedBytes()
            } else {
                guard made == seq else { return ("account \(id)", "no registration event made it at \(seq)") }
                expected = try Account(id: AccountID(id)).wire.serializedBytes()
            }
            guard expected == row["body"] as [UInt8] else {
                return ("account \(id)", "the row differs from its event \(seq)")
            }
        }
        if let (id, _) = (latest.merging(madeAt) { a, _ in a }).min(by: { $0.key < $1.key }) {
            return ("account \(id)", "its row is missing")
        }
        return nil
    }
}

extension RegistryStore {
    var ledgerHead: LedgerHead { ledger.newestHead }

    func chainHash(of seq: UInt64) throws -> [UInt8]? {
        try database.read { db in try db.fetchValue("SELECT hash FROM events WHERE seq = ?", [.int(seq)]) }
    }

    func proofs(seq: UInt64, fromSize: UInt64, size: UInt64) throws -> (inclusion: [[UInt8]], consistency: [[UInt8]]) {
        try database.snapshot { db in
            let nodes = ledger.nodes
            let subtree = { (level: Int, index: UInt64) throws -> [UInt8] in
                try nodes.subtree(level: level, index: index, db) { try Self.leaves(db, from: $0, to: $1) }
            }
            let inclusion = seq > 0 ? try MerkleTree.inclusionProof(leaf: seq - 1, size: size, subtree: subtree) : []
            let consistency =
                fromSize > 0 ? try MerkleTree.consistencyProof(from: fromSize, to: size, subtree: subtree) : []
            return (inclusion, consistency)
        }
    }

    func witnessedHeads(newest: Int) throws -> [LedgerHead] {
        try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT e.body FROM witnessed w JOIN events e ON e.seq = w.seq ORDER BY w.seq DESC LIMIT ?",
                    [.int(newest)]) as [[UInt8]]).compactMap { body in
                    guard let event = try? WireEvent(serializedBytes: body), case .witness(let head)? = event.payload
                    else { return nil }
                    return LedgerHead(wire: head)
                }
        }
    }
}

extension RegistryStore {
    func concerns(_ party: PartyID, seq: UInt64) throws -> Bool {
        try database.read { db in
            try db.exists("SELECT 1 FROM feed WHERE party = ? AND seq = ?", [.text(party.rawValue), .int(seq)])
        }
    }
}

extension RegistryStore {
    func chainHashes(of seqs: [UInt64]) throws -> [UInt64: (chain: [UInt8], previous: [UInt8])] {
        guard !seqs.isEmpty else { return [:] }
        return try database.read { db in
            let marks = Array(repeating: "?", count: seqs.count).joined(separator: ", ")
            let rows = try db.fetchAll(
                """
                SELECT e.seq, e.hash, p.hash AS previous FROM events e LEFT JOIN events p ON p.seq = e.seq - 1
                WHERE e.seq IN (\(marks))
                """, seqs.map { .int($0) })
            var hashes: [UInt64: (chain: [UInt8], previous: [UInt8])] = [:]
            for row in rows {
                hashes[UInt64(row["seq"] as Int64)] = (row["hash"], row["previous"] as [UInt8]? ?? LedgerChain.genesis)
            }
            return hashes
        }
    }
}
