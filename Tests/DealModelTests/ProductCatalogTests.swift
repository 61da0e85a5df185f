import DealModel
import Testing

@Suite("ProductCatalog")
struct ProductCatalogTests {
    let catalog = ProductCatalog.standard

    @Test(arguments: [
        ("storage", "storage"), ("Storage", "storage"), ("storage/arrays", "storage/arrays"),
        ("Storage Arrays", "storage/arrays"), ("storage-arrays", "storage/arrays"),
        ("STORAGE_ARRAYS", "storage/arrays"),
        ("storage / arrays", "storage/arrays"), ("SAN", "storage/arrays"), ("disk  arrays", "storage/arrays"),
        ("backup", "storage/backup"), ("Backup and recovery", "storage/backup"), ("pos terminals", "pos-terminals"),
        ("network", "networking"), ("Support", "services/support"),
    ])
    func resolvesIdsNamesAndAliasesSpelledLoosely(written: String, id: String) {
        #expect(catalog.id(of: written) == id)
    }

    @Test(arguments: ["stor age", "storage-array", "widgets", "storage/widgets", "servers/blade"])
    func doesNotKnowLinesOutsideTheCatalog(written: String) {
        #expect(catalog.id(of: written) == nil)
    }

    @Test func resolvesToIdsInOrderWithoutDuplicates() throws {
        #expect(
            try catalog.resolve(["SAN", "servers", "storage arrays", "backup"], field: "product_lines")
                == ["storage/arrays", "servers", "storage/backup"])
    }

    @Test(arguments: [
        ("stor age", ["storage"]), ("sevrers", ["servers"]), ("storage-array", ["storage/arrays"]),
        ("arrays", ["storage/arrays"]), ("netwrok", ["networking"]),
    ])
    func suggestsTheNearestKnownLines(written: String, nearest: [String]) {
        #expect(catalog.nearest(to: written).prefix(nearest.count) == nearest[...])
    }

    @Test func refusesAnUnknownLineNamingTheNearestKnownOnes() {
        #expect(throws: ValidationError.invalid("product_lines", "Unknown product line 'stor age'; nearest: storage."))
        {
            _ = try catalog.resolve(["storage", "stor age"], field: "product_lines")
        }
        #expect(
            throws: ValidationError.invalid(
                "booking.product_lines", "Unknown product line 'storage/arays'; nearest: storage/arrays.")
        ) { _ = try catalog.resolve(["storage/arays"], field: "booking.product_lines") }
    }

    @Test func suggestsAtMostThreeLinesCloseToTheBest() {
        let nearest = catalog.nearest(to: "s")
        #expect((1...3).contains(nearest.count))
        #expect(catalog.nearest(to: "stor age") == ["storage"], "nothing else is within two edits of the best")
    }

    @Test(arguments: [
        ("storage", "storage", true), ("storage", "storage/arrays", true), ("storage/arrays", "storage", true),
        ("storage/arrays", "storage/backup", false), ("storage", "servers", false),
        ("services", "services/support", true),
        ("backup", "storage", true), ("Storage", "SAN", true), ("widgets", "widgets", true),
        ("widgets", "storage", false),
        ("serv", "servers", false),
    ])
    func overlapsTheSameLineAndItsAncestorsOrDescendants(a: String, b: String, overlaps: Bool) {
        #expect(catalog.overlaps(a, b) == overlaps)
        #expect(catalog.overlaps(b, a) == overlaps)
    }

    @Test func reportsBothSidesOfEachOverlappingPair() {
        #expect(
            catalog.overlap(["storage", "laptops"], ["storage/arrays", "servers"]) == ["storage", "storage/arrays"])
        #expect(catalog.overlap(["storage/backup"], ["storage/arrays"]).isEmpty)
        #expect(catalog.overlap(["backup"], ["storage"]) == ["storage", "storage/backup"], "stored as an alias")
    }

    @Test func readsStoredLinesAsTheirIdsAndKeepsUnknownOnesAsWritten() {
        #expect(catalog.stored("Storage Arrays") == "storage/arrays")
        #expect(catalog.stored("stor age") == "stor age")
        #expect(catalog.unknown(["storage", "stor age", "san", "widgets"]) == ["stor age", "widgets"])
    }

    /// A catalog that cannot be used, the line and field at fault.
    static let badCatalogs: [(String, [ProductCatalog.Line], Int?, String)] = [
        ("no line", [], nil, ""),
        ("an empty id", [.init("", name: "Nothing")], 0, "id"),
        ("an id in capitals", [.init("Storage", name: "Storage")], 0, "id"),
        ("an id with spaces", [.init("storage arrays", name: "Arrays")], 0, "id"),
        ("an id with a trailing slash", [.init("storage/", name: "Storage")], 0, "id"),
        ("an id with punctuation", [.init("stor;age", name: "Storage")], 0, "id"),
        ("a duplicate id", [.init("storage", name: "Storage"), .init("storage", name: "Disks")], 1, "id"),
        ("a child without its parent", [.init("storage/arrays", name: "Arrays")], 0, "id"),
        (
            "an alias that is another line's id",
            [.init("storage", name: "Storage"), .init("servers", name: "Servers", aliases: ["storage"])], 1,
            "aliases[0]"
        ),
        (
            "an id that is another line's alias",
            [.init("storage", name: "Storage", aliases: ["disks"]), .init("disks", name: "Disks")], 0, "aliases[0]"
        ),
        (
            "an alias of two lines",
            [.init("storage", name: "Storage", aliases: ["san"]), .init("servers", name: "Servers", aliases: ["SAN"])],
            1, "aliases[0]"
        ),
        (
            "a name that is another line's name",
            [.init("storage", name: "Hardware"), .init("servers", name: "hardware")], 1, "name"
        ),
        ("an empty alias", [.init("storage", name: "Storage", aliases: [" - "])], 0, "aliases[0]"),
    ]

    @Test(arguments: badCatalogs)
    func refusesACatalogThatCannotBeUsed(
        _ label: String, lines: [ProductCatalog.Line], line: Int?, field: String
    ) {
        let error = #expect(throws: ProductCatalog.Problem.self, "\(label)") { try ProductCatalog(lines: lines) }
        #expect(error?.line == line && error?.field == field, "\(label): \(String(describing: error))")
        #expect(error?.reason.isEmpty == false)
    }

    @Test func theDefaultPolicyShipsTheStandardCatalog() {
        #expect(ProgramPolicy().catalog == .standard)
        for line in ["storage", "servers", "networking", "laptops", "security", "services", "cloud", "printers"] {
            #expect(ProgramPolicy().catalog.id(of: line) == line, "the project's tools and tests use \(line)")
        }
    }
}
