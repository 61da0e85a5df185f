import Foundation
import Testing

/// "Who looked at my deal" (issue 18) through the real services and the real command line: a channel manager's
/// read of a partner's registration is in the ledger before it is answered, the partner lists it with `dealreg
/// access` and finds it in its feed, nobody else learns of it, and both ledgers still verify.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct AccessLogTests {
    static let deal = ["--products", "storage", "--amount", "50000", "--currency", "EUR"]

    static func customer(_ name: String, city: String) -> [String] {
        ["--customer", name, "--country", "FR", "--city", city, "--close-date", LocalCluster.closeDate]
    }

    /// The JSON objects a `--json` command printed, one a line.
    static func lines(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func aPartnerSeesWhoOfTheVendorReadItsRegistrationAndNobodyElseDoes() throws {
        let cluster = try LocalCluster(workers: 1)
        for (id, kind) in [
            ("acme", "partner"), ("bolt", "partner"), ("manager", "channel-manager"),
            ("officer", "enforcement-officer"),
        ] {
            try cluster.addParty(id, kind: kind)
        }
        let acme = try #require(
            try cluster.register(as: "acme", Self.customer("Filature du Nord SAS", city: "Lille") + Self.deal)[
                "registration_id"] as? String)
        let bolt = try #require(
            try cluster.register(as: "bolt", Self.customer("Brasserie de la Gare SARL", city: "Nantes") + Self.deal)[
                "registration_id"] as? String)

        let shown = try cluster.dealreg(["show", acme, "--as", "manager"])
        #expect(shown.status == 0 && shown.output.contains(acme), "\(shown)")
        let own = try cluster.dealreg(["show", acme, "--as", "acme"])
        #expect(own.status == 0, "\(own)")

        // The manager's read was answered after its record was committed: it is listed at once, and only it.
        let listed = try cluster.dealreg(["access", acme, "--as", "acme", "--json"])
        #expect(listed.status == 0, "\(listed)")
        let reads = try Self.lines(listed.output)
        #expect(reads.count == 1, "\(listed.output)")
        let read = try #require(reads.first)
        #expect(read["reader"] as? String == "manager" && read["reader_kind"] as? String == "channel-manager")
        #expect(read["method"] as? String == "GetRegistration", "\(read)")
        #expect((read["request_id"] as? String)?.isEmpty == false && (read["seq"] as? Int ?? 0) > 0, "\(read)")
        #expect((read["time"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil, "\(read)")
        let text = try cluster.dealreg(["access", acme, "--as", "officer"])
        #expect(text.status == 0 && text.output.contains("manager (channel-manager)  GetRegistration"), "\(text)")

        // Another partner is refused as if the registration did not exist, and hears nothing of the read.
        let refused = try cluster.dealreg(["access", acme, "--as", "bolt"])
        #expect(refused.status != 0 && refused.output.contains("NOT_FOUND"), "\(refused)")
        let manager = try cluster.dealreg(["access", acme, "--as", "manager"])
        #expect(manager.status != 0 && manager.output.contains("PERMISSION_DENIED"), "\(manager)")
        let boltsOwn = try cluster.dealreg(["access", bolt, "--as", "bolt", "--json"])
        #expect(boltsOwn.status == 0 && boltsOwn.output.isEmpty, "\(boltsOwn)")
        let boltsFeed = try cluster.dealreg(["feed", "--as", "bolt", "--json"])
        #expect(boltsFeed.status == 0 && !boltsFeed.output.contains(acme), "\(boltsFeed)")
        #expect(!boltsFeed.output.contains("\"access\""), "\(boltsFeed)")

        // A manager's listing names both partners' registrations; each partner's feed shows it with its own only.
        let list = try cluster.dealreg(["list", "--as", "manager"])
        #expect(list.status == 0 && list.output.contains(acme) && list.output.contains(bolt), "\(list)")
        func accesses(in principal: String) throws -> [[String: Any]] {
            try Self.lines(try cluster.dealreg(["feed", "--as", principal, "--json"]).output).filter {
                $0["kind"] as? String == "access"
            }
        }
        let acmes = try accesses(in: "acme")
        #expect(acmes.compactMap { $0["action"] as? String } == ["GetRegistration", "ListRegistrations"], "\(acmes)")
        #expect(acmes.allSatisfy { $0["subject"] as? String == acme }, "\(acmes)")
        let bolts = try accesses(in: "bolt")
        #expect(bolts.compactMap { $0["action"] as? String } == ["ListRegistrations"], "\(bolts)")
        #expect(bolts.allSatisfy { $0["subject"] as? String == bolt }, "\(bolts)")

        let audit = try cluster.dealreg(["audit", "verify", "--as", "officer"])
        #expect(audit.status == 0, "\(audit)")
        #expect(audit.output.components(separatedBy: "intact").count - 1 == 2, "\(audit)")
    }
}
