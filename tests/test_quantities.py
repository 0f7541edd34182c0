"""Numbers in events (issue 17, item 4): years, ages and durations are never counts; "no one" is 0;
"several hundred" is a lower bound, not 100."""

from __future__ import annotations

import pytest
from helpers import SHARED_DATA, ukraine_sentence

from storyline.model import RawDoc
from storyline.pipeline import process


def figures(text: str) -> list[tuple[str, float, str]]:
    doc = process(RawDoc(text=text, published="2010-06-05", published_from="metadata"))
    return sorted((q.kind, q.value, q.approx) for e in doc.events for q in e.quantities)


@pytest.mark.parametrize("text, expected", [
    ("An explosion at the plant in 2005 killed 15 people, officials said on June 3, 2010.",
     [("killed", 15.0, "exact")]),
    ("A blast in 1988 killed 167 workers on the platform, the report said on June 3, 2010.",
     [("killed", 167.0, "exact")]),  # a year the time tagger leaves alone: this rule decides
    ("A 45-year-old man was killed in the strike on June 3, 2010, police said.", []),
    ("A man aged 62 died in the fire on June 3, 2010, police said.", []),
    ("The attack killed 12 people and injured 2,005 others on June 3, 2010.",
     [("injured", 2005.0, "exact"), ("killed", 12.0, "exact")]),
])
def test_years_ages_and_durations_are_never_counts(text, expected):
    assert figures(text) == expected


def test_a_year_after_in_dates_the_act_it_stands_beside():
    """"in 2005 killed" is a year (news writes 2,005 for a count), so it dates the explosion, not today."""
    doc = process(RawDoc(text="An explosion there in 2005 killed 15 people.", published="2010-06-14",
                         published_from="metadata"))
    [ev] = doc.events
    assert (ev.date.value, ev.date.precision) == ("2005", "year")


@pytest.mark.parametrize("text, expected", [
    ("No one was injured in the attack on June 3, 2010, officials said.", [("injured", 0.0, "exact")]),
    ("None of the crew were hurt when the ship was hit on June 3, 2010.", [("injured", 0.0, "exact")]),
    ("Nobody was killed when the shell hit the school on June 3, 2010, officials said.", [("killed", 0.0, "exact")]),
    ("Russia launched several hundred drones at Ukraine on June 3, 2010, officials said.",
     [("launched", 300.0, "at_least")]),
    ("The strike on June 3, 2010 killed dozens of civilians, officials said.", [("killed", 24.0, "at_least")]),
    # "Tens of thousands" is one vague count, not twenty and then two thousand.
    ("Police detained tens of thousands of protesters on June 3, 2010, officials said.",
     [("detained", 20_000.0, "at_least")]),
    ("Hundreds of thousands of residents were evacuated from the city on June 3, 2010.",
     [("displaced", 200_000.0, "at_least")]),
])
def test_no_one_is_zero_and_vague_amounts_are_lower_bounds(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "The new cap captured 15,420 barrels of oil from the well on June 3, 2010, the company said.",
    "Scientists said on June 3, 2010 that 4.9 m barrels of oil were released before the well was sealed.",
    "The 1989 spill killed at least 36,000 sea birds, scientists said on June 3, 2010.",
])
def test_measures_and_animals_are_not_counts_of_people(text):
    """Detained, returned and killed count people: a unit of oil or a flock of birds is another kind of figure."""
    assert not [k for k, _, _ in figures(text) if k in ("detained", "returned", "killed", "injured")]


TIMELINE17 = SHARED_DATA / "timeline17"


def _timeline17_sentence(folder: str, needle: str) -> str:
    """The line of a Timeline17 article holding ``needle`` (tokenised text, spacing undone as the evaluation does)."""
    from storyline.evaluate.tls import detokenise

    for path in sorted((TIMELINE17 / folder / "InputDocs").glob("*/*")):
        text = detokenise(path.read_text(encoding="utf-8", errors="replace"))
        at = text.find(needle)
        if at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            return text[start:end if end >= 0 else None]
    pytest.skip(f"{needle!r} not found in {folder}")


@pytest.mark.skipif(not TIMELINE17.is_dir(), reason="Timeline17 not available")
@pytest.mark.parametrize("folder, needle, expected", [
    ("bpoil_foxnews", "An explosion there in 2005 killed 15 people", ("killed", 15.0)),
    ("bpoil_foxnews", "No one was injured", ("injured", 0.0)),
    ("bpoil_reuters", "The explosion killed 11 workers and sank the rig", ("killed", 11.0)),
])
def test_real_sentences(folder, needle, expected):
    sentence = _timeline17_sentence(folder, needle)
    found = [(k, v) for k, v, _ in figures(sentence)]
    assert expected in found, (sentence, found)
    assert all(v != 2005.0 for _, v in found), found


@pytest.mark.skipif(not TIMELINE17.is_dir(), reason="Timeline17 not available")
def test_a_real_sentence_of_captured_barrels_counts_no_one_detained():
    found = figures(_timeline17_sentence("bpoil_reuters", "captured 15,420 barrels"))  # was "detained: 15420"
    assert not [k for k, _, _ in found if k in ("detained", "returned")], found


@pytest.mark.parametrize("needle, expected", [
    # A placing, a weight class and a year are not the dead.
    ("has been killed defending his country", []),
    # The year of the estimate is not a count; the two tolls are.
    ("20 generals of the Russian army were killed", [("killed", 10.0, "exact"), ("killed", 20.0, "exact")]),
    # Money keeps its amount and never becomes a casualty figure.
    ("announced an extra $25m in military assistance", [("money", 25_000_000.0, "exact")]),
    # An age is not a count.
    ("A 53-year-old woman was wounded", []),
    ("has arrested tens of thousands of political dissidents", [("detained", 20_000.0, "at_least")]),
])
def test_real_ukraine_sentences(needle, expected):
    assert figures(ukraine_sentence(needle)) == expected


@pytest.mark.parametrize("text, want", [
    # A casualty word after the number says what befell those it counts, whatever the verb before.
    ("At least one person was killed and five more injured in explosions at a Russian airbase.",
     [("killed", 1.0), ("injured", 5.0)]),
    ("Separately, one woman was killed and two more injured in Donetsk province on Tuesday.",
     [("killed", 1.0), ("injured", 2.0)]),
    # Written before the noun, it only describes them.
    ("The strike killed five wounded soldiers in a hospital.", [("killed", 5.0)]),
])
def test_a_casualty_word_after_the_number_decides_its_kind(text, want):
    from storyline.model import RawDoc
    from storyline.pipeline import process

    doc = process(RawDoc(text=text, published="2022-08-17", published_from="metadata"))
    assert [(q.kind, q.value) for e in doc.events for q in e.quantities] == want


def test_a_casualty_word_on_a_number_is_no_second_act():
    from storyline.model import RawDoc
    from storyline.pipeline import process

    doc = process(RawDoc(text="Ukraine's presidency said one woman was killed and two more injured in Donetsk province.",
                         published="2022-08-16", published_from="metadata"))
    assert [(e.type, [(q.kind, q.value) for q in e.quantities]) for e in doc.events if e.type != "STATEMENT"] == \
        [("ASSAULT", [("killed", 1.0), ("injured", 2.0)])]
