"""Writes the labelled category tables of bench/categories (issue 17): `python3 make_tables.py` in this folder.

Each table is made of customers written down by hand in customers.json (names, streets, cities), each registered
one to three times in the ways partners type them: another script or romanisation, the legal form spelt out, moved
or dropped, abbreviations, missing fields, other id formats; ids come from taxids.py. Which spelling a registration
gets is drawn from a seeded random generator, and so is the order of the rows, so the files come out the same on
every run.
README.md says what each table holds and what a matcher should decide.
"""

import csv
import json
import random
import sys
import unicodedata
from pathlib import Path

import romanize
import taxids

COLUMNS = ["rec_id", "company_name", "street", "city", "postal_code", "region", "country", "web_domain", "tax_id",
           "cluster_id", "note"]
HERE = Path(__file__).resolve().parent
# The customers, written out by hand: customers.json, one list per kind, each described where it is read below.
with (HERE / "customers.json").open(encoding="utf-8") as _handle:
    CUSTOMERS = json.load(_handle)


class Table:
    """Rows of one category; `write` shuffles them (seeded) and numbers them."""

    def __init__(self, name, prefix, seed):
        self.name = name
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.rows = []

    def add(self, cluster, name, street="", city="", postal="", region="", country="", domain="", tax="", note=""):
        self.rows.append(dict(company_name=name, street=street, city=city, postal_code=postal, region=region,
                              country=country, web_domain=domain, tax_id=tax, cluster_id=cluster, note=note))

    def pick(self, options):
        return self.rng.choice(options)

    def maybe(self, probability, value, otherwise=""):
        return value if self.rng.random() < probability else otherwise

    def write(self):
        rows = list(self.rows)
        self.rng.shuffle(rows)
        path = HERE / (self.name + ".csv")
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
            writer.writeheader()
            for number, row in enumerate(rows, start=1):
                writer.writerow(dict(row, rec_id="%s%03d" % (self.prefix, number)))
        clusters = {}
        for row in rows:
            clusters[row["cluster_id"]] = clusters.get(row["cluster_id"], 0) + 1
        repeats = sum(count - 1 for count in clusters.values())
        print("%-20s %4d rows, %3d customers, %3d registrations of an already registered one"
              % (path.name, len(rows), len(clusters), repeats))


# Cyrillic ---------------------------------------------------------------------------------------------------------

RU_FORMS = {
    "ООО": (["ООО", "ООО", "ООО", "Общество с ограниченной ответственностью"], ["OOO", "OOO", "LLC", "Ltd", "LLC"]),
    "АО": (["АО", "АО", "Акционерное общество"], ["AO", "JSC", "JSC", "AO"]),
    "ПАО": (["ПАО"], ["PAO", "PJSC", "PJSC"]),
    "ЗАО": (["ЗАО"], ["ZAO", "CJSC"]),
    "ТОВ": (["ТОВ", "ТОВ", "Товариство з обмеженою відповідальністю"], ["TOV", "LLC", "TOV", "Ltd"]),
    "ПрАТ": (["ПрАТ"], ["PrAT", "PJSC", "PrJSC"]),
    "ЕООД": (["ЕООД"], ["EOOD", "EOOD", "Ltd", "EOOD"]),
    "ООД": (["ООД"], ["OOD", "OOD", "Ltd"]),
    "АД": (["АД"], ["AD", "JSC", "AD"]),
    "д.о.о.": (["д.о.о.", "доо", "Д.О.О."], ["d.o.o.", "doo", "d.o.o.", "LLC"]),
    "а.д.": (["а.д.", "АД"], ["a.d.", "AD", "JSC"]),
    "ИП": (["ИП", "Индивидуальный предприниматель"], ["IP", "IE", "Individual Entrepreneur", "Sole Proprietor"]),
}

# Street designators: native spellings, Latin spellings (transliterated or translated, before or after the name).
RU_STREET_KINDS = {
    "ул.": (["ул. {n}, {h}", "ул. {n}, д. {h}", "улица {n}, дом {h}", "{n} ул., д.{h}", "ул.{n} {h}"],
            ["ul. {n} {h}", "ul. {n}, d. {h}", "{n} ulitsa {h}", "{h} {n} St", "{n} str. {h}", "{n} street, {h}"]),
    "просп.": (["просп. {n}, {h}", "пр-т {n}, д. {h}", "проспект {n}, {h}"],
               ["prospekt {n} {h}", "pr. {n} {h}", "{h} {n} Ave", "{n} prospect, {h}", "prosp. {n}, {h}"]),
    "наб.": (["наб. {n}, {h}", "{n} набережная, д. {h}"],
             ["nab. {n} {h}", "{n} naberezhnaya {h}", "{h} {n} Embankment", "{n} emb., {h}"]),
    "пер.": (["пер. {n}, {h}", "{n} переулок, д. {h}"], ["per. {n} {h}", "{n} pereulok {h}", "{n} lane {h}"]),
    "бул.": (["бул. {n} {h}", "булевард {n} {h}", "бул. „{n}“ № {h}"],
             ["bul. {n} {h}", "{h} {n} Blvd", "blvd. {n} {h}", "bulevard {n} {h}"]),
    "вул.": (["вул. {n}, {h}", "вулиця {n}, буд. {h}"],
             ["vul. {n} {h}", "{n} str., {h}", "{h} {n} Street", "vulytsia {n} {h}", "ul. {n} {h}"]),
    "улица": (["улица {n} {h}", "ул. {n} бр. {h}", "{n} {h}"],
              ["{n} {h}", "ulica {n} {h}", "{n} St. {h}", "ul. {n} {h}"]),
}

CITIES = {
    # native: (Latin exonyms people type, country, region as people type it or "")
    "Москва": (["Moscow", "Moscow", "Moskva", "MOSCOW"], "RU", ["", "", "г. Москва", "Moscow"]),
    "Санкт-Петербург": (["Saint Petersburg", "St. Petersburg", "St Petersburg", "Sankt-Peterburg", "SPb"], "RU",
                        ["", "", "Ленинградская обл."]),
    "Новосибирск": (["Novosibirsk"], "RU", ["", "Новосибирская обл.", "Novosibirsk Oblast"]),
    "Екатеринбург": (["Yekaterinburg", "Ekaterinburg", "Jekaterinburg"], "RU", ["", "Свердловская обл."]),
    "Казань": (["Kazan", "Kazan'", "Kazan"], "RU", ["", "Республика Татарстан", "Tatarstan"]),
    "Нижний Новгород": (["Nizhny Novgorod", "Nizhniy Novgorod", "N. Novgorod"], "RU", [""]),
    "Київ": (["Kyiv", "Kyiv", "Kiev", "KYIV"], "UA", ["", "", "м. Київ"]),
    "Харків": (["Kharkiv", "Kharkov", "Kharkiv"], "UA", ["", "Харківська обл."]),
    "Львів": (["Lviv", "Lvov", "Lviv", "Lwow"], "UA", ["", "Львівська обл."]),
    "Одеса": (["Odesa", "Odessa", "Odessa"], "UA", [""]),
    "София": (["Sofia", "Sofia", "Sofiya", "SOFIA"], "BG", ["", "София-град", "Sofia City"]),
    "Пловдив": (["Plovdiv"], "BG", [""]),
    "Варна": (["Varna"], "BG", ["", "обл. Варна"]),
    "Београд": (["Belgrade", "Beograd", "Belgrade", "BEOGRAD"], "RS", [""]),
    "Нови Сад": (["Novi Sad"], "RS", ["", "Vojvodina", "Војводина"]),
    "Ниш": (["Niš", "Nis", "Nish"], "RS", [""]),
}

LANG_OF = {"RU": "ru", "UA": "uk", "BG": "bg", "RS": "sr"}


def romanise_cyrillic(text, country, scheme):
    if country == "RU":
        return romanize.russian(text, scheme)
    if country == "UA":
        return romanize.ukrainian(text, scheme)
    if country == "BG":
        return romanize.bulgarian(text, scheme)
    return romanize.serbian(text, scheme)


def schemes_for(country):
    return {"RU": romanize.RUSSIAN_SCHEMES, "UA": romanize.UKRAINIAN_SCHEMES, "BG": romanize.BULGARIAN_SCHEMES,
            "RS": romanize.SERBIAN_SCHEMES}[country]


# Each customer (customers.json): cluster, native name, legal form, English name (a translation, when the company
# uses one) or null, city, [street kind, native street name], house number, postal code, has an id, domain, how
# many registrations. Russian, then Ukrainian, Bulgarian and Serbian companies.
CYRILLIC = CUSTOMERS["CYRILLIC"]

# The first two digits of an organisation's INN are its region's tax office.
INN_REGION = {"Москва": "77", "Санкт-Петербург": "78", "Новосибирск": "54", "Екатеринбург": "66", "Казань": "16",
              "Нижний Новгород": "52"}

EXTRA_STREET_KINDS = {
    "ш.": (["{n} ш., д. {h}", "шоссе {n}, {h}"], ["{n} sh. {h}", "{n} shosse {h}", "{h} {n} Highway"]),
    "пл.": (["пл. {n}, {h}", "площадь {n}, д. {h}"], ["pl. {n} {h}", "ploshchad {n} {h}", "{h} {n} Square"]),
}
RU_STREET_KINDS.update(EXTRA_STREET_KINDS)


class Script:
    """How one script's customers are written: legal forms, street designators, cities, romanisation, ids."""

    def __init__(self, forms, streets, cities, romanise, schemes, identifier, id_labels, native_name, postal,
                 language):
        self.forms = forms
        self.streets = streets
        self.cities = cities
        self.romanise = romanise
        self.schemes = schemes
        self.identifier = identifier
        self.id_labels = id_labels
        self.native_name = native_name
        self.postal = postal
        self.language = language


def latin_company(rng, latin_name, legal):
    style = rng.random()
    if style < 0.5:
        return "%s %s" % (latin_name, legal)
    if style < 0.75:
        return "%s %s" % (legal, latin_name)
    if style < 0.88:
        return '%s "%s"' % (legal, latin_name)
    return latin_name.upper() + ", " + legal.upper()


def script_table(table, customers, script):
    """Registers each customer 1-3 times, in its own script or in Latin letters (a romanisation or the English name
    the company uses), with the fields partners leave out or write otherwise."""
    rng = table.rng
    for cluster, name, form, english, city, (kind, street), house, postal, has_id, domain, count in customers:
        latin_cities, country, regions = script.cities[city]
        identifier = script.identifier(country, city)
        native_forms, latin_forms = script.forms[form]
        # The first registration is in the customer's script as often as not; a repeated customer shows both.
        sides = [rng.random() < 0.55] + [rng.random() < 0.4 for _ in range(count - 1)]
        if count > 1 and len(set(sides)) == 1:
            sides[-1] = not sides[0]
        for native in sides:
            scheme = rng.choice(script.schemes(country))
            if native:
                company = script.native_name(rng, name, rng.choice(native_forms), country, form)
                street_text = rng.choice(script.streets[kind][0]).format(n=street, h=house)
                city_text = city
                region = rng.choice(regions) if rng.random() < 0.3 else ""
                note = "%s, %s script" % (country, script.language(country))
            else:
                latin_name = script.romanise(name, country, scheme)
                note_name = "romanised (%s)" % scheme
                if english and rng.random() < 0.6:
                    latin_name, note_name = english, "English name"
                company = latin_company(rng, latin_name, rng.choice(latin_forms))
                if country == "RS":
                    company = latin_name + " " + rng.choice(latin_forms)
                street_latin = script.romanise(street, country, scheme)
                street_text = rng.choice(script.streets[kind][1]).format(n=street_latin, h=house)
                city_text = (rng.choice(latin_cities) if rng.random() < 0.75
                             else script.romanise(city, country, scheme))
                region = ""
                note = "%s, Latin, %s" % (country, note_name)
            postal_text = script.postal(rng, postal, country) if rng.random() < 0.9 else ""
            tax = rng.choice(script.id_labels[country]) + identifier if has_id and rng.random() < 0.6 else ""
            site = ""
            if domain and rng.random() < 0.7:
                site = rng.choice([domain, "www." + domain, "https://" + domain + "/", "http://www." + domain])
            table.add(cluster, company, street_text, city_text, postal_text, region, country, site, tax, note)
    return table


def cyrillic_name(rng, name, legal, country, form):
    if country == "RS" or form == "ИП" and rng.random() < 0.5:
        return name + " " + legal
    shown = rng.choice(["«%s»", '"%s"', "%s", "%s"] if country in ("RU", "UA") else ['"%s"', "%s", "%s"])
    if country == "RU" or rng.random() < 0.8:
        return legal + " " + shown % name
    return name + " " + legal


def cyrillic_postal(rng, postal, country):
    return postal[:3] + " " + postal[3:] if country == "RU" and rng.random() < 0.15 else postal


def cyrillic_table():
    table = Table("scripts-cyrillic", "CY", 17_01)
    rng = table.rng
    script = Script(
        RU_FORMS, RU_STREET_KINDS, CITIES, romanise_cyrillic, schemes_for,
        lambda country, city: (taxids.ru_inn(rng, INN_REGION[city]) if country == "RU"
                               else taxids.valid_id(country, rng)),
        {"RU": ["ИНН ", "INN ", "", ""], "UA": ["ЄДРПОУ ", "EDRPOU ", ""], "BG": ["ЕИК ", "BG", "", "UIC "],
         "RS": ["ПИБ ", "PIB ", ""]},
        cyrillic_name, cyrillic_postal, lambda country: LANG_OF[country])
    return script_table(table, CYRILLIC, script)


# Greek ------------------------------------------------------------------------------------------------------------

GR_FORMS = {
    "Α.Ε.": (["Α.Ε.", "ΑΕ", "Α.Ε.", "Ανώνυμη Εταιρεία"], ["S.A.", "SA", "A.E.", "AE", "S.A."]),
    "Ε.Π.Ε.": (["Ε.Π.Ε.", "ΕΠΕ"], ["EPE", "E.P.E.", "Ltd"]),
    "Ι.Κ.Ε.": (["Ι.Κ.Ε.", "ΙΚΕ"], ["IKE", "P.C.", "PC", "I.K.E."]),
    "Ο.Ε.": (["Ο.Ε.", "ΟΕ"], ["OE", "O.E.", "G.P."]),
    "Α.Β.Ε.Ε.": (["Α.Β.Ε.Ε.", "ΑΒΕΕ"], ["ABEE", "S.A.", "A.B.E.E."]),
}

GR_STREETS = {
    "οδός": (["{n} {h}", "{n} {h}", "οδός {n} {h}", "{n} αρ. {h}", "{n} {h}, Τ.Θ. 1020"],
             ["{n} {h}", "{n} Str. {h}", "{h} {n} Street", "odos {n} {h}", "{n} St {h}"]),
    "Λεωφόρος": (["Λεωφόρος {n} {h}", "Λεωφ. {n} {h}", "Λ. {n} {h}"],
                 ["Leoforos {n} {h}", "Leof. {n} {h}", "{n} Ave. {h}", "{h} {n} Avenue", "L. {n} {h}"]),
}

GR_CITIES = {
    "Αθήνα": (["Athens", "Athens", "Athina", "ATHENS"], "GR", ["", "Αττική", "Attica"]),
    "Θεσσαλονίκη": (["Thessaloniki", "Thessaloniki", "Salonica", "Thessaloníki"], "GR", ["", "Κεντρική Μακεδονία"]),
    "Πειραιάς": (["Piraeus", "Piraeus", "Peiraias", "Pireas"], "GR", ["", "Αττική"]),
    "Πάτρα": (["Patras", "Patra"], "GR", [""]),
    "Ηράκλειο": (["Heraklion", "Iraklio", "Irakleio", "Heraklion Crete"], "GR", ["", "Κρήτη", "Crete"]),
    "Λάρισα": (["Larissa", "Larisa"], "GR", [""]),
    "Ρόδος": (["Rhodes", "Rodos"], "GR", ["", "Δωδεκάνησα"]),
    "Αιγάλεω": (["Egaleo", "Aigaleo", "Athens"], "GR", ["", "Αττική"]),
    "Μαρούσι": (["Marousi", "Maroussi", "Amarousio", "Athens"], "GR", ["", "Αττική"]),
    "Φηρά": (["Fira", "Thira", "Santorini"], "GR", ["", "Σαντορίνη", "Santorini"]),
    "Ιωάννινα": (["Ioannina", "Ioannina", "Yannina"], "GR", [""]),
}

# Greek customers in the same shape as the Cyrillic ones.
GREEK = CUSTOMERS["GREEK"]


def greek_name(rng, name, legal, country, form):
    if rng.random() < 0.3:
        # The business registry (ΓΕΜΗ) prints names in capitals without accents; partners copy them.
        upper = "".join(c for c in unicodedata.normalize("NFD", (name + " " + legal).upper()) if c != "\u0301")
        return unicodedata.normalize("NFC", upper)
    return name + " " + legal


def greek_postal(rng, postal, country):
    return rng.choice([postal, postal, postal[:3] + " " + postal[3:], "T.K. " + postal, "GR-" + postal])


def greek_table():
    table = Table("scripts-greek", "GR", 17_02)
    rng = table.rng
    script = Script(
        GR_FORMS, GR_STREETS, GR_CITIES, lambda text, country, scheme: romanize.greek(text, scheme),
        lambda country: romanize.GREEK_SCHEMES, lambda country, city: taxids.valid_id("GR", rng),
        {"GR": ["ΑΦΜ ", "EL", "", "VAT EL ", "AFM: "]}, greek_name, greek_postal, lambda country: "el")
    return script_table(table, GREEK, script)


# CJK --------------------------------------------------------------------------------------------------------------
# A translation is not a transliteration: "トヨタ自動車株式会社" and "Toyota Motor Corporation" share no letter a
# romaniser could find. Each customer lists how its name, street and city are written in its script and in Latin
# letters; what ties the two sides is what a Japanese, Chinese or Korean address always carries (postal code and
# house number) and, when the partner typed them, the company's id and domain.


# A customer of this kind and of the Arabic, Hebrew and Thai table is an object of customers.json: `cluster`,
# `country`, `count` (registrations), `names` / `latin_names`, `street` / `latin_streets`, `city` / `latin_cities`
# (the spellings each side draws from), `postal`, `region` / `latin_region`, `id_kind` (jp: corporate number, often
# as the "T…" invoice number; cn: unified social credit code in `division`; kr: business number; sa, ae, eg, il,
# th), and `domain`. Japanese names put 株式会社 before or after the name, or (株) and ㈱; Chinese ones 有限公司
# or 股份有限公司 after the city, in simplified or traditional characters; Korean ones 주식회사, (주) or ㈜, with
# Revised Romanization or McCune-Reischauer on the Latin side.
CJK = CUSTOMERS["CJK"]

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
FULL_WIDTH[ord("-")] = ord("－")


def cjk_postal(rng, postal, country, native):
    if country == "JP":
        options = [postal, postal, postal.replace("-", "")]
        if native:
            options += ["〒" + postal, "〒" + postal, postal.translate(FULL_WIDTH)]
        return rng.choice(options)
    return postal


def written_identifier(rng, customer):
    kind = customer["id_kind"]
    if kind == "sa":
        # Saudi VAT numbers are 15 digits that begin and end with 3; no public check digit.
        return "3" + taxids._digits(rng, 13, first_nonzero=False) + "3", ["", "الرقم الضريبي ", "VAT "]
    if kind == "ae":
        return "100" + taxids._digits(rng, 12, first_nonzero=False), ["", "TRN ", "TRN: "]
    if kind == "eg":
        number = taxids._digits(rng, 9)
        return number[:3] + "-" + number[3:6] + "-" + number[6:], ["", "Tax Reg. "]
    if kind == "il":
        return taxids.valid_id("IL", rng), ["", "ח.פ. ", "Company No. "]
    if kind == "th":
        return taxids.valid_id("TH", rng), ["", "เลขประจำตัวผู้เสียภาษี ", "Tax ID "]
    if kind == "jp":
        return taxids.jp_corporate_number(rng), ["", "法人番号 ", "T", "Corporate No. "]
    if kind == "cn":
        return taxids.cn_uscc(rng, customer["division"]), ["", "统一社会信用代码：", "USCC "]
    if kind == "kr":
        number = taxids.valid_id("KR", rng)
        return number[:3] + "-" + number[3:5] + "-" + number[5:], ["", "사업자등록번호 ", "BRN "]
    return "", [""]


def cjk_table():
    return written_table(Table("scripts-cjk", "CJ", 17_03), CJK)


def written_table(table, customers):
    """Registers each customer 1-3 times, in its script or in Latin letters, from the spellings written out."""
    rng = table.rng
    for customer in customers:
        identifier, labels = written_identifier(rng, customer)
        count = customer["count"]
        sides = [rng.random() < 0.6 for _ in range(count)]
        if count > 1 and len(set(sides)) == 1 and rng.random() < 0.7:
            sides[-1] = not sides[0]
        for native in sides:
            country = customer["country"]
            if native:
                name = rng.choice(customer["names"])
                street = rng.choice(customer["street"])
                city = customer["city"]
                if customer["region"] and rng.random() < 0.3:
                    # Korean addresses space their parts; Chinese and Japanese ones run on.
                    city = customer["region"] + (" " if country == "KR" else "") + city
                region = customer["region"] if rng.random() < 0.4 else ""
                note = "%s, native script" % country
            else:
                name = rng.choice(customer["latin_names"])
                street = rng.choice(customer["latin_streets"])
                city = rng.choice(customer["latin_cities"])
                region = customer["latin_region"] if rng.random() < 0.4 else ""
                note = "%s, Latin (translation or romanisation)" % country
            tax = ""
            if identifier and rng.random() < 0.5:
                tax = rng.choice(labels) + identifier
            site = ""
            if customer["domain"] and rng.random() < 0.6:
                domain = customer["domain"]
                site = rng.choice([domain, "www." + domain, "https://www." + domain])
            table.add(customer["cluster"], name, street, city, cjk_postal(rng, customer["postal"], country, native),
                      region, country, site, tax, note)
    return table


# Arabic, Hebrew, Thai: the same shape as the CJK table, the Latin side as the company or a partner spells it.
OTHER = CUSTOMERS["OTHER"]


def other_table():
    return written_table(Table("scripts-other", "OT", 17_04), OTHER)


# Latin-script tables ----------------------------------------------------------------------------------------------


# A customer of the Latin-script tables is an object of customers.json: `cluster`, `country`, `count`, `names`
# (`names[0]` and `names[1]` are the two shapes the table is about, an acronym and its expansion; a repeated
# customer shows both), `streets`, `cities`, `postal`, `domains`, `taxes`, `region` and the row's `note`.


def latin_table(table, customers, domain_rate=0.5, tax_rate=0.4, field_rate=0.9):
    rng = table.rng
    for customer in customers:
        count = customer["count"]
        names = customer["names"]
        chosen = names[:2] if count >= 2 else [rng.choice(names[:2])]
        chosen += [rng.choice(names) for _ in range(count - 2)]
        rng.shuffle(chosen)
        for name in chosen:
            street = rng.choice(customer["streets"]) if customer["streets"] and rng.random() < field_rate else ""
            city = rng.choice(customer["cities"]) if customer["cities"] else ""
            postal = customer["postal"] if rng.random() < field_rate else ""
            domain = rng.choice(customer["domains"]) if customer["domains"] and rng.random() < domain_rate else ""
            tax = rng.choice(customer["taxes"]) if customer["taxes"] and rng.random() < tax_rate else ""
            region = customer["region"] if rng.random() < 0.5 else ""
            table.add(customer["cluster"], name, street, city, postal, region, customer["country"], domain, tax,
                      customer["note"])
    return table


# Acronyms against their expansions at one address (real companies, then invented ones), then the negatives:
# another company whose name is, or abbreviates to, the same letters in another city or country, or in the same city.
ACRONYMS = CUSTOMERS["ACRONYMS"]


def acronyms_table():
    return latin_table(Table("acronyms", "AC", 17_05), ACRONYMS, tax_rate=0)


# Tax ids ----------------------------------------------------------------------------------------------------------


def vat_spellings(country, number):
    """How partners write a valid VAT number: with or without the prefix, spaced, labelled."""
    if country == "DE":
        return ["DE" + number, "DE " + number[:3] + " " + number[3:6] + " " + number[6:], "USt-IdNr. DE" + number]
    if country == "FR":
        vat = taxids.fr_vat(number)
        return ["FR" + vat, "FR " + vat[:2] + " " + number[:3] + " " + number[3:6] + " " + number[6:],
                "TVA FR" + vat]
    if country == "IT":
        return ["IT" + number, "P.IVA " + number, number, "IT " + number]
    if country == "ES":
        return ["ES" + number, number, "CIF: " + number, "ES-" + number]
    if country == "NL":
        return ["NL" + number + "B01", "NL " + number[:4] + "." + number[4:6] + "." + number[6:] + ".B01"]
    if country == "BE":
        return ["BE" + number, "BE " + number[:4] + "." + number[4:7] + "." + number[7:], number]
    if country == "AT":
        return ["ATU" + number, "ATU " + number, "UID: ATU" + number]
    if country == "PL":
        return ["PL" + number, number[:3] + "-" + number[3:6] + "-" + number[6:8] + "-" + number[8:],
                "NIP " + number]
    if country == "GB":
        return ["GB" + number, "GB " + number[:3] + " " + number[3:7] + " " + number[7:], "VAT Reg. " + number]
    if country == "CH":
        dotted = number[:3] + "." + number[3:6] + "." + number[6:]
        return ["CHE-" + dotted + " MWST", "CHE" + number, "CHE-" + dotted + " TVA", "CHE-" + dotted]
    raise ValueError(country)


def valid_vat(rng, country):
    return taxids.valid_id("FR", rng) if country == "FR" else taxids.valid_id(country, rng)


def vat_checker(country):
    if country == "FR":
        return lambda number: taxids.is_valid("FR", number)
    return lambda number: taxids.is_valid(country, number)


# Same legal entity under a trading name and its registered name (a shop, a hotel, a franchise it runs): one VAT
# number. (cluster, country, registered name, trading name, street, city, postal, second street, city, postal).
TRADING_NAMES = CUSTOMERS["TRADING_NAMES"]

# Different companies in different countries whose ids are the same digits, valid in each country.
CROSS_COUNTRY = CUSTOMERS["CROSS_COUNTRY"]

# Different companies, one of which carries the other's number with one digit changed (a slip when copying from
# another record): invalid by its check digit, so no evidence of anything.
MISTYPED_OTHER = CUSTOMERS["MISTYPED_OTHER"]

# One customer registered twice, the second time with its number mistyped: recall must come from the rest.
MISTYPED_SELF = CUSTOMERS["MISTYPED_SELF"]

# One customer registered under its VAT number and again under another id of the same company (SIRET, KvK number,
# Steuernummer, Companies House number, codice fiscale): different strings, one legal entity.
OTHER_ID_KIND = CUSTOMERS["OTHER_ID_KIND"]

# Different companies registered with the same placeholder a partner types when it does not know the number.
# GB000000000 passes the UK's mod-97 check, and is nobody's number.
PLACEHOLDERS = CUSTOMERS["PLACEHOLDERS"]

# Same name, different city, each with its own valid number: two companies.
SAME_NAME = CUSTOMERS["SAME_NAME"]


def tax_ids_table():
    table = Table("tax-ids", "TX", 17_06)
    rng = table.rng
    for cluster, country, legal, trading, street, city, postal, street2, city2, postal2 in TRADING_NAMES:
        number = valid_vat(rng, country)
        spellings = vat_spellings(country, number)
        table.add(cluster, legal, street, city, postal, "", country, "", rng.choice(spellings),
                  "registered name with its VAT number")
        table.add(cluster, trading, street2, city2, postal2, "", country, "", rng.choice(spellings),
                  "trading name of the same legal entity, same VAT number (expected: conflict)")
    for index, (first, second) in enumerate(CROSS_COUNTRY):
        while True:
            number = taxids.valid_id(first[0], rng)
            # A Belgian enterprise number begins with 0 or 1.
            plausible = "BE" not in (first[0], second[0]) or number[0] in "01"
            if plausible and len(number) == len(taxids.valid_id(second[0], rng)) and taxids.is_valid(second[0],
                                                                                                      number):
                break
        for country, name, street, city, postal in (first, second):
            spelling = rng.choice(vat_spellings(country, number) + [number])
            table.add("cross-%d-%s" % (index, country.lower()), name, street, city, postal, "", country, "",
                      spelling, "negative: the same digits are a valid id in %s and %s" % (first[0], second[0]))
    for index, (country, first, second) in enumerate(MISTYPED_OTHER):
        number = valid_vat(rng, country)
        wrong = taxids.mistype(number, rng, vat_checker(country))
        for suffix, (name, street, city, postal), digits, note in (
                ("a", first, number, "valid id"),
                ("b", second, wrong, "negative: another company's id with one digit changed (invalid)")):
            table.add("mistyped-%d-%s" % (index, suffix), name, street, city, postal, "", country, "",
                      rng.choice(vat_spellings(country, digits)), note)
    for index, (country, name, second_name, street, city, postal) in enumerate(MISTYPED_SELF):
        number = valid_vat(rng, country)
        wrong = taxids.mistype(number, rng, vat_checker(country))
        cluster = "self-mistyped-%d" % index
        table.add(cluster, name, street, city, postal, "", country, "", rng.choice(vat_spellings(country, number)),
                  "valid id")
        table.add(cluster, second_name, street, city, postal, "", country, "",
                  rng.choice(vat_spellings(country, wrong)),
                  "same company, its id mistyped (invalid): found by name and address")
    for index, (country, name, second_name, street, city, postal, kind) in enumerate(OTHER_ID_KIND):
        number = valid_vat(rng, country)
        if kind == "siret":
            other = "SIRET " + taxids.fr_siret(number, rng)
        elif kind == "kvk":
            other = "KvK " + taxids._digits(rng, 8)
        elif kind == "steuernummer":
            other = "St.-Nr. 026/%s/%s" % (taxids._digits(rng, 3), taxids._digits(rng, 5))
        elif kind == "crn":
            other = "Company No. 0" + taxids._digits(rng, 7)
        else:
            other = number
        cluster = "other-id-%d" % index
        table.add(cluster, name, street, city, postal, "", country, "", rng.choice(vat_spellings(country, number)),
                  "VAT number")
        table.add(cluster, second_name, street, city, postal, "", country, "", other,
                  "same company under another id of it (%s)" % kind)
    for index, (country, placeholder, first, second) in enumerate(PLACEHOLDERS):
        for suffix, (name, street, city, postal) in (("a", first), ("b", second)):
            table.add("placeholder-%d-%s" % (index, suffix), name, street, city, postal, "", country, "", placeholder,
                      "negative: a placeholder id that another company also carries")
    for index, (country, name, first, second) in enumerate(SAME_NAME):
        for suffix, (street, city, postal) in (("a", first), ("b", second)):
            table.add("same-name-%d-%s" % (index, suffix), name, street, city, postal, "", country, "",
                      rng.choice(vat_spellings(country, valid_vat(rng, country))),
                      "negative: the same name in another city with its own valid id")
    return table


# Domains ----------------------------------------------------------------------------------------------------------

# One customer under one registrable domain, written as partners write it (a shop subdomain, a full URL, an e-mail
# address, a trailing dot, a port, the punycode of an internationalised name), often under another trading name or
# at another branch: expected at least a review, a conflict when the names are similar.
# (cluster, country, [(name, street, city, postal, web_domain), ...])
SAME_DOMAIN = CUSTOMERS["SAME_DOMAIN"]

# Small businesses of one town that share a mail provider's or a hosting service's domain: never a conflict.
# (town, country, postal, [(name, street, web_domain), ...]); a name listed twice is one business registered twice.
SHARED_DOMAIN_TOWNS = CUSTOMERS["SHARED_DOMAIN_TOWNS"]


def domains_table():
    table = Table("domains", "DM", 17_07)
    for cluster, country, rows in SAME_DOMAIN:
        for name, street, city, postal, domain in rows:
            table.add(cluster, name, street, city, postal, "", country, domain, "",
                      "same customer under one registrable domain (expected: at least a review)")
    for town, country, postal, rows in SHARED_DOMAIN_TOWNS:
        for name, street, domain in rows:
            cluster = "%s-%s" % (town.lower(), name.lower().replace(" ", "-").replace("'", ""))
            table.add(cluster, name, street, town, postal, "", country, domain, "",
                      "a shared mail or hosting domain: never a conflict with another business")
    return table


# Unrelated names --------------------------------------------------------------------------------------------------

# Small businesses of one town and postal code whose names share no word, often on one street or in one building,
# often on one free-mail domain: never a conflict (a review is allowed at one address). A business with a third
# field is the one that field names, registered again and written another way, so that recall is measured too.
# (town, country, postal, mail domain, [(name, street[, name of the business it registers again]), ...])
NEIGHBOURS = CUSTOMERS["NEIGHBOURS"]


def unrelated_names_table():
    table = Table("unrelated-names", "UN", 17_08)
    rng = table.rng
    for town, country, postal, mail, businesses in NEIGHBOURS:
        clusters = {}
        for business in businesses:
            name, street = business[:2]
            original = business[2] if len(business) > 2 else None
            cluster = clusters[original] if original else "%s-%d" % (town.split()[0].lower(), len(clusters))
            clusters.setdefault(name, cluster)
            handle = "".join(c for c in name.lower() if c.isalnum())[:14]
            domain = rng.choice([mail, mail, handle + "@" + mail, "", "gmail.com"])
            note = ("same business registered again (expected: conflict or review)" if original
                    else "negative: a neighbour whose name shares no word with the others")
            table.add(cluster, name, street, town, postal if rng.random() < 0.9 else "", "", country, domain, "",
                      note)
    return table


# Siblings ---------------------------------------------------------------------------------------------------------

# Sister companies: numbered (fund and project companies), regional ones (often under the group's domain) and
# divisions of one group (separate legal entities, sometimes at one address). Each is its own customer: never a
# conflict (a review is allowed at one address). Rows marked `again` register an earlier one of the same cluster
# again.
# (cluster, name, street, city, postal, country, web_domain, again)
SIBLINGS = CUSTOMERS["SIBLINGS"]


def siblings_table():
    table = Table("siblings", "SB", 17_09)
    for cluster, name, street, city, postal, country, domain, again in SIBLINGS:
        note = ("the same company registered again (expected: conflict or review)" if again
                else "negative: a sister company; never a conflict with its siblings")
        table.add(cluster, name, street, city, postal, "", country, domain, "", note)
    return table


TABLES = {"scripts-cyrillic": cyrillic_table, "scripts-greek": greek_table,
          "scripts-cjk": cjk_table, "scripts-other": other_table,
          "acronyms": acronyms_table, "tax-ids": tax_ids_table,
          "domains": domains_table, "unrelated-names": unrelated_names_table,
          "siblings": siblings_table}


def main(names):
    for name in names or TABLES:
        TABLES[name]().write()


if __name__ == "__main__":
    main(sys.argv[1:])
