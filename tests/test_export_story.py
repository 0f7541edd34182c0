"""A story's export is read from the store for that story alone, and says what the whole export says
of that story: the same events, quotes, contradictions and documents, in the same order."""

from __future__ import annotations

import json

import pytest

from storyline import api
from storyline.export import _cited, export
from storyline.store import Store

from helpers import UKRAINE


def cut_to_story(data: dict, story: str) -> dict:
    """The whole export cut down to one story, by the definition the story export follows."""
    own = {d["id"] for d in data["documents"] if d.get("story") == story}
    events = [e for e in data["events"] if e.get("story") == story]
    ids = {e["id"] for e in events}
    out = {**data, "events": events,
           "quotes": [q for q in data["quotes"] if q["doc"] in own or q.get("event") in ids],
           "contradictions": [c for c in data["contradictions"]
                              if c["event"] in ids or (c["event"] is None and c.get("doc") in own)],
           "stories": [s for s in data["stories"] if s["id"] == story]}
    keep = own | _cited(out)
    out["documents"] = [d for d in data["documents"] if d["id"] in keep]
    return out


def same_as_cut(db: str) -> list[str]:
    with Store(db) as store:
        whole = export(store)
        stories = [s["id"] for s in whole["stories"]]
        for sid in stories:
            assert export(store, sid) == cut_to_story(whole, sid), sid
    return stories


def test_each_story_of_the_examples_exports_what_the_whole_export_says_of_it(examples_db):
    stories = same_as_cut(examples_db["db"])
    assert len(stories) >= 2  # more than one story, or the cut would be the whole
    with Store(examples_db["db"]) as store:
        assert export(store)["contradictions"]


def test_each_story_of_real_articles_exports_what_the_whole_export_says_of_it(tmp_path):
    if not UKRAINE.is_file():
        pytest.skip("shared ukraine articles not present")
    records = [json.loads(line) for line in UKRAINE.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Articles months apart fall into different stories (a story spans its articles' days +-30).
    records = sorted(records, key=lambda r: r.get("published") or "")[::8]
    pile = tmp_path / "pile.jsonl"
    pile.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = str(tmp_path / "u.db")
    api.build([str(pile)], db=db, progress=False)
    stories = same_as_cut(db)
    with Store(db) as store:
        whole = export(store)
    assert len(stories) >= 3
    assert any(q["event"] for q in whole["quotes"])  # quotes tied to events: the cut has them to cut


def test_the_brief_of_a_story_reads_only_that_story(examples_db, monkeypatch):
    """api.brief never exports the whole store for one story's briefing."""
    import storyline.export as export_module

    calls = []
    real = export_module._export
    monkeypatch.setattr(export_module, "_export", lambda store, story=None: calls.append(story) or real(store, story))
    api.brief(db=examples_db["db"], fmt="json")
    assert calls and all(c is not None for c in calls)
