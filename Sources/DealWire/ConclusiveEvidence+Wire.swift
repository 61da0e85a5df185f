import DealModel

extension ConclusiveEvidence {
    public var wire: Dealreg_V1_ConclusiveEvidence {
        switch self {
        case .equalTaxID: .equalTaxID
        case .equalDomainAndName: .equalDomainAndName
        case .nameAndAddress: .nameAndAddress
        }
    }

    /// Nil for an unspecified value or one from a newer contract.
    public init?(wire: Dealreg_V1_ConclusiveEvidence) {
        switch wire {
        case .equalTaxID: self = .equalTaxID
        case .equalDomainAndName: self = .equalDomainAndName
        case .nameAndAddress: self = .nameAndAddress
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
