"""Writes the labelled category tables of bench/categories (issue 17): `python3 make_tables.py` in this folder.

Each table is made of customers written down by hand here (names, streets, cities, ids), each registered one to
three times in the ways partners type them: another script or romanisation, the legal form spelt out, moved or
dropped, abbreviations, missing fields, other id formats. Which spelling a registration gets is drawn from a
seeded random generator, and so is the order of the rows, so the files come out the same on every run.
README.md says what each table holds and what a matcher should decide.
"""

import csv
import random
import sys
import unicodedata
from pathlib import Path

import romanize
import taxids

COLUMNS = ["rec_id", "company_name", "street", "city", "postal_code", "region", "country", "web_domain", "tax_id",
           "cluster_id", "note"]
HERE = Path(__file__).resolve().parent


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
    "улица": (["улица {n} {h}", "ул. {n} бр. {h}", "{n} {h}"], ["{n} {h}", "ulica {n} {h}", "{n} St. {h}", "ul. {n} {h}"]),
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


# Each customer: cluster, native name, legal form, English name (a translation, when the company uses one) or None,
# city, (street kind, native street name), house number, postal code, has an id, domain, how many registrations.
CYRILLIC = [
    ("romashka-msk", "Ромашка", "ООО", None, "Москва", ("ул.", "Тверская"), "7", "125009", True, "", 3),
    ("romashka-kzn", "Ромашка", "ООО", None, "Казань", ("ул.", "Баумана"), "44", "420111", True, "", 1),
    ("vasilek", "Василёк", "ООО", None, "Москва", ("ул.", "Тверская"), "12", "125009", False, "", 1),
    ("sib-tech", "Сибирские технологии", "ООО", "Siberian Technologies", "Новосибирск",
     ("просп.", "Красный"), "28", "630099", True, "sibtech.ru", 3),
    ("sib-les", "Сибирский лес", "АО", None, "Новосибирск", ("ул.", "Ленина"), "3", "630004", True, "", 2),
    ("shchelkovo", "Щёлковский хлебозавод", "АО", None, "Москва", ("ш.", "Щёлковское"), "100", "105523", True,
     "hleb-sh.ru", 2),
    ("yugo-zapad", "Юго-Западная ярмарка", "ООО", None, "Москва", ("просп.", "Вернадского"), "86", "119571", False,
     "", 2),
    ("uralmash", "Уральский завод тяжёлого машиностроения", "ПАО", "Uralmash", "Екатеринбург",
     ("пл.", "Первой Пятилетки"), "1", "620012", True, "uralmash.ru", 2),
    ("ural-steklo", "Уралстекло", "ЗАО", None, "Екатеринбург", ("ул.", "Малышева"), "51", "620014", True, "", 1),
    ("zhemchug", "Жемчужина", "ООО", None, "Казань", ("ул.", "Пушкина"), "26", "420015", True, "", 2),
    ("khimprom-nn", "Химпромсервис", "ООО", None, "Нижний Новгород", ("ул.", "Большая Покровская"), "18",
     "603005", True, "", 2),
    ("yarmarka-nn", "Ярмарка", "ООО", None, "Нижний Новгород", ("ул.", "Совнаркомовская"), "13", "603086", False,
     "", 1),
    ("alfa-stroy", "Альфа-Строй", "ООО", None, "Санкт-Петербург", ("просп.", "Невский"), "88", "191025", True, "",
     2),
    ("alfa-trade", "Альфа-Трейд", "ООО", None, "Санкт-Петербург", ("ул.", "Садовая"), "32", "190031", True, "", 1),
    ("neva-logistic", "Нева Логистик", "ООО", None, "Санкт-Петербург", ("наб.", "Обводного канала"), "118",
     "190020", True, "nevalog.ru", 2),
    ("federation-1", "Северный поток консалтинг", "ООО", "Nord Stream Consulting", "Москва",
     ("наб.", "Пресненская"), "12", "123317", True, "", 2),
    ("federation-2", "Меркурий Капитал", "АО", None, "Москва", ("наб.", "Пресненская"), "12", "123317", True, "", 1),
    ("federation-3", "Эксперт Аудит", "ООО", None, "Москва", ("наб.", "Пресненская"), "12", "123317", False, "", 1),
    ("obyedinenie", "Елецкое объединение", "АО", None, "Москва", ("пер.", "Колпачный"), "5", "101000", True, "",
     2),
    ("kvant", "Квант", "ООО", None, "Новосибирск", ("ул.", "Ленина"), "21", "630004", False, "", 1),
    # Ukraine
    ("kharkiv-yednist", "Харківська єдність", "ТОВ", None, "Харків", ("вул.", "Сумська"), "10", "61002", True, "",
     3),
    ("lviv-kava", "Львівська кавова мануфактура", "ТОВ", "Lviv Coffee Manufacture", "Львів", ("вул.", "Друкарська"),
     "18", "79008", True, "lvivcoffee.com.ua", 2),
    ("zghoda", "Згода", "ПрАТ", None, "Київ", ("вул.", "Хрещатик"), "22", "01001", True, "", 2),
    ("yavir", "Явір", "ТОВ", None, "Київ", ("вул.", "Хрещатик"), "15", "01001", True, "", 1),
    ("odesa-port", "Чорноморський вантажний термінал", "ТОВ", "Black Sea Cargo Terminal", "Одеса",
     ("вул.", "Приморська"), "6", "65026", True, "bsct.com.ua", 2),
    ("odesa-fish", "Одеська риба", "ТОВ", None, "Одеса", ("вул.", "Дерибасівська"), "9", "65026", False, "", 1),
    # Bulgaria
    ("balkan-soft", "Балкан Софтуер", "ЕООД", "Balkan Software", "София", ("бул.", "Витоша"), "45", "1000", True,
     "balkansoft.bg", 3),
    ("shtit", "Щит Охрана", "ООД", None, "София", ("бул.", "Витоша"), "45", "1000", True, "", 1),
    ("rodopi-mlyako", "Родопско мляко", "АД", None, "Пловдив", ("бул.", "Руски"), "34", "4000", True, "", 2),
    ("varna-brod", "Черноморски корабостроителен", "АД", "Black Sea Shipyard", "Варна", ("бул.", "Приморски"),
     "1", "9000", True, "", 2),
    ("zhar", "Жар", "ЕООД", None, "Варна", ("бул.", "Княз Борис I"), "77", "9002", False, "", 1),
    # Serbia
    ("djordjevic", "Ђорђевић и синови", "д.о.о.", None, "Београд", ("улица", "Кнез Михаилова"), "21", "11000",
     True, "", 3),
    ("sabac-agrar", "Шабачка пољопривредна задруга", "а.д.", None, "Ниш", ("улица", "Обреновићева"), "8", "18000",
     True, "", 2),
    ("cacak-metal", "Чачак Метал", "д.о.о.", None, "Нови Сад", ("улица", "Булевар ослобођења"), "30", "21000", True,
     "cacakmetal.rs", 2),
    ("zvezda", "Звезда", "д.о.о.", None, "Београд", ("улица", "Кнез Михаилова"), "33", "11000", False, "", 1),
    ("ljubovija", "Љубовија промет", "д.о.о.", None, "Београд", ("улица", "Теразије"), "5", "11000", True, "", 1),
    ("teplo-dom", "Тёплый дом", "ООО", None, "Екатеринбург", ("ул.", "Восточная"), "56", "620075", True,
     "teplodom-ekb.ru", 2),
    ("zhukov", "Жуков Андрей Юрьевич", "ИП", None, "Москва", ("ул.", "Большая Якиманка"), "22", "119180", True, "",
     2),
    ("sever-yug", "Север-Юг Транс", "ООО", None, "Москва", ("ул.", "Большая Якиманка"), "24", "119180", True, "", 2),
    ("chaika", "Чайка", "ООО", None, "Санкт-Петербург", ("ул.", "Марата"), "10", "191025", False, "", 1),
    ("khleb-kazan-3", "Казанский хлебозавод № 3", "АО", None, "Казань", ("ул.", "Декабристов"), "85", "420034",
     True, "", 2),
    ("khleb-kazan-5", "Казанский хлебозавод № 5", "АО", None, "Казань", ("ул.", "Восстания"), "60", "420095", True,
     "", 1),
    ("volga-avto", "Волга-Авто", "ООО", None, "Нижний Новгород", ("просп.", "Гагарина"), "35", "603022", True,
     "volga-avto.ru", 2),
    ("ukr-agro", "Українські аграрні інвестиції", "ТОВ", "Ukrainian Agrarian Investments", "Київ",
     ("вул.", "Велика Васильківська"), "72", "03150", True, "uai.com.ua", 2),
    ("pivdennyi", "Південний експрес", "ТОВ", None, "Харків", ("вул.", "Пушкінська"), "40", "61057", False, "", 1),
    ("chaena-kashta", "Чаена къща", "ЕООД", None, "София", ("бул.", "Васил Левски"), "60", "1142", False, "", 2),
    ("trakia-vino", "Винарска изба Тракия", "ООД", "Thracian Winery", "Пловдив", ("бул.", "Марица"), "122", "4002",
     True, "", 2),
    ("nis-duvan", "Нишка дуванска индустрија", "а.д.", None, "Ниш", ("улица", "Вожда Карађорђа"), "22", "18000",
     True, "", 2),
    ("vojvodina-soft", "Војвођански софтвер", "д.о.о.", "Vojvodina Software", "Нови Сад", ("улица", "Змај Јовина"),
     "12", "21000", True, "", 1),
]

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
GREEK = [
    ("athenian-brewery", "Αθηναϊκή Ζυθοποιία", "Α.Ε.", "Athenian Brewery", "Αιγάλεω", ("Λεωφόρος", "Κηφισού"), "102",
     "12241", True, "athenianbrewery.gr", 3),
    ("techniki-aigaiou", "Τεχνική Κατασκευαστική Αιγαίου", "Α.Ε.", None, "Αθήνα", ("Λεωφόρος", "Συγγρού"), "140",
     "11745", True, "", 2),
    ("techniki-ioniou", "Τεχνική Κατασκευαστική Ιονίου", "Α.Ε.", None, "Πάτρα", ("οδός", "Μαιζώνος"), "45", "26221",
     True, "", 1),
    ("elaiourgia-kritis", "Ελαιουργία Κρήτης", "Ε.Π.Ε.", "Cretan Olive Mill", "Ηράκλειο", ("οδός", "25ης Αυγούστου"),
     "12", "71202", True, "", 2),
    ("naftiliaki-peiraios", "Ναυτιλιακή Εταιρεία Πειραιώς", "Α.Ε.", "Piraeus Shipping Company", "Πειραιάς",
     ("οδός", "Ακτή Μιαούλη"), "85", "18538", True, "piraeus-shipping.gr", 3),
    ("naftiliaki-aigaiou", "Ναυτιλιακή Αιγαίου", "Ε.Π.Ε.", None, "Πειραιάς", ("οδός", "Ακτή Μιαούλη"), "85", "18538",
     True, "", 1),
    ("georgiou-metafores", "Γεωργίου Μεταφορές", "Ο.Ε.", "Georgiou Transport", "Θεσσαλονίκη", ("οδός", "Εγνατίας"),
     "120", "54630", False, "", 2),
    ("farmakapothiki", "Φαρμακαποθήκη Θεσσαλίας", "Α.Ε.", None, "Λάρισα", ("οδός", "Κύπρου"), "48", "41222", True,
     "", 2),
    ("oinopoiia-santorinis", "Οινοποιία Σαντορίνης", "Ι.Κ.Ε.", "Santorini Winery", "Φηρά", ("οδός", "Δανέζη"), "3",
     "84700", False, "santorini-oinos.gr", 2),
    ("vlachou-ktimata", "Κτήματα Βλάχου", "Ο.Ε.", None, "Φηρά", ("οδός", "Δανέζη"), "9", "84700", False, "", 1),
    ("psifiakes-lyseis", "Ψηφιακές Λύσεις", "Ι.Κ.Ε.", "Digital Solutions", "Αθήνα", ("οδός", "Πανεπιστημίου"),
     "39", "10564", True, "psifiakes-lyseis.gr", 3),
    ("xenodocheiaki-rodou", "Ξενοδοχειακή Ρόδου", "Α.Ε.", "Rhodes Hotels", "Ρόδος", ("Λεωφόρος", "Αυστραλίας"),
     "17", "85100", True, "", 2),
    ("evropaiki-pliroforiki", "Ευρωπαϊκή Πληροφορική", "Α.Ε.", "European Informatics", "Μαρούσι",
     ("Λεωφόρος", "Κηφισίας"), "44", "15125", True, "europlirof.gr", 3),
    ("chalyvourgiki", "Χαλυβουργική Βορείου Ελλάδος", "Α.Ε.", "Northern Greece Steel", "Θεσσαλονίκη",
     ("οδός", "Τσιμισκή"), "77", "54622", True, "", 2),
    ("plastika-thrakis", "Πλαστικά Θράκης", "Α.Β.Ε.Ε.", None, "Θεσσαλονίκη", ("οδός", "Τσιμισκή"), "77", "54622",
     True, "", 1),
    ("konstantinidis", "Κωνσταντινίδης & Υιοί", "Ο.Ε.", "Konstantinidis & Sons", "Θεσσαλονίκη",
     ("οδός", "Εγνατίας"), "94", "54630", False, "", 2),
    ("afoi-nikolaou", "Αφοί Νικολάου", "Ο.Ε.", "Nikolaou Bros", "Πάτρα", ("οδός", "Κορίνθου"), "210", "26223",
     False, "", 2),
    ("dimitriou-kafe", "Δημητρίου Καφεκοπτεία", "Ε.Π.Ε.", None, "Αθήνα", ("οδός", "Ερμού"), "56", "10563", False,
     "", 2),
    ("baltas-ypodimata", "Μπαλτάς Υποδήματα", "Ο.Ε.", None, "Αθήνα", ("οδός", "Ερμού"), "58", "10563", False, "",
     1),
    ("galaktokomika-ipeirou", "Γαλακτοκομικά Ηπείρου", "Α.Ε.", "Epirus Dairy", "Ιωάννινα", ("οδός", "Δωδώνης"),
     "29", "45221", True, "", 2),
    ("ntopia-proionta", "Ντόπια Προϊόντα Αγγελόπουλος", "Ι.Κ.Ε.", None, "Λάρισα", ("οδός", "Παπαναστασίου"), "15",
     "41222", False, "", 2),
    ("ygeionomiki-attikis", "Υγειονομική Φροντίδα Αττικής", "Α.Ε.", None, "Αθήνα",
     ("Λεωφόρος", "Βασιλίσσης Σοφίας"), "80", "11528", True, "", 2),
    ("attiki-symvouleftiki", "Αττική Συμβουλευτική", "Ε.Π.Ε.", "Attica Consulting", "Αθήνα",
     ("Λεωφόρος", "Βασιλίσσης Σοφίας"), "80", "11528", True, "", 1),
    ("thessaloniki-auto", "Θεσσαλονίκη Αυτοκίνητα", "Α.Ε.", None, "Θεσσαλονίκη", ("οδός", "Μοναστηρίου"), "120",
     "54627", True, "", 2),
    ("ioniki-zythopoiia", "Ιονική Ζυθοποιία", "Α.Ε.", None, "Πάτρα", ("οδός", "Ακρωτηρίου"), "8", "26222", True,
     "", 1),
    ("kritiki-artopoiia", "Κρητική Αρτοποιία", "Ε.Π.Ε.", None, "Ηράκλειο", ("οδός", "Καλοκαιρινού"), "40", "71202",
     False, "", 3),
    ("papadopoulos-trofima", "Παπαδόπουλος Τρόφιμα", "Α.Ε.", None, "Πειραιάς", ("οδός", "Γρηγορίου Λαμπράκη"),
     "112", "18534", True, "", 2),
    ("papadopoulou-endysi", "Παπαδοπούλου Ένδυση", "Ο.Ε.", None, "Πειραιάς", ("οδός", "Καραΐσκου"), "31", "18532",
     False, "", 1),
    ("kyriakidis-ilektrika", "Κυριακίδης Ηλεκτρικά", "Ο.Ε.", None, "Θεσσαλονίκη", ("οδός", "Μοναστηρίου"), "124",
     "54627", False, "", 1),
    ("mylos-ioanninon", "Μύλοι Ιωαννίνων", "Α.Β.Ε.Ε.", None, "Ιωάννινα", ("οδός", "Δωδώνης"), "31", "45221", True,
     "", 1),
    ("rodos-taxidia", "Ταξίδια Ρόδου", "Ι.Κ.Ε.", "Rhodes Travel", "Ρόδος", ("οδός", "Αμερικής"), "62", "85100",
     False, "rhodestravel.gr", 2),
    ("sofokleous-xenia", "Ξενία Σοφοκλέους", "Ε.Π.Ε.", None, "Αθήνα", ("οδός", "Σοφοκλέους"), "10", "10559", True,
     "", 1),
    ("lampsi-ilektriki", "Λάμψη Ηλεκτρική", "Ε.Π.Ε.", None, "Λάρισα", ("οδός", "Κύπρου"), "52", "41222", False, "",
     2),
    ("aigaio-ktimatiki", "Αιγαίο Κτηματική", "Α.Ε.", "Aegean Real Estate", "Αθήνα", ("οδός", "Σταδίου"), "24",
     "10564", True, "aegean-ktimatiki.gr", 2),
    ("platanos-kafeneio", "Πλάτανος Καφενείο", "Ο.Ε.", None, "Ιωάννινα", ("οδός", "Αβέρωφ"), "5", "45221", False,
     "", 1),
    ("alouminio-makedonias", "Αλουμίνιο Μακεδονίας", "Α.Β.Ε.Ε.", "Macedonian Aluminium", "Θεσσαλονίκη",
     ("οδός", "26ης Οκτωβρίου"), "90", "54627", True, "", 3),
]


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


def written(cluster, country, count, names, latin_names, street, latin_streets, city, latin_cities, postal, region="",
        latin_region="", id_kind="", division="", domain=""):
    return dict(cluster=cluster, country=country, count=count, names=names, latin_names=latin_names, street=street,
                latin_streets=latin_streets, city=city, latin_cities=latin_cities, postal=postal, region=region,
                latin_region=latin_region, id_kind=id_kind, division=division, domain=domain)


CJK = [
    # Japan: 株式会社 before (前株) or after (後株) the name, (株) and ㈱ for short, full-width letters and digits.
    written("toyota", "JP", 2, ["トヨタ自動車株式会社", "トヨタ自動車(株)"], ["Toyota Motor Corporation", "TOYOTA MOTOR CORP."],
        ["トヨタ町1番地", "トヨタ町1"], ["1 Toyota-cho", "1, Toyota-cho"], "豊田市", ["Toyota", "Toyota City", "Toyota-shi"],
        "471-8571", "愛知県", "Aichi", "jp", domain="global.toyota"),
    written("yamada-seisakusho", "JP", 3, ["株式会社山田製作所", "(株)山田製作所", "山田製作所株式会社", "㈱山田製作所"],
        ["Yamada Seisakusho Co., Ltd.", "YAMADA MFG. CO., LTD.", "Yamada Seisakusho K.K."],
        ["高井田元町1-2-3", "高井田元町1丁目2番3号", "高井田元町一丁目2番3号"],
        ["1-2-3 Takaidamotomachi", "Takaida-Motomachi 1-2-3", "1-2-3, Takaidamoto-machi"], "東大阪市",
        ["Higashiosaka", "Higashi-Osaka", "Higashiosaka-shi"], "577-0066", "大阪府", "Osaka", "jp"),
    written("yamada-denki", "JP", 1, ["山田電機株式会社"], ["Yamada Denki Co., Ltd."], ["西新宿3-5-1"],
        ["3-5-1 Nishi-Shinjuku"], "新宿区", ["Shinjuku-ku, Tokyo"], "160-0023", "東京都", "Tokyo", "jp"),
    written("sakura-shoten", "JP", 2, ["有限会社さくら商店", "(有)さくら商店", "さくら商店有限会社", "ﾕ)ｻｸﾗｼｮｳﾃﾝ"],
        ["Sakura Shoten Ltd.", "Yugen Kaisha Sakura Shoten", "Sakura Shoten Y.K."],
        ["三条通河原町東入ル中島町78", "中島町78"], ["78 Nakajima-cho, Sanjo-dori Kawaramachi Higashi-iru",
                                          "78 Nakajimacho"], "京都市中京区",
        ["Kyoto", "Nakagyo-ku, Kyoto", "Kyoto-shi"], "604-8004", "京都府", "Kyoto"),
    written("mirai-lab", "JP", 2, ["合同会社ミライラボ", "ミライラボ合同会社", "ミライラボ(同)"],
        ["Mirai Lab LLC", "Mirai Labo G.K.", "MIRAI LAB, LLC"], ["道玄坂1-10-8", "道玄坂１－１０－８"],
        ["1-10-8 Dogenzaka", "Dogenzaka 1-10-8"], "渋谷区", ["Shibuya-ku", "Shibuya, Tokyo"], "150-0043", "東京都",
        "Tokyo", "jp", domain="mirai-lab.jp"),
    written("abc-shoji", "JP", 3, ["株式会社エービーシー商事", "ABC商事株式会社", "ＡＢＣ商事（株）", "ABC商事(株)"],
        ["ABC Shoji Co., Ltd.", "ABC Trading Co., Ltd.", "A.B.C. Shoji K.K."],
        ["日本橋2-3-4", "日本橋２－３－４", "日本橋二丁目3番4号"], ["2-3-4 Nihonbashi", "Nihombashi 2-3-4"], "中央区",
        ["Chuo-ku, Tokyo", "Tokyo", "Chuo-ku"], "103-0027", "東京都", "Tokyo", "jp", domain="abc-shoji.co.jp"),
    written("nihonbashi-solutions", "JP", 1, ["株式会社日本橋ソリューションズ"], ["Nihonbashi Solutions Inc."],
        ["日本橋2-3-4"], ["2-3-4 Nihonbashi"], "中央区", ["Chuo-ku, Tokyo"], "103-0027", "東京都", "Tokyo", "jp"),
    written("hokkaido-nyugyo", "JP", 2, ["北海道乳業株式会社", "北海道乳業(株)"], ["Hokkaido Dairy Co., Ltd.",
                                                                     "Hokkaido Nyugyo K.K."],
        ["北3条西4丁目1-1", "北三条西四丁目1番地1"], ["Kita 3-jo Nishi 4-chome 1-1", "1-1 Kita-3-Jo Nishi-4"],
        "札幌市中央区", ["Sapporo", "Chuo-ku, Sapporo"], "060-0003", "北海道", "Hokkaido", "jp"),
    written("fukuoka-logi", "JP", 2, ["株式会社福岡ロジスティクス", "福岡ロジスティクス株式会社"],
        ["Fukuoka Logistics Inc.", "Fukuoka Logistics Co., Ltd."], ["博多駅前3-2-1", "博多駅前三丁目2番1号"],
        ["3-2-1 Hakata-ekimae", "Hakataekimae 3-2-1"], "福岡市博多区", ["Fukuoka", "Hakata-ku, Fukuoka"], "812-0011",
        "福岡県", "Fukuoka", "jp", domain="fukuoka-logi.co.jp"),
    written("hakata-ramen", "JP", 1, ["博多ラーメン株式会社"], ["Hakata Ramen Co., Ltd."], ["博多駅前2-19-24"],
        ["2-19-24 Hakataekimae"], "福岡市博多区", ["Fukuoka"], "812-0011", "福岡県", "Fukuoka"),
    written("global-asset", "JP", 2, ["株式会社グローバルアセット", "グローバルアセット株式会社"],
        ["Global Asset Co., Ltd.", "Global Asset K.K."], ["丸の内2-7-2 JPタワー5階", "丸の内2-7-2"],
        ["JP Tower 5F, 2-7-2 Marunouchi", "2-7-2 Marunouchi"], "千代田区", ["Chiyoda-ku, Tokyo", "Tokyo"],
        "100-7005", "東京都", "Tokyo", "jp"),
    written("tokyo-invest", "JP", 1, ["東京インベスト株式会社"], ["Tokyo Invest Co., Ltd."], ["丸の内2-7-2 JPタワー5階"],
        ["2-7-2 Marunouchi, JP Tower 5F"], "千代田区", ["Chiyoda-ku"], "100-7005", "東京都", "Tokyo", "jp"),
    written("osaka-seimitsu", "JP", 2, ["株式会社大阪精密", "大阪精密(株)"], ["Osaka Seimitsu Co., Ltd.",
                                                                 "Osaka Precision Co., Ltd."],
        ["梅田3-1-3", "梅田三丁目1番3号"], ["3-1-3 Umeda", "Umeda 3-1-3"], "大阪市北区", ["Osaka", "Kita-ku, Osaka"],
        "530-0001", "大阪府", "Osaka", "jp"),
    written("osaka-seiki", "JP", 1, ["株式会社大阪精機"], ["Osaka Seiki Co., Ltd."], ["靱本町1-8-2"], ["1-8-2 Utsubohonmachi"],
        "大阪市西区", ["Osaka"], "550-0004", "大阪府", "Osaka", "jp"),
    # China: 有限公司 and 股份有限公司, the city and province before the name, simplified or traditional characters.
    written("huawei", "CN", 2, ["华为技术有限公司"], ["Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO LTD"],
        ["坂田华为基地", "龙岗区坂田华为基地"], ["Huawei Base, Bantian", "Bantian Huawei Base, Longgang District"], "深圳市",
        ["Shenzhen", "Shenzhen, Guangdong"], "518129", "广东省", "Guangdong", "cn", "440307", "huawei.com"),
    written("pujiang-hotels", "CN", 3, ["上海浦江国际酒店股份有限公司", "上海浦江國際酒店股份有限公司", "浦江国际酒店股份有限公司"],
        ["Shanghai Pujiang International Hotels Co., Ltd.", "Pujiang International Hotels Co Ltd",
         "Shanghai Pujiang Guoji Jiudian Gufen Youxian Gongsi"],
        ["浦东新区世纪大道100号", "世纪大道100号"], ["100 Century Avenue, Pudong New Area", "100 Shiji Dadao, Pudong"],
        "上海市", ["Shanghai"], "200120", "", "", "cn", "310115", "pujianghotels.com"),
    written("huaxin-tech", "CN", 3, ["北京华信科技有限公司", "华信科技有限公司"],
        ["Beijing Huaxin Technology Co., Ltd.", "Beijing Hua Xin Keji Youxian Gongsi", "Huaxin Tech (Beijing) Co Ltd"],
        ["海淀区中关村大街27号", "中关村大街27号"], ["27 Zhongguancun Street, Haidian District",
                                           "No. 27 Zhongguancun Ave, Haidian"],
        "北京市", ["Beijing"], "100080", "", "", "cn", "110108"),
    written("huaxin-trade", "CN", 1, ["北京华新贸易有限公司"], ["Beijing Huaxin Trading Co., Ltd."], ["朝阳区建国路88号"],
        ["88 Jianguo Road, Chaoyang District"], "北京市", ["Beijing"], "100022", "", "", "cn", "110105"),
    written("pengcheng-electronics", "CN", 2, ["深圳市鹏程电子有限公司", "鹏程电子有限公司"],
        ["Shenzhen Pengcheng Electronics Co., Ltd.", "Pengcheng Electronic (Shenzhen) Co Ltd"],
        ["南山区高新南一道9号", "高新南一道9号"], ["9 Gaoxin South 1st Road, Nanshan District", "No.9 Gaoxin Nan Yi Dao"],
        "深圳市", ["Shenzhen"], "518057", "广东省", "Guangdong", "cn", "440305", "pc-elec.cn"),
    written("pengcheng-logistics", "CN", 1, ["深圳市鹏城物流有限公司"], ["Shenzhen Pengcheng Logistics Co., Ltd."],
        ["福田区深南大道6008号"], ["6008 Shennan Avenue, Futian District"], "深圳市", ["Shenzhen"], "518034", "广东省",
        "Guangdong", "cn", "440304"),
    written("zhujiang-packaging", "CN", 2, ["广州珠江包装有限公司", "广州市珠江包装有限公司"],
        ["Guangzhou Zhujiang Packaging Co., Ltd.", "Pearl River Packaging (Guangzhou) Co., Ltd."],
        ["天河区天河路208号", "天河路208号"], ["208 Tianhe Road, Tianhe District", "No. 208 Tianhe Rd"], "广州市",
        ["Guangzhou", "Canton"], "510620", "广东省", "Guangdong", "cn", "440106"),
    written("tianhe-foods", "CN", 1, ["广州天河食品有限公司"], ["Guangzhou Tianhe Foods Co., Ltd."], ["天河区天河路228号"],
        ["228 Tianhe Road"], "广州市", ["Guangzhou"], "510620", "广东省", "Guangdong", "cn", "440106"),
    written("tsmc", "TW", 2, ["台灣積體電路製造股份有限公司", "台积电股份有限公司"],
        ["Taiwan Semiconductor Manufacturing Company Limited", "TSMC Ltd."],
        ["新竹科學園區力行六路8號", "力行六路8號"], ["8, Li-Hsin Rd. 6, Hsinchu Science Park", "No. 8 Lixing 6th Road"],
        "新竹市", ["Hsinchu", "Hsinchu City"], "30078", "", "", domain="tsmc.com"),
    # Korea: 주식회사 before or after the name, (주) and ㈜, Revised Romanization or McCune-Reischauer.
    written("samsung-electronics", "KR", 2, ["삼성전자 주식회사", "삼성전자(주)", "삼성전자㈜"],
        ["Samsung Electronics Co., Ltd.", "SAMSUNG ELECTRONICS CO LTD"], ["영통구 삼성로 129", "삼성로 129"],
        ["129 Samsung-ro, Yeongtong-gu", "129, Samsung-ro"], "수원시", ["Suwon", "Suwon-si"], "16677", "경기도",
        "Gyeonggi-do", "kr", domain="samsung.com"),
    written("hangyeol-soft", "KR", 3, ["주식회사 한결소프트", "(주)한결소프트", "㈜한결소프트", "한결소프트 주식회사"],
        ["Hangyeol Soft Inc.", "Hangyol Soft Co., Ltd.", "HANGYEOL SOFT CO LTD"],
        ["강남구 테헤란로 123", "테헤란로 123, 7층"], ["123 Teheran-ro, Gangnam-gu", "7F, 123 Teheran-ro"],
        "서울특별시", ["Seoul"], "06234", "", "", "kr", domain="hangyeolsoft.co.kr"),
    written("teheran-partners", "KR", 1, ["(주)테헤란파트너스"], ["Teheran Partners Co., Ltd."], ["강남구 테헤란로 123, 12층"],
        ["12F, 123 Teheran-ro, Gangnam-gu"], "서울특별시", ["Seoul"], "06234", "", "", "kr"),
    written("busan-shipping", "KR", 2, ["부산해운 주식회사", "(주)부산해운"],
        ["Busan Shipping Co., Ltd.", "Pusan Haeun Co., Ltd.", "Busan Haeun Corp."], ["중구 중앙대로 70", "중앙대로 70"],
        ["70 Jungang-daero, Jung-gu", "70, Chungang-daero"], "부산광역시", ["Busan", "Pusan"], "48939", "", "", "kr"),
    written("busan-foods", "KR", 1, ["부산식품 주식회사"], ["Busan Foods Co., Ltd."], ["중구 중앙대로 81"],
        ["81 Jungang-daero, Jung-gu"], "부산광역시", ["Busan"], "48939", "", "", "kr"),
    written("daehan-precision", "KR", 2, ["대한정밀 주식회사", "(주)대한정밀"],
        ["Daehan Precision Co., Ltd.", "Taehan Chongmil Co., Ltd.", "Daehan Jeongmil Co., Ltd."],
        ["남동구 남동대로 215", "남동대로 215"], ["215 Namdong-daero, Namdong-gu", "215, Namdong-daero"], "인천광역시",
        ["Incheon", "Inchon"], "21633", "", "", "kr"),
    written("jeju-bada", "KR", 2, ["(주)제주바다", "주식회사 제주바다"], ["Jeju Bada Co., Ltd.", "Jeju Sea Co., Ltd.",
                                                           "Cheju Pada Co."],
        ["제주시 중앙로 100", "중앙로 100"], ["100 Jungang-ro, Jeju-si", "100, Jungang-ro"], "제주특별자치도",
        ["Jeju", "Jeju City"], "63166", "", "", "kr"),
    written("jeju-haneul", "KR", 1, ["(주)제주하늘"], ["Jeju Haneul Co., Ltd."], ["제주시 중앙로 102"],
        ["102 Jungang-ro, Jeju-si"], "제주특별자치도", ["Jeju"], "63166", "", "", "kr"),
    written("xihu-tea", "CN", 3, ["杭州西湖茶业有限公司", "西湖茶业有限公司"],
        ["Hangzhou West Lake Tea Co., Ltd.", "Hangzhou Xihu Chaye Youxian Gongsi", "HANGZHOU XIHU TEA CO LTD"],
        ["西湖区龙井路1号", "龙井路1号"], ["1 Longjing Road, Xihu District", "No.1 Longjing Rd"], "杭州市",
        ["Hangzhou"], "310013", "浙江省", "Zhejiang", "cn", "330106", "xihutea.cn"),
    written("xihu-tourism", "CN", 1, ["杭州西湖旅游有限公司"], ["Hangzhou West Lake Tourism Co., Ltd."],
        ["西湖区龙井路18号"], ["18 Longjing Road, Xihu District"], "杭州市", ["Hangzhou"], "310013", "浙江省",
        "Zhejiang", "cn", "330106"),
    written("sunrise-denshi", "JP", 3, ["株式会社サンライズ電子", "サンライズ電子株式会社", "(株)サンライズ電子"],
        ["Sunrise Denshi Co., Ltd.", "Sunrise Electronics Co., Ltd.", "Sanraizu Denshi K.K."],
        ["栄3-4-5", "栄三丁目4番5号"], ["3-4-5 Sakae, Naka-ku", "Sakae 3-4-5"], "名古屋市中区",
        ["Nagoya", "Naka-ku, Nagoya"], "460-0008", "愛知県", "Aichi", "jp"),
    written("sunrise-fudosan", "JP", 1, ["株式会社サンライズ不動産"], ["Sunrise Real Estate Co., Ltd."], ["栄3-4-5"],
        ["3-4-5 Sakae"], "名古屋市中区", ["Nagoya"], "460-0008", "愛知県", "Aichi", "jp"),
    written("tanaka-noen", "JP", 2, ["有限会社たなか農園", "(有)たなか農園"], ["Tanaka Farm Ltd.", "Tanaka Noen Y.K."],
        ["軽井沢1323", "大字軽井沢1323番地"], ["1323 Karuizawa", "Karuizawa 1323"], "北佐久郡軽井沢町",
        ["Karuizawa", "Karuizawa-machi"], "389-0102", "長野県", "Nagano"),
    written("daehan-trading", "KR", 1, ["대한무역 주식회사"], ["Daehan Trading Co., Ltd."], ["중구 세종대로 9"],
        ["9 Sejong-daero, Jung-gu"], "서울특별시", ["Seoul"], "04512", "", "", "kr"),
]

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
                site = rng.choice([customer["domain"], "www." + customer["domain"], "https://www." + customer["domain"]])
            table.add(customer["cluster"], name, street, city, cjk_postal(rng, customer["postal"], country, native),
                      region, country, site, tax, note)
    return table


# Arabic, Hebrew, Thai: the same shape as the CJK table, the Latin side as the company or a partner spells it.
OTHER = [
    written("riyadh-tech", "SA", 3, ["شركة الرياض للتقنية", "شركة الرياض للتقنية المحدودة"],
            ["Riyadh Technology Company", "Al Riyadh Lil Tiqniya Co.", "Riyadh Tech Co. Ltd"],
            ["طريق الملك فهد 3456، العليا", "طريق الملك فهد 3456"], ["3456 King Fahd Road, Al Olaya",
                                                                  "King Fahad Rd 3456, Olaya"],
            "الرياض", ["Riyadh", "Riyadh", "Ar Riyad"], "12211", "", "", "sa", domain="riyadhtech.sa"),
    written("al-rajhi-trading", "SA", 3, ["مؤسسة الراجحي للتجارة", "مؤسسة الراجحي التجارية"],
            ["Al Rajhi Trading Est.", "Alrajhi Trading Establishment", "Al-Rajhi Trading Est"],
            ["شارع العليا العام 8120", "العليا العام 8120"], ["8120 Olaya Main St", "8120 Al Olaya General Street"],
            "الرياض", ["Riyadh"], "12631", "", "", "sa"),
    written("al-rashid-trading", "SA", 1, ["مؤسسة الراشد للتجارة"], ["Al Rashid Trading Est."],
            ["شارع العليا العام 8200"], ["8200 Olaya Main St"], "الرياض", ["Riyadh"], "12631", "", "", "sa"),
    written("red-sea-tourism", "SA", 2, ["شركة البحر الأحمر للسياحة"],
            ["Red Sea Tourism Company", "Al Bahr Al Ahmar Tourism Co."], ["طريق الكورنيش 200"],
            ["200 Corniche Road", "Corniche Rd. 200"], "جدة", ["Jeddah", "Jiddah", "Jedda"], "23511", "", "", "sa"),
    written("gulf-contracting", "AE", 2, ["شركة الخليج للمقاولات ذ.م.م", "الخليج للمقاولات ذ م م"],
            ["Gulf Contracting LLC", "Al Khaleej Contracting L.L.C.", "Al Khaleej Contracting Co. LLC"],
            ["شارع الشيخ زايد، ص.ب. 12345", "شارع الشيخ زايد"], ["Sheikh Zayed Road, PO Box 12345", "Sheikh Zayed Rd"],
            "دبي", ["Dubai", "DUBAI"], "", "", "", "ae", domain="gulfcontracting.ae"),
    written("gulf-insurance", "AE", 1, ["شركة الخليج للتأمين ش.م.ع"], ["Gulf Insurance Company PJSC"],
            ["شارع الشيخ زايد"], ["Sheikh Zayed Road"], "دبي", ["Dubai"], "", "", "", "ae"),
    written("nile-pharma", "EG", 2, ["شركة النيل للأدوية", "النيل للأدوية ش.م.م"],
            ["Nile Pharmaceuticals", "El Nil Pharma", "Al Nil Pharmaceutical Co."], ["15 شارع التحرير", "التحرير 15"],
            ["15 El Tahrir St", "15 Tahrir Street"], "القاهرة", ["Cairo", "Al Qahirah"], "11511", "", "", "eg"),
    written("al-sham-restaurant", "JO", 2, ["مطعم الشام"], ["Al Sham Restaurant", "Alsham Restaurant",
                                                        "Al-Sham Rest."],
            ["شارع الرينبو 22", "22 شارع الرينبو"], ["22 Rainbow St", "Rainbow Street 22"], "عمّان",
            ["Amman"], "11181"),
    written("beirut-restaurant", "JO", 1, ["مطعم بيروت"], ["Beirut Restaurant"], ["شارع الرينبو 24"],
            ["24 Rainbow St"], "عمّان", ["Amman"], "11181"),
    written("teva", "IL", 2, ["טבע תעשיות פרמצבטיות בע״מ", "טבע תעשיות פרמצבטיות בע\"מ"],
            ["Teva Pharmaceutical Industries Ltd.", "TEVA PHARMACEUTICAL INDUSTRIES LIMITED"],
            ["דבורה הנביאה 124", "רח' דבורה הנביאה 124"], ["124 Dvora HaNevi'a St", "Dvora Hanevia 124"], "תל אביב",
            ["Tel Aviv", "Tel Aviv-Yafo"], "6944020", "", "", "il", domain="tevapharm.com"),
    written("gal-or", "IL", 3, ["גל אור מערכות בע״מ", "גל-אור מערכות בע\"מ"],
            ["Gal Or Systems Ltd.", "Gal-Or Systems Ltd", "GAL OR SYSTEMS LTD"], ["הברזל 30", "רחוב הברזל 30"],
            ["30 HaBarzel St", "Habarzel 30"], "תל אביב", ["Tel Aviv"], "6971035", "", "", "il"),
    written("or-gal", "IL", 1, ["אור גל שיווק בע״מ"], ["Or Gal Marketing Ltd."], ["הברזל 32"], ["32 HaBarzel St"],
            "תל אביב", ["Tel Aviv"], "6971035", "", "", "il"),
    written("hashchuna-bakery", "IL", 2, ["מאפיית השכונה"], ["HaShchuna Bakery", "Maafiyat Hashchuna"],
            ["שדרות מוריה 55", "שד' מוריה 55"], ["55 Moriah Blvd", "Sderot Moriya 55"], "חיפה", ["Haifa", "Hefa"],
            "3457201"),
    written("alon-software", "IL", 1, ["אלון תוכנה בע״מ"], ["Alon Software Ltd."], ["שדרות מוריה 57"],
            ["57 Moriah Blvd"], "חיפה", ["Haifa"], "3457201", "", "", "il"),
    written("cohen-sons", "IL", 2, ["כהן ובניו בע״מ", "כהן ובניו"], ["Cohen & Sons Ltd.", "Kohen uVanav Ltd"],
            ["יפו 97", "רחוב יפו 97"], ["97 Jaffa St", "Jaffa Road 97"], "ירושלים", ["Jerusalem", "Yerushalayim"],
            "9434001", "", "", "il"),
    written("levi-sons", "IL", 1, ["לוי ובניו בע״מ"], ["Levi & Sons Ltd."], ["יפו 101"], ["101 Jaffa St"],
            "ירושלים", ["Jerusalem"], "9434001", "", "", "il"),
    written("siam-technology", "TH", 3, ["บริษัท สยามเทคโนโลยี จำกัด", "สยามเทคโนโลยี จำกัด", "บจก. สยามเทคโนโลยี"],
            ["Siam Technology Co., Ltd.", "Sayam Theknoloyi Co Ltd", "SIAM TECHNOLOGY COMPANY LIMITED"],
            ["123 ถนนสุขุมวิท", "ถ.สุขุมวิท 123"], ["123 Sukhumvit Road", "123 Sukhumvit Rd., Khlong Toei"],
            "กรุงเทพมหานคร", ["Bangkok", "Krung Thep Maha Nakhon", "BKK"], "10110", "", "", "th"),
    written("siam-pattana", "TH", 1, ["บริษัท สยามพัฒนา จำกัด"], ["Siam Pattana Co., Ltd."], ["125 ถนนสุขุมวิท"],
            ["125 Sukhumvit Road"], "กรุงเทพมหานคร", ["Bangkok"], "10110", "", "", "th"),
    written("chiang-mai-foods", "TH", 2, ["บริษัท เชียงใหม่อาหาร จำกัด (มหาชน)", "เชียงใหม่อาหาร จำกัด (มหาชน)"],
            ["Chiang Mai Foods Public Company Limited", "Chiangmai Food PCL"],
            ["45 ถนนนิมมานเหมินท์", "ถ.นิมมานเหมินท์ 45"], ["45 Nimmanhaemin Rd", "45 Nimmanhemin Road"], "เชียงใหม่",
            ["Chiang Mai", "Chiangmai"], "50200", "", "", "th", domain="chiangmaifoods.co.th"),
    written("najd-contracting", "SA", 1, ["شركة نجد للمقاولات"], ["Najd Contracting Co."], ["طريق الملك فهد 3500"],
            ["3500 King Fahd Road"], "الرياض", ["Riyadh"], "12211", "", "", "sa"),
    written("shorouk-bookshop", "EG", 1, ["مكتبة الشروق"], ["Al Shorouk Bookshop"], ["21 شارع التحرير"],
            ["21 Tahrir Street"], "القاهرة", ["Cairo"], "11511"),
    written("cafe-nachat", "IL", 1, ["קפה נחת"], ["Cafe Nachat"], ["הברזל 28"], ["28 HaBarzel St"], "תל אביב",
            ["Tel Aviv"], "6971035"),
    written("carmel-garage", "IL", 1, ["מוסך הכרמל בע״מ"], ["Carmel Garage Ltd."], ["שדרות מוריה 60"],
            ["60 Moriah Blvd"], "חיפה", ["Haifa"], "3457201", "", "", "il"),
    written("bangkok-transport", "TH", 1, ["บริษัท กรุงเทพขนส่ง จำกัด"], ["Bangkok Transport Co., Ltd."],
            ["130 ถนนสุขุมวิท"], ["130 Sukhumvit Road"], "กรุงเทพมหานคร", ["Bangkok"], "10110", "", "", "th"),
    written("lanna-coffee", "TH", 1, ["ร้านกาแฟล้านนา"], ["Lanna Coffee Shop"], ["47 ถนนนิมมานเหมินท์"],
            ["47 Nimmanhaemin Rd"], "เชียงใหม่", ["Chiang Mai"], "50200"),
    written("phuket-tour", "TH", 2, ["ห้างหุ้นส่วนจำกัด ภูเก็ตทัวร์", "หจก. ภูเก็ตทัวร์"],
            ["Phuket Tour Limited Partnership", "Phuket Tour Ltd., Part."], ["12 ถนนถลาง", "ถ.ถลาง 12"],
            ["12 Thalang Road", "12 Thalang Rd"], "ภูเก็ต", ["Phuket"], "83000", "", "", "th"),
]


def other_table():
    return written_table(Table("scripts-other", "OT", 17_04), OTHER)


# Latin-script tables ----------------------------------------------------------------------------------------------


def latin(cluster, country, count, names, streets, cities, postal, domains=(), taxes=(), region="", note=""):
    """A customer written in Latin letters: `names[0]` and `names[1]` are the two shapes the table is about (an
    acronym and its expansion, a legal name and a trading name); a repeated customer shows both."""
    return dict(cluster=cluster, country=country, count=count, names=names, streets=streets, cities=cities,
                postal=postal, domains=list(domains), taxes=list(taxes), region=region, note=note)


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


ACRONYMS = [
    latin("ibm", "US", 3, ["IBM Corp", "International Business Machines Corporation", "I.B.M. Corporation", "IBM"],
          ["1 New Orchard Road", "1 New Orchard Rd"], ["Armonk", "ARMONK"], "10504", ["ibm.com", "www.ibm.com"],
          region="NY", note="acronym and expansion"),
    latin("pg", "US", 3, ["P&G", "Procter & Gamble", "The Procter & Gamble Company", "Procter and Gamble Co."],
          ["1 Procter & Gamble Plaza", "One P&G Plaza"], ["Cincinnati"], "45202", ["pg.com"], region="OH",
          note="acronym and expansion"),
    latin("att", "US", 2, ["AT&T Inc", "American Telephone and Telegraph Company", "AT&T Inc."],
          ["208 S. Akard St", "208 South Akard Street"], ["Dallas"], "75202", ["att.com"], region="TX",
          note="acronym and expansion"),
    latin("hsbc", "HK", 3, ["HSBC", "The Hongkong and Shanghai Banking Corporation Limited",
                            "Hongkong and Shanghai Banking Corporation", "HSBC Ltd"],
          ["1 Queen's Road Central", "1 Queens Road Central"], ["Hong Kong", "Central, Hong Kong"], "",
          ["hsbc.com.hk"], note="acronym and expansion; Hong Kong has no postal codes"),
    latin("bmw", "DE", 2, ["BMW AG", "Bayerische Motoren Werke Aktiengesellschaft", "Bayerische Motoren Werke AG"],
          ["Petuelring 130"], ["München", "Munich", "Muenchen"], "80809", ["bmwgroup.com"],
          note="acronym and expansion"),
    latin("basf", "DE", 2, ["BASF SE", "Badische Anilin- und Soda-Fabrik", "BASF"],
          ["Carl-Bosch-Straße 38", "Carl-Bosch-Str. 38"], ["Ludwigshafen am Rhein", "Ludwigshafen"], "67056",
          ["basf.com"], note="acronym and its historical expansion"),
    latin("abb", "CH", 2, ["ABB Ltd", "Asea Brown Boveri AG", "ABB Asea Brown Boveri Ltd"], ["Affolternstrasse 44"],
          ["Zürich", "Zurich"], "8050", ["abb.com"], note="acronym and expansion"),
    latin("klm", "NL", 2, ["KLM", "Koninklijke Luchtvaart Maatschappij N.V.", "KLM Royal Dutch Airlines"],
          ["Amsterdamseweg 55"], ["Amstelveen"], "1182 GP", ["klm.com"], note="acronym and expansion"),
    latin("edf", "FR", 3, ["EDF", "Électricité de France SA", "Electricite de France", "EDF SA"],
          ["22-30 avenue de Wagram", "22 av. de Wagram"], ["Paris", "PARIS"], "75008", ["edf.fr"],
          note="acronym and expansion"),
    latin("sncf", "FR", 2, ["SNCF", "Société nationale des chemins de fer français",
                            "Societe Nationale des Chemins de Fer Francais"],
          ["2 place aux Étoiles", "2 Place aux Etoiles"], ["Saint-Denis", "St Denis"], "93200", ["sncf.com"],
          note="acronym and expansion"),
    latin("ratp", "FR", 2, ["RATP", "Régie autonome des transports parisiens", "Regie Autonome des Transports Parisiens"],
          ["54 quai de la Rapée", "54 quai de la Rapee"], ["Paris"], "75012", ["ratp.fr"],
          note="acronym and expansion"),
    latin("bbva", "ES", 2, ["BBVA", "Banco Bilbao Vizcaya Argentaria, S.A.", "Banco Bilbao Vizcaya Argentaria SA"],
          ["Calle Azul 4", "C/ Azul, 4"], ["Madrid"], "28050", ["bbva.com"], note="acronym and expansion"),
    latin("3m", "US", 2, ["3M Company", "Minnesota Mining and Manufacturing Company", "3M Co"], ["3M Center"],
          ["St. Paul", "Saint Paul"], "55144", ["3m.com"], region="MN", note="acronym and its historical expansion"),
    latin("hm", "SE", 3, ["H&M", "H & M Hennes & Mauritz AB", "Hennes & Mauritz AB", "H&M Hennes & Mauritz AB"],
          ["Mäster Samuelsgatan 46A", "Master Samuelsgatan 46"], ["Stockholm"], "106 38", ["hm.com"],
          note="acronym and expansion"),
    latin("gfk", "DE", 2, ["GfK SE", "Gesellschaft für Konsumforschung", "GfK"], ["Nordwestring 101"],
          ["Nürnberg", "Nuremberg"], "90419", ["gfk.com"], note="acronym (skips a word) and expansion"),
    latin("rwe", "DE", 2, ["RWE AG", "Rheinisch-Westfälisches Elektrizitätswerk AG"], ["RWE Platz 1"], ["Essen"],
          "45141", ["rwe.com"], note="acronym and expansion"),
    latin("nds", "DE", 3, ["NDS GmbH", "Nordic Data Systems GmbH", "N.D.S. GmbH", "Nordic Data Systems"],
          ["Am Sandtorkai 48"], ["Hamburg"], "20457", ["nds-hamburg.de"], note="invented; acronym and expansion"),
    latin("ktl", "DE", 2, ["KTL GmbH", "Kraus Transport & Logistik GmbH", "Kraus Transport und Logistik GmbH"],
          ["Industriestraße 14", "Industriestr. 14"], ["Augsburg"], "86167", note="invented; acronym and expansion"),
    latin("hbs", "DE", 2, ["HBS Elektrotechnik GmbH", "Hoffmann Baumann Schulz Elektrotechnik GmbH"],
          ["Gewerbepark 3"], ["Regensburg"], "93059", ["hbs-elektro.de"], note="invented; acronym and expansion"),
    latin("smc-marseille", "FR", 3, ["SMC SARL", "Société Méditerranéenne de Construction",
                                     "Ste Mediterraneenne de Construction SARL"],
          ["14 boulevard de la Libération", "14 bd de la Liberation"], ["Marseille"], "13001",
          note="invented; acronym and expansion"),
    latin("ctm", "ES", 2, ["CTM S.L.", "Construcciones y Transportes Martínez S.L.",
                           "Construcciones Transportes Martinez SL"],
          ["Polígono Industrial Las Quemadas, parcela 12", "Pol. Ind. Las Quemadas 12"], ["Córdoba", "Cordoba"],
          "14014", note="invented; acronym and expansion"),
    latin("jls", "GB", 2, ["JLS Ltd", "James Lewis & Sons Limited", "James Lewis and Sons Ltd"],
          ["12 Mill Lane", "12 Mill Ln"], ["Bradford"], "BD1 1AA", ["jlewis-sons.co.uk"],
          note="invented; acronym and expansion"),
    latin("ppm", "NL", 2, ["PPM B.V.", "Peters Projectmanagement B.V.", "Peters Project Management BV"],
          ["Stationsplein 5"], ["Zwolle"], "8011 CW", note="invented; acronym and expansion"),
    latin("fmb", "IT", 2, ["FMB S.r.l.", "Fonderia Meccanica Bresciana S.r.l.", "Fonderia Meccanica Bresciana Srl"],
          ["Via Industriale 22"], ["Brescia"], "25125", ["fmb-brescia.it"], note="invented; acronym and expansion"),
    latin("pks-rzeszow", "PL", 2, ["PKS Rzeszów S.A.", "Przedsiębiorstwo Komunikacji Samochodowej w Rzeszowie S.A."],
          ["ul. Grottgera 1", "Grottgera 1"], ["Rzeszów", "Rzeszow"], "35-001", note="acronym and expansion"),
    # Negatives: another company whose name is, or abbreviates to, the same letters, in another city.
    latin("ibm-wuerzburg", "DE", 1, ["IBM Ingenieurbüro Bauer & Müller GmbH", "IBM Ingenieurbüro Bauer & Müller GmbH"],
          ["Ohmstraße 8"], ["Würzburg"], "97076", note="negative: the initials of another company"),
    latin("pg-bochum", "DE", 1, ["P&G Gebäudereinigung GmbH", "P&G Gebäudereinigung GmbH"], ["Castroper Str. 20"],
          ["Bochum"], "44791", note="negative: Peters & Graf, the initials of another company"),
    latin("att-kassel", "DE", 1, ["ATT Autoteile Thomas GmbH", "ATT Autoteile Thomas GmbH"], ["Leipziger Str. 140"],
          ["Kassel"], "34123", note="negative: letters of another company's acronym"),
    latin("nds-malmo", "SE", 1, ["NDS Nordic Design Studio AB", "NDS Nordic Design Studio AB"], ["Stortorget 9"],
          ["Malmö"], "211 22", ["nordicdesignstudio.se"], note="negative: same initials and a shared word"),
    latin("nds-muenchen", "DE", 1, ["NDS GmbH", "NDS GmbH"], ["Leopoldstraße 244"], ["München"], "80807",
          ["nds-muenchen.de"], note="negative: Neue Dienstleistungs-Systeme, the same acronym in another city"),
    latin("ktl-bielefeld", "DE", 1, ["KTL Kunststofftechnik Lange GmbH", "KTL Kunststofftechnik Lange GmbH"],
          ["Eckendorfer Str. 91"], ["Bielefeld"], "33609", note="negative: the same acronym in another city"),
    latin("smc-japan", "JP", 1, ["SMC Corporation", "SMC Corporation"], ["4-14-1 Sotokanda"], ["Chiyoda-ku, Tokyo"],
          "101-0021", ["smcworld.com"], note="negative: the same acronym in another country"),
    latin("smc-securite", "FR", 1, ["SMC Sécurité Marseille SARL", "SMC Sécurité Marseille SARL"],
          ["112 avenue du Prado"], ["Marseille"], "13008", note="negative: the same acronym in the same city"),
    latin("ctm-valencia", "ES", 1, ["CTM S.L.", "Comercial Textil Mediterránea S.L."], ["Avenida del Puerto 180"],
          ["Valencia"], "46023", note="negative: the same acronym in another city"),
    latin("edf-linz", "AT", 1, ["EDF Elektro Dienst Fischer GmbH", "EDF Elektro Dienst Fischer GmbH"],
          ["Landstraße 49"], ["Linz"], "4020", note="negative: the initials of another company"),
    latin("bmw-kiel", "DE", 1, ["B.M.W. Bauunternehmen Meyer & Weber GmbH", "B.M.W. Bauunternehmen Meyer & Weber GmbH"],
          ["Holstenstraße 50"], ["Kiel"], "24103", note="negative: the initials of another company"),
    latin("pks-gdansk", "PL", 1, ["PKS Gdańsk Sp. z o.o.", "Przedsiębiorstwo Komunikacji Samochodowej w Gdańsku"],
          ["ul. 3 Maja 12"], ["Gdańsk", "Gdansk"], "80-802",
          note="negative: another bus company of the same generic name"),
    latin("hm-rosenheim", "DE", 1, ["H&M Haustechnik GmbH", "Huber & Maier Haustechnik GmbH"], ["Kufsteiner Str. 12"],
          ["Rosenheim"], "83022", note="negative: Huber & Maier, the initials of another company"),
    latin("klm-leipzig", "DE", 1, ["KLM Klimatechnik GmbH", "KLM Klimatechnik GmbH"], ["Karl-Liebknecht-Str. 80"],
          ["Leipzig"], "04275", note="negative: the initials of another company"),
    latin("abb-graz", "AT", 1, ["ABB Anlagenbau Berger GmbH", "ABB Anlagenbau Berger GmbH"], ["Annenstraße 30"],
          ["Graz"], "8020", note="negative: the initials of another company"),
    latin("jls-leeds", "GB", 1, ["JLS Solutions Ltd", "JLS Solutions Ltd"], ["3 Park Row"], ["Leeds"], "LS1 5HD",
          note="negative: the same acronym in another city"),
]


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
TRADING_NAMES = [
    ("bergsport-mueller", "DE", "Bergsport Müller GmbH", "Gipfelwelt Outdoor", "Bahnhofstraße 12", "Garmisch-Partenkirchen",
     "82467", "Sendlinger Straße 3", "München", "80331"),
    ("dubois-distribution", "FR", "SAS Dubois Distribution", "Carrefour Contact Villeneuve", "ZA des Landes",
     "Villeneuve-sur-Lot", "47300", "ZA des Landes", "Villeneuve-sur-Lot", "47300"),
    ("rossi-ristorazione", "IT", "Rossi Ristorazione S.r.l.", "Trattoria da Mario", "Via dei Mille 14", "Bologna",
     "40121", "Via dei Mille 14", "Bologna", "40121"),
    ("costa-blanca", "ES", "Turismo Costa Blanca S.L.", "Hostal Sol y Mar", "Avenida de Europa 33", "Benidorm",
     "03503", "Calle Gerona 5", "Benidorm", "03503"),
    ("jansen-tweewielers", "NL", "Jansen Tweewielers B.V.", "Fietsenwinkel De Spaak", "Oudegracht 201", "Utrecht",
     "3511 NH", "Nachtegaalstraat 40", "Utrecht", "3581 AH"),
    ("horeca-mechelen", "BE", "Horeca Invest Mechelen BV", "Brasserie Het Anker", "Guido Gezellelaan 49",
     "Mechelen", "2800", "Guido Gezellelaan 49", "Mechelen", "2800"),
    ("wiener-kaffeehaus", "AT", "Wiener Kaffeehaus Betriebs GmbH", "Café Zentral am Ring", "Herrengasse 14", "Wien",
     "1010", "Herrengasse 14", "Wien", "1010"),
    ("krakowskie-hotele", "PL", "Krakowskie Hotele Sp. z o.o.", "Hotel Pod Wawelem", "ul. Grodzka 30", "Kraków",
     "31-006", "Plac na Groblach 22", "Kraków", "31-101"),
    ("hartley-taverns", "GB", "Hartley Taverns Ltd", "The Crown Inn", "4 Market Place", "Ripon", "HG4 1BP",
     "22 High Street", "Knaresborough", "HG5 0EQ"),
    ("gastro-zuerichsee", "CH", "Gastro Zürichsee AG", "Restaurant Seeblick", "Seestrasse 120", "Küsnacht", "8700",
     "Seestrasse 120", "Küsnacht", "8700"),
    ("schmid-baeckerei", "DE", "Schmid Backwaren GmbH & Co. KG", "Bäckerei Schmid Filiale Marktplatz",
     "Gewerbestraße 8", "Tübingen", "72072", "Am Markt 2", "Tübingen", "72070"),
    ("martin-immo", "FR", "Martin Gestion Immobilière SARL", "Agence du Vieux Port", "12 quai du Port", "Marseille",
     "13002", "12 quai du Port", "Marseille", "13002"),
]

# Different companies in different countries whose ids are the same digits, valid in each country.
CROSS_COUNTRY = [
    (("DE", "Hafenkontor Lübeck GmbH", "An der Untertrave 81", "Lübeck", "23552"),
     ("GB", "Pennine Joinery Ltd", "7 Calder Street", "Huddersfield", "HD1 2RU")),
    (("DE", "Schwarzwald Holzbau GmbH", "Talstraße 4", "Titisee-Neustadt", "79822"),
     ("CH", "Valposchiavo Trasporti SA", "Via da Mez 12", "Poschiavo", "7742")),
    (("GB", "Bristol Harbour Cafés Ltd", "2 Narrow Quay", "Bristol", "BS1 4QA"),
     ("NL", "Groningse Installatietechniek B.V.", "Paterswoldseweg 800", "Groningen", "9728 BM")),
    (("PL", "Mazurskie Jachty Sp. z o.o.", "ul. Mickiewicza 9", "Giżycko", "11-500"),
     ("BE", "Ardennes Gîtes SRL", "Rue de la Gare 3", "La Roche-en-Ardenne", "6980")),
    (("NL", "Zeeuwse Mosselhandel B.V.", "Havenkade 1", "Yerseke", "4401 AA"),
     ("DE", "Oberpfälzer Glas GmbH", "Glashüttenweg 2", "Weiden in der Oberpfalz", "92637")),
]

# Different companies, one of which carries the other's number with one digit changed (a slip when copying from
# another record): invalid by its check digit, so no evidence of anything.
MISTYPED_OTHER = [
    ("DE", ("Elektro Wagner GmbH", "Rosenstraße 4", "Erfurt", "99084"),
     ("Autohaus Seidel KG", "Leipziger Straße 90", "Gera", "07545")),
    ("FR", ("Boulangerie Lefèvre SARL", "3 rue Nationale", "Tours", "37000"),
     ("Transports Girard SAS", "ZI Nord, 8 rue Denis Papin", "Blois", "41000")),
    ("IT", ("Ferramenta Bianchi S.n.c.", "Via Cavour 18", "Parma", "43121"),
     ("Studio Dentistico Greco", "Corso Italia 71", "Pisa", "56125")),
    ("ES", ("Talleres Navarro S.L.", "Calle de la Industria 11", "Pamplona", "31013"),
     ("Clínica Veterinaria Ruiz S.L.", "Avenida de Cádiz 40", "Jerez de la Frontera", "11407")),
    ("NL", ("Bakkerij Visser B.V.", "Grote Markt 3", "Haarlem", "2011 RC"),
     ("De Vries Installaties B.V.", "Industrieweg 17", "Alkmaar", "1812 PB")),
    ("BE", ("Drukkerij Peeters NV", "Kortrijksesteenweg 120", "Gent", "9000"),
     ("Garage Dubois SRL", "Chaussée de Namur 44", "Wavre", "1300")),
    ("AT", ("Tischlerei Gruber GmbH", "Salzburger Straße 22", "Wels", "4600"),
     ("Apotheke zum Löwen KG", "Hauptplatz 5", "Villach", "9500")),
    ("PL", ("Piekarnia Nowak Sp. z o.o.", "ul. Długa 15", "Toruń", "87-100"),
     ("Kancelaria Wiśniewski Sp. k.", "ul. Piotrkowska 120", "Łódź", "90-006")),
    ("GB", ("Whitby Fisheries Ltd", "5 Pier Road", "Whitby", "YO21 3PU"),
     ("Cotswold Stoneworks Ltd", "Unit 4, Love Lane", "Cirencester", "GL7 1YG")),
    ("CH", ("Schreinerei Keller AG", "Bahnhofstrasse 33", "Aarau", "5000"),
     ("Boulangerie Favre Sàrl", "Rue du Marché 9", "Neuchâtel", "2000")),
]

# One customer registered twice, the second time with its number mistyped: recall must come from the rest.
MISTYPED_SELF = [
    ("DE", "Kühne Metallbau GmbH", "Kühne Metallbau GmbH", "Werkstraße 21", "Chemnitz", "09125"),
    ("FR", "Menuiserie Perrin SARL", "MENUISERIE PERRIN", "24 route de Lyon", "Grenoble", "38000"),
    ("NL", "Bosman Transport B.V.", "Bosman Transport BV", "Kanaalweg 12", "Tilburg", "5015 AV"),
    ("PL", "Zielińska Kosmetyki Sp. z o.o.", "Zielinska Kosmetyki Sp z o o", "ul. Kościuszki 8", "Poznań", "61-101"),
]

# One customer registered under its VAT number and again under another id of the same company (SIRET, KvK number,
# Steuernummer, Companies House number, codice fiscale): different strings, one legal entity.
OTHER_ID_KIND = [
    ("FR", "Garage Moreau SAS", "Garage Moreau", "15 avenue de Verdun", "Limoges", "87000", "siret"),
    ("NL", "Van Dijk Groenvoorziening B.V.", "Van Dijk Groenvoorziening", "Tuinbouwweg 6", "Westland", "2671 ZZ",
     "kvk"),
    ("DE", "Hoffmann Druck GmbH", "Druckerei Hoffmann GmbH", "Gutenbergstraße 3", "Kassel", "34123", "steuernummer"),
    ("GB", "Aldridge Plumbing Ltd", "Aldridge Plumbing Limited", "41 Wood Street", "Walsall", "WS9 8QR", "crn"),
    ("BE", "Maes Bouw BV", "Bouwbedrijf Maes", "Stationsstraat 77", "Lokeren", "9160", "unprefixed"),
]

# Different companies registered with the same placeholder a partner types when it does not know the number.
PLACEHOLDERS = [
    ("DE", "DE123456789", ("Sanitär Koch GmbH", "Ringstraße 9", "Bamberg", "96047"),
     ("Lehmann Events GmbH", "Kantstraße 150", "Berlin", "10623")),
    ("GB", "GB 123 4567 89", ("Harrow Print Ltd", "9 Station Road", "Harrow", "HA1 2UF"),
     ("Norfolk Grain Traders Ltd", "Dereham Road", "Norwich", "NR5 8TF")),
    # All zeros passes the UK's mod-97 check, and is nobody's number.
    ("GB", "GB000000000", ("Penzance Surf School Ltd", "Wharf Road", "Penzance", "TR18 4AA"),
     ("Lakeland Outdoor Gear Ltd", "Lake Road", "Keswick", "CA12 5BX")),
]

# Same name, different city, each with its own valid number: two companies.
SAME_NAME = [
    ("IT", "Bianchi Costruzioni S.r.l.", ("Via Roma 5", "Verona", "37121"), ("Via Garibaldi 40", "Lecce", "73100")),
    ("ES", "Hermanos López S.L.", ("Calle Real 8", "Burgos", "09003"), ("Calle Ancha 21", "Cádiz", "11001")),
    ("CH", "Meier Holzbau AG", ("Dorfstrasse 2", "Frutigen", "3714"), ("Hauptstrasse 60", "Appenzell", "9050")),
]


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
SAME_DOMAIN = [
    ("acme-outdoor", "DE", [
        ("Acme Outdoor GmbH", "Kaiser-Joseph-Straße 200", "Freiburg im Breisgau", "79098", "shop.acme-outdoor.de"),
        ("Acme Outdoor Shop", "Königstraße 28", "Stuttgart", "70173", "https://www.acme-outdoor.de/filialen/stuttgart"),
    ]),
    ("bergsport-mueller", "DE", [
        ("Bergsport Müller GmbH", "Ludwigstraße 9", "Garmisch-Partenkirchen", "82467", "bergsport-mueller.de"),
        ("Gipfelstürmer Outdoor", "Ludwigstraße 9", "Garmisch-Partenkirchen", "82467", "info@bergsport-mueller.de"),
    ]),
    ("baeckerei-moehring", "DE", [
        ("Bäckerei Möhring GmbH", "Lange Straße 31", "Oldenburg", "26122", "bäckerei-möhring.de"),
        ("Baeckerei Moehring", "Lange Str. 31", "Oldenburg (Oldb)", "26122", "http://xn--bckerei-mhring-5hb01a.de/"),
        ("Möhring Backstube Filiale Eversten", "Hauptstraße 70", "Oldenburg", "26122", "www.bäckerei-möhring.de"),
    ]),
    ("kaffee-kuehn", "AT", [
        ("Kaffeerösterei Kühn e.U.", "Lendkai 17", "Graz", "8020", "kaffeerösterei-kühn.at"),
        ("Kühn Kaffee", "Herrengasse 3", "Graz", "8010", "https://xn--kaffeersterei-khn-5zb6j.at/shop"),
    ]),
    ("harbour-lights", "GB", [
        ("Harbour Lights Hotel Ltd", "3 The Quay", "Brixham", "TQ5 8AW", "www.harbourlights.co.uk"),
        ("Harbour Lights", "3 Quay", "Brixham, Devon", "TQ5 8AW", "bookings.harbourlights.co.uk"),
    ]),
    ("southern-cross", "AU", [
        ("Southern Cross Plumbing Pty Ltd", "14 Parramatta Road", "Granville", "2142", "southerncrossplumbing.com.au"),
        ("SX Plumbing", "", "Sydney", "2000", "http://southerncrossplumbing.com.au/contact-us"),
    ]),
    ("chat-qui-lit", "FR", [
        ("Librairie Le Chat Qui Lit", "8 rue de la Soif", "Rennes", "35000", "lechatquilit.fr"),
        ("SARL Le Chat qui lit", "8, rue de la Soif", "RENNES", "35000", "https://www.lechatquilit.fr/"),
    ]),
    ("bodegas-alvarez", "ES", [
        ("Bodegas Álvarez S.L.", "Carretera de Haro km 2", "Logroño", "26006", "bodegasalvarez.es"),
        ("Vinos Alvarez", "Calle Portales 12", "Logroño", "26001", "tienda.bodegasalvarez.es"),
        ("Bodegas Alvarez SL", "Ctra. Haro km 2", "Logroño", "26006", "WWW.BODEGASALVAREZ.ES"),
    ]),
    ("oleificio-santoro", "IT", [
        ("Oleificio Santoro S.r.l.", "Contrada Fiume 3", "Andria", "76123", "oleificiosantoro.it"),
        ("Frantoio Santoro", "Via Bovio 40", "Bari", "70121", "WWW.OLEIFICIOSANTORO.IT"),
    ]),
    ("bakker-bloembollen", "NL", [
        ("Tulpenkwekerij Bakker B.V.", "Heereweg 250", "Lisse", "2161 BT", "bakkerbloembollen.nl"),
        ("Bakker Bloembollen", "Leidsestraat 15", "Hillegom", "2181 BW", "https://bakkerbloembollen.nl/nl/"),
    ]),
    ("meble-kowalczyk", "PL", [
        ("Meble Kowalczyk Sp. z o.o.", "ul. Fabryczna 7", "Swarzędz", "62-020", "meblekowalczyk.pl"),
        ("Kowalczyk Furniture", "ul. Fabryczna 7", "Swarzedz", "62-020", "sklep.meblekowalczyk.pl"),
    ]),
    ("blue-ridge-coffee", "US", [
        ("Blue Ridge Coffee Roasters LLC", "120 Main St", "Asheville", "28801", "blueridgecoffee.com"),
        ("Blue Ridge Coffee", "45 Haywood Rd", "Asheville", "28806", "https://shop.blueridgecoffee.com/?ref=partner"),
    ]),
    ("favre-horlogerie", "CH", [
        ("Uhrenatelier Favre SA", "Rue du Marché 4", "La Chaux-de-Fonds", "2300", "favre-horlogerie.ch"),
        ("Favre Horlogerie", "Avenue Léopold-Robert 31", "La Chaux-de-Fonds", "2300", "mailto:atelier@favre-horlogerie.ch"),
    ]),
    ("autohaus-brandt", "DE", [
        ("Autohaus Brandt GmbH", "Osterholzer Heerstraße 120", "Bremen", "28325", "autohaus-brandt.de."),
        ("Brandt Automobile", "Osterholzer Heerstr. 120", "Bremen", "28325", "http://autohaus-brandt.de:8080/"),
    ]),
    ("nordlys-design", "NO", [
        ("Nordlys Design AS", "Strandgaten 18", "Bergen", "5013", "nordlysdesign.no"),
        ("Nordlys Interiør", "Storgata 7", "Tromsø", "9008", "www.nordlysdesign.no"),
    ]),
]

# Small businesses of one town that share a mail provider's or a hosting service's domain: never a conflict.
# (town, country, postal, [(name, street, web_domain), ...]); a name listed twice is one business registered twice.
SHARED_DOMAIN_TOWNS = [
    ("Rennes", "FR", "35000", [
        ("Boulangerie Le Fournil", "12 rue Saint-Hélier", "orange.fr"),
        ("Plomberie Guérin", "5 rue de Nantes", "plomberie.guerin@orange.fr"),
        ("Garage du Thabor", "30 rue de Paris", "orange.fr"),
        ("Taxi Rennais", "", "taxi.rennais@orange.fr"),
        ("Coiffure Line", "2 place Sainte-Anne", "gmail.com"),
        ("Cabinet Infirmier Leroux", "14 boulevard de la Liberté", "gmail.com"),
        ("Fleurs de Bretagne", "9 rue Le Bastard", "wanadoo.fr"),
        ("Crêperie Ar Men", "7 rue Saint-Georges", "wanadoo.fr"),
        ("Boulangerie Le Fournil", "12 r. St Hélier", "lefournil35@orange.fr"),
    ]),
    ("Bamberg", "DE", "96047", [
        ("Malerbetrieb Roth", "Luitpoldstraße 12", "t-online.de"),
        ("Fahrschule Krause", "Grüner Markt 3", "web.de"),
        ("Zahnarztpraxis Dr. Albrecht", "Lange Straße 20", "t-online.de"),
        ("Blumen Lang", "Obstmarkt 5", "gmx.de"),
        ("Schreinerei Vogt", "Luitpoldstraße 40", "schreinerei.vogt@t-online.de"),
        ("Elektro Hübner", "Hauptwachstraße 8", "gmx.de"),
    ]),
    ("Lecce", "IT", "73100", [
        ("Pasticceria Dolce Vita", "Via Trinchese 22", "libero.it"),
        ("Autofficina De Santis", "Viale Gallipoli 5", "libero.it"),
        ("Studio Legale Marra", "Via Palmieri 40", "avv.marra@libero.it"),
        ("Ferramenta Quarta", "Via Taranto 18", "tiscali.it"),
    ]),
    ("Leeds", "GB", "LS6 3AA", [
        ("Headingley Dry Cleaners", "12 Otley Road", "btinternet.com"),
        ("Kirkstall Locksmiths", "88 Kirkstall Road", "btinternet.com"),
        ("Hyde Park Dental Care", "3 Hyde Park Corner", "gmail.com"),
        ("Meanwood Guitar Lessons", "", "gmail.com"),
        ("Headingley Dry Cleaners", "12 Otley Rd", "headingleydrycleaners@btinternet.com"),
    ]),
    ("Nantes", "FR", "44000", [
        ("La Maison des Bougies", "4 rue Crébillon", "lamaisondesbougies.myshopify.com"),
        ("Atelier Cuir Nantais", "11 rue Kervégan", "atelier-cuir-nantes.myshopify.com"),
        ("Savonnerie de l'Erdre", "2 quai de Versailles", "https://savonnerie-erdre.myshopify.com/collections/all"),
    ]),
    ("Lund", "SE", "222 21", [
        ("Yogastudio Lund", "Stora Södergatan 8", "yogastudiolund.wixsite.com/yoga"),
        ("Keramikverkstan Lund", "Bytaregatan 4", "https://keramikverkstan.wixsite.com/home"),
        ("Lunds Hundfrisör", "Klostergatan 12", "lundshundfrisor.wixsite.com/website"),
    ]),
    ("Kassel", "DE", "34117", [
        ("Bäckerei Hofmann", "Friedrich-Ebert-Straße 50", "baeckerei-hofmann.jimdofree.com"),
        ("Tischlerei Berg", "Wilhelmshöher Allee 200", "tischlerei-berg.jimdofree.com"),
    ]),
    ("Bath", "GB", "BA1 1AA", [
        ("Bath Piano Lessons", "", "sites.google.com/view/pianolessons-bath"),
        ("Avon Dog Walkers", "", "https://sites.google.com/view/dogwalker-bath/home"),
        ("Smith Carpentry", "14 Walcot Street", "smith-carpentry.business.site"),
        ("Royal Crescent Window Cleaning", "", "royal-crescent-windows.business.site"),
    ]),
    ("Sevilla", "ES", "41004", [
        ("Pizzería Da Enzo", "Calle Feria 40", "facebook.com/PizzeriaDaEnzo"),
        ("Barbería El Rubio", "Calle Cuna 12", "https://www.facebook.com/barberiaelrubio"),
        ("Tapas La Giralda", "Calle Mateos Gago 1", "facebook.com/tapaslagiralda"),
    ]),
]


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
NEIGHBOURS = [
    ("Rennes", "FR", "35000", "orange.fr", [
        ("Boulangerie Le Fournil SARL", "12 rue Saint-Malo"), ("Pharmacie des Lices", "14 rue Saint-Malo"),
        ("Cordonnerie Express", "12 rue Saint-Malo"), ("Auto-École Vilaine", "3 place des Lices"),
        ("Cabinet Kinésithérapie Morvan", "3 place des Lices"), ("Librairie Planète Dessin", "21 rue Saint-Malo"),
        ("Le Fournil", "12, r. Saint-Malo", "Boulangerie Le Fournil SARL"),
    ]),
    ("Freiburg im Breisgau", "DE", "79098", "t-online.de", [
        ("Schreinerei Albrecht GmbH", "Gerberau 5"), ("Optik Sonnenschein", "Gerberau 5"),
        ("Fahrradladen Speiche & Kette", "Gerberau 7"), ("Steuerkanzlei Dr. Wehrle", "Kaiser-Joseph-Str. 230"),
        ("Blumenhaus Flora", "Gerberau 11"), ("Pizzeria Bella Napoli", "Kaiser-Joseph-Str. 232"),
        ("Optik Sonnenschein GmbH", "Gerberau 5", "Optik Sonnenschein"),
    ]),
    ("Bologna", "IT", "40121", "libero.it", [
        ("Forno San Petronio", "Via Indipendenza 20"), ("Ottica Centrale", "Via Indipendenza 20"),
        ("Studio Notarile Ferri", "Via Indipendenza 22"), ("Lavanderia Lampo", "Via Augusto Righi 8"),
        ("Gelateria Cremeria Funivia", "Via Augusto Righi 10"), ("Tabaccheria n. 42", "Via Indipendenza 26"),
        ("Forno S. Petronio", "Via dell'Indipendenza 20", "Forno San Petronio"),
    ]),
    ("Zaragoza", "ES", "50001", "gmail.com", [
        ("Panadería Tostado", "Calle Alfonso I 15"), ("Clínica Dental Ebro", "Calle Alfonso I 15"),
        ("Zapatería Moncayo", "Calle Alfonso I 17"), ("Gestoría Aragón Asesores", "Calle Don Jaime I 30"),
        ("Floristería Azahar", "Calle Don Jaime I 32"), ("Taller Mecánico Hermanos Gil", "Calle San Vicente 4"),
        ("Panaderia Tostado", "C/ Alfonso I, 15", "Panadería Tostado"),
    ]),
    ("Utrecht", "NL", "3511 LK", "ziggo.nl", [
        ("Bakkerij Van Vliet", "Voorstraat 40"), ("Kapsalon Knip & Zo", "Voorstraat 42"),
        ("Tandartspraktijk Domstad", "Voorstraat 40"), ("Fietsenmaker Snel", "Voorstraat 50"),
        ("Boekhandel Het Leesteken", "Lange Jufferstraat 3"), ("Loodgietersbedrijf Smit", "Lange Jufferstraat 5"),
    ]),
    ("Gent", "BE", "9000", "telenet.be", [
        ("Bakkerij Goudeneeuw", "Veldstraat 10"), ("Apotheek Sint-Jacobs", "Veldstraat 12"),
        ("Schoenmakerij Vlaams Leder", "Veldstraat 10"), ("Frituur 't Gentse Hoekje", "Korenmarkt 4"),
        ("Interieurzaak Lisa Mertens", "Korenmarkt 6"), ("Dierenarts Van Damme", "Veldstraat 18"),
    ]),
    ("Graz", "AT", "8010", "aon.at", [
        ("Konditorei Schwarz", "Sporgasse 8"), ("Installateur Pichler GmbH", "Sporgasse 8"),
        ("Trafik Grabner", "Sporgasse 10"), ("Fotostudio Lichtblick", "Herrengasse 14"),
        ("Reisebüro Fernweh", "Herrengasse 16"), ("Tierarztpraxis Dr. Kovač", "Sporgasse 12"),
        ("Konditorei Schwarz KG", "Sporgasse 8", "Konditorei Schwarz"),
    ]),
    ("Kraków", "PL", "31-001", "wp.pl", [
        ("Piekarnia Pod Arkadami", "ul. Floriańska 20"), ("Kantor Wymiany Walut Dukat", "ul. Floriańska 20"),
        ("Zakład Fryzjerski Anna", "ul. Floriańska 22"), ("Biuro Rachunkowe Bilans", "ul. Szpitalna 5"),
        ("Kwiaciarnia Storczyk", "ul. Szpitalna 7"), ("Warsztat Samochodowy Nowicki", "ul. Szpitalna 9"),
        ("Kantor Dukat", "Floriańska 20", "Kantor Wymiany Walut Dukat"),
    ]),
    ("York", "GB", "YO1 7HH", "btinternet.com", [
        ("Shambles Tea Rooms Ltd", "14 Shambles"), ("Minster Opticians", "14 Shambles"),
        ("Ouse Valley Plumbing Ltd", "2 Little Shambles"), ("Viking Tattoo Studio", "20 Shambles"),
        ("Harrison & Webb Solicitors", "5 Pavement"), ("Jorvik Cycle Repairs", "7 Pavement"),
        ("Minster Opticians Ltd", "14 The Shambles", "Minster Opticians"),
    ]),
    ("Luzern", "CH", "6004", "bluewin.ch", [
        ("Confiserie Seerose AG", "Weggisgasse 22"), ("Malergeschäft Bucher GmbH", "Weggisgasse 22"),
        ("Uhren Schmuck Zimmermann", "Weggisgasse 24"), ("Physiotherapie Pilatus", "Hertensteinstrasse 3"),
        ("Velo Flückiger", "Hertensteinstrasse 5"), ("Treuhand Arnold & Partner", "Hertensteinstrasse 9"),
    ]),
    ("Porto", "PT", "4050-253", "sapo.pt", [
        ("Padaria Ribeira", "Rua das Flores 60"), ("Farmácia Moderna", "Rua das Flores 62"),
        ("Alfaiataria Sousa", "Rua das Flores 60"), ("Oficina Auto Douro", "Rua de Mouzinho da Silveira 12"),
        ("Livraria Sá da Costa", "Rua de Mouzinho da Silveira 14"),
    ]),
]


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

# Sister companies: numbered (fund and project companies), regional and divisional. Each is its own customer:
# never a conflict (a review is allowed at one address). Rows marked `again` register the previous one again.
# (cluster, name, street, city, postal, country, web_domain, again)
SIBLINGS = [
    ("nordic-data-1", "Nordic Data 1 AB", "Kungsgatan 30", "Stockholm", "111 35", "SE", "", False),
    ("nordic-data-2", "Nordic Data 2 AB", "Kungsgatan 30", "Stockholm", "111 35", "SE", "", False),
    ("nordic-data-1", "Nordic Data 1 Aktiebolag", "Kungsgatan 30", "STOCKHOLM", "11135", "SE", "", True),
    ("nordic-data-3", "Nordic Data 3 AB", "Kungsgatan 30", "Stockholm", "111 35", "SE", "", False),
    ("hotel-invest-3", "Hotel Invest III GmbH", "Maximilianstraße 35", "München", "80539", "DE", "", False),
    ("hotel-invest-4", "Hotel Invest IV GmbH", "Maximilianstraße 35", "München", "80539", "DE", "", False),
    ("hotel-invest-3", "Hotel Invest III GmbH", "Maximilianstr. 35", "Muenchen", "80539", "DE", "", True),
    ("solarpark-emsland-7", "Solarpark Emsland 7 GmbH & Co. KG", "Am Kanal 2", "Meppen", "49716", "DE", "", False),
    ("solarpark-emsland-8", "Solarpark Emsland 8 GmbH & Co. KG", "Am Kanal 2", "Meppen", "49716", "DE", "", False),
    ("solarpark-emsland-17", "Solarpark Emsland 17 GmbH & Co. KG", "Am Kanal 2", "Meppen", "49716", "DE", "",
     False),
    ("windpark-nordsee-2", "Windpark Nordsee Ost 2 GmbH & Co. KG", "Hafenstraße 12", "Husum", "25813", "DE", "",
     False),
    ("windpark-nordsee-3", "Windpark Nordsee Ost 3 GmbH & Co. KG", "Hafenstraße 12", "Husum", "25813", "DE", "",
     False),
    ("sci-du-parc-2", "SCI du Parc 2", "10 avenue Foch", "Lyon", "69006", "FR", "", False),
    ("sci-du-parc-3", "SCI du Parc 3", "10 avenue Foch", "Lyon", "69006", "FR", "", False),
    ("sci-du-parc-2", "S.C.I. DU PARC 2", "10 av. Foch", "Lyon", "69006", "FR", "", True),
    ("fund-iii", "Northbridge Capital Fund III LP", "25 Old Broad Street", "London", "EC2N 1HN", "GB", "", False),
    ("fund-iv", "Northbridge Capital Fund IV LP", "25 Old Broad Street", "London", "EC2N 1HN", "GB", "", False),
    ("bahnstadt-4", "Projektgesellschaft Bahnstadt Süd 4 mbH", "Czernyring 22", "Heidelberg", "69115", "DE", "",
     False),
    ("bahnstadt-5", "Projektgesellschaft Bahnstadt Süd 5 mbH", "Czernyring 22", "Heidelberg", "69115", "DE", "",
     False),
    ("vorrat-118", "Blitz 18-118 GmbH", "Kurfürstendamm 21", "Berlin", "10719", "DE", "", False),
    ("vorrat-119", "Blitz 18-119 GmbH", "Kurfürstendamm 21", "Berlin", "10719", "DE", "", False),
    # Regional subsidiaries, often under the group's domain.
    ("acme-nordic", "Acme Nordic AB", "Sveavägen 44", "Stockholm", "111 34", "SE", "acme-group.com", False),
    ("acme-iberia", "Acme Iberia SL", "Calle de Serrano 90", "Madrid", "28006", "ES", "acme-group.com/es", False),
    ("acme-deutschland", "Acme Deutschland GmbH", "Hanauer Landstraße 200", "Frankfurt am Main", "60314", "DE",
     "www.acme-group.com", False),
    ("acme-nordic", "ACME Nordic AB", "Sveavagen 44", "Stockholm", "11134", "SE", "", True),
    ("acme-uk", "Acme UK Ltd", "1 King William Street", "London", "EC4N 7AR", "GB", "acme-group.com/uk", False),
    ("bauer-sued", "Bauer Haustechnik Süd GmbH", "Industriestraße 5", "Augsburg", "86167", "DE", "", False),
    ("bauer-nord", "Bauer Haustechnik Nord GmbH", "Wandsbeker Chaussee 80", "Hamburg", "22089", "DE", "", False),
    ("securitas-ost", "Sicherheitsdienst Adler Ost GmbH", "Prager Straße 10", "Dresden", "01069", "DE", "", False),
    ("securitas-west", "Sicherheitsdienst Adler West GmbH", "Königsallee 60", "Düsseldorf", "40212", "DE", "", False),
    ("lindqvist-norge", "Lindqvist Bygg Norge AS", "Karl Johans gate 12", "Oslo", "0154", "NO", "lindqvistbygg.se",
     False),
    ("lindqvist-sverige", "Lindqvist Bygg Sverige AB", "Storgatan 3", "Umeå", "903 26", "SE", "lindqvistbygg.se",
     False),
    # Divisions of one group: separate legal entities, sometimes at one address.
    ("siemens-healthineers", "Siemens Healthineers AG", "Henkestraße 127", "Erlangen", "91052", "DE",
     "siemens-healthineers.com", False),
    ("siemens-energy", "Siemens Energy AG", "Otto-Hahn-Ring 6", "München", "81739", "DE", "siemens-energy.com", False),
    ("siemens-mobility", "Siemens Mobility GmbH", "Otto-Hahn-Ring 6", "München", "81739", "DE", "mobility.siemens.com",
     False),
    ("siemens-healthineers", "SIEMENS HEALTHINEERS AG", "Henkestr. 127", "Erlangen", "91052", "DE", "", True),
    ("siemens-ag", "Siemens AG", "Werner-von-Siemens-Straße 1", "München", "80333", "DE", "siemens.com", False),
    ("bosch-rexroth", "Bosch Rexroth AG", "Zum Eisengießer 1", "Lohr am Main", "97816", "DE", "boschrexroth.com",
     False),
    ("bosch-thermotechnik", "Bosch Thermotechnik GmbH", "Sophienstraße 30-32", "Wetzlar", "35576", "DE",
     "bosch-thermotechnology.com", False),
    ("robert-bosch", "Robert Bosch GmbH", "Robert-Bosch-Platz 1", "Gerlingen", "70839", "DE", "bosch.com", False),
    ("bosch-rexroth", "Bosch Rexroth AG", "Zum Eisengiesser 1", "Lohr a. Main", "97816", "DE", "www.boschrexroth.com",
     True),
    ("allianz-versicherung", "Allianz Versicherungs-AG", "Königinstraße 28", "München", "80802", "DE", "allianz.de",
     False),
    ("allianz-leben", "Allianz Lebensversicherungs-AG", "Königinstraße 28", "München", "80802", "DE", "allianz.de",
     False),
    ("db-cargo", "DB Cargo AG", "Rheinstraße 2", "Mainz", "55116", "DE", "dbcargo.com", False),
    ("db-netz", "DB Netz AG", "Adam-Riese-Straße 11-13", "Frankfurt am Main", "60327", "DE", "dbnetze.com", False),
    ("db-fernverkehr", "DB Fernverkehr AG", "Stephensonstraße 1", "Frankfurt am Main", "60326", "DE", "bahn.de",
     False),
    ("db-regio", "DB Regio AG", "Europa-Allee 78-84", "Frankfurt am Main", "60486", "DE", "bahn.de", False),
    ("vw-financial", "Volkswagen Financial Services AG", "Gifhorner Straße 57", "Braunschweig", "38112", "DE",
     "vwfs.de", False),
    ("vw-sachsen", "Volkswagen Sachsen GmbH", "Glauchauer Straße 60", "Zwickau", "08058", "DE", "", False),
    ("carrefour-hyper", "Carrefour Hypermarchés SAS", "93 avenue de Paris", "Massy", "91300", "FR", "carrefour.fr",
     False),
    ("carrefour-proxi", "Carrefour Proximité France SAS", "ZI route de Paris", "Mondeville", "14120", "FR",
     "carrefour.fr", False),
    ("thyssenkrupp-steel", "thyssenkrupp Steel Europe AG", "Kaiser-Wilhelm-Straße 100", "Duisburg", "47166", "DE",
     "thyssenkrupp-steel.com", False),
    ("thyssenkrupp-materials", "thyssenkrupp Materials Services GmbH", "thyssenkrupp Allee 1", "Essen", "45143", "DE",
     "thyssenkrupp-materials-services.com", False),
    ("thyssenkrupp-steel", "ThyssenKrupp Steel Europe AG", "Kaiser-Wilhelm-Str. 100", "Duisburg", "47166", "DE", "",
     True),
    ("philips-nl", "Philips Nederland B.V.", "High Tech Campus 52", "Eindhoven", "5656 AG", "NL", "philips.nl", False),
    ("philips-consumer", "Philips Consumer Lifestyle B.V.", "Tussendiepen 4", "Drachten", "9206 AD", "NL",
     "philips.com", False),
    ("stadtwerke-ksl-netz", "Städtische Werke Netz + Service GmbH", "Königstor 3-13", "Kassel", "34117", "DE",
     "sw-kassel.de", False),
    ("stadtwerke-ksl", "Städtische Werke AG", "Königstor 3-13", "Kassel", "34117", "DE", "sw-kassel.de", False),
    ("hotel-invest-4", "Hotel Invest IV GmbH", "Maximilianstraße 35", "München", "80539", "DE", "", True),
    ("windpark-nordsee-3", "Windpark Nordsee-Ost 3 GmbH & Co KG", "Hafenstr. 12", "Husum", "25813", "DE", "", True),
    ("db-cargo", "DB Cargo Aktiengesellschaft", "Rheinstr. 2", "Mainz", "55116", "DE", "", True),
]


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
