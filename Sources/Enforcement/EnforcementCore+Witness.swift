import DealBus
import DealLedger
import DealModel
import DealWire

/// Where the exchange of signed heads with the registry stands. A value; `Sendable`.
struct WitnessState: Sendable {
    /// Enforcement's newest signed head (each commit signs one).
    var head: LedgerHead
    /// The largest registry head the ledger witnesses.
    var registryWitnessed: UInt64
    /// That head, which the next must extend.
    var lastRegistryHead: LedgerHead?
    /// A registry head received, waiting for the proof that it extends `lastRegistryHead`.
    var unproven: LedgerHead?
    /// Registry heads that did not extend the one witnessed before: a log rewritten or rolled back.
    var forks = 0
    /// Whether the ledger took an entry other than a witness since the head last offered; true at start, so every
    /// start is witnessed.
    var ownChanged = true
    /// The last registry event that is not a witness of enforcement's heads.
    var registryChangedAt: UInt64 = 0
    /// Exchanges sent, for their request ids; the one in flight, if any, and when it was sent.
    var sent = 0
    var inFlight: (requestID: String, since: ContinuousClock.Instant)?
}

/// The exchange of signed heads: once a second, while either ledger took an entry other than a witness of the
/// other's, enforcement offers its head to the registry, which records it as a `witness` event and answers with its
/// own head, which enforcement records as a `witness` ledger entry. Witnesses alone trigger no exchange, so an idle
/// cluster is quiet. The heads an audit or an outside witness needs are on `Heads`.
extension EnforcementCore {
    static let headsRequestPrefix = "heads-"

    /// Registry events seen: those other than witnesses of enforcement's heads call for an exchange.
    mutating func noteRegistryEvents(_ events: [WireEvent]) {
        for event in events {
            if case .witness? = event.payload { continue }
            witness.registryChangedAt = max(witness.registryChangedAt, event.seq)
        }
    }

    /// Offers enforcement's head to the registry when either side changed and no exchange is in flight (one lost
    /// to a restart of the registry is given up after 10 seconds).
    mutating func offerHead(at now: Moment) {
        if let inFlight = witness.inFlight, inFlight.since.duration(to: now.instant) < .seconds(10) { return }
        guard witness.ownChanged || witness.registryChangedAt > witness.registryWitnessed else { return }
        witness.sent += 1
        let requestID = "\(Self.headsRequestPrefix)\(witness.head.size)-\(now.secondsSinceEpoch)-\(witness.sent)"
        witness.inFlight = (requestID, now.instant)
        witness.ownChanged = false
        let head = witness.head.wire
        queue(
            .sendRegistry(
                EnvelopeCodec.encode(requestID: requestID, body: .exchangeHeads(.with { $0.head = head }))))
    }

    /// The registry's answer to an exchange: its head, recorded when it grew.
    mutating func headsExchanged(_ envelope: WireEnvelope, at now: Moment) {
        guard witness.inFlight?.requestID == envelope.requestID else { return }
        witness.inFlight = nil
        switch envelope.body {
        case .exchangeHeadsReply(let reply)?:
            guard let head = LedgerHead(wire: reply.head), head.service == "registry", head.isSignatureValid else {
                logger.error("the registry's head is unreadable or badly signed: not witnessed")
                return
            }
            guard let last = witness.lastRegistryHead else {
                if head.size > turn.registryWitnessed { stage(.witness(head)) }
                return
            }
            // A head no larger than the last witnessed must be that head; a smaller or different one is a log
            // rolled back, recorded as evidence.
            guard head.size > last.size else {
                if head.size < last.size || head.root != last.root { forked(from: last, to: head) }
                return
            }
            guard head.size > turn.registryWitnessed else { return }
            // Witnessed once the registry proves it extends the last one witnessed.
            witness.unproven = head
            let requestID = "\(Self.headsRequestPrefix)proof-\(head.size)-\(witness.sent)"
            witness.inFlight = (requestID, now.instant)
            queue(
                .sendRegistry(
                    EnvelopeCodec.encode(requestID: requestID, body: .prove(.with { $0.fromSize = last.size }))))
        case .proveReply(let reply)?:
            guard let last = witness.lastRegistryHead, let offered = witness.unproven,
                let head = LedgerHead(wire: reply.head), head.service == "registry", head.isSignatureValid,
                head.size >= offered.size
            else { return }
            witness.unproven = nil
            // Equal sizes need equal roots and an empty proof (`verifyConsistency`).
            let extends = MerkleTree.verifyConsistency(
                reply.consistency.map { Array($0) }, from: last.size, oldRoot: last.root, to: head.size,
                newRoot: head.root)
            if extends {
                stage(.witness(head))
            } else {
                forked(from: last, to: head)
            }
        case .error(let error)? where error.field == "from_size":
            // The registry's log is shorter than a head it signed and enforcement witnessed.
            guard let last = witness.lastRegistryHead, let offered = witness.unproven else { return }
            witness.unproven = nil
            forked(from: last, to: offered)
        case .error(let error)?:
            witness.unproven = nil
            logger.error(
                "the registry refused the exchange of heads",
                metadata: ["code": "\(error.code.name)", "reason": "\(error.message)"])
        default:
            break
        }
    }

    /// The registry signed `head`, which does not extend `last`, witnessed before: its log was rewritten, truncated
    /// or put back from a backup. Said at once, and `head` is recorded all the same: the audit names the fork.
    mutating func forked(from last: LedgerHead, to head: LedgerHead) {
        witness.forks += 1
        logger.critical(
            "the registry's log does not extend its head witnessed before: rewritten, truncated or put back",
            metadata: [
                "witnessed": "\(last.description)", "now": "\(head.description)", "forks": "\(witness.forks)",
            ])
        stage(.witness(head))
    }

    /// After a commit: the new head, what the ledger now witnesses, and whether it took entries of its own.
    mutating func witnessCommitted(_ done: EnforcementTurn, head: LedgerHead?) {
        if let head { witness.head = head }
        for item in done.items {
            switch item.change {
            case .witness(let registryHead):
                // The last one witnessed, even a smaller one after a fork: the next must extend it.
                witness.registryWitnessed = registryHead.size
                witness.lastRegistryHead = registryHead
            case .detected, .enforcementCase, .imposed, .lifted, .registryApplied:
                witness.ownChanged = true
            case .booking(let recorded) where !recorded.violations.isEmpty:
                witness.ownChanged = true
            default:
                break
            }
        }
    }

    /// The newest head, the ledger keys, the registry heads witnessed, the cursor and the citations.
    mutating func heads(_ request: APIRequest, at now: Moment) throws -> Handling {
        let witnessed = try records.witnessedHeads(newest: 2048)
        let cited = try records.citations(newest: 20_000)
        let cursor = committed.cursor
        let head = witness.head
        return .reply(
            .headsReply(
                .with {
                    $0.head = head.wire
                    $0.ledgerKeys = records.keyring.keys.map { .init($0) }
                    $0.witnessed = witnessed.map(\.wire)
                    $0.cursor = cursor
                    $0.cited = cited.map { citation in
                        .with {
                            $0.registrationID = citation.registrationID
                            $0.citedBy = citation.citedBy
                        }
                    }
                }))
    }
}
