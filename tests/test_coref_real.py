"""One happening, one event, on real articles (issue 17, item 6): the link stage's clustering on
three Timeline17 bpoil reports of 5 May 2010 (skipped without ../shared)."""

from __future__ import annotations

import pytest
from helpers import SHARED_DATA

from storyline import api

BPOIL = SHARED_DATA / "timeline17"
REPORTS = ["bpoil_foxnews/InputDocs/2010-05-05/1536.htm.txt", "bpoil_foxnews/InputDocs/2010-05-05/526.htm.txt",
           "bpoil_guardian/InputDocs/2010-05-05/495.htm.txt"]


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    if not all((BPOIL / r).is_file() for r in REPORTS):
        pytest.skip("Timeline17 bpoil articles not available")
    from storyline.evaluate.tls import detokenise

    folder = tmp_path_factory.mktemp("bpoil")
    for k, r in enumerate(REPORTS):
        (folder / f"{k}.txt").write_text(detokenise((BPOIL / r).read_text(encoding="utf-8")), encoding="utf-8")
    db = str(folder / "s.db")
    api.build([str(folder)], db=db, progress=False, published="2010-05-05")
    return api.export(db=db)["events"]


def _event_of(events, needle: str) -> dict:
    found = [e for e in events if any(needle in m["text"] for m in e["mentions"])]
    assert found, needle
    return found[0]


def test_one_statement_in_several_outlets_is_one_event(events):
    said = _event_of(events, "whether the equipment will work")
    assert len({m["doc"] for m in said["mentions"] if "equipment will work" in m["text"]}) >= 2


def test_the_same_speakers_other_statements_are_other_events(events):
    said = _event_of(events, "whether the equipment will work")
    others = ("honor legitimate claims", "oil slick was not expected to reach land", "Chemical dispersants piped")
    assert not [m["text"] for m in said["mentions"] if any(o in m["text"] for o in others)]
    assert max(len(e["mentions"]) for e in events) <= 8, sorted(len(e["mentions"]) for e in events)[-5:]


def test_two_persons_accusations_are_two_events_though_both_name_one_state(tmp_path):
    # A real report of a UN Security Council debate (February 2022): Russia's deputy foreign minister
    # accuses Kyiv, Blinken accuses Russia.  Both name Russia among their doers; the persons who speak
    # say whose words they are, so no event joins the two.
    import json

    from helpers import ukraine_article

    rec = ukraine_article("gdelt-PL-20220217-f552be56f2")
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    api.build([str(tmp_path / "a.jsonl")], db=db, progress=False)
    for e in api.export(db=db)["events"]:
        names = {a["name"] for a in e["source"] or []}
        assert not {"Antony Blinken", "Sergei Wierzynin"} <= names, e
