import DealModel
import Matching

/// The registrations taken in and waiting for their check, by check id, by request and by registrant. Not
/// thread-safe: a value owned by the registry's core.
struct ChecksInHand {
    /// A registration waiting for its check.
    struct Check {
        var routes: [[[UInt8]]]
        var principal: Party
        var requestID: String
        var fingerprint: String
        var request: DealRequest
        /// The customer prepared once, for the commit-time re-check and the indexes the decision joins.
        var customer: PreparedCustomer
        var holder: PartyID
        var holderKind: PartyKind
        var received: ContinuousClock.Instant

        var key: RequestKey { RequestKey(principal: principal.id, requestID: requestID) }
    }

    private(set) var byID: [UInt64: Check] = [:]
    private var idByRequest: [RequestKey: UInt64] = [:]
    private var countByRegistrant: [PartyID: Int] = [:]
    private var lastID: UInt64 = 0

    var count: Int { byID.count }
    var isEmpty: Bool { byID.isEmpty }

    subscript(id: UInt64) -> Check? { byID[id] }

    /// The id of the check in hand for request `key`, if any.
    func id(of key: RequestKey) -> UInt64? { idByRequest[key] }

    /// Registrations of `registrant` in hand: they count against its weekly quota.
    func count(of registrant: PartyID) -> Int { countByRegistrant[registrant] ?? 0 }

    /// Takes `check` in hand; returns its new id.
    mutating func take(_ check: Check) -> UInt64 {
        lastID += 1
        byID[lastID] = check
        idByRequest[check.key] = lastID
        countByRegistrant[check.principal.id, default: 0] += 1
        return lastID
    }

    /// Another route waiting for check `id` (a retry while it is decided).
    mutating func addRoute(_ route: [[UInt8]], to id: UInt64) { byID[id]?.routes.append(route) }

    /// Forgets check `id`: decided, timed out or refused.
    mutating func remove(_ id: UInt64) {
        guard let check = byID.removeValue(forKey: id) else { return }
        idByRequest[check.key] = nil
        countByRegistrant[check.principal.id, default: 1] -= 1
        if countByRegistrant[check.principal.id] == 0 { countByRegistrant[check.principal.id] = nil }
    }
}
