"""TempEval-3 evaluation: TimeML reading, input stripping, scoring and the CLI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from storyline import cli
from storyline.evaluate.tempeval import (
    Timex,
    doc_name,
    read_dir,
    read_timeml,
    score,
    strip_to_input,
)

TEMPEVAL3 = Path(__file__).resolve().parents[2] / "shared/data/tempeval3"

DOC = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2025-08-15" temporalFunction="false" functionInDocument="CREATION_TIME">20250815</TIMEX3></DCT>
<TEXT>
Trump &amp; Putin <EVENT eid="e1" class="OCCURRENCE">met</EVENT> in Anchorage on <TIMEX3 tid="t1" type="DATE" value="2025-08-15">Friday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" value="P6Y">six years</TIMEX3> without a <EVENT eid="e2" class="OCCURRENCE">summit</EVENT>. Talks <EVENT eid="e3" class="OCCURRENCE">resume</EVENT> <TIMEX3 tid="t3" type="DATE" value="2025-08-18">Monday</TIMEX3> &lt;officials said&gt;.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"""

# The TEXT element once tags are removed and entities unescaped.
PLAIN = ("\nTrump & Putin met in Anchorage on Friday after six years without a summit. "
         "Talks resume Monday <officials said>.\n")


def test_read_timeml_offsets_after_stripping_tags_and_entities(tmp_path):
    path = tmp_path / "APW20250815.0001.tml"
    path.write_text(DOC, encoding="utf-8")
    doc = read_timeml(path)
    assert doc.name == "APW20250815.0001"
    assert doc.dct == "2025-08-15"
    assert doc.text == PLAIN
    # "&amp;" is one character in the text: the offsets count it once
    assert [(g.start, g.end, g.type, g.value, g.text) for g in doc.gold] == [
        (35, 41, "DATE", "2025-08-15", "Friday"),
        (48, 57, "DURATION", "P6Y", "six years"),
        (89, 95, "DATE", "2025-08-18", "Monday"),
    ]
    for g in doc.gold:
        assert doc.text[g.start:g.end] == g.text


def test_read_timeml_without_text_or_dct(tmp_path):
    no_text = tmp_path / "a.tml"
    no_text.write_text("<TimeML><DOCID>x</DOCID></TimeML>", encoding="utf-8")
    with pytest.raises(ValueError):
        read_timeml(no_text)
    no_dct = tmp_path / "b.tml"
    no_dct.write_text("<TimeML><TEXT>In <TIMEX3 type=\"DATE\" value=\"1998\">1998</TIMEX3>.</TEXT></TimeML>",
                      encoding="utf-8")
    doc = read_timeml(no_dct)
    assert doc.dct is None and doc.text == "In 1998." and [(g.start, g.end) for g in doc.gold] == [(3, 7)]


def test_strip_to_input_keeps_only_the_dct(tmp_path):
    src = tmp_path / "doc.tml"
    src.write_text(DOC, encoding="utf-8")
    stripped = strip_to_input(src)
    assert stripped.count("<TIMEX3") == 1 and 'functionInDocument="CREATION_TIME"' in stripped
    for tag in ("<EVENT", "</EVENT", "<MAKEINSTANCE", "<TLINK"):
        assert tag not in stripped
    ET.fromstring(stripped.encode("utf-8"))  # still well-formed XML
    out = tmp_path / "input" / "doc.tml"
    out.parent.mkdir()
    out.write_text(stripped, encoding="utf-8")
    doc = read_timeml(out)
    assert doc.dct == "2025-08-15"
    assert doc.text == PLAIN
    assert doc.gold == []


def test_doc_name_drops_extensions():
    assert doc_name(Path("APW19980227.0487.tml")) == "APW19980227.0487"
    assert doc_name(Path("wsj_0006.tml.xml")) == "wsj_0006"
    assert doc_name(Path("ed980111.1130.0089.tml.TE3input")) == "ed980111.1130.0089"


# --------------------------------------------------------------------------
# scoring


def T(start, end, type_, value):
    return Timex(start, end, type_, value)


def test_score_by_hand():
    gold = {
        "a": [T(0, 10, "DATE", "2025-06-24"), T(20, 30, "DURATION", "P3D"), T(40, 45, "DATE", "2025")],
        "b": [T(5, 15, "TIME", "2025-06-24T15:00")],
        "c": [T(0, 4, "DATE", "1998")],
    }
    pred = {
        "a": [
            T(0, 10, "DATE", "2025-06-24"),   # exact: strict, type and value
            T(22, 30, "DURATION", "P2D"),     # overlaps: relaxed and type, wrong value, not strict
            T(60, 65, "DATE", "2025-06"),     # spurious
        ],                                    # (40, 45) is missed
        "b": [T(5, 15, "TIME", "2025-06-24T16:00")],  # strict and type, wrong value
        # "c" has no prediction: its one timex is missed
        "z": [T(0, 3, "DATE", "2000")],       # not in gold: not scored at all
    }
    s = score(gold, pred)
    assert (s["documents"], s["gold"], s["system"]) == (3, 5, 4)
    # relaxed: 3 matches of 4 system, 5 gold -> P 0.75, R 0.6, F 2*.75*.6/1.35 = 0.6667
    assert s["relaxed"] == {"precision": 0.75, "recall": 0.6, "f1": 0.6667}
    # strict: 2 (a's first, b's) -> P 0.5, R 0.4, F 0.4/0.9 = 0.4444
    assert s["strict"] == {"precision": 0.5, "recall": 0.4, "f1": 0.4444}
    # type: all three relaxed matches carry the gold type
    assert s["type"] == {"precision": 0.75, "recall": 0.6, "f1": 0.6667}
    # value: only the exact one -> P 0.25, R 0.2, F 0.1/0.45 = 0.2222
    assert s["value"] == {"precision": 0.25, "recall": 0.2, "f1": 0.2222}


def test_wrong_value_costs_value_f1_only():
    gold = {"d": [T(3, 9, "DATE", "2025-08-15")]}
    pred = {"d": [T(3, 9, "DATE", "2025-08-14")]}
    s = score(gold, pred)
    for key in ("strict", "relaxed", "type"):
        assert s[key]["f1"] == 1.0
    assert s["value"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_relaxed_alignment_is_one_to_one():
    # one system span over two gold spans matches only one of them
    gold = {"d": [T(0, 5, "DATE", "2025"), T(6, 10, "DATE", "2025-08")]}
    pred = {"d": [T(0, 10, "DATE", "2025")]}
    s = score(gold, pred)
    assert s["relaxed"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert s["strict"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert s["value"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


def test_score_of_nothing():
    s = score({"d": [T(0, 4, "DATE", "1998")]}, {})
    assert s["system"] == 0 and s["relaxed"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert score({}, {})["documents"] == 0


# --------------------------------------------------------------------------
# the CLI


def _corpus(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "APW20250815.0001.tml").write_text(DOC, encoding="utf-8")
    (root / "sub" / "wsj_0006.tml.xml").write_text(
        "<TimeML><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-03-02\" "
        "functionInDocument=\"CREATION_TIME\">March 2, 1998</TIMEX3></DCT>"
        "<TEXT>Shares fell 5% yesterday, the third drop in 1998.</TEXT></TimeML>", encoding="utf-8")
    (root / "notes.txt").write_text("not TimeML, not read", encoding="utf-8")


def _lines(path: Path) -> dict[str, list[dict]]:
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {r["doc"]: r["timexes"] for r in recs}
    assert len(out) == len(recs), "one line per document"
    return out


def test_cli_writes_one_line_per_document(tmp_path, capsys):
    _corpus(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(out)])
    assert rc == 0
    lines = _lines(out)
    assert set(lines) == {"APW20250815.0001", "wsj_0006"}
    texts = {d.name: d.text for d in read_dir(tmp_path / "in")}
    for name, timexes in lines.items():
        assert timexes
        for t in timexes:
            assert set(t) == {"start", "end", "type", "value"}
            assert 0 <= t["start"] < t["end"] <= len(texts[name])
    by_text = {texts["wsj_0006"][t["start"]:t["end"]]: t["value"] for t in lines["wsj_0006"]}
    assert by_text.get("yesterday") == "1998-03-01"
    assert by_text.get("1998") == "1998"


def test_cli_skips_a_malformed_file_and_returns_2(tmp_path, capsys):
    _corpus(tmp_path / "in")
    (tmp_path / "in" / "broken.tml").write_text("<TimeML><TEXT>Friday", encoding="utf-8")
    (tmp_path / "in" / "notext.tml").write_text("<TimeML><DOCID>x</DOCID></TimeML>", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(out)])
    assert rc == 2
    err = capsys.readouterr().err
    assert "broken.tml" in err and "notext.tml" in err
    assert set(_lines(out)) == {"APW20250815.0001", "wsj_0006"}


def test_cli_scores_against_gold(tmp_path, capsys):
    _corpus(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(out), "--gold", str(tmp_path / "in")])
    assert rc == 0
    s = json.loads(capsys.readouterr().out)
    assert s["documents"] == 2 and s["gold"] == 3
    assert set(s) >= {"strict", "relaxed", "type", "value"}


# --------------------------------------------------------------------------
# the real TempEval-3 training data, when it is there


def test_tempeval3_gold_spans_match_the_text():
    if not TEMPEVAL3.is_dir():
        pytest.skip(f"TempEval-3 data not found at {TEMPEVAL3}")
    docs = read_dir(TEMPEVAL3)
    assert len(docs) == 256
    assert len({d.name for d in docs}) == 256
    files = {doc_name(p): p for p in TEMPEVAL3.rglob("*.tml")}
    n = 0
    for doc in docs:
        assert doc.dct, doc.name
        root = ET.parse(files[doc.name]).getroot()
        expected = ["".join(el.itertext()) for el in root.find("TEXT").iter("TIMEX3")]
        assert [doc.text[g.start:g.end] for g in doc.gold] == expected, doc.name
        assert [g.text for g in doc.gold] == expected, doc.name
        for g in doc.gold:
            assert g.type and g.value, (doc.name, g)
        n += len(doc.gold)
    assert n > 1500


# --------------------------------------------------------------------------
# the official TempEval-3 naming, and folders that yield nothing


def _input_form(tmp_path: Path, doc: str) -> str:
    """What the official test input holds: the annotated file with only the DCT tagged."""
    annotated = tmp_path / "annotated.tml"
    annotated.write_text(doc, encoding="utf-8")
    return strip_to_input(annotated)


def test_cli_reads_the_official_te3input_naming_and_scores_against_its_gold(tmp_path, capsys):
    (tmp_path / "input").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "input" / "APW20250815.0001.tml.TE3input").write_text(_input_form(tmp_path, DOC), encoding="utf-8")
    (tmp_path / "gold" / "APW20250815.0001.tml").write_text(DOC, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "input"), "-o", str(out), "--gold", str(tmp_path / "gold")])
    assert rc == 0, capsys.readouterr().err
    lines = _lines(out)
    assert set(lines) == {"APW20250815.0001"}
    by_text = {PLAIN[t["start"]:t["end"]]: t["value"] for t in lines["APW20250815.0001"]}
    assert by_text.get("six years") == "P6Y"
    scores = json.loads(capsys.readouterr().out)
    assert scores["documents"] == 1 and scores["gold"] == 3
    assert scores["relaxed"]["recall"] > 0


def test_cli_on_a_folder_without_timeml_says_so_and_fails(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("the TimeML files were not unpacked", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "empty"), "-o", str(out)])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no TimeML file" in err[0] and "empty" in err[0]
    assert not out.exists()
    rc = cli.main(["eval", "tempeval", str(tmp_path / "missing"), "-o", str(out)])
    assert rc == 2 and "no such file or folder" in capsys.readouterr().err


def test_cli_when_no_file_parses_fails_with_each_reason(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.tml.TE3input").write_text("<TimeML><TEXT>Friday", encoding="utf-8")
    (tmp_path / "in" / "b.tml").write_text("<TimeML><DOCID>b</DOCID></TimeML>", encoding="utf-8")
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(tmp_path / "out.jsonl")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "a.tml.TE3input" in err and "b.tml" in err and "none of its 2 TimeML files could be read" in err


def test_cli_with_an_empty_gold_folder_fails(tmp_path, capsys):
    _corpus(tmp_path / "in")
    (tmp_path / "gold").mkdir()
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(tmp_path / "out.jsonl"),
                   "--gold", str(tmp_path / "gold")])
    assert rc == 2
    assert "no TimeML file" in capsys.readouterr().err


def test_a_document_given_twice_is_read_once(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "APW20250815.0001.tml").write_text(DOC, encoding="utf-8")
    (tmp_path / "in" / "APW20250815.0001.tml.TE3input").write_text(_input_form(tmp_path, DOC), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["eval", "tempeval", str(tmp_path / "in"), "-o", str(out)])
    assert rc == 2
    assert "already read" in capsys.readouterr().err
    assert set(_lines(out)) == {"APW20250815.0001"}


# --------------------------------------------------------------------------
# the hand-annotated news passages of benchmarks/tempeval.py

NEWS_TIMEX = Path(__file__).resolve().parents[1] / "benchmarks/data/news-timex.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared/data"


def test_news_annotation_keeps_no_article_text_and_fits_its_articles():
    records = [json.loads(line) for line in NEWS_TIMEX.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 16
    for r in records:
        assert set(r) == {"id", "from", "dct", "end", "timexes"}
        for t in r["timexes"]:
            assert set(t) == {"start", "end", "text", "type", "value"}
            assert t["type"] in {"DATE", "TIME", "DURATION", "SET"}
            assert len(t["text"]) == t["end"] - t["start"] <= 40
    sources = {"ukraine": SHARED / "ukraine/articles.jsonl", "events-gold": SHARED / "events-gold/dev.articles.jsonl"}
    if not all(p.exists() for p in sources.values()):
        pytest.skip(f"news articles not found under {SHARED}")
    texts = {}
    for name, path in sources.items():
        with path.open(encoding="utf-8") as fh:
            texts[name] = {a["id"]: a["text"] for a in map(json.loads, fh)}
    for r in records:
        text = texts[r["from"]][r["id"]]
        assert r["end"] <= len(text)
        ends = [0]
        for t in r["timexes"]:
            assert text[t["start"]:t["end"]] == t["text"], (r["id"], t)
            assert ends[-1] <= t["start"] and t["end"] <= r["end"]
            ends.append(t["end"])
