"""Per-document annotation: sentences, time, entities, events, quotes.

``annotate`` is a pure function of one document and its settings: the spaCy
pipeline and the actor registry it uses are read-only and loaded once per
process, so it can run on any worker.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document, Settings
from . import nlp
from .actors import load_registry
from .entities import extract_entities, sentence_dates
from .events import extract_events
from .quotes import dated, extract_quotes
from .referents import resolve as resolve_referents
from .sentences import split_sentences
from .time import TimeTagger, default_tagger


def annotate(doc: Document, tagger: TimeTagger | None = None, settings: Settings = Settings()) -> Document:
    tagger = tagger or default_tagger()
    sentences = split_sentences(doc.text)
    parsed = nlp.parse(doc.text, [s.start for s in sentences], settings.spacy_model)
    registry = load_registry(settings.actors)
    timexes = tagger.tag(doc.text, sentences, doc.published)
    entities = extract_entities(doc.text, sentences, parsed, registry, timexes, doc.published)
    non_events: list = []
    # Pronouns and descriptions stand for the actor they refer to when events choose their actors;
    # they are not entities of the article.
    dates = [d for _, _, d in sentence_dates(sentences, timexes, doc.published)]
    referring = resolve_referents(sentences, parsed, entities, registry, dates)
    actors = sorted(entities + referring, key=lambda m: (m.start, m.end)) if referring else entities
    # An actor the article names only by reference ("his country", "the prime minister of Estonia") is
    # kept as an entity at its first such phrase, so that what its events say of it is not lost.
    named = {m.entity_id for m in entities}
    first = {}
    for m in referring:
        if m.entity_id not in named:
            first.setdefault(m.entity_id, m)
    if first:
        entities = sorted(entities + list(first.values()), key=lambda m: (m.start, m.end))
    # Quotes and their speakers before events: words inside a quote are its speaker's, however many
    # sentences away the quote names them; each quote then takes the date of its sentence's act.
    genders = {m.entity_id: registry.actors[m.entity_id].gender for m in actors
               if m.entity_id in registry.actors and registry.actors[m.entity_id].gender}
    quotes = extract_quotes(doc.text, sentences, actors, parsed, genders)
    events = extract_events(doc.id, sentences, timexes, actors, parsed, doc.published, non_events, quotes)
    quotes = dated(quotes, events, doc.published)
    return replace(doc, sentences=sentences, timexes=timexes, entities=entities,
                   events=events, quotes=quotes, non_events=non_events)


__all__ = ["annotate", "TimeTagger", "Settings"]
