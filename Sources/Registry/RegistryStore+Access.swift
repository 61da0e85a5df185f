import DealModel
import DealStore
import DealWire
import Foundation

/// The access log (issue 18): the `access_log` rows that index the `access` events by registration, written in the
/// commit of their event, read by ListAccess and a partner's feed, and held to the log by the audit.
extension RegistryStore {
    /// The rows of an `access` event at `seq`: one per registration it names, and a feed row for each of their
    /// registrants and holders, so a partner's feed carries the reads of its own registrations.
    static func recordAccess(_ record: AccessRecord, seq: UInt64, _ db: any SQLConnection) throws {
        for id in record.registrationIDs {
            try db.execute("INSERT INTO access_log (registration_id, seq) VALUES (?, ?)", .text(id.rawValue), .int(seq))
            try db.execute(
                """
                INSERT INTO feed (party, seq)
                SELECT registrant, CAST(? AS BIGINT) FROM registrations WHERE id = ?
                UNION SELECT holder, CAST(? AS BIGINT) FROM registrations WHERE id = ?
                ON CONFLICT DO NOTHING
                """, .int(seq), .text(id.rawValue), .int(seq), .text(id.rawValue))
        }
    }

    /// The reads of registration `id` recorded in the log, newest first, at most `limit`.
    func accessLog(of id: RegistrationID, limit: Int) throws -> [Dealreg_V1_AccessEntry] {
        try database.read { db in
            let rows = try db.fetchAll(
                """
                SELECT e.seq, e.time, e.body FROM access_log a JOIN events e ON e.seq = a.seq
                WHERE a.registration_id = ? ORDER BY a.seq DESC LIMIT ?
                """, [.text(id.rawValue), .int(limit)])
            return rows.compactMap { row in
                guard let event = try? WireEvent(serializedBytes: row["body"] as [UInt8]),
                    case .access(let record)? = event.payload
                else { return nil }
                return .with {
                    $0.seq = UInt64(row["seq"] as Int64)
                    $0.time = row["time"]
                    $0.reader = record.reader
                    $0.readerKind = record.readerKind
                    $0.method = record.method
                    $0.requestID = record.requestID
                }
            }
        }
    }

    /// Those of `ids` that `party` filed or holds, looked up 500 at a time (a feed page's access events may name
    /// many thousands).
    func registrations(_ ids: Set<RegistrationID>, filedOrHeldBy party: PartyID) throws -> Set<RegistrationID> {
        let all = ids.map(\.rawValue).sorted()
        return try database.read { db in
            var own: Set<RegistrationID> = []
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = Array(all[start..<min(start + 500, all.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let found: [String] = try db.fetchColumn(
                    "SELECT id FROM registrations WHERE id IN (\(marks)) AND (registrant = ? OR holder = ?)",
                    (chunk + [party.rawValue, party.rawValue]).map(SQLValue.text))
                own.formUnion(found.map { RegistrationID($0) })
            }
            return own
        }
    }

    /// The audit of one `access` event at `seq`: every registration it names has its row. Adds the rows it calls
    /// for to `rows`.
    static func verifyAccess(
        _ record: Dealreg_V1_AccessRecord, seq: Int64, _ db: any SQLConnection, rows: inout Int
    ) throws -> (what: String, reason: String)? {
        for id in Set(record.registrationIds).sorted() {
            rows += 1
            guard
                try db.exists(
                    "SELECT 1 FROM access_log WHERE registration_id = ? AND seq = ?", [.text(id), .integer(seq)])
            else {
                return ("access \(id)", "the access log differs from the ledger: event \(seq) has no row")
            }
        }
        return nil
    }

    /// The audit of the access log as a whole, once every event named its rows (`rows` of them): a row no `access`
    /// event calls for (added by hand, or left after its event was rewritten) is named.
    static func verifyAccessLog(_ db: any SQLConnection, rows expected: Int) throws -> (what: String, reason: String)? {
        let stored: Int = try db.fetchValue("SELECT COUNT(*) FROM access_log") ?? 0
        guard stored != expected else { return nil }
        // Only on a broken log: find the first row its event does not call for.
        let rows = try db.cursor("SELECT registration_id, seq FROM access_log ORDER BY seq", [])
        var event: (seq: Int64, ids: Set<String>)?
        while let row = try rows.next() {
            let id: String = row["registration_id"]
            let seq: Int64 = row["seq"]
            if event?.seq != seq {
                let body: [UInt8]? = try db.fetchValue("SELECT body FROM events WHERE seq = ?", [.integer(seq)])
                var ids: Set<String> = []
                if let body, case .access(let record)? = (try? WireEvent(serializedBytes: body))?.payload {
                    ids = Set(record.registrationIds)
                }
                event = (seq, ids)
            }
            guard event?.ids.contains(id) == true else {
                return ("access \(id)", "the access log differs from the ledger: no access event \(seq) names it")
            }
        }
        return ("access log", "the access log differs from the ledger: \(stored) rows for \(expected) recorded reads")
    }
}
