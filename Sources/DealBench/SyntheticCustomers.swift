import DealModel

/// Deterministic synthetic B2B customers across ten European countries, and respelled variants of them, for scale
/// runs. Not thread-safe: one generator per caller.
public struct SyntheticCustomers {
    private var state: UInt64

    public init(seed: UInt64 = 20_261_129) {
        state = seed
    }

    /// SplitMix64: tiny, fast and the same on every machine.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    private mutating func word(_ syllables: ClosedRange<Int>) -> String {
        let count = syllables.lowerBound + below(syllables.count)
        return (0..<count).map { _ in pick(Self.syllables) }.joined().capitalized
    }

    /// The `number`th customer of the population: a brand, a line of business, a legal form and an address.
    public mutating func customer() -> Customer {
        let country = pick(Self.countries)
        let name = [word(2...3), below(3) == 0 ? word(2...3) : nil, pick(Self.business), pick(country.forms)]
            .compactMap { $0 }.joined(separator: " ")
        let postal = String(10_000 + below(country.postalCodes))
        let city = "\(Self.cityStems[Int(postal)! % Self.cityStems.count])\(Int(postal)! % 97)"
        let street = "\(1 + below(180)) \(word(2...3)) \(pick(country.streetTypes))"
        let domain =
            below(2) == 0 ? name.lowercased().split(separator: " ").prefix(2).joined(separator: "-") + ".eu" : ""
        return Customer(
            legalName: name, street: street, city: city, postalCode: postal, country: country.code, webDomain: domain)
    }

    /// The same customer as another registrant might spell it: case, legal form, one typo, the domain dropped.
    public mutating func variant(of customer: Customer) -> Customer {
        var copy = customer
        var letters = Array(copy.legalName)
        switch below(4) {
        case 0: copy.legalName = copy.legalName.uppercased()
        case 1:
            copy.legalName = copy.legalName.split(separator: " ").dropLast().joined(separator: " ")
        case 2 where letters.count > 4:
            let position = 1 + below(letters.count - 3)
            letters.swapAt(position, position + 1)
            copy.legalName = String(letters)
        default: copy.legalName = copy.legalName.lowercased()
        }
        if below(2) == 0 { copy.webDomain = "" }
        if below(3) == 0 { copy.street = copy.street.replacingOccurrences(of: " ", with: "  ") }
        return copy
    }

    struct Country {
        var code: String
        var forms: [String]
        var streetTypes: [String]
        var postalCodes: Int
    }

    static let countries = [
        Country(
            code: "DE", forms: ["GmbH", "AG", "KG", "GmbH & Co. KG"], streetTypes: ["Straße", "Weg", "Platz"],
            postalCodes: 8000),
        Country(
            code: "FR", forms: ["SA", "SAS", "SARL"], streetTypes: ["Rue", "Avenue", "Boulevard"], postalCodes: 6000),
        Country(
            code: "GB", forms: ["Ltd", "PLC", "Limited"], streetTypes: ["Street", "Road", "Lane"], postalCodes: 9000),
        Country(code: "IT", forms: ["SpA", "Srl"], streetTypes: ["Via", "Piazza", "Corso"], postalCodes: 5000),
        Country(code: "ES", forms: ["S.L.", "S.A."], streetTypes: ["Calle", "Avenida", "Plaza"], postalCodes: 5000),
        Country(code: "NL", forms: ["BV", "NV"], streetTypes: ["Straat", "Laan", "Gracht"], postalCodes: 4000),
        Country(code: "SE", forms: ["AB"], streetTypes: ["Gatan", "Vägen"], postalCodes: 3000),
        Country(code: "PL", forms: ["Sp. z o.o.", "S.A."], streetTypes: ["ul."], postalCodes: 4000),
        Country(code: "AT", forms: ["GmbH", "AG"], streetTypes: ["Gasse", "Straße"], postalCodes: 2000),
        Country(code: "BE", forms: ["BV", "SA", "SRL"], streetTypes: ["Rue", "Straat"], postalCodes: 2000),
    ]

    static let syllables = [
        "ka", "ve", "lor", "trin", "sum", "bra", "nik", "dol", "mer", "zan", "qui", "tor", "ell", "os", "ar", "pen",
        "gri", "fal", "mon", "ru", "sta", "vin", "lex", "cor", "dia", "hal", "ny", "bel", "tik", "ost", "ber", "sen",
        "hof", "mann", "ler", "ko", "wa", "ski", "ri", "ga", "lu", "do", "fi", "ne", "pa", "si", "te", "mi",
    ]
    static let business = [
        "Logistik", "Bau", "Pharma", "Textil", "Energie", "Software", "Foods", "Motors", "Finance", "Media",
        "Chemicals", "Optics", "Robotics", "Retail", "Shipping", "Insurance", "Telecom", "Minerals", "Papier", "Glas",
        "Consulting", "Services", "Systems", "Technologies", "Holding", "Trading", "Engineering", "Solutions",
    ]
    static let cityStems = ["Nord", "Sud", "Ost", "West", "Berg", "Tal", "Hafen", "Markt", "Brück", "Feld"]
}
