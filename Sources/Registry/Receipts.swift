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
    /// `reply` (an encoded envelope) with the receipt of event `seq` (chain hash `hash`) under `head` when it is a
    /// decision or a step of a registration, or with `head` when it answers an exchange of heads; nil for any other
    /// answer, which stays as it is.
    static func attach(
        to reply: [UInt8], seq: UInt64, hash: (chain: [UInt8], previous: [UInt8])?, head: LedgerHead
    ) -> [UInt8]? {
        guard var envelope = try? WireEnvelope(serializedBytes: reply) else { return nil }
        switch envelope.body {
        case .registerDealReply(var body)?:
            guard let hash else { return nil }
            body.receipt = Dealreg_V1_Receipt(seq: seq, hash: hash.chain, previous: hash.previous, head: head)
            envelope.body = .registerDealReply(body)
        case .transitionReply(var body)?:
            guard let hash else { return nil }
            body.receipt = Dealreg_V1_Receipt(seq: seq, hash: hash.chain, previous: hash.previous, head: head)
            envelope.body = .transitionReply(body)
        case .exchangeHeadsReply(var body)?:
            body.head = head.wire
            envelope.body = .exchangeHeadsReply(body)
        default:
            return nil
        }
        return try? envelope.serializedBytes()
    }
}
