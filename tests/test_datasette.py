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

import storyline.store as store_module
from storyline import cli
from storyline.store import MIGRATIONS, Store

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
