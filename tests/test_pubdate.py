"""Tests for storyline.pubdate: the publication date and where it came from."""


import pytest

from storyline.pubdate import mentioned_dates, normalise_date, publication_date

from helpers import SEEDS



def test_metadata_wins_over_text():
    text = "On October 16, 2025, the delegation arrived.\nUpdated: 2025-10-18"
    assert publication_date("2025-10-17T08:30:00Z", "metadata", text) == ("2025-10-17", "metadata", None)


def test_metadata_rfc822_date():
    got = publication_date("Mon, 16 Jun 2025 10:00:00 GMT", "metadata", "No dates here.")
    assert got == ("2025-06-16", "metadata", None)


def test_html_date_from_raw_and_keyword():
    assert publication_date("June 3, 2025", "html", "Body.") == ("2025-06-03", "html", None)
    assert publication_date(None, "none", "Body text.", html_date="2025-05-01") == ("2025-05-01", "html", None)


def test_metadata_beats_html_keyword():
    got = publication_date("2025-05-02", "metadata", "Body.", html_date="2025-05-01")
    assert got == ("2025-05-02", "metadata", None)


def test_unparseable_metadata_falls_back():
    text = "October 16, 2025 — Ukrainian officials met their US counterparts."
    assert publication_date("sometime last week", "metadata", text) == ("2025-10-16", "dateline", None)
    assert publication_date("", "metadata", "Nothing dated.") == (None, "none", None)


def test_dated_lead_variants():
    cases = {
        "On October 16, 2025, the envoy flew to Washington.": "2025-10-16",
        "On Thursday, October 16, 2025, talks began.": "2025-10-16",
        "16 October 2025: Air raid sirens sounded across Kyiv.": "2025-10-16",
    }
    for text, want in cases.items():
        assert publication_date(None, "none", text) == (want, "text", None), text
    # A place or a dash makes the date a dateline (tests/test_dates.py has more).
    datelines = {
        "KYIV, June 24, 2025 (Reuters) - Russia launched drones overnight.": "2025-06-24",
        "Summit Ends Without Deal\nAugust 15, 2025 — The leaders left Anchorage.": "2025-08-15",
    }
    for text, want in datelines.items():
        assert publication_date(None, "none", text) == (want, "dateline", None), text


def test_lead_without_year_is_not_a_date():
    got = publication_date(None, "none", "KYIV, June 24 (Reuters) - Russia launched drones.")
    assert got == (None, "none", None)


def test_as_of_note():
    text = "Aid deliveries continued.\nAs of April 30, 2025, some 40 convoys had arrived. Talks in March 2025 failed."
    assert publication_date(None, "none", text) == ("2025-04-30", "text", None)


def test_published_and_updated_notes():
    text = "By Jane Doe | Published on 30 April 2025\nThe offensive began on May 2, 2025."
    assert publication_date(None, "none", text) == ("2025-04-30", "text", None)
    assert publication_date(None, "none", "Updated: 2025-04-30\nBody.") == ("2025-04-30", "text", None)


def test_published_inside_a_sentence_is_only_a_mention():
    text = "The report, published on April 30, 2025, counted the losses."
    assert publication_date(None, "none", text) == (None, "none", "2025-04-30")


def test_published_after_is_latest_mention_never_published():
    text = "Fighting flared in February 2024. A truce was agreed on 3 March 2025, then broke in June 2025."
    assert publication_date(None, "none", text) == (None, "none", "2025-06-01")


def test_future_deadlines_do_not_raise_the_bound():
    text = "Allies met in May 2025 and pledged to spend 5% of GDP by June 2035."
    assert publication_date(None, "none", text) == (None, "none", "2025-05-01")


def test_no_dates():
    assert publication_date(None, "none", "Nobody said when this happened.") == (None, "none", None)
    assert publication_date(None, "none", "") == (None, "none", None)


def test_modal_may_is_not_a_month():
    assert mentioned_dates("Prices may 2025 levels again") == []


def test_normalise_formats():
    assert normalise_date("2025-06-25") == "2025-06-25"
    assert normalise_date("2025-06-25T23:10:00+02:00") == "2025-06-25"
    assert normalise_date("20250625") == "2025-06-25"
    assert normalise_date("25 June 2025") == "2025-06-25"
    assert normalise_date("25.06.2025") == "2025-06-25"
    assert normalise_date("06/25/2025") == "2025-06-25"
    assert normalise_date("05/06/2025") is None  # day and month could swap
    assert normalise_date("June 2025") is None
    assert normalise_date("2025-02-30") is None
    assert normalise_date(None) is None


def test_seed_000_has_only_a_lower_bound():
    files = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("shared seeds-sample data not present")
    text = files[0].read_text(encoding="utf-8")
    assert publication_date(None, "none", text) == (None, "none", "2025-10-19")
