import DealLedger
import DealModel
import DealWire
import Foundation
import GRDB
import Testing

@testable import Registry

/// The registry's audit against an insider with the database file: every registration and link row must exist and
/// be in the state of its latest chained event, so a deal cannot be made to disappear or set back by hand.
@Suite struct RegistryAuditTests {
    /// A store in a file of its own with DR-00000001 registered (event 1) then withdrawn (event 2), and a link.
    static func store() throws -> (file: URL, registered: Registration, link: PartyLink) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite")
        let store = try RegistryStore(file: file, ledgerKey: testLedgerKey)
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
        return (file, registered, link)
    }

    static func tamper(_ file: URL, _ sql: String, _ arguments: StatementArguments = []) throws {
        try DatabaseQueue(path: file.path).write { try $0.execute(sql: sql, arguments: arguments) }
    }

    @Test func anHonestStoreIsIntact() throws {
        let (file, _, _) = try Self.store()
        defer { try? FileManager.default.removeItem(at: file) }
        let verdict = try RegistryStore.verify(readingOnly: file, AuditPlan(keyring: testLedgerKey.keyring))
        #expect(verdict.firstBroken == nil && verdict.entries == 3, "\(verdict)")
    }

    @Test func aDeletedRegistrationRowIsNamed() throws {
        let (file, _, _) = try Self.store()
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.tamper(file, "DELETE FROM registrations WHERE id = 'DR-00000001'")
        let verdict = try RegistryStore.verify(readingOnly: file, AuditPlan(keyring: testLedgerKey.keyring))
        #expect(verdict.firstBroken == "registration DR-00000001" && verdict.reason.contains("missing"), "\(verdict)")
    }

    /// The row put back exactly as its first event had it (approved, protected): each byte matches an event, but
    /// not the latest one.
    @Test func aRegistrationRowSetBackToAnEarlierEventIsNamed() throws {
        let (file, registered, _) = try Self.store()
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.tamper(
            file, "UPDATE registrations SET seq = 1, status = 'approved', body = ? WHERE id = 'DR-00000001'",
            [Data(try registered.wire.serializedBytes() as [UInt8])])
        let verdict = try RegistryStore.verify(readingOnly: file, AuditPlan(keyring: testLedgerKey.keyring))
        #expect(verdict.firstBroken == "registration DR-00000001", "\(verdict)")
    }

    @Test func aDeletedLinkRowIsNamed() throws {
        let (file, _, _) = try Self.store()
        defer { try? FileManager.default.removeItem(at: file) }
        try Self.tamper(file, "DELETE FROM links")
        let verdict = try RegistryStore.verify(readingOnly: file, AuditPlan(keyring: testLedgerKey.keyring))
        #expect(verdict.firstBroken == "link dist → acme" && verdict.reason.contains("missing"), "\(verdict)")
    }
}
