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

/// Text and bytes convert into each other (as in GRDB): a column an insider rewrote with the other storage class is
/// read, and found out by the audit, instead of stopping the service.
extension String: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .text(let value): self = value
        case .blob(let value): self = String(decoding: value, as: UTF8.self)
        default: return nil
        }
    }
}

extension Array: SQLValueConvertible where Element == UInt8 {
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .blob(let value): self = value
        case .text(let value): self = Array(value.utf8)
        default: return nil
        }
    }
}

extension Data: SQLValueConvertible {
    public init?(sqlValue: SQLValue) {
        guard let bytes = [UInt8](sqlValue: sqlValue) else { return nil }
        self = Data(bytes)
    }
}
