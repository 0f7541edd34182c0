"""Vocabularies and tables that ship with Storyline, read once by the modules that use them."""

from __future__ import annotations

from importlib import resources
from typing import Iterator


def table(name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of each line of the data file ``name`` that is neither
    blank nor a ``#`` comment."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")
