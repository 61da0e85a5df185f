import DealModel
import Foundation
import Testing

/// A bootstrap file's parties: the key as in key files (`public_key`) or as older files wrote it (`publicKey`).
struct PartyCodingTests {
    @Test func aPartyNeedsOnlyItsIdKindAndKey() throws {
        let parties = try JSONDecoder().decode(
            [Party].self,
            from: Data(
                """
                [{"id": "svc-check-1", "kind": "check-worker", "public_key": "K1"},
                 {"id": "acme", "kind": "partner", "name": "Acme", "country": "FR", "tier": "gold",
                  "publicKey": "K2", "standing": "suspended"}]
                """.utf8))
        #expect(
            parties == [
                Party(id: PartyID("svc-check-1"), kind: .checkWorker, name: "svc-check-1", publicKey: "K1"),
                Party(
                    id: PartyID("acme"), kind: .partner, name: "Acme", country: "FR", tier: "gold", publicKey: "K2",
                    standing: .suspended),
            ])
        let again = try JSONDecoder().decode([Party].self, from: JSONEncoder().encode(parties))
        #expect(again == parties)
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(Party.self, from: Data(#"{"id": "x", "kind": "partner"}"#.utf8))
        }
    }
}
