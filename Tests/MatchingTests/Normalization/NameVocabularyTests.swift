import Matching
import Testing

@Suite("NameVocabulary")
struct NameVocabularyTests {
    static let abbreviations: [(String, String?)] = [
        ("ste", "societe"),
        ("cie", "compagnie"),
        ("grp", "group"),
        ("intl", "international"),
        ("mfg", "manufacturing"),
        ("bros", "brothers"),
        ("ind", "industries"),
        ("inds", "industries"),
        ("ptnrs", "partners"),
        ("assoc", "associates"),
        ("assocs", "associates"),
        ("eng", "engineering"),
        ("engg", "engineering"),
        ("plbg", "plumbing"),
        ("elec", "electrical"),
        ("cab", "cabinet"),
        ("svcs", "services"),
        ("svc", "services"),
        ("tech", "technologies"),
        ("technology", "technologies"),
        ("hldgs", "holdings"),
        ("holding", "holdings"),
        ("mgmt", "management"),
        ("dept", "department"),
        ("natl", "national"),
        ("univ", "university"),
        ("govt", "government"),
        ("ets", "etablissements"),
        ("flli", "fratelli"),
        ("hnos", "hermanos"),
        ("acme", nil),
        ("international", nil),
        ("van", nil),
        ("", nil),
    ]

    @Test(arguments: abbreviations)
    func spellsOutBusinessAbbreviations(token: String, expected: String?) {
        #expect(NameVocabulary.canonical(token) == expected)
    }

    @Test func abbreviationsInARegisteredNameMeetTheFullWords() {
        func expanded(_ name: String) -> [String] {
            TextFolding.tokens(name).map { NameVocabulary.canonical($0) ?? $0 }
        }
        #expect(expanded("Acme Int'l Mfg Grp") == expanded("ACME International Manufacturing Group"))
        #expect(expanded("Sté Gle d'Équipement") == ["societe", "generale", "equipement"])
    }

    static let connectives: [(String, Bool)] = [
        ("&", true), ("and", true), ("et", true), ("und", true), ("y", true), ("e", true), ("en", true),
        ("og", true), ("och", true), ("i", true), ("the", true), ("of", true), ("de", true), ("du", true),
        ("des", true), ("der", true), ("die", true), ("das", true), ("la", true), ("le", true), ("les", true),
        ("el", true), ("los", true), ("da", true), ("do", true), ("van", false), ("von", false), ("a", false),
        ("acme", false), ("co", false), ("", false),
    ]

    @Test(arguments: connectives)
    func recognisesConnectivesButNotSurnameParticles(token: String, isConnective: Bool) {
        #expect(NameVocabulary.isConnective(token) == isConnective)
    }

    static let genericWords: [(String, Bool)] = [
        ("industries", true), ("partners", true), ("associates", true), ("engineering", true), ("brothers", true),
        ("group", true), ("holdings", true), ("services", true), ("solutions", true), ("systems", true),
        ("international", true), ("trading", true), ("consulting", true), ("company", true),
        ("enterprises", true), ("technologies", true), ("global", true), ("management", true), ("plumbing", true),
        ("electrical", true), ("cabinet", true), ("construction", true), ("logistics", true), ("groupe", true),
        ("societe", true), ("gruppe", true), ("handel", true), ("grupo", true), ("servicios", true),
        ("gruppo", true), ("servizi", true), ("groep", true), ("acme", false), ("siemens", false),
        ("dupont", false), ("muller", false), ("&", false), ("", false),
    ]

    @Test(arguments: genericWords)
    func recognisesWordsThatCarryLittleIdentity(token: String, isGeneric: Bool) {
        #expect(NameVocabulary.isGenericBusinessWord(token) == isGeneric)
    }
}
