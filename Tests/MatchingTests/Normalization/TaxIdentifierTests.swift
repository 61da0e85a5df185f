import Matching
import Testing

@Suite("TaxIdentifier")
struct TaxIdentifierTests {
    /// Identifier as written, country → normalised identifier.
    static let identifiers: [(String, String, String)] = [
        ("FR12345678901", "FR", "FR:12345678901"),
        ("FR 12 345 678 901", "FR", "FR:12345678901"),
        ("12.345.678.901", "FR", "FR:12345678901"),
        ("TVA : FR 12 345 678 901", "FR", "FR:12345678901"),
        ("N° TVA FR12345678901", "FR", "FR:12345678901"),
        ("DE123456789", "DE", "DE:123456789"),
        ("USt-IdNr.: DE 123 456 789", "DE", "DE:123456789"),
        ("MwSt-Nr. DE123456789", "DE", "DE:123456789"),
        ("GB123456789", "GB", "GB:123456789"),
        ("VAT Reg No: GB 123 4567 89", "GB", "GB:123456789"),
        ("XI 123 4567 89", "GB", "GB:123456789"),
        ("EL123456789", "GR", "GR:123456789"),
        ("GR123456789", "GR", "GR:123456789"),
        ("123456789", "GR", "GR:123456789"),
        ("IT01234567890", "IT", "IT:01234567890"),
        ("P.IVA 01234567890", "IT", "IT:01234567890"),
        ("ESB12345678", "ES", "ES:B12345678"),
        ("NIF: B-12345678", "ES", "ES:B12345678"),
        ("CIF B12345678", "ES", "ES:B12345678"),
        ("ES X1234567L", "ES", "ES:X1234567L"),
        ("NL123456789B01", "NL", "NL:123456789B01"),
        ("BTW: NL 1234.56.789.B01", "NL", "NL:123456789B01"),
        ("ABN 51 824 753 556", "AU", "AU:51824753556"),
        ("ACN 004 085 616", "AU", "AU:004085616"),
        ("EIN 12-3456789", "US", "US:123456789"),
        ("CHE-123.456.789 MWST", "CH", "CH:123456789"),
        ("UID: CHE-123.456.789", "CH", "CH:123456789"),
        ("ATU12345678", "AT", "AT:12345678"),
        ("U12345678", "AT", "AT:12345678"),
        ("NO 123 456 789 MVA", "NO", "NO:123456789"),
        ("IČ DPH: SK1234567890", "SK", "SK:1234567890"),
        ("ｆｒ１２３４５６７８９０１", "FR", "FR:12345678901"),
        ("de123456789", "de", "DE:123456789"),
        ("12-3456789", "", "123456789"),
        ("FR12345678901", "", "FR12345678901"),
        ("", "FR", ""),
        ("N/A", "FR", ""),
        ("pending", "DE", ""),
        ("FR", "FR", ""),
    ]

    @Test(arguments: identifiers)
    func normalizesTaxIdentifiers(text: String, country: String, expected: String) {
        #expect(TaxIdentifier.normalize(text, country: country) == expected)
    }

    /// Identifiers that companies publish (gathered in python-stdnum's tests), as written, and their country.
    static let publishedIdentifiers: [(String, String)] = [
        ("ATU 142 43 102", "AT"), ("ATU61195628", "AT"), ("U13585627", "AT"), ("51 824 753 556", "AU"),
        ("ABN 50 001 065 096", "AU"), ("BE 0462423150", "BE"), ("BE (0)468.561.072", "BE"), ("BE697449992", "BE"),
        ("CHE-100.155.212", "CH"), ("CHE-489.713.641 MWST", "CH"), ("DE 136 695 976", "DE"), ("DE812847601", "DE"),
        ("USt-IdNr.: DE 213 806 597", "DE"), ("DK 10 50 32 80", "DK"), ("DK 61056416", "DK"), ("EE 100 931 558", "EE"),
        ("EE101256753", "EE"), ("ES - Q0818001J", "ES"), ("Es-a58951310", "ES"), ("B64717838", "ES"),
        ("54362315K", "ES"), ("X-5253868-R", "ES"), ("FI 02459042", "FI"), ("FI18261444", "FI"),
        ("FR 40 303 265 045", "FR"), ("FR88000053537", "FR"), ("K7399859412", "FR"), ("4Z123456782", "FR"),
        ("732 829 320", "FR"), ("732 829 320 00074", "FR"), ("GB 980 7806 84", "GB"), ("XI 432525179", "GB"),
        ("GB 733 4428 41", "GB"), ("GB 980780684 001", "GB"), ("EL 039868210", "GR"), ("El 800 179 925", "GR"),
        ("HR 33392005961", "HR"), ("94577403194", "HR"), ("HU 23157653", "HU"), ("HU13852467", "HU"),
        ("IE 6433435F", "IE"), ("IE 6433435OA", "IE"), ("IE9Y71814N", "IE"), ("IE 8D79739I", "IE"),
        ("IT 00743110157", "IT"), ("IT 02408660211", "IT"), ("P.IVA 02331250163", "IT"), ("LU 10059929", "LU"),
        ("LU 19979983", "LU"), ("NL 004495445B01", "NL"), ("NL813411786B01", "NL"), ("NL 001241 643 B01", "NL"),
        ("NL002455799B11", "NL"), ("NO 988 077 917 MVA", "NO"), ("NO917313008MVA", "NO"), ("974760673", "NO"),
        ("PL 5211355116", "PL"), ("PL 764-23-05-578", "PL"), ("PT 500 019 720", "PT"), ("PT506835669", "PT"),
        ("SE 556728341001", "SE"), ("556188-8404", "SE"), ("SI 26808498", "SI"), ("SI-89036999", "SI"),
    ]

    @Test(arguments: publishedIdentifiers)
    func publishedIdentifierPassesItsCheckDigits(text: String, country: String) {
        #expect(TaxIdentifier.check(TaxIdentifier.normalize(text, country: country)) == .valid)
    }

    /// The published identifiers with one digit changed.
    static let mistypedIdentifiers: [(String, String)] = [
        ("ATU 142 44 102", "AT"), ("ATU61196628", "AT"), ("U13586627", "AT"), ("51 824 853 556", "AU"),
        ("ABN 50 001 165 096", "AU"), ("BE 0462433150", "BE"), ("BE (0)468.571.072", "BE"), ("BE697459992", "BE"),
        ("CHE-100.165.212", "CH"), ("CHE-489.723.641 MWST", "CH"), ("DE 136 605 976", "DE"), ("DE812857601", "DE"),
        ("USt-IdNr.: DE 213 816 597", "DE"), ("DK 10 50 42 80", "DK"), ("DK 61057416", "DK"), ("EE 100 941 558", "EE"),
        ("EE101266753", "EE"), ("ES - Q0819001J", "ES"), ("Es-a58952310", "ES"), ("B64718838", "ES"),
        ("54363315K", "ES"), ("X-5254868-R", "ES"), ("FI 02450042", "FI"), ("FI18262444", "FI"),
        ("FR 40 303 365 045", "FR"), ("FR88000153537", "FR"), ("K7399869412", "FR"), ("4Z123466782", "FR"),
        ("732 839 320", "FR"), ("732 829 330 00074", "FR"), ("GB 980 7906 84", "GB"), ("XI 432535179", "GB"),
        ("GB 733 4528 41", "GB"), ("GB 980780784 001", "GB"), ("EL 039878210", "GR"), ("El 800 189 925", "GR"),
        ("HR 33392105961", "HR"), ("94577503194", "HR"), ("HU 23158653", "HU"), ("HU13853467", "HU"),
        ("IE 6434435F", "IE"), ("IE 6434435OA", "IE"), ("IE9Y71914N", "IE"), ("IE 8D79839I", "IE"),
        ("IT 00743210157", "IT"), ("IT 02408760211", "IT"), ("P.IVA 02331350163", "IT"), ("LU 10050929", "LU"),
        ("LU 19970983", "LU"), ("NL 004496445B01", "NL"), ("NL813412786B01", "NL"), ("NL 001242 643 B01", "NL"),
        ("NL002456799B11", "NL"), ("NO 988 087 917 MVA", "NO"), ("NO917323008MVA", "NO"), ("974770673", "NO"),
        ("PL 5211365116", "PL"), ("PL 764-23-15-578", "PL"), ("PT 500 029 720", "PT"), ("PT506845669", "PT"),
        ("SE 556728441001", "SE"), ("556189-8404", "SE"), ("SI 26809498", "SI"), ("SI-89037999", "SI"),
    ]

    /// Too short or too long, or with a letter, prefix or unit their country never uses.
    static let malformedIdentifiers: [(String, String)] = [
        ("DE 12345678", "DE"), ("DE 036695976", "DE"), ("FR 1234567890", "FR"), ("FR IO334175221", "FR"),
        ("IT 0074311015", "IT"), ("IT 00743112157", "IT"), ("ESB1234567", "ES"), ("ES I64717838", "ES"),
        ("NL004495445B0", "NL"), ("NL004495445B00", "NL"), ("NL004495445C01", "NL"), ("BE 04030192", "BE"),
        ("BE 2462423150", "BE"), ("ATU1358562", "AT"), ("PL 521135511", "PL"), ("GB 98078068", "GB"),
        ("GB 9807806840", "GB"), ("CHE-100.155.21", "CH"), ("DK 1050328", "DK"), ("FI 0245904", "FI"),
        ("SE 55672834100", "SE"), ("SE 556728341002", "SE"), ("NO 98807791", "NO"), ("PT 50001972", "PT"),
        ("IE 643343F", "IE"), ("IE 6433435FA1", "IE"), ("LU 1005992", "LU"), ("ABN 5182475355", "AU"),
        ("EE 10093155", "EE"), ("EL 3986821", "GR"), ("HR 3339200596", "HR"), ("HU 2315765", "HU"),
        ("SI 2680849", "SI"),
    ]

    @Test(arguments: mistypedIdentifiers + malformedIdentifiers)
    func mistypedIdentifierFailsItsCheckDigits(text: String, country: String) {
        #expect(TaxIdentifier.check(TaxIdentifier.normalize(text, country: country)) == .invalid)
    }

    /// Countries without a known check, the United Kingdom's government departments and health authorities, and
    /// identifiers without a country.
    @Test(arguments: [
        ("GD123", "GB"), ("HA500", "GB"), ("EIN 12-3456789", "US"), ("CZ12345678", "CZ"), ("12-3456789", ""),
        ("N/A", "DE"),
    ])
    func identifierWithoutAKnownCheckIsUnchecked(text: String, country: String) {
        #expect(TaxIdentifier.check(TaxIdentifier.normalize(text, country: country)) == .unchecked)
    }
}
