import Foundation
import Testing

/// The insider of issue 18: someone who can write a service's SQLite file while the service is stopped, but not
/// read the ledger key kept outside its database folder. Each edit is Python's `sqlite3` in a process of its own,
/// and covers its tracks: it recomputes the hash chain after what it changed, drops the Merkle nodes, and deletes the
/// service's kept heads that would no longer match. Not thread-safe: one test edits one stopped copy.
enum Insider {
    /// Removes the registry's event `seq` and every later one, with the registrations they made, their history,
    /// feed, protection, access and account rows, their stored replies, the witnessed rows, and the kept heads
    /// covering them. Returns the registrations removed.
    @discardableResult
    static func truncateRegistry(_ data: URL, from seq: UInt64) throws -> [String] {
        try edit("truncate", registry(data), [String(seq)])["registrations"] as? [String] ?? []
    }

    /// Changes `old` to `new` (as long) in a registration's customer name, in its event and in its row, and
    /// recomputes every event hash from there on. Returns the event's seq.
    static func respell(_ data: URL, registration: String, from old: String, to new: String) throws -> UInt64 {
        UInt64(try #require(try edit("respell", registry(data), [registration, old, new])["seq"] as? Int))
    }

    /// What an edit of enforcement's ledger left: the first entry it removed, and the largest of enforcement's kept
    /// heads it left (all below that entry).
    struct LedgerCut {
        var first: UInt64
        var kept: UInt64
    }

    /// Deletes an enforcement case and its ledger entries, renumbering and rechaining the entries after them.
    static func deleteCase(_ data: URL, _ id: String) throws -> LedgerCut {
        try cut(try edit("delete-case", enforcement(data), [id]))
    }

    /// Rewinds enforcement to a registry log of `size` events, as an insider who truncated the registry there would
    /// to keep the two stores consistent: the registrations it mirrored from later events, the violations and cases
    /// citing them, and its witness entries of later registry heads go; the ledger is renumbered and rechained, the
    /// cursor set back to `size`.
    static func rewindEnforcement(_ data: URL, toRegistrySize size: UInt64) throws -> LedgerCut {
        try cut(try edit("rewind", enforcement(data), [String(size)]))
    }

    private static func registry(_ data: URL) -> URL { data.appendingPathComponent("registry/registry.sqlite") }
    private static func enforcement(_ data: URL) -> URL {
        data.appendingPathComponent("enforcement/enforcement.sqlite")
    }

    private static func cut(_ result: [String: Any]) throws -> LedgerCut {
        LedgerCut(
            first: UInt64(try #require(result["first"] as? Int, "nothing removed: \(result)")),
            kept: UInt64(try #require(result["kept"] as? Int)))
    }

    /// Runs `action` of `script` on `file`; the JSON object it prints.
    private static func edit(_ action: String, _ file: URL, _ arguments: [String]) throws -> [String: Any] {
        let python = try LocalCluster.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, action, file.path] + arguments)
        guard python.status == 0 else { throw ClusterFailure("the insider's \(action) failed: \(python.error)") }
        return try #require(try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any])
    }

    /// The edits, in Python: what an insider with a SQL shell and the schema would write.
    private static let script = #"""
        import hashlib, json, sqlite3, sys


        def rechain(c, table, first):
            """Recomputes the hash column of `table` from entry `first` on: SHA-256(previous hash + body)."""
            row = c.execute(f"SELECT hash FROM {table} WHERE seq = ?", (first - 1,)).fetchone()
            previous = row[0] if row else bytes(32)
            rows = c.execute(f"SELECT seq, body FROM {table} WHERE seq >= ? ORDER BY seq", (first,)).fetchall()
            for seq, body in rows:
                previous = hashlib.sha256(previous + body).digest()
                c.execute(f"UPDATE {table} SET hash = ? WHERE seq = ?", (previous, seq))


        def truncate(c, first):
            ids = [r[0] for r in c.execute(
                "SELECT registration_id FROM history GROUP BY registration_id HAVING MIN(seq) >= ?", (first,))]
            marks = ",".join("?" * len(ids))
            assert c.execute(f"SELECT COUNT(*) FROM history WHERE seq >= ? AND registration_id NOT IN ({marks})",
                             (first, *ids)).fetchone()[0] == 0, "an older registration changed after the cut"
            for id in ids:
                c.execute("DELETE FROM requests WHERE instr(reply, ?) > 0", (id.encode(),))
                for table in ["protections", "account_doubts", "access_log"]:
                    c.execute(f"DELETE FROM {table} WHERE registration_id = ?", (id,))
                c.execute("DELETE FROM registrations WHERE id = ?", (id,))
            for table in ["history", "feed", "access_log", "witnessed", "accounts", "links", "events"]:
                c.execute(f"DELETE FROM {table} WHERE seq >= ?", (first,))
            c.execute("DELETE FROM registry_heads WHERE size >= ?", (first,))
            c.execute("DELETE FROM registry_merkle")
            return {"registrations": ids}


        def respell(c, registration, old, new):
            old, new = old.encode(), new.encode()
            assert len(old) == len(new)
            seq, body = c.execute("SELECT seq, body FROM registrations WHERE id = ?", (registration,)).fetchone()
            event = c.execute("SELECT body FROM events WHERE seq = ?", (seq,)).fetchone()[0]
            assert body.count(old) == 1 and event.count(old) == 1
            c.execute("UPDATE registrations SET body = ?, customer = replace(customer, ?, ?) WHERE id = ?",
                      (body.replace(old, new), old.decode().lower(), new.decode().lower(), registration))
            c.execute("UPDATE events SET body = ? WHERE seq = ?", (event.replace(old, new), seq))
            rechain(c, "events", seq)
            c.execute("DELETE FROM registry_merkle")
            return {"seq": seq}


        def remove_entries(c, seqs):
            """Removes enforcement ledger entries `seqs`, closes the gap and rechains; returns the first removed."""
            first = min(seqs)
            rows = c.execute(
                "SELECT seq, kind, subject, body FROM ledger WHERE seq >= ? ORDER BY seq", (first,)).fetchall()
            c.execute("DELETE FROM ledger WHERE seq >= ?", (first,))
            left = [row for row in rows if row[0] not in seqs]
            for offset, (_, kind, subject, body) in enumerate(left):
                c.execute("INSERT INTO ledger (seq, kind, subject, body, hash) VALUES (?, ?, ?, ?, x'')",
                          (first + offset, kind, subject, body))
            rechain(c, "ledger", first)
            c.execute("DELETE FROM ledger_heads WHERE size >= ?", (first,))
            c.execute("DELETE FROM ledger_merkle")
            kept = c.execute("SELECT COALESCE(MAX(size), 0) FROM ledger_heads").fetchone()[0]
            return {"first": first, "kept": kept}


        def delete_case(c, case):
            c.execute("DELETE FROM cases WHERE id = ?", (case,))
            return remove_entries(c, {r[0] for r in c.execute(
                "SELECT seq FROM ledger WHERE kind = 'case' AND subject = ?", (case,))})


        def head_size(body):
            """Field 2 (size) of a SignedHead's protobuf bytes."""
            def varint(i):
                value, shift = 0, 0
                while True:
                    value, shift, i = value | (body[i] & 0x7F) << shift, shift + 7, i + 1
                    if body[i - 1] < 0x80:
                        return value, i
            i = 0
            while i < len(body):
                key, i = varint(i)
                value, i = varint(i)
                if key == 0x10:
                    return value
                if key & 7 == 2:
                    i += value
            return 0


        def rewind(c, size):
            ids = {r[0] for r in c.execute(
                "SELECT subject FROM observations WHERE seq > ? AND topic = 'registration'", (size,))}
            cited = [r for r in c.execute("SELECT id, order_id, registration_id FROM violations") if r[2] in ids]
            gone = {id for id, _, _ in cited}
            seqs = {seq for seq, kind, subject, body in c.execute("SELECT seq, kind, subject, body FROM ledger")
                    if (kind == "witness" and head_size(body) > size)
                    or (kind in ("violation", "case") and subject in gone)}
            for id, order, _ in cited:
                c.execute("DELETE FROM violations WHERE id = ?", (id,))
                c.execute("DELETE FROM cases WHERE id = ?", (id,))
                c.execute("DELETE FROM bookings WHERE order_id = ?", (order,))
            for id in ids:
                c.execute("DELETE FROM registrations WHERE id = ?", (id,))
            c.execute("DELETE FROM observations WHERE seq > ?", (size,))
            c.execute("UPDATE cursor SET seq = ?", (size,))
            return remove_entries(c, seqs)


        action, file, *arguments = sys.argv[1:]
        connection = sqlite3.connect(file)
        result = {"truncate": lambda: truncate(connection, int(arguments[0])),
                  "respell": lambda: respell(connection, *arguments),
                  "delete-case": lambda: delete_case(connection, arguments[0]),
                  "rewind": lambda: rewind(connection, int(arguments[0]))}[action]()
        connection.commit()
        connection.close()
        print(json.dumps(result))
        """#
}
