"""When was an article published, and how do we know?

Relative dates ("on Tuesday", "yesterday") can only be resolved against the
publication date, so a wrong one shifts a whole article's events.  The date
therefore always comes with its provenance, in order of trust: the feed or
file metadata, then the HTML page, then an explicit cue in the text itself
("Published on 30 April 2025", a dated lead), and otherwise none.

When nothing says when the article appeared, the latest date it mentions is
still useful, but only as a lower bound (``published_after``): an article
recounting events of 19 October was written on or after that day, not on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from email.utils import parsedate_to_datetime

__all__ = ["publication_date", "normalise_date", "mentioned_dates", "lead_date", "MONTHS"]

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Tue|Wednes|Wed|Thurs|Thu|Fri|Satur|Sat|Sun)(?:day)?\.?,?\s+)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Full dates, day precision.  Each carries named groups day/mon/year, or
# iso parts y/m/d.
_MDY = _MONTH + r"\s+" + _DAY + r"(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?,?\s+" + _YEAR
_DMY = _DAY + r"(?:\s*[-–]\s*(?P<day2>[0-3]?\d))?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR
_ISO = r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
_FULL_DATE = re.compile(
    r"\b(?:" + _MDY.replace("(?P<", "(?P<a_") + r"|" + _DMY.replace("(?P<", "(?P<b_") + r"|" + _ISO + r")\b",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+" + _YEAR + r"\b", re.IGNORECASE)

# A date right at the start of the lead: "On October 16, 2025, ...",
# "16 October 2025: ...", "KYIV, Ukraine, June 24, 2025 (Reuters) - ...".
_LEAD = re.compile(
    r"\s*(?:[A-Z][A-Z .'’-]{1,30}(?:,\s*[A-Z][\w .'’-]{1,30})?,\s+)?(?:On\s+)?" + _WEEKDAY + r"?$",
)
# Notes that state the publication outright, in order of trust.
# They must open a line or follow a separator ("By Jane Doe | Published on"),
# so that "a report published on 30 April" in a sentence does not count.
_NOTE_HEAD = r"(?:^|[|•·]|\bBy\s[^|\n]{1,60}?[,—–-])\s*"
_NOTES = [
    re.compile(_NOTE_HEAD + r"(?:first\s+)?(?:published|posted)(?:\s+(?:on|at))?\s*[:\-–—]?\s*" + _WEEKDAY + r"?$", re.IGNORECASE),
    re.compile(_NOTE_HEAD + r"(?:last\s+)?updated(?:\s+(?:on|at))?\s*[:\-–—]?\s*" + _WEEKDAY + r"?$", re.IGNORECASE),
]
_AS_OF = re.compile(r"\bas\s+of\s+$", re.IGNORECASE)
# Words before a date that point forward in time (plans, deadlines); such
# dates say nothing about when the article was written.
# Dropping one only loosens the lower bound, so the list errs wide.
_FUTURE_CUE = re.compile(
    r"\b(?:by|until|till|before|through|beyond|after|starting|beginning|from|deadline|scheduled"
    r"|planned|plans?|expected|due|will|would|could|next|set|slated|upcoming|approach(?:es|ing)?"
    r"|ending|ends|expires?|expiring|begin|begins)\b"
    r"[^.!?\n]{0,20}$",
    re.IGNORECASE,
)
# Dates a page stamps on itself after publication: corrections, the print
# edition, broadcast notices, reader comments ("At 12:19 26th Apr 2009,
# someone wrote").
_LATER_CUE = re.compile(
    r"\b(?:amended|corrected|correction|clarification|appeared|printed|print\s+edition|broadcast|airs?)\b"
    r"[^!?\n]{0,100}$",
    re.IGNORECASE,
)
_COMMENT_AFTER = re.compile(r"\s*(?:,\s*)?\S{1,40}\s+wrote\s*:", re.IGNORECASE)
_LOOKBACK = 120


def _is_bound(text: str, m: re.Match[str]) -> bool:
    """Whether a mentioned date can bound the publication date from below."""
    before = text[max(0, m.start() - _LOOKBACK): m.start()]
    if _FUTURE_CUE.search(before[-40:]) or _LATER_CUE.search(before):
        return False
    return not _COMMENT_AFTER.match(text, m.end())


def _make(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str], latest: bool = False) -> str | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    if any(k.endswith("mon") and v == "may" for k, v in g.items()):
        return None  # the modal verb, not the month
    if "y" in g:
        return _make(int(g["y"]), int(g["m"]), int(g["d"]))
    for p in ("a_", "b_"):
        if p + "year" in g:
            day = g.get(p + "day2") if latest and g.get(p + "day2") else g[p + "day"]
            return _make(int(g[p + "year"]), MONTHS[g[p + "mon"].lower().rstrip(".")], int(day))
    return None


def normalise_date(value: str | None) -> str | None:
    """A metadata date string as YYYY-MM-DD, or None when it is not a full date."""
    if not value or not value.strip():
        return None
    s = value.strip()
    m = re.match(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])", s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"((?:19|20)\d\d)(\d\d)(\d\d)(?:T.*)?", s)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    m = _FULL_DATE.search(s)
    if m and len(s) - len(m.group(0)) <= 30:
        return _from_match(m)
    # Numeric day-first or month-first forms, only when unambiguous.
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)(?:[T\s].*)?", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 >= b:
            return _make(y, b, a)
        if b > 12 >= a:
            return _make(y, a, b)
        if "." in s and a <= 12 and b <= 12:
            return _make(y, b, a)  # dotted dates are day-first by convention
    return None


def lead_date(text: str) -> str | None:
    """The date opening the article's first paragraph, if it has one.

    The first line may be a headline (no closing punctuation); then the
    line after it is the lead.
    """
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    candidates = paras[:1]
    if paras and not re.search(r"[.!?\"”:]$", paras[0]) and len(paras) > 1:
        candidates.append(paras[1])
    for para in candidates:
        m = _FULL_DATE.search(para[:120])
        if m and _LEAD.fullmatch(para[: m.start()]):
            return _from_match(m)
    return None


def _note_date(text: str, dates: list[re.Match[str]]) -> str | None:
    best: tuple[int, str] | None = None
    for m in dates:
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start: m.start()]
        if len(before) > 100:
            continue
        for rank, pat in enumerate(_NOTES):
            if pat.search(before):
                d = _from_match(m)
                if d and (best is None or rank < best[0]):
                    best = (rank, d)
    return best[1] if best else None


def _as_of_date(text: str, dates: list[re.Match[str]]) -> str | None:
    found = [
        d for m in dates
        if _AS_OF.search(text[max(0, m.start() - 20): m.start()]) and (d := _from_match(m))
    ]
    return max(found) if found else None


def mentioned_dates(text: str) -> list[str]:
    """Full and month-year dates the text mentions as past or present, as YYYY-MM-DD.

    A month-year date stands for the first of its month, the earliest day it
    can mean.  Dates introduced as plans or deadlines, and dates the page
    adds after publication (corrections, comments), are skipped.
    """
    return _mentioned(text, _FULL_DATE.finditer(text))


def _mentioned(text: str, dates: Iterable[re.Match[str]]) -> list[str]:
    out: list[str] = []
    covered: list[tuple[int, int]] = []
    for m in dates:
        covered.append(m.span())
        if not _is_bound(text, m):
            continue
        d = _from_match(m, latest=True)
        if d:
            out.append(d)
    for m in _MONTH_YEAR.finditer(text):
        if any(a <= m.start() < b for a, b in covered):
            continue
        if not _is_bound(text, m):
            continue
        if m.group("mon") == "may":
            continue
        d = _make(int(m.group("year")), MONTHS[m.group("mon").lower().rstrip(".")], 1)
        if d:
            out.append(d)
    return out


def publication_date(
    raw_published: str | None,
    raw_from: str,
    text: str,
    *,
    html_date: str | None = None,
) -> tuple[str | None, str, str | None]:
    """Return (published YYYY-MM-DD or None, published_from in {"metadata","html","text","none"}, published_after YYYY-MM-DD or None).

    ``published_after`` is filled only when no publication date was found:
    it is the latest date the text mentions, a lower bound and never a
    stand-in for the publication date.
    """
    if raw_from in ("metadata", "html"):
        d = normalise_date(raw_published)
        if d:
            return d, raw_from, None
    d = normalise_date(html_date)
    if d:
        return d, "html", None
    dates = list(_FULL_DATE.finditer(text))  # one scan for the three readers below
    d = _note_date(text, dates) or lead_date(text) or _as_of_date(text, dates)
    if d:
        return d, "text", None
    mentioned = _mentioned(text, dates)
    return None, "none", (max(mentioned) if mentioned else None)
