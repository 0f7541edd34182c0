"""Who and where: entity mentions resolved to actors and places.

spaCy finds the names; the actor registry says who they are.  Resolution
runs in a fixed order, each step claiming the tokens it explains so later
steps cannot relabel them:

1. phrases for armed forces ("Russian forces", "Ukraine's air force");
2. titles standing for their holder ("the Ukrainian president" on
   2025-06-25 is Zelenskyy; also "the German Chancellor", and "Brazilian
   leader noted" with no article, but not "a", "one", "former" or "ex-");
3. registry names, aliases and metonyms ("Zelenskiy", "the Kremlin"; a
   capital counts as its government only as a clause's subject or owner);
4. spaCy's remaining entities: countries, other people and organisations
   (kept under a normalised name), and place candidates;
5. places, chosen among their GeoNames candidates by the countries the
   article names.

A person's title ("former U.S. President") is kept with the mention and
checked against the registry on the date its sentence describes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import pycountry

from ..data import lists, pairs, table
from ..model import EntityMention, Sentence, TimeExpr
from . import places
from .places import slug
from .actors import ROLE_WORDS, Registry, check_title, norm
from .arguments import is_stop
from .time import calendar_value

def _country_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """From ``storyline/data/countries.tsv``: names news gives countries that pycountry names
    awkwardly (-> ISO code), demonyms (-> code) and display names (code -> name).  Read once."""
    tables: dict[str, dict[str, str]] = {"alias": {}, "demonym": {}, "name": {}}
    for n, (kind, key, value) in table("countries.tsv"):
        if kind not in tables:
            raise ValueError(f"countries.tsv line {n}: unknown kind {kind!r}")
        tables[kind][key] = value
    return tables["alias"], tables["demonym"], tables["name"]


COUNTRY_ALIASES, DEMONYMS, _COUNTRY_NAMES = _country_tables()
# What a force phrase's noun says about the branch meant (storyline/data/force_nouns.tsv).
_FORCE_NOUNS = pairs("force_nouns.tsv")
_FALLBACK = {"army": "armed_forces", "navy": "armed_forces", "air_defence": "air_force",
             "air_force": "armed_forces"}
_WORD_LISTS = lists("annotate_words.tsv")
_LOCATIVE = set(_WORD_LISTS["locative"])
_SETTLEMENT = frozenset(_WORD_LISTS["settlement"])
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "poss"}
# Nouns a language name modifies as a language ("the Russian language", "Ukrainian speakers").
_TONGUE_NOUNS = frozenset(_WORD_LISTS["tongue_noun"])
# spaCy ORG spans that are only ever noise in news text.
_NOT_ORGS = set(_WORD_LISTS["not_org"])
# Nouns after a list of names that make them regions.
_REGION_NOUNS = tuple(_WORD_LISTS["region_noun"])
_HONORIFICS = frozenset(_WORD_LISTS["honorific"])
_COMPASS = frozenset(_WORD_LISTS["compass"])
# Nouns for the body that runs a whole state, which an article may leave unnamed ("the Biden administration").
RUNS_A_STATE = frozenset(_WORD_LISTS["runs_a_state"])
_GROUP_NOUNS = frozenset(_WORD_LISTS["group_noun"])
# Actors' names some outlets write in lower case ("the west"), as written there.
_LOWER_CASE_NAMES = frozenset(_WORD_LISTS["lower_case_name"])


# "Eastern Ukraine", "south-western Russia": a part of a state named by its bearing lies in that state.
_BEARING = re.compile(r"(?i)(?:north|south)(?:-?(?:east|west))?ern|(?:east|west)ern|central")


def _part_of(surface: str) -> str | None:
    """The state a place no gazetteer holds lies in, when its name is a bearing and the state's name."""
    words = surface.split()
    return country_code(words[1]) if len(words) == 2 and _BEARING.fullmatch(words[0]) else None


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
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code]
    c = pycountry.countries.get(alpha_2=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def state_id(registry: Registry, code: str) -> str:
    """The actor id of the state with ISO code ``code``: the registry's entry, else one made from the code."""
    return registry.states_by_country.get(code, f"st_{code.lower()}")


def state_mention(registry: Registry, code: str) -> EntityMention:
    """The state with ISO code ``code`` as an actor, placed nowhere in the text."""
    aid = state_id(registry, code)
    actor = registry.actors.get(aid)
    return EntityMention(0, 0, "", aid, actor.name if actor else country_name(code), "state", code)


def _words(alternatives) -> str:
    return "|".join(re.escape(w) for w in sorted(alternatives, key=len, reverse=True))


_APOS = r"(?:’s|'s)"
_FORCE_RE = re.compile(rf"\b(?P<who>[A-Z][\w.-]*(?:[ \t]+[A-Z][\w.-]*)?)(?P<poss>{_APOS})?[ \t]+"
                       rf"(?P<noun>(?i:{_words(_FORCE_NOUNS)}))\b")
_TITLE_ALT = _words(ROLE_WORDS)
_BARE_TITLE_RE = re.compile(
    rf"\b(?:[Tt]he\s+(?P<dem>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+"
    rf"|(?<![Aa] )(?<![Aa]n )(?<!former )(?<!one )(?<![\w.-] )(?<![\w-])(?P<bare>[A-Z][\w.]*)\s+(?=[a-z])"
    rf"|(?P<own>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?){_APOS}\s+)"
    rf"(?P<title>(?i:{_TITLE_ALT}))\b(?!\s+(?:[A-Z]|of\b))")
_TITLE_BEFORE_RE = re.compile(
    rf"(?:(?P<mod>former|ex-|then-|then|acting|outgoing|incoming|late)\s*)?"
    rf"(?:(?P<who>U\.S\.|US|UK|EU|UN|[A-Z][\w]*(?:{_APOS})?)\s+)?"
    rf"(?P<title>{_TITLE_ALT})\s+$", re.I)
_TITLE_AFTER_RE = re.compile(
    rf"^,\s+(?:the\s+|a\s+)?(?:(?P<mod>former|ex-|then-|then|acting|outgoing|incoming)\s*)?"
    rf"(?:(?P<who>U\.S\.|US|UK|EU|[A-Z][\w]*(?:{_APOS})?)\s+)?(?P<title>{_TITLE_ALT})\b", re.I)


class _Resolver:
    """One document's resolution state: which tokens are claimed, what was found."""

    def __init__(self, text: str, parsed, registry: Registry, dates: list[tuple[int, int, str | None]]):
        self.text, self.parsed, self.reg, self.dates = text, parsed, registry, dates
        self.claimed = bytearray(len(parsed))
        self.out: list[EntityMention] = []
        self.people: dict[str, tuple[str, str]] = {}  # surname or full name -> (id, name)
        self.words = set(re.findall(r"\w+", text))  # every word as written, for written()
        self.headings: dict[int, bool] = {}  # line start -> is a heading

    # -- helpers ---------------------------------------------------------
    def date_at(self, offset: int) -> str | None:
        for start, end, date in self.dates:
            if start <= offset < end:
                return date
        return None

    def tokens(self, start: int, end: int) -> tuple[int, int] | None:
        span = self.parsed.char_span(start, end, alignment_mode="expand")
        return (span.start, span.end) if span is not None and len(span) else None

    def free(self, i: int, j: int) -> bool:
        return not any(self.claimed[i:j])

    def claim(self, i: int, j: int) -> None:
        self.claimed[i:j] = b"\x01" * (j - i)

    def state_of(self, word: str, metonyms: bool = True) -> str | None:
        """An actor id for a demonym or a country name ("Ukrainian", "Ukraine", "U.S.")."""
        w = norm(word)
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        if w in self.reg.demonyms:
            return self.reg.demonyms[w]
        for aid in self.reg.names.get(w, ()):
            if self.reg.actors[aid].type == "state":
                return aid
        code = country_code(w) or DEMONYMS.get(w.lower())
        if code:
            return state_id(self.reg, code)
        for aid in (self.reg.metonyms.get(w, ()) if metonyms else ()):
            return aid
        return None

    def country_of(self, actor_id: str | None) -> str | None:
        if actor_id and actor_id.startswith("st_"):
            return actor_id[3:].upper()
        return self.reg.country(actor_id)

    def add_actor(self, start: int, end: int, actor_id: str, title=None, conflict=None, date=None) -> None:
        if actor_id.startswith("st_"):
            code = actor_id[3:].upper()
            self.out.append(EntityMention(start, end, self.text[start:end], actor_id, country_name(code),
                                          "state", code))
            return
        a = self.reg.actors[actor_id]
        self.out.append(EntityMention(start, end, self.text[start:end], a.id, a.name, a.type,
                                      self.reg.country(a.id), title, conflict, date))
        if a.type == "person":
            self.people[a.name] = (a.id, a.name)
            self.people.setdefault(a.name.split()[-1], (a.id, a.name))

    # -- steps -----------------------------------------------------------
    def forces(self) -> None:
        for m in _FORCE_RE.finditer(self.text):
            who = m.group("who")
            state = self.state_of(who)
            if state is None or "\n" in m.group(0):
                continue
            if m.group("poss") is None and who not in self.reg.demonyms and not DEMONYMS.get(who.lower()):
                continue  # "Russia forces" is not a phrase; "Russia's forces" and "Russian forces" are
            branch = _FORCE_NOUNS[m.group("noun").lower()]
            country = self.country_of(state)
            force = None
            while branch and force is None:
                force = self.reg.forces.get((country, branch))
                branch = _FALLBACK.get(branch)
            if force is None:
                continue
            toks = self.tokens(m.start(), m.end())
            if toks and self.free(*toks):
                self.claim(*toks)
                self.add_actor(m.start(), m.end(), force)

    def groups(self) -> None:
        """A body of people named by a nationality or a country and a group noun ("the Ukrainian media
        community", "US voters", "Polish Internet users") is an actor of its own, in that country: the
        state did not urge or vote."""
        p = self.parsed
        for tok in p:
            if tok.pos_ != "NOUN" or tok.lower_ not in _GROUP_NOUNS or tok.dep_ == "compound":
                continue
            mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod")]
            nation = next((c for c in mods if c.text[:1].isupper() and self.state_of(c.text, metonyms=False)), None)
            if nation is None:
                continue
            i, j = nation.left_edge.i, tok.i + 1
            if not self.free(i, j) or any("\n" in t.text_with_ws for t in p[i:j - 1]):
                continue
            state = self.state_of(nation.text, metonyms=False)
            start, end = p[i].idx, tok.idx + len(tok.text)
            name = " ".join(t.text for t in p[i:j])
            self.claim(i, j)
            self.out.append(EntityMention(start, end, self.text[start:end], f"g_{slug(name)}", name, "organisation",
                                          self.country_of(state)))

    def lower_case_names(self) -> None:
        """Names some outlets write in lower case ("the west provides far less"): the registry's actor
        of that name where the phrase acts or is acted on, never a direction ("in the west", "west of
        Bakhmut", "the west bank")."""
        p = self.parsed
        for tok in p:
            if tok.text not in _LOWER_CASE_NAMES or tok.dep_ == "compound" or \
                    not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) or \
                    any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
                continue
            # a direction's prepositions ("in", "to", "from", "towards") are all locative
            acting = tok.dep_ in ("nsubj", "nsubjpass", "dobj", "poss") or \
                tok.dep_ == "pobj" and tok.head.lower_ not in _LOCATIVE
            ids = self.reg.names.get(tok.text.capitalize(), ())  # as the registry writes it: "West"
            if acting and len(ids) == 1 and self.free(tok.i, tok.i + 1):
                self.claim(tok.i, tok.i + 1)
                self.add_actor(tok.idx, tok.idx + len(tok.text), next(iter(ids)))

    def bare_titles(self) -> None:
        for m in _BARE_TITLE_RE.finditer(self.text):
            who = m.group("dem") or m.group("own") or m.group("bare")
            state = self.state_of(who)
            date = self.date_at(m.start())
            if state is None or date is None or "\n" in m.group(0):
                continue
            holder = self.reg.holder(ROLE_WORDS[m.group("title").lower()], self.country_of(state), date)
            if holder is None:
                continue
            toks = self.tokens(m.start(), m.end())
            if toks and self.free(*toks):
                self.claim(*toks)
                self.add_actor(m.start(), m.end(), holder.id, title=m.group(0), date=date)

    def registry_names(self) -> None:
        found = []  # (i, j, ids, is_metonym)
        p, reg = self.parsed, self.reg
        i = 0
        while i < len(p):
            if self.claimed[i] or not p[i].text[:1].isupper() or not reg.names_start(norm(p[i].text)):
                misspelled = self._misspelled(i)
                if misspelled is not None:
                    found.append((i, i + 2, [misspelled], False))
                    i += 2
                    continue
                spelled = self._surname_spelled(i)
                if spelled is not None:  # "Ławrow said", which the tagger may take for no name or a firm
                    found.append((i, i + 1, [spelled], False))
                i += 1  # a span's key begins with its first word's: no name begins with this one
                continue
            hit = None
            for n in range(min(reg.max_words, len(p) - i), 0, -1):
                if not self.free(i, i + n):
                    continue
                span = p[i:i + n]
                if "\n" in span.text:
                    continue
                key = norm(span.text)
                if key in reg.names:
                    hit = (i, i + n, reg.names[key], False)
                    break
                if key in reg.metonyms:
                    hit = (i, i + n, reg.metonyms[key], True)
                    break
            if hit is None and (misspelled := self._misspelled(i)) is not None:
                hit = (i, i + 2, [misspelled], False)
            if hit:
                found.append(hit)
                i = hit[1]
            else:
                i += 1
        seen = {ids[0] for _, _, ids, _ in found if len(ids) == 1}
        for i, j, ids, metonym in found:
            if len(ids) > 1:
                ids = [a for a in ids if a in seen] or ids
            if len(ids) > 1:
                continue  # "Johnson" with two Johnsons in the registry and neither named in full
            aid = ids[0]
            actor = self.reg.actors[aid]
            if actor.type == "person" and p[i].ent_iob_ == "I" and p[i].ent_type_ == "PERSON":
                continue  # "Melania Trump" is not Donald Trump
            if actor.type == "person" and _names_a_body(p, j):
                continue  # "the Aleksander Kwasniewski Foundation" is not the man
            if actor.type != "person" and (_inside_longer_name(p, i, j) or _named_place(p, i, j)):
                continue  # "the Gulf of Mexico", "New Mexico", "Mexico City" are not Mexico
            if j - i == 1 and p[i].lower_ in _COMPASS and (
                    i == 0 or p[i - 1].lower_ not in ("the", "collective") or (j < len(p) and p[j].lower_ == "of")):
                continue  # "the West" acts; "West of the city" is a direction
            if actor.type != "person" and self.dateline(i, j):
                continue  # "MINSK, 7 May (BelTA) -": where the story was filed, left to the place step
            if metonym and actor.type == "state":
                # A capital is its government only when it acts: "Moscow said", "Kyiv's position", "Moscow
                # and Minsk agreed", "drills agreed to by Moscow".
                if not _doer(p[i:j].root):
                    continue  # left to the place step
                if i > 0 and p[i - 1].lower_ == "the":
                    i -= 1
            start = p[i].idx
            end = p[j - 1].idx + len(p[j - 1].text)
            self.claim(i, j)
            title = conflict = date = None
            if actor.type == "person":
                title, conflict, date = self.title_for(aid, start, end)
            self.add_actor(start, end, aid, title, conflict, date)

    def _misspelled(self, i: int) -> str | None:
        """The registry person two capitalised words the tagger took for no name stand for, spelled another
        way or garbled by a letter ("President of Ukraine Volodymyr Zelnski"; ``Registry.person_spelled``),
        when the two are the whole of a capitalised run the article has not otherwise claimed."""
        p = self.parsed
        if i + 1 >= len(p) or not self.free(i, i + 2) or not all(
                t.is_title and t.pos_ == "PROPN" and t.is_alpha for t in p[i:i + 2]):
            return None
        if i + 2 < len(p) and p[i + 2].is_title and p[i + 2].pos_ == "PROPN":
            return None  # part of a longer name
        return self.reg.person_spelled(f"{p[i].text} {p[i + 1].text}")

    def _surname_spelled(self, i: int) -> str | None:
        """The registry person a lone proper noun names in another romanisation ("Ławrow", "Pieskow"), by
        the spelling key of a one-word registry name only (no letter off: the tagger has not said it is a
        name); None when it stands beside another capitalised word, as part of another name."""
        p = self.parsed
        t = p[i]
        if self.claimed[i] or t.pos_ != "PROPN" or not t.is_title or len(t.text) < 5 or any(
                0 <= k < len(p) and p[k].is_title and p[k].pos_ == "PROPN" for k in (i - 1, i + 1)):
            return None
        return self.reg.surname_spelled(t.text, exact=True)

    def title_for(self, actor_id: str, start: int, end: int):
        """The title written next to a person, and whether the registry disagrees with it."""
        line_start = self.text.rfind("\n", 0, start) + 1
        window_start = max(line_start, start - 60)
        m = _TITLE_BEFORE_RE.search(self.text[window_start:start])
        if m is not None:
            toks = self.tokens(window_start + m.start("title"), start)
            if toks:
                self.claim(*toks)  # "Secretary of State" is a title, not an organisation called State
        else:
            line_end = self.text.find("\n", end)
            m = _TITLE_AFTER_RE.match(self.text[end:(line_end if line_end >= 0 else len(self.text))][:80])
        if m is None:
            return None, None, None
        title = m.group(0).strip(" ,")
        role = ROLE_WORDS[m.group("title").lower()]
        country = None
        if m.group("who"):
            state = self.state_of(m.group("who"))
            if state is None:
                return title, None, None  # "Senate Majority Leader": not a country's office
            country = self.country_of(state)
        mod = (m.group("mod") or "").lower() or None
        date = self.date_at(start)
        if date is None:
            return title, None, date
        if mod == "acting":
            mod = None  # an acting holder holds the office
        return title, check_title(self.reg, actor_id, role, country, mod, date), date

    def spacy_entities(self) -> list[tuple[int, int, str | None]]:
        """Remaining spaCy entities; returns place candidates (start, end, country hint)."""
        p = self.parsed
        cands = []
        for ent in p.ents:
            i, j = ent.start, ent.end
            # Trim what spaCy glued on: "Kharkiv and", "Trump’s Outlook\nTrump".
            while j > i and (is_stop(p[j - 1]) or p[j - 1].is_punct or p[j - 1].text in ("’s", "'s")):
                j -= 1
            while i < j and (p[i].lower_ == "the" or p[i].is_punct):
                i += 1
            if j <= i or not self.free(i, j) or any("\n" in t.text_with_ws for t in p[i:j - 1]):
                continue
            start, end = p[i].idx, p[j - 1].idx + len(p[j - 1].text)
            surface = self.text[start:end]
            if "\n" in surface or not surface[:1].isupper():
                continue
            label = ent.label_
            if self.dateline(i, j):
                if places.candidates(surface):
                    cands.append((i, j))  # a dateline names where the story was filed: a place
                continue
            if label == "ORG" and surface.split()[0].rstrip(".") in _HONORIFICS:
                label = "PERSON"  # "Prof Paul Dibb": a title people bear, never an organisation's name
            if label == "ORG" and j - i in (2, 3) and _titled_person(p, i, j):
                label = "PERSON"  # "The head of the UN office in Ukraine, Matilda Bogner", "player Marta Kostyuk"
            if label in ("PERSON", "ORG") and j - i == 1 and (DEMONYMS.get(surface.lower())
                                                               or norm(surface) in self.reg.demonyms):
                label = "NORP"  # "The Slovak government": a people's name, whatever spaCy took it for
            if label == "LANGUAGE" and j - i == 1 and p[i].dep_ in ("amod", "compound") and \
                    p[i].head.lemma_.lower() not in _TONGUE_NOUNS and (DEMONYMS.get(surface.lower())
                                                                       or norm(surface) in self.reg.demonyms):
                label = "NORP"  # "struck by Russian missiles": a people's weapons, not a language
            if label in ("PERSON", "ORG") and self.heading(start):
                continue  # a title-case heading's capitals say nothing
            if j - i == 1 and surface.endswith("s") and self.written(surface[:-1]):
                continue  # "Tomahawks" beside "Tomahawk missiles": a thing in the plural
            if label in ("GPE", "LOC", "FAC", "NORP") or country_code(surface):
                # Metonyms were settled by the registry step: a capital left here is a place.
                state = self.state_of(surface, metonyms=False) if label != "FAC" else None
                place = _named_place(p, i, j) if state is not None and label != "NORP" else None
                if place is not None:
                    if self.free(*place):  # "the Sea of Azov" when spaCy saw only "Azov"
                        cands.append(place)
                    continue
                if state is not None and (label == "NORP" or country_code(surface) or state in self.reg.actors
                                          and self.reg.actors[state].type == "state"):
                    self.claim(i, j)
                    self.add_actor(start, end, state)
                elif label != "NORP":
                    cands.append((i, j))
                continue
            if label == "PERSON":
                if j - i == 1 and places.candidates(surface) and (self._locative(i) or self._region_follows(j)
                                                                   or norm(surface) in self.reg.metonyms
                                                                   or _curated(surface)):
                    # "in Kharkiv, Sumy, Donetsk": spaCy took Sumy for a name; "talks with Kyiv": a capital
                    # spaCy took for a name is the place, or its government where the registry step saw it act.
                    cands.append((i, j))
                    continue
                self.claim(i, j)
                known = self.reg.person_spelled(surface) if " " in surface.strip() else \
                    None if surface.strip() in self.people else self.reg.surname_spelled(surface.strip())
                if known is not None:  # "Sergei Ławrow": the registry's Sergei Lavrov, spelled the Polish way
                    self.add_actor(start, end, known)
                    self.people.setdefault(surface.split()[-1], (known, self.reg.actors[known].name))
                else:
                    self.person(start, end, surface)
            elif label == "ORG" and surface in self.people:
                self.claim(i, j)  # spaCy's ORG for a surname already met as a person's
                self.person(start, end, surface)
            elif label == "ORG":
                if surface in _NOT_ORGS or (j - i == 1 and self.common(surface)):
                    continue  # a common word capitalised ("State"), not an organisation
                if j - i == 1 and places.candidates(surface) and (self._locative(i) or self._region_follows(j)) \
                        or _curated(surface):
                    cands.append((i, j))  # "over the Poltava and Dnipro regions", "Russia annexed Crimea"
                    continue
                if all(self.state_of(part) for part in re.split(r"-|–", surface) if part):
                    continue  # "U.S.-Russia" (relations): two states, not an organisation
                self.claim(i, j)
                self.out.append(EntityMention(start, end, surface, f"o_{slug(surface)}", surface, "organisation"))
        # Capitalised words spaCy missed, after a locative word: "in Dnipro".
        in_cands = {k for a, b in cands for k in range(a, b)}  # what this loop adds covers only its own token
        for t in p:
            if not self.claimed[t.i] and t.is_title and not t.is_stop and t.i > 0 \
                    and (p[t.i - 1].lower_ in _LOCATIVE or self._region_follows(t.i + 1)) \
                    and t.i not in in_cands and not self.common(t.text) \
                    and not self.heading(t.idx):
                named = _named_place(p, t.i, t.i + 1)
                if named is not None and named[0] < t.i:  # "Gulf of Mexico": a sea's name, not a town's
                    if self.free(*named) and not in_cands & set(range(*named)):
                        cands.append(named)
                elif any(c.population >= 15000 and c.primary for c in places.candidates(t.text)):
                    cands.append((t.i, t.i + 1))
            elif not self.claimed[t.i] and t.is_title and t.i not in in_cands and self._settled(t.i) \
                    and any(c.primary for c in places.candidates(t.text)):
                cands.append((t.i, t.i + 1))  # "the city Vuhledar", "the village of Robotyne": a town of any size
        return cands

    def dateline(self, i: int, j: int) -> bool:
        p = self.parsed
        return dateline_at(self.text, p[i].idx, p[j - 1].idx + len(p[j - 1].text))

    def heading(self, offset: int) -> bool:
        """True inside a title-case line without a full stop (a heading or a menu)."""
        start = self.text.rfind("\n", 0, offset) + 1
        if start not in self.headings:
            end = self.text.find("\n", offset)
            line = self.text[start:end if end >= 0 else len(self.text)].strip()
            words = re.findall(r"[A-Za-z][\w’'-]*", line)
            self.headings[start] = not re.search(r"[.!?”\"]$", line) and (
                len(words) < 2 or sum(w[0].isupper() for w in words) / len(words) >= 0.6)
        return self.headings[start]

    def written(self, word: str) -> bool:
        """True when the article has ``word`` exactly as given, as a whole word."""
        if re.fullmatch(r"\w+", word):
            return word in self.words
        return re.search(rf"\b{re.escape(word)}\b", self.text) is not None

    def common(self, word: str) -> bool:
        """A capitalised word the article also uses in lower case ("Summit", "summit")."""
        return self.written(word.lower())

    def _region_follows(self, j: int) -> bool:
        p = self.parsed
        for k in range(j, min(j + 4, len(p))):
            if p[k].lower_ in _REGION_NOUNS:
                return True
            if not (p[k].is_punct or p[k].lower_ == "and" or p[k].is_title):
                return False
        return False

    def _settled(self, i: int) -> bool:
        """Whether a settlement noun comes before token i: "city Vuhledar", "village of Robotyne"."""
        p = self.parsed
        prev = [t.lower_ for t in p[max(0, i - 2):i]]
        return bool(prev) and (prev[-1] in _SETTLEMENT or prev[-1] == "of" and len(prev) == 2 and prev[0] in _SETTLEMENT)

    def _locative(self, i: int) -> bool:
        p = self.parsed
        if i == 0:
            return False
        prev = p[i - 1]
        if prev.lower_ in _LOCATIVE:
            return True
        # A list of places: "in Kharkiv, Sumy" — the word before the comma was a place.
        return prev.text in (",", "and") and i > 1 and p[i - 2].ent_type_ in ("GPE", "LOC")

    def person(self, start: int, end: int, surface: str) -> None:
        name = re.sub(r"\s+", " ", surface).strip()
        first, _, rest = name.partition(" ")
        if first.rstrip(".") in _HONORIFICS and " " in rest:
            name = rest  # "Prof Paul Dibb" is Paul Dibb; "Mr Biden" keeps the word that names him
        known = self.people.get(name)
        if known is None:
            known = (f"p_{slug(name)}", name)
            self.people[name] = known
            if " " in name:
                self.people.setdefault(name.split()[-1], known)
        pid, canon = known
        actor = self.reg.actors.get(pid)
        self.out.append(EntityMention(start, end, surface, pid, canon, actor.type if actor else "person",
                                      self.reg.country(pid) if actor else None))

    def surnames(self) -> None:
        """A person named in full is later called by the surname alone, which the tagger often misses
        ("..., Dibb argued."): every later proper noun spelled as a surname met so far is that person."""
        p = self.parsed
        named: dict[str, int] = {}  # surname, as written or as the registry spells it -> where first named
        for m in self.out:
            if m.type == "person" and " " in m.name:
                for full in (m.name, m.text):  # "Sergei Ławrow" is the registry's Sergei Lavrov
                    if " " in full.strip():
                        named.setdefault(full.split()[-1], m.start)
        for t in p:
            first = named.get(t.text)
            if first is None or t.idx <= first or self.claimed[t.i] or t.pos_ != "PROPN":
                continue
            if any(0 <= k < len(p) and p[k].pos_ == "PROPN" and p[k].is_title and not self.claimed[k]
                   for k in (t.i - 1, t.i + 1)):
                continue  # part of another name ("Jake Dibb")
            self.claim(t.i, t.i + 1)
            known = self.people.get(t.text)
            if known is not None and known[0] in self.reg.actors:
                self.add_actor(t.idx, t.idx + len(t.text), known[0])
            else:
                self.person(t.idx, t.idx + len(t.text), t.text)

    def capitals(self) -> None:
        """"The Ukrainian capital", "Ukraine's capital", "the capital of Brazil": a place, the capital city of
        the state named beside the word, put on the word "capital" alone (the state word stays the state's).
        Not a capital named with no state, nor one with an article other than "the" ("a capital")."""
        p = self.parsed
        for tok in p:
            if tok.lower_ != "capital" or tok.pos_ != "NOUN" or self.claimed[tok.i]:
                continue
            dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
            states = [c for c in tok.children if c.dep_ == "poss" or c.dep_ in ("amod", "compound") and dets == ["the"]]
            states += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and dets == ["the"]
                       for g in c.children if g.dep_ == "pobj"]
            codes = {self.country_of(a) for a in map(self.state_of, (w.text for w in states)) if a}
            if len(codes) != 1 or None in codes:
                continue
            city = places.capital_of(codes.pop())
            if city is None:
                continue
            self.claim(tok.i, tok.i + 1)
            self.out.append(EntityMention(tok.idx, tok.idx + len(tok.text), tok.text, city.id, city.name, "place",
                                          city.country, lat=city.lat, lon=city.lon))

    def places(self, cands: list[tuple[int, int]]) -> None:
        p = self.parsed
        context: Counter = Counter(m.country for m in self.out if m.country)
        votes: Counter = Counter()  # how often each name (folded) voted for its only country
        found = []
        for i, j in cands:
            if not self.free(i, j):
                continue
            start, end = p[i].idx, p[j - 1].idx + len(p[j - 1].text)
            surface = self.text[start:end]
            options = places.candidates(surface)
            hint = None
            if j + 1 < len(p) and p[j].text == "," and _says_where(p, i, j):  # "Anchorage, Alaska", "Paris, Texas"
                nxt = p[j + 1].text
                hint = country_code(nxt) or ("US" if any(c.kind == "state" for c in places.candidates(nxt)) else None)
            single = len({c.country for c in options}) == 1
            sole = options[0].country if single else None
            found.append((i, j, start, end, surface, options, hint, sole))
            if single:
                context[options[0].country] += 1
                votes[(places.fold(surface), sole)] += 1
        # A name no gazetteer knows that acts or owns somewhere in the article ("Halliburton defended its
        # actions", "Transocean's rig"), and is no named sea or region, is an organisation spaCy took for a place.
        acting = {places.fold(surface) for i, j, _, _, surface, options, _, _ in found
                  if not options and _doer(p[i:j].root) and _unknown_name(p, i, j, surface)}
        for i, j, start, end, surface, options, hint, sole in found:
            self.claim(i, j)
            if not options and places.fold(surface) in acting:
                self.out.append(EntityMention(start, end, surface, f"o_{slug(surface)}", surface, "organisation"))
                continue
            # A name's votes for its own country, however often it recurs, are no evidence for it.
            # Votes are kept per spelling's country: "LA" and "La." fold alike but need not name one place.
            own = Counter({sole: votes[(places.fold(surface), sole)]}) if sole else Counter()
            place = places.choose(options, context - own, hint)
            if place is None:  # "Robert, Louisiana" with no Robert in the gazetteer's US: in the US still
                self.out.append(EntityMention(start, end, surface, f"pl_{slug(surface)}", surface, "place",
                                              _part_of(surface) or hint))
            else:
                self.out.append(EntityMention(start, end, surface, place.id, place.name, "place",
                                              place.country, lat=place.lat, lon=place.lon))


# Nouns only people are: referring words for a person or a title, the registry's title words, and nouns a
# nationality only says a person is from ("player", "journalist").
_PERSON_NOUNS = frozenset(w for w, kind in pairs("referring_words.tsv").items() if kind in ("person", "title")) | \
    frozenset(w for w in ROLE_WORDS if " " not in w) | frozenset(_WORD_LISTS["national"]) | {"head", "boss"}


def _doer(tok) -> bool:
    """Whether a word names who does or has something: a subject or owner, the object of a passive's "by",
    or a word joined to one by "and"."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in _SUBJECT_DEPS or tok.dep_ == "pobj" and tok.head.dep_ == "agent"


def _titled_person(p, i: int, j: int) -> bool:
    """Whether the name p[i:j] is a person's by the noun it stands beside: the apposition of a title or a
    word for a person ("the head of the office, Matilda Bogner"), or written after one ("player Marta
    Kostyuk").  Every word of the name is capitalised: "Bogner", not "the Wagner group"."""
    words = p[i:j]
    if not all(t.is_title and t.pos_ == "PROPN" for t in words):
        return False
    root = words.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in _PERSON_NOUNS:
        return True
    before = p[i - 1] if i > 0 else None
    return before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in _PERSON_NOUNS \
        and before.head.i == root.i and before.dep_ == "compound"


def dateline_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a place in capitals opening a line and followed by what a wire story's
    dateline has after its place, then a dash ("MINSK, 7 May (BelTA) -", "KYIV, Ukraine -", "KYIV -")."""
    letters = [c for c in text[start:end] if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters):
        return False
    if text[text.rfind("\n", 0, start) + 1:start].strip():
        return False
    return _DATELINE_REST.match(text, end) is not None


# After a dateline's place: perhaps a region or a date after a comma, perhaps the agency in brackets, then a dash.
_DATELINE_REST = re.compile(r"[ \t]*(?:,[ \t]*[^\n,()–—-]{1,40}?[ \t]*)?(?:\([ \t]*[A-Z][\w .&/-]{0,30}\)[ \t]*)?[-–—][ \t]")


def sentence_dates(sentences: list[Sentence], timexes: list[TimeExpr],
                   published: str | None) -> list[tuple[int, int, str | None]]:
    """The date each sentence describes: its first calendar date, else the publication date."""
    out = []
    for s in sentences:
        values = [calendar_value(t) for t in timexes if s.start <= t.start < s.end]
        values = [v for v in values if v]
        out.append((s.start, s.end, values[0] if values else published))
    return out


# Names of places and bodies whose words include a state's name: the name is not the state.
_NAMED_THINGS = ("GPE", "LOC", "FAC", "ORG")


def _curated(surface: str) -> bool:
    """Whether a name is one the hand-made place table lists (storyline/data/places.tsv: the places news
    means by "Crimea", "Kherson", "Mariupol"): a place wherever it stands, whatever label the tagger gave."""
    return any(c.curated and c.primary for c in places.candidates(surface))


def _names_a_body(p, j: int) -> bool:
    """Whether the name that ends before token ``j`` runs on into the name of an organisation or a building
    ("the Aleksander Kwasniewski Foundation", "the John F. Kennedy Center"): the next word is a capitalised
    word of the tagger's organisation or facility name, and not the body that runs a state (a president's
    administration is the president's)."""
    if j >= len(p):
        return False
    t = p[j]
    return (t.ent_iob_ == "I" and t.ent_type_ in ("ORG", "FAC") and t.is_title and t.pos_ in ("PROPN", "NOUN")
            and t.lemma_.lower() not in RUNS_A_STATE)


def _inside_longer_name(p, i: int, j: int) -> bool:
    """Whether tokens i..j sit inside a longer name spaCy found (a sea, region, city, facility or body
    named after a country), so that they name that thing and not the country."""
    k = i
    while k > 0 and p[k].ent_iob_ == "I":
        k -= 1  # the first token of the entity holding token i
    starts_inside = p[i].ent_iob_ == "I" and p[i].ent_type_ in _NAMED_THINGS \
        and any(t.lower_ != "the" for t in p[k:i])  # "the White House" is still the White House
    goes_on = j < len(p) and p[j].ent_iob_ == "I" and p[j].ent_type_ in _NAMED_THINGS[:3]
    return starts_inside or goes_on


# Nouns that make a name a place ("the Gulf of Mexico", "the South China Sea"), from storyline/data/place_nouns.tsv.
_PLACE_NOUNS = frozenset(lists("place_nouns.tsv")["noun"])


def _unknown_name(p, i: int, j: int, surface: str) -> bool:
    """Whether p[i:j] is a name that says nothing of being a place: no place noun in it ("the Gulf of
    Mexico", "Kyiv Oblast") and no bearing on a state ("Western Ukraine")."""
    return not any(_place_noun(t) for t in p[i:j]) and _part_of(surface) is None


def _says_where(p, i: int, j: int) -> bool:
    """Whether the word after the comma that follows the place p[i:j] says where that place lies ("Robert,
    Louisiana on Saturday", "from Madeira, Portugal, to Kyiv"): it hangs on the place's name, not as the next
    item of a list ("the Baltic States, Slovakia and the Czech Republic"), and is not someone's subject or
    owner ("struck Kharkiv, Russia said", "the city of Melitopol, Russia's Interfax agency said")."""
    y = p[j + 1]
    if y.head.i not in range(i, j) or y.dep_ in ("conj", "nsubj", "nsubjpass", "poss"):
        return False
    k = j + 2
    if k >= len(p):
        return True
    if p[k].dep_ == "cc" or p[k].text in ("'s", "’s"):
        return False
    nxt = p[k + 1] if k + 1 < len(p) else None
    return not (p[k].text == "," and nxt is not None and (nxt.dep_ == "cc" or nxt.pos_ == "PROPN" or
                                                          nxt.lower_ == "the"))


def _named_place(p, i: int, j: int) -> tuple[int, int] | None:
    """The span of the place whose name holds a state's name at tokens i..j: a body of water, region or
    facility named after it ("the Gulf of Mexico", "the Sea of Azov", "the China Sea", "Kyiv Oblast");
    None when the name stands alone."""
    if j < len(p) and p[j].text in ("'s", "’s"):
        return None  # "the port of Ukraine's Odesa": the state owns the place
    k = i - 1
    if k >= 0 and p[k].lower_ == "the":
        k -= 1
    if k >= 1 and p[k].lower_ == "of" and _place_noun(p[k - 1]):
        return k - 1, j
    if j < len(p) and _place_noun(p[j]):
        return i, j + 1
    return None


def _place_noun(tok) -> bool:
    """A place noun written as part of a name ("Gulf", "Sea"), not a description ("the port of Ukraine")."""
    return tok.lower_ in _PLACE_NOUNS and tok.text[:1].isupper()


def extract_entities(text: str, sentences: list[Sentence], parsed, registry: Registry,
                     timexes: list[TimeExpr] = (), published: str | None = None) -> list[EntityMention]:
    """Resolve every entity mention of one document; a pure function of its inputs."""
    r = _Resolver(text, parsed, registry, sentence_dates(sentences, list(timexes), published))
    r.forces()
    r.bare_titles()
    r.groups()
    r.lower_case_names()
    r.registry_names()
    cands = r.spacy_entities()
    r.surnames()
    r.places(cands)
    r.capitals()
    # A surname seen before its full name ("Zelenskyy, Trump discuss ..."): join it up.
    for k, m in enumerate(r.out):
        if m.entity_id.startswith("p_") and " " not in m.name and m.name in r.people:
            pid, canon = r.people[m.name]
            if pid != m.entity_id:
                actor = registry.actors.get(pid)
                r.out[k] = EntityMention(m.start, m.end, m.text, pid, canon, actor.type if actor else "person",
                                         registry.country(pid) if actor else None)
    r.out = _acronyms(text, r.out)
    r.out.sort(key=lambda m: (m.start, m.end))
    return r.out


_DEFINED = re.compile(r"\s*\((?P<short>[A-Z][A-Za-z]{1,7})\)")


def _acronyms(text: str, out: list[EntityMention]) -> list[EntityMention]:
    """A body named in full and then by the short form it defines ("the Kyiv International Institute of
    Sociology (KIIS)"): the short form, there and later in the article, is the same body."""
    defined: dict[str, EntityMention] = {}
    for m in out:
        got = _DEFINED.match(text, m.end) if m.type in ("organisation", "government_body", "armed_force") else None
        if got and sum(c.isupper() for c in got["short"]) >= 2 and got["short"] not in defined:
            defined[got["short"]] = m
    if not defined:
        return out
    def as_body(o: EntityMention) -> EntityMention:
        full = defined.get(o.text)
        if full is None or o.start < full.end:
            return o
        return replace(o, entity_id=full.entity_id, name=full.name, type=full.type, country=full.country)

    fixed = [as_body(o) for o in out]
    taken = [(o.start, o.end) for o in fixed]
    for short, m in defined.items():
        for hit in re.finditer(rf"\b{re.escape(short)}\b", text[m.end:]):
            s, e = m.end + hit.start(), m.end + hit.end()
            if not any(a < e and s < b for a, b in taken):
                fixed.append(EntityMention(s, e, short, m.entity_id, m.name, m.type, m.country))
                taken.append((s, e))
    return fixed
