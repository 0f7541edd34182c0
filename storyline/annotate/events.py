"""Events: every typed act a sentence reports, with who, where, when, how many and how sure.

The clause typing lives in ``plover``; this module turns each typed clause
into an ``EventMention``:

- participants from the clause's subject (source) and objects (target),
  matched to the entity mentions the actor stage found;
- the place named inside the clause, else in the sentence;
- the date: the time expression of the clause's own, else one near it in the
  sentence, never one of background (``dating``: a relative clause, an
  apposition, a year inside a noun phrase, a "by 2035" target); else the
  latest date earlier in the paragraph (its reference time), else the
  publication date with precision "reported";
- status from the parse (``plover.status_of``), and "planned" for anything
  dated after the article was published;
- numbers read off the parse: a number counts whatever noun it modifies, and
  the verb above that noun says what happened to them (killed, launched, shot
  down ...).

Reports of one attack are often spread over several sentences ("Russia
launched 97 drones ... The drones hit Kharkiv ... Ukraine's defenses shot down
63 of the drones").  A clause that refers back to the weapons or the attack
with a definite article continues the attack it refers to: its sentence and
numbers are folded into that mention instead of making a new one.
"""

from __future__ import annotations

import bisect
import datetime as dt

import re
from dataclasses import replace

from ..data import lists
from ..model import ACTOR_TYPES, EntityMention, EventMention, NonEvent, Quantity, Quote, Sentence, TimeExpr
from . import dating
from .arguments import describe, pobjs
from .entities import dateline_at
from .nonevents import features as nonevent_features
from .nonevents import main_act
from .nonevents import reason as nonevent_reason
from .plover import LIGHT, NOUNS, SPEECH, SPOKEN, Frame, frames, intensity, noun_type, phrasal, says_words
from .quotes import quote_spans, within
from .time import calendar_value, week_span

# Acts done by saying something: a speaker's undated words take the day the article last dated their words.
SAYING = SPOKEN | {"STATEMENT", "SUPPORT", "REJECT"}

# Prepositions that make the state after them a place ("forces in Ukraine"), from storyline/data/place_nouns.tsv.
PLACE_PREPOSITIONS = frozenset(lists("place_nouns.tsv")["preposition"])
_DESTINATION = frozenset(lists("place_nouns.tsv")["destination"])
_MOTION = frozenset(lists("place_nouns.tsv")["motion"])
_WAR_ON = frozenset(lists("place_nouns.tsv")["war_on"])
_ATTACKS = frozenset({"FIGHT", "ASSAULT"})
_DATELINE_REACH = 400  # a dateline opens the story, perhaps after its headline
# Verbs of speaking whose clause beside a saying places it ("Speaking in Volgograd, Mr Putin hinted").
_SPEAKING = frozenset(lists("annotate_words.tsv")["speaking_verb"])
# Meetings whose own place phrase places what was said and done at them (annotate_words.tsv).
_GATHERINGS = frozenset(lists("annotate_words.tsv")["gathering_noun"])
# Nouns for words given ("as he gave an interview ... in New York": the interview places the saying).
_SPEECH_NOUNS = frozenset(lists("annotate_words.tsv")["speech_noun"])
_SCENE_SENTENCES = 3  # a story names the occasion it reports in its first sentences
# Acts whose place, when their sentence names none, is where the story was filed: words said, talks.
_SAID_WHERE_FILED = SAYING | {"CONSULT"}
# Prepositions whose gerund is done by the doer of the clause it hangs on (annotate_words.tsv).
_GERUND_PREPOSITIONS = frozenset(lists("annotate_words.tsv")["gerund_preposition"])
_COMPLEMENT_GERUND = frozenset(lists("annotate_words.tsv")["complement_gerund_preposition"])
# Nouns for someone or some firm from a state, not acting for it (annotate_words.tsv).
_NATIONALS = frozenset(lists("annotate_words.tsv")["national"])

_STOP = set("""the a an and or of to in on at by for with from that this is was were be been has have
had it its as but not will would could should can may after before over into than their his her
they he she we our also which who said amid while during more most about including between""".split())


def keywords(text: str) -> list[str]:
    """Content words, crudely singular, that the link stage compares across articles.

    The possessive goes first so that "Ukraine's" and "Ukraine" are one word.
    """
    words = re.findall(r"[A-Za-z][a-z’'-]{2,}", re.sub(r"['’]s\b", "", text.lower()))
    return sorted({w.rstrip("s") for w in words if w not in _STOP})


# -- numbers ---------------------------------------------------------------

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
          "dozen": 12, "a dozen": 12}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "m": 1_000_000}
# Vague counts: the smallest number the word allows, as a lower bound.
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens": 20, "several": 3}
# The plural scales a vague count can be "of": "tens of thousands", "hundreds of millions".
_SCALES = {"hundreds": 100, "thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
_APPROX = [("more than", "at_least"), ("at least", "at_least"), ("upwards of", "at_least"), ("over", "at_least"),
           ("in excess of", "at_least"), ("no fewer than", "at_least"),
           ("nearly", "at_most"), ("almost", "at_most"), ("up to", "at_most"), ("fewer than", "at_most"),
           ("less than", "at_most"), ("under", "at_most"), ("as many as", "at_most"),
           ("about", "about"), ("around", "about"), ("roughly", "about"), ("approximately", "about"),
           ("some", "about"), ("an estimated", "about"), ("estimated", "about")]
_CURRENCY = {"$": "USD", "dollar": "USD", "usd": "USD", "€": "EUR", "euro": "EUR", "eur": "EUR", "£": "GBP",
             "pound": "GBP", "gbp": "GBP", "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH", "hryvnias": "UAH",
             "yuan": "CNY", "yen": "JPY", "shilling": "shilling", "rupee": "INR"}

_LAUNCH = {"launch", "fire", "use", "send", "deploy", "attack", "strike", "hit", "target", "unleash"}
_INTERCEPT = {"shoot down", "intercept", "destroy", "down", "neutralize", "neutralise", "repel", "shoot"}
_KIND = {
    "kill": "killed", "die": "killed", "dead": "killed", "death": "killed", "fatality": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "injured": "injured", "wounded": "injured",
    "missing": "missing", "displace": "displaced", "flee": "displaced", "evacuate": "displaced",
    "displaced": "displaced", "detain": "detained", "arrest": "detained", "capture": "detained",
    "abduct": "detained", "kidnap": "detained", "imprison": "detained", "return": "returned",
    "release": "returned", "repatriate": "returned", "free": "returned", "exchange": "returned",
    "swap": "returned", "bring back": "returned",
}
_WEAPON_NOUNS = {"drone": "drone", "uav": "drone", "shahed": "drone", "missile": "missile", "rocket": "rocket",
                 "bomb": "bomb", "shell": "shell"}


def _weapon(noun) -> str | None:
    lem = noun.lemma_.lower()
    mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound", "nmod")}
    if lem not in _WEAPON_NOUNS:
        return None
    if lem == "missile":
        if "ballistic" in mods:
            return "ballistic_missile"
        if "cruise" in mods:
            return "cruise_missile"
    return _WEAPON_NOUNS[lem]


# Nouns a number measures time or age with: "three days", "a 45-year-old man", never a count of people or arms.
_TIME_UNITS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "yr", "hr"}
# Words before a bare four-digit number that make it a year: "in 2005", "since 2014".
_YEAR_CUE = {"in", "since", "by", "until", "till", "from", "of", "before", "after", "during", "through", "to",
             "around", "circa", "between", "and"}
# What counts nothing: "no one was injured", "none of the crew", "nobody died".
_NONE = {"none", "nobody", "noone"}


def _not_a_count(run, doc) -> bool:
    """A year, an age or a duration: numbers that are never a count of what happened.

    A bare four-digit number from 1800 to 2100 is a year when a preposition
    or conjunction precedes it or it modifies no noun (news style writes
    counts of a thousand or more with a separator: "2,005 people").  A number
    that counts time ("three days", "a 45-year-old") is a duration or an age.
    """
    first, last = run[0], run[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    if len(run) == 1 and re.fullmatch(r"1[89]\d\d|20\d\d|2100", first.text):
        if last.dep_ != "nummod" or (prev is not None and prev.lower_ in _YEAR_CUE):
            return True
    nxt = [t.lemma_.lower() for t in doc[last.i + 1:last.i + 4] if t.text not in ("-", "–")]
    return bool(nxt) and nxt[0] in _TIME_UNITS


_COUNTED = lists("counted_nouns.tsv")
_MEASURES, _ANIMALS = set(_COUNTED["measure"]), set(_COUNTED["animal"])


def _counted_kind(noun) -> str | None:
    """"measure" or "animal" when the counted noun is a unit ("barrels") or an animal ("sea birds")."""
    for word in (noun.lemma_.lower(), noun.lower_):
        if word in _MEASURES:
            return "measure"
        if word in _ANIMALS:
            return "animal"
    return None


def _number(tokens) -> tuple[float, str] | None:
    """(value, lower bound flag) of a run of number tokens: "580 million", "two", "1,200", "dozens",
    "several hundred" (at least 300)."""
    words = [t.lower_ for t in tokens]
    if len(words) == 1 and words[0] in _VAGUE:
        return float(_VAGUE[words[0]]), "at_least"
    if len(words) == 3 and words[0] in _VAGUE and words[1] == "of" and words[2] in _SCALES:  # "tens of thousands"
        return float(_VAGUE[words[0]] * _SCALES[words[2]]), "at_least"
    if words[0] in _VAGUE and len(words) > 1 and all(w in _SCALE for w in words[1:]):
        value = float(_VAGUE[words[0]])
        for w in words[1:]:
            value *= _SCALE[w]
        return value, "at_least"
    value = None
    for w in words:
        w = w.replace(",", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            value = float(w) if value is None else value * float(w)
        elif w in _SCALE and value is not None:
            value *= _SCALE[w]
        elif w in _WORDS:
            value = float(_WORDS[w]) if value is None else value + _WORDS[w]
        elif w in _SCALE:
            value = float(_SCALE[w])
    return (value, "exact") if value is not None else None


def _approx(doc, first) -> str | None:
    before = " ".join(t.lower_ for t in doc[max(0, first.i - 3): first.i])
    for phrase, kind in _APPROX:
        if before.endswith(phrase):
            return kind
    return None


def _zero(doc, tok) -> list[tuple[Quantity, object]] | None:
    """"No one was injured", "none of the crew were hurt", "nobody died": a count of 0 of that kind
    (None when ``tok`` says no such thing)."""
    if tok.lower_ in _NONE:
        counted = tok
    elif tok.lower_ == "one" and tok.i > 0 and doc[tok.i - 1].lower_ == "no":
        counted = tok
    else:
        return None
    gov = _governor(counted)
    if gov is None:
        return []
    key = _verb_key(gov) if gov.pos_ == "VERB" and gov.lower_ not in _KIND else gov.lower_
    kind = _KIND.get(key) or _KIND.get(gov.lemma_.lower())
    return [(Quantity(kind, 0.0, "exact", doc[max(0, tok.i - (1 if tok.lower_ == "one" else 0)):tok.i + 1].text),
             gov)] if kind else []


def _governor(tok):
    """The verb (or casualty word) above a counted noun: what happened to the things counted."""
    node = tok
    for _ in range(6):
        if node.pos_ == "VERB" or node.lemma_.lower() in _KIND:
            return node
        if node.lemma_ == "be":  # "five soldiers were missing"
            state = next((c for c in node.children if c.dep_ == "acomp" and c.lower_ in _KIND), None)
            if state is not None:
                return state
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _verb_key(verb) -> str:
    return phrasal(verb) or verb.lemma_.lower()


def quantities(span, timex_spans: list[tuple[int, int]]) -> list[tuple[Quantity, object]]:
    """Typed numbers in a sentence, each with the token that governs it (for assigning it to a clause)."""
    out: list[tuple[Quantity, object]] = []
    doc = span.doc
    i = span.start
    while i < span.end:
        tok = doc[i]
        zero = _zero(doc, tok)
        if zero is not None:
            out.extend(zero)
            i += 1
            continue
        is_num = tok.like_num or tok.lower_ in _VAGUE
        if not is_num or tok.lower_ == "one" and tok.dep_ not in ("nummod", "dobj", "nsubj", "nsubjpass"):
            i += 1
            continue
        j = i + 1
        while j < span.end and (doc[j].like_num or doc[j].lower_ in _SCALE) and doc[j].lower_ not in _VAGUE:
            j += 1
        if j == i + 1 and tok.lower_ in _VAGUE and j + 1 < span.end and doc[j].lower_ == "of" \
                and doc[j + 1].lower_ in _SCALES:
            j += 2  # "tens of thousands", "hundreds of thousands": one vague count
        run = doc[i:j]
        i = j
        if any(s <= run.start_char < e for s, e in timex_spans) or _not_a_count(run, doc):
            continue  # a year, a day of the month, an age, a duration
        parsed = _number(run)
        if parsed is None:
            continue
        value, approx = parsed
        said = _approx(doc, run[0])
        approx = said or approx
        last = run[-1]
        text = doc[max(span.start, run.start - (2 if said else 0)):run.end].text
        # Money and percentages are told by their unit.
        prev = doc[run.start - 1] if run.start > 0 else None
        nxt = doc[run.end] if run.end < len(doc) else None
        unit = None
        if prev is not None and prev.text in _CURRENCY:
            unit = _CURRENCY[prev.text]
        elif nxt is not None and nxt.lemma_.lower() in _CURRENCY:
            unit = _CURRENCY[nxt.lemma_.lower()]
        if unit:
            out.append((Quantity("money", value, approx, text, unit=unit), last))
            continue
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            out.append((Quantity("percent", value, approx, text), last))
            continue
        # The counted noun: "97 drones", "63 of the drones", or none ("injured over 200").
        noun = last.head if last.dep_ == "nummod" else None
        if noun is None:
            of = next((c for c in last.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            noun = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        counted = noun if noun is not None else last
        if any(t is not None and _counted_kind(t) is not None for t in (noun, nxt)):
            continue  # "15,000 barrels", "36,000 sea birds": not a count of people or arms
        weapon = _weapon(counted)
        gov = _governor(counted)
        if gov is None:
            continue
        key = _verb_key(gov) if gov.pos_ == "VERB" and gov.lower_ not in _KIND else gov.lower_
        kind = None
        if weapon:
            if key in _INTERCEPT:
                kind = "intercepted"
            elif key in _LAUNCH or gov.pos_ == "VERB" and gov.lemma_.lower() in _LAUNCH:
                kind = "launched"
        else:
            # "left 17 dead", "17 people dead": the casualty word sits beside the noun; written after it,
            # it says what befell these ("one was killed and five more injured"), whatever the verb above.
            beside = [c for c in counted.children if c.lemma_.lower() in _KIND and c.pos_ in ("ADJ", "VERB")]
            after = [c for c in beside if c.i > counted.i]
            kind = _KIND[after[0].lemma_.lower()] if after else _KIND.get(key)
            if kind is None and beside:
                kind = _KIND[beside[0].lemma_.lower()]
        if kind:
            out.append((Quantity(kind, value, approx, text, weapon=weapon), gov))
    return out


# -- one clause -> one mention ---------------------------------------------

_PAST_SPAN = re.compile(r"(?i)(?:the\s+)?(?:past|last)\s+(?:(?:few|several|\w+)\s+)?(?:days?|weeks?)$")
_SPAN_DAYS = re.compile(r"P(\d+)([DW])")


def _as_calendar(t: TimeExpr, published: str | None = None) -> TimeExpr | None:
    """A date as the calendar places it; a week ("last week") as the month or year that holds all of it;
    a span of days up to the report ("in the past week", "over the last few days") as the month holding
    all of it, counted back from the publication date; None for what no calendar places (another
    duration, a week across a new year)."""
    value = calendar_value(t) or (week_span(t.value) if t.kind == "DATE" else None) or _span_to_report(t, published)
    if not value:
        return None
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return replace(t, value=value, precision=precision, kind="DATE")


def _span_to_report(t: TimeExpr, published: str | None) -> str | None:
    """The month holding the whole of "the past week" or "the last few days" before ``published``."""
    if t.kind != "DURATION" or not published or not _PAST_SPAN.fullmatch(t.text.strip()):
        return None
    m = _SPAN_DAYS.fullmatch(t.value or "")
    # "the last few days" (PXD): a few, at most a week; "the past few weeks" says too little
    days = int(m.group(1)) * (7 if m.group(2) == "W" else 1) if m else 7 if t.value == "PXD" else None
    if days is None or not 2 <= days <= 31:
        return None  # "during the last day" is the report's own day or the one before: a bound says more
    try:
        end = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    start = end - dt.timedelta(days=days)
    return f"{end.year:04d}-{end.month:02d}" if (start.year, start.month) == (end.year, end.month) else None


def _in(e, start: int, end: int) -> bool:
    return start <= e.start < end


def _subtree_range(tok) -> tuple[int, int]:
    sub = list(tok.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1])


def _args(verb, deps: tuple[str, ...]) -> list:
    out = []
    for c in verb.children:
        if c.dep_ in deps:
            # A relative pronoun stands for the name its clause describes: "Vulin, who has made visits".
            out.append(verb.head if c.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and
                       verb.head.pos_ == "PROPN" else c)
        elif c.dep_ == "agent" and "nsubj" in deps:
            out.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and "dobj" in deps and c.lower_ in ("against", "on", "at", "with", "to", "into"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


def _actors_in(tokens, entities: list[EntityMention], own: bool = False) -> list[str]:
    """Actors named in each phrase, the one naming its head word first ("Ukraine's Air Force" is the air force).

    A mention inside a longer one is part of it ("Russian" in "the Russian minister", a description
    that refers to Sergei Lavrov), and a state named as the place of a phrase ("Russian forces in
    Ukraine") is where it is, not who acts.  With ``own``, a phrase that names no actor at its head
    counts only the actors of its modifiers, not those of its prepositional complements.
    """
    ids: list[str] = []
    for tok in tokens:
        named = [m for m in entities if m.type in ACTOR_TYPES and m.start <= tok.idx < m.end]
        if named:
            # A phrase headed by a name is that actor (and those joined to it by "and"); what an
            # apposition or a clause says of it ("Rebekah Koffler, the author of 'Putin's Playbook'") is not.
            ids += [m.entity_id for m in named[:1] if m.entity_id not in ids]
            # A phrase joined to the name counts by what it names itself, not by whom its complement
            # names ("Kasparov ... and an opponent of Vladimir Putin's rule" is not Putin).
            # The parser may hang the next of them on the name's apposition, a name joined to a name: "The
            # President of the European Commission, Ursula von der Leyen, and Brazilian leader Lula da Silva"
            # (not a second description of one person: "Koffler, president of ... and a former officer").
            joined = [c for c in tok.children if c.dep_ == "conj"] + [
                g for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                for g in c.children if g.dep_ == "conj" and g.pos_ == "PROPN"]
            ids += [a for a in _actors_in(joined, entities, own=True) if a not in ids]
            continue
        # A title whose apposition names its holder ("Ukraine's prosecutor general, Andriy Kostin") is that
        # holder; the state of the title is whose office it is, not a second actor.
        # The parser often hangs that apposition on the title's complement instead ("the head of the
        # Security Council, Dmitry Medvedev"): the person is still the title's holder, not the council's.
        complement = [g for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "for")
                      for g in p.children if g.dep_ == "pobj"] if tok.pos_ == "NOUN" else []
        held = [a for c in [*tok.children, *(c for g in complement for c in g.children)]
                if c.dep_ == "appos" and c.pos_ == "PROPN"
                for a in _actors_in([c], entities) if _is_person(a, entities)]
        if held:
            ids += [a for a in held if a not in ids]
            continue
        s, e = _subtree_range(tok)
        # What a clause inside the phrase says of it or of a word in it names no one in it ("the army,
        # which Syrskyi leads", "authorities in Sumy oblast bordering Russia"), nor, with ``own``, does
        # its complement.
        apart = [_subtree_range(c) for c in tok.subtree if c.i != tok.i and c.dep_ in ("relcl", "acl")] + \
            [_subtree_range(c) for c in tok.children if own and c.dep_ == "prep"]
        found = [m for m in entities if m.type in ACTOR_TYPES and _in(m, s, e) and not _placed(m, tok)
                 and not any(_in(m, a, b) for a, b in apart) and not _nationality_of(m, tok)]
        found = [m for m in found if not any(_within(m, o) for o in found)]
        found.sort(key=lambda m: not (m.start <= tok.idx < m.end))
        ids += [m.entity_id for m in found if m.entity_id not in ids]
    return ids


def _nationality_of(m: EntityMention, phrase) -> bool:
    """Whether a state mention only says where the phrase's person or firm is from: "a 57-year-old
    Russian suspect", "Russian energy giant Gazprom" are not Russia, as "Russian officials" are."""
    if m.type != "state":
        return False
    word = next((t for t in phrase.subtree if t.idx == m.start), None)
    if word is None or word.dep_ not in ("amod", "compound", "nmod") or word.head.lower_ not in _NATIONALS:
        return False
    noun = word.head  # the phrase's head, or a noun compounded with it ("energy giant Gazprom")
    return noun.i == phrase.i or noun.dep_ == "compound" and noun.head.i == phrase.i


def _is_person(entity_id: str, entities: list[EntityMention]) -> bool:
    return any(m.entity_id == entity_id and m.type == "person" for m in entities)


def _within(m: EntityMention, o: EntityMention) -> bool:
    """Whether mention ``m`` lies inside the longer mention ``o``."""
    return o.start <= m.start and m.end <= o.end and o.end - o.start > m.end - m.start


def _placed(m: EntityMention, phrase) -> bool:
    """Whether a state mention is the object of a place preposition inside ``phrase`` ("forces in Ukraine");
    a phrase that is itself the state ("fired at Ukraine") names it as an actor."""
    if m.type != "state":
        return False
    for tok in phrase.subtree:
        if tok.idx == m.start:
            return tok.i != phrase.i and tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS
    return False


def _subject(verb) -> list:
    """Who acts: the clause's subject, or the subject of what governs a clause without one.

    An infinitive's doer is its controller: the subject of the verb or adjective it completes ("are set
    to meet", "said it was ready to hold talks"), or the one who owns or makes the noun it completes
    ("Russia's decision to withdraw", "Ukraine has made three attempts to convene consultations").
    """
    node, deps = verb, ("nsubj",)
    for _ in range(5):
        subj = _args(node, deps)
        if subj or node.head.i == node.i:
            return subj
        if node.i == verb.i and any(c.dep_ == "nsubjpass" for c in verb.children):
            return []  # "if his country is attacked": a passive clause names who underwent it, and no doer
        if node.dep_ == "acl" and node.head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.tag_ == "TO"
                                                                   for c in node.children):
            noun = node.head
            # "an attempt by the Polish resistance to liberate the city"
            owner = [c for c in noun.children if c.dep_ == "poss"] + pobjs(noun, ("by",))
            if owner or noun.dep_ != "dobj":
                return owner
            node = noun.head  # "made attempts to convene": the one who made them
        elif node.dep_ == "pcomp" and node.tag_ == "VBG" and node.head.lower_ == "of" and \
                node.head.head.pos_ == "NOUN" and node.head.dep_ == "prep":
            # A gerund after a noun's "of" is done by whoever owns the noun: "Moscow's tactic of targeting power
            # plants"; else by the one who has or follows it, whom "its" or "their" stands for: "India continued
            # with its strategy of not criticising Russia", "Russia continued its campaign of bombing cities".
            # Only a light verb passes its subject on: "Ukraine condemned their policy of bombing" is not Ukraine's.
            noun = node.head.head
            owner = [c for c in noun.children if c.dep_ == "poss" and c.pos_ != "PRON"] + pobjs(noun, ("by",))
            holder = noun.head if noun.dep_ == "dobj" else noun.head.head if noun.dep_ == "pobj" else None
            if owner or holder is None or holder.lemma_.lower() not in LIGHT:
                return owner
            node = holder
        elif node.dep_ in ("xcomp", "conj", "advcl", "acomp"):
            node = node.head  # "Trump and Putin are set to meet"
        elif node.dep_ == "pcomp" and node.tag_ == "VBG" and node.head.lower_ in _GERUND_PREPOSITIONS \
                and node.head.head.pos_ in ("VERB", "AUX", "ADJ"):
            node = node.head.head  # "Putin made a mistake by starting a war", "she left after declining to answer"
        elif node.dep_ == "pcomp" and node.tag_ == "VBG" and node.head.lower_ in _COMPLEMENT_GERUND \
                and node.head.head.pos_ in ("VERB", "AUX", "ADJ"):
            # The gerund completing a verb is done by its object ("prevented Russia from using", "accused
            # Kyiv of shelling"), else by its passive subject ("was barred from entering"), else by its
            # subject ("refrained from handing over", "is capable of striking").
            head = node.head.head
            return _args(head, ("dobj",)) or _args(head, ("nsubjpass",)) or _subject(head)
        else:
            return []
        deps = ("nsubj", "nsubjpass")
    return []


def _owners(noun) -> list:
    """The words before a noun that may say whose it is: "Russia's", "Russian", "Kremlin"."""
    return [c for c in noun.children if c.dep_ in ("poss", "amod", "compound")]


def _owner(frame: Frame, entities: list[EntityMention]) -> list[str]:
    """Whose weapons were intercepted: "53 Ukrainian drones" are Ukraine's."""
    for tok in frame.verb.subtree:
        if tok.lemma_.lower() in _WEAPON_NOUNS:
            for c in _owners(tok):
                got = _actors_in([c], entities)
                if got:
                    return got
    return []


def _name_root(m: EntityMention, phrase):
    """The token of ``phrase`` that heads the name ``m`` ("States" in "the United States"), or None."""
    inside = [t for t in phrase.subtree if m.start <= t.idx < m.end]
    return next((t for t in inside if not (m.start <= t.head.idx < m.end) or t.head.i == t.i), None)


def _where_state(frame: Frame, m: EntityMention) -> bool:
    """Whether a state the clause names is where its act happens: a place preposition's object ("fighting
    in Ukraine", "crossed into Poland"), where its doer goes ("moved 3,000 troops to Poland"), what an
    attack strikes ("the invasion of Ukraine", "an attack on Israel", "invaded Ukraine")."""
    if frame.type in SAYING:
        return False  # where what is said about happened is not where it was said
    tok = _name_root(m, frame.verb)
    if tok is None or not _same_clause(tok, frame):
        return False
    head = tok.head
    if tok.dep_ == "pobj":
        word = head.lower_
        if word in PLACE_PREPOSITIONS or word in _DESTINATION:
            return True
        if word == "to" and head.head.lemma_.lower() in _MOTION:
            return True
        return frame.type in _ATTACKS and word in _WAR_ON and head.head.i in (frame.trigger.i, frame.verb.i)
    return frame.type in _ATTACKS and tok.dep_ == "dobj" and head.i in (frame.trigger.i, frame.verb.i)


def _same_clause(tok, frame: Frame) -> bool:
    """Whether ``tok`` hangs on the act's own verb or noun with no other verb between: "forces in Ukraine
    attacked", not "wants to use the meeting to judge ... ending the war in Ukraine"."""
    node = tok.head
    for _ in range(12):
        if node.i in (frame.verb.i, frame.trigger.i):
            return True
        if node.dep_ == "conj" and node.head.i == frame.verb.i and node.pos_ == "VERB" and \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return True  # a second verb of the same doer: "amassed troops on its border but deployed 30,000 to Belarus"
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _said_at(frame: Frame, entities: list[EntityMention], dateline: EntityMention | None) -> str | None:
    """The place a saying's own phrases put it in ("At a news conference in Poland, Austin told reporters",
    "Radakin told his audience in the US capital", "Speaking in Volgograd, Mr Putin hinted"), not a place
    of what was said: a state only when no "of" stands between it and the phrase ("at a news conference in
    Poland", not "in the context of Russian aggression in Ukraine", which names no place the words were
    said in)."""
    # A clause of speaking or of giving words ("as he gave an interview ... in New York") tells where, even
    # when the parser hangs it on the words said.
    holders = [frame.verb] + [c for c in frame.verb.children if c.dep_ == "ccomp"]
    verbs = [frame.verb] + [c for h in holders for c in h.children if c.dep_ == "advcl" and (
        c.lemma_.lower() in _SPEAKING or any(o.dep_ == "dobj" and o.lemma_.lower() in _SPEECH_NOUNS
                                             for o in c.children))]
    said_at = [c for v in verbs for c in v.children if c.dep_ == "prep" and c.lower_ in PLACE_PREPOSITIONS]
    own = [m for m in entities if m is not dateline and any(
        _placed(m, c) and not _through_of(m, c) if m.type == "state" else m.type == "place" and _object_of(m, c)
        for c in said_at)]
    if own:
        return own[0].entity_id
    # "said this during a solemn event in Vienna", "spoke on the sidelines of the council in Luxembourg"
    met = [t for v in verbs for c in v.children if c.dep_ == "prep" for t in c.subtree
           if t.pos_ == "NOUN" and t.lemma_.lower() in _GATHERINGS]
    return next((p for p in (_gathering_place(t, entities, dateline) for t in met) if p is not None), None)


def _object_of(m: EntityMention, prep) -> bool:
    """Whether the name ``m`` is what the preposition ``prep`` governs ("said in Kyiv", "in Kyiv and
    Lviv"), not a name deeper in its phrase ("requested $8.5bn in economic aid to Kyiv")."""
    tok = _name_root(m, prep)
    while tok is not None and tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok is not None and tok.dep_ == "pobj" and tok.head.i == prep.i


def _gathering_place(noun, entities: list[EntityMention], dateline: EntityMention | None) -> str | None:
    """Where a gathering was, as its own phrases name it: a place anywhere in them ("a conference in
    Munich", "their meeting in the capital of Brazil", "a trip to Washington DC"), a state only after a
    place preposition or as where a visit goes ("a visit to Ukraine")."""
    # ... or a participle's: "a press conference hosting foreign reporters at the Independence Palace in Minsk"
    preps = [c for c in noun.children if c.dep_ == "prep"]
    preps += [p for c in noun.children if c.dep_ == "acl" and c.tag_ in ("VBG", "VBN") for p in c.children
              if p.dep_ == "prep" and p.lower_ in PLACE_PREPOSITIONS]
    inside = {t.idx for c in preps for t in c.subtree}
    for m in entities:
        if m is dateline or m.start not in inside:
            continue
        if m.type == "place":
            return m.entity_id
        if m.type == "state":
            tok = next(filter(None, (_name_root(m, c) for c in preps)), None)
            if tok is not None and tok.dep_ == "pobj" and any(tok.head.i == c.i for c in preps) and (
                    tok.head.lower_ in PLACE_PREPOSITIONS or tok.head.lower_ == "to"):
                return m.entity_id
    return None


def _lead_gathering(parsed, sentences: list[Sentence],
                    in_sentence: list[list[EntityMention]]) -> tuple[str, int] | None:
    """The place of the first gathering a story's first sentences report as held, and the sentence naming it:
    "organized a conference ... in the Sejm", "said this during a solemn event in Vienna".  Not one told of
    someone described ("leaders who travelled to Russia after their trip to Ukraine") nor one to come
    ("could stop in Switzerland after their grouping's gathering in Italy")."""
    for sent, ents in zip(sentences[:_SCENE_SENTENCES], in_sentence):
        span = parsed.char_span(sent.start, sent.end, alignment_mode="expand")
        for tok in span if span is not None else ():
            if tok.pos_ == "NOUN" and tok.lemma_.lower() in _GATHERINGS and _held(tok):
                place = _gathering_place(tok, ents, None)
                if place is not None:
                    return place, sent.index
    return None


def _held(tok) -> bool:
    """Whether the clause a gathering noun belongs to tells it as held: no relative clause or participle
    describing someone between them, and no modal or infinitive on the verb it hangs on."""
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        if tok.dep_ in ("relcl", "acl"):
            return False
        tok = tok.head
    if tok.dep_ in ("relcl", "acl"):
        return False
    return not any(c.dep_ == "aux" and (c.tag_ in ("MD", "TO")) for c in tok.children)


def _at_the_gathering(span) -> bool:
    """Whether a sentence refers back to a gathering by a definite noun and no place ("during her
    speech", "The conference was started by ...")."""
    return any(tok.pos_ == "NOUN" and tok.lemma_.lower() in _GATHERINGS
               and not any(c.dep_ == "prep" and c.lower_ in PLACE_PREPOSITIONS for c in tok.children)
               and any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)
               for tok in span)


def _through_of(m: EntityMention, phrase) -> bool:
    """Whether the name ``m`` hangs on ``phrase`` through an "of"."""
    tok = _name_root(m, phrase)
    while tok is not None and tok.i != phrase.i and tok.head.i != tok.i:
        if tok.lower_ == "of":
            return True
        tok = tok.head
    return False


_PLACE_TITLES = frozenset(lists("annotate_words.tsv")["place_title"])


def _styled(tok) -> bool:
    """Whether the word heading a place's name makes it part of a person's style: "the Duchess of
    Edinburgh", "the Archbishop of Canterbury"."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in _PLACE_TITLES


def _place(frame: Frame, clause: tuple[int, int], sent: Sentence, entities: list[EntityMention],
           dateline: EntityMention | None = None, occasion: str | None = None,
           said_at: str | None = None) -> str | None:
    """Where an act happened: the first place its clause names; else the state its clause names as where it
    happened; else a place named elsewhere in its sentence; else, for words said or a meeting, the place
    the story was filed from (its dateline, which names no other act's place).  Words told beside the
    act they report are placed only by the dateline: the sentence's places are the act's.  ``said_at`` is
    where words were said by their own phrases (``_said_at``)."""
    if frame.beside:
        # ... unless the words are placed themselves: "At a news conference in Poland, Austin told reporters".
        if said_at is not None:
            return said_at
        if occasion is not None:
            return occasion
        return dateline.entity_id if dateline is not None else None
    s, e = clause
    top = frame.trigger.sent.root
    # A place named as a subject is a body speaking or acting for those in it: one that speaks places nothing
    # ("..., Buckingham Palace said"), one that acts is where its act is only when nothing else places it
    # ("Crimea will celebrate Victory Day"; but "the USSR deployed missiles to Cuba" was in Cuba).
    places, acting = [], []
    for m in entities:
        if m.type != "place" or not _in(m, sent.start, sent.end) or m is dateline:
            continue
        tok = _name_root(m, top)
        if tok is None:
            places.append(m)
        elif tok.dep_ == "nsubj" and tok.head.pos_ in ("VERB", "AUX"):
            if not says_words(tok.head):
                acting.append(m)
        elif not _styled(tok):
            places.append(m)
    if frame.type in SAYING and said_at is not None:
        # Words are said where the speaker was ("said in Kyiv", "on a trip to Washington DC"), before any
        # place what they tell of is in ("called on the US to see through conflicts in the Middle East").
        return said_at
    inside = [m for m in places if s <= m.start < e]
    # A place the act's own words name comes before a state it goes to or strikes, and that before a place
    # in a clause of its own: "deployed 30,000 troops to neighbouring Belarus, whose border is a three-hour
    # drive to Kyiv" was in Belarus.
    own = [m for m in inside if (tok := _name_root(m, frame.verb)) is None or _same_clause(tok, frame)]
    if own:
        return own[0].entity_id
    states = [m for m in entities if m.type == "state" and s <= m.start < e and _where_state(frame, m)]
    if states:
        return states[0].entity_id
    if inside:
        return inside[0].entity_id
    if places:
        return places[0].entity_id
    if acting:
        return acting[0].entity_id
    if occasion is not None and frame.type in SAYING:
        return occasion
    if dateline is not None and frame.type in _SAID_WHERE_FILED:
        return dateline.entity_id
    return None


def _date(frame: Frame, in_sent: list[TimeExpr], paragraph_ref: TimeExpr | None,
          published: str | None, occasion: TimeExpr | None = None) -> TimeExpr | None:
    """The event's own date among its sentence's calendar dates ``in_sent``; else, for words said, the
    date of the occasion the speaker was last dated speaking on; else the paragraph's reference date;
    else the publication date, as a bound (for a plan, only its own date or that bound)."""
    if frame.nominal:  # "Russia's invasion of its neighbour on February 24": the noun's own date
        return dating.noun_date(frame.trigger, in_sent)
    own = dating.choose(frame, in_sent, published)  # background dates ("who founded it in 2006") never count
    if own is not None:
        return own
    if dating.looks_ahead(frame):
        occasion = paragraph_ref = None  # the days the story has reached are not the day a plan is for
    if occasion is not None:
        return occasion
    if paragraph_ref is not None:
        return paragraph_ref
    if published:
        return TimeExpr(start=-1, end=-1, text="", value=published[:10], precision="reported")
    return None


# Acts done by saying something (PLOVER's verbal acts, bar a bare statement and a refusal): told with no
# doer of their own in someone's reported words, the words are the act and the speaker its doer.
_SPOKEN_ACTS = SAYING - {"STATEMENT", "REJECT"}


def _speaker(frame: Frame, entities: list[EntityMention]) -> str | None:
    """Who speaks in a clause that reports words said ("Koffler added", "he told Fox News"): the speech
    verb's subject, as an actor; None for any other clause."""
    verb = frame.verb
    spoken_verb = frame.trigger.i == verb.i and frame.type in _SPOKEN_ACTS  # "Tinkov called on the West"
    if not (says_words(verb) or spoken_verb) or frame.type not in SAYING:  # "made the comments Tuesday"
        return None
    got = _actors_in([c for c in verb.children if c.dep_ == "nsubj"], entities)
    return got[0] if got else None


def _saying_in_own_words(frame: Frame, entities: list[EntityMention], quoted_by: str | None) -> str | None:
    """Who does an act done by saying in their own words ('"We warn the United States ...," Ryabkov said',
    a warning with no doer of its own told in his words): the act is the words, said when he said them."""
    if frame.type not in _SPOKEN_ACTS:
        return None
    subject = _subject(frame.verb)
    if subject and not all(t.lower_ in ("i", "we") for t in subject):
        return None
    return _claimant(frame, entities) or quoted_by


def _attributing(frame: Frame, quotes: list[Quote] | None, text: str, sentence_start: int) -> str | None:
    """The speaker of the quote a speech verb attributes, when the verb follows the quote's words in its
    own sentence with only a dash, a comma or its subject between ("... - said the politician", "...,"
    the minister added")."""
    at = frame.verb.idx
    for q in quotes or ():
        if q.speaker and q.end > sentence_start and 0 <= at - q.end <= 40 \
                and not re.search(r"[.!?]\s|\n", text[q.end:at]):
            return q.speaker
    return None


def _according(tok) -> bool:
    """Whether ``tok`` is the one an "according to" phrase names."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def _claimant(frame: Frame, entities: list[EntityMention]) -> str | None:
    if frame.attributor is None:
        return None
    got = _actors_in([frame.attributor], entities)
    return got[0] if got else None


def _definite_reference(frame: Frame) -> str | None:
    """The weapon a clause refers back to with "the" ("The drones hit ...", "63 of the drones")."""
    for tok in frame.verb.subtree:
        lem = tok.lemma_.lower()
        if (lem in _WEAPON_NOUNS or lem in ("attack", "strike", "barrage")) and \
                any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in tok.children):
            return _weapon(tok) or lem
    return None


def _mention(doc_id: str, sent: Sentence, k: int, frame: Frame, clause: tuple[int, int], date: TimeExpr | None,
             entities: list[EntityMention], published: str | None, quants: list[Quantity],
             dateline: EntityMention | None = None, quoted_by: str | None = None,
             attributed: str | None = None, occasion: str | None = None, said_at: str | None = None) -> EventMention:
    verb = frame.verb
    subject = _subject(verb)
    source = _actors_in(subject, entities)
    if frame.type == "STATEMENT" and verb.lemma_.lower() in SPEECH:
        # Words are told to someone ("told Fox News", "said to reporters"); where they are written or said
        # ("wrote on Telegram", "said at the summit") is no one they are told to.
        undergoers = [c for c in verb.children if c.dep_ in ("dobj", "dative")] + pobjs(verb, ("to",))
    else:
        undergoers = _args(verb, ("dobj", "nsubjpass", "dative"))
    target = [a for a in _actors_in(undergoers, entities) if a not in source]
    trigger = frame.trigger
    act = next((t for t in subject if t.pos_ == "NOUN" and (t.i == trigger.i or t.lemma_.lower() in NOUNS)), None)
    if act is None and not source and trigger.pos_ == "NOUN":
        act = trigger  # a noun act in a clause whose subject names no one: "sanctions levied by the West could ..."
    if act is not None:
        # An act named as the subject ("The Russian invasion of Ukraine began", "Russia's attack on
        # Ukraine killed ...", "The sanctions imposed on Russia by the EU have hurt ..."): its owner or
        # "by" phrase did it, and what it was "of", "on" or "against" underwent it.
        told = [c for c in act.children if c.dep_ == "acl"]  # "imposed on Russia by the EU"
        doers = _actors_in(_owners(act) + pobjs(
            act, ("by",)) + [g for c in told for g in _args(c, ("nsubj",))], entities)
        if doers:
            source = doers
            undergoers = pobjs(act, ("of", "on", "against")) + [g for c in told for g in pobjs(c, ("on", "against"))]
            target = [a for a in _actors_in(undergoers, entities) + target if a not in doers]
    if not source and frame.type in _ATTACKS:
        # "Five civilians were killed in a Russian strike on Kherson": who struck is the owner of the
        # attack the clause says they died in.
        means = [g for g in pobjs(verb, ("in", "during")) if (noun_type(g) or (None,))[0] in _ATTACKS]
        source = _actors_in([c for g in means for c in _owners(g)], entities)
    if frame.type == "ASSAULT" and _verb_key(verb) in _INTERCEPT:
        # An interception reports someone else's attack: the weapons' owner struck, the interceptor defended.
        owner = _owner(frame, entities)
        if owner:
            source, target = owner, [a for a in source + target if a not in owner]
    if (frame.type == "DEMAND" and frame.trigger.lower_ in ("must", "should") or frame.type == "THREATEN"
            and frame.conditional) and frame.attributor is not None:
        # "Russia must withdraw, Borrell said": the one who says another must act demands it of them; "she
        # said Russia would suffer serious consequences if it invaded": the one who says it threatens.
        said_by = _actors_in([frame.attributor], entities)
        if said_by:
            source, target = said_by, [a for a in source + target if a not in said_by]
    kind = frame.type
    if frame.type == "STATEMENT" and frame.attributor is not None and not (
            source and _according(frame.attributor) and frame.trigger.lower_ != "according"):
        # (A clause with a subject of its own is theirs though "according to" someone else tells it: '"Russia
        # must take real steps," Biden and Scholz agreed in a phone call, according to the German chancellery'.)
        source = _actors_in([frame.attributor], entities)
        # Words are told to someone ("told Fox News"); what a speech noun is made in is no addressee.
        target = [a for a in target if a not in source] if verb.lemma_.lower() in SPEECH else []
        alleged = _alleged(verb, source, entities)
        if alleged:  # "Sandu claimed Russia was planning attacks": an allegation against Russia
            kind, target = "ACCUSE", alleged
    # Words inside a quote are its speaker's, though the quote names them sentences away ("... That is why
    # we ask Ukraine's allies to commit fully ...," Landsbergis posted).
    claimant = _claimant(frame, entities) or quoted_by
    if frame.type in SAYING and claimant is not None:
        # Who tells of words said is not what they are said to or against ("China condemns such behaviour
        # - said Lijian", parsed with Lijian as what is condemned).
        target = [a for a in target if a != claimant]
    if not source and claimant is not None and (any(t.lower_ in ("i", "we") for t in subject) or any(
            c.dep_ == "poss" and c.lower_ in ("my", "our") for c in trigger.children)):
        # '"We will send tanks," Scholz said': who says "I" or "we" is the one who acts, and '"You can count
        # on our full support," stressed von der Leyen': the act the speaker calls "our" or "my" is theirs.
        source = [claimant]
    if not source and frame.type == "MOBILIZE":
        # "About 1,500 Russian troops are stationed in the region": who moves forces is the side they serve.
        source = _actors_in(_args(verb, ("nsubjpass",)), entities)
        target = [a for a in target if a not in source]
    if not subject and claimant is not None and frame.type in _SPOKEN_ACTS:
        # An accusation, demand or warning told in someone's words, naming no doer of its own, is theirs.
        source = [claimant]
    s, e = clause
    others = [m.entity_id for m in entities if m.type in ACTOR_TYPES and s <= m.start < e]
    if frame.type == "STATEMENT" and not source and attributed:
        source = [attributed]  # "... - said the politician": the quote's speaker, as its attribution says
    actors = list(dict.fromkeys(source + target + others))
    status = frame.status
    if status in ("occurred", "reported", "claimed") and date is not None and published and \
            date.precision != "reported" and date.value[:10] > published[:len(date.value)]:
        status = "planned"  # dated after the article: it has not happened yet
    mode = frame.mode
    if frame.type == "ASSAULT" and mode is None:
        weapons = {q.weapon for q in quants if q.weapon}
        mode = "drone" if weapons == {"drone"} else ("missile" if weapons and weapons <= {
            "missile", "ballistic_missile", "cruise_missile", "rocket"} else ("aerial" if weapons else None))
    casualties = sum(q.value for q in quants if q.kind in ("killed", "injured"))
    for q in quants:
        q.claimant = claimant
    return EventMention(
        id=f"{doc_id}:m{sent.index}" + (f".{k}" if k else ""), sentence=sent.index, start=sent.start,
        end=sent.end, text=sent.text, type=kind, trigger=frame.trigger.text, date=date, actors=actors,
        location=_place(frame, clause, sent, entities, dateline, occasion, said_at), quantities=quants,
        keywords=keywords(sent.text.replace(date.text, " ") if date and date.text else sent.text),
        mode=mode, status=status, claimant=claimant, source=source, target=target,
        intensity=intensity(frame.type, status, casualties), sentences=[sent.index],
        clues=describe(frame.trigger, also=_act_words(frame)))


def _alleged(verb, speakers: list[str], entities: list[EntityMention]) -> list[str]:
    """Whom a claim accuses: "claimed" with a "that" clause whose subject names another side than the
    speaker's ("Sandu claimed Russia was planning attacks", "Russia claimed that Ukraine plotted ..."), by
    PLOVER's ACCUSE (allege).  Not a claim about the speaker or their own side ("Russia claims that it is
    ready to talk", "the ministry claimed Russian forces took the town"), and not a claim of something
    ("claimed victory")."""
    if verb.lemma_.lower() != "claim" or not speakers:
        return []
    country = {m.entity_id: m.country for m in entities if m.entity_id}
    sides = {country.get(a) or a for a in speakers}
    accused: list[str] = []
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        subject = [t for t in clause.children if t.dep_ in ("nsubj", "nsubjpass")]
        found = _actors_in(subject, entities)
        if not found or any((country.get(a) or a) in sides for a in found):
            return []
        accused += found
    return accused


def _act_words(frame: Frame) -> list:
    """Other words of the clause that name its act: the verb unless light, and event nouns it takes as
    subject or object."""
    verb = frame.verb
    # A light verb ("held talks", "made a visit") names no act of its own.
    words = [verb] if verb is not frame.trigger and verb.pos_ == "VERB" and verb.lemma_.lower() not in LIGHT else []
    return words + [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")
                    and c.lemma_.lower() in NOUNS and c is not frame.trigger]


def _told_alike(a: str, b: str) -> bool:
    """Whether two statuses may describe one act: the same, or done and reported done."""
    return a == b or {a, b} == {"occurred", "reported"}


def _dated_apart(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    """Whether two acts of one sentence carry different dates of their own ("the massacre at the Munich
    Olympics in 1972, the Madrid bombing of 2004"): two happenings, not one told twice."""
    own = [t for t in (a, b) if t is not None and t.precision != "reported"]
    return len(own) == 2 and own[0].value != own[1].value


def _fold(into: EventMention, extra: EventMention) -> None:
    have = {(q.kind, q.weapon, q.value) for q in into.quantities}
    into.quantities += [q for q in extra.quantities if (q.kind, q.weapon, q.value) not in have]
    if extra.sentence not in into.sentences:
        into.sentences.append(extra.sentence)
    into.actors += [a for a in extra.actors if a not in into.actors]
    if not into.source and extra.source:  # one act told twice: the telling that names its doer says who
        into.source = list(extra.source)
        into.target = [a for a in into.target if a not in into.source]
    into.target += [a for a in extra.target if a not in into.target and a not in into.source]
    if into.location is None:
        into.location = extra.location


def extract_events(doc_id: str, sentences: list[Sentence], timexes: list[TimeExpr],
                   entities: list[EntityMention], parsed, published: str | None = None,
                   non_events: list[NonEvent] | None = None, quotes: list[Quote] = ()) -> list[EventMention]:
    """Every typed act in one document, in text order; a sentence's main act keeps the id ``doc:m<index>``.

    A typed clause that is not an event (``nonevents.reason``: the writer's
    commentary, generic background, boilerplate, a question, a quote
    fragment) makes no mention; it is appended to ``non_events`` with its
    reason when that list is given.  ``quotes`` (with their speakers) make
    the speaker of a quote the claimant of the acts told inside it, and the
    doer of those it tells in the first person; a speech verb right after a
    quote's words ("... - the politician added") is said by its speaker.
    """
    quoted = quote_spans(parsed.text)
    calendar = [c for c in (_as_calendar(t, published) for t in timexes) if c is not None]
    weeks = {t.start for t in timexes if not calendar_value(t)}  # on the calendar only as a month or year
    timex_spans = [(t.start, t.end) for t in timexes]
    events: list[EventMention] = []
    paragraph, paragraph_ref = -1, None
    spoken: dict[str, TimeExpr] = {}  # speaker -> the day the article last dated their words
    spoken_at: dict[str, tuple[str, str | None]] = {}  # speaker -> where and on which day their words were last placed
    # Each sentence looks only at the entities that start in it (in their
    # order), so a long article costs in proportion to its length.
    sentence_starts = [s.start for s in sentences]
    in_sentence: list[list[EntityMention]] = [[] for _ in sentences]
    for m in entities:
        k = bisect.bisect_right(sentence_starts, m.start) - 1
        if k >= 0 and m.start < sentences[k].end:
            in_sentence[k].append(m)
    # Where the story was filed: the place its dateline names ("MINSK, 20 June (BelTA) -").
    dateline = next((m for m in entities if m.type == "place" and m.start < _DATELINE_REACH
                     and dateline_at(parsed.text, m.start, m.end)), None)
    # Without a dateline, a gathering the lead names may set the scene of the story's words (placed below).
    lead = _lead_gathering(parsed, sentences, in_sentence) if dateline is None else None
    gathered_in: set[int] = set()  # sentences referring back to a gathering ("during her speech")
    for sent, sent_entities in zip(sentences, in_sentence):
        if sent.paragraph != paragraph:
            paragraph, paragraph_ref = sent.paragraph, None
        span = parsed.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
            continue  # a heading or a caption: no predicate, no event
        found = frames(span)
        sent_dates = [t for t in calendar if sent.start <= t.start < sent.end]
        found += _dated_acts(span, found, sent_dates)  # a sentence whose clauses name no act may still date one
        if not found:
            continue
        numbers = quantities(span, timex_spans)
        gathered = lead is not None and _at_the_gathering(span)
        if gathered:
            gathered_in.add(sent.index)
        # A statement told beside the act it reports owns none of the figures: "the toll rose to
        # 35 killed, the ministry said" counts the dead of the strike.
        clauses = [set() if f.beside else {t.i for t in f.verb.subtree} for f in found]
        seen_types: dict[str, EventMention] = {}
        actor_starts = [(m.start, m.end) for m in sent_entities if m.type in ACTOR_TYPES]
        dates = [(t.start, t.end) for t in timexes if sent.start <= t.start < sent.end]
        verdicts = [nonevent_reason(nonevent_features(frame, span, quoted, actor_starts, dates)) for frame in found]
        if all(v in ("commentary", "generic", "quote-fragment") for v in verdicts) and \
                main_act(span, actor_starts, quoted="quote-fragment" in verdicts):
            verdicts[0] = None  # the sentence reports an act its typed clauses only give background to
        for k, (frame, why) in enumerate(zip(found, verdicts)):
            if frame.beside and (why is not None or frame.attributor is None):
                continue  # the statement beside an act is a by-product of it: kept only when it is one
            if why is not None:
                if non_events is not None:
                    s, e = _subtree_range(frame.verb)
                    non_events.append(NonEvent(sent.index, parsed.text[s:e], why, frame.type))
                continue
            mine = [q for q, gov in numbers if _owns(k, gov.i, clauses)]
            clause = _subtree_range(frame.verb)
            speaker = _speaker(frame, sent_entities)
            quoted_by = next((q.speaker for q in quotes if q.speaker and q.start <= frame.trigger.idx < q.end), None)
            sayer = speaker or _saying_in_own_words(frame, sent_entities, quoted_by)
            # A day the speaker's own words name ("we need to look back into 2021 when ...") is what they
            # are about, not when a later "said Makei" said them.
            told_in_words = frame.type in SAYING and paragraph_ref is not None and \
                within(quoted, paragraph_ref.start) and not within(quoted, frame.trigger.idx)
            date = _date(frame, sent_dates, None if told_in_words else paragraph_ref, published, spoken.get(sayer))
            attributed = _attributing(frame, quotes, parsed.text, sent.start) if frame.type == "STATEMENT" else None
            said_at = _said_at(frame, sent_entities, dateline) if frame.beside or frame.type in SAYING else None
            mention = _mention(doc_id, sent, k, frame, clause, date, sent_entities, published, mine, dateline,
                               quoted_by, attributed, _same_occasion(spoken_at.get(sayer), date), said_at)
            if sayer and frame.type in SAYING and said_at is not None:
                spoken_at[sayer] = (said_at, date.value if date else None)
            if speaker and date is not None and date.precision == "day" and date.text and \
                    (not published or date.value[:10] <= published[:10]):  # words are said by the time they are told
                spoken[speaker] = date  # "Koffler told Fox News Digital Friday": his later words are Friday's
            if frame.type == "STATEMENT" and not mention.source:
                if non_events is not None and not frame.beside:  # speech by no one we can name says nothing checkable
                    non_events.append(NonEvent(sent.index, parsed.text[clause[0]:clause[1]], "no-speaker", frame.type))
                continue
            same = seen_types.get(frame.type)
            if same is not None and _told_alike(same.status, mention.status) and not _dated_apart(same.date, mention.date):
                # "Trump and Putin ended their summit ... after talks": one act told twice in a sentence;
                # "a strike killed 17, in an attack that officials said targeted the city": told as done and
                # as reported, still one act.
                _fold(same, mention)
                continue
            ref = _definite_reference(frame) if frame.type in ("ASSAULT", "FIGHT") else None
            earlier = _antecedent(events, sent, ref) if ref else None
            if earlier is not None:
                _fold(earlier, mention)
                continue
            events.append(mention)
            seen_types.setdefault(frame.type, mention)
        # A week dates its own clause only: "last week" is no day a later sentence happened on.
        dated = dating.reference(span.root, [t for t in sent_dates if t.start not in weeks])
        if dated:
            paragraph_ref = dated[-1]
    if lead is not None:
        states = {m.entity_id for m in entities if m.type == "state"}
        _set_scene(events, *lead, gathered_in, states)
    return events


def _same_occasion(placed: tuple[str, str | None] | None, date: TimeExpr | None) -> str | None:
    """Where a speaker's words were last placed, for words of theirs on that day or undated: "In a speech
    in February, Nehammer said" is another occasion than the event in Vienna he spoke at on Wednesday."""
    if placed is None or date is not None and date.text and date.value != placed[1]:
        return None
    return placed[0]


def _set_scene(events: list[EventMention], place: str, named_in: int, gathered_in: set[int],
               states: set[str]) -> None:
    """Place words said and talks held that nothing placed at the gathering the lead names, when their
    doer spoke or met in the lead up to that sentence ("Nehammer says ...  The head of the Austrian
    government said this during a solemn event in Vienna") or their sentence refers back to it.  Those
    present are people and bodies: a state the lead has speak ("Russia has warned") is not at a meeting."""
    lead = [ev for ev in events if ev.sentence <= named_in and ev.type in _SAID_WHERE_FILED
            and ev.status in ("occurred", "reported")]
    if not lead:
        return
    present = {a for ev in lead for a in ev.source if a not in states}
    day = lead[0].date.value if lead[0].date else None
    for ev in events:
        if ev.location is not None or ev.type not in _SAID_WHERE_FILED or ev.status in ("planned", "hypothetical"):
            continue
        if ev.date is not None and ev.date.text and ev.date.value != day:
            continue  # "In a speech in February, Mr Putin vowed ...", told of a later inauguration: not there
        if ev.sentence in gathered_in or present & set(ev.source + [ev.claimant]):
            ev.location = place


def _dated_acts(span, found: list[Frame], dates: list[TimeExpr]) -> list[Frame]:
    """Acts a sentence names by a noun with a date of its own, beside the acts of its clauses: "he had been
    told ... in the weeks before Russia's invasion of its neighbour on February 24" also reports the
    invasion, on 24 February.  Only a date inside the noun's own phrase makes it an event: an undated act
    noun is background ("Russia's war in Ukraine")."""
    if not dates:
        return []
    used = {i for f in found for i in (f.trigger.i, f.verb.i)}
    out = []
    for tok in span:
        if tok.pos_ != "NOUN" or tok.i in used or tok.dep_ in ("compound", "amod"):
            continue
        typed = noun_type(tok)
        if typed is None:
            continue
        if dating.noun_date(tok, dates) is not None:
            out.append(Frame(typed[0], typed[1], tok, tok, "occurred", None, nominal=True))
            used.add(tok.i)
    return out


def _owns(k: int, gov: int, clauses: list[set[int]]) -> bool:
    """Whether clause ``k`` of a sentence owns a number governed by token ``gov``.

    The smallest clause holding the governor owns it; a number no clause
    holds goes to the sentence's main clause (``k == 0``).
    """
    holding = [i for i, c in enumerate(clauses) if gov in c]
    if not holding:
        return k == 0
    return k == min(holding, key=lambda i: len(clauses[i]))


def _antecedent(events: list[EventMention], sent: Sentence, ref: str) -> EventMention | None:
    """The recent attack a definite "the drones" or "the attack" points back to."""
    for ev in reversed(events):
        if sent.index - ev.sentences[-1] > 3:
            return None
        if ev.type not in ("ASSAULT", "FIGHT") or ev.status in ("planned", "hypothetical", "denied"):
            continue
        weapons = {q.weapon for q in ev.quantities if q.kind == "launched"}
        if ref in ("attack", "strike", "barrage") or ref in weapons or \
                (ref == "missile" and weapons & {"ballistic_missile", "cruise_missile"}):
            return ev
    return None


__all__ = ["extract_events", "quantities", "keywords"]
