/// Reduces a web address or e-mail address to its registrable domain ("https://shop.example.co.uk/x" →
/// "example.co.uk"); pure functions on values, safe from any thread.
public enum WebDomain {
    /// Lower-cases and strips the scheme, user information, port, path, query, fragment, trailing dot and every
    /// subdomain, keeping the label before the public suffix (by the Public Suffix List, ICANN and private sections:
    /// "example.co.uk", "acme.myshopify.com"), the domain of an e-mail address, and internationalised names in
    /// lower-cased Unicode, punycode labels decoded ("xn--bcher-kva.de" is "bücher.de"); "" for empty or invalid input, a bare public suffix, a single
    /// label or an IP address.
    public static func registrable(_ text: String) -> String {
        var text = text
        if !text.withUTF8({ $0.allSatisfy { $0 < 0x80 } }) { text = foldedInternationalName(text) }
        return text.withUTF8 { bytes in
            var host = hostRange(bytes)
            // A trailing dot is the DNS root: "example.com." is "example.com".
            if host.count > 1, bytes[host.upperBound - 1] == UInt8(ascii: ".") { host = host.dropLast() }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: host.count) { buffer in
                for (offset, byte) in bytes[host].enumerated() { buffer[offset] = lowercase(byte) }
                return Punycode.unicodeDomain(registrable(host: UnsafeBufferPointer(buffer)))
            }
        }
    }

    /// Whether customers that have nothing to do with each other share a registrable domain (see `registrable`):
    /// free and ISP mailboxes of many countries ("gmail.com", "web.de", "orange.fr", "hotmail.com.ar"), site builders
    /// and blog hosts that give customers a subdomain or a path ("wordpress.com", "jimdofree.com"), and profile pages
    /// ("facebook.com", "linkedin.com"). A platform whose customers' subdomains the Public Suffix List separates is
    /// not shared: "acme.myshopify.com" is the registrable domain of one shop.
    public static func isShared(_ registrableDomain: String) -> Bool {
        if sharedDomains.contains(registrableDomain) { return true }
        guard let dot = registrableDomain.firstIndex(of: ".") else { return false }
        return sharedBrands.contains(registrableDomain[..<dot])
    }

    /// Lower-cased, with the ideographic and full-width full stops that also separate labels turned into dots.
    private static func foldedInternationalName(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            folded.append(scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}" ? "." : scalar)
        }
        return String(folded)
    }

    /// Where the host of an address lies among its UTF-8 bytes.
    private static func hostRange(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end && isSpace(bytes[start]) { start += 1 }
        while end > start && isSpace(bytes[end - 1]) { end -= 1 }
        if let scheme = (start..<max(start, end - 2)).first(where: {
            bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: "/") && bytes[$0 + 2] == UInt8(ascii: "/")
        }) {
            start = scheme + 3
        } else if end - start >= 7, lowercase(bytes[start]) == UInt8(ascii: "m"),
            zip(bytes[start...], "mailto:".utf8).allSatisfy({ lowercase($0) == $1 })
        {
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
        if start < end && bytes[start] == UInt8(ascii: "[") { return start..<start }  // an IPv6 literal
        if let colon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ":") }) { end = colon }
        return start..<end
    }

    /// The registrable domain of a lower-cased host: its public suffix and the label before.
    private static func registrable(host: UnsafeBufferPointer<UInt8>) -> String {
        guard hasValidLabels(host) else { return "" }
        let suffixLabels = PublicSuffixList.standard.publicSuffixLabelCount(host)
        var start = host.count
        for label in 0...suffixLabels {
            if label > 0 {
                guard start > 0 else { return "" }  // the host is a public suffix
                start -= 1
            }
            while start > 0, host[start - 1] != UInt8(ascii: ".") { start -= 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: host[start...]), as: UTF8.self)
    }

    /// Two labels or more, each valid, not all numeric (an IPv4 address).
    private static func hasValidLabels(_ host: UnsafeBufferPointer<UInt8>) -> Bool {
        var labels = 0
        var allNumeric = true
        var start = 0
        while start <= host.count {
            let end = host[start...].firstIndex(of: UInt8(ascii: ".")) ?? host.count
            let label = UnsafeBufferPointer(rebasing: host[start..<end])
            guard isValid(label) else { return false }
            labels += 1
            if allNumeric && !label.allSatisfy(isDigit) { allNumeric = false }
            start = end + 1
        }
        return labels >= 2 && !allNumeric
    }

    private static func isValid(_ label: UnsafeBufferPointer<UInt8>) -> Bool {
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

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static let sharedDomains: Set<String> = Set(
        sharedDomainText.split(separator: "\n").lazy.filter { !$0.hasSuffix(".*") }.map(String.init))
    /// The names of "NAME.*" lines: "hotmail" for hotmail.com, hotmail.fr, hotmail.com.ar.
    private static let sharedBrands: Set<Substring> = Set(
        sharedDomainText.split(separator: "\n").lazy.filter { $0.hasSuffix(".*") }.map { $0.dropLast(2) })
}
