"""Shared fixtures for the end-to-end tests."""

from __future__ import annotations

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
