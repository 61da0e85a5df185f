import DealBus
import DealModel
import DealWire
import ZeroMQ

/// Who gets in and who the parties are: the ZAP decision per connection and socket, parties added and changed
/// (standing, keys), the party list. The matrix itself is `AccessPolicy`; this file applies it.
extension RegistryCore {
    /// What a connection on each of the other sockets is for.
    static let socketActions: [String: Action] = [
        "work": .checkWork, "events": .subscribeEvents, "sync": .replayLog,
    ]

    /// ZAP: a connection gets in when its key is a party's current key and, on `work`, `events` and `sync`, its
    /// kind may use that socket. Its messages then carry the key as `User-Id`.
    func admit(_ request: ZAPRequest) -> ZAPVerdict {
        guard let key = request.clientKey?.z85, let party = principal(ofKey: key) else {
            logger.warning(
                "connection refused: unknown, revoked or replaced key",
                metadata: ["address": "\(request.address)", "socket": "\(request.domain)"])
            return .deny(reason: "unknown key")
        }
        if let action = Self.socketActions[request.domain], AccessPolicy.access(party.kind, action) == .denied {
            logger.warning(
                "connection refused: kind not allowed on this socket",
                metadata: ["party": "\(party.id)", "kind": "\(party.kind.rawValue)", "socket": "\(request.domain)"])
            return .deny(reason: AccessPolicy.refusal(party.kind, action))
        }
        return .allow(userID: key)
    }

    mutating func addParty(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.addParty
        let fingerprint = body.fingerprint
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        guard body.hasParty else { throw WireError(.missingField, "The party is required.", field: "party") }
        guard let party = Party(wire: body.party) else {
            throw WireError(.invalidField, "The party kind is missing or unknown.", field: "party.kind")
        }
        if body.party.standing != .unspecified && PartyStanding(wire: body.party.standing) == nil {
            // Unset means active; a value this registry does not know is refused, never taken as active.
            throw WireError(
                .invalidField, "The party's standing is not one this registry knows.", field: "party.standing")
        } else if !party.id.isWellFormed {
            throw WireError(
                .invalidField, "'\(party.id)' is not a party id (a-z, 0-9, . _ -, at most 64).", field: "party.id")
        } else if party.name.isEmpty || party.name.count > FieldLimits.textLength {
            throw WireError(
                .invalidField, "The party's name must have 1 to \(FieldLimits.textLength) characters.",
                field: "party.name")
        } else if !party.country.isEmpty && !ISOCodes.isCountry(party.country) {
            throw WireError(
                .invalidField, "'\(party.country)' is not an ISO 3166-1 alpha-2 country code.", field: "party.country")
        } else if CurveKey(z85: party.publicKey) == nil {
            throw WireError(
                .invalidField, "The public key is not a 40-character Z85 CURVE key.", field: "party.public_key")
        } else if latestParty(party.id) != nil {
            throw WireError(.alreadyExists, "A party '\(party.id)' already exists.", field: "party.id")
        } else if parties.isKey(party.publicKey) || turn.claims(publicKey: party.publicKey) {
            throw WireError(.alreadyExists, "That public key already belongs to a party.", field: "party.public_key")
        }
        appendPartyChange(
            party, request, fingerprint: fingerprint, reply: .addPartyReply(.with { $0.party = party.wire }), at: now)
        return .inHand
    }

    /// Sets a party's standing: how enforcement's sanctions take effect (a suspended or expelled party's
    /// registrations are refused) and are lifted. Services and admins only; the change is a party event.
    mutating func setStanding(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.setStanding
        let fingerprint = body.fingerprint
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        guard let standing = PartyStanding(wire: body.standing) else {
            throw WireError(.invalidField, "The standing is missing or unknown.", field: "standing")
        }
        let (party, reason) = try partyToChange(body.partyID, reason: body.reason)
        guard party.kind != .admin && !party.kind.isService else {
            throw WireError(.invalidField, "Admins and services have no standing to set.", field: "party_id")
        }
        var changed = party
        changed.standing = standing
        appendPartyChange(
            changed, request, fingerprint: fingerprint, reply: .setStandingReply(.with { $0.party = changed.wire }),
            at: now)
        logger.notice(
            "party standing set",
            metadata: [
                "party": "\(party.id)", "standing": "\(standing.rawValue)", "by": "\(request.principal.id)",
                "reason": "\(reason)",
            ])
        return .inHand
    }

    /// Rotates (a new public key) or revokes (an empty one) a party's key; a party event, so enforcement follows.
    mutating func setKey(_ request: APIRequest, at now: Moment) throws -> Handling {
        let body = request.envelope.setKey
        let fingerprint = body.fingerprint
        if let answered = try answerFromHistory(request, fingerprint: fingerprint) { return answered }
        var (party, reason) = try partyToChange(body.partyID, reason: body.reason)
        if !body.publicKey.isEmpty {
            guard CurveKey(z85: body.publicKey) != nil else {
                throw WireError(
                    .invalidField, "The public key is not a 40-character Z85 CURVE key.", field: "public_key")
            }
            guard !parties.isKey(body.publicKey), !turn.claims(publicKey: body.publicKey) else {
                throw WireError(.alreadyExists, "That public key already belongs to a party.", field: "public_key")
            }
        }
        guard party.id != request.principal.id || !body.publicKey.isEmpty else {
            throw WireError(.invalidField, "An admin cannot revoke its own key.", field: "party_id")
        }
        party.publicKey = body.publicKey
        appendPartyChange(
            party, request, fingerprint: fingerprint, reply: .setKeyReply(.with { $0.party = party.wire }), at: now)
        logger.notice(
            body.publicKey.isEmpty ? "party key revoked" : "party key rotated",
            metadata: ["party": "\(party.id)", "by": "\(request.principal.id)", "reason": "\(reason)"])
        return .inHand
    }

    /// The newest state of party `id` and the trimmed reason of a change to it.
    private func partyToChange(_ id: String, reason raw: String) throws -> (Party, String) {
        let reason = try FieldLimits.reason(raw)
        guard let party = latestParty(PartyID(id)) else {
            throw WireError(.notFound, "No party '\(id)'.", field: "party_id")
        }
        return (party, reason)
    }

    /// Adds a party's change to this turn: its event, its idempotency record and the reply.
    private mutating func appendPartyChange(
        _ party: Party, _ request: APIRequest, fingerprint: String, reply: WireEnvelope.OneOf_Body, at now: Moment
    ) {
        let answer = StoredAnswer(
            principal: request.principal.id, requestID: request.requestID, fingerprint: fingerprint,
            reply: EnvelopeCodec.encode(requestID: request.requestID, body: reply))
        append(
            RegistryWrite(.party(party), seq: turn.takeSeq(), time: now.secondsSinceEpoch, answer: answer),
            routes: [request.route], at: now)
    }

    /// The parties: every one for the vendor's people, one's own for anyone else (competitors stay unnamed).
    mutating func listParties(_ request: APIRequest, at now: Moment) throws -> Handling {
        var reply = Dealreg_V1_ListPartiesReply()
        reply.parties =
            request.access == .all
            ? parties.parties.values.sorted { $0.id.rawValue < $1.id.rawValue }.map(\.wire) : [request.principal.wire]
        return .reply(.listPartiesReply(reply))
    }
}
