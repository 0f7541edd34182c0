"""The web app and JSON API of ``storyline serve`` over the bundled examples, through FastAPI's
test client: real content in every answer, 404/400 as JSON or as pages, security headers on
every response, article text that can never become markup, and a database left untouched."""

from __future__ import annotations

import html
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from storyline import api, cli
from storyline.store import MIGRATIONS, Store, StoreError

from helpers import PAYLOADS, free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note that httpx2 will replace httpx in its test client
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client(examples_db):
    assert examples_db["rc"] == 0
    return TestClient(api.web_app(examples_db["db"]))


class Links(HTMLParser):
    """The tags, attributes and hrefs of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    @property
    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def _hrefs(html: str, prefix: str) -> list[str]:
    return [h for h in Links(html).hrefs if h.startswith(prefix)]


def _json(client, url: str, status: int = 200) -> dict:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def _page(client, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def _dnipro_strike(client) -> dict:
    found = _json(client, "/api/events?type=ASSAULT&words=killed+Dnipro&sort=salience&limit=1")
    assert found["total"] >= 1
    return _json(client, f"/api/events/{found['events'][0]['id']}")


def _summit(client) -> dict:
    c = _json(client, "/api/contradictions")["contradictions"][0]
    return _json(client, f"/api/events/{c['event']['id']}")


# -- JSON API -------------------------------------------------------------------------


def test_api_stories(client):
    found = _json(client, "/api/stories")
    assert found["total"] == 2 and found["limit"] == 50 and found["offset"] == 0
    titles = {s["title"] for s in found["stories"]}
    assert "Russian missile strike on Dnipro kills 17, injures more than 200" in titles
    assert "Trump and Putin end Alaska summit without a ceasefire deal" in titles
    assert all(s["per_day"] and s["independent_sources"] >= 1 for s in found["stories"])
    assert len(_json(client, "/api/stories?limit=1&offset=1")["stories"]) == 1
    one = found["stories"][0]
    assert _json(client, f"/api/stories/{one['id']}")["title"] == one["title"]


def test_api_events_filters_and_pages(client):
    everything = _json(client, "/api/events?limit=500")
    assert everything["total"] == len(everything["events"]) > 20
    assaults = _json(client, "/api/events?type=ASSAULT&limit=500")
    assert 0 < assaults["total"] < everything["total"]
    assert {e["type"] for e in assaults["events"]} == {"ASSAULT"}
    two = _json(client, "/api/events?type=ASSAULT&type=CONSULT&limit=500")
    assert {e["type"] for e in two["events"]} == {"ASSAULT", "CONSULT"}
    assert _json(client, "/api/events?type=ASSAULT,CONSULT&limit=500")["total"] == two["total"]
    august = _json(client, "/api/events?start=2025-08-15&end=2025-08-15&limit=500")
    assert august["events"] and {e["date"]["value"] for e in august["events"]} <= {"2025-08-15", "2025-08", "2025"}
    putin = _json(client, "/api/events?actor=Q7747&limit=500")
    assert putin["events"] and all("Q7747" in {a["id"] for a in e["actors"]} for e in putin["events"])
    dnipro = _json(client, "/api/events?place=gn:709930&limit=500")
    assert dnipro["events"] and all(e["location"]["name"] == "Dnipro" for e in dnipro["events"])
    seen = []
    for offset in range(0, assaults["total"], 2):
        seen += [e["id"] for e in _json(client, f"/api/events?type=ASSAULT&limit=2&offset={offset}")["events"]]
    assert seen == [e["id"] for e in assaults["events"]]


def test_api_event_dnipro_strike(client):
    e = _dnipro_strike(client)
    assert e["type"] == "ASSAULT" and e["date"]["value"] == "2025-06-24"
    assert e["sources"] >= 3
    assert {"Harbor Post", "Lantern Daily"} <= {m["document"]["source"] for m in e["mentions"]}
    killed = {(f["document"]["source"], q["value"]) for f in e["figures"] for q in f["quantities"]
              if q["kind"] == "killed"}
    assert ("Harbor Post", 17.0) in killed
    for m in e["mentions"]:
        assert m["document"]["title"] and m["document"]["published"] == "2025-06-25"
        assert any(m["text"][a:b].lower() == m["trigger"].lower() for a, b in m["highlights"])


def test_api_event_anchorage_summit_from_several_outlets(client):
    e = _summit(client)
    assert "Anchorage" in e["summary"] or any("Anchorage" in m["text"] for m in e["mentions"])
    titles = {m["document"]["title"] for m in e["mentions"]}
    assert {"Trump and Putin end Alaska summit without a ceasefire deal",
            "Alaska Summit Recap: What We Know About the Trump-Putin Talks"} <= titles
    assert "Harbor Post" in {m["document"]["source"] for m in e["mentions"]}
    # the summit as announced beforehand, by the wire and by the syndicated copy
    planned = next(r for r in e["related"] if r["status"] == "planned")
    announced = _json(client, f"/api/events/{planned['id']}")
    assert "Eastbridge Wire" in {m["document"]["source"] for m in announced["mentions"]}
    assert len({m["document"]["id"] for m in announced["mentions"]}) >= 2
    assert e["contradictions"][0]["attribute"] == "date"
    assert {c["value"] for c in e["contradictions"][0]["claims"]} == {"2025-08-15", "2025-07"}


def test_api_document_actor_search_contradictions(client):
    e = _dnipro_strike(client)
    doc_id = e["mentions"][0]["document"]["id"]
    d = _json(client, f"/api/documents/{doc_id}")
    assert d["title"] == e["mentions"][0]["document"]["title"] and d["sentences"]
    assert any(x["event"] == e["id"] for s in d["sentences"] for x in s["events"])
    assert d["removed"]
    a = _json(client, "/api/actors/Q7747")
    assert a["name"] == "Vladimir Putin" and a["total"] == sum(x["events"] for x in a["per_date"]) > 0
    place = _json(client, "/api/actors/gn:709930")
    assert place["type"] == "place" and place["events"]
    s = _json(client, "/api/search?q=Dnipro+killed&limit=1")
    assert s["total"] >= 2 and len(s["results"]) == 1
    r = s["results"][0]
    assert {r["text"][a:b].lower() for a, b in r["highlights"]} == {"dnipro", "killed"}
    assert _json(client, "/api/search?q=Dnipro+killed&limit=1&offset=1")["results"][0] != r
    c = _json(client, "/api/contradictions")
    assert c["total"] == 1 and c["contradictions"][0]["claims"][0]["documents"]
    assert _json(client, "/api/counts")["days"]


@pytest.mark.parametrize("url", ["/api/events/ev_nope", "/api/documents/d_nope", "/api/actors/Q0",
                                 "/api/stories/st_nope", "/api/events?story=st_nope", "/api/nothing/here"])
def test_api_unknown_ids_are_404_json(client, url):
    body = _json(client, url, 404)
    assert body["detail"] and "Traceback" not in json.dumps(body)


@pytest.mark.parametrize("url, status, words", [
    ("/api/events?start=2025-02-30", 400, "not a date"),
    ("/api/events?end=yesterday", 400, "not a date"),
    ("/api/events?type=EXPLODE", 400, "unknown event type"),
    ("/api/events?status=rumour", 400, "unknown status"),
    ("/api/events?limit=-1", 400, "limit"),
    ("/api/events?offset=-1", 400, "offset"),
    ("/api/events?sort=random", 400, "unknown sort"),
    ("/api/events?actor=Q0", 400, "no actor"),
    ("/api/events?limit=ten", 422, "limit"),
    ("/api/search", 422, "q"),
    ("/api/search?q=%21%21", 400, "word"),
    ("/api/contradictions?limit=0", 400, "limit"),
])
def test_api_bad_filters_are_4xx_json(client, url, status, words):
    body = _json(client, url, status)
    assert words in body["detail"]


def test_openapi_and_api_docs(client):
    spec = _json(client, "/api/openapi.json")
    for path in ("/api/stories", "/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}",
                 "/api/search", "/api/contradictions"):
        assert path in spec["paths"]
    assert not any(p.startswith("/events") or p == "/" for p in spec["paths"])  # pages are not API
    docs = _page(client, "/api/docs")
    assert "GET /api/events" in docs and "start" in docs
    assert not [t for t, _ in Links(docs).tags if t == "script"]


# -- pages --------------------------------------------------------------------------


def test_pages_follow_story_event_document(client):
    home = _page(client, "/")
    assert "Trump and Putin end Alaska summit without a ceasefire deal" in home
    stories = _hrefs(home, "/stories/")
    assert len(stories) == 2
    dnipro = next(h for h in stories if "Dnipro" in _page(client, h))
    story = _page(client, dnipro)
    assert "Russian missile strike on Dnipro kills 17, injures more than 200" in story
    events = _hrefs(story, "/events/")
    assert events
    strike = _dnipro_strike(client)
    assert f"/events/{strike['id']}" in events
    page = _page(client, f"/events/{strike['id']}")
    assert "Harbor Post" in page and "Lantern Daily" in page
    assert "<mark>killed</mark>" in page
    assert "Figures per source" in page and ">17<" in page
    docs = _hrefs(page, "/documents/")
    assert docs
    doc = _page(client, docs[0])
    title = strike["mentions"][0]["document"]["title"]
    assert title in doc or any(title in _page(client, d) for d in docs)
    assert 'class="m-event"' in doc and 'class="m-entity"' in doc and 'class="m-time"' in doc
    assert "Removed by cleaning" in doc
    actors = _hrefs(doc, "/actors/")
    assert actors and "Events over time" in _page(client, actors[0])


def test_story_filters_form_and_pagination(client):
    sid = _json(client, "/api/stories")["stories"][0]["id"]
    full = _page(client, f"/stories/{sid}")
    assert '<form class="filters" method="get"' in full
    one = _page(client, f"/stories/{sid}?type=CONSULT&limit=2")
    assert len(_hrefs(one, "/events/")) == 2
    assert 'rel="next"' in one and "type=CONSULT" in re.search(r'rel="next" href="([^"]+)"', one).group(1)
    assert "<option value=\"CONSULT\" selected>" in one
    nxt = re.search(r'rel="next" href="([^"]+)"', one).group(1).replace("&amp;", "&")
    second = _page(client, nxt)
    assert set(_hrefs(second, "/events/")).isdisjoint(_hrefs(one, "/events/"))
    assert "No events match" in _page(client, f"/stories/{sid}?start=1990&end=1991")


def test_search_and_contradictions_pages(client):
    page = _page(client, "/search?q=Dnipro+killed")
    assert "<mark>Dnipro</mark>" in page and "<mark>killed</mark>" in page
    assert any(h.startswith("/documents/") and "#s" in h for h in Links(page).hrefs)
    c = _page(client, "/contradictions")
    # Two independent sources give the day, the aggregator alone the month.
    assert "2025-08-15" in c and "2025-07" in c and "2025-08-15 is better supported: 2 independent sources against 1" in c


def test_bad_ids_and_filters_are_error_pages(client):
    for url in ("/events/ev_nope", "/documents/d_nope", "/actors/Q0", "/stories/st_nope", "/no/such/page"):
        assert "Not found" in _page(client, url, 404)
    sid = _json(client, "/api/stories")["stories"][0]["id"]
    page = _page(client, f"/stories/{sid}?start=2025-13-01", 400)
    assert "Bad request" in page and "not a date" in page and "Traceback" not in page
    assert "limit" in _page(client, f"/stories/{sid}?limit=many", 400)
    assert "unknown event type" in _page(client, f"/stories/{sid}?type=EXPLODE", 400)


def test_security_headers_on_every_response(client):
    sid = _json(client, "/api/stories")["stories"][0]["id"]
    for url in ("/", f"/stories/{sid}", "/contradictions", "/search?q=Dnipro", "/events/nope", "/api/stories",
                "/api/events/nope", "/api/events?limit=x", "/static/style.css", "/api/docs", "/api/openapi.json"):
        r = client.get(url)
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers.get("x-content-type-options") == "nosniff", url
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_pages_need_no_script_and_fetch_nothing_elsewhere(client):
    for url in ("/", "/contradictions", "/search?q=Dnipro", f"/events/{_dnipro_strike(client)['id']}"):
        html = _page(client, url)
        tags = Links(html).tags
        assert not [t for t, _ in tags if t == "script"]
        assert not [a for t, a in tags if "style" in a]  # the CSP allows no inline style
        for t, a in tags:
            for attr in ("src", "href"):
                if attr in a and t in ("link", "img", "script", "iframe"):
                    assert a[attr].startswith("/"), (url, t, a)


@pytest.mark.sqlite_only
def test_serving_never_writes_the_database(examples_db, client):
    db = examples_db["db"]
    digest = lambda: hashlib.sha256(Path(db).read_bytes()).hexdigest()  # noqa: E731
    before = digest()
    for url in ("/", "/api/events?limit=500", "/contradictions", "/search?q=summit"):
        client.get(url)
    assert digest() == before


@pytest.mark.sqlite_only
def test_serving_sees_a_database_written_or_replaced_meanwhile(examples_db, tmp_path):
    """Each server thread keeps its store open between requests, but not past a change: a
    write by another process, or the file replaced by another database, shows at once."""
    import shutil

    db = tmp_path / "live.db"
    shutil.copy(examples_db["db"], db)
    client = TestClient(api.web_app(str(db)))
    story = _json(client, "/api/stories")["stories"][0]
    con = sqlite3.connect(db)
    con.execute("UPDATE stories SET title='Retitled meanwhile' WHERE id=?", (story["id"],))
    con.commit()
    con.close()
    assert _json(client, f"/api/stories/{story['id']}")["title"] == "Retitled meanwhile"
    for suffix in ("", "-wal", "-shm"):  # built again from scratch at the same path
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(examples_db["db"], db)
    assert _json(client, f"/api/stories/{story['id']}")["title"] == story["title"]


@pytest.mark.sqlite_only
def test_web_app_refuses_a_missing_or_old_database(tmp_path):
    with pytest.raises(StoreError):
        api.web_app(str(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()
    old = tmp_path / "old.db"
    con = sqlite3.connect(old)
    for number, script in enumerate(MIGRATIONS[:-1], start=1):
        con.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
    con.close()
    with pytest.raises(StoreError, match="older schema"):
        api.web_app(str(old))
    with Store(old):  # any other command upgrades it
        pass
    api.web_app(str(old))


# -- article text is never markup ---------------------------------------------------------

@pytest.fixture(scope="module")
def evil(evil_db):
    return TestClient(api.web_app(evil_db))


def _evil_urls(client) -> list[str]:
    """Every page and API answer that shows the articles: stories, events, documents, actors, search."""
    urls = ["/", "/contradictions", "/search?q=alert", "/search?q=Dnipro", "/api/stories", "/api/events?limit=500",
            "/api/contradictions", "/api/search?q=alert", "/api/search?q=script"]
    for s in _json(client, "/api/stories")["stories"]:
        urls += [f"/stories/{s['id']}", f"/api/stories/{s['id']}"]
    docs, actors = set(), set()
    for e in _json(client, "/api/events?limit=500")["events"]:
        urls += [f"/events/{e['id']}", f"/api/events/{e['id']}"]
        full = _json(client, f"/api/events/{e['id']}")
        docs |= {m["document"]["id"] for m in full["mentions"]}
        actors |= {a["id"] for a in e["actors"]}
    urls += [u for d in sorted(docs) for u in (f"/documents/{d}", f"/api/documents/{d}")]
    urls += [u for a in sorted(actors) for u in (f"/actors/{a}", f"/api/actors/{a}")]
    return urls


def test_article_payloads_are_never_markup(evil):
    urls = _evil_urls(evil)
    assert len([u for u in urls if u.startswith("/events/")]) >= 2
    assert any(u.startswith("/documents/") for u in urls)
    shown = 0
    for url in urls:
        r = evil.get(url)
        assert r.status_code == 200, url
        body = r.text
        low = body.lower()
        assert "<script" not in low, url
        assert 'href="javascript:' not in low and "href='javascript:" not in low, url
        if url.startswith("/api/"):
            assert "<" not in body and ">" not in body, url  # JSON escapes every angle bracket
            data = json.dumps(r.json())
            shown += any(p in data for p in PAYLOADS)  # and the text itself is intact
            continue
        tags = Links(body).tags
        assert not [t for t, _ in tags if t in ("script", "img", "iframe")], url
        assert not [(t, k) for t, a in tags for k in a if k.startswith("on")], url
        for href in (a["href"] for t, a in tags if "href" in a):
            assert urlsplit(href).scheme in ("", "http", "https"), (url, href)
        assert not re.search(r"<[^<>]*onerror=", body), url  # an onerror= is only ever text
        shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&lt;img src=x onerror=alert(1)&gt;" in body
    assert shown > 10  # the payloads were shown (as text) on many pages, not dropped
    doc_pages = [u for u in urls if u.startswith("/documents/")]
    html = "".join(evil.get(u).text for u in doc_pages)
    assert "javascript:alert(1)" in html  # the bad URL is shown as text...
    assert "https://wire.example/a?x=1&amp;y=&lt;script&gt;" in html  # ...the good one, escaped, as a link


def test_story_downloads_keep_article_text_inert(evil):
    for s in _json(evil, "/api/stories")["stories"]:
        r = evil.get(f"/stories/{s['id']}/brief.html")
        assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
        assert "sandbox" in r.headers["content-security-policy"]
        low = r.text.lower()
        assert "<script" not in low and "<img" not in low and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
        for url in (f"/stories/{s['id']}/brief.json", f"/stories/{s['id']}/export.json",
                    f"/api/stories/{s['id']}/export.json"):
            r = evil.get(url)
            assert r.status_code == 200 and "<" not in r.text and ">" not in r.text, url  # written as \u escapes
            assert any(p in json.dumps(r.json()) for p in PAYLOADS), url  # the text itself intact


# -- storyline serve ------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_serve_command_serves_read_only(examples_db):
    db = examples_db["db"]
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["total"] == 2
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "Content-Security-Policy" in page.headers and "Dnipro" in page.text
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before


def test_serve_command_errors(tmp_path, capsys):
    assert cli.main(["serve", "--db", str(tmp_path / "none.db")]) == 1
    assert "no database" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["serve", "--port", "70000"])
    assert "port" in capsys.readouterr().err


def test_actor_page_shows_the_registry_s_role_history(client):
    page = client.get("/actors/Q7747").text
    section = page[page.index('<section class="registry">'):]
    section = section[:section.index("</section>")]
    assert "Offices held" in section and "President of Russia" in section and "2012-05-07" in section
    assert '<a href="/actors/Q159">Russia</a>' in section
    russia = client.get("/actors/Q159").text
    assert "Who held its offices" in russia and '<a href="/actors/Q7747">Vladimir Putin</a>' in russia
    for href in set(re.findall(r'href="(/actors/[^"]+)"', russia)):
        assert client.get(html.unescape(href)).status_code == 200, href  # only actors the store holds are links
    assert client.get("/api/actors/Q7747").json()["registry"]["roles"]


def test_search_page_links_each_result_to_its_events(client):
    page = client.get("/search?q=Dnipro+killed").text
    links = re.findall(r'<p class="meta">Reports (.*?)</p>', page)
    assert links and any("ASSAULT" in x for x in links)
    for href in set(re.findall(r'href="(/events/[^"]+)"', " ".join(links))):
        assert client.get(href).status_code == 200
