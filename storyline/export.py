"""Export: the store as one JSON document, schema "storyline/1".

This dictionary is also what the timeline and the brief render from, so the
three outputs can never disagree.  Fields are only ever added, never renamed
or dropped (docs/schema.md).
"""

from __future__ import annotations

import json
import re
from importlib import resources

from .model import independent
from .selection import in_range
from .store import Store

SCHEMA = "storyline/1"


class UnknownStory(LookupError):
    """A story id (or prefix) that names no story in the store."""


def load_schema() -> dict:
    return json.loads(resources.files("storyline.schema").joinpath("storyline-1.schema.json").read_text("utf-8"))


def _actor(entities: dict, eid: str) -> dict:
    e = entities[eid]
    return {"id": eid, "name": e.name, "type": e.type}


def _claimant(entities: dict, eid: str | None) -> dict | None:
    """Who gave a figure or a claim, or None when no one (or no known entity) did."""
    return {"id": eid, "name": entities[eid].name} if eid and eid in entities else None


def _quantities(ms: list, entities: dict) -> list[dict]:
    """The event's figures, one per distinct figure and claimant, each with the documents giving it.

    The documents are listed so that an output can cite a number to the
    articles that give that number, not to every article about the event.
    """
    out: dict[tuple, dict] = {}
    for doc, m in ms:
        for q in m.quantities:
            key = (q.kind, q.value, q.approx, q.weapon, q.unit, q.claimant)
            if key not in out:
                out[key] = {"kind": q.kind, "value": q.value, "approx": q.approx, "weapon": q.weapon,
                            "unit": q.unit, "claimant": _claimant(entities, q.claimant), "text": q.text,
                            "docs": []}
            if doc not in out[key]["docs"]:
                out[key]["docs"].append(doc)
    return list(out.values())


def export(store: Store, story: str | None = None) -> dict:
    """Everything in the store; with ``story`` (an id or a unique prefix), only that story's part.

    Raises UnknownStory when ``story`` names no story.
    """
    if story is None:
        return _export(store)
    sid = store.find_story(story)
    if sid is None:
        raise UnknownStory(story)
    return _export(store, sid)


def _export(store: Store, story: str | None = None) -> dict:
    """The export; with ``story`` (an id), that story's part, read from the store for it alone: its
    events and their mentions; the quotes of its documents or its events; its events' contradictions
    and the role contradictions of its documents; its documents and any other document those cite (an
    event of the story may have a mention in an article filed under another), so every citation
    resolves.  Entities and story summaries are read whole (they are small)."""
    entities = store.entities()
    duplicate_of = store.duplicates()
    story_of = store.document_stories()
    stored = store.events(story)
    if story is None:
        mentions = {m.id: m for _, m in store.event_mentions()}  # current documents only
    else:
        mentions = {m.id: m for _, m in store.event_mentions(ids=[mid for ev in stored for _, mid in ev.mentions])}
    events, event_of = _events(stored, mentions, entities, duplicate_of)
    exported = {e["id"] for e in events}
    if story is not None:  # events of other stories this story's events are related to
        exported |= store.exported_events({r for e in events for r in e["related"]} - exported)
    for e in events:  # an event with no current mention is not exported, so it cannot be related
        e["related"] = [r for r in e["related"] if r in exported]
    own = [d for d, s in story_of.items() if s == story] if story is not None else None
    if story is None:
        stored_quotes = store.quotes()
    else:
        stored_quotes = store.quotes(docs=own, mentions=list(event_of))
        event_of = event_of | store.events_of_mentions({q.event for _, q in stored_quotes if q.event} - set(event_of))
    quotes = [{"speaker": ({"id": q.speaker, "name": q.speaker_name} if q.speaker
                           else ({"id": None, "name": q.speaker_name} if q.speaker_name else None)),
               "text": q.text, "doc": doc, "start": q.start, "end": q.end, "date": q.date,
               "event": event_of.get(q.event) if q.event else None}
              for doc, q in stored_quotes]
    contradictions = []
    for c in (store.contradictions() if story is None else
              store.contradictions(events=[e["id"] for e in events], docs=own)):
        claims = [{"value": cl.value, "docs": cl.docs, "source": "documents" if cl.docs else "registry"}
                  for cl in c.claims]
        contradictions.append({
            "id": c.id, "event": c.event, "attribute": c.attribute, "claims": claims, "note": c.note,
            "doc": c.doc, "sentence": c.sentence,
            "text": store.sentence_text(c.doc, c.sentence) if c.doc is not None else None,
        })
    out = {"events": events, "quotes": quotes, "contradictions": contradictions}
    docs = store.documents(annotations=False) if story is None else \
        store.documents(annotations=False, ids=set(own) | _cited(out))
    documents = [{
        "id": d.id, "external_id": d.external_id, "path": d.path, "title": d.title, "source": d.source,
        "url": d.url, "published": d.published, "published_from": d.published_from,
        "published_after": d.published_after,
        "removed": [{"text": r.text, "reason": r.reason} for r in d.removed],
        "duplicate_of": duplicate_of.get(d.id), "story": story_of.get(d.id),
    } for d in docs]
    mentions_of = store.entity_mention_counts()
    stories = store.story_summaries()
    return {
        "schema": SCHEMA,
        "documents": documents,
        "events": events,
        "quotes": quotes,
        "contradictions": contradictions,
        "stories": stories if story is None else [s for s in stories if s["id"] == story],
        "entities": [{"id": e.entity_id, "name": e.name, "type": e.type, "country": e.country,
                      "qid": e.entity_id if re.fullmatch(r"Q\d+", e.entity_id) else None,
                      "lat": e.lat, "lon": e.lon, "mentions": mentions_of.get(e.entity_id, 1)}
                     for e in entities.values() if e.type != "name"],
    }


def _events(stored: list, mentions: dict, entities: dict, duplicate_of: dict) -> tuple[list[dict], dict[str, str]]:
    """The export's events (those with a current mention) and event-mention id -> canonical event id."""
    events = []
    event_of: dict[str, str] = {}  # event-mention id -> canonical event id
    for ev in stored:
        ms = [(doc, mentions[mid]) for doc, mid in ev.mentions if mid in mentions]
        if not ms:
            continue
        loc = entities.get(ev.location) if ev.location else None
        for mid in (mid for _, mid in ev.mentions):
            event_of[mid] = ev.id
        events.append({
            "id": ev.id, "type": ev.type, "summary": ev.summary,
            "date": {"value": ev.date_value, "precision": ev.date_precision, "text": ev.date_text},
            "actors": [_actor(entities, a) for a in ev.actors if a in entities],
            "location": ({"id": loc.entity_id, "name": loc.name, "country": loc.country, "lat": loc.lat,
                          "lon": loc.lon} if loc else None),
            "quantities": _quantities(ms, entities),
            "mentions": [{"doc": doc, "text": m.text, "start": m.start, "end": m.end, "status": m.status,
                          "claimant": _claimant(entities, m.claimant)} for doc, m in ms],
            "sources": len({doc for doc, _ in ms}),
            "independent_sources": len(independent((doc for doc, _ in ms), duplicate_of)),
            "story": ev.story,
            "salience": ev.salience,
            "mode": ev.mode, "status": ev.status,
            "source": [_actor(entities, a) for a in ev.source if a in entities],
            "target": [_actor(entities, a) for a in ev.target if a in entities],
            "intensity": ev.intensity,
            "related": ev.related,
        })
    return events, event_of


def _cited(data: dict) -> set[str]:
    """Every document an event, figure, quote or contradiction cites.

    A figure's documents are among its event's mentions' (``_quantities``
    takes them from the same mentions), so the mentions cover them.
    """
    out = {m["doc"] for e in data["events"] for m in e["mentions"]}
    out |= {q["doc"] for q in data["quotes"]}
    out |= {d for c in data["contradictions"] for cl in c["claims"] for d in cl["docs"]}
    out |= {c["doc"] for c in data["contradictions"] if c.get("doc")}
    return out


def within(data: dict, date_from: str | None = None, date_to: str | None = None) -> dict:
    """The part of an export dated within [date_from, date_to] (YYYY, YYYY-MM or YYYY-MM-DD).

    Events by their date, as ``storyline timeline --from/--to`` keeps them;
    quotes by their date (else their article's); contradictions with their
    event; documents those cite, and those published in the range.
    """
    if not date_from and not date_to:
        return data
    published = {d["id"]: d.get("published") for d in data["documents"]}
    events = [e for e in data["events"] if in_range(e["date"]["value"], date_from, date_to)]
    ids = {e["id"] for e in events}
    out = {**data, "events": events,
           "quotes": [q for q in data["quotes"]
                      if in_range(q.get("date") or published.get(q["doc"]), date_from, date_to)],
           "contradictions": [c for c in data["contradictions"] if c["event"] in ids
                              or (c["event"] is None and in_range(published.get(c.get("doc")), date_from, date_to))]}
    keep = _cited(out) | {d for d, day in published.items() if in_range(day, date_from, date_to)}
    out["documents"] = [d for d in data["documents"] if d["id"] in keep]
    return out


def only_events(data: dict, ids: set[str]) -> dict:
    """The part of an export about the events ``ids`` name: those events, the quotes and
    contradictions of their sentences, and the documents these cite."""
    out = {**data, "events": [e for e in data["events"] if e["id"] in ids],
           "quotes": [q for q in data["quotes"] if q.get("event") in ids],
           "contradictions": [c for c in data["contradictions"] if c["event"] in ids]}
    keep = _cited(out)
    out["documents"] = [d for d in data["documents"] if d["id"] in keep]
    return out


def validate(data: dict) -> None:
    """Raise jsonschema.ValidationError when ``data`` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, load_schema())
