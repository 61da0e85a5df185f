import DealLedger
import DealStore
import DealTestSupport

@testable import Registry

/// A registry's store in a scratch store of either engine, audited and tampered with as an insider holding the
/// database would.
extension ScratchStore {
    /// The registry's store in it, its heads signed with `testLedgerKey`.
    func registryStore() throws -> RegistryStore { try RegistryStore(try open(), ledgerKey: testLedgerKey) }

    /// The registry's audit, through a connection of its own as `audit verify` runs it: read-only on SQLite, a
    /// repeatable-read snapshot on PostgreSQL (the running registry's own schema name is fixed, this one is not).
    func verifyRegistry(_ plan: AuditPlan = AuditPlan(keyring: testLedgerKey.keyring)) throws -> LedgerChain.Verdict {
        if case .sqlite(let file) = location { return try RegistryStore.verify(readingOnly: file, plan) }
        let database = try open()
        defer { database.close() }
        return try RegistryStore.verify(database, plan)
    }

    /// Runs `sql` on the store behind the registry's back.
    func tamper(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let database = try open()
        defer { database.close() }
        _ = try database.write { try $0.execute(sql, arguments) }
    }
}
