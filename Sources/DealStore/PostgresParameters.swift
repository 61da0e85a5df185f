import CLibPQ

/// The arguments of one statement in libpq's form: each value encoded for the type of its parameter, all in one
/// buffer. A value; used by the thread that made it.
struct PostgresParameters {
    let types: [Oid]
    /// Starts with one byte, so that an empty value still has an address.
    private var buffer: [UInt8] = [0]
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    static let none = PostgresParameters(types: [])

    private init(types: [Oid]) { self.types = types }

    init(_ values: [SQLValue], for statement: PostgresStatement) throws(SQLStatementError) {
        types = statement.parameterTypes
        guard values.count == types.count else {
            throw SQLStatementError(
                code: "",
                description: "`\(statement.sql)` takes \(types.count) arguments, but was given \(values.count)",
                isConstraint: false)
        }
        for (index, (value, type)) in zip(values, types).enumerated() {
            guard let encoded = PostgresValueCodec.encode(value, as: type) else {
                throw SQLStatementError(
                    code: "",
                    description: "parameter \(index + 1) of `\(statement.sql)` is of PostgreSQL type "
                        + "\(PostgresValueCodec.typeName(type)), which cannot hold \(value)",
                    isConstraint: false)
            }
            formats.append(encoded.isBinary ? 1 : 0)
            guard let bytes = encoded.bytes else {
                offsets.append(nil)
                lengths.append(0)
                continue
            }
            offsets.append(buffer.count)
            lengths.append(Int32(bytes.count))
            buffer += bytes
            // A text-format value is read as a C string.
            if !encoded.isBinary { buffer.append(0) }
        }
    }

    /// Calls `body` with the count, types, values, lengths and formats as libpq takes them, valid only inside it.
    func withUnsafeArguments<R>(
        _ body: (
            Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) -> R
    ) -> R {
        buffer.withUnsafeBytes { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
            let values = offsets.map { $0.map { base + $0 } }
            return values.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { types in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(
                                Int32(values.count), types.baseAddress, values.baseAddress, lengths.baseAddress,
                                formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
