import DealModel

/// What of a match is conclusive (`ConclusiveEvidence`): the evidence a sanction may rest on without an officer.
extension CustomerScorer {
    /// The conclusive evidence that `new` is `held`, strongest first; empty when the match, however high its
    /// score, rests on weaker evidence.
    public func conclusiveEvidence(_ new: NormalizedCustomer, _ held: NormalizedCustomer) -> [ConclusiveEvidence] {
        let evidence = Set(compare(new, held).evidence)
        var found: [ConclusiveEvidence] = []
        if evidence.contains(.taxSame), TaxIdentifier.check(new.taxID) == .valid {
            found.append(.equalTaxID)
        }
        // Sister companies ("Solarpark Emsland 7" and "17", "Müller Maschinenbau" and "… 2") are never one customer
        // on their names.
        let nameSimilar =
            (evidence.contains(.nameExact) || evidence.contains(.nameStrong)) && new.nameNumbers == held.nameNumbers
        if evidence.contains(.domainSame), nameSimilar || evidence.contains(.nameGood) {
            found.append(.equalDomainAndName)
        }
        if nameSimilar, evidence.contains(.streetSame), evidence.contains(.streetNumberSame),
            evidence.contains(.postalSame) || evidence.contains(.citySame)
        {
            found.append(.nameAndAddress)
        }
        return found
    }
}
