/// One row a query returned: its values by column position or name, converted on reading (`row["body"] as
/// [UInt8]`, `row[0] as Int64?`). A value; `Sendable`.
public struct SQLRow: Sendable {
    /// The query's column names, shared by its rows.
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at `index`, converted; a NULL or a value of another type is a programming error (the schema says
    /// what each column holds), as in GRDB.
    public subscript<T: SQLValueConvertible>(_ index: Int) -> T {
        guard let value = T(sqlValue: values[index]) else {
            preconditionFailure("column \(index) holds \(values[index]), not \(T.self)")
        }
        return value
    }

    /// The value at `index`, converted; nil when NULL or of another type.
    public subscript<T: SQLValueConvertible>(_ index: Int) -> T? { T(sqlValue: values[index]) }

    /// The value of column `name`, converted; a missing column, a NULL or a value of another type is a programming
    /// error.
    public subscript<T: SQLValueConvertible>(_ name: String) -> T {
        guard let index = columns.index(of: name) else { preconditionFailure("no column \(name)") }
        return self[index]
    }

    /// The value of column `name`, converted; nil when the column is missing, NULL or of another type.
    public subscript<T: SQLValueConvertible>(_ name: String) -> T? {
        columns.index(of: name).flatMap { T(sqlValue: values[$0]) }
    }
}

/// The column names of a query's rows, looked up by name. Immutable; `Sendable`.
public final class SQLColumns: Sendable {
    public let names: [String]

    public init(_ names: [String]) { self.names = names }

    /// The position of column `name` (case-insensitive, as SQL names are), nil when the query has none.
    public func index(of name: String) -> Int? {
        names.firstIndex { $0 == name } ?? names.firstIndex { $0.lowercased() == name.lowercased() }
    }
}
