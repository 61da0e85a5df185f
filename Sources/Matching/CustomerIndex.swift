import DealModel
import Foundation

/// The index of registrations a check (or a booking) can conflict with.
public typealias CandidateIndex = CustomerIndex<RegistrationID>

/// An inverted index of the customers that can conflict, scored on lookup, each entry under its `ID`: registrations
/// (`CandidateIndex`), or anything else that names a customer, such as enforcement's bookings under their order ids.
/// Postings are hashed blocking keys (`BlockingKeys`: name tokens and their Soundex, name trigrams and sorted
/// letters, registrable domain, tax id, postal code, street words with house numbers) kept in a sorted, compact
/// base plus a small dictionary of recent inserts that is merged into the base as it grows. Not thread-safe: one
/// owner mutates and queries it.
public struct CustomerIndex<ID: Hashable & Comparable & Sendable> {
    private var ids: [ID] = []
    private var customers: [PackedCustomer] = []
    private var alive: [Bool] = []
    private var slotOf: [ID: UInt32] = [:]

    private var baseKeys: [UInt64] = []
    private var baseStarts: [UInt32] = [0]
    private var baseSlots: [UInt32] = []
    private var recent: [UInt64: [UInt32]] = [:]
    private var recentPostings = 0
    private var deadSlots = 0
    private let scorer = CustomerScorer()
    private let scratch = Scratch()

    /// Per-lookup working memory, kept between lookups so a check allocates little. Not thread-safe: like the
    /// index, it serves one thread; copies of the index share it, so only one copy may be queried at a time.
    final class Scratch {
        var weights: [Float] = []
    }

    /// An empty index keyed by `ID`.
    public init() {}

    public var count: Int { slotOf.count }
    /// Slots in use, removed ones included: removal only marks a slot dead; an owner that removes much rebuilds.
    public var slotCount: Int { ids.count }

    /// How many times `limit` a lookup scores in all when its cut falls among entries of equal weight.
    public static var tieLimit: Int { 8 }

    /// Adds or replaces the customer of `id`.
    public mutating func insert(_ id: ID, customer: Customer) {
        insert(id, normalized: NormalizedCustomer(customer))
    }

    /// Adds or replaces `id` with a customer the caller normalised already.
    public mutating func insert(_ id: ID, normalized: NormalizedCustomer) {
        insert(id, prepared: PreparedCustomer(normalized))
    }

    /// Adds or replaces `id` with a customer prepared already (normalised, packed, keyed).
    public mutating func insert(_ id: ID, prepared: PreparedCustomer) {
        add(id, packed: prepared.packed, keys: prepared.keys)
    }

    /// Adds many entries at once (a replay, a snapshot): customers are normalised on every core, a batch at a time,
    /// then indexed in order as `insert` would one by one.
    public mutating func insert(contentsOf registrations: [(id: ID, customer: Customer)]) {
        let batch = 1 << 15
        let chunk = 1024
        // Each iteration writes only its own positions, so the buffer is shared safely.
        nonisolated(unsafe) let prepared = UnsafeMutableBufferPointer<(PackedCustomer, Set<UInt64>)?>.allocate(
            capacity: batch)
        prepared.initialize(repeating: nil)
        defer { prepared.deallocate() }
        for first in stride(from: 0, to: registrations.count, by: batch) {
            let count = min(batch, registrations.count - first)
            DispatchQueue.concurrentPerform(iterations: (count + chunk - 1) / chunk) { part in
                for offset in (part * chunk)..<min(count, (part + 1) * chunk) {
                    let normalized = NormalizedCustomer(registrations[first + offset].customer)
                    prepared[offset] = (PackedCustomer(normalized), BlockingKeys.keys(of: normalized))
                }
            }
            for offset in 0..<count {
                let (packed, keys) = prepared[offset]!
                prepared[offset] = nil
                add(registrations[first + offset].id, packed: packed, keys: keys)
            }
        }
    }

    private mutating func add(_ id: ID, packed: PackedCustomer, keys: Set<UInt64>) {
        remove(id)
        let slot = UInt32(ids.count)
        ids.append(id)
        customers.append(packed)
        alive.append(true)
        slotOf[id] = slot
        for key in keys {
            recent[key, default: []].append(slot)
            recentPostings += 1
        }
        if recentPostings > max(1 << 16, baseSlots.count / 4) { merge() }
    }

    public mutating func remove(_ id: ID) {
        guard let slot = slotOf.removeValue(forKey: id) else { return }
        alive[Int(slot)] = false
        customers[Int(slot)] = PackedCustomer.empty
        deadSlots += 1
    }

    /// Folds the recent postings into the sorted base, dropping removed registrations.
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
        for key in prepared.keys {
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
            let (score, reasons) = scorer.score(query, against: customers[Int(slot)])
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
