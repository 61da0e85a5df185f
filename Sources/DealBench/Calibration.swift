import DealModel
import Foundation
import Matching

/// Fits the matcher's log-odds weights by logistic regression over candidate pairs of labelled customers: the
/// pairs the index would put before the scorer, labelled same or different customer. Pure; `Sendable`.
public enum Calibration {
    /// Evidence combinations with how often they were the same customer and how often not.
    public struct Pattern: Hashable, Sendable {
        public var evidence: [MatchEvidence]
        public var same = 0
        public var different = 0
    }

    /// Every record against the candidates the index retrieves for it among all others.
    public static func patterns(_ records: [LabelledCustomer], limit: Int = 64) -> [Pattern] {
        var index = CandidateIndex()
        let normalized = records.map { NormalizedCustomer($0.customer) }
        for (position, record) in records.enumerated() {
            index.insert(RegistrationID(number: Int64(position)), customer: record.customer)
        }
        let scorer = CustomerScorer()
        var counts: [[MatchEvidence]: (same: Int, different: Int)] = [:]
        for (position, record) in records.enumerated() {
            let own = RegistrationID(number: Int64(position))
            for candidate in index.candidates(
                for: record.customer, minimumScore: 0, limit: limit, include: { $0 != own })
            {
                guard let other = Int(candidate.id.rawValue.dropFirst(3)) else { continue }
                let evidence = scorer.compare(normalized[position], normalized[other]).evidence.sorted {
                    $0.rawValue < $1.rawValue
                }
                let same = records[other].cluster == record.cluster
                counts[evidence, default: (0, 0)].same += same ? 1 : 0
                counts[evidence, default: (0, 0)].different += same ? 0 : 1
            }
        }
        return counts.map { Pattern(evidence: $0.key, same: $0.value.same, different: $0.value.different) }
    }

    /// L2-regularised logistic regression by gradient descent; evidence never seen keeps its standard weight.
    public static func fit(_ patterns: [Pattern], l2: Double = 0.5, iterations: Int = 20_000) -> MatchWeights {
        let dimension = MatchEvidence.allCases.count
        var seen = [Bool](repeating: false, count: dimension)
        for pattern in patterns { for item in pattern.evidence { seen[item.rawValue] = true } }
        var weights = MatchWeights.standard
        var prior = weights.prior
        var values = weights.values
        let total = Double(patterns.reduce(0) { $0 + $1.same + $1.different })
        var rate = 1.0
        for iteration in 0..<iterations {
            var gradient = [Double](repeating: 0, count: dimension)
            var priorGradient = 0.0
            for pattern in patterns {
                var logit = prior
                for item in pattern.evidence { logit += values[item.rawValue] }
                let p = 1 / (1 + exp(-logit))
                // d(-log likelihood)/d(logit), summed over the pattern's positives and negatives.
                let residual = p * Double(pattern.same + pattern.different) - Double(pattern.same)
                priorGradient += residual
                for item in pattern.evidence { gradient[item.rawValue] += residual }
            }
            prior -= rate * priorGradient / total
            for index in 0..<dimension where seen[index] {
                values[index] -= rate * (gradient[index] + l2 * values[index]) / total
            }
            if iteration == iterations / 2 { rate /= 4 }
        }
        weights.prior = prior
        weights.values = values
        return weights
    }

    /// The weights as Swift source, to paste into `MatchWeights.standard`.
    public static func swiftSource(_ weights: MatchWeights) -> String {
        func number(_ value: Double) -> String { String(format: "%.2f", value) }
        let entries = MatchEvidence.allCases.map { ".\($0): \(number(weights[$0]))" }.joined(separator: ", ")
        return "prior: \(number(weights.prior)),\nvalues: [\(entries)]"
    }
}
