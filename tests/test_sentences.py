"""Sentence splitting: offsets into the cleaned text, and boundaries whose space was lost."""

from __future__ import annotations

from storyline.annotate import nlp
from storyline.annotate.sentences import split_sentences

from helpers import ukraine_article


def texts(text: str) -> list[str]:
    got = split_sentences(text)
    assert all(text[s.start:s.end] == s.text for s in got)
    return [s.text for s in got]


def test_a_boundary_that_lost_its_space_still_ends_the_sentence():
    assert texts("The ministers talked on Saturday.The day before, the advisers spoke.") == \
        ["The ministers talked on Saturday.", "The day before, the advisers spoke."]
    assert texts('He called it "a special operation".China abstained.') == \
        ['He called it "a special operation".', "China abstained."]


def test_initials_acronyms_abbreviations_and_domains_are_not_glued_boundaries():
    for text in ("Mr.Smith came home.", "U.S.Army units left.", "Read it at pravda.com.ua today.",
                 "J.K.Rowling wrote.", "It is e.g.The best."):
        assert texts(text) == [text]


def test_glued_paragraphs_of_a_real_translated_article_come_apart():
    # Machine-translated Polish articles lost the breaks between paragraphs: "... on Saturday.The day before, ..."
    text = ukraine_article("gdelt-PL-20220212-03d135b217")["text"]
    got = texts(text)
    assert "The bosses of diplomacy of both countries talked on Saturday." in got
    assert any(s.startswith("The day before, Jake Sullivan") for s in got)
    starts = [s.start for s in split_sentences(text)]
    assert [s.start_char for s in nlp.parse(text, starts).sents] == starts


def test_a_question_mark_or_a_dialogue_dash_glued_to_the_next_sentence_ends_it():
    text = "So why is there no such content?- Each version is managed by users. Is it war?The talks begin. " \
           "It is a change of power in Kiev.- This power is weak. Dmitry Peskov said.-The exhibition opens."
    assert texts(text) == ["So why is there no such content?", "- Each version is managed by users.",
                           "Is it war?", "The talks begin.", "It is a change of power in Kiev.",
                           "- This power is weak.", "Dmitry Peskov said.", "-The exhibition opens."]
    # The parser cuts its tokens at the same places, so every sentence starts where a parsed one does.
    starts = [s.start for s in split_sentences(text)]
    assert set(starts) <= {s.start_char for s in nlp.parse(text, starts).sents}


def test_a_dash_after_an_abbreviation_joins_words():
    assert texts("The Calif.-based company and a well-known e-mail firm agreed.") == \
        ["The Calif.-based company and a well-known e-mail firm agreed."]


def test_a_glued_boundary_after_a_bracket_a_one_letter_word_or_a_polish_letter():
    text = ("The earthquake struck on Monday (February 6).The authorities sent teams. He acted for Ramzan "
            "Kadyrów.Therefore, he was sanctioned. He spoke about Turkey.A team of rescuers helps.")
    assert texts(text) == ["The earthquake struck on Monday (February 6).", "The authorities sent teams.",
                           "He acted for Ramzan Kadyrów.", "Therefore, he was sanctioned.",
                           "He spoke about Turkey.", "A team of rescuers helps."]
    starts = [s.start for s in split_sentences(text)]
    assert set(starts) <= {s.start_char for s in nlp.parse(text, starts).sents}
    # A real machine-translated article (Gazeta.pl, February 2023) glued its paragraphs the same ways.
    got = texts(ukraine_article("gdelt-PL-20230210-dbec105c69")["text"])
    assert any(s.startswith("The authorities of many countries have mobilized") for s in got)
    assert any(s.startswith("A team of rescuers under his leadership") for s in got)


def test_a_boundary_glued_after_a_number_an_acronym_or_a_quotation_mark():
    text = ('It began in 2014.The talks resumed on January 26.Nuland spoke. The agency cited the SBU.It '
            'denied it. He said "it is over."He left. She said: “we won.”In May she resigned. '
            'BelTA has learned.“The summit opens.” The list: 1.The first point stays whole.')
    assert texts(text) == ["It began in 2014.", "The talks resumed on January 26.", "Nuland spoke.",
                           "The agency cited the SBU.", "It denied it.", 'He said "it is over."', "He left.",
                           "She said: “we won.”", "In May she resigned.", "BelTA has learned.",
                           "“The summit opens.”", "The list: 1.The first point stays whole."]
    starts = [s.start for s in split_sentences(text)]
    assert set(starts) <= {s.start_char for s in nlp.parse(text, starts).sents}


def test_real_translated_articles_glued_after_a_year_and_after_a_closing_quote():
    got = texts(ukraine_article("gdelt-PL-20230712-4bef0a0d86")["text"])
    assert any(s.endswith('have made a "coup" in Kiev in 2014.') for s in got)
    assert any(s.startswith("The head of Russian diplomacy also added that the West") for s in got)
    got = texts(ukraine_article("gdelt-PL-20230601-b2de94492a")["text"])
    assert 'Nadieżdin said that with "current power in Moscow, Russia cannot count on returning to Europe."' in got
    assert any(s.startswith("The oppositionist talked about the war in Ukraine") for s in got)


def test_a_glued_boundary_before_an_acronym():
    text = "Russia is taking more of Ukraine.ISW indicated why. He spoke in Kyiv.NATO countries warn. Read gazeta.pl today."
    assert texts(text) == ["Russia is taking more of Ukraine.", "ISW indicated why.", "He spoke in Kyiv.",
                           "NATO countries warn.", "Read gazeta.pl today."]
    starts = [s.start for s in split_sentences(text)]
    assert set(starts) <= {s.start_char for s in nlp.parse(text, starts).sents}


def test_a_dialogue_dash_after_a_full_stop_and_a_space_opens_a_sentence():
    text = "He turned to the President of Russia Vladimir Putin. - I appeal to President Putin: stop the war."
    assert texts(text) == ["He turned to the President of Russia Vladimir Putin.",
                           "- I appeal to President Putin: stop the war."]
    assert texts("He said so. -the end.") == ["He said so. -the end."]  # no capital after the dash
