/// The id a booking system gives an order: unique per booking system, so a retried booking carries the same one
/// and counts once. A value; `Sendable`.
public struct OrderID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The id enforcement gives a violation, and the case it opens, e.g. `V-00000042`. A value; `Sendable`.
public struct ViolationID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id of the `number`th violation.
    public init(number: Int64) { rawValue = "V-" + EnforcementNumbering.padded(number) }

    /// The number in the id; nil for an id enforcement did not give.
    public var number: Int64? { EnforcementNumbering.number(rawValue, prefix: "V-") }
}

/// The id enforcement gives a sanction, e.g. `S-00000007`. A value; `Sendable`.
public struct SanctionID: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id of the `number`th sanction.
    public init(number: Int64) { rawValue = "S-" + EnforcementNumbering.padded(number) }

    /// The number in the id; nil for an id enforcement did not give.
    public var number: Int64? { EnforcementNumbering.number(rawValue, prefix: "S-") }
}

/// How enforcement writes the numbers of its ids: eight digits at least, zero-padded.
enum EnforcementNumbering {
    static func padded(_ number: Int64) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func number(_ id: String, prefix: String) -> Int64? {
        guard id.hasPrefix(prefix) else { return nil }
        return Int64(id.dropFirst(prefix.count))
    }
}

extension Booking {
    /// The booking's order id, typed.
    public var id: OrderID { OrderID(orderID) }
}
