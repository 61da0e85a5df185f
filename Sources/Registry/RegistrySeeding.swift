import DealLedger
import DealModel
import DealWire
import Foundation

/// Writes registrations straight into a stopped registry's database, with their events, so a benchmark can start
/// a cluster on a large index (the scaling table at 1,000,000 registrations) in a minute rather than the hours
/// the real protocol would take. No decision runs: every seeded registration is APPROVED for `holder` and
/// protected for the policy's days. Workers learn them by replay from `sync`, as from any history.
public enum RegistrySeeding {
    /// Appends `customers` as registrations after whatever the database holds; returns the last event seq.
    @discardableResult
    public static func seed(
        dataDirectory: URL, holder: PartyID, customers: [Customer], policy: ProgramPolicy = ProgramPolicy(),
        now: Int64 = Int64(Date().timeIntervalSince1970)
    ) throws -> UInt64 {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let configuration = RegistryConfiguration(dataDirectory: dataDirectory)
        let store = try RegistryStore(
            file: configuration.databaseFile,
            ledgerKey: try LedgerKey.loadOrCreate(configuration.ledgerKey, service: "registry"))
        let counters = try store.counters()
        var (seq, number, account) = (counters.seq, counters.registrationNumber, counters.accountNumber)
        let today = CalendarDate(secondsSinceEpoch: now)
        for chunk in stride(from: 0, to: customers.count, by: 10_000) {
            var writes: [RegistryWrite] = []
            for customer in customers[chunk..<min(chunk + 10_000, customers.count)] {
                seq += 1
                number += 1
                // Each seeded customer is an account of its own: the seed does not match them against each other.
                account += 1
                let id = RegistrationID(number: number)
                let request = DealRequest(
                    customer: customer, productLines: ["storage"],
                    amount: Money(minorUnits: 1_000_000, currency: "EUR"),
                    expectedClose: today.adding(days: 60))
                let decision = Decision(
                    registrationID: id, outcome: .approved, protectedUntil: today.adding(days: policy.protectionDays),
                    explanation: "Seeded for a benchmark.", decidedAt: now)
                let registration = Registration(
                    id: id, registrant: holder, holder: holder, holderKind: .partner, request: request,
                    status: .approved, decision: decision, account: AccountID(number: account))
                let history = HistoryRow(
                    registrationID: id, seq: seq, time: now, actor: holder, action: "registered", status: .approved,
                    reason: decision.explanation, policyVersion: policy.version)
                writes.append(RegistryWrite(.registered(registration, history), seq: seq, time: now, answer: nil))
            }
            try store.commit(writes, at: now)
        }
        return seq
    }
}
