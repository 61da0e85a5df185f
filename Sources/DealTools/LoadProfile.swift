import Foundation

/// How an open-loop load's rate (registrations per second) moves over a run, written as `--profile` takes it:
/// `constant:R`, `ramp:BASE..PEAK` (linear from BASE at the start to PEAK at the end, a quarter-end), `spike:BASE,xN`
/// (BASE, then N × BASE for the middle fifth of the run, then BASE again) or `steps:R1,R2,...` (each rate held for an
/// equal share of the run). A value; `RateSchedule` turns it into due times.
enum LoadProfile: Hashable, Sendable {
    case constant(Double)
    case ramp(base: Double, peak: Double)
    case spike(base: Double, factor: Double)
    case steps([Double])

    /// The highest rate a profile may reach, per second.
    static let maximumRate = 1_000_000.0

    /// A `--profile` value that does not name a profile the generator can run.
    enum SyntaxError: Error, Hashable, CustomStringConvertible {
        /// The text before `:` is none of the kinds (or there is no `:`).
        case unknownKind(String)
        /// The rates after the kind do not have its shape, e.g. `ramp:50-500`.
        case malformedRates(kind: String, rates: String)
        /// A rate that is not a number from 0 to `maximumRate`.
        case badRate(String)
        /// A spike factor that is not `x` and a number above 1.
        case badFactor(String)
        /// A spike whose peak, base × factor, passes `maximumRate`.
        case peakTooHigh(Double)
        /// Every rate is 0.
        case sendsNothing

        var description: String {
            switch self {
            case .unknownKind(let text):
                "'\(text)' is not a profile; give constant:R, ramp:BASE..PEAK, spike:BASE,xN or steps:R1,R2,..."
            case .malformedRates(let kind, let rates):
                "'\(rates)' is not what \(kind) takes; write \(LoadProfile.example(of: kind))"
            case .badRate(let text):
                "'\(text)' is not a rate from 0 to 1,000,000 registrations per second"
            case .badFactor(let text):
                "'\(text)' is not a spike factor; write x and a number above 1, e.g. spike:100,x5"
            case .peakTooHigh(let peak):
                "the spike would reach \(LoadProfile.text(peak))/s, above 1,000,000/s"
            case .sendsNothing:
                "every rate is 0, so the run would send nothing"
            }
        }
    }

    /// Parses `--profile` text (see the type's comment).
    init(parsing text: String) throws(SyntaxError) {
        guard let colon = text.firstIndex(of: ":") else { throw .unknownKind(text) }
        let kind = String(text[..<colon])
        let rates = String(text[text.index(after: colon)...])
        switch kind {
        case "constant":
            self = .constant(try Self.rate(rates))
        case "ramp":
            let ends = rates.split(separator: "..", omittingEmptySubsequences: false)
            guard ends.count == 2 else { throw .malformedRates(kind: kind, rates: rates) }
            self = .ramp(base: try Self.rate(ends[0]), peak: try Self.rate(ends[1]))
        case "spike":
            let parts = rates.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .malformedRates(kind: kind, rates: rates) }
            let base = try Self.rate(parts[0])
            let factorText = parts[1].trimmingCharacters(in: .whitespaces)
            guard factorText.first == "x", let factor = Double(factorText.dropFirst()), factor.isFinite, factor > 1
            else { throw .badFactor(String(parts[1])) }
            guard base * factor <= Self.maximumRate else { throw .peakTooHigh(base * factor) }
            self = .spike(base: base, factor: factor)
        case "steps":
            let parts = rates.split(separator: ",", omittingEmptySubsequences: false)
            self = .steps(try parts.map { (part) throws(SyntaxError) in try Self.rate(part) })
        default:
            throw .unknownKind(text)
        }
        guard peakRate > 0 else { throw .sendsNothing }
    }

    /// The highest rate the profile reaches.
    var peakRate: Double {
        switch self {
        case .constant(let rate): rate
        case .ramp(let base, let peak): max(base, peak)
        case .spike(let base, let factor): base * factor
        case .steps(let rates): rates.max() ?? 0
        }
    }

    private static func rate(_ text: some StringProtocol) throws(SyntaxError) -> Double {
        guard let rate = Double(text.trimmingCharacters(in: .whitespaces)), rate.isFinite,
            (0...maximumRate).contains(rate)
        else { throw .badRate(String(text)) }
        return rate
    }

    private static func example(of kind: String) -> String {
        switch kind {
        case "ramp": "ramp:BASE..PEAK, e.g. ramp:50..500"
        case "spike": "spike:BASE,xN, e.g. spike:100,x5"
        default: "\(kind):R"
        }
    }

    /// A rate as a person writes it: `50`, `2.5`.
    static func text(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int64(rate)) : String(rate)
    }
}

extension LoadProfile: CustomStringConvertible {
    /// The profile as `--profile` takes it.
    var description: String {
        switch self {
        case .constant(let rate): "constant:\(Self.text(rate))"
        case .ramp(let base, let peak): "ramp:\(Self.text(base))..\(Self.text(peak))"
        case .spike(let base, let factor): "spike:\(Self.text(base)),x\(Self.text(factor))"
        case .steps(let rates): "steps:" + rates.map(Self.text).joined(separator: ",")
        }
    }
}
