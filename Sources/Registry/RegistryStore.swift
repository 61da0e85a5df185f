import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import GRDB
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
    init?(row: Row) {
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

/// The registry's SQLite database (WAL, synchronous=FULL): parties, two-tier links, registrations, the event log
/// and idempotency records. Thread-safe through GRDB's serialized queue; the registry uses it from its reactor thread.
final class RegistryStore: RegistryRecords {
    let queue: DatabaseQueue
    /// The event log as the registry's ledger: its chain, Merkle tree and signed heads (`SignedLedger`).
    private(set) var ledger: SignedLedger
    /// Signs the heads, with a key kept outside the database.
    let signer: LedgerSigner
    /// The public keys the registry's heads may carry (the current key's first).
    let keyring: LedgerKeyring
    /// The highest account number with a row: a registration naming a higher one makes its account's row, the others
    /// cost no statement for it.
    private var lastAccountNumber: Int64

    /// The schema, as numbered migrations.
    private static let migrations = [
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

    /// The store in `file`, its heads signed with `ledgerKey`.
    convenience init(file: URL, mustExist: Bool = false, ledgerKey: LedgerKey) throws {
        try self.init(
            DurableDatabase.open(file, migrations: Self.migrations, mustExist: mustExist), ledgerKey: ledgerKey)
    }

    /// A store in memory, for the core's unit tests.
    convenience init(ledgerKey: LedgerKey = LedgerKey(service: "registry")) throws {
        try self.init(DurableDatabase.inMemory(migrations: Self.migrations), ledgerKey: ledgerKey)
    }

    private init(_ queue: DatabaseQueue, ledgerKey: LedgerKey) throws {
        self.queue = queue
        signer = ledgerKey.signer()
        keyring = ledgerKey.keyring
        let signer = signer
        ledger = try queue.write { db in
            try SignedLedger.open(
                service: "registry", prefix: "registry", log: "events", signer: signer,
                at: Int64(Date().timeIntervalSince1970), db)
        }
        lastAccountNumber = try queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM accounts") ?? 0
        }
    }

    func parties() throws -> [Party] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM parties").compactMap(Self.party(from:))
        }
    }

    func links() throws -> [PartyLink] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM links ORDER BY distributor, reseller").compactMap {
                (try? Dealreg_V1_PartyLink(serializedBytes: $0)).flatMap(PartyLink.init(wire:))
            }
        }
    }

    /// The last event seq, registration number and account number committed.
    func counters() throws -> RegistryCounters {
        try queue.read { db in
            let seq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
            let number = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM registrations") ?? 0
            let account = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(number), 0) FROM accounts") ?? 0
            return RegistryCounters(seq: UInt64(seq), registrationNumber: number, accountNumber: account)
        }
    }

    func storedAnswer(principal: PartyID, requestID: String) throws -> StoredAnswer? {
        try queue.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT fingerprint, reply FROM requests WHERE principal = ? AND request_id = ?")
            return try Row.fetchOne(statement, arguments: [principal.rawValue, requestID]).map {
                StoredAnswer(
                    principal: principal, requestID: requestID, fingerprint: $0["fingerprint"],
                    reply: [UInt8]($0["reply"] as Data))
            }
        }
    }

    /// Calls `body` with the principal and request id of every stored reply, to seed the in-memory filter.
    func forEachRequestKey(_ body: (String, String) -> Void) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT principal, request_id FROM requests")
            while let row = try rows.next() { body(row[0], row[1]) }
        }
    }

    func forEachProductLines(_ body: (RegistrationID, [String]) -> Void) throws {
        try queue.read { db in
            let rows = try Data.fetchCursor(db, sql: "SELECT body FROM registrations")
            while let data = try rows.next() {
                guard let registration = Registration(serialized: data) else { continue }
                body(registration.id, registration.request.productLines)
            }
        }
    }

    func registration(_ id: RegistrationID) throws -> Registration? {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: "SELECT body FROM registrations WHERE id = ?")
            return try Data.fetchOne(statement, arguments: [id.rawValue]).flatMap(Registration.init(serialized:))
        }
    }

    /// Registrations whose latest change was committed after event `seq`: what a worker's index may lack.
    func registrations(changedAfter seq: UInt64) throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM registrations WHERE seq > ?", arguments: [Int64(seq)])
                .compactMap(Registration.init(serialized:))
        }
    }

    /// A page of registrations matching `filter`, ordered by id.
    func registrations(_ filter: RegistrationFilter, after: String, limit: Int) throws -> [Registration] {
        var conditions = ["id > ?"]
        var arguments: [any DatabaseValueConvertible] = [after]
        if let party = filter.visibleTo {
            conditions.append("(registrant = ? OR holder = ?)")
            arguments += [party.rawValue, party.rawValue]
        }
        if let status = filter.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let registrant = filter.registrant {
            conditions.append("registrant = ?")
            arguments.append(registrant.rawValue)
        }
        if let account = filter.account {
            conditions.append("account = ?")
            arguments.append(account.rawValue)
        }
        if !filter.customer.isEmpty {
            conditions.append("customer LIKE ? ESCAPE '\\'")
            let escaped = filter.customer.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            arguments.append("%\(escaped)%")
        }
        if let day = filter.protectedUntilAtMost {
            conditions.append("status = 'approved' AND protected_until <> '' AND protected_until <= ?")
            arguments.append(day.description)
        }
        arguments.append(limit)
        return try queue.read { db in
            try Data.fetchAll(
                db,
                sql:
                    "SELECT body FROM registrations WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                arguments: StatementArguments(arguments)
            ).compactMap(Registration.init(serialized:))
        }
    }

    /// APPROVED registrations whose protection ended before `day`, oldest first.
    func expired(before day: CalendarDate, limit: Int) throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT body FROM registrations WHERE status = 'approved' AND protected_until <> ''
                    AND protected_until < ? ORDER BY protected_until LIMIT ?
                    """, arguments: [day.description, limit]
            ).compactMap(Registration.init(serialized:))
        }
    }

    /// New registrations per registrant decided on or after `day` (a quota week's count so far).
    func registrationCounts(since day: CalendarDate) throws -> [PartyID: Int] {
        try queue.read { db in
            var counts: [PartyID: Int] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT registrant, COUNT(*) FROM registrations WHERE decided_on >= ? GROUP BY registrant",
                arguments: [day.description])
            while let row = try rows.next() { counts[PartyID(row[0] as String)] = row[1] }
            return counts
        }
    }

    func history(_ id: RegistrationID) throws -> [HistoryRow] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM history WHERE registration_id = ? ORDER BY seq", arguments: [id.rawValue]
            ).compactMap(HistoryRow.init(row:))
        }
    }

    /// Up to `limit` events after `seq` that concern `party` (all events when nil), as stored, with their seqs.
    func feed(_ party: PartyID?, after seq: UInt64, limit: Int) throws -> [(seq: UInt64, body: [UInt8])] {
        try queue.read { db in
            let rows =
                if let party {
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT e.seq, e.body FROM feed f JOIN events e ON e.seq = f.seq
                            WHERE f.party = ? AND f.seq > ? ORDER BY f.seq LIMIT ?
                            """, arguments: [party.rawValue, Int64(seq), limit])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                        arguments: [Int64(seq), limit])
                }
            return rows.map { (UInt64($0[0] as Int64), [UInt8]($0[1] as Data)) }
        }
    }

    /// Up to `limit` events from `seq` on, as stored (serialized `Event`s).
    func eventBodies(from seq: UInt64, limit: Int) throws -> [[UInt8]] {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: "SELECT body FROM events WHERE seq >= ? ORDER BY seq LIMIT ?")
            return try Data.fetchAll(statement, arguments: [Int64(seq), limit]).map { [UInt8]($0) }
        }
    }

    func registrations(of account: AccountID, concerningDecisionsOn day: CalendarDate, horizonDays: Int) throws
        -> [Registration]
    {
        try queue.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT body FROM registrations WHERE account = ?
                    AND ((closed_on = '' AND status IN ('approved', 'pending-review')) OR closed_on >= ?)
                    ORDER BY number
                    """)
            return try Data.fetchAll(
                statement, arguments: [account.rawValue, day.adding(days: -horizonDays).description]
            ).compactMap(Registration.init(serialized:)).filter {
                $0.concernsDecisions(on: day, horizonDays: horizonDays)
            }
        }
    }

    func registrations(of account: AccountID) throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM registrations WHERE account = ? ORDER BY number",
                arguments: [account.rawValue]
            ).compactMap(Registration.init(serialized:))
        }
    }

    func account(_ id: AccountID) throws -> Account? {
        try queue.read { db in
            try Data.fetchOne(
                db.cachedStatement(sql: "SELECT body FROM accounts WHERE id = ?"), arguments: [id.rawValue]
            ).flatMap {
                (try? Dealreg_V1_Account(serializedBytes: $0)).flatMap(Account.init(wire:))
            }
        }
    }

    func mergedAccounts() throws -> [AccountID: AccountID] {
        try queue.read { db in
            var merged: [AccountID: AccountID] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, merged_into FROM accounts WHERE state = 'merged'")
            while let row = try rows.next() { merged[AccountID(row[0] as String)] = AccountID(row[1] as String) }
            return merged
        }
    }

    func accounts(after: String, limit: Int, customer: String, doubtfulOnly: Bool) throws -> [Account] {
        var conditions = ["a.id > ?"]
        var arguments: [any DatabaseValueConvertible] = [after]
        if !customer.isEmpty {
            conditions.append(
                "EXISTS (SELECT 1 FROM registrations r WHERE r.account = a.id AND r.customer LIKE ? ESCAPE '\\')")
            let escaped = customer.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            arguments.append("%\(escaped)%")
        }
        if doubtfulOnly {
            conditions.append(
                "EXISTS (SELECT 1 FROM account_doubts d WHERE d.account = a.id OR d.other = a.id)")
        }
        arguments.append(limit)
        return try queue.read { db in
            try Data.fetchAll(
                db,
                sql:
                    "SELECT a.body FROM accounts a WHERE \(conditions.joined(separator: " AND ")) ORDER BY a.id LIMIT ?",
                arguments: StatementArguments(arguments)
            ).compactMap { (try? Dealreg_V1_Account(serializedBytes: $0)).flatMap(Account.init(wire:)) }
        }
    }

    func doubts(of account: AccountID) throws -> [Dealreg_V1_AccountDoubt] {
        try queue.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM account_doubts WHERE account = ? OR other = ? ORDER BY score DESC",
                arguments: [account.rawValue, account.rawValue]
            ).compactMap { try? Dealreg_V1_AccountDoubt(serializedBytes: $0) }
        }
    }

    func accountFigures(_ ids: [AccountID]) throws -> [AccountID: AccountFigures] {
        try queue.read { db in
            var figures: [AccountID: AccountFigures] = [:]
            for id in ids {
                let arguments: StatementArguments = [id.rawValue]
                let registrations =
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT COUNT(*) FROM registrations WHERE account = ?"),
                        arguments: arguments)
                    ?? 0
                let protections =
                    try Int.fetchOne(
                        db.cachedStatement(
                            sql: "SELECT COUNT(DISTINCT registration_id) FROM protections WHERE account = ?"),
                        arguments: arguments) ?? 0
                let doubts =
                    try Int.fetchOne(
                        db.cachedStatement(sql: "SELECT COUNT(*) FROM account_doubts WHERE account = ? OR other = ?"),
                        arguments: [id.rawValue, id.rawValue]) ?? 0
                let first = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT body FROM registrations WHERE account = ? ORDER BY number LIMIT 1"),
                    arguments: arguments
                ).flatMap(Registration.init(serialized:))?.request.customer
                figures[id] = AccountFigures(
                    registrations: registrations, protections: protections, doubts: doubts, firstCustomer: first)
            }
            return figures
        }
    }

    /// Registrations with an account (`grouped`) or from before accounts, without one, oldest first, at most `limit`
    /// after number `after`: what the grouping of a store from before accounts reads.
    func registrations(after number: Int64, limit: Int, grouped: Bool) throws -> [Registration] {
        try queue.read { db in
            try Data.fetchAll(
                db,
                sql: "SELECT body FROM registrations WHERE account \(grouped ? "<>" : "=") '' AND number > ? "
                    + "ORDER BY number LIMIT ?",
                arguments: [number, limit]
            ).compactMap(Registration.init(serialized:))
        }
    }

    /// The leaf hashes of entries `first...last` (`MerkleTree.leafHash`), in order.
    static func leaves(_ db: Database, from first: UInt64, to last: UInt64) throws -> [[UInt8]] {
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
        try queue.write { db in
            var hashes: [UInt64: (chain: [UInt8], previous: [UInt8])] = [:]
            for write in writes {
                switch write.change {
                case .party(let party):
                    try db.execute(
                        sql: """
                            INSERT INTO parties (id, kind, name, country, tier, public_key, standing)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                            country = excluded.country, tier = excluded.tier, public_key = excluded.public_key,
                            standing = excluded.standing
                            """,
                        arguments: [
                            party.id.rawValue, party.kind.rawValue, party.name, party.country, party.tier,
                            party.publicKey, party.standing.rawValue,
                        ])
                case .registered(let registration, let row), .transitioned(let registration, let row):
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO registrations (number, id, registrant, holder, status, seq, body,
                            protected_until, customer, decided_on, account, closed_on)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET status = excluded.status, seq = excluded.seq,
                            body = excluded.body, protected_until = excluded.protected_until,
                            account = excluded.account, closed_on = excluded.closed_on
                            """
                    ).execute(arguments: [
                        Int64(registration.id.rawValue.dropFirst(3)) ?? 0, registration.id.rawValue,
                        registration.registrant.rawValue, registration.holder.rawValue,
                        registration.status.rawValue, Int64(write.seq),
                        try registration.wire.serializedBytes() as Data,
                        registration.decision.protectedUntil?.description ?? "",
                        registration.request.customer.legalName.lowercased(),
                        CalendarDate(secondsSinceEpoch: registration.decision.decidedAt).description,
                        registration.account?.rawValue ?? "", registration.closedOn?.description ?? "",
                    ])
                    try Self.recordProtections(
                        of: registration, new: write.change.isNewRegistration, seq: write.seq,
                        lastAccountNumber: &accountNumber, db)
                    try db.cachedStatement(
                        sql: """
                            INSERT INTO history (registration_id, seq, time, actor, action, status, reason,
                            policy_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """
                    ).execute(arguments: [
                        row.registrationID.rawValue, Int64(row.seq), row.time, row.actor.rawValue, row.action,
                        row.status.rawValue, row.reason, row.policyVersion,
                    ])
                case .link(let link):
                    try db.execute(
                        sql: """
                            INSERT INTO links (distributor, reseller, state, seq, body) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT(distributor, reseller) DO UPDATE SET state = excluded.state,
                            seq = excluded.seq, body = excluded.body
                            """,
                        arguments: [
                            link.pair.distributor.rawValue, link.pair.reseller.rawValue, link.state.rawValue,
                            Int64(write.seq), try link.wire.serializedBytes() as Data,
                        ])
                case .account(let account):
                    accountNumber = max(accountNumber, account.id.number ?? 0)
                    try db.execute(
                        sql: """
                            INSERT INTO accounts (id, number, state, merged_into, name, seq, body)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(id) DO UPDATE SET state = excluded.state, merged_into = excluded.merged_into,
                            name = excluded.name, seq = excluded.seq, body = excluded.body
                            """,
                        arguments: [
                            account.id.rawValue, account.id.number ?? 0, account.mergedInto == nil ? "open" : "merged",
                            account.mergedInto?.rawValue ?? "", account.displayName.lowercased(), Int64(write.seq),
                            try account.wire.serializedBytes() as Data,
                        ])
                case .doubts(let doubts):
                    for doubt in doubts {
                        try db.execute(
                            sql: """
                                INSERT OR REPLACE INTO account_doubts (account, other, score, registration_id, body)
                                VALUES (?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                doubt.accountID, doubt.otherAccountID, doubt.score, doubt.registrationID,
                                try doubt.serializedBytes() as Data,
                            ])
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
                        try db.cachedStatement(sql: "INSERT OR IGNORE INTO feed (party, seq) VALUES (?, ?)")
                            .execute(arguments: [party, Int64(write.seq)])
                    }
                    let previous = ledger.chainHash
                    let hash = try ledger.append(seq: write.seq, write.eventBytes, db)
                    hashes[write.seq] = (hash, previous)
                    try db.cachedStatement(
                        sql: "INSERT INTO events (seq, time, topic, body, hash) VALUES (?, ?, ?, ?, ?)"
                    ).execute(arguments: [Int64(write.seq), write.time, topic, Data(write.eventBytes), Data(hash)])
                    if case .witness = write.change {
                        try db.cachedStatement(sql: "INSERT INTO witnessed (seq) VALUES (?)")
                            .execute(arguments: [Int64(write.seq)])
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
                try db.cachedStatement(
                    sql: "INSERT INTO requests (principal, request_id, fingerprint, reply) VALUES (?, ?, ?, ?)"
                ).execute(arguments: [
                    answer.principal.rawValue, answer.requestID, answer.fingerprint, Data(answer.reply),
                ])
            }
        }
        self.ledger = ledger
        lastAccountNumber = accountNumber
        return result
    }

    /// Signs and keeps the head of the log as it is: at shutdown, so the last head is kept whatever the second.
    func keepHead(at time: Int64) throws {
        try SignedLedger.keepHead(of: &ledger, in: queue, by: signer, at: time)
    }

    /// Keeps `protections` in step with a registration's new state: its rows go, and come back line by line while
    /// it holds an exclusive protection; a registration's account gets its row when it makes it.
    /// A new registration has no rows to remove, and an account numbered at most `lastAccountNumber` has its row.
    private static func recordProtections(
        of registration: Registration, new: Bool, seq: UInt64, lastAccountNumber: inout Int64, _ db: Database
    ) throws {
        if !new {
            try db.cachedStatement(sql: "DELETE FROM protections WHERE registration_id = ?")
                .execute(arguments: [registration.id.rawValue])
        }
        guard let account = registration.account else { return }
        if let number = account.number, number > lastAccountNumber {
            lastAccountNumber = number
            try Self.makeAccountRow(account, registration: registration, seq: seq, db)
        }
        guard registration.holdsExclusiveProtection else { return }
        for line in Set(registration.request.productLines).sorted() {
            try db.cachedStatement(
                sql: "INSERT INTO protections (account, product_line, registration_id) VALUES (?, ?, ?)"
            ).execute(arguments: [account.rawValue, line, registration.id.rawValue])
        }
    }

    /// The row of an account the registration at `seq` makes.
    private static func makeAccountRow(
        _ account: AccountID, registration: Registration, seq: UInt64, _ db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO accounts (id, number, state, merged_into, name, seq, body)
                VALUES (?, ?, 'open', '', ?, ?, ?)
                """
        ).execute(arguments: [
            account.rawValue, account.number ?? 0, registration.request.customer.legalName.lowercased(),
            Int64(seq), try Account(id: account).wire.serializedBytes() as Data,
        ])
    }

    static func party(from row: Row) -> Party? {
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
        try verify(DurableDatabase.openReadOnly(file), plan)
    }

    /// How the audit names a link: "dist → acme".
    private static func linkName(_ distributor: String, _ reseller: String) -> String { "\(distributor) → \(reseller)" }

    static func verify(_ reader: some DatabaseReader, _ plan: AuditPlan) throws -> LedgerChain.Verdict {
        try reader.read { db in
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
    private static func verify(_ db: Database, _ plan: AuditPlan, _ heads: inout HeadAudit) throws
        -> LedgerChain.Verdict
    {
        if let untrusted = heads.start {
            return LedgerChain.Verdict(entries: 0, firstBroken: untrusted.entry, reason: untrusted.reason)
        }
        var hash = LedgerChain.genesis
        var count = 0
        let events = try Row.fetchCursor(db, sql: "SELECT seq, body, hash FROM events ORDER BY seq")
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
            let body = [UInt8](row["body"] as Data)
            hash = LedgerChain.next(after: hash, body)
            guard hash == [UInt8](row["hash"] as Data) else {
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
            let line = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM history WHERE registration_id = ? AND seq = ?"),
                arguments: [registration.id, seq])
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
            let exists = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM registrations WHERE id = ?"),
                arguments: [citation.registrationID])
            guard exists == 1 else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "registration \(citation.registrationID)",
                    reason: "missing: enforcement's \(citation.citedBy) cites it as evidence")
            }
        }
        let lines = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM history") ?? 0
        guard lines == histories else {
            return LedgerChain.Verdict(
                entries: count, firstBroken: "history",
                reason: "\(lines - histories) lines have no event in the ledger")
        }
        var protections: Set<String> = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT id, seq, body, status, account, closed_on FROM registrations ORDER BY number")
        while let row = try rows.next() {
            if let registration = Registration(serialized: row["body"]) {
                // The columns the decisions query by (a registration's account, status and end) say what its
                // body says: an account changed by hand would hide a protection from its account's decisions.
                guard row["status"] == registration.status.rawValue,
                    row["account"] == (registration.account?.rawValue ?? ""),
                    row["closed_on"] == (registration.closedOn?.description ?? "")
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
                let body = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT body FROM events WHERE seq = ?"), arguments: [seq]),
                let event = try? WireEvent(serializedBytes: body),
                case .registration(let registration)? = event.payload,
                registration.id == id, try registration.serializedBytes() == [UInt8](row["body"] as Data)
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
        let links = try Row.fetchCursor(
            db, sql: "SELECT distributor, reseller, seq, body FROM links ORDER BY distributor, reseller")
        while let row = try links.next() {
            let pair = Self.linkName(row["distributor"], row["reseller"])
            let seq: Int64 = row["seq"]
            guard latestLink.removeValue(forKey: pair) == seq else {
                return LedgerChain.Verdict(
                    entries: count, firstBroken: "link \(pair)",
                    reason: "the row is not in the state of its latest event")
            }
            guard
                let body = try Data.fetchOne(
                    db.cachedStatement(sql: "SELECT body FROM events WHERE seq = ?"), arguments: [seq]),
                let event = try? WireEvent(serializedBytes: body), case .link(let link)? = event.payload,
                try link.serializedBytes() == [UInt8](row["body"] as Data)
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
        let stored = try Row.fetchAll(db, sql: "SELECT account, product_line, registration_id FROM protections")
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
        _ db: Database, latest: [String: Int64], madeAt: [String: Int64]
    ) throws -> (what: String, reason: String)? {
        var latest = latest
        var madeAt = madeAt
        let rows = try Row.fetchCursor(db, sql: "SELECT id, seq, body, state, merged_into FROM accounts ORDER BY id")
        while let row = try rows.next() {
            let id: String = row["id"]
            let seq: Int64 = row["seq"]
            // The registry reads merges from these columns: one set by hand would send decisions to another account.
            let body = (try? Dealreg_V1_Account(serializedBytes: row["body"] as Data)).flatMap(Account.init(wire:))
            guard row["state"] == (body?.mergedInto == nil ? "open" : "merged"),
                row["merged_into"] == (body?.mergedInto?.rawValue ?? "")
            else { return ("account \(id)", "its state column differs from its body") }
            let made = madeAt.removeValue(forKey: id)
            let expected: [UInt8]
            if let stepped = latest.removeValue(forKey: id) {
                guard stepped == seq,
                    let body = try Data.fetchOne(
                        db.cachedStatement(sql: "SELECT body FROM events WHERE seq = ?"), arguments: [seq]),
                    let event = try? WireEvent(serializedBytes: body), case .account(let account)? = event.payload
                else { return ("account \(id)", "the row is not in the state of its latest event") }
                expected = try account.serializedBytes()
            } else {
                guard made == seq else { return ("account \(id)", "no registration event made it at \(seq)") }
                expected = try Account(id: AccountID(id)).wire.serializedBytes()
            }
            guard expected == [UInt8](row["body"] as Data) else {
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
        try queue.read { db in
            try Data.fetchOne(db.cachedStatement(sql: "SELECT hash FROM events WHERE seq = ?"), arguments: [Int64(seq)])
                .map {
                    [UInt8]($0)
                }
        }
    }

    func proofs(seq: UInt64, fromSize: UInt64, size: UInt64) throws -> (inclusion: [[UInt8]], consistency: [[UInt8]]) {
        try queue.read { db in
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
        try queue.read { db in
            try Data.fetchAll(
                db,
                sql: "SELECT e.body FROM witnessed w JOIN events e ON e.seq = w.seq ORDER BY w.seq DESC LIMIT ?",
                arguments: [newest]
            ).compactMap { body in
                guard let event = try? WireEvent(serializedBytes: body), case .witness(let head)? = event.payload
                else { return nil }
                return LedgerHead(wire: head)
            }
        }
    }
}

extension RegistryStore {
    func concerns(_ party: PartyID, seq: UInt64) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM feed WHERE party = ? AND seq = ?)"),
                arguments: [party.rawValue, Int64(seq)]) ?? false
        }
    }
}

extension RegistryStore {
    func chainHashes(of seqs: [UInt64]) throws -> [UInt64: (chain: [UInt8], previous: [UInt8])] {
        guard !seqs.isEmpty else { return [:] }
        return try queue.read { db in
            let marks = Array(repeating: "?", count: seqs.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.seq, e.hash, p.hash AS previous FROM events e LEFT JOIN events p ON p.seq = e.seq - 1
                    WHERE e.seq IN (\(marks))
                    """, arguments: StatementArguments(seqs.map { Int64($0) }))
            var hashes: [UInt64: (chain: [UInt8], previous: [UInt8])] = [:]
            for row in rows {
                hashes[UInt64(row["seq"] as Int64)] = (
                    [UInt8](row["hash"] as Data), (row["previous"] as Data?).map { [UInt8]($0) } ?? LedgerChain.genesis
                )
            }
            return hashes
        }
    }
}
