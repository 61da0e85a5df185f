/// One comparison outcome between two customers' fields; each adds its log-odds weight to the match score.
public enum MatchEvidence: Int, CaseIterable, Sendable, Hashable {
    case nameExact, nameStrong, nameGood, nameFair, nameShared, nameWeak, nameDifferent
    /// One name is an acronym of the other ("IBM" / "International Business Machines").
    case acronym
    /// One name is written in Chinese characters, kana or hangul and the other in Latin letters: not compared.
    case nameOtherScript
    case numbersDifferent
    case genericSame, genericDifferent
    case streetNumberSame, streetNumberDifferent
    case streetSame, streetClose, streetDifferent
    case postalSame, postalNear, postalDifferent
    case citySame, cityDifferent
    case regionSame, regionDifferent
    case domainSame, domainDifferent
    case taxSame, taxDifferent
    case countryDifferent
}

/// Log-odds weights of the evidence. The defaults were fitted by `dealreg-bench calibrate` (logistic regression
/// over candidate pairs of the development set); tax id and country, absent from that set, and a differing domain
/// or number in the name, which never happen there between records of one customer, are set by hand; an equal
/// registrable domain, perfect there, is held a little below an equal tax id. An acronym weighs a little less than
/// a good name match: with an address it is a conflict, with a city alone a review.
/// A value; `Sendable`.
public struct MatchWeights: Sendable, Hashable {
    public var prior: Double
    public var values: [Double]

    public init(prior: Double, values: [MatchEvidence: Double]) {
        self.prior = prior
        self.values = MatchEvidence.allCases.map { values[$0] ?? 0 }
    }

    public subscript(_ evidence: MatchEvidence) -> Double {
        get { values[evidence.rawValue] }
        set { values[evidence.rawValue] = newValue }
    }

    public static let standard = MatchWeights(
        prior: -4.77,
        values: [
            .nameExact: 4.90, .nameStrong: 5.41, .nameGood: 4.12, .nameFair: 1.98, .nameShared: 0.84,
            .nameWeak: -1.89, .nameDifferent: -3.36, .acronym: 3.50, .nameOtherScript: 0, .numbersDifferent: -12.00,
            .genericSame: 2.13,
            .genericDifferent: -1.70, .streetNumberSame: 3.35, .streetNumberDifferent: -1.13, .streetSame: 5.01,
            .streetClose: 1.69, .streetDifferent: -2.86, .postalSame: 4.43, .postalNear: 1.39, .postalDifferent: -3.33,
            .citySame: 3.44, .cityDifferent: -1.92, .regionSame: 1.87, .regionDifferent: -1.18, .domainSame: 11.00,
            .domainDifferent: -12.00, .taxSame: 12.00, .taxDifferent: -9.00, .countryDifferent: -8.00,
        ])
}
