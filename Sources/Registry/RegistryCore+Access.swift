import DealBus
import DealModel
import DealWire

/// "Who looked at my deal" (issue 18): every read of partners' registrations by the vendor's side is an `access`
/// event in the ledger, committed before the read is answered, so there is no read without a trace; the registrant
/// lists them with ListAccess and finds them in its feed.
extension RegistryCore {
    /// Entries a ListAccess reply carries at most, newest first.
    static let listedAccesses = 1000

    /// Who of the vendor's side read a registration: for its own side and those the matrix lets see every one.
    /// Another's registration is refused exactly like one that does not exist. Not itself recorded.
    mutating func listAccess(_ request: APIRequest, at now: Moment) throws -> Handling {
        let registration = try visibleRegistration(
            request.envelope.listAccess.registrationID, to: request.principal)
        var reply = Dealreg_V1_ListAccessReply()
        reply.entries = try records.accessLog(of: registration.id, limit: Self.listedAccesses)
        return .reply(.listAccessReply(reply))
    }

    /// Whether `principal` reading the registration filed by `registrant` for `holder` is recorded: the vendor's
    /// side reading a partner's or distributor's registration it is not a side of.
    func recordsRead(by principal: Party, registrant: PartyID, holder: PartyID, holderKind: PartyKind) -> Bool {
        AccessRecord.records(
            readBy: principal.id, kind: principal.kind, registrant: registrant,
            registrantKind: latestParty(registrant)?.kind, holder: holder, holderKind: holderKind)
    }

    /// The ids of `shown` whose read by `principal` is recorded, each once, in their order.
    func recordedReads(of shown: [Registration], by principal: Party) -> [RegistrationID] {
        var seen: Set<RegistrationID> = []
        return shown.filter {
            recordsRead(by: principal, registrant: $0.registrant, holder: $0.holder, holderKind: $0.holderKind)
                && seen.insert($0.id).inserted
        }.map(\.id)
    }

    /// Answers `request` with `body`: at once when it showed the vendor's side no partner's registration (`ids`
    /// empty), else once its access event is durable, in this turn's commit; a failed commit answers it
    /// `STORAGE_UNAVAILABLE` like a write.
    mutating func answerRead(
        _ request: APIRequest, _ method: AccessRecord.Method, recording ids: [RegistrationID],
        _ body: WireEnvelope.OneOf_Body, at now: Moment
    ) -> Handling {
        guard !ids.isEmpty else { return .reply(body) }
        let record = AccessRecord(
            reader: request.principal.id, readerKind: request.principal.kind, method: method,
            requestID: request.requestID, registrationIDs: ids)
        let read = RegistryTurn.ReadAnswer(
            requestID: request.requestID, reply: EnvelopeCodec.encode(requestID: request.requestID, body: body))
        appendAccess(record, routes: [request.route], read: read, at: now)
        return .inHand
    }

    /// Adds an access event to this turn; `read` goes to `routes` once it is durable.
    mutating func appendAccess(
        _ record: AccessRecord, routes: [[[UInt8]]], read: RegistryTurn.ReadAnswer?, at now: Moment
    ) {
        let seq = turn.takeSeq()
        turn.append(
            RegistryWrite(.access(record), seq: seq, time: now.secondsSinceEpoch, answer: nil), routes: routes,
            read: read, at: now.instant)
    }

    /// The read of partners' registrations a seller's decision is (its matches and the conflicting one name them),
    /// to record as a `conflict` access in the commit of the decision itself; nil when it names none. `candidates`
    /// are the registrations the decision was taken against.
    func conflictRead(
        _ decision: Decision, candidates: [ScoredCandidate], of check: ChecksInHand.Check
    ) throws -> AccessRecord? {
        guard check.principal.kind.isVendorSide else { return nil }
        var known: [RegistrationID: Registration] = [:]
        for candidate in candidates { known[candidate.registration.id] = candidate.registration }
        let named = decision.matches.map(\.registrationID) + [decision.conflictingRegistrationID].compactMap { $0 }
        let shown = try named.compactMap { try known[$0] ?? latestRegistration($0) }
        let ids = recordedReads(of: shown, by: check.principal)
        guard !ids.isEmpty else { return nil }
        return AccessRecord(
            reader: check.principal.id, readerKind: check.principal.kind, method: .conflict,
            requestID: check.requestID, registrationIDs: ids)
    }

    /// The partners' registrations whose `registration` events a feed page shows `principal`.
    func recordedReads(ofFeed events: [WireEvent], by principal: Party) -> [RegistrationID] {
        var seen: Set<RegistrationID> = []
        var ids: [RegistrationID] = []
        for event in events {
            guard case .registration(let registration)? = event.payload,
                let holderKind = PartyKind(wire: registration.holderKind),
                recordsRead(
                    by: principal, registrant: PartyID(registration.registrant), holder: PartyID(registration.holder),
                    holderKind: holderKind),
                seen.insert(RegistrationID(registration.id)).inserted
            else { continue }
            ids.append(RegistrationID(registration.id))
        }
        return ids
    }

    /// A registrant's feed page with each `access` event cut down to the registrations `party` filed or holds:
    /// it learns who read its own, never another partner's registration id. An event left naming none is dropped.
    func ownAccess(_ events: [WireEvent], of party: PartyID) throws -> [WireEvent] {
        let named = Set(
            events.flatMap { event -> [RegistrationID] in
                guard case .access(let record)? = event.payload else { return [] }
                return record.registrationIds.map { RegistrationID($0) }
            })
        guard !named.isEmpty else { return events }
        let own = try records.registrations(named, filedOrHeldBy: party)
        return events.compactMap { event in
            guard case .access(var record)? = event.payload else { return event }
            record.registrationIds = record.registrationIds.filter { own.contains(RegistrationID($0)) }
            guard !record.registrationIds.isEmpty else { return nil }
            var cut = event
            cut.access = record
            return cut
        }
    }
}
