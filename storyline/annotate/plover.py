"""Typing a clause with the PLOVER ontology, read off the spaCy parse.

A clause's type comes from its verb, or, when the verb only carries a noun
("held talks", "imposed a curfew", "staged a hunger strike"), from that noun.
Verbs that frame another action pass the question down ("continued to send
arms" is AID), while verbs that are themselves the act keep it ("threatened to
ban" is THREATEN, "refused to deploy" is REJECT).

Storyline keeps two things apart that PLOVER codes together: what was done
and whether it was done.  "Trump and Putin are set to meet" is a CONSULT
whose status is planned; PLOVER codes the sentence as AGREE, an expressed
intent to meet.  ``plover_code`` folds the status back in for scoring against
PLOVER gold data; the event database keeps the action and its status.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..data import lists, table
from . import typer

COOPERATIVE = {"AGREE", "AID", "CONCEDE", "CONSULT", "COOPERATE", "RETREAT", "SUPPORT"}
HOSTILE = {"ASSAULT", "COERCE", "FIGHT", "MOBILIZE", "PROTEST", "SANCTION", "THREATEN"}

# Conflict-cooperation intensity per type, -10..+10, set in the spirit of
# Goldstein's weights for the CAMEO root codes these types descend from.
INTENSITY = {
    "STATEMENT": 0.0, "REQUEST": 1.0, "CONSULT": 1.5, "INVESTIGATE": -2.0, "DISAPPROVE": -2.5,
    "ACCUSE": -3.0, "SUPPORT": 3.5, "AGREE": 4.0, "REJECT": -4.0, "DEMAND": -5.0, "CONCEDE": 5.0,
    "RETREAT": 5.0, "COOPERATE": 6.0, "THREATEN": -6.0, "PROTEST": -6.5, "AID": 7.0, "MOBILIZE": -7.0,
    "SANCTION": -5.5, "COERCE": -7.0, "ASSAULT": -9.0, "FIGHT": -9.5,
}

def _lexicon() -> tuple[dict, dict, set[str], set[str]]:
    """The PLOVER lexicon from ``storyline/data/plover_lexicon.tsv``: verb lemma -> (type, mode),
    noun lemma -> (type, mode), the dominant verbs and the light verbs.  Read once, at import."""
    verbs: dict[str, tuple[str, str | None]] = {}
    nouns: dict[str, tuple[str, str | None]] = {}
    dominant: set[str] = set()
    light: set[str] = set()
    for n, (part, kind, mode, words) in table("plover_lexicon.tsv"):
        entry = (kind, None if mode == "-" else mode)
        for w in words.split():
            w = w.replace("_", " ")
            if part == "verb":
                verbs[w] = entry
            elif part == "noun":
                nouns[w] = entry
            elif part == "dominant":
                dominant.add(w)
            elif part == "light":
                light.add(w)
            else:
                raise ValueError(f"plover_lexicon.tsv line {n}: unknown part {part!r}")
    return verbs, nouns, dominant, light


# Verb lemma -> (type, mode), a mode of None leaving it to the arguments; the same for nouns that
# name an act, used when the verb is light ("held talks"); verbs whose own meaning is the act whatever
# they govern ("threatened to ban"); verbs that frame another verb or carry a noun, whose type lies
# in what they govern.
VERBS, NOUNS, DOMINANT, LIGHT = _lexicon()

# Which nouns as objects turn a broad verb into a specific act.
WEAPONS = {
    "drone": "drone", "uav": "drone", "shahed": "drone", "missile": "missile", "rocket": "missile",
    "bomb": "aerial", "airstrike": "aerial", "aircraft": "aerial", "jet": "aerial", "warplane": "aerial",
    "helicopter": "aerial", "bomber": "aerial", "artillery": "ground", "shell": "ground", "mortar": "ground",
    "tank": "ground", "troop": "ground",
}
MILITARY = {"artillery", "mortar", "tank", "aircraft", "gunship", "helicopter", "troop", "force", "army",
            "soldier", "rebel", "guerrilla", "militant", "fighter", "warplane", "jet", "gunbattle", "battle",
            "fighting", "clash", "front", "offensive", "shelling"}
_INSPECTORS = {"inspector", "observer", "monitor", "investigator", "expert", "mission"}
_PEOPLE_EVAC = {"wounded", "wound", "injured", "civilian", "refugee", "people", "child", "resident", "sick", "casualty"}
_ENVOYS = {"diplomat", "ambassador", "envoy", "inspector", "worker", "staff", "peacekeeper", "observer"}
_PROTEST_OBJ = {"road", "street", "highway", "bridge", "entrance", "traffic", "railway", "square", "work"}
_MEDIA = {"newspaper", "publication", "broadcast", "paper", "website", "channel", "station", "magazine"}
_FORCES = {"troop", "force", "army", "reservist", "soldier", "police", "unit", "brigade", "battalion"}

_WORD_LISTS = lists("annotate_words.tsv")  # storyline/data/annotate_words.tsv
_QUESTION_OPENERS = frozenset(_WORD_LISTS["question_opener"])
_FIGHTERS = frozenset(_WORD_LISTS["fighter_noun"])
_REPLIES = frozenset(_WORD_LISTS["reply_verb"])
SPEECH = frozenset(_WORD_LISTS["reporting_verb"]) | _REPLIES
CLAIM = frozenset(_WORD_LISTS["claim_verb"])
PLAN = frozenset(_WORD_LISTS["plan_word"])
HEDGE = {"could", "might", "may", "can", "should"}
FUTURE = {"will", "shall", "'ll", "wo"}


@dataclass
class Frame:
    """One typed clause: the act, the words that show it, and what the sentence says of it."""

    type: str
    mode: str | None
    verb: object  # spaCy Token heading the clause
    trigger: object  # spaCy Token that decided the type
    status: str = "occurred"
    attributor: object | None = None  # Token: subject of "said", "claimed", or object of "according to"
    conditional: bool = False  # "unless ...": an ultimatum; or harm promised on a condition (a threat)
    negated: bool = False
    beside: bool = False  # a statement told beside the act it reports ("X said Russia attacked ...")
    nominal: bool = False  # an act a noun names with a date of its own, outside any clause that reports it


_PARTICLES = {"back", "down", "up", "out", "off", "over"}


def phrasal(tok) -> str | None:
    """"shot down", "brought back", "called off": the verb with its particle, or None."""
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt" or c.dep_ == "advmod" and c.lower_ in _PARTICLES),
               None)
    return f"{tok.lemma_.lower()} {prt}" if prt else None


def _lemma(tok) -> str:
    """The verb's lexicon entry: with its particle ("call off") or its preposition ("call for", "call on")
    where the lexicon lists the pair, else the verb alone."""
    both = phrasal(tok)
    if both in VERBS:
        return both
    lem = tok.lemma_.lower()
    for c in tok.children:
        if c.dep_ == "prep" and f"{lem} {c.lower_}" in VERBS and not any(
                g.ent_type_ in ("DATE", "TIME") for g in c.children if g.dep_ == "pobj"):
            return f"{lem} {c.lower_}"  # not "called on Tuesday"
    return lem


def _noun_lemma(tok) -> str:
    lem = tok.lemma_.lower()
    return lem[:-1] if lem.endswith("s") and lem[:-1] in NOUNS else lem


def _objects(verb) -> list:
    """The nouns a verb acts on: direct objects, attributes and prepositional objects."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "dative"):
            out.append(c)
            out.extend(x for x in c.conjuncts)
        elif c.dep_ in ("prep", "agent") and c.lower_ in ("for", "to", "in", "on", "into", "of", "at", "with",
                                                          "against", "over", "as"):
            out.extend(g for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ == "through" and verb.lemma_.lower() in _PUT_THROUGH:
            # "Congress voted through fresh military aid": what a vote puts through is the act decided
            out.extend(g for g in c.children if g.dep_ == "pobj")
    return out


# Nouns that group what their "of" phrase names: "a wave of sanctions" names sanctions.
COLLECTIVE = frozenset(_WORD_LISTS["collective_noun"])
AMOUNTS = frozenset(_WORD_LISTS["amount_noun"])
OCCURRENCE = frozenset(_WORD_LISTS["occurrence"])
WAR_NOUNS = frozenset(_WORD_LISTS["war_noun"])
SPEECH_NOUNS = frozenset(_WORD_LISTS["speech_noun"])
HEDGED = frozenset(_WORD_LISTS["hedge_participle"])
# What a party may promise to make another bear on a condition: a threat (``_conditional_threat``).
CONSEQUENCES = frozenset(_WORD_LISTS["consequence_noun"])
# Hostile acts that, promised on a condition, are threats of them.
_THREATENED = {"ASSAULT", "COERCE", "FIGHT", "SANCTION"}
INTENT_NOUNS = frozenset(_WORD_LISTS["intent_noun"])
# Verbs whose object is an act that did not take place ("avoid sanctions", "avert a strike").
AVERTED = frozenset(_WORD_LISTS["averting_verb"])
# Words that put the act a noun names ahead of the report ("the upcoming summit").
AHEAD = frozenset(_WORD_LISTS["ahead_adjective"])
_INFORMATION = frozenset(_WORD_LISTS["information_noun"])
_NO_AID = frozenset(_WORD_LISTS["given_not_aid"])
_SAYS_NOUN = frozenset(_WORD_LISTS["speech_noun_verb"])
_EXPRESSED = frozenset(_WORD_LISTS["expressed_view"])
# Acts done by words alone: saying them is doing them (dating.py, events.py and below build on this).
SPOKEN = frozenset({"DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE", "THREATEN"})
# What a verb making a speech noun does when it makes one of these ("delivered a warning").
_MADE_BY_WORDS = SPOKEN | {"REJECT"}
ONSET = frozenset(w.replace("_", " ") for w in _WORD_LISTS["onset_verb"])
# Prepositions that give the occasion words were said at ("at a news conference", "during the talks").
_OCCASION = frozenset(_WORD_LISTS["occasion_preposition"])
# Passive verbs whose agent may be the act undergone ("covered by sanctions", "hit by sanctions").
_UNDERGONE = frozenset(_WORD_LISTS["undergone_verb"])
# Verbs that put a measure through a vote ("voted through aid", "pushed through sanctions").
_PUT_THROUGH = frozenset(_WORD_LISTS["put_through_verb"])
# What one attacks with words ("attacked Western policy", "attacked the decision").
_VERBAL_TARGETS = frozenset(_WORD_LISTS["verbal_target"])
# What a warning of them threatens ("warned of consequences", "warned of retaliation").
_HARMS = frozenset(_WORD_LISTS["threatened_harm"])


# What is sent as aid: any act noun the lexicon lists as such, and "help" ("Russia also sent help").
_SENT_AS_AID = frozenset(NOUNS) | {"help"}
# Decisions and measures: blocking one is vetoing it ("blocked the sanctions package").
_MEASURES = frozenset(_WORD_LISTS["measure_noun"])
# Weapons and military equipment: what is sent as military aid ("will send four MiG-29 fighter jets").
_ARMS = frozenset(_WORD_LISTS["arms_noun"])
_GENERIC_HEADS = frozenset(_WORD_LISTS["generic_head"])


def _hyphened(tok):
    """The token before a hyphen glued to ``tok`` ("Moscow" of "Moscow-backed", "non" of "non-recognition"),
    or None."""
    if tok.i < 2:
        return None
    dash = tok.doc[tok.i - 1]
    return tok.doc[tok.i - 2] if dash.text == "-" and not dash.whitespace_ else None


def noun_type(noun) -> tuple[str, str | None] | None:
    """The act a noun names, looking at its compounds too ("hunger strike", "mediation effort"), or through
    a collective noun to what it groups ("a wave of sanctions", "an aid package").  A date names no act
    ("in March"), and a noun after "non-" names its absence ("a policy of non-recognition")."""
    if noun.ent_type_ in ("DATE", "TIME"):
        return None
    prefix = _hyphened(noun)
    if prefix is not None and prefix.lower_ == "non" and not prefix.whitespace_:
        return None
    lem = _noun_lemma(noun)
    if lem in COLLECTIVE:
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        inner = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if inner is not None:
            return noun_type(inner)
        # Or its compound: "a $100m assistance package", "the new sanctions package".
        return next(filter(None, (noun_type(c) for c in noun.children if c.dep_ == "compound")), None)
    mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
    if lem == "strike":
        if mods & {"hunger"}:
            return "PROTEST", "strike-hun"
        if mods & {"general", "labor", "labour", "national", "teacher", "worker", "rail", "day"}:
            return "PROTEST", "strike-gen"
        mode = next((WEAPONS[m] for m in mods if m in WEAPONS), "aerial" if "air" in mods else None)
        return "ASSAULT", mode
    if lem in ("fire",) and not mods & MILITARY and not mods & {"artillery", "rocket", "mortar", "tank"}:
        return None
    if lem == "operation" and mods & {"military", "combat", "ground", "offensive"}:
        return "FIGHT", None  # "a special military operation": a campaign of armed force
    for m in sorted(mods):
        if m in NOUNS and NOUNS[m][0] in ("CONSULT", "PROTEST", "INVESTIGATE", "SANCTION") and lem not in NOUNS:
            return NOUNS[m]
    if lem in NOUNS:
        kind, mode = NOUNS[lem]
        if kind in _DONE_TO_BODIES and any(_is_matter(g) for c in noun.children if c.dep_ == "prep" and
                                           c.lower_ == "of" for g in c.children if g.dep_ == "pobj"):
            return None  # "the release of oil", "a capture of gas": what befell matter
        if kind == "ASSAULT" and mode is None:
            mode = next((WEAPONS[m] for m in mods if m in WEAPONS), None)
        return kind, mode
    return None


def _object_lemmas(verb) -> set[str]:
    """The lemmas of the nouns a verb acts on, and of what an amount of them is ("amounts of troops")."""
    objs = _objects(verb)
    objs += [g for o in objs if o.lemma_.lower() in AMOUNTS for c in o.children if c.dep_ == "prep" and
             c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    # ... and of the noun that says what a generic one is: "Iskander missile systems" are missiles
    kinds = [c for o in objs if o.lemma_.lower() in _GENERIC_HEADS for c in o.children if c.dep_ == "compound"]
    return {_noun_lemma(o) for o in objs + kinds} | {o.lemma_.lower() for o in objs + kinds}


def _partner_free_topic(verb) -> bool:
    """Whether a verb of talking has a topic ("about", "of") and no one to talk with ("with", "to")."""
    preps = {c.lower_ for c in verb.children if c.dep_ == "prep"}
    return bool(preps & {"about", "of"}) and not preps & {"with", "to"} and \
        not any(c.dep_ == "dobj" for c in verb.children)


def _phoned(verb) -> bool:
    """Whether "call" names a phone call: its one object is a named person or state ("Macron called
    Zelensky"), with nothing it is called ("called Putin a killer") or called for."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "xcomp", "ccomp", "attr")]
    return len(objs) == 1 and objs[0].ent_type_ in ("PERSON", "GPE") and \
        not any(c.dep_ == "prt" for c in verb.children)


_CAPTURE = frozenset(w.replace("_", " ") for w in _WORD_LISTS["capture_verb"])
_TERRITORY = frozenset(_WORD_LISTS["territory_noun"])


def _takes_land(verb) -> bool:
    """Whether what a verb of taking takes is land: its object ("seized more areas", "took the territory of
    the factory"), the object of an "over" it was parsed with ("took over 360 square kilometers"), or, in
    the passive, its subject ("the town was taken").  A place's name counts after any of them but a bare
    "take" ("seized Crimea"; not "it took Europe two years")."""
    taken = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ == "over" for g in c.children if g.dep_ == "pobj"]
    named = _lemma(verb) != "take"
    return any(t.lemma_.lower() in _TERRITORY or named and t.ent_type_ in ("GPE", "LOC") and t.pos_ == "PROPN"
               for t in taken)


def _seizes_on(verb) -> bool:
    """Whether a verb of seizing takes nothing but something "on" or "upon" that is no date ("seizing on
    concerns"; not "seized on Monday the town")."""
    if any(c.dep_ == "dobj" for c in verb.children):
        return False
    return any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")
               for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "upon") for g in c.children)


_MATTER = frozenset(_WORD_LISTS["matter_noun"])
# What part of something a number or word takes: "75% of the oil", "half of the oil" (annotate_words.tsv).
_PARTS = frozenset(_WORD_LISTS["part_noun"])
# "asked not to be named / identified / quoted": the words of a source kept anonymous (annotate_words.tsv).
_UNNAMED_SOURCE = frozenset(_WORD_LISTS["anonymity_verb"])
_MEASURE_UNITS = frozenset(lists("counted_nouns.tsv")["measure"])
# Acts done to people, forces and places: never to matter ("capture the spilled oil").
_DONE_TO_BODIES = frozenset({"ASSAULT", "FIGHT", "RETREAT"})
# What "capture" draws or records rather than takes (annotate_words.tsv).
_RECORDED = frozenset(_WORD_LISTS["captured_not_taken"])
# Quantities, which reach and hit figures but attack no one (annotate_words.tsv).
_QUANTITIES = frozenset(_WORD_LISTS["quantity_noun"])
# Acts someone does: matter does none of them ("the slick killed the marine life").
_DONE_BY_ACTORS = frozenset({"ASSAULT", "FIGHT", "THREATEN", "COERCE"})


def _is_matter(noun) -> bool:
    """Whether a noun names matter: a substance ("oil", "gas"), a part or measure of one ("75% of the oil",
    "5,000 barrels of oil"), or a measure of volume or weight alone ("1,000 barrels a day"; not "360 square
    kilometers", which is land)."""
    lem = noun.lemma_.lower()
    if lem in _MATTER:
        return True
    if lem in _MEASURE_UNITS or lem in AMOUNTS or lem in _PARTS:
        of = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if of:
            return all(map(_is_matter, of))
        return lem in _MEASURE_UNITS and lem not in _TERRITORY
    return False


def _acts_on_matter(verb) -> bool:
    """Whether all a verb acts on is matter: its objects, or, with none, those of the next verb coordinated
    after it, which it shares ("attack and capture the spilled oil")."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if not objs:
        after = sorted((v for v in verb.conjuncts if v.i > verb.i and v.pos_ == "VERB"), key=lambda v: v.i)
        objs = next(([c for c in v.children if c.dep_ == "dobj"] for v in after
                     if any(c.dep_ == "dobj" for c in v.children)), [])
    objs += [c for o in objs for c in o.conjuncts]
    return bool(objs) and all(map(_is_matter, objs))


def verb_type(verb) -> tuple[str, str | None] | None:
    """The act a verb names by itself, refined by its objects where the verb is broad; violence, fighting
    and setting free done to matter alone are none of them."""
    found = _verb_type(verb)
    if found and found[0] in _DONE_TO_BODIES and _acts_on_matter(verb):
        return None
    if found and found[0] in _DONE_BY_ACTORS and any(_is_matter(t) or t.lemma_.lower() in _QUANTITIES
                                                     for t in _doers(verb)):
        # "the massive slick killed most of the marine life", "the spill is threatening Florida", "oxygen
        # levels had hit a sweet spot": matter and quantities do no violence
        return None
    return found


def _doers(verb) -> list:
    """A verb's subjects, or, for a verb joined to another with none of its own, that verb's ("the spill has
    reached Louisiana and is now threatening Florida")."""
    while True:
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if subj or verb.dep_ != "conj" or verb.head.i == verb.i:
            return subj
        verb = verb.head


def _verb_type(verb) -> tuple[str, str | None] | None:
    lem = _lemma(verb)
    objs = _object_lemmas(verb)
    if lem == "blow up" and not any(c.dep_ in ("dobj", "nsubjpass", "auxpass", "agent") for c in verb.children):
        return VERBS.get("explode")  # "the rig that blew up": it exploded; no one blew anything up
    if lem == "capture" and (objs & _RECORDED or any(
            g.lemma_.lower() in _RECORDED for c in verb.children if c.dep_ == "prep" and c.lower_ == "on"
            for g in c.children if g.dep_ == "pobj")):
        return None  # "captured front pages around the world", "captured on camera": drew or recorded, took nothing
    if lem == "demonstrate" and any(c.dep_ in ("dobj", "ccomp") for c in verb.children):
        return None  # "to demonstrate its control", "demonstrated that it works": shown, not a protest
    if lem == "charge" and any(g.tag_ == "VBG" for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"
                               for g in c.children if g.dep_ in ("pobj", "pcomp")):
        return None  # "would be charged with inspecting oil rigs": given a task, not accused
    if lem == "ask" and any(c.dep_ == "xcomp" and c.lemma_.lower() in _UNNAMED_SOURCE and
                            any(g.dep_ == "neg" for g in c.children) for c in verb.children):
        return None  # "who asked not to be named": how a source is kept anonymous, no request told
    if lem in ("evacuate",):
        return ("AID", "humanitarian") if objs & _PEOPLE_EVAC else ("RETREAT", None)
    if lem == "recall" and not objs:
        return None  # "Kwasniewski recalls, Putin told him ...": remembering aloud is saying
    if lem == "call" and _phoned(verb):
        return "CONSULT", "phone"  # "Scholz called Putin on Monday"
    if lem in ("recognize", "recognise", "insist") and _tells_a_fact(verb):
        # "recognized that Brazil suffered", "insisted that there are no good guys": said to be so; not
        # recognising a state or insisting that someone act
        return "STATEMENT", None
    if lem in _UNDERGONE:
        by = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        undergone = next((t for t in map(noun_type, by) if t), None)
        if undergone:
            return undergone  # "were hit by new sanctions": the sanctions are the act
    if lem == "warn" and not _warns_of_harm(verb):
        return "STATEMENT", None  # "warned that Minsk is testing its readiness": telling, not threatening
    if lem in ("swear", "vow") and any(c.dep_ == "ccomp" for c in verb.children) and not _warns_of_harm(verb):
        return "STATEMENT", None  # "swears that he is talented": an oath that something is so says it
    if lem in ("talk", "speak") and _partner_free_topic(verb):
        return "STATEMENT", None  # "talked about disinformation": speaking of something, no talks with anyone
    if VERBS.get(lem, (None,))[0] == "REJECT" and any(NOUNS.get(o, (None,))[0] in ("ASSAULT", "FIGHT") for o in objs):
        return "FIGHT", None  # "rebuffed Ukraine's counteroffensive": an attack is repelled, not refused
    if lem in ("release", "give", "provide", "send", "deliver", "hand over") and objs & _INFORMATION:
        return None  # "released confidential documents", "gave a readout": published or told, not set free or aid
    if lem in ("withdraw", "pull out", "recall", "ship out"):
        return ("SANCTION", "expel") if objs & _ENVOYS else ("RETREAT", None)
    if lem in ("suspend", "halt", "stop", "cut", "freeze"):
        if objs & _MEDIA:
            return "COERCE", "censor"
        if objs & (WAR_NOUNS | {"fighting", "offensive", "advance"}):
            return None  # "striving to freeze the war", "halt the offensive": no penalty on anyone
        if objs & {"talk", "negotiation", "relation", "tie", "aid", "link", "cooperation", "delivery",
                   "program", "programme", "assistance", "contact", "flight", "trade"} or lem != "stop":
            return "SANCTION", None
        return None
    if lem in ("seize", "grab", "pounce") and _seizes_on(verb):
        return None  # "are seizing on concerns about an offensive": making use of something, no seizure
    if lem == "call up" and objs & (_FORCES | _FIGHTERS):
        return "MOBILIZE", "troops"  # "is calling up more soldiers", "called up 300,000 reservists"
    if lem in ("move", "redeploy", "station", "relocate", "place", "position") and objs & _FORCES:
        return "MOBILIZE", "troops"  # "moved 3,000 troops to Poland", "has placed 1,000 troops in the region"
    if lem in ("send", "dispatch", "deploy"):
        if objs & _INSPECTORS:
            return "INVESTIGATE", None
        if objs & _FORCES:
            return "MOBILIZE", "troops"
        if lem == "deploy" and objs & _ARMS:
            return "MOBILIZE", "weapons"  # "deployed tactical nuclear weapons to Belarus": its own, put in place
        return ("AID", "military") if objs & _ARMS else \
            (("AID", None) if lem == "send" and objs & _SENT_AS_AID else None)
    if lem == "recruit":  # "recruiting mercenaries", not "recruit Ukraine as a NATO member"
        return ("MOBILIZE", "troops") if objs & (_FORCES | _FIGHTERS) else None
    if lem in ("mobilize", "mobilise"):
        return ("MOBILIZE", "troops") if objs & _FORCES else ("SUPPORT", None)
    if lem == "block":
        if objs & _MEASURES:
            return "REJECT", None  # "Hungary blocked a new package of sanctions": a veto, not a blockade
        return ("PROTEST", "obstruct") if objs & _PROTEST_OBJ else ("COERCE", "restrict")
    if lem == "violate":
        words = {t.lemma_.lower() for o in _objects(verb) for t in o.subtree}
        return ("FIGHT", "other") if words & {"ceasefire", "cease-fire", "truce", "airspace"} else ("REJECT", None)
    if lem == "hold":
        if objs & {"hostage", "shield", "captive", "prisoner"}:
            return "COERCE", "detain"
        return None
    if objs & {"control"} and lem in ("take", "seize", "gain", "claim", "capture", "establish", "assume", "regain"):
        return "FIGHT", "ground"
    if lem in _CAPTURE and _takes_land(verb):
        return "FIGHT", "ground"  # "took over 360 square kilometers", "wrested control of swathes of the east"
    if lem == "throw" and objs & {"stone", "rock", "molotov", "petrol"}:
        return "PROTEST", "riot"
    if lem in ("launch", "fire"):
        if objs & {"drone", "uav", "shahed"}:
            return "ASSAULT", "drone"
        if objs & {"missile", "rocket"}:
            return "ASSAULT", "missile"
        if objs & {"artillery", "mortar", "shell"}:
            return "FIGHT", "heavy-weapons"
        return None
    if lem in ("shoot down", "intercept", "down") or (lem == "destroy" and objs & WEAPONS.keys()):
        weapon = next((WEAPONS[o] for o in sorted(objs) if o in WEAPONS), None)
        return "ASSAULT", weapon
    if lem in ("attack", "assail", "hit out") and objs & _VERBAL_TARGETS:
        return "DISAPPROVE", None  # "attacked Western policy": words against words or deeds, not a strike
    if lem in ("kill", "wound", "injure", "attack", "hit", "strike", "target"):
        sent = verb.sent
        words = {t.lemma_.lower() for t in sent}
        subj = {t.lemma_.lower() for c in verb.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
        if words & {"gunbattle", "battle", "fighting", "clash", "shelling"} or subj & {"aircraft", "gunship",
                                                                                       "artillery", "tank"}:
            return "FIGHT", "heavy-weapons" if subj & {"aircraft", "gunship", "artillery", "tank"} else "other"
        mode = next((WEAPONS[w] for w in sorted(subj | words) if w in WEAPONS), None)
        if words & {"suicide"}:
            mode = "suicide-attack"
        return "ASSAULT", mode
    if lem == "give" or lem == "grant" or lem == "provide":
        if objs & {"asylum"}:
            return "AID", "asylum"
        if objs & {"concession"}:
            return "CONCEDE", None
        if objs & _NO_AID:
            return None  # "gave Russia a pretext", "will give Ukraine leverage": nothing handed over
        return "AID", _aid_mode(verb)
    if lem in VERBS:
        kind, mode = VERBS[lem]
        if kind == "AID":
            mode = _aid_mode(verb)
        return kind, mode
    return None


def consult_mode(verb) -> str | None:
    """Summit, phone call, visit or multilateral meeting, from the words of the clause (or sentence)."""
    words = {t.lemma_.lower() for t in verb.subtree if t.pos_ != "VERB"}  # "called the talks productive"
    if words & {"summit"}:
        return "summit"
    if words & {"phone", "telephone", "call", "video", "videoconference"}:
        return "phone"
    if words & {"conference", "forum", "multilateral", "assembly", "council"}:
        return "multilateral"
    if words & {"visit", "trip", "host", "travel", "arrive", "tour"}:
        return "visit"
    return None


def _aid_mode(verb) -> str | None:
    words = {t.lemma_.lower() for t in verb.subtree}
    if words & {"arm", "weapon", "military", "ammunition", "tank", "missile", "air-defense", "defense"}:
        return "military"
    if words & {"food", "medicine", "humanitarian", "medical", "shelter", "water", "refugee", "relief"}:
        return "humanitarian"
    if words & {"loan", "grant", "fund", "dollar", "euro", "budget", "economic", "financial", "money"}:
        return "economic"
    return None


def _complements(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "advcl") and c.pos_ in ("VERB", "AUX")
            and (c.dep_ != "advcl" or any(m.lower_ == "to" for m in c.children if m.dep_ == "aux"))]


_COPULAS = frozenset({"be", "become", "remain"})
_DANGER_VERBS = frozenset(_WORD_LISTS["danger_verb"])


def _called_so(o, verb) -> bool:
    """Whether a noun with an article is only what a named subject is called ("US support for Ukraine is a
    threat", "victory is the only guarantee"); "there were protests" and "it was a series of demands" have
    no such subject and report acts."""
    subjects = [*verb.children, *(verb.head.children if verb.dep_ == "conj" else ())]
    return o.dep_ == "attr" and verb.lemma_.lower() in _COPULAS and any(c.dep_ == "det" for c in o.children) \
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in subjects)


def _typed_noun(verb):
    for o in _objects(verb):
        t = noun_type(o)
        if t and t[0] not in ("FIGHT", "ASSAULT") and _called_so(o, verb):
            continue  # a fight or attack named so still happened ("its last war was an invasion of Vietnam in 1979")
        if t and t[0] == "THREATEN" and verb.lemma_.lower() in _DANGER_VERBS:
            continue  # "poses a threat to Ukraine", "sees Nato as a threat": a danger, not a threat made
        if t:
            return o, t
        for c in o.children:  # "a declaration demanding ...", "a mission of observers"
            if c.dep_ == "acl" and c.pos_ == "VERB" and (typed := verb_type(c)):
                return c, typed
    return None


def resolve(verb, depth: int = 0) -> tuple[str, str | None, object] | None:
    """(type, mode, trigger token) of the act a verb's clause reports, or None."""
    if depth > 4:
        return None
    lem = _lemma(verb)
    own = verb_type(verb)
    comps = _complements(verb)
    if own and own[0] == "AGREE" and lem == "agree" and _agrees_with_a_view(verb):
        # PLOVER's AGREE is agreeing to act or to a settlement; agreeing with a view is saying something.
        return "STATEMENT", None, verb
    if own and own[0] == "REQUEST" and _asks_a_question(verb):
        # "asked how anyone could justify the atrocities", "asked whether Russia would withdraw": PLOVER's
        # REQUEST asks for something; a question put is words said.
        return "STATEMENT", None, verb
    if own and lem in _SAYS_NOUN and says_words(verb):
        return None  # "delivered his remarks", "issued a statement": words said, not the verb's own act
    if lem in _SAYS_NOUN:
        # "delivered a warning", "issued an ultimatum", "made an appeal": the act is the words made.
        for o in (c for c in verb.children if c.dep_ == "dobj"):
            said = noun_type(o)
            if said and said[0] in _MADE_BY_WORDS:
                return said[0], said[1], o
    if lem == "agree" and own:
        # "the EU agreed to impose sanctions", "agreed new sanctions": a decision to sanction is the sanction
        agreed = [resolve(c, depth + 1) for c in comps if c.dep_ == "xcomp"]
        agreed += [(t[0], t[1], o) for o in (c for c in verb.children if c.dep_ == "dobj") if (t := noun_type(o))]
        inner = next((a for a in agreed if a and a[0] == "SANCTION"), None)
        if inner:
            return inner
    if lem in DOMINANT and own:
        # "threatened to launch an offensive": the threat is the act.
        return own[0], own[1] or _inner_mode(comps, depth), verb
    if own and lem not in LIGHT:
        return own[0], own[1], verb
    inner = _through(verb, lem, [c for c in comps if c.dep_ == "xcomp"], depth)
    if inner:
        return inner
    noun = _typed_noun(verb)
    if noun and noun[1][0] == "CONSULT" and noun[0].dep_ == "pobj" and noun[0].head.lower_ in _OCCASION and \
            noun[0].head.head.i == verb.i and says_words(verb):
        # "told reporters at a news conference", "made the comment in a press conference": the meeting is
        # where the words were said; the act is saying them.
        noun = None
    if noun:
        tok, (kind, mode) = noun
        if lem == "lodge" and kind == "PROTEST":
            return "DISAPPROVE", None, tok
        if lem in ("order",) and kind == "MOBILIZE":
            return "MOBILIZE", "police" if "police" in {t.lower_ for t in tok.subtree} else mode, tok
        if kind == "AID" and mode is None:
            mode = _aid_mode(verb)
        return kind, mode, tok
    if lem in LIGHT:
        inner = _through(verb, lem, [c for c in comps if c.dep_ != "xcomp"], depth)
        if inner:
            return inner
    if own:
        return own[0], own[1], verb
    if lem in ("receive", "allow", "admit") and _object_lemmas(verb) & (_INSPECTORS | {"peacekeeper", "access"}):
        return "RETREAT", "access", verb
    if lem in ONSET or phrasal(verb) in ONSET:  # "On February 24, the war began", "Putin declared war"
        war = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and
                    _noun_lemma(c) in WAR_NOUNS), None)
        if war is not None:
            return "FIGHT", None, war
    for c in verb.children:  # "The summit ... ended without a deal", "The strike came as ..."
        if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"):
            named = noun_type(c)
            if named:
                return named[0], named[1], c
    for c in verb.children:  # "shunned work to protest", "converging for a rally to protest"
        if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c not in comps:
            inner = resolve(c, depth + 1)
            if inner and inner[0] == "PROTEST":
                return inner
    return None


def _asks_a_question(verb) -> bool:
    """Whether a verb's complement is an indirect question: a clause opened by a wh-word ("how", "why",
    "what") or by "whether"/"if" (``question_opener`` in annotate_words.tsv)."""
    for c in verb.children:
        if c.dep_ == "ccomp":
            first = c.left_edge
            if first.tag_ in ("WRB", "WP", "WP$", "WDT") or first.lower_ in _QUESTION_OPENERS:
                return True
    return False


def _tells_a_fact(verb) -> bool:
    """Whether a verb's only complement is a "that" clause saying what is or was so: indicative, with no
    modal of obligation ("insisted that there are no good guys"; not "insisted that Russia withdraw" or
    "that Kyiv must negotiate")."""
    kids = list(verb.children)
    if any(c.dep_ in ("dobj", "xcomp") or c.dep_ == "prep" and c.lower_ == "on" for c in kids):
        return False
    that = [c for c in kids if c.dep_ == "ccomp"]
    return bool(that) and all(c.tag_ in ("VBZ", "VBP", "VBD", "VBN") and not (_aux(c) & {
        "must", "should", "need", "would", "will", "shall"}) and c.tag_ != "VB" for c in that)


def _warns_of_harm(verb) -> bool:
    """Whether a warning is a threat, as PLOVER's THREATEN has it (warning of consequences): it is told
    to someone ("warned Moscow that ...", "warns the US against ..."), names consequences ("warned of
    retaliation"), or says what will or would happen, or on a condition ("warned that they would not
    remain indifferent").  A warning that something is so or may be so ("warned that Minsk is testing
    its combat readiness", "warned of a split") tells it."""
    kids = list(verb.children)
    if any(c.dep_ in ("dobj", "dative") for c in kids) or any(c.dep_ == "prep" and c.lower_ == "against"
                                                              for c in kids):
        return True
    if any(c.dep_ == "prep" and c.lower_ == "of" and any(g.lemma_.lower() in _HARMS for g in c.children)
           for c in kids):
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and (_aux(c) & (FUTURE | {"would"}) or _on_condition(c))
               for c in kids)


def _agrees_with_a_view(verb) -> bool:
    """"agreed with that assessment", "agrees that the war was a mistake": no act agreed to (no "to ...",
    "on ...", object or settlement, and a "that" clause telling no future act)."""
    kids = list(verb.children)
    if any(c.dep_ in ("xcomp", "dobj", "nsubjpass", "auxpass") or c.lower_ in ("on", "to", "upon") for c in kids):
        return False  # "agreed to a ceasefire", "a corridor has been agreed on": something was agreed
    with_ = any(c.dep_ == "prep" and c.lower_ == "with" for c in kids)
    that = [c for c in kids if c.dep_ == "ccomp"]
    if any(a.lower_ in ("will", "would", "shall", "'ll") for c in that for a in c.children if a.dep_ == "aux"):
        return False  # "agreed that prisoners would be exchanged": a settlement
    return with_ or bool(that)


def _through(verb, lem: str, comps: list, depth: int) -> tuple[str, str | None, object] | None:
    """The act a framing verb governs, with the few frames that change it."""
    for c in comps:
        inner = resolve(c, depth + 1)
        if inner:
            if lem == "prepare" and inner[0] in ("FIGHT", "ASSAULT"):
                return "MOBILIZE", "weapons", verb
            if lem == "order" and inner[0] not in ("COERCE", "MOBILIZE", "SANCTION"):
                return "DEMAND", None, verb
            if lem == "fail" and inner[0] in COOPERATIVE:
                return "REJECT", None, verb
            return inner
    return None


def _inner_mode(comps, depth) -> str | None:
    for c in comps:
        inner = resolve(c, depth + 1)
        if inner and inner[1]:
            return inner[1]
    return None


# -- status ----------------------------------------------------------------

def _aux(verb) -> set[str]:
    """The auxiliaries of a verb; a verb joined to another with neither subject nor auxiliary of its own
    shares that one's ("Russia must de-escalate, withdraw its forces and stop ...": "must withdraw")."""
    own = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if own or verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX") or \
            any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return own
    return _aux(verb.head)


def _is_negated(verb) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if verb.dep_ == "pcomp" and verb.head.lower_ == "without":  # "ended the summit without announcing a ceasefire"
        return True
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and any(d.lower_ in ("no", "never") for d in c.children
                                                                   if d.dep_ == "det") for c in verb.children)


def _condition_marks(verb) -> set[str]:
    """The words that open the adverbial clauses of a clause ("if", "unless", "when", ...)."""
    return {m.lower_ for c in verb.children if c.dep_ == "advcl" for m in c.children if m.dep_ == "mark"}


def _is_conditional(verb) -> bool:
    return "unless" in _condition_marks(verb)


def _on_condition(verb) -> bool:
    """Whether a clause is promised on a condition: an "if" or "unless" clause of its own, or "in the event
    of" / "in case of" ("relations will be severed if ...", "can use nuclear weapons in the event of
    aggression")."""
    return bool(_condition_marks(verb) & {"if", "unless"}) or any(
        c.dep_ == "prep" and c.lower_ == "in" and any(
            g.dep_ == "pobj" and g.lemma_.lower() in ("event", "case") and
            any(x.dep_ == "prep" and x.lower_ == "of" for x in g.children) for g in c.children)
        for c in verb.children)


def _own_side(verb) -> bool:
    """Whether a clause's doer is the one who speaks: a first-person subject ("we will strike if ..."), or a
    passive naming no agent ("relations will be severed if ...")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(c.dep_ == "nsubj" for c in subjects):
        return any(c.lower_ in ("we", "i") for c in subjects)
    return not any(c.dep_ == "agent" for c in verb.children)


def _conditional_threat(verb) -> bool:
    """Whether a clause is still to come, and only on a condition ("will be severed if ...", "would
    suffer serious consequences if ..."): harm promised so is a threat, by the guidelines' definition."""
    return bool(_aux(verb) & (FUTURE | HEDGE | {"would"})) and _on_condition(verb)


def _is_hypothetical(verb) -> bool:
    if _aux(verb) & HEDGE:
        return True
    return any(m.lower_ in ("if", "unless") for m in verb.children if m.dep_ == "mark")


# Words that open a clause of time ("when they meet", "once the talks begin").
_TIME_MARKS = frozenset({"when", "once", "until", "till", "after", "before", "whenever"})


def _is_future(verb) -> bool:
    aux = _aux(verb)
    if aux & FUTURE or ("would" in aux):
        return True
    # "the breakthrough will come when all three leaders meet": a time clause of a future clause
    if verb.dep_ == "advcl" and _aux(verb.head) & (FUTURE | {"would"}) and not aux and any(
            m.dep_ in ("mark", "advmod") and m.lower_ in _TIME_MARKS for m in verb.children):
        return True
    # "a pretext to impose sanctions", "a plan to storm the city": an aim, not yet a deed
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in INTENT_NOUNS and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True
    # "are set to meet", "plans to visit", "is willing to withdraw", "agreed to share"
    if verb.dep_ not in ("xcomp", "ccomp", "acomp"):
        return False
    head = verb.head
    for _ in range(3):
        if head.lemma_.lower() in PLAN or head.lower_ in PLAN:
            return True
        if any(c.dep_ == "acomp" and c.lower_ in PLAN for c in head.children):
            return True
        if head.pos_ != "ADJ" or head.head.i == head.i:
            return False
        head = head.head
    return False


def _according_to(sent):
    """The source an "according to X" names, as the token heading X."""
    for c in sent:
        if c.lower_ == "according" and c.i + 1 < len(c.doc) and c.nbor(1).lower_ == "to":
            return next((g for g in c.nbor(1).children if g.dep_ == "pobj"), None)
    return None


def status_of(verb, saying: bool = False) -> tuple[str, object | None]:
    """What the sentence says of the act headed by ``verb``, and who says it.  With ``saying`` the verb
    itself says words ("Blinken warned that everything he saw suggested ..."): a speech verb inside
    what it says reports within those words and does not attribute the saying."""
    attributor, claimed, denied = None, False, False
    node = verb
    # Walk up through speech verbs: "Russia claimed it destroyed ...", "... officials said".
    while node.dep_ in ("ccomp", "xcomp", "conj", "advcl") and node.head.i != node.i:
        head = node.head
        hl = head.lemma_.lower()
        # "Russia claimed it destroyed ...", and "Russia reported intercepting ..." (xcomp)
        if node.dep_ in ("ccomp", "xcomp") and hl in SPEECH:
            subjects = ("nsubj", "nsubjpass") if node.dep_ == "ccomp" else ("nsubj",)
            attributor = attributor or next((c for c in head.children if c.dep_ in subjects), None)
            claimed = claimed or hl in CLAIM
            denied = denied or (hl == "deny" and node.dep_ == "ccomp")
        node = head
    if attributor is None:
        attributor = _according_to(verb.sent)
    # A sentence led by "X said" whose ccomp is the act; also "said" as root with the act as its ccomp.
    if attributor is None and verb.dep_ == "ROOT" and not saying:
        for c in verb.children:
            if c.dep_ in ("ccomp", "parataxis") and c.lemma_.lower() in SPEECH:
                attributor = next((g for g in c.children if g.dep_ == "nsubj"), None)
    if verb.lemma_.lower() == "claim" and attributor is None:  # "Russian forces claimed control of ..."
        attributor, claimed = next((c for c in verb.children if c.dep_ == "nsubj"), None), True
    if _is_negated(verb) or denied:
        return "denied", attributor
    if _is_hypothetical(verb):
        return "hypothetical", attributor
    if _is_future(verb):
        return "planned", attributor
    if claimed:
        return "claimed", attributor
    if attributor is not None:
        return "reported", attributor
    return "occurred", None


# -- the clauses of a sentence ----------------------------------------------

def _clause_verbs(sent) -> list:
    """Clause heads in the order a reader meets them, top clause first."""
    verbs = [t for t in sent if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT"]
    return sorted(verbs, key=lambda t: (_depth(t), t.i))


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def frames(sent, learned: bool = True) -> list[Frame]:
    """Every typed act a sentence reports; the sentence's main act first.

    The lexicon finds the clauses and proposes a type for each; with ``learned`` (and the model
    installed) the learned typer (``typer``) types the clauses the lexicon names no act for (words
    said, or none), as ``typer.decide`` says.  ``learned=False`` gives the lexicon's answer alone.
    """
    out: list[Frame] = []
    taken: set[int] = set()
    for verb in _clause_verbs(sent):
        if verb.i in taken or (verb.dep_ == "amod" and verb.lower_ in HEDGED):
            continue  # "alleged leaks" names no act
        if verb.dep_ == "amod" and verb.head.pos_ == "NUM":
            continue  # "one was killed and two more injured": says what befell those counted, no act of its own
        if verb.dep_ == "amod" and _hyphened(verb) is not None:
            continue  # "the Moscow-backed separatists", "Russian-occupied Crimea": what the noun is, no act told
        got = resolve(verb)
        clause = _clause(got[2], verb) if got else verb
        aux = _aux(clause)
        threat = False
        consequence = None if got else next(
            (c for c in clause.children if c.dep_ == "dobj" and c.lemma_.lower() in CONSEQUENCES), None)
        if consequence is not None and _conditional_threat(clause):
            # "the US will impose unprecedented costs on this country if Russia continues the invasion"
            got, threat = ("THREATEN", None, consequence), True
        elif got and got[0] in _THREATENED and _conditional_threat(clause) and _own_side(clause):
            # "relations will be severed if its forces cross the border"; not "Zelensky said that if Russia
            # won, it could invade Poland", a warning of what another would do
            got, threat = ("THREATEN", None, got[2]), True
        if not got and "must" not in aux and "should" not in aux and not _idiom_rejects(clause):
            continue  # untyped, and neither a modal nor an idiom below can type it
        status, who = status_of(clause, saying=bool(got) and got[0] == "STATEMENT" and got[2].i == clause.i)
        if status == "denied" and _presupposed(got[2] if got else None, clause):
            # Not the act's negation; its verb's tense and modality still are the act's.
            status = "hypothetical" if _is_hypothetical(clause) else "planned" if _is_future(clause) else \
                "reported" if who is not None else "occurred"
        if "must" in aux or ("should" in aux and who is not None):
            # "Sudan must return the helicopter": what one party says another must do is a demand.
            # (the modal of the clause, or the clause itself when it shares the modal of the verb it is joined to)
            got = ("DEMAND", None, next((c for c in clause.children if c.lower_ in ("must", "should")), clause))
            status = "reported" if who is not None else "occurred"
        elif _idiom_rejects(clause):
            got = ("REJECT", None, clause)
        if not got:
            continue
        kind, mode, trigger = got
        if trigger.i != clause.i and _lemma(clause) in AVERTED and status != "denied":
            status = "hypothetical"  # "to avoid tougher sanctions", "averted a strike": it did not happen
        elif trigger.pos_ == "NOUN" and trigger.head.pos_ not in ("VERB", "AUX") and status in ("occurred", "reported") \
                and any(c.dep_ in ("amod", "compound") and c.lower_ in AHEAD for c in trigger.children):
            status = "planned"  # "on the upcoming NATO summit": still to come ("launched the planned offensive" was done)
        if kind == "CONSULT" and mode is None:
            mode = consult_mode(clause) or consult_mode(sent.root)
        frame = Frame(kind, mode, clause, trigger, status, who, threat or _is_conditional(clause), _is_negated(clause))
        # A threat's condition is an act of its own ("if Russia continues the invasion"), not the threat's.
        condition = {t.i for c in clause.children if threat and c.dep_ == "advcl" for t in c.subtree}
        for t in verb.subtree:
            if t.pos_ in ("VERB", "AUX") and t.i != verb.i and t.lemma_.lower() not in SPEECH \
                    and t.i not in condition:
                # Verbs inside this act's clause belong to it, except acts of their own (``_act_apart``)
                # and what a speech verb inside it reports.
                if _act_apart(t, verb, kind):
                    continue
                if t.dep_ == "ccomp" and t.head.lemma_.lower() in SPEECH and t.head.i != trigger.i:
                    continue
                taken.add(t.i)
        taken.add(verb.i)
        out.append(frame)
    statement = _statement(sent)
    if statement is not None and any(statement.trigger.i in (f.verb.i, f.trigger.i) for f in out):
        statement = None  # the speech verb is itself the act ("accused", "warned"): no second event
    if learned:
        _retype(out)  # the acts the lexicon found; a bare saying is a statement by definition
    if not out:
        return [statement] if statement is not None else []
    out = _main_first(out)
    # Saying is an act of its own: "Zelenskyy said Russia had attacked Kharkiv" reports the attack (as
    # Zelenskyy's claim) and Zelenskyy's statement.  The statement goes last: the sentence's main act is
    # what was said to happen.
    if statement is not None:
        statement.beside = True
        out.append(statement)
    return out


def _act_apart(t, verb, kind: str) -> bool:
    """Whether a verb inside the clause of an act of ``kind`` headed by ``verb`` reports an act of its own,
    of another kind: a conjoined act; a clause with a doer of its own ("Although Belgrade condemned the
    aggression, it refused to join the sanctions"), but not what a relative clause says of an act ("a strike
    that killed 17 people": the strike killed); a participle that does a verbal act by the same doer ("Tinkov
    blasted the war, calling on the West to do more")."""
    conjoined = t.dep_ == "conj" and t.head.i == verb.i
    own_doer = t.dep_ in ("advcl", "relcl") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) \
        and not (t.dep_ == "relcl" and noun_type(t.head) is not None)
    participle = t.dep_ == "advcl" and t.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in t.children)
    if not (conjoined or own_doer or participle):
        return False
    other = resolve(t)
    if not other or other[0] == kind:
        return False
    return conjoined or own_doer or other[0] in SPOKEN and other[2].i == t.i


def _retype(found: list[Frame]) -> None:
    """Set each frame's type to the learned typer's; a type it keeps keeps its mode (and the
    lexicon's finer ACCUSE or REQUEST, which the model folds into DISAPPROVE and DEMAND)."""
    kinds = typer.predict([typer.clause_of(f.trigger, f.verb, f.type) for f in found])
    for f, kind in zip(found, kinds):
        if kind and kind != typer.fold(f.type):
            f.type, f.mode = kind, (consult_mode(f.verb) if kind == "CONSULT" else None)


def _clause(trigger, verb):
    """The verb whose clause holds the trigger: its tense, modals and negation are the act's."""
    t = trigger
    while t.i != verb.i and t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _presupposed(trigger, clause) -> bool:
    """Whether a noun act is the subject of a verb that says something else of it, so that the verb's
    negation is not the act's: "the sanctions did not break our economies" speaks of sanctions that were
    imposed.  (Tense and modality stay the act's: "the attack would mean a disaster" has not happened; and a
    passive verb does something to the act itself: "sanctions should be listed".)"""
    return trigger is not None and trigger.i != clause.i and trigger.pos_ in ("NOUN", "PROPN") and \
        trigger.dep_ == "nsubj" and trigger.head.i == clause.i and \
        clause.lemma_.lower() not in LIGHT | OCCURRENCE and clause.lemma_.lower() not in SPEECH


def _idiom_rejects(verb) -> bool:
    """"Removing the sanctions is out of the question": a refusal without a refusing verb."""
    return "out of the question" in " ".join(t.lower_ for t in verb.subtree)


def says_words(verb) -> bool:
    """Whether a verb reports words said: a speech verb, one that makes a speech noun ("made the
    comments", "gave a speech"), or "express" with a view as its object ("expressed concern that")."""
    lem = verb.lemma_.lower()
    if lem in _REPLIES:  # "responded that ...", not "responded with artillery fire"
        return any(c.dep_ in ("ccomp", "parataxis") for c in verb.children)
    return lem in SPEECH or phrasal(verb) in SPEECH or lem in _SAYS_NOUN and any(
        c.dep_ == "dobj" and c.lemma_.lower() in SPEECH_NOUNS for c in verb.children) or lem == "express" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _EXPRESSED for c in verb.children)  # "expressed concern that"


_MEDIA_NOUNS = frozenset(_WORD_LISTS["news_medium"])
_OUTLET = re.compile(r"(?:%s)$" % "|".join(lists("clean_patterns.tsv")["outlet"]), re.I)


def _news_medium(subj) -> bool:
    """Whether a speech verb's subject is a news medium: "German news agency dpa", "the newspaper", "Reuters"."""
    words = [subj] + [c for c in subj.children if c.dep_ in ("compound", "amod", "appos")]
    return any(w.lemma_.lower() in _MEDIA_NOUNS for w in words) or bool(
        _OUTLET.match(" ".join(t.text for t in subj.subtree if t.dep_ != "det")))


def _statement(sent) -> Frame | None:
    """The saying a sentence reports beside its content: a speech verb with its speaker (or a verb
    saying a speech noun: "made the comments"), or else "according to X" (X's statement of the rest of
    the sentence, the phrase its trigger)."""
    for verb in _clause_verbs(sent):
        if not says_words(verb):
            continue
        # The speaker: the subject, or the agent of a passive ("he was told by an unnamed head of state").
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None) or next(
            (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if subj is None and (verb.dep_ == "xcomp" or verb.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)) and any(
                c.dep_ == "ccomp" for c in verb.children):
            # "Kuleba went on to say that ...", "ISW continues to assess that ...": the one who goes on
            # says it (with what is said; "sought to maintain relations" says nothing)
            subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subj is None or (subj.pos_ == "PRON" and subj.lower_ == "it"):
            continue
        if _news_medium(subj) and any(says_words(c) and any(g.dep_ == "nsubj" for g in c.children)
                                      for c in verb.children if c.dep_ in ("ccomp", "parataxis")):
            continue  # "X said ..., news agency dpa reported": the medium is the article's source, X speaks
        return Frame("STATEMENT", None, verb, verb, "occurred", subj)
    source = _according_to(sent)
    if source is not None:
        return Frame("STATEMENT", None, source.head.head, source.head.head, "occurred", source)
    return None


def _main_first(out: list[Frame]) -> list[Frame]:
    if len(out) < 2:
        return out
    main = min(out, key=lambda f: (_depth(f.verb) - _speech_depth(f.verb), f.verb.i))
    return [main] + [f for f in out if f is not main]


def _speech_depth(verb) -> int:
    """How many speech verbs frame this clause ("X said that Y claimed that ...")."""
    n, node = 0, verb
    while node.head.i != node.i:
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_.lower() in SPEECH:
            n += 1
        node = node.head
    return n


# -- PLOVER coding -----------------------------------------------------------

# The gold data codes under PLOVER 0.5, where accusations were DISAPPROVE and
# requests DEMAND; later versions split them out.
GSR_05 = {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}
# Acts that, refused, are a REJECT; and acts that already name an intention, so a plan to do them stays as it is.
_REFUSABLE = COOPERATIVE | {"DEMAND", "REQUEST"}
_INTENT = {"AGREE", "THREATEN", "REJECT", "DEMAND", "REQUEST", "DISAPPROVE", "ACCUSE", "MOBILIZE"}


def plover_code(frame: Frame) -> str:
    """PLOVER's code for a clause: intentions are AGREE or THREATEN, refusals REJECT."""
    kind = frame.type
    if frame.negated and kind in _REFUSABLE:
        return "REJECT"
    if frame.status in ("planned",) and kind not in _INTENT:
        if frame.conditional or kind in HOSTILE:
            return "THREATEN"
        if kind in COOPERATIVE or kind == "INVESTIGATE":
            return "AGREE"
    return kind


def intensity(kind: str, status: str = "occurred", casualties: float = 0.0) -> float:
    """Conflict-cooperation score: the type's weight, stronger with casualties, softer when not done."""
    score = INTENSITY.get(kind, 0.0)
    if kind in ("ASSAULT", "FIGHT") and casualties > 0:
        score -= min(1.0, math.log10(1 + casualties) / 3)
    if status in ("planned", "hypothetical"):
        score *= 0.5
    elif status == "denied":
        score = 0.0
    return round(max(-10.0, min(10.0, score)), 1)
