"""The PostgreSQL store (issue 19): the same database as SQLite's from the same articles, a schema
that matches SQLite's table by table, builds at once without losing an article, read-only stores.

They need a server: ``STORYLINE_TEST_POSTGRES=postgresql://...`` (``.ci/run`` starts a throwaway
cluster and sets it).  Without it they skip.  With it the rest of the suite runs on that server too:
every database a test gives as a file path is kept in a schema of its own there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from storyline import api
from storyline.store import MIGRATIONS, Store

SERVER = os.environ.get("STORYLINE_TEST_POSTGRES", "").strip()
pytestmark = pytest.mark.skipif(not SERVER, reason="no PostgreSQL server given: set STORYLINE_TEST_POSTGRES")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _schema_url(name: str) -> str:
    return f"{SERVER}{'&' if '?' in SERVER else '?'}options=-csearch_path%3D{name}"


@pytest.fixture
def pg(monkeypatch):
    """A URL naming a fresh schema; the suite's path-to-schema switch is off inside the test, so a
    file path is an SQLite file again."""
    monkeypatch.delenv("STORYLINE_TEST_POSTGRES", raising=False)
    name = "sl_" + uuid.uuid4().hex[:16]
    yield _schema_url(name)
    import psycopg
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')



def _sorted(export: dict) -> dict:
    """An export with each list's items in one order (builds at once store articles in any order)."""
    return {k: sorted(json.dumps(x, sort_keys=True) for x in v) if isinstance(v, list) else v
            for k, v in export.items()}


def test_the_examples_give_the_same_database_on_both_backends(pg, tmp_path):
    lite = str(tmp_path / "x.db")
    a = api.build([str(EXAMPLES)], db=lite, workers=1, progress=False)
    b = api.build([str(EXAMPLES)], db=pg, workers=1, progress=False)
    assert (a.added, a.events, a.contradictions) == (b.added, b.events, b.contradictions)
    assert a.added == 10 and a.events > 50
    assert api.export(db=lite) == api.export(db=pg)
    assert api.timeline(db=lite) == api.timeline(db=pg)
    assert api.brief(db=lite, fmt="md") == api.brief(db=pg, fmt="md")
    assert api.stories(db=lite) == api.stories(db=pg)
    # Full-text search finds the same sentences; each ranks them its own way (bm25, ts_rank).
    with Store(lite) as s1, Store(pg) as s2:
        assert type(s2).__name__ == "PostgresStore"
        hits = s1.search("ceasefire talks", limit=50)
        assert len(hits) >= 3 and sorted(hits) == sorted(s2.search("ceasefire talks", limit=50))
        assert s1.search("a-b (c) \"d\" OR") == s2.search("a-b (c) \"d\" OR") == []
        story = api.stories(db=lite)[0]["id"]
        for filters in ({"story": story}, {"types": ["ASSAULT"]}, {"words": ["Istanbul"]},
                        {"actor": "Q212"}, {"actor": "Q159"}, {"start": "2025-08", "end": "2025-08-31"}):
            assert s1.event_ids(**filters) == s2.event_ids(**filters), filters
        assert s1.event_ids(actor="Q212") and s1.event_ids(words=["Istanbul"])


def test_the_schemas_match_table_by_table(pg, tmp_path):
    from storyline.store.postgres import BASELINE, PG_MIGRATIONS
    assert set(PG_MIGRATIONS) == set(range(BASELINE, len(MIGRATIONS) + 1)), "each migration needs its twin"
    with Store(tmp_path / "x.db") as lite, Store(pg) as server:
        assert lite.schema_version == server.schema_version == len(MIGRATIONS)
        tables = [r[0] for r in lite.db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sentences_fts%'")]
        assert len(tables) > 15
        for table in tables:
            want = [r[1] for r in lite.db.execute(f"PRAGMA table_info({table})") if r[1] != "rowid"]
            have = [r[0] for r in server.db.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema=current_schema() "
                "AND table_name=? ORDER BY ordinal_position", (table,)) if r[0] not in ("rowid", "tsv")]
            assert have == want, table


def test_builds_at_once_keep_every_article_once(pg, tmp_path):
    files = sorted(f for f in EXAMPLES.iterdir() if f.suffix != ".md")
    assert len(files) == 8  # ten articles: one file is a feed of three
    halves = [files[::2], files[1::2] + files[:3]]  # overlapping: two files come twice
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    runs = [subprocess.Popen([sys.executable, "-m", "storyline.cli", "build", *map(str, half), "--db", pg,
                              "--workers", "1", "--quiet"], env=env, stderr=subprocess.PIPE, text=True)
            for half in halves]
    outs = [r.communicate(timeout=600)[1] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    # A build whose link did not cover the other's articles left the store marked; a build with
    # nothing new links it (as on SQLite).
    assert api.build([str(EXAMPLES)], db=pg, workers=1, progress=False).unchanged == 10
    with Store(pg) as s:
        assert len(s.document_ids()) == 10 and not s.needs_link()
    lite = str(tmp_path / "serial.db")
    api.build([str(EXAMPLES)], db=lite, workers=1, progress=False)
    # The same articles with the same annotations; stories and copies are assigned in the order
    # articles arrive, so those may differ from a one-build order, as they may on SQLite.
    together, serial = api.export(db=pg), api.export(db=lite)
    for key in ("quotes", "entities"):
        assert _sorted(together)[key] == _sorted(serial)[key], key
    assert sorted((d["id"], d["title"]) for d in together["documents"]) == \
        sorted((d["id"], d["title"]) for d in serial["documents"])
    with Store(pg) as s:  # every mention of every article belongs to one event
        mentions = {m.id for _, m in s.event_mentions() if m.date and m.date.value}
        assert mentions and set(s.events_of_mentions(mentions)) == mentions


def test_a_read_only_store_writes_nothing_and_sees_a_change(pg):
    api.build([str(EXAMPLES / "01-nato-hague-zelenskyy-trump.txt")], db=pg, workers=1, progress=False)
    reader = Store(pg, readonly=True)
    try:
        assert reader.unchanged()
        with pytest.raises(Exception, match="read-only"):
            reader.db.execute("DELETE FROM documents")
        api.build([str(EXAMPLES)], db=pg, workers=1, progress=False)
        assert not reader.unchanged()
    finally:
        reader.close()


def test_a_schema_that_does_not_exist_is_no_database(pg, capsys):
    from storyline import cli
    from storyline.store import StoreError
    assert cli.main(["timeline", "--db", pg]) == 1
    assert "no database at" in capsys.readouterr().err
    with pytest.raises(StoreError, match="not a Storyline database"):
        Store(pg, readonly=True)


def test_tables_of_another_program_are_refused(pg):
    import psycopg
    from storyline.store import StoreError
    name = pg.rsplit("%3D", 1)[1]
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
        conn.execute(f'CREATE TABLE "{name}".documents (x int)')
    with pytest.raises(StoreError, match="another program"):
        Store(pg)
