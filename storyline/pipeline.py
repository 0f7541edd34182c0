"""The build: ingest → clean → annotate → store → link.

``process`` is the per-document part and a pure function of one ``RawDoc``;
``build`` drives it over inputs, writes each document in its own transaction
(so a killed build resumes where it stopped) and re-links afterwards.
"""

from __future__ import annotations

import sys
from typing import Callable, Iterable

from . import link
from .annotate import annotate
from .clean import clean_text
from .ingest import DEFAULT_MAX_BYTES, count_inputs, iter_inputs
from .annotate import nlp
from .annotate.actors import load_registry
from .model import BuildReport, Document, RawDoc, Settings, Skip
from .pubdate import publication_date
from .store import Store


def process(raw: RawDoc, settings: Settings = Settings()) -> Document:
    """Clean, date and annotate one article."""
    cleaned = clean_text(raw.text, raw.title)
    published, published_from, published_after = publication_date(
        raw.published, raw.published_from, cleaned.text)
    doc = Document(
        id=raw.id, text=cleaned.text, raw_text=raw.text, title=raw.title, source=raw.source,
        url=raw.url, external_id=raw.external_id, path=raw.path, fmt=raw.fmt,
        published=published, published_from=published_from, published_after=published_after,
        byline=cleaned.byline, desk=cleaned.desk, removed=cleaned.removed,
    )
    return annotate(doc, settings=settings)


def build(paths: Iterable[str], store: Store, *, allow_private: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None,
          on_skip: Callable[[Skip], None] | None = None, settings: Settings = Settings()) -> BuildReport:
    """Ingest every path into the store and re-link; bad items are reported, never fatal."""
    from tqdm import tqdm

    # Setup errors (a broken actor file, a missing model) stop the build before it starts.
    load_registry(settings.actors)
    nlp.load(settings.spacy_model)

    report = BuildReport()
    paths = list(paths)
    show = sys.stderr.isatty() if progress is None else progress
    # Counting reads the inputs' sizes and JSONL line counts, so only pay for
    # it when a bar is actually shown.
    total = count_inputs(paths) if show else None
    bar = tqdm(total=total, unit="doc", desc="build", disable=not show, file=sys.stderr, leave=False)
    try:
        for item in iter_inputs(paths, allow_private=allow_private, max_bytes=max_bytes):
            bar.update(1)
            if isinstance(item, Skip):
                report.skipped.append(item)
                if on_skip:
                    on_skip(item)
                continue
            if store.has_document(item.id):
                report.unchanged += 1
                continue
            try:
                doc = process(item, settings)
            except Exception as exc:  # one bad article never kills the batch
                skip = Skip(item.origin, f"could not be processed: {type(exc).__name__}: {exc}")
                report.skipped.append(skip)
                if on_skip:
                    on_skip(skip)
                continue
            status = store.add_document(doc)
            if status == "added":
                report.added += 1
            elif status == "revision":
                report.revisions += 1
            else:
                report.unchanged += 1
    finally:
        bar.close()
    if store.needs_link():
        link.link(store)
    report.events = len(store.events())
    report.contradictions = len(store.contradictions())
    return report
