extension String {
    /// The character references that make text safe inside an HTML or SVG element or a quoted attribute (the ones
    /// XML knows too, so that the page also reads as XML).
    private static let htmlReferences: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
    ]

    /// The text with `&`, `<`, `>`, `"` and `'` written as character references.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            if let reference = Self.htmlReferences[character] {
                escaped += reference
            } else {
                escaped.append(character)
            }
        }
        return escaped
    }
}
