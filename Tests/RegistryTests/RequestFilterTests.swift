import Testing

@testable import Registry

/// The request filter never forgets a pair it was given, and rarely claims one it was not.
struct RequestFilterTests {
    @Test func everyInsertedHashIsFoundAndFewOthersAre() {
        var filter = RequestFilter()
        var generator = SystemRandomNumberGenerator()
        let inserted = (0..<100_000).map { _ in Int.random(in: .min ... .max, using: &generator) }
        for hash in inserted { filter.insert(hash) }
        #expect(inserted.allSatisfy(filter.mayContain))
        let others = (0..<100_000).map { _ in Int.random(in: .min ... .max, using: &generator) }
        let falseHits = others.filter(filter.mayContain).count
        // At 100,000 pairs in 2^26 bits with 4 probes, about 1 in 10^7: a handful at most.
        #expect(falseHits < 10, "\(falseHits) false hits")
    }
}
