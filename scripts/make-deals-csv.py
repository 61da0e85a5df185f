#!/usr/bin/env python3
"""Writes a synthetic import file of N opportunities to standard output, for `dealreg import` load runs.

About 8% of rows re-register an earlier customer with its spelling varied (case, legal form, accents,
postal-code spacing) so conflicts and duplicates are exercised, not only approvals. Seeded: the same N gives
the same file.
"""
import datetime
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(20261129)
first = ["Nord", "Süd", "Alpen", "Rhein", "Atlantic", "Baltic", "Iberia", "Helvetia", "Danube", "Fjord", "Celtic",
         "Lumière", "Vesuvio", "Tatra", "Aurora", "Castello", "Meridian", "Polaris", "Zenith", "Kestrel"]
second = ["Logistik", "Bau", "Pharma", "Textil", "Energie", "Software", "Foods", "Motors", "Finance", "Media",
          "Chemicals", "Optics", "Robotics", "Retail", "Shipping", "Insurance", "Telecom", "Minerals", "Papier", "Glas"]
third = ["", "Holding", "Group", "Services", "Systems", "International", "Partners", "Industries", "Solutions", "Works"]
forms = {"DE": ["GmbH", "AG", "KG"], "FR": ["SA", "SAS", "SARL"], "GB": ["Ltd", "PLC", "Limited"],
         "IT": ["SpA", "Srl"], "ES": ["S.L.", "S.A."], "NL": ["BV", "NV"], "SE": ["AB"], "NO": ["AS"]}
cities = {"DE": [("Berlin", "10115"), ("München", "80331"), ("Köln", "50667"), ("Hamburg", "20095")],
          "FR": [("Paris", "75008"), ("Lyon", "69002"), ("Lille", "59000"), ("Nantes", "44000")],
          "GB": [("London", "SW1A 1AA"), ("Leeds", "LS1 4AP"), ("Bristol", "BS1 5TR")],
          "IT": [("Milano", "20121"), ("Torino", "10121"), ("Napoli", "80133")],
          "ES": [("Madrid", "28001"), ("Sevilla", "41001"), ("Bilbao", "48001")],
          "NL": [("Amsterdam", "1011 AB"), ("Utrecht", "3511 AA")],
          "SE": [("Stockholm", "111 22"), ("Malmö", "211 20")], "NO": [("Oslo", "0150"), ("Bergen", "5003")]}
currencies = {"DE": "EUR", "FR": "EUR", "GB": "GBP", "IT": "EUR", "ES": "EUR", "NL": "EUR", "SE": "SEK", "NO": "NOK"}
products = ["storage", "servers", "networking", "laptops", "security", "services", "cloud", "printers"]

syllables = ["ka", "ve", "lor", "trin", "sum", "bra", "nik", "dol", "mer", "zan", "qui", "tor", "ell", "os", "ar",
             "pen", "gri", "fal", "mon", "ru", "sta", "vin", "lex", "cor", "dia", "hal", "ny", "bel", "tik", "ost"]


def brand():
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def variant(name):
    choice = rng.randrange(4)
    if choice == 0:
        return name.upper()
    if choice == 1:
        return name.replace("ü", "ue").replace("é", "e").replace("è", "e").replace("ö", "o")
    if choice == 2:
        return " ".join(name.split()[:-1])  # legal form dropped
    return name.lower()

print("ref,customer_name,street,city,postal_code,country,web_domain,tax_id,product_lines,amount,currency,close_date,tender")
seen = []
for row in range(1, rows + 1):
    if seen and rng.random() < 0.08:
        name, country, city, postal, domain = rng.choice(seen)
        name = variant(name)
        postal = postal.replace(" ", "") if rng.random() < 0.5 else postal
    else:
        country = rng.choice(list(forms))
        words = [rng.choice(first), brand(), rng.choice(second), rng.choice(third)]
        base = " ".join(w for w in words if w)
        name = f"{base} {rng.choice(forms[country])}"
        city, postal = rng.choice(cities[country])
        domain = base.lower().replace(" ", "-").replace("ü", "ue").replace("é", "e").replace("ö", "o") + ".example"
        seen.append((name, country, city, postal, domain))
    lines = ";".join(rng.sample(products, rng.randint(1, 3)))
    amount = f"{rng.randint(5, 2000) * 1000}.00"
    close = (datetime.date.today() + datetime.timedelta(days=rng.randint(30, 700))).isoformat()
    tender = "yes" if rng.random() < 0.03 else ""
    quoted = f'"{name}"' if "," in name else name
    print(f"R-{row},{quoted},,{city},{postal},{country},{domain},,{lines},{amount},{currencies[country]},{close},{tender}")
