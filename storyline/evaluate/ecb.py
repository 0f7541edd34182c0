"""ECB+ cross-document event coreference with gold mentions: reader, scorers, and the feed into the product.

``run`` reads an ECB+ corpus folder (topic folders of CAT XML files and
ECBplus_coreference_sentences.csv), takes the gold event mentions of the
curated sentences, clusters them across the documents of each topic and
writes the clusters; with ``score=True`` it also scores them against the
corpus's own chains with MUC, B3, CEAF-e and CoNLL F1.

No method lives here.  Each document is parsed as the annotate stage parses
an article, each gold mention is described by the same function the event
extractor uses on its triggers (``annotate.arguments.describe``), each
document gets the term counts the story stage gives an article
(``link.stories.features``), and a topic's mentions are clustered by the
link stage's own coreference (``link.pairs.cluster``) as one pile.  Gold
mentions carry no dates or places, so the link stage's constraints on
those never fire here: ECB+ measures the pair model and the clustering.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..annotate.arguments import NAMED, describe
from ..model import Clues
from ..link import pairs
from . import f1

SENTENCES_CSV = "ECBplus_coreference_sentences.csv"
EVENT_TAGS = ("ACTION_", "NEG_ACTION_")


# --------------------------------------------------------------------------- reading


@dataclass
class Mention:
    key: str                 # "<file name>:<m_id>", the id the output uses
    doc: str
    sentence: int
    tokens: tuple[int, ...]  # positions in Document.words
    gold: str                # chain id; a singleton gets an id of its own
    clues: Clues | None = None  # filled in by parsing


@dataclass
class Document:
    name: str
    topic: str
    words: list[str]
    sentence_of: list[int]   # ECB sentence number of each word
    mentions: list[Mention] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)  # the story stage's term counts, filled by parsing


def read_curated(path: str | Path) -> set[tuple[str, int]]:
    """(file name, sentence number) pairs the corpus authors checked for coreference.

    Mentions outside them were annotated unevenly, so scoring them would
    reward or punish a system for annotation gaps rather than for its links.
    """
    out = set()
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.add((f"{row['Topic'].strip()}_{row['File'].strip()}.xml", int(row["Sentence Number"])))
    return out


def read_document(path: str | Path, topic: str, curated: set[tuple[str, int]]) -> Document:
    """Words and curated gold event mentions of one CAT XML file.

    Gold chains come from CROSS_DOC_COREF (chain id = the relation's note,
    the instance id, shared by every document of the topic) and from
    INTRA_DOC_COREF, which the corpus uses for within-document chains that
    take part in no cross-document chain; a mention in neither is a
    singleton.  Raises ValueError or ET.ParseError on a broken file.
    """
    path = Path(path)
    root = ET.parse(path).getroot()
    name = path.name
    position, words, sentence_of = {}, [], []
    for tok in root.iter("token"):
        position[tok.get("t_id")] = len(words)
        words.append(tok.text or "")
        sentence_of.append(int(tok.get("sentence")))
    markables = root.find("Markables")
    if markables is None:
        raise ValueError("no <Markables> element")
    spans = {}
    for m in markables:
        if not m.tag.startswith(EVENT_TAGS):
            continue
        anchors = [a.get("t_id") for a in m.findall("token_anchor")]
        if not anchors:
            continue
        missing = [a for a in anchors if a not in position]
        if missing:
            raise ValueError(f"mention {m.get('m_id')} anchors unknown token {missing[0]}")
        spans[m.get("m_id")] = tuple(sorted(position[a] for a in anchors))
    chain = {}
    relations = root.find("Relations")
    for rel in relations if relations is not None else ():
        sources = [s.get("m_id") for s in rel.findall("source")]
        if rel.tag == "CROSS_DOC_COREF":
            chain_id = f"{topic}/{rel.get('note')}"
        elif rel.tag == "INTRA_DOC_COREF":
            chain_id = f"{name}/intra{rel.get('r_id')}"
        else:
            continue
        for s in sources:
            chain.setdefault(s, chain_id)
    doc = Document(name, topic, words, sentence_of)
    for m_id, toks in sorted(spans.items(), key=lambda kv: kv[1]):
        sents = {sentence_of[t] for t in toks}
        if not all((name, s) in curated for s in sents):
            continue
        doc.mentions.append(Mention(f"{name}:{m_id}", name, min(sents), toks, chain.get(m_id, f"{name}/{m_id}")))
    return doc


def _topic_key(p: Path):
    return (0, int(p.name)) if p.name.isdigit() else (1, p.name)


def _file_key(p: Path):
    nums = re.findall(r"\d+", p.name)
    return ([int(n) for n in nums], p.name)


def read_corpus(corpus_dir: str | Path, topics: Iterable[str] | None = None,
                on_skip: Callable[[str, str], None] | None = None) -> tuple[list[Document], int]:
    """Every readable document of every topic folder, and how many files were skipped."""
    corpus_dir = Path(corpus_dir)
    csv_path = corpus_dir / SENTENCES_CSV
    if not csv_path.is_file():
        raise ValueError(f"{corpus_dir}: no {SENTENCES_CSV} (the list of curated sentences)")
    curated = read_curated(csv_path)
    wanted = None if topics is None else {str(t) for t in topics}
    docs, skipped = [], 0
    folders = sorted((p for p in corpus_dir.iterdir() if p.is_dir() and any(p.glob("*.xml"))), key=_topic_key)
    for folder in folders:
        if wanted is not None and folder.name not in wanted:
            continue
        for path in sorted(folder.glob("*.xml"), key=_file_key):
            try:
                docs.append(read_document(path, folder.name, curated))
            except (ET.ParseError, ValueError, TypeError, OSError, UnicodeDecodeError) as exc:
                skipped += 1
                if on_skip:
                    on_skip(str(path), f"{type(exc).__name__}: {exc}")
    return docs, skipped


# --------------------------------------------------------------------------- scoring


def _clusters(partition: Iterable[Iterable[str]]) -> list[frozenset[str]]:
    return [frozenset(c) for c in partition if c]


def muc(key, response) -> tuple[float, float, float]:
    """Vilain et al. (1995): links kept, counted as the partitions a key chain is cut into.

    A mention missing from the other side counts as a part of its own, so
    the function also holds when key and response mention sets differ.
    """
    key, response = _clusters(key), _clusters(response)

    def recall(k_side, r_side):
        where = {m: i for i, c in enumerate(r_side) for m in c}
        num = den = 0
        for c in k_side:
            parts = {where.get(m, ("alone", m)) for m in c}
            num += len(c) - len(parts)
            den += len(c) - 1
        return num / den if den else 0.0

    r, p = recall(key, response), recall(response, key)
    return p, r, f1(p, r)


def b_cubed(key, response) -> tuple[float, float, float]:
    """Bagga & Baldwin (1998), mention-weighted, singletons included."""
    key, response = _clusters(key), _clusters(response)

    def recall(k_side, r_side):
        where = {m: c for c in r_side for m in c}
        total = sum(len(c) for c in k_side)
        got = sum(len(c & where[m]) / len(c) for c in k_side for m in c if m in where)
        return got / total if total else 0.0

    r, p = recall(key, response), recall(response, key)
    return p, r, f1(p, r)


def ceaf_e(key, response) -> tuple[float, float, float]:
    """Luo (2005), entity-based: best one-to-one alignment of chains under phi4."""
    from scipy.optimize import linear_sum_assignment

    key, response = _clusters(key), _clusters(response)
    if not key or not response:
        return 0.0, 0.0, 0.0
    where = {m: j for j, c in enumerate(response) for m in c}
    sim = np.zeros((len(key), len(response)))
    for i, c in enumerate(key):
        for m in c:
            j = where.get(m)
            if j is not None:
                sim[i, j] += 1
    sizes_k = np.array([len(c) for c in key], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in response], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    best = float(sim[rows, cols].sum())
    p, r = best / len(response), best / len(key)
    return p, r, f1(p, r)


def scores(key, response) -> dict:
    """MUC, B3 and CEAF-e precision, recall and F1, and CoNLL F1 (their F1s' mean)."""
    out = {}
    for name, fn in (("muc", muc), ("b3", b_cubed), ("ceaf_e", ceaf_e)):
        p, r, f = fn(key, response)
        out[name] = {"p": p, "r": r, "f1": f}
    out["conll_f1"] = sum(out[n]["f1"] for n in ("muc", "b3", "ceaf_e")) / 3
    return out


def gold_clusters(mentions: Iterable[Mention]) -> list[list[str]]:
    groups = defaultdict(list)
    for m in mentions:
        groups[m.gold].append(m.key)
    return list(groups.values())


# --------------------------------------------------------------------------- parsing

_HEAD_POS = {"VERB": 0, "NOUN": 1, "ADJ": 2, "PROPN": 3, "AUX": 4}


def parse_document(doc: Document, model: str | None = None) -> None:
    """Parse one document; give each mention its clues and the document its story terms.

    The text is the words joined by single spaces with the corpus's own
    sentence breaks, so each corpus word maps onto the spaCy tokens that
    overlap its characters whatever spaCy's tokenizer makes of it.  The
    parse itself is dropped.
    """
    from ..annotate import nlp
    from ..link import stories

    starts, offsets, pos = [], [], 0
    for i, w in enumerate(doc.words):
        if i == 0 or doc.sentence_of[i] != doc.sentence_of[i - 1]:
            starts.append(pos)
        offsets.append(pos)
        pos += len(w) + 1
    text = " ".join(doc.words)
    parsed = nlp.parse(text, starts, model)
    char_to_tok = np.full(len(text) + 1, -1, dtype=np.int64)
    for tok in parsed:
        char_to_tok[tok.idx:tok.idx + len(tok.text)] = tok.i
    spacy_of = [sorted({int(t) for t in char_to_tok[s:s + len(w)] if t >= 0}) for w, s in zip(doc.words, offsets)]
    for m in doc.mentions:
        m.clues = _clues(parsed, spacy_of, doc, m)
    sentences = [s.text for s in parsed.sents]
    names = [ent.text.lower() for ent in parsed.ents if ent.label_ in NAMED]
    doc.terms = stories.features(sentences[0] if sentences else "", sentences[1:1 + stories.LEAD_SENTENCES],
                                 names, stories.stop_words())


def _clues(parsed, spacy_of: list[list[int]], doc: Document, m: Mention) -> Clues:
    """The clues of a gold span, read from its head.

    The head is the span's token whose syntactic head lies outside the span
    ("checked" in "checked into"); a verb or noun wins over function words
    when a span has several such tokens.
    """
    toks = sorted({t for w in m.tokens for t in spacy_of[w]})
    if not toks:
        return Clues(" ".join(doc.words[w] for w in m.tokens).lower())
    inside = set(toks)
    tops = [t for t in toks if parsed[t].head.i not in inside or parsed[t].head.i == t] or toks
    head = parsed[min(tops, key=lambda t: (_HEAD_POS.get(parsed[t].pos_, 9), t))]
    return describe(head, inside)


def parse_documents(docs: list[Document], model: str | None = None) -> None:
    for doc in docs:
        parse_document(doc, model)


# --------------------------------------------------------------------------- clustering through the product


def views(docs: list[Document]) -> list[pairs.View]:
    """The link stage's view of each gold mention: clues and place in the text, no date or place."""
    return [pairs.View(m.key, d.name, f"{d.name}#{m.sentence}", m.clues or Clues(""))
            for d in docs for m in d.mentions]


def cluster_topic(docs: list[Document], model: pairs.LinkModel | None = None,
                  threshold: float | None = None) -> list[list[str]]:
    """Event clusters (mention keys) of one topic's documents, by the link stage's coreference."""
    vs = views(docs)
    labels = pairs.cluster(vs, pairs.document_similarity({d.name: d.terms for d in docs}), model, threshold)
    found = defaultdict(list)
    for v, g in zip(vs, labels):
        found[g].append(v.key)
    return list(found.values())


def same_lemma_baseline(docs: list[Document]) -> list[list[str]]:
    """The usual baseline: within a topic, mentions with the same head lemma are one event."""
    groups = defaultdict(list)
    for d in docs:
        for m in d.mentions:
            groups[(d.topic, m.clues.lemma if m.clues else "")].append(m.key)
    return list(groups.values())


def by_topic(docs: Iterable[Document]) -> dict[str, list[Document]]:
    out = defaultdict(list)
    for d in docs:
        out[d.topic].append(d)
    return dict(out)


def predict(docs: list[Document], model: pairs.LinkModel | None = None,
            threshold: float | None = None) -> list[list[str]]:
    """Clusters over all topics; each topic is one pile."""
    out = []
    for topic_docs in by_topic(docs).values():
        out.extend(cluster_topic(topic_docs, model, threshold))
    return out


# --------------------------------------------------------------------------- command


def run(corpus_dir: str | Path, output: str | Path, model: str | None = None, score: bool = False,
        on_skip: Callable[[str, str], None] | None = None) -> tuple[int, dict | None]:
    """Cluster a corpus's gold mentions, write them, and optionally score them.

    Returns (number of files skipped, scores or None).  The output names each
    mention "<file name>:<m_id>" and covers every curated gold mention of
    every document read.
    """
    docs, skipped = read_corpus(corpus_dir, on_skip=on_skip)
    if not docs:
        raise ValueError(f"{corpus_dir}: no readable topic folder of CAT XML files")
    parse_documents(docs, model)
    clusters = predict(docs)
    Path(output).write_text(json.dumps({"clusters": clusters}, ensure_ascii=False) + "\n", encoding="utf-8")
    if not score:
        return skipped, None
    mentions = [m for d in docs for m in d.mentions]
    result = scores(gold_clusters(mentions), clusters)
    result.update(documents=len(docs), mentions=len(mentions), topics=len(by_topic(docs)))
    return skipped, result
