"""Watched feeds: poll them, follow each new item to its article page, build it in.

``watch`` polls every feed each ``every`` seconds.  A feed is asked
conditionally (If-None-Match, If-Modified-Since, from what the store
remembers of it); a 304 means nothing new.  Each item is known by its guid
(RSS) or id (Atom), else its link, and the store remembers the items met in
each feed.  A new item's link is fetched as ``build`` fetches a URL (the same
bounds and address checks), so what is stored is the page's article text,
not the feed's summary; the articles go through the build pipeline (one
transaction per document) and the store is linked as a build links it.

An item is marked seen only once its article is in the store, and a feed's
validators are saved only once all its new items are stored or counted as
failed: a watch stopped at any moment leaves nothing marked that is not
stored, and the next one resumes.  An item whose page cannot be used (no
link, a fetch error, no article text) is reported and tried again on the
next polls, ``MAX_ATTEMPTS`` times in all, even when the feed answers 304;
then it is given up, said once, and not tried again.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from .fetch import FetchError, Fetcher
from .ingest import FeedItem, display_path, feed_items, iter_inputs, plausible_day, read_file
from .model import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, RawDoc, Settings, Skip
from .store import Store

DEFAULT_EVERY = 15 * 60.0  # seconds between the starts of two polls
MAX_ATTEMPTS = 3  # tries at an item's page before it is given up

_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_HTTP = re.compile(r"^https?://", re.I)


def parse_every(text: str) -> float:
    """Seconds in a duration such as 30s, 15m, 1h or 1h30m; ValueError unless it is above zero."""
    m = _DURATION.fullmatch(text.strip().lower()) if isinstance(text, str) else None
    if not m or not any(m.groups()):
        raise ValueError(f"expected a duration such as 30s, 15m, 1h or 1h30m, not {text!r}")
    hours, minutes, seconds = (int(g or 0) for g in m.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise ValueError(f"expected a duration above zero, such as 30s, 15m or 1h, not {text!r}")
    return float(total)


@dataclass
class Poll:
    """What one poll did, for its log line."""

    number: int
    started: datetime
    feeds: int
    not_modified: int = 0
    new: int = 0  # items met for the first time
    retried: int = 0  # items whose page failed before, tried again
    stored: int = 0  # items whose article is now in the store
    skipped: int = 0  # feeds that could not be read and items that could not be stored
    events: int = 0  # canonical events in the store after the poll
    next_at: datetime | None = None  # when the next poll starts; None after the last

    def line(self) -> str:
        return (f"{_stamp(self.started)} poll {self.number}: {self.feeds} feed{'s' * (self.feeds != 1)} "
                f"({self.not_modified} not modified), {self.new} new item{'s' * (self.new != 1)}, "
                f"{self.retried} retried, {self.stored} stored, {self.skipped} skipped; {self.events} events"
                + (f"; next poll at {_stamp(self.next_at)}" if self.next_at else "; last poll"))


@dataclass
class WatchReport:
    """What a whole watch did."""

    polls: int = 0  # polls finished
    stored: int = 0
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[Skip] = field(default_factory=list)
    interrupted: bool = False  # stopped by Ctrl-C (KeyboardInterrupt)
    in_poll: bool = False  # ... while a poll was under way (it was abandoned; what it stored is kept)

    @property
    def ok(self) -> bool:
        return not self.skipped


@dataclass
class _Work:
    """One item whose page is to be fetched and stored this poll."""

    feed: str
    item: FeedItem


def watch(feeds: Iterable[str], store: Store, *, every: float = DEFAULT_EVERY, polls: int | None = None,
          allow_private: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
          max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, settings: Settings = Settings(), workers: int = 1,
          on_poll: Callable[[Poll], None] | None = None, on_skip: Callable[[Skip], None] | None = None,
          on_warning: Callable[[Skip], None] | None = None) -> WatchReport:
    """Poll ``feeds`` (http(s) URLs or feed files) every ``every`` seconds, ``polls`` times (None:
    until KeyboardInterrupt, which ends the watch cleanly, ``interrupted`` set in the report).

    ``on_poll`` hears of each poll when it is done, ``on_skip`` of each feed or item that could not
    be used, ``on_warning`` of each article kept after a repair.  Setup errors (a missing spaCy
    model, a broken actor file) raise before the first poll.
    """
    from .annotate import nlp
    from .annotate.actors import load_registry

    load_registry(settings.actors)
    nlp.load(settings.spacy_model)
    feeds = list(dict.fromkeys(_feed_key(f) for f in feeds))
    fetcher = Fetcher(allow_private=allow_private, max_bytes=max_bytes)
    report = WatchReport()

    def skipped(skip: Skip) -> None:
        report.skipped.append(skip)
        if on_skip:
            on_skip(skip)

    def warned(warning: Skip) -> None:
        report.warnings.append(warning)
        if on_warning:
            on_warning(warning)

    number = 0
    try:
        while polls is None or number < polls:
            number += 1
            started = datetime.now(timezone.utc)
            report.in_poll = True
            poll = _poll(number, started, feeds, store, fetcher, report, settings=settings, workers=workers,
                         allow_private=allow_private, max_bytes=max_bytes, max_file_bytes=max_file_bytes,
                         on_skip=skipped, on_warning=warned)
            report.in_poll = False
            report.polls = number
            last = polls is not None and number >= polls
            if not last:
                poll.next_at = max(started + timedelta(seconds=every), datetime.now(timezone.utc))
            if on_poll:
                on_poll(poll)
            if not last:
                time.sleep(max(0.0, (poll.next_at - datetime.now(timezone.utc)).total_seconds()))
    except KeyboardInterrupt:
        report.interrupted = True
    return report


def _feed_key(feed: str) -> str:
    """The feed as the store remembers it: a URL as given, a file by its absolute path."""
    return feed if "://" in feed else os.path.abspath(feed)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _poll(number: int, started: datetime, feeds: list[str], store: Store, fetcher: Fetcher,
          report: WatchReport, *,
          settings: Settings, workers: int, allow_private: bool, max_bytes: int, max_file_bytes: int,
          on_skip: Callable[[Skip], None], on_warning: Callable[[Skip], None]) -> Poll:
    """One poll of every feed: read them, fetch and build their new items' pages, then remember.
    Each item stored counts in ``report`` at once, so a poll cut short is counted as far as it went."""
    from .pipeline import build

    poll = Poll(number, started, len(feeds))
    work: list[_Work] = []
    validators: dict[str, tuple[str | None, str | None]] = {}  # saved once the feed's items are dealt with
    for feed in feeds:
        known = store.watched_items(feed)
        etag, modified = store.watched_feed(feed)
        got = _read_feed(feed, fetcher, etag, modified, max_file_bytes)
        current: dict[str, FeedItem] = {}
        if isinstance(got, Skip):
            poll.skipped += 1
            on_skip(got)
        elif got is None:
            poll.not_modified += 1
            validators[feed] = (etag, modified)
        else:
            items, validators[feed] = got
            for item in items:
                current.setdefault(item.key, item)
        for key, item in current.items():
            if key not in known:
                poll.new += 1
                work.append(_Work(feed, item))
        for key, row in known.items():
            if row["status"] == "pending":
                poll.retried += 1
                item = current.get(key) or FeedItem(key=key, link=row["link"], title=row["title"],
                                                    published=row["published"], origin=f"{feed} item {key}")
                work.append(_Work(feed, item))

    waiting: list[tuple[RawDoc, _Work]] = []  # fetched pages handed to the build, in order

    def failed(w: _Work, why: str, where: str | None = None) -> None:
        status, attempts = store.watched_item_failed(
            w.feed, w.item.key, link=w.item.link, title=w.item.title, published=w.item.published,
            error=why, now=_stamp(datetime.now(timezone.utc)), attempts=MAX_ATTEMPTS)
        then = "given up" if status == "given up" else "tried again next poll"
        poll.skipped += 1
        on_skip(Skip(where or w.item.link or w.item.origin, f"{why} (attempt {attempts} of {MAX_ATTEMPTS}; {then})"))

    def pages() -> Iterator[RawDoc]:
        for w in work:
            page = _page(w.item, allow_private=allow_private, max_bytes=max_bytes, max_file_bytes=max_file_bytes)
            if isinstance(page, Skip):
                failed(w, page.reason, page.origin)
                continue
            waiting.append((page, w))
            yield page

    def stored(raw: RawDoc) -> None:
        w = _take(waiting, lambda pair: pair[0] is raw)
        store.watched_item_stored(w.feed, w.item.key, link=w.item.link, title=w.item.title,
                                  published=w.item.published, document=raw.id,
                                  now=_stamp(datetime.now(timezone.utc)))
        poll.stored += 1
        report.stored += 1

    def skipped_in_build(skip: Skip) -> None:
        w = _take(waiting, lambda pair: pair[0].origin == skip.origin)
        if w is None:  # not one of this poll's pages: cannot happen, but never lose a message
            poll.skipped += 1
            on_skip(skip)
        else:
            failed(w, skip.reason, skip.origin)

    if work or store.needs_link():
        build([], store, inputs=pages(), progress=False, settings=settings, workers=workers,
              max_bytes=max_bytes, on_skip=skipped_in_build, on_warning=on_warning, on_stored=stored)
    now = _stamp(datetime.now(timezone.utc))
    for feed, (etag, modified) in validators.items():
        store.save_watched_feed(feed, etag, modified, now)
    poll.events = store.event_count()
    return poll


def _take(waiting: list, match: Callable) -> _Work | None:
    """Remove the first waiting (page, work) pair that ``match``es; its work."""
    for k, pair in enumerate(waiting):
        if match(pair):
            del waiting[k]
            return pair[1]
    return None


def _read_feed(feed: str, fetcher: Fetcher, etag: str | None, modified: str | None,
               max_file_bytes: int) -> tuple[list[FeedItem], tuple[str | None, str | None]] | Skip | None:
    """The feed's items and its new validators; None when it has not changed; a Skip when it
    cannot be read.  A file's validator is its modification time and size."""
    if _HTTP.match(feed):
        try:
            got = fetcher.get(feed, etag=etag, last_modified=modified)
        except FetchError as exc:
            return Skip(feed, str(exc))
        if got.status == 304:
            return None
        if not got.body.strip():
            return Skip(feed, "empty response")
        items = feed_items(got.body, origin=feed, base_url=got.url)
        return items if isinstance(items, Skip) else (items, (got.etag, got.last_modified))
    if "://" in feed:
        return Skip(feed, "unsupported URL scheme (only http and https)")
    try:
        info = os.stat(feed)
    except OSError as exc:
        return Skip(display_path(feed), f"cannot read feed: {(exc.strerror or str(exc)).lower()}")
    stamp = f"{info.st_mtime_ns}-{info.st_size}"
    if stamp == etag:
        return None
    data = read_file(feed, max_file_bytes)
    if isinstance(data, Skip):
        return data
    items = feed_items(data, origin=display_path(feed))
    return items if isinstance(items, Skip) else (items, (stamp, None))


def _page(item: FeedItem, *, allow_private: bool, max_bytes: int, max_file_bytes: int) -> RawDoc | Skip:
    """The article at the item's link, read as ``build`` reads a URL; the item's own date when the
    page gives none.  A Skip when there is no http(s) link or the page cannot be used."""
    if not item.link:
        return Skip(item.origin, "the feed item has no link to an article page")
    if not _HTTP.match(item.link):  # never a path: a feed must not make us read local files
        return Skip(item.origin, f"the feed item's link is not an http(s) URL: {item.link}")
    found = list(iter_inputs([item.link], allow_private=allow_private, max_bytes=max_bytes,
                             max_file_bytes=max_file_bytes))
    for got in found:
        if isinstance(got, Skip):
            return got
    if len(found) != 1:
        return Skip(item.link, f"the link holds {len(found)} articles (a feed?), not one article page")
    page = found[0]
    if page.published is None and item.published and plausible_day(item.published):
        page.published, page.published_from = item.published, "metadata"
    return page
