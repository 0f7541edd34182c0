"""Per-document annotation: sentences, time, entities, events, quotes.

``annotate`` is a pure function of one document, so it can run on any worker.
Each step sits behind a small function whose signature later issues keep
while they replace the first-pass rules underneath.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document
from .entities import extract_entities
from .events import extract_events
from .quotes import extract_quotes
from .sentences import split_sentences
from .time import TimeTagger, default_tagger


def annotate(doc: Document, tagger: TimeTagger | None = None) -> Document:
    tagger = tagger or default_tagger()
    sentences = split_sentences(doc.text)
    timexes = tagger.tag(doc.text, sentences, doc.published)
    entities = extract_entities(doc.text, sentences)
    events = extract_events(doc.id, doc.text, sentences, timexes, entities)
    quotes = extract_quotes(doc.text, sentences, entities)
    return replace(doc, sentences=sentences, timexes=timexes, entities=entities,
                   events=events, quotes=quotes)


__all__ = ["annotate", "TimeTagger"]
