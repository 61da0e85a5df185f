import Matching
import Testing

@Suite("PostalCode")
struct PostalCodeTests {
    /// Code as written, country → normalised code.
    static let codes: [(String, String, String)] = [
        ("12345-6789", "US", "12345"),
        ("12345 6789", "US", "12345"),
        ("12345", "US", "12345"),
        ("2134", "US", "02134"),
        ("sw1a 1aa", "GB", "SW1A1AA"),
        ("EC1A 1BB", "GB", "EC1A1BB"),
        ("d02 x285", "IE", "D02X285"),
        ("1011 ab", "NL", "1011AB"),
        ("NL-1011 AB", "NL", "1011AB"),
        ("00-950", "PL", "00950"),
        ("111 22", "SE", "11122"),
        ("S-111 22", "SE", "11122"),
        ("k1a 0b1", "CA", "K1A0B1"),
        ("1000-001", "PT", "1000001"),
        ("01310-100", "BR", "01310100"),
        ("100-0001", "JP", "1000001"),
        ("〒100-0001", "JP", "1000001"),
        ("D-80331", "DE", "80331"),
        ("DE-80331", "DE", "80331"),
        ("1067", "DE", "01067"),
        ("F-75008", "FR", "75008"),
        ("CH-8001", "CH", "8001"),
        ("A-1010", "AT", "1010"),
        ("L-1234", "LU", "1234"),
        ("B-1000", "BE", "1000"),
        ("I-00100", "IT", "00100"),
        ("E-28001", "ES", "28001"),
        ("DK-1050", "DK", "1050"),
        ("N-0150", "NO", "0150"),
        ("FI-00100", "FI", "00100"),
        ("LV-1050", "LV", "1050"),
        ("D-80331", "FR", "D80331"),
        ("８０３３１", "DE", "80331"),
        ("560 001", "IN", "560001"),
        ("", "DE", ""),
        (" - ", "FR", ""),
    ]

    @Test(arguments: codes)
    func normalizesPostalCodesPerCountry(code: String, country: String, expected: String) {
        #expect(PostalCode.normalize(code, country: country) == expected)
    }

    /// Normalised code, country → whether it has the country's shape.
    static let plausibility: [(String, String, Bool)] = [
        ("80331", "DE", true),
        ("8033", "DE", false),
        ("803310", "DE", false),
        ("75008", "FR", true),
        ("00100", "IT", true),
        ("28001", "ES", true),
        ("1010", "AT", true),
        ("1000", "BE", true),
        ("8001", "CH", true),
        ("80001", "CH", false),
        ("1050", "DK", true),
        ("0150", "NO", true),
        ("2000", "AU", true),
        ("6011", "NZ", true),
        ("1234", "LU", true),
        ("1011AB", "NL", true),
        ("1011", "NL", false),
        ("0111AB", "NL", false),
        ("SW1A1AA", "GB", true),
        ("M11AE", "GB", true),
        ("EC1A1BB", "GB", true),
        ("12345", "GB", false),
        ("D02X285", "IE", true),
        ("D02", "IE", false),
        ("12345", "US", true),
        ("1234", "US", false),
        ("K1A0B1", "CA", true),
        ("K1A0B", "CA", false),
        ("1AK0B1", "CA", false),
        ("00950", "PL", true),
        ("11122", "SE", true),
        ("1000001", "PT", true),
        ("1000", "PT", false),
        ("01310100", "BR", true),
        ("1000001", "JP", true),
        ("560001", "IN", true),
        ("ABC123", "ZZ", true),
        ("", "ZZ", false),
        ("", "DE", false),
    ]

    @Test(arguments: plausibility)
    func checksTheShapeOfANormalizedCode(code: String, country: String, plausible: Bool) {
        #expect(PostalCode.isPlausible(code, country: country) == plausible)
    }

    @Test(arguments: [("sw1a 1aa", "GB"), ("D-80331", "DE"), ("12345-6789", "US"), ("1011 ab", "NL")])
    func normalizedCodesArePlausible(code: String, country: String) {
        #expect(PostalCode.isPlausible(PostalCode.normalize(code, country: country), country: country))
    }
}
