"""First-pass events: one mention per dated sentence that reports something.

A sentence becomes an event mention when it carries a resolved date and a
trigger word; the type is a coarse PLOVER category read off the trigger.
Participants are the people, organisations and states named in the
sentence; the location is the first place named.  Issue 5 replaces this with
parse-based extraction behind the same ``extract_events`` signature.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import ACTOR_TYPES, EntityMention, EventMention, Quantity, Sentence, TimeExpr
from .time import calendar_value

# Trigger stems -> PLOVER type.  Order matters: the first match in a sentence
# decides, so violent and specific categories come before generic speech.
TRIGGERS: list[tuple[str, str]] = [
    (r"invad|invasion|offensive|captur|seiz|clash|fighting|battle|advanc", "FIGHT"),
    (r"strik|struck|attack|bomb(?:ed|ing|s)?\b|shell|missile|drone|shot down|shoot down|intercept|"
     r"kill|injur|wound|airstrike|explosion|raid", "ASSAULT"),
    (r"sanction|embargo|tariff", "SANCTION"),
    (r"summit|meet|met\b|talks|negotiat|phone call|call with|visit|discuss|conversation|hosted", "CONSULT"),
    (r"agree|deal\b|signed|accord|ceasefire|truce|pledg|commit", "AGREE"),
    (r"aid\b|supply|supplies|deliver|donat|weapons shipments|assistance|package", "AID"),
    (r"repatriat|prisoner exchange|swap|returned|release", "CONCEDE"),
    (r"threat|warn", "THREATEN"),
    (r"accus|blam", "ACCUSE"),
    (r"condemn|criticis|criticiz|denounc", "DISAPPROVE"),
    (r"reject|refus|repudiat|denied|deny", "REJECT"),
    (r"demand|urg|call(?:ed|s)? (?:on|for)", "DEMAND"),
    (r"protest|rall(?:y|ied)|demonstrat", "PROTEST"),
    (r"investigat|probe|inquiry", "INVESTIGATE"),
    (r"mobili[sz]|deploy|troops massed", "MOBILIZE"),
    (r"withdr|retreat|pull(?:ed)? out", "RETREAT"),
    (r"support|back(?:ed|s)?\b|endors", "SUPPORT"),
    (r"cooperat|partnership|co-production|joint", "COOPERATE"),
    (r"announc|said|stated|told|declar|reported|confirm", "STATEMENT"),
]
_TRIGGER_RE = [(re.compile(rf"\b(?:{pat})\w*", re.I), typ) for pat, typ in TRIGGERS]

_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12,
    "dozens": 24, "hundreds": 200, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_NUM = r"(?P<approx>over|more than|at least|nearly|almost|about|around|some|up to)?\s*(?P<num>\d[\d,]*|" + \
    "|".join(_NUM_WORDS) + r")"
_QUANT = [
    ("killed", re.compile(rf"\b(?:killed|killing|left)\s+{_NUM}\b", re.I)),
    ("killed", re.compile(rf"{_NUM}\s+(?:people\s+|civilians\s+|soldiers\s+|persons\s+)?"
                          r"(?:were\s+|have been\s+)?(?:killed|dead|died)\b", re.I)),
    ("injured", re.compile(rf"\b(?:injur\w*|wound\w*)\s+{_NUM}\b", re.I)),
    ("injured", re.compile(rf"{_NUM}\s+(?:people\s+|civilians\s+|others\s+)?"
                           r"(?:were\s+)?(?:injured|wounded|hurt)\b", re.I)),
    ("shot_down", re.compile(rf"\b(?:shot down|intercepted|destroyed|downed)\s+{_NUM}\b", re.I)),
    ("drones", re.compile(rf"\b{_NUM}\s+(?:[a-z-]+\s+)?drones\b", re.I)),
    ("missiles", re.compile(rf"\b{_NUM}\s+(?:[a-z-]+\s+){{0,2}}missiles\b", re.I)),
]
_APPROX = {"over": "at_least", "more than": "at_least", "at least": "at_least", "nearly": "at_most",
           "almost": "at_most", "about": "about", "around": "about", "some": "about", "up to": "at_most"}

_STOP = set("""the a an and or of to in on at by for with from that this is was were be been has have
had it its as but not will would could should can may after before over into than their his her
they he she we our also which who said amid while during more most about including between""".split())


def quantities(sentence: str) -> list[Quantity]:
    out: list[Quantity] = []
    seen: set[tuple[str, int]] = set()
    for kind, pat in _QUANT:
        for m in pat.finditer(sentence):
            num, approx = m.group("num"), m.group("approx")
            if num is None:
                continue
            if num.lower() in _NUM_WORDS:
                value = float(_NUM_WORDS[num.lower()])
                approx_kind = "about" if num.lower() in ("dozens", "hundreds") else _APPROX.get((approx or "").lower(), "exact")
            else:
                value = float(num.replace(",", ""))
                approx_kind = _APPROX.get((approx or "").lower().strip(), "exact")
            if (kind, value) in seen:
                continue
            seen.add((kind, value))
            out.append(Quantity(kind=kind, value=value, approx=approx_kind, text=m.group(0).strip()))
    return out


def keywords(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][a-z’'-]{2,}", text.lower())
    return sorted({w.rstrip("s") for w in words if w not in _STOP})


def _trigger(text: str) -> tuple[re.Match[str], str] | None:
    for rx, typ in _TRIGGER_RE:
        m = rx.search(text)
        if m:
            return m, typ
    return None


def _as_calendar(t: TimeExpr) -> TimeExpr:
    value = calendar_value(t)
    precision = {10: "day", 7: "month", 4: "year"}[len(value)]
    return replace(t, value=value, precision=precision, kind="DATE")


def extract_events(doc_id: str, text: str, sentences: list[Sentence], timexes: list[TimeExpr],
                   entities: list[EntityMention]) -> list[EventMention]:
    events: list[EventMention] = []
    # Only a resolved calendar value can date an event: not "PRESENT_REF",
    # a duration, or "XXXX-WXX-5" from an undated article.
    calendar = [_as_calendar(t) for t in timexes if calendar_value(t)]
    for sent in sentences:
        dated = [t for t in calendar if sent.start <= t.start < sent.end]
        if not dated:
            continue
        trig = _trigger(sent.text)
        if trig is None:
            continue
        match, typ = trig
        trigger, tpos = match.group(0), sent.start + match.start()
        # The date closest to the trigger is the one that dates it.
        date = min(dated, key=lambda t: (abs(t.start - tpos), t.start))
        ents = [e for e in entities if sent.start <= e.start < sent.end]
        actors: list[str] = []
        for e in ents:
            if e.type in ACTOR_TYPES and e.entity_id not in actors:
                actors.append(e.entity_id)
        place = next((e.entity_id for e in ents if e.type == "place"), None)
        events.append(EventMention(
            id=f"{doc_id}:m{sent.index}", sentence=sent.index, start=sent.start, end=sent.end,
            text=sent.text, type=typ, trigger=trigger, date=date, actors=actors,
            location=place, quantities=quantities(sent.text),
            keywords=keywords(sent.text.replace(date.text, " ")),
        ))
    return events
