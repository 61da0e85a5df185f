/// Normalises VAT and other tax identifiers to "CC:IDENTIFIER" ("TVA : FR 12 345 678 901" → "FR:12345678901");
/// pure functions on values, safe from any thread.
public enum TaxIdentifier {
    /// Keeps upper-cased ASCII letters and digits, drops labels around the number ("VAT No.", "USt-IdNr.",
    /// "P.IVA", "ABN", a trailing "MWST" or "MVA") and the country's own VAT prefix ("EL" or "GR" in Greece, "GB"
    /// or "XI" in the United Kingdom, "CHE" in Switzerland, "ATU" in Austria), and prefixes the upper-cased
    /// country and a colon when it is known; "" when no digit is left ("N/A", "pending").
    public static func normalize(_ text: String, country: String) -> String {
        let country = country.uppercased()
        var runs: ArraySlice<[UInt8]> = ArraySlice(alphanumericRuns(text))
        // A lone letter before a label is part of it: "N° TVA", "P.IVA", "IČ DPH".
        while let first = runs.first,
            labels.contains(first) || (first.count == 1 && runs.dropFirst().first.map(labels.contains) == true)
        {
            runs.removeFirst()
        }
        while let last = runs.last, trailingLabels.contains(last) { runs.removeLast() }
        var characters = Array(runs.joined())
        for prefix in vatPrefixes[country] ?? [Array(country.utf8)]
        where !prefix.isEmpty && characters.count > prefix.count && characters.starts(with: prefix) {
            characters.removeFirst(prefix.count)
            break
        }
        // Austria's "U" belongs to the VAT number, not to the tax office's; registrants drop it as often as not.
        if country == "AT", characters.count == 9, characters.first == UInt8(ascii: "U") {
            characters.removeFirst()
        }
        // A Japanese qualified-invoice number is "T" and the 13-digit corporate number.
        if country == "JP", characters.count == 14, characters.first == UInt8(ascii: "T") { characters.removeFirst() }
        guard characters.contains(where: isDigit) else { return "" }
        let identifier = String(decoding: characters, as: UTF8.self)
        return country.isEmpty ? identifier : country + ":" + identifier
    }

    /// Whether a normalised identifier ("CC:IDENTIFIER") passes its country's check digit.
    public enum Check: Sendable, Hashable {
        /// Its country's format and check digit hold.
        case valid
        /// Its country has a check digit and the identifier fails it, or has the wrong length: a mistyped id.
        case invalid
        /// No check is known for its country (or it has no country).
        case unchecked
    }

    /// Checks a normalised identifier (see `normalize`) against its country's format and check digit.
    public static func check(_ normalized: String) -> Check {
        guard let colon = normalized.firstIndex(of: ":") else { return .unchecked }
        let identifier = Array(normalized.utf8[normalized.utf8.index(after: colon)...])
        // "000000000" or "111111111": what registrants type when they do not know the id, whatever its checksum.
        if identifier.count > 3, identifier.allSatisfy({ $0 == identifier[0] }) { return .invalid }
        switch checkDigitsHold(identifier, country: normalized[..<colon]) {
        case true?: return .valid
        case false?: return .invalid
        case nil: return .unchecked
        }
    }

    /// Runs of upper-cased ASCII letters and digits (full-width ones folded); anything else separates them.
    private static func alphanumericRuns(_ text: String) -> [[UInt8]] {
        var runs: [[UInt8]] = []
        var current: [UInt8] = []
        for scalar in text.unicodeScalars {
            let byte: UInt8?
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A: byte = UInt8(scalar.value)
            case 0x61...0x7A: byte = UInt8(scalar.value - 0x20)
            case 0xFF10...0xFF19: byte = UInt8(scalar.value - 0xFF10 + 0x30)
            case 0xFF21...0xFF3A: byte = UInt8(scalar.value - 0xFF21 + 0x41)
            case 0xFF41...0xFF5A: byte = UInt8(scalar.value - 0xFF41 + 0x41)
            default: byte = nil
            }
            if let byte {
                current.append(byte)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// VAT prefixes by country, longest first, where they are not only the ISO code.
    private static let vatPrefixes: [String: [[UInt8]]] = [
        "GR": [Array("EL".utf8), Array("GR".utf8)],
        "GB": [Array("GB".utf8), Array("XI".utf8)],
        "CH": [Array("CHE".utf8), Array("CH".utf8)],
    ]

    /// Words that name the identifier rather than being part of it, in the languages of its countries.
    private static let labels: Set<[UInt8]> = Set(
        [
            "VAT", "VATNO", "VATID", "NO", "NR", "NUM", "NUMBER", "NUMERO", "ID", "IDNR", "IDNO", "REG", "REGNO",
            "UST", "USTID", "USTIDNR", "MWST", "MWSTNR", "STNR", "STEUERNUMMER", "TVA", "INTRACOM",
            "INTRACOMMUNAUTAIRE", "NIF", "NIE", "CIF", "NIPC", "NIP", "PIVA", "PARTITA", "IVA", "CF",
            "BTW", "BTWNR", "ABN", "ACN", "EIN", "UID", "UIDNR", "GST", "GSTIN", "TIN", "TAX", "TAXID", "DIC", "DI",
            "DPH", "IC", "ORG", "ORGNR", "CVR", "MVA", "ALV", "AFM", "KMKR", "PVN", "PVM", "DDV", "OIB", "CUI",
            "BN", "RUT", "RFC", "CUIT", "CNPJ",
            // Russia, Ukraine, Bulgaria, Serbia, China, Korea, Japan, the Gulf.
            "INN", "KPP", "OGRN", "EDRPOU", "UIC", "EIK", "PIB", "USCC", "BRN", "CORPORATE", "TRN",
        ].map { Array($0.utf8) })

    /// Labels written after the number ("CHE-123.456.789 MWST", "NO 123 456 789 MVA").
    private static let trailingLabels: Set<[UInt8]> = Set(
        ["MWST", "TVA", "IVA", "MVA", "BTW", "VAT"].map { Array($0.utf8) })
}
