import ArgumentParser
import DealBus
import DealCLI
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// `dealreg demo`: the story the product answers, played on a fresh local cluster over the real protocol, told
/// step by step for a channel chief.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the deal-registration story end to end on a fresh local cluster and tell what happened.")

    @Option(help: "Keep the cluster's data here (default: a temporary directory, removed at the end).")
    var data: String?

    func run() throws {
        let directory =
            data.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("dealreg-demo-\(UUID().uuidString)")
        let cluster = try ChildCluster(directory: directory)
        defer {
            cluster.stop()
            if data == nil { try? FileManager.default.removeItem(at: directory) }
        }
        do {
            try DemoStory(cluster: cluster).play()
        } catch {
            exitWithError(error)
        }
    }
}

/// The story, each step over the real protocol, narrated.
struct DemoStory {
    let cluster: ChildCluster
    private let closeDay = CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).adding(days: 60)
    private var today: CalendarDate { CalendarDate(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }

    func say(_ text: String) { print(text) }

    func play() throws {
        say("dealreg demo: a partner program, its registry and its enforcement, on a fresh local cluster.\n")
        for (id, kind, name) in [
            ("alpha-it", PartyKind.partner, "Alpha IT Solutions"), ("rival-reseller", .partner, "Rival Reseller"),
            ("seller-jane", .seller, "Jane, direct seller"), ("compliance", .enforcementOfficer, "Compliance desk"),
            ("erp", .service, "The vendor's ERP"), ("nordic-dist", .distributor, "Nordic Distribution"),
        ] {
            try addParty(id, kind, name)
        }
        say("1. The program has two partners (Alpha IT, Rival Reseller), a distributor (Nordic Distribution), a")
        say("   direct seller (Jane), a compliance desk and the vendor's ERP, each with its own CURVE key.\n")

        let hospital = Customer(
            legalName: "Centre Hospitalier de Lyon Sud", street: "165 chemin du Grand Revoyet", city: "Pierre-Bénite",
            postalCode: "69310", country: "FR")
        let first = try register("alpha-it", hospital, tender: false)
        say("2. Alpha IT registers an opportunity at \(hospital.legalName): \(first.outcome.rawValue) as")
        say("   \(first.registrationID), protected until \(first.protectedUntil?.description ?? "-").")

        let respelled = Customer(
            legalName: "CENTRE HOSPITALIER LYON-SUD", street: "165 CHEMIN DU GRAND REVOYET", city: "Pierre Benite",
            postalCode: "69 310", country: "FR")
        let second = try register("rival-reseller", respelled, tender: false)
        say(
            "3. Rival Reseller registers the same customer, spelled \"\(respelled.legalName)\": \(second.outcome.rawValue)."
        )
        say("   \(second.explanation)")
        say("   The answer names the holding registration and whether a partner holds it, never who or for how much.\n")

        let booking = try book("ERP-1001", by: "seller-jane", hospital, orderOn: today)
        say("4. The ERP books order ERP-1001 for the hospital, sold directly by Jane, going around the partner:")
        for violation in booking { say("   caught: \(violation.type) - \(violation.explanation)") }
        let jane = try sanctions("seller-jane")
        say("   Zero tolerance on conclusive evidence (the same name at the same address): the case is confirmed at")
        say("   once; Jane's sanction: \(jane.joined(separator: ", ")).\n")

        say("5. Rival Reseller books Alpha IT's protected customer three times (orders ERP-2001..2003):")
        for index in 1...3 {
            let found = try book("ERP-200\(index)", by: "rival-reseller", respelled, orderOn: today)
            say("   order ERP-200\(index): \(found.map(\.type).joined(separator: ", "))")
        }
        say("   Its sanctions so far: \(try sanctions("rival-reseller").joined(separator: ", ")).")
        var refused = ""
        for attempt in 0..<50 where refused.isEmpty {
            let customer = Customer(
                legalName: "Lycée Ampère \(attempt)", city: "Lyon", postalCode: "69002", country: "FR")
            do {
                _ = try register("rival-reseller", customer, tender: false)
                Thread.sleep(forTimeInterval: 0.1)
            } catch ClientError.remote(let error) {
                refused = "\(error.code.name): \(error.message)"
            }
        }
        say("   Suspended, it can no longer register: \(refused)\n")

        let tender = Customer(legalName: "Métropole de Lyon", city: "Lyon", postalCode: "69003", country: "FR")
        let open = try register("alpha-it", tender, tender: true)
        let also = try register("seller-jane", tender, tender: true)
        say("6. A public tender stays open to all: Alpha IT \(open.outcome.rawValue), Jane \(also.outcome.rawValue).\n")

        let school = Customer(legalName: "École Centrale de Lyon", city: "Écully", postalCode: "69130", country: "FR")
        var unlinked = ""
        do {
            _ = try register("nordic-dist", school, tender: false, onBehalfOf: "alpha-it")
        } catch ClientError.remote(let error) {
            unlinked = error.code.name
        }
        say("7. Nordic Distribution files a deal for its reseller Alpha IT: \(unlinked), no two-tier link yet.")
        let pair = (distributor: "nordic-dist", reseller: "alpha-it")
        _ = try cluster.registry(as: "nordic-dist").linkParties(.with { ($0.distributor, $0.reseller) = pair })
        _ = try cluster.registry(as: "alpha-it").acceptLink(.with { ($0.distributor, $0.reseller) = pair })
        let filed = try register("nordic-dist", school, tender: false, onBehalfOf: "alpha-it")
        let holder = try cluster.registry(as: "alpha-it").getRegistration(filed.registrationID.rawValue)
            .registration.holder
        say(
            "   Nordic proposes the link, Alpha IT accepts it; filed again: \(filed.outcome.rawValue), held by \(holder).\n"
        )

        let registry = try cluster.registry(as: "compliance").audit()
        let enforcement = try cluster.enforcement(as: "compliance").audit()
        say("8. Every decision is in a hash-chained ledger: registry \(registry.entries) entries, enforcement")
        say("   \(enforcement.entries) entries, both \(registry.intact && enforcement.intact ? "intact" : "BROKEN").")
    }

    private func addParty(_ id: String, _ kind: PartyKind, _ name: String) throws {
        let keyPair = try CurveKeyPair.generate()
        _ = try cluster.registry(as: "admin").addParty(
            Party(id: PartyID(id), kind: kind, name: name, country: "FR", publicKey: keyPair.publicKey.z85).wire)
        try cluster.options.keystore.save(Identity(id: PartyID(id), kind: kind, keyPair: keyPair))
    }

    private func register(_ principal: String, _ customer: Customer, tender: Bool, onBehalfOf: String = "") throws
        -> Decision
    {
        var request = Dealreg_V1_RegisterDealRequest()
        request.customer = customer.wire
        request.productLines = ["servers"]
        request.amount = Money(minorUnits: 24_000_000, currency: "EUR").wire
        request.expectedClose = closeDay.wire
        request.tender = tender
        if tender { request.tenderReference = "2026/S 045-123456" }
        request.onBehalfOf = onBehalfOf
        guard let decision = Decision(wire: try cluster.registry(as: principal).registerDeal(request).decision) else {
            throw ClientError.badReply("expected a decision")
        }
        return decision
    }

    private func book(_ order: String, by booker: String, _ customer: Customer, orderOn day: CalendarDate) throws
        -> [ViolationLine]
    {
        let booking = Booking(
            orderID: order, customer: customer, productLines: ["servers"],
            amount: Money(minorUnits: 24_000_000, currency: "EUR"), bookedBy: PartyID(booker), bookedOn: day)
        return try cluster.enforcement(as: "erp").recordBooking(booking.wire).violations.map(ViolationLine.init)
    }

    private func sanctions(_ party: String) throws -> [String] {
        return try cluster.enforcement(as: "compliance").listSanctions(.with { $0.party = party }).sanctions.map {
            (SanctionLevel(wire: $0.level)?.rawValue ?? "?").lowercased().replacingOccurrences(of: "_", with: " ")
        }
    }
}
