"""The Python API.  The CLI and, later, the web app call only these."""

from __future__ import annotations

from typing import Callable, Iterable

from . import brief as _brief
from . import export as _export
from . import timeline as _timeline
from .model import DEFAULT_MAX_BYTES, BuildReport, Document, Settings, Skip
from .store import Store

UnknownStory = _export.UnknownStory


def build(paths: Iterable[str], db: str = "storyline.db", *, allow_private: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None,
          on_skip: Callable[[Skip], None] | None = None, settings: Settings = Settings(),
          workers: int | None = 1) -> BuildReport:
    """Ingest, annotate and link ``paths`` into ``db``, annotating on ``workers`` processes
    (None: one per core, at most four).

    Raises ValueError for an unreadable actor file and RuntimeError for a
    missing spaCy model, before any input is read: those are setup errors,
    not bad articles.
    """
    # Imported here: cleaning and the annotators are only needed to build,
    # not by the commands that read the store.
    from .pipeline import build as _build

    with Store(db) as store:
        return _build(paths, store, allow_private=allow_private, max_bytes=max_bytes,
                      progress=progress, on_skip=on_skip, settings=settings, workers=workers)


def export(db: str = "storyline.db", story: str | None = None) -> dict:
    """The store as one dictionary (schema storyline/1); with ``story``, only that story's part.

    Raises ``UnknownStory`` (a LookupError) when ``story`` names no story.
    """
    with Store(db) as store:
        return _export.export(store, story=story)


def timeline(db: str = "storyline.db", fmt: str = "md", max_dates: int | None = None,
             date_from: str | None = None, date_to: str | None = None, story: str | None = None,
             per_date: int | None = None, query: str | None = None) -> str:
    data = export(db, story=story)
    events = _timeline.select(data, max_dates=max_dates, date_from=date_from, date_to=date_to,
                              per_date=per_date, query=query)
    if fmt == "json":
        return _timeline.render_json(data, events)
    return _timeline.render_markdown(data, events)


def brief(db: str = "storyline.db", fmt: str = "md", story: str | None = None) -> str:
    data = export(db, story=story)
    if fmt == "json":
        return _brief.render_json(data)
    return _brief.render_html(data) if fmt == "html" else _brief.render_markdown(data)


def show(key: str, db: str = "storyline.db") -> Document | None:
    with Store(db) as store:
        doc_id = store.find_document(key)
        return store.document(doc_id) if doc_id else None


def search(query: str, db: str = "storyline.db", limit: int = 20) -> list[tuple[str, int, str]]:
    with Store(db) as store:
        return store.search(query, limit)
