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
}
