import Testing

@testable import Matching

@Suite("JaroWinkler")
struct JaroWinklerTests {
    @Test(arguments: ["a", "MARTHA", "acme international", "müller"])
    func identicalStringsScoreOne(text: String) {
        #expect(JaroWinkler.similarity(text, text) == 1)
    }

    @Test(arguments: [
        ("MARTHA", "MARHTA", 0.9611),
        ("DWAYNE", "DUANE", 0.8400),
        ("DIXON", "DICKSONX", 0.8133),
        ("JELLYFISH", "SMELLYFISH", 0.8963),
    ])
    func matchesPublishedValues(lhs: String, rhs: String, expected: Double) {
        #expect(abs(JaroWinkler.similarity(lhs, rhs) - expected) < 0.001)
        #expect(abs(JaroWinkler.similarity(rhs, lhs) - expected) < 0.001)
    }

    @Test(arguments: [("ACME", "ZYXW"), ("abc", "xyz"), ("siemens", "quick")])
    func completelyDifferentStringsScoreLow(lhs: String, rhs: String) {
        #expect(JaroWinkler.similarity(lhs, rhs) < 0.5)
    }

    @Test func emptyStringsAreEqualToEachOtherOnly() {
        #expect(JaroWinkler.similarity("", "") == 1)
        #expect(JaroWinkler.similarity("", "acme") == 0)
        #expect(JaroWinkler.similarity("acme", "") == 0)
    }

    @Test func aSharedPrefixScoresHigherThanTheSameDifferenceElsewhere() {
        #expect(JaroWinkler.similarity("acmex", "acmey") > JaroWinkler.similarity("xacme", "yacme"))
    }

    @Test(arguments: [("MARTHA", "MARHTA"), ("acme", "acne"), ("a", "b"), ("dupont", "dupond")])
    func staysBetweenZeroAndOne(lhs: String, rhs: String) {
        let score = JaroWinkler.similarity(lhs, rhs)
        #expect(score >= 0 && score <= 1)
    }

    /// The bit-parallel matching step makes the same choices as the textbook scan, on random strings of a small
    /// alphabet (many repeats, so many choices), of every length up to 64 and beyond.
    @Test func bitParallelMatchingAgreesWithTheScan() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let alphabet = Array("abcde ".utf8)
            let a = (0..<Int.random(in: 1...80, using: &generator)).map { _ in alphabet.randomElement()! }
            let b = (0..<Int.random(in: 1...64, using: &generator)).map { _ in alphabet.randomElement()! }
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    let bits = JaroWinkler.matchBits(x, y)
                    let scan = JaroWinkler.matchScan(x, y)
                    #expect(
                        bits == scan, "\(String(decoding: a, as: UTF8.self)) / \(String(decoding: b, as: UTF8.self))")
                }
            }
        }
    }
}
