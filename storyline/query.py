"""The query layer: what one page or one API answer shows, read from the store a page at a time.

``export`` reads the whole store and the timeline and brief cut it down
afterwards; the web app cannot afford that on every request.  Each function
here reads only what its answer holds (a page of events, one event with its
mentions, one document), through the focused read methods of ``Store``
(all SQL stays in storyline/store/), and returns plain JSON-ready dictionaries.

Inputs are checked before anything is read: an impossible date, a limit out
of range, an unknown event type or status, an actor or place the store does
not know raise ``BadQuery`` (a ValueError) with a message meant for the user; an id that
names nothing raises ``NotFound``.  Nothing answers an empty result for a
mistake.
"""

from __future__ import annotations

import json
import re
from typing import Iterable, get_args

from . import api as _api
from .annotate.typer import LABELS
from .model import Status
from .store import Store

TYPES = tuple(LABELS)
STATUSES = tuple(get_args(Status))
SORTS = ("date", "-date", "salience")
MAX_LIMIT = 500


class BadQuery(ValueError):
    """A filter, page or search the query layer cannot answer, said for the user (the API answers 400)."""


class NotFound(LookupError):
    """An id that names nothing in the store (the API answers 404)."""

    def __init__(self, kind: str, key: str):
        super().__init__(f"no {kind} {key!r}")
        self.kind, self.key = kind, key


# -- checking inputs ----------------------------------------------------------


def check_date(value: str, name: str = "date") -> str:
    """``value`` if it is a real YYYY, YYYY-MM or YYYY-MM-DD date (``api.check_date``), else
    BadQuery naming the filter ``name``."""
    try:
        return _api.check_date(value)
    except ValueError as exc:
        raise BadQuery(f"{name}: {exc}") from None


def check_page(limit: int, offset: int) -> tuple[int, int]:
    """``limit`` from 1 to ``MAX_LIMIT`` and ``offset`` from 0, else BadQuery saying which."""
    for name, value, low, high in (("limit", limit, 1, MAX_LIMIT), ("offset", offset, 0, None)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            bound = f"from {low} to {high}" if high else f"from {low}"
            raise BadQuery(f"{name} must be a whole number {bound}, not {value!r}")
    return limit, offset


def _names(values: str | Iterable[str] | None) -> list[str]:
    """A list given as a list or as one comma-separated string, blanks dropped."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _known(values: str | Iterable[str] | None, known: tuple[str, ...], what: str, fold) -> list[str]:
    """The names given (a list, or comma-separated), each folded by ``fold``; BadQuery naming any that
    are not ``known``."""
    out = [fold(v) for v in _names(values)]
    unknown = [v for v in out if v not in known]
    if unknown:
        raise BadQuery(f"unknown {what} {', '.join(unknown)} (known: {', '.join(known)})")
    return out


def check_types(types: str | Iterable[str] | None) -> list[str]:
    return _known(types, TYPES, "event type", str.upper)


def check_statuses(statuses: str | Iterable[str] | None) -> list[str]:
    return _known(statuses, STATUSES, "status", str.lower)


def _words(words: str | Iterable[str] | None) -> list[str]:
    if words is None:
        return []
    text = words if isinstance(words, str) else " ".join(words)
    found = re.findall(r"\w+", text)
    if text.strip() and not found:
        raise BadQuery(f"words: {text!r} holds no word to look for")
    return found


def _story_id(store: Store, story: str) -> str:
    """A story id, in full or a unique prefix; NotFound when it names none (BadQuery when several)."""
    from .store import AmbiguousKey

    try:
        sid = store.find_story(story)
    except AmbiguousKey as exc:
        raise BadQuery(str(exc)) from None
    if sid is None:
        raise NotFound("story", story)
    return sid


def _entity_id(store: Store, key: str, what: str) -> str:
    """An entity id used as a filter: BadQuery when the store knows no such entity."""
    if key not in store.entity_rows([key]):
        raise BadQuery(f"{what}: no actor or place with the id {key!r}")
    return key


# -- pieces -------------------------------------------------------------------


def _entity(rows: dict, eid: str | None) -> dict | None:
    r = rows.get(eid) if eid else None
    if r is None:
        return None
    return {"id": r["id"], "name": r["name"], "type": r["type"], "country": r["country"]}


def _entities(rows: dict, ids: Iterable[str]) -> list[dict]:
    return [e for e in (_entity(rows, i) for i in ids) if e]


def _event(row, ents: dict) -> dict:
    """An event as every answer lists it."""
    keys = row.keys()
    return {
        "id": row["id"], "type": row["type"], "summary": row["summary"],
        "date": {"value": row["date_value"], "precision": row["date_precision"], "text": row["date_text"]},
        "status": row["status"], "mode": row["mode"], "story": row["story"], "salience": row["salience"],
        "actors": _entities(ents, json.loads(row["actors"])),
        "location": _entity(ents, row["location"]),
        **({"sources": row["sources"], "independent_sources": row["independent"]} if "sources" in keys else {}),
    }


def _entity_ids(rows) -> list[str]:
    ids: list[str] = []
    for r in rows:
        ids += json.loads(r["actors"])
        if r["location"]:
            ids.append(r["location"])
    return ids


def _document(row) -> dict:
    return {"id": row["id"], "title": row["title"], "source": row["source"], "published": row["published"],
            "url": row["url"]}


def word_spans(text: str, words: Iterable[str]) -> list[list[int]]:
    """[start, end] of every whole-word occurrence of any of ``words`` in ``text`` (any case),
    in order and never overlapping: what a page marks as the match."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
    return [[m.start(), m.end()] for m in pattern.finditer(text)]


# -- answers ------------------------------------------------------------------


def _per_day(rows) -> dict[str | None, list[dict]]:
    out: dict[str | None, list[dict]] = {}
    for story, day, n in rows:
        out.setdefault(story, []).append({"day": day, "documents": n})
    return out


def stories(store: Store) -> list[dict]:
    """Every story, largest first: id, title, span, articles, independent sources, outlets, events
    and articles per day."""
    per_day = _per_day(store.documents_per_day())
    out = [{"id": r["id"], "title": r["title"], "first": r["first"], "last": r["last"],
            "documents": r["documents"], "independent_sources": r["independent"], "outlets": r["outlets"],
            "events": r["events"], "per_day": per_day.get(r["id"], [])} for r in store.story_overviews()]
    return sorted(out, key=lambda s: (-s["documents"], -s["events"], s["id"]))


def story(store: Store, story_id: str) -> dict:
    """One story as ``stories`` lists it; ``story_id`` may be a unique prefix."""
    sid = _story_id(store, story_id)
    r = store.story_overview(sid)
    if r is None:  # a story left with no current document
        raise NotFound("story", story_id)
    return {"id": r["id"], "title": r["title"], "first": r["first"], "last": r["last"],
            "documents": r["documents"], "independent_sources": r["independent"], "outlets": r["outlets"],
            "events": r["events"], "per_day": _per_day(store.documents_per_day(sid)).get(sid, [])}


def counts_per_day(store: Store, story: str | None = None) -> list[dict]:
    """Articles published per day, over the store or one story: [{"day", "documents"}]."""
    sid = _story_id(store, story) if story is not None else None
    totals: dict[str, int] = {}
    for _, day, n in store.documents_per_day(sid):
        totals[day] = totals.get(day, 0) + n
    return [{"day": d, "documents": n} for d, n in sorted(totals.items())]


CHART_FIGURES = ("killed", "injured", "launched", "intercepted")


def story_days(store: Store, story: str, start: str | None = None, end: str | None = None) -> list[dict]:
    """Day by day, the story's events dated to a full day within ``start``..``end``, for its charts:
    [{"day", "events", "intensity", "killed", "injured", "launched", "intercepted"}], days with no
    such event left out.

    An event "reported" on a day (it happened then or before) counts on that
    day; events dated only to a month or year are left out.  ``intensity``
    is the mean of the day's events' intensities (-10 most violent to +10
    most cooperative), to one decimal.  A figure counts each event once:
    for each kind and weapon, the largest any article gives for it (the
    sources of one event repeat or revise each other's tolls), summed over
    weapons and over the day's events.
    """
    events: dict[str, tuple[str, float, dict]] = {}
    for r in store.event_day_figures(**_filters(store, story, start, end)):
        _, _, figures = events.setdefault(r["id"], (r["date_value"], r["intensity"], {}))
        for q in json.loads(r["quantities"]):
            if q["kind"] in CHART_FIGURES:
                key = (q["kind"], q.get("weapon"))
                figures[key] = max(figures.get(key, 0), q["value"])
    days: dict[str, dict] = {}
    for day, intensity, figures in events.values():
        d = days.setdefault(day, {"day": day, "events": 0, "intensity": 0.0, **{k: 0 for k in CHART_FIGURES}})
        d["events"] += 1
        d["intensity"] += intensity
        for (kind, _), value in figures.items():
            d[kind] += value
    for d in days.values():
        d["intensity"] = round(d["intensity"] / d["events"], 1)
    return [days[k] for k in sorted(days)]


def check_range(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """A date filter checked (each a YYYY, YYYY-MM or YYYY-MM-DD date, the start not after the end),
    blanks as None; else BadQuery."""
    start = check_date(start, "start") if start not in (None, "") else None
    end = check_date(end, "end") if end not in (None, "") else None
    if start and end and start[:len(end)] > end:
        raise BadQuery(f"start {start} is after end {end}")
    return start, end


def _kept(store: Store, story: str, types=None, status=None, actor=None, place=None,
          words=None) -> set[str] | None:
    """The ids of the story's events the filters other than dates keep; None when none is given."""
    if not (_names(types) or _names(status) or actor or place or _words(words)):
        return None
    return store.event_ids(**_filters(store, story, None, None, types, status, actor, place, words))


def brief(store: Store, story: str, fmt: str = "md", start: str | None = None, end: str | None = None,
          types=None, status=None, actor: str | None = None, place: str | None = None,
          words: str | None = None) -> str:
    """The brief of one story (``api.brief``) within ``start``..``end``, as "md", "html" or "json";
    of the events ``types``, ``status``, ``actor``, ``place`` and ``words`` keep (as ``events``
    filters them), when any is given.

    It is rendered from the story's export, as ``storyline brief --story`` does.
    """
    start, end = check_range(start, end)
    sid = _story_id(store, story)
    return _api.brief_from(store, fmt, story=sid, date_from=start, date_to=end,
                           event_ids=_kept(store, sid, types, status, actor, place, words))


def export(store: Store, story: str, start: str | None = None, end: str | None = None,
           types=None, status=None, actor: str | None = None, place: str | None = None,
           words: str | None = None) -> dict:
    """One story's export (schema storyline/1) within ``start``..``end``, as ``api.export`` gives it;
    with any other filter of ``events``, the events it keeps, their quotes and contradictions and
    the documents these cite."""
    from . import export as _export

    start, end = check_range(start, end)
    sid = _story_id(store, story)
    kept = _kept(store, sid, types, status, actor, place, words)
    data = _export.within(_export.export(store, story=sid), start, end)
    return data if kept is None else _export.only_events(data, kept)


def export_flat(store: Store, story: str, fmt: str = "csv", start: str | None = None,
                end: str | None = None, **filters) -> str:
    """One story's events as a flat CSV table (``api.export_flat``): ``fmt`` "csv", "acled" or "gdelt";
    ``filters`` as ``export`` takes them."""
    from . import flat as _flat

    if fmt not in ("csv", "acled", "gdelt"):
        raise BadQuery(f"unknown flat format {fmt!r} (expected csv, acled or gdelt)")
    return _flat.render(export(store, story, start, end, **filters), fmt)


def _filters(store: Store, story=None, start=None, end=None, types=None, status=None, actor=None,
             place=None, words=None) -> dict:
    """The event filters checked and resolved to what ``Store.event_page`` takes."""
    start, end = check_range(start, end)
    return {"story": _story_id(store, story) if story not in (None, "") else None,
            "start": start, "end": end, "types": check_types(types), "statuses": check_statuses(status),
            "actor": _entity_id(store, actor, "actor") if actor not in (None, "") else None,
            "place": _entity_id(store, place, "place") if place not in (None, "") else None,
            "words": _words(words)}


def events(store: Store, story: str | None = None, start: str | None = None, end: str | None = None,
           types: str | Iterable[str] | None = None, status: str | Iterable[str] | None = None,
           actor: str | None = None, place: str | None = None, words: str | None = None,
           sort: str = "date", limit: int = 50, offset: int = 0) -> dict:
    """A page of events: {"total", "limit", "offset", "events"}.

    ``start``/``end`` keep events whose date can fall within them (as the
    timeline's --from/--to); ``types`` and ``status`` are lists or
    comma-separated; ``actor`` keeps events it acts in (or is acted on in),
    ``place`` those located there; ``words`` those whose reporting sentences
    hold every word.  ``sort``: "date", "-date" or "salience".
    """
    if sort not in SORTS:
        raise BadQuery(f"unknown sort {sort!r} (known: {', '.join(SORTS)})")
    limit, offset = check_page(limit, offset)
    rows, total = store.event_page(sort=sort, limit=limit, offset=offset,
                                   **_filters(store, story, start, end, types, status, actor, place, words))
    ents = store.entity_rows(_entity_ids(rows))
    return {"total": total, "limit": limit, "offset": offset, "events": [_event(r, ents) for r in rows]}


def _claimant(ents: dict, eid: str | None) -> dict | None:
    e = _entity(ents, eid)
    return {"id": e["id"], "name": e["name"]} if e else None


def event_id(store: Store, key: str) -> str:
    """The current id of the event ``key`` names: ``key`` itself, or, for the id of an event that has
    since merged into or split off another, that event's id.  NotFound when it names none."""
    found = store.resolve_event(key)
    if found is None:
        raise NotFound("event", key)
    return found


def event(store: Store, event_id: str) -> dict:
    """One event with every current mention (its article and sentence, the trigger marked), the
    figures each article gives, quotes, contradictions and related events.  An old id of the event
    (``event_id`` above) finds it too."""
    event_id = store.resolve_event(event_id) or event_id
    row = store.event_row(event_id)
    mentions = store.event_mention_rows(event_id) if row else []
    if not mentions:
        raise NotFound("event", event_id)
    quantities = [(m, json.loads(m["quantities"])) for m in mentions]
    quotes = store.event_quotes(event_id)
    contradictions = store.event_contradictions(event_id)
    related = store.event_rows(json.loads(row["related"]))
    ids = _entity_ids([row, *related.values()]) + json.loads(row["source"]) + json.loads(row["target"])
    ids += [m["claimant"] for m in mentions if m["claimant"]]
    ids += [q["claimant"] for _, qs in quantities for q in qs if q.get("claimant")]
    ids += [q["speaker"] for q in quotes if q["speaker"]]
    ents = store.entity_rows(ids)
    cited = {d for c in contradictions for cl in c.claims for d in cl.docs}
    docs = store.document_rows([m["doc"] for m in mentions] + sorted(cited))

    out = _event(row, ents)
    out["source"] = _entities(ents, json.loads(row["source"]))
    out["target"] = _entities(ents, json.loads(row["target"]))
    out["sources"] = len({m["doc"] for m in mentions})
    out["independent_sources"] = len({m["duplicate_of"] or m["doc"] for m in mentions})
    out["mentions"] = []
    for m in mentions:
        sentence = m["sentence_text"] if m["sentence_text"] is not None else m["text"]
        out["mentions"].append({
            "id": m["id"], "document": _document({**dict(m), "id": m["doc"]}),
            "duplicate_of": m["duplicate_of"], "sentence": m["sentence"], "text": sentence,
            "highlights": word_spans(sentence, [m["trigger"]]), "trigger": m["trigger"], "type": m["type"],
            "status": m["status"], "claimant": _claimant(ents, m["claimant"]),
            "date": {"value": m["date_value"], "text": m["date_text"]},
        })
    out["figures"] = [{"document": _document({**dict(m), "id": m["doc"]}),
                       "quantities": [{"kind": q["kind"], "value": q["value"], "approx": q["approx"],
                                       "text": q["text"], "unit": q.get("unit"), "weapon": q.get("weapon"),
                                       "claimant": _claimant(ents, q.get("claimant"))} for q in qs]}
                      for m, qs in quantities if qs]
    out["quotes"] = [{"text": q["text"], "speaker": (_claimant(ents, q["speaker"])
                                                     or ({"id": None, "name": q["speaker_name"]}
                                                         if q["speaker_name"] else None)),
                      "document": {"id": q["doc"], "title": q["title"], "source": q["source"]},
                      "date": q["date"]} for q in quotes]
    out["contradictions"] = [{"id": c.id, "attribute": c.attribute, "note": c.note,
                              "claims": [{"value": cl.value,
                                          "documents": [_document(docs[d]) for d in cl.docs if d in docs]}
                                         for cl in c.claims]} for c in contradictions]
    out["related"] = [_event(related[r], ents) for r in json.loads(row["related"]) if r in related]
    return out


def contradictions(store: Store, story: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    """A page of contradictions, of one story with ``story``: each with its claims and their
    documents, and its event (or, for a title the registry contradicts, the sentence)."""
    limit, offset = check_page(limit, offset)
    sid = _story_id(store, story) if story not in (None, "") else None
    rows, total = store.contradiction_page(sid, limit, offset)
    claims = {r["id"]: json.loads(r["claims"]) for r in rows}
    docs = store.document_rows([d for cs in claims.values() for c in cs for d in c["docs"]]
                               + [r["doc"] for r in rows if r["doc"]])
    out = []
    for r in rows:
        out.append({
            "id": r["id"], "attribute": r["attribute"], "note": r["note"] or "", "story": r["story"],
            "event": ({"id": r["event"], "type": r["event_type"], "summary": r["summary"],
                       "date": r["date_value"]} if r["event"] else None),
            "claims": [{"value": c["value"], "source": "documents" if c["docs"] else "registry",
                        "documents": [_document(docs[d]) for d in c["docs"] if d in docs]} for c in claims[r["id"]]],
            "document": _document(docs[r["doc"]]) if r["doc"] in docs else None,
            "sentence": r["sentence"], "text": r["sentence_text"],
        })
    return {"total": total, "limit": limit, "offset": offset, "contradictions": out}


def document(store: Store, doc_id: str) -> dict:
    """One stored document: its metadata, what cleaning removed, and its sentences, each with the
    spans to mark (time expressions, entities, event triggers) and the events it reports."""
    if not store.has_document(doc_id):
        raise NotFound("document", doc_id)
    doc = store.document(doc_id)
    meta = store.document_rows([doc_id])[doc_id]
    event_of = store.mention_events(doc_id)
    sentences = []
    for s in doc.sentences:
        marks = [{"start": t.start - s.start, "end": t.end - s.start, "kind": "time",
                  "label": t.value or t.text} for t in doc.timexes if s.start <= t.start < s.end]
        marks += [{"start": e.start - s.start, "end": e.end - s.start, "kind": "entity", "label": e.name,
                   "entity": e.entity_id, "entity_type": e.type} for e in doc.entities if s.start <= e.start < s.end]
        reported = []
        for m in doc.events:
            if m.sentence != s.index:
                continue
            reported.append({"mention": m.id, "event": event_of.get(m.id), "type": m.type, "trigger": m.trigger,
                             "status": m.status})
            for start, end in word_spans(s.text, [m.trigger])[:1]:
                marks.append({"start": start, "end": end, "kind": "event", "label": m.type, "event": event_of.get(m.id)})
        marks = [mk for mk in marks if 0 <= mk["start"] < mk["end"] <= len(s.text)]
        sentences.append({"index": s.index, "paragraph": s.paragraph, "text": s.text,
                          "marks": sorted(marks, key=lambda mk: (mk["start"], -mk["end"])), "events": reported})
    return {
        "id": doc.id, "title": doc.title, "source": doc.source, "url": doc.url, "published": doc.published,
        "published_from": doc.published_from, "byline": doc.byline, "external_id": doc.external_id,
        "story": meta["story"], "duplicate_of": meta["duplicate_of"], "current": bool(meta["current"]),
        "removed": [{"text": r.text, "reason": r.reason} for r in doc.removed],
        "sentences": sentences,
    }


def _named(registry, actor_id: str | None) -> dict | None:
    a = registry.actors.get(actor_id) if actor_id else None
    return {"id": actor_id, "name": a.name if a else actor_id} if actor_id else None


def _registry_entry(actor_id: str) -> dict | None:
    """What the shipped actor registry says of an actor: other names, whose it is, the offices it
    held (``roles``, by start) and, for a state or body, who held its offices (``holders``)."""
    from .annotate.actors import load_registry

    registry = load_registry()
    a = registry.actors.get(actor_id)
    if a is None:
        return None

    def role(holder: str, r) -> dict:
        return {"holder": _named(registry, holder), "title": r.title, "of": _named(registry, r.of),
                "start": r.start, "end": r.end}

    def when(r: dict) -> tuple:
        return (r["start"] or "", r["end"] or "9999")

    holders = [role(h, r) for held in registry.holders.values() for h, r in held if r.of == actor_id]
    return {"aliases": a.aliases, "affiliation": _named(registry, a.affiliation),
            "roles": sorted((role(a.id, r) for r in a.roles), key=when),
            "holders": sorted(holders, key=lambda r: (r["title"], *when(r)))}


def _stored(store: Store, entry: dict | None) -> dict | None:
    """A registry entry whose named actors say whether the store holds them (``stored``)."""
    if entry is None:
        return None
    named = [entry["affiliation"]] + [x for r in entry["roles"] + entry["holders"] for x in (r["holder"], r["of"])]
    named = [x for x in named if x]
    held = store.entity_rows(sorted({x["id"] for x in named}))
    for x in named:
        x["stored"] = x["id"] in held
    return entry


def actor(store: Store, actor_id: str, limit: int = 50, offset: int = 0) -> dict:
    """One actor or place: who or what it is, how often articles name it, what the actor registry
    says of it (``registry``: other names, offices held and their holders; None when it is not in
    the registry shipped with Storyline), its events over time (per date) and a page of those
    events, earliest first."""
    limit, offset = check_page(limit, offset)
    r = store.entity_rows([actor_id]).get(actor_id)
    if r is None:
        raise NotFound("actor", actor_id)
    key = {"place": actor_id} if r["type"] == "place" else {"actor": actor_id}
    rows, total = store.event_page(limit=limit, offset=offset, **key)
    ents = store.entity_rows(_entity_ids(rows) + [actor_id])
    return {"id": r["id"], "name": r["name"], "type": r["type"], "country": r["country"],
            "lat": r["lat"], "lon": r["lon"], "mentions": store.entity_mention_total(actor_id),
            "registry": _stored(store, _registry_entry(actor_id)) if r["type"] != "place" else None,
            "per_date": [{"date": d, "events": n} for d, n in store.event_days(**key)],
            "total": total, "limit": limit, "offset": offset, "events": [_event(x, ents) for x in rows]}


def search(store: Store, q: str, limit: int = 20, offset: int = 0) -> dict:
    """Sentences holding every word of ``q``, best first: each with its text, the spans to mark,
    its article's title, outlet, date and url, the page to link to, and the events it reports."""
    limit, offset = check_page(limit, offset)
    words = re.findall(r"\w+", q or "")
    if not words:
        raise BadQuery("search: give at least one word to look for")
    rows, total = store.search_page(q, limit, offset)
    reported = store.events_in_sentences((r["doc"], r["idx"]) for r in rows)
    return {"query": q, "total": total, "limit": limit, "offset": offset,
            "results": [{"document": _document({**dict(r), "id": r["doc"]}), "sentence": r["idx"],
                         "text": r["text"], "highlights": word_spans(r["text"], words),
                         "link": f"/documents/{r['doc']}#s{r['idx']}",
                         "events": [{"id": e["id"], "type": e["type"], "status": e["status"],
                                     "date": {"value": e["date_value"], "precision": e["date_precision"]}}
                                    for e in reported.get((r["doc"], r["idx"]), [])]} for r in rows]}
