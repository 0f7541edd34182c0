"""The PostgreSQL backend: ``Store`` on a server many builds and analysts share.

``Store("postgresql://user@host:5432/db")`` opens this class.  It runs the
SQLite backend's own methods: their SQL is written so that both dialects read
it, and ``_translate`` makes the few spelling changes PostgreSQL needs
(``%s`` placeholders, ``"end"`` quoted).  What the two databases do their own
way is overridden here: the schema and its migrations, the full-text index (a
``tsvector`` column with a GIN index instead of FTS5), the order of insertion
(an identity column named ``rowid``, which PostgreSQL does not have, instead
of SQLite's implicit one), transactions and the change token the web app's
caches compare.

Writers take one transaction-level advisory lock per schema, so writes are
serialised as SQLite serialises them: several builds against one database at
once never interleave halves of a document or of a re-link, and the linking
check (``Store.changes``) holds as it does on SQLite.  Readers are never
blocked.

Connections come from a pool per server (psycopg_pool), so the web app's
threads and short commands reuse them.  A URL may choose a schema with the
standard libpq option ``options=-csearch_path%3DNAME``; the schema is created
when missing, so several Storyline databases can live in one PostgreSQL
database.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .sqlite import MIGRATIONS, Store, StoreError

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo
    from psycopg_pool import ConnectionPool
except ImportError:  # pragma: no cover - the extra is missing
    psycopg = None

# The schema at SQLite migration 11 (issue 19 added this backend then), written for PostgreSQL;
# each later SQLite migration has its twin here under the same number, so that one schema
# version means the same tables on both backends (tests/test_postgres.py checks the numbers).
BASELINE = 11
PG_MIGRATIONS: dict[int, str] = {
    BASELINE: """
    CREATE TABLE stories (
        id TEXT PRIMARY KEY, title TEXT, first TEXT, last TEXT,
        size INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        external_id TEXT, path TEXT, url TEXT, title TEXT, source TEXT, fmt TEXT,
        published TEXT, published_from TEXT NOT NULL, published_after TEXT,
        byline TEXT, desk TEXT,
        text TEXT NOT NULL, raw_text TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        supersedes TEXT REFERENCES documents(id),
        current INTEGER NOT NULL DEFAULT 1,
        added_at TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')),
        minhash BYTEA, duplicate_of TEXT REFERENCES documents(id),
        story TEXT REFERENCES stories(id), story_terms TEXT,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    CREATE INDEX documents_url ON documents(url);
    CREATE INDEX documents_story ON documents(story);
    CREATE INDEX documents_current ON documents(id, current, duplicate_of);
    CREATE INDEX documents_story_current ON documents(story, current, published, source, duplicate_of, id);
    CREATE TABLE removals (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, start INTEGER,
        PRIMARY KEY (doc, seq)
    );
    CREATE TABLE sentences (
        rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        paragraph INTEGER NOT NULL, text TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
        UNIQUE (doc, idx)
    );
    CREATE INDEX sentences_tsv ON sentences USING GIN (tsv);
    CREATE TABLE timexes (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        value TEXT, precision TEXT NOT NULL, kind TEXT NOT NULL, anchor TEXT
    );
    CREATE INDEX timexes_doc ON timexes(doc);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, country TEXT,
        lat DOUBLE PRECISION, lon DOUBLE PRECISION
    );
    CREATE TABLE entity_mentions (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        entity TEXT NOT NULL REFERENCES entities(id),
        title TEXT, conflict TEXT, date TEXT
    );
    CREATE INDEX entity_mentions_doc ON entity_mentions(doc);
    CREATE INDEX entity_mentions_entity ON entity_mentions(entity);
    CREATE TABLE event_mentions (
        id TEXT PRIMARY KEY,
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        text TEXT NOT NULL, type TEXT NOT NULL, trigger TEXT NOT NULL,
        date_value TEXT, date_precision TEXT, date_text TEXT, date_start INTEGER, date_end INTEGER,
        date_anchor TEXT, location TEXT REFERENCES entities(id),
        actors TEXT NOT NULL, quantities TEXT NOT NULL, keywords TEXT NOT NULL,
        mode TEXT, status TEXT NOT NULL DEFAULT 'occurred', claimant TEXT REFERENCES entities(id),
        source TEXT NOT NULL DEFAULT '[]', target TEXT NOT NULL DEFAULT '[]',
        intensity DOUBLE PRECISION NOT NULL DEFAULT 0, sentences TEXT NOT NULL DEFAULT '[]', clues TEXT,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    CREATE INDEX event_mentions_doc ON event_mentions(doc);
    CREATE INDEX event_mentions_id_doc ON event_mentions(id, doc);
    CREATE INDEX event_mentions_sentence ON event_mentions(doc, sentence, id);
    CREATE TABLE quotes (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        speaker TEXT REFERENCES entities(id), speaker_name TEXT, sentence INTEGER, date TEXT,
        event TEXT REFERENCES event_mentions(id) ON DELETE SET NULL,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    CREATE INDEX quotes_doc ON quotes(doc);
    CREATE INDEX quotes_event ON quotes(event);
    CREATE TABLE non_events (
        doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, sentence INTEGER NOT NULL, text TEXT NOT NULL,
        reason TEXT NOT NULL, type TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX non_events_doc ON non_events(doc);
    CREATE TABLE events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, summary TEXT NOT NULL,
        date_value TEXT, date_precision TEXT NOT NULL, date_text TEXT,
        actors TEXT NOT NULL, location TEXT REFERENCES entities(id),
        salience DOUBLE PRECISION NOT NULL DEFAULT 0,
        mode TEXT, status TEXT NOT NULL DEFAULT 'occurred',
        source TEXT NOT NULL DEFAULT '[]', target TEXT NOT NULL DEFAULT '[]',
        intensity DOUBLE PRECISION NOT NULL DEFAULT 0, related TEXT NOT NULL DEFAULT '[]',
        story TEXT REFERENCES stories(id)
    );
    CREATE INDEX events_story_date ON events(story, date_value);
    CREATE INDEX events_date ON events(date_value);
    CREATE TABLE event_links (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        mention TEXT NOT NULL REFERENCES event_mentions(id) ON DELETE CASCADE,
        PRIMARY KEY (event, mention)
    );
    CREATE INDEX event_links_mention ON event_links(mention);
    CREATE TABLE contradictions (
        id TEXT PRIMARY KEY,
        event TEXT REFERENCES events(id) ON DELETE CASCADE,
        attribute TEXT NOT NULL, claims TEXT NOT NULL, note TEXT,
        doc TEXT REFERENCES documents(id) ON DELETE CASCADE, sentence INTEGER
    );
    CREATE INDEX contradictions_event ON contradictions(event);
    CREATE TABLE near_duplicates (
        a TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        b TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        jaccard DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE TABLE story_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT);
    INSERT INTO state VALUES ('linked', '0');
    -- The readable views of SQLite migration 9: names in place of the ids in the JSON lists.
    CREATE VIEW event_rows AS
    SELECT e.id, e.type, e.mode, e.status, e.date_value AS date, e.date_precision AS precision,
           e.date_text, e.summary,
           (SELECT string_agg(coalesce(n.name, j.value), '; ' ORDER BY j.k)
            FROM json_array_elements_text(e.actors::json) WITH ORDINALITY AS j(value, k)
            LEFT JOIN entities n ON n.id = j.value) AS actors,
           (SELECT string_agg(coalesce(n.name, j.value), '; ' ORDER BY j.k)
            FROM json_array_elements_text(e.source::json) WITH ORDINALITY AS j(value, k)
            LEFT JOIN entities n ON n.id = j.value) AS source,
           (SELECT string_agg(coalesce(n.name, j.value), '; ' ORDER BY j.k)
            FROM json_array_elements_text(e.target::json) WITH ORDINALITY AS j(value, k)
            LEFT JOIN entities n ON n.id = j.value) AS target,
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
           (SELECT string_agg(coalesce(n.name, j.value), '; ' ORDER BY j.k)
            FROM json_array_elements_text(m.actors::json) WITH ORDINALITY AS j(value, k)
            LEFT JOIN entities n ON n.id = j.value) AS actors,
           coalesce(p.name, m.location) AS location, p.country AS location_country,
           coalesce(c.name, m.claimant) AS claimant
    FROM event_mentions m
    JOIN documents d ON d.id = m.doc
    LEFT JOIN entities p ON p.id = m.location
    LEFT JOIN entities c ON c.id = m.claimant;
    CREATE VIEW actor_events AS
    SELECT coalesce(n.name, j.value) AS actor, n.type AS actor_type, n.country AS actor_country,
           j.value AS actor_id,
           CASE WHEN e.source::jsonb @> jsonb_build_array(j.value) THEN 'source'
                WHEN e.target::jsonb @> jsonb_build_array(j.value) THEN 'target'
                ELSE 'participant' END AS role,
           e.id AS event, e.type, e.status, e.date_value AS date, e.date_precision AS precision, e.summary
    FROM events e CROSS JOIN LATERAL json_array_elements_text(e.actors::json) AS j(value)
    LEFT JOIN entities n ON n.id = j.value;
    """,
    # SQLite's migration 12: watched feeds and their items (storyline watch).
    12: """
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
    # SQLite's migration 13: incremental linking (the component an event was made from, aliases).
    13: """
    ALTER TABLE events ADD COLUMN component TEXT;
    CREATE INDEX events_component ON events(component);
    CREATE TABLE event_aliases (
        alias TEXT PRIMARY KEY,
        event TEXT NOT NULL
    );
    """,
}

# Every write transaction adds one to this ``state`` key: the change token of ``version``.
_BUMP = ("INSERT INTO state VALUES ('generation', '1') "
         "ON CONFLICT (key) DO UPDATE SET value = CAST(state.value AS BIGINT) + 1")

# A column named ``end`` (a reserved word in PostgreSQL) where SQL names it unqualified.
_END = re.compile(r'(?<![.\w"])end(?![\w"])')


@lru_cache(maxsize=2048)
def _translate(sql: str, with_args: bool) -> str:
    """The shared SQL as PostgreSQL reads it.  The store's statements hold no ``?`` or ``%``
    inside string literals, so the placeholders can be swapped as text."""
    if with_args:
        sql = sql.replace("%", "%%").replace("?", "%s")
    return _END.sub('"end"', sql)


class _Row(tuple):
    """A result row read by position or by column name, as ``sqlite3.Row`` is."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)  # the first of two columns of one name, as sqlite3.Row
    return type("Row", (_Row,), {"__slots__": (), "_index": index})


def _rows(cursor):
    if cursor.description is None:
        return tuple
    return _row_class(tuple(d.name for d in cursor.description))


class _Connection:
    """The part of ``sqlite3.Connection`` the store's methods use, over a psycopg connection."""

    def __init__(self, conn):
        self.raw = conn

    def execute(self, sql: str, args=None):
        return self.raw.execute(_translate(sql, args is not None), args)

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(_translate(sql, True), rows)


_POOLS: dict[str, "ConnectionPool"] = {}
_POOLS_LOCK = threading.Lock()


def _reset(conn) -> None:
    conn.execute("RESET ALL")  # search_path and read-only mode are per checkout


def _reason(exc: BaseException) -> str:
    """The server's or the network's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _reachable(conninfo: str) -> None:
    """``StoreError`` with the server's or the network's reason when one connection cannot be made."""
    try:
        psycopg.connect(conninfo, connect_timeout=10).close()
    except psycopg.Error as exc:
        where = _split_schema(conninfo)[2]
        raise StoreError(f"cannot connect to {where}: {_reason(exc)}") from None


def _pool(conninfo: str) -> "ConnectionPool":
    """One pool per server and database, shared by every store of this process."""
    with _POOLS_LOCK:
        pool = _POOLS.get(conninfo)
        if pool is None:
            _reachable(conninfo)  # a pool would wait its whole timeout for a server that is not there
            pool = _POOLS[conninfo] = ConnectionPool(
                conninfo, min_size=0, max_size=16, max_idle=60.0, timeout=60.0, open=True,
                kwargs={"autocommit": True, "row_factory": _rows}, reset=_reset, name="storyline")
        return pool


def _split_schema(url: str) -> tuple[str, str | None, str]:
    """(connection string without a search_path option, the schema it named, the URL as shown in
    messages: without its password)."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"cannot read the database URL: {exc}") from None
    schema = None
    options = params.pop("options", None) or ""
    kept = []
    for part in options.split():
        found = re.fullmatch(r"-c\s*search_path=([^,]+)", part)
        if found:
            schema = found.group(1).strip().strip('"')
        else:
            kept.append(part)
    if kept:
        params["options"] = " ".join(kept)
    shown = {k: v for k, v in params.items() if k != "password"}
    where = f"{shown.get('host', 'localhost')}:{shown.get('port', 5432)}/{shown.get('dbname', '')}"
    if schema:
        where += f" (schema {schema})"
    return make_conninfo(**params), schema, "postgresql://" + where


def test_url_for(path: str | Path) -> str | None:
    """For the test suite run on PostgreSQL: with ``$STORYLINE_TEST_POSTGRES`` set to a server's URL,
    a database given as a file path is kept in a schema of that server named after the path; None
    when the variable is unset."""
    server = os.environ.get("STORYLINE_TEST_POSTGRES", "").strip()
    if not server:
        return None
    schema = "t_" + hashlib.sha1(os.path.abspath(str(path)).encode()).hexdigest()[:24]
    sep = "&" if "?" in server else "?"
    return f"{server}{sep}options=-csearch_path%3D{schema}"


class PostgresStore(Store):
    """``Store`` on PostgreSQL.  Use as a context manager or call ``close``."""

    _MATCH = ("sentences s CROSS JOIN plainto_tsquery('simple', ?) AS q", "s.tsv @@ q",
              "ts_rank(s.tsv, q) DESC")
    _STARTS_WITH_DAY = "t.value ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]'"
    _DATA_ERRORS = Store._DATA_ERRORS + ((psycopg.DataError, psycopg.IntegrityError) if psycopg else ())

    def __init__(self, path: str | Path, readonly: bool = False):
        if psycopg is None:
            raise StoreError("a postgresql:// database needs psycopg: pip install 'storyline[postgres]'")
        url = str(path)
        if "://" not in url:
            url = test_url_for(url) or url
        conninfo, schema, self.path = _split_schema(url)
        self.readonly = readonly
        self._all_current = None
        self._opened = None
        self._schema = schema or "public"
        self._lock_key = int.from_bytes(hashlib.sha1(self._schema.encode()).digest()[:8], "big", signed=True)
        self.db = None
        self._pool = _pool(conninfo)
        try:
            raw = self._pool.getconn()
        except Exception as exc:  # psycopg_pool.PoolTimeout, psycopg.OperationalError
            raise StoreError(f"cannot connect to {self.path}: {_reason(exc)}") from None
        self.db = _Connection(raw)
        try:
            if schema:
                if not readonly:
                    try:
                        raw.execute(psycopg.sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                            psycopg.sql.Identifier(schema)))
                    except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateSchema):
                        pass  # another store created it at the same moment
                raw.execute("SELECT set_config('search_path', %s, false)", (psycopg.sql.Identifier(schema).as_string(raw),))
            if readonly:
                raw.execute("SET default_transaction_read_only = on")
                self._check_schema()
                self._opened = self._generation()
            else:
                self._migrate()
        except BaseException as exc:
            self.close()
            if isinstance(exc, psycopg.Error):
                raise StoreError(f"cannot use {self.path}: {_reason(exc)}") from None
            raise

    pooled = True

    def close(self) -> None:
        if self.db is not None:
            self._pool.putconn(self.db.raw)
            self.db = None

    def __del__(self) -> None:
        # A store dropped without ``close`` gives its connection back all the same.
        try:
            self.close()
        except Exception:
            pass

    @contextmanager
    def _tx(self) -> Iterator[_Connection]:
        with self.db.raw.transaction():
            self.db.raw.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            yield self.db
            self.db.raw.execute(_BUMP)

    def _stored_version(self) -> int:
        if self.db.execute("SELECT to_regclass('storyline_schema')").fetchone()[0] is None:
            return 0
        row = self.db.execute("SELECT version FROM storyline_schema").fetchone()
        return row[0] if row else 0

    @property
    def schema_version(self) -> int:
        return self._stored_version()

    def _migrate(self) -> None:
        if self._stored_version() == len(MIGRATIONS):
            return
        # One store migrates; another waits for the session lock, then finds it done.  The lock is
        # taken before the migration's transaction begins: a transaction that began while another
        # created the tables may still miss them in its catalog lookups.
        self.db.raw.execute("SELECT pg_advisory_lock(%s)", (self._lock_key,))
        try:
            self._migrate_locked()
        finally:
            self.db.raw.execute("SELECT pg_advisory_unlock(%s)", (self._lock_key,))

    def _migrate_locked(self) -> None:
        with self._tx() as db:
            version = self._stored_version()
            if version > len(MIGRATIONS):
                raise StoreError(f"{self.path} was written by a newer Storyline (schema {version})")
            if version == 0:
                if db.execute("SELECT to_regclass('documents')").fetchone()[0] is not None:
                    raise StoreError(f"{self.path} holds tables of another program, not Storyline's")
                db.execute("CREATE TABLE storyline_schema (version INTEGER NOT NULL)")
                db.execute("INSERT INTO storyline_schema VALUES (0)")
            for number in range(max(version + 1, BASELINE), len(MIGRATIONS) + 1):
                db.raw.execute(PG_MIGRATIONS[number])
                db.execute("UPDATE storyline_schema SET version=?", (number,))

    def _generation(self) -> str | None:
        return self._state("generation")

    def version(self) -> tuple:
        """The server, schema and write count: what a cache shared by connections compares."""
        return (self.path, self._generation())

    def unchanged(self) -> bool:
        return self._opened is not None and self._generation() == self._opened

    @staticmethod
    def _match_words(text: str) -> str:
        return " ".join(re.findall(r"\w+", text))

    @staticmethod
    def _names_actor(actor: str) -> tuple[str, list]:
        return ("(e.actors::jsonb @> jsonb_build_array(?::text) OR e.source::jsonb @> jsonb_build_array(?::text) "
                "OR e.target::jsonb @> jsonb_build_array(?::text))", [actor, actor, actor])


def shown(url: str) -> str:
    """A server URL as messages name it: host, port, database and schema, never the password."""
    return _split_schema(url)[2]


def exists(db: str) -> bool:
    """Whether the server schema ``db`` names (a URL, or a file path under ``test_url_for``) holds a
    Storyline schema; ``StoreError`` when the server cannot be reached."""
    if psycopg is None:
        raise StoreError("a postgresql:// database needs psycopg: pip install 'storyline[postgres]'")
    url = db if "://" in db else (test_url_for(db) or db)
    conninfo, schema, where = _split_schema(url)
    try:
        conn = psycopg.connect(conninfo, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {where}: {_reason(exc)}") from None
    with conn:
        table = psycopg.sql.Identifier(schema or "public").as_string(conn) + ".storyline_schema"
        return conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is not None
