"""Incremental linking: a build re-links only the components its mentions touch, to the result of a full re-link.

The bundled examples are built in two halves and compared with ``storyline
relink`` on the same database and with one build of all of them; when the
shared data is there, a dozen Ukraine articles are too, taken alternately so
that the second half is not simply later news.  Then: an event keeps its id
and its contradictions while other components change, and an id that
disappears (its event merged into another) still finds that event.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from storyline import api, cli, link
from storyline.model import Event
from storyline.store import Store

from helpers import SHARED_DATA

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
UKRAINE = SHARED_DATA / "ukraine" / "articles.jsonl"


def _links(db: str) -> dict:
    """Everything linking writes, in a stable order."""
    with Store(db) as store:
        return {"events": sorted(store.events(), key=lambda e: e.id),
                "components": store.link_components(),
                "contradictions": store.contradictions(),
                "aliases": store.event_aliases()}


def _export(db: str) -> str:
    """The JSON export without the paths the articles were read from (the halves sit in other folders)."""
    data = api.export(db=db)
    for doc in data["documents"]:
        doc.pop("path", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _halves(tmp: Path, files: list[Path]) -> tuple[Path, Path, Path]:
    first, second, every = tmp / "first", tmp / "second", tmp / "every"
    for folder in (first, second, every):
        folder.mkdir()
    for i, f in enumerate(files):
        shutil.copy(f, (first if i < len(files) // 2 else second) / f.name)
        shutil.copy(f, every / f.name)
    return first, second, every


@pytest.fixture(scope="module")
def examples_halves(tmp_path_factory) -> dict:
    """The examples built in two halves (with a snapshot after each), then re-linked in full; and built at once."""
    tmp = tmp_path_factory.mktemp("halves")
    files = sorted(p for p in EXAMPLES.iterdir() if p.name[:2].isdigit())
    first, second, every = _halves(tmp, files)
    db, once = str(tmp / "halves.db"), str(tmp / "once.db")
    assert cli.main(["build", str(first), "--db", db, "-q"]) == 0
    after_first = _links(db)
    assert cli.main(["build", str(second), "--db", db, "-q"]) == 0
    incremental, incremental_export = _links(db), _export(db)
    assert cli.main(["relink", "--db", db]) == 0
    assert cli.main(["build", str(every), "--db", once, "-q"]) == 0
    return {"after_first": after_first, "incremental": incremental, "incremental_export": incremental_export,
            "relinked": _links(db), "relinked_export": _export(db), "once_export": _export(once), "once": once}


def test_half_then_half_equals_a_full_relink(examples_halves):
    inc, full = examples_halves["incremental"], examples_halves["relinked"]
    assert len(inc["events"]) > 20
    assert inc == full  # events (ids, mentions, salience, related, story), components, contradictions, aliases
    assert examples_halves["incremental_export"] == examples_halves["relinked_export"]


def test_half_then_half_equals_one_build_of_all(examples_halves):
    assert examples_halves["incremental_export"] == examples_halves["once_export"]


# Written for this test: later news (published after every example) that looks back at the Dnipro strike.
_LATEST = {"id": "review-1", "title": "Dnipro rebuilds", "published": "2025-09-01",
           "text": "Russian missiles struck Dnipro on June 24, 2025, killing 17 people, regional officials said.\n\n"
                   "Two months on, the city has rebuilt the damaged school."}


@pytest.mark.sqlite_only  # copies the database file
def test_an_article_more_leaves_the_other_events_their_ids_and_contradictions(examples_halves, tmp_path):
    db = str(tmp_path / "grown.db")
    for suffix in ("", "-wal", "-shm"):
        if Path(examples_halves["once"] + suffix).exists():
            shutil.copy(examples_halves["once"] + suffix, db + suffix)
    before = _links(db)
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps(_LATEST) + "\n", encoding="utf-8")
    api.build([str(path)], db=db, progress=False)
    after = _links(db)
    untouched = [fp for fp in before["components"] if fp in after["components"]]
    assert 0 < len(untouched) < len(before["components"])  # the new report of the Dnipro strike touches some
    after_events = {e.id: e for e in after["events"]}
    kept = {eid for fp in untouched for eid in before["components"][fp]}
    for fp in untouched:
        assert before["components"][fp] == after["components"][fp]
    for old in before["events"]:
        if old.id in kept:
            assert replace(old, salience=0, related=[]) == replace(after_events[old.id], salience=0, related=[])
    assert [c for c in before["contradictions"] if c.event in kept] == \
        [c for c in after["contradictions"] if c.event in kept]
    assert api.relink(db=db) and _links(db) == after


@pytest.mark.skipif(not UKRAINE.exists(), reason="no shared data")
def test_ukraine_articles_in_two_halves_equal_a_full_relink(tmp_path):
    records = [json.loads(line) for line in UKRAINE.read_text(encoding="utf-8").splitlines()]
    records = sorted((r for r in records if r["published"].startswith("2022-02")), key=lambda r: r["id"])[:12]
    halves = [records[0::2], records[1::2]]  # alternate: the second half is not simply the later news
    db, once = str(tmp_path / "halves.db"), str(tmp_path / "once.db")
    for i, part in enumerate(halves):
        path = tmp_path / f"half{i}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        api.build([str(path)], db=db, progress=False)
    (tmp_path / "all.jsonl").write_text("".join(json.dumps(r) + "\n" for r in halves[0] + halves[1]),
                                        encoding="utf-8")
    api.build([str(tmp_path / "all.jsonl")], db=once, progress=False)
    incremental = _links(db)
    assert len(incremental["events"]) > 100
    api.relink(db=db)
    assert _links(db) == incremental
    # One build of all of them gives the same events; only the story's id differs, since a story is named
    # after the first document placed in it (``stories.story_id``), and which that is depends on the batches.
    assert [replace(e, story=None) for e in _links(once)["events"]] == \
        [replace(e, story=None) for e in incremental["events"]]
    assert _partition(_links(once)["events"]) == _partition(incremental["events"])


def _partition(events: list[Event]) -> set[frozenset[str]]:
    by_story: dict[str | None, set[str]] = {}
    for e in events:
        by_story.setdefault(e.story, set()).add(e.id)
    return {frozenset(ids) for ids in by_story.values()}


# Written for this test: two reports of one strike, the later published first.
_LATER = {"id": "lantern-1", "title": "Dnipro mourns after missile strike", "published": "2025-06-26",
          "text": "Dnipro held a day of mourning on Wednesday.\n\nA Russian missile strike on Dnipro on June 24, 2025 "
                  "killed 17 people and wounded 279, regional officials said."}
_EARLIER = {"id": "harbor-1", "title": "Russian missiles strike Dnipro", "published": "2025-06-25",
            "text": "Russian missiles struck Dnipro on June 24, 2025, killing 17 people and wounding 279, regional "
                    "officials said.\n\nThe strike hit the city during the morning rush hour."}


def test_an_event_that_takes_an_earlier_report_keeps_its_old_id_as_an_alias(tmp_path):
    from fastapi.testclient import TestClient

    db = str(tmp_path / "t.db")
    for i, record in enumerate((_LATER, _EARLIER)):
        path = tmp_path / f"{i}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        api.build([str(path)], db=db, progress=False)
        if i == 0:
            with Store(db) as store:
                (old,) = [e.id for e in store.events() if e.type == "ASSAULT"]
    with Store(db) as store:
        (strike,) = [e for e in store.events() if e.type == "ASSAULT"]
        assert strike.id != old and len({d for d, _ in strike.mentions}) == 2
        assert store.resolve_event(old) == strike.id and store.resolve_event(strike.id) == strike.id
        assert store.resolve_event("ev_000000000000") is None
    client = TestClient(api.web_app(db))
    assert client.get(f"/api/events/{old}").json()["id"] == strike.id
    page = client.get(f"/events/{old}", follow_redirects=False)
    assert page.status_code == 307 and page.headers["location"] == f"/events/{strike.id}"
    assert client.get(f"/events/{old}").status_code == 200
    assert client.get("/api/events/ev_000000000000").status_code == 404
    # A full re-link changes nothing, and the alias stays.
    before = _links(db)
    api.relink(db=db)
    assert _links(db) == before


def _event(eid: str, mentions: list[str]) -> Event:
    return Event(id=eid, type="CONSULT", summary="", date_value=None, date_precision="unknown", date_text="",
                 mentions=[("d", m) for m in mentions], actors=[], location=None, salience=0.0)


def test_merged_events_alias_to_the_event_holding_most_of_their_mentions_and_follow_it_on():
    a, b = _event("ev_a", ["m1", "m2"]), _event("ev_b", ["m3"])
    merged = _event("ev_c", ["m1", "m2", "m3"])
    assert link.aliases([a, b], [merged]) == {"ev_a": "ev_c", "ev_b": "ev_c"}
    # Split again: ev_c's mentions go mostly to ev_d; an id that is current again is no alias.
    assert link.aliases([merged], [_event("ev_d", ["m1", "m2"]), _event("ev_b", ["m3"])]) == {"ev_c": "ev_d"}
    assert link.aliases([_event("ev_e", ["m9"])], [merged]) == {}  # its mentions are gone: nothing to point at


def test_aliases_follow_their_event_through_later_merges(tmp_path):
    db = str(tmp_path / "t.db")
    with Store(db) as store:
        a, b = _event("ev_a", []), _event("ev_b", [])
        store.update_links([], [a, b], {}, [], [], [], {}, read=store.link_generation())
        c = _event("ev_c", [])
        store.update_links(["ev_a"], [c], {}, [], [], [], {"ev_a": "ev_c"}, read=store.link_generation())
        assert store.resolve_event("ev_a") == "ev_c"
        d = _event("ev_d", [])
        store.update_links(["ev_b", "ev_c"], [d], {}, [], [], [], {"ev_b": "ev_d", "ev_c": "ev_d"}, read=store.link_generation())
        assert {k: store.resolve_event(k) for k in ("ev_a", "ev_b", "ev_c", "ev_d")} == \
            {"ev_a": "ev_d", "ev_b": "ev_d", "ev_c": "ev_d", "ev_d": "ev_d"}
        # A link that read the store before another link wrote writes nothing.
        stale_read = str(int(store.link_generation()) - 1)
        assert not store.update_links(["ev_d"], [_event("ev_e", [])], {}, [], [], [], {}, read=stale_read)
        assert store.resolve_event("ev_d") == "ev_d" and store.resolve_event("ev_e") is None
        store.update_links(["ev_d"], [_event("ev_a", [])], {}, [], [], [], {"ev_d": "ev_a"}, read=store.link_generation())
        assert store.resolve_event("ev_a") == "ev_a" and store.resolve_event("ev_b") == "ev_a"
        assert "ev_a" not in store.event_aliases()
