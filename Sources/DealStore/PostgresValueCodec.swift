import CLibPQ

/// The wire forms of the values dealreg binds and reads, chosen by the PostgreSQL type of each parameter and column:
/// binary for the types below, the type's text form for any other parameter. Stateless; thread-safe.
enum PostgresValueCodec {
    /// The built-in type OIDs dealreg reads and writes (fixed in PostgreSQL's catalog).
    enum TypeOID {
        static let bool: Oid = 16
        static let bytea: Oid = 17
        static let char: Oid = 18
        static let name: Oid = 19
        static let int8: Oid = 20
        static let int2: Oid = 21
        static let int4: Oid = 23
        static let text: Oid = 25
        static let oid: Oid = 26
        static let float4: Oid = 700
        static let float8: Oid = 701
        static let bpchar: Oid = 1042
        static let varchar: Oid = 1043
        static let numeric: Oid = 1700
    }

    private static let textTypes: Set<Oid> = [
        TypeOID.text, TypeOID.varchar, TypeOID.bpchar, TypeOID.name, TypeOID.char,
    ]
    /// The types whose parameters take only their own storage class, in binary.
    private static let binary: Set<Oid> =
        textTypes.union([
            TypeOID.bool, TypeOID.bytea, TypeOID.int8, TypeOID.int2, TypeOID.int4, TypeOID.float4, TypeOID.float8,
        ])
    private static let readable: Set<Oid> = binary.union([TypeOID.oid, TypeOID.numeric])

    /// `value` for a parameter of `type`: its bytes (nil for NULL) and whether they are binary; nil when the value
    /// does not fit the type (a text for a bigint, an integer out of an int4's range).
    static func encode(_ value: SQLValue, as type: Oid) -> (bytes: [UInt8]?, isBinary: Bool)? {
        switch (value, type) {
        case (.null, _): return (nil, true)
        case (.integer(let value), TypeOID.int8): return (bigEndian(value), true)
        case (.integer(let value), TypeOID.int4): return Int32(exactly: value).map { (bigEndian($0), true) }
        case (.integer(let value), TypeOID.int2): return Int16(exactly: value).map { (bigEndian($0), true) }
        case (.integer(let value), TypeOID.bool): return value == 0 || value == 1 ? ([UInt8(value)], true) : nil
        case (.integer(let value), TypeOID.float8): return (bigEndian(Double(value).bitPattern), true)
        case (.integer(let value), TypeOID.float4): return (bigEndian(Float(value).bitPattern), true)
        case (.real(let value), TypeOID.float8): return (bigEndian(value.bitPattern), true)
        case (.real(let value), TypeOID.float4): return (bigEndian(Float(value).bitPattern), true)
        case (.text(let value), let type) where textTypes.contains(type): return (Array(value.utf8), true)
        case (.blob(let value), TypeOID.bytea): return (value, true)
        case (_, let type) where binary.contains(type): return nil
        // Any other type (numeric, timestamptz, jsonb) parses its text form on the server.
        case (.text(let value), _): return (Array(value.utf8), false)
        case (.integer(let value), _): return (Array("\(value)".utf8), false)
        case (.real(let value), _): return (Array("\(value)".utf8), false)
        case (.blob, _): return nil
        }
    }

    /// `type` as SQL names it, for errors.
    static func typeName(_ type: Oid) -> String {
        let names: [Oid: String] = [
            TypeOID.bool: "boolean", TypeOID.bytea: "bytea", TypeOID.char: "\"char\"", TypeOID.name: "name",
            TypeOID.int8: "bigint", TypeOID.int2: "smallint", TypeOID.int4: "integer", TypeOID.text: "text",
            TypeOID.oid: "oid", TypeOID.float4: "real", TypeOID.float8: "double precision",
            TypeOID.bpchar: "character", TypeOID.varchar: "character varying", TypeOID.numeric: "numeric",
        ]
        return names[type] ?? "with OID \(type)"
    }

    /// Whether `decode` reads columns of `type`.
    static func isReadable(_ type: Oid) -> Bool { readable.contains(type) }

    /// The binary value of a non-NULL column of a readable `type`.
    static func decode(_ bytes: UnsafeRawBufferPointer, type: Oid) -> SQLValue {
        switch type {
        case TypeOID.int8: .integer(Int64(bigEndian: bytes.loadUnaligned(as: Int64.self)))
        case TypeOID.int4: .integer(Int64(Int32(bigEndian: bytes.loadUnaligned(as: Int32.self))))
        case TypeOID.int2: .integer(Int64(Int16(bigEndian: bytes.loadUnaligned(as: Int16.self))))
        case TypeOID.oid: .integer(Int64(UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self))))
        case TypeOID.bool: .integer(bytes[0] == 0 ? 0 : 1)
        case TypeOID.float8: .real(Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))))
        case TypeOID.float4: .real(Double(Float(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)))))
        case TypeOID.bytea: .blob(Array(bytes))
        case TypeOID.numeric: numeric(bytes)
        default:
            if textTypes.contains(type) {
                .text(String(decoding: bytes, as: UTF8.self))
            } else {
                preconditionFailure("a column of type \(type) decoded; cursors refuse unreadable columns first")
            }
        }
    }

    /// A `numeric` (a `SUM` of bigints, a division): an integer when it has no fraction and fits 64 bits, else a real.
    private static func numeric(_ bytes: UnsafeRawBufferPointer) -> SQLValue {
        func int16(at offset: Int) -> Int {
            Int(Int16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        }
        let count = int16(at: 0)
        let weight = int16(at: 2)
        let sign = UInt16(bitPattern: Int16(int16(at: 4)))
        switch sign {
        case 0xC000: return .real(.nan)
        case 0xD000: return .real(.infinity)
        case 0xF000: return .real(-.infinity)
        default: break
        }
        // Base-10000 digits: digit i is worth 10000^(weight - i).
        func digit(_ index: Int) -> Int { index >= 0 && index < count ? int16(at: 8 + 2 * index) : 0 }
        var whole = weight < 0 ? "0" : "\(digit(0))"
        if weight > 0 {
            for index in 1...weight { whole += padded(digit(index)) }
        }
        var fraction = ""
        if count > weight + 1 {
            for index in (weight + 1)..<count { fraction += padded(digit(index)) }
        }
        let negative = sign == 0x4000 ? "-" : ""
        if fraction.allSatisfy({ $0 == "0" }), let integer = Int64(negative + whole) { return .integer(integer) }
        return .real(Double(negative + whole + "." + (fraction.isEmpty ? "0" : fraction)) ?? .nan)
    }

    private static func padded(_ digit: Int) -> String {
        let text = "\(digit)"
        return String(repeating: "0", count: 4 - text.count) + text
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }
}
