import DealModel
import Foundation

/// One fuzz target: a function of raw bytes that returns normally for every input. A crash (a failed
/// precondition, a sanitizer report) or a hang is a finding. A value; `Sendable`.
struct FuzzTarget: Sendable {
    var name: String
    var summary: String
    /// Called once before the first input (starts services for the black-box targets).
    var prepare: @Sendable () -> Void = {}
    var run: @Sendable ([UInt8]) -> Void
}

/// Every fuzz target, by name.
enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(
            name: "envelope",
            summary: "EnvelopeCodec.decodeRequest, then the validating conversions of whichever body decoded",
            run: DecoderTargets.envelope),
        FuzzTarget(
            name: "event",
            summary: "events, sync and feed replies, work messages, cases, sanctions, escalations; Registration/Party",
            run: DecoderTargets.event),
        FuzzTarget(
            name: "policy", summary: "PolicyFile.parse on the bytes as JSON text, then the policy's rules",
            run: DecoderTargets.policy),
        FuzzTarget(
            name: "csv", summary: "CSVReader on the bytes as text, then the conversions an import applies to each row",
            run: DecoderTargets.csv),
        FuzzTarget(
            name: "registry",
            summary: "the registry's api in-process (first byte: the principal), one answer within the deadline",
            prepare: { LocalServices.shared.prepare(.registry) }, run: { LocalServices.call(.registry, $0) }),
        FuzzTarget(
            name: "enforcement",
            summary: "enforcement's api in-process (first byte: the principal), one answer within the deadline",
            prepare: { LocalServices.shared.prepare(.enforcement) }, run: { LocalServices.call(.enforcement, $0) }),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// The target `DEALREG_FUZZ_TARGET` names.
    static let fromEnvironment: FuzzTarget? = ProcessInfo.processInfo.environment["DEALREG_FUZZ_TARGET"].flatMap(named)
}

/// The fixed clock of every target: requests and seeds carry dates, and a seed corpus must not age out of validity.
enum FuzzClock {
    /// Monday 1 June 2026, 08:00 UTC.
    static let start: Int64 = 1_780_300_800
    static let today = CalendarDate(secondsSinceEpoch: start)
    /// A close date three months after `today`: valid in every seed.
    static let closeDate = today.adding(days: 91)
}
