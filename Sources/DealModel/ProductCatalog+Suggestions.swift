/// The lines a misspelt one probably meant, for the message that refuses it.
extension ProductCatalog {
    /// Up to `count` ids nearest to `written`, closest first: by edit distance (Damerau-Levenshtein, adjacent
    /// transpositions counted once) to each line's id, last id segment, name and aliases, keeping those within two
    /// edits of the closest.
    public func nearest(to written: String, count: Int = 3) -> [String] {
        let folded = Array(Self.fold(written))
        var best: [String: Int] = [:]
        for line in lines {
            let segment = line.id.split(separator: "/").last.map(String.init) ?? line.id
            for spelling in [line.id, segment, line.name] + line.aliases {
                let distance = Self.editDistance(folded, Array(Self.fold(spelling)))
                best[line.id] = min(best[line.id] ?? .max, distance)
            }
        }
        let ranked = best.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        guard let closest = ranked.first?.value else { return [] }
        return ranked.prefix { $0.value <= closest + 2 }.prefix(count).map(\.key)
    }

    /// The optimal-string-alignment distance between `a` and `b`: insertions, deletions, substitutions and swaps of
    /// two neighbours, each one edit.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
