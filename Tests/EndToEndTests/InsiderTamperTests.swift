import Foundation
import Testing

/// Issue 18, a ledger insiders cannot rewrite: each test starts a cluster on a copy of a live cluster's stores that an
/// insider edited with Python's sqlite3 while it was stopped (`Insider`), covering their tracks as well as the
/// database allows, and holds `dealreg audit verify` and `dealreg audit prove` to what a user must see: exit status 1
/// and the first entry that does not hold. The live history is recorded once (`InsiderHistory`).
@Suite(.serialized, .timeLimit(.minutes(5)), .recordsInsiderHistory)
struct InsiderTamperTests {
    @Test func aLogTruncatedWithItsTracksCoveredIsBrokenAtTheFirstMissingEvent() throws {
        let history = try InsiderHistory.recorded()
        let newest = history.filed[2]
        // The third registration (the one enforcement's violation cites), its event and everything after.
        var removed: [String] = []
        let tampered = try LocalCluster(copyOf: history.stores) { data in
            removed = try Insider.truncateRegistry(data, from: newest.seq)
        }
        #expect(removed == [newest.id, history.filed[3].id])

        let audit = try tampered.auditVerify()
        #expect(audit.breaks(only: "registry", at: "event \(newest.seq)"), "\(audit)")
        // Heads published before the truncation say the same.
        let against = try tampered.auditVerify(["--against", history.published.path])
        #expect(against.breaks(only: "registry", at: "event \(newest.seq)"), "\(against)")
    }

    @Test func anEventRewrittenWithEveryHashRecomputedIsBrokenWhereItWasEdited() throws {
        let history = try InsiderHistory.recorded()
        let edited = history.filed[1]
        // The customer of an earlier registration, in its event and its row alike: the chain is whole again, the
        // rows agree with the log, only the signed heads remember.
        let tampered = try LocalCluster(copyOf: history.stores) { data in
            let seq = try Insider.respell(data, registration: edited.id, from: "Numero 2", to: "Numero 9")
            #expect(seq == edited.seq)
        }

        let audit = try tampered.auditVerify()
        #expect(audit.breaks(only: "registry", at: "event \(edited.seq)"), "\(audit)")
    }

    @Test func aDeletedCaseIsCaughtByTheRegistrysWitnessOfEnforcementsHeads() throws {
        let history = try InsiderHistory.recorded()
        var cut = Insider.LedgerCut(first: 0, kept: 0)
        let tampered = try LocalCluster(copyOf: history.stores) { data in
            cut = try Insider.deleteCase(data, history.caseID)
        }

        let audit = try tampered.auditVerify()
        #expect(audit.breaks(only: "enforcement", at: "ledger entry \(Self.firstUnvouched(history, cut))"), "\(audit)")
    }

    @Test func aDatabaseReplacedByAnOlderBackupIsBrokenAtTheFirstMissingEvent() throws {
        let history = try InsiderHistory.recorded()
        let tampered = try LocalCluster(copyOf: history.stores) { data in
            let live = data.appendingPathComponent("registry/registry.sqlite")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: live.path + suffix) }
            try FileManager.default.copyItem(at: history.backup, to: live)
        }

        let audit = try tampered.auditVerify()
        #expect(audit.breaks(only: "registry", at: "event \(history.backupSize + 1)"), "\(audit)")
    }

    @Test func anHonestStoreVerifiesAfterARestartAndAgainstHeadsPublishedBefore() throws {
        let history = try InsiderHistory.recorded()
        let cluster = try LocalCluster(copyOf: history.stores)
        let audit = try cluster.auditVerify()
        #expect(audit.holds, "\(audit)")
        // The published heads came before the fourth registration and before this one, made since the restart.
        let grown = try cluster.register(
            as: "acme",
            InsiderHistory.customer(5) + ["--products", "storage", "--amount", "1000", "--currency", "EUR"]
                + ["--close-date", LocalCluster.closeDate])
        #expect(grown["outcome"] as? String == "APPROVED", "\(grown)")
        let against = try cluster.auditVerify(["--against", history.published.path])
        #expect(against.holds, "\(against)")
    }

    /// Enforcement's witness of the registry's heads and the registry's of enforcement's live in the two databases:
    /// an insider who can write both rewinds them together, and the stores then agree with each other, so the audit
    /// of the stores alone passes (as designed: this documents it). Heads published outside, and receipts, remember.
    @Test func bothStoresRewoundTogetherAreCaughtByPublishedHeadsAndReceipts() throws {
        let history = try InsiderHistory.recorded()
        let newest = history.filed[2]
        var cut = Insider.LedgerCut(first: 0, kept: 0)
        let tampered = try LocalCluster(copyOf: history.stores) { data in
            try Insider.truncateRegistry(data, from: newest.seq)
            cut = try Insider.rewindEnforcement(data, toRegistrySize: newest.seq - 1)
        }

        // What the stores can tell without a witness outside them: nothing.
        let alone = try tampered.auditVerify()
        #expect(alone.holds, "\(alone)")
        let against = try tampered.auditVerify(["--against", history.published.path])
        #expect(against.status == 1, "\(against)")
        #expect(against.broken("registry") == "event \(newest.seq)", "\(against)")
        #expect(against.broken("enforcement") == "ledger entry \(Self.firstUnvouched(history, cut))", "\(against)")
        let receipt = history.receipts.appendingPathComponent("3.json").path
        let proof = try tampered.dealreg(["audit", "prove", receipt, "--as", "acme"])
        #expect(proof.status == 1, "\(proof)")
        #expect(proof.output.hasPrefix("receipt of event \(newest.seq) FAILS: "), "\(proof)")
    }

    /// Registrations imported after the receipt: `DEALREG_INSIDER_REGISTRATIONS`, or 1,000 (issue 18 asks for
    /// 10,000: `make insider-receipts`, about a minute and a half on 2 cores in debug).
    static let registrationsAfterReceipt =
        Int(ProcessInfo.processInfo.environment["DEALREG_INSIDER_REGISTRATIONS"] ?? "")
        ?? 1000

    @Test func aReceiptStillProvesAfterTheLogGrowsAndFailsOnceItsEventIsRewritten() throws {
        let cluster = try LocalCluster(
            workers: 2, policy: #"{"limits": {"requests_per_second": 1000000, "burst": 1000000}}"#)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bulk", kind: "partner")
        let receipt = cluster.data.appendingPathComponent("receipt.json")
        let decision = try cluster.register(
            as: "acme",
            ["--customer", "Verrerie Insider SAS", "--country", "FR", "--city", "Lille", "--postal-code", "59000"]
                + ["--products", "storage", "--amount", "50000", "--currency", "EUR", "--close-date"]
                + [LocalCluster.closeDate, "--receipt", receipt.path])
        let id = try #require(decision["registration_id"] as? String, "\(decision)")
        let seq = try #require((decision["receipt"] as? [String: Any])?["seq"] as? Int)
        let prove = ["audit", "prove", receipt.path, "--as", "acme"]
        let fresh = try cluster.dealreg(prove)
        #expect(fresh.status == 0 && fresh.output.hasPrefix("receipt of event \(seq) (\(id)) holds"), "\(fresh)")

        let rows = cluster.data.appendingPathComponent("rows.csv")
        try Self.rows(Self.registrationsAfterReceipt).write(to: rows, atomically: true, encoding: .utf8)
        let imported = try cluster.dealreg(["import", rows.path, "--as", "bulk", "--json"])
        let registered = imported.output.split(separator: "\n").filter {
            $0.contains(#""outcome":""#) && !$0.contains(#""outcome":"DUPLICATE""#)
        }
        #expect(imported.status == 0 && registered.count == Self.registrationsAfterReceipt, "\(imported.error)")
        // The receipt's head is extended: the registry proves it by consistency with its newest head.
        let grown = try cluster.dealreg(prove + ["--json"])
        let line = try #require(try JSONSerialization.jsonObject(with: Data(grown.output.utf8)) as? [String: Any])
        #expect(grown.status == 0 && line["holds"] as? Bool == true, "\(grown)")
        let receiptHead = try #require(line["receipt_head"] as? Int)
        #expect(try #require(line["current_head"] as? Int) >= receiptHead + Self.registrationsAfterReceipt, "\(grown)")
        cluster.stop()

        let tampered = try LocalCluster(copyOf: cluster.data, workers: 2) { data in
            let edited = try Insider.respell(data, registration: id, from: "Insider", to: "Outsidr")
            #expect(edited == UInt64(seq))
        }
        let rewritten = try tampered.dealreg(prove)
        #expect(rewritten.status == 1, "\(rewritten)")
        #expect(rewritten.output.hasPrefix("receipt of event \(seq) FAILS: "), "\(rewritten)")
    }

    /// `count` rows of `dealreg import`, each a customer of its own.
    static func rows(_ count: Int) -> String {
        // Names that differ only in a number are sister companies: never one customer, whatever the address.
        var text = "customer_name,city,postal_code,country,product_lines,amount,currency,close_date\n"
        for row in 0..<count {
            text += "Menuiserie \(row) SAS,Lyon,6900\(row % 9 + 1),FR,storage,1000,EUR,\(LocalCluster.closeDate)\n"
        }
        return text
    }

    /// The first of enforcement's ledger entries that no head the edit left standing vouches for: after the largest
    /// of its kept heads and of its heads the registry witnessed, below the first entry the edit removed. Heads are
    /// signed per commit, so that may be an entry committed with the first one removed (a case opens in the commit
    /// that records its violation).
    static func firstUnvouched(_ history: InsiderHistory, _ cut: Insider.LedgerCut) -> UInt64 {
        let witnessed = history.enforcementHeadsWitnessed.filter { $0 < cut.first }.max() ?? 0
        let vouched = max(cut.kept, witnessed)
        #expect(vouched < cut.first)
        return vouched + 1
    }
}
