import Foundation
import FoundationXML
import Testing

@testable import DealTools

/// The HTML report of a load run: well-formed, every string escaped, each chart with its series.
@Suite struct LoadReportTests {
    static let hostile = "<script>alert(\"x\")</script>&"

    static func summary(errors: [String: Int]) -> LoadGenerator.Summary {
        LoadGenerator.Summary(
            mode: "open loop, ramp:10..30", seconds: 3, sent: 60, answered: 57, throughput: 19, p50_ms: 3.1,
            p90_ms: 5, p99_ms: 9.5, p999_ms: 12, max_ms: 40, outcomes: ["APPROVED": 50, "REJECTED": 7],
            errors: errors, unanswered: 0, resent: 0, cpu_seconds: 0.2, registry: nil)
    }

    static func report(errors: [String: Int]) -> LoadReport {
        let seconds = (0..<3).map { second in
            LoadTimeline.Second(
                start: Double(second), sent: 10 + 10 * second, answered: 9 + 10 * second,
                latency: second == 1 ? nil : .init(p50: 3, p99: 9.5, max: 40), errors: second == 2 ? errors : [:],
                inFlight: 1)
        }
        let queue = (0..<3).map {
            LoadTimeline.QueueSample(at: Double($0) + 0.01, queuedChecks: $0 * 4, readyWorkers: 2)
        }
        return LoadReport(
            title: "dealreg load \(hostile)", settings: [.init(name: "command", value: "dealreg load \(hostile)")],
            summary: summary(errors: errors), timeline: LoadTimeline(seconds: seconds, queue: queue),
            schedule: RateSchedule(.ramp(base: 10, peak: 30), duration: 3))
    }

    @Test func isWellFormedAndEscapesEveryString() throws {
        let report = Self.report(errors: ["OVERLOADED": 2, Self.hostile: 1])
        let page = try Page(report.html)
        #expect(page.elements.first == "html")
        #expect(page.charts.count == 4)
        #expect(!report.html.contains("<script"), "a label became markup")
        #expect(report.html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;"))
        // Nothing to fetch: no script, no style sheet, no font, no image from elsewhere.
        #expect(!page.elements.contains { ["script", "link", "img", "iframe"].contains($0) })
        #expect(!report.html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
    }

    @Test func eachChartDrawsOneSeriesPerLine() throws {
        let report = Self.report(errors: ["OVERLOADED": 2, Self.hostile: 1])
        let page = try Page(report.html)
        // Throughput: sent, answered, asked for; latency: p50, p99, max; errors: one per code; queue: the
        // generator's in flight and the registry's waiting checks.
        #expect(page.charts.map(\.count) == [3, 3, 2, 2])
        #expect(page.charts.map(\.count) == report.charts.map(\.series.count))
        #expect(page.charts[2] == ["OVERLOADED", Self.hostile].sorted())
        #expect(page.charts[1] == ["p50", "p99", "max"])
    }

    @Test func aRunWithoutErrorsSaysSo() throws {
        let report = Self.report(errors: [:])
        let page = try Page(report.html)
        #expect(page.charts[2].isEmpty)
        #expect(page.texts.contains("no errors"))
    }

    @Test func theSummaryTableAndEachSecondAddUp() throws {
        let page = try Page(Self.report(errors: [:]).html)
        let rows = page.rows
        #expect(rows.contains(["answered", "57"]))
        #expect(rows.contains(["latency", "p50 3.1 ms, p90 5.0 ms, p99 9.5 ms, p99.9 12.0 ms, max 40.0 ms"]))
        // second, sent, answered, p50, p99, max, in flight, checks waiting, errors
        #expect(rows.contains(["1", "20", "19", "", "", "", "1", "4", ""]))
        #expect(rows.contains(["2", "30", "29", "3.0", "9.5", "40.0", "1", "8", ""]))
    }

    @Test(arguments: [(0.01, "0.01"), (2.5, "2.5"), (40, "40"), (1000, "1,000"), (1_250_000, "1,250,000")])
    func ticksReadAsWritten(value: Double, text: String) {
        #expect(LineChart.tickText(value) == text)
    }
}

/// A report read back with an XML parser: element names, the series of each chart, table rows and texts.
private final class Page: NSObject, XMLParserDelegate {
    private(set) var elements: [String] = []
    /// Each `<svg>`'s series names, in order.
    private(set) var charts: [[String]] = []
    private(set) var rows: [[String]] = []
    private(set) var texts: [String] = []
    private var text = ""

    init(_ html: String) throws {
        super.init()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw ParseFailure(description: "\(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
        }
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(name)
        text = ""
        switch name {
        case "svg": charts.append([])
        case "g" where attributes["class"] == "series": charts[charts.count - 1].append(attributes["data-series"] ?? "")
        case "tr": rows.append([])
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "th" || name == "td" { rows[rows.count - 1].append(text) }
        texts.append(text)
        text = ""
    }
}
