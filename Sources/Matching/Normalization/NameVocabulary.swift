/// The words of company names: abbreviations and their full words, connectives, and words that carry little
/// identity; pure lookups in constant tables, safe from any thread.
public enum NameVocabulary {
    /// The full word for a folded abbreviation ("intl" → "international", "sté" → "societe"), or for the singular
    /// of a generic plural ("technology" → "technologies"); nil when the token is already canonical.
    public static func canonical(_ token: String) -> String? {
        abbreviations[token]
    }

    /// Whether a folded token only links words ("&", "and", "et", "und", "of", "de", "the"), counting the single
    /// letters "e", "i" and "y" (so initials go too) but not the surname particles "van" and "von".
    public static func isConnective(_ token: String) -> Bool {
        connectives.contains(token)
    }

    /// Whether a folded, canonical token says what a company does or is rather than who it is ("group",
    /// "services", "cabinet", "gruppo"); such words should weigh less when names are compared.
    public static func isGenericBusinessWord(_ token: String) -> Bool {
        genericWords.contains(token)
    }

    // "tech" becomes "technologies": "Acme Tech" and "Acme Technologies" are far more often one company than two.
    // "ste" becomes "societe" as in company names ("Sté Générale"); in street names it means "sainte", which is
    // why StreetAddress keeps its own table. "gebr" is the German "Gebrüder" rather than the Dutch "Gebroeders".
    private static let abbreviations: [String: String] = [
        "ste": "societe", "soc": "societe", "cie": "compagnie", "cia": "compania", "ets": "etablissements",
        "gle": "generale", "grp": "group", "grpe": "groupe", "intl": "international", "int": "international",
        "intnl": "international", "mfg": "manufacturing", "mfrs": "manufacturers", "mfr": "manufacturers",
        "bros": "brothers", "ind": "industries", "inds": "industries", "indus": "industries",
        "industry": "industries", "ptnrs": "partners", "ptrs": "partners", "ptnr": "partners",
        "assoc": "associates", "assocs": "associates", "assn": "association", "eng": "engineering",
        "engg": "engineering", "engr": "engineering", "engrg": "engineering", "plbg": "plumbing",
        "elec": "electrical", "elect": "electrical", "cab": "cabinet", "svcs": "services", "svc": "services",
        "srvcs": "services", "servs": "services", "service": "services", "tech": "technologies",
        "techs": "technologies", "technol": "technologies", "technology": "technologies", "hldgs": "holdings",
        "hldg": "holdings", "hlds": "holdings", "holding": "holdings", "mgmt": "management", "mgt": "management",
        "dept": "department", "natl": "national", "nat": "national", "univ": "university", "govt": "government",
        "ctr": "center", "cntr": "center", "ctre": "center", "centre": "center", "med": "medical",
        "hosp": "hospital", "lab": "laboratories", "labs": "laboratories", "laboratory": "laboratories",
        "fin": "financial", "finl": "financial", "ins": "insurance", "dev": "development", "devel": "development",
        "distr": "distribution", "distrib": "distribution", "equip": "equipment", "sys": "systems",
        "system": "systems", "soln": "solutions", "solns": "solutions", "solution": "solutions",
        "comms": "communications", "constr": "construction", "contrs": "contractors", "prod": "products",
        "prods": "products", "ent": "enterprises", "ents": "enterprises", "envtl": "environmental",
        "gen": "general", "amer": "american", "mktg": "marketing", "transp": "transportation",
        "mach": "machinery", "props": "properties", "invts": "investments", "invs": "investments",
        "fdn": "foundation", "inst": "institute", "bldg": "building", "bldrs": "builders",
        "consult": "consulting", "coop": "cooperative", "hnos": "hermanos", "flli": "fratelli",
        "ges": "gesellschaft", "verw": "verwaltung", "gebr": "gebruder",
        // Russian generic words as BGN transliterates them ("Партнёры" → "partnery").
        "partnery": "partners", "gruppa": "group", "kompaniya": "company", "tekhnologii": "technologies",
        "servis": "services", "sistemy": "systems", "resheniya": "solutions", "inzhiniring": "engineering",
        "konsalting": "consulting", "logistika": "logistics", "stroitelstvo": "construction",
        "torgovyy": "trading", "proizvodstvo": "manufacturing", "mezhdunarodnyy": "international",
        // Greek, as UNGEGN transliterates it.
        "omilos": "group", "etaireia": "company", "ypiresies": "services", "systimata": "systems",
        "technologies": "technologies",
        // Arabic names in Latin letters: "Est." is مؤسسة, an establishment.
        "est": "establishment",
    ]

    private static let connectives: Set<String> = [
        "&", "and", "et", "und", "y", "e", "en", "og", "och", "i", "the", "of", "de", "du", "des", "der", "die", "das",
        "la", "le", "les", "el", "los", "las", "da", "do", "dos", "di", "del", "della", "dei", "het", "al",
    ]

    private static let genericWords: Set<String> = [
        // English.
        "industries", "partners", "associates", "engineering", "brothers", "sons", "group", "holdings", "services",
        "solutions", "systems", "international", "trading", "consulting", "consultants", "company", "enterprises",
        "technologies", "global", "management", "plumbing", "electrical", "construction", "logistics",
        "manufacturing", "products", "distribution", "investments", "properties", "development", "marketing",
        "agency", "resources", "ventures", "capital", "networks", "communications", "supplies", "contractors",
        "national", "general", "worldwide", "laboratories", "equipment", "builders", "trust", "center",
        "establishment",
        // French.
        "societe", "compagnie", "cabinet", "groupe", "entreprise", "etablissements", "conseil", "ingenierie",
        "industrie", "transports", "generale",
        // German.
        "gruppe", "handel", "dienstleistungen", "technik", "beratung", "verwaltung", "vertrieb", "gesellschaft",
        "unternehmen", "systeme", "gebruder", "bau",
        // Spanish and Portuguese.
        "grupo", "servicios", "soluciones", "compania", "empresa", "internacional", "comercial", "distribuidora",
        "industrias", "ingenieria", "consultores", "construcciones", "inversiones", "hermanos", "servicos",
        // Italian.
        "gruppo", "servizi", "societa", "impresa", "costruzioni", "commerciale", "fratelli",
        "internazionale",
        // Dutch.
        "groep", "diensten", "techniek", "installatietechniek", "bouw", "handelsonderneming", "gebroeders",
    ]
}
