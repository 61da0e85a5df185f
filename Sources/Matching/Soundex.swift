/// American Soundex of a folded token ("struck" and "sturck" are both S362): a typo-tolerant blocking key.
public enum Soundex {
    public static func code(_ token: String) -> String {
        var result: [UInt8] = []
        var last: UInt8 = 0
        for byte in token.utf8 {
            let letter = byte | 0x20
            guard letter >= UInt8(ascii: "a"), letter <= UInt8(ascii: "z") else { continue }
            let digit = Self.digits[Int(letter - UInt8(ascii: "a"))]
            if result.isEmpty {
                result.append(letter - 32)
                last = digit
                continue
            }
            // h and w do not separate equal codes; vowels do.
            if digit == UInt8(ascii: "0") {
                if letter != UInt8(ascii: "h") && letter != UInt8(ascii: "w") { last = 0 }
                continue
            }
            if digit != last { result.append(digit) }
            last = digit
            if result.count == 4 { break }
        }
        guard !result.isEmpty else { return "" }
        while result.count < 4 { result.append(UInt8(ascii: "0")) }
        return String(decoding: result, as: UTF8.self)
    }

    // a b c d e f g h i j k l m n o p q r s t u v w x y z
    private static let digits = Array("01230120022455012623010202".utf8)
}
