import DealBus
import DealLedger
import DealWire

/// What a commit hands back besides durability: the signed head covering the turn, and the answers it completed
/// with a receipt (by index of the write), which are the ones stored and sent. A value; `Sendable`.
struct LedgerCommit: Sendable {
    var head: LedgerHead?
    var replies: [Int: [UInt8]] = [:]
}

/// Completes the answers that carry a receipt or a head once the turn's head is signed.
enum Receipts {
    /// `Envelope.register_deal_reply`, `Envelope.transition_reply`, and `receipt` in both replies.
    static let registerDealReplyField = 11
    static let transitionReplyField = 23
    static let receiptField = 2

    /// `reply` (an encoded envelope) with the receipt of event `seq` (chain hash `hash`) under `head` when it is a
    /// decision or a step of a registration, or with `head` when it answers an exchange of heads; nil for any other
    /// answer, which stays as it is.
    static func attach(
        to reply: [UInt8], seq: UInt64, hash: (chain: [UInt8], previous: [UInt8])?, head: LedgerHead
    ) -> [UInt8]? {
        // A decision or a step is the envelope's last field, and a receipt its reply's last: the receipt's bytes are
        // spliced in after it, byte for byte what decoding, setting the receipt and encoding again gives (without
        // the 45,000 instructions per registration that took).
        if let body = WireSplice.lastField(of: reply),
            body.number == registerDealReplyField
                || body.number == transitionReplyField
        {
            guard let hash else { return nil }
            let receipt = Dealreg_V1_Receipt(seq: seq, hash: hash.chain, previous: hash.previous, head: head)
            guard let receiptBytes = try? receipt.serializedBytes() as [UInt8] else { return nil }
            var content = Array(reply[body.content])
            WireSplice.append(field: receiptField, receiptBytes, to: &content)
            var spliced = Array(reply[..<body.start])
            WireSplice.append(field: body.number, content, to: &spliced)
            return spliced
        }
        guard var envelope = try? WireEnvelope(serializedBytes: reply),
            case .exchangeHeadsReply(var body)? = envelope.body
        else { return nil }
        body.head = head.wire
        envelope.body = .exchangeHeadsReply(body)
        return try? envelope.serializedBytes()
    }
}
