"""Export: the store as one JSON document, schema "storyline/1".

This dictionary is also what the timeline and the brief render from, so the
three outputs can never disagree.  Fields are only ever added, never renamed
or dropped (docs/schema.md).
"""

from __future__ import annotations

import json
from importlib import resources

from .store import Store

SCHEMA = "storyline/1"


def load_schema() -> dict:
    return json.loads(resources.files("storyline.schema").joinpath("storyline-1.schema.json").read_text("utf-8"))


def export(store: Store) -> dict:
    docs = store.documents(annotations=False)
    entities = store.entities()
    mentions = {m.id: m for _, m in store.event_mentions()}  # current documents only
    documents = [{
        "id": d.id, "external_id": d.external_id, "path": d.path, "title": d.title, "source": d.source,
        "url": d.url, "published": d.published, "published_from": d.published_from,
        "published_after": d.published_after,
        "removed": [{"text": r.text, "reason": r.reason} for r in d.removed],
    } for d in docs]

    events = []
    for ev in store.events():
        ms = [(doc, mentions[mid]) for doc, mid in ev.mentions if mid in mentions]
        if not ms:
            continue
        loc = entities.get(ev.location) if ev.location else None
        quantities, seen = [], set()
        for _, m in ms:
            for q in m.quantities:
                key = (q.kind, q.value, q.approx)
                if key not in seen:
                    seen.add(key)
                    quantities.append({"kind": q.kind, "value": q.value, "approx": q.approx})
        events.append({
            "id": ev.id, "type": ev.type, "summary": ev.summary,
            "date": {"value": ev.date_value, "precision": ev.date_precision, "text": ev.date_text},
            "actors": [{"id": a, "name": entities[a].name} for a in ev.actors if a in entities],
            "location": {"name": loc.name, "country": loc.country} if loc else None,
            "quantities": quantities,
            "mentions": [{"doc": doc, "text": m.text, "start": m.start, "end": m.end} for doc, m in ms],
            "sources": len({doc for doc, _ in ms}),
            "salience": ev.salience,
        })
    quotes = [{"speaker": ({"id": q.speaker, "name": q.speaker_name} if q.speaker
                           else ({"id": None, "name": q.speaker_name} if q.speaker_name else None)),
               "text": q.text, "doc": doc, "start": q.start, "end": q.end}
              for doc, q in store.quotes()]
    contradictions = [{
        "id": c.id, "event": c.event, "attribute": c.attribute,
        "claims": [{"value": cl.value, "docs": cl.docs} for cl in c.claims], "note": c.note,
    } for c in store.contradictions()]
    return {
        "schema": SCHEMA,
        "documents": documents,
        "events": events,
        "quotes": quotes,
        "contradictions": contradictions,
        "entities": [{"id": e.entity_id, "name": e.name, "type": e.type, "country": e.country}
                     for e in entities.values() if e.type != "name"],
    }


def validate(data: dict) -> None:
    """Raise jsonschema.ValidationError when ``data`` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, load_schema())
