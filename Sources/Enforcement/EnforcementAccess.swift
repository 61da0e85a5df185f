import DealBus
import DealModel
import DealWire
import ZeroMQ

/// The principal of a request, with how far the matrix lets it reach for the action it asked.
struct Caller {
    var id: PartyID
    var kind: PartyKind
    var access: Access
}

/// Who gets into enforcement and as whom: the ZAP decision per connection and socket, and the principal behind
/// each message (by its current key, so rotation and revocation hold on open connections). The matrix itself is
/// `AccessPolicy`.
extension EnforcementServer {
    /// The actions enforcement's api serves (anything else is UNKNOWN_METHOD there).
    static let apiActions: Set<Action> = [
        .recordBooking, .listViolations, .listCases, .showCase, .judgeCase, .appealCase, .listSanctions,
        .liftSanction, .listEscalations, .audit, .status, .stats,
    ]

    static let staleKey = WireError(
        .unauthenticated,
        "This connection's key is no longer a party's key (revoked or rotated); reconnect with the new key.")

    /// ZAP: a party's current key gets into the api; the `events` PUB only for kinds that may follow case events.
    func admit(_ request: ZAPRequest) -> ZAPVerdict {
        guard let key = request.clientKey?.z85, let id = partiesByKey[key], let kind = kinds[id] else {
            logger.warning(
                "connection refused: unknown, revoked or replaced key",
                metadata: ["address": "\(request.address)", "socket": "\(request.domain)"])
            return .deny(reason: "unknown key")
        }
        if request.domain == "events" && AccessPolicy.access(kind, .subscribeCaseEvents) == .denied {
            logger.warning(
                "connection refused: kind not allowed on this socket",
                metadata: ["party": "\(id)", "kind": "\(kind.rawValue)", "socket": "events"])
            return .deny(reason: AccessPolicy.refusal(kind, .subscribeCaseEvents))
        }
        return .allow(userID: key)
    }

    /// The party whose current key the message's connection authenticated with, or nil.
    func caller(ofKey key: String?) -> (id: PartyID, kind: PartyKind)? {
        guard let id = key.flatMap({ partiesByKey[$0] }), let kind = kinds[id] else { return nil }
        return (id, kind)
    }

    /// Takes note of a party's kind and current key (an empty key: revoked); a replaced key stops mapping.
    func learn(_ id: PartyID, kind: PartyKind, key: String) {
        if let old = keys[id], old != key {
            partiesByKey[old] = nil
            if let previous = kinds[id], AccessPolicy.access(previous, .subscribeCaseEvents) != .denied {
                eventsNeedRebind = true
            }
        }
        keys[id] = key
        kinds[id] = kind
        if !key.isEmpty { partiesByKey[key] = id }
    }
}
