"""Briefing: headline, summary, background, developments, statements, disputed points, numbers, sources.

Extractive by construction: every line is a stored source sentence, a quote,
or a figure or claim the annotators extracted, followed by the numbers of the
documents it comes from.  Nothing is paraphrased, so nothing can be invented.

One plan (``plan``) decides what goes in and numbers the sources; Markdown,
HTML and JSON only lay it out, so the three formats carry the same content.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import Counter

from .charts import Bar, bar_chart
from .readable import own_mention
from .selection import Pool, choose, tidy  # tidy: a headline without the wire's dateline or timestamp
from .timeline import (Sources, entry_text, heading, marks, md_escape, place, quantities_words, quantity_words,
                       select, sorted_quantities, status_words, type_words)

DEVELOPMENT_DATES = 10  # key developments: the most important dates ...
PER_DATE = 3  # ... and the most central events of each (selection.choose, as the timeline)
BACKGROUND = 5  # background: the best event of each of the most important earlier dates
MAX_QUOTES = 12
MAX_NUMBERS = 40
MAX_SUMMARY = 3
MIN_QUOTE_WORDS = 4  # shorter quotes are fragments ("critical", "stillborn.") that say little on their own

# Section key -> (heading, what to say when it is empty), in reading order.
SECTIONS = {
    "summary": ("Summary", "None found: no dated events were extracted."),
    "background": ("Background", "None found: no event predates the coverage."),
    "developments": ("Key developments", "None found: no dated events were extracted."),
    "statements": ("Statements", "None found: no quotes with a known speaker were extracted."),
    "disputes": ("Disputed points", "None found: no contradictions between sources were found."),
    "numbers": ("The numbers", "None found: no casualty, strike or other figures were extracted."),
    "sources": ("Sources", "None found: no documents were cited."),
    "stories": ("Other stories", "None: the pile holds this one story."),
}
ALL_STORIES = "None: this briefing covers every story of the pile."
ONE_STORY = "None listed: this briefing covers the story asked for; `storyline stories` lists them all."
# Figures drawn as bars in the HTML chart, one chart per group.
CHARTS = (("Killed and injured", ("killed", "injured")),
          ("Launched and intercepted", ("launched", "intercepted")))


# -- the plan --------------------------------------------------------------------------------------


def _background_cutoff(data: dict) -> str | None:
    """Events dated well before the story's span (its earliest article) are background, not news."""
    stories = data.get("stories", [])
    dates = ([stories[0]["first"]] if len(stories) == 1 and stories[0].get("first") else
             sorted(d["published"] for d in data["documents"] if d.get("published")))
    if not dates:
        return None
    first = dt.date.fromisoformat(dates[0]) - dt.timedelta(days=90)
    return first.isoformat()


def when(date: dict) -> str:
    """A date as the brief shows it: a day bare, anything coarser or only reported with its precision.

    A "reported" date is the day the event was first reported, so the event
    happened on or before it; the wording is the timeline's.
    """
    return date["value"] if date["precision"] == "day" else heading(date)


def _docs_of(event: dict) -> list[str]:
    """The event's documents, the one whose sentence is the event's summary first."""
    docs = list(dict.fromkeys(m["doc"] for m in event["mentions"]))
    own = own_mention(event)
    return [own["doc"]] + [d for d in docs if d != own["doc"]] if own else docs


def _cited(src: Sources, text: str, docs, **extra) -> dict:
    """One line of the brief: its text, the source numbers it cites and the documents behind them.

    The first document is the one the text is taken from ("source"); the
    others report the same ("also", in number order).  "sources" lists the
    first, then the others.
    """
    docs = list(dict.fromkeys(docs))
    if not docs:
        return {"text": text, **extra, "sources": [], "docs": [], "source": None, "also": []}
    first = src.cite(docs[:1])[0]
    also = [n for n in src.cite(docs) if n != first]
    nums = [first] + also
    return {"text": text, **extra, "sources": nums, "docs": [src.order[n - 1] for n in nums],
            "source": first, "also": also}


def cite_marks(item: dict, mark: str = "[{n}]", more: str = "[+{n} more]") -> str:
    """An item's citation: its own source, then "also reported by" the others."""
    if not item.get("sources"):
        return ""
    first = mark.format(n=item["sources"][0])
    rest = item["sources"][1:]
    return first + (f" (also reported by {marks(rest, mark=mark, more=more)})" if rest else "")


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


def _split(data: dict) -> tuple[list[dict], list[dict]]:
    """Dated events as (background, news): background has an explicit date (not only its article's)
    three months or more before the story's span."""
    events = select(data)
    cutoff = _background_cutoff(data)
    background = [e for e in events if cutoff and e["date"]["precision"] != "reported"
                  and e["date"]["value"] < cutoff[: len(e["date"]["value"])]]
    ids = {e["id"] for e in background}
    return background, [e for e in events if e["id"] not in ids]


def _headline(data: dict, top: list[dict], src: Sources) -> dict:
    """The story's title (the title of its most central article) for a briefing of one story;
    else the title of the article that reports most of the key events; "Briefing" when none has one."""
    stories = data.get("stories", [])
    if len(stories) == 1 and stories[0].get("title"):
        own = [d for d in data["documents"] if d.get("story") == stories[0]["id"]]
        doc = next((d for d in own if d.get("title") == stories[0]["title"]), None)
        if doc is not None:
            return _cited(src, tidy(doc["title"]), [doc["id"]])
    cited = Counter(m["doc"] for e in top for m in e["mentions"])
    docs = src.docs
    ranked = [d for d, _ in cited.most_common()] + [d["id"] for d in data["documents"]]
    doc = next((docs[d] for d in ranked if docs[d].get("title")), None)
    return _cited(src, tidy(doc["title"]), [doc["id"]]) if doc else _cited(src, "Briefing", [])


def _summary(ranked: list[dict], background: list[dict], src: Sources) -> list[dict]:
    """Two or three sentences: the best entry of each of the most important dates, in date order.

    ``ranked`` is the news as the selection chose it (most important date
    first, its best entry first).  Background only fills in when the news
    alone has fewer than two events.
    """
    firsts: dict[str, dict] = {}
    for e in ranked:
        firsts.setdefault(e["date"]["value"], e)
    top = sorted(list(firsts.values())[:MAX_SUMMARY], key=lambda e: e["date"]["value"])
    out: dict[str, dict] = {}
    for e in top + background:
        if len(out) >= MAX_SUMMARY or (len(out) >= 2 and e in background):
            break
        out.setdefault(entry_text(e), {"docs": [], "event": e["id"], "insertions": e.get("insertions", [])}
                       )["docs"] += _docs_of(e)
    return [_cited(src, text, v["docs"], event=v["event"], insertions=v["insertions"]) for text, v in out.items()]


def _background(background: list[dict], src: Sources) -> list[dict]:
    """``background`` as the selection chose it, in date order."""
    chosen = sorted(background, key=lambda e: e["date"]["value"])
    return [_cited(src, entry_text(e), _docs_of(e), date=e["date"], when=when(e["date"]), event=e["id"],
                   insertions=e.get("insertions", [])) for e in chosen]


def _developments(ranked: list[dict], src: Sources) -> list[dict]:
    """The chosen events, grouped by exact date (value and precision) in date order.

    ``ranked`` is the news as the selection chose it.  Two events told by the
    same sentence make one line, citing both events' documents.
    """
    order = {e["id"]: i for i, e in enumerate(ranked)}
    top = list(ranked)
    top.sort(key=lambda e: (e["date"]["value"], e["date"]["precision"] == "reported", order[e["id"]]))
    groups: dict[str, dict] = {}
    for e in top:
        group = groups.setdefault(when(e["date"]), {"date": e["date"], "when": when(e["date"]), "lines": {}})
        line = group["lines"].setdefault(entry_text(e), {"docs": [], "notes": [], "events": [],
                                                          "insertions": e.get("insertions", [])})
        line["docs"] += _docs_of(e)
        line["events"].append(e["id"])
        notes = _notes(e)
        if notes and notes not in line["notes"]:
            line["notes"].append(notes)
    return [{"date": g["date"], "when": g["when"],
             "items": [_cited(src, text, v["docs"], notes="; ".join(v["notes"]), events=v["events"],
                              insertions=v["insertions"])
                       for text, v in g["lines"].items()]}
            for g in groups.values()]


def _statements(data: dict, src: Sources) -> list[dict]:
    """Quotes with a known speaker, in publication order; a quote repeated by copies is listed once."""
    docs = src.docs
    quotes = [q for q in data["quotes"] if q["speaker"] and len(q["text"].split()) >= MIN_QUOTE_WORDS]
    quotes.sort(key=lambda q: (docs[q["doc"]].get("published") is None, docs[q["doc"]].get("published") or ""))
    merged: dict[tuple, dict] = {}
    for q in quotes:
        key = (q["speaker"]["name"], q["text"])
        if key not in merged and len(merged) >= MAX_QUOTES:
            continue
        item = merged.setdefault(key, {"q": q, "docs": []})
        item["docs"].append(q["doc"])
    return [_cited(src, v["q"]["text"], v["docs"], speaker=v["q"]["speaker"],
                   date=v["q"].get("date") or docs[v["q"]["doc"]].get("published"), event=v["q"].get("event"))
            for v in merged.values()]


def _dispute(c: dict, ev: dict | None, src: Sources) -> dict:
    """A contradiction: the sentence it is about, every side with its sources, and the linker's note.

    The note weighs the sides, so it cites the documents of every side.
    """
    if c.get("text") and c.get("doc"):
        text, docs = c["text"], [c["doc"]]  # a role contradiction quotes its own sentence
    else:
        text, docs = (ev["summary"], _docs_of(ev)) if ev else (c["event"] or "", [])
    lead = ("A title contradicts the actor registry in" if c["attribute"] == "role"
            else f"The sources disagree on the {c['attribute']} of")
    item = _cited(src, text, docs, attribute=c["attribute"], lead=lead, id=c["id"], event=c["event"])
    item["claims"] = [_cited(src, cl["value"], cl["docs"], source=cl.get("source", "documents"))
                      for cl in c["claims"]]
    all_docs = [d for cl in c["claims"] for d in cl["docs"]]
    item["note"] = _cited(src, c["note"], all_docs) if c.get("note") else None
    return item


def _disputes(data: dict, src: Sources) -> list[dict]:
    events_by_id = {e["id"]: e for e in data["events"]}
    return [_dispute(c, events_by_id.get(c["event"]), src) for c in data["contradictions"]]


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


def _number_items(events: list[dict], src: Sources) -> list[dict]:
    """Each figure cites only the articles that give it, not every article about its event."""
    return [_cited(src, _figure(q), q.get("docs") or _docs_of(e), date=e["date"], when=when(e["date"]),
                   kind=q["kind"], weapon=q.get("weapon"), value=q["value"], approx=q["approx"],
                   claimant=q.get("claimant"), figure_text=q.get("text"), notes=_figure_event(e), event=e["id"])
            for e, q in _numbers(events)]


def _source_items(src: Sources) -> list[dict]:
    return [{"n": n, "id": d["id"], "text": Sources.describe(d), "title": d.get("title"), "source": d.get("source"),
             "published": d.get("published"), "url": d.get("url"), "path": d.get("path")}
            for n, d in src.entries()]


def plan(data: dict, pool=()) -> dict:
    """Everything the brief says, as data, with the sources numbered in reading order.

    Sections are planned in the order they are read, so the first source cited
    is [1]; each section is {"title", "items", "none"}, where "none" is the
    line shown when it has no items.
    """
    src = Sources(data["documents"])
    background, news = _split(data)
    pool = pool if isinstance(pool, Pool) else Pool.of(pool)  # worked out once for both choices
    ranked = choose(news, pool, DEVELOPMENT_DATES, PER_DATE)
    earlier = choose(background, pool, BACKGROUND, 1)
    headline = _headline(data, ranked[:3], src)
    items = {
        "summary": _summary(ranked, earlier, src),
        "background": _background(earlier, src),
        "developments": _developments(ranked, src),
        "statements": _statements(data, src),
        "disputes": _disputes(data, src),
        "numbers": _number_items(background + news, src),  # every figure, not only the chosen events'
    }
    items["sources"] = _source_items(src)
    items["stories"] = [{"id": s["id"], "text": s["title"] or "(untitled)", "first": s["first"], "last": s["last"],
                         "documents": s["documents"]} for s in data.get("other_stories", [])]
    out: dict = {"headline": headline}
    for key, (title, none) in SECTIONS.items():
        if key == "stories" and "other_stories" not in data:  # a briefing of everything, or of one story asked for
            none = ONE_STORY if data.get("briefing_of") == "story" else ALL_STORIES
        out[key] = {"title": title, "items": items[key], "none": None if items[key] else none}
    return out


def _story_line(item: dict) -> str:
    """"Title (2025-06-24 to 2025-06-30, 12 articles; story s_1a2b)": an id to ask for its own briefing."""
    span = item["first"] if item["first"] == item["last"] else f"{item['first']} to {item['last']}"
    articles = f"{item['documents']} article" + "s" * (item["documents"] != 1)
    return f"{item['text']} ({span or 'undated'}, {articles}; story {item['id']})"


# -- Markdown ---------------------------------------------------------------------------------------
# Every piece of article text (and, to be safe, every value read from the store)
# goes through md_escape(); only the layout around it is Markdown.


def _md_cited(item: dict) -> str:
    return f"{md_escape(item['text'])} {cite_marks(item)}".rstrip()


def _md_notes(notes: str) -> str:
    return f" _({md_escape(notes)})_" if notes else ""


def _md_section(key: str, items: list[dict]) -> list[str]:
    """The lines of one non-empty section."""
    if key == "summary":
        return [_md_cited(i) for i in items]
    if key == "background":
        return [f"- **{md_escape(i['when'])}** — {_md_cited(i)}" for i in items]
    if key == "developments":
        out = []
        for group in items:  # a blank line between dates
            out += [f"- **{md_escape(group['when'])}** — {_md_cited(i)}{_md_notes(i['notes'])}"
                    for i in group["items"]]
            out.append("")
        return out[:-1]
    if key == "statements":
        return [f"- {md_escape(i['speaker']['name'])} ({md_escape(i['date'] or 'undated')}): "
                f"“{md_escape(i['text'])}” {cite_marks(i)}" for i in items]
    if key == "disputes":
        return [line for i in items for line in _md_dispute(i)]
    if key == "numbers":
        return [f"- **{md_escape(i['when'])}** — {_md_cited(i)}{_md_notes(i['notes'])}" for i in items]
    if key == "stories":
        return [f"- {md_escape(_story_line(i))}" for i in items]
    return [f"{i['n']}. {md_escape(i['text'])}" for i in items]


def _md_dispute(item: dict) -> list[str]:
    out = [f"- {md_escape(item['lead'])}: {_md_cited(item)}"]
    for cl in item["claims"]:
        out.append(f"  - {_md_cited(cl)}" if cl["docs"]
                   else f"  - {md_escape(cl['text'])} (actor registry, no article)")
    if item["note"]:
        out.append(f"  - Assessment: {md_escape(item['note']['text'])}. {marks(item['note']['sources'])}".rstrip())
    return out


def render_markdown(data: dict, pool=()) -> str:
    p = plan(data, pool)
    out = [f"# {_md_cited(p['headline'])}"]
    for key in SECTIONS:
        section = p[key]
        out += ["", f"## {section['title']}", ""]
        out += _md_section(key, section["items"]) if section["items"] else [section["none"]]
    return "\n".join(out) + "\n"


# -- JSON ------------------------------------------------------------------------------------------


def render_json(data: dict, pool=()) -> str:
    """The plan itself: every section with its items, each item's text, source numbers and document ids."""
    return json.dumps({"schema": "storyline-brief/1", **plan(data, pool)}, indent=2, ensure_ascii=False) + "\n"


# -- HTML ------------------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}
h3{font-size:1rem;margin:1rem 0 .2rem}sup a{text-decoration:none;color:#036}ul{padding-left:1.2rem}
li{margin:.35rem 0}.date{font-weight:bold;white-space:nowrap}.notes{color:#555}.none{color:#666;font-style:italic}
.note{color:#666;font-style:italic}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
figure{margin:1rem 0}figcaption{font-weight:bold;font-size:.95rem}svg{max-width:100%;height:auto}
.bar-killed{fill:#8b1a1a}.bar-injured{fill:#d9822b}.bar-launched{fill:#33609a}.bar-intercepted{fill:#5b9a5b}
.sources li{font-size:.9rem;word-break:break-word}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}
h2,h3{break-after:avoid}li,tr,figure{break-inside:avoid}
svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _e(text) -> str:
    """Escape article-derived text for HTML text and attribute values alike."""
    return html.escape(str(text), quote=True)


_HTML_MARK = '<sup><a href="#src{n}">[{n}]</a></sup>'
_HTML_MORE = "<sup>[+{n} more]</sup>"


def _cite_html(nums: list[int]) -> str:
    return marks(nums, mark=_HTML_MARK, more=_HTML_MORE)


def _html_cited(item: dict) -> str:
    return f"{_e(item['text'])}{cite_marks(item, mark=_HTML_MARK, more=_HTML_MORE)}"


def _html_notes(notes: str) -> str:
    return f' <span class="notes">({_e(notes)})</span>' if notes else ""


def _html_list(lines: list[str]) -> list[str]:
    return ["<ul>"] + [f"<li>{line}</li>" for line in lines] + ["</ul>"]


def _html_dated(item: dict) -> str:
    return f'<span class="date">{_e(item["when"])}</span> — {_html_cited(item)}'


def _html_dispute(item: dict) -> str:
    claims = [f'<li class="claim">{_html_cited(cl)}</li>' if cl["docs"]
              else f'<li class="claim">{_e(cl["text"])} (actor registry, no article)</li>' for cl in item["claims"]]
    if item["note"]:
        claims.append(f'<li class="note">Assessment: {_e(item["note"]["text"])}.'
                      f'{_cite_html(item["note"]["sources"])}</li>')
    return f"{_e(item['lead'])}: {_html_cited(item)}<ul>{''.join(claims)}</ul>"


def _chart(title: str, kinds: tuple[str, ...], numbers: list[dict]) -> list[str]:
    """An inline SVG bar chart of one group of figures (``charts.bar_chart``); each bar is a row of
    the table below it.

    Bars are labelled with their date, figure and source numbers, so the
    chart reads on paper and without colour; no script, no external resource.
    """
    rows = [i for i in numbers if i["kind"] in kinds]
    # a bar's label does not count the sources past timeline.MAX_MARKS
    bars = [Bar(i["when"], i["value"], f'{i["text"]} {marks(i["sources"], more="")}', i["kind"]) for i in rows]
    svg = bar_chart(title, bars)
    return [f"<figure><figcaption>{_e(title)}</figcaption>", *svg[:-1], svg[-1] + "</figure>"] if svg else []


def _numbers_html(items: list[dict]) -> list[str]:
    """The charts, then every figure in a table with its sources."""
    out = [line for title, kinds in CHARTS for line in _chart(title, kinds, items)]
    out.append("<table><thead><tr><th>Date</th><th>Figure</th><th>Event</th></tr></thead><tbody>")
    out += [f'<tr><td class="date">{_e(i["when"])}</td><td>{_html_cited(i)}</td>'
            f'<td class="notes">({_e(i["notes"])})</td></tr>' for i in items]
    return out + ["</tbody></table>"]


def _source_html(item: dict) -> str:
    """A numbered source; only an http(s) URL becomes a link, so no javascript: or data: URL slips in."""
    label = _e(item["text"])
    link = item.get("url") or ""
    if link.lower().startswith(("http://", "https://")):
        label += f' <a href="{_e(link)}" rel="noopener noreferrer">link</a>'
    return f'<li id="src{item["n"]}">{label}</li>'


def _html_section(key: str, items: list[dict]) -> list[str]:
    """The markup of one non-empty section."""
    if key == "summary":
        return [f"<p>{_html_cited(i)}</p>" for i in items]
    if key == "background":
        return _html_list([_html_dated(i) for i in items])
    if key == "developments":
        return [line for g in items for line in
                [f'<h3 class="date">{_e(g["when"])}</h3>']
                + _html_list([_html_cited(i) + _html_notes(i["notes"]) for i in g["items"]])]
    if key == "statements":
        return _html_list([f"<b>{_e(i['speaker']['name'])}</b> ({_e(i['date'] or 'undated')}): “{_e(i['text'])}”"
                           f"{cite_marks(i, mark=_HTML_MARK, more=_HTML_MORE)}" for i in items])
    if key == "disputes":
        return _html_list([_html_dispute(i) for i in items])
    if key == "numbers":
        return _numbers_html(items)
    if key == "stories":
        return _html_list([_e(_story_line(i)) for i in items])
    return ['<ol class="sources">'] + [_source_html(i) for i in items] + ["</ol>"]


def render_html(data: dict, pool=()) -> str:
    """A self-contained, printable page; every piece of article text goes through _e()."""
    p = plan(data, pool)
    title = p["headline"]["text"]
    body = [f"<h1>{_html_cited(p['headline'])}</h1>"]
    for key in SECTIONS:
        section = p[key]
        body.append(f"<h2>{_e(section['title'])}</h2>")
        body += _html_section(key, section["items"]) if section["items"] else [
            f'<p class="none">{_e(section["none"])}</p>']
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
