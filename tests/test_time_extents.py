"""Time expression extents as the TimeML guidelines draw them (issue 21).

Sentences written for these tests.  Each asserts the exact text the tagger
marks, so an extent that grows or shrinks fails.
"""

from __future__ import annotations

import pytest

from storyline.annotate.sentences import split_sentences
from storyline.annotate.time import RuleTimeTagger

DCT = "2025-08-15"  # a Friday


def texts(sentence: str) -> list[str]:
    return [t.text for t in RuleTimeTagger().tag(sentence, split_sentences(sentence), DCT)]


@pytest.mark.parametrize("sentence, expected", [
    # the possessive ending is not part of the expression
    ("Markets shrugged off Friday's talks in Anchorage.", ["Friday"]),
    ("Kyiv had braced for last week's strikes on the grid.", ["last week"]),
    ("The ministry said this year's harvest would be smaller.", ["this year"]),
    # a count of a singular unit modifies a noun: its determiner is the noun's
    ("The envoys ended a two-week tour of the region.", ["two-week"]),
    ("Officials hope to settle the 23-year dispute over the border.", ["23-year"]),
    ("The ceasefire opened a 30-day window for talks.", ["30-day"]),
    # a plural count with its article is a period the text names: the article stays
    ("Exports fell in the nine months to September.", ["the nine months", "September"]),
    # approximation and comparison are part of the expression
    ("The siege of the plant lasted nearly two years.", ["nearly two years"]),
    ("The sirens sounded for more than four hours.", ["more than four hours"]),
    ("The blast was heard at around 7:15 p.m. in the city centre.", ["around 7:15 p.m."]),
    ("Repairs will take at least six months.", ["at least six months"]),
    ("Reinforcements are due in up to 10 days.", ["up to 10 days"]),
    # a preposition that happens to read 'about' is not an approximation
    ("The president spoke about the future of the alliance.", ["the future"]),
    # the start or end of a named day
    ("The drones struck early Tuesday, the mayor said.", ["early Tuesday"]),
    ("The convoy reached the city late yesterday.", ["late yesterday"]),
    # a part of the day is named with its article
    ("Shelling resumed in the morning.", ["the morning"]),
])
def test_extents(sentence, expected):
    assert texts(sentence) == expected


def test_a_modifier_is_never_shared_with_the_expression_before_it():
    # 'later' ends the first expression; it is not also the second's modifier
    assert texts("The talks ended two days later Tuesday, officials said.") == ["two days later", "Tuesday"]
    assert texts("Fighting flared a week later early Tuesday.") == ["a week later", "early Tuesday"]
