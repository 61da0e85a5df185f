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

    @Test(arguments: [(0, 9_999), (1, 9_999), (3, 0), (200, 9_999)])
    func decodesAsOneReplyWithEveryEvent(count: Int, head: UInt64) throws {
        let events = (1...max(1, count)).prefix(count).map { Self.event(UInt64($0)) }
        let bytes = EnvelopeCodec.encodeSyncReply(
            requestID: "sync-7", headSeq: head, events: try events.map { try $0.serializedBytes() })
        let envelope = try WireEnvelope(serializedBytes: bytes)
        #expect(envelope.requestID == "sync-7")
        guard case .syncReply(let reply)? = envelope.body else {
            Issue.record("not a sync reply: \(envelope)")
            return
        }
        #expect(reply.headSeq == head)
        #expect(reply.events == events)

        var expected = Dealreg_V1_SyncReply()
        expected.headSeq = head
        expected.events = events
        #expect(reply == expected)
        // Byte for byte the library's encoding: `sync_reply` once, so parsers that keep only the last occurrence
        // of a field (protobuf-c) read head_seq and the events alike.
        #expect(bytes == EnvelopeCodec.encode(requestID: "sync-7", body: .syncReply(expected)))
    }
}
