import DealModel
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test(arguments: [
        ("acme", true),
        ("acme-gmbh.fr_01", true),
        ("0day", true),
        ("a", true),
        (String(repeating: "a", count: 64), true),
        (String(repeating: "a", count: 65), false),
        ("", false),
        ("Acme", false),
        ("-acme", false),
        (".acme", false),
        ("_acme", false),
        ("ac me", false),
        ("acmé", false),
        ("acme/x", false),
        ("acme:1", false),
        ("acme\n", false),
    ])
    func partyIDIsWellFormedOnlyInItsAlphabet(raw: String, wellFormed: Bool) {
        #expect(PartyID(raw).isWellFormed == wellFormed)
    }

    @Test(arguments: [
        (Int64(42), "DR-00000042"),
        (1, "DR-00000001"),
        (0, "DR-00000000"),
        (12_345_678, "DR-12345678"),
        (123_456_789, "DR-123456789"),
    ])
    func registrationIDPadsTheNumberToEightDigits(number: Int64, text: String) {
        let id = RegistrationID(number: number)
        #expect(id.rawValue == text)
        #expect(id.description == text)
    }

    @Test func registrationIDsOrderByNumberWithinEightDigits() {
        #expect(RegistrationID(number: 9) < RegistrationID(number: 10))
        #expect(RegistrationID(number: 99_999_999) > RegistrationID(number: 100))
    }
}
