"""A learned clause typer: softmax regression over word vectors of the clause's key words.

The hand lexicon (``plover``) names a type only for the words it lists.  This
model reads the same clause as the lexicon (the trigger word that decided the
type, and the content words of the clause the trigger heads) through the
sentence encoder of ``embed``, so a word it was never shown ("pounded",
"shelled", "lambasted") lands near the words it was.  Each lemma is encoded
alone, once per process, so typing costs a table look-up per word after the
first sight of it; no clause is run through the encoder in context.

Features of a clause: the trigger's vector and the mean vector of its context
words (the lexicon's answer may be added as a one-hot, a variant the
cross-validation compares).  Where the lexicon names an act, its answer
stands (``decide``); the model types the rest.  The weights are data (``storyline/data/plover_typer.npz``),
fitted by ``benchmarks/plover.py --fit``; ``storyline.evaluate.typing``
cross-validates the recipe.

Labels are the PLOVER 0.5 types plus STATEMENT: ACCUSE is folded into
DISAPPROVE and REQUEST into DEMAND, as both gold sets score them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..data import lists
from . import embed

LABELS = ("AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE",
          "FIGHT", "INVESTIGATE", "MOBILIZE", "PROTEST", "REJECT", "RETREAT", "SANCTION", "STATEMENT",
          "SUPPORT", "THREATEN")
FOLD = {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND"}
MODEL_FILE = "plover_typer.npz"
_CONTENT = {"NOUN", "VERB", "ADJ", "ADV"}
_MAX_CONTEXT = 12
# Chosen by cross-validation on the event gold (benchmarks/plover.py): balancing the types helps on
# PLOVER's file, which has no STATEMENT, and hurts on news, where statements are the commonest act.
L2 = 0.3
LEXICON_WEIGHT = 10.0
BALANCED = False


# Words whose clause says something (reporting verbs and speech nouns, annotate_words.tsv): a statement
# the lexicon made of one may still be an act the model names ("said Russia had lied" accuses).
_SAYING = frozenset(w for name in ("reporting_verb", "speech_noun") for w in lists("annotate_words.tsv")[name])


def fold(kind: str | None) -> str | None:
    return FOLD.get(kind, kind) if kind else kind


@dataclass
class Clause:
    """What the typer reads of one clause: lemmas, and the lexicon's answer (None if it had none)."""

    trigger: str
    context: tuple[str, ...]
    lexicon: str | None = None


def clause_of(trigger, verb, lexicon: str | None = None) -> Clause:
    """The trigger's lemma and the content lemmas of the clause ``verb`` heads, nearest the trigger first."""
    words = [t for t in verb.subtree if t.pos_ in _CONTENT and t.i != trigger.i and t.is_alpha and not t.is_stop]
    words.sort(key=lambda t: abs(t.i - trigger.i))
    return Clause(trigger.lemma_.lower(), tuple(t.lemma_.lower() for t in words[:_MAX_CONTEXT]), fold(lexicon))


# -- word vectors ------------------------------------------------------------

_VECTORS: dict[str, np.ndarray] = {}


def word_vectors(lemmas) -> dict[str, np.ndarray]:
    """Each lemma's vector: the mean of the encoder's input embeddings of its word pieces, unit length.

    No transformer layer is run: a table look-up per piece, so typing adds next to nothing to a build.
    """
    new = [w for w in set(lemmas) if w not in _VECTORS]
    if new:
        enc = embed.load()
        table = enc.w["embeddings.word_embeddings.weight"]
        for w in new:
            ids = [p for piece in embed.basic_split(w) for p in enc.vocab._piece_ids(piece)] or [enc.vocab.unk]
            v = np.asarray(table[ids], dtype=np.float32).mean(0)
            _VECTORS[w] = v / max(float(np.linalg.norm(v)), 1e-12)
    return {w: _VECTORS[w] for w in lemmas}


def features(clauses: list[Clause], lexicon: bool = True) -> np.ndarray:
    """One row per clause: trigger vector, mean context vector, and (if ``lexicon``) the lexicon one-hot."""
    vec = word_vectors({w for c in clauses for w in (c.trigger, *c.context)})
    width = len(next(iter(vec.values()))) if vec else 384
    rows = []
    for c in clauses:
        ctx = np.mean([vec[w] for w in c.context], axis=0) if c.context else np.zeros(width, np.float32)
        parts = [vec[c.trigger], ctx]
        if lexicon:
            hot = np.zeros(len(LABELS) + 1, np.float32)
            hot[LABELS.index(c.lexicon) if c.lexicon in LABELS else len(LABELS)] = 1.0
            parts.append(hot)
        rows.append(np.concatenate(parts))
    return np.array(rows, dtype=np.float32).reshape(len(clauses), -1)


# -- the model -----------------------------------------------------------------


@dataclass
class Softmax:
    """Multinomial logistic regression on standardised features."""

    weights: np.ndarray  # (features, labels)
    bias: np.ndarray     # (labels,)
    mean: np.ndarray
    scale: np.ndarray
    labels: tuple[str, ...]
    lexicon: bool = True  # whether the features carry the lexicon's answer

    @classmethod
    def fit(cls, x: np.ndarray, y: list[str], labels=LABELS, lexicon: bool = True, l2: float = L2,
            weight: float = LEXICON_WEIGHT, balanced: bool = BALANCED, steps: int = 300,
            rate: float = 0.05) -> "Softmax":
        """Full-batch Adam on the mean cross-entropy plus ``l2`` times the squared weights.

        Word-vector columns are standardised; the lexicon's one-hot columns (the last ones, when
        ``lexicon``) are kept as they are, times ``weight``: one strong column, not many weak ones.
        With ``balanced``, each type weighs the same in the loss however many examples it has.
        """
        mean, scale = x.mean(0), x.std(0) + 1e-3
        if lexicon:
            hot = len(LABELS) + 1
            mean[-hot:], scale[-hot:] = 0.0, 1.0 / weight
        z = (x - mean) / scale
        index = {lab: k for k, lab in enumerate(labels)}
        target = np.zeros((len(y), len(labels)), np.float32)
        target[np.arange(len(y)), [index[v] for v in y]] = 1.0
        counts = target.sum(0)
        share = target @ (len(y) / (len(labels) * np.maximum(counts, 1))) if balanced else np.ones(len(y))
        share = (share / share.sum()).astype(np.float32)[:, None]
        w = np.zeros((x.shape[1], len(labels)), np.float32)
        b = np.zeros(len(labels), np.float32)
        m = [np.zeros_like(w), np.zeros_like(b)]
        v = [np.zeros_like(w), np.zeros_like(b)]
        for step in range(1, steps + 1):
            p = _softmax(z @ w + b)
            err = (p - target) * share
            grads = [z.T @ err + 2 * l2 * w, err.sum(0)]
            for k, (param, g) in enumerate(zip((w, b), grads)):
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                param -= rate * (m[k] / (1 - 0.9 ** step)) / (np.sqrt(v[k] / (1 - 0.999 ** step)) + 1e-8)
        return cls(w, b, mean.astype(np.float32), scale.astype(np.float32), tuple(labels), lexicon)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return _softmax(((x - self.mean) / self.scale) @ self.weights + self.bias)

    def predict(self, x: np.ndarray) -> list[str]:
        return [self.labels[k] for k in self.probabilities(x).argmax(1)] if len(x) else []

    def save(self, path) -> None:
        np.savez_compressed(path, weights=self.weights.astype(np.float16), bias=self.bias, mean=self.mean,
                            scale=self.scale, labels=np.array(self.labels), lexicon=np.array(self.lexicon))

    @classmethod
    def read(cls, path) -> "Softmax":
        with np.load(path) as f:
            return cls(f["weights"].astype(np.float32), f["bias"], f["mean"], f["scale"],
                       tuple(str(s) for s in f["labels"]), bool(f["lexicon"]))


def _softmax(a: np.ndarray) -> np.ndarray:
    a = np.exp(a - a.max(1, keepdims=True))
    return a / a.sum(1, keepdims=True)


@lru_cache(maxsize=1)
def load() -> Softmax | None:
    """The shipped model, or None when it or the sentence encoder is not installed."""
    path = resources.files("storyline.data").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    try:
        embed.model_dir()
    except embed.ModelMissing:
        return None
    with resources.as_file(path) as p:
        return Softmax.read(p)


def decide(clause: Clause, learned: str) -> str:
    """The type of a clause given the lexicon's answer (``clause.lexicon``) and the model's.

    The lexicon's act stands where it names one: a listed word is a definition ("sent help" is aid,
    whatever words stand near it), and so is a statement a rule made of a word that is no saying
    ("agreed with that assessment").  The model types words said ("said Russia had lied") and what
    the lexicon did not type, where no listed word decides.  Cross-validation on both gold sets chose
    this order over letting the model overrule the lexicon (benchmarks/plover.py).
    """
    if clause.lexicon not in (None, "STATEMENT"):
        return clause.lexicon
    if clause.lexicon == "STATEMENT" and clause.trigger not in _SAYING:
        return clause.lexicon
    return learned


def predict(clauses: list[Clause], model: Softmax | None = None) -> list[str | None]:
    """The type of each clause (folded labels): the model's, as ``decide`` admits it; None for each
    when no model is installed."""
    model = model or load()
    if model is None or not clauses:
        return [None] * len(clauses)
    return [decide(c, m) for c, m in zip(clauses, model.predict(features(clauses, model.lexicon)))]
