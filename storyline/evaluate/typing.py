"""Cross-validated event typing: the hand lexicon beside learned typers, folded by document.

Two labelled sets are read: PLOVER gold sentences (each sentence its own
document, scored with ``plover_code`` as ``storyline eval plover`` scores
them) and the event gold's evidence clauses (one document per article, the
act's type scored as it is).  Every variant is scored on each fold after
training on the other folds, on the whole of the other set and on the
definition seeds (``storyline/data/plover_seeds.tsv``); no fold's clauses
are ever in its own training data.

The lexicon needs no training, but it was written while reading the PLOVER
file, so its figure there (and any variant that takes its answer as a
feature) flatters it; the event gold is the fairer check of those.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from ..annotate import nlp
from ..annotate.plover import GSR_05, Frame, frames, plover_code
from ..annotate.typer import LABELS, Clause, Softmax, clause_of, decide, features, fold
from ..data import table


@dataclass
class Item:
    group: str                # the document: a fold never splits one
    clause: Clause
    gold: str                 # folded type (ACCUSE as DISAPPROVE, REQUEST as DEMAND)
    frame: Frame | None = None
    coded: bool = False       # scored as PLOVER codes (status folded in) rather than as acts

    def code(self, act: str) -> str:
        """What this item's scorer compares: the act, or PLOVER's code for the act with the clause's status."""
        if not self.coded or self.frame is None:
            return act
        code = plover_code(replace(self.frame, type=act))
        return fold(GSR_05.get(code, code))

    @property
    def lexicon(self) -> str:
        return self.code(self.clause.lexicon or "STATEMENT")

    @property
    def act(self) -> str:
        """The label to learn from: the act.  A PLOVER code folds the status in ("will meet" is AGREE);
        where the lexicon's act, coded with the clause's status, gives the gold code, that act is the
        one the gold code stands for."""
        if self.coded and self.clause.lexicon in LABELS and self.lexicon == self.gold:
            return self.clause.lexicon
        return self.gold


def read_items(texts: list[str], golds: list[str], groups: list[str], coded: bool,
               model: str | None = None) -> list[Item]:
    """Parse each text alone; its main typed clause (as ``frames`` finds it) is the clause to type."""
    out = []
    for doc, gold, group in zip(nlp.load(model).pipe(texts, batch_size=64), golds, groups):
        found = frames(doc[:], learned=False)
        if found:
            f = found[0]
            clause = clause_of(f.trigger, f.verb, f.type)
        else:
            root = doc[:].root
            f, clause = None, clause_of(root, root, None)
        out.append(Item(group, clause, fold(gold), f, coded))
    return out


def plover_items(path: str | Path, model: str | None = None) -> list[Item]:
    data = json.loads(Path(path).read_text("utf-8"))
    recs = [r for r in data if isinstance(r, dict) and r.get("event") not in (None, "DOCUMENT")
            and isinstance(r.get("text"), str)]
    return read_items([r["text"].strip() for r in recs], [r["event"] for r in recs],
                      [str(r.get("id")) for r in recs], coded=True, model=model)


def gold_items(path: str | Path, articles: slice = slice(None), model: str | None = None) -> list[Item]:
    """The evidence clauses of the event gold (``dev.gold.jsonl``), of the articles in ``articles``."""
    lines = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()][articles]
    evs = [(a["id"], e) for a in lines for e in a["events"] if e.get("type") and e.get("evidence")]
    return read_items([e["evidence"] for _, e in evs], [e["type"] for _, e in evs], [i for i, _ in evs],
                      coded=False, model=model)


def seed_items(model: str | None = None) -> list[Item]:
    rows = [fields for _, fields in table("plover_seeds.tsv")]
    return read_items([r[1] for r in rows], [r[0] for r in rows], ["seeds"] * len(rows), coded=False, model=model)


# -- variants ------------------------------------------------------------------

Variant = Callable[[list[Item], list[Item]], list[str]]  # (train, test) -> codes of the test items


def lexicon(train: list[Item], test: list[Item]) -> list[str]:
    return [it.lexicon for it in test]


def softmax(with_lexicon: bool, balanced: bool = False) -> Variant:
    def run(train, test):
        model = Softmax.fit(features([it.clause for it in train], with_lexicon), [it.act for it in train],
                            lexicon=with_lexicon, balanced=balanced)
        acts = model.predict(features([it.clause for it in test], with_lexicon))
        if with_lexicon:  # the model has the last word, bar taking a named act back to a bare statement
            acts = [it.clause.lexicon if a == "STATEMENT" and it.clause.lexicon not in (None, "STATEMENT") else a
                    for it, a in zip(test, acts)]
        return [it.code(a) for it, a in zip(test, acts)]
    return run


def lexicon_else_model(train, test) -> list[str]:
    """The product's recipe: a words-only model, with ``typer.decide`` choosing between its answer and the
    lexicon's (the lexicon's act stands; the model types words said and what the lexicon left untyped)."""
    model = Softmax.fit(features([it.clause for it in train], False), [it.act for it in train], lexicon=False)
    acts = model.predict(features([it.clause for it in test], False))
    return [it.code(decide(it.clause, a)) for it, a in zip(test, acts)]  # as the product decides


def knn(k: int = 5) -> Variant:
    def run(train, test):
        a, b = (features([it.clause for it in items], False) for items in (train, test))
        a /= np.linalg.norm(a, axis=1, keepdims=True) + 1e-9
        b /= np.linalg.norm(b, axis=1, keepdims=True) + 1e-9
        out = []
        for it, row in zip(test, b @ a.T):
            votes: dict[str, float] = {}
            for j in np.argsort(-row)[:k]:
                votes[train[j].gold] = votes.get(train[j].gold, 0.0) + float(row[j])
            out.append(it.code(max(votes, key=votes.get)))
        return out
    return run


PRODUCT = "lexicon, else softmax"  # the variant storyline/annotate/plover.py uses
VARIANTS: dict[str, Variant] = {
    "lexicon": lexicon,
    "softmax, words only": softmax(False),
    "softmax, words only, types balanced": softmax(False, balanced=True),
    "softmax + lexicon answer": softmax(True),
    PRODUCT: lexicon_else_model,
    "5 nearest neighbours": knn(5),
}
# Variants whose PLOVER figure flatters them: the lexicon was written while reading that file.
SEES_LEXICON = {"lexicon", "softmax + lexicon answer", PRODUCT}


def folds_of(items: list[Item], k: int, seed: int = 17) -> list[int]:
    """A fold number per item: whole documents dealt round-robin after a seeded shuffle."""
    groups = sorted({it.group for it in items})
    random.Random(seed).shuffle(groups)
    fold_of = {g: n % k for n, g in enumerate(groups)}
    return [fold_of[it.group] for it in items]


def cross_predict(items: list[Item], variants: dict[str, Variant], k: int, extra: list[Item] = (),
                  seed: int = 17) -> dict[str, list[str]]:
    """Each variant's answer for every item, from a model trained without the item's fold (but with
    ``extra``, which should hold no document of ``items``)."""
    assignment = folds_of(items, k, seed)
    out = {name: [""] * len(items) for name in variants}
    for f in range(k):
        idx = [i for i, a in enumerate(assignment) if a == f]
        if not idx:
            continue
        test = [items[i] for i in idx]
        train = list(extra) + [it for it, a in zip(items, assignment) if a != f]
        for name, run in variants.items():
            for i, p in zip(idx, run(train, test)):
                out[name][i] = p
    return out


def accuracy(items: list[Item], predicted: list[str]) -> float:
    return sum(p == it.gold for p, it in zip(predicted, items)) / len(items) if items else 0.0


def cross_validate(items: list[Item], variants: dict[str, Variant], k: int, extra: list[Item] = (),
                   seed: int = 17) -> dict[str, float]:
    """Accuracy of each variant over all items, each scored by a model trained without its fold."""
    return {name: accuracy(items, p) for name, p in cross_predict(items, variants, k, extra, seed).items()}


def report(plover_path: str | Path, gold_path: str | Path, variants: dict[str, Variant] = VARIANTS,
           model: str | None = None) -> list[str]:
    """The cross-validation table: PLOVER sentences in 10 folds, event gold by article in 6 folds (with
    its figure on articles 13-24 apart, the half no typing rule was written from), each variant trained
    on the other folds, the other set and the seeds."""
    seeds = seed_items(model)
    plover = plover_items(plover_path, model)
    gold = gold_items(gold_path, model=model)
    first = {it.group for it in gold_items(gold_path, slice(0, 12), model=model)}
    pl = cross_predict(plover, variants, 10, seeds + gold)
    ev = cross_predict(gold, variants, 6, seeds + plover)
    late = [i for i, it in enumerate(gold) if it.group not in first]
    lines = [f"cross-validated type accuracy: PLOVER {len(plover)} sentences (10 folds), event gold "
             f"{len(gold)} events of {len({it.group for it in gold})} articles (6 folds by article)",
             f"{'variant':<38}{'PLOVER':>8}{'events':>8}{'13-24':>8}"]
    for name in variants:
        flag = "*" if name in SEES_LEXICON else " "
        lines.append(f"{name:<38}{accuracy(plover, pl[name]):>7.3f}{flag}{accuracy(gold, ev[name]):>8.3f}"
                     f"{accuracy([gold[i] for i in late], [ev[name][i] for i in late]):>8.3f}")
    lines.append("* uses the hand lexicon, written from the PLOVER file: its PLOVER figure is optimistic "
                 "(the lexicon's held-back figure was 0.601)")
    return lines


def fit(items: list[Item]) -> Softmax:
    """The product model (the PRODUCT variant) trained on every item given."""
    known = [it for it in items if it.act in LABELS]
    return Softmax.fit(features([it.clause for it in known], False), [it.act for it in known], lexicon=False)
