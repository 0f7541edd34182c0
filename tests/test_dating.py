"""Dates from the event's own clause (issue 17): which time expression dates an event, and which way it looks.

Sentences written for the test, one family of rules at a time (a relative
clause, an apposition, a year inside a noun phrase, a "by 2035" target, a
complement clause, a time clause, a future or timetable clause), then
sentences of the shared Ukraine articles (skipped when absent).
"""

from __future__ import annotations


import pytest

from storyline.annotate import dating, nlp
from storyline.annotate.plover import Frame
from storyline.annotate.time import default_tagger
from storyline.model import RawDoc, Sentence, TimeExpr
from storyline.pipeline import process

from helpers import ukraine_article

PUBLISHED = "2025-09-20"  # a Saturday


def events(text: str, published: str = PUBLISHED):
    return process(RawDoc(text=text, published=published, published_from="metadata")).events


def dated(text: str, trigger: str, published: str = PUBLISHED) -> tuple[str, str]:
    """(value, precision) of the date of the event ``trigger`` names."""
    found = [e for e in events(text, published) if e.trigger == trigger]
    assert found, (trigger, [e.trigger for e in events(text, published)])
    return found[0].date.value, found[0].date.precision


REPORTED = (PUBLISHED, "reported")


def _relations(text: str, trigger: str) -> dict[str, str]:
    """How each time expression of ``text`` stands to the clause ``trigger`` names, whether or not it
    makes an event."""
    doc = nlp.parse(text)
    verb = next(t for t in doc if t.text == trigger)
    frame = Frame("EVENT", None, verb, verb)
    timexes = default_tagger().tag(text, [Sentence(0, 0, len(text), text)], PUBLISHED)
    return {t.text: dating.relation(frame, dating._head_word(doc, t)) for t in timexes}


# -- background: what a date inside another clause or a noun phrase dates ----------------------

@pytest.mark.parametrize("text, trigger", [
    # relative clauses
    ("The energy company, whose well ruptured in April, criticised the ministry.", "criticised"),
    ("The Russian tycoon, who founded the bank in 2006, condemned the war.", "condemned"),
    # an apposition with its own clause
    ("Zelensky met Oleksandr Syrskyi, the commander he appointed in February 2024, in Kyiv.", "met"),
    # a year inside a noun phrase
    ("Putin defended the 2014 annexation of Crimea.", "defended"),
    ("Ukraine rejected Russia's June 2025 claim to have captured Dyliivka.", "rejected"),
    # a target year
    ("NATO members agreed to spend 5% of their GDP on defence by 2035.", "agreed"),
    # right after the object of a relative-time preposition, wherever the parser hangs it
    ("Meanwhile, Russian forces claimed control of Dyliivka village in eastern Donetsk—a contested region "
     "since the conflict’s onset in 2014.", "claimed"),
    ("After the annexation in 2014, Russian forces claimed control of the village.", "claimed"),
    # an "as" clause that compares, with the time clause inside it
    ("Russian troops seized the port, as they did in Crimea in 2014.", "seized"),
    ("He would be covered by a guarantee of security - as was the case of Boris Yeltsin, when he gave power "
     "in Russia in 1999.", "covered"),
])
def test_a_background_date_does_not_date_the_event(text, trigger):
    assert dated(text, trigger) == REPORTED


@pytest.mark.parametrize("text, trigger", [
    # An offset the tagger could only count from the report ("two months after", "three years later") lands
    # after publication; no such day dates a deed the sentence tells as done.
    ("Two months after Russia launched its invasion of Ukraine, Americans are stalwart in their support.",
     "invasion"),
    ("Three years later, he sent troops back to Iraq to fight the Islamic State.", "fight"),
])
def test_no_day_after_the_report_dates_a_deed_told_as_done(text, trigger):
    value, _ = dated(text, trigger)
    assert value <= PUBLISHED


def test_the_day_an_occasion_marks_does_not_date_the_gathering():
    # Written after a real BelTA report (May 2024): the meeting marking Victory Day was held on 7 May.
    text = ("Belarus President Aleksandr Lukashenko made the statement during a solemn meeting on the occasion of "
            "Victory Day on 7 May, BelTA has learned.")
    assert dated(text, "made", "2024-05-07") == ("2024-05-07", "day")
    assert dated(text, "meeting", "2024-05-07") == ("2024-05-07", "day")
    # What an occasion marks is no date of the act at all (it was dated Victory Day a year before).
    assert dated("Lukashenko met veterans on the occasion of Victory Day.", "met", "2024-05-07") == \
        ("2024-05-07", "reported")


@pytest.mark.parametrize("text, published, date", [
    # A span of days up to the report is the month that holds all of it (a real Polish report, February
    # 2022: "In the past week, this statement was repeated by the head of the British Ministry ...").
    ("Russia shelled Kharkiv in the past week.", "2022-02-19", ("2022-02", "month")),
    ("Russia shelled Kharkiv over the last few days.", "2022-02-19", ("2022-02", "month")),
    ("Russia shelled Kharkiv in the past three days.", "2022-02-19", ("2022-02", "month")),
    # ... and no month when it reaches into the one before, or when a bound says more.
    ("Russia shelled Kharkiv in the past week.", "2022-02-03", ("2022-02-03", "reported")),
    ("Russia shelled Kharkiv during the last day.", "2022-02-19", ("2022-02-19", "reported")),
    ("Russia shelled Kharkiv in the past few weeks.", "2022-02-19", ("2022-02-19", "reported")),
])
def test_a_span_of_days_up_to_the_report_dates_its_month(text, published, date):
    assert dated(text, "shelled", published) == date


def test_an_as_clause_of_time_still_dates_the_clause_it_modifies():
    assert dated("Russian troops advanced as Ukrainian forces withdrew on Monday.", "advanced") == ("2025-09-15", "day")


def test_the_real_dyliivka_claim_is_dated_by_its_article_not_by_2014():
    # The seed article of 2025-06-25 that issue 17 quotes: "Russia's June 2025 Dyliivka claim dated 2014".
    from helpers import SEEDS
    import json
    path = SEEDS / "articles.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data/seeds-sample is not present")
    rec = next(r for r in map(json.loads, path.read_text("utf-8").splitlines()) if "Dyliivka" in r.get("text", ""))
    [claim] = [e for e in events(rec["text"], rec["published"]) if "Dyliivka" in e.text]
    assert claim.date.value == rec["published"][:10] and claim.date.precision == "reported"


def test_a_background_date_gives_way_to_the_events_own():
    # (A tycoon named only by nationality is nobody's statement: the test names him.)
    assert dated("The Russian tycoon Oleg Tinkov, who founded the bank in 2006, wrote on Tuesday that most "
                 "Russians oppose the war.", "wrote") == ("2025-09-16", "day")


def test_the_relative_clause_keeps_its_date_for_its_own_event():
    got = _relations("The tycoon, whose bank was sanctioned by the UK on March 24, condemned the war on Tuesday.",
                     "sanctioned")
    assert got == {"March 24": dating.OWN, "Tuesday": dating.BACKGROUND}


def test_an_act_in_a_relative_clause_never_takes_the_main_clauses_date():
    # A real sentence (AP, 2 May 2024): Thursday is when the lawmakers voted, not when the US sanctioned.
    from helpers import ukraine_sentence
    text = ukraine_sentence("Serbian lawmakers on Thursday voted into office a new government")
    assert _relations(text, "sanctioned") == {"Thursday": dating.BACKGROUND}
    # A date inside the relative clause stays its own.
    assert _relations("It was the case of Boris Yeltsin, who gave up power in Russia in 1999.", "gave") == {
        "1999": dating.OWN}


def test_a_background_date_is_no_reference_time_for_the_next_sentence():
    text = "Russia seized the port, which it had blockaded since March 2022. Ukraine condemned the seizure."
    assert dated(text, "condemned") == REPORTED


def test_a_noun_phrase_date_may_date_the_clause_the_noun_governs():
    # The claim's date is the best there is for what was claimed.
    assert dated("Ukraine rejected Russia's June 2025 claim to have captured Dyliivka.", "captured") == \
        ("2025-06", "month")


def test_a_noun_phrase_that_tells_when_dates_the_clause():
    text = "During Tuesday's inauguration speech, Putin thanked the citizens of Russia."
    assert dated(text, "thanked", "2024-05-13") == ("2024-05-07", "day")
    assert dated("Dugin said at a January seminar that the West had degraded.", "said", "2024-05-07") == \
        ("2024-01", "month")



def test_a_date_on_the_subject_event_dates_what_that_event_did():
    # The bombing killed them in 1988; the 2010 article only retells it.
    assert dated("The 1988 bombing of Pan Am flight 103 killed 270 people.", "killed", "2010-06-01") == \
        ("1988", "year")

# -- own and nearby ---------------------------------------------------------------------------

def test_the_events_own_date_beats_the_date_of_the_verb_reporting_it():
    text = "Zelensky said on Friday that Russian troops attacked Kharkiv on Wednesday."
    assert dated(text, "attacked") == ("2025-09-17", "day")


def test_a_date_of_the_infinitive_dates_the_event_that_has_none_of_its_own():
    assert dated("The US agreed to send 31 Abrams tanks to Ukraine in January 2023.", "agreed", "2024-04-26") == \
        ("2023-01", "month")


def test_a_time_clause_dates_the_clause_it_modifies():
    assert dated("Yeltsin resigned when he handed power to Putin in 1999.", "resigned") == ("1999", "year")


def test_an_adverbial_clause_of_another_time_does_not():
    text = "Russia attacked Kyiv on Monday after Ukraine struck a refinery in Samara on Sunday."
    assert dated(text, "attacked") == ("2025-09-15", "day")


# -- relations read off the parse -------------------------------------------------------------

def test_relations_of_each_date_to_the_event():
    got = _relations("The tycoon, who founded the bank in 2006, wrote on Tuesday that Russia attacked "
                     "Kharkiv on Wednesday.", "wrote")
    assert got == {"2006": dating.BACKGROUND, "Tuesday": dating.OWN, "Wednesday": dating.BACKGROUND}
    got = _relations("Zelensky said on Friday that Russian troops attacked Kharkiv on Wednesday.", "attacked")
    assert got == {"Friday": dating.NEARBY, "Wednesday": dating.OWN}


# -- future and timetable clauses look forward ----------------------------------------------------

def test_a_timetable_present_looks_forward_past_a_nearer_past_verb():
    text = "The new sanctions, which were announced last week, take effect on 1 October."
    assert dated(text, "sanctions") == ("2025-10-01", "day")
    text = "The new sanctions, which were announced last week, take effect on Monday."
    assert dated(text, "sanctions") == ("2025-09-22", "day")


def test_a_past_clause_still_looks_back():
    text = "The new sanctions, which were announced last week, took effect on Monday."
    assert dated(text, "sanctions") == ("2025-09-15", "day")


def test_a_planned_meeting_is_dated_ahead():
    text = "Zelensky said on Friday he will meet Trump on Monday."
    assert dated(text, "meet") == ("2025-09-22", "day")


def test_a_plan_never_takes_the_day_it_was_spoken_of():
    # Seed sentence (AP, 15 August 2025, a Friday): Thursday is when Trump spoke, not when the second
    # meeting is to be.
    text = "Trump said Thursday that he hopes this first meeting will lead to a second one."
    assert dated(text, "meeting", "2025-08-15") == ("2025-08-15", "reported")
    # Nor the day the paragraph had reached.
    text = "Ukraine struck a depot on Monday. Russia said it would attack Kyiv."
    assert dated(text, "attack")[1] == "reported"
    # The saying keeps its day; a plan's own day still dates it.
    assert dated("Trump said Thursday that he hopes to meet Putin again.", "said", "2025-08-15") == \
        ("2025-08-14", "day")
    assert dated("Zelensky said on Friday he will meet Trump on Monday.", "meet") == ("2025-09-22", "day")


def test_a_weekday_in_a_past_clause_is_before_the_report_whatever_words_follow():
    from helpers import ukraine_sentence

    # A real sentence (CNN, Sunday 19 June 2022): the tagger, reading words, took the "should" after
    # "on Friday" for the future; the parse says the visit and the writing are past.
    text = ukraine_sentence("after his second visit to Kiev on Friday")
    assert dated(text, "wrote", "2022-06-19") == ("2022-06-17", "day")
    assert dated("Zelensky will meet Biden on Friday.", "meet", "2022-06-19") == ("2022-06-24", "day")
    # A newspaper named for its day is no date.
    assert dated("Johnson wrote in the Sunday Times that allies must hold firm.", "wrote", "2022-06-19") == \
        ("2022-06-19", "reported")


def _timex(text: str, value: str, precision: str = "day") -> TimeExpr:
    return TimeExpr(0, len(text), text, value, precision)


@pytest.mark.parametrize("text, before, after", [
    ("1 October", "2024-10-01", "2025-10-01"),
    ("Monday", "2025-09-15", "2025-09-22"),
    ("October", "2024-10", "2025-10"),
    ("last Monday", "2025-09-15", "2025-09-15"),  # tied to the past whatever the tense
    ("1 October 2024", "2024-10-01", "2024-10-01"),  # a year given is a year given
    ("yesterday", "2025-09-19", "2025-09-19"),
])
def test_forward_moves_only_underspecified_dates(text, before, after):
    precision = "month" if len(before) == 7 else "day"
    assert dating.forward(_timex(text, before, precision), PUBLISHED).value == after


@pytest.mark.parametrize("sentence, dct, value", [
    ("The law took effect in January.", "2025-12-20", "2025-01"),
    ("The law took effect in December.", "2025-12-05", "2025-12"),
    ("Ukraine will hold elections in December.", "2026-01-10", "2026-12"),
    ("Ukraine will hold elections in January.", "2025-12-20", "2026-01"),
])
def test_a_month_beside_a_tensed_verb_is_on_that_side_of_the_publication_date(sentence, dct, value):
    got = default_tagger().tag(sentence, [Sentence(0, 0, len(sentence), sentence)], dct)
    assert [t.value for t in got] == [value]


# -- real sentences ---------------------------------------------------------------------------

def _article(article_id: str):
    rec = ukraine_article(article_id)
    return process(RawDoc(text=rec["text"], published=rec["published"], published_from="metadata"))


def _date_of(doc, start: str, trigger: str) -> str:
    found = [e for e in doc.events if e.text.lstrip("“\"- ").startswith(start) and e.trigger == trigger]
    assert found, (start, trigger)
    return found[0].date.value


@pytest.mark.parametrize("article, start, trigger, value", [
    # a relative clause
    ("gdelt-GB-20240507-23f9f2eb70", "The Ukrainian weightlifter Oleksandr Pielieshenko", "killed", "2024-05-07"),
    # a year in what is said
    ("gdelt-US-20220501-f666d8492a", "Markarova maintained that Ukraine", "maintained", "2022-05-01"),
    # a year in a noun phrase, and a weekday in one that tells when
    ("gdelt-US-20240513-329f9cd1c1", "Last November, Zelenskyy canceled", "canceled", "2023-11"),
    ("gdelt-US-20240513-329f9cd1c1", "During Tuesday’s inauguration speech", "thanked", "2024-05-07"),
    # the infinitive's date when the event has none of its own
    ("gdelt-GB-20240426-1f5d3a2db5", "The US agreed to send 31 Abrams", "agreed", "2023-01"),
    # a planned meeting on a weekday after publication (a Wednesday)
    ("gdelt-UA-20220817-6563a2847f", "Guterres will hold talks", "talks", "2022-08-18"),
])
def test_real_events_are_dated_by_their_own_clause(article, start, trigger, value):
    assert _date_of(_article(article), start, trigger) == value


def test_an_act_done_by_saying_is_dated_when_said_even_if_what_it_speaks_of_may_never_happen():
    # A real sentence (AP, 25 April 2024): the threat is made the day it is said, in March.
    text = ("Russian President Vladimir Putin said in March that Moscow is ready to use nuclear weapons if there "
            "is a threat to its sovereignty.")
    threat = next(e for e in events(text, "2024-04-25") if e.type == "THREATEN")
    assert (threat.status, threat.date.value, threat.date.precision) == ("hypothetical", "2024-03", "month")
    # A plan told on a day is still not done that day.
    assert dated("Zelensky said on Thursday that Ukraine will launch a counteroffensive.", "counteroffensive") != (
        "2025-09-18", "day")


@pytest.mark.parametrize("text, trigger, act_date, said", [
    # A day dating the saying bounds the act told: it happened then or before.
    ("Blinken said on Thursday that Russia had already moved troops towards the border.", "moved",
     ("2025-09-18", "reported"), ("2025-09-18", "day")),
    ("Zelensky said on Tuesday that Russian missiles struck Kharkiv.", "struck",
     ("2025-09-16", "reported"), ("2025-09-16", "day")),
])
def test_the_day_words_were_said_bounds_the_act_they_tell(text, trigger, act_date, said):
    assert dated(text, trigger) == act_date
    assert [(e.date.value, e.date.precision) for e in events(text) if e.type == "STATEMENT"] == [said]


def test_a_day_written_between_the_speech_verb_and_the_words_dates_the_saying():
    # The parser hangs "on Friday" on what is said when no "that" follows the verb; the words say it is the
    # day of the saying.  After "that" the date is again the words' own.
    assert dated("Zelensky said on Friday he was still open to peace talks with Putin.", "said") == (
        "2025-09-19", "day")
    assert dated("Zelensky said that on Friday Russian missiles struck Kharkiv.", "struck") == ("2025-09-19", "day")
    # A real report (BBC, Saturday 30 April 2022).
    doc = _article("gdelt-GB-20220430-3882c58500")
    assert _date_of(doc, "Ukrainian President Volodymyr Zelensky said on Friday", "said") == "2022-04-29"


def test_a_day_of_the_act_itself_still_dates_it():
    assert dated("Zelensky said that Russian missiles struck Kharkiv on Tuesday.", "struck") == ("2025-09-16", "day")


def test_a_week_dates_its_clause_by_the_month_or_year_that_holds_it():
    from storyline.annotate.time import week_span
    assert week_span("2022-W37") == "2022-09"  # 12-18 September
    assert week_span("2023-W26") == "2023"  # 26 June - 2 July: two months, one year
    assert week_span("2022-W52") is None  # 26 December 2022 - 1 January 2023
    assert week_span("2022-W39-WE") == "2022-10"  # the weekend of 1-2 October
    assert week_span("P1W") is None and week_span("2022-W99") is None
    said = [e for e in events("Putin said last week that his country would use all the means at its disposal.",
                              "2022-09-25") if e.type == "STATEMENT"]
    assert [(e.date.value, e.date.precision) for e in said] == [("2022-09", "month")]


def test_a_week_is_no_reference_date_for_later_sentences():
    text = "Putin said last week that Russia would respond. Peskov said the Kremlin had no plans for talks."
    said = {e.text[:6]: (e.date.value, e.date.precision) for e in events(text, "2022-09-25") if e.type == "STATEMENT"}
    assert said == {"Putin ": ("2022-09", "month"), "Peskov": ("2022-09-25", "reported")}
