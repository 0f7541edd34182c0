"""The app: JSON API routes under /api/, server-rendered pages elsewhere, one static stylesheet.

Each server thread keeps its own read-only store (``Store(readonly=True)``)
and asks ``storyline.query`` for what a request shows; once another
process has written to the database or replaced its file, the thread opens
it again (``Store.unchanged``).  So the server never writes to the database,
shares no connection across threads, and a request does not pay for
opening it (reading the schema, a cold page cache).  Article text is untrusted: templates autoescape everything, marks
are added to text only after it is escaped (``marked``), and only http and
https URLs become links (``safe_url``).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from typing import Iterator
from urllib.parse import quote, urlencode, urlsplit

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__, query
from ..selection import in_range
from ..store import Store
from . import charts

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# The brief read in place: its own inline stylesheet, nothing else, and no script (sandbox: an origin of its own).
BRIEF_PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; sandbox"
PAGE_SIZE = 50
THREADS = 2  # requests a server process works on at once; the rest wait their turn
HEADS_KEPT = 256  # stories x date ranges whose page heads (story, summary, charts) are kept
SUMMARY_MAX_EVENTS = 2000  # a story with more events shows a link to its brief instead of the brief's summary
# What a story's downloads are: format -> (Content-Type, end of the file's name).
BRIEF_FORMATS = {"md": ("text/markdown; charset=utf-8", "brief.md"), "html": ("text/html; charset=utf-8", "brief.html"),
                 "json": ("application/json", "brief.json")}
EXPORT_FORMATS = {"json": ("application/json", "export.json"), "csv": ("text/csv; charset=utf-8", "events.csv"),
                  "acled": ("text/csv; charset=utf-8", "acled.csv"), "gdelt": ("text/csv; charset=utf-8", "gdelt.csv")}


class _Kept:
    """The ``size`` values last put or read, by key, for any thread (least recently used dropped)."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & written as \\u escapes: the same data, but no article text in an API
    answer can ever be read as markup, whatever opens it."""

    def render(self, content) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").encode("utf-8")


# -- rendering helpers (also Jinja filters) -------------------------------------


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http or https URL (fit for an href), else None."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in "\x00\r\n\t "):
        return None
    return url


def marked(text: str, spans: list[list[int]]) -> Markup:
    """``text`` escaped, with each [start, end] span wrapped in <mark> (spans in order, not overlapping)."""
    out, at = [], 0
    for start, end in spans:
        if start < at or end <= start or end > len(text):
            continue
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def annotated(text: str, marks: list[dict]) -> Markup:
    """A sentence escaped, its pieces marked: an event trigger links to its event, an entity to its
    actor page, a time expression shows its value.  Overlapping marks split the text at every edge."""
    edges = sorted({0, len(text), *(m["start"] for m in marks), *(m["end"] for m in marks)})
    out = []
    for start, end in zip(edges, edges[1:]):
        piece = escape(text[start:end])
        over = [m for m in marks if m["start"] <= start and end <= m["end"]]
        if not over:
            out.append(piece)
            continue
        kinds = sorted({m["kind"] for m in over})
        title = "; ".join(dict.fromkeys(f"{m['kind']}: {m['label']}" for m in over))
        event = next((m for m in over if m["kind"] == "event" and m.get("event")), None)
        entity = next((m for m in over if m["kind"] == "entity"), None)
        classes = " ".join(f"m-{k}" for k in kinds)
        if event:
            href = "/events/" + quote(event["event"], safe="")
        elif entity:
            href = "/actors/" + quote(entity["entity"], safe="")
        else:
            href = None
        if href:
            out.append(Markup('<a class="{}" href="{}" title="{}">{}</a>').format(classes, href, title, piece))
        else:
            out.append(Markup('<span class="{}" title="{}">{}</span>').format(classes, title, piece))
    return Markup("").join(out)


def _json_text(text: str) -> str:
    """JSON text with <, > and & as \\u escapes, as ``SafeJSONResponse`` writes them: the same data."""
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _filename(story_id: str, start: str | None, end: str | None, tail: str) -> str:
    """A download's file name: the story, the date range when there is one, what it is."""
    span = f"_{start or 'start'}_to_{end or 'end'}" if start or end else ""
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"storyline_{story_id}{span}_{tail}")


def event_filters(type: list[str] | None = Query(None, description="event types, repeated or comma-separated"),
                  status: list[str] | None = Query(None, description="statuses, repeated or comma-separated"),
                  actor: str | None = None, place: str | None = None, words: str | None = None) -> dict:
    """The event filters beside the dates, as /api/events, a story page and its downloads take them,
    in the keywords of ``query.events``."""
    return {"types": type, "status": status, "actor": actor, "place": place, "words": words}


def _download(body: str, content_type: str, filename: str, disposition: str = "attachment") -> Response:
    """A file to save ("attachment") or, for the brief read in place, to show ("inline"); the
    security middleware gives each its policy."""
    return Response(body.encode("utf-8"), media_type=content_type,
                    headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


def _summary(brief: dict) -> list[dict]:
    """The brief's summary sentences, each with the articles it cites (its own first) as
    {"n", "id", "label"}: the brief's source number, the document, its outlet (or title) and date."""
    sources = {s["id"]: s for s in brief["sources"]["items"]}
    out = []
    for item in brief["summary"]["items"]:
        cites = []
        for n, doc in zip(item["sources"], item["docs"]):
            s = sources.get(doc, {})
            label = ", ".join(str(x) for x in (s.get("source") or s.get("title") or doc, s.get("published")) if x)
            cites.append({"n": n, "id": doc, "label": label})
        out.append({"text": item["text"], "cites": cites})
    return out


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _env() -> Environment:
    env = Environment(loader=PackageLoader("storyline.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(safe_url=safe_url, marked=marked, annotated=annotated, number=_number,
                       q=lambda s: quote(str(s), safe=""))
    env.globals.update(version=__version__, TYPES=query.TYPES, STATUSES=query.STATUSES, SORTS=query.SORTS)
    return env


def _page_links(request: Request, offset: int, limit: int, total: int) -> dict:
    """Links to the previous and next page, keeping the request's other parameters."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]

    def link(at: int) -> str:
        return f"{request.url.path}?{urlencode(params + [('limit', limit), ('offset', at)])}"

    return {"prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None,
            "first": offset + 1 if total else 0, "last": min(offset + limit, total), "total": total}


# -- the app --------------------------------------------------------------------


def create_app(db: str, write_token: str | None = None) -> FastAPI:
    """The web app over the database ``db``, opened read-only (``StoreError`` now if it cannot be);
    with ``write_token``, also the /add form of ``write`` for a browser that presents the token."""
    Store(db, readonly=True).close()  # fail at start, not on the first request
    env = _env()
    env.globals["writable"] = write_token is not None

    @asynccontextmanager
    async def lifespan(app):
        # Pages and API calls run in worker threads; a few at a time, each in turn: SQLite lets one read
        # while another thread renders, and more would only share one interpreter, so that every
        # request took as long as the slowest (40 threads, anyio's default, gave a story page a p95
        # of 3.8 s under benchmarks/web.py against 0.5 s with 2).
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield

    app = FastAPI(title="Storyline", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  default_response_class=SafeJSONResponse,
                  openapi_url="/api/openapi.json",
                  description="Read-only JSON API over a Storyline event database. Lists are paginated "
                              "with `limit` and `offset` and give the `total`. Unknown ids answer 404, "
                              "malformed filters 400 (or 422 for a value of the wrong kind), with a `detail`.")

    local = threading.local()

    @contextmanager
    def store() -> Iterator[Store]:
        """This thread's store, opened again when the database changed since it was opened; a
        server's store (``pooled``) is opened for the request and its connection given back after,
        since the threads outnumber the pool's connections."""
        s = getattr(local, "store", None)
        if s is None or not s.unchanged():
            local.store = None
            if s is not None:
                s.close()
            s = Store(db, readonly=True)
            if s.pooled:
                try:
                    yield s
                finally:
                    s.close()
                return
            local.store = s
        yield s

    heads = _Kept(HEADS_KEPT)
    macros = env.get_template("_macros.html").module

    def story_head(s: Store, story_id: str, start: str | None, end: str | None) -> dict:
        """What a story page shows above its timeline (the story, the brief's summary, the charts drawn),
        kept for the database as it is (its file and data version): the per-day figures read every
        event of the story, and every filter and page of the timeline shares them."""
        start, end = query.check_range(start, end)
        key = (story_id, start, end, s.version())
        head = heads.get(key)
        if head is None:
            info = query.story(s, story_id)
            whole = heads.get((info["id"], "days", s.version()))
            if whole is None:
                whole = heads.put((info["id"], "days", s.version()), query.story_days(s, info["id"]))
            days = [d for d in whole if in_range(d["day"], start, end)]
            # The brief reads the whole story: drawn for a story of a reader's size, and a link for a
            # pile's worth (bpoil's one story of 15,552 events takes tens of seconds).
            brief = json.loads(query.brief(s, info["id"], "json", start, end)) \
                if info["events"] <= SUMMARY_MAX_EVENTS else None
            drawn = [c for c in [charts.intensity_per_day(days), *charts.figures_per_day(days)] if c]
            head = heads.put(key, {"story": info, "summary": _summary(brief) if brief is not None else None,
                                   "charts": [macros.chart(c) for c in drawn]})
        return head

    def page(name: str, code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**context), status_code=code)

    def is_api(request: Request) -> bool:
        return request.url.path == "/api" or request.url.path.startswith("/api/")

    def error(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return SafeJSONResponse({"detail": message}, status_code=status)
        titles = {400: "Bad request", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
                  409: "Busy", 413: "Too large"}
        return page("error.html", status, title=titles.get(status, "Error"), status=status, message=message)

    if write_token is not None:
        from .write import add_write_routes

        app.state.builder = add_write_routes(app, db, write_token, page, error)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        disposition = response.headers.get("content-disposition", "")
        if disposition.startswith("attachment"):
            # a download (the brief as HTML, say) is never a page of this site, even if opened in place
            response.headers["Content-Security-Policy"] += "; sandbox"
        elif disposition.startswith("inline"):  # the brief read in place
            response.headers["Content-Security-Policy"] = BRIEF_PAGE_POLICY
        return response

    @app.exception_handler(query.NotFound)
    async def not_found(request: Request, exc: query.NotFound):
        return error(request, 404, str(exc))

    @app.exception_handler(query.BadQuery)
    async def bad_value(request: Request, exc: query.BadQuery):
        return error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}"
                             for e in exc.errors())
        if is_api(request):
            return SafeJSONResponse({"detail": problems or "malformed request"}, status_code=422)
        return error(request, 400, problems or "malformed request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if exc.status_code != 404 else f"nothing at {request.url.path}"
        return error(request, exc.status_code, str(message))

    app.mount("/static", StaticFiles(directory=str(resources.files("storyline.web") / "static")), name="static")

    # -- JSON API -----------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"], summary="Stories, largest first")
    def api_stories(limit: int = PAGE_SIZE, offset: int = 0):
        """Every story: id, title, first and last day, articles, independent sources, outlets,
        events and articles per day."""
        limit, offset = query.check_page(limit, offset)
        with store() as s:
            found = query.stories(s)
        return {"total": len(found), "limit": limit, "offset": offset, "stories": found[offset:offset + limit]}

    @app.get("/api/stories/{story_id}", tags=["stories"], summary="One story")
    def api_story(story_id: str):
        with store() as s:
            return query.story(s, story_id)

    @app.get("/api/events", tags=["events"], summary="Events, filtered and paginated")
    def api_events(story: str | None = None, start: str | None = None, end: str | None = None,
                   filters: dict = Depends(event_filters), sort: str = "date", limit: int = PAGE_SIZE,
                   offset: int = 0):
        """Events whose date can fall within `start`..`end` (YYYY, YYYY-MM or YYYY-MM-DD), of the given
        types and statuses, with `actor` acting or acted on, located at `place`, reported in sentences
        holding every one of `words`; sorted by `date`, `-date` or `salience`."""
        with store() as s:
            return query.events(s, story=story, start=start, end=end, sort=sort, limit=limit, offset=offset,
                                **filters)

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with its mentions")
    def api_event(event_id: str):
        """The event, every article's sentence reporting it, the figures each gives, quotes,
        contradictions and related events."""
        with store() as s:
            current = query.event_id(s, event_id)
            if current != event_id:  # an old id: its event merged into or split off another
                return RedirectResponse(f"/api/events/{quote(current, safe='')}", status_code=307)
            return query.event(s, event_id)

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One article with its annotations")
    def api_document(doc_id: str):
        with store() as s:
            return query.document(s, doc_id)

    @app.get("/api/actors/{actor_id:path}", tags=["actors"], summary="One actor or place and its events")
    def api_actor(actor_id: str, limit: int = PAGE_SIZE, offset: int = 0):
        with store() as s:
            return query.actor(s, actor_id, limit=limit, offset=offset)

    @app.get("/api/search", tags=["search"], summary="Full-text search over sentences")
    def api_search(q: str, limit: int = 20, offset: int = 0):
        """Sentences holding every word of `q`, best first, with the spans that match."""
        with store() as s:
            return query.search(s, q, limit=limit, offset=offset)

    @app.get("/api/contradictions", tags=["contradictions"], summary="Contradictions between sources")
    def api_contradictions(story: str | None = None, limit: int = PAGE_SIZE, offset: int = 0):
        with store() as s:
            return query.contradictions(s, story=story, limit=limit, offset=offset)

    @app.get("/api/counts", tags=["stories"], summary="Articles per day")
    def api_counts(story: str | None = None):
        with store() as s:
            return {"story": story, "days": query.counts_per_day(s, story)}

    def brief_download(story_id: str, fmt: str, start: str | None, end: str | None, filters: dict,
                       disposition: str = "attachment") -> Response:
        if fmt not in BRIEF_FORMATS:
            raise query.NotFound("brief format", fmt)
        start, end = query.check_range(start, end)
        with store() as s:
            sid = query.story(s, story_id)["id"]
            text = query.brief(s, sid, fmt, start, end, **filters)
        content_type, tail = BRIEF_FORMATS[fmt]
        return _download(_json_text(text) if fmt == "json" else text, content_type,
                         _filename(sid, start, end, tail), disposition)

    def export_download(story_id: str, fmt: str, start: str | None, end: str | None, filters: dict) -> Response:
        if fmt not in EXPORT_FORMATS:
            raise query.NotFound("export format", fmt)
        start, end = query.check_range(start, end)
        with store() as s:
            sid = query.story(s, story_id)["id"]
            if fmt == "json":
                text = _json_text(json.dumps(query.export(s, sid, start, end, **filters), indent=2,
                                             ensure_ascii=False) + "\n")
            else:
                text = query.export_flat(s, sid, fmt, start, end, **filters)
        content_type, tail = EXPORT_FORMATS[fmt]
        return _download(text, content_type, _filename(sid, start, end, tail))

    @app.get("/api/stories/{story_id}/brief.{fmt}", tags=["stories"], response_class=Response,
             summary="The story's brief as a file")
    def api_brief_download(story_id: str, fmt: str, start: str | None = None, end: str | None = None,
                           filters: dict = Depends(event_filters)):
        """The brief (`storyline brief`) of the story within `start`..`end`, as `md`, `html` or `json`,
        sent as an attachment; `type`, `status`, `actor`, `place` and `words` keep the events they keep
        in `/api/events`."""
        return brief_download(story_id, fmt, start, end, filters)

    @app.get("/api/stories/{story_id}/export.{fmt}", tags=["stories"], response_class=Response,
             summary="The story's export as a file")
    def api_export_download(story_id: str, fmt: str, start: str | None = None, end: str | None = None,
                            filters: dict = Depends(event_filters)):
        """The story's export (`storyline export`) within `start`..`end`: `json` (schema storyline/1),
        or a row per event as `csv`, `acled` or `gdelt`; sent as an attachment.  `type`, `status`,
        `actor`, `place` and `words` keep the events they keep in `/api/events`."""
        return export_download(story_id, fmt, start, end, filters)

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs():
        """The API's reference, rendered here from the OpenAPI schema (no script, nothing from a CDN)."""
        return page("api_docs.html", spec=app.openapi())

    # -- pages --------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page():
        with store() as s:
            found = query.stories(s)
        return page("stories.html", stories=found,
                    charts={x["id"]: charts.articles_per_day(x["per_day"]) for x in found})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, start: str | None = None, end: str | None = None,
                   filters: dict = Depends(event_filters), sort: str = "date", limit: int = PAGE_SIZE,
                   offset: int = 0):
        with store() as s:
            head = story_head(s, story_id, start, end)
            info = head["story"]
            found = query.events(s, story=info["id"], start=start, end=end, sort=sort, limit=limit, offset=offset,
                                 **filters)
        actor, place, words = filters["actor"], filters["place"], filters["words"]
        form = {"start": start or "", "end": end or "", "types": query.check_types(filters["types"]),
                "statuses": query.check_statuses(filters["status"]), "actor": actor or "", "place": place or "",
                "words": words or "", "sort": sort, "limit": limit}
        most = max((d["documents"] for d in info["per_day"]), default=1)
        chosen = urlencode([(k, v) for k, v in (("start", start), ("end", end), *(("type", t) for t in form["types"]),
                                                 *(("status", t) for t in form["statuses"]), ("actor", actor),
                                                 ("place", place), ("words", words)) if v])
        base = f"/stories/{quote(info['id'], safe='')}"
        downloads = {"read": f"{base}/brief" + (f"?{chosen}" if chosen else ""),
                     "brief": [(f, f"{base}/brief.{f}" + (f"?{chosen}" if chosen else "")) for f in BRIEF_FORMATS],
                     "export": [(f, f"{base}/export.{f}" + (f"?{chosen}" if chosen else "")) for f in EXPORT_FORMATS]}
        return page("story.html", story=info, events=found["events"], form=form, most=most,
                    pages=_page_links(request, offset, limit, found["total"]),
                    summary=head["summary"], summary_max=SUMMARY_MAX_EVENTS, charts=head["charts"],
                    downloads=downloads)

    @app.get("/stories/{story_id}/brief", response_class=HTMLResponse, include_in_schema=False)
    def brief_page(story_id: str, start: str | None = None, end: str | None = None,
                   filters: dict = Depends(event_filters)):
        """The brief as HTML, read in place (the download's text, under a policy of its own)."""
        return brief_download(story_id, "html", start, end, filters, disposition="inline")

    @app.get("/stories/{story_id}/brief.{fmt}", include_in_schema=False)
    def brief_file(story_id: str, fmt: str, start: str | None = None, end: str | None = None,
                   filters: dict = Depends(event_filters)):
        return brief_download(story_id, fmt, start, end, filters)

    @app.get("/stories/{story_id}/export.{fmt}", include_in_schema=False)
    def export_file(story_id: str, fmt: str, start: str | None = None, end: str | None = None,
                    filters: dict = Depends(event_filters)):
        return export_download(story_id, fmt, start, end, filters)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str):
        with store() as s:
            current = query.event_id(s, event_id)
            if current != event_id:
                return RedirectResponse(f"/events/{quote(current, safe='')}", status_code=307)
            return page("event.html", event=query.event(s, event_id))

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(doc_id: str):
        with store() as s:
            doc = query.document(s, doc_id)
        paragraphs: list[list[dict]] = []
        for sentence in doc["sentences"]:
            if not paragraphs or paragraphs[-1][0]["paragraph"] != sentence["paragraph"]:
                paragraphs.append([])
            paragraphs[-1].append(sentence)
        reported = [(sentence["index"], e) for sentence in doc["sentences"] for e in sentence["events"]]
        return page("document.html", doc=doc, paragraphs=paragraphs, reported=reported)

    @app.get("/actors/{actor_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str, limit: int = PAGE_SIZE, offset: int = 0):
        with store() as s:
            found = query.actor(s, actor_id, limit=limit, offset=offset)
        most = max((d["events"] for d in found["per_date"]), default=1)
        return page("actor.html", actor=found, most=most,
                    pages=_page_links(request, offset, limit, found["total"]))

    @app.get("/contradictions", response_class=HTMLResponse, include_in_schema=False)
    def contradictions_page(request: Request, story: str | None = None, limit: int = PAGE_SIZE, offset: int = 0):
        with store() as s:
            found = query.contradictions(s, story=story, limit=limit, offset=offset)
        return page("contradictions.html", found=found, pages=_page_links(request, offset, limit, found["total"]))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", limit: int = 20, offset: int = 0):
        found = None
        if q.strip():
            with store() as s:
                found = query.search(s, q, limit=limit, offset=offset)
        return page("search.html", q=q, found=found,
                    pages=_page_links(request, offset, limit, found["total"]) if found else None)

    return app
