import CLibPQ

/// A statement prepared on one libpq connection: its server-side name, the caller's `?` text and its `$n` form, the
/// parameter types the server inferred and the columns it returns. Immutable; not shared between connections.
struct PostgresStatement {
    let name: String
    /// The text the caller wrote, for errors.
    let sql: String
    let numbered: String
    let parameterTypes: [Oid]
    let columns: SQLColumns
    let columnTypes: [Oid]

    /// Whether a server-side cursor can stream it: `DECLARE` takes a SELECT, VALUES or TABLE (a `WITH` that changes
    /// data must be run with `execute`).
    var isQuery: Bool {
        let keyword = sql.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "VALUES", "TABLE", "WITH"].contains(keyword)
    }

    /// The first column whose type the codec cannot read, if any.
    var unreadableColumn: (name: String, type: Oid)? {
        columnTypes.firstIndex { !PostgresValueCodec.isReadable($0) }.map { (columns.names[$0], columnTypes[$0]) }
    }

    /// `sql` with each `?` outside string literals, quoted identifiers and comments replaced by `$1`, `$2`, …
    static func numbering(_ sql: String) -> String {
        let bytes = Array(sql.utf8)
        var numbered: [UInt8] = []
        numbered.reserveCapacity(bytes.count + 16)
        var count = 0
        var index = 0
        // The byte that ends what `index` is inside: a quote, a newline (a `--` comment), `*` (a `/*` comment).
        var closing: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch (closing, byte) {
            case (UInt8(ascii: "*"), UInt8(ascii: "*")) where next == UInt8(ascii: "/"):
                numbered += [byte, next]
                index += 2
                closing = nil
                continue
            case (.some(let end), _):
                if byte == end && end != UInt8(ascii: "*") { closing = nil }
            case (nil, UInt8(ascii: "'")), (nil, UInt8(ascii: "\"")):
                closing = byte
            case (nil, UInt8(ascii: "-")) where next == UInt8(ascii: "-"):
                closing = UInt8(ascii: "\n")
            case (nil, UInt8(ascii: "/")) where next == UInt8(ascii: "*"):
                numbered += [byte, next]
                index += 2
                closing = UInt8(ascii: "*")
                continue
            case (nil, UInt8(ascii: "?")):
                count += 1
                numbered += Array("$\(count)".utf8)
                index += 1
                continue
            default:
                break
            }
            numbered.append(byte)
            index += 1
        }
        return String(decoding: numbered, as: UTF8.self)
    }
}
