"""The store: every stage's output, behind one interface (``Store``).

The pipeline, the link stage, the exports and the query layer use ``Store``
and nothing else that speaks SQL.  One backend today, ``sqlite`` (the
embedded default: one file, WAL, FTS5 over sentences) and ``postgres``
(a server shared by builds and readers), which ``Store("postgresql://...")``
opens.

``default_db()`` is the database commands use when none is given:
``$STORYLINE_DB``, else ``storyline.db`` in the working folder.
"""

from __future__ import annotations

import os

from pathlib import Path

from .sqlite import SERVER_SCHEMES, on_server
from .sqlite import MIGRATIONS, AmbiguousKey, PendingDoc, Store, StoreError, UnstorableDocument

__all__ = ["MIGRATIONS", "AmbiguousKey", "PendingDoc", "Store", "StoreError", "UnstorableDocument",
           "default_db", "check_db", "exists", "shown"]

DEFAULT_DB = "storyline.db"


def default_db() -> str:
    """``$STORYLINE_DB`` when it is set and not blank, else ``storyline.db``."""
    return os.environ.get("STORYLINE_DB", "").strip() or DEFAULT_DB


def check_db(db: str) -> str:
    """``db`` when it names a database a backend here opens (a file path or a ``postgresql://``
    URL); ValueError with the reason for another kind of URL."""
    if "://" in db and not db.startswith(SERVER_SCHEMES):
        scheme = db.split("://", 1)[0]
        raise ValueError(f"--db {scheme}://...: give an SQLite file path or a postgresql:// URL")
    return db


def exists(db: str) -> bool:
    """Whether ``db`` holds a Storyline database already (a file that exists; a server schema that
    a build has set up)."""
    if on_server(db):
        from .postgres import exists as server_exists
        return server_exists(db)
    return Path(db).exists()


def shown(db: str) -> str:
    """``db`` as messages name it: a server URL without its password."""
    if db.startswith(SERVER_SCHEMES):
        from .postgres import shown as server_shown
        return server_shown(db)
    return db
