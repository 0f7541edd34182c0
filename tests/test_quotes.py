"""Quotes and their speakers: one test per attribution pattern, on real news sentences."""

from __future__ import annotations

import json

import pytest

from storyline.model import RawDoc
from storyline.pipeline import process

from helpers import SEEDS, ukraine_article

ZELENSKYY, PUTIN, TRUMP, RUBIO, PESKOV = "Q3874799", "Q7747", "Q22686", "Q324546", "sl:dmitry_peskov"
HARRIS = "Q10853588"


def quotes(text: str, published: str | None = "2025-08-15"):
    doc = process(RawDoc(text=text, published=published, published_from="metadata"))
    return [(q.text, q.speaker) for q in doc.quotes]


def test_x_said_after_the_quote():
    assert quotes("“We want peace. We’ll do everything we can to help achieve it, but ultimately it’s up to "
                  "Ukraine and Russia,” Rubio said.") == [
        ("We want peace. We’ll do everything we can to help achieve it, but ultimately it’s up to "
         "Ukraine and Russia,", RUBIO)]


def test_said_x_after_the_quote():
    assert quotes('"The main subject will be a settlement in Ukraine," said Kremlin spokesman Dmitry Peskov.') \
        == [("The main subject will be a settlement in Ukraine,", PESKOV)]


def test_x_verb_colon_before_the_quote():
    assert quotes("Zelenskyy warned: “Russia keeps killing, even on the day of the talks.”") == [
        ("Russia keeps killing, even on the day of the talks.", ZELENSKYY)]


def test_x_told_someone():
    assert quotes("\"I think he wants to make a deal,\" Trump told reporters at the White House on Wednesday.") \
        == [("I think he wants to make a deal,", TRUMP)]


def test_according_to_x():
    assert quotes("The talks would open with a one-on-one meeting, “followed by a working lunch with the "
                  "delegations”, according to Kremlin spokesman Dmitry Peskov.") == [
        ("followed by a working lunch with the delegations", PESKOV)]


def test_he_added_takes_the_previous_speaker():
    text = ("“Ukraine is ready to buy this equipment,” Zelenskyy noted.\n\n"
            "Zelenskyy also briefed Trump on recent battlefield realities.\n\n"
            "“Putin is definitely not winning. I presented the President with the facts,” he added.")
    assert [s for _, s in quotes(text)] == [ZELENSKYY, ZELENSKYY]


def test_she_said_is_never_a_man_named_before():
    # A real report (June 2023): the tennis player is the speaker; spaCy reads her surname as an
    # organisation, so no person near the quote is she, and the man named before (Lukashenko, a man in
    # the registry) must not take her words.
    rec = ukraine_article("gdelt-GB-20230606-e7d29f5ab4")
    said = dict(quotes(rec["text"], rec["published"]))
    words = next(k for k in said if k.startswith("I said it many times already"))
    assert said[words] != "Q2866"
    # A woman the registry knows is still "she": Kaja Kallas.
    text = ("Vladimir Putin spoke in Moscow on Monday. Kaja Kallas replied on Tuesday.\n\n"
            "“Russia will not win this war,” she said.")
    assert quotes(text) == [("Russia will not win this war,", "sl:kaja_kallas")]


def test_she_does_not_go_on_in_a_mans_voice():
    # The quote before was a man's: "she said" and "she added" are not his, however near.
    text = ("Volodymyr Zelenskyy spoke in Munich on Saturday. “We need weapons now,” he said.\n\n"
            "“Russia's actions contradict its words,” she said. “The sanctions will come,” she added.")
    assert [s for _, s in quotes(text, "2022-02-19")] == [ZELENSKYY, None, None]
    # A real report (February 2022): Harris's words after Zelenskyy was called "the politician".
    rec = ukraine_article("gdelt-PL-20220219-76e7346920")
    said = dict(quotes(rec["text"], rec["published"]))
    assert said[next(k for k in said if k.startswith("Russia's actions contradict her words"))] == HARRIS


def test_partial_quote_with_pronoun_subject_takes_the_last_subject():
    text = ("Secretary of State Marco Rubio said preparations for the summit were moving quickly. "
            "He stressed that a ceasefire is “critical” to allow deeper talks.")
    assert quotes(text) == [("critical", RUBIO)]


def test_partial_quote_after_a_speech_verb_in_the_same_sentence():
    assert quotes("Zelenskyy, who is not part of Friday’s talks, warned that any decisions made without "
                  "Ukraine’s input will be “stillborn.”") == [("stillborn.", ZELENSKYY)]


def test_nearest_speech_verb_decides_between_two_speakers():
    text = ("Trump called the talks productive but admitted there was no agreement yet, while Putin spoke "
            "of an \"understanding\" that could lead to peace.")
    assert quotes(text) == [("understanding", PUTIN)]


def test_second_quote_after_an_attribution_keeps_the_voice():
    text = "“It was a long and meaningful meeting,” Zelenskyy said. “We spoke about how to protect our people.”"
    assert [s for _, s in quotes(text)] == [ZELENSKYY, ZELENSKYY]


def test_quote_running_over_paragraphs():
    text = ("“The war must end,” Zelenskyy said. “The pressure must be on the one who started it.\n\n"
            "“We will not trade our land for a pause.”")
    got = quotes(text)
    assert got[-1] == ("The pressure must be on the one who started it. We will not trade our land for a pause.",
                       ZELENSKYY)


def test_scare_quotes_are_not_speech():
    assert quotes("The so-called “peace plan” was never published, and the talks went on.") == []


def test_quote_carries_its_event_and_date():
    doc = process(RawDoc(text="On Tuesday, Russian missiles killed 17 people in Dnipro, and Zelenskyy said "
                              "“Russia chose the hour when people were going to work.”",
                         published="2025-06-25", published_from="metadata"))
    (q,) = doc.quotes
    assert q.speaker == ZELENSKYY and q.date == "2025-06-24"
    assert q.event == doc.events[0].id


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/data/seeds-sample is not present")
def test_every_seed_quote_has_the_right_speaker():
    expected = {
        "I think it’s going to be a good meeting": TRUMP,
        "critical": RUBIO,
        "We want peace.": RUBIO,
        "stillborn.": ZELENSKYY,
        "a good meeting": ZELENSKYY,
        "successful operation in the Middle East": ZELENSKYY,
        "It is important that the U.S. actions": ZELENSKYY,
        "Ukraine is ready to buy this equipment": ZELENSKYY,
        "Putin is definitely not winning.": ZELENSKYY,  # "… ,” he added.
    }
    got = []
    for line in (SEEDS / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        raw = RawDoc(text=rec["text"], title=rec.get("title"), published=rec.get("published"),
                     published_from="metadata" if rec.get("published") else "none")
        got += [(q.text, q.speaker) for q in process(raw).quotes]
    assert len(got) == len(expected)
    for prefix, speaker in expected.items():
        match = [s for t, s in got if t.startswith(prefix)]
        assert match == [speaker], (prefix, got)


LAVROV = "sl:sergei_lavrov"


def test_dialogue_dash_quote_runs_from_the_paragraph_to_the_attribution():
    # The spaced dash that Polish and Russian papers quote with, kept in translation.
    assert quotes("Sergei Lavrov spoke in Moscow on Friday.\n\nWe do not want wars, but we will not let anyone "
                  "ignore our interests - said Lavrov. He then left the hall.") == [
        ("We do not want wars, but we will not let anyone ignore our interests", LAVROV)]
    assert quotes("Sergei Lavrov spoke in Moscow on Friday.\n\n- The sanctions will fail, as they always "
                  "have - he added.") == [("The sanctions will fail, as they always have", LAVROV)]


def test_dialogue_dash_alone_attributes_the_paragraph_before():
    got = quotes("Volodymyr Zelensky addressed Belarusians in a video on Sunday.\n\nThe Kremlin has already "
                 "decided everything for you. You are not slaves.\n\n- said the Ukrainian leader.")
    assert got == [("The Kremlin has already decided everything for you. You are not slaves.", ZELENSKYY)]


def test_spaced_dashes_around_an_aside_are_no_quote():
    assert quotes("Russian forces - said to number 100,000 - are massing near the border, the ministry "
                  "reported.") == []
    assert quotes("The minister - a former banker - resigned on Friday.") == []


def test_dialogue_dash_quotes_on_a_real_article():
    rec = ukraine_article("gdelt-PL-20220627-f9494eccea")
    got = quotes(rec["text"], rec["published"])
    asking = [s for t, s in got if t.startswith("I am asking you today, Belarusians.")]
    assert asking == [ZELENSKYY]
    # The paragraph that a lone "- said the Ukrainian leader." attributes is his too.
    assert [s for t, s in got if t.startswith("The Kremlin has already decided everything for you")] == [ZELENSKYY]
    # What he asks in the first person inside the quote is his act.
    doc = process(RawDoc(text=rec["text"], published=rec["published"], published_from="metadata"))
    asked = [e for e in doc.events if "I am asking you today" in e.text]
    assert [(e.type, e.source) for e in asked] == [("REQUEST", [ZELENSKYY])]


SCHOLZ, LULA = "Q61053", "Q37181"


@pytest.mark.parametrize("text, published, expected", [
    # A dash opening a sentence starts a dash quote mid-paragraph; an accented capital starts a name.
    ("The interview was published on July 11 on the newspaper website.- The conflict will go on until the West "
     "gives up its plans - answered Ławrow. Later he left for Jakarta.", "2023-07-12",
     ("The conflict will go on until the West gives up its plans", LAVROV)),
    # Marks inside a dash quote set off words the speaker quotes; the quote is still the whole run.
    ("Sergei Lavrov spoke of the president.- He wanted to use the \"peace formula\", the only way he saw - said "
     "Lavrov.", "2023-07-12", ("He wanted to use the \"peace formula\", the only way he saw", LAVROV)),
    # A quote in marks attributed after a dash, by a capitalised title with its state.
    ("\"That is why I asked President Xi to put pressure on Russia\" - wrote the German Chancellor on X.",
     "2024-04-17", ("That is why I asked President Xi to put pressure on Russia", SCHOLZ)),
    # A title with its state and no article.
    ("\"I reiterated that there must be a path to peace, as escalation carries risks,\" Brazilian leader noted.",
     "2023-06-13", ("I reiterated that there must be a path to peace, as escalation carries risks,", LULA)),
])
def test_dash_quotes_and_titles_attribute(text, published, expected):
    assert quotes(text, published) == [expected]


def test_a_lone_lower_case_subject_is_no_speaker():
    # The parse makes "it" the subject of "asked"; a quote is not said by "it".
    got = process(RawDoc(text="Journalists sent questions, and it was asked why the \"special operation\" has "
                              "not yet ended.", published="2023-07-12", published_from="metadata")).quotes
    assert [(q.text, q.speaker_name) for q in got] == [("special operation", None)]


def test_according_to_x_right_before_the_quote_outranks_a_speech_verb_elsewhere():
    got = quotes("Sergei Lavrov gave an interview on Tuesday. According to Lavrov, \"Russia did not start aggression "
                 "in Ukraine\", and the West has said \"nothing new\" since.", "2023-07-12")
    assert got[0] == ("Russia did not start aggression in Ukraine", LAVROV)




def test_a_pronoun_after_a_long_quote_takes_the_person_named_before_its_words():
    text = ("The US Vice President Kamala Harris spoke in Munich on Saturday.- The borders of states should not "
            "be changed by force. Russia pretends to be innocent. It creates false pretexts. We see it gather "
            "strength. Lies spread - she said.\n\n- Our commitment to NATO is holy. The US supports them - the "
            "politician added.")
    got = quotes(text, "2022-02-19")
    assert [s for _, s in got] == [HARRIS, HARRIS]


def test_a_straight_mark_left_open_does_not_shift_the_quotes_after_it():
    text = ("The letter \"Z became a sign of support for the war.\n\n"
            "\"Businessmen are trying to save what is left of their property,\" Oleg Tinkov said.")
    got = process(RawDoc(text=text, published="2022-04-20", published_from="metadata")).quotes
    assert [(q.text, q.speaker_name) for q in got] == [
        ("Businessmen are trying to save what is left of their property,", "Oleg Tinkov")]
