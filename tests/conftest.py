"""Shared fixtures for the end-to-end tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory) -> dict:
    """The bundled examples built once with the CLI, exactly as a user would.

    Tests that use it must only read the database.
    """
    from storyline import cli

    db = str(tmp_path_factory.mktemp("examples") / "examples.db")
    old = os.getcwd()
    os.chdir(REPO)  # so that the relative PATH "examples" is what gets built
    try:
        rc = cli.main(["build", "examples", "--db", db, "-q"])
    finally:
        os.chdir(old)
    return {"db": db, "rc": rc}


@pytest.fixture(scope="session")
def evil_db(tmp_path_factory) -> str:
    """A database built with the CLI from two articles full of markup payloads and a javascript: URL."""
    from storyline import cli

    folder = tmp_path_factory.mktemp("evil")
    text = ("Russian missiles struck Dnipro on June 24, 2025 <script>alert(1)</script>, killing 17 people, "
            "officials said <img src=x onerror=alert(1)>.\n\n"
            "“We will rebuild <script>alert(1)</script> every home,” Zelenskyy said on June 24, 2025. "
            'See <a href="javascript:alert(1)">here</a> and <svg onload=alert(1)>.\n\n'
            "Trump and Putin met in Anchorage, Alaska, on August 15, 2025 <img src=x onerror=alert(1)>, "
            "officials said.")
    records = [
        {"id": "x1", "url": "javascript:alert(1)", "published": "2025-06-25",
         "source": "Wire <script>alert(1)</script>",
         "title": "Strike <img src=x onerror=alert(1)> <script>alert(1)</script>", "text": text},
        {"id": "x2", "url": "https://wire.example/a?x=1&y=<script>alert(1)</script>", "published": "2025-06-26",
         "source": "Post <img src=x onerror=alert(1)>", "title": "<script>alert(1)</script> Dnipro toll <svg onload=alert(1)>",
         "text": text.replace("killing 17", "killing 18")},
    ]
    (folder / "evil.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = str(folder / "evil.db")
    assert cli.main(["build", str(folder / "evil.jsonl"), "--db", db, "-q"]) == 0
    return db


def pytest_collection_modifyitems(config, items):
    """In the suite's run on PostgreSQL (``STORYLINE_TEST_POSTGRES``), tests marked ``sqlite_only``
    (they read or write the SQLite file itself) skip; they run in the SQLite pass."""
    if not os.environ.get("STORYLINE_TEST_POSTGRES", "").strip():
        return
    skip = pytest.mark.skip(reason="reads or writes the SQLite file itself; this run keeps databases on PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)
