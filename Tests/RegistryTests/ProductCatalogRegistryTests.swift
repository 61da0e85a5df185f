import DealBus
import DealModel
import DealWire
import Logging
import Testing

@testable import Registry

/// The registry under the policy's product catalog: unknown lines refused with the nearest known ones, spellings
/// and aliases stored as their ids, overlap through the hierarchy, and the stored lines an admin must look at.
@Suite struct ProductCatalogRegistryTests {
    typealias Harness = RegistryCoreTests.Harness

    static let port = RegistryCoreTests.port
    static let gare = Customer(
        legalName: "Brasserie de la Gare SARL", city: "Marseille", postalCode: "13001", country: "FR")

    /// A policy whose catalog holds only `widgets` and `widgets/blue`.
    static let widgets: ProgramPolicy = {
        var policy = ProgramPolicy()
        policy.catalog = try! ProductCatalog(lines: [
            .init("widgets", name: "Widgets"), .init("widgets/blue", name: "Blue widgets"),
        ])
        return policy
    }()

    /// What `principal` is shown of registration `id`.
    static func registration(_ id: String, as principal: String, in harness: inout Harness) throws -> Registration {
        let actions = harness.send(.getRegistration(.with { $0.registrationID = id }), as: principal)
        for envelope in Harness.envelopes(actions) {
            if case .getRegistrationReply(let reply)? = envelope.body,
                let found = Registration(wire: reply.registration)
            {
                return found
            }
        }
        throw WireError(.internal, "no registration \(id) in \(Harness.errors(actions))")
    }

    /// What an admin's (or `principal`'s) status lists of stored product lines the catalog does not know.
    static func unknownLines(as principal: String = "admin", in harness: inout Harness) -> [String: [String]] {
        var lines: [String: [String]] = [:]
        for envelope in Harness.envelopes(harness.send(.status(.init()), as: principal)) {
            guard case .statusReply(let status)? = envelope.body else { continue }
            for line in status.unknownProductLines {
                #expect(Int(line.registrations) == line.registrationIds.count)
                lines[line.line] = line.registrationIds
            }
        }
        return lines
    }

    @Test(arguments: [("stor age", "storage"), ("storage-array", "storage/arrays"), ("sevrers", "servers")])
    func refusesALineTheCatalogDoesNotKnowNamingTheNearest(written: String, nearest: String) throws {
        var harness = try Harness()
        _ = try harness.register(Self.port, as: "acme").get()
        let refused = harness.register(Self.port, as: "bolt", lines: [written])
        guard case .failure(let error) = refused else {
            Issue.record("'\(written)' was decided: \(refused)")
            return
        }
        #expect(error.code == .invalidField && error.field == "product_lines")
        #expect(error.message.hasPrefix("Unknown product line '\(written)'; nearest: \(nearest)"), "\(error.message)")
    }

    @Test(arguments: ["storage-arrays", "Storage Arrays", "SAN", "storage/arrays"])
    func aRivalOnALineUnderAProtectedOneIsRejectedHoweverItIsSpelt(written: String) throws {
        var harness = try Harness()
        let first = try harness.register(Self.port, as: "acme").get()
        let rival = try harness.register(Self.port, as: "bolt", lines: [written]).get()
        #expect(rival.outcome == .rejected && rival.conflictingRegistrationID == first.registrationID)
        let stored = try Self.registration(rival.registrationID, as: "bolt", in: &harness)
        #expect(stored.request.productLines == ["storage/arrays"])
    }

    @Test func aProtectionOnASubLineConflictsWithARivalOnItsParent() throws {
        var harness = try Harness()
        let first = try harness.register(Self.port, as: "acme", lines: ["backup"]).get()
        let rival = try harness.register(Self.port, as: "bolt", lines: ["storage"]).get()
        #expect(rival.outcome == .rejected && rival.conflictingRegistrationID == first.registrationID)
        let sibling = try harness.register(Self.port, as: "bolt", lines: ["storage/arrays"]).get()
        #expect(sibling.outcome == .approved, "arrays and backup are siblings: no overlap")
    }

    @Test func anAliasRegistersAsItsLine() throws {
        var harness = try Harness()
        let decision = try harness.register(Self.gare, as: "acme", lines: ["Backup", "network", "storage/backup"]).get()
        #expect(decision.outcome == .approved)
        let stored = try Self.registration(decision.registrationID, as: "acme", in: &harness)
        #expect(stored.request.productLines == ["storage/backup", "networking"])
    }

    @Test func aReloadedCatalogAppliesToTheNextRequest() throws {
        var harness = try Harness()
        #expect(throws: (any Error).self) { try harness.register(Self.gare, as: "acme", lines: ["widgets"]).get() }
        harness.core.run(Self.widgets)
        #expect(try harness.register(Self.gare, as: "acme", lines: ["Widgets"]).get().outcome == .approved)
        #expect(throws: (any Error).self) { try harness.register(Self.port, as: "acme", lines: ["storage"]).get() }
    }

    @Test func listsStoredLinesTheRunningCatalogDoesNotKnowToAnAdmin() throws {
        var harness = try Harness(policy: Self.widgets)
        let first = try harness.register(Self.gare, as: "acme", lines: ["widgets"]).get()
        let second = try harness.register(Self.port, as: "bolt", lines: ["widgets/blue", "widgets"]).get()
        #expect(Self.unknownLines(in: &harness).isEmpty)
        harness.core.run(ProgramPolicy())
        let expected = [
            "widgets": [first.registrationID, second.registrationID], "widgets/blue": [second.registrationID],
        ]
        #expect(Self.unknownLines(in: &harness) == expected)
        #expect(Self.unknownLines(as: "acme", in: &harness).isEmpty, "a partner is not told")
        // Restarted under the standard catalog: the same list, and the stored lines as written.
        harness.core = try RegistryCore(
            records: harness.store, policy: ProgramPolicy(), settings: RegistryCore.Settings(),
            logger: Logger(label: "test"))
        #expect(Self.unknownLines(in: &harness) == expected)
        let stored = try Self.registration(second.registrationID, as: "bolt", in: &harness)
        #expect(stored.request.productLines == ["widgets/blue", "widgets"])
        // Nothing new may name it.
        guard case .failure(let refused) = harness.register(Self.gare, as: "bolt", lines: ["widgets"]) else {
            Issue.record("a line the catalog does not know was registered")
            return
        }
        #expect(refused.field == "product_lines")
    }
}
