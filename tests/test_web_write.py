"""``storyline serve --write``: the /add form, its token and CSRF checks, its bounds, and a real build
in the background whose articles the read-only pages then show."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline import api
from storyline.web import write

REPO = Path(__file__).resolve().parents[1]
TOKEN = "a-test-token-of-some-length"


@pytest.fixture()
def client(tmp_path):
    app = api.web_app(str(tmp_path / "new.db"), write_token=TOKEN)  # the database does not exist yet
    with TestClient(app) as c:
        c.app_state = app.state
        yield c


def signed_in(client) -> str:
    """Present the token as the printed address does; returns the form's CSRF value."""
    answer = client.get(f"/add?token={TOKEN}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/add"
    assert "httponly" in answer.headers["set-cookie"].lower() and "samesite=strict" in answer.headers["set-cookie"].lower()
    form = client.get("/add")
    assert form.status_code == 200
    return re.search(r'name="csrf" value="([0-9a-f]+)"', form.text).group(1)


def wait(client, seconds: float = 240) -> dict:
    builder = client.app_state.builder
    end = time.time() + seconds
    while builder.state["running"] and time.time() < end:
        time.sleep(0.2)
    assert not builder.state["running"], "the build did not finish"
    return builder.state


def test_no_form_without_the_write_option(tmp_path, examples_db):
    with TestClient(api.web_app(examples_db["db"])) as c:
        assert c.get("/add").status_code == 404
        assert c.post("/add", data={"urls": "https://example.org/"}).status_code in (404, 405)
        assert "/add" not in c.get("/").text


def test_the_form_needs_the_token_and_its_csrf_value(client):
    assert client.get("/add").status_code == 403
    assert client.get("/add?token=wrong").status_code == 403
    assert client.post("/add", data={"urls": "https://example.org/a"}).status_code == 403  # no cookie
    csrf = signed_in(client)
    assert 'href="/add"' in client.get("/").text  # the pages offer the form once writing is on
    # A post without the form's secret, as another site could forge, is refused even with the cookie.
    refused = client.post("/add", data={"urls": "https://example.org/a"})
    assert refused.status_code == 403 and "stale" in refused.text
    assert client.post("/add", data={"urls": "https://example.org/a", "csrf": "0" * len(csrf)}).status_code == 403
    assert client.app_state.builder.state["started"] is None  # nothing was built


def test_bad_uploads_are_refused_with_a_reason(client, monkeypatch):
    csrf = signed_in(client)
    no_link = client.post("/add", data={"csrf": csrf, "urls": "javascript:alert(1)"})
    assert no_link.status_code == 400 and "http or https" in no_link.text and "<script" not in no_link.text
    assert client.post("/add", data={"csrf": csrf, "urls": ""}).status_code == 400
    many = [("files", (f"a{k}.txt", b"Text.", "text/plain")) for k in range(write.MAX_FILES + 1)]
    assert client.post("/add", data={"csrf": csrf}, files=many).status_code == 413
    monkeypatch.setattr(write, "MAX_FILE_BYTES", 1000)
    big = client.post("/add", data={"csrf": csrf}, files=[("files", ("big.txt", b"x" * 1001, "text/plain"))])
    assert big.status_code == 413 and "big.txt" in big.text
    too_many_urls = "\n".join(f"https://example.org/{k}" for k in range(write.MAX_URLS + 1))
    assert client.post("/add", data={"csrf": csrf, "urls": too_many_urls}).status_code == 413
    assert client.app_state.builder.state["started"] is None


def test_uploaded_articles_are_built_and_shown_and_a_bad_one_is_reported(client):
    csrf = signed_in(client)
    article = (REPO / "examples" / "02-dnipro-strike-harbor-post.html").read_bytes()
    files = [("files", ("../../etc/dnipro strike.html", article, "text/html")),
             ("files", ("empty.txt", b"   \n", "text/plain"))]
    answer = client.post("/add", data={"csrf": csrf}, files=files, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/add/status"
    state = wait(client)
    assert state["error"] is None, state["error"]
    report = state["report"]
    assert report["added"] == 1 and report["events"] > 0
    assert len(report["skipped"]) == 1 and "empty" in report["skipped"][0]["what"]
    status = client.get("/add/status").text
    assert "1 added" in status and "1 skipped" in status and 'http-equiv="refresh"' not in status
    found = client.get("/api/search", params={"q": "Dnipro"}).json()
    assert found["total"] > 0  # the read-only pages see what the build stored
    events = client.get("/api/events", params={"words": "Dnipro"}).json()
    assert events["total"] > 0


def test_the_status_page_refreshes_while_a_build_runs(client, monkeypatch):
    csrf = signed_in(client)
    started = []

    def slow_build(paths, db, **kw):
        started.append(paths)
        time.sleep(1.0)
        raise RuntimeError("the spaCy model is missing")

    monkeypatch.setattr(api, "build", slow_build)
    assert client.post("/add", data={"csrf": csrf, "urls": "https://example.org/news"},
                       follow_redirects=False).status_code == 303
    running = client.get("/add/status").text
    assert 'http-equiv="refresh"' in running and "0 of 1 inputs" in running
    busy = client.post("/add", data={"csrf": csrf, "urls": "https://example.org/other"})
    assert busy.status_code == 409
    state = wait(client)
    assert started == [["https://example.org/news"]]
    assert "spaCy model is missing" in client.get("/add/status").text and state["report"] is None


def test_serve_write_prints_a_token_address_that_opens_the_form(tmp_path):
    import os
    import subprocess
    import sys

    import httpx

    from helpers import free_port

    port = free_port()
    db = tmp_path / "fresh.db"
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--write", "--db", str(db),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/add", timeout=2).status_code == 403
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    address = re.search(r"http://127\.0\.0\.1:\d+/add\?token=(\S+)", err)
    from storyline.store import exists
    assert address and len(address.group(1)) >= 24 and exists(str(db))  # a fresh database was created
