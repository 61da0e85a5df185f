import DealModel

/// Why a snapshot of an index could not be read: the reader starts from nothing instead. A value; `Sendable`.
public struct IndexSnapshotError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The index as bytes and back, exactly as it is (slots, postings both sorted and recent, aliases): an index read
/// back answers every lookup as the one written did, so a worker started from a snapshot decides as one that
/// replayed the whole log. Stamped with `MatcherFingerprint`: a snapshot written by a matcher that normalises
/// differently is refused rather than mixed with this one's entries.
extension CustomerIndex where ID: RawRepresentable, ID.RawValue == String {
    private static var magic: UInt32 { 0x5849_5244 }  // "DRIX"
    private static var trailer: UInt32 { 0x4452_4958 }
    private static var format: UInt32 { 1 }

    /// Writes the snapshot through `write`, in pieces of about a megabyte.
    public func encodeSnapshot(_ write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try withoutActuallyEscaping(write) { write in try encode(into: SnapshotBytes(flush: write)) }
    }

    private func encode(into sink: SnapshotBytes) throws {
        var out = sink
        try out.put(Self.magic)
        try out.put(Self.format)
        try out.put(MatcherFingerprint.value)
        try out.put(UInt64(ids.count))
        for slot in ids.indices {
            try out.put(Array(ids[slot].rawValue.utf8))
            try out.put(UInt8(alive[slot] ? 1 : 0))
            try out.put(customers[slot].bytes)
        }
        try out.put(baseKeys)
        try out.put(baseStarts)
        try out.put(baseSlots)
        try out.put(UInt64(recent.count))
        for key in recent.keys.sorted() {
            try out.put(key)
            try out.put(recent[key]!)
        }
        try out.put(UInt64(recentPostings))
        try out.put(UInt64(deadSlots))
        try out.put(UInt64(aliases.count))
        for slot in aliases.keys.sorted() {
            let entry = aliases[slot]!
            try out.put(slot)
            try out.put(UInt64(entry.spellings.count))
            for spelling in entry.spellings { try out.put(spelling.bytes) }
            try out.put(entry.keys.sorted())
        }
        try out.put(Self.trailer)
        try out.finish()
    }

    /// The index `bytes` hold, checked throughout: every slot a posting names exists, every packing is whole, no two
    /// live slots share an id.
    public init(snapshot bytes: UnsafeRawBufferPointer) throws(IndexSnapshotError) {
        self.init()
        var input = SnapshotReader(bytes)
        guard try input.read(UInt32.self) == Self.magic else { throw IndexSnapshotError(description: "not a snapshot") }
        let format = try input.read(UInt32.self)
        guard format == Self.format else {
            throw IndexSnapshotError(description: "snapshot format \(format), this release reads \(Self.format)")
        }
        guard try input.read(UInt64.self) == MatcherFingerprint.value else {
            throw IndexSnapshotError(description: "written by a matcher that normalises differently")
        }
        // A slot takes at least its id's count, its flag and a whole packing.
        let slotCount = try input.count(atMost: Int(UInt32.max), each: 17 + PackedCustomer.header)
        ids.reserveCapacity(slotCount)
        customers.reserveCapacity(slotCount)
        alive.reserveCapacity(slotCount)
        slotOf.reserveCapacity(slotCount)
        for slot in 0..<slotCount {
            let id = ID(rawValue: String(decoding: try input.array(of: UInt8.self), as: UTF8.self))
            guard let id else { throw IndexSnapshotError(description: "slot \(slot): not an id") }
            let isAlive = try input.read(UInt8.self) == 1
            guard let packed = PackedCustomer(packed: try input.array(of: UInt8.self)) else {
                throw IndexSnapshotError(description: "slot \(slot): a damaged customer")
            }
            ids.append(id)
            alive.append(isAlive)
            customers.append(isAlive ? packed : PackedCustomer.empty)
            if isAlive {
                guard slotOf.updateValue(UInt32(slot), forKey: id) == nil else {
                    throw IndexSnapshotError(description: "slot \(slot): \(id.rawValue) is live twice")
                }
            }
        }
        baseKeys = try input.array(of: UInt64.self)
        baseStarts = try input.array(of: UInt32.self)
        baseSlots = try input.array(of: UInt32.self)
        guard baseStarts.count == baseKeys.count + 1, baseStarts.first == 0,
            baseStarts.last.map(Int.init) == baseSlots.count, zip(baseStarts, baseStarts.dropFirst()).allSatisfy(<=),
            zip(baseKeys, baseKeys.dropFirst()).allSatisfy(<), baseSlots.allSatisfy({ Int($0) < slotCount })
        else { throw IndexSnapshotError(description: "damaged postings") }
        for _ in 0..<(try input.count(atMost: Int(UInt32.max), each: 16)) {
            let key = try input.read(UInt64.self)
            let slots = try input.array(of: UInt32.self)
            guard slots.allSatisfy({ Int($0) < slotCount }) else {
                throw IndexSnapshotError(description: "damaged recent postings")
            }
            recent[key] = slots
        }
        recentPostings = Int(truncatingIfNeeded: try input.read(UInt64.self))
        deadSlots = Int(truncatingIfNeeded: try input.read(UInt64.self))
        guard recentPostings == recent.values.reduce(0, { $0 + $1.count }), (0...slotCount).contains(deadSlots) else {
            throw IndexSnapshotError(description: "damaged counts")
        }
        for _ in 0..<(try input.count(atMost: Int(UInt32.max), each: 20)) {
            let slot = try input.read(UInt32.self)
            var spellings: [PackedCustomer] = []
            for _ in 0..<(try input.count(atMost: Self.maximumSpellings, each: 8 + PackedCustomer.header)) {
                guard let packed = PackedCustomer(packed: try input.array(of: UInt8.self)) else {
                    throw IndexSnapshotError(description: "slot \(slot): a damaged spelling")
                }
                spellings.append(packed)
            }
            guard Int(slot) < slotCount else { throw IndexSnapshotError(description: "an alias of no slot") }
            aliases[slot] = Aliases(spellings: spellings, keys: Set(try input.array(of: UInt64.self)))
        }
        guard try input.read(UInt32.self) == Self.trailer, input.isAtEnd else {
            throw IndexSnapshotError(description: "the snapshot does not end where it should")
        }
    }
}

/// A buffer that writes fixed-width little-endian values and counted arrays, handing itself to `flush` whenever
/// it holds a megabyte. Not thread-safe: local to one encoding.
private struct SnapshotBytes {
    private var buffer: [UInt8] = []
    private let flush: (UnsafeRawBufferPointer) throws -> Void

    init(flush: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.flush = flush
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    mutating func put<T: FixedWidthInteger>(_ value: T) throws {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 20 { try drain() }
    }

    /// A count, then the elements as they lie in memory (this machine is little-endian, as the reader checks).
    mutating func put<T: FixedWidthInteger>(_ values: [T]) throws {
        try put(UInt64(values.count))
        try values.withUnsafeBytes { raw in
            var start = 0
            while start < raw.count {
                let end = min(raw.count, start + (1 << 20))
                buffer.append(contentsOf: raw[start..<end])
                start = end
                if buffer.count >= 1 << 20 { try drain() }
            }
        }
    }

    mutating func finish() throws { try drain() }

    private mutating func drain() throws {
        try buffer.withUnsafeBytes { raw in try flush(raw) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads what `SnapshotBytes` wrote, every read bounds-checked. Not thread-safe: local to one decoding.
private struct SnapshotReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(IndexSnapshotError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - offset >= size else { throw IndexSnapshotError(description: "the snapshot is cut short") }
        defer { offset += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// A count written as a `UInt64`, refused above `limit`, or when that many items of at least `each` bytes
    /// would not fit in what is left: a damaged count never makes the reader reserve more than the file holds.
    mutating func count(atMost limit: Int, each: Int = 1) throws(IndexSnapshotError) -> Int {
        let value = try read(UInt64.self)
        guard value <= UInt64(min(limit, (bytes.count - offset) / max(1, each))) else {
            throw IndexSnapshotError(description: "an impossible count \(value)")
        }
        return Int(value)
    }

    mutating func array<T: FixedWidthInteger>(of _: T.Type) throws(IndexSnapshotError) -> [T] {
        guard 1.littleEndian == 1 else { throw IndexSnapshotError(description: "a big-endian machine") }
        let count = try count(atMost: (bytes.count - offset) / MemoryLayout<T>.stride)
        let size = count * MemoryLayout<T>.stride
        defer { offset += size }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)]))
            initialized = count
        }
    }
}
