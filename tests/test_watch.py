"""``storyline watch`` against a real feed server on 127.0.0.1 that changes between polls.

The server serves an RSS feed whose items link to article pages on the same
server (the bundled examples' HTML pages), answers If-None-Match with 304 and
records every request, so each test can say which pages a poll fetched.  The
feed's summaries differ from the pages, so a stored text shows where it came
from.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.server
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storyline import api, cli
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PAGES = {  # path on the server -> (example page, a sentence of its article text)
    "/news/dnipro-harbor.html": ("02-dnipro-strike-harbor-post.html",
                                 "Rescue crews worked into the night to search the rubble."),
    "/news/dnipro-lantern.html": ("03-dnipro-strike-lantern-daily.html",
                                  "Flags were lowered across the city, and entertainment events were cancelled."),
    "/news/anchorage.html": ("06-anchorage-summit-no-deal-harbor-post.html",
                             "opened with a red-carpet welcome on the tarmac"),
}
GUID = "tag:wire.example,2025:"  # the feed's guids: this, then the item's name
POLL_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ poll (\d+): ", re.M)


class FeedServer:
    """An RSS feed and its article pages; ``items`` (guid, path) can change between polls."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.pages: dict[str, tuple[int, str, bytes]] = {
            path: (200, "text/html; charset=utf-8", (EXAMPLES / name).read_bytes())
            for path, (name, _) in PAGES.items()}
        self.requests: list[tuple[str, str | None]] = []  # (path, If-None-Match)
        self.honour_etag = True
        self.held: threading.Event | None = None  # when set up, page requests wait for it
        self.page_asked = threading.Event()
        self.lock = threading.Lock()

    def feed(self) -> bytes:
        entries = "".join(
            f"<item><title>Item {guid}</title><link>{self.base}{path}</link><guid isPermaLink='false'>{GUID}{guid}</guid>"
            f"<pubDate>Wed, 25 Jun 2025 08:00:00 GMT</pubDate>"
            f"<description>Feed summary of {guid} only, not the article.</description></item>"
            for guid, path in self.items)
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test wire</title>'
                f"<link>{self.base}/</link><description>Test</description>{entries}</channel></rss>").encode()

    def page_paths(self) -> list[str]:
        """The paths of the article pages asked for so far, in order."""
        with self.lock:
            return [p for p, _ in self.requests if p != "/feed.xml"]

    def feed_requests(self) -> list[str | None]:
        """The If-None-Match header of each feed request so far."""
        with self.lock:
            return [tag for p, tag in self.requests if p == "/feed.xml"]


def _handler(state: FeedServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            tag = self.headers.get("If-None-Match")
            with state.lock:
                state.requests.append((self.path, tag))
            if self.path == "/feed.xml":
                body = state.feed()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if state.honour_etag and tag == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._send(200, "application/rss+xml", body, etag)
            elif self.path in state.pages:
                state.page_asked.set()
                if state.held is not None:
                    state.held.wait(30)
                self._send(*state.pages[self.path])
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status, ctype, body, etag=None):
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Last-Modified", email.utils.formatdate(usegmt=True))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def server():
    state = FeedServer()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    srv.daemon_threads = True
    state.base = f"http://127.0.0.1:{srv.server_address[1]}"
    state.url = f"{state.base}/feed.xml"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield state
    if state.held is not None:
        state.held.set()
    srv.shutdown()
    srv.server_close()


def _texts(db: str) -> dict[str, str]:
    """Stored document text by URL (the pages' canonical URLs)."""
    with Store(db) as store:
        return {d.url: d.text for d in store.documents(current_only=False)}


def _watch(server: FeedServer, db: str, *extra: str) -> list[str]:
    return ["watch", server.url, "--db", db, "--allow-private", *extra]


def test_polls_store_the_pages_then_304_then_only_the_new_item_and_a_restart_resumes(server, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    server.items = [("dnipro-1", "/news/dnipro-harbor.html"), ("dnipro-2", "/news/dnipro-lantern.html")]
    seen = []

    def between(poll):
        seen.append((poll.number, len(server.page_paths()), poll))
        if poll.number == 2:
            server.items.append(("summit", "/news/anchorage.html"))

    report = api.watch([server.url], db=db, every=0.05, polls=3, allow_private=True, on_poll=between)
    assert report.ok and report.polls == 3 and not report.interrupted
    # Poll 1 fetched the feed and both pages; poll 2 got a 304 and fetched nothing; poll 3 only the new page.
    assert server.page_paths() == ["/news/dnipro-harbor.html", "/news/dnipro-lantern.html", "/news/anchorage.html"]
    assert [n for n, _, _ in seen] == [1, 2, 3] and [k for _, k, _ in seen] == [2, 2, 3]
    tags = server.feed_requests()
    assert tags[0] is None and tags[1] is not None and tags[2] == tags[1]
    polls = [p for _, _, p in seen]
    assert [(p.not_modified, p.new, p.stored, p.skipped) for p in polls] == [(0, 2, 2, 0), (1, 0, 0, 0), (0, 1, 1, 0)]
    assert polls[2].events > 0 and polls[0].next_at is not None and polls[2].next_at is None

    texts = _texts(db)
    assert len(texts) == 3
    for _, sentence in PAGES.values():
        assert sum(sentence in t for t in texts.values()) == 1, sentence
    assert not any("Feed summary" in t for t in texts.values())
    with Store(db) as store:
        assert not store.needs_link()
        assert {k: r["status"] for k, r in store.watched_items(server.url).items()} == {
            f"{GUID}dnipro-1": "stored", f"{GUID}dnipro-2": "stored", f"{GUID}summit": "stored"}

    # A new watch on the same database: the feed's validator is remembered (304), and even when
    # the server ignores it, no item already stored is fetched again.
    capsys.readouterr()
    assert cli.main(_watch(server, db, "--polls", "1")) == 0
    assert server.feed_requests()[-1] not in (None, tags[-1])  # the ETag poll 3 was given
    assert "(1 not modified)" in capsys.readouterr().err and len(server.page_paths()) == 3
    server.honour_etag = False
    assert cli.main(_watch(server, db, "--polls", "2", "--every", "1s")) == 0
    err = capsys.readouterr().err
    assert len(server.page_paths()) == 3 and len(_texts(db)) == 3
    assert [int(n) for n in POLL_LINE.findall(err)] == [1, 2]  # one line per poll, and nothing else
    assert len(err.strip().splitlines()) == 2, err
    assert "0 new items, 0 retried, 0 stored, 0 skipped" in err.splitlines()[-1]
    assert err.splitlines()[-1].endswith("; last poll")


def test_a_broken_page_is_one_message_retried_next_poll_then_given_up(server, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    server.pages["/news/broken.html"] = (500, "text/plain", b"server error")
    server.pages["/news/huge.html"] = (200, "text/html", b"<html><body><p>" + b"word " * 40_000 + b"</p></body></html>")
    server.items = [("good", "/news/dnipro-harbor.html"), ("broken", "/news/broken.html"),
                    ("huge", "/news/huge.html")]
    rc = cli.main(_watch(server, db, "--polls", "2", "--every", "1s", "--max-mb", "0.05"))
    err = capsys.readouterr().err
    assert rc == 2
    skipped = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {server.base}/news/broken.html: HTTP 500 (attempt 1 of 3; tried again next poll)",
        f"skipped {server.base}/news/huge.html: response larger than the 52428 bytes cap (attempt 1 of 3; tried again next poll)",
        f"skipped {server.base}/news/broken.html: HTTP 500 (attempt 2 of 3; tried again next poll)",
        f"skipped {server.base}/news/huge.html: response larger than the 52428 bytes cap (attempt 2 of 3; tried again next poll)",
    ]
    # The good item is stored once; the broken ones were asked for again on poll 2 though the feed was a 304.
    assert server.page_paths().count("/news/dnipro-harbor.html") == 1
    assert server.page_paths().count("/news/broken.html") == 2
    assert server.feed_requests()[1] is not None
    assert list(_texts(db)) == ["https://harborpost.example/world/2025/06/25/dnipro-missile-strike-17-killed"]
    assert [int(n) for n in POLL_LINE.findall(err)] == [1, 2]
    assert "1 stored, 2 skipped" in POLL_LINE.split(err)[2] and "0 stored, 2 skipped" in POLL_LINE.split(err)[4]

    # The server mends one page: the third attempt stores it; the other is given up and never asked again.
    server.pages["/news/broken.html"] = (200, "text/html; charset=utf-8",
                                         (EXAMPLES / "03-dnipro-strike-lantern-daily.html").read_bytes())
    assert cli.main(_watch(server, db, "--polls", "1", "--max-mb", "0.05")) == 2
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("skipped ")] == [
        f"skipped {server.base}/news/huge.html: response larger than the 52428 bytes cap (attempt 3 of 3; given up)"]
    assert len(_texts(db)) == 2
    asked = len(server.page_paths())
    assert cli.main(_watch(server, db, "--polls", "1", "--max-mb", "0.05")) == 0
    assert len(server.page_paths()) == asked


def test_items_without_a_usable_link_are_reported_once_each(server, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    feed = tmp_path / "local.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        "<item><title>No link</title><guid isPermaLink='false'>a</guid><description>Only a summary.</description></item>"
        "<item><title>A file</title><link>file:///etc/passwd</link><description>Sneaky.</description></item>"
        "<item><title>A path</title><link>/etc/passwd</link><description>Sneaky too.</description></item>"
        f"<item><title>Good</title><link>{server.base}/news/anchorage.html</link>"
        "<description>Summary.</description></item></channel></rss>", encoding="utf-8")
    # A feed file works as well: it is read again on each poll, and an unchanged file is "not modified".
    rc = cli.main(["watch", str(feed), "--db", db, "--allow-private", "--polls", "2", "--every", "1s"])
    err = capsys.readouterr().err
    assert rc == 2
    lines = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert lines[0] == (f"skipped {feed}#1: the feed item has no link to an article page "
                        "(attempt 1 of 3; tried again next poll)")
    for line, link in ((lines[1], "file:"), (lines[2], "/etc/passwd")):
        # Never read as a path: a feed must not make the watcher read this machine's files.
        assert line.startswith(f"skipped {feed}#{lines.index(line) + 1}: the feed item's link is not an "
                               f"http(s) URL: {link}"), line
        assert line.endswith("(attempt 1 of 3; tried again next poll)")
    assert len(lines) == 6  # each tried again on poll 2
    assert server.page_paths() == ["/news/anchorage.html"]
    assert "(1 not modified)" in POLL_LINE.split(err)[4]  # split() keeps the poll numbers: 1, its rest, 2, ...
    assert not any("root:" in t for t in _texts(db).values())


def test_bad_every_and_polls_are_usage_errors(capsys):
    for bad in (["--every", "0s"], ["--every=-5m"], ["--every", "soon"], ["--every", "15"], ["--every", "1h-"],
                ["--polls", "0"], ["--polls", "-1"]):
        with pytest.raises(SystemExit) as exit_:
            cli.main(["watch", "http://127.0.0.1:9/feed", *bad])
        err = capsys.readouterr().err
        assert exit_.value.code == 2, bad
        assert len([line for line in err.splitlines() if "error:" in line]) == 1, err
        assert len(err.strip().splitlines()) == 2 and err.startswith("usage: storyline watch"), err
    with pytest.raises(ValueError):
        api.watch(["x"], every=0)
    with pytest.raises(ValueError):
        api.watch(["x"], polls=0)


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("15m", 900), ("1h", 3600), ("1h30m", 5400),
                                           ("2h5m10s", 7510), (" 90S ", 90)])
def test_every_reads_durations(text, seconds):
    from storyline.watch import parse_every

    assert parse_every(text) == seconds


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child before it runs: Ctrl-C as a terminal delivers it.  A test run started in the background
    of a non-interactive shell ignores SIGINT, and a child would inherit that and never see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(server: FeedServer, db: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "storyline.cli", *_watch(server, db, "--every", "1h")],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_ctrl_c_as_in_a_terminal)


def _line_with(proc: subprocess.Popen, pattern: re.Pattern, timeout: float) -> str:
    """The first stderr line of ``proc`` matching ``pattern``, read within ``timeout`` seconds."""
    found: list[str] = []

    def read() -> None:
        for line in proc.stderr:
            if pattern.search(line):
                found.append(line)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f"no line matching {pattern.pattern} within {timeout} s"
    return found[0]


def test_ctrl_c_while_sleeping_stops_at_once_and_the_database_is_usable(server, tmp_path):
    db = str(tmp_path / "w.db")
    server.items = [("dnipro-1", "/news/dnipro-harbor.html"), ("summit", "/news/anchorage.html")]
    proc = _start(server, db)
    try:
        first = _line_with(proc, POLL_LINE, 180)
        assert "2 stored, 0 skipped" in first and "next poll at" in first
        proc.send_signal(signal.SIGINT)
        began = time.monotonic()
        rc = proc.wait(20)
        took = time.monotonic() - began
        rest = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rc == 0 and took < 10, (rc, took, rest)
    assert rest.strip().splitlines() == [
        f"stopped after 1 polls: 2 stored, 0 skipped; what was stored is kept in {db} and the next watch resumes"]
    assert "Traceback" not in rest
    with Store(db) as store:
        assert len(store.document_ids()) == 2 and not store.needs_link()
    assert "Dnipro" in api.timeline(db=db)


def test_ctrl_c_during_a_poll_keeps_whole_documents_and_the_next_watch_fetches_the_rest(server, tmp_path, capsys):
    db = str(tmp_path / "w.db")
    server.items = [("dnipro-1", "/news/dnipro-harbor.html")]
    assert cli.main(_watch(server, db, "--polls", "1")) == 0
    server.items.append(("summit", "/news/anchorage.html"))
    server.held, server.page_asked = threading.Event(), threading.Event()
    proc = _start(server, db)
    try:
        assert server.page_asked.wait(180), "the new page was never asked for"
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(20)
        rest = proc.stderr.read()
    finally:
        server.held.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rc == 0, rest
    assert rest.strip().splitlines() == [
        f"stopped during poll 1: 0 stored, 0 skipped; what was stored is kept in {db} and the next watch resumes"]
    with Store(db) as store:
        assert len(store.document_ids()) == 1
        assert set(store.watched_items(server.url)) == {f"{GUID}dnipro-1"}  # the page in flight is not marked seen
    server.held = None
    capsys.readouterr()
    assert cli.main(_watch(server, db, "--polls", "1")) == 0
    assert server.page_paths().count("/news/anchorage.html") == 2
    assert server.page_paths().count("/news/dnipro-harbor.html") == 1
    assert len(_texts(db)) == 2
