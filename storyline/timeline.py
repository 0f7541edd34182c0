"""Timeline: canonical events in date order, each with numbered sources."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Sequence

from .selection import DatedSentence, Pool, choose, in_range


MAX_MARKS = 8  # citation marks shown per line; the JSON lists them all

# -- Markdown text -----------------------------------------------------------------------------------
# Article text goes into Markdown only through md_escape: one line, with every
# character a CommonMark renderer (or its usual table and strikethrough
# extensions) would read as markup backslash-escaped.  CommonMark lets any ASCII
# punctuation be escaped this way, and a terminal still reads "\<b\>" plainly.

# Control characters and line or paragraph separators: none may break a line or reach a terminal.
_MD_BREAKS = {c: " " for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]}
# Markup anywhere in a line: escapes, code, emphasis, links and images, raw HTML and
# autolinks, entities, blockquotes, table cells, strikethrough.  A run of "_"
# between two letters or digits ("d_1", "kyiv_strike") can neither open nor close
# emphasis, so it is left as it is.
_MD_INLINE = re.compile(r"[\\`*\[\]<>&|~]|_+")
# What opens a block at the start of a line: a heading, a list item, a thematic
# break or setext underline ("-", "+", "="), an ordered list item ("1." or "1)").
_MD_LEAD = re.compile(r"^(?:[#+=-]|[0-9]{1,9}(?=[.)](?: |$)))")
# A heading's closing sequence: a run of "#" after a space at the end of the line.
_MD_CLOSING = re.compile(r"(?<= )#+$")


def _md_escaped(m: re.Match, line: str) -> str:
    """One match of _MD_INLINE, each character backslash-escaped unless it is an inert "_" run."""
    start, end = m.span()
    if m.group()[0] == "_" and 0 < start and end < len(line) and line[start - 1].isalnum() and line[end].isalnum():
        return m.group()
    return "".join("\\" + c for c in m.group())


def md_escape(text) -> str:
    """``text`` as one line of Markdown that renders as exactly that text, whitespace collapsed.

    Newlines and other control characters become spaces and runs of
    whitespace one space, so a title cannot open a new block; markup
    characters are backslash-escaped, so ``<script>``, ``[x](javascript:...)``,
    ``![x](http://...)`` and ``&#58;`` stay text; and what would open a block at
    the start of a line (``# ``, ``- ``, ``1. ``) is escaped too, so the text is
    safe wherever a line or a list item starts with it.
    """
    line = " ".join(str(text).translate(_MD_BREAKS).split())
    line = _MD_INLINE.sub(lambda m: _md_escaped(m, line), line)
    line = _MD_CLOSING.sub(lambda m: "\\" + m.group(), line)
    lead = _MD_LEAD.match(line)
    if lead:  # the marker itself, or the "." or ")" after an ordered list item's number
        at = lead.end() if lead.group().isdigit() else 0
        line = line[:at] + "\\" + line[at:]
    return line


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
           date_to: str | None = None, per_date: int | None = None, query: str | None = None,
           pool: Pool | Sequence[DatedSentence] = ()) -> list[dict]:
    """Dated events in date order, cut the way a reader asks.

    ``query`` keeps events whose reporting sentences hold every word of it;
    ``max_dates`` and ``per_date`` keep the most important dates and the
    most central events of each, chosen by ``selection.choose`` from the
    sentences of ``pool`` (the one selection method, shared with the brief).
    """
    events = [e for e in data["events"] if in_range(e["date"]["value"], date_from, date_to)]
    if query:
        words = [w.lower() for w in re.findall(r"\w+", query)]
        events = [e for e in events if _mentions_all(e, words)]
    rank = {e["id"]: i for i, e in enumerate(choose(events, pool, max_dates, per_date))}
    events = [e for e in events if e["id"] in rank]
    # A "reported" date (on or before that day) comes after the events truly dated that day.
    return sorted(events, key=lambda e: (e["date"]["value"], e["date"]["precision"] == "reported", rank[e["id"]]))


def entry_text(event: dict) -> str:
    """What an entry shows: the event's sentence, with the bracketed insertions ``readable`` made
    (a referent, a resolved day) when there are any.  ``summary`` stays the sentence as written."""
    return event.get("text") or event["summary"]


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
        return f"# Timeline: {md_escape(stories[0]['title'])}"
    return "# Timeline"


def render_markdown(data: dict, events: list[dict]) -> str:
    """The timeline as Markdown; every piece of article text goes through md_escape()."""
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
            lines += ["", f"## {md_escape(current)}", ""]
        docs = [m["doc"] for m in e["mentions"]]
        parts = describe(e) + [w for w in [related_words(e, events_by_id)] if w]
        flag = " **disputed**" if e["id"] in disputed else ""
        lines.append(f"- {md_escape(entry_text(e))} {sources.marks(docs)}{flag} _({md_escape('; '.join(parts))})_")
        for q in quotes.get(e["id"], [])[:3]:
            said = f"{md_escape(q['speaker']['name'])}: “{md_escape(q['text'])}”"
            lines.append(f"  - {said} {sources.marks([q['doc']])}")
    lines += ["", "## Sources", ""]
    lines += [f"{n}. {md_escape(Sources.describe(doc))}" for n, doc in sources.entries()]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def render_json(data: dict, events: list[dict]) -> str:
    sources = Sources(data["documents"])
    quotes = quotes_by_event(data)
    out = []
    for e in events:
        nums = sources.cite(m["doc"] for m in e["mentions"])
        out.append({"id": e["id"], "date": e["date"], "type": e["type"], "mode": e.get("mode"),
                    "status": e.get("status", "occurred"), "status_text": status_words(e),
                    "summary": e["summary"], "text": entry_text(e), "insertions": e.get("insertions", []),
                    "actors": e["actors"], "source": e.get("source", []),
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
