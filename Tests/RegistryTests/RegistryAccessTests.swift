import DealLedger
import DealModel
import DealStore
import DealWire
import Foundation
import GRDB
import Testing

@testable import Registry

/// "Who looked at my deal" (issue 18): a read of partners' registrations by the vendor's side is an `access` event,
/// committed before the read is answered; the partner's own reads are not; the registrant lists them and finds them
/// in its feed, cut down to its own registrations.
@Suite(.timeLimit(.minutes(2))) struct RegistryAccessTests {
    typealias Harness = RegistryCoreTests.Harness

    static let quay = RegistryLinkTests.quay
    static let hill = RegistryLinkTests.hill

    static func harness(engine: SQLEngine = .sqlite) throws -> Harness {
        try Harness(
            engine: engine,
            extra: [
                ("manager", .channelManager), ("officer", .enforcementOfficer), ("seller-1", .seller),
                ("erp", .service),
                ("cami", .partner),
            ])
    }

    typealias Recorded = (seq: UInt64, record: Dealreg_V1_AccessRecord)

    /// The `access` events committed after `seq`, with their seqs.
    static func accesses(_ harness: Harness, after seq: UInt64) throws -> [Recorded] {
        try harness.store.feed(nil, after: seq, limit: 1000).compactMap { row in
            guard let event = try? WireEvent(serializedBytes: row.body), case .access(let record)? = event.payload
            else { return nil }
            return (row.seq, record)
        }
    }

    static func get(_ id: String) -> WireEnvelope.OneOf_Body { .getRegistration(.with { $0.registrationID = id }) }

    static func listAccess(_ id: String) -> WireEnvelope.OneOf_Body {
        .listAccess(.with { $0.registrationID = id })
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aChannelManagersShowIsRecordedBeforeItIsAnswered(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let held = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let head = harness.core.committed.seq
        let asked = harness.send(Self.get(held.registrationID), as: "manager", requestID: "look-1")
        #expect(Harness.envelopes(asked).isEmpty, "answered before its access was recorded")
        // The turn's write carries the access event; the answer comes only after it.
        let sealed = harness.core.endOfTurn(at: harness.now)
        guard case .write(let writes)? = sealed.first else {
            Issue.record("no write: \(sealed)")
            return
        }
        #expect(writes.map(\.change.topic) == ["access"])
        #expect(Harness.envelopes(sealed).isEmpty)
        let answered = harness.perform(sealed)
        let reply = try #require(Harness.envelopes(answered).first)
        #expect(reply.requestID == "look-1")
        guard case .getRegistrationReply(let shown)? = reply.body else {
            Issue.record("not the registration: \(reply)")
            return
        }
        #expect(shown.registration.id == held.registrationID)
        let recorded = try Self.accesses(harness, after: head)
        #expect(recorded.count == 1)
        let access = try #require(recorded.first).record
        #expect(access.reader == "manager" && access.readerKind == .channelManager)
        #expect(access.method == "GetRegistration" && access.requestID == "look-1")
        #expect(access.registrationIds == [held.registrationID])
    }

    @Test func aReadThatCannotBeRecordedFailsLikeAWrite() throws {
        var harness = try Self.harness()
        let held = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let head = harness.core.committed.seq
        _ = harness.send(.history(.with { $0.registrationID = held.registrationID }), as: "admin")
        let sealed = harness.core.endOfTurn(at: harness.now)
        #expect(sealed.contains { if case .write = $0 { true } else { false } })
        // The disk is full: the write is refused, and so is the read.
        let refused = harness.core.commitFailed(DatabaseError(resultCode: .SQLITE_FULL), at: harness.now)
        #expect(Harness.errors(refused).map(\.code) == [.storageUnavailable])
        #expect(Harness.envelopes(refused).count == 1, "one answer: the refusal")
        #expect(harness.core.committed.seq == head)
        // The partner's own reads are not recorded, so they go on.
        let own = harness.send(Self.get(held.registrationID), as: "acme")
        #expect(Harness.errors(own).isEmpty && Harness.envelopes(own).count == 1)
    }

    @Test func aPartnersOwnReadsAreNotRecorded() throws {
        var harness = try Self.harness()
        let held = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let head = harness.core.committed.seq
        var answered = harness.send(Self.get(held.registrationID), as: "acme")
        answered += harness.send(.listRegistrations(.init()), as: "acme")
        answered += harness.send(.history(.with { $0.registrationID = held.registrationID }), as: "acme")
        answered += harness.send(.feed(.init()), as: "acme")
        #expect(Harness.envelopes(answered).count == 4, "each answered at once")
        #expect(Harness.errors(answered).isEmpty)
        _ = harness.endTurn()
        #expect(harness.core.committed.seq == head)
        #expect(try Self.accesses(harness, after: 0).isEmpty)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aListRecordsOneEventNamingOnlyPartnersRegistrations(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let acme = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let direct = try harness.register(Self.quay, as: "seller-1").get()
        let bolt = try harness.register(Self.hill, as: "bolt").get()
        #expect(Set([acme, direct, bolt].map(\.outcome)) == [.approved])
        let head = harness.core.committed.seq
        _ = harness.send(.listRegistrations(.init()), as: "manager", requestID: "page-1")
        let answered = harness.endTurn()
        guard case .listRegistrationsReply(let page)? = Harness.envelopes(answered).first?.body else {
            Issue.record("no page: \(answered)")
            return
        }
        #expect(page.registrations.count == 3, "the seller's own deal is listed too")
        let recorded = try Self.accesses(harness, after: head)
        #expect(recorded.count == 1)
        #expect(recorded.first?.record.method == "ListRegistrations")
        #expect(recorded.first?.record.registrationIds == [acme.registrationID, bolt.registrationID])
        // The seller reading its own deal is the vendor reading itself.
        _ = harness.send(Self.get(direct.registrationID), as: "seller-1")
        _ = harness.endTurn()
        #expect(try Self.accesses(harness, after: head).count == 1)
    }

    @Test func aSellerToldOfAPartnersRegistrationIsRecordedWithItsDecision() throws {
        var harness = try Self.harness()
        let held = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let head = harness.core.committed.seq
        let rejected = try harness.register(RegistryCoreTests.port, as: "seller-1", requestID: "direct-1").get()
        #expect(rejected.outcome == .rejected && rejected.conflictingRegistrationID == held.registrationID)
        let recorded = try Self.accesses(harness, after: head)
        #expect(recorded.count == 1)
        let access = try #require(recorded.first)
        // In the decision's commit, right after it.
        #expect(access.seq == head + 2 && harness.core.committed.seq == head + 2)
        #expect(access.record.reader == "seller-1" && access.record.readerKind == .seller)
        #expect(access.record.method == "conflict" && access.record.requestID == "direct-1")
        #expect(access.record.registrationIds == [held.registrationID])
        // A partner told the same is not the vendor's side.
        _ = try harness.register(RegistryCoreTests.port, as: "bolt").get()
        #expect(try Self.accesses(harness, after: head).count == 1)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func onlyTheRegistrationsOwnSideAndOverseersOfTheProgramListItsReads(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let held = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let id = held.registrationID
        _ = harness.send(Self.get(id), as: "manager", requestID: "look-1")
        _ = harness.endTurn()
        _ = harness.send(Self.get(id), as: "acme")
        let head = harness.core.committed.seq
        for principal in ["acme", "admin", "officer"] {
            let answered = harness.send(Self.listAccess(id), as: principal)
            guard case .listAccessReply(let reply)? = Harness.envelopes(answered).first?.body else {
                Issue.record("\(principal): \(Harness.errors(answered))")
                continue
            }
            #expect(reply.entries.map(\.reader) == ["manager"], "\(principal)")
            #expect(reply.entries.first?.method == "GetRegistration" && reply.entries.first?.requestID == "look-1")
            #expect(reply.entries.first?.readerKind == .channelManager && reply.entries.first?.seq == head)
        }
        // Another partner learns nothing, not even that it exists: the answer is the one for a missing id.
        let theirs = Harness.errors(harness.send(Self.listAccess(id), as: "bolt")).first
        let missing = Harness.errors(harness.send(Self.listAccess("DR-09999999"), as: "bolt")).first
        #expect(theirs?.code == .notFound && theirs?.field == "registration_id")
        #expect(
            theirs?.message.replacingOccurrences(of: id, with: "ID")
                == missing?.message.replacingOccurrences(of: "DR-09999999", with: "ID"))
        for principal in ["manager", "erp"] {
            let refused = Harness.errors(harness.send(Self.listAccess(id), as: principal)).first
            #expect(refused?.code == .permissionDenied, "\(principal)")
        }
        _ = harness.endTurn()
        #expect(harness.core.committed.seq == head, "listing the access log is not itself recorded")
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func aPartnersFeedCarriesTheReadsOfItsOwnRegistrationsOnly(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let acme = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let bolt = try harness.register(Self.hill, as: "bolt").get()
        _ = harness.send(.listRegistrations(.init()), as: "manager", requestID: "page-1")
        _ = harness.endTurn()
        func accessesInFeed(of principal: String) -> [Dealreg_V1_AccessRecord] {
            let answered = harness.send(.feed(.with { $0.limit = 1000 }), as: principal)
            guard case .feedReply(let page)? = Harness.envelopes(answered).first?.body else { return [] }
            return page.events.compactMap { if case .access(let record)? = $0.payload { record } else { nil } }
        }
        let acmes = accessesInFeed(of: "acme")
        #expect(acmes.map(\.registrationIds) == [[acme.registrationID]], "\(acmes)")
        #expect(acmes.first?.reader == "manager" && acmes.first?.requestID == "page-1")
        #expect(accessesInFeed(of: "bolt").map(\.registrationIds) == [[bolt.registrationID]])
        #expect(accessesInFeed(of: "cami").isEmpty)

        // The vendor's side sees the event whole, and its own page of the partners' registrations is recorded.
        let head = harness.core.committed.seq
        _ = harness.send(.feed(.with { $0.limit = 1000 }), as: "erp", requestID: "poll-1")
        let answered = harness.endTurn()
        guard case .feedReply(let page)? = Harness.envelopes(answered).first?.body else {
            Issue.record("no page: \(answered)")
            return
        }
        let whole = page.events.compactMap { if case .access(let record)? = $0.payload { record } else { nil } }
        #expect(whole.map(\.registrationIds) == [[acme.registrationID, bolt.registrationID]])
        let recorded = try Self.accesses(harness, after: head)
        #expect(recorded.map(\.record.method) == ["Feed"] && recorded.first?.record.reader == "erp")
        #expect(recorded.first?.record.registrationIds == [acme.registrationID, bolt.registrationID])
        // A page with no registration event on it records nothing.
        _ = harness.send(.feed(.with { $0.afterSeq = head }), as: "erp")
        _ = harness.endTurn()
        #expect(try Self.accesses(harness, after: head).count == 1)
    }

    @Test(arguments: [SQLEngine.sqlite, .postgres])
    func theAuditHoldsTheAccessLogToTheLedger(engine: SQLEngine) throws {
        var harness = try Self.harness(engine: engine)
        let acme = try harness.register(RegistryCoreTests.port, as: "acme").get()
        let bolt = try harness.register(Self.hill, as: "bolt").get()
        _ = harness.send(.listRegistrations(.init()), as: "admin")
        _ = harness.endTurn()
        let intact = try RegistryStore.verify(harness.store.database, AuditPlan(keyring: harness.store.keyring))
        #expect(intact.firstBroken == nil, "\(intact)")
        _ = try harness.store.database.write { db in
            try db.execute("DELETE FROM access_log WHERE registration_id = ?", .text(bolt.registrationID))
        }
        let deleted = try RegistryStore.verify(harness.store.database, AuditPlan(keyring: harness.store.keyring))
        #expect(deleted.firstBroken == "access \(bolt.registrationID)", "\(deleted)")
        #expect(deleted.reason.contains("the access log differs from the ledger"))
        try harness.store.database.write { db in
            try db.execute(
                "INSERT INTO access_log (registration_id, seq) SELECT ?, seq FROM access_log",
                .text(bolt.registrationID))
            // A read of acme's registration made up afterwards, on an event that recorded no read.
            try db.execute("INSERT INTO access_log (registration_id, seq) VALUES (?, 1)", .text(acme.registrationID))
        }
        let added = try RegistryStore.verify(harness.store.database, AuditPlan(keyring: harness.store.keyring))
        #expect(added.firstBroken == "access \(acme.registrationID)", "\(added)")
        #expect(added.reason.contains("the access log differs from the ledger"))
    }
}
