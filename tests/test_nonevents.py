"""What is not an event: typed clauses dropped with a reason, kept on the document; real events kept."""

from __future__ import annotations


import pytest

from storyline.model import RawDoc
from storyline.pipeline import process

from helpers import ukraine_article



def annotated(text: str, published: str = "2025-08-15"):
    return process(RawDoc(text=text, published=published, published_from="metadata"))


def dropped(doc) -> dict[int, set[str]]:
    """Sentence index -> the reasons its dropped clauses were given."""
    out: dict[int, set[str]] = {}
    for n in doc.non_events:
        out.setdefault(n.sentence, set()).add(n.reason)
    return out


def event_sentences(doc) -> set[int]:
    return {m.sentence for m in doc.events}


# -- each reason, on sentences written for the test ----------------------------------------


@pytest.mark.parametrize("text, reason", [
    ("Will the West keep sending weapons to Ukraine?", "question"),
    ("How can Europe protect Moldova from aggression, given that Russia threatens it?", "question"),
    ("By doing so, could we break this cycle – and offer Putin a way out, too?", "question"),
    ("Did Lavrov say that Russia would attack Kyiv?", "question"),
    ("Thank you for being with us.", "boilerplate"),  # the page thanks its reader (seen in Onet articles)
    ("Please support our reporting from Kyiv.", "boilerplate"),
    ("For more information, please visit Onet.", "boilerplate"),  # a phrase of its own before the command
    ("A Russian invasion of Ukraine could further disrupt supplies of gas to Europe.", "commentary"),
    ("If Russia invades Ukraine, stock markets could fall sharply.", "commentary"),
    ("Europe must impose tougher sanctions on Russia.", "commentary"),
    ("Many people support sanctions against Russia.", "generic"),
    ("Some analysts say the sanctions have failed.", "generic"),
    ("More than 80% in Poland, Sweden and Finland said they held Russia responsible for the war.", "generic"),
    ("Russia is not an ordinary country seeking security guarantees.", "generic"),
    ("Missiles kill civilians.", "generic"),  # tagged "kill"/VB, yet finite: it has a subject and no auxiliary
    # The writer's own "it is ... that" judging what an actor will do: a forecast, whoever acts in it.
    ("It is clear that Russia will attack Kyiv again.", "commentary"),
    ("It is likely that Moscow will send more troops.", "commentary"),
    # The page tells its reader what they agree to (seen under a bpoil photo gallery).
    ("By posting your pictures in this group you agree to let the site publish them.", "boilerplate"),
])
def test_a_sentence_that_reports_no_event_makes_no_mention(text, reason):
    doc = annotated(text)
    assert doc.events == []
    assert dropped(doc) == {0: {reason}}
    record = doc.non_events[0]
    assert record.text and record.text.strip() in doc.sentences[0].text and record.type


def test_page_furniture_inside_the_text_is_boilerplate_and_the_report_around_it_stays():
    doc = annotated("Russian drones struck Odesa on Monday, officials said. Click here to support our "
                    "journalism on the war in Ukraine. The drones damaged the port.")
    assert dropped(doc) == {1: {"boilerplate"}}
    assert 0 in event_sentences(doc) and 1 not in event_sentences(doc)


def test_a_headline_in_capitals_between_paragraphs_is_boilerplate():
    doc = annotated("Russian drones struck Odesa on Monday, officials said.\n\n"
                    "KREMLIN SAYS IT ONLY HITS MILITARY INFRASTRUCTURE AFTER STRIKE AGAINST RESTAURANT IN UKRAINE\n\n"
                    "The drones damaged the port.")
    assert dropped(doc) == {1: {"boilerplate"}}
    assert event_sentences(doc) == {0}


def test_a_quoted_sentence_no_one_is_named_as_saying_is_a_fragment_the_attributed_one_is_kept():
    doc = annotated("“Another front of the attack on Belarus is sanctions. Any aggression will be met with an "
                    "instant response,” Lukashenko said.")
    assert dropped(doc) == {0: {"quote-fragment"}}
    assert event_sentences(doc) == {1}


# -- real events in the same forms are kept ------------------------------------------------


@pytest.mark.parametrize("text", [
    "Russia could face sanctions, the EU said on Monday.",  # a modal, but the EU's statement
    "Russian forces shelled Kharkiv on Tuesday.",
    "Ukrainian officials will meet their Polish counterparts in Warsaw on Friday.",  # planned, by named actors
    "Peace talks will continue on Wednesday in Berlin.",  # a schedule, not a prediction
    "One of the EU officials told reporters that the sanctions would be imposed.",  # an official, not "people"
    "People were brought to the edge of the pit, forced to their knees and shot dead.",  # done to people
    "Russian missiles struck Kyiv on Monday, so why did the West stay silent?",  # the question is the second half
    'Lavrov said: "Why should Russia stop?"',  # a named speaker's quoted question is his statement
    '"Please be more rational and humanitarian," Tinkov added.',  # a command in quotes is the speaker's
    "Although Russia claims that it is ready to talk, it narrows the path to peace.",  # "it" is Russia
    "The meeting follows the signing of a $61 billion aid package on Wednesday.",  # dated: a particular happening
    "It is worth noting that Russia attacked Kyiv on Monday.",  # the writer's frame around a reported act
    "It said that Russia will send more troops.",  # "it" here is someone speaking, not the writer's frame
])
def test_a_real_event_is_kept(text):
    doc = annotated(text)
    assert event_sentences(doc) == {0}, doc.non_events
    assert doc.non_events == []


def test_a_planned_act_by_a_named_leader_survives_its_conditional_clause():
    # Only the "if" clause is typed; the sentence still reports Lukashenko's threat.
    doc = annotated("President Alexander Lukashenko will launch military action against Ukraine if his country "
                    "is attacked.")
    assert event_sentences(doc) == {0}


def test_a_speaker_who_acts_by_speaking_inside_a_quote_is_kept():
    doc = annotated("Zelensky spoke in Kyiv on Monday. “We condemn this attack in the strongest terms.”")
    assert 1 in event_sentences(doc)
    assert [m.type for m in doc.events if m.sentence == 1] == ["DISAPPROVE"]


def test_an_act_going_on_inside_a_quote_is_kept_and_the_interviewers_you_is_not():
    doc = annotated("Biden spoke at the UN on Wednesday. “They are making threats. Now, Russia is calling up more "
                    "soldiers to join the fight. So when you are asking, what can be done, many things can.”",
                    "2022-09-21")
    k = _sentence(doc, "Now, Russia is calling up")
    assert [(m.type, m.source) for m in doc.events if m.sentence == k] == [("MOBILIZE", ["Q159"])]
    assert _sentence(doc, "So when you are asking") not in event_sentences(doc)


# -- real articles ---------------------------------------------------------------------------


def _article(article_id: str):
    rec = ukraine_article(article_id)
    return annotated(rec["text"], rec["published"])


def _sentence(doc, start: str) -> int:
    found = [s.index for s in doc.sentences if s.text.lstrip("“\"- ").startswith(start)]
    assert found, start
    return found[0]


@pytest.mark.parametrize("article, start, reason", [
    # inside Lukashenko's quote, but with no speaker the actor stage can name
    ("gdelt-BY-20220930-138a5adbb0", "Many people declare their desire for peace", "no-speaker"),
    ("gdelt-UA-20240419-04c29e5cf8", "Will Ukraine give up its desire for NATO membership", "question"),
    # the writer asks about a named student: no statement of hers
    ("gdelt-US-20240507-662b9e93a5", "Could she say something opposition-leaning?", "question"),
    ("gdelt-UA-20240419-04c29e5cf8", "Many believe that, with the military situation", "generic"),
    ("gdelt-GB-20220529-0a855fb168", "Putin’s Russia is not an ordinary country", "generic"),
    # a Kyiv Post column, February 2022: the writer's forecast of what Ukrainians will do
    ("gdelt-UA-20220216-d8d48c5212", "It is important to remember that Ukrainians will fight", "commentary"),
])
def test_real_non_events_are_dropped_with_their_reason(article, start, reason):
    doc = _article(article)
    k = _sentence(doc, start)
    assert k not in event_sentences(doc)
    assert dropped(doc)[k] == {reason}


@pytest.mark.parametrize("article, start", [
    ("gdelt-BY-20240508-98b4f6c90e", "People were brought to the edge of the pit"),
    ("gdelt-US-20220202-46dc752107", "We do not believe conflict is inevitable"),
    # a quote's paragraph that tells an act going on: Biden, 21 September 2022
    ("gdelt-GB-20220921-77086ff28b", "Now, Russia is calling up more soldiers"),
])
def test_real_events_are_kept(article, start):
    doc = _article(article)
    k = _sentence(doc, start)
    assert k in event_sentences(doc) and k not in dropped(doc)


def test_non_events_are_stored_and_read_back(tmp_path):
    """What was left out stays in the store, with its reason, until the document is annotated again."""
    from storyline import api
    from storyline.store import Store

    src = tmp_path / "a.txt"
    src.write_text("Russian missiles struck Kharkiv on Monday, killing four people, officials said.\n\n"
                   "Will the West keep sending weapons to Ukraine?\n", encoding="utf-8")
    db = str(tmp_path / "n.db")
    assert api.build([str(src)], db=db, progress=False, published="2025-05-05").ok
    with Store(db) as store:
        [doc_id] = store.document_ids()
        doc = store.document(doc_id)
    assert [(n.reason, "sending weapons" in n.text) for n in doc.non_events] == [("question", True)]
    assert {m.sentence for m in doc.events} == {0}
