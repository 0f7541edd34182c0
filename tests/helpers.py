"""Small readers the end-to-end tests share."""

from __future__ import annotations

import functools
import json
import os
import re
import socket
import sqlite3
from pathlib import Path


def section(markdown: str, heading: str) -> list[str]:
    """Non-blank lines under ``## heading`` up to the next ``## ``."""
    lines = markdown.splitlines()
    start = lines.index(f"## {heading}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        if line.strip():
            out.append(line)
    return out


def md_text(markdown: str) -> str:
    """Text read back from a Markdown line: the backslash escapes of ASCII punctuation taken off."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def one_line(text: str) -> str:
    """``text`` as the Markdown outputs show it: control characters as spaces, whitespace collapsed."""
    return " ".join(re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).split())


def source_numbers(markdown: str, data: dict) -> dict[int, str]:
    """Source number -> document id, read back from a briefing's Sources section."""
    from storyline.timeline import Sources

    by_describe = {one_line(Sources.describe(d)): d["id"] for d in data["documents"]}
    out = {}
    for line in section(markdown, "Sources"):
        m = re.fullmatch(r"(\d+)\. (.*)", line)
        assert m, line
        out[int(m.group(1))] = by_describe[md_text(m.group(2))]
    return out


# The evaluation data beside the checkout; tests that read it skip when it is absent.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEEDS = SHARED_DATA / "seeds-sample"
UKRAINE = SHARED_DATA / "ukraine" / "articles.jsonl"


@functools.lru_cache(maxsize=1)
def _ukraine_records() -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, UKRAINE.read_text(encoding="utf-8").splitlines())}


def ukraine_article(article_id: str) -> dict:
    """One record of ../shared/data/ukraine/articles.jsonl (read once); the test skips without it."""
    import pytest

    if not UKRAINE.is_file():
        pytest.skip("shared ukraine articles not present")
    rec = _ukraine_records().get(article_id)
    if rec is None:
        pytest.skip(f"{article_id} not in the shared articles")
    return rec


def events_of(text: str, published: str = "2025-08-15"):
    """The product's annotation of ``text`` as an article published on ``published``: (document, events)."""
    from storyline.model import RawDoc
    from storyline.pipeline import process

    doc = process(RawDoc(text=text, published=published, published_from="metadata"))
    return doc, doc.events


def ukraine_sentence(needle: str) -> str:
    """The sentence of a ukraine article holding ``needle`` (cut at ". " and line breaks); skips without it."""
    import pytest

    if not UKRAINE.is_file():
        pytest.skip("shared ukraine articles not present")
    for rec in _ukraine_records().values():
        text = rec["text"]
        at = text.find(needle)
        if at >= 0:
            stop = text.rfind(". ", 0, at)
            start = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, at) + 1)
            end = text.find(".", at + len(needle))
            return text[start:end + 1 if end >= 0 else None]
    pytest.skip(f"{needle!r} not in the ukraine articles")


def stored_count(db) -> int:
    """Documents committed so far, read without disturbing a writer (0 before the schema exists)."""
    if os.environ.get("STORYLINE_TEST_POSTGRES", "").strip():  # the suite's run on PostgreSQL
        from storyline.store import Store, StoreError
        try:
            with Store(str(db), readonly=True) as store:
                return len(store.document_ids(current_only=False))
        except StoreError:
            return 0
    if not os.path.exists(db):
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def without_insertions(text: str) -> str:
    """A line with the bracketed insertions of ``storyline.readable`` (" [Marco Rubio]", " [2025-06-24]")
    taken out: what is left must be the source's own sentence."""
    return re.sub(r" \[[^\[\]]+\]", "", text)


# Article text that would run as script if a page ever treated it as markup: in titles, outlets,
# URLs and sentences (test_web.py checks the HTML and JSON, test_browser.py a real browser).
PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poison_batch(folder: Path, cities: list[str], poisoned: int) -> Path:
    """A folder of short drone-strike articles, one per city, with article number ``poisoned``
    replaced by one holding POISON (which ``dies_on_poison`` turns into a dead process); its path."""
    folder.mkdir()
    for i, city in enumerate(cities):
        (folder / f"{i}.txt").write_text(
            f"Drones hit {city}\n\nOn June {20 + i}, 2025, Russian drones struck {city}, "
            f"injuring {i + 2} people, regional officials said.\n", encoding="utf-8")
    bad = folder / f"{poisoned}.txt"
    bad.write_text("POISON\n\nOn June 23, 2025, nothing at all happened.\n", encoding="utf-8")
    return bad


def dies_on_poison(raw, settings):
    """Stands in for ``pipeline.process`` in forked workers (set ``pipeline._real_process`` to the
    real one first): an article holding POISON kills its process."""
    from storyline import pipeline

    if "POISON" in raw.text:
        os._exit(3)
    return pipeline._real_process(raw, settings)
