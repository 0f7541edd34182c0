"""The Python API.  The CLI and, later, the web app call only these."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Callable, Iterable

from . import brief as _brief
from . import export as _export
from . import flat as _flat
from .readable import readable as _readable_text
from . import selection as _selection
from . import timeline as _timeline
from .model import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, BuildReport, Document, Settings, Skip
from .store import AmbiguousKey, Store, StoreError

UnknownStory = _export.UnknownStory
MissingExtra = _flat.MissingExtra
__all__ = ["build", "watch", "relink", "export", "export_flat", "stories", "timeline", "brief", "show", "search", "web_app", "check_date",
           "check_day", "UnknownStory", "AmbiguousKey", "StoreError", "MissingExtra"]


def build(paths: Iterable[str], db: str = "storyline.db", *, allow_private: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None,
          on_skip: Callable[[Skip], None] | None = None, settings: Settings = Settings(),
          workers: int | None = 1, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
          on_warning: Callable[[Skip], None] | None = None, published: str | None = None,
          on_progress: Callable[[int], None] | None = None, dask: str | None = None) -> BuildReport:
    """Ingest, annotate and link ``paths`` into ``db``, annotating on ``workers`` processes
    (None: one per core, at most four), or on Dask workers with ``dask`` ("local", "local:N",
    "tcp://HOST:PORT"; the ``dask`` extra).

    ``max_bytes`` bounds one article, ``max_file_bytes`` a file of many
    (JSONL, JSON, feeds).  ``published`` (YYYY-MM-DD) dates the articles
    that carry no date of their own (``published_from`` "user").  Raises
    ValueError for an unreadable actor file, a cap that is not a positive
    number or a ``published`` that is not a day, RuntimeError for a missing
    spaCy model and ``StoreError`` for a database that cannot be used, before
    any input is read: those are setup errors, not bad articles.  ``on_progress``
    hears how many inputs are done after each one, then -1 when linking starts.
    """
    # Imported here: cleaning and the annotators are only needed to build,
    # not by the commands that read the store.
    from .pipeline import build as _build

    _positive("max_bytes", max_bytes)
    _positive("max_file_bytes", max_file_bytes)
    if published is not None:
        settings = replace(settings, published=check_day(published))
    with Store(db) as store:
        return _build(paths, store, allow_private=allow_private, max_bytes=max_bytes,
                      progress=progress, on_skip=on_skip, settings=settings, workers=workers,
                      max_file_bytes=max_file_bytes, on_warning=on_warning, on_progress=on_progress,
                      dask=dask)


def watch(feeds: Iterable[str], db: str = "storyline.db", *, every: float = 900.0, polls: int | None = None,
          allow_private: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
          max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, settings: Settings = Settings(), workers: int = 1,
          published: str | None = None, on_poll: Callable | None = None,
          on_skip: Callable[[Skip], None] | None = None, on_warning: Callable[[Skip], None] | None = None):
    """Poll ``feeds`` (feed URLs or files) every ``every`` seconds and build each new item's article
    page into ``db`` (``storyline.watch``); ``polls`` times, or until KeyboardInterrupt, which ends
    the watch cleanly.  Returns a ``watch.WatchReport``; ``on_poll`` hears of each ``watch.Poll``.

    Raises ValueError for an ``every`` that is not above zero, a ``polls`` that is not a whole
    number from 1 and what ``build`` raises for its setup errors, before the first poll.
    """
    from .watch import watch as _watch

    if isinstance(every, bool) or not isinstance(every, (int, float)) or not 0 < every < float("inf"):
        raise ValueError(f"every must be a number of seconds above zero, not {every!r}")
    if polls is not None:
        _positive("polls", polls)
    _positive("max_bytes", max_bytes)
    _positive("max_file_bytes", max_file_bytes)
    _positive("workers", workers)
    if published is not None:
        settings = replace(settings, published=check_day(published))
    with Store(db) as store:
        return _watch(feeds, store, every=float(every), polls=polls, allow_private=allow_private,
                      max_bytes=max_bytes, max_file_bytes=max_file_bytes, settings=settings, workers=workers,
                      on_poll=on_poll, on_skip=on_skip, on_warning=on_warning)


def relink(db: str = "storyline.db") -> tuple[int, int]:
    """Link every stored document again from scratch (every component clustered again, not only the
    changed ones as ``build`` does); return how many events and contradictions there are.

    The result is the one ``build`` keeps up incrementally: a check, or a
    repair of a store linked by an older version.
    """
    from .link import link  # imported here: the link stage is only needed to build

    with Store(db) as store:
        return link(store, full=True)


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_date(value: str) -> str:
    """``value`` if it is a real YYYY, YYYY-MM or YYYY-MM-DD date, else ValueError saying so."""
    m = _PARTIAL_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m:
        year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            date(year, month, day)
            return value.strip()
        except ValueError:
            pass
    raise ValueError(f"not a date: {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-08-15)")


def check_day(value: str) -> str:
    """``value`` if it is a real YYYY-MM-DD day (``check_date``, then a full day), else ValueError saying so."""
    value = check_date(value)
    if len(value) != 10:
        raise ValueError(f"not a day: {value!r} (expected YYYY-MM-DD, e.g. 2025-08-15)")
    return value


def _positive(name: str, value) -> None:
    """ValueError unless ``value`` is a whole number from 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number from 1, not {value!r}")


def _dates(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    return (check_date(date_from) if date_from is not None else None,
            check_date(date_to) if date_to is not None else None)


def export(db: str = "storyline.db", story: str | None = None, date_from: str | None = None,
           date_to: str | None = None) -> dict:
    """The store as one dictionary (schema storyline/1); with ``story``, only that story's part;
    with ``date_from``/``date_to``, only what is dated within them (``export.within``).

    Raises ``UnknownStory`` (a LookupError) when ``story`` names no story.
    """
    date_from, date_to = _dates(date_from, date_to)
    with Store(db) as store:
        return _export.within(_export.export(store, story=story), date_from, date_to)


def export_flat(db: str = "storyline.db", fmt: str = "csv", story: str | None = None,
                date_from: str | None = None, date_to: str | None = None) -> str | bytes:
    """The exported events as one flat table, a row per canonical event (docs/exports.md): ``fmt``
    "csv" (Storyline's columns), "acled" or "gdelt" as CSV text, "parquet" (the csv table) as bytes.
    ``story``, ``date_from`` and ``date_to`` select as for ``export``.

    Raises ValueError for an unknown ``fmt``, ``UnknownStory`` as ``export`` does, and ``MissingExtra``
    for "parquet" without pyarrow (``pip install 'storyline[parquet]'``).
    """
    if fmt not in _flat.FORMATS:
        raise ValueError(f"unknown flat format {fmt!r} (expected one of {', '.join(_flat.FORMATS)})")
    if fmt == "parquet":
        _flat.check_parquet()  # before reading the store: the missing extra is the thing to say
    return _flat.render(export(db=db, story=story, date_from=date_from, date_to=date_to), fmt)


def stories(db: str = "storyline.db") -> list[dict]:
    """Every story: id, title, first and last publication date, documents and events, largest first."""
    with Store(db) as store:
        return _largest_first(store.story_summaries())


def _largest_first(stories: list[dict]) -> list[dict]:
    return sorted(stories, key=lambda s: (-s["documents"], -s["events"], s["id"]))


def _pool(store: Store, data: dict, date_from: str | None = None,
          date_to: str | None = None) -> list[_selection.DatedSentence]:
    """The sentences the selection reads: those of the documents in ``data``."""
    rows = store.dated_sentences([d["id"] for d in data["documents"]])
    return _selection.pool_of(rows, data["documents"], date_from, date_to)


def _readable(store: Store, events: list[dict]) -> list[dict]:
    """The events, each shown as it reads alone ("He [Marco Rubio] said", "on Tuesday [2025-06-24]")."""
    out = []
    for e in events:
        text, insertions = _readable_text(e, store.entities_before)
        out.append({**e, "text": text, "insertions": insertions} if insertions else e)
    return out


def timeline(db: str = "storyline.db", fmt: str = "md", max_dates: int | None = None,
             date_from: str | None = None, date_to: str | None = None, story: str | None = None,
             per_date: int | None = None, query: str | None = None) -> str:
    date_from, date_to = _dates(date_from, date_to)
    for name, value in (("max_dates", max_dates), ("per_date", per_date)):
        if value is not None:
            _positive(name, value)
    with Store(db) as store:
        data = _export.export(store, story=story)
        pool = _pool(store, data, date_from, date_to) if max_dates or per_date else ()
        events = _timeline.select(data, max_dates=max_dates, date_from=date_from, date_to=date_to,
                                  per_date=per_date, query=query, pool=pool)
        events = _readable(store, events)
    if fmt == "json":
        return _timeline.render_json(data, events)
    return _timeline.render_markdown(data, events)


def brief(db: str = "storyline.db", fmt: str = "md", story: str | None = None, all_stories: bool = False,
          date_from: str | None = None, date_to: str | None = None) -> str:
    """The briefing of ``story``; by default of the pile's largest story, the others listed at its
    end; with ``all_stories``, of everything.  ``date_from``/``date_to`` as for the timeline."""
    date_from, date_to = _dates(date_from, date_to)
    with Store(db) as store:
        return brief_from(store, fmt, story=story, all_stories=all_stories, date_from=date_from, date_to=date_to)


def brief_from(store: Store, fmt: str = "md", story: str | None = None, all_stories: bool = False,
               date_from: str | None = None, date_to: str | None = None,
               event_ids: set[str] | None = None) -> str:
    """``brief`` over a store already open (the web app's, read-only); the dates already checked.
    ``event_ids``, when given, keeps those events alone (the web app's filters)."""
    if all_stories:
        data = _export.export(store)
    else:
        ranked = _largest_first(store.story_summaries())
        sid = store.find_story(story) if story is not None else (ranked[0]["id"] if ranked else None)
        if story is not None and sid is None:
            raise UnknownStory(story)
        data = _export.export(store, sid)  # the story's part, read alone (everything when there is none)
        if story is None:
            data["other_stories"] = [s for s in ranked if s["id"] != sid]
        else:
            data["briefing_of"] = "story"
    data = _export.within(data, date_from, date_to)
    if event_ids is not None:
        data = _export.only_events(data, event_ids)
    pool = _selection.Pool.of(_pool(store, data, date_from, date_to))
    data["events"] = _readable(store, data["events"])
    if fmt == "json":
        return _brief.render_json(data, pool)
    return _brief.render_html(data, pool) if fmt == "html" else _brief.render_markdown(data, pool)


def show(key: str, db: str = "storyline.db") -> Document | None:
    """The stored document ``key`` names (None when none does; ``AmbiguousKey`` when several do)."""
    with Store(db) as store:
        doc_id = store.find_document(key)
        return store.document(doc_id) if doc_id else None


def search(query: str, db: str = "storyline.db", limit: int = 20) -> list[tuple[str, int, str]]:
    _positive("limit", limit)
    with Store(db) as store:
        return store.search(query, limit)


def web_app(db: str = "storyline.db", write_token: str | None = None):
    """The web app and JSON API over ``db`` (a FastAPI app, for uvicorn or a test client).

    The pages open the database read-only, and it must exist and have this
    version's schema (``StoreError`` otherwise).  With ``write_token`` the app
    also offers /add, a form to add files, URLs or feeds, built in the
    background; only a browser that presented the token may use it (the
    database is then created or upgraded first).
    """
    from .web import create_app  # imported here: only ``storyline serve`` needs FastAPI

    if write_token is not None:
        with Store(db):
            pass  # created or brought to this version's schema, so the read-only pages can open it
    return create_app(db, write_token=write_token)
