"""The database as datasette users see it (issue 18): the full-text index datasette detects,
views with entity names instead of ids, declared foreign keys, and datasette serving the file.

Two builds of the bundled examples: the session's fresh one (every migration applied to an
empty file), and one built at schema 6, before this issue's migrations, then upgraded in place.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.utils import detect_fts

import storyline.store.sqlite as store_module
from storyline import cli
from storyline.store import MIGRATIONS, Store

# Datasette serves SQLite files: this module runs in the SQLite pass of the suite only.
pytestmark = pytest.mark.sqlite_only

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["Dnipro", "missile strike", "Anchorage summit", "ceasefire", "Zelenskyy Trump", "drones"]
# An id as the store writes it: Wikidata, GeoNames, or Storyline's own prefixes.
ENTITY_ID = re.compile(r"^(Q\d+|gn:\d+|(st|pl|o|p|sl)[_:][\w-]+)$")
VIEWS = ("event_rows", "mention_rows", "actor_events")


def _connect(path: str) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    return con


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory) -> dict:
    """The examples built by a Storyline at schema 6, then opened by this one."""
    db = str(tmp_path_factory.mktemp("datasette") / "old.db")
    patch = pytest.MonkeyPatch()
    patch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:6])

    def update_links(self, stale, events, component_of, rescored, contradictions, roles, aliases,
                     reference=None, seen=None, read=None):
        # A first link at schema 6 stores its events as linking did then: no components, no aliases.
        assert not stale and not rescored
        self.replace_links(events, contradictions + roles, seen)
        return True

    patch.setattr(Store, "update_links", update_links)
    old = os.getcwd()
    os.chdir(REPO)
    try:
        rc = cli.main(["build", "examples", "--db", db, "-q"])
        with Store(db) as store:
            assert store.schema_version == 6
            before = {q: store.search(q) for q in QUERIES}
    finally:
        os.chdir(old)
        patch.undo()
    con = sqlite3.connect(db)
    fts_before = detect_fts(con, "sentences")
    counts_before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("event_mentions", "events", "event_links", "contradictions", "quotes")}
    quote_links_before = con.execute("SELECT count(*) FROM quotes WHERE event IS NOT NULL").fetchone()[0]
    con.close()
    with Store(db) as store:
        version = store.schema_version
        after = {q: store.search(q) for q in QUERIES}
    return {"db": db, "rc": rc, "before": before, "after": after, "version": version,
            "fts_before": fts_before, "counts_before": counts_before, "quote_links_before": quote_links_before}


@pytest.fixture(scope="module")
def fresh(examples_db) -> str:
    assert examples_db["rc"] == 0
    return examples_db["db"]


# -- full-text search -------------------------------------------------------------


def test_datasette_detects_the_sentence_index(fresh):
    con = sqlite3.connect(fresh)
    try:
        assert detect_fts(con, "sentences") == "sentences_fts"
        assert detect_fts(con, "documents") is None
    finally:
        con.close()


def test_old_database_upgrades_in_place_and_searches_alike(upgraded):
    assert upgraded["rc"] == 0
    assert upgraded["fts_before"] is None  # the single-quoted declaration datasette misses
    assert upgraded["version"] == len(MIGRATIONS) > 6
    con = sqlite3.connect(upgraded["db"])
    try:
        assert detect_fts(con, "sentences") == "sentences_fts"
        # The rebuilt index agrees with the sentences (FTS5 raises "database disk image is malformed" if not).
        con.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in upgraded["counts_before"]}
        quote_links = con.execute("SELECT count(*) FROM quotes WHERE event IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert sum(len(hits) for hits in upgraded["before"].values()) > 10
    assert upgraded["after"] == upgraded["before"]
    # Building tables again for their foreign keys lost no row, link or contradiction.
    assert counts == upgraded["counts_before"] and counts["event_links"] > 50 and counts["contradictions"] >= 1
    assert quote_links == upgraded["quote_links_before"] > 0


def test_sentence_edits_keep_the_index_in_step(tmp_path):
    db = str(tmp_path / "edit.db")
    shutil.copy(Path(__file__).resolve().parents[1] / "examples" / "01-nato-hague-zelenskyy-trump.txt",
                tmp_path / "a.txt")
    assert cli.main(["build", str(tmp_path / "a.txt"), "--db", db, "-q"]) == 0
    with Store(db) as store:
        [(doc, idx, _)] = store.search("Hague two-day summit")[:1]
        store.db.execute("UPDATE sentences SET text='A quiet zebrafish afternoon' WHERE doc=? AND idx=?",
                         (doc, idx))
        assert store.search("zebrafish") == [(doc, idx, "A quiet zebrafish afternoon")]
        assert all((d, i) != (doc, idx) for d, i, _ in store.search("Hague two-day summit"))


# -- views --------------------------------------------------------------------


def _dnipro_strike(con: sqlite3.Connection) -> sqlite3.Row:
    rows = con.execute("SELECT * FROM event_rows WHERE type='ASSAULT' AND location='Dnipro' "
                       "AND date='2025-06-24' ORDER BY documents DESC").fetchall()
    assert rows, [tuple(r) for r in con.execute("SELECT id, type, location, date FROM event_rows")]
    return rows[0]


def test_event_rows_name_actors_and_places(fresh):
    con = _connect(fresh)
    try:
        strike = _dnipro_strike(con)
        actors = strike["actors"].split("; ")
        assert {"Russia", "Ukraine"} <= set(actors)
        assert not any(ENTITY_ID.match(a) for a in actors), actors
        assert strike["source"] == "Russia" and "Ukraine" in strike["target"].split("; ")
        assert strike["location_country"] == "UA" and strike["precision"] == "day"
        assert strike["mentions"] >= strike["documents"] >= 2
        assert strike["status"] == "occurred" and strike["mode"] == "missile"
        assert "17" in strike["summary"]
        assert strike["story_title"]
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert con.execute("SELECT count(*) FROM event_rows").fetchone()[0] == n_events > 20
        # Counts agree with the links they summarise.
        links, docs = con.execute(
            "SELECT count(*), count(DISTINCT m.doc) FROM event_links l JOIN event_mentions m ON m.id=l.mention "
            "WHERE l.event=?", (strike["id"],)).fetchone()
        assert (strike["mentions"], strike["documents"]) == (links, docs)
        # No view shows a raw id where a stored entity has a name.
        for column in ("actors", "source", "target", "location"):
            for (value,) in con.execute(f"SELECT {column} FROM event_rows WHERE {column} IS NOT NULL"):
                assert not any(ENTITY_ID.match(v) for v in value.split("; ")), (column, value)
    finally:
        con.close()


def test_mention_rows_carry_their_document_and_event(fresh):
    con = _connect(fresh)
    try:
        strike = _dnipro_strike(con)
        rows = con.execute("SELECT * FROM mention_rows WHERE event=?", (strike["id"],)).fetchall()
        assert len(rows) == strike["mentions"]
        outlets = {r["outlet"] for r in rows}
        assert {"Harbor Post", "Lantern Daily"} <= outlets
        for r in rows:
            assert r["document_title"] and r["published"] == "2025-06-25" and r["type"]
            assert r["sentence"] == con.execute("SELECT text FROM sentences WHERE doc=? AND idx=?",
                                                (r["doc"], r["sentence_index"])).fetchone()[0]
        harbor = [r for r in rows if r["outlet"] == "Harbor Post"]
        assert harbor[0]["url"].startswith("https://harborpost.example/") and harbor[0]["published"] == "2025-06-25"
        assert any("Russia" in (r["actors"] or "").split("; ") for r in rows)
        total = con.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
        assert con.execute("SELECT count(*) FROM mention_rows").fetchone()[0] == total
        unlinked = con.execute("SELECT count(*) FROM event_mentions WHERE id NOT IN "
                               "(SELECT mention FROM event_links)").fetchone()[0]
        assert con.execute("SELECT count(*) FROM mention_rows WHERE event IS NULL").fetchone()[0] == unlinked
        claimed = con.execute("SELECT claimant FROM mention_rows WHERE claimant IS NOT NULL").fetchall()
        assert claimed and not any(ENTITY_ID.match(c[0]) for c in claimed)
    finally:
        con.close()


def test_actor_events_list_each_actor_of_each_event(fresh):
    con = _connect(fresh)
    try:
        strike = _dnipro_strike(con)
        rows = {r["actor"]: r for r in con.execute("SELECT * FROM actor_events WHERE event=?", (strike["id"],))}
        assert rows["Russia"]["role"] == "source" and rows["Russia"]["actor_type"] == "state"
        assert rows["Russia"]["actor_country"] == "RU" and rows["Russia"]["actor_id"] == "Q159"
        assert rows["Ukraine"]["role"] == "target" and rows["Ukraine"]["date"] == "2025-06-24"
        pairs = con.execute("SELECT count(*) FROM events e, json_each(e.actors)").fetchone()[0]
        assert con.execute("SELECT count(*) FROM actor_events").fetchone()[0] == pairs > 20
        trump = con.execute("SELECT count(DISTINCT event) FROM actor_events WHERE actor='Donald Trump'").fetchone()[0]
        assert trump >= 3
    finally:
        con.close()


def test_upgraded_views_match_a_fresh_build(fresh, upgraded):
    """The upgraded file and the fresh one differ in their history only."""
    def rows(path, view):
        con = sqlite3.connect(path)
        try:
            columns = [c[1] for c in con.execute(f"PRAGMA table_info({view})")
                       if c[1] not in ("doc", "story")]  # ids that hold a path or a build order
            return sorted(con.execute(f"SELECT {', '.join(columns)} FROM {view}").fetchall(), key=repr)
        finally:
            con.close()

    for view in VIEWS:
        assert rows(upgraded["db"], view) == rows(fresh, view), view


# -- foreign keys -------------------------------------------------------------


DECLARED = {("event_mentions", "location", "entities"), ("event_mentions", "claimant", "entities"),
            ("events", "location", "entities"), ("events", "story", "stories"),
            ("quotes", "speaker", "entities"), ("quotes", "event", "event_mentions")}


@pytest.mark.parametrize("which", ["fresh", "upgraded"])
def test_declared_foreign_keys_hold(which, fresh, upgraded):
    path = fresh if which == "fresh" else upgraded["db"]
    con = sqlite3.connect(path)
    try:
        declared = {(t, fk[3], fk[2]) for t, _, _ in DECLARED for fk in con.execute(f"PRAGMA foreign_key_list({t})")}
        assert DECLARED <= declared
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # The references are used, not just allowed.
        assert con.execute("SELECT count(*) FROM events WHERE location IS NOT NULL").fetchone()[0] > 5
        assert con.execute("SELECT count(*) FROM quotes WHERE speaker IS NOT NULL").fetchone()[0] > 3
    finally:
        con.close()


def test_a_quote_keeps_its_text_when_its_mention_goes(tmp_path):
    db = str(tmp_path / "q.db")
    shutil.copy(REPO / "examples" / "01-nato-hague-zelenskyy-trump.txt", tmp_path / "a.txt")
    assert cli.main(["build", str(tmp_path / "a.txt"), "--db", db, "-q"]) == 0
    with Store(db) as store:
        event = store.db.execute("SELECT event FROM quotes WHERE event IS NOT NULL").fetchone()[0]
        store.db.execute("DELETE FROM event_mentions WHERE id=?", (event,))
        assert store.db.execute("SELECT count(*) FROM quotes WHERE event=?", (event,)).fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM quotes WHERE event IS NULL").fetchone()[0] >= 1
        with pytest.raises(sqlite3.IntegrityError):
            store.db.execute("UPDATE events SET location='gn:0' WHERE rowid=(SELECT min(rowid) FROM events)")


def test_dating_a_copy_rewrites_quotes_that_point_at_its_mentions(tmp_path):
    """``Store.date_copy`` deletes a document's mentions before its quotes: the quotes' foreign key
    lets it, and the quotes written again point at the new mentions."""
    db = str(tmp_path / "copy.db")
    shutil.copy(REPO / "examples" / "07-rubio-ceasefire-sunday.txt", tmp_path / "undated.txt")
    assert cli.main(["build", str(tmp_path / "undated.txt"), "--db", db, "-q"]) == 0
    with Store(db) as store:
        [doc_id] = store.document_ids()
        doc = store.document(doc_id)
        linked = [q.event for q in doc.quotes if q.event]
        assert doc.published is None and linked
        assert store.date_copy(doc_id, "2025-08-17", annotated=doc)
        again = store.document(doc_id)
        assert again.published == "2025-08-17"
        assert [q.event for q in again.quotes if q.event] == linked
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


# -- datasette itself -----------------------------------------------------------


def _serve(path: str, *requests: str) -> list:
    async def run():
        ds = Datasette([path])
        await ds.invoke_startup()
        out = []
        for url in requests:
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.text[:300])
            out.append(response.json())
        return out

    return asyncio.run(run())


def test_datasette_serves_views_search_and_labels(fresh):
    name = Path(fresh).stem
    events, search, mentions, table = _serve(
        fresh,
        f"/{name}/event_rows.json?_shape=array&_size=max&type=ASSAULT&location=Dnipro",
        f"/{name}/sentences.json?_search=Dnipro+mourning&_shape=array",
        f"/{name}/mention_rows.json?_shape=array&outlet=Lantern+Daily&_size=max",
        f"/{name}/events.json?_labels=on&_shape=array&location__notblank=1&_size=max")
    assert events and all(e["location"] == "Dnipro" for e in events)
    assert any({"Russia", "Ukraine"} <= set(e["actors"].split("; ")) for e in events)
    assert search and all("Dnipro" in s["text"] and "mourning" in s["text"] for s in search)
    assert mentions and {m["document_title"] for m in mentions} == {"Dnipro mourns after daytime strike; at least 17 dead"}
    # Declared foreign keys: datasette shows the entity's name beside its id.
    places = {e["location"]["value"]: e["location"]["label"] for e in table}
    assert places.get("gn:709930") == "Dnipro", places


def test_the_metadata_example_gives_labels_and_facets(fresh, tmp_path):
    import json

    path = str(tmp_path / "storyline.db")  # the name the example's metadata is written for
    src, dst = sqlite3.connect(fresh), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close(), dst.close()
    metadata = json.loads((REPO / "docs" / "datasette-metadata.json").read_text())

    async def run():
        ds = Datasette([path], metadata=metadata)
        await ds.invoke_startup()
        links = await ds.client.get("/storyline/event_links.json?_labels=on&_shape=array&_size=5")
        rows = await ds.client.get("/storyline/event_rows.json")
        index = await ds.client.get("/storyline.json")
        return links.json(), rows.json(), index.json()

    links, rows, index = asyncio.run(run())
    summaries = {r[0] for r in sqlite3.connect(path).execute("SELECT summary FROM events")}
    assert links and all(link["event"]["label"] in summaries for link in links)
    assert {"type", "status"} <= set(rows["facet_results"])
    dates = [r[rows["columns"].index("date")] for r in rows["rows"]]
    assert dates == sorted(dates, key=lambda d: (d is not None, d))
    hidden = {t["name"] for t in index["tables"] if t["hidden"]}
    assert {"state", "story_df"} <= hidden
