"""The learned event typer: its model file, its answers on plain sentences, and the cross-validation code."""

from __future__ import annotations


import numpy as np
import pytest

from storyline.annotate import nlp, typer
from storyline.annotate.plover import frames
from storyline.evaluate import typing
from storyline.evaluate.plover import classify

from helpers import ukraine_article



def main_type(text: str, learned: bool = True) -> str | None:
    found = frames(nlp.load()(text)[:], learned=learned)
    return typer.fold(found[0].type) if found else None


def test_model_file_loads_with_every_label():
    model = typer.load()
    assert model is not None
    # The product's recipe (typing.PRODUCT): the model reads the words alone, the lexicon decides apart.
    assert model.labels == typer.LABELS and not model.lexicon
    assert model.weights.shape == (2 * 384, len(typer.LABELS))


@pytest.mark.parametrize("text, kind", [
    ("Russian warplanes carried out an airstrike on a hospital in the town, killing four people.", "ASSAULT"),
    ("The two sides agreed to a ceasefire on Friday after a week of talks.", "AGREE"),
    ("Thousands of students marched through the capital to protest against the war.", "PROTEST"),
    ("The foreign ministry summoned the ambassador and condemned the shelling.", "DISAPPROVE"),
    ("The government expelled three diplomats on Monday.", "SANCTION"),
])
def test_clear_sentences_are_typed_right(text, kind):
    assert main_type(text) == kind


def test_eval_plover_uses_the_learned_typer():
    assert classify(["Rebels and the army agreed to a ceasefire in the north."])[0][0] == "AGREE"


def test_the_lexicons_act_stands_and_the_model_types_words_said():
    assert typer.decide(typer.Clause("send", ("help",), "AID"), "DEMAND") == "AID"
    assert typer.decide(typer.Clause("strike", ("city",), "ASSAULT"), "STATEMENT") == "ASSAULT"
    assert typer.decide(typer.Clause("say", ("lie", "Russia"), "STATEMENT"), "DISAPPROVE") == "DISAPPROVE"
    assert typer.decide(typer.Clause("agree", ("assessment",), "STATEMENT"), "AGREE") == "STATEMENT"
    assert typer.decide(typer.Clause("lambaste", ("minister",), None), "DISAPPROVE") == "DISAPPROVE"


def test_words_the_lexicon_lacks_still_land_near_their_kind():
    # Clauses given directly: a trigger the lexicon does not list, with no lexicon answer.
    got = typer.predict([typer.Clause("airstrike", ("hospital", "kill")), typer.Clause("rally", ("crowd", "square"))])
    assert got == ["ASSAULT", "PROTEST"]


def test_save_and_read_give_the_same_answers(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6)).astype(np.float32)
    y = ["AGREE" if row[0] > 0 else "FIGHT" for row in x]
    model = typer.Softmax.fit(x, y, labels=("AGREE", "FIGHT"), lexicon=False)
    model.save(tmp_path / "m.npz")
    again = typer.Softmax.read(tmp_path / "m.npz")
    assert again.predict(x) == model.predict(x)
    assert sum(p == g for p, g in zip(model.predict(x), y)) >= 36


def _synthetic() -> list[typing.Item]:
    """Four documents of two clear kinds, two clauses each, written for the test."""
    rows = [("d1", "bomb", ("city",), "ASSAULT"), ("d1", "shell", ("village",), "ASSAULT"),
            ("d2", "meet", ("minister",), "CONSULT"), ("d2", "talk", ("envoy",), "CONSULT"),
            ("d3", "bombard", ("town",), "ASSAULT"), ("d3", "strike", ("school",), "ASSAULT"),
            ("d4", "discuss", ("leader",), "CONSULT"), ("d4", "negotiate", ("delegation",), "CONSULT")]
    return [typing.Item(doc, typer.Clause(t, ctx, kind), kind) for doc, t, ctx, kind in rows]


def test_folds_never_split_a_document():
    items = _synthetic()
    folds = typing.folds_of(items, 2)
    for doc in {it.group for it in items}:
        assert len({f for it, f in zip(items, folds) if it.group == doc}) == 1
    assert set(folds) == {0, 1}


def test_cross_validation_runs_and_trains_without_the_test_fold():
    items = _synthetic()
    seen = []

    def spy(train, test):
        seen.append(({it.group for it in train}, {it.group for it in test}))
        return [it.gold for it in test]

    acc = typing.cross_validate(items, {"lexicon": typing.lexicon, "spy": spy,
                                        "softmax": typing.softmax(False)}, k=2)
    assert acc["lexicon"] == 1.0 and acc["spy"] == 1.0  # the lexicon answer here is the gold
    assert 0.0 <= acc["softmax"] <= 1.0
    assert all(not (train & test) for train, test in seen)


@pytest.mark.parametrize("doc_id, sentence, kind", [
    ("gdelt-UA-20230223-e0860e8c42",
     "The West imposes unprecedented sanctions on Russia and progressively ramps them up.", "SANCTION"),
    ("gdelt-UA-20230603-4e50b22d80", "Instead, more than two dozen UN member nations condemned Russia’s "
                                     "continuing forcible abduction of children from Ukraine.", "DISAPPROVE"),
    ("gdelt-UA-20220219-d9b040c458", "Two years ago, we agreed on a full-scale ceasefire with the presidents "
                                     "of France, Russia and the German Chancellor.", "AGREE"),
])
def test_real_sentences(doc_id, sentence, kind):
    assert sentence in ukraine_article(doc_id)["text"]
    assert main_type(sentence) == kind
