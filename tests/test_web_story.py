"""The stories list and a story's page (issue 18) over the bundled examples: the brief's summary,
charts drawn in the server as inline SVG whose bars are the query layer's numbers, no inline style
anywhere, and the brief and export downloads for the story and the filter's dates."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import warnings
from pathlib import Path

import pytest

from storyline import api, query
from storyline.export import validate
from storyline.selection import in_range
from storyline.store import Store

REPO = Path(__file__).resolve().parents[1]

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's note that httpx2 will replace httpx in its test client
    from fastapi.testclient import TestClient

RANGES = [(None, None), ("2025-06-24", "2025-06-24"), ("2025-08-14", "2025-08-16"), ("2025-08", None)]


@pytest.fixture(scope="module")
def client(examples_db):
    assert examples_db["rc"] == 0
    return TestClient(api.web_app(examples_db["db"]))


@pytest.fixture(scope="module")
def store(examples_db):
    with Store(examples_db["db"], readonly=True) as s:
        yield s


def _ids(client) -> list[str]:
    return [s["id"] for s in client.get("/api/stories").json()["stories"]]


def _dates(start, end) -> str:
    return "&".join(f"{k}={v}" for k, v in (("start", start), ("end", end)) if v)


def _story(client, sid: str, start=None, end=None) -> str:
    r = client.get(f"/stories/{sid}?{_dates(start, end)}")
    assert r.status_code == 200, r.text[:300]
    return r.text


def _figure(page: str, key: str) -> str | None:
    m = re.search(rf'<figure class="chart" id="chart-{key}">(.*?)</figure>', page, re.S)
    return m.group(1) if m else None


def _hidden_rows(figure: str) -> list[list[str]]:
    table = re.search(r'<table class="visually-hidden">(.*?)</table>', figure, re.S).group(1)
    return [[html.unescape(c) for c in re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


# -- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("start, end", RANGES)
def test_summary_is_the_brief_s(client, examples_db, start, end):
    for sid in _ids(client):
        page = _story(client, sid, start, end)
        brief = json.loads(api.brief(examples_db["db"], "json", story=sid, date_from=start, date_to=end))
        shown = [html.unescape(t).strip() for t in re.findall(r'<p class="summary-line">([^<]*)', page)]
        assert shown == [i["text"] for i in brief["summary"]["items"]]
        if shown:
            lines = re.findall(r'<p class="summary-line">.*?</p>', page, re.S)
            for line, item in zip(lines, brief["summary"]["items"]):  # each cites its own articles
                assert re.findall(r'href="/documents/([^"]+)"', line) == item["docs"]
        else:
            assert "No summary" in page
    assert len(_ids(client)) == 2 and all(  # the examples have a summary for each story
        '<p class="summary-line">' in _story(client, sid) for sid in _ids(client))


@pytest.mark.parametrize("start, end", RANGES)
def test_charts_are_the_query_layer_s_numbers(client, store, start, end):
    drawn = 0
    for sid in _ids(client):
        page = _story(client, sid, start, end)
        days = query.story_days(store, sid, start, end)
        intensity = _figure(page, "intensity")
        if not days:
            assert intensity is None and "No event dated to a day" in page
            continue
        assert intensity.count("<rect") == len(days)  # a bar per day with events
        assert "<title>" in intensity and "<desc>" in intensity
        assert _hidden_rows(intensity) == [[d["day"], str(d["events"]), f"{d['intensity']:g}"] for d in days]
        labels = re.findall(r'<text x="0" y="\d+">([^<]*)</text>', intensity)
        assert labels == [d["day"] for d in days]
        for key, kinds in (("killed-injured", ("killed", "injured")), ("launched-intercepted", ("launched", "intercepted"))):
            figure = _figure(page, key)
            with_data = [d for d in days if any(d[k] for k in kinds)]
            if not with_data:
                assert figure is None
                continue
            drawn += 1
            for k in kinds:  # a bar per day that has the figure, saying the figure
                bars = re.findall(rf'<rect class="bar-{k}"[^>]*>\s*<text[^>]*>([^<]*)</text>', figure)
                assert bars == [f"{d[k]:g} {k}" for d in days if d[k]]
            assert _hidden_rows(figure) == [[d["day"], *(f"{d[k]:g}" for k in kinds)] for d in with_data]
    if (start, end) == (None, None):
        assert drawn == 2  # the examples have a killed/injured and a launched/intercepted chart


def test_bar_lengths_follow_the_numbers(client, store):
    for sid in _ids(client):
        figure = _figure(_story(client, sid), "killed-injured") or _figure(_story(client, sid), "launched-intercepted")
        widths = [int(w) for w in re.findall(r'<rect class="bar-\w+" x="\d+" y="\d+" width="(\d+)"', figure)]
        values = [float(t.split()[0]) for t in re.findall(r'<rect[^>]*>\s*<text[^>]*>([^<]*)</text>', figure)]
        top = max(values)
        assert widths == [max(1, round(280 * v / top)) for v in values]


def test_stories_list_has_a_chart_of_articles_per_day(client, store):
    page = client.get("/").text
    rows = re.findall(r'<tr>\s*<td><a href="/stories/([^"]+)">.*?</tr>', page, re.S)
    assert len(rows) == 2
    for s in query.stories(store):
        row = re.search(rf'<tr>\s*<td><a href="/stories/{s["id"]}">.*?</tr>', page, re.S).group(0)
        assert re.search(r"<td>.*–.*</td>", row) or s["first"] == s["last"]  # the span
        assert f"<td>{s['documents']}</td>" in row and f"<td>{s['independent_sources']}</td>" in row
        svg = re.search(r"<svg.*?</svg>", row, re.S).group(0)
        assert svg.count('<rect class="bar-articles"') == len(s["per_day"]) > 0
        assert re.findall(r'<rect[^>]*>\s*<text[^>]*>(\d+)</text>', svg) == [str(d["documents"]) for d in s["per_day"]]
        desc = re.search(r"<desc>(.*?)</desc>", svg).group(1)
        assert all(f"{d['day']}: {d['documents']} article" in desc for d in s["per_day"])


def test_no_inline_style_and_no_script_in_any_page(client):
    urls = ["/"] + [f"/stories/{sid}?{_dates(a, b)}" for sid in _ids(client) for a, b in RANGES]
    for url in urls:
        body = client.get(url).text
        assert "<style" not in body.lower() and "<script" not in body.lower(), url
        assert not re.search(r"<[^>]*\sstyle\s*=", body), url


# -- downloads ----------------------------------------------------------------------------

BRIEF_TYPES = {"md": "text/markdown", "html": "text/html", "json": "application/json"}
EXPORT_TYPES = {"json": "application/json", "csv": "text/csv", "acled": "text/csv", "gdelt": "text/csv"}


def _download(client, url: str, content_type: str, filename_end: str):
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    assert r.headers["content-type"].split(";")[0] == content_type, url
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith(f'{filename_end}"'), url
    csp = r.headers["content-security-policy"]
    assert "sandbox" in csp and "script-src 'self'" in csp and r.headers["x-content-type-options"] == "nosniff"
    return r, disposition


@pytest.mark.parametrize("prefix", ["", "/api"])
@pytest.mark.parametrize("start, end", RANGES)
def test_story_page_links_the_downloads_for_its_dates(client, prefix, start, end):
    sid = _ids(client)[0]
    page = _story(client, sid, start, end)
    links = re.findall(r'<a href="(/stories/[^"]+/(?:brief|export)\.\w+[^"]*)" download>', page)
    assert len(links) == 7
    for link in links:
        assert (html.unescape(link).split("?", 1) + [""])[1] == _dates(start, end)  # the page's dates, no more
        r = client.get(prefix + html.unescape(link))
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]


@pytest.mark.parametrize("start, end", RANGES)
def test_brief_downloads_are_the_brief(client, examples_db, start, end):
    for sid in _ids(client):
        for fmt, content_type in BRIEF_TYPES.items():
            r, disposition = _download(client, f"/stories/{sid}/brief.{fmt}?{_dates(start, end)}", content_type,
                                       f"brief.{fmt}")
            assert sid in disposition and all(d in disposition for d in (start, end) if d)
            expected = api.brief(examples_db["db"], fmt, story=sid, date_from=start, date_to=end)
            if fmt == "json":
                assert r.json() == json.loads(expected)  # the same data, angle brackets written as \u escapes
            else:
                assert r.text == expected


@pytest.mark.parametrize("start, end", RANGES)
def test_export_downloads_hold_the_story_s_events_within_the_dates(client, examples_db, start, end):
    for sid in _ids(client):
        expected = api.export(examples_db["db"], story=sid, date_from=start, date_to=end)
        ids = [e["id"] for e in expected["events"]]
        r, _ = _download(client, f"/stories/{sid}/export.json?{_dates(start, end)}", "application/json", "export.json")
        data = r.json()
        validate(data)
        assert data == expected
        assert all(e["story"] == sid and in_range(e["date"]["value"], start, end) for e in data["events"])
        for fmt in ("csv", "acled", "gdelt"):
            r, _ = _download(client, f"/stories/{sid}/export.{fmt}?{_dates(start, end)}", "text/csv", f"{fmt}.csv"
                             if fmt != "csv" else "events.csv")
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert len(rows) == len(ids)
            if fmt == "csv":
                assert [row["id"] for row in rows] == ids  # the events of the JSON, all within the dates
                assert {row["story"] for row in rows} <= {sid}
    assert api.export(examples_db["db"], story=_ids(client)[0], date_from="2025-08-15")["events"]


def test_api_downloads_are_the_same_files(client):
    sid = _ids(client)[0]
    for kind, formats in (("brief", BRIEF_TYPES), ("export", EXPORT_TYPES)):
        for fmt in formats:
            page = client.get(f"/stories/{sid}/{kind}.{fmt}?start=2025-08-15")
            api_ = client.get(f"/api/stories/{sid}/{kind}.{fmt}?start=2025-08-15")
            assert api_.status_code == 200 and api_.content == page.content
            assert api_.headers["content-disposition"] == page.headers["content-disposition"]
    spec = client.get("/api/openapi.json").json()
    assert "/api/stories/{story_id}/brief.{fmt}" in spec["paths"] and "/api/stories/{story_id}/export.{fmt}" in spec["paths"]


@pytest.mark.parametrize("query_string, words", [("start=2025-02-30", "not a date"), ("end=soon", "not a date"),
                                                 ("start=2025-08-16&end=2025-08-15", "after")])
def test_bad_download_filters_are_400(client, query_string, words):
    sid = _ids(client)[0]
    for kind, fmt in (("brief", "md"), ("brief", "html"), ("export", "json"), ("export", "csv")):
        page = client.get(f"/stories/{sid}/{kind}.{fmt}?{query_string}")
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
        assert "Bad request" in page.text and words in page.text and "content-disposition" not in page.headers
        body = client.get(f"/api/stories/{sid}/{kind}.{fmt}?{query_string}")
        assert body.status_code == 400 and words in body.json()["detail"]
    assert client.get(f"/stories/{sid}?{query_string}").status_code == 400


def test_unknown_story_or_format_is_404(client):
    sid = _ids(client)[0]
    for url in ("/stories/st_nope/brief.md", "/stories/st_nope/export.csv", f"/stories/{sid}/brief.pdf",
                f"/stories/{sid}/export.parquet", f"/stories/{sid}/export.xml"):
        assert client.get(url).status_code == 404, url
        assert client.get("/api" + url).status_code == 404, url


def test_a_story_too_large_to_summarise_while_waiting_links_to_its_brief(examples_db, monkeypatch):
    from storyline.web import app as web_app

    monkeypatch.setattr(web_app, "SUMMARY_MAX_EVENTS", 1)
    with TestClient(api.web_app(examples_db["db"])) as small:
        sid = _ids(small)[0]
        page = small.get(f"/stories/{sid}").text
    assert 'class="summary-line"' not in page
    assert f'its summary opens <a href="/stories/{sid}/brief">' in page and "more than the 1 a page summarises" in page


def test_the_per_day_figures_a_story_page_keeps_are_read_again_once_the_database_changes(tmp_path, monkeypatch):
    db = tmp_path / "one.db"
    api.build([str(REPO / "examples" / "02-dnipro-strike-harbor-post.html")], db=str(db), progress=False)
    calls = []
    real = query.story_days
    monkeypatch.setattr(query, "story_days", lambda *a: calls.append(a) or real(*a))
    with TestClient(api.web_app(str(db))) as c:
        sid = _ids(c)[0]
        c.get(f"/stories/{sid}")
        c.get(f"/stories/{sid}")
        assert len(calls) == 1  # kept
        with Store(str(db)) as before:
            old = before.version()
        api.build([str(REPO / "examples" / "03-dnipro-strike-lantern-daily.html")], db=str(db), progress=False)
        with Store(str(db)) as after:
            assert after.version() != old
        c.get(f"/stories/{_ids(c)[0]}")
        assert len(calls) == 2  # read again


def _all_ids(client, sid: str, query_string: str) -> list[str]:
    """The ids of every event /api/events gives for the story under ``query_string``, page by page."""
    out, offset = [], 0
    while True:
        r = client.get(f"/api/events?story={sid}&{query_string}&limit=500&offset={offset}")
        assert r.status_code == 200, r.text
        page = r.json()
        out += [e["id"] for e in page["events"]]
        offset += 500
        if offset >= page["total"]:
            return out


def _filters_of(client, sid: str) -> list[str]:
    """Filters that keep some but not all of the story's events: its most common type, an actor
    and a word of one event's summary, a status, and a type with a date range."""
    events = client.get(f"/api/events?story={sid}&limit=500").json()["events"]
    types = [e["type"] for e in events if e["type"]]
    common = max(set(types), key=types.count)
    actor = next(a["id"] for e in events for a in e["actors"])
    return [f"type={common}", f"type={common}&type=STATEMENT&start=2025-08", f"actor={actor}",
            "status=occurred", "words=Russia"]


def test_downloads_keep_the_events_the_page_s_filters_keep(client):
    sid = _ids(client)[0]
    everything = set(_all_ids(client, sid, ""))
    led = 0
    for query_string in _filters_of(client, sid):
        kept = _all_ids(client, sid, query_string)
        assert kept and set(kept) < everything, query_string  # each filter keeps some, not all
        page = client.get(f"/stories/{sid}?{query_string}").text
        links = [html.unescape(x) for x in re.findall(r'<a href="(/stories/[^"]+/(?:brief|export)\.\w+[^"]*)" download>', page)]
        assert len(links) == 7 and all(sorted(x.split("?", 1)[1].split("&")) == sorted(query_string.split("&"))
                                       for x in links), (query_string, links)
        assert "the events the timeline's filters keep" in page
        data = client.get(next(x for x in links if "/export.json" in x)).json()
        validate(data)
        assert sorted(e["id"] for e in data["events"]) == sorted(kept)
        assert all(q["event"] in kept for q in data["quotes"]) and all(c["event"] in kept for c in data["contradictions"])
        cited = {m["doc"] for e in data["events"] for m in e["mentions"]}
        assert cited <= {d["id"] for d in data["documents"]}
        rows = list(csv.DictReader(io.StringIO(client.get(next(x for x in links if "/export.csv" in x)).text)))
        assert sorted(r["id"] for r in rows) == sorted(kept)
        assert len(list(csv.DictReader(io.StringIO(client.get(next(x for x in links if "/export.acled" in x)).text)))) \
            == len(kept)
        brief = client.get(next(x for x in links if "/brief.json" in x)).json()
        briefed = {i["event"] for part in ("summary", "statements") for i in brief[part]["items"] if i.get("event")}
        assert briefed <= set(kept), query_string  # what the brief leads with and quotes is of the kept events
        led += bool(briefed)
        api_file = client.get("/api" + next(x for x in links if "/export.csv" in x))
        assert api_file.status_code == 200 and sorted(r["id"] for r in csv.DictReader(io.StringIO(api_file.text))) \
            == sorted(kept)
    assert led >= 3  # the briefs are not empty


@pytest.mark.parametrize("query_string, words", [("type=FLYING", "unknown event type"),
                                                 ("status=rumoured", "unknown status"),
                                                 ("actor=nobody_at_all", "actor"), ("words=%21%21", "no word")])
def test_downloads_refuse_bad_filters(client, query_string, words):
    sid = _ids(client)[0]
    for kind, fmt in (("brief", "md"), ("export", "json"), ("export", "gdelt")):
        body = client.get(f"/api/stories/{sid}/{kind}.{fmt}?{query_string}")
        assert body.status_code in (400, 404) and words in body.json()["detail"], (kind, fmt, body.text)
        page = client.get(f"/stories/{sid}/{kind}.{fmt}?{query_string}")
        assert page.status_code == body.status_code and "content-disposition" not in page.headers


@pytest.mark.parametrize("query_string", ["", "start=2025-08-15", "type=ASSAULT&type=STATEMENT"])
def test_the_brief_reads_in_place_under_a_policy_of_its_own(client, examples_db, query_string):
    sid = _ids(client)[0]
    page = _story(client, sid) if not query_string else client.get(f"/stories/{sid}?{query_string}").text
    link = html.unescape(re.search(r'<a href="([^"]+)">Read the brief</a>', page).group(1))
    assert link == f"/stories/{sid}/brief" + (f"?{query_string}" if query_string else "")
    r = client.get(link)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"].startswith("inline")
    policy = r.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script" not in policy
    assert r.text == client.get(link.replace("/brief", "/brief.html", 1)).text  # the download's text
    if not query_string:
        assert r.text == api.brief(examples_db["db"], "html", story=sid)
    assert client.get(f"/stories/{sid}/brief?start=2025-02-30").status_code == 400
    assert client.get("/stories/st_nope/brief").status_code == 404
