import Matching
import Testing

@Suite("LegalForms")
struct LegalFormsTests {
    /// Name as registered → name tokens kept, canonical forms found.
    static let splits: [(String, [String], [String])] = [
        // France, Belgium, Luxembourg.
        ("Dupont SA", ["dupont"], ["sa"]),
        ("Dupont S.A.", ["dupont"], ["sa"]),
        ("Dupont S. A.", ["dupont"], ["sa"]),
        ("Dupont Société Anonyme", ["dupont"], ["sa"]),
        ("Société Anonyme Dupont", ["dupont"], ["sa"]),
        ("Dupont SAS", ["dupont"], ["sas"]),
        ("Dupont S.A.S.", ["dupont"], ["sas"]),
        ("Dupont SASU", ["dupont"], ["sasu"]),
        ("Dupont SARL", ["dupont"], ["sarl"]),
        ("Dupont S.A.R.L.", ["dupont"], ["sarl"]),
        ("Dupont EURL", ["dupont"], ["eurl"]),
        ("Dupont SNC", ["dupont"], ["snc"]),
        ("Dupont SCA", ["dupont"], ["sca"]),
        ("Dupont S.C.S.", ["dupont"], ["scs"]),
        ("Dupont SComm", ["dupont"], ["scomm"]),
        ("Dupont GIE", ["dupont"], ["gie"]),
        ("Dupont et Cie", ["dupont"], ["co"]),
        ("Dupont BVBA", ["dupont"], ["bvba"]),
        ("Dupont CVBA", ["dupont"], ["cvba"]),
        ("Dupont SPRL", ["dupont"], ["sprl"]),
        ("Dupont SRL", ["dupont"], ["srl"]),
        ("Rode Kruis VZW", ["rode", "kruis"], ["vzw"]),
        ("Croix-Rouge ASBL", ["croix", "rouge"], ["asbl"]),
        // Germany, Austria, Switzerland.
        ("Müller GmbH", ["muller"], ["gmbh"]),
        ("Müller G.m.b.H.", ["muller"], ["gmbh"]),
        ("Müller Gesellschaft mit beschränkter Haftung", ["muller"], ["gmbh"]),
        ("Müller Ges.m.b.H.", ["muller"], ["gmbh"]),
        ("Siemens AG", ["siemens"], ["ag"]),
        ("Müller KG", ["muller"], ["kg"]),
        ("Müller Kommanditgesellschaft", ["muller"], ["kg"]),
        ("Müller OHG", ["muller"], ["ohg"]),
        ("Müller UG (haftungsbeschränkt)", ["muller"], ["ug"]),
        ("Blau-Weiss e.V.", ["blau", "weiss"], ["ev"]),
        ("Müller GmbH & Co. KG", ["muller"], ["gmbh & co kg"]),
        ("Müller GmbH und Co KG", ["muller"], ["gmbh & co kg"]),
        ("Müller GmbH & Co.KG", ["muller"], ["gmbh & co kg"]),
        ("Henkel AG & Co. KGaA", ["henkel"], ["ag & co kgaa"]),
        ("Merck KGaA", ["merck"], ["kgaa"]),
        // United Kingdom, Ireland, North America.
        ("Acme Ltd", ["acme"], ["ltd"]),
        ("Acme Ltd.", ["acme"], ["ltd"]),
        ("Acme Limited", ["acme"], ["ltd"]),
        ("Acme PLC", ["acme"], ["plc"]),
        ("Acme p.l.c.", ["acme"], ["plc"]),
        ("Acme LLP", ["acme"], ["llp"]),
        ("Acme LP", ["acme"], ["lp"]),
        ("Acme, Inc.", ["acme"], ["inc"]),
        ("Acme Incorporated", ["acme"], ["inc"]),
        ("Acme Corp.", ["acme"], ["corp"]),
        ("Acme Corporation", ["acme"], ["corp"]),
        ("Acme Co.", ["acme"], ["co"]),
        ("Acme Company", ["acme"], ["co"]),
        ("Smith & Co", ["smith"], ["co"]),
        ("Smith and Company", ["smith"], ["co"]),
        ("Smith & Co. Ltd", ["smith"], ["co ltd"]),
        ("Hyundai Motor Co., Ltd.", ["hyundai", "motor"], ["co ltd"]),
        ("Acme Co., Inc.", ["acme"], ["co", "inc"]),
        ("Acme LLC", ["acme"], ["llc"]),
        ("Acme L.L.C.", ["acme"], ["llc"]),
        ("Acme PC", ["acme"], ["pc"]),
        ("Ryanair Teoranta", ["ryanair"], ["ltd"]),
        ("Ryanair Teo", ["ryanair"], ["ltd"]),
        ("Acme DAC", ["acme"], ["dac"]),
        ("Acme CLG", ["acme"], ["clg"]),
        ("Bombardier Ltée", ["bombardier"], ["ltd"]),
        // Australia, Asia.
        ("Acme Pty Ltd", ["acme"], ["pty ltd"]),
        ("Acme Pty. Ltd.", ["acme"], ["pty ltd"]),
        ("Acme Proprietary Limited", ["acme"], ["pty ltd"]),
        ("Acme Pty Limited", ["acme"], ["pty ltd"]),
        ("Acme Pte. Ltd.", ["acme"], ["pte ltd"]),
        ("Acme Sdn. Bhd.", ["acme"], ["sdn bhd"]),
        ("Maybank Bhd", ["maybank"], ["bhd"]),
        ("Maybank Berhad", ["maybank"], ["bhd"]),
        ("PT Bank Mandiri (Persero) Tbk", ["bank", "mandiri"], ["pt", "persero", "tbk"]),
        ("Infosys Pvt. Ltd.", ["infosys"], ["pvt ltd"]),
        ("Infosys Private Limited", ["infosys"], ["pvt ltd"]),
        ("Toshiba KK", ["toshiba"], ["kk"]),
        ("Toshiba Kabushiki Kaisha", ["toshiba"], ["kk"]),
        ("Kabushiki Kaisha Toshiba", ["toshiba"], ["kk"]),
        ("Acme GK", ["acme"], ["gk"]),
        ("Acme Y.K.", ["acme"], ["yk"]),
        // Netherlands.
        ("Acme B.V.", ["acme"], ["bv"]),
        ("Acme BV", ["acme"], ["bv"]),
        ("Acme N.V.", ["acme"], ["nv"]),
        ("Acme NV", ["acme"], ["nv"]),
        ("Acme V.O.F.", ["acme"], ["vof"]),
        // Italy, Spain, Portugal, Latin America.
        ("Fiat S.p.A.", ["fiat"], ["spa"]),
        ("Fiat SpA", ["fiat"], ["spa"]),
        ("Rossi Srl", ["rossi"], ["srl"]),
        ("Rossi S.r.l.", ["rossi"], ["srl"]),
        ("Rossi S.a.p.a.", ["rossi"], ["sapa"]),
        ("García S.L.", ["garcia"], ["sl"]),
        ("García SL", ["garcia"], ["sl"]),
        ("García S.L.U.", ["garcia"], ["slu"]),
        ("García S.A.U.", ["garcia"], ["sau"]),
        ("Eroski S. Coop.", ["eroski"], ["scoop"]),
        ("Sonae Lda", ["sonae"], ["lda"]),
        ("Sonae Limitada", ["sonae"], ["lda"]),
        ("Sonae S.A.", ["sonae"], ["sa"]),
        ("Acme EIRELI", ["acme"], ["eireli"]),
        ("Acme Ltda.", ["acme"], ["ltda"]),
        ("Bimbo S.A. de C.V.", ["bimbo"], ["sa de cv"]),
        ("Acme S. de R.L.", ["acme"], ["s de rl"]),
        // Nordic and Baltic countries.
        ("Volvo AB", ["volvo"], ["ab"]),
        ("Ericsson AB (publ)", ["ericsson"], ["ab", "publ"]),
        ("Vinmonopolet AS", ["vinmonopolet"], ["as"]),
        ("Maersk A/S", ["maersk"], ["as"]),
        ("Equinor ASA", ["equinor"], ["asa"]),
        ("Nordisk ApS", ["nordisk"], ["aps"]),
        ("Kone Oy", ["kone"], ["oy"]),
        ("Nokia Oyj", ["nokia"], ["oyj"]),
        ("Tallink OÜ", ["tallink"], ["ou"]),
        ("Bitė Lietuva UAB", ["bite", "lietuva"], ["uab"]),
        ("Lattelecom SIA", ["lattelecom"], ["sia"]),
        // Central and Eastern Europe.
        ("Comarch Sp. z o.o.", ["comarch"], ["sp zoo"]),
        ("Comarch Spółka z ograniczoną odpowiedzialnością", ["comarch"], ["sp zoo"]),
        ("PKN Orlen Spółka Akcyjna", ["pkn", "orlen"], ["sa"]),
        ("Nowak Sp.k.", ["nowak"], ["spk"]),
        ("Škoda s.r.o.", ["skoda"], ["sro"]),
        ("Škoda spol. s r.o.", ["skoda"], ["sro"]),
        ("Škoda a.s.", ["skoda"], ["as"]),
        ("Novák k.s.", ["novak"], ["ks"]),
        ("Novák v.o.s.", ["novak"], ["vos"]),
        ("Mol Kft.", ["mol"], ["kft"]),
        ("Richter Zrt.", ["richter"], ["zrt"]),
        ("OTP Nyrt.", ["otp"], ["nyrt"]),
        ("Kovács Bt.", ["kovacs"], ["bt"]),
        ("Kraš d.o.o.", ["kras"], ["doo"]),
        ("Podravka d.d.", ["podravka"], ["dd"]),
        ("Sopharma AD", ["sopharma"], ["ad"]),
        ("Ivanov EOOD", ["ivanov"], ["eood"]),
        ("Ivanov OOD", ["ivanov"], ["ood"]),
        ("SC Alfa Construct SRL", ["alfa", "construct"], ["sc", "srl"]),
        ("Gazprom PAO", ["gazprom"], ["pao"]),
        ("Romashka OOO", ["romashka"], ["ooo"]),
        ("Romashka ZAO", ["romashka"], ["zao"]),
        ("Ромашка ООО", ["romashka"], ["ooo"]),
        ("Koç Holding A.Ş.", ["koc", "holding"], ["as"]),
        ("Yılmaz Ltd. Şti.", ["yilmaz"], ["ltd sti"]),
        // Europe-wide.
        ("Airbus SE", ["airbus"], ["se"]),
        ("Acme SCE", ["acme"], ["sce"]),
        ("Acme EEIG", ["acme"], ["eeig"]),
        // Names that only look like legal forms.
        ("Sa Pa Trading", ["sa", "pa", "trading"], []),
        ("AS Vinmonopolet", ["as", "vinmonopolet"], []),
        ("Co-operative Bank", ["co", "operative", "bank"], []),
        ("Corp Bank", ["corp", "bank"], []),
        ("Tour de SA", ["tour", "de", "sa"], []),
        ("PT Barnum", ["pt", "barnum"], []),
        ("Société Générale", ["societe", "generale"], []),
        ("Compagnie de Saint-Gobain SA", ["compagnie", "de", "saint", "gobain"], ["sa"]),
        ("Limited Brands Inc", ["limited", "brands"], ["inc"]),
        ("The Coca-Cola Company", ["the", "coca", "cola"], ["co"]),
        ("Johnson & Johnson", ["johnson", "&", "johnson"], []),
        ("GmbH", ["gmbh"], []),
        ("GmbH & Co. KG", ["gmbh", "&", "co", "kg"], []),
        ("Company Ltd", ["company", "ltd"], []),
        ("Acme", ["acme"], []),
        ("", [], []),
    ]

    @Test(arguments: splits)
    func splitsLegalFormsFromTheName(registered: String, name: [String], forms: [String]) {
        let split = LegalForms.split(TextFolding.tokens(registered))
        #expect(split.name == name)
        #expect(split.forms == forms)
    }

    /// Name, country → name tokens kept, canonical forms found.
    static let countrySplits: [(String, String, [String], [String])] = [
        ("AS Tallinna Vesi", "EE", ["tallinna", "vesi"], ["as"]),
        ("Tallinna Vesi AS", "EE", ["tallinna", "vesi"], ["as"]),
        ("UAB Bitė Lietuva", "LT", ["bite", "lietuva"], ["uab"]),
        ("SIA Lattelecom", "LV", ["lattelecom"], ["sia"]),
        ("PT Telkom Indonesia", "ID", ["telkom", "indonesia"], ["pt"]),
        ("SC Alfa Construct", "RO", ["alfa", "construct"], ["sc"]),
        ("Ferrari SpA", "IT", ["ferrari"], ["spa"]),
        ("Luxury Day Spa", "US", ["luxury", "day", "spa"], []),
        ("Vinmonopolet AS", "NO", ["vinmonopolet"], ["as"]),
        ("UAB Hospital", "US", ["uab", "hospital"], []),
        ("Müller GmbH", "DE", ["muller"], ["gmbh"]),
    ]

    @Test(arguments: countrySplits)
    func usesTheCountryForPrefixesAndForeignShortForms(
        registered: String, country: String, name: [String], forms: [String]
    ) {
        let split = LegalForms.split(TextFolding.tokens(registered), country: country)
        #expect(split.name == name)
        #expect(split.forms == forms)
    }

    @Test func differentSpellingsOfOneFormLeaveTheSameName() {
        let spellings = ["Acme Pty Ltd", "ACME PTY. LIMITED", "Acme Proprietary Limited", "Acme"]
        let names = spellings.map { LegalForms.split(TextFolding.tokens($0)).name }
        #expect(Set(names).count == 1)
    }
}
