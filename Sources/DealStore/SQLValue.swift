import Foundation

/// One value bound to a statement or read from a row, in the four storage classes both engines share (a boolean is
/// read as an integer, 0 or 1). A value; `Sendable`.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// An integer of any width; one that does not fit 64 signed bits is a programming error.
    public static func int(_ value: some BinaryInteger) -> SQLValue { .integer(Int64(value)) }

    /// Bytes held in a `Data`.
    public static func bytes(_ data: Data) -> SQLValue { .blob([UInt8](data)) }

    /// `value`, or NULL when nil.
    public static func optional(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// A Swift type a column's value converts to: `row["seq"] as Int64`. Thread-safe (values only).
public protocol SQLValueConvertible {
    /// The value as this type; nil when it is NULL or of another storage class.
    init?(sqlValue: SQLValue)
}

extension Int64: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Int: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = Int(value)
    }
}

extension Bool: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard case .integer(let value) = sqlValue else { return nil }
        self = value != 0
    }
}

extension Double: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

extension String: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard case .text(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Array: SQLValueConvertible where Element == UInt8 {
    public init?(sqlValue: SQLValue) {
        guard case .blob(let value) = sqlValue else { return nil }
        self = value
    }
}

extension Data: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard case .blob(let value) = sqlValue else { return nil }
        self = Data(value)
    }
}
