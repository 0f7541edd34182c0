"""Calendar arithmetic and the vocabulary of dates, in TimeML's terms.

Numbers are spelled out in news ("twenty four hours", "a couple of weeks"),
so counting words live here with the arithmetic that turns a count and a
unit into a TimeML value.
"""

from __future__ import annotations

import datetime as dt
import re

from ...data import table

# --------------------------------------------------------------------------
# vocabulary

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6, "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3,
    "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
_WD_CODE = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
UNITS = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W", "fortnight": "W",
    "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE",
}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a": 1, "an": 1, "a single": 1, "a dozen": 12, "dozen": 12, "half a": 0.5,
    "a half": 0.5, "a couple of": 2, "a couple": 2, "couple of": 2,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "hundred": 100}
_VAGUE = {"several", "a few", "few", "some", "many", "numerous", "the past few", "a number of"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _number(text: str) -> float | None:
    """Numeric value of a count word or digits; None for vague counts ("several")."""
    t = text.lower().strip().replace("-", " ")
    if t in _VAGUE:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t in _SMALL:
        return _SMALL[t]
    if t.startswith("half a"):
        return 0.5
    parts = t.split()
    total = 0
    for p in parts:
        if p in _TENS:
            total = total * 100 if p == "hundred" and total else total + _TENS[p]
        elif p in _SMALL:
            total += _SMALL[p]
        else:
            return None
    return float(total) if parts else None


def _unit(word: str) -> str:
    w = word.lower()
    if w.startswith("centur"):
        return "century"
    return w[:-1] if w.endswith("s") and w[:-1] in UNITS else w


def _duration(n: float | None, unit: str) -> str:
    """TimeML duration: P3D, PT2H, P10Y (decades count in years), PXY when vague."""
    code = UNITS[unit]
    if unit == "decade":
        code, n = "Y", None if n is None else n * 10
    elif unit == "century":
        code, n = "Y", None if n is None else n * 100
    elif unit == "weekend":
        code, n = "D", None if n is None else n * 2
    elif unit == "fortnight":
        n = None if n is None else n * 2
    elif unit == "quarter":
        code, n = "M", None if n is None else n * 3
    if n is None:
        amount = "X"
    elif n == int(n):
        amount = str(int(n))
    elif unit in ("hour", "minute", "day") and (n * 2) == int(n * 2):
        # "half an hour" -> PT30M, "a day and a half" style -> PT36H
        sub = {"hour": ("M", 60), "minute": ("S", 60), "day": ("H", 24)}[unit]
        return f"PT{int(n * sub[1])}{sub[0]}"
    else:
        amount = str(n)
    time_part = unit in ("second", "minute", "hour")
    return f"P{'T' if time_part else ''}{amount}{code}"


# --------------------------------------------------------------------------
# calendar arithmetic

def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def nearest_weekday(d: dt.date, weekday: int, forward: bool) -> dt.date:
    """The given weekday on or after ``d`` when ``forward``, else on or before it."""
    delta = (weekday - d.weekday()) % 7
    return d + dt.timedelta(days=delta) if forward else d - dt.timedelta(days=(7 - delta) % 7)


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, 28))


def _shift(d: dt.date, n: int, unit: str) -> str:
    """``d`` moved by n units, written at the unit's granularity."""
    if unit in ("day", "night"):
        return (d + dt.timedelta(days=n)).isoformat()
    if unit in ("week", "weekend"):
        return _week(d + dt.timedelta(weeks=n)) + ("-WE" if unit == "weekend" else "")
    if unit == "fortnight":
        return _week(d + dt.timedelta(weeks=2 * n))
    if unit == "month":
        return _add_months(d, n).isoformat()[:7]
    if unit == "quarter":
        y, q = _quarter(_add_months(d, 3 * n))
        return f"{y:04d}-Q{q}"
    if unit == "year":
        return f"{d.year + n:04d}"
    if unit == "decade":
        return f"{(d.year + 10 * n) // 10:03d}"
    if unit == "century":
        return f"{(d.year + 100 * n) // 100:02d}"
    if unit in ("hour", "minute", "second"):
        return d.isoformat()
    raise ValueError(unit)


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    if n > 0:
        d = dt.date(year, month, 1)
        d += dt.timedelta(days=(weekday - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)
    d = _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


_FIXED_HOLIDAYS = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new years": (1, 1), "new years day": (1, 1), "new years eve": (12, 31),
    "veterans day": (11, 11), "halloween": (10, 31),
    "valentines day": (2, 14), "boxing day": (12, 26), "may day": (5, 1), "victory day": (5, 9),
}


def _independence_days() -> tuple[dict[str, tuple[int, int]], dict[str, str], str]:
    days, words = {}, {}
    for n, fields in table("independence_days.tsv"):
        if len(fields) != 3 or not re.fullmatch(r"[A-Z]{2}", fields[0]) or not re.fullmatch(r"\d\d-\d\d", fields[1]):
            raise ValueError(f"independence_days.tsv line {n}: expected a country code, MM-DD and words")
        days[fields[0]] = (int(fields[1][:2]), int(fields[1][3:]))
        for w in fields[2].split("|"):
            words[w] = fields[0]
    return days, words, next(iter(days))


_INDEPENDENCE, _NATION_WORDS, _DEFAULT_NATION = _independence_days()
NATION = re.compile(r"(?<![\w.])(?:" + "|".join(sorted(map(re.escape, _NATION_WORDS), key=len, reverse=True))
                    + r")(?![\w])(?:['’]s?)?", re.I)


def nation_of(words: str) -> str | None:
    """The country code of the last nation ``words`` name ("Ukraine's", "the Ukrainian"), else None."""
    found = None
    for m in NATION.finditer(words):
        found = _NATION_WORDS[re.sub(r"['’]s?$", "", m.group().lower())]
    return found


def _holiday_key(name: str) -> str:
    return re.sub(r"\s+", " ", name.lower().replace("'", ""))


def fixed_holiday(name: str, nation: str | None = None) -> tuple[int, int] | None:
    """(month, day) of a holiday on the same date every year, else None.

    Independence Day is the ``nation``'s (a country code), by default the first of independence_days.tsv.
    """
    if _holiday_key(name) == "independence day":
        return _INDEPENDENCE.get(nation or _DEFAULT_NATION, _INDEPENDENCE[_DEFAULT_NATION])
    return _FIXED_HOLIDAYS.get(_holiday_key(name))


def _holiday(name: str, year: int, nation: str | None = None) -> dt.date | None:
    n = _holiday_key(name)
    if n == "independence day":
        return dt.date(year, *fixed_holiday(name, nation))
    if n in _FIXED_HOLIDAYS:
        return dt.date(year, *_FIXED_HOLIDAYS[n])
    if n.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if n == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    if n == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if n.startswith("easter"):
        return _easter(year)
    if n == "good friday":
        return _easter(year) - dt.timedelta(days=2)
    return None
