import DealModel
import Foundation

/// The index of registrations a check (or a booking) can conflict with.
public typealias CandidateIndex = CustomerIndex<RegistrationID>

/// An inverted index of the customers that can conflict, scored on lookup, each entry under its `ID`: registrations
/// (`CandidateIndex`), accounts with the spellings seen on their registrations (`CustomerIndex<AccountID>`), or
/// anything else that names a customer, such as enforcement's bookings under their order ids. An entry is posted
/// once under the union of its spellings' keys and scores as its best spelling.
/// Postings are hashed blocking keys (`BlockingKeys`: name tokens and their Soundex, name trigrams and sorted
/// letters, registrable domain, tax id, postal code, street words with house numbers) kept in a sorted, compact
/// base plus a small dictionary of recent inserts that is merged into the base as it grows. Not thread-safe: one
/// owner mutates and queries it.
public struct CustomerIndex<ID: Hashable & Comparable & Sendable> {
    // Internal rather than private: `CustomerIndex+Snapshot` writes and reads them as they are.
    var ids: [ID] = []
    var customers: [PackedCustomer] = []
    var alive: [Bool] = []
    var slotOf: [ID: UInt32] = [:]

    var baseKeys: [UInt64] = []
    var baseStarts: [UInt32] = [0]
    var baseSlots: [UInt32] = []
    var recent: [UInt64: [UInt32]] = [:]
    var recentPostings = 0
    var deadSlots = 0
    var aliases: [UInt32: Aliases] = [:]
    private let scorer = CustomerScorer()
    private let scratch = Scratch()

    /// Per-lookup working memory, kept between lookups so a check allocates little. Not thread-safe: like the
    /// index, it serves one thread; copies of the index share it, so only one copy may be queried at a time.
    final class Scratch {
        var weights: [Float] = []
    }

    /// The spellings past the first of an entry that has more than one, and the union of all its spellings' keys
    /// (each posted once for the entry): kept aside, so that an entry with one spelling costs what it always did.
    /// A value.
    struct Aliases {
        var spellings: [PackedCustomer]
        var keys: Set<UInt64>

        /// Adds `spelling` unless the entry has it or is full, and returns the keys it brings that the entry
        /// lacked (nil when not added).
        mutating func add(_ spelling: PackedCustomer, keys: Set<UInt64>) -> Set<UInt64>? {
            guard spellings.count + 1 < CustomerIndex.maximumSpellings,
                !spellings.contains(where: { $0.isSameSpelling(as: spelling) })
            else {
                return nil
            }
            let novel = keys.subtracting(self.keys)
            spellings.append(spelling)
            self.keys.formUnion(novel)
            return novel
        }
    }

    /// An empty index keyed by `ID`.
    public init() {}

    public var count: Int { slotOf.count }
    /// Slots in use, removed ones included: removal only marks a slot dead (as does an entry's move to a new slot
    /// when it gains its second spelling); an owner that removes much rebuilds.
    public var slotCount: Int { ids.count }

    /// The most spellings one entry keeps; later ones are not added.
    public static var maximumSpellings: Int { 32 }

    /// How many times `limit` a lookup scores in all when its cut falls among entries of equal weight.
    public static var tieLimit: Int { 8 }

    /// Adds or replaces the customer of `id`, as its one spelling.
    public mutating func insert(_ id: ID, customer: Customer) {
        insert(id, normalized: NormalizedCustomer(customer))
    }

    /// Adds or replaces `id` with a customer the caller normalised already.
    public mutating func insert(_ id: ID, normalized: NormalizedCustomer) {
        insert(id, prepared: PreparedCustomer(normalized))
    }

    /// Adds or replaces `id` with a customer prepared already (normalised, packed, keyed).
    public mutating func insert(_ id: ID, prepared: PreparedCustomer) {
        add(id, spellings: [prepared.packed], keys: prepared.keys)
    }

    /// Adds many entries at once (a replay, a snapshot): customers are normalised on every core, a batch at a time,
    /// then indexed in order as `insert` would one by one.
    public mutating func insert(contentsOf registrations: [(id: ID, customer: Customer)]) {
        Self.prepare(registrations) { id, packed, keys in add(id, spellings: [packed], keys: keys) }
    }

    /// Adds `customer` as one more spelling of `id` (see `addSpelling(_:prepared:)`).
    @discardableResult
    public mutating func addSpelling(_ id: ID, customer: Customer) -> Bool {
        addSpelling(id, prepared: PreparedCustomer(customer))
    }

    /// Adds `prepared` as one more spelling of `id`, creating the entry when `id` is new; false, and nothing
    /// changed, when the entry has that spelling (normalised) already or has `maximumSpellings` of them.
    @discardableResult
    public mutating func addSpelling(_ id: ID, prepared: PreparedCustomer) -> Bool {
        addSpelling(id, packed: prepared.packed, keys: prepared.keys)
    }

    /// Adds many spellings at once (a replay): customers are normalised on every core, a batch at a time, then
    /// added in order as `addSpelling` would one by one.
    public mutating func addSpellings(contentsOf spellings: [(id: ID, customer: Customer)]) {
        Self.prepare(spellings) { id, packed, keys in addSpelling(id, packed: packed, keys: keys) }
    }

    /// Makes `id` an entry of exactly these spellings, without repeats and at most `maximumSpellings` of them;
    /// none removes it.
    public mutating func replace(_ id: ID, spellings: [Customer]) {
        replace(id, spellings: spellings.map { PreparedCustomer($0) })
    }

    /// `replace(_:spellings:)` for customers prepared already.
    public mutating func replace(_ id: ID, spellings: [PreparedCustomer]) {
        var kept: [PackedCustomer] = []
        var keys: Set<UInt64> = []
        for spelling in spellings
        where kept.count < Self.maximumSpellings && !kept.contains(where: { $0.isSameSpelling(as: spelling.packed) }) {
            kept.append(spelling.packed)
            keys.formUnion(spelling.keys)
        }
        if kept.isEmpty { remove(id) } else { add(id, spellings: kept, keys: keys) }
    }

    /// How many spellings the entry of `id` has: 0 when there is none.
    public func spellingCount(of id: ID) -> Int {
        guard let slot = slotOf[id] else { return 0 }
        return 1 + (aliases[slot]?.spellings.count ?? 0)
    }

    /// Normalises, packs and keys `items` on every core, a batch at a time, and hands them to `index` in order.
    private static func prepare(
        _ items: [(id: ID, customer: Customer)], into index: (ID, PackedCustomer, Set<UInt64>) -> Void
    ) {
        let batch = 1 << 15
        let chunk = 1024
        // Each iteration writes only its own positions, so the buffer is shared safely.
        nonisolated(unsafe) let prepared = UnsafeMutableBufferPointer<(PackedCustomer, Set<UInt64>)?>.allocate(
            capacity: batch)
        prepared.initialize(repeating: nil)
        defer { prepared.deallocate() }
        for first in stride(from: 0, to: items.count, by: batch) {
            let count = min(batch, items.count - first)
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                for offset in (part * chunk)..<min(count, (part + 1) * chunk) {
                    let normalized = NormalizedCustomer(items[first + offset].customer)
                    prepared[offset] = (PackedCustomer(normalized), BlockingKeys.keys(of: normalized))
                }
            }
            for offset in 0..<count {
                let (packed, keys) = prepared[offset]!
                prepared[offset] = nil
                index(items[first + offset].id, packed, keys)
            }
        }
    }

    /// Makes `id` a new entry in a new slot with `spellings` (at least one), posted under `keys`, their union.
    private mutating func add(_ id: ID, spellings: [PackedCustomer], keys: Set<UInt64>) {
        remove(id)
        let slot = UInt32(ids.count)
        ids.append(id)
        customers.append(spellings[0])
        alive.append(true)
        slotOf[id] = slot
        if spellings.count > 1 { aliases[slot] = Aliases(spellings: Array(spellings.dropFirst()), keys: keys) }
        post(keys, to: slot)
    }

    @discardableResult
    private mutating func addSpelling(_ id: ID, packed: PackedCustomer, keys: Set<UInt64>) -> Bool {
        guard let slot = slotOf[id] else {
            add(id, spellings: [packed], keys: keys)
            return true
        }
        guard !customers[Int(slot)].isSameSpelling(as: packed) else { return false }
        guard aliases[slot] != nil else {
            guard Self.maximumSpellings > 1 else { return false }
            // The first spelling's keys were not kept: the entry moves to a new slot posted under the union, which
            // posts each key once whatever the first spelling's keys were.
            let first = customers[Int(slot)]
            add(id, spellings: [first, packed], keys: BlockingKeys.keys(of: first).union(keys))
            return true
        }
        // In place, through the dictionary's accessor: a copy of the entry would copy its key set.
        guard let novel = aliases[slot]!.add(packed, keys: keys) else { return false }
        post(novel, to: slot)
        return true
    }

    private mutating func post(_ keys: Set<UInt64>, to slot: UInt32) {
        for key in keys {
            recent[key, default: []].append(slot)
            recentPostings += 1
        }
        if recentPostings > max(1 << 16, baseSlots.count / 4) { merge() }
    }

    /// Removes the entry of `id`, all its spellings.
    public mutating func remove(_ id: ID) {
        guard let slot = slotOf.removeValue(forKey: id) else { return }
        alive[Int(slot)] = false
        customers[Int(slot)] = PackedCustomer.empty
        aliases[slot] = nil
        deadSlots += 1
    }

    /// Folds the recent postings into the sorted base, dropping removed entries.
    private mutating func merge() {
        let recentKeys = recent.keys.sorted()
        var keys: [UInt64] = []
        var starts: [UInt32] = [0]
        var slots: [UInt32] = []
        keys.reserveCapacity(baseKeys.count + recentKeys.count)
        starts.reserveCapacity(baseKeys.count + recentKeys.count + 1)
        slots.reserveCapacity(baseSlots.count + recentPostings)
        var b = 0
        var r = 0
        while b < baseKeys.count || r < recentKeys.count {
            let key =
                r == recentKeys.count || (b < baseKeys.count && baseKeys[b] <= recentKeys[r])
                ? baseKeys[b] : recentKeys[r]
            let before = slots.count
            if b < baseKeys.count && baseKeys[b] == key {
                for slot in baseSlots[Int(baseStarts[b])..<Int(baseStarts[b + 1])] where alive[Int(slot)] {
                    slots.append(slot)
                }
                b += 1
            }
            if r < recentKeys.count && recentKeys[r] == key {
                for slot in recent[key]! where alive[Int(slot)] { slots.append(slot) }
                r += 1
            }
            if slots.count > before {
                keys.append(key)
                starts.append(UInt32(slots.count))
            }
        }
        baseKeys = keys
        baseStarts = starts
        baseSlots = slots
        recent.removeAll(keepingCapacity: false)
        recentPostings = 0
    }

    /// The postings of `key` in the base and in the recent inserts.
    private func postings(_ key: UInt64) -> (base: ArraySlice<UInt32>, recent: ArraySlice<UInt32>) {
        var low = 0
        var high = baseKeys.count
        while low < high {
            let middle = (low + high) / 2
            if baseKeys[middle] < key { low = middle + 1 } else { high = middle }
        }
        let base =
            low < baseKeys.count && baseKeys[low] == key
            ? baseSlots[Int(baseStarts[low])..<Int(baseStarts[low + 1])] : []
        return (base, recent[key]?[...] ?? [])
    }

    /// The indexed entries scoring at least `minimumScore` against `customer`, best first (ties by id). Only the
    /// `limit` entries sharing the most (rarity-weighted) keys are scored, and only those `include` accepts.
    public func candidates(
        for customer: Customer, minimumScore: Double, limit: Int = 32, include: ((ID) -> Bool)? = nil
    ) -> [(id: ID, score: Double, reasons: [MatchReason])] {
        candidates(for: NormalizedCustomer(customer), minimumScore: minimumScore, limit: limit, include: include)
    }

    /// `candidates(for:)` for a customer the caller normalised already.
    public func candidates(
        for normalized: NormalizedCustomer, minimumScore: Double, limit: Int = 32, include: ((ID) -> Bool)? = nil
    ) -> [(id: ID, score: Double, reasons: [MatchReason])] {
        candidates(for: PreparedCustomer(normalized), minimumScore: minimumScore, limit: limit, include: include)
    }

    /// `candidates(for:)` for a customer the caller prepared already, as when it searches several indexes.
    public func candidates(
        for prepared: PreparedCustomer, minimumScore: Double, limit: Int = 32, include: ((ID) -> Bool)? = nil
    ) -> [(id: ID, score: Double, reasons: [MatchReason])] {
        // Weights summed per slot in a dense scratch array; only the touched entries are visited and cleared.
        let scratch = self.scratch
        if scratch.weights.count < ids.count {
            scratch.weights += [Float](repeating: 0, count: ids.count - scratch.weights.count)
        }
        var touched: [UInt32] = []
        // In key order: a set's order differs from one instance to the next, and so would the rounding of the
        // summed weights, which decides ties at the cut (the same query answered twice differently, 1 in 663).
        for key in prepared.keys.sorted() {
            let (base, recent) = postings(key)
            let size = base.count + recent.count
            let identifier = BlockingKeys.isIdentifier(key)
            guard size <= BlockingKeys.commonLimit || identifier else { continue }
            // An identifier is strong evidence on its own; a common word or postal code is weak.
            let weight = Float(identifier ? 10 : 1 / log2(2 + Double(size)))
            scratch.weights.withUnsafeMutableBufferPointer { weights in
                for slots in [base, recent] {
                    for slot in slots {
                        if weights[Int(slot)] == 0 { touched.append(slot) }
                        weights[Int(slot)] += weight
                    }
                }
            }
        }
        // The best `limit` by weight, ties to the lower slot, kept in a small min-heap. Beside it, the entries at
        // the heaviest weight so far, for a cut that falls among equals.
        var best = TopCandidates(limit: limit)
        var heaviest: Float = 0
        var atHeaviest: [UInt32] = []
        scratch.weights.withUnsafeMutableBufferPointer { weights in
            for slot in touched {
                let weight = weights[Int(slot)]
                weights[Int(slot)] = 0
                guard alive[Int(slot)], include?(ids[Int(slot)]) ?? true else { continue }
                if weight > heaviest {
                    heaviest = weight
                    atHeaviest.removeAll(keepingCapacity: true)
                }
                if weight == heaviest && atHeaviest.count < limit * Self.tieLimit { atHeaviest.append(slot) }
                best.offer(weight: Double(weight), slot: slot)
            }
        }
        // When every kept entry ties with the heaviest, the cut fell among equals: one customer registered many
        // times under one spelling (a big account). Those past the cut are as likely as those kept, so they are
        // scored too, up to `Self.tieLimit` times the limit; any other cut falls below the best and stays.
        let kept = best.slots
        var tied: [UInt32] = []
        if best.isFull && best.lightest == Double(heaviest) {
            let keptSlots = Set(kept)
            tied = atHeaviest.filter { !keptSlots.contains($0) }.prefix(limit * (Self.tieLimit - 1)).sorted()
        }
        let query = prepared.packed
        var found: [(id: ID, score: Double, reasons: [MatchReason])] = []
        for slot in kept + tied {
            var (score, reasons) = scorer.score(query, against: customers[Int(slot)])
            for spelling in aliases[slot]?.spellings ?? [] {
                let other = scorer.score(query, against: spelling)
                if other.score > score { (score, reasons) = other }
            }
            if score >= minimumScore { found.append((ids[Int(slot)], score, reasons)) }
        }
        return found.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
    }
}

/// The `limit` heaviest candidates seen, as a min-heap on (weight, -slot) so that ties go to the lower slot and
/// the same index gives the same answer in every process. Not thread-safe: local to one lookup.
struct TopCandidates {
    private var heap: [(weight: Double, slot: UInt32)] = []
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        heap.reserveCapacity(limit)
    }

    /// Whether `a` ranks below `b`.
    private static func below(_ a: (weight: Double, slot: UInt32), _ b: (weight: Double, slot: UInt32)) -> Bool {
        a.weight < b.weight || (a.weight == b.weight && a.slot > b.slot)
    }

    mutating func offer(weight: Double, slot: UInt32) {
        let item = (weight: weight, slot: slot)
        if heap.count < limit {
            heap.append(item)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.below(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if limit > 0 && Self.below(heap[0], item) {
            heap[0] = item
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count && Self.below(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && Self.below(heap[right], heap[smallest]) { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    /// The kept slots, heaviest first.
    var slots: [UInt32] { heap.sorted { Self.below($1, $0) }.map(\.slot) }

    /// Whether `limit` entries are kept.
    var isFull: Bool { heap.count == limit && limit > 0 }

    /// The weight of the lightest kept entry (0 when none is).
    var lightest: Double { heap.first?.weight ?? 0 }
}
