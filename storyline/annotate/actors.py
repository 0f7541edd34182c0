"""The actor registry: who is who, and who held which office when.

News names one person five ways and gives titles that were true once, or
will be.  The registry is data (``storyline/data/actors.jsonl``, one actor per
line, extensible with the user's own files), so that resolving a name and
checking a title are lookups rather than guesses.  Everything here is
read-only after loading, so one registry can serve every document and worker.
"""

from __future__ import annotations

import bisect

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

from ..data import lists, pairs
from ..model import Actor, Role

# Title words -> role key (storyline/data/titles.tsv).  "leader" stands for whoever runs the state.
ROLE_WORDS: dict[str, str] = pairs("titles.tsv")
# Roles that make someone "the leader" of a state.
LEADER_ROLES = ("president", "prime_minister", "chancellor", "monarch", "supreme_leader")
# Roles that make someone the head of a state's government ("the head of the German government").
GOVERNMENT_HEAD_ROLES = ("prime_minister", "chancellor")
# Titles that say the office is no longer held, or not yet.
NOT_CURRENT = set(lists("annotate_words.tsv")["not_current"])


def role_keys(role: str) -> tuple[str, ...]:
    """The registry's role keys a title's role stands for."""
    return LEADER_ROLES if role == "leader" else GOVERNMENT_HEAD_ROLES if role == "head_of_government" else (role,)


@dataclass
class Registry:
    """Actors indexed by every name a news text may use for them."""

    actors: dict[str, Actor] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # surface -> actor ids
    metonyms: dict[str, list[str]] = field(default_factory=dict)  # "the Kremlin" -> ids
    demonyms: dict[str, str] = field(default_factory=dict)  # "Ukrainian" -> state id
    states_by_country: dict[str, str] = field(default_factory=dict)  # "UA" -> state id
    forces: dict[tuple[str, str], str] = field(default_factory=dict)  # (country, branch) -> id
    holders: dict[tuple[str, str], list[tuple[str, Role]]] = field(default_factory=dict)
    max_words: int = 1
    spellings: dict[str, list[str]] = field(default_factory=dict)  # spelling_key(full name) -> person ids
    heads: dict[str, list[tuple[str, Role]]] = field(default_factory=dict)  # organisation id -> who led it

    @cached_property
    def _keys(self) -> list[str]:
        """Every name and metonym, sorted: for prefix look-ups."""
        return sorted({*self.names, *self.metonyms})

    def names_start(self, text: str) -> bool:
        """Whether some name or metonym starts with ``text``: a word no name starts with begins none."""
        i = bisect.bisect_left(self._keys, text)
        return i < len(self._keys) and self._keys[i].startswith(text)

    def person_spelled(self, name: str) -> str | None:
        """The registry person a full name written in another romanisation stands for ("Sergei Ławrow",
        "Maria Zacharowa" in a Polish text), when exactly one has that spelling key; failing that, the one
        person whose first name has the same key and whose surname's key is one letter off (a surname of
        five letters or more), as machine translation garbles a name: "Wołodymyr Zelnski", "Jens
        Stooltenberg".  The first name must agree: "Olena Zelenska" is not Volodymyr Zelenskyy."""
        key = spelling_key(name)
        ids = self.spellings.get(key, [])
        if ids:
            return ids[0] if len(ids) == 1 else None
        first, _, surname = key.rpartition(" ")
        if not first or len(surname) < 5:
            return None
        near = {i for other, found in self._surnames.get(first, ()) if _one_letter_off(surname, other)
                for i in found}
        return near.pop() if len(near) == 1 else None

    def surname_spelled(self, surname: str, exact: bool = False) -> str | None:
        """The registry person a surname written alone in another romanisation stands for ("Ławrow",
        "Łukaszenko", "Zełenski" in a Polish text): the one person with a one-word name of the same spelling
        key (five letters or more; the registry lists a bare surname only where it names one person), or
        failing that the one whose one-word name's key is one letter off before its last two letters (seven
        letters or more: "Zelanski"; "Zelenska" is a woman's name, not Zelenskyy's).  None when no one or
        several do.  With ``exact``, only the same key counts."""
        key = spelling_key(surname)
        if " " in key or len(key) < 5:
            return None
        same = set(self._bare.get(key, ()))
        if same:
            return same.pop() if len(same) == 1 else None
        if exact or len(key) < 7:
            return None
        near = {i for other, found in self._bare.items() if key[-2:] == other[-2:] and _one_letter_off(key, other)
                for i in found}
        return near.pop() if len(near) == 1 else None

    @cached_property
    def _bare(self) -> dict[str, set[str]]:
        """Spelling keys of the one-word names and aliases of persons: person ids."""
        out: dict[str, set[str]] = {}
        for a in self.actors.values():
            if a.type == "person":
                for n in (a.name, *a.aliases):
                    if n.strip() and " " not in n.strip():
                        out.setdefault(spelling_key(n), set()).add(a.id)
        return out

    @cached_property
    def _surnames(self) -> dict[str, list[tuple[str, list[str]]]]:
        """Spelling keys of full names by their first names' key: (surname key, person ids)."""
        out: dict[str, list[tuple[str, list[str]]]] = {}
        for key, ids in self.spellings.items():
            first, _, surname = key.rpartition(" ")
            if first:
                out.setdefault(first, []).append((surname, ids))
        return out

    def country(self, actor_id: str | None) -> str | None:
        """The ISO code an actor belongs to, through its affiliation if need be."""
        seen = set()
        while actor_id and actor_id not in seen:
            seen.add(actor_id)
            a = self.actors.get(actor_id)
            if a is None:
                return None
            if a.country:
                return a.country
            actor_id = a.affiliation
        return None

    def holder(self, role: str, country: str, date: str) -> Actor | None:
        """Who held ``role`` in ``country`` on ``date``; None unless exactly one did."""
        keys = role_keys(role)
        found = {aid for key in keys for aid, r in self.holders.get((key, country), ())
                 if holds(r, date)}
        if role == "leader" and len(found) > 1:
            # A state with a president and a prime minister: "the leader" is the head of state
            # where the president runs the country; the registry cannot say which, so stay silent.
            return None
        return self.actors[found.pop()] if len(found) == 1 else None

    def head_of(self, org_id: str, date: str) -> Actor | None:
        """Who led an organisation or a government body on ``date`` ("the NATO chief", "the head of the
        Pentagon"): the one whose office there is a leading one; for a ministry the registry gives no
        office of, its minister, read off its name ("Department of Defense": the secretary of defense, the
        state's defence minister).  None unless exactly one did."""
        found = {aid for aid, r in self.heads.get(org_id, ()) if holds(r, date)}
        if not found:
            body, country = self.actors.get(org_id), self.country(org_id)
            role = _minister_of(body.name) if body is not None and body.type == "government_body" else None
            return self.holder(role, country, date) if role and country else None
        return self.actors[found.pop()] if len(found) == 1 else None

    def office_of(self, org_id: str, role: str, date: str) -> Actor | None:
        """Who held ``role`` in an organisation on ``date`` ("the Kremlin spokesman", "the NATO secretary
        general"): an office of that organisation, or, for a body that speaks for its state (the Kremlin),
        of that state.  None unless exactly one did."""
        body = self.actors.get(org_id)
        of = {org_id} | ({body.affiliation} if body is not None and body.type == "government_body"
                         and body.affiliation else set())
        keys = role_keys(role)
        found = {aid: r for o in of for aid, r in self._offices.get(o, ()) if r.role in keys and holds(r, date)}
        if len(found) > 1 and body is not None:
            # A state's several spokespeople: the one whose office is titled by the body's own name
            # ("Kremlin spokesman" for the Kremlin, not the foreign ministry's).
            names = {re.sub(r"^the ", "", norm(n).lower()) for n in (body.name, *body.aliases, *body.metonyms) if n}
            found = {aid: r for aid, r in found.items() if any(n in (r.title or "").lower() for n in names)}
        return self.actors[next(iter(found))] if len(found) == 1 else None

    @cached_property
    def _offices(self) -> dict[str, list[tuple[str, Role]]]:
        """Who held an office of each actor an office is of: actor id -> (person id, role)."""
        out: dict[str, list[tuple[str, Role]]] = {}
        for a in self.actors.values():
            for r in a.roles:
                if r.of:
                    out.setdefault(r.of, []).append((a.id, r))
        return out


# Offices that lead the organisation they are of (a spokesperson or a vice-president does not).
HEAD_ROLES = frozenset({"head", "leader", "secretary_general", "president", "commander", "chair", "director"})
_MINISTRY = re.compile(r"^(?:united states |federal )?(?:ministry|department) (?:for|of) (?:the )?(.+?)"
                       r"(?: of [a-z ]+| \(.*\))?$")


def _minister_of(name: str) -> str | None:
    """The role of a ministry's head, read off its name: "Ministry of Foreign Affairs of Russia" ->
    "minister of foreign affairs", "United States Department of State" -> "secretary of state"."""
    m = _MINISTRY.match(name.lower())
    if not m:
        return None
    return ROLE_WORDS.get(f"minister of {m.group(1)}") or ROLE_WORDS.get(f"secretary of {m.group(1)}")


_SPELLING = (("szcz", "shch"), ("sz", "sh"), ("cz", "k"), ("kh", "k"), ("ch", "k"), ("w", "v"), ("x", "ks"),
             ("j", "i"), ("y", "i"), ("ie", "e"), ("ii", "i"))


def spelling_key(name: str) -> str:
    """A key that the English, Polish and German romanisations of one Slavic name share: accents and "ł"
    dropped, then "cz"/"ch"/"kh" as one sound, "w" as "v", "x" as "ks", "j"/"y"/"yy" as "i", "ie" as "e"
    ("Ławrow" and "Lavrov", "Zacharowa" and "Zakharova", "Dmitrij Pieskow" and "Dmitry Peskov", "Zełenski" and
    "Zelenskyy", "Aleksander Łukaszenko" and "Alexander Lukashenko").
    Names of other languages get keys too; two actors sharing one is settled by not choosing."""
    folded = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    key = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    for a, b in _SPELLING:
        key = key.replace(a, b)
    return " ".join(re.findall(r"[a-z]+", key))


def _one_letter_off(a: str, b: str) -> bool:
    """Whether one letter added, dropped or changed turns ``a`` into ``b``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    k = next((i for i, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[k:] == long_[k + 1:]


def norm(name: str) -> str:
    """Whitespace collapsed and curly apostrophes straightened: the key every name is indexed by."""
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip()


TYPES = ("person", "organisation", "state", "armed_force", "government_body")


def _actor(raw: dict) -> Actor:
    if raw.get("type") not in TYPES:
        raise ValueError(f"type must be one of {', '.join(TYPES)}, not {raw.get('type')!r}")
    if raw.get("gender") not in (None, "f", "m"):
        raise ValueError(f"gender must be \"f\" or \"m\" when given, not {raw.get('gender')!r}")
    roles = [Role(role=r["role"], title=r.get("title", r["role"]), of=r.get("of"),
                  start=r.get("start"), end=r.get("end")) for r in raw.get("roles", [])]
    return Actor(id=raw["id"], type=raw["type"], name=raw["name"], aliases=list(raw.get("aliases", [])),
                 affiliation=raw.get("affiliation"), country=raw.get("country"),
                 demonyms=list(raw.get("demonyms", [])), metonyms=list(raw.get("metonyms", [])),
                 branch=raw.get("branch"), roles=roles, gender=raw.get("gender"))


def read_actors(path: str | Path) -> list[Actor]:
    """Actors from a JSON Lines file; a bad line raises ValueError naming it."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                out.append(_actor(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a valid actor: {exc}") from exc
    return out


def _builtin() -> list[Actor]:
    with resources.as_file(resources.files("storyline.data").joinpath("actors.jsonl")) as p:
        return read_actors(p)


# The gender a pronoun says its person has.
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


@lru_cache(maxsize=8)
def load_registry(extra: tuple[str, ...] = ()) -> Registry:
    """The shipped registry plus the user's files; a user entry replaces a shipped one by id."""
    actors: dict[str, Actor] = {a.id: a for a in _builtin()}
    for path in extra:
        for a in read_actors(path):
            actors[a.id] = a
    return build_registry(list(actors.values()))


def build_registry(actors: list[Actor]) -> Registry:
    reg = Registry(actors={a.id: a for a in actors})
    names: dict[str, set[str]] = defaultdict(set)
    metonyms: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        for n in [a.name, *a.aliases]:
            names[norm(n)].add(a.id)
        for n in a.metonyms:
            n = norm(n)
            metonyms[n].add(a.id)
            if n.lower().startswith("the "):
                metonyms[n[4:]].add(a.id)
        if a.type == "state" and a.country:
            reg.states_by_country[a.country] = a.id
            for d in a.demonyms:
                reg.demonyms[norm(d)] = a.id
    for a in actors:
        if a.type == "armed_force" and a.branch:
            country = reg.country(a.id)
            if country:
                reg.forces.setdefault((country, a.branch), a.id)
        for r in a.roles:
            country = reg.country(r.of) if r.of else reg.country(a.id)
            if country:
                reg.holders.setdefault((r.role, country), []).append((a.id, r))
            of = reg.actors.get(r.of) if r.of else None
            if of is not None and of.type != "state" and r.role in HEAD_ROLES:
                reg.heads.setdefault(of.id, []).append((a.id, r))
    spellings: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        if a.type == "person":
            for n in [a.name, *a.aliases]:
                if " " in n.strip():
                    spellings[spelling_key(n)].add(a.id)
    reg.spellings = {k: sorted(v) for k, v in spellings.items()}
    reg.names = {k: sorted(v) for k, v in names.items()}
    reg.metonyms = {k: sorted(v) for k, v in metonyms.items()}
    reg.max_words = max((len(k.split()) for k in [*reg.names, *reg.metonyms]), default=1)
    return reg


def _bounds(value: str) -> tuple[str, str]:
    """The first and last day a partial ISO date covers ("2025-08" -> 08-01 .. 08-31)."""
    parts = value.split("-")
    if len(parts) == 1:
        return f"{value}-01-01", f"{value}-12-31"
    if len(parts) == 2:
        return f"{value}-01", f"{value}-31"  # lexical comparison only needs an upper bound
    return value, value


def holds(role: Role, date: str) -> bool:
    """True when the role covers some day of ``date`` (which may be a month or year)."""
    first, last = _bounds(date)
    start = _bounds(role.start)[0] if role.start else "0000-01-01"
    end = _bounds(role.end)[1] if role.end else "9999-12-31"
    return start <= last and first <= end


def holds_throughout(role: Role, date: str) -> bool:
    first, last = _bounds(date)
    start = _bounds(role.start)[0] if role.start else "0000-01-01"
    end = _bounds(role.end)[0] if role.end else "9999-12-31"
    return start <= first and last <= end


def _span(r: Role) -> str:
    if r.start and r.end:
        return f"from {r.start} to {r.end}"
    if r.start:
        return f"since {r.start}"
    return f"until {r.end}" if r.end else "with no recorded dates"


def check_title(reg: Registry, actor_id: str, role: str, country: str | None, modifier: str | None,
                date: str) -> str | None:
    """Why a title contradicts the registry on ``date``, or None when it does not (or cannot tell).

    Only offices the registry records for the actor are judged: a missing
    role means the registry is silent, not that the article is wrong.
    """
    actor = reg.actors.get(actor_id)
    if actor is None or actor.type != "person":
        return None
    keys = role_keys(role)
    known = [r for r in actor.roles if r.role in keys
             and (country is None or (reg.country(r.of) if r.of else reg.country(actor.id)) == country)]
    if not known:
        return None
    if modifier in NOT_CURRENT:
        if modifier in ("former", "ex", "ex-"):
            held = [r for r in known if holds_throughout(r, date)]
            if held:
                r = held[0]
                return f"{actor.name} was {r.title} on {date} ({_span(r)}), not a former holder"
        return None
    if any(holds(r, date) for r in known):
        return None
    spans = "; ".join(f"{r.title} {_span(r)}" for r in known)
    return f"{actor.name} did not hold that office on {date} (registry: {spans})"
