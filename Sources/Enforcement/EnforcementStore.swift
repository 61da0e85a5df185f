import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation

/// Enforcement's own database, on SQLite (WAL, synchronous=FULL) or PostgreSQL (its own schema): its cursor in the registry's event log, the parties,
/// registrations and merged accounts it mirrors, and what it observed and decided, each decision entered in a
/// hash-chained ledger. Rows keep the wire form (protobuf bytes); the core reads and writes DealModel values.
/// Not thread-safe: used from the reactor thread; readers beside it (an audit) open a database of their own.
final class EnforcementStore: EnforcementRecords {
    let database: any SQLDatabase
    /// The ledger: its chain, Merkle tree and signed heads (`SignedLedger`); enforcement is the only writer.
    private(set) var ledger: SignedLedger
    /// Signs the heads, with a key kept outside the database.
    let signer: LedgerSigner
    /// The public keys enforcement's heads may carry (the current key's first).
    let keyring: LedgerKeyring

    /// The SQLite schema, as numbered migrations (a store keeps the ones it had since v1).
    private static let sqliteMigrations = [
        """
        CREATE TABLE cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
        INSERT INTO cursor (id, seq) VALUES (1, 0);
        CREATE TABLE parties (id TEXT PRIMARY KEY, kind TEXT NOT NULL, public_key TEXT NOT NULL);
        CREATE TABLE observations (
            seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, topic TEXT NOT NULL, subject TEXT NOT NULL,
            detail TEXT NOT NULL);
        """,
        """
        CREATE TABLE registrations (id TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE bookings (
            order_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, booked_by TEXT NOT NULL,
            received_at INTEGER NOT NULL, body BLOB NOT NULL, reply BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE violations (
            number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, party TEXT NOT NULL,
            order_id TEXT NOT NULL, registration_id TEXT NOT NULL, detected_at INTEGER NOT NULL,
            body BLOB NOT NULL);
        CREATE INDEX violations_party ON violations(party, number);
        """,
        """
        CREATE TABLE cases (id TEXT PRIMARY KEY, party TEXT NOT NULL, state INTEGER NOT NULL, body BLOB NOT NULL)
            WITHOUT ROWID;
        CREATE INDEX cases_party ON cases(party, state);
        CREATE TABLE sanctions (
            number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, party TEXT NOT NULL, active INTEGER NOT NULL,
            registry_applied INTEGER NOT NULL, body BLOB NOT NULL);
        """,
        """
        CREATE TABLE ledger (
            seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, body BLOB NOT NULL,
            hash BLOB NOT NULL);
        CREATE INDEX ledger_subject ON ledger(kind, subject, seq);
        """,
        """
        CREATE TABLE escalations (registration_id TEXT PRIMARY KEY, escalated_at INTEGER NOT NULL, body BLOB NOT NULL)
            WITHOUT ROWID;
        """,
        // The registry's accounts as its merge and split events left them; `merged_into` is empty for an open one.
        // The registrations a merge moves are published again under the survivor, so only the merged state is
        // needed here (a stale account id read before they arrive, or named by a registration that never does).
        """
        CREATE TABLE accounts (id TEXT PRIMARY KEY, merged_into TEXT NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;
        """,
        // The signed ledger (issue 18): the Merkle tree's complete subtrees of 256 entries and more, and the heads
        // kept (one a second while the ledger changes, and at shutdown). The registry's heads it witnesses are
        // ledger entries of kind `witness`.
        SignedLedger.schema(prefix: "ledger"),
        EnforcementStore.watchColumns(seq: "INTEGER"),
    ]

    /// Issue 20: enforcement reads watched registrations from its store instead of keeping them in memory. Each
    /// registration row gets the columns it is found by (its account while watched, its status and registrant for
    /// the closing records, the seq of the event that last wrote it), and each account row that seq too, so a start
    /// from the index snapshot reads only the rows written after it. Rows from before are filled at open
    /// (`fillWatchColumns`): the body has to be decoded, which SQL cannot do.
    private static func watchColumns(seq type: String) -> String {
        """
        ALTER TABLE registrations ADD COLUMN seq \(type);
        ALTER TABLE registrations ADD COLUMN account TEXT;
        ALTER TABLE registrations ADD COLUMN registrant TEXT;
        ALTER TABLE registrations ADD COLUMN status TEXT;
        ALTER TABLE registrations ADD COLUMN watched INTEGER;
        ALTER TABLE accounts ADD COLUMN seq \(type);
        CREATE INDEX registrations_seq ON registrations(seq);
        CREATE INDEX registrations_account ON registrations(account) WHERE watched = 1;
        CREATE INDEX registrations_status ON registrations(status, registrant);
        CREATE INDEX accounts_seq ON accounts(seq);
        CREATE INDEX accounts_merged ON accounts(merged_into) WHERE merged_into <> '';
        """
    }

    /// The PostgreSQL schema, as numbered migrations: v1 is the SQLite schema as of its v8, in PostgreSQL's types.
    private static let postgresMigrations = [
        """
        CREATE TABLE cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL);
        INSERT INTO cursor (id, seq) VALUES (1, 0);
        CREATE TABLE parties (id TEXT PRIMARY KEY, kind TEXT NOT NULL, public_key TEXT NOT NULL);
        CREATE TABLE observations (
            seq BIGINT PRIMARY KEY, time BIGINT NOT NULL, topic TEXT NOT NULL, subject TEXT NOT NULL,
            detail TEXT NOT NULL);
        CREATE TABLE registrations (id TEXT PRIMARY KEY, body BYTEA NOT NULL);
        CREATE TABLE bookings (
            order_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, booked_by TEXT NOT NULL,
            received_at BIGINT NOT NULL, body BYTEA NOT NULL, reply BYTEA NOT NULL);
        CREATE TABLE violations (
            number BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, party TEXT NOT NULL,
            order_id TEXT NOT NULL, registration_id TEXT NOT NULL, detected_at BIGINT NOT NULL,
            body BYTEA NOT NULL);
        CREATE INDEX violations_party ON violations(party, number);
        CREATE TABLE cases (id TEXT PRIMARY KEY, party TEXT NOT NULL, state INTEGER NOT NULL, body BYTEA NOT NULL);
        CREATE INDEX cases_party ON cases(party, state);
        CREATE TABLE sanctions (
            number BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE, party TEXT NOT NULL, active INTEGER NOT NULL,
            registry_applied INTEGER NOT NULL, body BYTEA NOT NULL);
        CREATE TABLE ledger (
            seq BIGINT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, body BYTEA NOT NULL,
            hash BYTEA NOT NULL);
        CREATE INDEX ledger_subject ON ledger(kind, subject, seq);
        CREATE TABLE escalations (registration_id TEXT PRIMARY KEY, escalated_at BIGINT NOT NULL, body BYTEA NOT NULL);
        CREATE TABLE accounts (id TEXT PRIMARY KEY, merged_into TEXT NOT NULL, body BYTEA NOT NULL);
        """ + SignedLedger.schema(prefix: "ledger", engine: .postgres),
        EnforcementStore.watchColumns(seq: "BIGINT"),
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
    convenience init(ledgerKey: LedgerKey = LedgerKey(service: "enforcement")) throws {
        try self.init(SQLiteDatabase(DurableDatabase.inMemory(migrations: [])), ledgerKey: ledgerKey)
    }

    /// The store in `database`, its schema brought up to date, its heads signed with `ledgerKey`.
    convenience init(_ database: any SQLDatabase, ledgerKey: LedgerKey) throws {
        try self.init(database) { _ in ledgerKey }
    }

    /// The store in `database`, its schema brought up to date, its heads signed with the key `loadKey` gives, told
    /// whether the store holds heads signed before (then a missing key is lost, not yet to be made).
    init(_ database: any SQLDatabase, loadKey: (_ signedBefore: Bool) throws -> LedgerKey) throws {
        try database.migrate(Self.migrations(for: database.engine))
        try database.write(Self.fillWatchColumns)
        let ledgerKey = try loadKey(SignedLedger.hasSigned(database, prefix: "ledger"))
        self.database = database
        signer = ledgerKey.signer()
        keyring = ledgerKey.keyring
        let signer = signer
        ledger = try database.write { db in
            try SignedLedger.open(
                service: "enforcement", prefix: "ledger", log: "ledger", signer: signer,
                at: Int64(Date().timeIntervalSince1970), db)
        }
    }

    /// The leaf hashes of entries `first...last` (`MerkleTree.leafHash`), in order.
    static func leaves(_ db: any SQLConnection, from first: UInt64, to last: UInt64) throws -> [[UInt8]] {
        try SignedLedger.leaves(of: "ledger", db, from: first, to: last)
    }

    /// The newest signed head.
    var ledgerHead: LedgerHead { ledger.newestHead }

    /// Signs and keeps the head of the ledger as it is: at shutdown, so the last head is kept whatever the second.
    func keepHead(at time: Int64) throws {
        try SignedLedger.keepHead(of: &ledger, in: database, by: signer, at: time)
    }

    func cursor() throws -> UInt64 {
        try database.read { db in UInt64(try db.fetchValue("SELECT seq FROM cursor") as Int64? ?? 0) }
    }

    func parties() throws -> [Party] {
        try database.read { db in
            try db.fetchAll("SELECT id, kind, public_key FROM parties").compactMap { row in
                PartyKind(rawValue: row["kind"]).map { kind in
                    Party(id: PartyID(row["id"] as String), kind: kind, name: row["id"], publicKey: row["public_key"])
                }
            }
        }
    }

    /// Records `changes` in one fsynced transaction, each violation, case and sanction with its ledger entry: all
    /// of it is durable, or none. Recording the registry's events again is harmless.
    func commit(_ changes: [EnforcementChange], at time: Int64 = Int64(Date().timeIntervalSince1970)) throws {
        guard !changes.isEmpty else { return }
        var head = ledger
        try database.write { db in
            for change in changes {
                switch change {
                case .registration(let registration, let seq, let time):
                    try Self.record(registration, seq: Int64(seq), db)
                    try Self.observe(
                        db, seq: seq, time: time, topic: "registration", subject: registration.id.rawValue,
                        detail: "\(registration.holder) \(registration.status)")
                case .party(let party, let seq, let time):
                    try db.execute(
                        "INSERT INTO parties (id, kind, public_key) VALUES (?, ?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, public_key = excluded.public_key",
                        .text(party.id.rawValue), .text(party.kind.rawValue), .text(party.publicKey))
                    try Self.observe(
                        db, seq: seq, time: time, topic: "party", subject: party.id.rawValue,
                        detail: "\(party.kind)")
                case .account(let account, let seq, let time):
                    try db.execute(
                        "INSERT INTO accounts (id, merged_into, body, seq) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET merged_into = excluded.merged_into, body = excluded.body, "
                            + "seq = excluded.seq",
                        .text(account.id.rawValue), .text(account.mergedInto?.rawValue ?? ""),
                        .blob(try account.wire.serializedBytes()), .int(seq))
                    try Self.observe(
                        db, seq: seq, time: time, topic: "account", subject: account.id.rawValue,
                        detail: account.mergedInto.map { "merged into \($0)" } ?? "open")
                case .link(let link, let seq, let time):
                    try Self.observe(
                        db, seq: seq, time: time, topic: "link", subject: "\(link.pair)",
                        detail: link.state.rawValue)
                case .cursor(let seq):
                    try db.execute("UPDATE cursor SET seq = ? WHERE seq < ?", .int(seq), .int(seq))
                case .booking(let recorded):
                    let booking = recorded.booking
                    try db.execute(
                        """
                        INSERT INTO bookings (order_id, fingerprint, booked_by, received_at, body, reply)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                        .text(booking.orderID), .text(recorded.fingerprint), .text(booking.bookedBy.rawValue),
                        .integer(recorded.receivedAt), .blob(try booking.wire.serializedBytes()), .blob(recorded.reply))
                    for violation in recorded.violations { try Self.insert(violation, db, &head) }
                case .detected(let violation):
                    try Self.insert(violation, db, &head)
                case .enforcementCase(let record):
                    let body: [UInt8] = try record.wire.serializedBytes()
                    try db.execute(
                        "INSERT INTO cases (id, party, state, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                            + "SET party = excluded.party, state = excluded.state, body = excluded.body",
                        .text(record.id.rawValue), .text(record.party.rawValue), .int(record.state.wire.rawValue),
                        .blob(body))
                    try Self.append(db, &head, kind: "case", subject: record.id.rawValue, body)
                case .imposed(let sanction), .lifted(let sanction), .registryApplied(let sanction):
                    let body: [UInt8] = try sanction.wire.serializedBytes()
                    try db.execute(
                        """
                        INSERT INTO sanctions (number, id, party, active, registry_applied, body)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (number) DO UPDATE SET id = excluded.id, party = excluded.party,
                        active = excluded.active, registry_applied = excluded.registry_applied, body = excluded.body
                        """,
                        .integer(sanction.id.number ?? 0), .text(sanction.id.rawValue), .text(sanction.party.rawValue),
                        .int(sanction.active ? 1 : 0), .int(sanction.registryApplied ? 1 : 0), .blob(body))
                    try Self.append(db, &head, kind: "sanction", subject: sanction.id.rawValue, body)
                case .escalation(let escalation):
                    try db.execute(
                        "INSERT INTO escalations (registration_id, escalated_at, body) VALUES (?, ?, ?) "
                            + "ON CONFLICT DO NOTHING",
                        .text(escalation.registrationID.rawValue), .integer(escalation.escalatedAt),
                        .blob(try escalation.wire.serializedBytes()))
                case .witness(let registryHead):
                    try Self.append(
                        db, &head, kind: "witness", subject: "registry", try registryHead.wire.serializedBytes())
                }
            }
            try head.sign(at: time, by: signer, db)
        }
        ledger = head
    }

    /// Writes `registration` as event `seq` left it, with the columns it is found by.
    private static func record(_ registration: Registration, seq: Int64, _ db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO registrations (id, body, seq, account, registrant, status, watched)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET body = excluded.body, seq = excluded.seq, account = excluded.account,
            registrant = excluded.registrant, status = excluded.status, watched = excluded.watched
            """,
            .text(registration.id.rawValue), .blob(try registration.wire.serializedBytes()), .integer(seq),
            .optional(registration.account?.rawValue), .text(registration.registrant.rawValue),
            .text(registration.status.rawValue), .int(registration.isWatched ? 1 : 0))
    }

    /// Fills the columns of `watchColumns` in the rows written before them, in the caller's transaction: each
    /// registration's from its body, and the seq of every registration and account from the observation of the
    /// last event that wrote it (0 when none was kept). A body that does not decode is left unwatched, as it was
    /// left unread before. Nothing to do once filled (a new row has them from its first write).
    static func fillWatchColumns(_ db: any SQLConnection) throws {
        guard
            try db.exists("SELECT 1 FROM registrations WHERE seq IS NULL")
                || db.exists("SELECT 1 FROM accounts WHERE seq IS NULL")
        else { return }
        var lastSeq: [String: Int64] = [:]
        let observed = try db.cursor(
            "SELECT seq, topic, subject FROM observations WHERE topic IN ('registration', 'account')", [])
        while let row = try observed.next() {
            let key = (row["topic"] as String) + " " + (row["subject"] as String)
            lastSeq[key] = max(lastSeq[key] ?? 0, row["seq"])
        }
        while true {
            // A page at a time: the rows filled leave the page's condition, so the next page is the next rows.
            let page = try db.fetchAll("SELECT id, body FROM registrations WHERE seq IS NULL LIMIT 10000")
            guard !page.isEmpty else { break }
            for row in page {
                let id: String = row["id"]
                let seq = lastSeq["registration \(id)"] ?? 0
                if let registration = Registration(serialized: row["body"]) {
                    try db.execute(
                        "UPDATE registrations SET seq = ?, account = ?, registrant = ?, status = ?, watched = ? "
                            + "WHERE id = ?",
                        .integer(seq), .optional(registration.account?.rawValue),
                        .text(registration.registrant.rawValue), .text(registration.status.rawValue),
                        .int(registration.isWatched ? 1 : 0), .text(id))
                } else {
                    try db.execute(
                        "UPDATE registrations SET seq = ?, status = '', watched = 0 WHERE id = ?", .integer(seq),
                        .text(id))
                }
            }
        }
        for id in try db.fetchColumn("SELECT id FROM accounts WHERE seq IS NULL") as [String] {
            try db.execute(
                "UPDATE accounts SET seq = ? WHERE id = ?", .integer(lastSeq["account \(id)"] ?? 0), .text(id))
        }
    }

    private static func observe(
        _ db: any SQLConnection, seq: UInt64, time: Int64, topic: String, subject: String, detail: String
    ) throws {
        try db.execute(
            "INSERT INTO observations (seq, time, topic, subject, detail) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            .int(seq), .integer(time), .text(topic), .text(subject), .text(detail))
    }

    private static func insert(
        _ violation: DetectedViolation, _ db: any SQLConnection, _ head: inout SignedLedger
    ) throws {
        let body: [UInt8] = try violation.wire.serializedBytes()
        try db.execute(
            """
            INSERT INTO violations (number, id, type, party, order_id, registration_id, detected_at, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .integer(violation.id.number ?? 0), .text(violation.id.rawValue), .text(violation.type.rawValue),
            .text(violation.party.rawValue), .text(violation.violation.orderID),
            .text(violation.violation.registrationID.rawValue), .integer(violation.detectedAt), .blob(body))
        try append(db, &head, kind: "violation", subject: violation.id.rawValue, body)
    }

    /// Appends one ledger entry inside the caller's transaction.
    private static func append(
        _ db: any SQLConnection, _ ledger: inout SignedLedger, kind: String, subject: String, _ body: [UInt8]
    ) throws {
        let seq = ledger.size + 1
        let hash = try ledger.append(seq: seq, body, db)
        try db.execute(
            "INSERT INTO ledger (seq, kind, subject, body, hash) VALUES (?, ?, ?, ?, ?)", .int(seq), .text(kind),
            .text(subject), .blob(body), .blob(hash))
    }

    /// Recomputes the ledger's hash chain, then checks every violation, case and sanction row against its latest
    /// ledger entry: a hand-edited row or entry, or a removed entry, is named.
    static func verify(readingOnly file: URL, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try verify(SQLiteDatabase(DurableDatabase.openReadOnly(file)), plan)
    }

    /// Verifies the store at `location` through a connection of its own, on one snapshot (SQLite read-only; a
    /// repeatable-read transaction on PostgreSQL), so an audit never stalls the reactor.
    static func verify(readingOnly location: StoreLocation, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        switch location {
        case .sqlite(let file): return try verify(readingOnly: file, plan)
        case .postgres(let postgres):
            let database = try PostgresDatabase(
                postgres, schema: "enforcement", applicationName: "dealreg-enforcement audit")
            defer { database.close() }
            return try verify(database, plan)
        }
    }

    static func verify(_ database: any SQLDatabase, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try database.snapshot { db in
            let kept = try SignedLedger.keptHeads(in: "ledger_heads", of: "enforcement", db).map {
                HeadAudit.Held($0, source: "kept by enforcement")
            }
            var heads = HeadAudit(keyring: plan.keyring, heads: kept + plan.against) { "ledger entry \($0)" }
            var verdict = try verify(db, &heads)
            verdict.heads = heads.checked
            return verdict
        }
    }

    /// The audit proper, holding the ledger to `heads` as it reads it.
    private static func verify(_ db: any SQLConnection, _ heads: inout HeadAudit) throws -> LedgerChain.Verdict {
        if let untrusted = heads.start {
            return LedgerChain.Verdict(entries: 0, firstBroken: untrusted.entry, reason: untrusted.reason)
        }
        var hash = LedgerChain.genesis
        var count = 0
        var latest: [String: [UInt8]] = [:]
        let entries = try db.cursor("SELECT seq, kind, subject, body, hash FROM ledger ORDER BY seq", [])
        while let row = try entries.next() {
            let seq: Int64 = row["seq"]
            guard seq == Int64(count) + 1 else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "ledger entry \(count + 1)", reason: "missing")
            }
            let body: [UInt8] = row["body"]
            hash = LedgerChain.next(after: hash, body)
            guard hash == row["hash"] else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "ledger entry \(seq)",
                    reason: "its bytes or a previous entry were altered")
            }
            if let finding = heads.visit(seq: UInt64(seq), chainHash: hash) {
                return LedgerChain.Verdict(entries: count, firstBroken: finding.entry, reason: finding.reason)
            }
            latest[(row["kind"] as String) + " " + (row["subject"] as String)] = body
            count += 1
        }
        if let finding = heads.finish(size: UInt64(count)) {
            return LedgerChain.Verdict(entries: count, firstBroken: finding.entry, reason: finding.reason)
        }
        for (table, kind) in [("violations", "violation"), ("cases", "case"), ("sanctions", "sanction")] {
            let rows = try db.cursor("SELECT id, body FROM \(table)", [])
            while let row = try rows.next() {
                let id: String = row["id"]
                guard latest["\(kind) \(id)"] == row["body"] as [UInt8] else {
                    return LedgerChain.Verdict(
                        entries: count, firstBroken: "\(kind) \(id)", reason: "the row differs from the ledger")
                }
            }
        }
        return LedgerChain.Verdict(entries: count)
    }
}

extension EnforcementStore {
    func registration(_ id: RegistrationID) throws -> Registration? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM registrations WHERE id = ?", [.text(id.rawValue)]) as Data?)
                .flatMap(Registration.init(serialized:))
        }
    }

    func registrationStatus(_ id: RegistrationID) throws -> (status: RegistrationStatus, watched: Bool)? {
        try database.read { db in
            try db.fetchOne("SELECT status, watched FROM registrations WHERE id = ?", [.text(id.rawValue)]).map {
                (RegistrationStatus(rawValue: $0["status"] as String? ?? "") ?? .rejected, $0["watched"] as Int? == 1)
            }
        }
    }

    func watchedRegistrations(ofAccounts accounts: Set<AccountID>) throws -> [Registration] {
        guard !accounts.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: accounts.count).joined(separator: ", ")
        return try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM registrations WHERE watched = 1 AND account IN (\(marks))",
                    accounts.sorted().map { .text($0.rawValue) }) as [Data]).compactMap(Registration.init(serialized:))
        }
    }

    func watchedRegistrationsWithoutAccount() throws -> [Registration] {
        try database.read { db in
            try (db.fetchColumn("SELECT body FROM registrations WHERE watched = 1 AND account IS NULL") as [Data])
                .compactMap(Registration.init(serialized:))
        }
    }

    func registrationsInReview() throws -> [Registration] {
        try database.read { db in
            try (db.fetchColumn("SELECT body FROM registrations WHERE status = ?", [.text("pending-review")]) as [Data])
                .compactMap(Registration.init(serialized:))
        }
    }

    func watchedCount() throws -> Int {
        try database.read { db in try db.fetchValue("SELECT COUNT(*) FROM registrations WHERE watched = 1") ?? 0 }
    }

    func closingRecords() throws -> [PartyID: ClosingRecord] {
        let closed: [RegistrationStatus] = [.won, .lost, .withdrawn, .expired]
        let marks = Array(repeating: "?", count: closed.count).joined(separator: ", ")
        return try database.read { db in
            var records: [PartyID: ClosingRecord] = [:]
            for row in try db.fetchAll(
                "SELECT registrant, status, COUNT(*) AS n FROM registrations WHERE status IN (\(marks)) "
                    + "GROUP BY registrant, status", closed.map { .text($0.rawValue) })
            {
                guard let registrant = row["registrant"] as String?,
                    let status = RegistrationStatus(rawValue: row["status"])
                else { continue }
                records[PartyID(registrant), default: ClosingRecord()].count(status, times: row["n"])
            }
            return records
        }
    }

    func accountIndexChanges(after seq: UInt64?, _ visit: (AccountIndexChange) throws -> Void) throws {
        let after: SQLValue = seq.map { .int($0) } ?? .integer(-1)
        try database.snapshot { db in
            // Two runs in seq order, merged: the registrations' and the accounts' (a seq is one event, so one row;
            // rows filled by `fillWatchColumns` without an observation share seq 0, registrations first).
            let spellings = try db.cursor(
                "SELECT seq, id, body FROM registrations WHERE seq > ? AND account IS NOT NULL ORDER BY seq, id",
                [after])
            let accounts = try db.cursor(
                "SELECT seq, id, body FROM accounts WHERE seq > ? ORDER BY seq, id", [after])
            var spelling = try Self.nextSpelling(spellings)
            var account = try Self.nextAccount(accounts)
            while spelling != nil || account != nil {
                if let next = spelling, account.map({ next.seq <= $0.seq }) ?? true {
                    try visit(next.change)
                    spelling = try Self.nextSpelling(spellings)
                } else if let next = account {
                    try visit(next.change)
                    account = try Self.nextAccount(accounts)
                }
            }
        }
    }

    /// The next registration row of `rows` that names an account, as a spelling of it.
    private static func nextSpelling(_ rows: any SQLCursor) throws -> (seq: Int64, change: AccountIndexChange)? {
        while let row = try rows.next() {
            guard let registration = Registration(serialized: row["body"]), let account = registration.account
            else { continue }
            return (row["seq"], .spelling(account, registration.request.customer))
        }
        return nil
    }

    /// The next readable account row of `rows`.
    private static func nextAccount(_ rows: any SQLCursor) throws -> (seq: Int64, change: AccountIndexChange)? {
        while let row = try rows.next() {
            guard let wire = try? Dealreg_V1_Account(serializedBytes: row["body"] as [UInt8]),
                let account = Account(wire: wire)
            else { continue }
            return (row["seq"], .account(account))
        }
        return nil
    }

    func mergedAccounts() throws -> [AccountID: AccountID] {
        try database.read { db in
            var merged: [AccountID: AccountID] = [:]
            for row in try db.fetchAll("SELECT id, merged_into FROM accounts WHERE merged_into <> ''") {
                merged[AccountID(row[0] as String)] = AccountID(row[1] as String)
            }
            return merged
        }
    }

    func bookingAnswer(_ order: OrderID) throws -> BookingAnswer? {
        try database.read { db in
            try db.fetchOne("SELECT fingerprint, reply FROM bookings WHERE order_id = ?", [.text(order.rawValue)])
                .map { BookingAnswer(fingerprint: $0["fingerprint"], reply: $0["reply"]) }
        }
    }

    func booking(_ order: OrderID) throws -> Booking? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM bookings WHERE order_id = ?", [.text(order.rawValue)]) as [UInt8]?)
                .flatMap { (try? Dealreg_V1_Booking(serializedBytes: $0)).flatMap { try? Booking(wire: $0) } }
        }
    }

    func bookings() throws -> [Booking] {
        try database.snapshot { db in
            try (db.fetchColumn("SELECT body FROM bookings") as [[UInt8]]).compactMap {
                (try? Dealreg_V1_Booking(serializedBytes: $0)).flatMap { try? Booking(wire: $0) }
            }
        }
    }

    func lastNumbers() throws -> (violation: Int64, sanction: Int64) {
        try database.read { db in
            (
                try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM violations") ?? 0,
                try db.fetchValue("SELECT COALESCE(MAX(number), 0) FROM sanctions") ?? 0
            )
        }
    }

    func hasViolation(_ type: ViolationType, party: PartyID) throws -> Bool {
        try database.read { db in
            try db.exists(
                "SELECT 1 FROM violations WHERE type = ? AND party = ? LIMIT 1",
                [.text(type.rawValue), .text(party.rawValue)])
        }
    }

    func hasViolation(_ type: ViolationType, order: OrderID, registration: RegistrationID) throws -> Bool {
        try database.read { db in
            try db.exists(
                "SELECT 1 FROM violations WHERE type = ? AND order_id = ? AND registration_id = ? LIMIT 1",
                [.text(type.rawValue), .text(order.rawValue), .text(registration.rawValue)])
        }
    }

    func violations(party: PartyID?, afterNumber: Int64, limit: Int) throws -> [DetectedViolation] {
        try database.read { db in
            let bodies: [Data] =
                if let party {
                    try db.fetchColumn(
                        "SELECT body FROM violations WHERE party = ? AND number > ? ORDER BY number LIMIT ?",
                        [.text(party.rawValue), .integer(afterNumber), .int(limit)])
                } else {
                    try db.fetchColumn(
                        "SELECT body FROM violations WHERE number > ? ORDER BY number LIMIT ?",
                        [.integer(afterNumber), .int(limit)])
                }
            return bodies.compactMap(DetectedViolation.init(serialized:))
        }
    }

    func enforcementCase(_ id: ViolationID) throws -> EnforcementCase? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM cases WHERE id = ?", [.text(id.rawValue)]) as Data?)
                .flatMap(EnforcementCase.init(serialized:))
        }
    }

    func cases(party: PartyID?, state: EnforcementCase.State?, after: ViolationID, limit: Int) throws
        -> [EnforcementCase]
    {
        try database.read { db in
            var sql = "SELECT body FROM cases WHERE id > ?"
            var arguments: [SQLValue] = [.text(after.rawValue)]
            if let party {
                sql += " AND party = ?"
                arguments.append(.text(party.rawValue))
            }
            if let state {
                sql += " AND state = ?"
                arguments.append(.int(state.wire.rawValue))
            }
            arguments.append(.int(limit))
            return try (db.fetchColumn(sql + " ORDER BY id LIMIT ?", arguments) as [Data])
                .compactMap(EnforcementCase.init(serialized:))
        }
    }

    func standingCases(of party: PartyID) throws -> Int {
        let standing = EnforcementCase.State.allCases.filter(\.isStanding).map(\.wire.rawValue)
        let marks = Array(repeating: "?", count: standing.count).joined(separator: ", ")
        return try database.read { db in
            try db.fetchValue(
                "SELECT COUNT(*) FROM cases WHERE party = ? AND state IN (\(marks))",
                [.text(party.rawValue)] + standing.map { .int($0) }) ?? 0
        }
    }

    func sanction(_ id: SanctionID) throws -> Sanction? {
        try database.read { db in
            try (db.fetchValue("SELECT body FROM sanctions WHERE id = ?", [.text(id.rawValue)]) as Data?)
                .flatMap(Sanction.init(serialized:))
        }
    }

    func sanctions(party: PartyID?, unapplied: Bool = false, active: Bool = false) throws -> [Sanction] {
        try database.read { db in
            var sql = "SELECT body FROM sanctions WHERE 1 = 1"
            var arguments: [SQLValue] = []
            if let party {
                sql += " AND party = ?"
                arguments.append(.text(party.rawValue))
            }
            if unapplied { sql += " AND registry_applied = 0" }
            if active { sql += " AND active = 1" }
            return try (db.fetchColumn(sql + " ORDER BY number", arguments) as [Data])
                .compactMap(Sanction.init(serialized:))
        }
    }

    func escalations() throws -> [Escalation] {
        try database.read { db in
            try (db.fetchColumn("SELECT body FROM escalations ORDER BY escalated_at, registration_id") as [Data])
                .compactMap(Escalation.init(serialized:))
        }
    }
}

extension EnforcementStore {
    func witnessedHeads(newest: Int) throws -> [LedgerHead] {
        try database.read { db in
            try
                (db.fetchColumn(
                    "SELECT body FROM ledger WHERE kind = 'witness' AND subject = 'registry' ORDER BY seq DESC LIMIT ?",
                    [.int(newest)]) as [[UInt8]]).compactMap {
                    (try? Dealreg_V1_SignedHead(serializedBytes: $0)).flatMap(LedgerHead.init(wire:))
                }
        }
    }

    func citations(newest: Int) throws -> [AuditPlan.Citation] {
        try database.read { db in
            try db.fetchAll(
                "SELECT id, registration_id FROM violations WHERE registration_id <> '' ORDER BY number DESC LIMIT ?",
                [.int(newest)]
            ).map {
                AuditPlan.Citation(registrationID: $0["registration_id"], citedBy: "violation \($0["id"] as String)")
            }
        }
    }
}
