/// An amount in integer minor units of an ISO 4217 currency; never floating point. A value; `Sendable`.
public struct Money: Sendable, Hashable, Codable {
    public var minorUnits: Int64
    /// ISO 4217 alphabetic code, upper case.
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a decimal amount such as `125000.00` or `1250` in `currency`; nil when the text is not a
    /// non-negative decimal, has more fraction digits than the currency, or would overflow.
    public init?(decimal text: String, currency: String) {
        guard let exponent = ISOCodes.minorUnitDigits(currency: currency) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigitCharacter) else {
            return nil
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= exponent, fraction.allSatisfy(\.isASCIIDigitCharacter),
            parts.count == 1 || !fraction.isEmpty
        else { return nil }
        let padded = String(fraction) + String(repeating: "0", count: exponent - fraction.count)
        guard let whole = Int64(parts[0]), let minor = Int64(padded.isEmpty ? "0" : padded) else { return nil }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow, case let (total, overflow2) = scaled.addingReportingOverflow(minor), !overflow2 else {
            return nil
        }
        self.init(minorUnits: total, currency: currency)
    }

    /// The amount as decimal text in its currency's minor-unit digits, e.g. `125000.00`.
    public var decimalText: String {
        let exponent = ISOCodes.minorUnitDigits(currency: currency) ?? 2
        guard exponent > 0 else { return String(minorUnits) }
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let fraction = String(magnitude % UInt64(scale))
        return sign + String(magnitude / UInt64(scale)) + "."
            + String(repeating: "0", count: exponent - fraction.count) + fraction
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
