"""First-pass time tagger: explicit dates, month-year, years, and weekdays.

This pass only handles what it can get right with rules and the document
creation time (DCT): "August 15, 2025", "15 Aug 2025", "2025-08-15",
"June 2025", "in 2022", "on Friday", "yesterday", "overnight".  A richer
tagger (issue 3) replaces it behind the same ``tag`` signature.

Relative expressions in a document without a DCT keep ``value=None`` and
record what they said in ``anchor`` so a later stage can resolve them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

from ..model import Sentence, TimeExpr

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}
_WD_CODE = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|"
    r"Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Ordered: the first pattern to claim a span wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY}(?:,\s*|\s+){_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b")),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}\b(?![:.]\d)")),
    ("dm", re.compile(rf"\b{_DAY}\s+{_MON}\b")),
    ("my", re.compile(rf"\b(?:(?P<mod>early|mid|late)[- ])?{_MON},?\s+{_YEAR}\b")),
    # A bare month name counts only after a preposition: "may" and "march"
    # are verbs far more often than months.
    ("m", re.compile(r"\b(?P<prep>in|since|until|by|during|from|early|late|mid|last|next|this)\s+"
                     r"(?P<mon>January|February|March|April|May|June|July|August|September|"
                     r"October|November|December)\b(?!\s+\d)")),
    ("wd", re.compile(r"\b(?:(?P<rel>last|next|this|on|by|until|since|from)\s+)?"
                      r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                      r"(?:'s)?(?:\s+(?P<part>morning|afternoon|evening|night))?\b")),
    ("rel", re.compile(r"\b(?P<rel>today|yesterday|tomorrow|tonight|overnight|last night)\b", re.I)),
    ("year", re.compile(r"\b(?P<prep>in|since|by|until|from|during|of|early|late|mid|before|after)\s+"
                        r"(?:(?:early|late|mid)[- ])?(?P<year>(?:19|20)\d\d)\b(?!\s*(?:%|percent|people|troops|km))")),
]

_FUTURE = re.compile(
    r"\b(will|shall|is set to|are set to|set to meet|plans? to|planned|scheduled|expected to|"
    r"is to|are to|going to|would|next|upcoming|ahead of)\b", re.I
)


_PAST_VERB = re.compile(
    r"\b(said|says|told|met|held|announced|reported|added|claimed|launched|struck|killed|"
    r"was|were|had|did|\w+ed)\s*(?:,\s*)?(?:on\s+)?$", re.I)


def _looks_forward(sentence: str, at: int) -> bool:
    """Guess whether an underspecified date points forward from the DCT.

    The verb right before the expression decides first ("said Thursday" is
    past); otherwise a future marker in the preceding words does ("set to
    meet in Anchorage on Friday").  News mostly reports the past, so that is
    the default.
    """
    before = sentence[max(0, at - 80):at]
    if _PAST_VERB.search(before):
        return False
    return bool(_FUTURE.search(before))


class TimeTagger(Protocol):
    def tag(self, text: str, sentences: list[Sentence], dct: str | None) -> list[TimeExpr]: ...


def _parse_dct(dct: str | None) -> dt.date | None:
    if not dct:
        return None
    try:
        return dt.date.fromisoformat(dct[:10])
    except ValueError:
        return None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _nearest_year(month: int, day: int | None, dct: dt.date, forward: bool | None) -> int:
    """The year that puts a month (and day) closest to the DCT in the given direction."""
    cand = dt.date(dct.year, month, min(day or 1, 28))
    if forward is True and cand < dct.replace(day=1) and (dct - cand).days > 31:
        return dct.year + 1
    if forward is not True and cand > dct and (cand - dct).days > 31:
        return dct.year - 1
    return dct.year


class RuleTimeTagger:
    """Stateless: safe to share between worker processes."""

    def tag(self, text: str, sentences: list[Sentence], dct: str | None) -> list[TimeExpr]:
        anchor = _parse_dct(dct)
        found: list[TimeExpr] = []
        for sent in sentences or [Sentence(0, 0, len(text), text)]:
            stext = sent.text
            taken: list[tuple[int, int]] = []  # expressions never cross a sentence
            for kind, pat in _PATTERNS:
                for m in pat.finditer(stext):
                    s, e = sent.start + m.start(), sent.start + m.end()
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    tx = self._normalise(kind, m, anchor, stext)
                    if tx is None:
                        continue
                    tx.start, tx.end, tx.text = s, e, text[s:e]
                    found.append(tx)
                    taken.append((s, e))
        found.sort(key=lambda t: t.start)
        return found

    def _normalise(self, kind: str, m: re.Match[str], dct: dt.date | None,
                   sentence: str) -> TimeExpr | None:
        """Value of one match; only underspecified kinds consult the tense."""
        g = m.groupdict()
        if kind == "iso":
            d = _safe_date(int(g["year"]), int(g["mon"]), int(g["day"]))
            return d and TimeExpr(0, 0, "", d.isoformat(), "day")
        if kind in ("mdy", "dmy"):
            d = _safe_date(int(g["year"]), _month(g["mon"]), int(g["day"]))
            return d and TimeExpr(0, 0, "", d.isoformat(), "day")
        if kind in ("md", "dm"):
            month, day = _month(g["mon"]), int(g["day"])
            if not 1 <= day <= 31:
                return None
            if g["mon"].lower().rstrip(".") == "may" and kind == "md" and not m.group(0)[0].isupper():
                return None
            if dct is None:
                return TimeExpr(0, 0, "", None, "day", anchor=f"monthday:{month:02d}-{day:02d}")
            d = _safe_date(_nearest_year(month, day, dct, _looks_forward(sentence, m.start())), month, day)
            return d and TimeExpr(0, 0, "", d.isoformat(), "day")
        if kind == "my":
            return TimeExpr(0, 0, "", f"{int(g['year']):04d}-{_month(g['mon']):02d}", "month")
        if kind == "m":
            month = _month(g["mon"])
            if dct is None:
                return TimeExpr(0, 0, "", None, "month", anchor=f"month:{month:02d}")
            prep = g["prep"].lower()
            direction = True if prep == "next" else False if prep == "last" else \
                (_looks_forward(sentence, m.start()) or None)
            year = _nearest_year(month, None, dct, direction)
            return TimeExpr(0, 0, "", f"{year:04d}-{month:02d}", "month")
        if kind == "wd":
            wd = WEEKDAYS[g["wd"].lower()]
            rel = (g.get("rel") or "").lower()
            if dct is None:
                return TimeExpr(0, 0, "", None, "day", anchor=f"weekday:{_WD_CODE[wd]}")
            delta = (wd - dct.weekday()) % 7
            go_forward = rel == "next" or (rel not in ("last", "since") and _looks_forward(sentence, m.start()))
            if go_forward:
                d = dct + dt.timedelta(days=delta)
            else:
                d = dct - dt.timedelta(days=(7 - delta) % 7)
            return TimeExpr(0, 0, "", d.isoformat(), "day", anchor=f"weekday:{_WD_CODE[wd]}")
        if kind == "rel":
            word = g["rel"].lower()
            offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1,
                      "overnight": -1, "last night": -1}[word]
            if dct is None:
                return TimeExpr(0, 0, "", None, "day", anchor=f"offset:{offset:+d}D")
            d = dct + dt.timedelta(days=offset)
            return TimeExpr(0, 0, "", d.isoformat(), "day", anchor=f"offset:{offset:+d}D")
        if kind == "year":
            return TimeExpr(0, 0, "", f"{int(g['year']):04d}", "year")
        return None


def default_tagger() -> TimeTagger:
    return RuleTimeTagger()
