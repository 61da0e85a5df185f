import DealStore
import Foundation
import Testing

/// Accounts through the real services and the real command line (issue 16): respellings of one customer become one
/// account whose every protection a rival meets, channel managers see, split and merge it, partners do not, and the
/// audit holds the accounts and their protected lines.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct AccountTests {
    static let deal = ["--amount", "50000", "--currency", "EUR", "--close-date", LocalCluster.closeDate]

    static func customer(_ name: String, street: String = "12 rue Nationale") -> [String] {
        ["--customer", name, "--country", "FR", "--city", "Lille", "--postal-code", "59000", "--street", street]
    }

    /// The one JSON object a `--json` command printed.
    static func json(_ output: String) throws -> [String: Any] {
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func respellingsMakeOneAccountThatChannelManagersSplitAndMerge(engine: SQLEngine) throws {
        let cluster = try LocalCluster(workers: 2, engine: engine)
        for (id, kind) in [
            ("acme", "partner"), ("bolt", "partner"), ("cami", "partner"), ("manager", "channel-manager"),
            ("officer", "enforcement-officer"),
        ] {
            try cluster.addParty(id, kind: kind)
        }
        let held = try cluster.register(
            as: "acme", Self.customer("Filature du Nord SAS") + ["--products", "storage"] + Self.deal)
        #expect(held["outcome"] as? String == "APPROVED", "\(held)")
        let heldID = try #require(held["registration_id"] as? String)
        let shown = try Self.json(try cluster.dealreg(["show", heldID, "--as", "acme", "--json"]).output)
        let account = try #require(shown["account_id"] as? String)

        // A rival's respelling is the same account: rejected against acme's protection, the match naming it.
        let rival = try cluster.register(
            as: "bolt",
            Self.customer("FILATURE DU NORD S.A.S.", street: "12, Rue Nationale") + ["--products", "storage"]
                + Self.deal)
        #expect(rival["outcome"] as? String == "REJECTED" && rival["conflicting_registration_id"] as? String == heldID)
        let match = try #require((rival["matches"] as? [[String: Any]])?.first)
        #expect(match["account_id"] as? String == account, "\(match)")
        // Another line of the same account is free, and joins it.
        let servers = try cluster.register(
            as: "cami", Self.customer("Filature du Nord") + ["--products", "servers"] + Self.deal)
        #expect(servers["outcome"] as? String == "APPROVED", "\(servers)")
        let serversID = try #require(servers["registration_id"] as? String)

        let whole = try Self.json(
            try cluster.dealreg(["account", "show", account, "--as", "manager", "--json"]).output)
        #expect(whole["registration_count"] as? Int == 3, "\(whole)")
        let lines = (whole["protections"] as? [[String: Any]] ?? []).compactMap { $0["product_line"] as? String }
        #expect(Set(lines) == ["storage", "servers"], "\(whole)")
        // Partners see their registrations' account id, not the account.
        let refused = try cluster.dealreg(["account", "show", account, "--as", "acme"])
        #expect(refused.status != 0 && refused.output.contains("PERMISSION_DENIED"), "\(refused)")

        // Split cami's registration off, then merge it back: each a step the ledger keeps.
        let split = try cluster.dealreg([
            "account", "split", account, serversID, "--reason", "a sister company", "--as", "manager", "--json",
        ])
        #expect(split.status == 0, "\(split)")
        let moved = try Self.json(try cluster.dealreg(["show", serversID, "--as", "cami", "--json"]).output)
        let other = try #require(moved["account_id"] as? String)
        #expect(other != account)
        // bolt's respelling of storage stays refused after the split: the protection is still acme's account's.
        let again = try cluster.register(
            as: "bolt", Self.customer("Filature du Nord SAS") + ["--products", "storage"] + Self.deal)
        #expect(again["outcome"] as? String == "REJECTED", "\(again)")
        let merge = try cluster.dealreg([
            "account", "merge", account, other, "--reason", "one legal entity after all", "--as", "manager",
        ])
        #expect(merge.status == 0, "\(merge)")
        let merged = try Self.json(try cluster.dealreg(["account", "show", other, "--as", "manager", "--json"]).output)
        #expect(merged["state"] as? String == "merged" && merged["merged_into"] as? String == account, "\(merged)")
        // Merging acme's storage account with a second storage protection is refused, naming both.
        let second = try cluster.register(
            as: "bolt",
            Self.customer("Brasserie de la Gare SARL", street: "1 place de la Gare") + ["--products", "storage"]
                + Self.deal)
        let secondID = try #require(second["registration_id"] as? String)
        let secondAccount = try #require(
            try Self.json(try cluster.dealreg(["show", secondID, "--as", "bolt", "--json"]).output)["account_id"]
                as? String)
        let double = try cluster.dealreg([
            "account", "merge", account, secondAccount, "--reason", "typo", "--as", "manager",
        ])
        #expect(double.status != 0 && double.output.contains("INVALID_TRANSITION"), "\(double)")
        #expect(double.output.contains(heldID) && double.output.contains(secondID), "\(double)")

        let audit = try cluster.dealreg(["audit", "verify", "--as", "officer"])
        #expect(audit.status == 0, "\(audit)")
    }
}
