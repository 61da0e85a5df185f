/// The id of a principal of the program (partner, seller, service...). A value; `Sendable`.
public struct PartyID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit, 1 to 64 characters.
    public var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, Self.isAlphanumeric(first) else { return false }
        return bytes.allSatisfy {
            Self.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// The id the registry gives a registration, e.g. `DR-00000042`. A value; `Sendable`.
public struct RegistrationID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id of the `number`th registration.
    public init(number: Int64) {
        let digits = String(number)
        rawValue = "DR-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

/// The id the registry gives an account (one customer of the vendor, whatever its spellings), e.g. `AC-00000007`.
/// A value; `Sendable`.
public struct AccountID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id of the `number`th account.
    public init(number: Int64) {
        let digits = String(number)
        rawValue = "AC-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Its number: the digits after `AC-`; nil when it is not an account id.
    public var number: Int64? {
        guard rawValue.hasPrefix("AC-"), rawValue.count == 11 else { return nil }
        return Int64(rawValue.dropFirst(3))
    }
}
