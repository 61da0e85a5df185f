import ArgumentParser

/// The check workers of `dealreg up --workers`: `N` for a fixed pool of N, `MIN..MAX` for an elastic one that
/// `PoolScaler` grows and shrinks between the two. A value; `Sendable`.
struct WorkerCount: Sendable, Equatable, CustomStringConvertible, ExpressibleByArgument {
    let minimum: Int
    let maximum: Int

    init(minimum: Int, maximum: Int) {
        self.minimum = minimum
        self.maximum = maximum
    }

    init?(argument: String) {
        let bounds = argument.split(separator: "..", omittingEmptySubsequences: false).map { Int($0) }
        switch bounds.count {
        case 1:
            guard let count = bounds[0], count >= 1 else { return nil }
            self.init(minimum: count, maximum: count)
        case 2:
            guard let minimum = bounds[0], let maximum = bounds[1], minimum >= 1, maximum >= minimum else {
                return nil
            }
            self.init(minimum: minimum, maximum: maximum)
        default:
            return nil
        }
    }

    /// Whether the pool may change size.
    var isElastic: Bool { maximum > minimum }

    var description: String { isElastic ? "\(minimum)..\(maximum)" : "\(minimum)" }

    var defaultValueDescription: String { description }
}
