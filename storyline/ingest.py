"""Turn the user's PATH arguments into raw articles.

Ingestion is the one stage that meets the outside world, so it is built to
keep going: every input that cannot be used becomes a ``Skip`` with a one-line
reason, and the run carries on with the rest.  Nothing here dedups or cleans;
later stages own that.
"""

from __future__ import annotations

import codecs
import glob
import io
import json
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator

import charset_normalizer
import feedparser
import lxml.html
from lxml.etree import ParserError

from .fetch import DEFAULT_MAX_BYTES, FetchError, Fetcher, format_size
from .model import RawDoc, Skip
from .pubdate import normalise_date

__all__ = ["DEFAULT_MAX_BYTES", "iter_inputs", "count_inputs"]

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
) -> Iterator[RawDoc | Skip]:
    """Yield one RawDoc per article found, or one Skip per bad item (never raise for bad input)."""
    fetcher = Fetcher(allow_private=allow_private, max_bytes=max_bytes)  # cheap: a client per get()
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
                yield from _guarded(item, _from_file, item, max_bytes)


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
        yield from _walk(arg)
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


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in _KNOWN:
                yield os.path.join(root, name)


def _count_lines(path: str) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 1


def _guarded(origin: str, make: Callable[..., Iterator[RawDoc | Skip]], *args) -> Iterator[RawDoc | Skip]:
    """Last line of defence: a bug on one odd input must not end the run."""
    try:
        yield from make(*args)
    except Exception as exc:  # noqa: BLE001 - reported as a Skip on purpose
        yield Skip(origin, f"could not read: {type(exc).__name__}: {exc}".splitlines()[0])


# -- files ------------------------------------------------------------------


def _read_bytes(path: str, max_bytes: int) -> bytes | Skip:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Skip(path, "not a regular file")
        if info.st_size > max_bytes:
            return Skip(path, f"file larger than the {format_size(max_bytes)} cap")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return Skip(path, f"cannot read file: {(exc.strerror or str(exc)).lower()}")
    if len(data) > max_bytes:  # grew since stat
        return Skip(path, f"file larger than the {format_size(max_bytes)} cap")
    if not data.strip():
        return Skip(path, "empty file")
    return data


def _from_file(path: str, max_bytes: int) -> Iterator[RawDoc | Skip]:
    data = _read_bytes(path, max_bytes)
    if isinstance(data, Skip):
        yield data
        return
    abspath = os.path.abspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in _JSONL or ext in _JSON:
        text = decode_bytes(data)
        if text is None:
            yield Skip(path, "binary file, not text")
        else:
            yield from (_from_jsonl if ext in _JSONL else _from_json)(text, path, abspath)
        return
    sniffed = bool(_FEED_SNIFF.match(data[:1024]))
    if ext in _FEED or sniffed:
        yield from _from_feed(data, origin=path, path=abspath, fmt="feed", sniffed=sniffed)
        return
    is_html = ext in _HTML or (ext not in _TXT and bool(_HTML_SNIFF.match(data[:1024])))
    text = decode_bytes(data, html_charset(data) if is_html else None)
    if text is None:
        yield Skip(path, "binary file, not text")
        return
    if is_html:
        yield _html_doc(text, origin=path, path=abspath, url=None, fmt="html")
    else:
        yield _text_doc(text, origin=path, path=abspath, fmt="txt")


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


def _from_jsonl(text: str, origin: str, abspath: str) -> Iterator[RawDoc | Skip]:
    found = False
    # Split on \n only: JSON strings may hold a raw U+2028, which splitlines() would cut.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        where = f"{origin}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(where, f"malformed JSON: {exc.msg} at column {exc.colno}")
            continue
        yield _record_doc(record, where, abspath)
    if not found:
        yield Skip(origin, "empty file")


def _from_json(text: str, origin: str, abspath: str) -> Iterator[RawDoc | Skip]:
    try:
        top = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skip(origin, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    if isinstance(top, dict) and isinstance(top.get("articles"), list):
        records = top["articles"]
    elif isinstance(top, dict):
        yield _record_doc(top, origin, abspath)
        return
    elif isinstance(top, list):
        records = top
    else:
        yield Skip(origin, "JSON is neither an object nor a list of objects")
        return
    if not records:
        yield Skip(origin, "no records in file")
    for i, record in enumerate(records):
        yield _record_doc(record, f"{origin}[{i}]", abspath)


def _record_doc(record: object, origin: str, abspath: str) -> RawDoc | Skip:
    if not isinstance(record, dict):
        return Skip(origin, "record is not a JSON object")
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return Skip(origin, f'"{name}" is not a string')
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
    ext_id = record.get("id")
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
    )


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


# -- feeds ------------------------------------------------------------------


def _from_feed(
    data: bytes, *, origin: str, path: str | None, fmt: str, sniffed: bool, base_url: str | None = None
) -> Iterator[RawDoc | Skip]:
    headers = {"content-location": base_url} if base_url else None
    # A stream, never a str: feedparser would fetch a str that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.entries:
        if parsed.get("version") or sniffed:
            yield Skip(origin, "feed has no items")
        else:
            yield Skip(origin, "not an RSS/Atom feed")
        return
    source = _opt_str(parsed.feed.get("title"))
    for n, entry in enumerate(parsed.entries, start=1):
        where = f"{origin}#{n}"
        text = _entry_text(entry)
        if not text:
            yield Skip(where, "feed item has no text")
            continue
        published = _entry_date(entry)
        title = _opt_str(entry.get("title"))
        if title and "<" in title:
            title = html_to_text(title) or None
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
        yield from _from_feed(got.body, origin=url, path=None, fmt="url", sniffed=sniffed, base_url=got.url)
    elif ctype in ("text/html", "application/xhtml+xml") or (not ctype and _HTML_SNIFF.match(head)):
        html = decode_bytes(got.body, got.charset or html_charset(got.body))
        if html is None:
            yield Skip(url, "binary response, not text")
        else:
            yield _html_doc(html, origin=url, path=None, url=got.url, fmt="url")
    elif ctype in ("text/plain", ""):
        text = decode_bytes(got.body, got.charset)
        if text is None:
            yield Skip(url, "binary response, not text")
        else:
            yield _text_doc(text, origin=url, path=None, fmt="url", url=got.url)
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


def decode_bytes(data: bytes, hint: str | None = None) -> str | None:
    """Bytes to text, or None when they are not text at all.

    UTF-8 comes first because valid UTF-8 with non-ASCII bytes is almost never
    an accident.  Legacy Western files (cp1252, latin-1) come next because they
    are by far the most common other case in news archives, and
    charset_normalizer tends to misread short samples of them as cp1250 or
    Mac encodings; it still handles everything else.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _textual(data.decode(codec, errors="replace"))
    if b"\x00" in data[:8192]:
        return None
    try:
        return _textual(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    if sum(1 for ch in loose if ord(ch) > 127) - bad >= 2 * bad:
        return _textual(loose)  # UTF-8 with a few broken bytes
    if hint:
        try:
            return _textual(data.decode(hint))
        except (LookupError, UnicodeDecodeError):
            pass
    western = _western(data)
    if western is not None:
        return _textual(western)
    best = charset_normalizer.from_bytes(data).best()
    return _textual(str(best)) if best is not None else None


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
    """None when decoded "text" is mostly control characters, i.e. binary."""
    sample = text[:8192]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 100):
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
