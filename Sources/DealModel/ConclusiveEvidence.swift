/// Evidence that two customers are one beyond reasonable doubt: what a sanction may be imposed on without an
/// officer (`enforcement.auto_confirm_evidence`). A match on anything less (similar names in one town, a shared
/// street) opens a case that waits for an officer. `CustomerScorer.conclusiveEvidence` finds it. A value;
/// `Sendable`.
public enum ConclusiveEvidence: String, CaseIterable, Sendable, Hashable, Comparable, Codable {
    /// An equal tax id that passes its country's check digit.
    case equalTaxID = "equal_tax_id"
    /// An equal registrable web domain that is neither shared hosting nor mail, and a similar name.
    case equalDomainAndName = "equal_domain_and_name"
    /// A near-exact name at the same street, house number and postal code or city.
    case nameAndAddress = "name_and_address"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// What it means, for a case's reasons.
    public var sentence: String {
        switch self {
        case .equalTaxID: "equal tax id, valid by its check digit"
        case .equalDomainAndName: "equal registrable web domain (not shared hosting or mail) and a similar name"
        case .nameAndAddress: "near-exact name at the same street, house number and postal code or city"
        }
    }
}
