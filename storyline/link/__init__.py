"""The link stage: across documents, one canonical event per happening.

Everything here reads the store and rewrites its cross-document tables;
nothing is per-document, so this is the one stage that sees the whole pile.
"""

from __future__ import annotations

from typing import Callable

from ..model import Document
from ..store import Store
from . import coref, duplicates, stories
from . import contradictions as _contradictions


def link(store: Store, reannotate: Callable[[Document], Document] | None = None) -> tuple[int, int]:
    """Find copies, date the undated ones by their originals, place new documents in stories,
    and rebuild canonical events and contradictions.

    ``reannotate`` annotates a copy again on the date it takes (see
    ``duplicates.date_copies``); without it only the date is stored.  A
    document that another build stores meanwhile is not covered, and the
    store stays marked as needing a link (see ``Store.replace_links``).
    """
    seen = store.changes()
    duplicate_of = duplicates.update(store)
    duplicates.date_copies(store, duplicate_of, reannotate)
    story_of = stories.update(store, duplicate_of)
    mentions = [(doc, m) for doc, m in store.event_mentions() if m.date and m.date.value]
    entities = store.entities()
    published = store.publication_dates()
    terms = store.story_terms(sorted({doc for doc, _ in mentions}))
    clusters = coref.cluster_mentions(mentions, entities, terms, published)
    events = coref.make_events(clusters, duplicate_of, story_of)
    stories.assign_events(events, story_of)
    contradictions = _contradictions.find(clusters, events, duplicate_of, published=published, entities=entities)
    contradictions += _contradictions.role_contradictions(store.role_conflicts(), events)
    store.replace_links(events, contradictions, seen)
    return len(events), len(contradictions)
