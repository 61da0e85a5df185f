import DealBus
import DealModel
import DealStore
import DealWire
import ZeroMQ

/// The api's table of methods, who gets in, and the requests that only read: status, metrics, the listings of
/// violations, cases, sanctions and escalations, and the audit.
extension EnforcementCore {
    /// Every method of enforcement's api: one handler per action of the matrix.
    static let methods = ServiceMethods<EnforcementCore>(
        service: "enforcement's api",
        translating: { StorageFault($0).map { _ in .storageUnavailable(retryAfterMs: 1000) } },
        [
            .recordBooking: { try $0.recordBooking($1, at: $2) },
            .listViolations: { try $0.listViolations($1, at: $2) },
            .listCases: { try $0.listCases($1, at: $2) },
            .showCase: { try $0.caseStep($1, at: $2) },
            .judgeCase: { try $0.caseStep($1, at: $2) },
            .appealCase: { try $0.caseStep($1, at: $2) },
            .listSanctions: { try $0.listSanctions($1, at: $2) },
            .liftSanction: { try $0.liftSanction($1, at: $2) },
            .listEscalations: { try $0.listEscalations($1, at: $2) },
            .showHeads: { try $0.heads($1, at: $2) },
            .audit: { try $0.audit($1, at: $2) },
            .backup: { try $0.backup($1, at: $2) },
            .status: { try $0.status($1, at: $2) },
            .stats: { try $0.stats($1, at: $2) },
        ])

    /// ZAP: a party's current key gets into the api; the `events` PUB only for kinds that may follow case events.
    func admit(_ request: ZAPRequest) -> ZAPVerdict {
        guard let key = request.clientKey?.z85, let party = principal(ofKey: key) else {
            logger.warning(
                "connection refused: unknown, revoked or replaced key",
                metadata: ["address": "\(request.address)", "socket": "\(request.domain)"])
            return .deny(reason: "unknown key")
        }
        if request.domain == "events" && AccessPolicy.access(party.kind, .subscribeCaseEvents) == .denied {
            logger.warning(
                "connection refused: kind not allowed on this socket",
                metadata: ["party": "\(party.id)", "kind": "\(party.kind.rawValue)", "socket": "events"])
            return .deny(reason: AccessPolicy.refusal(party.kind, .subscribeCaseEvents))
        }
        return .allow(userID: key)
    }

    mutating func status(_ request: APIRequest, at now: Moment) throws -> Handling {
        var status = Dealreg_V1_StatusReply()
        status.service = "enforcement"
        status.principal = request.principal.id.rawValue
        status.live = eventsLive
        if request.access == .all { status.lastSeq = committed.cursor }
        return .reply(.statusReply(status))
    }

    mutating func stats(_ request: APIRequest, at now: Moment) throws -> Handling {
        counters.applied.record(Int64(committed.cursor))
        counters.live.record(eventsLive ? 1 : 0)
        counters.watched.record(mirror.watched)
        return .reply(
            .statsReply(
                .with {
                    $0.service = "enforcement"
                    $0.metrics = ServiceMetrics.shared.snapshot()
                }))
    }

    /// Whose records a listing shows and how many per page: officers, channel managers and admins see every
    /// party's (or the one they ask for), anyone else only its own; at most 1,000, 100 by default.
    private func page(of noun: String, party: String, limit: UInt32, _ request: APIRequest) throws(WireError)
        -> (party: PartyID?, limit: Int)
    {
        guard limit <= 1000 else { throw WireError(.invalidField, "At most 1000 \(noun) per page.", field: "limit") }
        let whose = request.access == .all ? (party.isEmpty ? nil : PartyID(party)) : request.principal.id
        return (whose, limit == 0 ? 100 : Int(limit))
    }

    mutating func listViolations(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.listViolations
        let (party, limit) = try page(of: "violations", party: body.party, limit: body.limit, request)
        let after = body.afterID.isEmpty ? 0 : ViolationID(body.afterID).number ?? 0
        var reply = Dealreg_V1_ListViolationsReply()
        reply.violations = try records.violations(party: party, afterNumber: after, limit: limit).map {
            $0.wire(shownTo: request.access)
        }
        reply.nextAfterID = reply.violations.count == limit ? reply.violations.last?.id ?? "" : ""
        return .reply(.listViolationsReply(reply))
    }

    mutating func listCases(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.listCases
        let (party, limit) = try page(of: "cases", party: body.party, limit: body.limit, request)
        var state: EnforcementCase.State?
        if body.state != .unspecified {
            guard let known = EnforcementCase.State(wire: body.state) else {
                throw WireError(.invalidField, "The case state is unknown.", field: "state")
            }
            state = known
        }
        var reply = Dealreg_V1_ListCasesReply()
        reply.cases = try records.cases(party: party, state: state, after: ViolationID(body.afterID), limit: limit)
            .map { $0.wire(shownTo: request.access) }
        reply.nextAfterID = reply.cases.count == limit ? reply.cases.last?.id ?? "" : ""
        return .reply(.listCasesReply(reply))
    }

    mutating func listSanctions(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.listSanctions
        let party = request.access == .all ? (body.party.isEmpty ? nil : PartyID(body.party)) : request.principal.id
        var reply = Dealreg_V1_ListSanctionsReply()
        reply.sanctions = try records.sanctions(party: party, unapplied: false, active: false).map(\.wire)
        return .reply(.listSanctionsReply(reply))
    }

    mutating func listEscalations(_ request: APIRequest, at now: Moment) throws -> Handling {
        var reply = Dealreg_V1_ListEscalationsReply()
        reply.escalations = try records.escalations().map(\.wire)
        return .reply(.listEscalationsReply(reply))
    }

    /// A copy of the database is made, and read, off the reactor; the shell answers each chunk.
    mutating func backup(_ request: APIRequest, at now: Moment) throws -> Handling {
        queue(.backup(route: request.route, requestID: request.requestID, request.envelope.backup))
        return .inHand
    }

    /// The ledger's audit runs off the reactor (it reads the whole ledger); the shell answers when it is done.
    mutating func audit(_ request: APIRequest, at now: Moment) throws -> Handling {
        queue(.audit(route: request.route, requestID: request.requestID, request.envelope.audit))
        return .inHand
    }
}
