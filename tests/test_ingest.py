"""Ingestion against real files and a real (local) HTTP server."""

from __future__ import annotations

import http.server
import json
import os
import socket
import threading

import pytest

from storyline.fetch import FetchError, Fetcher, is_public_address
from storyline.ingest import count_inputs, iter_inputs
from storyline.model import RawDoc, Skip

from helpers import SEEDS


TXT_ARTICLE = """Harbour bridge reopens after winter repairs

The swing bridge over the Ness estuary reopened to traffic on Monday morning,
four months after engineers closed it to replace corroded cables.

The county council said the work had cost about 2.4 million pounds.
"""

PARA = (
    "<p>Volunteers at the Lindholm seed library counted more than three thousand "
    "packets returned this spring, the highest number since the library opened in "
    "a former railway waiting room. Organisers said tomato and bean varieties were "
    "the most popular, and that a second branch may open next year.</p>"
)
HTML_ARTICLE = f"""<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Seed library has record spring | Valley Courier</title>
<meta property="article:published_time" content="2024-04-18T09:15:00+02:00">
<meta property="og:site_name" content="Valley Courier">
<meta property="og:title" content="Seed library has record spring">
<link rel="canonical" href="https://courier.example/local/seed-library-record">
</head><body>
<nav><a href="/">Home</a> <a href="/local">Local</a></nav>
<article><h1>Seed library has record spring</h1>{PARA}{PARA.replace("spring", "season")}</article>
<footer>Valley Courier, all rights reserved</footer>
</body></html>
"""

RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Northshore Gazette</title>
<link>https://gazette.example/</link>
<description>Local news</description>
<item>
  <title>Ferry timetable changes from May</title>
  <link>https://gazette.example/ferry-timetable</link>
  <pubDate>Tue, 02 Apr 2024 18:30:00 +0100</pubDate>
  <description>&lt;p&gt;The island ferry will run &lt;b&gt;two extra&lt;/b&gt; crossings on weekdays.&lt;/p&gt;&lt;p&gt;Fares stay the same.&lt;/p&gt;</description>
</item>
<item>
  <title>Library hours extended</title>
  <link>https://gazette.example/library-hours</link>
  <pubDate>Wed, 03 Apr 2024 08:00:00 +0000</pubDate>
  <description>The town library will stay open until 8pm on Thursdays.</description>
</item>
</channel></rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Ridge Weather Desk</title>
  <id>urn:example:ridge</id>
  <updated>2024-01-10T12:00:00Z</updated>
  <entry>
    <title>Snow closes the upper pass road</title>
    <link href="https://ridge.example/pass-closed"/>
    <id>urn:example:ridge:1</id>
    <published>2024-01-09T22:10:00-05:00</published>
    <updated>2024-01-10T07:00:00Z</updated>
    <content type="html">&lt;p&gt;Heavy snow closed the upper pass road overnight.&lt;/p&gt;</content>
  </entry>
</feed>
"""

EMPTY_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Quiet Feed</title><link>https://q.example/</link>
<description>nothing yet</description></channel></rss>
"""


def docs(items):
    return [i for i in items if isinstance(i, RawDoc)]


def skips(items):
    return [i for i in items if isinstance(i, Skip)]


def only(items, kind):
    assert len(items) == 1, items
    assert isinstance(items[0], kind), items[0]
    return items[0]


# -- local files ------------------------------------------------------------


def test_txt_keeps_title_line_in_text(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text("\n\n" + TXT_ARTICLE, encoding="utf-8")
    doc = only(list(iter_inputs([str(path)])), RawDoc)
    assert doc.title == "Harbour bridge reopens after winter repairs"
    assert doc.text.lstrip().startswith(doc.title)
    assert "2.4 million pounds" in doc.text
    assert doc.fmt == "txt" and doc.path == str(path.resolve()) and doc.origin == str(path)
    assert doc.published is None and doc.published_from == "none"


def test_html_uses_page_metadata(tmp_path):
    path = tmp_path / "seed.html"
    path.write_text(HTML_ARTICLE, encoding="utf-8")
    doc = only(list(iter_inputs([str(path)])), RawDoc)
    assert doc.fmt == "html"
    assert doc.title == "Seed library has record spring"
    assert doc.source == "Valley Courier"
    assert doc.url == "https://courier.example/local/seed-library-record"
    assert doc.published == "2024-04-18" and doc.published_from == "html"
    assert "three thousand packets" in doc.text
    assert "all rights reserved" not in doc.text
    assert doc.html and "<article>" in doc.html


def test_short_html_page_is_not_lost(tmp_path):
    path = tmp_path / "brief.htm"
    path.write_text("<html><body><div>Ferry cancelled.</div></body></html>", encoding="utf-8")
    doc = only(list(iter_inputs([str(path)])), RawDoc)
    assert "Ferry cancelled." in doc.text


def test_html_without_text_is_skipped(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>")
    assert "no text" in only(list(iter_inputs([str(path)])), Skip).reason


def test_jsonl_keeps_good_lines_around_a_malformed_one(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": 7, "url": "https://a.example/1", "source": "Alpha News",
                    "published": "2025-06-25T10:00:00Z", "text": "Dam inspection finished\nNo faults found."}),
        '{"id": "8", "text": "unterminated',
        "",
        json.dumps({"id": "9", "title": "Market day", "published": "June 2025", "text": "Stalls return to the square.",
                    "file": "ignored.txt"}),
        json.dumps({"id": "10", "html": f"<html><body>{PARA}</body></html>", "published": "2024-05-01"}),
        json.dumps({"id": "11", "title": "nothing here"}),
        json.dumps({"id": "12", "text": "   "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(iter_inputs([str(path)]))
    good = docs(out)
    assert [d.external_id for d in good] == ["7", "9", "10"]
    first = good[0]
    assert first.published == "2025-06-25" and first.published_from == "metadata"
    assert first.title == "Dam inspection finished" and first.source == "Alpha News"
    assert first.origin == f"{path}:1" and first.fmt == "jsonl"
    assert good[1].published == "June 2025" and good[1].title == "Market day"
    assert "seed library" in good[2].text and good[2].published == "2024-05-01"
    bad = {s.origin: s.reason for s in skips(out)}
    assert bad[f"{path}:2"].startswith("malformed JSON:")
    assert "neither" in bad[f"{path}:6"]
    assert "empty" in bad[f"{path}:7"]
    assert len(bad) == 3


def test_json_list_and_articles_wrapper(tmp_path):
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}, "oops"]))
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"text": "Three.", "published": "2024-02-29"}]}))
    out = list(iter_inputs([str(listed), str(wrapped)]))
    assert [d.text for d in docs(out)] == ["One.", "Two.", "Three."]
    assert docs(out)[2].published == "2024-02-29"
    assert only(skips(out), Skip).origin == f"{listed}[2]"


def test_rss_file(tmp_path):
    path = tmp_path / "gazette.rss"
    path.write_text(RSS_FEED, encoding="utf-8")
    out = docs(iter_inputs([str(path)]))
    assert [d.title for d in out] == ["Ferry timetable changes from May", "Library hours extended"]
    ferry = out[0]
    assert ferry.fmt == "feed" and ferry.source == "Northshore Gazette"
    assert ferry.url == "https://gazette.example/ferry-timetable"
    assert ferry.published == "2024-04-02" and ferry.published_from == "metadata"
    assert ferry.text == "The island ferry will run two extra crossings on weekdays.\nFares stay the same."


def test_atom_file_found_by_sniffing(tmp_path):
    # The extension says nothing; the <feed> root element does.
    path = tmp_path / "weather.feed"
    path.write_text(ATOM_FEED, encoding="utf-8")
    doc = only(docs(iter_inputs([str(path)])), RawDoc)
    assert doc.title == "Snow closes the upper pass road"
    assert doc.url == "https://ridge.example/pass-closed"
    assert doc.published == "2024-01-09"  # the publisher's day, not UTC's
    assert doc.text == "Heavy snow closed the upper pass road overnight."
    assert doc.source == "Ridge Weather Desk"


def test_feed_with_no_items(tmp_path):
    path = tmp_path / "quiet.xml"
    path.write_text(EMPTY_FEED)
    assert only(list(iter_inputs([str(path)])), Skip).reason == "feed has no items"


def test_folder_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second\nbody")
    (tmp_path / "a.txt").write_text("First\nbody")
    (tmp_path / ".secret.txt").write_text("Hidden\nbody")
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden too")
    (tmp_path / "notes.md").write_text("Not an input")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    out = list(iter_inputs([str(tmp_path)]))
    assert [d.title for d in docs(out)] == ["First", "Second"]
    assert skips(out) == []
    assert count_inputs([str(tmp_path)]) == 2


def test_glob_and_explicit_unknown_extension(tmp_path):
    (tmp_path / "one.txt").write_text("Alpha\ntext")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.txt").write_text("Beta\ntext")
    notes = tmp_path / "notes.md"
    notes.write_text("Gamma\ntext")
    out = list(iter_inputs([str(tmp_path / "**" / "*.txt"), str(notes), str(tmp_path / "*.nothing")]))
    assert [d.title for d in docs(out)] == ["Alpha", "Beta", "Gamma"]
    assert only(skips(out), Skip).reason == "no files match this pattern"


# -- bad local input --------------------------------------------------------


def test_missing_path():
    item = only(list(iter_inputs(["/definitely/not/here.txt"])), Skip)
    assert item == Skip("/definitely/not/here.txt", "no such file or folder")


def test_empty_and_whitespace_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    out = list(iter_inputs([str(tmp_path)]))
    assert [s.reason for s in out] == ["empty file", "empty file"]


def test_binary_file(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert only(list(iter_inputs([str(path)])), Skip).reason == "binary file, not text"
    explicit = tmp_path / "blob.dat"
    explicit.write_bytes(bytes(range(1, 32)) * 50)  # no NULs, still not text
    assert only(list(iter_inputs([str(explicit)])), Skip).reason == "binary file, not text"


def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    # à and ï are where cp1252 and its look-alikes (cp1250) disagree.
    text = "Café owners protest\nThe mayor’s plan to close the café terrace is naïve, résidents said. Déjà vu.\n"
    path.write_bytes(text.encode("cp1252"))
    doc = only(list(iter_inputs([str(path)])), RawDoc)
    assert doc.text == text and doc.title == "Café owners protest"


def test_non_western_legacy_text_still_decodes(tmp_path):
    path = tmp_path / "pl.txt"
    text = "Zażółć gęślą jaźń. Łódź przyjęła nową ustawę o transporcie.\n"
    path.write_bytes(text.encode("cp1250"))
    assert only(list(iter_inputs([str(path)])), RawDoc).text == text


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Secret\ntext")
    path.chmod(0)
    try:
        assert only(list(iter_inputs([str(path)])), Skip).reason == "cannot read file: permission denied"
    finally:
        path.chmod(0o644)


def test_latin1_html_with_declared_charset(tmp_path):
    path = tmp_path / "old.html"
    page = '<html><head><meta charset="iso-8859-1"><title>Noël</title></head><body><p>Le marché de Noël ouvre.</p></body></html>'
    path.write_bytes(page.encode("latin-1"))
    doc = only(list(iter_inputs([str(path)])), RawDoc)
    assert "marché de Noël" in doc.text


def test_oversize_file_is_not_read(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Headline\n" + "word " * 500)
    item = only(list(iter_inputs([str(path)], max_bytes=1000)), Skip)
    assert item.reason == "file larger than the 1000 bytes cap"
    small = only(list(iter_inputs([str(path)], max_bytes=20 * 1024 * 1024)), RawDoc)
    assert small.title == "Headline"


# -- URLs -------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        port = self.server.server_address[1]
        routes = {
            "/article.html": (200, "text/html; charset=utf-8", HTML_ARTICLE.encode()),
            "/feed": (200, "application/rss+xml", RSS_FEED.encode()),
            "/plain.txt": (200, "text/plain; charset=windows-1252", "Déjà vu\nIt’s back.".encode("cp1252")),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            "/big": (200, "text/html", b"<p>" + b"x" * 5000 + b"</p>"),
        }
        if self.path == "/loop":
            self._send(302, "text/plain", b"", location="/loop")
        elif self.path == "/moved":
            self._send(301, "text/plain", b"", location="/article.html")
        elif self.path == "/to-localhost":
            self._send(302, "text/plain", b"", location=f"http://localhost:{port}/article.html")
        elif self.path == "/stream":
            # No Content-Length: only counting the streamed bytes can stop it.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"y" * 1000)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up at its cap, as it should
        elif self.path in routes:
            self._send(*routes[self.path])
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status, ctype, body, location=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_html_article(server):
    doc = only(list(iter_inputs([f"{server}/article.html"], allow_private=True)), RawDoc)
    assert doc.fmt == "url" and doc.origin == f"{server}/article.html" and doc.path is None
    assert doc.url == "https://courier.example/local/seed-library-record"
    assert doc.published == "2024-04-18" and doc.published_from == "html"
    assert doc.source == "Valley Courier"


def test_url_feed_items_are_not_followed(server):
    out = list(iter_inputs([f"{server}/feed"], allow_private=True))
    assert [d.title for d in docs(out)] == ["Ferry timetable changes from May", "Library hours extended"]
    assert all(d.url.startswith("https://gazette.example/") for d in docs(out))
    assert docs(out)[0].published == "2024-04-02"


def test_url_plain_text_uses_declared_charset(server):
    doc = only(list(iter_inputs([f"{server}/plain.txt"], allow_private=True)), RawDoc)
    assert doc.text == "Déjà vu\nIt’s back." and doc.title == "Déjà vu"


def test_redirect_is_followed_to_final_url(server):
    got = Fetcher(allow_private=True).get(f"{server}/moved")
    assert got.url == f"{server}/article.html" and got.content_type == "text/html"
    assert got.charset == "utf-8"


def test_redirect_loop(server):
    with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
        Fetcher(allow_private=True, max_redirects=3).get(f"{server}/loop")


def test_each_redirect_hop_is_checked(server):
    fetcher = Fetcher(allow_private=True, allowed_hosts={"127.0.0.1"})
    with pytest.raises(FetchError, match="localhost is not in the allowed hosts"):
        fetcher.get(f"{server}/to-localhost")


def test_oversize_http_body(server):
    small = Fetcher(allow_private=True, max_bytes=1000)
    with pytest.raises(FetchError, match="larger than the 1000 bytes cap"):
        small.get(f"{server}/big")
    with pytest.raises(FetchError, match="larger than the 1000 bytes cap"):
        small.get(f"{server}/stream")


def test_unsupported_content_type_and_http_error(server):
    out = list(iter_inputs([f"{server}/image.png", f"{server}/gone"], allow_private=True))
    assert [s.reason for s in out] == ["unsupported content type image/png", "HTTP 404"]


def test_loopback_refused_without_allow_private(server):
    item = only(list(iter_inputs([f"{server}/article.html"])), Skip)
    assert item.reason.startswith("refused: 127.0.0.1 resolves to a private/loopback address")
    assert "--allow-private" in item.reason
    with pytest.raises(FetchError, match="refused: localhost"):
        Fetcher().get("http://localhost/")


def test_unreachable_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    item = only(list(iter_inputs([url], allow_private=True)), Skip)
    assert item.origin == url and item.reason.startswith("could not connect to 127.0.0.1")


def test_other_schemes_refused():
    assert only(list(iter_inputs(["ftp://files.example/a.txt"])), Skip).reason.startswith("unsupported URL scheme")
    with pytest.raises(FetchError, match="only http and https"):
        Fetcher().get("file:///etc/passwd")


@pytest.mark.parametrize(
    ("addr", "public"),
    [("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.1", False), ("10.1.2.3", False),
     ("192.168.0.1", False), ("169.254.169.254", False), ("::1", False), ("::ffff:127.0.0.1", False),
     ("0.0.0.0", False), ("224.0.0.1", False), ("100.64.0.1", False), ("fe80::1%eth0", False)],
)
def test_address_classes(addr, public):
    assert is_public_address(addr) is public


# -- the shared sample ------------------------------------------------------


def test_seed_sample_jsonl():
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present")
    out = list(iter_inputs([str(SEEDS / "articles.jsonl")]))
    assert all(isinstance(d, RawDoc) for d in out) and len(out) == 3
    by_id = {d.external_id: d for d in out}
    assert sorted(by_id) == ["000", "002", "004"]
    assert by_id["002"].published == "2025-06-25" and by_id["002"].published_from == "metadata"
    assert by_id["000"].published is None and by_id["000"].published_from == "none"
    assert count_inputs([str(SEEDS / "articles.jsonl")]) == 3
