/// Normalises postal codes per country ("sw1a 1aa" → "SW1A1AA", "D-80331" → "80331", "12345-6789" → "12345");
/// pure functions on values, safe from any thread.
public enum PostalCode {
    /// Keeps upper-cased ASCII letters and digits (full-width ones folded), drops a country prefix written before
    /// a numeric code ("D-80331", "CH-8001", "LV-1050"), keeps the five-digit ZIP of a ZIP+4, and restores the
    /// leading zeros that spreadsheets strip from US, German, French, Italian and Spanish codes ("2134" → "02134").
    public static func normalize(_ code: String, country: String) -> String {
        let country = country.uppercased()
        var characters: [UInt8] = []
        characters.reserveCapacity(code.utf8.count)
        for scalar in code.unicodeScalars {
            if let byte = asciiAlphanumeric(scalar) { characters.append(byte) }
        }
        if let prefixes = countryPrefixes[country] {
            let letters = characters.prefix(while: isLetter)
            if !letters.isEmpty, letters.count < characters.count,
                prefixes.contains(String(decoding: letters, as: UTF8.self))
            {
                characters.removeFirst(letters.count)
            }
        }
        if country == "US", characters.count > 5, characters.allSatisfy(isDigit) {
            characters.removeLast(characters.count - 5)
        }
        if let length = zeroPaddedLengths[country], (3..<length).contains(characters.count),
            characters.allSatisfy(isDigit)
        {
            // A spreadsheet turned "02134" into the number 2134.
            characters.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: length - characters.count), at: 0)
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// Whether a code from `normalize` has its country's shape (DE 5 digits, NL 4 digits and 2 letters, CA "A9A9A9",
    /// GB and IE loosely); any non-empty code is plausible for countries without a rule.
    public static func isPlausible(_ normalized: String, country: String) -> Bool {
        let bytes = Array(normalized.utf8)
        guard !bytes.isEmpty else { return false }
        let country = country.uppercased()
        if let length = digitLengths[country] {
            return bytes.count == length && bytes.allSatisfy(isDigit)
        }
        switch country {
        case "NL":
            return bytes.count == 6 && bytes[0] != UInt8(ascii: "0") && bytes[..<4].allSatisfy(isDigit)
                && bytes[4...].allSatisfy(isLetter)
        case "CA":
            return bytes.count == 6
                && bytes.indices.allSatisfy { $0 % 2 == 0 ? isLetter(bytes[$0]) : isDigit(bytes[$0]) }
        case "GB":
            // Outward code (A9, A99, AA9, AA99, A9A, AA9A) and inward code (9AA).
            let outward = bytes.dropLast(3)
            return (5...7).contains(bytes.count) && isLetter(bytes[0]) && outward.contains(where: isDigit)
                && outward.allSatisfy { isLetter($0) || isDigit($0) } && isDigit(bytes[bytes.count - 3])
                && isLetter(bytes[bytes.count - 2]) && isLetter(bytes[bytes.count - 1])
        case "IE":
            // Eircode: a routing key (A99, or D6W) and a four-character unique identifier.
            return bytes.count == 7 && isLetter(bytes[0]) && isDigit(bytes[1])
                && bytes.allSatisfy { isLetter($0) || isDigit($0) }
        default:
            return bytes.allSatisfy { isLetter($0) || isDigit($0) }
        }
    }

    private static func asciiAlphanumeric(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A: return UInt8(scalar.value)
        case 0x61...0x7A: return UInt8(scalar.value - 0x20)
        case 0xFF10...0xFF19: return UInt8(scalar.value - 0xFF10 + 0x30)  // full-width digits
        case 0xFF21...0xFF3A: return UInt8(scalar.value - 0xFF21 + 0x41)  // full-width capitals
        case 0xFF41...0xFF5A: return UInt8(scalar.value - 0xFF41 + 0x41)  // full-width small letters
        default: return nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }

    /// Letters written before numeric postal codes, by country: international licence-plate codes and ISO codes.
    private static let countryPrefixes: [String: Set<String>] = [
        "DE": ["D", "DE"], "FR": ["F", "FR"], "AT": ["A", "AT"], "CH": ["CH"], "LI": ["FL", "LI"],
        "LU": ["L", "LU"], "BE": ["B", "BE"], "IT": ["I", "IT"], "ES": ["E", "ES"], "PT": ["P", "PT"],
        "NL": ["NL"], "DK": ["DK"], "SE": ["S", "SE"], "NO": ["N", "NO"], "FI": ["FI", "FIN", "SF"],
        "IS": ["IS"], "PL": ["PL"], "CZ": ["CZ"], "SK": ["SK"], "HU": ["H", "HU"], "SI": ["SI", "SLO"],
        "HR": ["HR"], "RO": ["RO"], "BG": ["BG"], "GR": ["GR", "EL", "TK"], "CY": ["CY"], "MC": ["MC"], "LT": ["LT"],
        "LV": ["LV"], "EE": ["EE"], "RS": ["SRB", "RS"], "MD": ["MD"], "US": ["US"], "AU": ["AU"],
        "MX": ["MX"], "BR": ["BR"], "JP": ["JP"], "IN": ["IN"], "RU": ["RU"], "UA": ["UA"], "TR": ["TR"],
    ]

    /// Countries whose codes are all digits of one length.
    private static let digitLengths: [String: Int] = [
        "DE": 5, "FR": 5, "IT": 5, "ES": 5, "US": 5, "PL": 5, "SE": 5, "FI": 5, "GR": 5, "CZ": 5, "SK": 5,
        "HR": 5, "EE": 5, "LT": 5, "MX": 5, "TR": 5, "MY": 5, "ID": 5, "TH": 5, "KR": 5, "UA": 5, "MC": 5,
        "AT": 4, "BE": 4, "CH": 4, "DK": 4, "NO": 4, "AU": 4, "NZ": 4, "LU": 4, "HU": 4, "SI": 4, "BG": 4,
        "ZA": 4, "PH": 4, "LV": 4, "CY": 4, "LI": 4, "IS": 3, "PT": 7, "BR": 8, "JP": 7, "IN": 6, "RU": 6,
        "CN": 6, "SG": 6, "RO": 6, "VN": 6,
    ]

    /// Five-digit countries whose leading zeros are real ("01067 Dresden", "00100 Roma").
    private static let zeroPaddedLengths: [String: Int] = ["US": 5, "DE": 5, "FR": 5, "IT": 5, "ES": 5]
}
