/// The format and check digits of each country's tax identifier, as python-stdnum describes the national schemes;
/// pure functions on values, safe from any thread.
extension TaxIdentifier {
    /// Whether a normalised identifier without its country ("136695976" of "DE:136695976") has the country's format
    /// and check digits; nil where no check is known for the country, or for that kind of identifier.
    static func checkDigitsHold(_ identifier: [UInt8], country: Substring) -> Bool? {
        switch country {
        case "AT": austria(identifier)
        case "AU": australia(identifier)
        case "BE": belgium(identifier)
        case "CH": switzerland(identifier)
        case "DE": germany(identifier)
        case "DK": denmark(identifier)
        case "EE": estonia(identifier)
        case "ES": spain(identifier)
        case "FI": finland(identifier)
        case "FR": france(identifier)
        case "GB": unitedKingdom(identifier)
        case "GR": greece(identifier)
        case "HR": croatia(identifier)
        case "HU": hungary(identifier)
        case "IE": ireland(identifier)
        case "IT": italy(identifier)
        case "LU": luxembourg(identifier)
        case "NL": netherlands(identifier)
        case "NO": norway(identifier)
        case "PL": poland(identifier)
        case "PT": portugal(identifier)
        case "SE": sweden(identifier)
        case "SI": slovenia(identifier)
        default: nil
        }
    }

    /// UID: "U" and 8 digits, the "U" dropped by `normalize`; the last is a Luhn variant offset by 4.
    private static func austria(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8) else { return false }
        return (16 - luhnSum(digits.dropLast())) % 10 == digits[7]
    }

    /// ABN: 11 digits whose weighted sum, the first digit less one, is a multiple of 89.
    private static func australia(_ identifier: [UInt8]) -> Bool {
        guard var digits = digits(identifier, count: 11), digits[0] > 0 else { return false }
        digits[0] -= 1
        return weightedSum(digits, [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 == 0
    }

    /// Ondernemingsnummer: 10 digits starting 0 or 1 (the old 9 without the leading 0), the last two 97 less the
    /// first eight modulo 97.
    private static func belgium(_ identifier: [UInt8]) -> Bool {
        let padded = identifier.count == 9 ? [UInt8(ascii: "0")] + identifier : identifier
        guard let digits = digits(padded, count: 10), digits[0] <= 1, number(digits[..<8]) > 0 else { return false }
        return (number(digits[..<8]) + number(digits[8...])) % 97 == 0
    }

    /// UID: "CHE" (dropped by `normalize`) and 9 digits, the last a weighted sum modulo 11.
    private static func switzerland(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 9) else { return false }
        return (11 - weightedSum(digits[..<8], [5, 4, 3, 2, 7, 6, 5, 4]) % 11) % 11 == digits[8]
    }

    /// USt-IdNr.: 9 digits, not starting with 0, the last by ISO 7064 MOD 11,10.
    private static func germany(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 9), digits[0] != 0 else { return false }
        return mod11_10Holds(digits)
    }

    /// CVR: 8 digits, not starting with 0, whose weighted sum is a multiple of 11.
    private static func denmark(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8), digits[0] != 0 else { return false }
        return weightedSum(digits, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
    }

    /// KMKR: 9 digits whose weighted sum is a multiple of 10.
    private static func estonia(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 9) else { return false }
        return weightedSum(digits, [3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0
    }

    /// NIF: a resident's DNI (8 digits and a letter), a foreigner's NIE ("X", "Y" or "Z", 7 digits and a letter),
    /// the old "K", "L" and "M" kinds, or a company's CIF (a letter for its kind, 7 digits and a Luhn check digit
    /// written as a digit or a letter).
    private static func spain(_ identifier: [UInt8]) -> Bool {
        guard identifier.count == 9, let middle = digits(identifier[1..<8]), let first = identifier.first,
            let last = identifier.last
        else { return false }
        let dniLetters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)
        if let firstDigit = digit(first) {
            return dniLetters[(firstDigit * 10_000_000 + number(middle)) % 23] == last
        }
        if let nieDigit = Array("XYZ".utf8).firstIndex(of: first) {
            return dniLetters[(nieDigit * 10_000_000 + number(middle)) % 23] == last
        }
        if Array("KLM".utf8).contains(first) {
            return dniLetters[number(middle) % 23] == last
        }
        guard Array("ABCDEFGHJNPQRSUVW".utf8).contains(first) else { return false }
        let check = (10 - luhnSum(middle + [0])) % 10
        return last == UInt8(ascii: "0") + UInt8(check) || last == Array("JABCDEFGHI".utf8)[check]
    }

    /// ALV: 8 digits whose weighted sum is a multiple of 11.
    private static func finland(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8) else { return false }
        return weightedSum(digits, [7, 9, 10, 5, 8, 4, 2, 1]) % 11 == 0
    }

    /// TVA: a key of two digits, (12 + 3 × SIREN) modulo 97, or of letters and digits (the newer scheme), and the
    /// company's 9-digit SIREN, itself Luhn-checked unless from Monaco ("000…"); also a SIREN alone, or a SIRET
    /// (the SIREN and a 5-digit establishment number, Luhn-checked; La Poste's establishments sum to a multiple
    /// of 5 instead).
    private static func france(_ identifier: [UInt8]) -> Bool {
        switch identifier.count {
        case 9:
            guard let siren = digits(identifier) else { return false }
            return luhnSum(siren) == 0
        case 14:
            guard let siret = digits(identifier) else { return false }
            if siret.starts(with: [3, 5, 6, 0, 0, 0, 0, 0, 0]) && siret != [3, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 8] {
                return siret.reduce(0, +) % 5 == 0
            }
            return luhnSum(siret) == 0 && luhnSum(siret[..<9]) == 0
        case 11:
            guard let siren = digits(identifier[2...]) else { return false }
            if !siren.starts(with: [0, 0, 0]) && luhnSum(siren) != 0 { return false }
            if let key = digits(identifier[..<2]) { return number(key) == (12 + 3 * (number(siren) % 97)) % 97 }
            let alphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
            guard let first = alphabet.firstIndex(of: identifier[0]),
                let second = alphabet.firstIndex(of: identifier[1])
            else { return false }
            let check = first < 10 ? first * 24 + second - 10 : first * 34 + second - 100
            return (number(siren) + 1 + check / 11) % 11 == check % 11
        default:
            return false
        }
    }

    /// VAT: 9 digits (12 with a branch's three) whose weighted sum is 0 modulo 97, or 42 or 55 in the newer ranges;
    /// government departments' "GD" and health authorities' "HA" numbers are not checked.
    private static func unitedKingdom(_ identifier: [UInt8]) -> Bool? {
        if identifier.starts(with: "GD".utf8) || identifier.starts(with: "HA".utf8) { return nil }
        guard identifier.count == 9 || identifier.count == 12, let digits = digits(identifier) else { return false }
        let sum = weightedSum(digits[..<9], [8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97
        return number(digits[..<3]) >= 100 ? [0, 42, 55].contains(sum) : sum == 0
    }

    /// ΑΦΜ: 9 digits (the old 8 without a leading 0), the last from the first eight read as a binary-weighted sum.
    private static func greece(_ identifier: [UInt8]) -> Bool {
        let padded = identifier.count == 8 ? [UInt8(ascii: "0")] + identifier : identifier
        guard let digits = digits(padded, count: 9) else { return false }
        return digits[..<8].reduce(0) { $0 * 2 + $1 } * 2 % 11 % 10 == digits[8]
    }

    /// OIB: 11 digits, the last by ISO 7064 MOD 11,10.
    private static func croatia(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 11) else { return false }
        return mod11_10Holds(digits)
    }

    /// ANUM: 8 digits whose weighted sum is a multiple of 10.
    private static func hungary(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8) else { return false }
        return weightedSum(digits, [9, 7, 3, 1, 9, 7, 3, 1]) % 10 == 0
    }

    /// VAT: 7 digits, a check letter and sometimes a second letter that counts in it (the 2013 scheme), or the old
    /// 8 characters whose second is a letter, "+" or "*".
    private static func ireland(_ identifier: [UInt8]) -> Bool {
        let letters = Array("WABCDEFGHIJKLMNOPQRSTUV".utf8)
        guard identifier.count == 8 || identifier.count == 9, let head = digit(identifier[0]),
            let body = digits(identifier[2..<7])
        else { return false }
        var weighted: [Int]
        var extra = 0
        if let second = digit(identifier[1]) {
            weighted = [head, second] + body
            if identifier.count == 9 {
                guard let index = letters.firstIndex(of: identifier[8]) else { return false }
                extra = 9 * index
            }
        } else {
            guard identifier.count == 8, Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ+*".utf8).contains(identifier[1]) else {
                return false
            }
            weighted = [0] + body + [head]
        }
        return letters[(weightedSum(weighted, [8, 7, 6, 5, 4, 3, 2]) + extra) % 23] == identifier[7]
    }

    /// Partita IVA: 11 digits, a company number that is not all zeros, a province office code and a Luhn check digit.
    private static func italy(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 11), number(digits[..<7]) > 0 else { return false }
        let office = number(digits[7..<10])
        return ((1...100).contains(office) || [120, 121, 888, 999].contains(office)) && luhnSum(digits) == 0
    }

    /// TVA: 8 digits, the last two the first six modulo 89.
    private static func luxembourg(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8) else { return false }
        return number(digits[..<6]) % 89 == number(digits[6...])
    }

    /// BTW: a 9-digit RSIN or BSN (leading zeros sometimes dropped), "B" and a 2-digit unit other than 00; the
    /// number passes the 11-test, or, for sole traders' newer ids, "NL" and the whole passes ISO 7064 MOD 97-10.
    private static func netherlands(_ identifier: [UInt8]) -> Bool {
        guard identifier.count >= 4, identifier.count <= 12, identifier[identifier.count - 3] == UInt8(ascii: "B")
        else { return false }
        let padded = Array(repeating: UInt8(ascii: "0"), count: 12 - identifier.count) + identifier
        guard let rsin = digits(padded[..<9]), let unit = digits(padded[10...]), number(rsin) > 0, number(unit) > 0
        else { return false }
        if (weightedSum(rsin[..<8], [9, 8, 7, 6, 5, 4, 3, 2]) - rsin[8]) % 11 == 0 { return true }
        return mod97_10Holds(Array("NL".utf8) + padded)
    }

    /// Organisasjonsnummer: 9 digits, the last a weighted sum modulo 11, and a trailing "MVA" when written.
    private static func norway(_ identifier: [UInt8]) -> Bool {
        let written = identifier.suffix(3).elementsEqual("MVA".utf8) ? identifier.dropLast(3) : identifier[...]
        guard let digits = digits(written, count: 9) else { return false }
        return weightedSum(digits, [3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
    }

    /// NIP: 10 digits, the last the weighted sum of the others modulo 11.
    private static func poland(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 10) else { return false }
        return weightedSum(digits[..<9], [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == digits[9]
    }

    /// NIF: 9 digits, not starting with 0, the last a weighted sum modulo 11 (10 written as 0).
    private static func portugal(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 9), digits[0] != 0 else { return false }
        return (11 - weightedSum(digits[..<8], [9, 8, 7, 6, 5, 4, 3, 2]) % 11) % 11 % 10 == digits[8]
    }

    /// Momsregistreringsnummer: the 10-digit organisationsnummer, Luhn-checked, and "01"; the organisationsnummer
    /// alone is accepted too.
    private static func sweden(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier), digits.count == 10 || (digits.count == 12 && digits.suffix(2) == [0, 1])
        else { return false }
        return luhnSum(digits[..<10]) == 0
    }

    /// DDV: 8 digits, not starting with 0, the last 11 less a weighted sum modulo 11 (10 written as 0).
    private static func slovenia(_ identifier: [UInt8]) -> Bool {
        guard let digits = digits(identifier, count: 8), digits[0] != 0 else { return false }
        let check = 11 - weightedSum(digits[..<7], [8, 7, 6, 5, 4, 3, 2]) % 11
        return check != 11 && check % 10 == digits[7]
    }

    // MARK: Schemes shared by several countries

    /// The Luhn sum modulo 10, every second digit from the last doubled; 0 when the last digit is a Luhn check digit.
    private static func luhnSum(_ digits: some BidirectionalCollection<Int>) -> Int {
        digits.reversed().enumerated().reduce(0) { sum, element in
            let (position, digit) = element
            return sum + (position % 2 == 0 ? digit : (digit * 2) % 10 + digit / 5)
        } % 10
    }

    /// ISO 7064 MOD 11,10: the last digit is the check digit of the others.
    private static func mod11_10Holds(_ digits: [Int]) -> Bool {
        var product = 10
        for digit in digits.dropLast() {
            let sum = (digit + product) % 10
            product = (sum == 0 ? 10 : sum) * 2 % 11
        }
        return (11 - product) % 10 == digits[digits.count - 1]
    }

    /// ISO 7064 MOD 97-10 over digits and letters (A = 10 … Z = 35): the whole is 1 modulo 97.
    private static func mod97_10Holds(_ characters: [UInt8]) -> Bool {
        var remainder = 0
        for character in characters {
            if let digit = digit(character) {
                remainder = (remainder * 10 + digit) % 97
            } else if character >= UInt8(ascii: "A") && character <= UInt8(ascii: "Z") {
                remainder = (remainder * 100 + Int(character - UInt8(ascii: "A")) + 10) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    private static func weightedSum(_ digits: some Collection<Int>, _ weights: [Int]) -> Int {
        zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The value of digits read as a decimal number.
    private static func number(_ digits: some Collection<Int>) -> Int { digits.reduce(0) { $0 * 10 + $1 } }

    /// The values of ASCII digits, nil when one is not a digit or there are not `count` of them (any when nil).
    private static func digits(_ characters: some Collection<UInt8>, count: Int? = nil) -> [Int]? {
        if let count, characters.count != count { return nil }
        var digits: [Int] = []
        digits.reserveCapacity(characters.count)
        for character in characters {
            guard let digit = digit(character) else { return nil }
            digits.append(digit)
        }
        return digits
    }

    private static func digit(_ character: UInt8) -> Int? {
        character >= UInt8(ascii: "0") && character <= UInt8(ascii: "9") ? Int(character - UInt8(ascii: "0")) : nil
    }
}
