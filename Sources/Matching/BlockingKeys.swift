import DealModel

/// The blocking keys of a normalised customer, hashed: what `CustomerIndex` posts entries under and looks them up
/// by. Pure functions; `Sendable`.
enum BlockingKeys {
    /// Postings longer than this are too common to say anything and are not read at query time (identifiers
    /// excepted).
    static let commonLimit = 2000

    static func isIdentifier(_ key: UInt64) -> Bool {
        key >> 56 == KeyKind.domain.rawValue || key >> 56 == KeyKind.tax.rawValue
    }

    /// The kind of a blocking key, kept in its hash's top byte.
    enum KeyKind: UInt64 {
        case name = 1, soundex, joined, trigram, sortedLetters, houseAndCity, domain, tax, postal, streetWord
        case houseAndStreet
    }

    /// FNV-1a over the key's parts, its kind in the top byte.
    static func key(_ kind: KeyKind, _ country: String, _ parts: some Sequence<UInt8>) -> UInt64 {
        var hash = FNV1a()
        hash.combine(country.utf8)
        hash.combine(0x1f)
        hash.combine(parts)
        return (hash.value & 0x00FF_FFFF_FFFF_FFFF) | kind.rawValue << 56
    }

    /// Blocking keys: distinctive name tokens and their Soundex codes (typos), trigrams and sorted letters of the
    /// name, registrable domain, tax id, postal code, street words and house numbers.
    static func keys(of customer: NormalizedCustomer) -> Set<UInt64> {
        keys(
            country: customer.country, coreTokens: customer.coreTokens, joinedName: customer.joinedName,
            houseNumber: customer.streetNumbers.first, city: customer.city, domain: customer.registrableDomain,
            taxID: customer.taxID, postalCode: customer.postalCode, streetTokens: customer.streetTokens)
    }

    /// The keys of the customer `packed` was packed from, for an index entry whose keys were not kept (equal but
    /// for tokens past the packing's length limits, which no real customer reaches).
    static func keys(of packed: PackedCustomer) -> Set<UInt64> {
        keys(
            country: packed.text(.country), coreTokens: packed.tokens(.name), joinedName: packed.text(.joinedName),
            houseNumber: packed.tokens(.streetNumbers).first, city: packed.text(.city), domain: packed.text(.domain),
            taxID: packed.text(.tax), postalCode: packed.text(.postal), streetTokens: packed.tokens(.street))
    }

    private static func keys(
        country: String, coreTokens: [String], joinedName joined: String, houseNumber: String?, city: String,
        domain: String, taxID: String, postalCode: String, streetTokens: [String]
    ) -> Set<UInt64> {
        // About 30 keys a customer: growing the set from empty rehashed it four times (half the cost of the keys).
        var keys = Set<UInt64>(minimumCapacity: 64)
        for token in coreTokens where token.utf8.count >= 2 {
            keys.insert(key(.name, country, token.utf8))
            let code = Soundex.code(token)
            if !code.isEmpty { keys.insert(key(.soundex, country, code.utf8)) }
            if token.utf8.count >= 4 {
                keys.insert(key(.sortedLetters, country, token.utf8.sorted()))
            }
        }
        if joined.utf8.count >= 4 && coreTokens.count > 1 { keys.insert(key(.joined, country, joined.utf8)) }
        // Character trigrams of the joined name, with boundaries: what survives typos, splits and swaps.
        let bounded = [UInt8(ascii: "^")] + Array(joined.utf8) + [UInt8(ascii: "$")]
        if bounded.count >= 3 {
            for start in 0...min(bounded.count - 3, 40) {
                keys.insert(key(.trigram, country, bounded[start..<(start + 3)]))
            }
        }
        if let number = houseNumber, !city.isEmpty {
            keys.insert(key(.houseAndCity, country, Array(number.utf8) + [0x1f] + Array(Soundex.code(city).utf8)))
        }
        if !domain.isEmpty { keys.insert(key(.domain, "", domain.utf8)) }
        if !taxID.isEmpty { keys.insert(key(.tax, "", taxID.utf8)) }
        if !postalCode.isEmpty { keys.insert(key(.postal, country, postalCode.utf8)) }
        // Street words name a place better than a customer's spelling of its own name does.
        for word in streetTokens where word.utf8.count >= 4 {
            guard !StreetAddress.isStreetType(word) else { continue }
            keys.insert(key(.streetWord, country, word.utf8))
            if let number = houseNumber {
                keys.insert(key(.houseAndStreet, country, Array(number.utf8) + [0x1f] + Array(Soundex.code(word).utf8)))
            }
        }
        return keys
    }
}
