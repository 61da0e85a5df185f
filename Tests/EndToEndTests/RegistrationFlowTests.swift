import DealBus
import DealModel
import DealStore
import DealWire
import Foundation
import Testing
import ZeroMQ

/// The mission, end to end: real processes, real sockets, the real CLI.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct RegistrationFlowTests {
    static let customer = [
        "--customer", "Société Générale d'Équipement SA", "--country", "FR", "--city", "Paris", "--postal-code",
        "75008",
        "--domain", "https://www.sge-equipement.fr/contact",
    ]
    static let deal = ["--amount", "125000.00", "--currency", "EUR", "--close-date", LocalCluster.closeDate]

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func approvesRejectsDuplicatesAndOpensTenders(engine: SQLEngine) throws {
        let cluster = try LocalCluster(engine: engine)
        try cluster.addParty("acme", kind: "partner")
        try cluster.addParty("bolt", kind: "partner")

        let first = try cluster.register(as: "acme", Self.customer + ["--products", "storage,servers"] + Self.deal)
        #expect(first["outcome"] as? String == "APPROVED")
        let held = try #require(first["registration_id"] as? String)
        #expect(first["protected_until"] != nil)

        let respelled = [
            "--customer", "SOCIETE GENERALE D EQUIPEMENT S.A.", "--country", "fr", "--city", "paris", "--postal-code",
            "75 008",
        ]
        let poach = try cluster.register(as: "bolt", respelled + ["--products", "storage"] + Self.deal)
        #expect(poach["outcome"] as? String == "REJECTED")
        #expect(poach["conflicting_registration_id"] as? String == held)
        let matches = try #require(poach["matches"] as? [[String: Any]])
        #expect(matches.first?["registration_id"] as? String == held)
        #expect((matches.first?["reasons"] as? [String])?.contains { $0.hasPrefix("name") } == true)
        // Nothing of the holder leaks to a competing partner.
        let explanation = poach["explanation"] as? String ?? ""
        #expect(!explanation.contains("acme") && !explanation.contains("125000"))

        let again = try cluster.register(as: "acme", respelled + ["--products", "servers"] + Self.deal)
        #expect(again["outcome"] as? String == "DUPLICATE")
        #expect(again["registration_id"] as? String == held)

        // Calling the protected customer a public tender does not open it: a channel manager checks the tender.
        let tender = try cluster.register(
            as: "bolt",
            respelled + ["--products", "storage", "--tender", "--tender-reference", "2026/S 045-123456"] + Self.deal)
        #expect(tender["outcome"] as? String == "PENDING_REVIEW")
        #expect(tender["registration_id"] as? String != held)

        let shown = try cluster.dealreg(["show", held, "--as", "bolt", "--json"])
        #expect(shown.status != 0)
        #expect(shown.output.contains("NOT_FOUND"))
        let listed = try cluster.dealreg(["list", "--as", "acme"])
        #expect(listed.output.contains(held))
        #expect(!listed.output.contains("DR-00000002"))

        // Enforcement followed every event the registry committed.
        let context = try Context()
        let registry = try cluster.client(context: context).status()
        let enforcement = try cluster.enforcementClient(context: context)
        var seen: UInt64 = 0
        for _ in 0..<100 where seen < registry.lastSeq {
            seen = try enforcement.status().lastSeq
            if seen < registry.lastSeq { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(registry.lastSeq >= 6)  // three bootstrap parties, two partners, the registrations
        #expect(seen == registry.lastSeq)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func retriedRequestIDIsDecidedOnce(engine: SQLEngine) throws {
        let cluster = try LocalCluster(workers: 1, engine: engine)
        try cluster.addParty("acme", kind: "partner")
        let arguments = Self.customer + ["--products", "storage", "--request-id", "retry-1"] + Self.deal
        let first = try cluster.register(as: "acme", arguments)
        let second = try cluster.register(as: "acme", arguments)
        #expect(first["outcome"] as? String == "APPROVED")
        #expect(second["outcome"] as? String == "APPROVED")
        #expect(second["registration_id"] as? String == first["registration_id"] as? String)
        let reused = try cluster.register(
            as: "acme", Self.customer + ["--products", "servers", "--request-id", "retry-1"] + Self.deal)
        #expect((reused["error"] as? [String: Any])?["code"] as? String == "REQUEST_ID_REUSED")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func racingPartnersGetExactlyOneProtection(engine: SQLEngine) throws {
        let cluster = try LocalCluster(workers: 2, engine: engine)
        let partners = (1...8).map { "partner-\($0)" }
        for partner in partners { try cluster.addParty(partner, kind: "partner") }
        let context = try Context()
        let clients = try partners.map { try cluster.client(context: context, as: $0) }
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = Customer(legalName: "Nordwind Logistik GmbH", postalCode: "20095", country: "DE").wire
        request.productLines = ["networking"]
        request.amount = Money(minorUnits: 5_000_000, currency: "EUR").wire
        request.expectedClose = LocalCluster.closeDay.wire
        let method = RegistryClient.Method.registerDeal
        for client in clients { try client.bus.send(method, request, requestID: BusClient.newRequestID()) }
        var outcomes: [Dealreg_V1_Outcome] = []
        for client in clients {
            outcomes.append(try method.decode(try client.bus.receive(timeout: .seconds(30))).decision.outcome)
        }
        #expect(outcomes.filter { $0 == .approved }.count == 1)
        #expect(outcomes.filter { $0 == .rejected }.count == partners.count - 1)
    }

    @Test func importsRowsAndReportsBadOnesWithoutStopping() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let csv = cluster.data.appendingPathComponent("deals.csv")
        try """
        ref,customer_name,street,city,postal_code,country,web_domain,product_lines,amount,currency,close_date,tender,tender_reference
        A-1,"Bäckerei Müller, Inh. Hans Müller GmbH",Hauptstr. 5,Köln,50667,DE,baeckerei-mueller.de,POS;printers,1200.50,EUR,\(LocalCluster.closeDate),,
        A-2,Fjord Shipping AS,,Bergen,5003,NO,,servers,990000,NOK,\(LocalCluster.closeDate),no,
        A-3,Broken Row Ltd,,London,SW1A 1AA,GB,,storage,12.345,GBP,\(LocalCluster.closeDate),,
        A-4,Kommune Bergen,,Bergen,5020,NO,,storage,5000000,NOK,\(LocalCluster.closeDate),yes,2026/S 088-004451
        A-5,Bad Country SA,,Paris,75001,ZZ,,storage,1000,EUR,\(LocalCluster.closeDate),,
        A-6,Scierie Vosgienne SAS,,Epinal,88000,FR,,stor age,1000,EUR,\(LocalCluster.closeDate),,
        """.write(to: csv, atomically: true, encoding: .utf8)
        let result = try cluster.dealreg(["import", csv.path, "--as", "acme", "--json"])
        #expect(result.status == 0, "\(result.error)")
        let lines = try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(lines.count == 6)
        let byRef = Dictionary(uniqueKeysWithValues: lines.map { ($0["ref"] as? String ?? "", $0) })
        #expect(byRef["A-1"]?["outcome"] as? String == "APPROVED")
        #expect(byRef["A-2"]?["outcome"] as? String == "APPROVED")
        #expect(byRef["A-4"]?["outcome"] as? String == "APPROVED")
        #expect((byRef["A-3"]?["error"] as? [String: Any])?["field"] as? String == "amount")
        #expect(byRef["A-3"]?["row"] as? Int == 3)
        #expect((byRef["A-5"]?["error"] as? [String: Any])?["field"] as? String == "customer.country")
        let unknownLine = byRef["A-6"]?["error"] as? [String: Any]
        #expect(unknownLine?["field"] as? String == "product_lines")
        #expect(unknownLine?["message"] as? String == "Unknown product line 'stor age'; nearest: storage.")
        #expect(result.error.contains("rows/s"))
    }

    @Test func listShowsEveryRegistrationOrSaysWhatItsLimitLeftOut() throws {
        let cluster = try LocalCluster(workers: 1)
        try cluster.addParty("acme", kind: "partner")
        let csv = cluster.data.appendingPathComponent("deals.csv")
        var rows = "customer_name,city,postal_code,country,product_lines,amount,currency,close_date\n"
        for index in 1...7 {
            rows +=
                "Scierie Numero \(index) SARL,Epinal,880\(10 + index),FR,storage,1000,EUR,\(LocalCluster.closeDate)\n"
        }
        try rows.write(to: csv, atomically: true, encoding: .utf8)
        let imported = try cluster.dealreg(["import", csv.path, "--as", "acme", "--json"])
        #expect(imported.status == 0, "\(imported.error)")
        let registered = try imported.output.split(separator: "\n").map { line in
            let decision = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(decision["registration_id"] as? String)
        }.sorted()
        #expect(registered.count == 7)
        func ids(_ output: String) -> [String] { output.split(separator: "\n").map { String($0.prefix(11)) } }

        // Everything, however many pages the registry answers in, and nothing said about a remainder.
        let all = try cluster.dealreg(["list", "--as", "acme", "--page-size", "3"])
        #expect(all.status == 0 && all.error.isEmpty, "\(all.error)")
        #expect(ids(all.output) == registered)
        let exact = try cluster.dealreg(["list", "--as", "acme", "--limit", "7"])
        #expect(ids(exact.output) == registered && exact.error.isEmpty, "\(exact.error)")

        // A limit says what it left out and how to go on; going on as told lists each registration once.
        var seen: [String] = []
        var after: String?
        for _ in 0..<5 {
            let page = try cluster.dealreg(
                ["list", "--as", "acme", "--limit", "3"] + (after.map { ["--after", $0] } ?? []))
            #expect(page.status == 0)
            seen += ids(page.output)
            guard let told = page.error.components(separatedBy: "with --after ").dropFirst().first else { break }
            after = told.trimmingCharacters(in: .newlines)
            #expect(after == seen.last)
            #expect(
                page.error
                    == "list: 3 shown (--limit 3) and more match; for the rest, run the same command with --after "
                    + "\(seen.last ?? "")\n")
        }
        #expect(after == registered[5], "three pages: 3, 3 and the last one")
        #expect(seen == registered)

        // In JSON, the remainder is one more line after the registrations.
        let json = try cluster.dealreg(["list", "--as", "acme", "--limit", "3", "--page-size", "2", "--json"])
        let lines = json.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.prefix(3).allSatisfy { $0.contains("\"registration_id\":\"") })
        #expect(lines.last == #"{"after":"\#(registered[2])","more":true,"shown":3}"#)
        #expect(json.error.contains("--after \(registered[2])"))
    }
}
