"""Romanisations of Cyrillic and Greek as people write them, each scheme written out by hand.

The tables must not be spelt by the transform a matcher may use (ICU's Any-Latin), so each scheme here is the
published table (BGN/PCGN, the Russian passport's ICAO table, Ukraine's 2010 national system, Bulgaria's 2009
streamlined system, Serbian Latin, ELOT 743) or the habit of a group of writers (informal "translit",
German Duden spellings, Greeklish), applied letter by letter with the context rules each one states.
"""

import unicodedata

VOWELS_RU = set("аеёиоуыэюяіїє")

# Russian ----------------------------------------------------------------------------------------------------------

_RU_COMMON = dict(zip("абвгдзклмнопрстуф", "abvgdzklmnoprstuf"))

RU_BGN = dict(_RU_COMMON, ж="zh", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", й="y", ы="y", ъ="", ь="", э="e",
              ю="yu", я="ya", и="i", ё="yo")
RU_PASSPORT = dict(_RU_COMMON, ж="zh", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", й="i", ы="y", ъ="ie", ь="",
                   э="e", ю="iu", я="ia", и="i", е="e", ё="e")
RU_INFORMAL = dict(_RU_COMMON, ж="j", х="h", ц="c", ч="ch", ш="sh", щ="sch", й="y", ы="i", ъ="", ь="", э="e",
                   ю="yu", я="ya", и="i", е="e", ё="yo")
RU_TRANSLIT_J = dict(_RU_COMMON, ж="zh", х="h", ц="c", ч="ch", ш="sh", щ="sch", й="j", ы="y", ъ="", ь="",
                     э="e", ю="ju", я="ja", и="i", е="e", ё="jo")
RU_DUDEN = dict(_RU_COMMON, в="w", з="s", ж="sch", х="ch", ц="z", ч="tsch", ш="sch", щ="schtsch", й="i",
                ы="y", ъ="", ь="", э="e", ю="ju", я="ja", и="i", ё="jo")


def _russian(text, table, iotated_e, ending_iy):
    """Letter by letter; `iotated_e` spells е as ye/je at a word's start and after a vowel, ъ or ь; `ending_iy`
    spells the adjective endings -ий / -ый."""
    out = []
    lower = text.lower()
    for index, char in enumerate(lower):
        previous = lower[index - 1] if index > 0 else " "
        following = lower[index + 1] if index + 1 < len(lower) else " "
        if char in "ий" and ending_iy is not None and not following.isalpha() and previous in "иы" and char == "й":
            piece = ending_iy[1]
        elif char in "иы" and following == "й" and ending_iy is not None and not (
                lower[index + 2] if index + 2 < len(lower) else " ").isalpha():
            piece = ending_iy[0]
        elif char == "е" and "е" not in table:
            piece = iotated_e if (not previous.isalpha() or previous in VOWELS_RU or previous in "ъь") else "e"
        elif char in table:
            piece = table[char]
        else:
            piece = char
        out.append(piece)
    return _recase(text, "".join(out))


def _recase(source, romanised):
    """Capitalises words the way the source does (all caps stay caps; Title stays Title), hyphenated parts too."""
    words_in = source.replace("-", " - ").split(" ")
    words_out = romanised.replace("-", " - ").split(" ")
    result = []
    for index, word in enumerate(words_out):
        original = words_in[index] if index < len(words_in) else ""
        letters = [c for c in original if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(letters) > 1:
            result.append(word.upper())
        elif letters and letters[0].isupper():
            position = next((i for i, c in enumerate(word) if c.isalpha()), None)
            result.append(word if position is None else word[:position] + word[position].upper() + word[position + 1:])
        else:
            result.append(word)
    return " ".join(result).replace(" - ", "-")


def russian(text, scheme):
    if scheme == "bgn":
        return _russian(text, RU_BGN, "ye", ("i", "y"))
    if scheme == "passport":
        return _russian(text, RU_PASSPORT, "e", ("i", "i"))
    if scheme == "informal":
        return _russian(text, RU_INFORMAL, "e", ("i", "y"))
    if scheme == "translit":
        return _russian(text, RU_TRANSLIT_J, "e", ("i", "j"))
    if scheme == "duden":
        return _russian(text, RU_DUDEN, "je", ("i", "j"))
    raise ValueError(scheme)


RUSSIAN_SCHEMES = ["bgn", "passport", "informal", "translit", "duden"]

# Ukrainian --------------------------------------------------------------------------------------------------------

UA_NATIONAL = dict(zip("абвдезклмнопрстуф", "abvdezklmnoprstuf"), г="h", ґ="g", ж="zh", и="y", і="i", х="kh",
                   ц="ts", ч="ch", ш="sh", щ="shch", ь="", **{"'": "", "’": ""})
# Initial forms of the 2010 system: є, ї, й, ю, я begin a word as ye, yi, y, yu, ya and are ie, i, i, iu, ia inside.
UA_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
UA_INSIDE = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
# How Russian speakers and older English texts spell Ukrainian: г as g, и as i, і as i, є/ї/ю/я as ye/yi/yu/ya.
UA_RUSSIFIED = dict(UA_NATIONAL, г="g", и="i", х="kh", **{"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"})


def ukrainian(text, scheme):
    out = []
    lower = text.lower()
    for index, char in enumerate(lower):
        previous = lower[index - 1] if index > 0 else " "
        if scheme == "national" and char in UA_INITIAL:
            out.append(UA_INITIAL[char] if not previous.isalpha() else UA_INSIDE[char])
        elif scheme == "national" and char == "г" and previous == "з":
            out.append("gh")
        else:
            table = UA_NATIONAL if scheme == "national" else UA_RUSSIFIED
            out.append(table.get(char, char))
    return _recase(text, "".join(out))


UKRAINIAN_SCHEMES = ["national", "russified"]

# Bulgarian --------------------------------------------------------------------------------------------------------

BG_STREAMLINED = dict(zip("абвгдезиклмнопрстуф", "abvgdeziklmnoprstuf"), ж="zh", й="y", х="h", ц="ts", ч="ch",
                      ш="sh", щ="sht", ъ="a", ь="y", ю="yu", я="ya")
BG_INFORMAL = dict(BG_STREAMLINED, ж="j", ъ="u", я="ia", ю="iu", х="h", ц="c")
BG_BGN = dict(BG_STREAMLINED, ъ="u", х="kh")


def bulgarian(text, scheme):
    table = {"streamlined": BG_STREAMLINED, "informal": BG_INFORMAL, "bgn": BG_BGN}[scheme]
    lower = text.lower()
    out = []
    for index, char in enumerate(lower):
        following = lower[index + 1] if index + 1 < len(lower) else " "
        # The 2009 law spells a final -ия as -ia ("България" → "Bulgaria").
        if scheme == "streamlined" and char == "я" and not following.isalpha() and index and lower[index - 1] == "и":
            out.append("a")
        else:
            out.append(table.get(char, char))
    return _recase(text, "".join(out))


BULGARIAN_SCHEMES = ["streamlined", "informal", "bgn"]

# Serbian ----------------------------------------------------------------------------------------------------------

SR_LATIN = dict(zip("абвгдезиклмнопрстуфхц", "abvgdeziklmnoprstufhc"), ђ="đ", ж="ž", ј="j", љ="lj", њ="nj",
                ћ="ć", ч="č", џ="dž", ш="š")
SR_ASCII = dict(SR_LATIN, ђ="dj", ж="z", ћ="c", ч="c", џ="dz", ш="s")
SR_ENGLISH = dict(SR_LATIN, ђ="dj", ж="zh", ћ="ch", ч="ch", џ="dzh", ш="sh")


def serbian(text, scheme):
    table = {"latin": SR_LATIN, "ascii": SR_ASCII, "english": SR_ENGLISH}[scheme]
    return _recase(text, "".join(table.get(char, char) for char in text.lower()))


SERBIAN_SCHEMES = ["latin", "ascii", "english"]

# Greek ------------------------------------------------------------------------------------------------------------

GREEK_VOICELESS = set("θκξπστφχψ")


def _strip_greek_accents(text):
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            if char == "\u0308":  # diaeresis splits a diphthong: keep it as a marker
                kept.append("¨")
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


_GR_ELOT = dict(zip("αβγδεζηικλμνξοπρστφω", ["a", "v", "g", "d", "e", "z", "i", "i", "k", "l", "m", "n", "x", "o",
                                             "p", "r", "s", "t", "f", "o"]), θ="th", υ="y", χ="ch", ψ="ps", ς="s")
_GR_PHONETIC = dict(_GR_ELOT, υ="i", η="i", ω="o", χ="ch", ξ="x")
_GR_VISUAL = dict(_GR_ELOT, η="h", ω="w", β="b", χ="x", υ="y", ξ="ks", θ="th")
# The classical Latin spelling companies and old maps use: η → e, φ → ph, αυ/ευ → au/eu ("Athenaiki", "Piraeus").
_GR_TRADITIONAL = dict(_GR_ELOT, η="e", φ="ph", χ="ch", υ="y", β="v")


def greek(text, scheme):
    """ELOT 743 (the official transcription: αυ/ευ → av/ev or af/ef, μπ → b at a word's start, ου → ou), phonetic
    Greeklish (αι → e, ει/οι/η/υ → i, μπ → b, ντ → d), visual Greeklish (η → h, ω → w, χ → x, β → b) or the
    traditional Latin spelling (η → e, φ → ph, αυ → au)."""
    table = {"elot": _GR_ELOT, "phonetic": _GR_PHONETIC, "visual": _GR_VISUAL, "traditional": _GR_TRADITIONAL}[scheme]
    lower = _strip_greek_accents(text.lower())
    out = []
    index = 0
    while index < len(lower):
        char = lower[index]
        pair = lower[index:index + 2]
        previous = lower[index - 1] if index > 0 else " "
        after = lower[index + 2] if index + 2 < len(lower) else " "
        start = not previous.isalpha()
        if char == "¨":
            index += 1
            continue
        if scheme == "phonetic" and char == "υ" and start and after.isalpha():
            out.append("y")  # "Υιοί" → "Yioi", not "Iii"
            index += 1
            continue
        if pair in ("αυ", "ευ", "ηυ"):
            vowel = {"α": "a", "ε": "e", "η": "i"}[char]
            if scheme == "visual":
                vowel = {"α": "a", "ε": "e", "η": "h"}[char]
            if scheme == "traditional":
                out.append(vowel + "u")
                index += 2
                continue
            out.append(vowel + ("f" if (after in GREEK_VOICELESS or not after.isalpha()) else "v"))
            index += 2
            continue
        if pair == "ου":
            out.append("ou" if scheme != "phonetic" or index % 2 == 0 else "u")
            index += 2
            continue
        if scheme == "phonetic" and pair in ("αι", "ει", "οι"):
            out.append({"αι": "e", "ει": "i", "οι": "i"}[pair])
            index += 2
            continue
        if pair == "μπ":
            out.append("b" if (start or scheme != "elot") else "mp")
            index += 2
            continue
        if pair == "ντ":
            out.append("d" if (start or scheme == "phonetic") else "nt")
            index += 2
            continue
        if pair == "γγ":
            out.append("ng" if scheme != "visual" else "gg")
            index += 2
            continue
        if pair == "γκ":
            out.append("g" if start else ("gk" if scheme == "elot" else "gk" if scheme == "visual" else "g"))
            index += 2
            continue
        out.append(table.get(char, char))
        index += 1
    return _recase(_strip_greek_accents(text).replace("¨", ""), "".join(out))


GREEK_SCHEMES = ["elot", "phonetic", "visual", "traditional"]


if __name__ == "__main__":
    for scheme in RUSSIAN_SCHEMES:
        print(scheme, "|", russian("ООО Ромашка", scheme), "|", russian("Щёлковский Хлебозавод", scheme), "|",
              russian("Юго-Западная Ярмарка", scheme), "|", russian("Сибирский Лес", scheme), "|",
              russian("Елецкое Объединение", scheme))
    for scheme in UKRAINIAN_SCHEMES:
        print(scheme, "|", ukrainian("Київ", scheme), ukrainian("Харківська Єдність", scheme),
              ukrainian("Згода Яворів", scheme))
    for scheme in BULGARIAN_SCHEMES:
        print(scheme, "|", bulgarian("София", scheme), bulgarian("България Щит Ъгъл", scheme))
    for scheme in SERBIAN_SCHEMES:
        print(scheme, "|", serbian("Београд Чачак Ђорђевић Шабац Љубовија", scheme))
    for scheme in GREEK_SCHEMES:
        print(scheme, "|", greek("Αθηναϊκή Ζυθοποιία", scheme), "|", greek("Ευρωπαϊκή Πληροφορική", scheme), "|",
              greek("Λεωφόρος Κηφισίας", scheme), "|", greek("Μπακάλικο Ντόπιων Αγγέλου", scheme), "|",
              greek("Θεσσαλονίκη Αυτοκίνητα", scheme))
