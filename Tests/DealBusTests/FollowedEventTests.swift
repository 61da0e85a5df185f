import DealBus
import DealWire
import SwiftProtobuf
import Testing

/// A check worker reads the registry's events through `Dealreg_V1_WorkerEvent`, a view of `Event` that keeps the
/// fields the worker uses under the same numbers: it must read exactly those fields of the full event's bytes, and
/// the same events out of a sync reply.
@Suite struct FollowedEventTests {
    static func events() -> [WireEvent] {
        var registration = WireEvent()
        registration.seq = 41
        registration.time = 1_800_000_000
        registration.history.action = "registered"
        registration.registration.id = "DR-00000041"
        registration.registration.accountID = "AC-00000007"
        registration.registration.decision.explanation = "Approved: no other registration of this customer."
        registration.registration.request.customer.legalName = "Filature du Nord SAS"
        registration.registration.request.customer.postalCode = "59000"
        registration.registration.request.customer.country = "FR"
        registration.registration.request.productLines = ["storage", "servers"]
        var account = WireEvent()
        account.seq = 42
        account.account.id = "AC-00000007"
        account.account.mergedInto = "AC-00000003"
        account.account.spellings = [registration.registration.request.customer]
        account.account.reason = "the same spinning mill"
        var party = WireEvent()
        party.seq = 43
        party.party.id = "acme"
        party.party.name = "Acme Systems"
        return [registration, account, party]
    }

    @Test func theViewReadsWhatTheWorkerUsesOfEachEvent() throws {
        let events = Self.events()
        let views = try events.map { try Dealreg_V1_WorkerEvent(frame: try $0.serializedBytes()) }
        #expect(views.map(\.seq) == [41, 42, 43])
        #expect(views[0].registration.accountID == "AC-00000007")
        #expect(views[0].registration.request.customer == events[0].registration.request.customer)
        #expect(views[1].account == events[1].account)
        #expect(views[2].payload == nil)
        // What the view leaves out is dropped, not carried along as unknown fields.
        #expect(views.allSatisfy { $0.unknownFields.data.isEmpty && $0.registration.unknownFields.data.isEmpty })
    }

    @Test func bothReadTheSameSyncReply() throws {
        var reply = Dealreg_V1_SyncReply()
        reply.events = Self.events()
        reply.headSeq = 43
        var envelope = WireEnvelope()
        envelope.requestID = "sync-3"
        envelope.syncReply = reply
        let payload: [UInt8] = try envelope.serializedBytes()
        let whole = try #require(WireEvent.syncReply(payload))
        let viewed = try #require(Dealreg_V1_WorkerEvent.syncReply(payload))
        #expect(whole.requestID == "sync-3" && viewed.requestID == "sync-3")
        #expect(whole.reply?.headSeq == 43 && viewed.reply?.headSeq == 43)
        #expect(whole.reply?.events == reply.events)
        #expect(viewed.reply?.events.map(\.seq) == [41, 42, 43])
        #expect(viewed.reply?.events.first?.registration.accountID == "AC-00000007")

        // A refusal has no events, and says so rather than reading as an empty log.
        var refusal = WireEnvelope()
        refusal.requestID = "sync-4"
        refusal.error.message = "not allowed"
        let refused: [UInt8] = try refusal.serializedBytes()
        #expect(WireEvent.syncReply(refused)?.requestID == "sync-4")
        #expect(WireEvent.syncReply(refused)?.reply == nil)
        #expect(Dealreg_V1_WorkerEvent.syncReply(refused)?.reply == nil)
        #expect(Dealreg_V1_WorkerEvent.syncReply([0xFF, 0xFF]) == nil)
    }
}
