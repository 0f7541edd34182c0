"""Timeline selection (``storyline.selection``), the Timeline17 reader and scorer, and ``storyline eval tls``,
which builds the dataset and asks the product's timeline for each reference."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import SHARED_DATA

from storyline import api, cli
from storyline.evaluate import tls as ev
from storyline.selection import DatedSentence, candidates_by_day, choose, rank_dates, stem, tidy

D = dt.date
TIMELINE17 = SHARED_DATA / "timeline17"


# --- scorer ------------------------------------------------------------------

def test_identical_timelines_score_one():
    tl = {D(2010, 4, 20): ["The rig explodes , killing 11 workers ."],
          D(2010, 4, 22): ["The burning rig sinks into the Gulf ."]}
    assert ev.score(tl, tl) == {"rouge1_f": 1.0, "rouge2_f": 1.0, "date_f1": 1.0}


def test_disjoint_dates_have_date_f1_zero():
    pred = {D(2010, 5, 1): ["The rig explodes ."]}
    ref = {D(2010, 4, 20): ["The rig explodes ."]}
    assert ev.score(pred, ref)["date_f1"] == 0.0


def test_alignment_maps_a_near_date_and_weights_it_by_distance():
    # Reference: 20 April "rig explodes" and 30 April "obama visits coast".
    # Prediction: 21 April "rig explodes" (one day off) only.
    #
    # Content cost is 1 - unigram F1 of raw tokens (punctuation out):
    #   21/04 vs 20/04: same tokens -> F1 1 -> cost (1 - 1/2) * 0 = 0
    #   21/04 vs 30/04: no overlap  -> F1 0 -> cost (1 - 1/10) * 1 = 0.9
    # so the predicted day aligns with 20 April, and 20 April (the least cost
    # in its column) with 21 April; 30 April also picks 21 April, its only choice.
    #
    # ROUGE terms (stemmed, stop words out): prediction "rig explod";
    # 20/04 "rig explod", 30/04 "obama visit coast".
    # ROUGE-1 precision: hits 2 weighted 1/(1+1) = 1, over 2 predicted terms -> 0.5
    # ROUGE-1 recall: 20/04 gives 2 * 1/2 = 1, 30/04 gives 0 (no overlap);
    #   over 2 + 3 reference terms -> 1/5 = 0.2;  F1 = 2 * 0.5 * 0.2 / 0.7 = 2/7
    # ROUGE-2: the bigram (rig, explod) matches: precision 0.5/1, recall 0.5/(1 + 2) -> F1 = 2 * 0.5 * (1/6) / (2/3) = 0.25
    pred = {D(2010, 4, 21): ["The rig explodes ."]}
    ref = {D(2010, 4, 20): ["The rig explodes ."], D(2010, 4, 30): ["Obama visits the coast ."]}
    assert ev.align_costs(pred, ref) == [[0.0, pytest.approx(0.9)]]
    rouge = ev.alignment_rouge(pred, ref)
    assert rouge["rouge_1"]["precision"] == pytest.approx(0.5)
    assert rouge["rouge_1"]["recall"] == pytest.approx(0.2)
    assert rouge["rouge_1"]["f_score"] == pytest.approx(2 / 7)
    assert rouge["rouge_2"]["f_score"] == pytest.approx(0.25)
    assert ev.date_scores(pred, ref)["f_score"] == 0.0


def test_rouge_terms_follow_rouge_155():
    # Lower case, hyphens split, punctuation and SMART stop words gone, words of
    # more than three letters stemmed, irregular forms looked up first.
    assert ev.rouge_terms(["The BP-operated rig sank , officials said ."]) == ["bp", "oper", "rig", "sink", "offici"]


@pytest.mark.parametrize("word, expected", [
    ("caresses", "caress"), ("ponies", "poni"), ("hopping", "hop"), ("filing", "file"), ("relational", "relat"),
    ("generalization", "gener"), ("agreement", "agreem"), ("government", "govern"), ("controllable", "control"),
    ("explosion", "explos"), ("yelling", "yell"),
])
def test_porter_stemmer_as_rouge_uses_it(word, expected):
    assert stem(word) == expected


# --- reader ------------------------------------------------------------------

REF_TEXT = """2010-04-22
The burning rig sinks .
--------------------------------
2010-04-20
The rig explodes , killing 11 workers .
Transocean says it had no warning .
--------------------------------
"""


def test_parse_timeline_and_budget():
    tl = ev.parse_timeline(REF_TEXT)
    assert sorted(tl) == [D(2010, 4, 20), D(2010, 4, 22)]
    assert tl[D(2010, 4, 20)] == ["The rig explodes , killing 11 workers .", "Transocean says it had no warning ."]
    assert ev.budget(tl) == (2, 2)  # 3 sentences over 2 dates: 1.5 rounds to 2


def test_parse_timeline_keeps_the_last_entry_of_a_repeated_date():
    tl = ev.parse_timeline("2010-04-20\nfirst .\n----------\n2010-04-20\nsecond .\n----------\n")
    assert tl == {D(2010, 4, 20): ["second ."]}


@pytest.mark.parametrize("text", ["", "no date here\n", "2010-02-30\nx\n"])
def test_parse_timeline_rejects_what_is_not_a_timeline(text):
    with pytest.raises(ValueError):
        ev.parse_timeline(text)


def test_a_malformed_line_costs_that_line_not_the_timeline():
    bad = []
    text = "stray words\n" + REF_TEXT + "2010-02-30\nan impossible day .\n--------\n"
    tl = ev.parse_timeline(text, lambda n, why: bad.append((n, why)))
    assert tl == ev.parse_timeline(REF_TEXT)
    assert bad == [(1, "text outside a dated entry"), (9, "'2010-02-30' is not a calendar date"),
                   (10, "text outside a dated entry")]


def test_format_timeline_reads_back():
    tl = ev.parse_timeline(REF_TEXT)
    text = ev.format_timeline(tl)
    assert text.splitlines()[:2] == ["2010-04-20", "The rig explodes , killing 11 workers ."]
    assert ev.parse_timeline(text) == tl


def _article(root, folder, day, name, text):
    path = root / folder / "InputDocs" / day / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def tiny_dataset(root):
    """Two folders of topic "rig" and a reference timeline in one of them."""
    _article(root, "rig_bbc", "2010-04-20", "1.htm.txt",
             "An oil rig exploded in the Gulf of Mexico on Tuesday , killing 11 workers .\n"
             "The Coast Guard searched for the missing crew .\n")
    _article(root, "rig_bbc", "2010-04-22", "2.htm.txt",
             "The burning oil rig sank on Thursday , two days after the explosion .\n"
             "The rig exploded on April 20 , killing 11 workers .\n")
    _article(root, "rig_cnn", "2010-04-23", "3.htm.txt",
             "Oil is leaking from the well , the Coast Guard said .\n"
             "The rig sank on April 22 after burning for two days .\n"
             "The oil rig exploded on April 20 .\n")
    (root / "rig_bbc" / "timelines").mkdir(parents=True)
    (root / "rig_bbc" / "timelines" / "rig.txt").write_text(
        "2010-04-20\nAn oil rig explodes , killing 11 workers .\n--------------------------------\n"
        "2010-04-23\nOil is found leaking from the well .\n--------------------------------\n", encoding="utf-8")


def test_read_topic_makes_records_a_user_would_build(tmp_path):
    tiny_dataset(tmp_path)
    groups = ev.topic_folders(tmp_path)
    assert list(groups) == ["rig"]
    skipped = []
    topic = ev.read_topic("rig", groups["rig"], lambda w, y: skipped.append(w))
    assert not skipped and topic.articles == 3
    assert [(f, n) for f, n, _ in topic.timelines] == [("rig_bbc", "rig.txt")]
    first = topic.records[0]
    assert first["published"] == "2010-04-20" and first["source"] == "bbc"
    # The dataset's tokenisation is undone, so the build reads "April 20," as a date.
    assert "The rig exploded on April 20, killing 11 workers." in topic.records[1]["text"]


# --- method ------------------------------------------------------------------

def _s(text, published, mentions=(), doc="a", position=0):
    return DatedSentence(text, published, tuple(mentions), doc, position)


def test_rank_dates_prefers_days_later_articles_point_back_at():
    sents = [_s("x", D(2010, 4, 25), [D(2010, 4, 20)], "a"),
             _s("y", D(2010, 4, 26), [D(2010, 4, 20)], "b"),
             _s("z", D(2010, 4, 21), [D(2010, 4, 21)], "c"),   # its own day: half a vote
             _s("w", D(2010, 4, 21), [D(2010, 4, 21)], "c"),   # same article again: no more
             _s("v", D(2010, 4, 20), [D(2010, 5, 1)], "d")]    # a day ahead of the article: a quarter
    assert rank_dates(sents) == [(D(2010, 4, 20), 2.0), (D(2010, 4, 21), 0.5), (D(2010, 5, 1), 0.25)]


def _event(eid, value, summary, precision="day", docs=("a",)):
    return {"id": eid, "date": {"value": value, "precision": precision, "text": ""}, "summary": summary,
            "mentions": [{"doc": d, "text": summary} for d in docs], "sources": len(docs)}


def test_choose_keeps_the_dates_articles_point_back_at_and_central_distinct_entries():
    day1, day2, day3 = D(2010, 4, 20), D(2010, 4, 22), D(2010, 4, 25)
    pool = [_s("The oil rig exploded in the Gulf, killing eleven workers", D(2010, 4, 23), [day1], "a"),
            _s("Eleven workers died when the oil rig exploded", D(2010, 4, 24), [day1], "b"),
            _s("The rig exploded on April 20", D(2010, 4, 26), [day1], "c"),
            _s("The burning oil rig sank into the Gulf", D(2010, 4, 24), [day2], "b"),
            _s("Officials met on Sunday", day3, [day3], "d")]
    events = [_event("e1", "2010-04-20", "The oil rig exploded in the Gulf, killing eleven workers", docs="ab"),
              _event("e2", "2010-04-20", "The oil rig exploded in the Gulf, killing eleven of its workers"),
              _event("e3", "2010-04-20", "Coast Guard ships searched the sea for the missing crew members"),
              _event("e4", "2010-04-22", "The burning oil rig sank into the Gulf of Mexico"),
              _event("e5", "2010-04-25", "Officials met on Sunday to discuss the spill response")]
    chosen = choose(events, pool, max_dates=2, per_date=2)
    assert [e["id"] for e in chosen] == ["e1", "e3", "e4"]  # e2 repeats e1; 25 April has half a vote
    assert [e["id"] for e in choose(events, pool, max_dates=1, per_date=1)] == ["e1"]
    assert choose(events, pool) == events  # no budget: everything, as it came


def test_candidates_are_sentences_naming_the_day_and_leads_naming_none():
    day, other = D(2010, 4, 20), D(2010, 4, 22)
    named = _s("The rig exploded on April 20", other, [day], position=7)
    lead = _s("The rig is on fire", day, position=0)
    late = _s("Crews watched from boats", day, position=9)
    dated_lead = _s("The rig will sink on Thursday", day, [other], position=1)
    by_day = candidates_by_day([named, lead, late, dated_lead], lead=5)
    assert by_day[day] == [named, lead]
    assert by_day[other] == [dated_lead]


def test_tidy_drops_datelines_and_timestamps():
    assert tidy("HOUSTON | Wed Jun 9 , 2010 3:49 am IST HOUSTON -LRB- Reuters -RRB- - U.S. experts confirm "
                "undersea oil .") == "U.S. experts confirm undersea oil ."
    assert tidy("Thursday , April 29 , 2010 ; 4:49 PM A massive oil spill is expected to reach the coast .") == (
        "A massive oil spill is expected to reach the coast .")
    assert tidy("May 2 - Obama visits the Gulf Coast of the United States .") == (
        "Obama visits the Gulf Coast of the United States .")
    assert tidy("The rig sank on April 22 , 2010 .") == "The rig sank on April 22 , 2010 ."


def test_the_timeline_command_and_the_brief_use_the_selection(tmp_path, monkeypatch):
    from storyline import brief as brief_module, selection, timeline as timeline_module

    calls = []
    real = selection.choose

    def spy(events, pool, max_dates=None, per_date=None, *rest):
        calls.append((max_dates, per_date))
        return real(events, pool, max_dates, per_date, *rest)

    monkeypatch.setattr(timeline_module, "choose", spy)
    monkeypatch.setattr(brief_module, "choose", spy)
    tiny_dataset(tmp_path / "data")
    topic = ev.read_topic("rig", ev.topic_folders(tmp_path / "data")["rig"], lambda w, y: None)
    db = tmp_path / "rig.db"
    ev.build_topic(topic, db)
    data = json.loads(api.timeline(db=str(db), fmt="json", max_dates=1, per_date=1))
    assert [e["date"]["value"] for e in data["events"]] == ["2010-04-20"]  # the day later articles point back at
    assert "exploded" in data["events"][0]["summary"]
    brief = json.loads(api.brief(db=str(db), fmt="json"))
    assert "exploded" in brief["summary"]["items"][0]["text"]
    # One method: the timeline's budget and the brief's developments and background all went through it.
    assert (1, 1) in calls and (brief_module.DEVELOPMENT_DATES, brief_module.PER_DATE) in calls
    assert (brief_module.BACKGROUND, 1) in calls


# --- CLI ---------------------------------------------------------------------

def test_cli_writes_predictions_in_the_reference_format(tmp_path, capsys):
    tiny_dataset(tmp_path / "data")
    rc = cli.main(["eval", "tls", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert rc == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["mean"]["timelines"] == 1
    written = tmp_path / "out" / "rig_bbc" / "rig.txt"
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "2010-04-20" and ev.SEPARATOR in lines
    pred = ev.read_timeline(written)
    assert len(pred) <= 2 and all(len(s) == 1 for s in pred.values())  # N = 2 dates, K = 1 sentence
    # The printed scores are the written timeline's against the reference.
    expected = ev.score(pred, ev.read_timeline(tmp_path / "data" / "rig_bbc" / "timelines" / "rig.txt"))
    for key in ("rouge1_f", "rouge2_f", "date_f1"):
        assert scores["mean"][key] == pytest.approx(expected[key], abs=1e-4), key
        assert scores["timelines"]["rig_bbc/rig.txt"][key] == pytest.approx(expected[key], abs=1e-4), key


def test_cli_skips_a_broken_file_and_exits_2(tmp_path, capsys):
    data = tmp_path / "data"
    tiny_dataset(data)
    (data / "rig_cnn" / "InputDocs" / "2010-04-23" / "bad.htm.txt").write_bytes(b"\xff\xfe broken \xff")
    (data / "rig_cnn" / "timelines").mkdir()
    (data / "rig_cnn" / "timelines" / "empty.txt").write_text("nothing dated\n", encoding="utf-8")
    rc = cli.main(["eval", "tls", str(data), "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert rc == 2
    assert "bad.htm.txt" in err and "empty.txt" in err and err.count("skipped") == 2, err
    assert json.loads(out)["mean"]["timelines"] == 1  # the good timeline is still scored


def test_cli_missing_dataset_is_one_message(tmp_path, capsys):
    assert cli.main(["eval", "tls", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    assert "cannot evaluate" in capsys.readouterr().err


# --- real data ---------------------------------------------------------------

@pytest.mark.skipif(not (TIMELINE17 / "H1N1_guardian").is_dir(), reason="Timeline17 not available")
def test_real_timeline_from_one_folder(tmp_path):
    """One real reference timeline, predicted from its own folder only (to stay quick)."""
    skipped = []
    _, scores = ev.run_folders([TIMELINE17 / "H1N1_guardian"], tmp_path, lambda w, why: skipped.append((w, why)))
    assert all(why == "empty text" for _, why in skipped), skipped  # the dataset has a few empty files
    row = scores["timelines"]["H1N1_guardian/swine_flu_guardian.txt"]
    assert row["date_f1"] > 0.3 and row["rouge1_f"] > 0.08
    pred = ev.read_timeline(tmp_path / "H1N1_guardian" / "swine_flu_guardian.txt")
    assert 0 < len(pred) <= 12  # N = 12; a single folder may not offer as many days
