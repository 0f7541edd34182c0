"""First-pass named entities: people, organisations, states and places.

Rules over capitalised spans, a country list (pycountry), a small seed
gazetteer and title words.  It is deliberately conservative: an unknown
capitalised word is dropped rather than guessed at.  Issue 4 replaces this
with spaCy and an actor registry behind the same ``extract_entities``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pycountry

from ..model import EntityMention, Sentence

TITLES = [
    "Prime Minister", "Deputy Prime Minister", "Foreign Minister", "Defence Minister",
    "Defense Minister", "Secretary of State", "Defense Secretary", "Defence Secretary",
    "Secretary-General", "Secretary General", "Vice President", "President", "Chancellor",
    "Minister", "Secretary", "Spokesman", "Spokeswoman", "Spokesperson", "Governor", "Mayor",
    "General", "Gen.", "Admiral", "Senator", "Sen.", "Rep.", "Ambassador", "King", "Queen",
    "Pope", "Prince", "Premier", "Envoy", "Special Envoy", "Commander", "Chief", "Leader",
    "First Lady", "Presidents", "Mr.", "Mrs.", "Ms.", "Dr.",
]
_TITLE_RE = re.compile(
    r"^(?:(?:former|acting|then|U\.S\.|US|[A-Z][a-z]+n|[A-Z][a-z]+ian|[A-Z][a-z]+ese|[A-Z][a-z]+ish)\s+)*"
    r"(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")\s+"
)

ORG_WORDS = {
    "council", "nations", "union", "organization", "organisation", "ministry", "department",
    "force", "forces", "army", "navy", "guard", "agency", "parliament", "commission",
    "committee", "bank", "fund", "court", "party", "office", "kremlin", "pentagon",
    "congress", "senate", "assembly", "alliance", "institute", "group", "company", "corp",
    "inc", "news", "times", "post", "wire", "service", "services", "police", "command",
    "staff", "duma", "rada", "cabinet", "government", "administration", "university",
    "red", "cross", "summit", "house", "federation", "authority", "corps", "brigade",
}
KNOWN_ORGS = {
    "NATO": "NATO", "EU": "European Union", "UN": "United Nations", "U.N.": "United Nations",
    "IAEA": "IAEA", "Kremlin": "Kremlin", "White House": "White House", "Pentagon": "Pentagon",
    "European Union": "European Union", "United Nations": "United Nations",
    "European Commission": "European Commission", "G7": "G7", "G20": "G20",
    "Hamas": "Hamas", "Hezbollah": "Hezbollah", "OSCE": "OSCE", "IMF": "IMF",
    "Reuters": "Reuters", "Al Jazeera": "Al Jazeera", "BBC": "BBC", "CNN": "CNN",
    "TASS": "TASS", "AP": "Associated Press", "Associated Press": "Associated Press",
    "AFP": "AFP", "Interfax": "Interfax", "RIA Novosti": "RIA Novosti",
}
# Acronyms that are not organisations.
NOT_ORGS = {"GDP", "CEO", "AI", "TV", "ID", "OK", "PM", "AM", "UTC", "GMT", "COVID", "HIV", "LNG", "NGO"}
COUNTRY_ALIASES = {
    "russia": "RU", "ukraine": "UA", "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US",
    "united states": "US", "america": "US", "uk": "GB", "u.k.": "GB", "britain": "GB",
    "great britain": "GB", "united kingdom": "GB", "iran": "IR", "syria": "SY",
    "north korea": "KP", "south korea": "KR", "turkey": "TR", "türkiye": "TR",
    "vietnam": "VN", "venezuela": "VE", "bolivia": "BO", "taiwan": "TW", "moldova": "MD",
    "czech republic": "CZ", "czechia": "CZ", "laos": "LA", "tanzania": "TZ",
    "palestine": "PS", "vatican": "VA", "netherlands": "NL", "the netherlands": "NL",
}
DEMONYMS = {
    "russian": "RU", "ukrainian": "UA", "american": "US", "british": "GB", "iranian": "IR",
    "israeli": "IL", "chinese": "CN", "indian": "IN", "belarusian": "BY", "polish": "PL",
    "german": "DE", "french": "FR", "italian": "IT", "turkish": "TR", "european": None,
    "hungarian": "HU", "finnish": "FI", "swedish": "SE", "dutch": "NL", "syrian": "SY",
    "palestinian": "PS", "lebanese": "LB", "saudi": "SA", "qatari": "QA", "egyptian": "EG",
    "japanese": "JP", "korean": None, "north korean": "KP", "south korean": "KR",
    "georgian": "GE", "moldovan": "MD", "romanian": "RO", "lithuanian": "LT",
    "latvian": "LV", "estonian": "EE", "norwegian": "NO", "danish": "DK", "spanish": "ES",
    "canadian": "CA", "australian": "AU", "pakistani": "PK", "afghan": "AF", "iraqi": "IQ",
}
# Capitalised words that start sentences or headings and are never names.
STOP = set("""
a an the this that these those it its in on at by for from with without of to and or
but if as after before since until while when where why how what who which he she they
we you i his her their our your my meanwhile however also still yet just some many
most more other another all both each every any no not one two three four five six
seven eight nine ten first second third last next new according key points background
context conclusion analysis timeline update updated live breaking exclusive watch read
related advertisement share follow subscribe sign photo video opinion editorial
official statements developments monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november
december today yesterday tomorrow overnight despite during amid among around over under
there here then now possible possibly others some analysts just though although because
concurrently additionally simultaneously tensions public ongoing despite mr mrs ms
""".split())

_TOKEN = r"(?:[A-Z][\w’'.-]*[\w.]|[A-Z])"
_SPAN = re.compile(
    rf"{_TOKEN}(?:(?:\s+|\s+(?:of|the|for|de|al|bin|von|van|der)\s+){_TOKEN})*"
)


def slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[str, str | None]]:
    """Lower-cased place name or alias -> (canonical name, country code)."""
    places: dict[str, tuple[str, str | None]] = {}
    with resources.files("storyline.data").joinpath("places.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            if len(row) < 2 or not row[0].strip():
                continue
            name, country = row[0].strip(), (row[1].strip() or None)
            aliases = row[3].split("|") if len(row) > 3 and row[3].strip() else []
            for alias in [name, *aliases]:
                places[alias.strip().lower()] = (name, country)
    return places


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    key = name.lower().strip()
    if key.startswith("the "):
        key = key[4:]
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(key) < 4:
        return None
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    names = {"US": "United States", "GB": "United Kingdom", "RU": "Russia", "IR": "Iran",
             "KR": "South Korea", "KP": "North Korea", "SY": "Syria", "TW": "Taiwan",
             "VN": "Vietnam", "VE": "Venezuela", "MD": "Moldova", "TR": "Turkey",
             "PS": "Palestine", "BO": "Bolivia", "TZ": "Tanzania", "LA": "Laos",
             "VA": "Vatican City"}
    if code in names:
        return names[code]
    c = pycountry.countries.get(alpha_2=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def _state(code: str, start: int, end: int, text: str) -> EntityMention:
    return EntityMention(start, end, text, f"st_{code.lower()}", country_name(code), "state", code)


def is_heading(line: str) -> bool:
    """Title-case lines without a full stop: their capitals say nothing."""
    if re.search(r"[.!?”\"]$", line.strip()):
        return False
    words = re.findall(r"[A-Za-z][\w’'-]*", line)
    if len(words) < 2:
        return True
    caps = sum(w[0].isupper() for w in words if w.lower() not in STOP or w[0].isupper())
    return caps / len(words) >= 0.6


def extract_entities(text: str, sentences: list[Sentence]) -> list[EntityMention]:
    """Find entity mentions; pure function of one document's text."""
    lower_words = {w for w in re.findall(r"\b[a-z][a-z’'-]+\b", text)}
    gaz = _gazetteer()
    out: list[EntityMention] = []
    people: dict[str, EntityMention] = {}  # surname / full name -> canonical person mention

    def add_person(name: str, s: int, e: int, surface: str) -> None:
        parts = name.split()
        known = people.get(name) or (people.get(parts[-1]) if len(parts) == 1 else None)
        if known is None:
            known = EntityMention(s, e, surface, f"p_{slug(name)}", name, "person")
            people[name] = known
            if len(parts) > 1:
                people.setdefault(parts[-1], known)
        out.append(EntityMention(s, e, surface, known.entity_id, known.name, "person"))

    spans = []  # (capitalised span, its offset, whether its sentence is a heading): the same for both passes
    for sent in sentences:
        heading = is_heading(sent.text)
        spans += [(m.group(0).rstrip(".’'"), sent.start + m.start(), heading) for m in _SPAN.finditer(sent.text)]
    # Two passes: the first learns the people's full names, so that a bare
    # surname before the first full mention ("Zelenskyy, Trump discuss ...")
    # still resolves.
    for _ in range(2):
        out.clear()
        for surface, s, heading in spans:
            _classify(surface, s, heading, lower_words, gaz, people, out, add_person)
    out.sort(key=lambda x: x.start)
    return out


def _classify(surface, s, heading, lower_words, gaz, people, out, add_person) -> None:
    # Drop leading and trailing stop words ("The", "Meanwhile"), unless what
    # remains is a known place that starts with one ("The Hague").
    tokens = list(re.finditer(r"\S+", surface))
    while tokens and tokens[0].group().lower().strip(".,") in STOP \
            and surface[tokens[0].start():tokens[-1].end()].lower() not in gaz:
        tokens.pop(0)
    while tokens and tokens[-1].group().lower() in STOP:
        tokens.pop()
    if not tokens:
        return
    surface2 = surface[tokens[0].start():tokens[-1].end()]
    s += tokens[0].start()
    poss = re.search(r"(’s|'s)$", surface2)
    if poss:
        surface2 = surface2[: poss.start()]
    if not surface2:
        return
    e = s + len(surface2)
    key = surface2.lower()

    if surface2 in KNOWN_ORGS:
        name = KNOWN_ORGS[surface2]
        out.append(EntityMention(s, e, surface2, f"o_{slug(name)}", name, "organisation"))
        return
    code = country_code(surface2)
    if code:
        out.append(_state(code, s, e, surface2))
        return
    if key in gaz:
        name, country = gaz[key]
        out.append(EntityMention(s, e, surface2, f"pl_{slug(name)}", name, "place", country))
        return
    if key in DEMONYMS and DEMONYMS[key]:
        out.append(_state(DEMONYMS[key], s, e, surface2))
        return
    # "Russian President Vladimir Putin", "Secretary of State Marco Rubio"
    t = _TITLE_RE.match(surface2 + " ")
    if t and t.end() < len(surface2) + 1:
        head = surface2[: t.end()].split()
        first = head[0].lower()
        if first in DEMONYMS and DEMONYMS[first]:
            out.append(_state(DEMONYMS[first], s, s + len(head[0]), head[0]))
        name = surface2[t.end():].strip()
        ns = s + t.end()
        if name and name.lower() not in STOP:
            add_person(name, ns, ns + len(name), name)
        return
    # Multi-word spans that contain a place or country ("Ukraine's Air Force").
    parts = re.split(r"(?:’s|'s)\s+", surface2, maxsplit=1)
    if len(parts) == 2:
        _classify(parts[0], s, heading, lower_words, gaz, people, out, add_person)
        rest = s + len(surface2) - len(parts[1])
        _classify(parts[1], rest, False, lower_words, gaz, people, out, add_person)
        return
    tokens = surface2.split()
    lowered = [tok.lower().strip(".") for tok in tokens]
    # Adjacent known names run together ("Russia Ukraine war"): split them.
    if len(tokens) > 1 and any(country_code(t) or t.lower() in gaz or DEMONYMS.get(t.lower())
                               or t in KNOWN_ORGS for t in tokens):
        for tok in re.finditer(r"\S+", surface2):
            _classify(tok.group(), s + tok.start(), True, lower_words, gaz, people, out, add_person)
        return
    if heading and surface2 not in people:
        return
    if surface2 in NOT_ORGS:
        return
    if any(tok in ORG_WORDS for tok in lowered) or re.fullmatch(r"[A-Z]{2,6}", surface2):
        if all(tok in lower_words or tok in ORG_WORDS or tok in STOP for tok in lowered) and len(tokens) > 1 \
                and not any(tok in ORG_WORDS for tok in lowered[-1:]):
            return
        out.append(EntityMention(s, e, surface2, f"o_{slug(surface2)}", surface2, "organisation"))
        return
    if surface2 in people:
        add_person(surface2, s, e, surface2)
        return
    # An unknown name: a person only when it looks like one — two or three
    # capitalised tokens none of which the article also uses as a common word.
    if heading:  # in a heading, an unknown capitalised phrase is not evidence
        return
    if len(tokens) == 1 and key not in lower_words and re.fullmatch(r"[A-Z][a-z’'-]{2,}", surface2) \
            and key not in STOP:
        # A lone capitalised word we cannot place: kept as an unresolved name
        # so the link stage can match it to a full name from another article.
        out.append(EntityMention(s, e, surface2, f"n_{slug(surface2)}", surface2, "name"))
        return
    if 2 <= len(tokens) <= 3 and not any(tok in lower_words for tok in lowered) \
            and all(re.fullmatch(r"[A-Z][a-z’'-]+", tok) for tok in tokens):
        add_person(surface2, s, e, surface2)
