import DealModel

/// The committed parties and who holds each current key: how a connection's CURVE key becomes its principal.
/// Not thread-safe: a value owned by the registry's core.
struct PartyDirectory {
    private(set) var parties: [PartyID: Party] = [:]
    private var idByKey: [String: PartyID] = [:]

    subscript(id: PartyID) -> Party? { parties[id] }

    /// Takes in a party's latest state; returns its previous one when its key changed (rotated or revoked).
    @discardableResult
    mutating func remember(_ party: Party) -> Party? {
        var replaced: Party?
        if let old = parties[party.id], old.publicKey != party.publicKey {
            idByKey[old.publicKey] = nil
            replaced = old
        }
        parties[party.id] = party
        if !party.publicKey.isEmpty { idByKey[party.publicKey] = party.id }
        return replaced
    }

    /// The party whose current key is `key`; nil once that key was revoked or rotated.
    func party(withKey key: String?) -> Party? { key.flatMap { idByKey[$0] }.flatMap { parties[$0] } }

    /// Whether `key` is a party's current key.
    func isKey(_ key: String) -> Bool { idByKey[key] != nil }
}
