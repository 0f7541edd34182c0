"""Dates for undated articles (issue 16, step 2): datelines, date-named folders,
copies taking their original's date, a date given for the batch, and the
warning when a pile stays mostly undated.

Everything here is built from made-up articles; the one test over real data
(Timeline17, whose folders hold the publication dates) skips without it.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

from storyline import api
from storyline.pubdate import dateline_date, folder_date, publication_date
from storyline.store import Store

from helpers import SHARED_DATA

BODY = ("Oil kept leaking from the damaged well on Tuesday, and crews said the spill had reached "
        "the marshes near the river mouth after the storm moved east.")


# -- datelines ---------------------------------------------------------------


@pytest.mark.parametrize("text, want", [
    ("Thu Apr 29, 2010 3:08 pm EDT\n" + BODY, "2010-04-29"),
    ("WASHINGTON | Tue Apr 20, 2010 11:57pm EDT WASHINGTON (Reuters) - " + BODY, "2010-04-20"),
    ("KYIV, Ukraine, June 24, 2025 (Reuters) - " + BODY, "2025-06-24"),
    ("NEW ORLEANS, May 3, 2010 (AP) — " + BODY, "2010-05-03"),
    ("June 10, 2010 - 5:41 PM | by: A. Writer\n" + BODY, "2010-06-10"),
    ("Spill reaches the marshes Thursday 6 May 2010 19.41 BST " + BODY, "2010-05-06"),
    ("Spill reaches the marshes, report says Tuesday, January 11, 2011; 12:31 AM " + BODY, "2011-01-11"),
    ("Ann Writer | 14:44 UK time, Wednesday, 29 April 2009\n" + BODY, "2009-04-29"),
    ("Sun Apr 26 , 2009 10:12 pm BST -LRB- Reuters -RRB- - " + BODY, "2009-04-26"),  # tokenized text
    ("2009-04-25 08:50 JST\n" + BODY, "2009-04-25"),
    ("24.06.2025 10:32\n" + BODY, "2025-06-24"),
    ("Spill Reaches Marshes\nAugust 15, 2025\n" + BODY, "2025-08-15"),
])
def test_dateline_forms(text, want):
    assert dateline_date(text) == want
    assert publication_date(None, "none", text) == (want, "dateline", None)


@pytest.mark.parametrize("text", [
    "On October 16, 2025, the envoy flew to Washington.",  # a dated lead: a text cue, not a dateline
    "The rig exploded on April 20, 2010 at 9:45 pm CDT, killing 11 workers.",  # an event's time
    "April 29, 2010: Workers lay booms on the beach.",  # a caption's date
    "Last updated: Tue Apr 20, 2010 11:57pm EDT\n" + BODY,  # an update, not the publication
    "Thu Apr 28, 2010 3:08 pm EDT\n" + BODY,  # 28 April 2010 was a Wednesday: the stamp is misread
    "KYIV, June 24 (Reuters) - " + BODY,  # no year and nothing to take one from
])
def test_not_datelines(text):
    assert dateline_date(text) is None


def test_lowercase_may_without_a_year_is_the_verb():
    # Shaped like a dateline, with a clock time and a date to take the year from:
    # only the lowercase "may" keeps it from being read as 3 May.
    assert dateline_date("may 3 10:30 pm\n" + BODY, near="2010-05-01") is None
    assert dateline_date("May 3 10:30 pm\n" + BODY, near="2010-05-01") == "2010-05-03"


def test_dateline_only_at_the_top():
    late = "\n".join(["Spill reaches the marshes."] * 4) + "\nWASHINGTON | Tue Apr 20, 2010 11:57pm EDT\n" + BODY
    assert dateline_date(late) is None
    assert dateline_date("x" * 320 + " Tue Apr 20, 2010 11:57pm EDT " + BODY) is None


def test_a_year_less_dateline_takes_the_year_from_the_folder_or_the_user():
    text = "KYIV, June 24 (Reuters) - " + BODY
    assert dateline_date(text, near="2025-07-02") == "2025-06-24"
    assert dateline_date(text, near="2025-12-01") == "2025-06-24"  # the nearest June 24
    assert dateline_date(text, near="2026-01-10") == "2026-06-24"
    assert publication_date(None, "none", text, default="2025-07-01") == ("2025-06-24", "dateline", None)
    assert publication_date(None, "none", text, path="/p/2025-06-25/a.txt") == ("2025-06-24", "dateline", None)


def test_dateline_is_read_from_the_text_as_given():
    """Cleaning may drop the first line as the title: the dateline in it still counts."""
    raw = "Fri Jul 2, 2010 11:22 am EDT (Reuters) - Crews capped the well.\n" + BODY
    assert publication_date(None, "none", BODY, raw_text=raw) == ("2010-07-02", "dateline", None)


# -- folders and precedence --------------------------------------------------


def test_folder_date():
    assert folder_date("/data/InputDocs/2010-04-29/123.htm.txt") == "2010-04-29"
    assert folder_date("2010-04-29/a.txt") == "2010-04-29"
    assert folder_date("/data/2010-02-30/a.txt") is None  # not a real day
    assert folder_date("/data/2010-04-29/more/a.txt") is None  # only the immediate parent
    assert folder_date("/data/2010-04-29-draft/a.txt") is None
    assert folder_date(None) is None


def test_order_of_trust():
    """metadata > html > dateline > folder > text cues > user > none."""
    dateline = "WASHINGTON | Tue Apr 20, 2010 11:57pm EDT\n" + BODY
    lead = "On April 18, 2010, the rig was inspected.\n" + BODY
    folder = "/data/2010-04-21/a.txt"
    assert publication_date("2010-04-22", "metadata", dateline, path=folder)[:2] == ("2010-04-22", "metadata")
    assert publication_date(None, "none", dateline, html_date="2010-04-23", path=folder)[:2] == ("2010-04-23", "html")
    assert publication_date(None, "none", dateline, path=folder, default="2010-01-01")[:2] == ("2010-04-20", "dateline")
    assert publication_date(None, "none", lead, path=folder, default="2010-01-01")[:2] == ("2010-04-21", "folder")
    assert publication_date(None, "none", lead, default="2010-01-01")[:2] == ("2010-04-18", "text")
    assert publication_date(None, "none", BODY, default="2010-01-01") == ("2010-01-01", "user", None)
    assert publication_date(None, "none", BODY) == (None, "none", None)


def _stored(db: str) -> dict[str, tuple[str | None, str]]:
    """Stored path (file name) -> (published, published_from), current documents."""
    with Store(db) as store:
        return {os.path.basename(d.path or d.id): (d.published, d.published_from) for d in store.documents()}


def test_build_dates_an_article_by_its_folder(tmp_path):
    day = tmp_path / "InputDocs" / "2010-04-29"
    day.mkdir(parents=True)
    (day / "123.htm.txt").write_text("Crews fight the spill\n" + BODY + "\n", encoding="utf-8")
    other = tmp_path / "InputDocs" / "misc"
    other.mkdir()
    (other / "9.txt").write_text("Marshes at risk\nThe storm moved east and the marshes were at risk, "
                                 "officials said as the cleanup went on.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    api.build([str(tmp_path / "InputDocs")], db=db, progress=False)
    got = _stored(db)
    assert got["123.htm.txt"] == ("2010-04-29", "folder")
    assert got["9.txt"] == (None, "none")


# -- a copy takes its original's date -----------------------------------------

REPORT = """\
BP said on Tuesday that crews had started to drill a relief well to stop the oil leaking from the damaged \
well in the Gulf of Mexico, a job the company expects to take up to three months.

The company said engineers were also building a large steel dome to be lowered over the biggest leak, and \
that more than 100 vessels had been sent to skim oil and lay booms along the coast of Louisiana.

Officials in Louisiana said the slick had reached the marshes near the mouth of the Mississippi River, and \
fishermen said the shrimp season had been closed across much of the state's waters.
"""


def test_an_undated_copy_takes_its_originals_date_and_is_read_again_on_it(tmp_path):
    import json

    copy = REPORT.replace("fishermen said", "local fishermen said").replace("three months", "90 days")
    records = [{"id": "copy", "title": "Relief well begun", "text": copy},
               {"id": "wire", "title": "BP starts relief well", "text": REPORT, "published": "2010-05-05"}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    api.build([str(tmp_path / "a.jsonl")], db=db, progress=False)
    with Store(db) as store:
        docs = {d.external_id: d for d in store.documents(annotations=True)}
        assert store.duplicates() == {docs["copy"].id: docs["wire"].id}
    wire, got = docs["wire"], docs["copy"]
    assert (got.published, got.published_from, got.published_after) == ("2010-05-05", "copy", None)
    # "on Tuesday" is read on the new date, as in the original, and so is every event.
    assert {t.text: t.value for t in got.timexes}["Tuesday"] == "2010-05-04"
    assert [m.date.value if m.date else None for m in got.events] == \
        [m.date.value if m.date else None for m in wire.events]
    assert all(m.date is not None for m in got.events)
    # The dated copy stays a copy: on the same day, a date of one's own comes first.
    api.build([str(tmp_path / "a.jsonl")], db=db, progress=False)
    with Store(db) as store:
        assert store.duplicates() == {got.id: wire.id}


def test_a_copy_of_an_undated_original_stays_undated(tmp_path):
    import json

    copy = REPORT.replace("fishermen said", "local fishermen said")
    records = [{"id": "copy", "text": copy}, {"id": "orig", "text": REPORT}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    api.build([str(tmp_path / "a.jsonl")], db=db, progress=False)
    with Store(db) as store:
        assert len(store.duplicates()) == 1
        assert {(d.published, d.published_from) for d in store.documents()} == {(None, "none")}


# -- a date for the batch: --published -----------------------------------------


def test_published_dates_only_articles_that_carry_no_date(tmp_path, capsys):
    from storyline import cli

    (tmp_path / "undated.txt").write_text("Crews fight the spill\n" + BODY + "\n", encoding="utf-8")
    (tmp_path / "wire.txt").write_text("Marshes at risk\nWASHINGTON | Tue Apr 20, 2010 11:57pm EDT "
                                       "WASHINGTON (Reuters) - The storm moved east and the marshes were at "
                                       "risk, officials said.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert cli.main(["build", str(tmp_path), "--db", db, "-q", "--published", "2010-05-01"]) == 0
    got = _stored(db)
    assert got["undated.txt"] == ("2010-05-01", "user")
    assert got["wire.txt"] == ("2010-04-20", "dateline")


@pytest.mark.parametrize("value", ["2010-05", "2010", "2010-02-30", "May 1", ""])
def test_published_must_be_a_day(value, tmp_path, capsys):
    from storyline import cli

    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    db = str(tmp_path / "s.db")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["build", str(tmp_path / "a.txt"), "--db", db, "-q", "--published", value])
    assert exit_.value.code == 2
    assert "--published" in capsys.readouterr().err
    assert not os.path.exists(db)
    with pytest.raises(ValueError, match="not a"):
        api.build([str(tmp_path / "a.txt")], db=db, progress=False, published=value)


# -- the warning when a pile stays mostly undated ------------------------------

TOPICS = ["the spill reached the marshes", "the relief well was started", "the dome was lowered",
          "the shrimp season was closed", "the beaches were closed", "the claims fund was set up"]


def _pile(folder, dated: int, undated: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(dated + undated):
        stamp = "WASHINGTON | Tue Apr 20, 2010 11:57pm EDT - " if k < dated else ""
        (folder / f"{k}.txt").write_text(f"Report {k}\n{stamp}Officials said on Tuesday that {TOPICS[k]}, "
                                         f"and that work would go on through the week (item {k}).\n",
                                         encoding="utf-8")


def test_a_mostly_undated_pile_is_warned_about_once(tmp_path, capsys):
    from storyline import cli

    _pile(tmp_path / "pile", dated=2, undated=4)
    (tmp_path / "pile" / "again.txt").write_bytes((tmp_path / "pile" / "5.txt").read_bytes())  # one article twice
    db = str(tmp_path / "s.db")
    assert cli.main(["build", str(tmp_path / "pile"), "--db", db, "-q"]) == 0  # a warning, not a failure
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "no publication date" in ln]
    assert lines == ['warning: 4 of 6 articles have no publication date; their relative dates ("on Tuesday") '
                     'cannot be resolved and their events cannot be dated — give dates with a "published" '
                     'field, a YYYY-MM-DD folder, or --published DATE']
    report = api.build([str(tmp_path / "pile")], db=db, progress=False)  # all stored already: still said
    assert (report.unchanged, report.articles, report.undated) == (7, 6, 4)
    assert report.undated_warning == lines[0][len("warning: "):]
    # With a date for the batch nothing is left undated.
    report = api.build([str(tmp_path / "pile")], db=str(tmp_path / "t.db"), progress=False, published="2010-04-21")
    assert report.undated == 0 and report.undated_warning is None


def test_a_mostly_dated_pile_is_not_warned_about(tmp_path, capsys):
    from storyline import cli

    _pile(tmp_path / "pile", dated=5, undated=1)
    db = str(tmp_path / "s.db")
    assert cli.main(["build", str(tmp_path / "pile"), "--db", db, "-q"]) == 0
    assert "no publication date" not in capsys.readouterr().err
    report = api.build([str(tmp_path / "pile")], db=db, progress=False)
    assert report.undated == 1 and report.undated_warning is None


# -- real data ---------------------------------------------------------------

TIMELINE17 = SHARED_DATA / "timeline17"


def test_datelines_agree_with_timeline17_folders():
    """On Timeline17 the folders hold the publication dates: the datelines found must agree with them.

    Measured: 589 of 1,862 articles have a dateline, 588 of them on their
    folder's day (the other is a blog's list of posts).
    """
    if not TIMELINE17.is_dir():
        pytest.skip("shared Timeline17 data not present")
    from storyline.clean import clean_text
    from storyline.ingest import iter_inputs
    from storyline.model import RawDoc

    seen = Counter()
    for topic in sorted(p for p in TIMELINE17.iterdir() if (p / "InputDocs").is_dir()):
        for item in iter_inputs([str(topic / "InputDocs")]):
            if not isinstance(item, RawDoc):
                continue
            seen["articles"] += 1
            text = clean_text(item.text, item.title).text
            found = dateline_date(item.text) or dateline_date(text)
            if found:
                seen["dateline"] += 1
                seen["agree"] += found == folder_date(item.path)
    assert seen["dateline"] >= 0.25 * seen["articles"]
    assert seen["agree"] >= 0.98 * seen["dateline"]
