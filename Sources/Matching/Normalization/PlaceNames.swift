/// One spelling for cities that partners write by their English or French name, their own or a transliteration
/// of it ("Moscow", "Moskva", "Москва"; "Tokyo", "東京" read "dong jing"); pure lookups, safe from any thread.
public enum PlaceNames {
    /// The canonical name of a folded city ("moscow" → "moskva"), or the city itself.
    public static func canonicalCity(_ city: String) -> String {
        aliases[city] ?? city
    }

    private static let aliases: [String: String] = {
        var table: [String: String] = [:]
        for (canonical, spellings) in cities {
            for spelling in spellings { table[spelling] = canonical }
        }
        return table
    }()

    /// Canonical spelling first, then the others as `TextFolding` leaves them; CJK cities as ICU reads them.
    private static let cities: [(String, [String])] = [
        ("moskva", ["moscow", "moskau", "moscou", "mosca", "moskwa"]),
        (
            "sankt peterburg",
            ["saint petersburg", "st petersburg", "st peterburg", "san petersburgo", "sankt petersburg"]
        ),
        ("kyiv", ["kiev", "kiiv", "kiyev", "kijev", "kijow"]),
        ("kharkiv", ["kharkov", "harkov", "charkiw"]),
        ("odesa", ["odessa"]),
        ("minsk", ["mensk"]),
        ("sofiya", ["sofia"]),
        ("beograd", ["belgrade", "belgrad"]),
        ("athina", ["athens", "athen", "athenes", "atene", "athinai"]),
        ("thessaloniki", ["salonica", "saloniki", "thessalonique", "salonicco"]),
        ("peiraias", ["piraeus", "pireas", "piraus", "piree"]),
        ("tokyo", ["dong jing", "dong jing du", "tokio", "tokyo to"]),
        ("osaka", ["da ban", "da ban fu", "osaka fu"]),
        ("kyoto", ["jing du", "jing du fu", "kyoto fu"]),
        ("yokohama", ["heng bang", "heng bang shi"]),
        ("nagoya", ["ming gu wu", "ming gu wu shi"]),
        ("beijing", ["bei jing", "bei jing shi", "peking", "pekin"]),
        ("shanghai", ["shang hai", "shang hai shi"]),
        ("shenzhen", ["shen zhen", "shen zhen shi"]),
        ("guangzhou", ["guang zhou", "guang zhou shi", "canton"]),
        ("hong kong", ["xiang gang", "hongkong"]),
        ("taipei", ["tai bei", "tai bei shi"]),
        ("seoul", ["seoul si", "seoul teukbyeolsi"]),
        ("busan", ["pusan", "busan si"]),
    ]
}
