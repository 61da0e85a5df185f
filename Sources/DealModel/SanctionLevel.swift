/// How grave a sanction is: the rungs of the sanctions ladder. Raw values are the names policy files and clients
/// use. A value; `Sendable`.
public enum SanctionLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case warning = "WARNING"
    /// The party still registers, but every registration goes to review and earns only the base term.
    case benefitsLost = "BENEFITS_LOST"
    case suspension = "SUSPENSION"
    /// Out of the program.
    case expulsion = "EXPULSION"
    /// An internal seller's commission on the deal is withheld.
    case commissionWithheld = "COMMISSION_WITHHELD"
    /// An internal seller's employment is reviewed.
    case terminationReview = "TERMINATION_REVIEW"

    /// The standing the registry holds a party to while this sanction is in force; nil for sanctions the registry
    /// does not enforce (a warning, or a seller's).
    public var standing: PartyStanding? {
        switch self {
        case .benefitsLost: .benefitsLost
        case .suspension: .suspended
        case .expulsion: .expelled
        case .warning, .commissionWithheld, .terminationReview: nil
        }
    }

    /// Whether the level can be imposed on a party of `kind`: the program's members (partners, distributors) lose
    /// benefits, are suspended or expelled; the vendor's own sellers lose commission or face a termination review;
    /// anyone sanctioned may be warned.
    public func applies(to kind: PartyKind) -> Bool {
        switch self {
        case .warning: SanctionLadder.kinds.contains(kind)
        case .benefitsLost, .suspension, .expulsion: kind.isChannel
        case .commissionWithheld, .terminationReview: kind == .seller
        }
    }
}

extension PartyStanding {
    /// The gravest standing among `standings`: expelled, then suspended, then benefits lost; active when none.
    public static func gravest(of standings: some Sequence<PartyStanding>) -> PartyStanding {
        let present = Set(standings)
        return [.expelled, .suspended, .benefitsLost].first { present.contains($0) } ?? .active
    }
}
