"""Valid tax and company identifiers, computed with each country's published check-digit algorithm.

make_tables.py writes labelled rows whose ids pass (or, mistyped on purpose, fail) the check a matcher can apply.
Each scheme is a body generator and a check function over the body; an id is valid when its last character is
the check of the rest. Every generator takes a random.Random, so one seed gives the same ids on every run.

`python3 taxids.py` cross-checks a few thousand generated ids per scheme against python-stdnum when it is
installed (`pip install python-stdnum`); the tables themselves need nothing but the standard library.
"""

import random

DIGITS = "0123456789"


def _digits(rng, count, first_nonzero=True):
    text = "".join(rng.choice(DIGITS) for _ in range(count))
    if first_nonzero and text[0] == "0":
        text = str(rng.randint(1, 9)) + text[1:]
    return text


def _weighted(body, weights):
    return sum(int(char) * weight for char, weight in zip(body, weights))


def luhn_check(body):
    """The Luhn digit that makes body + digit valid (French SIREN and SIRET)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def iso7064_mod11_10(body):
    """ISO 7064 MOD 11,10 (German USt-IdNr., Serbian PIB)."""
    product = 10
    for char in body:
        total = (int(char) + product) % 10 or 10
        product = (2 * total) % 11
    return str((11 - product) % 10)


def it_check(body):
    """Partita IVA: digits in even places (1-based) doubled with digit sum, (10 - sum mod 10) mod 10."""
    total = 0
    for position, char in enumerate(body):
        digit = int(char) * (2 if position % 2 == 1 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def es_cif_check(body):
    """CIF control over letter + 7 digits: a digit for A, B, E, H companies, a letter for K, P, Q, S, N, W."""
    letter, digits = body[0], body[1:]
    total = 0
    for position, char in enumerate(digits):
        digit = int(char)
        total += sum(divmod(2 * digit, 10)) if position % 2 == 0 else digit
    control = (10 - total % 10) % 10
    return "JABCDEFGHI"[control] if letter in "KPQSNW" else str(control)


def nl_check(body):
    """RSIN / btw-id digits: weights 9..2, the ninth digit is the sum mod 11 (10: no valid number)."""
    check = _weighted(body, range(9, 1, -1)) % 11
    return str(check) if check < 10 else None


def be_check(body):
    """Belgian enterprise number: the last two digits are 97 - (first eight mod 97)."""
    return "%02d" % (97 - int(body) % 97)


def at_check(body):
    """Austrian UID (the 8 digits after ATU): weights 1,2,1,2,1,2,1 with digit sums, (10 - (sum + 4) mod 10) mod 10."""
    total = 0
    for position, char in enumerate(body):
        digit = int(char) * (2 if position % 2 == 1 else 1)
        total += digit // 10 + digit % 10
    return str((10 - (total + 4) % 10) % 10)


def pl_check(body):
    """Polish NIP: weights 6,5,7,2,3,4,5,6,7 mod 11 (10: no valid number)."""
    check = _weighted(body, (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11
    return str(check) if check < 10 else None


def gb_check(body):
    """UK VAT: weights 8..2 on the first seven digits, plus the last two, divisible by 97."""
    return "%02d" % ((-_weighted(body, range(8, 1, -1))) % 97)


def ch_check(body):
    """Swiss UID: weights 5,4,3,2,7,6,5,4, check 11 - sum mod 11 (11 → 0, 10: no valid number)."""
    check = 11 - _weighted(body, (5, 4, 3, 2, 7, 6, 5, 4)) % 11
    return "0" if check == 11 else (str(check) if check < 10 else None)


def ru_inn_check(body):
    """Russian INN of an organisation (10 digits): weights 2,4,10,3,5,9,4,6,8 mod 11 mod 10."""
    return str(_weighted(body, (2, 4, 10, 3, 5, 9, 4, 6, 8)) % 11 % 10)


def ua_edrpou_check(body):
    """Ukrainian EDRPOU (8 digits): weights 1..7 (7,1..6 between 30000000 and 60000000), +2 when the sum mod 11
    is 10."""
    number = int(body + "0")
    weights = (1, 2, 3, 4, 5, 6, 7) if number < 30000000 or number > 60000000 else (7, 1, 2, 3, 4, 5, 6)
    check = _weighted(body, weights) % 11
    if check == 10:
        check = _weighted(body, [weight + 2 for weight in weights]) % 11 % 10
    return str(check)


def bg_eik_check(body):
    """Bulgarian EIK (9 digits): weights 1..8 mod 11, then 3..10 when that gives 10."""
    check = _weighted(body, range(1, 9)) % 11
    if check == 10:
        check = _weighted(body, range(3, 11)) % 11 % 10
    return str(check)


def gr_check(body):
    """Greek AFM (9 digits): sum of d × 2^(8-i) mod 11 mod 10."""
    return str(sum(int(char) * 2 ** (8 - position) for position, char in enumerate(body)) % 11 % 10)


def kr_check(body):
    """Korean business registration number: weights 1,3,7,1,3,7,1,3,5 plus the carry of the ninth digit × 5."""
    total = _weighted(body, (1, 3, 7, 1, 3, 7, 1, 3, 5)) + int(body[8]) * 5 // 10
    return str((10 - total % 10) % 10)


def il_check(body):
    """Israeli company number: weights 1,2,1,2... with digit sums, the total divisible by 10."""
    total = 0
    for position, char in enumerate(body):
        digit = int(char) * (1 if position % 2 == 0 else 2)
        total += digit // 10 + digit % 10
    return str((10 - total % 10) % 10)


def th_check(body):
    """Thai tax id (13 digits): (11 - Σ d × (13 - i) mod 11) mod 10."""
    return str((11 - _weighted(body, range(13, 1, -1)) % 11) % 10)


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def cn_organisation_check(body):
    """The check character of a Chinese organisation code (GB 11714): weights 3,7,9,10,5,8,4,2, 11 - sum mod 11."""
    values = [int(char) if char.isdigit() else ord(char) - 55 for char in body]
    check = 11 - sum(value * weight for value, weight in zip(values, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def cn_check(body):
    """Unified social credit code (GB 32100-2015): weights 3^i mod 31 over 17 characters, 31 - sum mod 31."""
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(body, weights))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def jp_check(base):
    """Japanese corporate number (法人番号): 9 - (Σ P_n × Q_n mod 9), P_n the n-th digit from the right of the
    12-digit base, Q_n 1 for odd n and 2 for even; the check digit stands first."""
    total = sum(int(char) * (1 if position % 2 == 1 else 2) for position, char in enumerate(reversed(base), start=1))
    return str(9 - total % 9)


# Body generators: what a registry actually issues (region or office prefixes where the id has them).
def _de(rng):
    return _digits(rng, 8)


def _fr(rng):
    body = _digits(rng, 8)
    return body


def _it(rng):
    return _digits(rng, 7, first_nonzero=False) + "%03d" % rng.choice([1, 15, 37, 48, 58, 63, 87, 94, 100, 120])


def _es(rng):
    return rng.choice("AB") + _digits(rng, 7, first_nonzero=False)


def _be(rng):
    return "0" + rng.choice("4789") + _digits(rng, 6, first_nonzero=False)


SCHEMES = {
    # country: (body generator, check over the body, how many check characters)
    "DE": (_de, iso7064_mod11_10),
    "FR": (_fr, luhn_check),  # the SIREN; fr_vat adds the key
    "IT": (_it, it_check),
    "ES": (_es, es_cif_check),
    "NL": (lambda rng: _digits(rng, 8), nl_check),
    "BE": (_be, be_check),
    "AT": (lambda rng: _digits(rng, 7), at_check),
    "PL": (lambda rng: _digits(rng, 9), pl_check),
    "GB": (lambda rng: _digits(rng, 7), gb_check),
    "CH": (lambda rng: _digits(rng, 8), ch_check),
    "RU": (lambda rng: rng.choice(["77", "78", "50", "54", "66", "16"]) + _digits(rng, 7, False), ru_inn_check),
    "UA": (lambda rng: rng.choice("34") + _digits(rng, 6, False), ua_edrpou_check),
    "BG": (lambda rng: rng.choice("12") + _digits(rng, 7, False), bg_eik_check),
    "RS": (lambda rng: "1" + _digits(rng, 7, False), iso7064_mod11_10),
    "GR": (lambda rng: "09" + _digits(rng, 6, False), gr_check),
    "KR": (lambda rng: str(rng.randint(101, 899)) + rng.choice(["81", "86", "87", "88"]) + _digits(rng, 4), kr_check),
    "IL": (lambda rng: "51" + _digits(rng, 6, False), il_check),
    "TH": (lambda rng: "0105" + _digits(rng, 8, False), th_check),
}


def valid_id(country, rng):
    """A valid identifier's characters (no country prefix, no separators)."""
    generate, check = SCHEMES[country]
    while True:
        body = generate(rng)
        digit = check(body)
        if digit is not None:
            return body + digit


def is_valid(country, identifier):
    """Whether identifier passes its country's check, or any other the country also issues: a UK number may
    follow the 9755 scheme (remainder 42 or 55 instead of 0), a Dutch sole trader's btw-id mod 97."""
    generate, check = SCHEMES[country]
    width = 2 if country in ("BE", "GB") else 1
    if check(identifier[:-width]) == identifier[-width:]:
        return True
    if country == "GB":
        remainder = (_weighted(identifier[:7], range(8, 1, -1)) + int(identifier[7:])) % 97
        return int(identifier[:3]) >= 100 and remainder in (42, 55)
    if country == "NL":
        return int("2321" + identifier + "1101") % 97 == 1
    return False


def ru_inn(rng, region):
    """A Russian organisation's INN registered at `region`'s tax office (its first two digits)."""
    body = region + _digits(rng, 7, first_nonzero=False)
    return body + ru_inn_check(body)


def fr_vat(siren):
    """FR key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97."""
    return "%02d" % ((12 + 3 * (int(siren) % 97)) % 97) + siren


def fr_siret(siren, rng):
    """SIREN + 4-digit establishment number + Luhn digit over all 14."""
    body = siren + "%04d" % rng.randint(1, 300)
    return body + luhn_check(body)


def jp_corporate_number(rng):
    base = rng.choice(["0100", "0104", "0105", "1800", "1200", "0110"]) + "01" + _digits(rng, 6, first_nonzero=False)
    return jp_check(base) + base


def cn_uscc(rng, division):
    """91 (a company registered by market regulation), the 6-digit administrative division, a 9-character
    organisation code, the check character."""
    organisation = ("MA" if rng.random() < 0.5 else "") + "".join(rng.choice(USCC_ALPHABET[:10]) for _ in range(8))
    organisation = organisation[:8]
    body = "91" + division + organisation + cn_organisation_check(organisation)
    return body + cn_check(body)


def mistype(identifier, rng, valid):
    """identifier with one digit changed so that `valid` rejects it, as a partner's slip of the finger."""
    positions = [index for index, char in enumerate(identifier) if char.isdigit()]
    while True:
        index = rng.choice(positions)
        candidate = identifier[:index] + rng.choice(DIGITS.replace(identifier[index], "")) + identifier[index + 1:]
        if not valid(candidate):
            return candidate


def _cross_check():
    from stdnum.at import uid
    from stdnum.be import vat as be
    from stdnum.bg import vat as bg
    from stdnum.ch import uid as ch
    from stdnum.cn import uscc
    from stdnum.de import vat as de
    from stdnum.es import cif
    from stdnum.fr import siren, siret, tva
    from stdnum.gb import vat as gb
    from stdnum.gr import vat as gr
    from stdnum.il import hp
    from stdnum.it import iva
    from stdnum.jp import cn as jp
    from stdnum.kr import brn
    from stdnum.nl import btw
    from stdnum.pl import nip
    from stdnum.rs import pib
    from stdnum.ru import inn
    from stdnum.th import tin
    from stdnum.ua import edrpou

    validators = {
        "DE": de.is_valid, "IT": iva.is_valid, "ES": cif.is_valid, "NL": lambda n: btw.is_valid(n + "B01"),
        "BE": be.is_valid, "AT": lambda n: uid.is_valid("U" + n), "PL": nip.is_valid, "GB": gb.is_valid,
        "CH": lambda n: ch.is_valid("CHE" + n), "RU": inn.is_valid, "UA": edrpou.is_valid, "BG": bg.is_valid,
        "RS": pib.is_valid, "GR": gr.is_valid, "KR": brn.is_valid, "IL": hp.is_valid, "TH": tin.is_valid,
    }
    rng = random.Random(1)
    for country, validate in validators.items():
        for _ in range(2000):
            number = valid_id(country, rng)
            assert validate(number), (country, number)
            assert is_valid(country, number)
            wrong = mistype(number, rng, lambda n: is_valid(country, n))
            # python-stdnum checks a Korean number's format only, not its check digit.
            assert country == "KR" or not validate(wrong), (country, wrong)
    for _ in range(2000):
        number = valid_id("FR", rng)
        assert siren.is_valid(number) and tva.is_valid(fr_vat(number)) and siret.is_valid(fr_siret(number, rng))
        assert jp.is_valid(jp_corporate_number(rng))
        assert uscc.is_valid(cn_uscc(rng, "310115")), cn_uscc(rng, "310115")
    print("every scheme agrees with python-stdnum")


if __name__ == "__main__":
    _cross_check()
