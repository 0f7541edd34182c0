"""The web app's charts: the query layer's numbers per day as inline SVG (``storyline.charts``).

Each chart is a dictionary for the templates: its ``title``, a ``desc``
saying what is drawn, the ``svg`` (markup: every label is escaped by the
drawer), and its numbers again as ``columns`` and ``rows`` for a table that
only screen readers see.  Colours come from the bars' classes in
static/style.css; nothing here writes a ``style``.
"""

from __future__ import annotations

from markupsafe import Markup

from ..charts import SMALL, Bar, Size, bar_chart

STORY = Size(label=96, bar=280, text=170, row=20, thick=14, font="system-ui,sans-serif", font_size=12)
FIGURE_CHARTS = (("killed-injured", "Killed and injured per day", ("killed", "injured")),
                 ("launched-intercepted", "Launched and intercepted per day", ("launched", "intercepted")))


def _n(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _chart(key: str, title: str, desc: str, bars: list[Bar], columns: list[str], rows: list[list],
           size: Size, signed: bool = False) -> dict | None:
    if not bars:
        return None
    svg = Markup("\n".join(bar_chart(title, bars, size, desc=desc, signed=signed)))  # the drawer escapes every label
    return {"id": key, "title": title, "desc": desc, "svg": svg, "columns": columns, "rows": rows}


def articles_per_day(per_day: list[dict]) -> dict | None:
    """A small chart of a story's articles per day (``query.stories``' "per_day"): a bar per day."""
    desc = "; ".join(f"{d['day']}: {d['documents']} article{'s' * (d['documents'] != 1)}" for d in per_day)
    bars = [Bar(d["day"], d["documents"], str(d["documents"]), "articles") for d in per_day]
    return _chart("articles", "Articles per day", desc, bars, ["Day", "Articles"],
                  [[d["day"], d["documents"]] for d in per_day], SMALL)


def intensity_per_day(days: list[dict]) -> dict | None:
    """The mean intensity of each day's events (``query.story_days``): a bar per day with events,
    left of the zero line for conflict, right for cooperation."""
    desc = ("Mean intensity of the events dated to each day, from -10 (most violent) to +10 (most "
            "cooperative); an event only reported on a day counts on that day.")
    bars = [Bar(d["day"], d["intensity"], f"{_n(d['intensity'])} ({d['events']} event{'s' * (d['events'] != 1)})",
                "conflict" if d["intensity"] < 0 else "cooperation") for d in days]
    return _chart("intensity", "Event intensity per day", desc, bars, ["Day", "Events", "Mean intensity"],
                  [[d["day"], d["events"], _n(d["intensity"])] for d in days], STORY, signed=True)


def figures_per_day(days: list[dict]) -> list[dict]:
    """For each group of figures (killed and injured; launched and intercepted), a bar per day and
    kind that has a figure; a group with none is left out."""
    desc = ("Figures the articles give, per day: each event counts once, with the largest figure any "
            "article gives it for each kind and weapon.")
    out = []
    for key, title, kinds in FIGURE_CHARTS:
        bars = [Bar(d["day"], d[k], f"{_n(d[k])} {k}", k) for d in days for k in kinds if d[k]]
        rows = [[d["day"], *(_n(d[k]) for k in kinds)] for d in days if any(d[k] for k in kinds)]
        chart = _chart(key, title, desc, bars, ["Day", *(k.capitalize() for k in kinds)], rows, STORY)
        if chart:
            out.append(chart)
    return out
