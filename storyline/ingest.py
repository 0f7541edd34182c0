"""Turn the user's PATH arguments into raw articles.

Ingestion is the one stage that meets the outside world, so it is built to
keep going: every input that cannot be used becomes a ``Skip`` with a one-line
reason, and the run carries on with the rest.  Nothing here dedups or cleans;
later stages own that.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import io
import json
import os
import re
import stat
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import charset_normalizer
import feedparser
import lxml.html
from lxml.etree import ParserError

from .fetch import DEFAULT_MAX_BYTES, FetchError, Fetcher, format_size
from .model import DEFAULT_MAX_FILE_BYTES, RawDoc, Skip
from .pubdate import normalise_date

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_FILE_BYTES", "iter_inputs", "count_inputs", "FeedItem", "feed_items", "plausible_day",
           "read_file"]

_TXT = {".txt"}
_HTML = {".html", ".htm", ".xhtml"}
_JSONL = {".jsonl", ".ndjson"}
_JSON = {".json"}
_FEED = {".xml", ".rss", ".atom"}
_KNOWN = _TXT | _HTML | _JSONL | _JSON | _FEED

_URL = re.compile(r"^https?://", re.I)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
# The root element of a feed, after any XML declaration, comments, PIs or doctype.
_FEED_SNIFF = re.compile(
    rb"^\s*(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:rss|feed|rdf:RDF)[\s>/]",
    re.S | re.I,
)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.S | re.I)


def iter_inputs(
    paths: Iterable[str],
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> Iterator[RawDoc | Skip]:
    """Yield one RawDoc per article found, or one Skip per bad item (never raise for bad input).

    ``max_bytes`` bounds one article (a .txt or .html file, a JSONL line, a
    JSON record, a feed item, a fetched page); ``max_file_bytes`` bounds a
    file that holds many (JSONL, JSON, a feed), never below ``max_bytes``.
    """
    fetcher = Fetcher(allow_private=allow_private, max_bytes=max_bytes)  # cheap: a client per get()
    caps = _Caps(max_bytes, max(max_bytes, max_file_bytes))
    seen: set[str] = set()  # a file named twice (or by two globs) is read once
    for arg in paths:
        for item in _expand(str(arg)):
            if isinstance(item, Skip):
                yield item
            elif _URL.match(item):
                yield from _guarded(item, _from_url, item, fetcher)
            else:
                key = os.path.realpath(item)
                if key in seen:
                    continue
                seen.add(key)
                yield from _guarded(display_path(item), _from_file, item, caps)


class _Caps:
    def __init__(self, record: int, file: int):
        self.record, self.file = record, file


def display_path(path: str) -> str:
    """A path as text that always encodes: bytes that are not UTF-8 shown as \\xNN."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def count_inputs(paths: Iterable[str]) -> int:
    """Roughly how many items iter_inputs will yield, for a progress bar.

    One per file or URL, except JSONL where each non-blank line counts (a
    cheap newline count); feeds and JSON lists count as one.
    """
    total = 0
    for arg in paths:
        for item in _expand(str(arg)):
            is_file = not isinstance(item, Skip) and not _URL.match(item)
            if is_file and os.path.splitext(item)[1].lower() in _JSONL:
                total += max(1, _count_lines(item))
            else:
                total += 1
    return total


# -- finding inputs ---------------------------------------------------------


def _expand(arg: str) -> Iterator[Skip | str]:
    """Yield a Skip, the URL, or file paths.

    Only an argument that is itself an http(s) URL comes back matching
    ``_URL``: paths found on disk never start with "scheme://".
    """
    if _URL.match(arg):
        yield arg
    elif _OTHER_SCHEME.match(arg):
        yield Skip(arg, "unsupported URL scheme (only http and https)")
    elif os.path.isdir(arg):
        yield from _walk(arg, named=True)
    elif os.path.lexists(arg):
        yield arg
    elif glob.has_magic(arg):
        matches = sorted(glob.glob(arg, recursive=True))
        if not matches:
            yield Skip(arg, "no files match this pattern")
        for match in matches:
            if os.path.isdir(match):
                yield from _walk(match)
            else:
                yield match
    else:
        yield Skip(arg, "no such file or folder")


def _walk(folder: str, named: bool = False) -> Iterator[Skip | str]:
    """The article files under ``folder``; a Skip for each folder that cannot be listed.

    A folder the user ``named`` that holds nothing to read is a Skip too, so
    a wrong argument never passes as "0 added".
    """
    errors: list[OSError] = []
    found = ignored = unreadable = 0
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        while errors:
            unreadable += 1
            yield _unlistable(errors.pop(0))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in _KNOWN:
                found += 1
                yield os.path.join(root, name)
            else:
                ignored += 1
    for exc in errors:  # os.walk reports an unreadable top folder before it yields anything
        unreadable += 1
        yield _unlistable(exc)
    if named and not found and not unreadable:
        why = "no .txt, .html, .jsonl, .json or feed files in this folder"
        yield Skip(display_path(folder), why + (f" ({ignored} other files ignored)" if ignored else ""))


def _unlistable(exc: OSError) -> Skip:
    where = display_path(exc.filename) if isinstance(exc.filename, str) else "folder"
    return Skip(where, f"cannot read folder: {(exc.strerror or str(exc)).lower()}")


def _count_lines(path: str) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 1


def _guarded(origin: str, make: Callable[..., Iterator[RawDoc | Skip]], *args) -> Iterator[RawDoc | Skip]:
    """Last line of defence: a bug on one odd input must not end the run.

    Every article is also made safe to store here (``_settle``), whatever
    reader made it.
    """
    try:
        for item in make(*args):
            yield _settle(item) if isinstance(item, RawDoc) else item
    except Exception as exc:  # noqa: BLE001 - reported as a Skip on purpose
        yield Skip(origin, f"could not read: {type(exc).__name__}: {exc}".splitlines()[0])


# -- making a read article safe to store ------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls other than tab and line breaks: never text, and ESC
# sequences would reach the user's terminal through `show`.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ANSI = re.compile("\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)|[@-Z\\\\-_])")
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85]")


def _scrub(value: str | None, what: str, notes: list[str]) -> str | None:
    """``value`` without lone surrogates and control characters, noting what was replaced."""
    if value is None:
        return None
    if _SURROGATE.search(value):
        value, n = _SURROGATE.subn("\ufffd", value)
        notes.append(f"{what}: {n} invalid character{'s' * (n != 1)} (lone surrogates) replaced by U+FFFD")
    value = _BREAKS.sub("\n", value)
    if _CONTROL.search(value):
        value = _ANSI.sub("\x1b", value)  # a terminal escape sequence goes whole, counted as one
        value, n = _CONTROL.subn("", value)
        notes.append(f"{what}: {n} control character{'s' * (n != 1)} removed")
    return value


def _settle(doc: RawDoc) -> RawDoc:
    """Strings that always encode, no control characters, a plausible date, a path as text."""
    notes = doc.notes
    title_from_text = doc.title is not None and doc.title == first_line(doc.text)
    doc.text = _scrub(doc.text, "text", notes) or ""
    doc.html = _scrub(doc.html, "html", notes)
    for name in ("title", "source", "url", "external_id", "published"):
        # A title taken from the text's first line was repaired with the text: one note.
        value = _scrub(getattr(doc, name), name, [] if name == "title" and title_from_text else notes)
        if name != "published" and value is not None:
            value = " ".join(value.split()) or None  # one line: a title never opens a new block
        setattr(doc, name, value)
    if doc.path is not None:
        doc.path = display_path(doc.path)
    doc.origin = display_path(doc.origin) if _SURROGATE.search(doc.origin) else doc.origin
    if doc.published is not None and doc.published_from in ("metadata", "html"):
        # Only a full date is used as the publication date; one that cannot be
        # (the year 9999, a clock set to 1970 is fine) is dropped here, said once.
        day = normalise_date(doc.published)
        if day is not None and not plausible_day(day):
            when = "in the future" if day > _today() else "before 1800"
            notes.append(f"published date {doc.published!r} is {when}; ignored")
            doc.published, doc.published_from = None, "none"
    doc.__dict__.pop("id", None)  # the content id follows the text as stored
    return doc


def _today() -> str:
    # A day of slack: an article stamped in a time zone ahead of UTC.
    return (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()


def plausible_day(day: str) -> bool:
    """Whether a publication day (ISO) can be one: from 1800 to tomorrow."""
    return "1800-01-01" <= day <= _today()


# -- files ------------------------------------------------------------------


def _open(path: str, origin: str, max_bytes: int) -> io.BufferedReader | Skip:
    """The file opened for reading, or a Skip: not a regular file, over ``max_bytes``, unreadable."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Skip(origin, "not a regular file")
        if info.st_size > max_bytes:
            return Skip(origin, f"file larger than the {format_size(max_bytes)} cap")
        return open(path, "rb")
    except OSError as exc:
        return Skip(origin, f"cannot read file: {(exc.strerror or str(exc)).lower()}")


def read_file(path: str, max_bytes: int) -> bytes | Skip:
    """A whole file's bytes, at most ``max_bytes``; a Skip saying why not (missing, too large, empty)."""
    return _read_bytes(path, display_path(path), max_bytes)


def _read_bytes(path: str, origin: str, max_bytes: int) -> bytes | Skip:
    fh = _open(path, origin, max_bytes)
    if isinstance(fh, Skip):
        return fh
    try:
        with fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Skip(origin, f"cannot read file: {(exc.strerror or str(exc)).lower()}")
    if len(data) > max_bytes:  # grew since stat
        return Skip(origin, f"file larger than the {format_size(max_bytes)} cap")
    if not data.strip():
        return Skip(origin, "empty file")
    return data


def _from_file(path: str, caps: _Caps) -> Iterator[RawDoc | Skip]:
    origin = display_path(path)
    abspath = os.path.abspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in _JSONL:
        yield from _from_jsonl_file(path, origin, abspath, caps)
        return
    many = ext in _JSON or ext in _FEED
    data = _read_bytes(path, origin, caps.file if many else caps.record)
    if isinstance(data, Skip):
        yield data
        return
    if ext in _JSON:
        text, notes = _decode(data)
        if text is None:
            yield Skip(origin, "binary file, not text")
        else:
            yield from _with_notes(_from_json(text, origin, abspath, caps.record), notes)
        return
    sniffed = bool(_FEED_SNIFF.match(data[:1024]))
    if ext in _FEED or sniffed:
        yield from _from_feed(data, origin=origin, path=abspath, fmt="feed", sniffed=sniffed, max_record=caps.record)
        return
    # A .txt file that is a whole HTML page is read as one.
    is_html = ext in _HTML or bool(_HTML_SNIFF.match(data[:1024]))
    text, notes = _decode(data, html_charset(data) if is_html else None)
    if text is None:
        yield Skip(origin, "binary file, not text")
        return
    if is_html:
        yield from _with_notes([_html_doc(text, origin=origin, path=abspath, url=None, fmt="html")], notes)
    else:
        yield from _with_notes([_text_doc(text, origin=origin, path=abspath, fmt="txt")], notes)


def _with_notes(items: Iterable[RawDoc | Skip], notes: list[str]) -> Iterator[RawDoc | Skip]:
    """The items, each article carrying the notes made while reading their file."""
    for item in items:
        if isinstance(item, RawDoc):
            item.notes[:0] = notes
        yield item


def _text_doc(text: str, *, origin: str, path: str | None, fmt: str, url: str | None = None) -> RawDoc | Skip:
    if not text.strip():
        return Skip(origin, "empty file")
    return RawDoc(text=text, title=first_line(text), url=url, path=path, origin=origin, fmt=fmt)


def _html_doc(html: str, *, origin: str, path: str | None, url: str | None, fmt: str) -> RawDoc | Skip:
    text, meta = extract_html(html, url)
    if not text:
        return Skip(origin, "no text found in the page")
    return RawDoc(
        text=text,
        title=meta.get("title") or first_line(text),
        source=meta.get("sitename"),
        url=meta.get("url") or url,
        published=meta.get("date"),
        published_from="html" if meta.get("date") else "none",
        path=path,
        origin=origin,
        html=html,
        fmt=fmt,
    )


def extract_html(html: str, url: str | None = None) -> tuple[str, dict]:
    """Main text plus page metadata (title, date, sitename, canonical url).

    trafilatura gives up on pages with very little text; those fall back to
    the plain text of <body>, since a short wire item is still an article.
    """
    # Imported here: trafilatura is slow to import and many runs never see HTML.
    import htmldate
    import trafilatura
    from trafilatura.metadata import extract_metadata

    date_params = {"extensive_search": False, "original_date": True}
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, date_extraction_params=date_params
        )
    except Exception:  # noqa: BLE001 - trafilatura can trip on odd markup
        doc = None
    if doc is not None:
        text = (doc.text or "").strip()
    else:  # no text, but the page's metadata still counts
        text = ""
        try:
            tree = lxml.html.fromstring(_strip_xml_decl(html))
            doc = extract_metadata(tree, default_url=url, date_config=date_params, extensive=False)
        except Exception:  # noqa: BLE001
            pass
    meta = {key: getattr(doc, key) for key in ("title", "date", "sitename", "url")} if doc is not None else {}
    if not text:
        text = html_to_text(html, body_only=True)
    if not meta.get("date"):
        try:
            meta["date"] = htmldate.find_date(html, extensive_search=False, original_date=True)
        except Exception:  # noqa: BLE001
            meta["date"] = None
    meta = {k: (v.strip() if isinstance(v, str) and v.strip() else None) for k, v in meta.items()}
    return text, meta


def _strip_xml_decl(html: str) -> str:
    # lxml refuses str input that still carries an encoding declaration.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)


# -- JSON records -----------------------------------------------------------


def _from_jsonl_file(path: str, origin: str, abspath: str, caps: _Caps) -> Iterator[RawDoc | Skip]:
    """JSON Lines read one line at a time: a bad or oversize line costs that line only."""
    fh = _open(path, origin, caps.file)
    if isinstance(fh, Skip):
        yield fh
        return
    with fh:
        head = fh.read(4)
        fh.seek(0)
        if any(head.startswith(bom) for bom, codec in _BOMS if codec in ("utf-16", "utf-32")):
            # Wide encodings cannot be split on the byte b"\n": decode the whole file.
            text, notes = _decode(fh.read(caps.file))
            if text is None:
                yield Skip(origin, "binary file, not text")
                return
            lines: Iterable[bytes | str | None] = (
                line if len(line.encode("utf-8", "surrogatepass")) <= caps.record else None
                for line in text.split("\n"))
        else:
            lines = _bounded_lines(fh, caps.record)
        found = False
        for lineno, line in enumerate(lines, start=1):
            where = f"{origin}:{lineno}"
            if line is None:
                found = True
                yield Skip(where, f"record larger than the {format_size(caps.record)} cap")
                continue
            if isinstance(line, bytes):
                if not line.strip():
                    continue
                if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8):]
                text, notes = _decode(line)
                if text is None:
                    found = True
                    yield Skip(where, "binary data, not text")
                    continue
                line = text
            else:
                notes = []
            if not line.strip():
                continue
            found = True
            yield from _with_notes(_jsonl_record(line, where, abspath, caps.record), notes)
        if not found:
            yield Skip(origin, "empty file")


def _bounded_lines(fh: io.BufferedReader, cap: int) -> Iterator[bytes | None]:
    """The file's lines (split on b"\n" only: JSON strings may hold U+2028); None for a line over ``cap``."""
    while True:
        line = fh.readline(cap + 2)
        if not line:
            return
        if len(line.rstrip(b"\r\n")) > cap:
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = fh.readline(1 << 20)
            yield None
        else:
            yield line


def _parse_json(text: str, where: str) -> object:
    """The JSON value in ``text``, or a Skip saying where it is malformed."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return Skip(where, f"malformed JSON: {exc.msg} at {at}")
    except RecursionError:
        return Skip(where, "malformed JSON: nested too deeply")


def _jsonl_record(line: str, where: str, abspath: str, max_record: int) -> Iterator[RawDoc | Skip]:
    record = _parse_json(line, where)
    yield record if isinstance(record, Skip) else _record_doc(record, where, abspath, max_record)


def _from_json(text: str, origin: str, abspath: str, max_record: int) -> Iterator[RawDoc | Skip]:
    top = _parse_json(text, origin)
    if isinstance(top, Skip):
        yield top
        return
    if isinstance(top, dict) and isinstance(top.get("articles"), list):
        records = top["articles"]
    elif isinstance(top, dict):
        yield _record_doc(top, origin, abspath, max_record)
        return
    elif isinstance(top, list):
        records = top
    else:
        yield Skip(origin, "JSON is neither an object nor a list of objects")
        return
    if not records:
        yield Skip(origin, "no records in file")
    for i, record in enumerate(records):
        yield _record_doc(record, f"{origin}[{i}]", abspath, max_record)


def _record_doc(record: object, origin: str, abspath: str, max_record: int) -> RawDoc | Skip:
    if not isinstance(record, dict):
        return Skip(origin, "record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return Skip(origin, f'"{name}" is not a string')
        if value is not None and len(value) > max_record:  # characters: at least as many bytes
            return Skip(origin, f'"{name}" larger than the {format_size(max_record)} cap')
    url = _opt_str(record.get("url"))
    meta: dict = {}
    if not (text and text.strip()):
        if html and html.strip():
            text, meta = extract_html(html, url)
            if not text:
                return Skip(origin, "no text found in the record's html")
        elif text is not None or html is not None:
            return Skip(origin, "empty text")
        else:
            return Skip(origin, 'record has neither "text" nor "html"')
    published = _opt_str(record.get("published"))
    if published:
        published, published_from = normalise_date(published) or published, "metadata"
    elif meta.get("date"):
        published, published_from = meta["date"], "html"
    else:
        published, published_from = None, "none"
    notes: list[str] = []
    ext_id = record.get("id")
    if isinstance(ext_id, bool) or not isinstance(ext_id, (str, int, float, type(None))):
        notes.append(f'"id" ignored: a {type(ext_id).__name__}, not a string or a number')
        ext_id = None
    for name in ("title", "source", "url", "published"):
        value = record.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
            notes.append(f'"{name}" ignored: a {type(value).__name__}, not a string')
    return RawDoc(
        text=text,
        title=_opt_str(record.get("title")) or meta.get("title") or first_line(text),
        source=_opt_str(record.get("source")) or meta.get("sitename"),
        url=url or meta.get("url"),
        published=published,
        published_from=published_from,
        external_id=str(ext_id) if ext_id is not None else None,
        path=abspath,
        origin=origin,
        html=html if html else None,
        fmt="jsonl",
        notes=notes,
    )


def _opt_str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = str(value).strip()
    return value or None


# -- feeds ------------------------------------------------------------------


def _from_feed(
    data: bytes, *, origin: str, path: str | None, fmt: str, sniffed: bool, base_url: str | None = None,
    max_record: int = DEFAULT_MAX_BYTES,  # a fetched feed: the fetcher's own cap, the default
) -> Iterator[RawDoc | Skip]:
    parsed = _parse_feed(data, origin=origin, sniffed=sniffed, base_url=base_url)
    if isinstance(parsed, Skip):
        yield parsed
        return
    source = _opt_str(parsed.feed.get("title"))
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{n}"
        text = _entry_text(entry)
        if not text:
            yield Skip(where, "feed item has no text")
            continue
        if len(text) > max_record:
            yield Skip(where, f"feed item larger than the {format_size(max_record)} cap")
            continue
        published = _entry_date(entry)
        title = _entry_title(entry)
        yield RawDoc(
            text=text,
            title=title or first_line(text),
            source=source,
            url=_opt_str(entry.get("link")),
            published=published,
            published_from="metadata" if published else "none",
            path=path,
            origin=where,
            fmt=fmt,
        )


def _parse_feed(data: bytes, *, origin: str, sniffed: bool, base_url: str | None):
    """The feed parsed by feedparser (relative links resolved against ``base_url``), or a Skip
    when it has no items or is no feed."""
    headers = {"content-location": base_url} if base_url else None
    # A stream, never a str: feedparser would fetch a str that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        return Skip(origin, "feed has no items" if parsed.get("version") or sniffed else "not an RSS/Atom feed")
    return parsed


@dataclass
class FeedItem:
    """One item of a feed, as ``storyline watch`` follows it: to its article page."""

    key: str  # its guid (RSS) or id (Atom), else its link, else a digest of its title and text
    link: str | None  # the article page, as the feed gives it (resolved against the feed's URL)
    title: str | None
    published: str | None  # the item's date, YYYY-MM-DD
    origin: str  # "FEED#n", for messages


def feed_items(data: bytes, *, origin: str, base_url: str | None = None) -> list[FeedItem] | Skip:
    """The items of a feed's bytes, read as ``build`` reads a feed, or one Skip for the feed
    (no items, not a feed)."""
    parsed = _parse_feed(data, origin=origin, sniffed=bool(_FEED_SNIFF.match(data[:1024])), base_url=base_url)
    if isinstance(parsed, Skip):
        return parsed
    items = []
    for n, entry in enumerate(parsed.entries, start=1):
        link, title = _opt_str(entry.get("link")), _entry_title(entry)
        key = _opt_str(entry.get("id")) or link
        if key is None:
            digest = hashlib.sha256(f"{title}\n{_entry_text(entry)}".encode("utf-8", "surrogatepass"))
            key = "sha256:" + digest.hexdigest()
        items.append(FeedItem(key=key, link=link, title=title, published=_entry_date(entry), origin=f"{origin}#{n}"))
    return items


def _entry_title(entry) -> str | None:
    title = _opt_str(entry.get("title"))
    if title and "<" in title:
        title = html_to_text(title) or None
    return title


def _entry_text(entry) -> str:
    parts = [c.get("value", "") for c in entry.get("content") or []]
    if not any(p.strip() for p in parts):
        parts = [entry.get("summary") or ""]
    out = (html_to_text(part) if "<" in part else _tidy_lines(part) for part in parts)
    return "\n".join(part for part in out if part)


def _entry_date(entry) -> str | None:
    # The raw string keeps the outlet's own calendar day; the parsed tuple is UTC.
    for key in ("published", "updated"):
        if day := normalise_date(entry.get(key)):
            return day
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


# -- URLs -------------------------------------------------------------------


def _from_url(url: str, fetcher: Fetcher) -> Iterator[RawDoc | Skip]:
    try:
        got = fetcher.get(url)
    except FetchError as exc:
        yield Skip(url, str(exc))
        return
    ctype, head = got.content_type, got.body[:1024]
    sniffed = bool(_FEED_SNIFF.match(head))
    if not got.body.strip():
        yield Skip(url, "empty response")
    elif sniffed or "rss" in ctype or "atom" in ctype or ctype in ("application/xml", "text/xml"):
        yield from _from_feed(got.body, origin=url, path=None, fmt="url", sniffed=sniffed, base_url=got.url,
                              max_record=fetcher.max_bytes)
    elif ctype in ("text/html", "application/xhtml+xml") or (ctype in ("", "text/plain") and _HTML_SNIFF.match(head)):
        # A whole page served as text/plain (or untyped) is still a page.
        html, notes = _decode(got.body, got.charset or html_charset(got.body))
        if html is None:
            yield Skip(url, "binary response, not text")
        else:
            yield from _with_notes([_html_doc(html, origin=url, path=None, url=got.url, fmt="url")], notes)
    elif ctype in ("text/plain", ""):
        text, notes = _decode(got.body, got.charset)
        if text is None:
            yield Skip(url, "binary response, not text")
        else:
            yield from _with_notes([_text_doc(text, origin=url, path=None, fmt="url", url=got.url)], notes)
    else:
        yield Skip(url, f"unsupported content type {ctype}")


# -- text helpers -----------------------------------------------------------


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Non-letters a Western news text plausibly contains when saved as cp1252.
_WESTERN_MARKS = set("‘’‚“”„–—…•€«»°©®™§£¥¢·¡¿½±×\u00a0\u00ad")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _decode(data: bytes, hint: str | None = None) -> tuple[str | None, list[str]]:
    """Bytes to text (None when they are not text at all), with a note for each repair.

    UTF-8 comes first because valid UTF-8 with non-ASCII bytes is almost never
    an accident; a UTF-8 file with a few bytes that are not (a paragraph
    pasted from a Windows-1252 source) keeps its UTF-8 and reads those bytes
    as Windows-1252, with a note.  Legacy Western files (cp1252, latin-1)
    come next because they are by far the most common other case in news
    archives, and charset_normalizer tends to misread short samples of them
    as cp1250 or Mac encodings; it still handles everything else.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _textual(data.decode(codec, errors="replace")), []
    if b"\x00" in data[:8192]:
        wide = _bomless_utf16(data)
        if wide is None:
            return None, []
        return _textual(data.decode(wide, errors="replace")), [f"read as {wide.upper()} (no byte-order mark)"]
    try:
        return _textual(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in loose):
        # Real UTF-8 is there: only the bytes that are not UTF-8 fall back.
        text, bad = _utf8_with_fallback(data)
        return _textual(text), [f"{bad} byte{'s' * (bad != 1)} not valid UTF-8, read as Windows-1252"]
    if hint:
        try:
            return _textual(data.decode(hint)), []
        except (LookupError, UnicodeDecodeError):
            pass
    western = _western(data)
    if western is not None:
        return _textual(western), []
    best = charset_normalizer.from_bytes(data).best()
    return (_textual(str(best)), []) if best is not None else (None, [])


_fallback_bytes = threading.local()  # bytes the handler below read as cp1252, per thread


def _cp1252_bytes(exc: UnicodeError):
    """Codec error handler: undecodable bytes read one by one as Windows-1252."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start:exc.end]
    _fallback_bytes.count = getattr(_fallback_bytes, "count", 0) + len(chunk)
    return chunk.decode("cp1252", errors="replace"), exc.end


_CP1252_FALLBACK = "storyline-cp1252"
codecs.register_error(_CP1252_FALLBACK, _cp1252_bytes)


def _utf8_with_fallback(data: bytes) -> tuple[str, int]:
    """UTF-8 text in which bytes that are not UTF-8 are read as Windows-1252, and how many there were."""
    _fallback_bytes.count = 0
    text = data.decode("utf-8", errors=_CP1252_FALLBACK)
    return text, _fallback_bytes.count


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NUL bytes fall on alternate positions as in UTF-16 text, else None."""
    sample = data[:8192]
    half = len(sample) // 2
    if half < 4:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    # Mostly-Latin text in UTF-16 has a NUL in nearly every high byte and in no low byte.
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    return None


def _western(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = foreign = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            foreign += ord(ch) > 127
        elif ord(ch) > 127 and ch not in _WESTERN_MARKS:
            return None
    # Cyrillic or Greek read as cp1252 is almost all accented "letters".
    if letters and foreign / letters > 0.3:
        return None
    return text


def _textual(text: str) -> str | None:
    """None when decoded "text" is mostly control characters, i.e. binary.

    A few stray control bytes in an article (they are removed later, with a
    note) do not make it binary; a tenth of the sample does.
    """
    sample = text[:8192]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(8, len(sample) // 10):
        return None
    return text


_BLOCKS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "table", "blockquote", "pre", "article", "section", "header", "footer",
    "dd", "dt", "figcaption", "hr", "main", "aside",
)  # fmt: skip
_NOISE = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "select", "nav", "head")


def html_to_text(markup: str, *, body_only: bool = False) -> str:
    """Plain text of an HTML page or fragment, one line per block element."""
    try:
        root = lxml.html.fromstring(_strip_xml_decl(markup))
    except (ParserError, ValueError):
        return ""
    if body_only:
        body = root.find(".//body")
        root = body if body is not None else root
    for el in list(root.iter(*_NOISE)):
        if el is not root:
            el.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    return _tidy_lines(root.text_content())


def _tidy_lines(text: str) -> str:
    """Single spaces between words, no blank lines."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
