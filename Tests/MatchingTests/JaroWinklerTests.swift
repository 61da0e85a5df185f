import Matching
import Testing

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
}
