"""When was an article published, and how do we know?

Relative dates ("on Tuesday", "yesterday") can only be resolved against the
publication date, so a wrong one shifts a whole article's events.  The date
therefore always comes with its provenance, in order of trust: the feed or
file metadata, then the HTML page, then the dateline printed at the head of
the article, then a folder named for a day, then a cue in the text itself
("Published on 30 April 2025", a dated lead), then the date the user gave
for the batch, and otherwise none (``publication_date`` says why this order).

When nothing says when the article appeared, the latest date it mentions is
still useful, but only as a lower bound (``published_after``): an article
recounting events of 19 October was written on or after that day, not on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePath

__all__ = ["publication_date", "normalise_date", "mentioned_dates", "lead_date", "dateline_date", "folder_date",
           "MONTHS"]

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
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d\d)(?:[T\s].*)?", s)
    if m:
        return _numeric_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), dotted="." in s)
    return None


def _numeric_date(a: int, b: int, y: int, dotted: bool) -> str | None:
    """"a/b/y" read day-first or month-first, only when unambiguous; a dotted date is day-first by convention."""
    if a > 12 >= b:
        return _make(y, b, a)
    if b > 12 >= a:
        return _make(y, a, b)
    if dotted and a <= 12 and b <= 12:
        return _make(y, b, a)
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


# --- datelines --------------------------------------------------------------
#
# The place-and-date line or the time stamp an outlet prints above or at the
# head of its story: "KYIV, June 24 (Reuters) -", "Thu Apr 29, 2010 3:08 pm
# EDT", "WASHINGTON | Tue Apr 20, 2010 11:57pm EDT", "June 10, 2010 - 5:41 PM",
# "Thursday 6 May 2010 19.41 BST".  Day and month in either order, with or
# without weekday, year, clock time and zone; the comma may stand apart as in
# tokenized text ("Apr 28 , 2009").
_DL_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DL_WEEKDAY = (r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
               r"|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?\s*,?\s*)")
_DL_DATE = (
    r"(?:" + (_MONTH + r"\s+" + _DAY + r"(?:\s*,?\s*" + _YEAR + r")?").replace("(?P<", "(?P<a_")
    + r"|" + (_DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:\s*,?\s*" + _YEAR + r")?").replace("(?P<", "(?P<b_")
    + r"|(?P<y>(?:19|20)\d\d)(?P<ys>[-/. ])(?P<m>[01]\d)(?P=ys)(?P<d>[0-3]\d)"
    + r"|(?P<n1>[0-3]?\d)(?P<ns>[./])(?P<n2>[0-3]?\d)(?P=ns)(?P<ny>(?:19|20)\d\d))"
)
# A clock time, then perhaps a zone ("EDT", "GMT+1", "+02:00"); am/pm or a zone
# is required of a dotted time, which could otherwise be a figure.
_DL_TIME = (
    r"(?P<time>(?:[01]?\d|2[0-3])(?P<tsep>[:.])[0-5]\d(?::[0-5]\d)?(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?"
    r"|(?:0?[1-9]|1[0-2])\s*(?P<ampm2>[ap]\.?\s?m\b\.?))(?![\d%])"
    r"(?:\s*\(?(?P<tz>(?-i:[A-Z]{2,5})(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?|[+-]\d\d:?\d\d)\b\)?)?"
)
_DL_STAMP = re.compile(
    r"\b" + _DL_WEEKDAY + r"?" + _DL_DATE + r"(?:\s*(?:[-–—,;|@]\s*|at\s+|T)?" + _DL_TIME + r")?(?!\w)",
    re.IGNORECASE,
)
# The clock time first: "14:44 UK time, Wednesday, 29 April 2009", "09:53 AM, Thursday, 21 May 2009".
_DL_STAMP_TIME_FIRST = re.compile(
    r"\b" + _DL_TIME + r"(?:\s+(?-i:[A-Z][a-z]+|[A-Z]{2,4})\s+time)?\s*[,|;-]?\s*" + _DL_WEEKDAY + r"?"
    + _DL_DATE + r"(?!\w)",
    re.IGNORECASE,
)
# What may stand before a dateline on its line: a place in capitals
# ("WASHINGTON", "MEXICO CITY/GENEVA", "KYIV, Ukraine"), or a capitalised one
# before a comma, ended by a comma, a bar or a dash.
_DL_PLACE = re.compile(
    r"\s*(?:(?:(?-i:[A-Z][A-Z.'’/\\-]*(?:\s+[A-Z][A-Z.'’/\\-]*){0,4})"
    r"(?:,\s*(?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){0,3})?\s*[,|\-–—]"
    r"|(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}),)\s*)?",
)
# What may follow a dateline that has no clock time: the end of its line,
# the agency in brackets, a dash or a bar.
_DL_AFTER = re.compile(r"\s*(?:$|\(\s*[A-Z][\w .&/-]{0,30}\)\s*[-–—:]?|[-–—|])", re.MULTILINE)
_DL_AGENCY_OR_DASH = re.compile(r"\s*(?:\(\s*[A-Z][\w .&/-]{0,30}\)|[-–—])")
# A stamp elsewhere in the head must not be the object of a preposition
# ("exploded on April 20, 2010 at 9:45 pm") nor a later edit's stamp.
_DL_NOT_AFTER = re.compile(
    r"\b(?:on|at|by|since|until|till|from|before|after|of|between|to|and|or|through|than|in"
    r"|updated|modified|edited|corrected|amended)\s*[:,]?\s*$",
    re.IGNORECASE,
)
DATELINE_CHARS = 300
DATELINE_LINES = 3


def _head(text: str) -> str:
    """The first few non-blank lines of ``text``, at most ``DATELINE_CHARS`` characters."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:DATELINE_LINES]
    return "\n".join(lines)[:DATELINE_CHARS]


def _stamp_date(m: re.Match[str], near: str | None) -> str | None:
    """The date a stamp match names; a year-less one takes the year that puts it nearest ``near``."""
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    if "y" in g:
        day = (int(g["y"]), int(g["m"]), int(g["d"]))
    elif "ny" in g:
        # The same rule as normalise_date's: "04.25.2010" is 25 April.
        got = _numeric_date(int(g["n1"]), int(g["n2"]), int(g["ny"]), dotted=g["ns"] == ".")
        if got is None:
            return None
        day = tuple(int(x) for x in got.split("-"))
    else:
        p = "a_" if "a_mon" in g else "b_"
        mon, d = MONTHS[g[p + "mon"].lower().rstrip(".")], int(g[p + "day"])
        if p + "year" in g:
            day = (int(g[p + "year"]), mon, d)
        elif near:
            ref = date.fromisoformat(near)
            options = [date(y, mon, d) for y in (ref.year - 1, ref.year, ref.year + 1) if _make(y, mon, d)]
            if not options:
                return None
            best = min(options, key=lambda o: abs((o - ref).days))
            day = (best.year, best.month, best.day)
        else:
            return None
    got = _make(*day)
    if got and "wd" in g and _DL_WEEKDAYS[date.fromisoformat(got).weekday()] != g["wd"][:3].lower():
        return None  # the weekday contradicts the date: a misreading or a misprint, not a dateline
    return got


def dateline_date(text: str, near: str | None = None) -> str | None:
    """The date of the dateline or time stamp at the top of ``text`` (first three lines, 300 characters).

    A date counts as a dateline when it opens a line, perhaps after a place
    ("KYIV, June 24, 2025 (Reuters) -", "WASHINGTON | Tue Apr 20, 2010
    11:57pm EDT", "June 10, 2010 - 5:41 PM"), and is followed by a clock
    time, the end of the line, an agency in brackets, a dash or a bar; or
    when, anywhere in the head, a full date and a clock time stand together
    ("... preserve Thursday 6 May 2010 19.41 BST The oil ...", "Fergus Walsh
    | 14:44 UK time, Wednesday, 29 April 2009") and are not the object of a
    preposition ("exploded on April 20, 2010 at 9:45 pm") nor an update
    stamp.  A weekday that does not fit the date rejects it.

    A line-opening dateline without a year ("KYIV, June 24 (Reuters) -",
    "Wed, Dec 15 18:14 EST") is no date by itself.  Given ``near`` (a date
    from outside the text: the file's folder, the user's), it takes the year
    that puts it nearest that date.  The text's own latest date is not used
    for the year: on Timeline17 and the Ukraine articles, the year that puts
    the true day on or after it was wrong for 29 % and 47 % of articles.
    """
    head = _head(text)
    found = sorted([(m, False) for m in _DL_STAMP.finditer(head)]
                   + [(m, True) for m in _DL_STAMP_TIME_FIRST.finditer(head)], key=lambda x: x[0].start())
    for m, time_first in found:
        g = m.groupdict()
        has_year = bool(g["a_year"] or g["b_year"] or g["y"] or g["ny"])
        dotted = g["tsep"] == "." and not (g["ampm"] or g["tz"])
        has_time = bool(g["time"]) and not dotted
        if (g["a_mon"] or g["b_mon"] or "") == "may" and not has_year:
            continue  # the modal verb
        line_start = head.rfind("\n", 0, m.start()) + 1
        before = head[line_start:m.start()]
        place = _DL_PLACE.fullmatch(before) is not None
        rest = head[m.start("time") if g["time"] and not has_time else m.end():]
        if has_year:
            ok = (place and (has_time or _DL_AFTER.match(rest) is not None)) or \
                (has_time and not _DL_NOT_AFTER.search(head[:m.start()]))
        else:
            ok = place and (has_time or (bool(before.strip()) and _DL_AGENCY_OR_DASH.match(rest) is not None))
        if ok and (d := _stamp_date(m, near)):
            return d
    return None


def folder_date(path: str | None) -> str | None:
    """The date a file's folder is named after (``.../2010-04-29/123.htm.txt``), if it is a real one."""
    if not path:
        return None
    parent = PurePath(path).parent.name
    m = re.fullmatch(r"((?:19|20)\d\d)-(\d\d)-(\d\d)", parent)
    return _make(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


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
    raw_text: str | None = None,
    path: str | None = None,
    default: str | None = None,
) -> tuple[str | None, str, str | None]:
    """Return (published YYYY-MM-DD or None, published_from, published_after YYYY-MM-DD or None).

    ``text`` is the cleaned text; ``raw_text`` the text as read, whose first
    lines hold the dateline (cleaning may drop that line as a repeat of the
    title); ``path`` the file it came from; ``default`` the date the user
    gave for inputs that carry none.  The first source that gives a full
    date wins, in this order of trust:

    1. ``metadata``: the date the feed, record or file states;
    2. ``html``: what the page says of itself (htmldate);
    3. ``dateline``: the outlet's own stamp at the head of the article
       ("WASHINGTON | Tue Apr 20, 2010 11:57pm EDT", "KYIV, June 24, 2025
       (Reuters) -"), printed on the article itself, usually when it was
       filed; on Timeline17, where the folders hold the publication dates,
       588 of the 589 datelines found agree with their folder;
    4. ``folder``: a parent folder named YYYY-MM-DD (Timeline17 lays
       articles out as ``InputDocs/2010-04-29/123.htm.txt``).  A name given
       by whoever filed the file, so it may be a download or batch day
       rather than the publication; below the article's own stamp, above
       cues read from prose;
    5. ``text``: a "Published on" or "Updated" note, a lead opening with a
       full date ("On October 16, 2025, ..."), an "as of" date: read from
       sentences that may name an event's day rather than the article's;
    6. ``user``: ``default``, one date for a whole batch, so any evidence
       about the article itself comes first;
    7. ``none``.

    (After the build, a copy of another article that is still undated takes
    its original's date, ``copy``: see ``duplicates.date_copies``.)

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
    folder = folder_date(path)
    user = normalise_date(default)
    near = folder or user
    d = (dateline_date(raw_text, near) if raw_text is not None else None) or dateline_date(text, near)
    if d:
        return d, "dateline", None
    if folder:
        return folder, "folder", None
    dates = list(_FULL_DATE.finditer(text))  # one scan for the three readers below
    d = _note_date(text, dates) or lead_date(text) or _as_of_date(text, dates)
    if d:
        return d, "text", None
    if user:
        return user, "user", None
    mentioned = _mentioned(text, dates)
    return None, "none", (max(mentioned) if mentioned else None)
