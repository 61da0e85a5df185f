import DealLedger
import DealModel
import DealStore
import DealTestSupport
import DealWire
import Foundation
import Testing

@testable import Registry

/// The registry's audit against an insider with the database (an SQLite file, or the PostgreSQL schema): every
/// registration and link row must exist and be in the state of its latest chained event, so a deal cannot be made to
/// disappear or set back by hand.
@Suite(.timeLimit(.minutes(1))) struct RegistryAuditTests {
    /// A store of its own on `engine` with DR-00000001 registered (event 1) then withdrawn (event 2), and a link.
    static func store(_ engine: SQLEngine) throws -> (scratch: ScratchStore, registered: Registration, link: PartyLink)
    {
        let scratch = try ScratchStore(engine)
        let store = try scratch.registryStore()
        defer { store.database.close() }
        let id = RegistrationID(number: 1)
        let registered = Registration(
            id: id, registrant: PartyID("acme"), holder: PartyID("acme"), holderKind: .partner,
            request: DealRequest(
                customer: Customer(legalName: "Filature du Nord SAS", postalCode: "59000", country: "FR"),
                productLines: ["storage"], amount: Money(minorUnits: 100, currency: "EUR"),
                expectedClose: CalendarDate(iso: "2027-03-01")!),
            status: .approved,
            decision: Decision(
                registrationID: id, outcome: .approved, protectedUntil: CalendarDate(iso: "2027-03-01"),
                explanation: "Approved.", decidedAt: 1))
        var withdrawn = registered
        withdrawn.status = .withdrawn
        withdrawn.closedOn = CalendarDate(iso: "2026-12-04")
        func step(_ registration: Registration, _ seq: UInt64, _ action: String) -> HistoryRow {
            HistoryRow(
                registrationID: id, seq: seq, time: Int64(seq), actor: PartyID("acme"), action: action,
                status: registration.status, reason: "", policyVersion: "builtin")
        }
        let pair = PartyLink.Pair(distributor: PartyID("dist"), reseller: PartyID("acme"))
        let link = PartyLink(pair: pair, state: .proposedByDistributor, proposedBy: pair.distributor, proposedAt: 3)
        try store.commit([
            RegistryWrite(.registered(registered, step(registered, 1, "registered")), seq: 1, time: 1, answer: nil)
        ])
        try store.commit([
            RegistryWrite(.transitioned(withdrawn, step(withdrawn, 2, "withdrawn")), seq: 2, time: 2, answer: nil),
            RegistryWrite(.link(link), seq: 3, time: 3, answer: nil),
        ])
        return (scratch, registered, link)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func anHonestStoreIsIntact(engine: SQLEngine) throws {
        let (scratch, _, _) = try Self.store(engine)
        let verdict = try scratch.verifyRegistry()
        #expect(verdict.firstBroken == nil && verdict.entries == 3, "\(verdict)")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aDeletedRegistrationRowIsNamed(engine: SQLEngine) throws {
        let (scratch, _, _) = try Self.store(engine)
        try scratch.tamper("DELETE FROM registrations WHERE id = 'DR-00000001'")
        let verdict = try scratch.verifyRegistry()
        #expect(verdict.firstBroken == "registration DR-00000001" && verdict.reason.contains("missing"), "\(verdict)")
    }

    /// The row put back exactly as its first event had it (approved, protected): each byte matches an event, but
    /// not the latest one.
    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aRegistrationRowSetBackToAnEarlierEventIsNamed(engine: SQLEngine) throws {
        let (scratch, registered, _) = try Self.store(engine)
        try scratch.tamper(
            "UPDATE registrations SET seq = 1, status = 'approved', body = ? WHERE id = 'DR-00000001'",
            [.blob(try registered.wire.serializedBytes())])
        let verdict = try scratch.verifyRegistry()
        #expect(verdict.firstBroken == "registration DR-00000001", "\(verdict)")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aDeletedLinkRowIsNamed(engine: SQLEngine) throws {
        let (scratch, _, _) = try Self.store(engine)
        try scratch.tamper("DELETE FROM links")
        let verdict = try scratch.verifyRegistry()
        #expect(verdict.firstBroken == "link dist → acme" && verdict.reason.contains("missing"), "\(verdict)")
    }
}
