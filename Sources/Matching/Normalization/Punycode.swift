/// Decodes the punycode labels of internationalised domain names (RFC 3492), so "xn--bcher-kva.de" and
/// "bücher.de" are one domain; pure functions, safe from any thread.
public enum Punycode {
    /// A domain with each "xn--" label decoded to lower-cased Unicode; labels that do not decode stay as written.
    public static func unicodeDomain(_ domain: String) -> String {
        guard hasPunycodeLabel(domain) else { return domain }
        return domain.split(separator: ".", omittingEmptySubsequences: false).map { label in
            guard label.hasPrefix("xn--"), let decoded = decode(label.dropFirst(4)) else { return String(label) }
            return decoded.lowercased()
        }.joined(separator: ".")
    }

    /// Whether a label of `domain` starts "xn--", looked for on bytes: this runs for every customer normalised.
    static func hasPunycodeLabel(_ domain: String) -> Bool {
        let bytes = domain.utf8
        var index = bytes.startIndex
        var atLabelStart = true
        while index != bytes.endIndex {
            if atLabelStart && bytes[index...].starts(with: "xn--".utf8) { return true }
            atLabelStart = bytes[index] == UInt8(ascii: ".")
            index = bytes.index(after: index)
        }
        return false
    }

    /// The Unicode text of a punycode label without its "xn--" prefix; nil if it is not valid punycode.
    public static func decode(_ encoded: Substring) -> String? {
        let base = 36
        let (tMin, tMax, skew, damp) = (1, 26, 38, 700)
        var output: [Unicode.Scalar] = []
        var input = Array(encoded.unicodeScalars)
        if let delimiter = input.lastIndex(of: "-") {
            for scalar in input[..<delimiter] {
                guard scalar.isASCII else { return nil }
                output.append(scalar)
            }
            input = Array(input[(delimiter + 1)...])
        }
        var n = 128
        var i = 0
        var bias = 72
        var position = 0
        while position < input.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < input.count, let digit = digitValue(input[position]) else { return nil }
                position += 1
                let (product, overflow) = digit.multipliedReportingOverflow(by: w)
                guard !overflow, i <= Int(Int32.max) - product else { return nil }
                i += product
                let t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias
                if digit < t { break }
                guard w <= Int(Int32.max) / (base - t) else { return nil }
                w *= base - t
                k += base
            }
            // Adapts the bias (RFC 3492, 6.1).
            var delta = oldI == 0 ? (i - oldI) / damp : (i - oldI) / 2
            delta += delta / (output.count + 1)
            var divisions = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                divisions += base
            }
            bias = divisions + (base - tMin + 1) * delta / (delta + skew)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: output)
        return String(text)
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value) - 0x30 + 26
        case 0x41...0x5A: Int(scalar.value) - 0x41
        case 0x61...0x7A: Int(scalar.value) - 0x61
        default: nil
        }
    }
}
