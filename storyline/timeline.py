"""Timeline: canonical events in date order, each with numbered sources."""

from __future__ import annotations

import json
from collections import defaultdict


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

    def marks(self, doc_ids, limit: int = 8, mark: str = "[{n}]", more: str = "[+{n} more]") -> str:
        """Citation marks; past ``limit`` the rest are counted, not listed (the export lists all)."""
        nums = self.cite(doc_ids)
        shown = "".join(mark.format(n=n) for n in nums[:limit])
        return shown + (more.format(n=len(nums) - limit) if len(nums) > limit else "")

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
           date_to: str | None = None) -> list[dict]:
    """Dated events in order; with ``max_dates``, only the most salient dates."""
    events = [e for e in data["events"] if e["date"]["value"]]
    if date_from:
        events = [e for e in events if e["date"]["value"] >= date_from[: len(e["date"]["value"])]]
    if date_to:
        events = [e for e in events if e["date"]["value"][: len(date_to)] <= date_to]
    if max_dates:
        weight: dict[str, float] = defaultdict(float)
        for e in events:
            weight[e["date"]["value"]] += e.get("salience", e["sources"])
        keep = set(sorted(weight, key=lambda v: (-weight[v], v))[:max_dates])
        events = [e for e in events if e["date"]["value"] in keep]
    return sorted(events, key=lambda e: (e["date"]["value"], -e.get("salience", 0), e["id"]))


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


def render_markdown(data: dict, events: list[dict]) -> str:
    sources = Sources(data["documents"])
    lines = ["# Timeline", ""]
    current = None
    disputed = {c["event"] for c in data["contradictions"]}
    quotes = quotes_by_event(data)
    for e in events:
        d = e["date"]
        if d["value"] != current:
            current = d["value"]
            lines += ["", f"## {d['value']} ({d['precision']})", ""]
        docs = [m["doc"] for m in e["mentions"]]
        extra = []
        if e["actors"]:
            extra.append(", ".join(a["name"] for a in e["actors"][:4]))
        if e["location"]:
            extra.append(place(e["location"]))
        tail = f" _({e['type']}; {'; '.join(extra)})_" if extra else f" _({e['type']})_"
        flag = " **disputed**" if e["id"] in disputed else ""
        lines.append(f"- {e['summary']} {sources.marks(docs)}{flag}{tail}")
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
        out.append({"id": e["id"], "date": e["date"], "type": e["type"], "summary": e["summary"],
                    "actors": e["actors"], "location": e["location"], "sources": nums,
                    "quotes": [{"speaker": q["speaker"], "text": q["text"], "sources": sources.cite([q["doc"]])}
                               for q in quotes.get(e["id"], [])]})
    refs = [{"n": n, "id": doc["id"], "title": doc["title"], "source": doc["source"],
             "published": doc["published"], "url": doc["url"], "path": doc["path"]}
            for n, doc in sources.entries()]
    return json.dumps({"events": out, "sources": refs}, indent=2, ensure_ascii=False) + "\n"
