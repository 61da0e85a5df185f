/// Words that tell a group's companies apart: numbers, Roman numerals, regions and divisions ("Nordic Data 2",
/// "Acme Iberia", "Siemens Energy"). Names that differ only in them are sister companies, different legal
/// entities. Pure lookups in constant tables, safe from any thread.
public enum SiblingWords {
    /// Whether a folded, canonical name token is a number, a Roman numeral, a region or a division word.
    public static func isSiblingWord(_ token: String) -> Bool {
        if isNumber(token) || words.contains(token) { return true }
        // German compounds of a division word are divisions too ("Lebensversicherungs", "Energienetze").
        guard token.utf8.count >= 10 else { return false }
        return compoundHeads.contains { token.hasSuffix($0) }
    }

    /// Division words long enough to end a German compound without a false reading.
    private static let compoundHeads = ["versicherung", "versicherungs", "netze", "energie", "immobilien", "leasing"]

    /// Whether a folded token is a number or a Roman numeral ("2", "iii").
    public static func isNumber(_ token: String) -> Bool {
        token.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } || romanNumerals.contains(token)
    }

    private static let romanNumerals: Set<String> = ["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"]

    private static let words: Set<String> = [
        // Regions.
        "north", "south", "east", "west", "central", "nord", "sud", "sued", "ost", "oest", "ouest", "nordic",
        "nordics", "norden", "scandinavia", "europe", "european", "europa", "emea", "apac", "asia", "pacific",
        "americas", "america", "latam", "iberia", "iberica", "benelux", "dach", "baltic", "baltics", "mena", "africa",
        "deutschland", "germany", "france", "italia", "italy", "espana", "spain", "portugal", "uk", "ireland",
        "schweiz", "suisse", "svizzera", "switzerland", "austria", "osterreich", "polska", "poland", "nederland",
        "netherlands", "belgium", "belgie", "belgique", "sverige", "sweden", "norge", "norway", "danmark", "denmark",
        "suomi", "finland", "japan", "china", "india", "australia", "canada", "mexico", "brasil", "brazil", "usa",
        // Divisions.
        "energy", "health", "healthcare", "healthineers", "medical", "mobility", "pharma", "pharmaceuticals",
        "chemicals", "chemie", "foods", "food", "retail", "automotive", "aerospace", "defence", "defense",
        "insurance", "versicherung", "bank", "banking", "leasing", "finance", "software", "digital", "cloud",
        "research", "trucks", "rail", "power", "renewables", "telecom", "media", "entertainment", "publishing",
        "hotels", "airlines", "electronics", "semiconductors", "appliances", "tools", "packaging", "materials",
        "steel", "mining", "agriculture", "consumer", "industrial", "infrastructure", "water", "gas", "oil",
        "shipping", "marine", "security", "payments", "beverages", "immobilien", "realty",
        "hausgerate", "lighting", "diagnostics", "biotech", "animal", "crop", "capital", "ventures",
        "versicherungs", "netz", "netze", "grid", "energie", "hypermarches", "supermarches", "proximite",
        "hypermarket", "hypermarkets", "supermarket", "supermarkets", "express", "reinsurance", "life",
    ]
}
