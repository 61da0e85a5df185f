import ArgumentParser
import Testing

@testable import DealTools

/// `--profile` text: what parses, into what, and the sentence each mistake gets.
@Suite struct LoadProfileTests {
    @Test(arguments: [
        ("constant:250", LoadProfile.constant(250)),
        ("ramp:50..500", .ramp(base: 50, peak: 500)),
        ("ramp:0..200", .ramp(base: 0, peak: 200)),
        ("ramp:500..50", .ramp(base: 500, peak: 50)),
        ("ramp: 10 .. 20", .ramp(base: 10, peak: 20)),
        ("spike:100,x5", .spike(base: 100, factor: 5)),
        ("spike:40,x2.5", .spike(base: 40, factor: 2.5)),
        ("steps:100,200,400", .steps([100, 200, 400])),
        ("steps:100,0,100", .steps([100, 0, 100])),
        ("steps:75", .steps([75])),
    ])
    func parsesEachKind(text: String, profile: LoadProfile) throws {
        #expect(try LoadProfile(parsing: text) == profile)
        // What the summary and the report print parses back to the same profile.
        #expect(try LoadProfile(parsing: profile.description) == profile)
    }

    @Test(arguments: [
        ("", LoadProfile.SyntaxError.unknownKind("")),
        ("ramp", .unknownKind("ramp")),
        ("burst:100", .unknownKind("burst:100")),
        ("Ramp:1..2", .unknownKind("Ramp:1..2")),
        ("ramp:50-500", .malformedRates(kind: "ramp", rates: "50-500")),
        ("ramp:50..500..600", .malformedRates(kind: "ramp", rates: "50..500..600")),
        ("ramp:..500", .badRate("")),
        ("ramp:abc..500", .badRate("abc")),
        ("spike:100", .malformedRates(kind: "spike", rates: "100")),
        ("spike:100,5", .badFactor("5")),
        ("spike:100,x1", .badFactor("x1")),
        ("spike:100,x0.5", .badFactor("x0.5")),
        ("spike:100000,x100", .peakTooHigh(10_000_000)),
        ("steps:", .badRate("")),
        ("steps:100,,200", .badRate("")),
        ("steps:0,0", .sendsNothing),
        ("ramp:0..0", .sendsNothing),
        ("constant:-5", .badRate("-5")),
        ("constant:nan", .badRate("nan")),
        ("constant:2000000", .badRate("2000000")),
    ])
    func refusesMalformedText(text: String, error: LoadProfile.SyntaxError) {
        #expect(throws: error) { try LoadProfile(parsing: text) }
    }

    @Test func theCommandNamesTheOptionInItsRefusal() {
        for (arguments, expected) in [
            (["--profile", "ramp:50-500"], "--profile: '50-500' is not what ramp takes; write ramp:BASE..PEAK"),
            (["--profile", "spike:100,5"], "--profile: '5' is not a spike factor"),
            (["--rate", "10", "--profile", "ramp:1..2"], "--rate and --profile both set the open-loop rate"),
        ] {
            do {
                _ = try LoadCommand.parse(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                let message = LoadCommand.message(for: error)
                #expect(message.hasPrefix(expected), "\(message)")
            }
        }
    }
}
