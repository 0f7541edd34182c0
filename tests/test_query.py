"""The query layer (storyline/query.py) over the bundled examples: filters really filter,
pages add up, and bad input is an error, never an empty answer."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from storyline import query
from storyline.selection import in_range
from storyline.store import Store, StoreError

DNIPRO_STRIKE_WORDS = "killed Dnipro"


@pytest.fixture(scope="module")
def store(examples_db):
    assert examples_db["rc"] == 0
    with Store(examples_db["db"], readonly=True) as s:
        yield s


def _all(store, **filters) -> list[dict]:
    """Every event the filters keep, read page by page."""
    out, offset = [], 0
    while True:
        page = query.events(store, limit=7, offset=offset, **filters)
        out += page["events"]
        offset += 7
        if offset >= page["total"]:
            assert len(out) == page["total"]
            return out


def _dnipro_strike(store) -> dict:
    page = query.events(store, types="ASSAULT", words=DNIPRO_STRIKE_WORDS, sort="salience", limit=1)
    assert page["total"] >= 1
    return page["events"][0]


def test_stories_list_counts(store):
    found = query.stories(store)
    assert len(found) == 2
    titles = " ".join(s["title"] for s in found)
    assert "Dnipro" in titles and "Alaska" in titles
    for s in found:
        assert 1 <= sum(d["documents"] for d in s["per_day"]) <= s["documents"]  # undated articles have no day
        assert 1 <= s["independent_sources"] <= s["documents"]
        assert s["first"] <= s["last"]
        assert all(s["first"] <= d["day"] <= s["last"] for d in s["per_day"])
    alaska = next(s for s in found if "Alaska" in s["title"])
    # the syndicated copy of the summit announcement is not an independent source
    assert alaska["independent_sources"] < alaska["documents"]
    assert query.events(store, story=alaska["id"], limit=1)["total"] == alaska["events"]


def test_pages_add_up_and_do_not_overlap(store):
    total = query.events(store, limit=1)["total"]
    assert total > 20
    ids = [e["id"] for e in _all(store)]
    assert len(ids) == len(set(ids)) == total
    dates = [e["date"]["value"] for e in _all(store)]
    assert dates == sorted(dates)
    assert query.events(store, offset=total)["events"] == []


def test_type_filter_keeps_only_that_type(store):
    everything = _all(store)
    assaults = _all(store, types="ASSAULT")
    assert assaults and all(e["type"] == "ASSAULT" for e in assaults)
    assert len(assaults) == sum(e["type"] == "ASSAULT" for e in everything)
    both = _all(store, types=["assault", "CONSULT"])
    assert {e["type"] for e in both} == {"ASSAULT", "CONSULT"}
    assert len(both) == len(assaults) + sum(e["type"] == "CONSULT" for e in everything)


def test_date_range_excludes_outside_dates(store):
    everything = _all(store)
    august = _all(store, start="2025-08-14", end="2025-08-15")
    assert august and len(august) < len(everything)
    assert {e["date"]["value"] for e in august} >= {"2025-08-14", "2025-08-15"}
    for e in august:
        assert in_range(e["date"]["value"], "2025-08-14", "2025-08-15"), e
    assert not any(e["date"]["value"] in ("2025-06-24", "2025-06-25", "2025-08-18") for e in august)
    kept = {e["id"] for e in august}
    assert all(e["id"] in kept for e in everything if in_range(e["date"]["value"], "2025-08-14", "2025-08-15"))


def test_status_actor_place_and_words_filters(store):
    planned = _all(store, status="planned")
    assert planned and all(e["status"] == "planned" for e in planned)
    putin = _all(store, actor="Q7747")
    assert putin and all("Q7747" in {a["id"] for a in e["actors"]} for e in putin)
    assert len(putin) < query.events(store, limit=1)["total"]
    dnipro = _all(store, place="gn:709930")
    assert dnipro and all(e["location"]["id"] == "gn:709930" for e in dnipro)
    worded = _all(store, words=DNIPRO_STRIKE_WORDS)
    assert worded and all("Dnipro" in e["summary"] or e["location"] for e in worded)
    assert len(worded) < query.events(store, limit=1)["total"]
    both = _all(store, actor="Q7747", start="2025-08-18")
    assert both and all(e["date"]["value"] >= "2025-08-18" for e in both) and len(both) < len(putin)


def test_event_detail_dnipro_strike(store):
    e = query.event(store, _dnipro_strike(store)["id"])
    assert e["type"] == "ASSAULT" and e["date"]["value"] == "2025-06-24"
    outlets = {m["document"]["source"] for m in e["mentions"]}
    assert {"Harbor Post", "Lantern Daily"} <= outlets
    assert e["sources"] >= 3
    for m in e["mentions"]:
        assert m["document"]["title"] and m["text"]
        for start, end in m["highlights"]:
            assert m["text"][start:end].lower() == m["trigger"].lower()
    killed = [q for f in e["figures"] for q in f["quantities"] if q["kind"] == "killed"]
    assert killed and {q["value"] for q in killed} == {17.0}
    assert len({f["document"]["id"] for f in e["figures"]}) >= 2


def test_event_with_contradiction_and_related(store):
    page = query.contradictions(store)
    assert page["total"] >= 1
    c = page["contradictions"][0]
    assert c["attribute"] == "date" and len(c["claims"]) == 2
    assert all(cl["documents"] for cl in c["claims"])
    e = query.event(store, c["event"]["id"])
    assert [x["id"] for x in e["contradictions"]] == [c["id"]]
    assert len({m["document"]["id"] for m in e["mentions"]}) >= 2  # the summit, in several articles
    assert "Harbor Post" in {m["document"]["source"] for m in e["mentions"]}
    # the summit that ended is tied to the summit announced beforehand
    assert any(r["status"] == "planned" and r["type"] == "CONSULT" for r in e["related"])


def test_document_detail(store):
    e = query.event(store, _dnipro_strike(store)["id"])
    doc_id = e["mentions"][0]["document"]["id"]
    d = query.document(store, doc_id)
    assert d["title"] == e["mentions"][0]["document"]["title"]
    assert d["removed"] and all(r["reason"] for r in d["removed"])
    kinds = {m["kind"] for s in d["sentences"] for m in s["marks"]}
    assert kinds == {"time", "entity", "event"}
    for s in d["sentences"]:
        for m in s["marks"]:
            assert 0 <= m["start"] < m["end"] <= len(s["text"])
    linked = {x["event"] for s in d["sentences"] for x in s["events"]}
    assert e["id"] in linked


def test_actor_events_over_time(store):
    a = query.actor(store, "Q7747")
    assert a["name"] == "Vladimir Putin" and a["mentions"] > 0
    assert a["total"] == sum(d["events"] for d in a["per_date"]) == len(_all(store, actor="Q7747"))
    assert [d["date"] for d in a["per_date"]] == sorted(d["date"] for d in a["per_date"])
    place = query.actor(store, "gn:709930")
    assert place["type"] == "place" and place["total"] == len(_all(store, place="gn:709930"))


def test_an_actor_s_role_history_from_the_registry(store):
    putin = query.actor(store, "Q7747")["registry"]
    assert "Putin" in putin["aliases"] and putin["affiliation"] == {"id": "Q159", "name": "Russia", "stored": True}
    offices = [(r["title"], r["start"], r["end"]) for r in putin["roles"]]
    assert offices == sorted(offices, key=lambda o: o[1])  # by the day each began
    assert ("President of Russia", "2012-05-07", None) in offices and ("Prime Minister of Russia", "2008-05-08",
                                                                        "2012-05-07") in offices
    assert all(r["holder"]["id"] == "Q7747" and r["of"]["id"] == "Q159" for r in putin["roles"])
    russia = query.actor(store, "Q159")["registry"]
    held = {(r["title"], r["holder"]["name"]) for r in russia["holders"]}
    assert ("President of Russia", "Vladimir Putin") in held and not russia["roles"]
    assert {r["holder"]["stored"] for r in russia["holders"]} == {True, False}  # some are named in no article here
    assert query.actor(store, "gn:709930")["registry"] is None  # a place


def test_search_snippets_and_totals(store):
    found = query.search(store, "Dnipro killed", limit=2)
    assert found["total"] >= 2 and len(found["results"]) == 2
    for r in found["results"]:
        marked = {r["text"][a:b].lower() for a, b in r["highlights"]}
        assert marked == {"dnipro", "killed"}
        assert r["link"] == f"/documents/{r['document']['id']}#s{r['sentence']}"
        assert r["document"]["title"]
    rest = query.search(store, "Dnipro killed", limit=50, offset=2)
    assert len(rest["results"]) == found["total"] - 2


def test_search_results_link_the_events_their_sentences_report(store):
    found = query.search(store, "Dnipro killed", limit=50)
    linked = 0
    for r in found["results"]:
        for e in r["events"]:
            mentions = query.event(store, e["id"])["mentions"]
            assert any(m["document"]["id"] == r["document"]["id"] and m["sentence"] == r["sentence"]
                       for m in mentions), (r["text"], e)
            linked += 1
    assert linked >= 3 and any(e["type"] == "ASSAULT" for r in found["results"] for e in r["events"])


def test_counts_per_day(store):
    days = query.counts_per_day(store)
    assert sum(d["documents"] for d in days) <= sum(s["documents"] for s in query.stories(store))
    assert {"day": "2025-06-25", "documents": 3} in days
    sid = next(s["id"] for s in query.stories(store) if "Dnipro" in s["title"])
    assert query.counts_per_day(store, sid) == [{"day": "2025-06-25", "documents": 3}]


@pytest.mark.parametrize("bad, message", [
    ({"start": "2025-02-30"}, "not a date"),
    ({"end": "August"}, "not a date"),
    ({"start": "2025-09", "end": "2025-08"}, "after"),
    ({"limit": -1}, "limit"),
    ({"limit": 0}, "limit"),
    ({"limit": 10_000}, "limit"),
    ({"offset": -5}, "offset"),
    ({"types": "EXPLODE"}, "unknown event type"),
    ({"status": "rumoured"}, "unknown status"),
    ({"actor": "Q0"}, "no actor"),
    ({"place": "nowhere"}, "no actor or place"),
    ({"sort": "random"}, "unknown sort"),
    ({"words": "!!!"}, "no word"),
])
def test_bad_event_filters_raise(store, bad, message):
    with pytest.raises(ValueError, match=message):
        query.events(store, **bad)


def test_unknown_ids_are_not_found(store):
    for call in (lambda: query.event(store, "ev_nope"), lambda: query.document(store, "d_nope"),
                 lambda: query.actor(store, "Q0"), lambda: query.events(store, story="st_nope"),
                 lambda: query.story(store, "st_nope")):
        with pytest.raises(query.NotFound):
            call()
    with pytest.raises(ValueError, match="word"):
        query.search(store, "  ?! ")


@pytest.mark.sqlite_only
def test_readonly_store_never_writes(examples_db, tmp_path):
    db = examples_db["db"]
    before = hashlib.sha256(open(db, "rb").read()).hexdigest()
    with Store(db, readonly=True) as s:
        query.events(s, types="ASSAULT")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            s.db.execute("DELETE FROM events")
    assert hashlib.sha256(open(db, "rb").read()).hexdigest() == before
    with pytest.raises(StoreError):
        Store(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


# -- a story's charts, brief and downloads (issue 18) -------------------------------------------


def _expected_days(data: dict) -> dict[str, dict]:
    """story_days worked out again from the export: a day's events, their mean intensity, and each
    event's largest figure per kind and weapon, summed."""
    days: dict[str, dict] = {}
    for e in data["events"]:
        if len(e["date"]["value"] or "") != 10:
            continue
        d = days.setdefault(e["date"]["value"], {"events": 0, "sum": 0.0, **{k: 0 for k in query.CHART_FIGURES}})
        d["events"] += 1
        d["sum"] += e["intensity"]
        largest: dict = {}
        for q in e["quantities"]:
            if q["kind"] in query.CHART_FIGURES:
                key = (q["kind"], q["weapon"])
                largest[key] = max(largest.get(key, 0), q["value"])
        for (kind, _), value in largest.items():
            d[kind] += value
    return days


@pytest.mark.parametrize("start, end", [(None, None), ("2025-06-24", "2025-06-24"), ("2025-08-14", "2025-08-16")])
def test_story_days_match_the_export(store, start, end):
    for s in query.stories(store):
        found = query.story_days(store, s["id"], start, end)
        expected = _expected_days(query.export(store, s["id"], start, end))
        assert [d["day"] for d in found] == sorted(expected)
        for d in found:
            x = expected[d["day"]]
            assert d["events"] == x["events"] and d["intensity"] == round(x["sum"] / x["events"], 1)
            assert all(d[k] == x[k] for k in query.CHART_FIGURES)
            assert in_range(d["day"], start, end)
    dnipro = {d["day"]: d for s in query.stories(store) for d in query.story_days(store, s["id"])}
    assert dnipro["2025-06-24"]["killed"] == 17 and dnipro["2025-06-24"]["injured"] == 200
    assert dnipro["2025-08-14"]["launched"] == max(97, 300) + 2 and dnipro["2025-08-14"]["intercepted"] == 63


def test_story_brief_and_export_are_the_api_s(examples_db, store):
    from storyline import api

    sid = query.stories(store)[0]["id"]
    for fmt in ("md", "html", "json"):
        assert query.brief(store, sid, fmt) == api.brief(examples_db["db"], fmt, story=sid)
    assert (query.brief(store, sid, "json", "2025-08-15", "2025-08-16")
            == api.brief(examples_db["db"], "json", story=sid, date_from="2025-08-15", date_to="2025-08-16"))
    assert query.export(store, sid, "2025-08-15") == api.export(examples_db["db"], story=sid, date_from="2025-08-15")
    for fmt in ("csv", "acled", "gdelt"):
        assert query.export_flat(store, sid, fmt, end="2025-08-15") == api.export_flat(
            examples_db["db"], fmt, story=sid, date_to="2025-08-15")


@pytest.mark.parametrize("start, end, message", [("2025-02-30", None, "not a date"), (None, "soon", "not a date"),
                                                 ("2025-08-16", "2025-08-15", "after")])
def test_story_downloads_check_their_dates(store, start, end, message):
    sid = query.stories(store)[0]["id"]
    for read in (lambda: query.brief(store, sid, "md", start, end), lambda: query.export(store, sid, start, end),
                 lambda: query.story_days(store, sid, start, end)):
        with pytest.raises(query.BadQuery, match=message):
            read()
    with pytest.raises(query.NotFound):
        query.export(store, "st_nope")
    with pytest.raises(query.BadQuery, match="flat format"):
        query.export_flat(store, sid, "parquet")


def test_event_filters_agree_when_each_event_is_checked(examples_db):
    """The filters skip the per-event check for a current mention when every event has one
    (``Store._every_event_current``); checking each event gives the same answers."""
    with Store(examples_db["db"], readonly=True) as fast, Store(examples_db["db"], readonly=True) as slow:
        slow._all_current = False
        sid = query.stories(fast)[0]["id"]
        actor = next(a["id"] for e in query.events(fast, limit=500)["events"] for a in e["actors"])
        for kwargs in ({}, {"story": sid}, {"story": sid, "sort": "salience", "offset": 3},
                       {"actor": actor}, {"words": "said"}, {"start": "2025-06", "end": "2025-08"}):
            assert query.events(fast, **kwargs) == query.events(slow, **kwargs)
        assert query.actor(fast, actor) == query.actor(slow, actor)
