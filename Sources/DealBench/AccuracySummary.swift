/// One line per labelled table with its figures and its verdict against its bar: the closing table of
/// `dealreg-bench accuracy`. A value; `Sendable`.
public struct AccuracySummary: Sendable, CustomStringConvertible {
    /// One table's figures and bar.
    struct Row {
        var table: String
        var report: AccuracyReport
        var bar: AccuracyBar
    }

    var rows: [Row] = []

    public init() {}

    /// Adds a table's line.
    public mutating func append(table: String, report: AccuracyReport, bar: AccuracyBar) {
        rows.append(Row(table: table, report: report, bar: bar))
    }

    /// Whether every table meets its bar.
    public var meetsEveryBar: Bool { rows.allSatisfy { $0.bar.shortfalls($0.report).isEmpty } }

    public var description: String {
        let four = AccuracyReport.fourDecimals
        let header = [
            "table", "rows", "repeats", "conflicts", "false", "precision", "recall", "review", "bar", "verdict",
        ]
        let lines: [[String]] = rows.map { row in
            let report = row.report
            let shortfalls = row.bar.shortfalls(report)
            return [
                row.table, "\(report.registrations)", "\(report.withEarlierMatch)", "\(report.conflicts)",
                "\(report.falseConflicts.count)", four(report.conflictPrecision), four(report.recall),
                AccuracyReport.percent(report.reviewRate), row.bar.name,
                shortfalls.isEmpty ? "meets" : "FAILS: " + shortfalls.joined(separator: ", "),
            ]
        }
        let widths = header.indices.map { column in
            ([header] + lines).map { $0[column].count }.max() ?? 0
        }
        func format(_ fields: [String]) -> String {
            zip(fields, widths).enumerated().map { column, item in
                let (field, width) = item
                if column == fields.count - 1 { return field }
                let padding = String(repeating: " ", count: width - field.count)
                // Names and words to the left, figures to the right.
                return column == 0 || column == fields.count - 2 ? field + padding : padding + field
            }.joined(separator: "  ")
        }
        return ([format(header)] + lines.map(format)).joined(separator: "\n")
    }
}
