import DealModel
import DealStore
import DealWire
import Foundation
import GRDB

/// Enforcement's own SQLite database (WAL, synchronous=FULL): its cursor in the registry's event log, the
/// parties it knows, and what it observed. Thread-safe through GRDB; used from the reactor thread.
final class EnforcementStore {
    let queue: DatabaseQueue
    /// The last ledger entry's seq and hash (`LedgerChain`); enforcement is the only writer of its store.
    private var ledgerHead: (seq: Int64, hash: [UInt8]) = (0, LedgerChain.genesis)

    init(file: URL, mustExist: Bool = false) throws {
        queue = try DurableDatabase.open(
            file,
            migrations: [
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
            ], mustExist: mustExist)
        ledgerHead =
            try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
                    .map { ($0["seq"], [UInt8]($0["hash"] as Data)) }
            } ?? (0, LedgerChain.genesis)
    }

    func cursor() throws -> UInt64 {
        try queue.read { db in UInt64(try Int64.fetchOne(db, sql: "SELECT seq FROM cursor") ?? 0) }
    }

    func parties() throws -> [(id: String, kind: String, publicKey: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, public_key FROM parties").map {
                ($0["id"], $0["kind"], $0["public_key"])
            }
        }
    }

    /// Records the events and moves the cursor past them in one fsynced transaction; replays are harmless.
    func record(_ events: [WireEvent]) throws {
        guard let last = events.last else { return }
        try queue.write { db in
            for event in events {
                switch event.payload {
                case .registration(let registration)?:
                    try db.cachedStatement(sql: "INSERT OR REPLACE INTO registrations (id, body) VALUES (?, ?)")
                        .execute(arguments: [registration.id, try registration.serializedBytes() as Data])
                    try db.execute(
                        sql:
                            "INSERT OR IGNORE INTO observations (seq, time, topic, subject, detail) VALUES (?, ?, ?, ?, ?)",
                        arguments: [
                            Int64(event.seq), event.time, "registration", registration.id,
                            "\(registration.holder) \(registration.status)",
                        ])
                case .party(let party)?:
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO parties (id, kind, public_key) VALUES (?, ?, ?)",
                        arguments: [party.id, PartyKind(wire: party.kind)?.rawValue ?? "", party.publicKey])
                    try db.execute(
                        sql:
                            "INSERT OR IGNORE INTO observations (seq, time, topic, subject, detail) VALUES (?, ?, ?, ?, ?)",
                        arguments: [Int64(event.seq), event.time, "party", party.id, "\(party.kind)"])
                case nil:
                    break
                }
            }
            try db.execute(sql: "UPDATE cursor SET seq = MAX(seq, ?)", arguments: [Int64(last.seq)])
        }
    }

    /// Registration `id` as last published, settled ones included.
    func registration(_ id: RegistrationID) throws -> Registration? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM registrations WHERE id = ?", arguments: [id.rawValue])
                .flatMap(Registration.init(serialized:))
        }
    }

    /// Every registration as the registry last published it (enforcement's mirror of the registry's state).
    func registrations() throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM registrations").compactMap(Registration.init(serialized:))
        }
    }

    /// The stored answer to booking `orderID`, with the fingerprint of the booking it answered.
    func booking(_ orderID: String) throws -> (fingerprint: String, reply: [UInt8])? {
        try queue.read { db in
            try Row.fetchOne(
                db, sql: "SELECT fingerprint, reply FROM bookings WHERE order_id = ?", arguments: [orderID]
            )
            .map { ($0["fingerprint"], [UInt8]($0["reply"] as Data)) }
        }
    }

    func lastViolationNumber() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM violations") ?? 0 }
    }

    /// Records bookings (with the violations they revealed), violations found otherwise, and cases and sanctions,
    /// each with its ledger entries, in one fsynced transaction: all of it is durable, or none.
    func commit(
        bookings: [RecordedBooking] = [], violations: [Dealreg_V1_Violation] = [], cases: [Dealreg_V1_Case] = [],
        sanctions: [Dealreg_V1_Sanction] = []
    ) throws {
        guard !(bookings.isEmpty && violations.isEmpty && cases.isEmpty && sanctions.isEmpty) else { return }
        var head = ledgerHead
        try queue.write { db in
            for booking in bookings {
                try db.execute(
                    sql: """
                        INSERT INTO bookings (order_id, fingerprint, booked_by, received_at, body, reply)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        booking.booking.orderID, booking.fingerprint, booking.booking.bookedBy.rawValue,
                        booking.receivedAt, try booking.booking.wire.serializedBytes() as Data, Data(booking.reply),
                    ])
                for violation in booking.violations { try Self.insert(violation, db, &head) }
            }
            for violation in violations { try Self.insert(violation, db, &head) }
            for record in cases {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO cases (id, party, state, body) VALUES (?, ?, ?, ?)",
                    arguments: [
                        record.id, record.violation.party, record.state.rawValue, try record.serializedBytes() as Data,
                    ])
                try Self.append(db, &head, kind: "case", subject: record.id, try record.serializedBytes())
            }
            for sanction in sanctions {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO sanctions (number, id, party, active, registry_applied, body)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Int64(sanction.id.dropFirst(2)) ?? 0, sanction.id, sanction.party, sanction.active,
                        sanction.registryApplied, try sanction.serializedBytes() as Data,
                    ])
                try Self.append(db, &head, kind: "sanction", subject: sanction.id, try sanction.serializedBytes())
            }
        }
        ledgerHead = head
    }

    func hasViolation(_ type: ViolationType, party: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM violations WHERE type = ? AND party = ?)",
                arguments: [type.rawValue, party]) ?? false
        }
    }

    /// Whether a violation of `type` already ties `orderID` to `registrationID` (a replayed event finds it).
    func hasViolation(_ type: ViolationType, orderID: String, registrationID: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM violations WHERE type = ? AND order_id = ? AND registration_id = ?)
                    """, arguments: [type.rawValue, orderID, registrationID]) ?? false
        }
    }

    /// Every recorded booking, to index them again at start.
    func bookings() throws -> [Booking] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM bookings").compactMap {
                (try? Dealreg_V1_Booking(serializedBytes: $0)).flatMap { try? Booking(wire: $0) }
            }
        }
    }

    private static func insert(
        _ violation: Dealreg_V1_Violation, _ db: Database, _ head: inout (seq: Int64, hash: [UInt8])
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO violations (number, id, type, party, order_id, registration_id, detected_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                Int64(violation.id.dropFirst(2)) ?? 0, violation.id,
                ViolationType(wire: violation.type)?.rawValue ?? "",
                violation.party, violation.orderID, violation.registrationID, violation.detectedAt,
                try violation.serializedBytes() as Data,
            ])
        try append(db, &head, kind: "violation", subject: violation.id, try violation.serializedBytes())
    }

    /// Appends one ledger entry inside the caller's transaction.
    private static func append(
        _ db: Database, _ head: inout (seq: Int64, hash: [UInt8]), kind: String, subject: String, _ body: [UInt8]
    ) throws {
        let hash = LedgerChain.next(after: head.hash, body)
        try db.cachedStatement(sql: "INSERT INTO ledger (seq, kind, subject, body, hash) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [head.seq + 1, kind, subject, Data(body), Data(hash)])
        head = (head.seq + 1, hash)
    }

    /// Recomputes the ledger's hash chain, then checks every violation, case and sanction row against its latest
    /// ledger entry: a hand-edited row or entry, or a removed entry, is named.
    static func verify(readingOnly file: URL) throws -> LedgerChain.Verdict {
        try DurableDatabase.openReadOnly(file).read { db in
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
                latest[(row["kind"] as String) + " " + (row["subject"] as String)] = body
                count += 1
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

    /// A page of violations, of `party` only when given, in detection order.
    func violations(party: String?, afterNumber: Int64, limit: Int) throws -> [Dealreg_V1_Violation] {
        try queue.read { db in
            let bodies: [Data] =
                if let party {
                    try Data.fetchAll(
                        db, sql: "SELECT body FROM violations WHERE party = ? AND number > ? ORDER BY number LIMIT ?",
                        arguments: [party, afterNumber, limit])
                } else {
                    try Data.fetchAll(
                        db, sql: "SELECT body FROM violations WHERE number > ? ORDER BY number LIMIT ?",
                        arguments: [afterNumber, limit])
                }
            return bodies.compactMap { try? Dealreg_V1_Violation(serializedBytes: $0) }
        }
    }
}

extension EnforcementStore {
    func enforcementCase(_ id: String) throws -> Dealreg_V1_Case? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM cases WHERE id = ?", arguments: [id])
                .flatMap { try? Dealreg_V1_Case(serializedBytes: $0) }
        }
    }

    /// A page of cases in id (detection) order, of `party` and in `state` only when given.
    func cases(party: String?, state: Dealreg_V1_CaseState?, afterID: String, limit: Int) throws -> [Dealreg_V1_Case] {
        try queue.read { db in
            var sql = "SELECT body FROM cases WHERE id > ?"
            var arguments: [any DatabaseValueConvertible] = [afterID]
            if let party {
                sql += " AND party = ?"
                arguments.append(party)
            }
            if let state {
                sql += " AND state = ?"
                arguments.append(state.rawValue)
            }
            arguments.append(limit)
            return try Data.fetchAll(db, sql: sql + " ORDER BY id LIMIT ?", arguments: StatementArguments(arguments))
                .compactMap { try? Dealreg_V1_Case(serializedBytes: $0) }
        }
    }

    /// Cases of `party` that stand confirmed (confirmed, appealed or upheld): the rung of its sanctions ladder.
    func confirmedCases(of party: String) throws -> Int {
        try queue.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM cases WHERE party = ? AND state IN (?, ?, ?)",
                arguments: [
                    party, Dealreg_V1_CaseState.confirmed.rawValue, Dealreg_V1_CaseState.appealed.rawValue,
                    Dealreg_V1_CaseState.upheld.rawValue,
                ]) ?? 0
        }
    }

    func lastSanctionNumber() throws -> Int64 {
        try queue.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM sanctions") ?? 0 }
    }

    func sanction(_ id: String) throws -> Dealreg_V1_Sanction? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM sanctions WHERE id = ?", arguments: [id])
                .flatMap { try? Dealreg_V1_Sanction(serializedBytes: $0) }
        }
    }

    /// Sanctions of `party` (nil: all), oldest first; `unapplied`: only those the registry has yet to apply;
    /// `active`: only those in force.
    func sanctions(party: String?, unapplied: Bool = false, active: Bool = false) throws -> [Dealreg_V1_Sanction] {
        try queue.read { db in
            var sql = "SELECT body FROM sanctions WHERE 1"
            var arguments: [any DatabaseValueConvertible] = []
            if let party {
                sql += " AND party = ?"
                arguments.append(party)
            }
            if unapplied { sql += " AND registry_applied = 0" }
            if active { sql += " AND active = 1" }
            return try Data.fetchAll(db, sql: sql + " ORDER BY number", arguments: StatementArguments(arguments))
                .compactMap { try? Dealreg_V1_Sanction(serializedBytes: $0) }
        }
    }
}

extension EnforcementStore {
    func escalations() throws -> [Dealreg_V1_Escalation] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM escalations ORDER BY escalated_at, registration_id")
                .compactMap { try? Dealreg_V1_Escalation(serializedBytes: $0) }
        }
    }

    func save(_ escalations: [Dealreg_V1_Escalation]) throws {
        guard !escalations.isEmpty else { return }
        try queue.write { db in
            for escalation in escalations {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO escalations (registration_id, escalated_at, body) VALUES (?, ?, ?)",
                    arguments: [
                        escalation.registrationID, escalation.escalatedAt, try escalation.serializedBytes() as Data,
                    ])
            }
        }
    }
}

/// A booking as enforcement keeps it: the request's fingerprint, the violations found and the reply sent.
struct RecordedBooking {
    var booking: Booking
    var fingerprint: String
    var receivedAt: Int64
    var violations: [Dealreg_V1_Violation]
    var reply: [UInt8]
}
