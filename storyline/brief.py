"""Briefing: headline, summary, developments, numbers, quotes, disputed points, sources.

Extractive by construction: every line is a stored source sentence (or a
quote, or a list of claims) followed by the numbers of the documents it
comes from.  Nothing is paraphrased, so nothing can be invented.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter

from .timeline import (Sources, place, quantities_words, quantity_words, select, sorted_quantities, status_words,
                       type_words)

MAX_DEVELOPMENTS = 25
MAX_QUOTES = 12
MAX_NUMBERS = 40


def _background_cutoff(data: dict) -> str | None:
    """Events dated well before the earliest article are background, not news."""
    dates = sorted(d["published"] for d in data["documents"] if d.get("published"))
    if not dates:
        return None
    first = dt.date.fromisoformat(dates[0]) - dt.timedelta(days=90)
    return first.isoformat()


def _plan(data: dict) -> dict:
    events = select(data)
    cutoff = _background_cutoff(data)
    background = [e for e in events if cutoff and e["date"]["value"] < cutoff[: len(e["date"]["value"])]]
    news = [e for e in events if e not in background]
    by_salience = sorted(news, key=lambda e: (-e.get("salience", 0), e["date"]["value"] or "", e["id"]))
    top = by_salience[:MAX_DEVELOPMENTS]
    developments = sorted(top, key=lambda e: (e["date"]["value"], -e.get("salience", 0)))
    # The headline is the title of the article that reports most of the key events.
    cited = Counter(m["doc"] for e in by_salience[:3] for m in e["mentions"])
    docs = {d["id"]: d for d in data["documents"]}
    headline_doc = next((docs[d] for d, _ in cited.most_common() if docs[d].get("title")), None)
    events_by_id = {e["id"]: e for e in data["events"]}
    quotes = [q for q in data["quotes"] if q["speaker"]]
    quotes.sort(key=lambda q: (docs[q["doc"]].get("published") is None, docs[q["doc"]].get("published") or ""))
    return {
        "headline": headline_doc,
        "summary": by_salience[:3],
        "background": sorted(background, key=lambda e: (-e.get("salience", 0), e["date"]["value"]))[:5],
        "developments": developments,
        "numbers": _numbers(events),
        "quotes": quotes[:MAX_QUOTES],
        "disputes": [(c, events_by_id.get(c["event"])) for c in data["contradictions"]],
    }


def _numbers(events: list[dict]) -> list[tuple[dict, dict]]:
    """(event, figure) pairs in event-date order: the tolls and counts a reader looks up first.

    When there are more than MAX_NUMBERS figures, the best-reported events
    keep theirs, so a long story does not lose its latest tolls to its first.
    """
    counted = sorted((e for e in events if e.get("quantities")),
                     key=lambda e: (-e.get("salience", 0), e["date"]["value"], e["id"]))
    chosen, total = set(), 0
    for e in counted:
        if chosen and total + len(e["quantities"]) > MAX_NUMBERS:
            break
        chosen.add(e["id"])
        total += len(e["quantities"])
    pairs = [(e, q) for e in events if e["id"] in chosen for q in sorted_quantities(e["quantities"])]
    return pairs[:MAX_NUMBERS]


def _figure_event(e: dict) -> str:
    """What a figure belongs to: "ASSAULT/drone; claimed by Russia; Dnipro, UA"."""
    return "; ".join(p for p in (type_words(e), status_words(e), place(e["location"])) if p)


def _figure(q: dict) -> str:
    """One figure in words, with who gave it: "drones launched: 97 (per Ukrainian Air Force)"."""
    return quantity_words(q) + (f" (per {q['claimant']['name']})" if q.get("claimant") else "")


def _notes(e: dict) -> str:
    """A development's status, place and figures, joined by "; "; empty when none applies."""
    parts = [status_words(e), place(e["location"]), quantities_words(e.get("quantities", []))]
    return "; ".join(p for p in parts if p)


def _docs_of(event: dict) -> list[str]:
    return [m["doc"] for m in event["mentions"]]


def _disputed(c: dict, ev: dict | None) -> tuple[str, list[str]]:
    """What a contradiction is about, and the documents to cite for it."""
    if c.get("text") and c.get("doc"):
        return c["text"], [c["doc"]]  # a role contradiction quotes its own sentence
    return (ev["summary"], _docs_of(ev)) if ev else (c["event"] or "", [])


def render_markdown(data: dict) -> str:
    plan = _plan(data)
    src = Sources(data["documents"])
    docs = {d["id"]: d for d in data["documents"]}
    out = []
    if plan["headline"]:
        out.append(f"# {plan['headline']['title']} {src.marks([plan['headline']['id']])}")
    else:
        out.append("# Briefing")
    out += ["", "## Summary", ""]
    out += [f"{e['summary']} {src.marks(_docs_of(e))}" for e in plan["summary"]] or ["No dated events were found."]
    if plan["background"]:
        out += ["", "## Background", ""]
        out += [f"- **{e['date']['value']}** — {e['summary']} {src.marks(_docs_of(e))}" for e in plan["background"]]
    out += ["", "## Key developments", ""]
    for e in plan["developments"]:
        notes = _notes(e)
        notes = f" _({notes})_" if notes else ""
        out.append(f"- **{e['date']['value']}** — {e['summary']} {src.marks(_docs_of(e))}{notes}")
    if plan["numbers"]:
        out += ["", "## The numbers", ""]
        for e, q in plan["numbers"]:
            out.append(f"- **{e['date']['value']}** — {_figure(q)} {src.marks(q['docs'])}"
                       f" _({_figure_event(e)})_")
    out += ["", "## Statements", ""]
    for q in plan["quotes"]:
        when = q.get("date") or docs[q["doc"]].get("published") or "undated"
        out.append(f"- {q['speaker']['name']} ({when}): “{q['text']}” {src.marks([q['doc']])}")
    out += ["", "## Disputed points", ""]
    if not plan["disputes"]:
        out.append("No contradictions between sources were found.")
    for c, ev in plan["disputes"]:
        what, cited = _disputed(c, ev)
        if c["attribute"] == "role":
            out.append(f"- A title contradicts the actor registry in: {what} {src.marks(cited)}")
        else:
            out.append(f"- The sources disagree on the {c['attribute']} of: {what} {src.marks(cited)}")
        for cl in c["claims"]:
            out.append(f"  - {cl['value']} {src.marks(cl['docs'])}".rstrip())
        if c.get("note"):
            out.append(f"  - Assessment: {c['note']}.")
    out += ["", "## Sources", ""]
    out += [f"{n}. {Sources.describe(d)}" for n, d in src.entries()]
    return "\n".join(out) + "\n"


_CSS = """
body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}
sup a{text-decoration:none;color:#036}ul{padding-left:1.2rem}li{margin:.35rem 0}
.date{font-weight:bold;white-space:nowrap}.place{color:#555}.claim{color:#333}.note{color:#666;font-style:italic}
.sources li{font-size:.9rem;word-break:break-word}
@media print{a{color:inherit}body{margin:0}}
"""


def _cite_html(src: Sources, doc_ids) -> str:
    return src.marks(doc_ids, mark='<sup><a href="#src{n}">[{n}]</a></sup>', more="<sup>[+{n} more]</sup>")


def render_html(data: dict) -> str:
    """A self-contained page; every piece of article text goes through escape()."""
    e_ = html.escape
    plan = _plan(data)
    src = Sources(data["documents"])
    docs = {d["id"]: d for d in data["documents"]}
    title = plan["headline"]["title"] if plan["headline"] else "Briefing"
    body = [f"<h1>{e_(title)}{_cite_html(src, [plan['headline']['id']]) if plan['headline'] else ''}</h1>",
            "<h2>Summary</h2>"]
    body += [f"<p>{e_(e['summary'])}{_cite_html(src, _docs_of(e))}</p>" for e in plan["summary"]] \
        or ["<p>No dated events were found.</p>"]
    if plan["background"]:
        body.append("<h2>Background</h2><ul>")
        body += [f'<li><span class="date">{e_(e["date"]["value"])}</span> — {e_(e["summary"])}'
                 f'{_cite_html(src, _docs_of(e))}</li>' for e in plan["background"]]
        body.append("</ul>")
    body.append("<h2>Key developments</h2><ul>")
    for e in plan["developments"]:
        notes = _notes(e)
        notes = f' <span class="place">({e_(notes)})</span>' if notes else ""
        body.append(f'<li><span class="date">{e_(e["date"]["value"])}</span> — {e_(e["summary"])}'
                    f'{_cite_html(src, _docs_of(e))}{notes}</li>')
    body.append("</ul>")
    if plan["numbers"]:
        body.append("<h2>The numbers</h2><ul>")
        for e, q in plan["numbers"]:
            body.append(f'<li><span class="date">{e_(e["date"]["value"])}</span> — {e_(_figure(q))}'
                        f'{_cite_html(src, q["docs"])}'
                        f' <span class="place">({e_(_figure_event(e))})</span></li>')
        body.append("</ul>")
    body.append("<h2>Statements</h2><ul>")
    for q in plan["quotes"]:
        when = q.get("date") or docs[q["doc"]].get("published") or "undated"
        body.append(f"<li><b>{e_(q['speaker']['name'])}</b> ({e_(when)}): “{e_(q['text'])}”"
                    f"{_cite_html(src, [q['doc']])}</li>")
    body.append("</ul><h2>Disputed points</h2>")
    if not plan["disputes"]:
        body.append("<p>No contradictions between sources were found.</p>")
    else:
        body.append("<ul>")
        for c, ev in plan["disputes"]:
            what, cited = _disputed(c, ev)
            lead = ("A title contradicts the actor registry in" if c["attribute"] == "role"
                    else f"The sources disagree on the {e_(c['attribute'])} of")
            claims = "".join(f'<li class="claim">{e_(cl["value"])}{_cite_html(src, cl["docs"])}</li>'
                             for cl in c["claims"])
            note = f'<li class="note">Assessment: {e_(c["note"])}.</li>' if c.get("note") else ""
            body.append(f"<li>{lead}: {e_(what)}{_cite_html(src, cited)}<ul>{claims}{note}</ul></li>")
        body.append("</ul>")
    body.append('<h2>Sources</h2><ol class="sources">')
    for n, d in src.entries():
        link = d.get("url")
        label = e_(Sources.describe(d))
        if link and link.startswith(("http://", "https://")):
            label += f' <a href="{e_(link, quote=True)}" rel="noopener noreferrer">link</a>'
        body.append(f'<li id="src{n}">{label}</li>')
    body.append("</ol>")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{e_(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
