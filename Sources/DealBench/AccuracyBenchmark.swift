import DealModel
import Matching

/// Runs the matcher over labelled customers in registration order, as the registry would see them, and counts
/// how its conflict / review / free outcomes agree with the labels. Not thread-safe: one caller.
public struct AccuracyBenchmark {
    /// One registration's outcome against what was registered before it.
    public struct Case: Sendable {
        public var record: LabelledCustomer
        public var outcome: Outcome
        /// The best-scoring earlier registration, if any scored at the review threshold.
        public var cited: (record: LabelledCustomer, score: Double, reasons: [MatchReason])?
        /// The best score against an earlier record of the same customer (nil if there is none indexed).
        public var bestTrueScore: Double?
        public var bestTrue: LabelledCustomer?
        /// Whether an earlier registration is the same customer.
        public var hasEarlierMatch: Bool
    }

    public enum Outcome: String, Sendable {
        case conflict, review, free
    }

    public var policy: ProgramPolicy

    public init(policy: ProgramPolicy = ProgramPolicy()) {
        self.policy = policy
    }

    /// Registers every record in order. Conflicting ones are rejected and not indexed, as in the registry;
    /// free and reviewed ones hold their customer.
    public func run(_ records: [LabelledCustomer]) -> [Case] {
        var index = CandidateIndex()
        var byID: [RegistrationID: LabelledCustomer] = [:]
        var indexedByCluster: [String: [LabelledCustomer]] = [:]
        var seenClusters: Set<String> = []
        var cases: [Case] = []
        cases.reserveCapacity(records.count)
        let scorer = CustomerScorer()
        for (position, record) in records.enumerated() {
            let found = index.candidates(for: record.customer, minimumScore: policy.reviewThreshold)
            let best = found.first
            let outcome: Outcome =
                best.map { $0.score >= policy.conflictThreshold ? .conflict : .review } ?? .free
            let cited = best.flatMap { match in byID[match.id].map { ($0, match.score, match.reasons) } }
            var bestTrueScore: Double?
            var bestTrue: LabelledCustomer?
            let normalized = NormalizedCustomer(record.customer)
            for earlier in indexedByCluster[record.cluster] ?? [] {
                let score = scorer.score(normalized, against: NormalizedCustomer(earlier.customer)).score
                if score > bestTrueScore ?? -1 {
                    bestTrueScore = score
                    bestTrue = earlier
                }
            }
            cases.append(
                Case(
                    record: record, outcome: outcome, cited: cited, bestTrueScore: bestTrueScore, bestTrue: bestTrue,
                    hasEarlierMatch: seenClusters.contains(record.cluster)))
            seenClusters.insert(record.cluster)
            if outcome != .conflict {
                let id = RegistrationID(number: Int64(position + 1))
                index.insert(id, customer: record.customer)
                byID[id] = record
                indexedByCluster[record.cluster, default: []].append(record)
            }
        }
        return cases
    }
}

/// The figures of one accuracy run. A value; `Sendable`.
public struct AccuracyReport: Sendable, CustomStringConvertible {
    public var registrations = 0
    public var withEarlierMatch = 0
    public var conflicts = 0
    public var correctConflicts = 0
    public var reviews = 0
    public var flaggedTrue = 0
    public var misses: [AccuracyBenchmark.Case] = []
    public var falseConflicts: [AccuracyBenchmark.Case] = []
    public var worst = 10

    public init(_ cases: [AccuracyBenchmark.Case], worst: Int = 10) {
        self.worst = worst
        for item in cases {
            registrations += 1
            if item.hasEarlierMatch { withEarlierMatch += 1 }
            switch item.outcome {
            case .conflict:
                conflicts += 1
                if item.cited?.record.cluster == item.record.cluster {
                    correctConflicts += 1
                } else {
                    falseConflicts.append(item)
                }
            case .review:
                reviews += 1
            case .free:
                break
            }
            if item.hasEarlierMatch {
                if item.outcome == .free { misses.append(item) } else { flaggedTrue += 1 }
            }
        }
        misses.sort { ($0.bestTrueScore ?? 0) > ($1.bestTrueScore ?? 0) }
    }

    /// Correct conflicts over all conflicts: a wrong conflict turns away a legitimate deal.
    public var conflictPrecision: Double { conflicts == 0 ? 1 : Double(correctConflicts) / Double(conflicts) }
    /// Registrations of an already registered customer that got a conflict or a review.
    public var recall: Double { withEarlierMatch == 0 ? 1 : Double(flaggedTrue) / Double(withEarlierMatch) }
    public var reviewRate: Double { registrations == 0 ? 0 : Double(reviews) / Double(registrations) }
    public var f1: Double {
        let p = conflictPrecision
        let r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public var description: String {
        let percent = Self.percent
        let four = Self.fourDecimals
        var lines = [
            "registrations            \(registrations) (\(withEarlierMatch) of an already registered customer)",
            "conflicts                \(conflicts) (\(correctConflicts) correct)",
            "precision of conflict    \(four(conflictPrecision))",
            "recall (conflict|review) \(four(recall)) (\(flaggedTrue) of \(withEarlierMatch); \(misses.count) missed)",
            "review rate              \(percent(reviewRate)) (\(reviews) reviews)",
            "F1 (precision of conflict, recall) \(four(f1))",
        ]
        if !misses.isEmpty {
            lines.append("worst misses (same customer, decided free):")
            for item in misses.prefix(worst) {
                lines.append(
                    "  \(item.record.id) \(Self.describe(item.record.customer))\n    ~ \(item.bestTrue?.id ?? "-") "
                        + "\(item.bestTrue.map { Self.describe($0.customer) } ?? "(not indexed)") "
                        + "score \(item.bestTrueScore.map(MatchReason.format) ?? "-")")
            }
        }
        if !falseConflicts.isEmpty {
            lines.append("false conflicts (different customers):")
            for item in falseConflicts.prefix(worst) {
                lines.append(
                    "  \(item.record.id) \(Self.describe(item.record.customer))\n    ~ \(item.cited?.record.id ?? "-") "
                        + "\(item.cited.map { Self.describe($0.record.customer) } ?? "") score "
                        + "\(item.cited.map { MatchReason.format($0.score) } ?? "-"): "
                        + (item.cited?.reasons.map(\.description).joined(separator: ", ") ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A rate as a percentage with two decimals: "8.24 %".
    static func percent(_ value: Double) -> String { MatchReason.format(value * 100) + " %" }

    /// A ratio with four decimals: "0.9950".
    static func fourDecimals(_ value: Double) -> String {
        let scaled = Int((value * 10_000).rounded())
        return
            "\(scaled / 10_000).\(String(repeating: "0", count: 4 - String(scaled % 10_000).count))\(scaled % 10_000)"
    }

    static func describe(_ customer: Customer) -> String {
        [
            customer.legalName, customer.street, customer.postalCode, customer.city, customer.region,
            customer.webDomain, customer.taxID,
        ]
        .filter { !$0.isEmpty }.joined(separator: " | ")
    }
}
