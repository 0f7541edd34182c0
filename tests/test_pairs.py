"""The one coreference method (storyline.link.pairs): clues, pair model, constrained clustering."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.annotate import nlp
from storyline.annotate.arguments import describe
from storyline.link import pairs
from storyline.model import Clues


def _head(text: str, word: str):
    doc = nlp.parse(text)
    return next(t for t in doc if t.text == word)


def test_describe_reads_who_did_what_to_whom():
    c = describe(_head("Israeli jets struck a school in Gaza City on Monday.", "struck"))
    assert c.lemma == "strike"
    assert "jet" in c.agents and "school" in c.patients and "monday" in c.others
    assert {"gaza", "city"} <= c.names  # the school's place, a name in the sentence


def test_describe_takes_the_subject_of_a_coordinated_verb():
    c = describe(_head("The club fired O'Brien and hired Maurice Cheeks.", "hired"))
    assert "club" in c.agents and {"maurice", "cheeks"} <= c.patients



def test_describe_keeps_the_us_as_a_participant_but_no_pronoun():
    assert "us" in describe(_head("The US moved 3,000 troops to Poland.", "moved")).agents
    assert describe(_head("They told us to leave.", "told")).patients == frozenset()

def test_describe_keeps_other_words_for_the_act():
    text = "A Russian missile strike on Sumy killed 21 people."
    doc = nlp.parse(text)
    killed = next(t for t in doc if t.text == "killed")
    strike = next(t for t in doc if t.text == "strike")
    c = describe(killed, also=[strike])
    assert c.lemma == "kill" and c.also == {"strike"}


def _view(key, lemma, day=None, doc=None, **kw):
    span = (day, day) if day else None
    return pairs.View(key, doc or key, f"{doc or key}#0", Clues(lemma, **kw.pop("clues", {})), span, **kw)


def _same_everything(a: str, b: str) -> float:
    return 1.0


def test_two_reports_of_one_act_link():
    day = dt.date(2025, 4, 13)
    names = frozenset({"sumy", "russia"})
    views = [_view("a", "strike", day, clues={"names": names}), _view("b", "strike", day, clues={"names": names})]
    assert pairs.cluster(views, _same_everything) == [0, 0]


def test_different_days_never_link_however_alike():
    names = frozenset({"sumy", "russia"})
    views = [_view("a", "strike", dt.date(2025, 4, 13), clues={"names": names}),
             _view("b", "strike", dt.date(2025, 4, 20), clues={"names": names})]
    assert len(set(pairs.cluster(views, _same_everything))) == 2


def test_a_chain_of_near_dates_does_not_drift():
    """August fits the 13th and the 20th, but the 13th and the 20th are two days: no cluster holds both."""
    names = frozenset({"kyiv"})
    month = pairs.View("m", "m", "m#0", Clues("strike", names=names), (dt.date(2025, 8, 1), dt.date(2025, 8, 31)))
    views = [_view("a", "strike", dt.date(2025, 8, 13), clues={"names": names}), month,
             _view("b", "strike", dt.date(2025, 8, 20), clues={"names": names})]
    labels = pairs.cluster(views, _same_everything)
    assert labels[0] != labels[2]


def test_a_plan_and_the_act_stay_apart_and_so_do_violence_and_aid():
    day = dt.date(2025, 8, 15)
    plan = [_view("a", "meet", day), _view("b", "meet", day, prospective=True)]
    assert len(set(pairs.cluster(plan, _same_everything))) == 2
    acts = [_view("a", "send", day, polarity=-1), _view("b", "send", day, polarity=1)]
    assert len(set(pairs.cluster(acts, _same_everything))) == 2


def test_a_statement_is_its_speakers():
    day = dt.date(2025, 8, 14)
    two = [_view("a", "say", day, speakers=frozenset({"peskov"})), _view("b", "say", day, speakers=frozenset({"putin"}))]
    assert len(set(pairs.cluster(two, _same_everything))) == 2
    unnamed = [_view("a", "warn", day, speakers=frozenset({"zelenskyy"})), _view("b", "warn", day, speakers=frozenset())]
    assert len(set(pairs.cluster(unnamed, _same_everything))) == 2


def test_saying_is_never_the_deed_it_speaks_of():
    # An attack in words ("Lavrov attacked Kyiv's policy") and an attack in deeds share day, names and
    # word; they are two happenings.
    day = dt.date(2022, 2, 17)
    names = frozenset({"russia", "kyiv"})
    views = [_view("a", "attack", day, speakers=frozenset({"lavrov"}), clues={"names": names}),
             _view("b", "attack", day, clues={"names": names})]
    assert len(set(pairs.cluster(views, _same_everything))) == 2
    # Two deeds with everything alike still link.
    deeds = [_view("a", "attack", day, clues={"names": names}), _view("b", "attack", day, clues={"names": names})]
    assert pairs.cluster(deeds, _same_everything) == [0, 0]


def test_one_speaker_says_many_things_a_day():
    """Reports of one statement share what was said; the same speaker's other statements that day stay apart."""
    from storyline.annotate.events import keywords

    day = dt.date(2010, 5, 5)
    said = {
        "a": "The company said it would honour every legitimate claim for compensation from fishermen.",
        "b": "The company said that all legitimate compensation claims from fishermen would be honoured.",
        "c": "The company said the slick was not expected to reach the coast for a few more days.",
    }
    views = [_view(k, "say", day, speakers=frozenset({"bp"}), said=frozenset(keywords(t)) - {"company"})
             for k, t in said.items()]
    labels = pairs.cluster(views, _same_everything)
    assert labels[0] == labels[1] != labels[2]


def test_unrelated_words_are_never_compared():
    views = [_view("a", "strike"), _view("b", "election"), _view("c", "struck")]
    i, j = pairs.candidate_pairs(views, pairs.load_model().synonyms)
    assert list(zip(i.tolist(), j.tolist())) == []  # "strike" and "struck" share no stem or prefix of four


def test_learned_synonyms_are_candidates():
    views = [_view("a", "kill"), _view("b", "murder")]
    i, j = pairs.candidate_pairs(views, pairs.load_model().synonyms)
    assert list(zip(i.tolist(), j.tolist())) == [(0, 1)]


def test_document_likeness_is_a_rank_within_the_pile():
    terms = {"a": {"summit": 3, "alaska": 2}, "b": {"summit": 2, "alaska": 1, "putin": 1},
             "c": {"flood": 3, "river": 2}, "d": {"flood": 1, "dam": 2}}
    sim = pairs.document_similarity(terms)
    assert sim("a", "a") == 1.0
    assert sim("a", "b") > sim("a", "c")
    assert 0.0 <= sim("c", "a") == sim("a", "c") <= 1.0


def test_the_link_stage_clusters_through_pairs(tmp_path, monkeypatch):
    """``storyline build`` runs the same clustering function ``storyline eval ecb`` does."""
    from storyline import api

    calls = []
    real = pairs.cluster

    def spy(views, doc_sim, model=None, threshold=None):
        calls.append(len(views))
        return real(views, doc_sim, model, threshold)

    monkeypatch.setattr(pairs, "cluster", spy)
    src = tmp_path / "a.txt"
    # Two reports of one strike: a mention alone is its own component, which needs no clustering.
    src.write_text("Russian missiles struck Kharkiv on 3 May 2025, killing four people, officials said.\n\n"
                   "The missiles struck Kharkiv on 3 May 2025, the regional governor said.\n", encoding="utf-8")
    assert api.build([str(src)], db=str(tmp_path / "s.db"), progress=False).ok
    assert calls and calls[0] >= 2


@pytest.mark.parametrize("text,word", [("The summit between Trump and Putin ended.", "summit")])
def test_describe_on_a_noun_head_keeps_its_names_out_of_its_arguments(text, word):
    c = describe(_head(text, word))
    assert c.lemma == "summit" and {"trump", "putin"} <= c.names | c.others
