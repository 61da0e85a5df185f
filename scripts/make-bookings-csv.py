#!/usr/bin/env python3
"""Writes N booked orders to standard output, for `dealreg booking import` load runs, from a deals file made by
make-deals-csv.py and imported by OWNER.

Mix (seeded, so the same inputs give the same file): 40 % booked by OWNER on a customer it registered (its own
protection: no violation), 15 % by RIVAL on one of them (POACHING), 10 % by SELLER on one of them (DIRECT_BYPASS),
35 % on customers nobody registered (no violation). Registered customers are respelled the way bookings in an
ERP differ from registrations (case, accents, legal form dropped).
Usage: make-bookings-csv.py DEALS.csv N OWNER RIVAL SELLER
"""
import csv
import datetime
import random
import sys

deals_file, count, owner, rival, seller = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
rng = random.Random(20261130)
with open(deals_file, newline="", encoding="utf-8") as handle:
    deals = [row for row in csv.DictReader(handle) if not row["tender"]]


def respelled(name):
    choice = rng.randrange(4)
    if choice == 0:
        return name.upper()
    if choice == 1:
        return name.replace("ü", "ue").replace("é", "e").replace("è", "e").replace("ö", "o")
    if choice == 2:
        return " ".join(name.split()[:-1]) or name
    return name


today = datetime.date.today().isoformat()
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["order_id", "customer_name", "street", "city", "postal_code", "country", "web_domain", "tax_id",
              "product_lines", "amount", "currency", "booked_by", "booked_on"])
for number in range(1, count + 1):
    deal = rng.choice(deals)
    draw = rng.random()
    name, domain, booker = respelled(deal["customer_name"]), deal["web_domain"], owner
    if draw < 0.40:
        booker = owner
    elif draw < 0.55:
        booker = rival
    elif draw < 0.65:
        booker = seller
    else:
        booker = rng.choice([owner, rival, seller])
        name, domain = f"Unregistered Kunde {number} GmbH", f"kunde-{number}.example"
    out.writerow([f"ERP-{number}", name, "", deal["city"], deal["postal_code"], deal["country"], domain, "",
                  deal["product_lines"], deal["amount"], deal["currency"], booker, today])
