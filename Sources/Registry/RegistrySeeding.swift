import DealBus
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

/// The registry's audit and proofs on a stopped registry's data directory, for the ledger benchmark: what `Audit`
/// and `Prove` run inside the service, timed without the bus.
public enum RegistryLedgerProbe {
    /// The audit of the store in `dataDirectory` against its kept heads, under its ledger key's keyring.
    public static func verify(dataDirectory: URL) throws -> (entries: Int, heads: Int, firstBroken: String?) {
        let configuration = RegistryConfiguration(dataDirectory: dataDirectory)
        let key = try LedgerKey.load(configuration.ledgerKey)
        let verdict = try RegistryStore.verify(
            readingOnly: configuration.databaseFile, AuditPlan(keyring: key.keyring))
        return (verdict.entries, verdict.heads, verdict.firstBroken)
    }

    /// What a receipt adds to an answer: `count` times, a decision's reply envelope decoded, given
    /// its receipt under `head` and encoded again, as the commit does for each decision.
    public static func attachReceipts(count: Int, head: LedgerHead) -> Int {
        var decision = Dealreg_V1_RegisterDealReply()
        decision.decision.registrationID = "DR-00000001"
        decision.decision.explanation = "Approved and protected for 90 days."
        let reply = EnvelopeCodec.encode(requestID: "bench", body: .registerDealReply(decision))
        var bytes = 0
        for index in 0..<count {
            let hash = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: 32)
            bytes += Receipts.attach(to: reply, seq: UInt64(index), hash: (hash, hash), head: head)?.count ?? 0
        }
        return bytes
    }

    /// Inclusion proofs of `count` events spread over the log, and a consistency proof from its middle, each
    /// checked against the newest head; returns how many proofs were made.
    public static func prove(dataDirectory: URL, count: Int) throws -> Int {
        let configuration = RegistryConfiguration(dataDirectory: dataDirectory)
        let store = try RegistryStore(
            file: configuration.databaseFile, mustExist: true,
            ledgerKey: try LedgerKey.load(configuration.ledgerKey))
        let head = store.ledgerHead
        var made = 0
        for index in 0..<count {
            let seq = 1 + UInt64(index) * max(1, head.size / UInt64(count))
            guard seq <= head.size, let hash = try store.chainHash(of: seq) else { break }
            let proofs = try store.proofs(seq: seq, fromSize: head.size / 2, size: head.size)
            guard
                MerkleTree.verifyInclusion(
                    proofs.inclusion, leafHash: MerkleTree.leafHash(seq: seq, chainHash: hash), leaf: seq - 1,
                    size: head.size, root: head.root)
            else { throw LedgerKeyError("the inclusion proof of event \(seq) does not verify") }
            made += 1
        }
        return made
    }
}
