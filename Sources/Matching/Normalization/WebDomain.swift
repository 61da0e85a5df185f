/// Reduces a web address or e-mail address to its registrable domain ("https://shop.example.co.uk/x" →
/// "example.co.uk"); pure functions on values, safe from any thread.
public enum WebDomain {
    /// Lower-cases and strips the scheme, user information, port, path, query, fragment, trailing dot and every
    /// subdomain, keeping the label before the public suffix (an embedded subset of the Public Suffix List with
    /// "co.uk", "com.au", "co.jp" and their kin), the domain of an e-mail address, and internationalised names in
    /// lower-cased Unicode; "" for empty or invalid input, a bare public suffix, a single label or an IP address.
    public static func registrable(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            if let domain = text.utf8.withContiguousStorageIfAvailable({ registrable(host($0)) }) { return domain }
            return Array(text.utf8).withUnsafeBufferPointer { registrable(host($0)) }
        }
        // Rare: internationalised names, whose ideographic and full-width full stops also separate labels.
        var lowered = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            lowered.append(scalar == "\u{3002}" || scalar == "\u{FF0E}" ? "." : scalar)
        }
        let bytes = Array(String(lowered).utf8)
        return bytes.withUnsafeBufferPointer { registrable(host($0)) }
    }

    /// The host part of an address, as a slice of its UTF-8 bytes.
    private static func host(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        if let scheme = firstIndex(of: [0x3A, 0x2F, 0x2F], in: bytes, from: start, to: end) {  // "://"
            start = scheme + 3
        } else if end - start >= 7, lowercase(bytes[start..<(start + 7)]) == Array("mailto:".utf8) {
            start += 7
        }
        while start < end && bytes[start] == UInt8(ascii: "/") { start += 1 }
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
                || byte == UInt8(ascii: "\\")
            {
                end = index
                break
            }
            index += 1
        }
        if let at = (start..<end).last(where: { bytes[$0] == UInt8(ascii: "@") }) { start = at + 1 }
        if start < end && bytes[start] == UInt8(ascii: "[") { return [] }  // an IPv6 literal
        if let colon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ":") }) { end = colon }
        return lowercase(bytes[start..<end])
    }

    private static func registrable(_ host: [UInt8]) -> String {
        var labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        // A trailing dot is the DNS root: "example.com." is "example.com".
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard labels.count >= 2, labels.allSatisfy(isValid), !labels.allSatisfy(isNumeric) else { return "" }
        let end = labels[labels.count - 1].endIndex
        let lastTwo = String(decoding: host[labels[labels.count - 2].startIndex..<end], as: UTF8.self)
        guard multiLabelSuffixes.contains(lastTwo) else { return lastTwo }
        guard labels.count >= 3 else { return "" }
        return String(decoding: host[labels[labels.count - 3].startIndex..<end], as: UTF8.self)
    }

    private static func isValid(_ label: ArraySlice<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-")
        else { return false }
        if label.allSatisfy({ $0 < 0x80 }) {
            return label.allSatisfy { isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == 0x5F }
        }
        return String(decoding: label, as: UTF8.self).unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                return isLowercaseLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "-") || byte == 0x5F
            }
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
                || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
        }
    }

    private static func isNumeric(_ label: ArraySlice<UInt8>) -> Bool { label.allSatisfy(isDigit) }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func lowercase(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8] {
        bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
    }

    private static func firstIndex(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
        -> Int?
    {
        guard to - from >= needle.count else { return nil }
        for index in from...(to - needle.count) where bytes[index] == needle[0] {
            if (1..<needle.count).allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
        }
        return nil
    }

    /// Second-level public suffixes under which companies register, from the Public Suffix List.
    private static let multiLabelSuffixes: Set<String> = [
        // United Kingdom.
        "co.uk", "org.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "sch.uk", "nhs.uk",
        "police.uk", "mod.uk",
        // Australia, New Zealand.
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au", "co.nz", "org.nz", "net.nz", "ac.nz",
        "govt.nz", "school.nz", "gen.nz",
        // Asia.
        "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "gr.jp", "ed.jp", "ad.jp", "lg.jp", "com.cn", "net.cn",
        "org.cn", "gov.cn", "edu.cn", "ac.cn", "com.hk", "org.hk", "net.hk", "gov.hk", "edu.hk", "com.sg",
        "org.sg", "net.sg", "gov.sg", "edu.sg", "com.my", "org.my", "net.my", "gov.my", "edu.my", "co.in",
        "net.in", "org.in", "firm.in", "gen.in", "ind.in", "ac.in", "gov.in", "edu.in", "co.id", "or.id",
        "ac.id", "go.id", "web.id", "net.id", "co.kr", "or.kr", "ac.kr", "go.kr", "ne.kr", "com.tw", "org.tw",
        "net.tw", "gov.tw", "edu.tw", "co.th", "or.th", "ac.th", "go.th", "in.th", "com.vn", "net.vn", "org.vn",
        "gov.vn", "edu.vn", "com.ph", "org.ph", "net.ph", "gov.ph", "com.pk", "org.pk", "net.pk", "gov.pk",
        "com.bd", "com.lk", "com.np",
        // Middle East, Africa.
        "co.il", "org.il", "ac.il", "gov.il", "net.il", "com.tr", "org.tr", "net.tr", "gov.tr", "edu.tr",
        "gen.tr", "co.za", "org.za", "gov.za", "ac.za", "net.za", "web.za", "com.ng", "org.ng", "gov.ng",
        "com.eg", "gov.eg", "com.sa", "gov.sa", "co.ae", "gov.ae", "com.qa", "com.kw", "com.om", "com.lb",
        "com.jo", "co.ke", "or.ke", "co.tz", "co.ug", "com.gh",
        // Americas.
        "com.br", "net.br", "org.br", "gov.br", "edu.br", "ind.br", "eng.br", "com.mx", "org.mx", "gob.mx",
        "edu.mx", "net.mx", "com.ar", "org.ar", "gob.ar", "net.ar", "edu.ar", "com.co", "net.co", "org.co",
        "com.pe", "com.ve", "com.ec", "com.uy", "com.py", "com.bo",
        // Europe.
        "com.pl", "net.pl", "org.pl", "gov.pl", "edu.pl", "com.es", "org.es", "nom.es", "gob.es", "edu.es",
        "gouv.fr", "asso.fr", "com.fr", "nom.fr", "com.pt", "org.pt", "gov.pt", "edu.pt", "co.at", "or.at",
        "gv.at", "ac.at", "com.ua", "net.ua", "org.ua", "gov.ua", "com.gr", "gov.gr", "com.cy", "com.mt",
        "co.hu",
    ]
}

extension WebDomain {
    /// Whether a registrable domain is a mail provider's or a shared host's, which many unrelated customers give.
    /// Filled in from the shipped lists by the domain-list work of issue 17.
    public static func isShared(_ registrableDomain: String) -> Bool {
        ["gmail.com", "orange.fr", "wanadoo.fr", "hotmail.com", "outlook.com", "yahoo.com"].contains(registrableDomain)
    }
}
