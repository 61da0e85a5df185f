import DealModel

/// A normalised customer packed into one byte buffer: what the index keeps per spelling and what the scorer
/// compares. Fields are UTF-8, tokens separated by one space; set-like fields are sorted, but for the first house
/// number, which leads. A value; `Sendable`.
public struct PackedCustomer: Sendable, Hashable {
    /// The packed fields, in this order.
    public enum Field: Int, CaseIterable, Sendable {
        case name, joinedName, generic, nameNumbers, streetNumbers, street, postal, city, region, domain, tax, country
        case script, initials, acronyms, legalForms
    }

    /// The end offsets of the fields (two bytes each, little-endian) and then the fields: one allocation per
    /// customer, as the index holds a million of them.
    let bytes: [UInt8]
    static let header = Field.allCases.count * 2

    public init(_ customer: NormalizedCustomer) {
        var bytes = [UInt8](repeating: 0, count: Self.header)
        var field = 0
        func add(_ tokens: [String]) {
            let start = bytes.count
            for (index, token) in tokens.enumerated() where bytes.count - start < 1024 {
                if index > 0 { bytes.append(0x20) }
                bytes.append(contentsOf: token.utf8.prefix(255))
            }
            let end = UInt16(bytes.count - Self.header)
            bytes[field * 2] = UInt8(end & 0xFF)
            bytes[field * 2 + 1] = UInt8(end >> 8)
            field += 1
        }
        add(customer.coreTokens)
        add([customer.joinedName])
        add(Array(Set(customer.genericTokens)).sorted())
        add(Array(Set(customer.nameNumbers)).sorted())
        // The first house number leads, as the blocking keys use it; the others follow sorted.
        let numbers = customer.streetNumbers
        add(numbers.first.map { [$0] + Set(numbers.dropFirst()).subtracting([$0]).sorted() } ?? [])
        add(customer.streetTokens)
        add([customer.postalCode])
        add([customer.city])
        add([customer.region])
        add([customer.registrableDomain])
        add([customer.taxID])
        add([customer.country])
        add([customer.script])
        // The initials of the words only: an acronym ending in the legal form's letter ("HSBC") is checked
        // against `legalForms`. A million customers are packed: each byte counts.
        add(customer.initials.prefix(1).map { $0 })
        add(customer.acronyms)
        add(customer.legalForms.isEmpty ? [] : [Self.code(customer.legalForms)])
        // Appending grew the buffer by doubling; a million customers are kept in buffers of their exact size.
        self.bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    /// One printable byte that differs, but for one chance in 94, between two lists of legal forms: all that
    /// comparing them needs ("AG" and "GmbH", two legal entities), and the first letter of the first.
    static func code(_ forms: [String]) -> String {
        var hash = FNV1a()
        hash.combine(forms.joined(separator: "+").utf8)
        let letter = forms.first?.first.map(String.init) ?? ""
        return letter + String(UnicodeScalar(UInt8(0x21 + hash.value % 94)))
    }

    /// Whether two packings are one spelling of a customer, whatever their legal forms: an account keeps one
    /// spelling for "Acme Pty Ltd" and "Acme Ltd".
    func isSameSpelling(as other: PackedCustomer) -> Bool {
        let end = range(.legalForms).lowerBound
        let otherEnd = other.range(.legalForms).lowerBound
        let offsets = Self.header - 2
        return end == otherEnd && bytes[..<offsets] == other.bytes[..<offsets]
            && bytes[Self.header..<end] == other.bytes[Self.header..<otherEnd]
    }

    @inline(__always)
    func end(_ index: Int) -> Int { Self.header + (Int(bytes[index * 2]) | Int(bytes[index * 2 + 1]) << 8) }

    @inline(__always)
    func range(_ field: Field) -> Range<Int> {
        (field.rawValue == 0 ? Self.header : end(field.rawValue - 1))..<end(field.rawValue)
    }

    public func isEmpty(_ field: Field) -> Bool { range(field).isEmpty }

    /// The text of `field`.
    func text(_ field: Field) -> String { String(decoding: bytes[range(field)], as: UTF8.self) }

    /// The space-separated tokens of `field`.
    func tokens(_ field: Field) -> [String] {
        bytes[range(field)].split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension PackedCustomer {
    /// A packing read back from a snapshot: nil unless its field ends rise within the buffer, so that a damaged
    /// file cannot make a field's range reach past it.
    init?(packed bytes: [UInt8]) {
        guard bytes.count >= Self.header, bytes.count - Self.header <= Int(UInt16.max) else { return nil }
        var previous = 0
        for field in 0..<Field.allCases.count {
            let end = Int(bytes[field * 2]) | Int(bytes[field * 2 + 1]) << 8
            guard end >= previous, Self.header + end <= bytes.count else { return nil }
            previous = end
        }
        guard Self.header + previous == bytes.count else { return nil }
        self.bytes = bytes
    }

    /// What a removed registration's slot keeps: nothing.
    static let empty = PackedCustomer(NormalizedCustomer(Customer(legalName: "", country: "")))
}
