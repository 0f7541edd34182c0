"""Time expressions: find them and normalise them the TimeML way.

Every date on a timeline starts here, so the tagger is conservative about
what it calls a date and explicit about what it could not resolve.

How it works, in three passes over each sentence:

1. Candidate spans from a table of patterns (explicit dates, relative dates,
   durations, sets, times of day, quarters, seasons, holidays, decades).
   Overlaps are resolved longest-first, so "the past two months" beats
   "two months" and "Aug. 7, 1998" beats "Aug. 7".
2. Values are computed in document order against two anchors: the document
   creation time (DCT) for deictic expressions ("yesterday", "last week")
   and a running reference time for anaphoric ones ("two days later",
   "a year earlier", "that week"), which each explicit date moves.
3. Underspecified expressions (a bare weekday or month) take their
   direction from the tense of the nearest verb: "will meet on Friday"
   looks forward, "met on Friday" back.

Values follow TimeML: 2025-06-24, 2025-06, 2025-W26, 2025-Q3, 2025-SU,
199 (the 1990s), P3D, PT2H, PXY, PRESENT_REF, PAST_REF, FUTURE_REF, and
XXXX-style values where nothing anchors them.  Without a DCT, relative
expressions keep an X-value and say what they meant in ``anchor``
("weekday:TU", "offset:-1D", "month:08") so a later stage can resolve them
from another article about the same event.

Everything here is a pure function of the text and the DCT: safe to run in
parallel workers.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Protocol

from ...model import Sentence, TimeExpr
from ...pubdate import lead_date, normalise_date
from .calendar import _WD_CODE, _safe, _shift, nearest_weekday
from .patterns import _MON, _NUMW, _PART, _PATTERNS, _UNIT_SG, _WD, Result, _Ctx


class TimeTagger(Protocol):
    def tag(self, text: str, sentences: list[Sentence], dct: str | None) -> list[TimeExpr]: ...


def parse_dct(dct: str | None) -> dt.date | None:
    value = normalise_date(dct)
    return dt.date.fromisoformat(value) if value else None


_DAY_VALUE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)")
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
_CALENDAR_VALUE = re.compile(r"\d{4}(?:-\d\d(?:-\d\d)?)?")


def dateline_date(text: str) -> dt.date | None:
    """The date of a dateline ("KYIV, June 24, 2025 (Reuters) -") when the text opens with one.

    The same reading ``pubdate`` gives a dated lead, so the tagger and the
    publication date agree on what a dateline says.
    """
    value = lead_date(text)
    return dt.date.fromisoformat(value) if value else None


# A live page's entries open with the 24-hour time they were posted: "2159 : Conservative think tank ...".
_CLOCK_STAMP = re.compile(r"(?<![\w,.$£€])(?:[01]\d|2[0-3])[0-5]\d(?=[ \t]*:(?!\d))")
# How far from the page's year a four-digit number must be to be no year a report would name.
_NO_YEAR_AHEAD = 30
_NO_YEAR_BEFORE = 1500


def clock_stamps(text: str, anchor: dt.date | None) -> set[int]:
    """Where a live page's time stamps start: three or more four-digit clock times, each followed by a
    colon, one of which no report could mean as a year ("0915 :", "2159 :" on a page of 2010).  They are
    times of the page's day, never years; a chronology's "1918 : Spanish flu" stays a year."""
    hits = list(_CLOCK_STAMP.finditer(text))
    if len(hits) < 3:
        return set()
    ahead = anchor.year + _NO_YEAR_AHEAD if anchor else None
    if not any(int(m.group()) < _NO_YEAR_BEFORE or ahead and int(m.group()) > ahead for m in hits):
        return set()
    return {m.start() for m in hits}


class RuleTimeTagger:
    """Stateless between documents: safe to share between worker processes."""

    def tag(self, text: str, sentences: list[Sentence], dct: str | None) -> list[TimeExpr]:
        anchor = parse_dct(dct) or dateline_date(text)
        state = {"ref": anchor, "ref_quarter": None, "stamps": clock_stamps(text, anchor)}
        found: list[TimeExpr] = []
        for sent in sentences or [Sentence(0, 0, len(text), text)]:
            found.extend(self._tag_sentence(text, sent, anchor, state))
        return found

    def _tag_sentence(self, text: str, sent: Sentence, dct: dt.date | None, state: dict) -> list[TimeExpr]:
        stext = sent.text
        cands = []
        # Several patterns share a pre-filter: search the sentence once for each.
        passed: dict[re.Pattern[str], bool] = {}
        for order, (_, rx, fn, needs) in enumerate(_PATTERNS):
            if needs is not None:
                if needs not in passed:
                    passed[needs] = needs.search(stext) is not None
                if not passed[needs]:
                    continue
            for m in rx.finditer(stext):
                if m.end() > m.start() and sent.start + m.start() not in state["stamps"]:
                    cands.append((m.start(), m.end(), order, m, fn))
        # Longest first, then leftmost, then the earlier pattern: a candidate
        # the handler rejects frees its span for shorter ones.  Spans are
        # chosen with the reference as it stood at the sentence start.
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
        at_start = (state["ref"], state["ref_quarter"])
        taken: list[tuple[int, int, re.Match[str], Callable, Result]] = []
        for s, e, _, m, fn in cands:
            if any(s < te and ts < e for ts, te, *_ in taken):
                continue
            res = _value(fn, m, _Ctx(dct, state["ref"] or dct, state["ref_quarter"], stext, s, e, text, sent.start))
            if res is not None:
                taken.append((s, e, m, fn, res))
        out = []
        for s, e, m, fn, res in sorted(taken, key=lambda t: t[0]):
            # An earlier expression in this sentence may have moved the
            # reference: only then does the value need working out again.
            if (state["ref"], state["ref_quarter"]) != at_start:
                res = _value(fn, m, _Ctx(dct, state["ref"] or dct, state["ref_quarter"], stext, s, e, text, sent.start))
                if res is None:
                    continue
            # A modifier taken in never reaches into the expression before it.
            s2, e2 = _trim(stext, s, e, floor=out[-1].end - sent.start if out else 0)
            out.append(TimeExpr(sent.start + s2, sent.start + e2, text[sent.start + s2:sent.start + e2],
                                res.value, res.precision, res.kind, res.anchor))
            if res.reference:
                self._move_reference(res.value, state)
        return out

    @staticmethod
    def _move_reference(value: str, state: dict) -> None:
        """Explicit dates become the reference time for anaphora; quarters for quarter anaphora."""
        m = _DAY_VALUE.match(value)
        if m:
            d = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                state["ref"] = d
            return
        mq = _QUARTER_VALUE.fullmatch(value)
        if mq:
            state["ref_quarter"] = (int(mq.group(1)), int(mq.group(2)))


def _value(fn: Callable, m: re.Match[str], ctx: _Ctx) -> Result | None:
    """A handler's reading of a match; arithmetic out of the calendar's range rejects it."""
    try:
        res = fn(m, ctx)
    except (ValueError, OverflowError, KeyError):
        return None
    return None if res is None else Result(*res)


_LEAD_PREP = re.compile(r"^(?:(?:at|by|until|before|after|on)\s+)", re.I)

# Extents as the TimeML guidelines draw them (TBAQ shows how annotators applied them).
# The possessive ending is not part of the expression: "Friday's", "two weeks'".
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
# A count of units: the expression a quantity modifier or a determiner may stand before ("hundred" is not
# one alone: the article of "a hundred-year war" is the number's).
_COUNT = rf"(?:\d+(?:[.,]\d+)?|(?!hundred\b){_NUMW}|several|a few|a couple of|a dozen)"
_COUNTED = re.compile(rf"{_COUNT}[\s-]+(?:more\s+)?(?:{_UNIT_SG}s?|centuries)\b", re.I)
# A count of a singular unit modifies a noun ("a two-week trip", "the 23-year dispute"): the determiner
# belongs to that noun, not to the expression.
_ADJECTIVAL = re.compile(rf"{_COUNT}[\s-]+{_UNIT_SG}\b(?![-’']s)", re.I)
_DETERMINER = re.compile(r"^(?:a|an|the|its|their|his|her|our|your|my)\s+", re.I)
# What an approximation may stand before: a number, a count, a month or a clock time.
_APPROXIMABLE = re.compile(rf"(?:\d|{_COUNT}\b|an?\s|{_MON}\s|noon|midnight|midday)", re.I)
# Modifiers the TIMEX3 extent includes (its MOD attribute): approximation before any expression, comparison
# before a count of units ("nearly two years", "more than four hours", "around 7:15 p.m.").
_APPROX_BEFORE = re.compile(r"\b(?:nearly|almost|about|around|approximately|roughly)\s+$", re.I)
_COMPARE_BEFORE = re.compile(r"\b(?:more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|"
                             r"no\s+more\s+than|no\s+less\s+than|some)\s+$", re.I)
# The start, middle or end of a day the expression names ("early Tuesday", "late yesterday").
_DAY_WORD = re.compile(rf"(?:{_WD}|yesterday|today|tomorrow|tonight)\b", re.I)
_DAY_MOD_BEFORE = re.compile(r"\b(?:early|late|earlier|later)\s+$", re.I)
# A part of the day is named with its article: "in the morning".
_PART_OF_DAY = re.compile(rf"{_PART}$", re.I)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.I)


def _trim(sentence: str, s: int, e: int, floor: int = 0) -> tuple[int, int]:
    """The TimeML extent of a matched span.

    Prepositions, trailing punctuation and the possessive ending are left out,
    and so is a determiner before a count of units; modifiers of the
    expression just before it (approximation, comparison, the part of a day,
    the article of a part of the day) are taken in, unless they reach back
    before ``floor``.
    """
    span = sentence[s:e]
    m = _LEAD_PREP.match(span)
    if m and len(span) > m.end():
        s += m.end()
    while e > s and sentence[e - 1] in " ,;:":
        e -= 1
    m = _POSSESSIVE.search(sentence, s, e)
    if m and m.start() > s:
        e = m.start()
    m = _DETERMINER.match(sentence[s:e])
    if m and _ADJECTIVAL.fullmatch(sentence, s + m.end(), e):
        s += m.end()
    before = sentence[max(0, s - 24):s]
    core = sentence[s:e]
    for rx, fits in ((_APPROX_BEFORE, _APPROXIMABLE.match(core) is not None),
                     (_COMPARE_BEFORE, _COUNTED.match(core) is not None or re.match(r"an?\s", core, re.I) is not None),
                     (_DAY_MOD_BEFORE, _DAY_WORD.match(core) is not None),
                     (_THE_BEFORE, _PART_OF_DAY.fullmatch(core) is not None)):
        m = rx.search(before)
        if fits and m:
            if s - (len(before) - m.start()) >= floor:
                s -= len(before) - m.start()
            break
    return s, e


def is_calendar(value: str | None) -> bool:
    """True for a resolved calendar date a timeline can place: 2025, 2025-06, 2025-06-24."""
    return bool(value) and _CALENDAR_VALUE.fullmatch(value) is not None


_WEEK_VALUE = re.compile(r"(\d{4})-W(\d\d)(-WE)?")


def week_span(value: str | None) -> str | None:
    """The smallest calendar unit holding a whole ISO week ("2022-W37", "last week") or its weekend
    ("2022-W37-WE"): its month when every day of it falls in one month, else its year; None otherwise."""
    m = _WEEK_VALUE.fullmatch(value or "")
    if not m:
        return None
    try:
        first = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 6 if m.group(3) else 1)
    except ValueError:
        return None
    last = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 7)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year:04d}-{first.month:02d}"
    return f"{first.year:04d}" if first.year == last.year else None


def calendar_value(t: TimeExpr) -> str | None:
    """The calendar part of a DATE or TIME value ("2025-06-24T15:00" gives "2025-06-24"), else None."""
    if not t.value or t.kind not in ("DATE", "TIME"):
        return None
    v = t.value.split("T")[0]
    return v if is_calendar(v) else None


_ANCHOR = re.compile(r"(?:weekday:(?P<wd>MO|TU|WE|TH|FR|SA|SU)|offset:(?P<n>[+-]\d+)(?P<u>WE|DE|CE|[DWMQY])|"
                     r"month:(?P<m>\d\d)(?P<yo>[+-]\d+)?Y?|monthday:(?P<mm>\d\d)-(?P<dd>\d\d)|season:(?P<s>SP|SU|FA|WI))$")


_OFFSET_UNIT = {"D": "day", "W": "week", "WE": "weekend", "M": "month", "Q": "quarter", "Y": "year",
                "DE": "decade", "CE": "century"}


def resolve_anchor(anchor: str, on: dt.date, forward: bool = False) -> str | None:
    """Resolve what an undated expression said against a date learnt later.

    ``on`` is the date the article was written, once another source tells
    it (for example an article about the same event).  Underspecified
    weekdays and months look back from it unless ``forward``, as news mostly
    reports the past.  Returns a TimeML value, or None for an unknown anchor.
    """
    m = _ANCHOR.match(anchor or "")
    if not m:
        return None
    if m["wd"]:
        return nearest_weekday(on, _WD_CODE.index(m["wd"]), forward).isoformat()
    if m["n"]:
        return _shift(on, int(m["n"]), _OFFSET_UNIT[m["u"]])
    if m["m"]:
        month = int(m["m"])
        if m["yo"]:
            return f"{on.year + int(m['yo']):04d}-{month:02d}"
        year = on.year + (1 if forward and month < on.month else 0) - (1 if not forward and month > on.month else 0)
        return f"{year:04d}-{month:02d}"
    if m["mm"]:
        month, day = int(m["mm"]), int(m["dd"])
        later = (month, day) > (on.month, on.day)
        earlier = (month, day) < (on.month, on.day)
        d = _safe(on.year - (not forward and later) + (forward and earlier), month, day)
        return d.isoformat() if d else None
    return f"{on.year:04d}-{m['s']}"


def default_tagger() -> TimeTagger:
    return RuleTimeTagger()
