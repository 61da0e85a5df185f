import DealBus
import DealModel
import DealWire
import Testing

/// The sync reply is assembled from stored event bytes; it must decode as the reply the library would have built.
@Suite struct SyncReplyEncodingTests {
    static func event(_ seq: UInt64) -> WireEvent {
        var event = WireEvent()
        event.seq = seq
        event.time = 1_790_000_000 + Int64(seq)
        event.party =
            Party(
                id: PartyID("p\(seq)"), kind: .partner, name: String(repeating: "n", count: Int(seq) * 40),
                publicKey: "k"
            ).wire
        return event
    }

    @Test(arguments: [0, 1, 3, 200])
    func decodesAsOneReplyWithEveryEvent(count: Int) throws {
        let events = (1...max(1, count)).prefix(count).map { Self.event(UInt64($0)) }
        let bytes = EnvelopeCodec.encodeSyncReply(
            requestID: "sync-7", headSeq: 9_999, events: try events.map { try $0.serializedBytes() })
        let envelope = try WireEnvelope(serializedBytes: bytes)
        #expect(envelope.requestID == "sync-7")
        guard case .syncReply(let reply)? = envelope.body else {
            Issue.record("not a sync reply: \(envelope)")
            return
        }
        #expect(reply.headSeq == 9_999)
        #expect(reply.events == events)

        var expected = Dealreg_V1_SyncReply()
        expected.headSeq = 9_999
        expected.events = events
        #expect(reply == expected)
    }
}
