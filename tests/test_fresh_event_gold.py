"""The fresh event annotation of benchmarks/events.py: it stores no article text and fits its articles."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from helpers import UKRAINE

ROOT = Path(__file__).resolve().parents[1]
FRESH = ROOT / "benchmarks/data/events-fresh.jsonl"
TYPES = {"AGREE", "AID", "ASSAULT", "ACCUSE", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE",
         "FIGHT", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT",
         "THREATEN", "STATEMENT"}


def _records() -> list[dict]:
    return [json.loads(line) for line in FRESH.read_text(encoding="utf-8").splitlines() if line.strip()]


def _bench():
    spec = importlib.util.spec_from_file_location("events_bench", ROOT / "benchmarks/events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fresh_annotation_holds_offsets_not_text():
    records = _records()
    assert len(records) == 121
    assert [r["part"] for r in records] == ["tune"] * 8 + ["validate"] * 8 + ["validate 2"] * 16 + \
        ["tune 2"] * 20 + ["validate 3"] * 39 + ["validate 4"] * 30
    assert len({r["id"] for r in records}) == 121
    for r in records:
        assert set(r) == {"id", "published", "part", "events", "non_events"}
        for e in r["events"]:
            assert "date_basis" not in e and e["type"] in TYPES
            start, end, check = e["evidence"]
            assert 0 <= start < end and len(check) == 8
            assert all("text" not in q for q in e["quantities"])
        for n in r["non_events"]:
            assert set(n) == {"evidence", "why"}


def test_fresh_annotation_fits_the_shared_articles():
    if not UKRAINE.exists():
        pytest.skip(f"{UKRAINE} not present")
    articles, parts = _bench().fresh_gold(FRESH, UKRAINE)
    assert [a["id"] for a in articles] == [r["id"] for r in _records()]
    gold = [g for name in ("tune", "validate", "validate 2", "tune 2", "validate 3", "validate 4")
            for g in parts[name]]
    assert sum(len(g["events"]) for g in gold) == 1790
    for article, g in zip(articles, gold):
        for e in g["events"] + g["non_events"]:
            assert e["evidence"] and e["evidence"] in article["text"]


def test_a_moved_text_is_an_error_not_a_wrong_gold(tmp_path):
    if not UKRAINE.exists():
        pytest.skip(f"{UKRAINE} not present")
    first = _records()[0]
    with UKRAINE.open(encoding="utf-8") as fh:
        article = next(a for a in map(json.loads, fh) if a["id"] == first["id"])
    article["text"] = "Moved. " + article["text"]
    (tmp_path / "articles.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    (tmp_path / "fresh.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not the annotated text"):
        _bench().fresh_gold(tmp_path / "fresh.jsonl", tmp_path / "articles.jsonl")
