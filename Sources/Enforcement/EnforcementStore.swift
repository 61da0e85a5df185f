import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import GRDB

/// Enforcement's own SQLite database (WAL, synchronous=FULL): its cursor in the registry's event log, the parties,
/// registrations and merged accounts it mirrors, and what it observed and decided, each decision entered in a
/// hash-chained ledger. Rows keep the wire form (protobuf bytes); the core reads and writes DealModel values.
/// Thread-safe through GRDB; used from the reactor thread.
final class EnforcementStore: EnforcementRecords {
    let queue: DatabaseQueue
    /// The ledger: its chain, Merkle tree and signed heads (`SignedLedger`); enforcement is the only writer.
    private(set) var ledger: SignedLedger
    /// Signs the heads, with a key kept outside the database.
    let signer: LedgerSigner
    /// The public keys enforcement's heads may carry (the current key's first).
    let keyring: LedgerKeyring

    /// The schema, as numbered migrations.
    private static let migrations = [
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
    ]

    /// The store in `file`, its heads signed with `ledgerKey`.
    convenience init(file: URL, mustExist: Bool = false, ledgerKey: LedgerKey) throws {
        try self.init(
            DurableDatabase.open(file, migrations: Self.migrations, mustExist: mustExist), ledgerKey: ledgerKey)
    }

    /// A store in memory, for the core's unit tests.
    convenience init(ledgerKey: LedgerKey = LedgerKey(service: "enforcement")) throws {
        try self.init(DurableDatabase.inMemory(migrations: Self.migrations), ledgerKey: ledgerKey)
    }

    private init(_ queue: DatabaseQueue, ledgerKey: LedgerKey) throws {
        self.queue = queue
        signer = ledgerKey.signer()
        keyring = ledgerKey.keyring
        let signer = signer
        ledger = try queue.write { db in
            try SignedLedger.open(
                service: "enforcement", prefix: "ledger", log: "ledger", signer: signer,
                at: Int64(Date().timeIntervalSince1970), db)
        }
    }

    /// The leaf hashes of entries `first...last` (`MerkleTree.leafHash`), in order.
    static func leaves(_ db: Database, from first: UInt64, to last: UInt64) throws -> [[UInt8]] {
        try SignedLedger.leaves(of: "ledger", db, from: first, to: last)
    }

    /// The newest signed head.
    var ledgerHead: LedgerHead { ledger.newestHead }

    /// Signs and keeps the head of the ledger as it is: at shutdown, so the last head is kept whatever the second.
    func keepHead(at time: Int64) throws {
        try SignedLedger.keepHead(of: &ledger, in: queue, by: signer, at: time)
    }

    func cursor() throws -> UInt64 {
        try queue.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT seq FROM cursor") ?? 0) }
    }

    func parties() throws -> [Party] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, public_key FROM parties").compactMap { row in
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
        try queue.write { db in
            for change in changes {
                switch change {
                case .registration(let registration, let seq, let time):
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO registrations (id, body) VALUES (?, ?)")
                        .execute(arguments: [registration.id.rawValue, try registration.wire.serializedBytes() as Data])
                    try Self.observe(
                        db, seq: seq, time: time, topic: "registration", subject: registration.id.rawValue,
                        detail: "\(registration.holder) \(registration.status)")
                case .party(let party, let seq, let time):
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO parties (id, kind, public_key) VALUES (?, ?, ?)",
                        arguments: [party.id.rawValue, party.kind.rawValue, party.publicKey])
                    try Self.observe(
                        db, seq: seq, time: time, topic: "party", subject: party.id.rawValue,
                        detail: "\(party.kind)")
                case .account(let account, let seq, let time):
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO accounts (id, merged_into, body) VALUES (?, ?, ?)",
                        arguments: [
                            account.id.rawValue, account.mergedInto?.rawValue ?? "",
                            try account.wire.serializedBytes() as Data,
                        ])
                    try Self.observe(
                        db, seq: seq, time: time, topic: "account", subject: account.id.rawValue,
                        detail: account.mergedInto.map { "merged into \($0)" } ?? "open")
                case .link(let link, let seq, let time):
                    try Self.observe(
                        db, seq: seq, time: time, topic: "link", subject: "\(link.pair)",
                        detail: link.state.rawValue)
                case .cursor(let seq):
                    try db.execute(sql: "UPDATE cursor SET seq = MAX(seq, ?)", arguments: [Int64(seq)])
                case .booking(let recorded):
                    let booking = recorded.booking
                    try db.execute(
                        sql: """
                            INSERT INTO bookings (order_id, fingerprint, booked_by, received_at, body, reply)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            booking.orderID, recorded.fingerprint, booking.bookedBy.rawValue, recorded.receivedAt,
                            try booking.wire.serializedBytes() as Data, Data(recorded.reply),
                        ])
                    for violation in recorded.violations { try Self.insert(violation, db, &head) }
                case .detected(let violation):
                    try Self.insert(violation, db, &head)
                case .enforcementCase(let record):
                    let body: [UInt8] = try record.wire.serializedBytes()
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO cases (id, party, state, body) VALUES (?, ?, ?, ?)",
                        arguments: [record.id.rawValue, record.party.rawValue, record.state.wire.rawValue, Data(body)])
                    try Self.append(db, &head, kind: "case", subject: record.id.rawValue, body)
                case .imposed(let sanction), .lifted(let sanction), .registryApplied(let sanction):
                    let body: [UInt8] = try sanction.wire.serializedBytes()
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO sanctions (number, id, party, active, registry_applied, body)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            sanction.id.number ?? 0, sanction.id.rawValue, sanction.party.rawValue, sanction.active,
                            sanction.registryApplied, Data(body),
                        ])
                    try Self.append(db, &head, kind: "sanction", subject: sanction.id.rawValue, body)
                case .escalation(let escalation):
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO escalations (registration_id, escalated_at, body) VALUES (?, ?, ?)",
                        arguments: [
                            escalation.registrationID.rawValue, escalation.escalatedAt,
                            try escalation.wire.serializedBytes() as Data,
                        ])
                case .witness(let registryHead):
                    try Self.append(
                        db, &head, kind: "witness", subject: "registry", try registryHead.wire.serializedBytes())
                }
            }
            try head.sign(at: time, by: signer, db)
        }
        ledger = head
    }

    private static func observe(
        _ db: Database, seq: UInt64, time: Int64, topic: String, subject: String, detail: String
    ) throws {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO observations (seq, time, topic, subject, detail) VALUES (?, ?, ?, ?, ?)"
        ).execute(arguments: [Int64(seq), time, topic, subject, detail])
    }

    private static func insert(_ violation: DetectedViolation, _ db: Database, _ head: inout SignedLedger) throws {
        let body: [UInt8] = try violation.wire.serializedBytes()
        try db.execute(
            sql: """
                INSERT INTO violations (number, id, type, party, order_id, registration_id, detected_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                violation.id.number ?? 0, violation.id.rawValue, violation.type.rawValue, violation.party.rawValue,
                violation.violation.orderID, violation.violation.registrationID.rawValue, violation.detectedAt,
                Data(body),
            ])
        try append(db, &head, kind: "violation", subject: violation.id.rawValue, body)
    }

    /// Appends one ledger entry inside the caller's transaction.
    private static func append(
        _ db: Database, _ ledger: inout SignedLedger, kind: String, subject: String, _ body: [UInt8]
    ) throws {
        let seq = ledger.size + 1
        let hash = try ledger.append(seq: seq, body, db)
        try db.cachedStatement(sql: "INSERT INTO ledger (seq, kind, subject, body, hash) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [Int64(seq), kind, subject, Data(body), Data(hash)])
    }

    /// Recomputes the ledger's hash chain, then checks every violation, case and sanction row against its latest
    /// ledger entry: a hand-edited row or entry, or a removed entry, is named.
    static func verify(readingOnly file: URL, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try verify(DurableDatabase.openReadOnly(file), plan)
    }

    static func verify(_ reader: some DatabaseReader, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try reader.read { db in
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
    private static func verify(_ db: Database, _ heads: inout HeadAudit) throws -> LedgerChain.Verdict {
        if let untrusted = heads.start {
            return LedgerChain.Verdict(entries: 0, firstBroken: untrusted.entry, reason: untrusted.reason)
        }
        var hash = LedgerChain.genesis
        var count = 0
        var latest: [String: [UInt8]] = [:]
        let entries = try Row.fetchCursor(db, sql: "SELECT seq, kind, subject, body, hash FROM ledger ORDER BY seq")
        while let row = try entries.next() {
            let seq: Int64 = row["seq"]
            guard seq == Int64(count) + 1 else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "ledger entry \(count + 1)", reason: "missing")
            }
            let body = [UInt8](row["body"] as Data)
            hash = LedgerChain.next(after: hash, body)
            guard hash == [UInt8](row["hash"] as Data) else {
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
            let rows = try Row.fetchCursor(db, sql: "SELECT id, body FROM \(table)")
            while let row = try rows.next() {
                let id: String = row["id"]
                guard latest["\(kind) \(id)"] == [UInt8](row["body"] as Data) else {
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
        try queue.read { db in
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT body FROM registrations WHERE id = ?"), arguments: [id.rawValue]
            )
            .flatMap(Registration.init(serialized:))
        }
    }

    func registrations() throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM registrations").compactMap(Registration.init(serialized:))
        }
    }

    func mergedAccounts() throws -> [AccountID: AccountID] {
        try queue.read { db in
            var merged: [AccountID: AccountID] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, merged_into FROM accounts WHERE merged_into != ''")
            while let row = try rows.next() { merged[AccountID(row[0] as String)] = AccountID(row[1] as String) }
            return merged
        }
    }

    func bookingAnswer(_ order: OrderID) throws -> BookingAnswer? {
        try queue.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT fingerprint, reply FROM bookings WHERE order_id = ?"),
                arguments: [order.rawValue]
            )
            .map { BookingAnswer(fingerprint: $0["fingerprint"], reply: [UInt8]($0["reply"] as Data)) }
        }
    }

    func bookings() throws -> [Booking] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM bookings").compactMap {
                (try? Dealreg_V1_Booking(serializedBytes: $0)).flatMap { try? Booking(wire: $0) }
            }
        }
    }

    func lastNumbers() throws -> (violation: Int64, sanction: Int64) {
        try queue.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM violations") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM sanctions") ?? 0
            )
        }
    }

    func hasViolation(_ type: ViolationType, party: PartyID) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM violations WHERE type = ? AND party = ?)"),
                arguments: [type.rawValue, party.rawValue]) ?? false
        }
    }

    func hasViolation(_ type: ViolationType, order: OrderID, registration: RegistrationID) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM violations WHERE type = ? AND order_id = ? AND registration_id = ?)
                    """, arguments: [type.rawValue, order.rawValue, registration.rawValue]) ?? false
        }
    }

    func violations(party: PartyID?, afterNumber: Int64, limit: Int) throws -> [DetectedViolation] {
        try queue.read { db in
            let bodies: [Data] =
                if let party {
                    try Data.fetchAll(
                        db, sql: "SELECT body FROM violations WHERE party = ? AND number > ? ORDER BY number LIMIT ?",
                        arguments: [party.rawValue, afterNumber, limit])
                } else {
                    try Data.fetchAll(
                        db, sql: "SELECT body FROM violations WHERE number > ? ORDER BY number LIMIT ?",
                        arguments: [afterNumber, limit])
                }
            return bodies.compactMap(DetectedViolation.init(serialized:))
        }
    }

    func enforcementCase(_ id: ViolationID) throws -> EnforcementCase? {
        try queue.read { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT body FROM cases WHERE id = ?"), arguments: [id.rawValue])
                .flatMap(EnforcementCase.init(serialized:))
        }
    }

    func cases(party: PartyID?, state: EnforcementCase.State?, after: ViolationID, limit: Int) throws
        -> [EnforcementCase]
    {
        try queue.read { db in
            var sql = "SELECT body FROM cases WHERE id > ?"
            var arguments: [any DatabaseValueConvertible] = [after.rawValue]
            if let party {
                sql += " AND party = ?"
                arguments.append(party.rawValue)
            }
            if let state {
                sql += " AND state = ?"
                arguments.append(state.wire.rawValue)
            }
            arguments.append(limit)
            return try Data.fetchAll(db, sql: sql + " ORDER BY id LIMIT ?", arguments: StatementArguments(arguments))
                .compactMap(EnforcementCase.init(serialized:))
        }
    }

    func standingCases(of party: PartyID) throws -> Int {
        let standing = EnforcementCase.State.allCases.filter(\.isStanding).map(\.wire.rawValue)
        let marks = Array(repeating: "?", count: standing.count).joined(separator: ", ")
        var arguments: [any DatabaseValueConvertible] = [party.rawValue]
        arguments += standing.map { $0 as any DatabaseValueConvertible }
        return try queue.read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM cases WHERE party = ? AND state IN (\(marks))"),
                arguments: StatementArguments(arguments)) ?? 0
        }
    }

    func sanction(_ id: SanctionID) throws -> Sanction? {
        try queue.read { db in
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT body FROM sanctions WHERE id = ?"), arguments: [id.rawValue]
            )
            .flatMap(Sanction.init(serialized:))
        }
    }

    func sanctions(party: PartyID?, unapplied: Bool = false, active: Bool = false) throws -> [Sanction] {
        try queue.read { db in
            var sql = "SELECT body FROM sanctions WHERE 1"
            var arguments: [any DatabaseValueConvertible] = []
            if let party {
                sql += " AND party = ?"
                arguments.append(party.rawValue)
            }
            if unapplied { sql += " AND registry_applied = 0" }
            if active { sql += " AND active = 1" }
            return try Data.fetchAll(db, sql: sql + " ORDER BY number", arguments: StatementArguments(arguments))
                .compactMap(Sanction.init(serialized:))
        }
    }

    func escalations() throws -> [Escalation] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM escalations ORDER BY escalated_at, registration_id")
                .compactMap(Escalation.init(serialized:))
        }
    }
}

extension EnforcementStore {
    func witnessedHeads(newest: Int) throws -> [LedgerHead] {
        try queue.read { db in
            try Data.fetchAll(
                db,
                sql:
                    "SELECT body FROM ledger WHERE kind = 'witness' AND subject = 'registry' ORDER BY seq DESC LIMIT ?",
                arguments: [newest]
            ).compactMap { (try? Dealreg_V1_SignedHead(serializedBytes: $0)).flatMap(LedgerHead.init(wire:)) }
        }
    }

    func citations(newest: Int) throws -> [AuditPlan.Citation] {
        try queue.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, registration_id FROM violations WHERE registration_id <> '' ORDER BY number DESC LIMIT ?",
                arguments: [newest]
            ).map {
                AuditPlan.Citation(registrationID: $0["registration_id"], citedBy: "violation \($0["id"] as String)")
            }
        }
    }
}
