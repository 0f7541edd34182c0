"""Entries that read alone: bracketed referents and resolved days, marked as insertions (issue 16, step 4)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from storyline import api
from storyline.readable import readable


def _event(summary, date=None, doc="d1", start=100):
    return {"summary": summary, "date": date or {"value": None, "precision": "unknown", "text": ""},
            "mentions": [{"doc": doc, "text": summary, "start": start, "end": start + len(summary)}]}


def _lookup(names):
    asked = []

    def lookup(doc, offset, types, limit):
        asked.append((doc, offset, types, limit))
        return names.get(types, [])[:limit]
    lookup.asked = asked
    return lookup


def test_a_pronoun_subject_shows_its_referent_and_a_relative_day_its_date():
    e = _event("He met Saudi officials on Tuesday, a day before the talks.",
               {"value": "2025-02-18", "precision": "day", "text": "Tuesday"})
    lookup = _lookup({("person",): ["Marco Rubio", "Sergei Lavrov"]})
    text, inserts = readable(e, lookup)
    assert text == "He [Marco Rubio] met Saudi officials on Tuesday [2025-02-18], a day before the talks."
    assert inserts == [{"after": 2, "text": "Marco Rubio", "kind": "referent"},
                       {"after": 33, "text": "2025-02-18", "kind": "date"}]
    assert lookup.asked == [("d1", 100, ("person",), 1)]  # only what the article said before the sentence


def test_two_people_and_an_organisation():
    two = readable(_event("The two leaders met for three hours."), _lookup({("person",): ["Putin", "Trump"]}))[0]
    assert two == "The two leaders [Trump and Putin] met for three hours."
    firm = readable(_event("The company suspended its flights."), _lookup({("organisation",): ["Ryanair"]}))[0]
    assert firm == "The company [Ryanair] suspended its flights."


@pytest.mark.parametrize("summary, date", [
    ("He met officials.", None),  # no one named before: nothing is guessed
    ("Officials met on February 18, 2025.", {"value": "2025-02-18", "precision": "day", "text": "February 18, 2025"}),
    ("Officials met that month.", {"value": "2025-02", "precision": "month", "text": "that month"}),
    ("Officials met, the ministry said.", {"value": "2025-02-18", "precision": "day", "text": "Tuesday"}),
])
def test_nothing_is_inserted_without_a_referent_or_for_an_explicit_or_absent_date(summary, date):
    assert readable(_event(summary, date), _lookup({})) == (summary, [])


ARTICLE = {"id": "r1", "published": "2025-02-20", "title": "Rubio in Riyadh",
           "text": "US Secretary of State Marco Rubio arrived in Riyadh on February 17, 2025, for talks on the war "
                   "in Ukraine.\n\nHe met Saudi officials at the royal palace on Tuesday, a day before the talks "
                   "with Russia."}
READS = "He [Marco Rubio] met Saudi officials at the royal palace on Tuesday [2025-02-18]"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("readable") / "a.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    db = str(path.with_suffix(".db"))
    api.build([str(path)], db=db, progress=False)
    return db


def _plain(markup: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", markup)).replace("\\", "")


def test_every_format_shows_the_insertions_and_json_marks_them(db):
    assert READS in _plain(api.timeline(db=db))
    assert READS in _plain(api.brief(db=db))
    assert READS in _plain(api.brief(db=db, fmt="html"))
    entry = next(e for e in json.loads(api.timeline(db=db, fmt="json"))["events"] if e["text"].startswith("He "))
    assert entry["text"].startswith(READS)
    assert entry["summary"] == "He met Saudi officials at the royal palace on Tuesday, a day before the talks with Russia."
    assert [(i["kind"], i["text"]) for i in entry["insertions"]] == [("referent", "Marco Rubio"), ("date", "2025-02-18")]
    plan = json.loads(api.brief(db=db, fmt="json"))
    lines = [i for g in plan["developments"]["items"] for i in g["items"]]
    line = next(i for i in lines if i["text"].startswith("He "))
    assert line["text"].startswith(READS) and [i["kind"] for i in line["insertions"]] == ["referent", "date"]
