import DealModel
import DealStore
import DealWire
import Foundation
import GRDB

/// Enforcement's own SQLite database (WAL, synchronous=FULL): its cursor in the registry's event log, the
/// parties it knows, and what it observed. Thread-safe through GRDB; used from the reactor thread.
final class EnforcementStore {
    let queue: DatabaseQueue

    init(file: URL) throws {
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
                """
            ])
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
}
