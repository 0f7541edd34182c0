"""The fetcher's total deadline, against a real HTTP server on the loopback interface.

The servers here misbehave on purpose: they drip a byte at a time, in the
body or in the headers, or redirect slowly in a circle.  Each fetch must give
up close to its deadline whatever the server does between reads.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from storyline import cli, fetch
from storyline.fetch import FetchError, Fetcher

DRIP_EVERY = 0.3  # seconds between bytes; well under the tests' one-second read timeout
TAG, MODIFIED = '"v1"', "Sun, 06 Dec 2026 10:00:00 GMT"
CONDITIONS: list[tuple[str | None, str | None]] = []  # (If-None-Match, If-Modified-Since) of each /tagged request


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's naming
        stop = self.server.stop
        try:
            if self.path == "/small":
                body = b"<html><body><p>Small and whole.</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/tagged":
                # A resource with validators: 304 when the client's copy is current.
                CONDITIONS.append((self.headers.get("If-None-Match"),
                                               self.headers.get("If-Modified-Since")))
                current = (self.headers.get("If-None-Match") == TAG
                           or self.headers.get("If-Modified-Since") == MODIFIED)
                self.send_response(304 if current else 200)
                self.send_header("ETag", TAG)
                self.send_header("Last-Modified", MODIFIED)
                body = b"" if current else b"<html><body><p>Tagged.</p></body></html>"
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/always-304":
                self.send_response(304)
                self.end_headers()
            elif self.path == "/drip":
                # Headers at once, then a body that never ends, one byte at a time.
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                while not stop.wait(DRIP_EVERY):
                    self.wfile.write(b"x")
            elif self.path == "/drip-headers":
                # Header lines that never end: httpx reads these without returning to us.
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n")
                while not stop.wait(DRIP_EVERY):
                    self.wfile.write(b"X")
            elif self.path == "/slow-circle":
                # Every hop is quick enough for the read timeout; the circle is not.
                stop.wait(0.8)
                self.send_response(302)
                self.send_header("Location", "/slow-circle")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/silent":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "10")
                self.end_headers()
                stop.wait(10)
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as it should

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.stop = threading.Event()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.stop.set()
    srv.shutdown()
    srv.server_close()


def _gives_up(fetcher: Fetcher, url: str) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(FetchError) as failed:
        fetcher.get(url)
    return str(failed.value), time.monotonic() - start


def test_dripping_body_gives_up_at_the_deadline(server):
    message, took = _gives_up(Fetcher(allow_private=True, deadline=2, timeout=1), f"{server}/drip")
    assert message == "gave up after 2 s (server too slow)"
    assert 1.9 <= took < 3.5, took


def test_dripping_headers_give_up_at_the_deadline(server):
    message, took = _gives_up(Fetcher(allow_private=True, deadline=2, timeout=1), f"{server}/drip-headers")
    assert message == "gave up after 2 s (server too slow)"
    assert 1.9 <= took < 3.5, took


def test_slow_redirects_count_against_one_deadline(server):
    fetcher = Fetcher(allow_private=True, deadline=2, timeout=1, max_redirects=20)
    message, took = _gives_up(fetcher, f"{server}/slow-circle")
    assert message == "gave up after 2 s (server too slow)"
    assert 1.9 <= took < 3.5, took


def test_read_timeout_still_applies_within_the_deadline(server):
    message, took = _gives_up(Fetcher(allow_private=True, deadline=30, timeout=1), f"{server}/silent")
    assert message == "timed out after 1 s"
    assert took < 3, took


def test_silent_server_past_a_short_deadline_is_reported_as_the_deadline(server):
    message, took = _gives_up(Fetcher(allow_private=True, deadline=1, timeout=5), f"{server}/silent")
    assert message == "gave up after 1 s (server too slow)"
    assert took < 2.5, took


def test_small_response_comes_back_whole(server):
    got = Fetcher(allow_private=True, deadline=2, timeout=1).get(f"{server}/small")
    assert got.body == b"<html><body><p>Small and whole.</p></body></html>"
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert got.url == f"{server}/small"


def test_conditional_get_reports_304_and_the_validators(server):
    fetcher = Fetcher(allow_private=True)
    first = fetcher.get(f"{server}/tagged")
    assert first.status == 200 and b"Tagged." in first.body
    assert (first.etag, first.last_modified) == (TAG, MODIFIED)
    again = fetcher.get(f"{server}/tagged", etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304 and again.body == b"" and again.etag == TAG
    by_date = fetcher.get(f"{server}/tagged", last_modified=MODIFIED)
    assert by_date.status == 304
    assert fetcher.get(f"{server}/tagged", etag='"old"').status == 200
    assert CONDITIONS[-4:] == [(None, None), (TAG, MODIFIED), (None, MODIFIED), ('"old"', None)]


def test_a_304_to_an_unconditional_get_is_an_error(server):
    # Only a conditional request may be answered "not modified": otherwise there is nothing to read.
    with pytest.raises(FetchError, match="HTTP 304"):
        Fetcher(allow_private=True).get(f"{server}/always-304")


def test_default_deadline_is_read_when_the_fetcher_is_made(monkeypatch):
    assert Fetcher().deadline == fetch.DEFAULT_DEADLINE == 60
    monkeypatch.setattr(fetch, "DEFAULT_DEADLINE", 2.5)
    assert Fetcher().deadline == 2.5
    assert Fetcher(deadline=7).deadline == 7


def test_build_skips_a_dripping_url(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(fetch, "DEFAULT_DEADLINE", 2.0)
    url = f"{server}/drip"
    start = time.monotonic()
    rc = cli.main(["build", url, "--db", str(tmp_path / "drip.db"), "-q", "--allow-private"])
    took = time.monotonic() - start
    assert rc == 2
    skipped = [line for line in capsys.readouterr().err.splitlines() if line.startswith("skipped")]
    assert skipped == [f"skipped {url}: gave up after 2 s (server too slow)"]
    assert took < 15, took
