"""The pattern table: each regular expression with the handler that values it.

A handler turns a match into (type, value, precision, anchor) or rejects it
(None) when the words are a count, a verb or a name rather than a time.
Handlers are pure: the DCT and the running reference time come in ``_Ctx``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

from ...pubdate import MONTHS
from .calendar import (PARTS, SEASONS, UNITS, WEEKDAYS, _ORDINALS, _SMALL, _TENS, _WD_CODE,
                       _add_months, _duration, _holiday, _number, _quarter, _safe, _shift, _unit, _week,
                       fixed_holiday, nation_of, nearest_weekday)
from .tense import _tense

# --------------------------------------------------------------------------
# regex building blocks (case-insensitive unless noted)

_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUMW = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
         r"five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
         r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|hundred)")
_NUM = (rf"(?:\d+(?:\.\d+)?|{_NUMW}|a couple of|a couple|a dozen|half an?|an?|a single|several|a few|few|"
        r"some|many|numerous|a number of)")
_UNIT = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?|centur(?:y|ies))"
_UNIT_SG = r"(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade|century)"
_PART = r"(?:morning|afternoon|evening|night)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_CLOCK = (r"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:a\.?m\.?|p\.?m\.?))?|(?:1[0-2]|0?[1-9])\s*(?:a\.m\.?|p\.m\.?|am\b|pm\b)"
          r"|noon|midnight|midday)")
_ZONE = (r"(?:(?-i:EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|IST|JST|KST|AEST|AEDT)\b|"
         r"local time|(?:Kyiv|Kiev|Moscow|Eastern|Central|Pacific|Mountain|Washington|London|Paris|Berlin|Beijing|"
         r"Tokyo|Tehran|Jerusalem|Istanbul) time)")
_TZ = rf"(?:\s+{_ZONE})?"
# Military clock time, "0400 GMT": four digits are a time only with a zone after them.
_CLOCK = rf"(?:{_CLOCK}|(?:[01]\d|2[0-3])[0-5]\d(?=\s+{_ZONE}))"
_HOLIDAY = (r"(?:Christmas(?:\s+(?:Day|Eve))?|New Year'?s(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|"
            r"Good Friday|Independence Day|Labor Day|Memorial Day|Veterans Day|Halloween|Valentine'?s Day|"
            r"Boxing Day|May Day|Victory Day)")



# --------------------------------------------------------------------------
# patterns

@dataclass
class _Ctx:
    """What a value depends on: the DCT and the running reference time."""

    dct: dt.date | None
    ref: dt.date | None
    ref_quarter: tuple[int, int] | None
    sentence: str
    s: int  # match start within the sentence
    e: int
    doc: str = ""  # the document, and where the sentence starts in it: what came before
    at: int = 0

    def direction(self) -> int:
        return _tense(self.sentence, self.s, self.e)[0]


class Result(NamedTuple):
    """What a handler makes of a match; a handler returns None to reject it (a count, a verb, a name)."""

    kind: str  # TIMEX3 type
    value: str
    precision: str
    anchor: str | None
    # False for values derived from the reference itself ("a year earlier",
    # "the year-ago quarter"): they must not become the next reference.
    reference: bool = True


Handler = Callable[[re.Match[str], _Ctx], Result | None]

_PATTERNS: list[tuple[str, re.Pattern[str], Handler, re.Pattern[str] | None]] = []

# Cheap tests a sentence must pass before a pattern's full regex runs over it:
# most sentences name no unit or month, and the full regexes, with their
# optional leading modifiers, are what the tagger spends its time on.
_NEEDS_UNIT = re.compile(r"second|minute|hour|day|night|week|month|quarter|year|decade|centur", re.I)
_NEEDS_MONTH = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_NEEDS = {
    "duration": _NEEDS_UNIT, "offset": _NEEDS_UNIT, "rel_unit": _NEEDS_UNIT,
    "the_year": _NEEDS_UNIT, "term": re.compile(r"term"),
    # the newer patterns' filters open with a literal, which re finds fastest; the case they ignore is rare
    "night_of": re.compile(r"ight of"), "overnight_into": re.compile(r"vernight"),
    "dotted": re.compile(r"\.[01]\d\."), "date_clock": _NEEDS_MONTH, "that_time": re.compile(r"t th(?:e|at) time"),
    "part_of_unit": re.compile(r"of the (?:week|month|year)"), "ordinal_day": re.compile(r" day (?:of|in|since|after) "),
    "quarter": re.compile(r"quarter|period|Q[1-4]", re.I),
    "half": re.compile(r"half", re.I), "season": re.compile(r"spring|summer|fall|autumn|winter", re.I),
    "mdy": _NEEDS_MONTH, "dmy": _NEEDS_MONTH, "md": _NEEDS_MONTH, "dm": _NEEDS_MONTH, "month": _NEEDS_MONTH,
    "month_year": re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I),
    "month_rel_year": _NEEDS_MONTH,
}
_NEEDS["clock"] = re.compile(r"\d|noon|midnight|midday|Noon|Midnight|Midday")
_NEEDS_RANGE = re.compile(r"[-–]\s*\d")
_NEEDS.update(dict.fromkeys(("range_year_from", "range_year_to", "range_md_from", "range_md_to", "range_dm_from"),
                            _NEEDS_RANGE))


def pattern(name: str, regex: str, flags: int = re.I) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _PATTERNS.append((name, re.compile(regex, flags), fn, _NEEDS.get(name)))
        return fn
    return register


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _day_value(d: dt.date) -> Result:
    return Result("DATE", d.isoformat(), "day", None)


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


_MARGIN_DAY, _MARGIN_MONTH = 60, 92  # days the tense may overrule the nearest year
_STRONG_CUE = 25  # characters: a verb this close decides the year on its own


def _year_for(month: int, day: int | None, ctx: _Ctx) -> int:
    """The year of a month (and day) given without one: nearest to the DCT in the tense's direction."""
    assert ctx.dct is not None
    ref = ctx.dct
    years = (ref.year - 1, ref.year, ref.year + 1)
    year = min(years, key=lambda y: abs((dt.date(y, month, min(day or 15, 28)) - ref).days))
    cand = dt.date(year, month, min(day or 15, 28))
    direction, distance = _tense(ctx.sentence, ctx.s, ctx.e)
    # A verb right by the expression ("attacked the town on Nov. 20") is
    # trusted over nearness; a distant cue moves the year only for dates far
    # from the DCT ("declared a dividend, payable Dec. 15").
    deadline = re.search(r"\b(?:by|to|until|till|through|before|ahead of|due|deadline|of record)\s+(?:the\s+)?$",
                         ctx.sentence[max(0, ctx.s - 20):ctx.s], re.I)
    strong = distance <= _STRONG_CUE and not deadline
    if strong and not day:
        # A month is past only if it began by the DCT, and to come only if it ends after it:
        # "took effect in January" written on 20 December is last January.
        first = dt.date(year, month, 1)
        last = _add_months(first, 1) - dt.timedelta(days=1)
        if direction < 0 and first > ref:
            return year - 1
        if direction > 0 and last < ref:
            return year + 1
        return year
    margin = (1 if day else 31) if strong else _MARGIN_DAY if day else _MARGIN_MONTH
    if direction > 0 and (ref - cand).days > margin:
        return year + 1
    if direction < 0 and (cand - ref).days > margin:
        return year - 1
    return year


# explicit full dates ------------------------------------------------------

@pattern("iso", rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b(?!-)")
def _iso(m: re.Match[str], ctx: _Ctx) -> Result | None:
    d = _safe(int(m["y"]), int(m["m"]), int(m["d"]))
    return d and _day_value(d)


@pattern("slash", rf"\b(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>{_YEAR}|\d\d)\b(?!/)")
def _slash(m: re.Match[str], ctx: _Ctx) -> Result | None:
    y = int(m["y"])
    if y < 100:
        y += 1900 if y > 40 else 2000
    d = _safe(y, int(m["m"]), int(m["d"]))
    return d and _day_value(d)


@pattern("mdy", rf"(?:\b{_WD},?\s+)?\b(?P<mon>{_MON})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b", 0)
def _mdy(m: re.Match[str], ctx: _Ctx) -> Result | None:
    d = _safe(int(m["y"]), _month(m["mon"]), _day_number(m["d"]))
    return d and _day_value(d)


@pattern("dmy", rf"(?:\b{_WD},?\s+)?\b(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})\b", 0)
def _dmy(m: re.Match[str], ctx: _Ctx) -> Result | None:
    return _mdy(m, ctx)


@pattern("md", rf"(?:\b{_WD},?\s+)?\b(?P<mon>{_MON})\s+(?P<d>{_DAY})\b(?![:.,]?\d|\s*(?:%|percent|-\s*\d))", 0)
def _md(m: re.Match[str], ctx: _Ctx) -> Result | None:
    month, day = _month(m["mon"]), _day_number(m["d"])
    return _month_day(month, day, _dateline_year(month, day, ctx), ctx)


# A dateline ("KYIV, Aug 15 (Reuters) -", "MOSCOW, August 15. /TASS/.", "MINSK, 28 January (BelTA) –") dates
# the story itself: its day is on or before the DCT (a day's grace for time zones), never after it.
_DATELINE_PLACE = re.compile(r"^\s*[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,30})?,\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\(\s*[A-Z][\w .&/-]{0,30}\)|\.?\s*/[A-Z][\w-]*/|[-–—])")


def _dateline_year(month: int, day: int, ctx: _Ctx) -> int | None:
    if ctx.dct is None or not _DATELINE_PLACE.match(ctx.sentence[:ctx.s]) \
            or not _DATELINE_AFTER.match(ctx.sentence, ctx.e):
        return None
    year = ctx.dct.year
    return year - 1 if dt.date(year, month, min(day, 28)) > ctx.dct + dt.timedelta(days=1) else year


@pattern("dm", rf"(?:\b{_WD},?\s+)?\b(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})\b(?!\s*\d)", 0)
def _dm(m: re.Match[str], ctx: _Ctx) -> Result | None:
    return _md(m, ctx)


# numeric dates as Ukrainian, Russian and most European outlets write them: day first, dotted ("15.08.2022"),
# perhaps with a clock time ("15.08.2022 10:35"); and a written date with one ("August 15, 2022, 10:35").
_HHMM = r"(?P<hh>[01]?\d|2[0-3])[:.](?P<mm>[0-5]\d)\b(?![.:]\d)(?:\s*(?P<ap>[ap]\.?m\b\.?))?"


def _at_clock(d: dt.date | None, m: re.Match[str]) -> Result | None:
    if d is None:
        return None
    if not m["hh"]:
        return _day_value(d)
    hh = int(m["hh"])
    ap = (m["ap"] or "").lower().replace(".", "")
    if ap and not 1 <= hh <= 12:
        return None
    hh = hh % 12 + (12 if ap == "pm" else 0) if ap else hh
    return Result("TIME", f"{d.isoformat()}T{hh:02d}:{m['mm']}", "time", None)


@pattern("dotted", rf"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]\d)\.(?P<y>{_YEAR})\b(?!\.\d)(?:,?\s+{_HHMM})?")
def _dotted(m: re.Match[str], ctx: _Ctx) -> Result | None:
    return _at_clock(_safe(int(m["y"]), int(m["m"]), int(m["d"])), m)


@pattern("date_clock", rf"(?:\b{_WD},?\s+)?\b(?:(?P<mon>{_MON})\s+(?P<d>{_DAY})|(?P<d2>{_DAY})\s+(?P<mon2>{_MON})),?\s+"
                       rf"(?P<y>{_YEAR}),?\s+{_HHMM}", 0)
def _date_clock(m: re.Match[str], ctx: _Ctx) -> Result | None:
    day = _day_number(m["d"] or m["d2"])
    return _at_clock(_safe(int(m["y"]), _month(m["mon"] or m["mon2"]), day), m)

# ranges: each end is its own expression ----------------------------------------
#
# TimeML marks the two ends of a range separately ("between [1985] and
# [1987]"), so a range written as one token ("1998-2001", "June 3-5",
# "3-5 June") gives two: the first end is matched with the rest of the range
# in a lookahead, the second end checks the text before it.

_DASH = r"\s*[-–]\s*"
_RANGE_LEFT_YEAR = re.compile(rf"(?<![\w$£€.,/-])(?P<y1>{_YEAR}){_DASH}$")
_RANGE_LEFT_MD = re.compile(rf"\b(?P<mon>{_MON})\s+(?P<d1>{_DAY}){_DASH}$")
_RANGE_NOT_AFTER = r"(?![-–/.,:]\d|\s*(?:%|percent|per\s?cent)\b)"


def _range_end_year(first: int, text: str) -> int | None:
    """The year closing a range that opens in ``first``: "2001" or a short "91" (1991), "00" (2000)."""
    if len(text) == 4:
        year = int(text)
    else:
        year = first // 100 * 100 + int(text)
        if year <= first:
            year += 100
    # a short end stays near its start ("1990-91"); "2020-55" is more likely a code than a range
    return year if first < year <= first + (100 if len(text) == 4 else 20) else None


@pattern("range_year_from", rf"(?<![\w$£€.,/-])(?P<y1>{_YEAR})(?={_DASH}(?P<y2>{_YEAR}|\d\d)\b{_RANGE_NOT_AFTER})")
def _range_year_from(m: re.Match[str], ctx: _Ctx) -> Result | None:
    end = ctx.e + len(re.match(_DASH, ctx.sentence[ctx.e:]).group()) + len(m["y2"])
    if _range_end_year(int(m["y1"]), m["y2"]) is None or _COUNT_NOUN.match(ctx.sentence, end):
        return None  # "1500-2000 troops": a count
    return ("DATE", m["y1"], "year", None)


@pattern("range_year_to", rf"(?<=[-–\s])(?P<y2>{_YEAR}|\d\d)\b{_RANGE_NOT_AFTER}")
def _range_year_to(m: re.Match[str], ctx: _Ctx) -> Result | None:
    left = _RANGE_LEFT_YEAR.search(ctx.sentence, 0, ctx.s)
    if not left or _COUNT_NOUN.match(ctx.sentence, ctx.e):
        return None
    year = _range_end_year(int(left["y1"]), m["y2"])
    return year and ("DATE", f"{year:04d}", "year", None)


def _month_day(month: int, day: int, year: int | str | None, ctx: _Ctx) -> Result | None:
    """A month and day, in the year given or else the one the DCT and the tense point to; without a
    DCT, an X-value that keeps the month and day."""
    if year:
        d = _safe(int(year), month, day)
    elif ctx.dct is None:
        return Result("DATE", f"XXXX-{month:02d}-{day:02d}", "day", f"monthday:{month:02d}-{day:02d}")
    else:
        d = _safe(_year_for(month, day, ctx), month, day)
    return d and _day_value(d)


@pattern("range_md_from", rf"\b(?P<mon>{_MON})\s+(?P<d1>{_DAY})"
                          rf"(?={_DASH}(?P<d2>{_DAY})\b{_RANGE_NOT_AFTER}(?:,?\s+(?P<y>{_YEAR})\b)?)", 0)
def _range_md_from(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if _day_number(m["d2"]) <= _day_number(m["d1"]):
        return None
    whole = replace(ctx, e=max(m.end("d2"), m.end("y") if m["y"] else 0))  # both ends read the same tense
    return _month_day(_month(m["mon"]), _day_number(m["d1"]), m["y"], whole)


@pattern("range_md_to", rf"(?<=[-–\s])(?P<d2>{_DAY})\b{_RANGE_NOT_AFTER}(?:,?\s+(?P<y>{_YEAR})\b)?", 0)
def _range_md_to(m: re.Match[str], ctx: _Ctx) -> Result | None:
    left = _RANGE_LEFT_MD.search(ctx.sentence, 0, ctx.s)
    if not left or _day_number(m["d2"]) <= _day_number(left["d1"]):
        return None
    return _month_day(_month(left["mon"]), _day_number(m["d2"]), m["y"], replace(ctx, s=left.start()))


@pattern("range_dm_from", rf"\b(?P<d1>{_DAY})(?={_DASH}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b)", 0)
def _range_dm_from(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if _day_number(m["d2"]) <= _day_number(m["d1"]) or re.search(r"[\d.,:/-]$", ctx.sentence[:ctx.s]):
        return None
    return _month_day(_month(m["mon"]), _day_number(m["d1"]), m["y"], replace(ctx, e=m.end("mon")))


@pattern("month_year", rf"\b(?:(?:early|mid|late|the end of|the beginning of|the start of|the middle of)[- ])?"
                       rf"(?P<mon>{_MON}),?\s+(?:of\s+)?(?P<y>{_YEAR})\b")
def _month_year(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if not m["mon"][0].isupper():
        return None
    return ("DATE", f"{int(m['y']):04d}-{_month(m['mon']):02d}", "month", None)


_MONTH_PREP = r"(?:in|since|until|till|by|during|from|through|throughout|before|after|of|last|next|this|early|mid|late|between|and|to|or)"


@pattern("month", r"\b(?:(?:early|mid|late|the end of|the beginning of|the start of|the middle of|last|next|this|"
                  r"earlier this|later this)[- ]+)?(?P<mon>January|February|March|April|May|June|July|August|"
                  r"September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)(?!\s+\d)\b", 0)
def _bare_month(m: re.Match[str], ctx: _Ctx) -> Result | None:
    before = ctx.sentence[:ctx.s].rstrip()
    prev = re.search(r"(\w+)\W*$", before)
    prev_word = prev.group(1).lower() if prev else ""
    lead = m.group(0)[: m.start("mon") - m.start()].strip().lower()
    mon = m["mon"]
    if mon in ("May", "March") and not lead and not re.fullmatch(_MONTH_PREP, prev_word):
        return None  # "May" and "March" are verbs and names far more often than months
    if not lead and not prev_word and ctx.s == 0 and mon in ("May", "March", "June", "April", "August"):
        return None  # sentence-initial: a name or a modal
    after = ctx.sentence[ctx.e:ctx.e + 20]
    if re.match(r"\s+[A-Z][a-z]", after) and mon in ("May", "June", "April", "August"):
        return None  # "April Ryan", "June Carter"
    month = _month(mon)
    if ctx.dct is None:
        return ("DATE", f"XXXX-{month:02d}", "month", f"month:{month:02d}")
    if lead.startswith("last"):
        year = ctx.dct.year - (1 if month >= ctx.dct.month else 0)
    elif lead.startswith("next"):
        year = ctx.dct.year + (1 if month <= ctx.dct.month else 0)
    elif "this" in lead:
        year = ctx.dct.year
    else:
        year = _year_for(month, None, ctx)
    return ("DATE", f"{year:04d}-{month:02d}", "month", None)


# years, decades, centuries ---------------------------------------------------

@pattern("month_rel_year", rf"\b(?:(?:early|mid|late)[- ])?(?P<mon>{_MON})\s+(?P<rel>this|last|next)\s+year\b")
def _month_rel_year(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if not m["mon"][0].isupper():
        return None
    month = _month(m["mon"])
    step = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    if ctx.dct is None:
        return ("DATE", f"XXXX-{month:02d}", "month", f"month:{month:02d}{step:+d}Y")
    return ("DATE", f"{ctx.dct.year + step:04d}-{month:02d}", "month", None)


_SPELLED_DECADE = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_SPELLED_UNIT = r"(?:one|two|three|four|five|six|seven|eight|nine)"


@pattern("spelled_year", rf"\b(?:the year\s+)?(?:nineteen[- ](?P<dec>{_SPELLED_DECADE})(?:[- ](?P<u>{_SPELLED_UNIT}))?"
                         rf"|two thousand(?:\s+and)?(?:[- ](?P<u2>{_SPELLED_UNIT}|ten|eleven|twelve))?)\b")
def _spelled_year(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if m["dec"]:
        year = 1900 + _TENS[m["dec"].lower()] + (_SMALL[m["u"].lower()] if m["u"] else 0)
    else:
        if not m.group(0).lower().startswith("the year") and not m["u2"]:
            return None  # "two thousand" is a count more often than a year
        year = 2000 + (_SMALL[m["u2"].lower()] if m["u2"] else 0)
    return ("DATE", f"{year:04d}", "year", None)


@pattern("the_year", r"\b(?:(?P<full>the full|(?:the|this|the current|the latest) (?:fiscal|financial)|the whole|the entire)\s+year|"
                     r"(?P<end>the end of the year|year'?s?[- ]end|around year[- ]end)|"
                     r"(?P<adj>year[- ](?:earlier|ago))(?=\s+[a-z])|the year)\b")
def _the_year(m: re.Match[str], ctx: _Ctx) -> Result | None:
    text = m.group(0).lower()
    after = ctx.sentence[ctx.e:ctx.e + 14]
    before = ctx.sentence[max(0, ctx.s - 12):ctx.s].lower()
    if re.match(r"\s+(?:ended|ending|to date)\b", after):
        return ("DURATION", "P1Y", "unknown", None)
    if ctx.dct is None:
        return None
    if m["adj"]:
        if ctx.ref_quarter:
            y, q = ctx.ref_quarter
            return ("DATE", f"{y - 1:04d}-Q{q}", "quarter", None)
        return ("DATE", f"{ctx.dct.year - 1:04d}", "year", None)
    if text == "the year" and not re.search(r"\b(?:for|in|during|of|through|throughout)\s+$", before):
        return None  # "the year" as a subject or a measure is rarely a date
    if text == "the year" and re.match(r"\s+(?:before|after|earlier|later|of|in which|when|that)\b", after):
        return None
    year = ctx.ref_quarter[0] if ctx.ref_quarter else ctx.dct.year
    return ("DATE", f"{year:04d}", "year", None)


_COUNT_NOUN = re.compile(
    r"\s*(?:%|percent|per\s?cent|people|persons|troops|soldiers|men|women|children|km|kilometers|kilometres|"
    r"miles|meters|metres|feet|tons|tonnes|barrels|dollars|euros|pounds|yen|rubles|shares|jobs|votes|points|"
    r"units|cars|vehicles|homes|houses|acres|hectares|drones|missiles|rockets|shells|deaths|dead|killed|"
    r"injured|cases|calories|pages|words|employees|workers|members|seats|[a-z]+s\s+(?:of|were|are|have))\b", re.I)
_NAME_OK = {"in", "since", "by", "until", "till", "before", "after", "during", "of", "the", "from", "between",
            "and", "to", "through", "for", "fiscal", "fy", "spring", "summer", "fall", "autumn", "winter", "year",
            "early", "late", "mid", "end", "circa", "around", "about", "or", "than", "at", "on", "as", "into",
            "christmas", "easter", "per", "that", "this", "its", "their", "his", "her", "a", "an"}


# Prepositions after which a bare four-digit number is a year whatever follows it: "an explosion in 2005
# killed 15" (news writes counts of a thousand or more with a separator: "in 2,005 cases").
_YEAR_PREPOSITIONS = re.compile(r"\b(?:in|since|during|until|till)\s+$", re.I)


@pattern("year", rf"(?<![\w$£€.,/-])(?:(?P<mod>early|mid|late|the end of|the beginning of|the start of|"
                 rf"the middle of|the year)[- ]+)?(?P<y>{_YEAR})(?![\w%.,/]\d|[\w%]|-\d|\s*(?:-|to)\s*\d{{2}}\b(?!\d))")
def _year(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if _COUNT_NOUN.match(ctx.sentence, ctx.e) and (m["mod"] or not _YEAR_PREPOSITIONS.search(ctx.sentence[:ctx.s])):
        return None  # "2005 killed": a count, unless "in 2005 killed"
    if not m["mod"]:
        prev = re.search(r"([\w']+)\W*$", ctx.sentence[:ctx.s])
        if prev and prev.group(1)[0].isupper() and prev.group(1).lower() not in _NAME_OK \
                and prev.group(1).lower().rstrip(".") not in MONTHS and prev.start() > 0:
            return None  # a year inside a name: "Windows 2000", "Vision 2030"
        if re.match(r"\s*[:x×]\s*\d", ctx.sentence[ctx.e:]):
            return None
    return ("DATE", f"{int(m['y']):04d}", "year", None)


@pattern("fiscal", rf"\b(?:(?:fiscal(?:\s+year)?|financial\s+year)\s+(?P<y>{_YEAR}|'\d\d)|(?-i:FY)\s?(?P<fy>{_YEAR}|\d\d))\b")
def _fiscal(m: re.Match[str], ctx: _Ctx) -> Result | None:
    y = (m["y"] or m["fy"]).lstrip("'")
    year = int(y) if len(y) == 4 else 1900 + int(y) if int(y) > 40 else 2000 + int(y)
    return ("DATE", f"{year:04d}", "year", None)


@pattern("decade", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?P<d>1[5-9]\d0|20[0-9]0|'\d0)'?s\b")
def _decade(m: re.Match[str], ctx: _Ctx) -> Result | None:
    d = m["d"].lstrip("'")
    if len(d) == 2:
        d = ("19" if int(d) > 20 else "20") + d
    return ("DATE", d[:3], "decade", None)


@pattern("century", r"\b(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ]century\b")
def _century(m: re.Match[str], ctx: _Ctx) -> Result | None:
    return ("DATE", f"{int(m['n']) - 1:02d}", "century", None)


# weekdays, holidays, seasons -----------------------------------------------

# Newspapers named for the day they appear ("the Sunday Times"): no date.
_PAPER = r"(?:Times|Telegraph|Express|Mirror|Post|Herald|Mail|Independent|Star|Sport|Tribune|Review)\b"


@pattern("weekday", rf"\b(?:(?P<rel>last|next|this|this past|this coming|coming|past)\s+)?(?P<wd>{_WD})(?:'s)?"
                    rf"(?:\s+(?P<part>{_PART}))?\b(?!,?\s+{_MON})(?!\s+{_PAPER})", 0)
def _weekday(m: re.Match[str], ctx: _Ctx) -> Result | None:
    wd = WEEKDAYS[m["wd"].lower()]
    # "Friday night" names a day in news usage; "Friday morning" a part of it.
    part = (m["part"] or "").lower()
    suffix = f"T{PARTS[part]}" if part and part != "night" else ""
    kind = "TIME" if suffix else "DATE"
    prev = ctx.sentence[max(0, ctx.s - 12):ctx.s].lower()
    if re.search(r"\b(?:every|each)\s+$", prev) or re.match(r"s\b", ctx.sentence[ctx.e:ctx.e + 2]):
        return None
    if ctx.dct is None:
        return (kind, f"XXXX-WXX-{wd + 1}{suffix}", "day", f"weekday:{_WD_CODE[wd]}")
    rel = (m["rel"] or "").lower()
    dct = ctx.dct
    if rel in ("next", "coming", "this coming"):
        d = nearest_weekday(dct + dt.timedelta(days=1), wd, forward=True)
    elif rel in ("last", "past", "this past"):
        d = nearest_weekday(dct - dt.timedelta(days=1), wd, forward=False)
    elif wd == dct.weekday():
        d = dct
    else:
        d = nearest_weekday(dct, wd, forward=ctx.direction() > 0 or rel == "this" and (wd - dct.weekday()) % 7 <= 3)
    return (kind, d.isoformat() + suffix, "day", f"weekday:{_WD_CODE[wd]}")


@pattern("holiday", rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<h>{_HOLIDAY})(?:,?\s+(?P<y>{_YEAR}))?\b", 0)
def _holiday_p(m: re.Match[str], ctx: _Ctx) -> Result | None:
    # a national day is the nation's the words before it name ("Ukraine's Independence Day"), else the one
    # the article named last
    nation = nation_of(ctx.sentence[max(0, ctx.s - 30):ctx.s]) or nation_of(ctx.doc[:ctx.at])
    if m["y"]:
        year = int(m["y"])
    elif ctx.dct is None:
        fixed = fixed_holiday(m["h"], nation)  # fixed-date holidays keep their month and day
        if fixed is None:
            return ("DATE", "XXXX-XX-XX", "day", None)
        md = f"{fixed[0]:02d}-{fixed[1]:02d}"
        return ("DATE", f"XXXX-{md}", "day", f"monthday:{md}")
    else:
        year = ctx.dct.year
        d = _holiday(m["h"], year, nation)
        if d is None:
            return None
        rel = (m["rel"] or "").lower()
        direction = 0 if rel else ctx.direction()
        if rel == "last" or (direction < 0 and d > ctx.dct + dt.timedelta(days=3)):
            year -= 1
        elif rel == "next" or (direction > 0 and d < ctx.dct):
            year += 1
    d = _holiday(m["h"], year, nation)
    return d and _day_value(d)


@pattern("season", rf"\b(?:(?P<rel>last|next|this|this past|the|early|late|mid|earlier this|later this)[- ]+)?"
                   rf"(?P<s>{_SEASON})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b")
def _season(m: re.Match[str], ctx: _Ctx) -> Result | None:
    code = SEASONS[m["s"].lower()]
    rel = (m["rel"] or "").lower()
    if m["s"].lower() == "fall" and not (rel or m["y"]):
        return None  # "prices fall"
    if m["s"].lower() == "spring" and not (rel or m["y"]) and m["s"][0].islower():
        return None
    if m["y"]:
        return ("DATE", f"{m['y']}-{code}", "season", None)
    if ctx.dct is None:
        return ("DATE", f"XXXX-{code}", "season", f"season:{code}")
    if rel in ("the", ""):
        if rel == "the" and not re.match(r"\s*(?:of|,|\.|$|when|after|before)", ctx.sentence[ctx.e:] or "."):
            return None
    year = ctx.dct.year
    order = ["WI", "SP", "SU", "FA"]
    cur = order[(ctx.dct.month % 12) // 3]
    if rel.startswith("last") or rel == "this past":
        year -= 1 if order.index(code) >= order.index(cur) else 0
    elif rel.startswith("next"):
        year += 1 if order.index(code) <= order.index(cur) else 0
    return ("DATE", f"{year:04d}-{code}", "season", None)


# deictic words ---------------------------------------------------------------

_REFS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF",
    "the present": "PRESENT_REF", "current": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF", "recent": "PAST_REF",
    "the future": "FUTURE_REF", "future": "FUTURE_REF", "soon": "FUTURE_REF",
    "a later date": "FUTURE_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the coming years": "FUTURE_REF", "the years ahead": "FUTURE_REF",
    "recent years": "PAST_REF", "recent months": "PAST_REF", "recent weeks": "PAST_REF", "recent days": "PAST_REF",
    "coming months": "FUTURE_REF", "coming weeks": "FUTURE_REF", "coming days": "FUTURE_REF",
    "past years": "PAST_REF",
}


@pattern("ref", r"\b(?:right now|now|currently|nowadays|these days|at present|presently|the present(?!\s+\w+ly)|"
                r"recently|lately|the past(?!\s+(?:\w+\s+)?" + _UNIT + r")|"
                r"the (?:near )?future|future|soon|a later date|the near term|"
                r"the (?:coming|next few) years|the years ahead|recent (?:years|months|weeks|days)|past years|"
                r"coming (?:months|weeks|days)|"
                r"recent|current)\b")
def _ref(m: re.Match[str], ctx: _Ctx) -> Result | None:
    word = re.sub(r"\s+", " ", m.group(0).lower())
    after = ctx.sentence[ctx.e:ctx.e + 30]
    before = ctx.sentence[max(0, ctx.s - 20):ctx.s].lower()
    # Adverbs of sequence ("previously", "earlier", "once", "shortly") are
    # left out on purpose: annotated news rarely counts them as times.
    if word == "future":
        if not re.search(r"\b(?:in|the|near|for)\s+$", before) and not re.match(r"\s+(?:years|months|dates?)\b", after):
            return None
    if word in ("recent", "current"):
        # only the adjective of a period or state: "the current quarter" is the quarter's
        if re.match(r"\s+(?:quarter|period|month|year|week|fiscal)", after):
            return None
        if not re.match(r"\s+[a-z]", after) or re.match(r"\s+(?:account|affairs|events|assets|"
                                                        r"liabilities|flows?)\b", after):
            return None
    if word == "now" and re.match(r"\s+in\s+(?:its|their|his|her|the)\b", after):
        return None  # "the war, now in its fourth year": a state, not a date
    if word == "soon" and re.match(r"\s+after|\s+as\b", after):
        return None
    if word == "the past" and re.match(r"\s+(?:president|chairman|decade|century|few)\b", after):
        return None
    return Result("DATE", _REFS[word], "unknown", None)


# "at that time", "at the time": the time the story last named.  The reference time is a day only once an
# explicit date has moved it off the DCT; before that the words say no more than "then" (PAST_REF, or
# FUTURE_REF in a sentence with "will": the tense cues' "expected" would turn a past "at the time" around).
# "At the time of ...", "at the time he left" are a preposition and a conjunction, not a time of their own.
@pattern("that_time", r"(?<=\bat\s)(?:that|the)\s+time\b(?=\s*(?:[,.;:)—–]|$|(?:\w+ed|was|were|had|is|are|"
                      r"did|said|told|saw|knew|thought|felt|held|led|ran|seemed)\b))")
def _that_time(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if ctx.ref is not None and ctx.ref != ctx.dct:
        return Result("DATE", ctx.ref.isoformat(), "day", None, False)
    future = re.search(r"\b(?:will|shall|going to)\b|'ll\b", ctx.sentence, re.I) is not None
    return Result("DATE", "FUTURE_REF" if future else "PAST_REF", "unknown", None, False)


@pattern("deictic", r"\b(?P<w>today|yesterday|tomorrow|tonight|overnight|last night|this (?:morning|afternoon|evening)|"
                    r"(?:yesterday|tomorrow) (?:morning|afternoon|evening)|"
                    r"(?:earlier|later) (?:today|tonight|this (?:morning|afternoon|evening))|"
                    r"the day before yesterday|the day after tomorrow)(?:'s)?\b")
def _deictic(m: re.Match[str], ctx: _Ctx) -> Result | None:
    w = re.sub(r"\s+", " ", m["w"].lower()).replace("earlier ", "").replace("later ", "")
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "overnight": -1, "last night": -1,
              "the day before yesterday": -2, "the day after tomorrow": 2}.get(w.split()[0] if w.split()[0] in
                                                                                 ("yesterday", "tomorrow") else w, 0)
    part = ""
    if w in ("tonight", "overnight", "last night"):
        part = "NI"
    elif " " in w and w.split()[-1] in PARTS:
        part = PARTS[w.split()[-1]]
    if w == "today" and re.match(r"'s\s+(?:world|market|economy|society|environment|young|generation)\b",
                                 ctx.sentence[m.end("w"):m.end("w") + 30]):
        return ("DATE", "PRESENT_REF", "unknown", None)
    kind = "TIME" if part else "DATE"
    anchor = f"offset:{offset:+d}D"
    if ctx.dct is None:
        return (kind, "XXXX-XX-XX" + (f"T{part}" if part else ""), "day", anchor)
    d = ctx.dct + dt.timedelta(days=offset)
    return (kind, d.isoformat() + (f"T{part}" if part else ""), "day", anchor)


# nights across two named days: "the night of 14 to 15 August", "the night of August 7-8", "the night of
# Wednesday to Thursday", "overnight into Tuesday".  TimeML writes a night as its first day with TNI.  "The
# night of August 14" names one day, which the date patterns already give.
_TO = r"\s*(?:to|into|-|–)\s*"


@pattern("night_of", rf"\b(?:the\s+)?night\s+of\s+(?:(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})"
                     rf"|(?P<mon2>{_MON})\s+(?P<d3>{_DAY}){_TO}(?P<d4>{_DAY})"
                     rf"|(?P<wd1>{_WD})\s+(?:to|into)\s+(?P<wd2>{_WD}))(?:,?\s+(?P<y>{_YEAR}))?\b")
def _night_of(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if m["wd1"]:
        end = WEEKDAYS[m["wd2"].lower()]
        if (end - WEEKDAYS[m["wd1"].lower()]) % 7 != 1:
            return None
        return _night_before(end, ctx)
    month = _month(m["mon"] or m["mon2"])
    first = _day_number(m["d1"] or m["d3"])
    if _day_number(m["d2"] or m["d4"]) != first + 1:
        return None
    day = _month_day(month, first, m["y"], ctx)
    return day and Result("TIME", day.value + "TNI", "day", day.anchor)


def _night_before(weekday: int, ctx: _Ctx) -> Result:
    """The night that ends on the morning of ``weekday``: the day before it, with TNI."""
    first = _WD_CODE[(weekday - 1) % 7]
    if ctx.dct is None:
        return Result("TIME", f"XXXX-WXX-{(weekday - 1) % 7 + 1}TNI", "day", f"weekday:{first}")
    if weekday == ctx.dct.weekday():
        morning = ctx.dct
    else:
        morning = nearest_weekday(ctx.dct, weekday, forward=ctx.direction() > 0)
    return Result("TIME", (morning - dt.timedelta(days=1)).isoformat() + "TNI", "day", f"weekday:{first}")


@pattern("overnight_into", rf"\bovernight\s+(?:into|to)\s+(?P<wd>{_WD})\b")
def _overnight_into(m: re.Match[str], ctx: _Ctx) -> Result | None:
    return _night_before(WEEKDAYS[m["wd"].lower()], ctx)


# last week, this year, next month, earlier this year, the past year ---------

@pattern("rel_unit", r"\b(?P<mod>(?:early|earlier|late|later|mid|the end of|the beginning of|the start of|"
                     r"the middle of|the rest of|the remainder of|the first half of|the second half of)[- ]+)?"
                     r"(?P<rel>last|this|next|the coming|coming|the current|current|the past|past|the previous|"
                     r"the following|that|the same|the prior|prior)\s+(?P<u>" + _UNIT_SG + r")(?:'s)?\b(?!-)")
def _rel_unit(m: re.Match[str], ctx: _Ctx) -> Result | None:
    rel = m["rel"].lower().replace("the ", "")
    unit = m["u"].lower()
    mod = (m["mod"] or "").strip().lower()
    if unit in ("second", "minute", "hour"):
        return None
    anaphoric = rel in ("previous", "following", "that", "same", "prior")
    # "the past year" reads as a duration in TimeML
    if rel == "past" or (rel == "last" and m.group(0).lower().startswith("the")
                         and re.match(r"\s*\d", ctx.sentence[ctx.e:])):
        return ("DURATION", _duration(1, unit), "unknown", None)
    step = {"last": -1, "previous": -1, "prior": -1, "this": 0, "current": 0, "that": 0, "same": 0,
            "next": 1, "coming": 1, "following": 1}[rel]
    base = ctx.ref if anaphoric else ctx.dct
    if base is None:
        return ("DATE", _UNRESOLVED[unit], _prec(unit), f"offset:{step:+d}{UNITS[unit]}")
    if unit == "quarter" and rel in ("last", "previous", "prior") and ctx.ref_quarter and not anaphoric:
        y, q = _prev_quarter(*ctx.ref_quarter)
        value = f"{y:04d}-Q{q}"
    else:
        value = _shift(base, step, unit)
    if unit == "night":
        value += "TNI"
        return ("TIME", value, "day", f"offset:{step:+d}D")
    if mod in ("the first half of", "the second half of") and unit == "year":
        value += "-H1" if "first" in mod else "-H2"
    return ("DATE", value, _prec(unit), None if anaphoric else f"offset:{step:+d}{UNITS[unit]}")


# "the end of the month", "the start of the week": a part of the DCT's week, month or year.  TimeML would add
# mod="END"/"START"; the value is the unit's own ("2025-06"), which is as precise as the words allow.
@pattern("part_of_unit", r"\b(?:the\s+)?(?:very\s+)?(?:end|start|beginning|middle|rest|remainder|close)\s+of\s+"
                         r"the\s+(?P<u>week|month|year)\b(?![-'’])")
def _part_of_unit(m: re.Match[str], ctx: _Ctx) -> Result | None:
    unit = m["u"].lower()
    if re.match(r"\s+(?:of|before|after|in which|when|that)\b", ctx.sentence[ctx.e:ctx.e + 12]):
        return None  # "the end of the year before": another year than the DCT's
    if ctx.dct is None:
        return Result("DATE", _UNRESOLVED[unit], _prec(unit), f"offset:+0{UNITS[unit]}")
    return Result("DATE", _shift(ctx.dct, 0, unit), _prec(unit), f"offset:+0{UNITS[unit]}")


_UNRESOLVED = {"day": "XXXX-XX-XX", "night": "XXXX-XX-XX", "week": "XXXX-WXX", "fortnight": "XXXX-WXX",
               "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX", "decade": "XXX", "century": "XX"}


_PRECISION = {"day": "day", "night": "day", "week": "week", "weekend": "week", "fortnight": "week", "month": "month",
              "quarter": "quarter", "year": "year", "decade": "decade", "century": "century"}


def _prec(unit: str) -> str:
    return _PRECISION.get(unit, "unknown")


# N units ago / earlier / later / from now ---------------------------------------

@pattern("offset", rf"\b(?:(?:more than|less than|about|almost|nearly|roughly|some|over|just|only|exactly)\s+)?"
                   rf"(?P<n>{_NUM})[- ](?P<u>{_UNIT})\s+(?:(?P<dir>ago|earlier|later|hence|from now|previously|back)|"
                   rf"(?P<dir2>before|after)(?!\s+(?:the|a|an|his|her|its|their|he|she|it|they|we|this|that)\b))\b")
def _offset(m: re.Match[str], ctx: _Ctx) -> Result | None:
    unit = _unit(m["u"])
    n = _number(m["n"])
    if unit == "fortnight":
        unit, n = "week", None if n is None else 2 * n
    direction = (m["dir"] or m["dir2"]).lower()
    sign = 1 if direction in ("later", "after", "hence", "from now") else -1
    anaphoric = direction not in ("ago", "from now", "hence", "back")
    base = ctx.ref if anaphoric else ctx.dct
    if n is None or n != int(n):
        return Result("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "unknown", None, False)
    if base is None:  # an offset from an unknown reference; only a DCT offset is worth recording
        return Result("DATE", _UNRESOLVED.get(unit, "XXXX-XX-XX"), _prec(unit),
                      None if anaphoric else f"offset:{sign * int(n):+d}{UNITS.get(unit, 'D')}", False)
    if unit in ("hour", "minute", "second"):
        return Result("DATE", base.isoformat(), "day", None, False)
    if unit == "year" and n == 1 and ctx.ref_quarter:
        y, q = ctx.ref_quarter
        return Result("DATE", f"{y + sign * int(n):04d}-Q{q}", "quarter", None, False)
    scale = {"year": 1, "decade": 10, "century": 100}.get(unit)
    if scale and not 1 <= base.year + sign * int(n) * scale <= 9999:
        # "2001 years ago": before year 1, which TimeML cannot write.
        return Result("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "unknown", None, False)
    return Result("DATE", _shift(base, sign * int(n), unit), _prec(unit), None, False)


@pattern("the_day_before", r"\b(?P<w>the (?:day|night|week|month|year) (?:before|after)|the next (?:day|morning|night)|"
                           r"the (?:previous|preceding|following) (?:day|night|morning|evening)|that (?:day|night|morning|evening|afternoon)|"
                           r"the same day)\b(?!\s+(?:of|when|that|in|on|before|after|\w+ing)\b)")
def _anaphoric_day(m: re.Match[str], ctx: _Ctx) -> Result | None:
    parts = m["w"].lower().split()
    unit = "day"
    for p in parts:
        if p in ("week", "month", "year"):
            unit = p
    sign = -1 if ("before" in parts or "previous" in parts or "preceding" in parts) else \
        1 if ("after" in parts or "next" in parts or "following" in parts) else 0
    last = parts[-1]
    suffix = f"T{PARTS[last]}" if last in PARTS else ""
    if ctx.ref is None:
        return ("TIME" if suffix else "DATE", "XXXX-XX-XX" + suffix, _prec(unit), None)
    return ("TIME" if suffix else "DATE", _shift(ctx.ref, sign, unit) + suffix, _prec(unit), None)


# "the 100th day of the war", "his first day in office": a DATE (TBAQ), the day the count reaches.  Only a
# present copula ("it is the 100th day") says that day is the DCT; otherwise the day cannot be known.
_ORDINAL_WORD = (r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                 r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]?(?:first|second|third|fourth|fifth|"
                 r"sixth|seventh|eighth|ninth)|\w+tieth|hundredth|thousandth)")


@pattern("ordinal_day", rf"\b(?:the\s+)?{_ORDINAL_WORD}\s+day\b(?=\s+(?:of|in|since|after)\s)")
def _ordinal_day(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if re.search(r"\b(?:it'?s|it is|today is|is|marks?|marked)\s+$", ctx.sentence[max(0, ctx.s - 12):ctx.s], re.I) \
            and ctx.dct is not None:
        return Result("DATE", ctx.dct.isoformat(), "day", None, False)
    return Result("DATE", "XXXX-XX-XX", "day", None, False)


# quarters and halves --------------------------------------------------------------

@pattern("quarter", r"\b(?:the\s+)?(?:(?P<yr1>(?:19|20)\d\d)(?:'s)?\s+|(?P<prevy>year-earlier|year-ago|year earlier|"
                    r"last year's|the prior year's|the previous year's|this year's)\s+|(?P<fiscal>fiscal\s+))?"
                    r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)|(?P<rel>latest|current|past|previous|"
                    r"prior|same|recent|last|final|most recent|comparable|year-ago))?(?:\s+fiscal)?"
                    r"[- ]?(?P<q>quarter|period)s?(?:'s)?(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<yr2>(?:19|20)\d\d))?\b"
                    r"|\bQ(?P<qn>[1-4])(?:\s+(?P<yr3>(?:19|20)\d\d))?\b")
def _quarter_p(m: re.Match[str], ctx: _Ctx) -> Result | None:
    text = m.group(0).lower()
    if m["qn"]:
        n = int(m["qn"])
    elif m["ord"]:
        n = _ORDINALS[m["ord"].lower()]
    else:
        n = None
    year = m["yr1"] or m["yr2"] or m["yr3"]
    bare = not (n or year or m["rel"] or m["prevy"] or text.startswith("the"))
    if bare or not re.search(r"\w[- ]?(?:quarter|period)", text):
        return None
    if m["q"].lower() == "period" and (not (m["rel"] or m["prevy"]) or ctx.ref_quarter is None or n):
        return None  # "the period" is a quarter only in an earnings report
    if re.match(r"[- ](?:century|mile|of a|point|percentage)", ctx.sentence[ctx.e:ctx.e + 12]):
        return None
    # "the year-ago quarter" and "the previous quarter" are read off the reference; they do not move it
    derived = re.search(r"year|ago|earlier|prior|previous", text) is not None
    prev_year = bool(m["prevy"] and not m["prevy"].startswith("this")) or (m["rel"] or "").lower() == "year-ago"
    if year:
        y = int(year)
        if n is None:
            n = ctx.ref_quarter[1] if ctx.ref_quarter else None
            if n is None:
                return Result("DATE", f"{y:04d}-QX", "year", None, not derived)
    elif ctx.dct is None:
        return Result("DATE", f"XXXX-Q{n}" if n else "XXXX-QX", "quarter", None, not derived)
    else:
        if n is None:
            rel = (m["rel"] or "").lower()
            if rel == "current":
                y, n = _quarter(ctx.dct)
            elif rel in ("latest", "most recent", "recent") or not rel and not m["prevy"]:
                y, n = _last_quarter(ctx.dct)
            else:
                y, n = ctx.ref_quarter or _last_quarter(ctx.dct)
        else:
            y = ctx.dct.year
            if dt.date(y, 3 * n - 2, 1) > ctx.dct and ctx.direction() <= 0:
                y -= 1
    if prev_year:
        y -= 1
    return Result("DATE", f"{y:04d}-Q{n}", "quarter", None, not derived)


def _prev_quarter(y: int, q: int) -> tuple[int, int]:
    return (y - 1, 4) if q == 1 else (y, q - 1)


def _last_quarter(d: dt.date) -> tuple[int, int]:
    return _prev_quarter(*_quarter(d))


@pattern("half", rf"\b(?:the\s+)?(?P<o>first|second)[- ]half(?:\s+of(?:\s+(?:the\s+)?(?:(?P<y>{_YEAR})|(?P<rel>this|last|next)\s+year|the year)))?\b")
def _half(m: re.Match[str], ctx: _Ctx) -> Result | None:
    h = "H1" if m["o"].lower() == "first" else "H2"
    if m["y"]:
        return ("DATE", f"{m['y']}-{h}", "half", None)
    if ctx.dct is None:
        return None
    rel = (m["rel"] or "this").lower()
    if not m.group(0).lower().endswith("year") and not re.search(r"\b(?:year|fiscal|profits?|earnings|sales|revenue)", ctx.sentence, re.I):
        return None
    y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[rel]
    return ("DATE", f"{y:04d}-{h}", "half", None)


# durations -----------------------------------------------------------------------------

# terms: a term of office is a span of time of its own length ("a third term", "two terms in office"), its
# length unknown unless written ("a four-year term" is a count of years); "the short term", "the long term"
# is the time ahead (TBAQ: FUTURE_REF).  "In terms of", "the terms of the deal" are no time.
_TERM_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|seventh|\d+(?:st|nd|rd|th))"


@pattern("term", rf"\b(?:(?:(?:a|the|his|her|their|its)\s+)?{_TERM_ORDINAL}\s+term|"
                 r"(?:two|three|four|five|six|\d)\s+(?:consecutive\s+|successive\s+|straight\s+)?terms)\b"
                 r"(?!\s+(?:of|and|for|with|to|on|under)\b|[-–])|"
                 r"\b(?P<horizon>the\s+(?:short|near|long|medium|longer)\s+term)\b(?!\s+of\b|[-–])")
def _term(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if m["horizon"]:
        return Result("DATE", "FUTURE_REF", "unknown", None, False)
    return Result("DURATION", "PXY", "unknown", None, False)


@pattern("duration", rf"\b(?P<lead>(?:the|a|an|its|their|his|her)\s+)?(?:(?P<span>past|last|next|first|previous|"
                     rf"coming|final|remaining|following|initial|same|preceding)\s+)?(?:(?P<n>{_NUM})[- ])?"
                     rf"(?:more\s+|full\s+|straight\s+|consecutive\s+|long\s+|additional\s+|extra\s+|other\s+)?"
                     rf"(?P<u>{_UNIT})(?P<long>-long|-old|-plus)?\b")
def _duration_p(m: re.Match[str], ctx: _Ctx) -> Result | None:
    unit = _unit(m["u"])
    plural = m["u"].lower().endswith("s") and unit != "century" or m["u"].lower() == "centuries"
    after = ctx.sentence[ctx.e:ctx.e + 40]
    before = ctx.sentence[max(0, ctx.s - 25):ctx.s].lower()
    if m["long"] == "-old":
        return None
    if unit == "second" and not m["n"] or unit == "second" and (m["n"] or "").lower() in ("a", "an") \
            and not re.match(r"\s*(?:[,.;]|$|or|and|later|earlier|ago)", after or "."):
        return None  # "a second one", "a second term": the ordinal
    n_text = m["n"]
    span = (m["span"] or "").lower()
    lead = (m["lead"] or "").strip().lower()
    if n_text is None:
        if not plural:
            if not (span or lead in ("a", "an") or (lead == "the" and unit == "weekend")):
                return None
            if lead in ("a", "an") and not span:
                if re.search(r"\b(?:once|twice|times|per)\s+$", before) or re.search(r"\d\s*$", before) or \
                        re.search(r"(?:million|billion|thousand|dollars|cents|percent|%)\s*$", before):
                    return None  # "$5 million a year": a rate, see the SET pattern
            if lead == "the" and span in ("", "same", "first") and unit != "weekend":
                return None
            if span == "first" and lead in ("his", "her", "its", "their"):
                return None  # "his first day in office": an ordinal day, see ordinal_day
        else:
            if not (span or lead) and not re.search(r"\b(?:for|in|over|within|of|than|took|take|takes|spent|"
                                                     r"lasted|last|after|few|many)\s+$", before):
                if not re.match(r"\s+(?:ago|of|later|earlier)\b", after):
                    return None
            if re.match(r"\s+ago\b", after):
                return ("DATE", "PAST_REF", "unknown", None)
            if lead in ("his", "her", "its", "their"):
                return None
    else:
        if re.match(r"\s+(?:ago|earlier|later|from now|hence)\b", after) or \
                re.match(r"\s+(?:before|after)\b(?!\s+(?:the|a|an|his|her|its|their|he|she|it|they|we|this|that)\b)", after):
            return None  # the offset pattern covers it; "two years after the war" stays a duration
        if n_text.lower() in ("a", "an") and re.search(r"\b(?:once|twice|times|per)\s+$", before):
            return None
        if n_text.lower() in ("some", "many", "numerous") and not plural:
            return None
    n = _number(n_text) if n_text else (1 if not plural else None)
    if unit == "weekend" and lead == "the" and not span and not n_text:
        if ctx.dct is None:
            return ("DATE", "XXXX-WXX-WE", "week", None)
        if ctx.direction() > 0:
            d = ctx.dct + dt.timedelta(days=(5 - ctx.dct.weekday()) % 7)
        else:
            d = ctx.dct - dt.timedelta(days=(ctx.dct.weekday() + 2) % 7)
        return ("DATE", _week(d) + "-WE", "week", None)
    return ("DURATION", _duration(n, unit), "unknown", None)


# times of day -------------------------------------------------------------------------------

_CLOCK_PREPS = ("at", "by", "until", "before", "after", "around", "about")


@pattern("clock", rf"\b(?:(?:about|around|approximately|at|by|until|before|after)\s+)?(?P<c>{_CLOCK}){_TZ}"
                  rf"(?:\s+(?:on\s+)?(?P<wd>{_WD}|today|yesterday|tomorrow|tonight))?"
                  rf"(?:\s+(?:(?P<rel>last|this|next)\s+)?(?P<pu>night|morning|evening|afternoon))?")
def _clock(m: re.Match[str], ctx: _Ctx) -> Result | None:
    c = m["c"].lower()
    if re.match(r"\d+:\d", c) and re.match(r"\s*(?:-|to)\s*\d", ctx.sentence[ctx.e:ctx.e + 6]):
        return None  # a score or ratio
    if re.fullmatch(r"\d+:\d\d|\d{4}", c) and not m["wd"] and not m.group(0).lower().startswith(_CLOCK_PREPS) \
            and not ctx.sentence[max(0, ctx.s - 10):ctx.s].rstrip().lower().endswith(_CLOCK_PREPS):
        return None  # a bare "3:30" is a score or a ratio as often as a time
    if c in ("noon", "midday"):
        hh, mm = 12, 0
    elif c == "midnight":
        hh, mm = 24, 0
    elif c.isdigit():
        hh, mm = int(c[:2]), int(c[2:])
    else:
        mt = re.match(r"(\d+)(?::(\d\d))?\s*(a\.?m\.?|p\.?m\.?|am|pm)?", c)
        hh, mm = int(mt.group(1)), int(mt.group(2) or 0)
        ampm = (mt.group(3) or "").replace(".", "")
        if ampm == "pm" and hh < 12:
            hh += 12
        if ampm == "am" and hh == 12:
            hh = 0
        if (m["pu"] or "").lower() in ("evening", "night", "afternoon") and hh < 12 and not ampm:
            hh += 12
    day = ctx.ref
    anchor = None
    if m["wd"]:
        w = m["wd"].lower()
        if w in WEEKDAYS:
            wd = WEEKDAYS[w]
            day = ctx.dct and nearest_weekday(ctx.dct, wd, forward=ctx.direction() > 0)
            anchor = f"weekday:{_WD_CODE[wd]}"
        elif ctx.dct is not None:
            day = ctx.dct + dt.timedelta(days={"yesterday": -1, "tomorrow": 1}.get(w, 0))
    if (m["rel"] or "").lower() == "last" and day is not None:
        day = day - dt.timedelta(days=1)
    base = day.isoformat() if day else f"XXXX-WXX-{_WD_CODE.index(anchor[8:]) + 1}" if anchor else "XXXX-XX-XX"
    tm = "24:00" if hh == 24 else f"{hh:02d}:{mm:02d}"
    return ("TIME", f"{base}T{tm}", "time", anchor)


@pattern("daypart", r"\b(?:(?:early|late|mid)[- ])?(?P<p>morning|afternoon|evening)\b")
def _daypart(m: re.Match[str], ctx: _Ctx) -> Result | None:
    before = ctx.sentence[max(0, ctx.s - 12):ctx.s].lower()
    if not re.search(r"\b(?:in the|this|that|on|by the|until|the)\s*$", before):
        return None
    if re.search(r"\b(?:the)\s*$", before) and not re.search(r"\b(?:in|by|until|during|through)\s+the\s*$", before):
        return None
    if ctx.dct is None:
        return ("TIME", f"XXXX-XX-XXT{PARTS[m['p'].lower()]}", "day", None)
    return ("TIME", f"{ctx.dct.isoformat()}T{PARTS[m['p'].lower()]}", "day", None)


# sets ------------------------------------------------------------------------------------------

# A verb right before "annually" makes it the recurrence of an event ("is published annually", "renewed
# annually"); after an amount ("$5 million annually", "20% annually") it is part of a rate.
_RECURRING_VERB = re.compile(r"\b(?:\w{3,}ed|held|paid|given|run|done|made|set|sent|chosen|meets|gathers|takes place|"
                             r"happens|occurs|falls|is|are)\s+$", re.I)


@pattern("set", rf"\b(?:(?P<adv>daily|nightly|weekly|monthly|quarterly|annually|yearly|hourly)\b(?!\s+(?:basis|rate|average))"
                rf"|(?:(?:once|twice|\w+ times)\s+)?(?P<q>every|each|per|a|an)\s+(?P<n>other\s+|{_NUMW}\s+|\d+\s+)?"
                rf"(?P<u>{_UNIT_SG}|fortnight|{_WD}|{_MON}|{_SEASON}|{_PART})\b)")
def _set(m: re.Match[str], ctx: _Ctx) -> Result | None:
    if m["adv"]:
        adv = m["adv"].lower()
        if adv == "daily" and re.match(r"\s+(?:news|newspaper|paper|mail|life|routine|volume|average|share|dividends?)",
                                       ctx.sentence[ctx.e:ctx.e + 12]):
            return None
        code = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
                "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}[adv]
        if adv in ("annually", "yearly") and not re.search(r"\b(?:held|meets?|met|every|each|twice)\b", ctx.sentence) \
                and not _RECURRING_VERB.search(ctx.sentence, 0, ctx.s):
            return None  # "sales of $5 million annually" is a rate
        if adv in ("weekly", "monthly", "quarterly") and re.match(r"\s+[a-z]", ctx.sentence[ctx.e:ctx.e + 3]):
            return None  # "a weekly magazine"
        return ("SET", code, "unknown", None)
    q = m["q"].lower()
    u = m["u"].lower()
    before = ctx.sentence[max(0, ctx.s - 30):ctx.s].lower()
    has_freq = bool(re.match(r"(?:once|twice|\w+ times)\s", m.group(0).lower()))
    if q in ("a", "an") and not has_freq and not re.search(r"(?:\d|million|billion|thousand|dollars|cents|"
                                                            r"percent|%|hundred|ton|tons|barrels)\s*$", before):
        return None
    if u in WEEKDAYS:
        return ("SET", f"XXXX-WXX-{WEEKDAYS[u] + 1}", "unknown", None)
    if u.rstrip(".") in MONTHS:
        return ("SET", f"XXXX-{_month(u):02d}", "unknown", None)
    if u in SEASONS:
        return ("SET", f"XXXX-{SEASONS[u]}", "unknown", None)
    if u in PARTS and q in ("every", "each"):
        return ("SET", f"XXXX-XX-XXT{PARTS[u]}", "unknown", None)  # "each evening": the evening of every day
    if u in PARTS and u != "night":
        return None
    n_txt = (m["n"] or "").strip().lower()
    n = 2 if n_txt == "other" else _number(n_txt) if n_txt else 1
    if n is None:
        return None
    if q == "each" and re.match(r"\s+of\b", ctx.sentence[ctx.e:ctx.e + 5]):
        return None
    return ("SET", _duration(n, u if u in UNITS else "day"), "unknown", None)
