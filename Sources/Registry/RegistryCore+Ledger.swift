import DealBus
import DealLedger
import DealModel
import DealWire

/// The signed ledger on the api: proofs for receipts and auditors, the exchange of heads with enforcement, and the
/// heads an audit or an outside witness reads.
extension RegistryCore {
    /// Inclusion of a receipt's event and consistency from an earlier head, under the newest signed head. An entry
    /// the log no longer holds as it was is refused naming the field; the client checks every hash anyway.
    mutating func prove(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.prove
        let size = head.size
        if body.seq > 0 {
            guard body.seq <= size, let stored = try records.chainHash(of: body.seq) else {
                throw WireError(
                    .notFound, "The log has \(size) events: event \(body.seq) is not in it.", field: "seq")
            }
            guard body.hash.count == 32 else {
                throw WireError(.invalidField, "The receipt's hash must be 32 bytes.", field: "hash")
            }
            // A registrant proves the events of its own registrations only.
            let concernsPrincipal = try records.concerns(request.principal.id, seq: body.seq)
            guard request.access == .all || concernsPrincipal else {
                throw WireError(
                    .permissionDenied, "Event \(body.seq) is not one of your registrations' events.", field: "seq")
            }
            guard stored == Array(body.hash) else {
                throw WireError(
                    .invalidField,
                    "Event \(body.seq) is not the one the receipt names: its chain hash differs, so the entry or one "
                        + "before it was changed after the receipt was given, or the receipt is of another registry.",
                    field: "hash")
            }
        }
        guard body.fromSize <= size else {
            throw WireError(
                .invalidField, "The log has \(size) events: no tree of \(body.fromSize) precedes it.",
                field: "from_size")
        }
        let proofs = try records.proofs(seq: body.seq, fromSize: body.fromSize, size: size)
        return .reply(
            .proveReply(
                .with {
                    $0.head = head.wire
                    $0.inclusion = proofs.inclusion.map { .init($0) }
                    $0.consistency = proofs.consistency.map { .init($0) }
                }))
    }

    /// Enforcement's head, recorded as a `witness` event when it grew since the last one recorded; the answer is
    /// the registry's head after that event (or the newest one when nothing was recorded).
    mutating func exchangeHeads(_ request: APIRequest, at now: Moment) throws -> Handling {
        guard let offered = LedgerHead(wire: request.envelope.exchangeHeads.head), offered.service == "enforcement"
        else {
            throw WireError(
                .invalidField, "The head must be enforcement's, with 32-byte hashes and key and a 64-byte signature.",
                field: "head")
        }
        guard offered.isSignatureValid else {
            throw WireError(.invalidField, "The head's signature does not verify with its key.", field: "head")
        }
        guard offered.size > witnessedSize, offered.size > turn.witnessedSize else {
            return .reply(.exchangeHeadsReply(.with { $0.head = head.wire }))
        }
        let answer = StoredAnswer(
            principal: request.principal.id, requestID: request.requestID,
            fingerprint: request.envelope.exchangeHeads.fingerprint,
            reply: EnvelopeCodec.encode(requestID: request.requestID, body: .exchangeHeadsReply(.init())))
        append(
            RegistryWrite(.witness(offered), seq: turn.takeSeq(), time: now.secondsSinceEpoch, answer: answer),
            routes: [request.route], at: now)
        return .inHand
    }

    /// The newest head, the ledger keys, and enforcement's heads the log witnesses (the newest 2,048).
    mutating func heads(_ request: APIRequest, at now: Moment) throws -> Handling {
        let witnessed = try records.witnessedHeads(newest: 2048)
        return .reply(
            .headsReply(
                .with {
                    $0.head = head.wire
                    $0.ledgerKeys = records.keyring.keys.map { .init($0) }
                    $0.witnessed = witnessed.map(\.wire)
                }))
    }
}
