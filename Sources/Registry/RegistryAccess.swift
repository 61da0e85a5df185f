import DealBus
import DealModel
import DealWire
import Foundation
import ZeroMQ

/// Who gets in and what they may do: the ZAP decision per connection and socket, the principal behind each
/// message, key rotation and revocation, and the feed of external subscribers. The matrix itself is
/// `AccessPolicy`; this file applies it.
extension RegistryServer {
    /// The actions the registry's api serves (anything else is UNKNOWN_METHOD there).
    static let apiActions: Set<Action> = [
        .register, .showRegistration, .listRegistrations, .history, .review, .close, .extend, .showPolicy,
        .reloadPolicy, .addParty, .listParties, .setStanding, .setKey, .feed, .status, .resetMetrics, .audit,
        .stats,
    ]

    /// What a connection on each of the other sockets is for.
    static let socketActions: [String: Action] = [
        "work": .checkWork, "events": .subscribeEvents, "sync": .replayLog,
    ]

    static let staleKey = WireError(
        .unauthenticated,
        "This connection's key is no longer a party's key (revoked or rotated); reconnect with the new key.")

    /// ZAP: a connection gets in when its key is a party's current key and, on `work`, `events` and `sync`, its
    /// kind may use that socket. Its messages then carry the key as `User-Id`.
    func admit(_ request: ZAPRequest) -> ZAPVerdict {
        guard let key = request.clientKey?.z85, let party = partiesByKey[key].flatMap({ parties[$0] }) else {
            logger.warning(
                "connection refused: unknown, revoked or replaced key",
                metadata: ["address": "\(request.address)", "socket": "\(request.domain)"])
            return .deny(reason: "unknown key")
        }
        if let action = Self.socketActions[request.domain],
            AccessPolicy.access(party.kind, action) == .denied
        {
            logger.warning(
                "connection refused: kind not allowed on this socket",
                metadata: ["party": "\(party.id)", "kind": "\(party.kind.rawValue)", "socket": "\(request.domain)"])
            return .deny(reason: AccessPolicy.refusal(party.kind, action))
        }
        return .allow(userID: key)
    }

    /// The party whose current key the message's connection authenticated with; nil once that key was revoked
    /// or rotated, so the change holds on connections already open.
    func principal(ofKey key: String?) -> Party? {
        key.flatMap { partiesByKey[$0] }.flatMap { parties[$0] }
    }

    /// Rotates (a new public key) or revokes (an empty one) a party's key; a party event, so enforcement follows.
    func setKey(_ body: Dealreg_V1_SetKeyRequest, request: RequestFrames, requestID: String, principal: Party) throws {
        let fingerprint = body.fingerprint
        if try answerFromHistory(request, requestID: requestID, principal: principal.id, fingerprint: fingerprint) {
            return
        }
        guard case (var party, let reason)? = partyToChange(body.partyID, reason: body.reason, request, requestID)
        else { return }
        if !body.publicKey.isEmpty {
            guard CurveKey(z85: body.publicKey) != nil else {
                fail(
                    request, requestID,
                    WireError(.invalidField, "The public key is not a 40-character Z85 CURVE key.", field: "public_key")
                )
                return
            }
            guard partiesByKey[body.publicKey] == nil,
                !batch.contains(where: { $0.write.party?.publicKey == body.publicKey })
            else {
                fail(
                    request, requestID,
                    WireError(.alreadyExists, "That public key already belongs to a party.", field: "public_key"))
                return
            }
        }
        guard party.id != principal.id || !body.publicKey.isEmpty else {
            fail(request, requestID, WireError(.invalidField, "An admin cannot revoke its own key.", field: "party_id"))
            return
        }
        party.publicKey = body.publicKey
        appendPartyChange(
            party, principal: principal, request: request, requestID: requestID, fingerprint: fingerprint,
            reply: .setKeyReply(.with { $0.party = party.wire }))
        logger.notice(
            body.publicKey.isEmpty ? "party key revoked" : "party key rotated",
            metadata: ["party": "\(party.id)", "by": "\(principal.id)", "reason": "\(reason)"])
    }

    /// The feed: events after a cursor that concern the principal (all of them for the vendor's side).
    func feed(
        _ body: Dealreg_V1_FeedRequest, request: RequestFrames, requestID: String, principal: Party, access: Access
    ) throws {
        guard body.limit <= 1000 else {
            fail(request, requestID, WireError(.invalidField, "At most 1000 events per page.", field: "limit"))
            return
        }
        // Only what is committed: the turn's batch is not durable yet.
        let page = try store.feed(
            access == .all ? nil : principal.id, after: body.afterSeq, limit: body.limit == 0 ? 100 : Int(body.limit))
        var reply = Dealreg_V1_FeedReply()
        reply.events = page.compactMap { try? WireEvent(serializedBytes: $0.body) }
        reply.lastSeq = page.last?.seq ?? body.afterSeq
        self.reply(request, requestID, .feedReply(reply))
    }

    /// The parties: every one for the vendor's people, one's own for anyone else (competitors stay unnamed).
    func listParties(request: RequestFrames, requestID: String, principal: Party, access: Access) {
        var reply = Dealreg_V1_ListPartiesReply()
        reply.parties =
            access == .all ? parties.values.sorted { $0.id.rawValue < $1.id.rawValue }.map(\.wire) : [principal.wire]
        self.reply(request, requestID, .listPartiesReply(reply))
    }
}
