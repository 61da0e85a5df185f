import DealBus
import DealModel
import DealStore
import DealWire
import Foundation
import Testing
import ZeroMQ

/// A registration's whole life under a written policy, through the real services, the real CLI and a registry
/// clock the test moves (ARCHITECTURE.md, "Decision rules").
@Suite(.serialized, .timeLimit(.minutes(5)))
struct LifecycleTests {
    /// Friday 14 May 2027, noon UTC: the Monday after is Whit Monday, a French public holiday.
    static let friday = CalendarDate(iso: "2027-05-14")!
    static var offsetToFriday: Int64 {
        Int64(friday.daysSinceEpoch) * 86_400 + 43_200 - Int64(Date().timeIntervalSince1970)
    }
    static let policy = """
        {
          "version": "test-policy",
          "protection": { "days": 90, "days_by_tier": { "gold": 120 }, "extension_days": 30 },
          "review": { "sla_business_days": 2 },
          "quotas": { "by_principal": { "quota-partner": 2 } }
        }
        """
    static let deal = ["--amount", "80000", "--currency", "EUR", "--close-date", "2027-09-30"]
    static func customer(_ name: String, city: String = "Lyon", postalCode: String = "69002") -> [String] {
        ["--customer", name, "--country", "FR", "--city", city, "--postal-code", postalCode, "--products", "storage"]
    }

    func json(_ result: (status: Int32, output: String, error: String)) throws -> [String: Any] {
        let line = try #require(result.output.split(separator: "\n").first.map(String.init), "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func reviewsExtensionsWinsPartnerManagedAccountsAndVisibility(engine: SQLEngine) throws {
        let cluster = try LocalCluster(
            workers: 1, policy: Self.policy, clockOffset: Self.offsetToFriday, engine: engine)
        for (id, kind) in [
            ("acme", "partner"), ("bolt", "partner"), ("cm", "channel-manager"), ("seller-1", "seller"),
            ("dist", "distributor"), ("reseller", "partner"),
        ] {
            try cluster.addParty(id, kind: kind)
        }

        // Approved, extended once (a second time is refused), then won.
        let first = try cluster.register(as: "acme", Self.customer("Brasserie des Terreaux SARL") + Self.deal)
        #expect(first["outcome"] as? String == "APPROVED")
        #expect((first["policy_version"] as? String)?.hasPrefix("test-policy+") == true)
        let won = try #require(first["registration_id"] as? String)
        let extended = try json(
            cluster.dealreg(["extend", won, "--reason", "board meets in June", "--as", "acme", "--json"]))
        #expect(extended["protected_until"] as? String == Self.friday.adding(days: 120).description)
        #expect(extended["extended"] as? Bool == true)
        let again = try cluster.dealreg(["extend", won, "--reason", "more", "--as", "acme", "--json"])
        #expect(again.status == 2 && again.output.contains("INVALID_TRANSITION"))
        let stolen = try cluster.dealreg(["close", won, "--won", "--as", "bolt", "--json"])
        #expect(stolen.status == 2 && stolen.output.contains("NOT_FOUND"))
        let closed = try json(cluster.dealreg(["close", won, "--won", "--as", "acme", "--json"]))
        #expect(closed["status"] as? String == "won")
        #expect(closed["closed_on"] as? String == Self.friday.description)

        // The customer is now partner-managed: direct sales are refused, another partner goes to review, due
        // after two French business days skipping Whit Monday.
        let seller = try cluster.register(as: "seller-1", Self.customer("Brasserie des Terreaux") + Self.deal)
        #expect(seller["outcome"] as? String == "REJECTED")
        #expect((seller["explanation"] as? String)?.contains("work with the partner") == true)
        let rival = try cluster.register(as: "bolt", Self.customer("BRASSERIE DES TERREAUX S.A.R.L.") + Self.deal)
        #expect(rival["outcome"] as? String == "PENDING_REVIEW")
        #expect(rival["review_due"] as? String == "2027-05-19")
        let inReview = try #require(rival["registration_id"] as? String)
        let queue = try cluster.dealreg(["review", "list", "--as", "cm"]).output
        #expect(queue.contains(inReview) && queue.contains("review due 2027-05-19"), "\(queue)")
        let selfApproved = try cluster.dealreg(["review", "approve", inReview, "--reason", "me", "--as", "bolt"])
        #expect(selfApproved.status == 2 && selfApproved.output.contains("PERMISSION_DENIED"))
        let noReason = try cluster.dealreg(["review", "approve", inReview, "--reason", " ", "--as", "cm", "--json"])
        #expect(noReason.status == 2 && noReason.output.contains("MISSING_FIELD"))
        // The registry and enforcement stop (SIGTERM) and start again on the same data before the review falls
        // due: the review's due date is kept and still watched.
        func restart(_ executable: String) throws {
            let old = try #require(cluster.pids(of: executable).first)
            kill(old, SIGTERM)
            for _ in 0..<400 where cluster.pids(of: executable).first.map({ $0 == old }) ?? true {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        try restart("dealreg-registry")
        try restart("dealreg-enforce")
        // Nobody decides it by Wednesday: on Thursday enforcement escalates it (the vendor's own promise).
        try cluster.setClock(offset: Self.offsetToFriday + 6 * 86_400)
        var escalations = ""
        for _ in 0..<300 where !escalations.contains(inReview) {
            escalations = try cluster.dealreg(["escalations", "list", "--as", "cm"]).output
            if !escalations.contains(inReview) { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(escalations.contains(inReview) && escalations.contains("review due 2027-05-19"), "\(escalations)")
        #expect(!escalations.contains(won))
        // Restarted once more, enforcement does not escalate it a second time.
        try restart("dealreg-enforce")
        var listed: (status: Int32, output: String, error: String) = (1, "", "")
        for _ in 0..<300 where listed.status != 0 {
            listed = try cluster.dealreg(["escalations", "list", "--as", "cm"])
            if listed.status != 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(listed.output.split(separator: "\n").filter { $0.contains(inReview) }.count == 1, "\(listed.output)")
        let approved = try json(
            cluster.dealreg(["review", "approve", inReview, "--reason", "customer chose bolt", "--as", "cm", "--json"]))
        #expect(approved["status"] as? String == "approved")
        let withdrawn = try json(cluster.dealreg(["withdraw", inReview, "--as", "bolt", "--json"]))
        #expect(withdrawn["status"] as? String == "withdrawn")
        let history = try cluster.dealreg(["history", inReview, "--as", "bolt", "--json"]).output
            .split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        #expect(history.map { $0["action"] as? String } == ["registered", "approved", "withdrawn"])
        #expect(history[1]["actor"] as? String == "cm" && history[1]["reason"] as? String == "customer chose bolt")

        // Two-tier: only once the reseller accepted the distributor's link (`party link`, `party accept`) does the
        // distributor file for it; the reseller holds what it filed; both see it, nobody else does.
        let twoTierDeal = Self.customer("Imprimerie Rhône Alpes SAS") + Self.deal + ["--on-behalf-of", "reseller"]
        let unlinked = try cluster.register(as: "dist", twoTierDeal)
        #expect((unlinked["error"] as? [String: Any])?["code"] as? String == "PERMISSION_DENIED", "\(unlinked)")
        #expect((unlinked["error"] as? [String: Any])?["field"] as? String == "on_behalf_of")
        let proposed = try json(cluster.dealreg(["party", "link", "dist", "reseller", "--json"]))
        #expect(
            proposed["state"] as? String == "proposed-by-distributor" && proposed["proposed_by"] as? String == "dist")
        #expect(try cluster.dealreg(["party", "accept", "dist", "reseller", "--as", "dist"]).status == 2)
        let accepted = try json(cluster.dealreg(["party", "accept", "dist", "reseller", "--json"]))
        #expect(accepted["state"] as? String == "active" && accepted["accepted_by"] as? String == "reseller")
        #expect(try cluster.dealreg(["party", "links", "--as", "reseller"]).output.contains("dist → reseller  active"))
        #expect(try cluster.dealreg(["party", "links", "--as", "bolt"]).output.isEmpty)
        let filed = try cluster.register(as: "dist", twoTierDeal)
        let twoTier = try #require(filed["registration_id"] as? String)
        for principal in ["dist", "reseller", "cm"] {
            #expect(try cluster.dealreg(["show", twoTier, "--as", principal]).status == 0, "\(principal)")
        }
        #expect(try cluster.dealreg(["show", twoTier, "--as", "bolt"]).output.contains("NOT_FOUND"))
        #expect(try cluster.dealreg(["list", "--as", "reseller"]).output.contains(twoTier))
        #expect(!(try cluster.dealreg(["list", "--as", "acme"]).output.contains(twoTier)))

        // Filters of `dealreg list`.
        let wonList = try cluster.dealreg(["list", "--status", "won", "--as", "cm"]).output
        #expect(wonList.contains(won) && !wonList.contains(inReview))
        #expect(try cluster.dealreg(["list", "--customer", "imprimerie", "--as", "cm"]).output.contains(twoTier))
        #expect(try cluster.dealreg(["list", "--registrant", "dist", "--as", "cm"]).output.contains(twoTier))
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func quotasExpiryDuringAnOutageCooldownAndPolicyReload(engine: SQLEngine) throws {
        let cluster = try LocalCluster(
            workers: 1, policy: Self.policy, clockOffset: Self.offsetToFriday, engine: engine)
        try cluster.addParty("quota-partner", kind: "partner")
        try cluster.addParty("acme", kind: "partner")
        for index in 1...2 {
            let ok = try cluster.register(
                as: "quota-partner",
                Self.customer("Quota Client \(index) SA", city: "Nantes", postalCode: "4400\(index)") + Self.deal)
            #expect(ok["outcome"] as? String == "APPROVED")
        }
        let over = try cluster.register(
            as: "quota-partner", Self.customer("Quota Client 3 SA", city: "Nantes", postalCode: "44003") + Self.deal)
        #expect((over["error"] as? [String: Any])?["code"] as? String == "QUOTA_EXCEEDED")

        // A gold-tier partner's protection lasts the gold tier's days.
        let goldie = try cluster.dealreg([
            "party", "add", "goldie", "--kind", "partner", "--name", "Goldie", "--tier", "gold",
        ])
        #expect(goldie.status == 0, "\(goldie)")
        let gold = try cluster.register(
            as: "goldie", Self.customer("Orfevrerie Doree SA", city: "Paris", postalCode: "75001") + Self.deal)
        #expect(gold["protected_until"] as? String == Self.friday.adding(days: 120).description)

        let expiring = try cluster.register(
            as: "acme", Self.customer("Fromagerie Savoyarde SAS", city: "Annecy", postalCode: "74000") + Self.deal)
        let id = try #require(expiring["registration_id"] as? String)
        #expect(try cluster.dealreg(["list", "--expiring-within", "90", "--as", "acme"]).output.contains(id))
        #expect(!(try cluster.dealreg(["list", "--expiring-within", "30", "--as", "acme"]).output.contains(id)))

        // The registry goes down; its protection ends while it is down; the restarted registry expires it first.
        let registry = try #require(cluster.pids(of: "dealreg-registry").first)
        kill(registry, SIGKILL)
        try String(Self.offsetToFriday + 92 * 86_400).write(to: cluster.clockFile, atomically: true, encoding: .utf8)
        var status = ""
        for _ in 0..<200 where status != "expired" {
            Thread.sleep(forTimeInterval: 0.1)
            if let shown = try? json(cluster.dealreg(["show", id, "--as", "acme", "--json"])) {
                status = shown["status"] as? String ?? ""
            }
        }
        #expect(status == "expired")
        let history = try cluster.dealreg(["history", id, "--as", "acme"]).output
        #expect(history.contains("expired  by registry"))

        // Registering it again within 30 days of its own expiry needs a review.
        let back = try cluster.register(
            as: "acme",
            Self.customer("Fromagerie Savoyarde", city: "Annecy", postalCode: "74000") + Self.deal(after: 92))
        #expect(back["outcome"] as? String == "PENDING_REVIEW")

        // A bad policy file is refused on reload, naming the key; the running policy stays.
        let running = try cluster.dealreg(["policy", "show", "--as", "acme"]).output
        try #"{"version": "bad", "protection": {"days": -5}}"#.write(
            to: cluster.policyFile, atomically: true, encoding: .utf8)
        let refused = try cluster.dealreg(["policy", "reload", "--as", "admin", "--json"])
        #expect(
            refused.status == 2 && refused.output.contains("INVALID_POLICY")
                && refused.output.contains("protection.days"))
        #expect(try cluster.dealreg(["policy", "show", "--as", "acme"]).output == running)
        try #"{"version": "good", "protection": {"days": 45}}"#.write(
            to: cluster.policyFile, atomically: true, encoding: .utf8)
        #expect(try cluster.dealreg(["policy", "reload", "--as", "admin"]).output.contains("policy good+"))
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func closingRejectingAndExpiryFreeTheCustomerAndFinishedOnesRefuseSteps(engine: SQLEngine) throws {
        let cluster = try LocalCluster(
            workers: 2, policy: Self.policy, clockOffset: Self.offsetToFriday, engine: engine)
        for (id, kind) in [("acme", "partner"), ("bolt", "partner"), ("cm", "channel-manager")] {
            try cluster.addParty(id, kind: kind)
        }
        // Lost: the customer is free again for anyone (every worker dropped it from its index).
        let lost = try #require(
            try cluster.register(
                as: "acme",
                Self.customer("Verrerie du Lac SA", city: "Annecy", postalCode: "74000")
                    + Self.deal)["registration_id"] as? String)
        #expect(
            try json(cluster.dealreg(["close", lost, "--lost", "--as", "acme", "--json"]))["status"] as? String
                == "lost")
        let relost = try cluster.dealreg(["close", lost, "--won", "--as", "acme", "--json"])
        #expect(relost.status == 2 && relost.output.contains("INVALID_TRANSITION"))
        for attempt in 0..<2 {
            let free = try cluster.register(
                as: "bolt", Self.customer("VERRERIE DU LAC", city: "Annecy", postalCode: "74000") + Self.deal)
            #expect(free["outcome"] as? String == (attempt == 0 ? "APPROVED" : "DUPLICATE"))
        }

        // A review rejected by the channel manager, with its reason in the history.
        let won = try #require(
            try cluster.register(as: "acme", Self.customer("Tissage Lyonnais SARL") + Self.deal)["registration_id"]
                as? String)
        _ = try cluster.dealreg(["close", won, "--won", "--as", "acme"])
        let review = try #require(
            try cluster.register(as: "bolt", Self.customer("TISSAGE LYONNAIS") + Self.deal)["registration_id"]
                as? String)
        let rejected = try json(
            cluster.dealreg([
                "review", "reject", review, "--reason", "customer stays with acme", "--as", "cm", "--json",
            ]))
        #expect(rejected["status"] as? String == "rejected")
        let twice = try cluster.dealreg(["review", "approve", review, "--reason", "changed my mind", "--as", "cm"])
        #expect(twice.status == 2 && twice.output.contains("INVALID_TRANSITION"))
        #expect(try cluster.dealreg(["history", review, "--as", "bolt"]).output.contains("customer stays with acme"))

        // An expired registration can no longer be extended, and frees its customer for others.
        let expiring = try #require(
            try cluster.register(
                as: "acme",
                Self.customer("Chocolaterie Alpine SAS", city: "Grenoble", postalCode: "38000")
                    + Self.deal)["registration_id"] as? String)
        try cluster.setClock(offset: Self.offsetToFriday + 91 * 86_400)
        let late = try cluster.dealreg(["extend", expiring, "--reason", "late", "--as", "acme", "--json"])
        #expect(late.status == 2 && late.output.contains("INVALID_TRANSITION"))
        var expired = false
        for _ in 0..<50 where !expired {
            expired = try cluster.dealreg(["list", "--status", "expired", "--as", "acme"]).output.contains(expiring)
            if !expired { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(expired)
        let taken = try cluster.register(
            as: "bolt",
            Self.customer("CHOCOLATERIE ALPINE", city: "Grenoble", postalCode: "38000") + Self.deal(after: 91))
        #expect(taken["outcome"] as? String == "APPROVED")
    }

    @Test func anInvalidPolicyFileStopsTheRegistryAtStartNamingTheKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("policy.json")
        try #"{"review": {"sla_business_dayz": 2}}"#.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = LocalCluster.binaries.appendingPathComponent("dealreg-registry")
        process.arguments = [
            "--data", directory.appendingPathComponent("registry").path, "--policy", file.path, "--api",
            "tcp://127.0.0.1:*", "--work", "tcp://127.0.0.1:*", "--events", "tcp://127.0.0.1:*", "--sync",
            "tcp://127.0.0.1:*",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("review.sla_business_dayz: unknown key"), "\(text)")

        let check = Process()
        check.executableURL = LocalCluster.binaries.appendingPathComponent("dealreg")
        check.arguments = ["policy", "check", file.path]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        let checked = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        #expect(check.terminationStatus == 2 && checked.contains("review.sla_business_dayz"))
    }
}

extension LifecycleTests {
    /// The deal flags with a close date `days` after the test's Friday plus a margin.
    static func deal(after days: Int) -> [String] {
        ["--amount", "80000", "--currency", "EUR", "--close-date", friday.adding(days: days + 60).description]
    }
}
