import Foundation
import Testing

/// `dealreg load --profile … --report FILE` against a real cluster: the report holds its charts and the run's figures.
@Suite(.timeLimit(.minutes(3)))
struct LoadRunTests {
    @Test func aRampWritesAReportWhoseFiguresMatchTheSummary() throws {
        let cluster = try LocalCluster(workers: 1)
        let file = cluster.data.appendingPathComponent("load.html")
        let result = try cluster.dealreg([
            "load", "--profile", "ramp:10..40", "--duration", "3", "--partners", "2", "--customers", "500",
            "--report", file.path, "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        let answered = try #require(summary["answered"] as? Int)
        let sent = try #require(summary["sent"] as? Int)
        #expect(summary["mode"] as? String == "open loop, ramp:10..40")
        // 10/s rising to 40/s over 3 s: (10 + 40) / 2 × 3 requests, however late the generator came round.
        #expect(sent == 75)
        #expect(answered > 0)

        let html = try String(contentsOf: file, encoding: .utf8)
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 4)
        #expect(html.contains("<tr><th>answered</th><td>\(answered)</td></tr>"))
        #expect(html.contains("<tr><th>sent</th><td>\(sent)</td></tr>"))
        // Each second's row (second, sent, answered, ...) adds up to the summary's totals.
        let rows = html.matches(of: /<tr><td>[^<]*<\/td><td>(\d+)<\/td><td>(\d+)<\/td>/)
        #expect(!rows.isEmpty)
        #expect(rows.map { Int($0.output.1)! }.reduce(0, +) == sent)
        #expect(rows.map { Int($0.output.2)! }.reduce(0, +) == answered)
        // The cluster's admin key is in the keystore, so the registry's queue was asked for and drawn.
        #expect(html.contains("data-series=\"checks waiting for a worker (registry)\""))
        #expect(html.contains("data-series=\"asked for (ramp:10..40)\""))
    }
}
