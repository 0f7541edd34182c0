"""ECB+ cross-document event coreference with gold mentions: the link stage's method against the same-lemma baseline.

    .venv/bin/python benchmarks/ecb.py [--corpus ../shared/data/ecbplus] [--fit]

Reads and parses every topic folder of the corpus once, clusters the
curated gold event mentions with the link stage's coreference
(``storyline.link.pairs``, fed by ``storyline.evaluate.ecb``) and with the
same-lemma baseline, and prints MUC, B3, CEAF-e and CoNLL F1 on the
development topics (2 5 12 18 21 23 34 35), on the training topics (the
others) and on all topics together, with mention and document counts and
times.  Not a test: it prints figures.

``--fit`` instead refits the model's learned parts on the training topics
only and writes them to ``storyline/data/coref_model.json``: the lexicon
(from all training topics), the logistic link weights (each training
topic's pairs described with a lexicon learned without that topic, so the
weights do not trust a lexicon that has seen the answers) and the link
threshold that gives the best CoNLL F1 on the training topics.  The
development topics play no part in it.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.annotate.arguments import stem  # noqa: E402
from storyline.evaluate import ecb  # noqa: E402
from storyline.link import pairs  # noqa: E402

MODEL_FILE = ROOT / "storyline" / "data" / "coref_model.json"

DEV_TOPICS = ("2", "5", "12", "18", "21", "23", "34", "35")
LINK_GRID = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


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


def topic_counts(mentions) -> tuple[Counter, Counter, Counter, Counter]:
    """Pair counts of one topic: (pairs, coreferent pairs) by stem pair and by repeated stem."""
    pair_n, pair_y, same_n, same_y = Counter(), Counter(), Counter(), Counter()
    stems = [stem(m.clues.lemma) for m in mentions]
    for i, a in enumerate(mentions):
        for k, b in enumerate(mentions[:i]):
            same = a.gold == b.gold
            if stems[i] == stems[k]:
                same_n[stems[i]] += 1
                same_y[stems[i]] += same
            else:
                key = tuple(sorted((stems[i], stems[k])))
                pair_n[key] += 1
                pair_y[key] += same
    return pair_n, pair_y, same_n, same_y


def learn_lexicon(counts, min_topics_pair: int = 2, min_rate_pair: float = 0.3, min_topics_repeat: int = 3,
                  smoothing: float = 10.0) -> tuple[frozenset, dict]:
    """Stem pairs that corefer, and how strongly a repeated stem signals coreference.

    ``counts`` holds one ``topic_counts`` per training topic.  A pair of
    different stems is kept when it corefers in at least two topics and in at
    least 30 % of the pairs where both occur in one topic: "kill" and
    "murder" pass, "say" and "tell" (the same verb used for many different
    statements) do not.  For a stem repeated inside at least three topics,
    the log-odds that two of its mentions corefer, pulled towards even odds.
    """
    pair_n, pair_y, same_n, same_y = Counter(), Counter(), Counter(), Counter()
    pair_topics, same_topics = Counter(), Counter()
    for pn, py, sn, sy in counts:
        pair_n.update(pn)
        pair_y.update(py)
        same_n.update(sn)
        same_y.update(sy)
        pair_topics.update(k for k, v in py.items() if v)
        same_topics.update(sn.keys())
    synonyms = frozenset(k for k in pair_n if pair_topics[k] >= min_topics_pair
                         and pair_y[k] / pair_n[k] >= min_rate_pair)
    prior = {}
    for s in same_n:
        if same_topics[s] >= min_topics_repeat:
            rate = (same_y[s] + smoothing * 0.5) / (same_n[s] + smoothing)
            prior[s] = round(math.log(rate / (1 - rate)), 3)
    return synonyms, prior


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


def fit(docs) -> pairs.LinkModel:
    train = [d for d in docs if d.topic not in DEV_TOPICS]
    topics = ecb.by_topic(train)
    counts = {t: topic_counts([m for d in ds for m in d.mentions]) for t, ds in topics.items()}
    rows, labels, held = [], [], {}
    for t, ds in topics.items():
        synonyms, prior = learn_lexicon([c for u, c in counts.items() if u != t])
        lex = pairs.LinkModel(synonyms, prior, {}, 0.0, 0.0)
        views = ecb.views(ds)
        sim = pairs.document_similarity({d.name: d.terms for d in ds})
        i, j = pairs.candidate_pairs(views, synonyms)
        gold = np.array([m.gold for d in ds for m in d.mentions], dtype=object)
        rows.append(pairs.pair_features(views, i, j, sim, lex))
        labels.append((gold[i] == gold[j]).astype(float))
        held[t] = lex
    x = np.concatenate(rows)
    w = _logistic(np.hstack([x, np.ones((len(x), 1))]), np.concatenate(labels))
    weights = {n: round(float(v), 3) for n, v in zip(pairs.FEATURES, w[:-1])}
    bias = round(float(w[-1]), 3)
    key = ecb.gold_clusters([m for d in train for m in d.mentions])
    best = None
    for threshold in LINK_GRID:
        response = []
        for t, ds in topics.items():
            lex = held[t]
            response.extend(ecb.cluster_topic(ds, pairs.LinkModel(lex.synonyms, lex.repeat_prior, weights, bias,
                                                                   threshold)))
        conll = ecb.scores(key, response)["conll_f1"]
        print(f"link threshold {threshold:.2f}: training CoNLL F1 {conll:.4f} "
              f"(each topic with a lexicon learned without it)")
        if best is None or conll > best[0]:
            best = (conll, threshold)
    synonyms, prior = learn_lexicon(counts.values())
    print(f"fitted on topics {' '.join(sorted(topics, key=int))}: {len(x)} candidate pairs, "
          f"best training CoNLL F1 {best[0]:.4f} at threshold {best[1]}")
    return pairs.LinkModel(synonyms, prior, weights, bias, best[1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/data/ecbplus"),
                    help="ECB+ folder with topic folders and ECBplus_coreference_sentences.csv")
    ap.add_argument("--fit", action="store_true", help="refit the learned constants on the training topics")
    ap.add_argument("--spacy-model", default=None)
    ap.add_argument("--cache", help="pickle of the parsed corpus: read it if present, else write it")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / ecb.SENTENCES_CSV).is_file():
        print(f"no ECB+ corpus at {corpus} (expected {ecb.SENTENCES_CSV} there); nothing to measure",
              file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.is_file():
        docs, skipped = pickle.loads(cache.read_bytes())
    else:
        docs, skipped = ecb.read_corpus(corpus, on_skip=lambda where, why: print(f"skipped {where}: {why}",
                                                                               file=sys.stderr))
        ecb.parse_documents(docs, args.spacy_model)
        if cache:
            cache.write_bytes(pickle.dumps((docs, skipped)))
    t_parse = time.perf_counter() - t0
    if args.fit:
        model = fit(docs)
        fields = model.as_json()
        MODEL_FILE.write_text("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in fields.items())
                              + "\n}\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE.relative_to(ROOT)}")
        return 0
    t1 = time.perf_counter()
    method = ecb.predict(docs)
    t_method = time.perf_counter() - t1
    baseline = ecb.same_lemma_baseline(docs)
    mentions = sum(len(d.mentions) for d in docs)
    print(f"ECB+ at {corpus}: {len(ecb.by_topic(docs))} topics, {len(docs)} documents, {mentions} curated "
          f"gold event mentions, {skipped} files skipped")
    report(docs, method, baseline)
    print("(the model's lexicon, weights and threshold were fitted on the training topics: their row is "
          "in-sample)")
    print(f"time: reading and parsing {t_parse:.1f} s, clustering {t_method:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
