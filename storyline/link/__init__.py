"""The link stage: across documents, one canonical event per happening.

Everything here reads the store and rewrites its cross-document tables;
nothing is per-document, so this is the one stage that sees the whole pile.

Linking is incremental (see ``components``): copies and stories are placed
for new documents only, the pile's mentions are split into components that
no coreference pass can join, and only a component whose fingerprint the
store does not hold yet is clustered again, with its events and their
contradictions.  ``full=True`` (``storyline relink``) clusters every
component; both give the same store, a function of the stored documents
alone.  How alike two articles are is read on the scale of the pile's first
documents (``_reference``), which stays put while later news arrives and is
taken again, with every component clustered again, each time the pile grows
by a quarter.  Salience, stories and ``related`` weigh an event against the
others and are set again for every event, which is cheap.

An event keeps its id while its cluster grows with later reports (the id
comes from its earliest reported mention).  When events merge or split, each
id that disappears becomes an alias (``event_aliases``) of the event holding
most of its mentions, so links into the web app and its API keep working.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Callable

from ..model import Contradiction, Document, Event
from ..store import Store
from . import components, coref, duplicates, pairs, stories
from . import contradictions as _contradictions


def link(store: Store, reannotate: Callable[[Document], Document] | None = None,
         full: bool = False) -> tuple[int, int]:
    """Find copies, date the undated ones by their originals, place new documents in stories,
    and bring canonical events and contradictions up to date; return how many of each there are.

    ``reannotate`` annotates a copy again on the date it takes (see
    ``duplicates.date_copies``); without it only the date is stored.  A
    document that another build stores meanwhile is not covered, and the
    store stays marked as needing a link (see ``Store.update_links``).
    ``full`` clusters every component again instead of the changed ones only.
    """
    seen = store.changes()
    for _ in range(_ATTEMPTS):
        done = _link_once(store, reannotate, full, seen)
        if done is not None:
            return done
    # Other links kept writing meanwhile: theirs stand, and the store stays marked for a link.
    return store.event_count(), store.contradiction_count()


# Links a build makes before it leaves the store to others that keep writing events meanwhile.
_ATTEMPTS = 3


def _link_once(store: Store, reannotate: Callable[[Document], Document] | None, full: bool,
               seen: str | None) -> tuple[int, int] | None:
    """One link over the store as it is now; None, and no event written, when another link wrote
    events while this one worked (builds at once), so that it is done again on the new events."""
    read = store.link_generation()
    duplicate_of = duplicates.update(store)
    duplicates.date_copies(store, duplicate_of, reannotate)
    story_of = stories.update(store, duplicate_of)
    mentions = [(doc, m) for doc, m in store.event_mentions() if m.date and m.date.value]
    entities = store.entities()
    published = store.publication_dates()
    ref, ref_json, kept_ref = _reference(store, sorted({doc for doc, _ in mentions}), published)
    stored = store.link_components() if kept_ref and not full else {}
    kept_ids: set[str] = set()
    todo: list[tuple[str, list[coref._Item]]] = []
    for part in components.split(coref.items_of(mentions, entities)):
        fp = components.fingerprint(part, published, duplicate_of, entities, ref_json)
        if fp in stored:
            kept_ids.update(stored[fp])
        else:
            todo.append((fp, part))
    new, component_of, found = _relink(todo, store, duplicate_of, published, entities, ref)
    before = store.events()
    kept = [ev for ev in before if ev.id in kept_ids]
    was = {ev.id: (ev.salience, ev.related, ev.story) for ev in kept}
    everything = kept + new
    coref.score(everything, duplicate_of, story_of)
    stories.assign_events(everything, story_of)
    rescored = [ev for ev in kept if was[ev.id] != (ev.salience, ev.related, ev.story)]
    roles = _contradictions.role_contradictions(store.role_conflicts(), everything)
    stale = [ev for ev in before if ev.id not in kept_ids]
    if not store.update_links([ev.id for ev in stale], new, component_of, rescored, found, roles,
                              aliases(stale, new), None if kept_ref else ref_json, seen, read):
        return None
    return len(everything), store.contradiction_count()


# The reference is taken from the pile's first documents, as many as the largest of these sizes that
# the pile reaches: each a quarter more than the one before.
GROWTH = 1.25


def reference_size(n: int) -> int:
    """The largest of 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, ... (each a quarter more, at least one more) up to ``n``."""
    size = 0
    while (following := max(size + 1, int(size * GROWTH))) <= n:
        size = following
    return size


def _reference(store: Store, docs: list[str],
               published: dict[str, str | None]) -> tuple[pairs.Reference, str, bool]:
    """The reference ``pairs.document_similarity`` compares articles against, its JSON, and whether
    it is the one stored.

    It is the reference of the pile's first ``reference_size`` documents
    (undated ones first, then by publication date, then by id), so it is a
    function of the stored documents alone, as every event is; and it stays
    put while later news arrives, until the pile has grown by a quarter
    (then every component is clustered again).  Articles are compared on its
    scale, later ones too.
    """
    order = sorted(docs, key=lambda d: (published.get(d) is not None, published.get(d) or "", d))
    first = order[:reference_size(len(order))]
    key = hashlib.sha1("\n".join(first).encode()).hexdigest()
    stored = store.link_reference()
    if stored:
        data = json.loads(stored)
        if data.get("documents") == key:
            return pairs.Reference.from_json(data), stored, True
    ref = pairs.reference(store.story_terms(first))
    return ref, json.dumps({"documents": key, **ref.as_json()}), False


def _relink(todo: list[tuple[str, list[coref._Item]]], store: Store, duplicate_of: dict[str, str],
            published: dict[str, str | None], entities: dict,
            ref: pairs.Reference) -> tuple[list[Event], dict[str, str], list[Contradiction]]:
    """Cluster the changed components: their events, each event's component, their contradictions."""
    doc_sim = pairs.document_similarity(store.story_terms(sorted({it.doc for _, part in todo for it in part})), ref)
    events, component_of, found = [], {}, []
    for fp, part in todo:
        clusters = coref.cluster_items(part, doc_sim, published)
        made = [coref.make_event(items, duplicate_of, published) for items in clusters]
        found += _contradictions.find(clusters, made, duplicate_of, published=published, entities=entities)
        component_of.update((ev.id, fp) for ev in made)
        events += made
    return events, component_of, found


def aliases(stale: list[Event], new: list[Event]) -> dict[str, str]:
    """Old id -> new id for each stale event whose id is gone: the new event holding most of its
    mentions (ties: the lower id).  An event whose mentions are all gone has no alias."""
    event_of = {m: ev.id for ev in new for _, m in ev.mentions}
    current = {ev.id for ev in new}
    out = {}
    for ev in stale:
        if ev.id in current:
            continue
        counts = Counter(event_of[m] for _, m in ev.mentions if m in event_of)
        if counts:
            out[ev.id] = min(counts, key=lambda e: (-counts[e], e))
    return out
