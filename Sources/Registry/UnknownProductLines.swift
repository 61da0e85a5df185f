import DealModel
import DealWire

/// The product lines of stored registrations that the running catalog does not know, for an admin (`dealreg status`,
/// and a warning when the registry starts or reloads its policy): registrations filed before the catalog, or under a
/// catalog since changed. They stay as written (a stored decision is never rewritten) and compare only with the same
/// text. A value; not shared across threads.
struct UnknownProductLines {
    /// How many registrations are shown per line.
    static let examples = 5

    /// Per line as written: how many registrations name it and the first few of them (by id).
    private(set) var lines: [String: (count: Int, examples: [RegistrationID])] = [:]

    /// The lines `catalog` does not know in the stored registrations of `records`.
    init(records: any RegistryRecords, catalog: ProductCatalog) throws {
        try records.forEachProductLines { id, productLines in
            for line in catalog.unknown(productLines) {
                var entry = lines[line] ?? (0, [])
                entry.count += 1
                if entry.examples.count < Self.examples { entry.examples.append(id) }
                lines[line] = entry
            }
        }
    }

    var isEmpty: Bool { lines.isEmpty }

    /// The lines, most named first, as the status reply carries them.
    var wire: [Dealreg_V1_UnknownProductLine] {
        lines.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.map { line, entry in
            .with {
                $0.line = line
                $0.registrations = UInt64(entry.count)
                $0.registrationIds = entry.examples.sorted().map(\.rawValue)
            }
        }
    }

    /// One sentence for the log: each line with its count.
    var summary: String {
        wire.map { "'\($0.line)' (\($0.registrations))" }.joined(separator: ", ")
    }
}
