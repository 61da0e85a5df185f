import Foundation

/// The HTML page of one `dealreg load` run: its settings and summary as a table, then charts over time (throughput
/// sent and answered, latency percentiles, errors by code, the registry's queue), then the figures of each second.
/// One self-contained file: inline SVG and style, no script, nothing fetched. Pure: figures in, text out. A value.
struct LoadReport {
    /// A line of the summary table.
    struct Row: Hashable {
        var name: String
        var value: String
    }

    var title: String
    /// How the run was set up (profile, duration, partners, ...), in the order to show.
    var settings: [Row]
    var summary: LoadGenerator.Summary
    var timeline: LoadTimeline
    /// The open-loop schedule, drawn as the rate asked for; nil for a closed loop.
    var schedule: RateSchedule?

    var html: String {
        let head = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>\(title.htmlEscaped)</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <h1>\(title.htmlEscaped)</h1>

            """
        let summaryTable = Self.table(heading: "Run", rows: settings + summaryRows)
        let chartsText = charts.map(\.svg).joined(separator: "\n")
        return head + summaryTable + "\n<h2>Over time</h2>\n" + chartsText + "\n" + secondsTable
            + "\n</body>\n</html>\n"
    }

    /// The charts, in page order.
    var charts: [LineChart] {
        let end = max(1, timeline.seconds.last.map { $0.start + $0.length } ?? 1)
        let range = 0...end
        func perSecond(_ name: String, _ color: String, _ count: (LoadTimeline.Second) -> Int) -> LineChart.Series {
            LineChart.Series(
                name: name, color: color,
                points: timeline.seconds.map { .init(x: $0.start + $0.length / 2, y: Double(count($0)) / $0.length) })
        }
        var throughput = [
            perSecond("sent", LineChart.palette[1]) { $0.sent },
            perSecond("answered", LineChart.palette[0]) { $0.answered },
        ]
        if let schedule {
            throughput.append(
                LineChart.Series(
                    name: "asked for (\(schedule.profile))", color: LineChart.palette[6],
                    points: timeline.seconds.filter { $0.start < schedule.duration }.map { second in
                        let end = min(second.start + second.length, schedule.duration)
                        let due = schedule.dueCount(by: end - 1e-9) - schedule.dueCount(by: second.start - 1e-9)
                        return .init(x: second.start + second.length / 2, y: Double(due) / (end - second.start))
                    }, dashed: true))
        }
        func latency(_ name: String, _ color: String, _ value: (LoadTimeline.Second.Latency) -> Double)
            -> LineChart.Series
        {
            LineChart.Series(
                name: name, color: color,
                points: timeline.seconds.map { .init(x: $0.start + $0.length / 2, y: $0.latency.map(value)) })
        }
        let codes = Set(timeline.seconds.flatMap(\.errors.keys)).sorted()
        let errors = codes.enumerated().map { index, code in
            perSecond(code, LineChart.palette[(index + 3) % LineChart.palette.count]) { $0.errors[code] ?? 0 }
        }
        var queue = [
            LineChart.Series(
                name: "in flight from this generator (at each second's end)", color: LineChart.palette[0],
                points: timeline.seconds.map { .init(x: $0.start + $0.length, y: Double($0.inFlight)) })
        ]
        if let samples = timeline.queue {
            queue.append(
                LineChart.Series(
                    name: "checks waiting for a worker (registry)", color: LineChart.palette[4],
                    points: samples.map { .init(x: $0.at, y: Double($0.queuedChecks)) }))
        }
        return [
            LineChart(title: "Throughput", yLabel: "registrations per second", series: throughput, seconds: range),
            LineChart(
                title: "Latency of the answers in each second, from when each request was due",
                yLabel: "milliseconds (log scale)", scale: .logarithmic,
                series: [
                    latency("p50", LineChart.palette[2]) { $0.p50 },
                    latency("p99", LineChart.palette[0]) { $0.p99 },
                    latency("max", LineChart.palette[3]) { $0.max },
                ], seconds: range, emptyNote: "no answers"),
            LineChart(
                title: "Errors by code", yLabel: "errors per second", series: errors, seconds: range,
                emptyNote: "no errors"),
            LineChart(
                title: "Queue" + (timeline.queueNote.map { " (\($0))" } ?? ""), yLabel: "requests", series: queue,
                seconds: range),
        ]
    }

    private var summaryRows: [Row] {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty
                ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        var rows = [
            Row(name: "mode", value: summary.mode),
            Row(name: "seconds sending", value: String(format: "%.1f", summary.seconds)),
            Row(name: "sent", value: String(summary.sent)),
            Row(name: "answered", value: String(summary.answered)),
            Row(name: "unanswered", value: String(summary.unanswered)),
            Row(name: "throughput", value: String(format: "%.0f registrations/s", summary.throughput)),
            Row(
                name: "latency",
                value: "p50 \(summary.p50_ms) ms, p90 \(summary.p90_ms) ms, p99 \(summary.p99_ms) ms, "
                    + "p99.9 \(summary.p999_ms) ms, max \(summary.max_ms) ms"),
            Row(name: "outcomes", value: list(summary.outcomes)),
            Row(name: "errors", value: list(summary.errors)),
        ]
        if summary.resent > 0 { rows.append(Row(name: "resent to a failover group", value: String(summary.resent))) }
        rows.append(Row(name: "load generator CPU", value: String(format: "%.2f s", summary.cpu_seconds)))
        if let registry = summary.registry {
            func stage(_ stage: LoadGenerator.RegistryFigures.Stage) -> String {
                "p50 \(stage.p50_ms) ms, p99 \(stage.p99_ms) ms, max \(stage.max_ms) ms (\(stage.count))"
            }
            rows += [
                Row(name: "registry: check wait", value: stage(registry.check_wait)),
                Row(name: "registry: commit wait", value: stage(registry.commit_wait)),
                Row(
                    name: "registry: fsynced commit",
                    value: stage(registry.commit)
                        + String(format: ", %.1f decisions each", registry.decisions_per_commit)),
            ]
        }
        return rows
    }

    /// Every second's figures, folded away under the charts, for the exact numbers.
    private var secondsTable: String {
        let queue = timeline.queue ?? []
        var text = """
            <details>
            <summary>Each second's figures</summary>
            <table class="seconds">
            <tr><th>second</th><th>sent</th><th>answered</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th>\
            <th>in flight</th><th>checks waiting</th><th>errors</th></tr>

            """
        for second in timeline.seconds {
            let waiting = queue.last { $0.at >= second.start && $0.at < second.start + second.length }
            let errors = second.errors.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            let cells = [
                String(format: "%g", second.start), String(second.sent), String(second.answered),
                second.latency.map { String($0.p50) } ?? "", second.latency.map { String($0.p99) } ?? "",
                second.latency.map { String($0.max) } ?? "", String(second.inFlight),
                waiting.map { String($0.queuedChecks) } ?? "", errors.joined(separator: ", "),
            ]
            text += "<tr>" + cells.map { "<td>\($0.htmlEscaped)</td>" }.joined() + "</tr>\n"
        }
        return text + "</table>\n</details>"
    }

    private static func table(heading: String, rows: [Row]) -> String {
        "<h2>\(heading.htmlEscaped)</h2>\n<table class=\"summary\">\n"
            + rows.map { "<tr><th>\($0.name.htmlEscaped)</th><td>\($0.value.htmlEscaped)</td></tr>\n" }.joined()
            + "</table>"
    }

    /// The page's style: system fonts, nothing fetched; no `<` or `&`, so the page also reads as XML. The charts carry
    /// their own presentation attributes, so each reads the same copied out of the page.
    private static let style = """
        body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 920px; color: #222; }
        h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
        table.seconds td { text-align: right; font-variant-numeric: tabular-nums; }
        svg.chart { display: block; margin: 18px 0; }
        """
}
