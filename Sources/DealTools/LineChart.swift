import Foundation

/// A chart of values over a run's time, drawn as inline SVG with nothing outside it (no script, font or style
/// sheet): a title, a legend, axes with ticks and units, one line per series. Pure: series in, SVG text out. A value.
struct LineChart: Hashable, Sendable {
    /// A value at a moment; nil leaves a gap in the line (nothing was measured then).
    struct Point: Hashable, Sendable {
        var x: Double
        var y: Double?
    }

    struct Series: Hashable, Sendable {
        var name: String
        /// An SVG colour, e.g. `#0072B2`.
        var color: String
        var points: [Point]
        /// Drawn dashed: what was asked for rather than what happened.
        var dashed = false
    }

    enum Scale: Hashable, Sendable {
        case linear
        /// Decades: for latencies, whose p50 and max may be a thousand times apart.
        case logarithmic
    }

    var title: String
    /// What the y axis counts, with its unit, e.g. "registrations per second".
    var yLabel: String
    var scale: Scale = .linear
    var series: [Series]
    /// The x axis, seconds since the start; the charts of one report share it, so their times line up.
    var seconds: ClosedRange<Double>
    /// Written across the plot when no series has a value (e.g. "no errors").
    var emptyNote: String?

    /// Colours told apart by colour-blind readers too (Okabe and Ito), in the order series take them.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

    private static let width = 900.0
    private static let plotLeft = 72.0
    private static let plotRight = 884.0
    private static let plotHeight = 190.0
    private static let legendRowHeight = 16.0

    var svg: String {
        let legend = legendLayout()
        let plotTop = 34 + Double(legend.rows) * Self.legendRowHeight
        let plotBottom = plotTop + Self.plotHeight
        let height = plotBottom + 46
        let xAxis = Axis(linearOver: seconds.lowerBound, seconds.upperBound)
        let values = series.flatMap { $0.points.compactMap(\.y) }
        let yAxis =
            switch scale {
            case .linear: Axis(linearOver: 0, values.max() ?? 0)
            case .logarithmic: Axis(decadesOver: values.filter { $0 > 0 })
            }
        func x(_ value: Double) -> Double {
            Self.plotLeft + (Self.plotRight - Self.plotLeft) * xAxis.fraction(of: value)
        }
        func y(_ value: Double) -> Double { plotBottom - Self.plotHeight * yAxis.fraction(of: value) }

        var svg = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(height))" role="img" aria-label="\(title.htmlEscaped)" \
            font-family="system-ui, sans-serif" font-size="11" fill="#444">
            <title>\(title.htmlEscaped)</title>
            <text x="\(Int(Self.plotLeft))" y="18" class="chart-title" font-size="14" font-weight="600" \
            fill="#222">\(title.htmlEscaped)</text>

            """
        for tick in yAxis.ticks {
            let position = Self.number(y(tick))
            svg += """
                <line class="grid" x1="\(Int(Self.plotLeft))" x2="\(Int(Self.plotRight))" y1="\(position)" \
                y2="\(position)" stroke="#e4e4e4"/><text class="tick" x="\(Int(Self.plotLeft) - 6)" y="\(position)" dy="4" \
                text-anchor="end">\(Self.tickText(tick))</text>

                """
        }
        for tick in xAxis.ticks {
            let position = Self.number(x(tick))
            svg += """
                <line class="grid" x1="\(position)" x2="\(position)" y1="\(Self.number(plotTop))" \
                y2="\(Self.number(plotBottom))" stroke="#e4e4e4"/><text class="tick" x="\(position)" y="\(Self.number(plotBottom + 16))" \
                text-anchor="middle">\(Self.tickText(tick))</text>

                """
        }
        let middle = Self.number((plotTop + plotBottom) / 2)
        svg += """
            <line class="axis" x1="\(Int(Self.plotLeft))" x2="\(Int(Self.plotLeft))" y1="\(Self.number(plotTop))" \
            y2="\(Self.number(plotBottom))" stroke="#333"/>
            <line class="axis" x1="\(Int(Self.plotLeft))" x2="\(Int(Self.plotRight))" y1="\(Self.number(plotBottom))" \
            y2="\(Self.number(plotBottom))" stroke="#333"/>
            <text class="axis-label" font-size="12" fill="#222" x="\(Self.number((Self.plotLeft + Self.plotRight) / 2))" \
            y="\(Self.number(plotBottom + 36))" text-anchor="middle">seconds since the start</text>
            <text class="axis-label" font-size="12" fill="#222" x="16" y="\(middle)" text-anchor="middle" \
            transform="rotate(-90 16 \(middle))">\(yLabel.htmlEscaped)</text>

            """
        if values.isEmpty, let emptyNote {
            svg += """
                <text class="note" font-size="13" fill="#888" x="\(Self.number((Self.plotLeft + Self.plotRight) / 2))" \
                y="\(Self.number((plotTop + plotBottom) / 2))" text-anchor="middle">\(emptyNote.htmlEscaped)</text>

                """
        }
        for (index, series) in series.enumerated() {
            let entry = legend.entries[index]
            let swatchY = Self.number(28 + Double(entry.row) * Self.legendRowHeight)
            let dash = series.dashed ? " stroke-dasharray=\"6 4\"" : ""
            let name = series.name.htmlEscaped
            let color = series.color.htmlEscaped
            svg += """
                <g class="series" data-series="\(name)"><title>\(name)</title>
                <line x1="\(Self.number(entry.x))" x2="\(Self.number(entry.x + 18))" y1="\(swatchY)" y2="\(swatchY)" \
                stroke="\(color)" stroke-width="2.5"\(dash)/><text class="legend" font-size="12" fill="#222" x="\(Self.number(entry.x + 23))" \
                y="\(swatchY)" dy="4">\(name)</text>

                """
            for run in Self.runs(of: series.points) {
                let coordinates = run.map { "\(Self.number(x($0.x))),\(Self.number(y($0.y)))" }
                if coordinates.count == 1 {
                    let point = run[0]
                    svg += """
                        <circle cx="\(Self.number(x(point.x)))" cy="\(Self.number(y(point.y)))" r="2.5" \
                        fill="\(color)"/>

                        """
                } else {
                    svg += """
                        <polyline fill="none" stroke="\(color)" stroke-width="1.8"\(dash) \
                        points="\(coordinates.joined(separator: " "))"/>

                        """
                }
            }
            svg += "</g>\n"
        }
        return svg + "</svg>"
    }

    /// Where each series' legend entry goes: rows of entries left to right, wrapped at the plot's right edge.
    private func legendLayout() -> (entries: [(x: Double, row: Int)], rows: Int) {
        var entries: [(x: Double, row: Int)] = []
        var x = Self.plotLeft
        var row = 0
        for series in series {
            // About 7 px a character at the legend's 12 px, plus the swatch and a gap.
            let width = 23 + 7 * Double(series.name.count) + 18
            if x + width > Self.plotRight && x > Self.plotLeft {
                row += 1
                x = Self.plotLeft
            }
            entries.append((x, row))
            x += width
        }
        return (entries, series.isEmpty ? 1 : row + 1)
    }

    /// The stretches of `points` without a gap.
    private static func runs(of points: [Point]) -> [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = []
        var current: [(x: Double, y: Double)] = []
        for point in points {
            if let y = point.y {
                current.append((point.x, y))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// A coordinate with one decimal at most.
    private static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A tick's value as a reader writes it: 0.01, 2.5, 40, 1,000.
    static func tickText(_ value: Double) -> String {
        guard value >= 1000, value == value.rounded() else {
            return String(format: "%g", value)
        }
        let digits = String(Int(value))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return grouped
    }
}

/// One axis of a `LineChart`: its range, how a value maps onto it, and its ticks. A value.
private struct Axis {
    let lower: Double
    let upper: Double
    let logarithmic: Bool
    let ticks: [Double]

    /// From `lower` to `maximum` rounded up to a tick, ticks at 1, 2 or 5 times a power of ten, about five of them.
    init(linearOver lower: Double, _ maximum: Double) {
        let span = max(maximum - lower, 1e-9)
        let rough = span / 5
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let upper = lower + (span / step).rounded(.up) * step
        self.lower = lower
        self.upper = maximum > lower ? upper : lower + 1
        logarithmic = false
        ticks = stride(from: lower, through: self.upper + step / 1000, by: maximum > lower ? step : 0.2).map { $0 }
    }

    /// Whole decades around `values` (all above 0), a tick at each.
    init(decadesOver values: [Double]) {
        let low = (values.min().map { log10($0).rounded(.down) } ?? 0)
        let high = max(low + 1, values.max().map { log10($0).rounded(.up) } ?? 1)
        lower = pow(10, low)
        upper = pow(10, high)
        logarithmic = true
        ticks = stride(from: low, through: high, by: 1).map { pow(10, $0) }
    }

    /// Where `value` falls from the axis' start (0) to its end (1), clamped.
    func fraction(of value: Double) -> Double {
        let fraction =
            logarithmic
            ? (log10(max(value, lower)) - log10(lower)) / (log10(upper) - log10(lower))
            : (value - lower) / (upper - lower)
        return min(1, max(0, fraction))
    }
}
