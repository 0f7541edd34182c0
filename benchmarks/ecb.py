"""ECB+ cross-document event coreference with gold mentions: the method against the same-lemma baseline.

    .venv/bin/python benchmarks/ecb.py [--corpus ../shared/data/ecbplus] [--fit] [--layers 4]

Reads and parses every topic folder of the corpus once, clusters the
curated gold event mentions with ``storyline.evaluate.ecb`` and with the
same-lemma baseline, and prints MUC, B3, CEAF-e and CoNLL F1 on the
development topics (2 5 12 18 21 23 34 35), on the training topics (the
others) and on all topics together, with mention and document counts and
times.  Not a test: it prints figures.

``--fit`` instead refits the method's learned parts on the training topics
only and prints them as Python constants for ``storyline/evaluate/ecb.py``:
the lexicon (from all training topics), the logistic link weights (each
training topic's pairs described with a lexicon learned without that
topic, so the weights do not trust a lexicon that has seen the answers),
and the story and link thresholds that give the best CoNLL F1 on the
training topics.  The development topics play no part in it.

``--layers`` sets the encoder layers whose outputs, averaged, give the
mentions' word vectors, comma-separated, in place of ``ecb.CONTEXT_LAYERS``:
0 is the embedding output, 1 to 6 the layers, -1 the last (``--layers 6``
and ``--layers -1`` are the same).  Both outputs name the layers used.
With other layers the fitted constants no longer fit the vectors, so
compare layers with ``--fit``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.evaluate import ecb  # noqa: E402

DEV_TOPICS = ("2", "5", "12", "18", "21", "23", "34", "35")
STORY_GRID = (0.9, 0.92, 0.93, 0.94, 0.95)
LINK_GRID = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def _subset(docs, clusters, topics):
    docs = [d for d in docs if d.topic in topics]
    keys = {m.key for d in docs for m in d.mentions}
    response = [[k for k in c if k in keys] for c in clusters]
    mentions = [m for d in docs for m in d.mentions]
    return docs, mentions, ecb.gold_clusters(mentions), [c for c in response if c]


def report(docs, method, baseline) -> None:
    all_topics = {d.topic for d in docs}
    dev = set(DEV_TOPICS) & all_topics
    parts = [("development", dev), ("training", all_topics - dev), ("all", all_topics)]
    print(f"{'system':<12}{'topics':<13}{'docs':>5}{'mentions':>9}{'MUC':>8}{'B3':>8}{'CEAF-e':>8}{'CoNLL':>8}")
    for name, clusters in (("method", method), ("same-lemma", baseline)):
        for label, topics in parts:
            if not topics:
                continue
            sub_docs, mentions, key, response = _subset(docs, clusters, topics)
            s = ecb.scores(key, response)
            print(f"{name:<12}{label:<13}{len(sub_docs):>5}{len(mentions):>9}{s['muc']['f1']:>8.3f}"
                  f"{s['b3']['f1']:>8.3f}{s['ceaf_e']['f1']:>8.3f}{s['conll_f1']:>8.3f}")


# --------------------------------------------------------------------------- fitting


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, rounds: int = 30) -> np.ndarray:
    """Newton's method on the L2-penalised log-loss; the last column of ``x`` is the constant."""
    w = np.zeros(x.shape[1])
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _stories(topics, lexicons, story_threshold):
    """Per story of every training topic: its mentions, feature matrices and gold same-chain matrix."""
    out = []
    for t, docs in topics.items():
        for mentions, feats in ecb.story_features(docs, story_threshold, lexicons[t]):
            gold = np.array([m.gold for m in mentions], dtype=object)
            out.append((mentions, feats, (gold[:, None] == gold[None, :]).astype(float)))
    return out


def fit(docs) -> None:
    train = [d for d in docs if d.topic not in DEV_TOPICS]
    topics = ecb.by_topic(train)
    counts = {t: ecb.topic_counts([m for d in ds for m in d.mentions]) for t, ds in topics.items()}
    lexicons = {t: ecb.learn_lexicon([c for u, c in counts.items() if u != t]) for t in topics}
    key = ecb.gold_clusters([m for d in train for m in d.mentions])
    best = None
    for story_threshold in STORY_GRID:
        stories = _stories(topics, lexicons, story_threshold)
        names = list(stories[0][1])
        rows, labels = [], []
        for mentions, feats, gold in stories:
            upper = np.triu_indices(len(mentions), 1)
            rows.append(np.stack([feats[n][upper] for n in names], 1))
            labels.append(gold[upper])
        x = np.concatenate(rows)
        w = _logistic(np.hstack([x, np.ones((len(x), 1))]), np.concatenate(labels))
        weights, bias = dict(zip(names, w[:-1])), float(w[-1])
        for link_threshold in LINK_GRID:
            response = []
            for mentions, feats, _ in stories:
                response.extend(ecb.cluster_story(mentions, feats, weights, bias, link_threshold))
            conll = ecb.scores(key, response)["conll_f1"]
            print(f"story {story_threshold:.2f} link {link_threshold:.2f}: training CoNLL F1 {conll:.4f}",
                  file=sys.stderr)
            if best is None or conll > best[0]:
                best = (conll, story_threshold, link_threshold, weights, bias)
    conll, story_threshold, link_threshold, weights, bias = best
    synonyms, prior = ecb.learn_lexicon(counts.values())
    print(f"# fitted on topics {' '.join(sorted(topics, key=int))} with context layers {_layers()}; "
          f"training CoNLL F1 {conll:.4f}")
    print("SYNONYMS: frozenset[tuple[str, str]] = frozenset({")
    _wrap([f"({a!r}, {b!r})," for a, b in sorted(synonyms)])
    print("})")
    print("REPEAT_PRIOR: dict[str, float] = {")
    _wrap([f"{s!r}: {v}," for s, v in sorted(prior.items())])
    print("}")
    print("WEIGHTS: dict[str, float] = {")
    _wrap([f"{n!r}: {round(float(weights[n]), 3)}," for n in names])
    print("}")
    print(f"BIAS = {round(bias, 3)}\nSTORY_THRESHOLD = {story_threshold}\nLINK_THRESHOLD = {link_threshold}")
    print(f"CONTEXT_LAYERS = {tuple(ecb.CONTEXT_LAYERS)!r}")


def _layers() -> str:
    return ",".join(str(k) for k in ecb.CONTEXT_LAYERS)


def _layer_list(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(k) for k in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected comma-separated layer numbers, e.g. 4 or 4,6") from None


def _wrap(items, width=112):
    line = "   "
    for item in items:
        if len(line) + len(item) + 1 > width:
            print(line)
            line = "   "
        line += " " + item
    if line.strip():
        print(line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/data/ecbplus"),
                    help="ECB+ folder with topic folders and ECBplus_coreference_sentences.csv")
    ap.add_argument("--fit", action="store_true", help="refit the learned constants on the training topics")
    ap.add_argument("--spacy-model", default=None)
    ap.add_argument("--layers", type=_layer_list, default=None,
                    help="encoder layers for the word vectors, comma-separated: 0 the embedding output, "
                         "-1 the last (default: ecb.CONTEXT_LAYERS)")
    args = ap.parse_args()
    if args.layers is not None:
        ecb.CONTEXT_LAYERS = args.layers
    corpus = Path(args.corpus)
    if not (corpus / ecb.SENTENCES_CSV).is_file():
        print(f"no ECB+ corpus at {corpus} (expected {ecb.SENTENCES_CSV} there); nothing to measure",
              file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    docs, skipped = ecb.read_corpus(corpus, on_skip=lambda where, why: print(f"skipped {where}: {why}",
                                                                           file=sys.stderr))
    ecb.parse_documents(docs, args.spacy_model)
    t_parse = time.perf_counter() - t0
    if args.fit:
        fit(docs)
        return 0
    t1 = time.perf_counter()
    method = ecb.predict(docs)
    t_method = time.perf_counter() - t1
    baseline = ecb.same_lemma_baseline(docs)
    mentions = sum(len(d.mentions) for d in docs)
    print(f"ECB+ at {corpus}: {len(ecb.by_topic(docs))} topics, {len(docs)} documents, {mentions} curated "
          f"gold event mentions, {skipped} files skipped")
    print(f"word vectors from encoder layers {_layers()} (0 the embedding output, -1 the last)")
    report(docs, method, baseline)
    print("(the method's lexicon, weights and thresholds were fitted on the training topics: their row is "
          "in-sample)")
    print(f"time: reading and parsing {t_parse:.1f} s, clustering {t_method:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
