/// The vendor's product lines, the only ones a registration or booking may name: each with a path-like id
/// (`storage/arrays` sits under `storage`), a display name and aliases. Written lines resolve to an id by id, name
/// or alias, ignoring case and treating runs of spaces, hyphens and underscores as one hyphen.
///
/// Two lines **overlap** when they are the same or one is an ancestor of the other: a protection on `storage`
/// covers `storage/arrays`, so a rival registration for `storage/arrays` conflicts with it; and one on
/// `storage/arrays` is part of `storage`, so a rival for the whole of `storage` conflicts with it too. Sibling
/// lines (`storage/arrays`, `storage/backup`) do not overlap. The decision rules and enforcement compare lines only
/// through `overlap(_:_:)`. A value; `Sendable`.
public struct ProductCatalog: Sendable, Hashable, Codable {
    /// One product line of the catalog.
    public struct Line: Sendable, Hashable, Codable {
        /// Lower-case segments of letters, digits and hyphens joined by `/`: `storage/arrays`.
        public var id: String
        /// How people call it: `Storage arrays`. Resolves to the line like an alias.
        public var name: String
        /// Other spellings that mean this line (`backup` for `storage/backup`).
        public var aliases: [String]

        public init(_ id: String, name: String, aliases: [String] = []) {
            self.id = id
            self.name = name
            self.aliases = aliases
        }

        /// The line this one sits under: its id up to the last `/`; nil for a top-level line.
        public var parent: String? { id.lastIndex(of: "/").map { String(id[..<$0]) } }
    }

    /// Why a catalog cannot be used: the line at fault (its index), its field and a sentence.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Index into the catalog's lines; nil when the catalog as a whole is at fault.
        public var line: Int?
        /// The line's field at fault (`id`, `name`, `aliases[1]`); empty with `line` nil.
        public var field: String
        public var reason: String

        public var description: String { line.map { "lines[\($0)].\(field): \(reason)" } ?? reason }
    }

    /// The lines, in the order the vendor lists them.
    public let lines: [Line]
    /// Every spelling (folded id, name and alias) to the id it means.
    private let spellings: [String: String]

    /// A catalog of `lines`, checked: at least one line; ids well formed, unique, each parent a line of its own;
    /// no spelling (name or alias) that means two lines.
    public init(lines: [Line]) throws(Problem) {
        guard !lines.isEmpty else { throw Problem(line: nil, field: "", reason: "a catalog needs at least one line") }
        var spellings: [String: String] = [:]
        for (index, line) in lines.enumerated() {
            guard !line.id.isEmpty else { throw Problem(line: index, field: "id", reason: "empty id") }
            guard line.id.count <= 64, Self.fold(line.id) == line.id,
                line.id.allSatisfy({ ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" || $0 == "/" }),
                !line.id.hasPrefix("/"), !line.id.hasSuffix("/"), !line.id.contains("//")
            else {
                throw Problem(
                    line: index, field: "id",
                    reason: "'\(line.id)' is not an id: lower-case letters, digits and hyphens, segments joined by '/'")
            }
            guard spellings[line.id] == nil else {
                throw Problem(line: index, field: "id", reason: "'\(line.id)' is listed twice")
            }
            spellings[line.id] = line.id
        }
        for (index, line) in lines.enumerated() {
            if let parent = line.parent, spellings[parent] != parent {
                throw Problem(
                    line: index, field: "id", reason: "'\(line.id)' sits under '\(parent)', which is not a line")
            }
        }
        for (index, line) in lines.enumerated() {
            for (field, spelling) in [("name", line.name)] + line.aliases.enumerated().map({ ("aliases[\($0)]", $1) }) {
                let folded = Self.fold(spelling)
                guard !folded.isEmpty, spelling.count <= 64 else {
                    throw Problem(line: index, field: field, reason: "1 to 64 characters, not only separators")
                }
                if let other = spellings[folded], other != line.id {
                    throw Problem(
                        line: index, field: field,
                        reason: other == folded
                            ? "'\(spelling)' is the id of another line" : "'\(spelling)' already means '\(other)'")
                }
                spellings[folded] = line.id
            }
        }
        self.lines = lines
        self.spellings = spellings
    }

    /// The vendor's default catalog, the one the built-in policy ships (README, "Product catalog").
    public static let standard = try! ProductCatalog(lines: [
        Line("storage", name: "Storage"),
        Line("storage/arrays", name: "Storage arrays", aliases: ["san", "nas", "disk arrays"]),
        Line("storage/backup", name: "Backup and recovery", aliases: ["backup"]),
        Line("servers", name: "Servers", aliases: ["server", "compute"]),
        Line("networking", name: "Networking", aliases: ["network"]),
        Line("security", name: "Security"),
        Line("laptops", name: "Laptops", aliases: ["notebooks"]),
        Line("printers", name: "Printers"),
        Line("pos-terminals", name: "Point-of-sale terminals", aliases: ["pos"]),
        Line("cloud", name: "Cloud"),
        Line("software", name: "Software"),
        Line("services", name: "Services"),
        Line("services/support", name: "Support contracts", aliases: ["support"]),
    ])

    /// The id `written` means (by id, name or alias, spelled loosely); nil for a line the catalog does not know.
    public func id(of written: String) -> String? {
        spellings[written] ?? spellings[Self.fold(written)]
    }

    /// What a stored line is read as: its id when it resolves, else as written (a decision made before the catalog
    /// knew the line is never rewritten; `unknown(_:)` lists such lines for an admin).
    public func stored(_ line: String) -> String { id(of: line) ?? line }

    /// The lines of `lines` the catalog does not know, as written.
    public func unknown(_ lines: [String]) -> [String] { lines.filter { id(of: $0) == nil } }

    /// `written` as ids, in their order, without duplicates; the first line the catalog does not know is refused
    /// as an invalid `field`, with the nearest known lines.
    public func resolve(_ written: [String], field: String) throws(ValidationError) -> [String] {
        var ids: [String] = []
        for line in written {
            guard let id = id(of: line) else {
                let nearest = self.nearest(to: line)
                let hint = nearest.isEmpty ? "" : "; nearest: \(nearest.joined(separator: ", "))"
                throw .invalid(field, "Unknown product line '\(line)'\(hint).")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// Whether lines `a` and `b` overlap: the same line, or one an ancestor of the other. Lines the catalog does not
    /// know compare as written.
    public func overlaps(_ a: String, _ b: String) -> Bool {
        Self.overlapsByID(stored(a), stored(b))
    }

    /// The lines of `held` and `requested` that overlap, both sides of each overlapping pair, sorted; empty when
    /// none does.
    public func overlap(_ held: [String], _ requested: [String]) -> [String] {
        let requestedIDs = requested.map(stored)
        var found: Set<String> = []
        for line in held.map(stored) {
            for other in requestedIDs where Self.overlapsByID(line, other) {
                found.insert(line)
                found.insert(other)
            }
        }
        return found.sorted()
    }

    private static func overlapsByID(_ a: String, _ b: String) -> Bool {
        a == b || (a.count < b.count ? b.hasPrefix(a + "/") : a.hasPrefix(b + "/"))
    }

    /// A spelling as the catalog compares it: lower case, surrounding separators dropped, each run of spaces,
    /// hyphens and underscores one hyphen, none next to a `/`.
    static func fold(_ text: String) -> String {
        var folded = ""
        var separated = false
        for character in text.lowercased() {
            if character == " " || character == "-" || character == "_" || character.isWhitespace {
                separated = true
                continue
            }
            if separated && !folded.isEmpty && folded.last != "/" && character != "/" { folded.append("-") }
            separated = false
            folded.append(character)
        }
        return folded
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.lines == rhs.lines }

    public func hash(into hasher: inout Hasher) { hasher.combine(lines) }

    private enum CodingKeys: String, CodingKey { case lines }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let lines = try container.decode([Line].self, forKey: .lines)
        do {
            try self.init(lines: lines)
        } catch {
            throw DecodingError.dataCorruptedError(
                forKey: .lines, in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lines, forKey: .lines)
    }
}
