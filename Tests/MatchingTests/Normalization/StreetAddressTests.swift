import Matching
import Testing

@Suite("StreetAddress")
struct StreetAddressTests {
    /// Street line → house numbers, canonical words.
    static let streets: [(String, [String], [String])] = [
        // English.
        ("12 Main St", ["12"], ["main", "street"]),
        ("12 Main Street", ["12"], ["main", "street"]),
        ("12 Main St., Suite 400", ["12"], ["main", "street"]),
        ("12 Main St N", ["12"], ["main", "street", "north"]),
        ("St Kilda Rd 12", ["12"], ["saint", "kilda", "road"]),
        ("12 E 42nd St", ["12"], ["east", "42nd", "street"]),
        ("1600 Pennsylvania Ave NW", ["1600"], ["pennsylvania", "avenue", "northwest"]),
        ("5 Sunset Blvd", ["5"], ["sunset", "boulevard"]),
        ("7 Oak Dr", ["7"], ["oak", "drive"]),
        ("Dr Martin Luther King Jr Blvd 5", ["5"], ["doctor", "martin", "luther", "king", "jr", "boulevard"]),
        ("3 Penny Ln", ["3"], ["penny", "lane"]),
        ("9 Kings Ct", ["9"], ["kings", "court"]),
        ("4 Darling Cres", ["4"], ["darling", "crescent"]),
        ("100 Pacific Hwy", ["100"], ["pacific", "highway"]),
        ("22 Marine Pde", ["22"], ["marine", "parade"]),
        ("8 Royal Tce", ["8"], ["royal", "terrace"]),
        ("2 Elm Cl", ["2"], ["elm", "close"]),
        ("1 Soho Sq", ["1"], ["soho", "square"]),
        ("Unit 5B, 14 Harbour Pl", ["14"], ["harbour", "place"]),
        ("Level 12, 1 Martin Place", ["1"], ["martin", "place"]),
        ("3rd Floor, 1 Martin Place", ["1"], ["martin", "place"]),
        ("Flat 3, 10 Downing St", ["10"], ["downing", "street"]),
        ("No. 10 Downing Street", ["10"], ["downing", "street"]),
        ("Ste 200, 100 Main St", ["100"], ["main", "street"]),
        ("PO Box 123", ["123"], ["pobox"]),
        ("P.O. Box 123", ["123"], ["pobox"]),
        // French.
        ("12 rue de la Paix", ["12"], ["rue", "paix"]),
        ("12 r. de la Paix", ["12"], ["rue", "paix"]),
        ("12 bis rue de la Paix", ["12bis"], ["rue", "paix"]),
        ("12 rue St Denis", ["12"], ["rue", "saint", "denis"]),
        ("8 av. des Champs-Élysées", ["8"], ["avenue", "champs", "elysees"]),
        ("5 bd Haussmann", ["5"], ["boulevard", "haussmann"]),
        ("3 pl. de la Concorde", ["3"], ["place", "concorde"]),
        ("BP 45", ["45"], ["pobox"]),
        // German.
        ("Hauptstr. 12a", ["12a"], ["haupt", "strasse"]),
        ("Hauptstraße 12 a", ["12a"], ["haupt", "strasse"]),
        ("Haupt Straße 12", ["12"], ["haupt", "strasse"]),
        ("Bahnhofstrasse 1-3", ["1", "3"], ["bahnhof", "strasse"]),
        ("Marienplatz 8", ["8"], ["marien", "place"]),
        ("Marienpl. 8", ["8"], ["marien", "place"]),
        ("Mühlenweg 4", ["4"], ["muhlen", "weg"]),
        ("Judengasse 2", ["2"], ["juden", "gasse"]),
        ("Hauptstr. 5, 2. OG", ["5"], ["haupt", "strasse"]),
        ("Postfach 10 20 30", ["10", "20", "30"], ["pobox"]),
        // Spanish, Portuguese, Italian.
        ("C/ Mayor 5", ["5"], ["calle", "mayor"]),
        ("Calle Mayor s/n", [], ["calle", "mayor"]),
        ("Avda. de la Constitución 5", ["5"], ["avenue", "constitucion"]),
        ("Avenida de la Constitución 5, 3º piso", ["5"], ["avenue", "constitucion"]),
        ("Pza. Mayor 1", ["1"], ["place", "mayor"]),
        ("Rua Augusta 100", ["100"], ["rue", "augusta"]),
        ("R. Augusta 100", ["100"], ["rue", "augusta"]),
        ("Av. Paulista 1578", ["1578"], ["avenue", "paulista"]),
        ("Via Roma 10 int. 5", ["10"], ["via", "roma"]),
        ("V. Roma 10", ["10"], ["via", "roma"]),
        ("P.zza del Duomo 1", ["1"], ["place", "duomo"]),
        // Dutch.
        ("Keizersgracht 123", ["123"], ["keizers", "gracht"]),
        ("Kalverstraat 1", ["1"], ["kalver", "strasse"]),
        ("Kalverstr. 1", ["1"], ["kalver", "strasse"]),
        ("Beethovenlaan 7", ["7"], ["beethoven", "lane"]),
        ("", [], []),
    ]

    @Test(arguments: streets)
    func reducesAStreetToNumbersAndCanonicalWords(street: String, numbers: [String], tokens: [String]) {
        let normalized = StreetAddress.normalize(street)
        #expect(normalized.numbers == numbers)
        #expect(normalized.tokens == tokens)
    }

    @Test(arguments: [
        ("Hauptstr. 12", "Hauptstraße 12"),
        ("12 Main St., Suite 400", "12 MAIN STREET"),
        ("Av. Paulista 1578", "Avenida Paulista, 1578"),
        ("Marienpl. 8", "Marienplatz 8"),
    ])
    func differentWritingsOfOneStreetMeet(lhs: String, rhs: String) {
        #expect(StreetAddress.normalize(lhs) == StreetAddress.normalize(rhs))
    }
}
