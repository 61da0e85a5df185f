import DealBench
import Foundation
import Testing

/// The category tables of issue 17 (bench/categories): in every one, each later registration of a customer gets a
/// conflict or a review (recall ≥ 0.99) and no registration is turned away for another customer's.
@Suite(.timeLimit(.minutes(5)))
struct CategoryTableTests {
    static let folder = AccuracyTests.root.appendingPathComponent("bench/categories")

    /// The tables the matcher meets: all of them since issue 17.
    static let meeting = [
        "acronyms", "domains", "scripts-cjk", "scripts-cyrillic", "scripts-greek", "scripts-other", "siblings",
        "tax-ids", "unrelated-names",
    ]

    /// Tables added before the matcher meets them: move one to `meeting` when it does.
    static let pending: [String] = []

    static func report(_ category: String) throws -> AccuracyReport {
        try AccuracyTests.report(folder.appendingPathComponent(category + ".csv"))
    }

    static func expectMeetsTheBar(_ category: String) throws {
        let report = try report(category)
        #expect(report.falseConflicts.isEmpty, "\(report)")
        #expect(report.recall >= AccuracyBar.category.minimumRecall, "\(report)")
    }

    @Test(arguments: meeting)
    func findsEveryCustomerAgainAndTurnsNobodyAway(category: String) throws {
        try Self.expectMeetsTheBar(category)
    }

    @Test func everyTableInTheFolderIsListedOnce() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }
        #expect(Set(files) == Set(Self.meeting + Self.pending))
        #expect(Set(Self.meeting).isDisjoint(with: Self.pending))
    }

    /// A table measures something only with enough customers registered again and enough that are not.
    @Test(arguments: meeting + pending)
    func holdsRepeatsAndSingletons(category: String) throws {
        let records = try LabelledCustomers.read(Self.folder.appendingPathComponent(category + ".csv"))
        let clusters = Dictionary(grouping: records, by: \.cluster)
        #expect(records.count >= (category == "scripts-other" ? 30 : 60))
        #expect(clusters.values.contains { $0.count >= 2 })
        #expect(clusters.values.filter { $0.count == 1 }.count >= 10)
        #expect(clusters.values.allSatisfy { $0.count <= 3 })
        #expect(Set(records.map(\.id)).count == records.count)
    }
}
