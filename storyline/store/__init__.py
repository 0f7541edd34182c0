"""The store: every stage's output, behind one interface (``Store``).

The pipeline, the link stage, the exports and the query layer use ``Store``
and nothing else that speaks SQL.  One backend today, ``sqlite`` (the
embedded default: one file, WAL, FTS5 over sentences); a PostgreSQL backend
is to sit beside it.

``default_db()`` is the database commands use when none is given:
``$STORYLINE_DB``, else ``storyline.db`` in the working folder.
"""

from __future__ import annotations

import os

from .sqlite import MIGRATIONS, AmbiguousKey, PendingDoc, Store, StoreError, UnstorableDocument

__all__ = ["MIGRATIONS", "AmbiguousKey", "PendingDoc", "Store", "StoreError", "UnstorableDocument",
           "default_db", "check_db"]

DEFAULT_DB = "storyline.db"


def default_db() -> str:
    """``$STORYLINE_DB`` when it is set and not blank, else ``storyline.db``."""
    return os.environ.get("STORYLINE_DB", "").strip() or DEFAULT_DB


def check_db(db: str) -> str:
    """``db`` when it names a database this build can open (a file path); ValueError with the reason
    for a server URL, which no backend here serves yet."""
    if "://" in db:
        scheme = db.split("://", 1)[0]
        raise ValueError(f"--db {scheme}://...: this version stores in an SQLite file only; give a file path")
    return db
