import Crypto

/// The tamper-evident ledger's hash chain: each entry's hash is SHA-256 over the previous entry's hash and the
/// entry's canonical bytes (its deterministic protobuf serialization), starting from 32 zero bytes. Changing,
/// removing or reordering any stored entry changes every hash after it.
public enum LedgerChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func next(after previous: [UInt8], _ body: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: body)
        return Array(hasher.finalize())
    }

    /// What an audit found: how many entries it checked, and the first that does not hold, with why.
    public struct Verdict: Sendable, Hashable {
        public var entries: Int
        public var firstBroken: String?
        public var reason: String
        /// Signed heads the log was held to.
        public var heads: Int

        public init(entries: Int, firstBroken: String? = nil, reason: String = "", heads: Int = 0) {
            self.entries = entries
            self.firstBroken = firstBroken
            self.reason = reason
            self.heads = heads
        }
    }
}
