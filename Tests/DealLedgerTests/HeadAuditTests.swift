import DealLedger
import Testing

/// Holding a log to signed heads, without a database: the chain of byte strings is the log.
@Suite struct HeadAuditTests {
    let key = LedgerKey(service: "registry")

    /// The chain hashes of a log of `count` entries whose bytes are their numbers, or `changed` bytes at `at`.
    static func chain(_ count: Int, changing at: Int? = nil) -> [[UInt8]] {
        var hash = LedgerChain.genesis
        return (1...count).map { seq in
            hash = LedgerChain.next(after: hash, seq == at ? [0xFF] : Array("entry \(seq)".utf8))
            return hash
        }
    }

    /// `key`'s head over the first `size` entries of `chain`, signed at `time`.
    func head(_ chain: [[UInt8]], size: Int, time: Int64) -> LedgerHead {
        var accumulator = MerkleAccumulator()
        for (index, hash) in chain.prefix(size).enumerated() {
            accumulator.append(MerkleTree.leafHash(seq: UInt64(index + 1), chainHash: hash))
        }
        return key.signer().sign(
            LedgerHead(
                service: "registry", size: UInt64(size), root: accumulator.root,
                chainHash: size == 0 ? LedgerChain.genesis : chain[size - 1], time: time))
    }

    /// The first finding of an audit of `chain` against `heads`.
    func audit(_ chain: [[UInt8]], _ heads: [LedgerHead], keyring: LedgerKeyring? = nil) -> HeadAudit.Finding? {
        var audit = HeadAudit(
            keyring: keyring ?? key.keyring, heads: heads.map { HeadAudit.Held($0, source: "kept") }
        ) { "event \($0)" }
        if let start = audit.start { return start }
        for (index, hash) in chain.enumerated() {
            if let finding = audit.visit(seq: UInt64(index + 1), chainHash: hash) { return finding }
        }
        return audit.finish(size: UInt64(chain.count))
    }

    @Test func anHonestLogHoldsToEveryHead() {
        let log = Self.chain(20)
        let heads = [3, 7, 7, 12, 20].enumerated().map { head(log, size: $0.element, time: Int64($0.offset)) }
        #expect(audit(log, heads) == nil)
    }

    @Test func aTruncatedLogIsMissingTheEntriesAfterItsEnd() {
        let log = Self.chain(20)
        let heads = [head(log, size: 10, time: 1), head(log, size: 20, time: 2)]
        // Entries 11 to 17 may be the ones signed, but no head that holds vouches for them any more.
        let finding = audit(Array(log.prefix(17)), heads)
        #expect(finding?.entry == "event 11")
        #expect(finding?.reason.hasPrefix("missing: the head at 20") == true)
        #expect(audit(Array(log.prefix(10)), heads)?.entry == "event 11")
    }

    @Test func aRewrittenEntryIsNamedBetweenTheHeadsThatHoldAndTheFirstThatDoesNot() {
        let log = Self.chain(20)
        let heads = [5, 9, 10, 15].map { head(log, size: $0, time: Int64($0)) }
        // Entry 10 rewritten and every hash after it recomputed: the chain alone holds.
        let finding = audit(Self.chain(20, changing: 10), heads)
        #expect(finding?.entry == "event 10")
        #expect(finding?.reason.contains("changed after it was signed") == true)
    }

    @Test func aHeadSignedAfterARollbackVouchesForNothingBeyondIt() {
        let log = Self.chain(9)
        // Heads at 6 and 8, then the log cut back to 6 and the service signs a head at 7 on its new seventh entry.
        var rewritten = Array(log.prefix(6))
        rewritten.append(LedgerChain.next(after: rewritten[5], [0xAB]))
        let heads = [head(log, size: 6, time: 1), head(log, size: 8, time: 2), head(rewritten, size: 7, time: 3)]
        let finding = audit(rewritten, heads)
        #expect(finding?.entry == "event 7")
    }

    @Test func aHeadOfAnotherKeyOrWithABadSignatureIsNotTrusted() {
        let log = Self.chain(4)
        let forged = LedgerKey(service: "registry").signer().sign(
            LedgerHead(service: "registry", size: 4, root: [], chainHash: [], time: 1))
        #expect(audit(log, [forged])?.reason.contains("not a ledger key of registry") == true)
        var tampered = head(log, size: 4, time: 1)
        tampered.size = 3
        #expect(audit(log, [tampered])?.reason.contains("signature does not verify") == true)
        // A retired key still vouches for what it signed.
        let rotated = key.rotated()
        #expect(audit(log, [head(log, size: 4, time: 1)], keyring: rotated.keyring) == nil)
    }
}
