"""Vocabularies and tables that ship with Storyline, read once by the modules that use them."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Iterator


def table(name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of each line of the data file ``name`` that is neither
    blank nor a ``#`` comment."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")


@lru_cache(maxsize=None)
def lists(name: str) -> dict[str, list[str]]:
    """The named lists of the data file ``name``: each line is a list's name, a tab, then one entry.

    Read once per process (callers share the result and must not change it).  Entries keep their
    order in the file.  A line without exactly two fields, an empty entry, an
    entry with spaces around it or an entry given twice in one list is an error in the file.
    """
    out: dict[str, list[str]] = {}
    for n, fields in table(name):
        if len(fields) != 2 or not fields[0] or not fields[1].strip():
            raise ValueError(f"{name} line {n}: expected a list name, a tab and an entry")
        key, entry = fields
        if entry != entry.strip():
            raise ValueError(f"{name} line {n}: spaces around the entry {entry!r}")
        entries = out.setdefault(key, [])
        if entry in entries:
            raise ValueError(f"{name} line {n}: {entry!r} twice in the list {key!r}")
        entries.append(entry)
    return out


@lru_cache(maxsize=None)
def pairs(name: str) -> dict[str, str]:
    """The data file ``name`` as a mapping: each line is a key, a tab, then its value.

    Read once per process, like ``lists``.  Keys keep their order in the file.  A line without exactly two non-empty fields, or a key
    given twice, is an error in the file.
    """
    out: dict[str, str] = {}
    for n, fields in table(name):
        if len(fields) != 2 or not all(f.strip() and f == f.strip() for f in fields):
            raise ValueError(f"{name} line {n}: expected a key, a tab and a value")
        if fields[0] in out:
            raise ValueError(f"{name} line {n}: {fields[0]!r} given twice")
        out[fields[0]] = fields[1]
    return out
