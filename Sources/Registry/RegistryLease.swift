import DealStore
import Foundation

/// The lease that makes one registry process of many the active one on a PostgreSQL store (issue 19), and its
/// fencing token. One row in the registry's schema holds the epoch, who holds it, and until when (the server's
/// clock, so hosts' clocks do not matter). A standby takes the lease when it expired (the holder froze or lost its
/// host) or when the holder's database session is gone (the holder died: PostgreSQL ends its session at once), and
/// the epoch goes up by one. The holder renews it twice a second, and every commit renews it *by its epoch* inside the
/// commit's transaction: a holder whose epoch is no longer the row's commits nothing, whenever it wakes up. The row
/// lock the commit takes orders a takeover and a commit: either the commit landed first (and the new holder loads
/// it), or it fails. A value; `Sendable`.
struct RegistryLease: Sendable, Equatable {
    /// The fencing token: the row's epoch when this process took the lease.
    var epoch: Int64
    /// Who holds it: `host:pid`.
    var instance: String
    var pid: Int32
    /// The api endpoints the holder serves on, for `status`.
    var api: String
    /// When the holder took it, seconds since the Unix epoch (the server's clock).
    var since: Int64
    /// Why this process could take it, for its log: the store's lease was free, the previous holder's lease had
    /// expired (and how long before), or its session was gone.
    var takeover = ""

    /// How long a lease lasts without renewal: the longest a frozen or cut-off holder keeps the registry from the
    /// others, and so most of the worst failover time.
    static let seconds = 2
    /// How often the holder renews it: four times a lease, so a slow turn or two does not lose it.
    static let renewal: Duration = .milliseconds(500)
    /// How long the active registry's reactor may go without progress before its lease keeper stops renewing the
    /// lease, and the standby takes over: a reactor stuck, not busy.
    static let stall: Duration = .seconds(10)
    /// How often a standby tries to take it.
    static let poll: Duration = .milliseconds(200)

    /// The lease's table (a PostgreSQL migration of the registry's schema): one row, free from the start.
    static let schema = """
        CREATE TABLE registry_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1), epoch BIGINT NOT NULL, instance TEXT NOT NULL, pid BIGINT NOT NULL,
            api TEXT NOT NULL, since BIGINT NOT NULL, backend_pid INTEGER NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
        INSERT INTO registry_lease VALUES (1, 0, '', 0, '', 0, 0, '-infinity');
        """

    /// Takes the lease when it is free, expired, or its holder's session is gone; nil when another holds it.
    ///
    /// A holder frozen in the middle of a commit keeps the row locked: the standby waits at most 500 ms for the
    /// lock, and when the lease has expired meanwhile it ends the holder's session (`pg_terminate_backend`, allowed
    /// to the same role), which rolls the frozen commit back, and takes the lease at its next poll.
    static func acquire(_ database: any SQLDatabase, instance: String, pid: Int32, api: String) throws
        -> RegistryLease?
    {
        do {
            return try take(database, instance: instance, pid: pid, api: api)
        } catch let error as SQLStatementError where error.code == "55P03" {
            try database.read { db in
                _ = try db.fetchOne(
                    """
                    SELECT pg_terminate_backend(backend_pid) FROM registry_lease
                    WHERE id = 1 AND expires_at < now() AND backend_pid <> pg_backend_pid()
                    """)
            }
            return nil
        }
    }

    private static func take(_ database: any SQLDatabase, instance: String, pid: Int32, api: String) throws
        -> RegistryLease?
    {
        try database.write { db in
            _ = try db.fetchOne("SELECT set_config('lock_timeout', '500ms', true)")
            // The row as it was, for the log: who held it, and whether its lease had expired or its session gone.
            return try db.fetchOne(
                """
                UPDATE registry_lease SET epoch = registry_lease.epoch + 1, instance = ?, pid = ?, api = ?,
                since = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT), backend_pid = pg_backend_pid(),
                expires_at = now() + make_interval(secs => ?)
                FROM (
                    SELECT instance, backend_pid, isfinite(expires_at) AS held,
                    CASE WHEN isfinite(expires_at) THEN CAST(EXTRACT(EPOCH FROM now() - expires_at) * 1000 AS BIGINT)
                    ELSE 0 END AS overdue_ms
                    FROM registry_lease WHERE id = 1) AS previous
                WHERE registry_lease.id = 1 AND (registry_lease.expires_at < now() OR NOT EXISTS (
                    SELECT 1 FROM pg_stat_activity a WHERE a.pid = registry_lease.backend_pid))
                RETURNING registry_lease.epoch, registry_lease.since, previous.instance, previous.backend_pid,
                previous.held, previous.overdue_ms
                """, [.text(instance), .int(pid), .text(api), .int(seconds)]
            ).map { row in
                let (holder, backend, held, overdue): (String, Int64, Bool, Int64) = (row[2], row[3], row[4], row[5])
                let takeover =
                    !held
                    ? "the store's lease was free"
                    : overdue > 0
                        ? "\(holder)'s lease had expired \(overdue) ms before"
                        : "\(holder)'s database session (backend \(backend)) was gone"
                return RegistryLease(
                    epoch: row[0], instance: instance, pid: pid, api: api, since: row[1], takeover: takeover)
            }
        }
    }

    /// Renews the lease inside the caller's transaction, by its epoch (the fence of every commit); throws
    /// `LeaseLost` when another process took it since.
    func renew(_ db: any SQLConnection) throws {
        let renewed = try db.execute(
            """
            UPDATE registry_lease SET expires_at = now() + make_interval(secs => ?), backend_pid = pg_backend_pid()
            WHERE id = 1 AND epoch = ?
            """, .int(Self.seconds), .integer(epoch))
        guard renewed == 1 else { throw LeaseLost(epoch: epoch) }
    }

    /// Extends the lease by its epoch from the lease keeper's connection, leaving the session it names (the
    /// registry's own); throws `LeaseLost` when another process took it since.
    func extend(_ db: any SQLConnection) throws {
        let renewed = try db.execute(
            "UPDATE registry_lease SET expires_at = now() + make_interval(secs => ?) WHERE id = 1 AND epoch = ?",
            .int(Self.seconds), .integer(epoch))
        guard renewed == 1 else { throw LeaseLost(epoch: epoch) }
    }

    /// The lease as the row has it (who holds it, or held it last), nil when the store has no lease row.
    static func current(_ database: any SQLDatabase) throws -> RegistryLease? {
        try database.read { db in
            try db.fetchOne("SELECT epoch, instance, pid, api, since FROM registry_lease WHERE id = 1").map {
                RegistryLease(
                    epoch: $0[0], instance: $0[1], pid: Int32(truncatingIfNeeded: $0[2] as Int64), api: $0[3],
                    since: $0[4])
            }
        }
    }
}

/// Another registry process took the lease: this one may commit nothing more, and steps down. A value; `Sendable`.
struct LeaseLost: Error, CustomStringConvertible, Sendable {
    var epoch: Int64
    var description: String {
        "the registry's lease (epoch \(epoch)) was taken by another registry process: this one commits nothing more"
    }
}
