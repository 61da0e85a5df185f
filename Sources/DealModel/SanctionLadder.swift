/// The sanctions ladder of each kind of party that can be sanctioned: a party's nth standing case brings the nth
/// level of its kind's ladder, and the last level repeats. Read from the policy file (`enforcement.ladder`); the
/// defaults are the program's published terms. A value; `Sendable`.
public struct SanctionLadder: Sendable, Hashable, Codable {
    /// The kinds that have a ladder: those that book and register (the channel and the vendor's sellers).
    public static let kinds: [PartyKind] = [.partner, .distributor, .seller]

    /// Partners and distributors: warning, loss of benefits, suspension, expulsion. Sellers: commission withheld,
    /// then a termination review.
    public static let standard = SanctionLadder(
        partner: [.warning, .benefitsLost, .suspension, .expulsion],
        distributor: [.warning, .benefitsLost, .suspension, .expulsion],
        seller: [.commissionWithheld, .terminationReview])!

    /// Each kind's levels, lightest first; never empty, each level one that applies to the kind.
    public private(set) var levels: [PartyKind: [SanctionLevel]]

    /// A ladder of these levels per kind; nil when one is empty or holds a level that does not apply to its kind.
    public init?(partner: [SanctionLevel], distributor: [SanctionLevel], seller: [SanctionLevel]) {
        levels = [:]
        for (kind, rungs) in [(PartyKind.partner, partner), (.distributor, distributor), (.seller, seller)] {
            guard (try? replace(kind, with: rungs)) != nil else { return nil }
        }
    }

    /// Why a kind's ladder cannot be used.
    public enum Refusal: Error, Sendable, Hashable {
        /// The kind has no ladder (`kinds`).
        case notSanctionable(PartyKind)
        case empty
        /// The level at `index` does not apply to the kind.
        case notApplicable(index: Int, SanctionLevel)
    }

    /// Gives `kind` the ladder `rungs`, lightest first.
    public mutating func replace(_ kind: PartyKind, with rungs: [SanctionLevel]) throws(Refusal) {
        guard Self.kinds.contains(kind) else { throw .notSanctionable(kind) }
        guard !rungs.isEmpty else { throw .empty }
        if let index = rungs.firstIndex(where: { !$0.applies(to: kind) }) {
            throw .notApplicable(index: index, rungs[index])
        }
        levels[kind] = rungs
    }

    /// The sanction a party of `kind` gets for its `rung`th standing case (1 for the first); nil for kinds
    /// without a ladder.
    public func level(for kind: PartyKind, rung: Int) -> SanctionLevel? {
        guard let rungs = levels[kind], !rungs.isEmpty else { return nil }
        return rungs[min(max(rung, 1), rungs.count) - 1]
    }
}
