"""``storyline serve --write``: a form to add files, URLs or feeds, built in the background.

Only a browser that presented the token printed when the server started may
add anything: ``/add?token=...`` trades the token for a cookie the browser
sends back only to this site's own requests (HttpOnly, SameSite=Strict), and
the form carries a second secret derived from it, checked on every post
(CSRF).  Uploads are bounded in number and size before anything is kept;
URLs must be http or https, and are fetched by ``build`` under the same
bounds as on the command line (no private addresses, a size cap).  One build
runs at a time, in a thread; the status page refreshes itself (a meta
refresh, no script) until the build is done, then shows its report.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

MAX_FILES = 20                    # files in one upload
MAX_FILE_BYTES = 20 * 1024 * 1024  # one uploaded file (the size cap of one article)
MAX_REQUEST_BYTES = 100 * 1024 * 1024
MAX_URLS = 50
COOKIE = "storyline_write"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class Builder:
    """One background build at a time, and what the last one did."""

    def __init__(self, db: str):
        self.db = db
        self.lock = threading.Lock()
        self.state: dict = {"running": False, "inputs": 0, "done": 0, "linking": False, "report": None,
                            "error": None, "started": None, "finished": None}

    def start(self, paths: list[str], folder: str) -> bool:
        """Build ``paths`` in a thread (False, and nothing started, when a build is running); ``folder``
        (the uploads) is removed when it ends."""
        with self.lock:
            if self.state["running"]:
                return False
            self.state = {"running": True, "inputs": len(paths), "done": 0, "linking": False, "report": None,
                          "error": None, "started": time.time(), "finished": None}
        threading.Thread(target=self._run, args=(paths, folder), daemon=True).start()
        return True

    def _run(self, paths: list[str], folder: str) -> None:
        from .. import api

        def progress(done: int) -> None:
            if done < 0:
                self.state["linking"] = True
            else:
                self.state["done"] = done

        try:
            report = api.build(paths, db=self.db, progress=False, on_progress=progress)
            self.state["report"] = {
                "added": report.added, "revisions": report.revisions, "unchanged": report.unchanged,
                "skipped": [{"what": str(s.origin), "why": s.reason} for s in report.skipped],
                "events": report.events, "contradictions": report.contradictions}
        except Exception as exc:  # a setup error (the model, the database): shown, never a dead thread
            self.state["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self.state.update(running=False, finished=time.time())


def _safe_name(name: str | None, k: int) -> str:
    """A file name of our own making that keeps the upload's extension (the reader goes by it)."""
    base = Path(name or "").name
    stem, dot, ext = base.rpartition(".")
    ext = _SAFE_NAME.sub("", ext)[:10].lower() if dot else "txt"
    return f"{k:03d}-{_SAFE_NAME.sub('_', stem or base)[:60] or 'upload'}.{ext or 'txt'}"


def add_write_routes(app: FastAPI, db: str, token: str, page, error) -> Builder:
    """The /add form, its post and /add/status on ``app``; ``page`` renders a template, ``error`` an
    error page."""
    builder = Builder(db)
    csrf = hmac.new(token.encode(), b"storyline add form", hashlib.sha256).hexdigest()

    def allowed(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), token)

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_form(request: Request):
        given = request.query_params.get("token")
        if given is not None:
            if not hmac.compare_digest(given, token):
                return error(request, 403, "wrong token: use the address storyline serve printed")
            answer = RedirectResponse("/add", status_code=303)  # the token leaves the address bar
            answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/add")
            return answer
        if not allowed(request):
            return error(request, 403, "adding articles needs the token storyline serve printed at start-up")
        return page("add.html", csrf=csrf, max_files=MAX_FILES, max_mb=MAX_FILE_BYTES // (1024 * 1024),
                    max_urls=MAX_URLS, build=builder.state)

    @app.post("/add", include_in_schema=False)
    async def add(request: Request) -> Response:
        if not allowed(request):
            return error(request, 403, "adding articles needs the token storyline serve printed at start-up")
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > MAX_REQUEST_BYTES:
            return error(request, 413, f"an upload may hold at most {MAX_REQUEST_BYTES // (1024 * 1024)} MB")
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=10)
        except Exception as exc:  # too many files or fields, or a malformed body
            return error(request, 413 if "Too many" in str(exc) else 400, f"the form could not be read: {exc}")
        try:
            if not hmac.compare_digest(str(form.get("csrf", "")), csrf):
                return error(request, 403, "the form is stale or came from another site: reload /add")
            urls = [u.strip() for u in str(form.get("urls", "")).splitlines() if u.strip()]
            if len(urls) > MAX_URLS:
                return error(request, 413, f"at most {MAX_URLS} addresses at a time")
            from .app import safe_url

            bad = [u for u in urls if safe_url(u) is None]
            if bad:
                return error(request, 400, f"not an http or https address: {bad[0][:200]}")
            files = [f for f in form.getlist("files") if hasattr(f, "read") and (f.filename or f.size)]
            if not files and not urls:
                return error(request, 400, "give at least one file or address")
            folder = tempfile.mkdtemp(prefix="storyline-upload-")
            paths = []
            for k, upload in enumerate(files):
                data = await upload.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    shutil.rmtree(folder, ignore_errors=True)
                    return error(request, 413, f"{upload.filename or 'a file'} is over "
                                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB")
                path = Path(folder) / _safe_name(upload.filename, k)
                path.write_bytes(data)
                paths.append(str(path))
        finally:
            await form.close()
        if not builder.start(paths + urls, folder):
            shutil.rmtree(folder, ignore_errors=True)
            return error(request, 409, "a build is already running: wait for it on /add/status")
        return RedirectResponse("/add/status", status_code=303)

    @app.get("/add/status", response_class=HTMLResponse, include_in_schema=False)
    def add_status(request: Request):
        if not allowed(request):
            return error(request, 403, "adding articles needs the token storyline serve printed at start-up")
        return page("add_status.html", build=builder.state)

    return builder
