"""The store: every stage's output, behind one interface.

SQLite now (WAL, foreign keys, FTS5 over sentences); the methods here are the
only place that speaks SQL, so a PostgreSQL implementation can sit behind the
same ``Store`` interface later.

Each document is written in one transaction together with all its
annotations: a build killed at any moment leaves whole documents or none,
and the next build skips what is already there.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from collections import Counter
from typing import Iterator, NamedTuple

from ..model import (Claim, Clues, Contradiction, Document, EntityMention, Event, EventMention, NonEvent, Quantity,
                    Quote, Removal, Sentence, Story, TimeExpr)

# Versioned migrations: append, never edit a released one.
MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        external_id TEXT, path TEXT, url TEXT, title TEXT, source TEXT, fmt TEXT,
        published TEXT, published_from TEXT NOT NULL, published_after TEXT,
        byline TEXT, desk TEXT,
        text TEXT NOT NULL, raw_text TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        supersedes TEXT REFERENCES documents(id),
        current INTEGER NOT NULL DEFAULT 1,
        added_at TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX documents_url ON documents(url);
    CREATE TABLE removals (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, start INTEGER,
        PRIMARY KEY (doc, seq)
    );
    CREATE TABLE sentences (
        rowid INTEGER PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        paragraph INTEGER NOT NULL, text TEXT NOT NULL,
        UNIQUE (doc, idx)
    );
    CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='rowid');
    CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TABLE timexes (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        value TEXT, precision TEXT NOT NULL, kind TEXT NOT NULL, anchor TEXT
    );
    CREATE INDEX timexes_doc ON timexes(doc);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, country TEXT
    );
    CREATE TABLE entity_mentions (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        entity TEXT NOT NULL REFERENCES entities(id)
    );
    CREATE INDEX entity_mentions_doc ON entity_mentions(doc);
    CREATE TABLE event_mentions (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, trigger TEXT NOT NULL,
        date_value TEXT, date_precision TEXT, date_text TEXT, date_start INTEGER, date_end INTEGER,
        date_anchor TEXT, location TEXT,
        actors TEXT NOT NULL, quantities TEXT NOT NULL, keywords TEXT NOT NULL
    );
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    CREATE TABLE quotes (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        speaker TEXT, speaker_name TEXT, sentence INTEGER
    );
    CREATE INDEX quotes_doc ON quotes(doc);
    -- Cross-document results: rebuilt by the link stage in one transaction.
    CREATE TABLE events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, summary TEXT NOT NULL,
        date_value TEXT, date_precision TEXT NOT NULL, date_text TEXT,
        actors TEXT NOT NULL, location TEXT, salience REAL NOT NULL DEFAULT 0
    );
    CREATE TABLE event_links (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        mention TEXT NOT NULL REFERENCES event_mentions(id) ON DELETE CASCADE,
        PRIMARY KEY (event, mention)
    );
    CREATE TABLE contradictions (
        id TEXT PRIMARY KEY,
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        attribute TEXT NOT NULL, claims TEXT NOT NULL, note TEXT
    );
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 2: actors and places (issue 4): titles and their checks, coordinates,
    # quote dates and events; a role contradiction may belong to no event.
    """
    ALTER TABLE entities ADD COLUMN lat REAL;
    ALTER TABLE entities ADD COLUMN lon REAL;
    ALTER TABLE entity_mentions ADD COLUMN title TEXT;
    ALTER TABLE entity_mentions ADD COLUMN conflict TEXT;
    ALTER TABLE entity_mentions ADD COLUMN date TEXT;
    ALTER TABLE quotes ADD COLUMN date TEXT;
    ALTER TABLE quotes ADD COLUMN event TEXT;
    DROP TABLE contradictions;
    CREATE TABLE contradictions (
        id TEXT PRIMARY KEY,
        event TEXT REFERENCES events(id) ON DELETE CASCADE,
        attribute TEXT NOT NULL, claims TEXT NOT NULL, note TEXT,
        doc TEXT REFERENCES documents(id) ON DELETE CASCADE, sentence INTEGER
    );
    INSERT OR REPLACE INTO state VALUES ('linked', '0');
    """,
    # 3: events (issue 5): mode, status, who acted on whom, intensity, the
    # sentences folded into a mention, and planned events tied to their outcome.
    # Lists are JSON text; old rows read as occurred, neutral and actorless
    # until the next build re-links them.
    """
    ALTER TABLE event_mentions ADD COLUMN mode TEXT;
    ALTER TABLE event_mentions ADD COLUMN status TEXT NOT NULL DEFAULT 'occurred';
    ALTER TABLE event_mentions ADD COLUMN claimant TEXT;
    ALTER TABLE event_mentions ADD COLUMN source TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE event_mentions ADD COLUMN target TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE event_mentions ADD COLUMN intensity REAL NOT NULL DEFAULT 0;
    ALTER TABLE event_mentions ADD COLUMN sentences TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN mode TEXT;
    ALTER TABLE events ADD COLUMN status TEXT NOT NULL DEFAULT 'occurred';
    ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN target TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN intensity REAL NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN related TEXT NOT NULL DEFAULT '[]';
    INSERT OR REPLACE INTO state VALUES ('linked', '0');
    """,
    # 4: near-duplicates and stories (issue 6).  A document keeps its MinHash
    # signature and its story features (term counts, JSON) once computed, so
    # a re-link only works on new documents; verified near-duplicate pairs
    # are kept with their Jaccard similarity.  A story keeps its centroid
    # and size in ``state`` (JSON) so that adding documents updates it.
    """
    ALTER TABLE documents ADD COLUMN minhash BLOB;
    ALTER TABLE documents ADD COLUMN duplicate_of TEXT REFERENCES documents(id);
    ALTER TABLE documents ADD COLUMN story TEXT REFERENCES stories(id);
    ALTER TABLE documents ADD COLUMN story_terms TEXT;
    CREATE TABLE near_duplicates (
        a TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        b TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        jaccard REAL NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT, first TEXT, last TEXT,
        size INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE story_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
    ALTER TABLE events ADD COLUMN story TEXT;
    INSERT OR REPLACE INTO state VALUES ('linked', '0');
    """,
    # 5: what coreference compares of a mention (issue 17): its head word and
    # argument words, JSON.  Older rows have none and are compared by their
    # trigger word alone until their documents are built again.
    """
    ALTER TABLE event_mentions ADD COLUMN clues TEXT;
    INSERT OR REPLACE INTO state VALUES ('linked', '0');
    """,
    # 6: typed clauses judged not to be events, with the reason (issue 17):
    # what the event stage left out is kept, not hidden.
    """
    CREATE TABLE non_events (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, sentence INTEGER NOT NULL, text TEXT NOT NULL,
        reason TEXT NOT NULL, type TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX non_events_doc ON non_events(doc);
    """,
    # 7: the full-text index declared as datasette looks for it (issue 18): datasette
    # finds the FTS table of ``sentences`` only by a double-quoted (or bracketed)
    # ``content="sentences"`` in its CREATE statement, and migration 1 wrote it in
    # single quotes.  The index is dropped, declared again and rebuilt from the
    # sentences; an UPDATE of a sentence's text now keeps it in step as well.
    """
    DROP TRIGGER sentences_ai;
    DROP TRIGGER sentences_ad;
    DROP TABLE sentences_fts;
    CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content="sentences", content_rowid="rowid");
    CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    CREATE TRIGGER sentences_au AFTER UPDATE OF text ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
    """,
    # 8: foreign keys on the single-id references that had none (issue 18), so that
    # tools such as datasette show the entity, story or mention a row points to.
    # SQLite adds a foreign key only by building the table again: each table is
    # copied into a new one and the old one dropped.  Dropping event_mentions and
    # events deletes their event_links and contradictions by ON DELETE CASCADE
    # (foreign keys are on and cannot be turned off inside the migration's
    # transaction), so those are kept aside in temporary tables and put back.
    # Every id the store writes is an entity of the same document, stored before
    # the rows that name it; an older database's id that names nothing is set to
    # NULL in the copy rather than failing the upgrade.
    # Not declared: the JSON lists (actors, source, target, related, quantities),
    # which a foreign key cannot describe, and sentence indexes (event_mentions,
    # quotes, non_events, contradictions), which name a sentence only together
    # with the document and, for quotes, may be -1.
    """
    CREATE TEMP TABLE kept_links AS SELECT * FROM event_links;
    CREATE TEMP TABLE kept_contradictions AS SELECT * FROM contradictions;
    CREATE TABLE event_mentions_new (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, trigger TEXT NOT NULL,
        date_value TEXT, date_precision TEXT, date_text TEXT, date_start INTEGER, date_end INTEGER,
        date_anchor TEXT, location TEXT REFERENCES entities(id),
        actors TEXT NOT NULL, quantities TEXT NOT NULL, keywords TEXT NOT NULL,
        mode TEXT, status TEXT NOT NULL DEFAULT 'occurred', claimant TEXT REFERENCES entities(id),
        source TEXT NOT NULL DEFAULT '[]', target TEXT NOT NULL DEFAULT '[]',
        intensity REAL NOT NULL DEFAULT 0, sentences TEXT NOT NULL DEFAULT '[]', clues TEXT
    );
    INSERT INTO event_mentions_new
        SELECT id, doc, sentence, start, end, text, type, trigger, date_value, date_precision, date_text,
               date_start, date_end, date_anchor,
               CASE WHEN location IN (SELECT id FROM entities) THEN location END,
               actors, quantities, keywords, mode, status,
               CASE WHEN claimant IN (SELECT id FROM entities) THEN claimant END,
               source, target, intensity, sentences, clues
        FROM event_mentions;
    DROP TABLE event_mentions;
    ALTER TABLE event_mentions_new RENAME TO event_mentions;
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    CREATE TABLE events_new (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, summary TEXT NOT NULL,
        date_value TEXT, date_precision TEXT NOT NULL, date_text TEXT,
        actors TEXT NOT NULL, location TEXT REFERENCES entities(id), salience REAL NOT NULL DEFAULT 0,
        mode TEXT, status TEXT NOT NULL DEFAULT 'occurred',
        source TEXT NOT NULL DEFAULT '[]', target TEXT NOT NULL DEFAULT '[]',
        intensity REAL NOT NULL DEFAULT 0, related TEXT NOT NULL DEFAULT '[]',
        story TEXT REFERENCES stories(id)
    );
    INSERT INTO events_new
        SELECT id, type, summary, date_value, date_precision, date_text, actors,
               CASE WHEN location IN (SELECT id FROM entities) THEN location END,
               salience, mode, status, source, target, intensity, related,
               CASE WHEN story IN (SELECT id FROM stories) THEN story END
        FROM events;
    DROP TABLE events;
    ALTER TABLE events_new RENAME TO events;
    INSERT INTO event_links SELECT * FROM temp.kept_links WHERE mention IN (SELECT id FROM event_mentions);
    INSERT INTO contradictions SELECT * FROM temp.kept_contradictions;
    DROP TABLE temp.kept_links;
    DROP TABLE temp.kept_contradictions;
    CREATE TABLE quotes_new (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        speaker TEXT REFERENCES entities(id), speaker_name TEXT, sentence INTEGER, date TEXT,
        event TEXT REFERENCES event_mentions(id) ON DELETE SET NULL
    );
    INSERT INTO quotes_new
        SELECT doc, start, end, text,
               CASE WHEN speaker IN (SELECT id FROM entities) THEN speaker END,
               speaker_name, sentence, date,
               CASE WHEN event IN (SELECT id FROM event_mentions) THEN event END
        FROM quotes ORDER BY rowid;
    DROP TABLE quotes;
    ALTER TABLE quotes_new RENAME TO quotes;
    CREATE INDEX quotes_doc ON quotes(doc);
    """,
    # 9: readable views for datasette and other SQLite browsers (issue 18): events,
    # mentions and actors with entity names in place of the ids in the JSON lists
    # (an id that names no stored entity is shown as it is).  Names are joined
    # with "; " in the order the list holds them.  A later migration that builds
    # one of their tables again must drop and recreate these views around it.
    """
    CREATE VIEW event_rows AS
    SELECT e.id, e.type, e.mode, e.status, e.date_value AS date, e.date_precision AS precision,
           e.date_text, e.summary,
           (SELECT group_concat(name, '; ') FROM (
               SELECT coalesce(n.name, j.value) AS name FROM json_each(e.actors) j
               LEFT JOIN entities n ON n.id = j.value ORDER BY j.key)) AS actors,
           (SELECT group_concat(name, '; ') FROM (
               SELECT coalesce(n.name, j.value) AS name FROM json_each(e.source) j
               LEFT JOIN entities n ON n.id = j.value ORDER BY j.key)) AS source,
           (SELECT group_concat(name, '; ') FROM (
               SELECT coalesce(n.name, j.value) AS name FROM json_each(e.target) j
               LEFT JOIN entities n ON n.id = j.value ORDER BY j.key)) AS target,
           coalesce(p.name, e.location) AS location, p.country AS location_country,
           (SELECT count(*) FROM event_links l WHERE l.event = e.id) AS mentions,
           (SELECT count(DISTINCT m.doc) FROM event_links l JOIN event_mentions m ON m.id = l.mention
            WHERE l.event = e.id) AS documents,
           e.intensity, e.salience, e.story, st.title AS story_title
    FROM events e
    LEFT JOIN entities p ON p.id = e.location
    LEFT JOIN stories st ON st.id = e.story;
    CREATE VIEW mention_rows AS
    SELECT m.id, (SELECT min(l.event) FROM event_links l WHERE l.mention = m.id) AS event,
           m.doc, d.title AS document_title, d.source AS outlet, d.url, d.published, d.current,
           m.sentence AS sentence_index, m.text AS sentence, m.type, m.mode, m.status, m.trigger,
           m.date_value AS date, m.date_precision AS precision, m.date_text,
           (SELECT group_concat(name, '; ') FROM (
               SELECT coalesce(n.name, j.value) AS name FROM json_each(m.actors) j
               LEFT JOIN entities n ON n.id = j.value ORDER BY j.key)) AS actors,
           coalesce(p.name, m.location) AS location, p.country AS location_country,
           coalesce(c.name, m.claimant) AS claimant
    FROM event_mentions m
    JOIN documents d ON d.id = m.doc
    LEFT JOIN entities p ON p.id = m.location
    LEFT JOIN entities c ON c.id = m.claimant;
    CREATE VIEW actor_events AS
    SELECT coalesce(n.name, j.value) AS actor, n.type AS actor_type, n.country AS actor_country,
           j.value AS actor_id,
           CASE WHEN EXISTS (SELECT 1 FROM json_each(e.source) s WHERE s.value = j.value) THEN 'source'
                WHEN EXISTS (SELECT 1 FROM json_each(e.target) t WHERE t.value = j.value) THEN 'target'
                ELSE 'participant' END AS role,
           e.id AS event, e.type, e.status, e.date_value AS date, e.date_precision AS precision, e.summary
    FROM events e, json_each(e.actors) j
    LEFT JOIN entities n ON n.id = j.value;
    """,
    # 10: indexes for the query layer (issue 18): pages read one story, one
    # event or one actor at a time instead of the whole store.
    """
    CREATE INDEX events_story_date ON events(story, date_value);
    CREATE INDEX events_date ON events(date_value);
    CREATE INDEX event_links_mention ON event_links(mention);
    CREATE INDEX contradictions_event ON contradictions(event);
    CREATE INDEX quotes_event ON quotes(event);
    CREATE INDEX documents_story ON documents(story);
    CREATE INDEX entity_mentions_entity ON entity_mentions(entity);
    """,
    # 11: covering indexes for the web app's busiest reads (issue 18, found with
    # benchmarks/web.py).  A document's row holds its whole text, so reading its
    # current flag, copy or outlet from the table walks overflow pages; these
    # answer those reads, a mention's article and a sentence's mentions from
    # the index alone.
    """
    CREATE INDEX documents_current ON documents(id, current, duplicate_of);
    CREATE INDEX documents_story_current ON documents(story, current, published, source, duplicate_of, id);
    CREATE INDEX event_mentions_id_doc ON event_mentions(id, doc);
    CREATE INDEX event_mentions_sentence ON event_mentions(doc, sentence, id);
    """,
    # Watched feeds (issue 19, `storyline watch`): each feed's validators for the next
    # conditional request, and each item met in it, by its guid (else its link), with
    # the article page it links to.  An item is "stored" once its page is in the store,
    # "pending" while its page has failed fewer times than the watcher allows, then
    # "given up".  Times are ISO text in UTC.
    """
    CREATE TABLE watched_feeds (
        url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, polled TEXT
    );
    CREATE TABLE watched_items (
        feed TEXT NOT NULL, item TEXT NOT NULL, link TEXT, title TEXT, published TEXT,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT, document TEXT,
        first_seen TEXT NOT NULL, updated TEXT NOT NULL,
        PRIMARY KEY (feed, item)
    );
    """,
    # Incremental linking (issue 19): the component an event was made from
    # (``link.components.fingerprint``; NULL when linked otherwise, so it is made
    # again), and the ids of events that merged into or split off others, each
    # with the event that holds most of its mentions now.
    """
    ALTER TABLE events ADD COLUMN component TEXT;
    CREATE INDEX events_component ON events(component);
    CREATE TABLE event_aliases (
        alias TEXT PRIMARY KEY,
        event TEXT NOT NULL
    );
    """,
]

# Columns named in inserts: a migrated table has its added columns at the end,
# and naming them keeps the inserts independent of that order.
_MENTION_COLUMNS = ("id", "doc", "sentence", "start", "end", "text", "type", "trigger", "date_value",
                    "date_precision", "date_text", "date_start", "date_end", "date_anchor", "location",
                    "actors", "quantities", "keywords", "mode", "status", "claimant", "source", "target",
                    "intensity", "sentences", "clues")
_EVENT_COLUMNS = ("id", "type", "summary", "date_value", "date_precision", "date_text", "actors", "location",
                  "salience", "mode", "status", "source", "target", "intensity", "related", "story")
_CONTRADICTION_COLUMNS = ("id", "event", "attribute", "claims", "note", "doc", "sentence")
# Ids bound in one "IN (...)" query: under SQLite's old default limit of 999 variables.
_MAX_VARIABLES = 900


# Writes one key of the ``state`` table (portable upsert: SQLite and PostgreSQL both read it).
_SET_STATE = "INSERT INTO state VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value"

# Every write of canonical events adds one to this key: ``link_generation``.
_BUMP_LINKS = ("INSERT INTO state VALUES ('link_generation', '1') "
               "ON CONFLICT (key) DO UPDATE SET value=CAST(CAST(state.value AS INTEGER) + 1 AS TEXT)")

# How long a writer waits for another build's transaction before giving up.
_BUSY_TIMEOUT = 120.0
# Documents whose edited versions replace each other by path: files that hold one article.
_ONE_ARTICLE_FORMATS = ("txt", "html")


class StoreError(Exception):
    """The database cannot be used (not a database, cannot be opened); one line for the user."""


class AmbiguousKey(LookupError):
    """A prefix that more than one id starts with; ``candidates`` lists some of them."""

    def __init__(self, key: str, candidates: list[str]):
        super().__init__(f"{key!r} is the start of several ids: {', '.join(candidates)}")
        self.key, self.candidates = key, candidates


def _chunks(ids) -> Iterator[tuple[list[str], str]]:
    """Distinct ids in slices small enough for one "IN (...)" query, each with its placeholders."""
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _MAX_VARIABLES):
        chunk = ids[i:i + _MAX_VARIABLES]
        yield chunk, ",".join("?" * len(chunk))


def _like_prefix(key: str) -> str:
    """A LIKE pattern for ids starting with ``key``, its own % and _ taken literally."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


SERVER_SCHEMES = ("postgresql://", "postgres://")


def on_server(db: str) -> bool:
    """Whether ``db`` is kept on a PostgreSQL server: a server URL, or any database while
    ``$STORYLINE_TEST_POSTGRES`` is set (the test suite's run on PostgreSQL, ``postgres.test_url_for``)."""
    return db.startswith(SERVER_SCHEMES) or bool(os.environ.get("STORYLINE_TEST_POSTGRES", "").strip())


class UnstorableDocument(ValueError):
    """One document's data cannot be written (the transaction is rolled back; the store is fine)."""


def _statements(script: str) -> list[str]:
    """A migration script as single statements (triggers kept whole)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return [st for st in out if st.strip(" ;\n")]


class PendingDoc(NamedTuple):
    """What story clustering needs of a document not yet in a story."""

    id: str
    title: str | None
    published: str | None
    supersedes: str | None
    terms: dict[str, int] | None  # story features, once computed


def _fts_words(text: str) -> str:
    """An FTS5 query matching every word of ``text`` as a plain term, so punctuation in it is never
    read as FTS5 syntax; "" when it holds no word."""
    return " ".join('"' + t + '"' for t in re.findall(r"\w+", text))


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _mention_row(doc_id: str, m: EventMention) -> tuple:
    d = m.date
    return (m.id, doc_id, m.sentence, m.start, m.end, m.text, m.type, m.trigger,
            d.value if d else None, d.precision if d else None, d.text if d else None,
            d.start if d else None, d.end if d else None, d.anchor if d else None, m.location,
            json.dumps(m.actors), json.dumps([asdict(q) for q in m.quantities]), json.dumps(m.keywords),
            m.mode, m.status, m.claimant, json.dumps(m.source), json.dumps(m.target), m.intensity,
            json.dumps(m.sentences), json.dumps(m.clues.as_json()) if m.clues else None)


def _event_row(e: Event) -> tuple:
    return (e.id, e.type, e.summary, e.date_value, e.date_precision, e.date_text, json.dumps(e.actors),
            e.location, e.salience, e.mode, e.status, json.dumps(e.source), json.dumps(e.target), e.intensity,
            json.dumps(e.related), e.story)


def _contradiction_row(c: Contradiction) -> tuple:
    return (c.id, c.event, c.attribute, json.dumps([asdict(cl) for cl in c.claims]), c.note, c.doc, c.sentence)


def _quote(x) -> Quote:
    return Quote(x["start"], x["end"], x["text"], x["speaker"], x["speaker_name"], x["sentence"], x["date"], x["event"])


class Store:
    """SQLite-backed store.  Use as a context manager or call ``close``.

    ``Store(url)`` with a ``postgresql://`` URL opens the PostgreSQL backend
    (``postgres.PostgresStore``, a subclass that runs these same methods
    through a dialect translation and overrides what SQLite does its own way).
    """

    # The dialect's own pieces of the shared SQL.
    # Full-text match over sentences ``s``: the FROM part, the condition (one argument, the words
    # from ``_match_words``) and the best-first order.
    _MATCH = ("sentences_fts f JOIN sentences s ON s.rowid=f.rowid", "sentences_fts MATCH ?", "rank")
    # A time expression ``t`` whose value starts with a calendar day.
    _STARTS_WITH_DAY = "t.value GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]*'"

    # Whether the connection comes from a pool shared by this process's stores (close it soon).
    pooled = False

    # What a document's own bad data raises while it is written (``UnstorableDocument``).
    _DATA_ERRORS: tuple = (sqlite3.DataError, sqlite3.IntegrityError, sqlite3.InterfaceError,
                           ValueError, UnicodeError, OverflowError, TypeError)

    def __new__(cls, path: str | Path = "storyline.db", *args, **kwargs):
        if cls is Store and on_server(str(path)):
            from .postgres import PostgresStore
            return super().__new__(PostgresStore)
        return super().__new__(cls)

    @staticmethod
    def _match_words(text: str) -> str:
        return _fts_words(text)

    @staticmethod
    def _names_actor(actor: str) -> tuple[str, list]:
        """A condition true for an event ``e`` whose actors, source or target hold ``actor``."""
        # The lists are written by json.dumps, so an event naming the actor holds its id as
        # json.dumps writes it: instr() passes over most events before json_each reads any
        # (CASE, since SQLite may test the terms of an AND in any order).
        quoted = json.dumps(actor)
        return ("CASE WHEN instr(e.actors, ?) OR instr(e.source, ?) OR instr(e.target, ?) THEN "
                "? IN (SELECT value FROM json_each(e.actors) UNION ALL SELECT value FROM json_each(e.source) "
                "UNION ALL SELECT value FROM json_each(e.target)) ELSE 0 END", [quoted, quoted, quoted, actor])

    def __init__(self, path: str | Path = "storyline.db", readonly: bool = False):
        """``readonly``: open the file as it is, never writing to it (SQLite's mode=ro): no
        database is created, no migration runs and every write fails.  For ``storyline serve``."""
        self.path = str(path)
        self.readonly = readonly
        self._all_current: bool | None = None  # _every_event_current, once asked
        self._opened: tuple | None = None  # _version() when a read-only store was opened
        try:
            if readonly:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=_BUSY_TIMEOUT)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, timeout=_BUSY_TIMEOUT)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        try:
            self.db.row_factory = sqlite3.Row
            if readonly:
                self.db.execute("PRAGMA query_only=ON")
                try:
                    self._check_schema()
                except StoreError:
                    self.db.close()
                    raise
                self._opened = self._version()
                return
            self._enable_wal()
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise StoreError(f"{self.path} is not a Storyline database ({exc})") from None
            raise StoreError(f"cannot use database {self.path}: {exc}") from None

    def _enable_wal(self) -> None:
        """Switch to WAL.  On a new file that another build opens at the same moment, SQLite
        answers "locked" at once instead of waiting (no busy handler for this), so retry."""
        deadline = time.monotonic() + _BUSY_TIMEOUT
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _version(self) -> tuple | None:
        """The database file (device, inode) and SQLite's data_version on this connection; None
        when the file is gone."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino, self.db.execute("PRAGMA data_version").fetchone()[0]

    def version(self) -> tuple:
        """What identifies the database's present contents to a cache shared by connections: the
        database file's and its write-ahead log's identity, size and modification time (SQLite's
        data_version only compares within one connection)."""
        out = []
        for path in (self.path, f"{self.path}-wal"):
            try:
                st = os.stat(path)
                out.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def unchanged(self) -> bool:
        """For a read-only store kept open between requests: True while no other connection has
        committed to the database and its file has not been replaced since this one opened it;
        when False, open a new one (which checks the schema again)."""
        return self._opened is not None and self._version() == self._opened

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def _check_schema(self) -> None:
        """A read-only store cannot migrate: its schema must be this version's already."""
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer Storyline (schema {version})")
        if version == 0:
            raise StoreError(f"{self.path} is not a Storyline database")
        if version < len(MIGRATIONS):
            raise StoreError(f"{self.path} has an older schema ({version}, this version reads "
                             f"{len(MIGRATIONS)}): run any other storyline command on it once to upgrade it")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == len(MIGRATIONS):
            return
        if version > len(MIGRATIONS):
            raise StoreError(f"{self.path} was written by a newer Storyline (schema {version})")
        # One writer migrates; a build that started at the same moment waits
        # for the lock, then finds the schema current.
        with self._tx() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(f"{self.path} is an SQLite database of another program, not Storyline's")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={number}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # -- documents ---------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def add_document(self, doc: Document) -> str:
        """Persist one annotated document; return "added", "revision" or "exists".

        Raises ``UnstorableDocument`` when this document's own data cannot be
        written (nothing of it is kept; the next document goes on as usual).
        """
        try:
            return self._add_document(doc)
        except self._DATA_ERRORS as exc:
            raise UnstorableDocument(f"{type(exc).__name__}: {exc}".splitlines()[0]) from exc

    def _add_document(self, doc: Document) -> str:
        with self._tx() as db:
            if db.execute("SELECT 1 FROM documents WHERE id=?", (doc.id,)).fetchone():
                return "exists"
            revision, supersedes, status = 1, None, "added"
            prev = self._previous(doc)
            if prev:
                revision, supersedes, status = prev["revision"] + 1, prev["id"], "revision"
                db.execute("UPDATE documents SET current=0 WHERE id=?", (prev["id"],))
            db.execute(
                "INSERT INTO documents (id, external_id, path, url, title, source, fmt, published,"
                " published_from, published_after, byline, desk, text, raw_text, revision, supersedes)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.external_id, doc.path, doc.url, doc.title, doc.source, doc.fmt, doc.published,
                 doc.published_from, doc.published_after, doc.byline, doc.desk, doc.text, doc.raw_text,
                 revision, supersedes))
            db.executemany("INSERT INTO removals VALUES (?,?,?,?,?)",
                           [(doc.id, i, r.text, r.reason, r.start) for i, r in enumerate(doc.removed)])
            db.executemany("INSERT INTO sentences (doc, idx, start, end, paragraph, text) VALUES (?,?,?,?,?,?)",
                           [(doc.id, s.index, s.start, s.end, s.paragraph, s.text) for s in doc.sentences])
            self._write_annotations(db, doc)
            db.execute(_SET_STATE, ("linked", "0"))
            db.execute("INSERT INTO state VALUES ('changes', '1') "
                       "ON CONFLICT(key) DO UPDATE SET value=CAST(state.value AS INTEGER) + 1")
        return status

    @staticmethod
    def _write_annotations(db: sqlite3.Connection, doc: Document) -> None:
        """Insert what annotation found in ``doc`` that depends on its date: time expressions,
        entity mentions (a title is checked on a date), event mentions and quotes."""
        db.executemany("INSERT INTO timexes VALUES (?,?,?,?,?,?,?,?)",
                       [(doc.id, t.start, t.end, t.text, t.value, t.precision, t.kind, t.anchor)
                        for t in doc.timexes])
        db.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
                       [(e.entity_id, e.name, e.type, e.country, e.lat, e.lon) for e in doc.entities])
        db.executemany("INSERT INTO entity_mentions VALUES (?,?,?,?,?,?,?,?)",
                       [(doc.id, e.start, e.end, e.text, e.entity_id, e.title, e.conflict, e.date)
                        for e in doc.entities])
        db.executemany(_insert("event_mentions", _MENTION_COLUMNS),
                       [_mention_row(doc.id, m) for m in doc.events])
        db.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?)",
                       [(doc.id, q.start, q.end, q.text, q.speaker, q.speaker_name, q.sentence, q.date, q.event)
                        for q in doc.quotes])
        db.executemany("INSERT INTO non_events (doc, seq, sentence, text, reason, type) VALUES (?,?,?,?,?,?)",
                       [(doc.id, k, n.sentence, n.text, n.reason, n.type) for k, n in enumerate(doc.non_events)])

    def date_copy(self, doc_id: str, published: str, annotated: Document | None = None) -> bool:
        """Give an undated copy its original's publication date (``published_from`` "copy").

        ``annotated`` is the copy annotated again on that date: its time
        expressions, entity, event mentions and quotes replace the stored
        ones in the same transaction, so the date and what was read on it
        never disagree.  Without it only the date is written.  False, and
        nothing written, when the document has a date by now (another
        build gave it one) or is gone.
        """
        if annotated is not None and annotated.id != doc_id:
            raise ValueError(f"annotations of {annotated.id} given for {doc_id}")
        with self._tx() as db:
            done = db.execute("UPDATE documents SET published=?, published_from='copy', published_after=NULL "
                              "WHERE id=? AND published IS NULL", (published, doc_id)).rowcount
            if done and annotated is not None:
                for table in ("timexes", "entity_mentions", "event_mentions", "quotes", "non_events"):
                    db.execute(f"DELETE FROM {table} WHERE doc=?", (doc_id,))
                self._write_annotations(db, annotated)
        return bool(done)

    def _previous(self, doc: Document) -> sqlite3.Row | None:
        """The current document that ``doc`` is a new version of: the same URL, else the
        same external id, else (for a file holding one article) the same path."""
        for column, value in (("url", doc.url), ("external_id", doc.external_id),
                              ("path", doc.path if doc.fmt in _ONE_ARTICLE_FORMATS else None)):
            if not value:
                continue
            # A path names an earlier version only if that, too, was a file of one article.
            kinds = _ONE_ARTICLE_FORMATS if column == "path" else ()
            extra = f" AND fmt IN ({','.join('?' * len(kinds))})" if kinds else ""
            prev = self.db.execute(
                f"SELECT id, revision FROM documents WHERE {column}=? AND current=1{extra} "
                "ORDER BY revision DESC LIMIT 1", (value, *kinds)).fetchone()
            if prev:
                return prev
        return None

    def document_ids(self, current_only: bool = True) -> list[str]:
        sql = "SELECT id FROM documents" + (" WHERE current=1" if current_only else "") + " ORDER BY rowid"
        return [r[0] for r in self.db.execute(sql)]

    def find_document(self, key: str) -> str | None:
        """Resolve a full id, an id prefix, an external id, a path or a URL."""
        path = os.path.abspath(key)
        row = self.db.execute(
            "SELECT id FROM documents WHERE id=? OR external_id=? OR path=? OR path=? OR url=? "
            "ORDER BY current DESC, revision DESC LIMIT 1", (key, key, key, path, key)).fetchone()
        if row:
            return row[0]
        return self._by_prefix("documents", key)

    def _by_prefix(self, table: str, key: str) -> str | None:
        """The one id of ``table`` that starts with ``key``; None when none does, ``AmbiguousKey``
        (with a few of them) when several do."""
        rows = [r[0] for r in self.db.execute(
            f"SELECT id FROM {table} WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6", (_like_prefix(key),))]
        if len(rows) > 1:
            raise AmbiguousKey(key, rows)
        return rows[0] if rows else None

    def document(self, doc_id: str, annotations: bool = True) -> Document:
        r = self.db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if r is None:
            raise KeyError(doc_id)
        doc = Document(
            id=r["id"], text=r["text"], raw_text=r["raw_text"], title=r["title"], source=r["source"],
            url=r["url"], external_id=r["external_id"], path=r["path"], fmt=r["fmt"],
            published=r["published"], published_from=r["published_from"],
            published_after=r["published_after"], byline=r["byline"], desk=r["desk"],
            removed=[Removal(x["text"], x["reason"], x["start"]) for x in self.db.execute(
                "SELECT * FROM removals WHERE doc=? ORDER BY seq", (doc_id,))])
        if not annotations:
            return doc
        doc.sentences = [Sentence(x["idx"], x["start"], x["end"], x["text"], x["paragraph"])
                         for x in self.db.execute("SELECT * FROM sentences WHERE doc=? ORDER BY idx", (doc_id,))]
        doc.timexes = [TimeExpr(x["start"], x["end"], x["text"], x["value"], x["precision"], x["kind"], x["anchor"])
                       for x in self.db.execute("SELECT * FROM timexes WHERE doc=? ORDER BY start", (doc_id,))]
        doc.entities = [EntityMention(x["start"], x["end"], x["text"], x["entity"], x["name"], x["type"], x["country"],
                                      x["title"], x["conflict"], x["date"], x["lat"], x["lon"])
                        for x in self.db.execute(
                            "SELECT m.*, e.name, e.type, e.country, e.lat, e.lon FROM entity_mentions m "
                            "JOIN entities e ON e.id=m.entity WHERE m.doc=? ORDER BY m.start", (doc_id,))]
        doc.events = [m for _, m in self.event_mentions(doc_id)]
        doc.quotes = [_quote(x) for x in self.db.execute("SELECT * FROM quotes WHERE doc=? ORDER BY start", (doc_id,))]
        doc.non_events = [NonEvent(x["sentence"], x["text"], x["reason"], x["type"]) for x in self.db.execute(
            "SELECT * FROM non_events WHERE doc=? ORDER BY seq", (doc_id,))]
        return doc

    def documents(self, current_only: bool = True, annotations: bool = False, ids=None) -> list[Document]:
        """The documents in the order they were stored; with ``ids``, only those."""
        if ids is None:
            return [self.document(i, annotations) for i in self.document_ids(current_only)]
        where = " AND current=1" if current_only else ""
        found = [r for chunk, marks in _chunks(ids)
                 for r in self.db.execute(f"SELECT rowid, id FROM documents WHERE id IN ({marks}){where}", chunk)]
        return [self.document(doc_id, annotations) for _, doc_id in sorted(tuple(r) for r in found)]

    # -- annotations read back for the cross-document stage -----------------

    def event_mentions(self, doc_id: str | None = None, ids=None) -> list[tuple[str, EventMention]]:
        """(document id, mention) pairs: one document's, or all current documents', or those of the
        mention ``ids`` in current documents."""
        # In one sentence, mentions come in the order they were stored (rowid: on PostgreSQL an
        # identity column), so both backends hand linking the same order.
        sql = "SELECT m.rowid AS rid, m.* FROM event_mentions m JOIN documents d ON d.id=m.doc"
        if ids is not None:
            rows = [x for chunk, marks in _chunks(ids)
                    for x in self.db.execute(f"{sql} WHERE d.current=1 AND m.id IN ({marks})", chunk)]
            rows.sort(key=lambda x: (x["doc"], x["sentence"], x["rid"]))
        elif doc_id:
            rows = self.db.execute(sql + " WHERE m.doc=? ORDER BY m.doc, m.sentence, m.rowid", (doc_id,))
        else:
            rows = self.db.execute(sql + " WHERE d.current=1 ORDER BY m.doc, m.sentence, m.rowid")
        out = []
        for x in rows:
            date = None
            if x["date_text"] is not None:
                date = TimeExpr(x["date_start"], x["date_end"], x["date_text"], x["date_value"],
                                x["date_precision"], "DATE", x["date_anchor"])
            out.append((x["doc"], EventMention(
                id=x["id"], sentence=x["sentence"], start=x["start"], end=x["end"], text=x["text"],
                type=x["type"], trigger=x["trigger"], date=date, actors=json.loads(x["actors"]),
                location=x["location"], quantities=[Quantity(**q) for q in json.loads(x["quantities"])],
                keywords=json.loads(x["keywords"]), mode=x["mode"], status=x["status"],
                claimant=x["claimant"], source=json.loads(x["source"]), target=json.loads(x["target"]),
                intensity=x["intensity"], sentences=json.loads(x["sentences"]),
                clues=Clues.from_json(json.loads(x["clues"]) if x["clues"] else None, x["trigger"]))))
        return out

    def entities(self) -> dict[str, EntityMention]:
        """Entity id -> a representative (name, type, country), over current documents."""
        out = {}
        for x in self.db.execute(
                "SELECT DISTINCT e.* FROM entities e JOIN entity_mentions m ON m.entity=e.id "
                "JOIN documents d ON d.id=m.doc WHERE d.current=1 ORDER BY e.id"):
            out[x["id"]] = EntityMention(-1, -1, x["name"], x["id"], x["name"], x["type"], x["country"],
                                         lat=x["lat"], lon=x["lon"])
        return out

    def role_conflicts(self) -> list[tuple[str, int, EntityMention]]:
        """(doc, sentence index, mention) for every title the registry contradicts, current documents."""
        out = []
        for x in self.db.execute(
                "SELECT m.*, e.name, e.type, e.country, s.idx FROM entity_mentions m JOIN entities e ON e.id=m.entity "
                "JOIN documents d ON d.id=m.doc JOIN sentences s ON s.doc=m.doc AND s.start<=m.start AND m.start<s.end "
                "WHERE d.current=1 AND m.conflict IS NOT NULL ORDER BY m.doc, m.start"):
            out.append((x["doc"], x["idx"], EntityMention(
                x["start"], x["end"], x["text"], x["entity"], x["name"], x["type"], x["country"],
                x["title"], x["conflict"], x["date"])))
        return out

    def quotes(self, docs=None, mentions=None) -> list[tuple[str, Quote]]:
        """(document id, quote) over current documents, earliest published first; with ``docs`` and
        ``mentions`` (id lists), only the quotes of these documents or tied to these event mentions."""
        sql = ("SELECT q.rowid AS rid, q.*, d.published AS day FROM quotes q JOIN documents d ON d.id=q.doc "
               "WHERE d.current=1")
        if docs is None and mentions is None:
            rows = list(self.db.execute(sql + " ORDER BY d.published IS NULL, d.published, q.doc, q.start"))
        else:
            found = {}
            for column, ids in (("q.doc", docs or ()), ("q.event", mentions or ())):
                for chunk, marks in _chunks(ids):
                    found.update((x["rid"], x) for x in self.db.execute(f"{sql} AND {column} IN ({marks})", chunk))
            rows = sorted(found.values(), key=lambda x: (x["day"] is None, x["day"] or "", x["doc"], x["start"]))
        return [(x["doc"], _quote(x)) for x in rows]

    def search(self, query: str, limit: int = 20) -> list[tuple[str, int, str]]:
        """Full-text search over sentences: (doc id, sentence index, text).

        The user's words are matched as plain terms (all must occur), so
        punctuation in a query is never read as FTS5 syntax.
        """
        if not _fts_words(query):
            return []
        source, match, rank = self._MATCH
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            f"SELECT s.doc, s.idx, s.text FROM {source} "
            f"JOIN documents d ON d.id=s.doc WHERE {match} AND d.current=1 "
            f"ORDER BY {rank} LIMIT ?", (self._match_words(query), limit))]

    def dated_sentences(self, doc_ids: list[str]) -> list[tuple[str, int, str, str | None, tuple[str, ...]]]:
        """(doc, sentence index, text, the document's publication date, the days the sentence names)
        for every sentence of the given documents, in document and sentence order.

        A day is the calendar day of a resolved DATE or TIME expression that
        starts in the sentence ("2010-04-20", also from "2010-04-20T22:00").
        """
        out = []
        for chunk, marks in _chunks(doc_ids):
            days: dict[tuple[str, int], set[str]] = {}
            for doc, idx, day in self.db.execute(
                    f"SELECT s.doc, s.idx, substr(t.value, 1, 10) FROM timexes t JOIN sentences s ON s.doc=t.doc "
                    f"AND s.start<=t.start AND t.start<s.end WHERE t.doc IN ({marks}) AND t.kind IN ('DATE', 'TIME') "
                    f"AND {self._STARTS_WITH_DAY}", chunk):
                days.setdefault((doc, idx), set()).add(day)
            for doc, idx, text, published in self.db.execute(
                    f"SELECT s.doc, s.idx, s.text, d.published FROM sentences s JOIN documents d ON d.id=s.doc "
                    f"WHERE s.doc IN ({marks}) ORDER BY s.doc, s.idx", chunk):
                out.append((doc, idx, text, published, tuple(sorted(days.get((doc, idx), ())))))
        return out

    def entities_before(self, doc_id: str, offset: int, types: tuple[str, ...], limit: int = 1) -> list[str]:
        """The names of the last ``limit`` distinct entities of ``types`` mentioned in a document before
        ``offset``, nearest first."""
        names: list[str] = []
        marks = ",".join("?" * len(types))
        for (name,) in self.db.execute(
                f"SELECT e.name FROM entity_mentions m JOIN entities e ON e.id=m.entity WHERE m.doc=? AND m.start<? "
                f"AND e.type IN ({marks}) ORDER BY m.start DESC LIMIT 50", (doc_id, offset, *types)):
            if name not in names:
                names.append(name)
                if len(names) == limit:
                    break
        return names

    def sentence_text(self, doc_id: str, index: int) -> str | None:
        row = self.db.execute("SELECT text FROM sentences WHERE doc=? AND idx=?", (doc_id, index)).fetchone()
        return row[0] if row else None

    def entity_mention_counts(self) -> dict[str, int]:
        """Entity id -> number of mentions in current documents."""
        return dict(self.db.execute(
            "SELECT m.entity, count(*) FROM entity_mentions m JOIN documents d ON d.id=m.doc "
            "WHERE d.current=1 GROUP BY m.entity ORDER BY m.entity"))

    def sentence_exists(self, doc_id: str, text: str) -> bool:
        return self.db.execute("SELECT 1 FROM sentences WHERE doc=? AND text=?", (doc_id, text)).fetchone() is not None

    # -- cross-document results --------------------------------------------

    def needs_link(self) -> bool:
        return self._state("linked") != "1"  # never linked (no row) or changed since

    def changes(self) -> str | None:
        """A token that changes whenever a document is stored: read it before linking."""
        return self._state("changes")

    def replace_links(self, events: list[Event], contradictions: list[Contradiction],
                      seen: str | None = None) -> None:
        """Swap in a new set of canonical events atomically.

        ``seen`` is ``changes()`` as it was when linking began: if another
        build stored a document since, these links do not cover it, so the
        store stays marked as needing a link.
        """
        with self._tx() as db:
            db.execute(_BUMP_LINKS)
            db.execute("DELETE FROM contradictions")
            db.execute("DELETE FROM event_links")
            db.execute("DELETE FROM events")
            db.executemany(_insert("events", _EVENT_COLUMNS), [_event_row(e) for e in events])
            db.executemany("INSERT INTO event_links VALUES (?,?)",
                           [(e.id, m) for e in events for _, m in e.mentions])
            db.executemany(_insert("contradictions", _CONTRADICTION_COLUMNS),
                           [_contradiction_row(c) for c in contradictions])
            now = db.execute("SELECT value FROM state WHERE key='changes'").fetchone()
            if seen == (now[0] if now else None):
                db.execute(_SET_STATE, ("linked", "1"))

    def link_components(self) -> dict[str, list[str]]:
        """Component fingerprint -> the ids of the events made from it, for events an incremental
        link made (``update_links``)."""
        out: dict[str, list[str]] = {}
        for component, eid in self.db.execute(
                "SELECT component, id FROM events WHERE component IS NOT NULL ORDER BY component, id"):
            out.setdefault(component, []).append(eid)
        return out

    def update_links(self, stale: list[str], events: list[Event], component_of: dict[str, str],
                     rescored: list[Event], contradictions: list[Contradiction], roles: list[Contradiction],
                     aliases: dict[str, str], reference: str | None = None, seen: str | None = None,
                     read: str | None = None) -> bool:
        """Swap the events of changed components for new ones, atomically; False, and nothing
        written, when another link has written since this one read the store (``read``: its
        ``link_generation()`` then), for the changes were worked out against events now gone.

        ``stale`` events go with their links and contradictions; ``events``
        (each from the component ``component_of`` names) come in with
        ``contradictions``; ``rescored`` events, kept, take their new salience,
        related events and story; role contradictions are all replaced by
        ``roles``.  ``aliases`` (old id -> new id) are added, earlier aliases
        of a stale id follow it, and an id that names an event again stops
        being an alias.  ``reference`` (JSON), when given, replaces the pile's reference
        scale of article likeness (``link_reference``).  ``seen`` as in ``replace_links``.
        """
        with self._tx() as db:
            row = db.execute("SELECT value FROM state WHERE key='link_generation'").fetchone()
            if (row[0] if row else None) != read:
                return False
            db.execute(_BUMP_LINKS)
            db.execute("DELETE FROM contradictions WHERE attribute='role'")
            for chunk, marks in _chunks(stale):
                db.execute(f"DELETE FROM contradictions WHERE event IN ({marks})", chunk)
                db.execute(f"DELETE FROM event_links WHERE event IN ({marks})", chunk)
                db.execute(f"DELETE FROM events WHERE id IN ({marks})", chunk)
            db.executemany(_insert("events", _EVENT_COLUMNS + ("component",)),
                           [(*_event_row(e), component_of.get(e.id)) for e in events])
            db.executemany("INSERT INTO event_links (event, mention) VALUES (?,?)",
                           [(e.id, m) for e in events for _, m in e.mentions])
            db.executemany("UPDATE events SET salience=?, related=?, story=? WHERE id=?",
                           [(e.salience, json.dumps(e.related), e.story, e.id) for e in rescored])
            db.executemany(_insert("contradictions", _CONTRADICTION_COLUMNS),
                           [_contradiction_row(c) for c in contradictions + roles])
            db.executemany("UPDATE event_aliases SET event=? WHERE event=?",
                           [(new, old) for old, new in aliases.items()])
            db.executemany("INSERT INTO event_aliases (alias, event) VALUES (?,?) "
                           "ON CONFLICT (alias) DO UPDATE SET event=excluded.event", sorted(aliases.items()))
            for chunk, marks in _chunks([e.id for e in events]):
                db.execute(f"DELETE FROM event_aliases WHERE alias IN ({marks})", chunk)
            if reference is not None:
                db.execute("INSERT INTO state (key, value) VALUES ('link_reference', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value=excluded.value", (reference,))
            now = db.execute("SELECT value FROM state WHERE key='changes'").fetchone()
            if seen == (now[0] if now else None):
                db.execute("INSERT INTO state (key, value) VALUES ('linked', '1') "
                           "ON CONFLICT (key) DO UPDATE SET value=excluded.value")
        return True

    def link_generation(self) -> str | None:
        """A token that changes whenever a link writes events: read it before linking."""
        return self._state("link_generation")

    def link_reference(self) -> str | None:
        """The pile's reference scale of article likeness as the last link kept it (JSON), if any."""
        return self._state("link_reference")

    def contradiction_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM contradictions").fetchone()[0]

    def resolve_event(self, key: str) -> str | None:
        """The id of the event ``key`` names: its own id, or the id it became when its event merged
        into or split off another (``event_aliases``); None when neither."""
        if self.db.execute("SELECT 1 FROM events WHERE id=?", (key,)).fetchone():
            return key
        row = self.db.execute("SELECT a.event FROM event_aliases a JOIN events e ON e.id=a.event WHERE a.alias=?",
                              (key,)).fetchone()
        return row[0] if row else None

    def event_aliases(self) -> dict[str, str]:
        """Old event id -> the current event it now belongs to."""
        return dict(self.db.execute("SELECT alias, event FROM event_aliases ORDER BY alias").fetchall())

    def events(self, story: str | None = None) -> list[Event]:
        """Every canonical event, or one story's, in date order."""
        where, args = ("WHERE e.story=?", (story,)) if story is not None else ("", ())
        links: dict[str, list[tuple[str, str]]] = {}
        for r in self.db.execute("SELECT l.event, m.doc, l.mention FROM event_links l JOIN events e ON e.id=l.event "
                                 f"JOIN event_mentions m ON m.id=l.mention {where} ORDER BY m.doc, m.sentence, m.rowid", args):
            links.setdefault(r[0], []).append((r[1], r[2]))
        return [Event(id=x["id"], type=x["type"], summary=x["summary"], date_value=x["date_value"],
                      date_precision=x["date_precision"], date_text=x["date_text"] or "",
                      mentions=links.get(x["id"], []), actors=json.loads(x["actors"]),
                      location=x["location"], salience=x["salience"], mode=x["mode"], status=x["status"],
                      source=json.loads(x["source"]), target=json.loads(x["target"]),
                      intensity=x["intensity"], related=json.loads(x["related"]), story=x["story"])
                for x in self.db.execute(f"SELECT * FROM events e {where} ORDER BY date_value, salience DESC, id", args)]

    def exported_events(self, event_ids) -> set[str]:
        """Those of ``event_ids`` that a current document reports (the events an export holds)."""
        out: set[str] = set()
        for chunk, marks in _chunks(event_ids):
            out.update(r[0] for r in self.db.execute(
                "SELECT DISTINCT l.event FROM event_links l JOIN event_mentions m ON m.id=l.mention "
                f"JOIN documents d ON d.id=m.doc WHERE d.current=1 AND l.event IN ({marks})", chunk))
        return out

    def events_in_sentences(self, pairs) -> dict[tuple[str, int], list[sqlite3.Row]]:
        """(document id, sentence index) -> the canonical events a mention in that sentence belongs
        to (id, type, status, date_value, date_precision), once each, by event id."""
        wanted = {(d, int(i)) for d, i in pairs}
        ordered = sorted(wanted)
        out: dict[tuple[str, int], dict[str, sqlite3.Row]] = {}
        # Per slice of pairs, the mentions of its documents in any of its sentences (few candidates);
        # the exact pairs are picked below.
        step = _MAX_VARIABLES // 2
        for k in range(0, len(ordered), step):
            docs = sorted({d for d, _ in ordered[k:k + step]})
            sentences = sorted({i for _, i in ordered[k:k + step]})
            for r in self.db.execute(
                    "SELECT m.doc, m.sentence, e.id, e.type, e.status, e.date_value, e.date_precision "
                    "FROM event_mentions m JOIN event_links l ON l.mention=m.id JOIN events e ON e.id=l.event "
                    f"WHERE m.doc IN ({','.join('?' * len(docs))}) AND m.sentence IN ({','.join('?' * len(sentences))})",
                    [*docs, *sentences]):
                key = (r["doc"], r["sentence"])
                if key in wanted:
                    out.setdefault(key, {})[r["id"]] = r
        return {k: [v[i] for i in sorted(v)] for k, v in out.items()}

    def events_of_mentions(self, mention_ids) -> dict[str, str]:
        """Event-mention id -> its canonical event's id."""
        out: dict[str, str] = {}
        for chunk, marks in _chunks(mention_ids):
            out.update(self.db.execute(f"SELECT mention, event FROM event_links WHERE mention IN ({marks})", chunk))
        return out

    def contradictions(self, events=None, docs=None) -> list[Contradiction]:
        """Every contradiction; with ``events`` and ``docs`` (id lists), those of these events and the
        role contradictions (no event) found in these documents."""
        if events is None and docs is None:
            rows = list(self.db.execute("SELECT * FROM contradictions ORDER BY id"))
        else:
            found = {}
            for column, ids in (("event", events or ()), ("doc", docs or ())):
                extra = " AND event IS NULL" if column == "doc" else ""
                for chunk, marks in _chunks(ids):
                    for x in self.db.execute(f"SELECT * FROM contradictions WHERE {column} IN ({marks}){extra}", chunk):
                        found[x["id"]] = x
            rows = [found[k] for k in sorted(found)]
        return [Contradiction(x["id"], x["event"], x["attribute"],
                              [Claim(c["value"], c["docs"]) for c in json.loads(x["claims"])], x["note"] or "",
                              x["doc"], x["sentence"])
                for x in rows]

    # -- near-duplicates -----------------------------------------------------

    def _state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def reset_signatures_unless(self, version: str) -> None:
        """Forget every signature and checked pair if they were made another way than ``version``."""
        if self._state("minhash") == version:
            return
        with self._tx() as db:
            db.execute("UPDATE documents SET minhash=NULL")
            db.execute("DELETE FROM near_duplicates")
            db.execute(_SET_STATE, ("minhash", version))

    def text(self, doc_id: str) -> str:
        return self.db.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()[0]

    def unsigned_documents(self) -> list[str]:
        """Current documents whose signature has not been computed yet, in the order stored."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE current=1 AND minhash IS NULL ORDER BY rowid")]

    def signatures(self) -> dict[str, bytes]:
        """Document id -> stored MinHash signature (empty: too short to compare), current documents."""
        return {r[0]: bytes(r[1]) for r in self.db.execute(
            "SELECT id, minhash FROM documents WHERE current=1 AND minhash IS NOT NULL ORDER BY rowid")}

    def add_signatures(self, signatures: dict[str, bytes], pairs: list[tuple[str, str, float]]) -> None:
        """Store new signatures and the pairs checked against them together, so neither is lost alone."""
        with self._tx() as db:
            db.executemany("UPDATE documents SET minhash=? WHERE id=?",
                           [(sig, doc) for doc, sig in signatures.items()])
            db.executemany("INSERT INTO near_duplicates VALUES (?,?,?) ON CONFLICT (a, b) DO UPDATE SET jaccard=excluded.jaccard", pairs)

    def near_duplicate_pairs(self) -> list[tuple[str, str, float]]:
        """Every checked pair of current documents with its Jaccard similarity."""
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT p.a, p.b, p.jaccard FROM near_duplicates p JOIN documents x ON x.id=p.a "
            "JOIN documents y ON y.id=p.b WHERE x.current=1 AND y.current=1 ORDER BY p.a, p.b")]

    def undated(self, doc_ids: list[str]) -> set[str]:
        """Those of these documents that have no publication date."""
        out: set[str] = set()
        for chunk, marks in _chunks(doc_ids):
            out.update(r[0] for r in self.db.execute(
                f"SELECT id FROM documents WHERE id IN ({marks}) AND published IS NULL", chunk))
        return out

    def publication_dates(self) -> dict[str, str | None]:
        """Current document id -> its publication date (None when unknown)."""
        return dict(self.db.execute("SELECT id, published FROM documents WHERE current=1 ORDER BY rowid"))

    def publication_order(self) -> list[str]:
        """Current documents, earliest published first, undated last, then in the order stored.

        On one day, a date of the document's own comes before one taken from
        its original, so a copy stays a copy once it has its original's date.
        """
        return [r[0] for r in self.db.execute(
            "SELECT id FROM documents WHERE current=1 "
            "ORDER BY published IS NULL, published, published_from = 'copy', rowid")]

    def set_duplicates(self, duplicate_of: dict[str, str]) -> None:
        with self._tx() as db:
            db.execute("UPDATE documents SET duplicate_of=NULL WHERE duplicate_of IS NOT NULL")
            db.executemany("UPDATE documents SET duplicate_of=? WHERE id=?",
                           [(orig, doc) for doc, orig in duplicate_of.items()])

    def duplicates(self) -> dict[str, str]:
        """Copy -> original, over current documents."""
        return dict(self.db.execute(
            "SELECT id, duplicate_of FROM documents WHERE current=1 AND duplicate_of IS NOT NULL ORDER BY rowid"))

    # -- stories -------------------------------------------------------------

    def unclustered_documents(self) -> list[PendingDoc]:
        """Current documents in no story yet, in publication order, undated last."""
        return [PendingDoc(r["id"], r["title"], r["published"], r["supersedes"],
                           json.loads(r["story_terms"]) if r["story_terms"] is not None else None)
                for r in self.db.execute(
                    "SELECT id, title, published, supersedes, story_terms FROM documents "
                    "WHERE current=1 AND story IS NULL ORDER BY published IS NULL, published, rowid")]

    def lead(self, doc_id: str, sentences: int) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT text FROM sentences WHERE doc=? ORDER BY idx LIMIT ?", (doc_id, sentences))]

    def document_entities(self, doc_id: str) -> list[str]:
        """The entity id of every entity mention in a document, repeats included."""
        return [r[0] for r in self.db.execute("SELECT entity FROM entity_mentions WHERE doc=? ORDER BY start",
                                              (doc_id,))]

    def document_title(self, doc_id: str) -> str | None:
        """A document's title, else its first sentence."""
        row = self.db.execute("SELECT title FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row and row[0]:
            return row[0]
        lead = self.lead(doc_id, 1)
        return lead[0] if lead else None

    def add_story_terms(self, terms: dict[str, dict[str, int]]) -> None:
        """Store documents' story features and count them into the document frequencies, together."""
        if not terms:
            return
        df = Counter(t for counts in terms.values() for t in counts)
        with self._tx() as db:
            db.executemany("UPDATE documents SET story_terms=? WHERE id=?",
                           [(json.dumps(counts, sort_keys=True), doc) for doc, counts in terms.items()])
            db.executemany("INSERT INTO story_df VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df=story_df.df+excluded.df",
                           sorted(df.items()))

    def story_df(self) -> tuple[dict[str, int], int]:
        """Document frequency of every story term, and the number of documents counted."""
        n = self.db.execute("SELECT count(*) FROM documents WHERE story_terms IS NOT NULL").fetchone()[0]
        return dict(self.db.execute("SELECT term, df FROM story_df ORDER BY term")), n

    def story_terms(self, doc_ids: list[str]) -> dict[str, dict[str, int]]:
        """Document id -> stored story features, in the order asked; documents without any are left out."""
        found: dict[str, str] = {}
        for chunk, marks in _chunks(doc_ids):
            found.update(self.db.execute(
                f"SELECT id, story_terms FROM documents WHERE id IN ({marks}) AND story_terms IS NOT NULL", chunk))
        return {doc: json.loads(found[doc]) for doc in doc_ids if doc in found}

    def story_states(self) -> list[tuple[Story, dict]]:
        return [(Story(r["id"], r["title"], r["first"], r["last"], r["size"]), json.loads(r["state"]))
                for r in self.db.execute("SELECT * FROM stories ORDER BY id")]

    def save_stories(self, stories: list[tuple[Story, dict]], placed: dict[str, str]) -> None:
        """Write changed stories and the documents just placed in them, together."""
        with self._tx() as db:
            db.executemany(
                "INSERT INTO stories (id, title, first, last, size, state) VALUES (?,?,?,?,?,?) "
                "ON CONFLICT(id) DO UPDATE SET title=excluded.title, first=excluded.first, last=excluded.last, "
                "size=excluded.size, state=excluded.state",
                [(s.id, s.title, s.first, s.last, s.size, json.dumps(state, sort_keys=True)) for s, state in stories])
            db.executemany("UPDATE documents SET story=? WHERE id=?", [(sid, doc) for doc, sid in placed.items()])

    def document_stories(self, current_only: bool = True) -> dict[str, str]:
        """Document id -> story id, for documents placed in one."""
        sql = "SELECT id, story FROM documents WHERE story IS NOT NULL" + (" AND current=1" if current_only else "")
        return dict(self.db.execute(sql + " ORDER BY rowid"))

    def stories(self) -> list[Story]:
        """Every story, earliest first."""
        return [Story(r["id"], r["title"], r["first"], r["last"], r["size"]) for r in self.db.execute(
            "SELECT id, title, first, last, size FROM stories ORDER BY first IS NULL, first, id")]

    def story_summaries(self) -> list[dict]:
        """Every story that holds a current document: id, title, first and last date, how many
        current documents and canonical events it holds; earliest first."""
        docs = dict(self.db.execute(
            "SELECT story, count(*) FROM documents WHERE current=1 AND story IS NOT NULL GROUP BY story"))
        events = dict(self.db.execute("SELECT story, count(*) FROM events WHERE story IS NOT NULL GROUP BY story"))
        return [{"id": s.id, "title": s.title, "first": s.first, "last": s.last, "documents": docs[s.id],
                 "events": events.get(s.id, 0)} for s in self.stories() if docs.get(s.id)]

    def find_story(self, key: str) -> str | None:
        """A story id, given in full or by a prefix that only it has (``AmbiguousKey`` when several do)."""
        if self.db.execute("SELECT 1 FROM stories WHERE id=?", (key,)).fetchone():
            return key
        return self._by_prefix("stories", key)

    # -- focused reads for the query layer (storyline/query.py) ---------------
    #
    # Each reads what one page or API answer shows, no more: a page of events,
    # one event with its mentions, one story's counts.

    def story_overviews(self) -> list[sqlite3.Row]:
        """Every story that holds a current document, earliest first: id, title, first, last,
        documents, independent (documents that are no copy of another), outlets, events."""
        return self.db.execute(
            "SELECT s.id, s.title, s.first, s.last, count(*) AS documents, "
            "count(DISTINCT coalesce(d.duplicate_of, d.id)) AS independent, "
            "count(DISTINCT d.source) AS outlets, "
            "(SELECT count(*) FROM events e WHERE e.story=s.id) AS events "
            "FROM stories s JOIN documents d ON d.story=s.id AND d.current=1 "
            "GROUP BY s.id ORDER BY s.first IS NULL, s.first, s.id").fetchall()

    def story_overview(self, story_id: str) -> sqlite3.Row | None:
        """One story as ``story_overviews`` gives it; None when it holds no current document."""
        return self.db.execute(
            "SELECT s.id, s.title, s.first, s.last, count(*) AS documents, "
            "count(DISTINCT coalesce(d.duplicate_of, d.id)) AS independent, "
            "count(DISTINCT d.source) AS outlets, "
            "(SELECT count(*) FROM events e WHERE e.story=s.id) AS events "
            "FROM stories s JOIN documents d ON d.story=s.id AND d.current=1 "
            "WHERE s.id=? GROUP BY s.id", (story_id,)).fetchone()

    def documents_per_day(self, story: str | None = None) -> list[tuple[str | None, str, int]]:
        """(story, day, current documents published that day), by story and day; one story's with ``story``."""
        sql = ("SELECT story, substr(published, 1, 10) AS day, count(*) FROM documents "
               "WHERE current=1 AND published IS NOT NULL")
        args: tuple = ()
        if story is not None:
            sql += " AND story=?"
            args = (story,)
        return [(r[0], r[1], r[2]) for r in self.db.execute(sql + " GROUP BY story, day ORDER BY story, day", args)]

    def _every_event_current(self) -> bool:
        """Whether every canonical event has a mention in a current document, so that the query
        layer's filters need not check it event by event.  Asked once per ``Store``: the web app
        keeps one per server thread until the database changes (``unchanged``).

        True when each event has a link and no link leads to a mention of a
        document that is not current (links and mentions reference their rows
        with foreign keys, so every link leads to a mention and a document).
        When it is not so (an event without a link, or a linked mention in an
        article that is no longer current), the filters check each event.
        """
        if self._all_current is None:
            self._all_current = bool(self.db.execute(
                "SELECT (SELECT count(*) FROM events) = (SELECT count(*) FROM (SELECT 1 FROM event_links "
                "GROUP BY event) AS linked) AND NOT EXISTS (SELECT 1 FROM documents d JOIN event_mentions m ON m.doc=d.id "
                "JOIN event_links l ON l.mention=m.id WHERE d.current=0)").fetchone()[0])
        return self._all_current

    def _event_filter(self, story: str | None = None, start: str | None = None, end: str | None = None,
                      types: list[str] | None = None, statuses: list[str] | None = None,
                      actor: str | None = None, place: str | None = None,
                      words: list[str] | None = None) -> tuple[str, list]:
        """The WHERE clause (over ``events e``) and its arguments for the query layer's event filters.

        Only events with a mention in a current document are kept (checked
        per event unless ``_every_event_current``).  Dates compare as
        ``selection.in_range`` does: a date of any precision is kept when it
        can fall within [start, end].  Each word must occur in a sentence
        reporting the event (FTS, as ``search`` matches words).
        """
        where = ["1=1"] if self._every_event_current() else [
            "EXISTS (SELECT 1 FROM event_links l JOIN event_mentions m ON m.id=l.mention "
            "JOIN documents d ON d.id=m.doc WHERE l.event=e.id AND d.current=1)"]
        args: list = []
        if story is not None:
            where.append("e.story=?")
            args.append(story)
        if start is not None:
            where.append("e.date_value IS NOT NULL AND e.date_value >= substr(?, 1, length(e.date_value))")
            args.append(start)
        if end is not None:
            where.append("e.date_value IS NOT NULL AND substr(e.date_value, 1, length(?)) <= ?")
            args += [end, end]
        for column, values in (("type", types), ("status", statuses)):
            if values:
                where.append(f"e.{column} IN ({','.join('?' * len(values))})")
                args += list(values)
        if actor is not None:
            clause, actor_args = self._names_actor(actor)
            where.append(clause)
            args += actor_args
        if place is not None:
            where.append("e.location=?")
            args.append(place)
        source, match, _ = self._MATCH
        for word in words or ():
            where.append(f"e.id IN (SELECT l.event FROM {source} "
                         "JOIN event_mentions m ON m.doc=s.doc AND m.sentence=s.idx "
                         f"JOIN event_links l ON l.mention=m.id WHERE {match})")
            args.append(self._match_words(word))
        return " AND ".join(where), args

    _EVENT_ORDER = {
        "date": "e.date_value IS NULL, e.date_value, e.date_precision='reported', e.salience DESC, e.id",
        "-date": "e.date_value IS NULL, e.date_value DESC, e.date_precision='reported', e.salience DESC, e.id",
        "salience": "e.salience DESC, e.date_value, e.id",
    }

    def event_page(self, sort: str = "date", limit: int = 50, offset: int = 0,
                   **filters) -> tuple[list[sqlite3.Row], int]:
        """One page of canonical events with a current mention, filtered (``_event_filter``) and
        sorted ("date", "-date" or "salience"), each with its sources and independent sources;
        and how many events the filters keep in all."""
        where, args = self._event_filter(**filters)
        order = self._EVENT_ORDER[sort]
        total = self.db.execute(f"SELECT count(*) FROM events e WHERE {where}", args).fetchone()[0]
        # The page's ids first, then its rows with their sources: counting sources in the same
        # statement would count them for every event sorted ahead of the page as well.
        ids = [r[0] for r in self.db.execute(
            f"SELECT e.id FROM events e WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?", [*args, limit, offset])]
        found: dict[str, sqlite3.Row] = {}
        for chunk, marks in _chunks(ids):
            for r in self.db.execute(
                    "SELECT e.*, "
                    "(SELECT count(DISTINCT m.doc) FROM event_links l JOIN event_mentions m ON m.id=l.mention "
                    " JOIN documents d ON d.id=m.doc WHERE l.event=e.id AND d.current=1) AS sources, "
                    "(SELECT count(DISTINCT coalesce(d.duplicate_of, d.id)) FROM event_links l "
                    " JOIN event_mentions m ON m.id=l.mention JOIN documents d ON d.id=m.doc "
                    f" WHERE l.event=e.id AND d.current=1) AS independent FROM events e WHERE e.id IN ({marks})",
                    chunk):
                found[r["id"]] = r
        rows = [found[i] for i in ids]
        return rows, total

    def event_ids(self, **filters) -> set[str]:
        """The ids of every event the filters (``_event_filter``) keep."""
        where, args = self._event_filter(**filters)
        return {r[0] for r in self.db.execute(f"SELECT e.id FROM events e WHERE {where}", args)}

    def event_days(self, **filters) -> list[tuple[str, int]]:
        """(date, events) for the events the filters keep, by date as stored (a day, month or year)."""
        where, args = self._event_filter(**filters)
        return [(r[0], r[1]) for r in self.db.execute(
            f"SELECT e.date_value, count(*) FROM events e WHERE {where} AND e.date_value IS NOT NULL "
            "GROUP BY e.date_value ORDER BY e.date_value", args)]

    def event_day_figures(self, **filters) -> list[sqlite3.Row]:
        """The events the filters keep whose date is a full day (of precision "day" or "reported"):
        id, date_value, intensity and the figures (``quantities``, JSON) one current mention gives;
        a row per event and mention, by date."""
        where, args = self._event_filter(**filters)
        return self.db.execute(
            "SELECT e.id, e.date_value, e.intensity, m.quantities FROM events e "
            "JOIN event_links l ON l.event=e.id JOIN event_mentions m ON m.id=l.mention "
            f"JOIN documents d ON d.id=m.doc AND d.current=1 WHERE {where} AND length(e.date_value)=10 "
            "ORDER BY e.date_value, e.id, m.id", args).fetchall()

    def event_row(self, event_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM events WHERE id=?", (event_id,)).fetchone()

    def event_rows(self, event_ids: list[str]) -> dict[str, sqlite3.Row]:
        """Event id -> its row, for those of these ids that name an event with a current mention."""
        out: dict[str, sqlite3.Row] = {}
        for chunk, marks in _chunks(event_ids):
            for r in self.db.execute(
                    f"SELECT e.* FROM events e WHERE e.id IN ({marks}) AND EXISTS (SELECT 1 FROM event_links l "
                    "JOIN event_mentions m ON m.id=l.mention JOIN documents d ON d.id=m.doc "
                    "WHERE l.event=e.id AND d.current=1)", chunk):
                out[r["id"]] = r
        return out

    def event_mention_rows(self, event_id: str) -> list[sqlite3.Row]:
        """The current mentions of one event, each with its article (title, source, published, url,
        duplicate_of) and its sentence's text (``sentence_text``); earliest article first."""
        return self.db.execute(
            "SELECT m.id, m.doc, m.sentence, m.start, m.end, m.text, m.type, m.trigger, m.status, m.claimant, "
            "m.quantities, m.date_value, m.date_text, m.location, d.title, d.source, d.published, d.url, "
            "d.duplicate_of, s.text AS sentence_text, s.start AS sentence_start "
            "FROM event_links l JOIN event_mentions m ON m.id=l.mention JOIN documents d ON d.id=m.doc "
            "LEFT JOIN sentences s ON s.doc=m.doc AND s.idx=m.sentence "
            "WHERE l.event=? AND d.current=1 ORDER BY d.published IS NULL, d.published, m.doc, m.sentence, m.rowid",
            (event_id,)).fetchall()

    def event_quotes(self, event_id: str) -> list[sqlite3.Row]:
        """Quotes in sentences that report one of this event's mentions, with their article's title and source."""
        return self.db.execute(
            "SELECT q.*, d.title, d.source FROM event_links l JOIN quotes q ON q.event=l.mention "
            "JOIN documents d ON d.id=q.doc WHERE l.event=? AND d.current=1 ORDER BY q.doc, q.start",
            (event_id,)).fetchall()

    def event_contradictions(self, event_id: str) -> list[Contradiction]:
        return [Contradiction(x["id"], x["event"], x["attribute"],
                              [Claim(c["value"], c["docs"]) for c in json.loads(x["claims"])], x["note"] or "",
                              x["doc"], x["sentence"])
                for x in self.db.execute("SELECT * FROM contradictions WHERE event=? ORDER BY id", (event_id,))]

    def contradiction_page(self, story: str | None = None, limit: int = 50,
                           offset: int = 0) -> tuple[list[sqlite3.Row], int]:
        """One page of contradictions (with their event's summary, date and story, and for one of no
        event the sentence it is about), of one story with ``story``; and how many there are."""
        base = ("FROM contradictions c LEFT JOIN events e ON e.id=c.event "
                "LEFT JOIN documents d ON d.id=c.doc LEFT JOIN sentences s ON s.doc=c.doc AND s.idx=c.sentence")
        where, args = "", []
        if story is not None:
            where, args = " WHERE coalesce(e.story, d.story)=?", [story]
        total = self.db.execute(f"SELECT count(*) {base}{where}", args).fetchone()[0]
        rows = self.db.execute(
            f"SELECT c.*, e.summary, e.date_value, e.type AS event_type, coalesce(e.story, d.story) AS story, "
            f"s.text AS sentence_text {base}{where} ORDER BY e.date_value IS NULL, e.date_value, c.id "
            "LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return rows, total

    def document_rows(self, doc_ids: list[str]) -> dict[str, sqlite3.Row]:
        """Document id -> id, title, source, published, url, current, story, duplicate_of."""
        out: dict[str, sqlite3.Row] = {}
        for chunk, marks in _chunks(doc_ids):
            for r in self.db.execute(
                    "SELECT id, title, source, published, url, current, story, duplicate_of FROM documents "
                    f"WHERE id IN ({marks})", chunk):
                out[r["id"]] = r
        return out

    def mention_events(self, doc_id: str) -> dict[str, str]:
        """Event-mention id -> canonical event id, for one document's mentions."""
        return dict(self.db.execute(
            "SELECT l.mention, l.event FROM event_links l JOIN event_mentions m ON m.id=l.mention WHERE m.doc=?",
            (doc_id,)).fetchall())

    def entity_rows(self, entity_ids: list[str]) -> dict[str, sqlite3.Row]:
        """Entity id -> id, name, type, country, lat, lon."""
        out: dict[str, sqlite3.Row] = {}
        for chunk, marks in _chunks(entity_ids):
            for r in self.db.execute(f"SELECT * FROM entities WHERE id IN ({marks})", chunk):
                out[r["id"]] = r
        return out

    def entity_mention_total(self, entity_id: str) -> int:
        """How many times current documents mention an entity."""
        return self.db.execute(
            "SELECT count(*) FROM entity_mentions m JOIN documents d ON d.id=m.doc "
            "WHERE m.entity=? AND d.current=1", (entity_id,)).fetchone()[0]

    def search_page(self, query: str, limit: int = 20, offset: int = 0) -> tuple[list[sqlite3.Row], int]:
        """One page of ``search``: sentences of current documents holding every word of ``query``,
        best match first, each with doc, idx, text and its article's title, source, published and
        url; and how many sentences match in all."""
        if not _fts_words(query):
            return [], 0
        match = self._match_words(query)
        source, condition, rank = self._MATCH
        base = f"FROM {source} JOIN documents d ON d.id=s.doc WHERE {condition} AND d.current=1"
        total = self.db.execute(f"SELECT count(*) {base}", (match,)).fetchone()[0]
        rows = self.db.execute(
            f"SELECT s.doc, s.idx, s.text, d.title, d.source, d.published, d.url {base} "
            f"ORDER BY {rank}, s.doc, s.idx LIMIT ? OFFSET ?", (match, limit, offset)).fetchall()
        return rows, total

    def event_count(self) -> int:
        """How many canonical events the store holds."""
        return self.db.execute("SELECT count(*) FROM events").fetchone()[0]

    # -- watched feeds (storyline watch) ---------------------------------------

    def watched_feed(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified remembered for the feed at ``url`` (None, None when none are)."""
        row = self.db.execute("SELECT etag, last_modified FROM watched_feeds WHERE url=?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_watched_feed(self, url: str, etag: str | None, last_modified: str | None, polled: str) -> None:
        """Remember the feed's validators for the next conditional request, and when it was polled."""
        with self._tx() as db:
            db.execute("INSERT INTO watched_feeds (url, etag, last_modified, polled) VALUES (?,?,?,?) "
                       "ON CONFLICT (url) DO UPDATE SET etag=excluded.etag, "
                       "last_modified=excluded.last_modified, polled=excluded.polled",
                       (url, etag, last_modified, polled))

    def watched_items(self, feed: str) -> dict[str, sqlite3.Row]:
        """Item key -> its row (link, title, published, status, attempts, error, document, first_seen,
        updated), for every item remembered of the feed ``feed``."""
        return {r["item"]: r for r in self.db.execute(
            "SELECT * FROM watched_items WHERE feed=? ORDER BY first_seen, item", (feed,))}

    def watched_item_stored(self, feed: str, item: str, *, link: str | None, title: str | None,
                            published: str | None, document: str, now: str) -> None:
        """Mark an item of ``feed`` seen: its page is stored as ``document``."""
        with self._tx() as db:
            db.execute("INSERT INTO watched_items (feed, item, link, title, published, status, document,"
                       " first_seen, updated) VALUES (?,?,?,?,?,'stored',?,?,?) "
                       "ON CONFLICT (feed, item) DO UPDATE SET status='stored', document=excluded.document, "
                       "error=NULL, link=excluded.link, updated=excluded.updated",
                       (feed, item, link, title, published, document, now, now))

    def watched_item_failed(self, feed: str, item: str, *, link: str | None, title: str | None,
                            published: str | None, error: str, now: str, attempts: int) -> tuple[str, int]:
        """Count one more failed attempt at an item's page; after ``attempts`` of them it is "given
        up", before that "pending".  Its status and the attempts made so far."""
        with self._tx() as db:
            db.execute("INSERT INTO watched_items (feed, item, link, title, published, status, attempts, error,"
                       " first_seen, updated) VALUES (?,?,?,?,?,?,1,?,?,?) "
                       "ON CONFLICT (feed, item) DO UPDATE SET attempts=watched_items.attempts + 1, "
                       "status=CASE WHEN watched_items.attempts + 1 >= ? THEN 'given up' ELSE 'pending' END, "
                       "error=excluded.error, link=excluded.link, updated=excluded.updated",
                       (feed, item, link, title, published, "given up" if attempts <= 1 else "pending", error,
                        now, now, attempts))
            row = db.execute("SELECT status, attempts FROM watched_items WHERE feed=? AND item=?",
                             (feed, item)).fetchone()
        return row["status"], row["attempts"]
