"""Timeline: canonical events in date order, each with numbered sources."""

from __future__ import annotations

import json
import re
from collections import defaultdict


MAX_MARKS = 8  # citation marks shown per line; the JSON lists them all


def marks(nums: list[int], limit: int = MAX_MARKS, mark: str = "[{n}]", more: str = "[+{n} more]") -> str:
    """Citation marks for source numbers; past ``limit`` the rest are counted, not listed."""
    shown = "".join(mark.format(n=n) for n in nums[:limit])
    return shown + (more.format(n=len(nums) - limit) if len(nums) > limit else "")


class Sources:
    """Numbers documents in the order an output first cites them."""

    def __init__(self, documents: list[dict]):
        self.docs = {d["id"]: d for d in documents}
        self.order: list[str] = []

    def cite(self, doc_ids) -> list[int]:
        nums = []
        for d in doc_ids:
            if d not in self.order:
                self.order.append(d)
            nums.append(self.order.index(d) + 1)
        return sorted(set(nums))

    def marks(self, doc_ids, limit: int = MAX_MARKS, mark: str = "[{n}]", more: str = "[+{n} more]") -> str:
        """Cite the documents and mark them (the export lists all)."""
        return marks(self.cite(doc_ids), limit, mark, more)

    def entries(self) -> list[tuple[int, dict]]:
        return [(i + 1, self.docs[d]) for i, d in enumerate(self.order)]

    @staticmethod
    def describe(doc: dict) -> str:
        parts = [doc.get("title") or "(untitled)"]
        if doc.get("source"):
            parts.append(doc["source"])
        if doc.get("published"):
            parts.append(doc["published"])
        elif doc.get("published_after"):
            parts.append(f"undated, after {doc['published_after']}")
        else:
            parts.append("undated")
        where = doc.get("url") or doc.get("path") or doc["id"]
        return " — ".join(parts) + f". {where}"


def select(data: dict, max_dates: int | None = None, date_from: str | None = None,
           date_to: str | None = None, per_date: int | None = None, query: str | None = None) -> list[dict]:
    """Dated events in order, cut the way a reader asks.

    ``query`` keeps events whose reporting sentences hold every word of it;
    ``max_dates`` keeps the dates whose events weigh most (summed salience),
    and ``per_date`` the most salient events of each date kept.
    """
    events = [e for e in data["events"] if e["date"]["value"]]
    if date_from:
        events = [e for e in events if e["date"]["value"] >= date_from[: len(e["date"]["value"])]]
    if date_to:
        events = [e for e in events if e["date"]["value"][: len(date_to)] <= date_to]
    if query:
        words = [w.lower() for w in re.findall(r"\w+", query)]
        events = [e for e in events if _mentions_all(e, words)]
    if max_dates:
        weight: dict[str, float] = defaultdict(float)
        for e in events:
            weight[e["date"]["value"]] += e.get("salience", e["sources"])
        keep = set(sorted(weight, key=lambda v: (-weight[v], v))[:max_dates])
        events = [e for e in events if e["date"]["value"] in keep]
    if per_date:
        by_date: dict[str, list[dict]] = defaultdict(list)
        for e in sorted(events, key=lambda e: (-e.get("salience", 0), e["id"])):
            by_date[e["date"]["value"]].append(e)
        events = [e for group in by_date.values() for e in group[:per_date]]
    # A "reported" date (on or before that day) comes after the events truly dated that day.
    return sorted(events, key=lambda e: (e["date"]["value"], e["date"]["precision"] == "reported",
                                         -e.get("salience", 0), e["id"]))


def _mentions_all(event: dict, words: list[str]) -> bool:
    """Whether the event's summary and reporting sentences, together, contain every word."""
    text = " ".join([event["summary"]] + [m["text"] for m in event["mentions"]]).lower()
    found = set(re.findall(r"\w+", text))
    return all(w in found for w in words)


def quotes_by_event(data: dict) -> dict[str, list[dict]]:
    """Event id -> the quotes with a known speaker said in a sentence reporting it."""
    out: dict[str, list[dict]] = defaultdict(list)
    for q in data["quotes"]:
        if q.get("event") and q["speaker"]:
            out[q["event"]].append(q)
    return out


def place(loc: dict | None) -> str:
    """ "Dnipro, UA" for a located event, "" otherwise."""
    if not loc:
        return ""
    return loc["name"] + (f", {loc['country']}" if loc.get("country") else "")


# Kinds of figure in the order a reader looks for them.
QUANTITY_ORDER = ("killed", "injured", "missing", "displaced", "detained", "returned", "launched", "intercepted",
                  "money", "percent")
_APPROX = {"at_least": "at least ", "at_most": "at most ", "about": "about "}
_UNCOUNTED = ("s", "aircraft", "artillery")  # weapon words that take no plural -s


def type_words(e: dict) -> str:
    """ "ASSAULT/drone", or the bare type when no mode applies."""
    return e["type"] + (f"/{e['mode']}" if e.get("mode") else "")


def status_words(e: dict) -> str:
    """What the sources say of an event ("planned", "claimed by Russia"); empty when it simply occurred.

    The event has no claimant of its own: it is whoever the mentions with the
    event's status attribute it to.
    """
    status = e.get("status", "occurred")
    if status == "occurred":
        return ""
    names = list(dict.fromkeys(m["claimant"]["name"] for m in e["mentions"]
                               if m.get("status") == status and m.get("claimant")))
    if names and status in ("reported", "claimed", "denied"):
        return f"{status} by {', '.join(names[:3])}"
    return status


def actor_words(e: dict) -> str:
    """ "Russia → Ukraine" when who acted on whom is known, else up to four participants."""
    src = ", ".join(a["name"] for a in e.get("source", [])[:3])
    tgt = ", ".join(a["name"] for a in e.get("target", [])[:3])
    if src or tgt:
        return f"{src} → {tgt}".strip()
    return ", ".join(a["name"] for a in e["actors"][:4])


def intensity_words(e: dict) -> str:
    """ "intensity -9.5"; nothing for 0, which is both neutral and what an unscored event carries."""
    x = e.get("intensity")
    return f"intensity {x:+g}" if x else ""


def _number(value: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:g} {word}"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def quantity_label(q: dict) -> str:
    """What a figure counts: "killed", "drones launched", "ballistic missiles intercepted"."""
    kind = q["kind"].replace("_", " ")  # an underscore would end a Markdown emphasis
    if not q.get("weapon"):
        return kind
    weapon = q["weapon"].replace("_", " ")
    if q["value"] != 1 and not weapon.endswith(_UNCOUNTED):
        weapon += "s"
    return f"{weapon} {kind}"


def quantity_words(q: dict) -> str:
    """ "drones launched: 97", "injured: at least 200", "money: 1.5 billion USD", "percent: 40%"."""
    value = _number(q["value"])
    if q["kind"] == "percent":
        value += "%"
    elif q.get("unit"):
        value += f" {q['unit']}"
    return f"{quantity_label(q)}: {_APPROX.get(q['approx'], '')}{value}"


def quantities_words(quantities: list[dict]) -> str:
    """Figures joined by "; ", each claimant named once after the figures it gave.

    "drones launched: 97; drones intercepted: 63 (per Ukrainian Air Force); injured: at least 200"
    """
    groups: dict[str | None, list[str]] = {}
    for q in quantities:
        groups.setdefault(q["claimant"]["name"] if q.get("claimant") else None, []).append(quantity_words(q))
    return "; ".join("; ".join(words) + (f" (per {who})" if who else "") for who, words in groups.items())


def sorted_quantities(quantities: list[dict]) -> list[dict]:
    """Deaths first, money last; launches and interceptions side by side per weapon kind."""
    rank = {k: i for i, k in enumerate(QUANTITY_ORDER)}
    return sorted(quantities, key=lambda q: rank.get(q["kind"], len(rank)))


def describe(e: dict) -> list[str]:
    """The parts of an entry's note: type, status, actors, place, figures, intensity; empty ones left out."""
    parts = [type_words(e), status_words(e), actor_words(e), place(e["location"]),
             quantities_words(e.get("quantities", [])), intensity_words(e)]
    return [p for p in parts if p]


def heading(date: dict) -> str:
    if date["precision"] == "reported":
        return f"{date['value']} (reported: on or before)"
    return f"{date['value']} ({date['precision']})"


def related_words(e: dict, events_by_id: dict[str, dict]) -> str:
    """Where a plan's outcome (or an event's announcement) sits on the timeline."""
    dates = sorted(events_by_id[r]["date"]["value"] or "undated" for r in e.get("related", []) if r in events_by_id)
    if not dates:
        return ""
    if e.get("status") in ("planned", "hypothetical"):
        return "happened: see " + ", ".join(dates)
    return "announced beforehand: see " + ", ".join(dates)


def heading_line(data: dict) -> str:
    """The title line; a timeline of one story is headed by that story's title, itself an article's."""
    stories = data.get("stories", [])
    if len(stories) == 1 and stories[0].get("title"):
        return f"# Timeline: {stories[0]['title']}"
    return "# Timeline"


def render_markdown(data: dict, events: list[dict]) -> str:
    sources = Sources(data["documents"])
    lines = [heading_line(data), ""]
    current = None
    disputed = {c["event"] for c in data["contradictions"]}
    quotes = quotes_by_event(data)
    events_by_id = {e["id"]: e for e in data["events"]}
    for e in events:
        d = e["date"]
        if heading(d) != current:
            current = heading(d)
            lines += ["", f"## {current}", ""]
        docs = [m["doc"] for m in e["mentions"]]
        parts = describe(e) + [w for w in [related_words(e, events_by_id)] if w]
        flag = " **disputed**" if e["id"] in disputed else ""
        lines.append(f"- {e['summary']} {sources.marks(docs)}{flag} _({'; '.join(parts)})_")
        for q in quotes.get(e["id"], [])[:3]:
            lines.append(f"  - {q['speaker']['name']}: “{q['text']}” {sources.marks([q['doc']])}")
    lines += ["", "## Sources", ""]
    lines += [f"{n}. {Sources.describe(doc)}" for n, doc in sources.entries()]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def render_json(data: dict, events: list[dict]) -> str:
    sources = Sources(data["documents"])
    quotes = quotes_by_event(data)
    out = []
    for e in events:
        nums = sources.cite(m["doc"] for m in e["mentions"])
        out.append({"id": e["id"], "date": e["date"], "type": e["type"], "mode": e.get("mode"),
                    "status": e.get("status", "occurred"), "status_text": status_words(e),
                    "summary": e["summary"], "actors": e["actors"], "source": e.get("source", []),
                    "target": e.get("target", []), "location": e["location"],
                    "quantities": [{**{k: v for k, v in q.items() if k != "docs"}, "words": quantity_words(q),
                                    "sources": sources.cite(q.get("docs", []))}
                                   for q in e.get("quantities", [])],
                    "intensity": e.get("intensity"), "salience": e.get("salience"),
                    "related": e.get("related", []), "sources": nums,
                    "quotes": [{"speaker": q["speaker"], "text": q["text"], "sources": sources.cite([q["doc"]])}
                               for q in quotes.get(e["id"], [])]})
    refs = [{"n": n, "id": doc["id"], "title": doc["title"], "source": doc["source"],
             "published": doc["published"], "url": doc["url"], "path": doc["path"]}
            for n, doc in sources.entries()]
    return json.dumps({"events": out, "sources": refs}, indent=2, ensure_ascii=False) + "\n"
