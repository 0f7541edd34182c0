"""The vocabularies under storyline/data: each file parses, each list is read, and the words still act.

The cleaning rules and the annotators read their word lists from data files
(issue 17); these tests check the files themselves (no entry twice, no empty
entry, every pattern valid on its own and never matching nothing) and that a
few removals and attributions that depend on those words still happen, on
sentences written for the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import storyline.data as data
from storyline.annotate.actors import LEADER_ROLES, ROLE_WORDS
from storyline.annotate.quotes import SPEECH, extract_quotes
from storyline.annotate.sentences import split_sentences
from storyline.annotate.places import candidates
from storyline.clean import _SOCIAL, clean_text
from storyline.selection import terms

PACKAGE = Path(data.__file__).resolve().parent.parent
LIST_FILES = ("clean_patterns.tsv", "clean_words.tsv", "annotate_words.tsv", "link_words.tsv", "counted_nouns.tsv")


def _fresh_lists(name: str) -> dict[str, list[str]]:
    return data.lists.__wrapped__(name)  # past the cache: the file as it is now


@pytest.mark.parametrize("name", LIST_FILES)
def test_list_files_parse_without_duplicates_or_empty_entries(name):
    found = _fresh_lists(name)
    assert found and all(found.values())
    for key, entries in found.items():
        assert re.fullmatch(r"[a-z_]+", key), key
        assert len(entries) == len(set(entries)), key


@pytest.mark.parametrize("name", ("titles.tsv", "force_nouns.tsv"))
def test_pair_files_parse(name):
    found = data.pairs.__wrapped__(name)
    assert found and all(k == k.lower() for k in found)


def test_us_state_abbreviations_and_stopwords_parse():
    states = data.pairs.__wrapped__("us_state_abbreviations.tsv")
    assert states["La."] == "Louisiana" and all(k.endswith(".") for k in states)
    words = [fields for _, fields in data.table("stopwords.txt")]
    assert all(len(f) == 1 and re.fullmatch(r"[a-z]+", f[0]) for f in words)
    assert len(words) == len({f[0] for f in words})


def test_titles_cover_the_leader_roles_and_forces_name_known_branches():
    assert set(LEADER_ROLES) <= set(ROLE_WORDS.values())
    assert ROLE_WORDS["secretary of state"] == "foreign_minister"
    branches = set(data.pairs("force_nouns.tsv").values())
    assert branches <= {"armed_forces", "army", "navy", "air_force", "air_defence"}


def test_speech_verbs_parse():
    lemmas = [fields[0] for _, fields in data.table("speech_verbs.tsv")]
    assert len(lemmas) == len(set(lemmas)) == len(SPEECH)
    for _, (lemma, forms) in data.table("speech_verbs.tsv"):
        assert re.fullmatch(r"[a-z]+", lemma)
        assert forms == "-" or all(re.fullmatch(r"[a-z]+", f) for f in forms.split(","))


def test_picture_agencies_have_no_name_twice():
    names = [fields[0].strip() for _, fields in data.table("picture_agencies.txt")]
    assert names and len(names) == len(set(names)) and all(names)


def test_every_cleaning_pattern_compiles_alone_and_never_matches_nothing():
    for key, entries in _fresh_lists("clean_patterns.tsv").items():
        for entry in entries:
            pattern = re.compile(entry.replace("{{social}}", _SOCIAL), re.IGNORECASE)
            assert not pattern.fullmatch(""), (key, entry)


def _read_in_code(paths: list[Path], pattern: str) -> set[str]:
    return {m for p in paths for m in re.findall(pattern, p.read_text(encoding="utf-8"))}


def test_every_list_is_read_and_every_list_read_exists():
    clean = [PACKAGE / "clean.py"]
    patterns = {a or b for a, b in _read_in_code(clean, r'_alt\("(\w+)"\)|_PATTERNS\["(\w+)"\]')}
    assert patterns == set(_fresh_lists("clean_patterns.tsv"))
    assert _read_in_code(clean, r'_WORDS\["(\w+)"\]') == set(_fresh_lists("clean_words.tsv"))
    annotate = sorted((PACKAGE / "annotate").glob("*.py"))
    read = _read_in_code(annotate, r'_WORD_LISTS\["(\w+)"\]|lists\("annotate_words\.tsv"\)\["(\w+)"\]')
    assert {a or b for a, b in read} == set(_fresh_lists("annotate_words.tsv"))


def test_loader_rejects_a_duplicate_an_empty_entry_and_a_missing_tab(monkeypatch):
    def fake(lines):
        monkeypatch.setattr(data, "table", lambda name: ((n, ln.split("\t")) for n, ln in enumerate(lines, 1)))

    fake(["share_word\tshare", "share_word\tshare"])
    with pytest.raises(ValueError, match="twice"):
        data.lists.__wrapped__("x")
    fake(["share_word\t "])
    with pytest.raises(ValueError):
        data.lists.__wrapped__("x")
    fake(["share_word share"])
    with pytest.raises(ValueError):
        data.lists.__wrapped__("x")
    fake(["king\tmonarch", "king\tmonarch"])
    with pytest.raises(ValueError, match="twice"):
        data.pairs.__wrapped__("x")


# --- the words still act -------------------------------------------------------

LEAD = "Kyiv was shelled overnight."
AFTER = "Power was cut."


@pytest.mark.parametrize("furniture, reason", [
    ("Share on Bluesky", "share prompt"),  # social
    ("Comments on this story are moderated.", "comment policy"),  # comment_policy
    ("Media playback is unsupported on your device", "media player"),  # media_player
    ("Story continues below advertisement", "advertisement"),  # advert
    ("Read more: Zelensky meets Trump in Rome", "related links"),  # related
    ("Get 20% off all stoves this week", "promotional"),  # not_a_sale does not apply
    ("A version of this article appeared on p1 of the Main section.", "print edition note"),  # print_note
    ("Additional reporting by Olena Harmash", "byline"),  # credit_role
    ("By Maria dos Santos", "byline"),  # name_particle
])
def test_vocabulary_driven_removals(furniture, reason):
    c = clean_text(f"{LEAD}\n{furniture}\n{AFTER}")
    assert [(r.reason, r.text) for r in c.removed] == [(reason, furniture)]
    assert c.text == f"{LEAD}\n{AFTER}"


def test_market_news_with_per_cent_off_stays():
    text = f"{LEAD}\nShares fell 40% off their peak in March."
    assert clean_text(text).text == text


def test_caption_above_an_agency_credit_goes():
    c = clean_text(f"{LEAD}\nFirefighters in Kharkiv, March 2023\nPhotograph: Jane Doe/Reuters\n{AFTER}")
    assert [r.reason for r in c.removed] == ["photo caption", "photo credit"]
    assert c.text == f"{LEAD}\n{AFTER}"


def test_outlet_glued_after_a_full_stop_goes():
    c = clean_text("Power was cut in three regions.Ukrinform\nThe mayor spoke.")
    assert [(r.reason, r.text) for r in c.removed] == [("citation residue", "Ukrinform")]
    assert c.text == "Power was cut in three regions.\nThe mayor spoke."


def test_speech_forms_and_speaker_titles_attribute_a_quote():
    for verb in ("emphasised", "emphasized", "told reporters"):
        text = f"“We will not give up,” the spokesman {verb}."
        found = extract_quotes(text, split_sentences(text), [])
        assert [(q.text, q.speaker_name) for q in found] == [("We will not give up,", "the spokesman")]


def test_abbreviations_do_not_end_a_sentence():
    text = "Gen. Syrskyi visited the front. Lt. Col. Petrenko met him in Kharkiv."
    assert [s.text for s in split_sentences(text)] == [
        "Gen. Syrskyi visited the front.", "Lt. Col. Petrenko met him in Kharkiv."]


def test_a_state_abbreviation_names_the_state():
    assert any(p.kind == "state" and p.name == "Louisiana" and p.country == "US" for p in candidates("La."))


def test_function_words_are_no_terms():
    assert terms("The minister said that they were over the border") == terms("minister border")
