/// The rules of the Public Suffix List (its ICANN and private sections) in an open-addressed table keyed by a hash of
/// each suffix read from its last byte, so that a host's public suffix costs one probe per label and no allocation;
/// built once from the generated rule text, immutable after, safe from any thread.
struct PublicSuffixList: Sendable {
    /// The list compiled into the module (Generated/PublicSuffixList+Rules.swift).
    static let standard = PublicSuffixList(ruleText: ruleText)

    /// What the list says of one suffix ("co.uk", "kawasaki.jp"), gathered from every rule that ends with it.
    private struct Marks: OptionSet, Sendable {
        let rawValue: UInt8
        /// A rule names it: "co.uk".
        static let rule = Marks(rawValue: 1)
        /// A wildcard rule names every label under it: "*.kawasaki.jp".
        static let wildcard = Marks(rawValue: 2)
        /// An exception rule takes it out of a wildcard: "!city.kawasaki.jp".
        static let exception = Marks(rawValue: 4)
        /// A longer rule ends with it, so the search goes on to the label before.
        static let parent = Marks(rawValue: 8)
    }

    private struct Slot: Sendable {
        /// Where the suffix's bytes start in `keys`.
        var keyStart: UInt32 = 0
        /// 0 for an empty slot: no suffix is empty.
        var keyLength: UInt8 = 0
        var marks = Marks()
        /// Bits of the suffix's hash that the slot's index does not use, to pass most other suffixes by unread.
        var hashTag: UInt16 = 0
    }

    /// Under half full, so that a probe for a suffix the list lacks meets an empty slot within a step or two.
    private var slots: [Slot]
    private var keys: [UInt8] = []
    private let indexShift: UInt64

    /// Parses rules written one a line: "com", "*.ck", "!www.ck".
    init(ruleText: String) {
        let text = Array(ruleText.utf8)
        let rules = text.split(separator: UInt8(ascii: "\n"))
        // Each rule names its own suffix, and each of its dots one that a longer rule ends with.
        let suffixesAtMost = rules.count + text.count(where: { $0 == UInt8(ascii: ".") })
        let bits = (2 * suffixesAtMost).bitWidth - (2 * suffixesAtMost).leadingZeroBitCount
        indexShift = UInt64(64 - bits)
        slots = Array(repeating: Slot(), count: 1 << bits)
        for var suffix in rules {
            var marks = Marks.rule
            if suffix.first == UInt8(ascii: "!") {
                suffix = suffix.dropFirst()
                marks = .exception
            } else if suffix.starts(with: "*.".utf8) {
                suffix = suffix.dropFirst(2)
                marks = .wildcard
            }
            add(marks, to: suffix)
            while let dot = suffix.firstIndex(of: UInt8(ascii: ".")) {
                suffix = suffix[(dot + 1)...]
                add(.parent, to: suffix)
            }
        }
    }

    private mutating func add(_ marks: Marks, to suffix: ArraySlice<UInt8>) {
        let hash = suffix.reversed().reduce(Self.hashSeed, Self.hash)
        let index = slotIndex(of: suffix, hash: hash)
        if slots[index].keyLength == 0 {
            slots[index] = Slot(
                keyStart: UInt32(keys.count), keyLength: UInt8(suffix.count), hashTag: UInt16(truncatingIfNeeded: hash))
            keys.append(contentsOf: suffix)
        }
        slots[index].marks.formUnion(marks)
    }

    /// How many labels at the end of `host` (lower-case, its labels valid) are its public suffix: those of the longest
    /// rule that matches it, one fewer than an exception's when one matches, and one (the rule "*") when none does.
    func publicSuffixLabelCount(_ host: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = Self.hashSeed
        var start = host.count
        var labels = 0
        var suffixLabels = 1
        var enclosing = Marks.parent  // of the empty suffix, which every rule ends with
        while start > 0, !enclosing.isDisjoint(with: [.parent, .wildcard]) {
            if labels > 0 {
                start -= 1
                hash = Self.hash(hash, host[start])  // the dot
            }
            while start > 0, host[start - 1] != UInt8(ascii: ".") {
                start -= 1
                hash = Self.hash(hash, host[start])
            }
            labels += 1
            let marks = marks(of: UnsafeBufferPointer(rebasing: host[start...]), hash: hash)
            if marks.contains(.exception) { return labels - 1 }
            if marks.contains(.rule) || enclosing.contains(.wildcard) { suffixLabels = labels }
            enclosing = marks
        }
        return suffixLabels
    }

    private func marks(of suffix: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Marks {
        slots[slotIndex(of: suffix, hash: hash)].marks
    }

    /// The slot that holds `suffix`, or the empty one where it would go.
    private func slotIndex(of suffix: some Collection<UInt8>, hash: UInt64) -> Int {
        // Fibonacci hashing spreads every bit of the hash over the top bits that pick the slot; FNV-1a alone leaves
        // the last bytes it was fed out of them.
        var index = Int(truncatingIfNeeded: ((hash ^ (hash >> 32)) &* 0x9e37_79b9_7f4a_7c15) >> indexShift)
        let tag = UInt16(truncatingIfNeeded: hash)
        while true {
            let slot = slots[index]
            if slot.keyLength == 0 { return index }
            if slot.hashTag == tag, Int(slot.keyLength) == suffix.count,
                zip(keys[Int(slot.keyStart)...], suffix).allSatisfy({ $0 == $1 })
            {
                return index
            }
            index = (index + 1) & (slots.count - 1)
        }
    }

    private static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a, one byte at a time, fed a suffix from its last byte so that each label extends the hash of the
    /// suffix after it.
    private static func hash(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
}
