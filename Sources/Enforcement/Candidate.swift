import DealModel

/// An entry of a candidate index that matched a customer: its id, score and reasons. A value; `Sendable`.
struct Candidate<ID: Hashable & Comparable & Sendable>: Sendable {
    var id: ID
    var score: Double
    var reasons: [MatchReason]

    init(_ found: (id: ID, score: Double, reasons: [MatchReason])) {
        (id, score, reasons) = found
    }

    /// Best first, ties by id: the order `CustomerIndex` answers in.
    static func ranked(_ candidates: [Candidate]) -> [Candidate] {
        candidates.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
    }
}
