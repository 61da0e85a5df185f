import CoreMetrics

/// One swift-metrics counter for each value of a label, all made up front, so that `Stats` lists every one from
/// the start (at 0 until its first count) and a client never mistakes a missing metric for a missing feature.
/// Thread-safe: the counters are, and the set of them never changes.
public struct LabelledCounters<Value: Hashable & Sendable>: Sendable {
    private let counters: [Value: Counter]

    /// Counters named `name`, one per value in `values`, labelled `label` = `text(value)`.
    public init(_ name: String, label: String, values: some Sequence<Value>, text: (Value) -> String) {
        counters = Dictionary(
            values.map { ($0, Counter(label: name, dimensions: [(label, text($0))])) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds `amount` to the counter of `value`; a value not given at creation is not counted.
    public func increment(_ value: Value, by amount: Int = 1) {
        counters[value]?.increment(by: amount)
    }
}
