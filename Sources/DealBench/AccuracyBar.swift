import Foundation

/// The figures a labelled table must reach, and a report's shortfalls against them: the development set's targets
/// (issue 3), the European table's (every spelling found, no hard negative turned away) and each category table's
/// (issue 17). A value; `Sendable`.
public struct AccuracyBar: Sendable, Hashable {
    /// What the bar is for, as the summary prints it.
    public var name: String
    /// Registrations of an already registered customer that must get a conflict or a review.
    public var minimumRecall: Double
    /// Correct conflicts over all conflicts; nil when the bar counts false conflicts instead.
    public var minimumPrecision: Double? = nil
    /// Reviews over registrations; nil when reviews are not limited.
    public var maximumReviewRate: Double? = nil
    /// Conflicts between different customers; nil when the bar holds precision instead.
    public var maximumFalseConflicts: Int? = nil

    /// The development set (FEBRL 3): recall ≥ 0.995, precision of conflict ≥ 0.999, review rate ≤ 5 %.
    public static let developmentSet = AccuracyBar(
        name: "development set", minimumRecall: 0.995, minimumPrecision: 0.999, maximumReviewRate: 0.05)

    /// The European spellings and hard negatives: every later registration of a customer found, none turned away.
    public static let europeanSpellings = AccuracyBar(
        name: "European spellings", minimumRecall: 1, maximumFalseConflicts: 0)

    /// A category table of issue 17: recall ≥ 0.99 and no false conflict; reviews between different customers are
    /// allowed (a channel manager decides them).
    public static let category = AccuracyBar(name: "category", minimumRecall: 0.99, maximumFalseConflicts: 0)

    /// The bar of a labelled table, told by its file: `customers-dev/customers.csv` is the development set,
    /// `european-customers.csv` the European table, and any other file a category table.
    public static func of(_ file: URL) -> AccuracyBar {
        let components = file.standardizedFileURL.pathComponents
        if components.suffix(2) == ["customers-dev", "customers.csv"] { return .developmentSet }
        if components.last == "european-customers.csv" { return .europeanSpellings }
        return .category
    }

    /// Each figure that misses the bar, as "recall 0.5556 < 0.99"; empty when the report meets it.
    public func shortfalls(_ report: AccuracyReport) -> [String] {
        let four = AccuracyReport.fourDecimals
        var found: [String] = []
        if report.recall < minimumRecall {
            found.append("recall \(four(report.recall)) < \(minimumRecall)")
        }
        if let minimumPrecision, report.conflictPrecision < minimumPrecision {
            found.append("precision \(four(report.conflictPrecision)) < \(minimumPrecision)")
        }
        if let maximumReviewRate, report.reviewRate > maximumReviewRate {
            found.append("review \(four(report.reviewRate)) > \(maximumReviewRate)")
        }
        if let maximumFalseConflicts, report.falseConflicts.count > maximumFalseConflicts {
            found.append("\(report.falseConflicts.count) false conflicts")
        }
        return found
    }
}
