"""Near-duplicates: syndicated copies and light rewrites count as one source.

The texts are the bundled examples (a real syndicated near-copy is among
them) and, when the shared data is there, Timeline17 articles; documents
are stored with their cleaned text only, since finding copies needs no
parse.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import clean_text
from storyline.export import export, validate
from storyline.ingest import iter_inputs
from storyline.link import duplicates
from storyline.model import Document, content_id
from storyline.store import Store

from helpers import SHARED_DATA

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TIMELINE17 = SHARED_DATA / "timeline17"

# Record 2 of the wire feed as another outlet might run it: a new lead
# sentence, a word added to a quote's attribution, the closing quote cut.
REWRITE = """\
Russia fired 97 drones and two ballistic missiles at Ukraine overnight, Ukraine's Air Force said on Friday, adding \
that air defence units shot down 63 of the drones.

The Air Force said the ballistic missiles were Iskander-M types and that hits by missiles and drones were recorded \
at several locations. Regional officials in the east and south reported damage to homes and power lines.

The attack came hours before Russian President Vladimir Putin was due to meet US President Donald Trump in \
Anchorage, Alaska. On his way to the summit, Putin broke his journey in Magadan, on the Sea of Okhotsk coast, where \
he met the regional governor and laid flowers at a memorial.

"Even on the day of the talks, Russia keeps killing," Ukrainian President Volodymyr Zelenskyy said in his nightly \
video address. "The war must end, and the pressure must be on the one who started it."

Ukrainian officials said the pattern of overnight strikes had not changed during weeks of diplomatic contacts. \
Russia has launched several hundred drones at Ukraine on some nights this summer, often targeting energy \
facilities and rail infrastructure.

Kremlin spokesman Dmitry Peskov told reporters that Moscow did not expect any documents to be signed in Alaska.
"""


def _document(text: str, published: str | None, title: str | None = None, name: str = "") -> Document:
    cleaned = clean_text(text, title).text
    return Document(id=content_id(text), text=cleaned, raw_text=text, title=title, source=None, url=None,
                    external_id=name or None, path=None, fmt="txt", published=published,
                    published_from="metadata" if published else "none")


@pytest.fixture(scope="module")
def examples() -> dict[str, Document]:
    """The bundled articles by file name (JSONL records as ``file:line``), as cleaned text."""
    out = {}
    for raw in iter_inputs([str(EXAMPLES)]):
        name = Path(raw.origin).name
        out[name] = _document(raw.text, raw.published, raw.title, name)
    return out


def _store(tmp_path, docs: list[Document]) -> Store:
    store = Store(tmp_path / "dup.db")
    for d in docs:
        store.add_document(d)
    return store


def test_syndicated_copy_under_another_headline_and_byline_is_a_duplicate(examples, tmp_path):
    wire, copy = examples["04-eastbridge-wire-feed.jsonl:1"], examples["05-anchorage-summit-announced-syndicated.txt"]
    assert wire.title != copy.title and "By Mara Ellison" in copy.raw_text  # its own headline and byline
    # The copy was stored first and carries no date: the dated wire story is still the original.
    with _store(tmp_path, [copy, wire]) as store:
        assert duplicates.update(store) == {copy.id: wire.id}
        assert store.duplicates() == {copy.id: wire.id}


def test_light_rewrite_is_a_duplicate_and_separate_reports_of_one_event_are_not(examples, tmp_path):
    wire = examples["04-eastbridge-wire-feed.jsonl:2"]
    rewrite = _document(REWRITE, "2025-08-15", "Russia launches 97 drones at Ukraine before Alaska talks")
    strike_a = examples["02-dnipro-strike-harbor-post.html"]  # one strike, two newsrooms
    strike_b = examples["03-dnipro-strike-lantern-daily.html"]
    summit, recap = examples["06-anchorage-summit-no-deal-harbor-post.html"], examples["08-aggregator-summit-recap.txt"]
    with _store(tmp_path, [wire, rewrite, strike_a, strike_b, summit, recap]) as store:
        assert duplicates.update(store) == {rewrite.id: wire.id}


def test_relink_hashes_only_new_documents_and_an_earlier_original_takes_over(examples, tmp_path, monkeypatch):
    wire, copy = examples["04-eastbridge-wire-feed.jsonl:1"], examples["05-anchorage-summit-announced-syndicated.txt"]
    dated_copy = _document(copy.raw_text, "2025-08-15", copy.title)
    hashed: list[int] = []
    real = duplicates.signatures
    monkeypatch.setattr(duplicates, "signatures", lambda texts: hashed.append(len(texts)) or real(texts))
    with _store(tmp_path, [dated_copy, examples["07-rubio-ceasefire-sunday.txt"]]) as store:
        assert duplicates.update(store) == {}
        store.add_document(wire)  # published a day before the copy that was already stored
        assert duplicates.update(store) == {dated_copy.id: wire.id}
        assert duplicates.update(store) == {dated_copy.id: wire.id}
    assert hashed == [2, 1]  # the third link hashed nothing


def test_a_chain_of_copies_resolves_to_its_root():
    # b rewrites a, c reprints b but has drifted too far from a to match it.
    pairs = [("a", "b", 0.7), ("b", "c", 0.8), ("a", "c", 0.4), ("c", "d", 0.1)]
    assert duplicates.originals(["a", "b", "c", "d"], pairs) == {"b": "a", "c": "a"}
    # Dates decide, not the order of the pair: c, published first, is the original of all.
    assert duplicates.originals(["c", "b", "a", "d"], pairs) == {"b": "c", "a": "c"}


def test_too_short_a_text_is_never_a_duplicate(tmp_path):
    line = "Officials said the talks would continue on Monday in Geneva."
    with _store(tmp_path, [_document(line, "2025-08-14"), _document("Update: " + line, "2025-08-15"),
                           _document(line + " Talks resume.", "2025-08-16")]) as store:
        assert duplicates.update(store) == {}


def test_a_copy_is_not_counted_as_a_source_in_the_export(examples_db):
    with Store(examples_db["db"]) as store:
        data = export(store)
    validate(data)
    docs = {d["id"]: d for d in data["documents"]}
    copies = {d["id"]: d["duplicate_of"] for d in data["documents"] if d["duplicate_of"]}
    [(copy, original)] = copies.items()
    assert docs[copy]["path"].endswith("05-anchorage-summit-announced-syndicated.txt")
    assert docs[original]["external_id"] == "ebw-2025-08-14-anchorage-announced"
    both = []
    for e in data["events"]:
        cited = {m["doc"] for m in e["mentions"]}
        assert e["sources"] == len(cited)
        assert e["independent_sources"] == len({copies.get(d, d) for d in cited})
        if {copy, original} <= cited:
            both.append(e)
    # The copy has no date of its own and takes its original's, so its events are
    # dated and join the original's: the two count as one independent source.
    assert (docs[copy]["published"], docs[copy]["published_from"]) == (docs[original]["published"], "copy")
    assert both
    for event in both:
        cited = {m["doc"] for m in event["mentions"]}
        assert (event["sources"], event["independent_sources"]) == (len(cited), len(cited) - 1)
    assert any({m["doc"] for m in e["mentions"]} == {copy, original} for e in both)


# -- Timeline17 ------------------------------------------------------------------

# Two filings of one Reuters story three minutes apart (a ticker inserted,
# "liters" becoming "litres", paragraphs trimmed); a Washington Post story
# reprinted the next day under a headline; and two Guardian articles on
# one day about the same new cap on the well, sharing background paragraphs.
T17_ARTICLES = [f"{n.split('/')[0]}/InputDocs/{n.split('/', 1)[1]}" for n in (
    "bpoil_reuters/2010-06-02/53.htm.txt", "bpoil_reuters/2010-06-02/545.htm.txt",
    "bpoil_washingtonpost/2010-12-15/2088.htm.txt", "bpoil_washingtonpost/2010-12-16/1502.htm.txt",
    "bpoil_guardian/2010-07-13/1080.htm.txt", "bpoil_guardian/2010-07-13/1085.htm.txt")]

needs_timeline17 = pytest.mark.skipif(not all((TIMELINE17 / n).is_file() for n in T17_ARTICLES),
                                      reason="the bpoil articles of ../shared/data/timeline17 are not present")


def _t17(name: str) -> Document:
    path = TIMELINE17 / name
    return _document(path.read_text(encoding="utf-8", errors="replace"), path.parent.name, name=name)


@needs_timeline17
def test_timeline17_refiled_wire_stories_are_duplicates_and_two_articles_on_one_event_are_not(tmp_path):
    docs = [_t17(n) for n in T17_ARTICLES]
    with _store(tmp_path, docs) as store:
        found = duplicates.update(store)
    ids = [d.id for d in docs]
    assert found == {ids[1]: ids[0], ids[3]: ids[2]}  # same day: the one stored first is the original
    # The Guardian pair shares much background (0.41 when written) yet stays below the threshold.
    guardian = duplicates.jaccard(*(duplicates.shingles(d.text) for d in docs[4:]))
    assert 0.3 <= guardian < duplicates.THRESHOLD
