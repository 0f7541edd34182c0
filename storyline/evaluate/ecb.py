"""ECB+ cross-document event coreference with gold mentions.

``run`` reads an ECB+ corpus folder (topic folders of CAT XML files and
ECBplus_coreference_sentences.csv), takes the gold event mentions of the
curated sentences, clusters them across the documents of each topic and
writes the clusters; with ``score=True`` it also scores them against the
corpus's own chains with MUC, B3, CEAF-e and CoNLL F1.

The system sees only the words and the mention spans.  Each topic folder
mixes two real-world events of the same kind, so it first groups the
documents into stories by what they talk about (``story_clusters``, the same
job the product does for a pile of articles), then links mentions inside a
story with a small logistic model over lexical and contextual evidence and
closes the links with average-linkage clustering.  The model's lexicon
(lemma pairs that corefer, and how often a repeated lemma corefers), its
weights and its two thresholds were fitted on training topics only; see
``benchmarks/ecb.py --fit``, which recomputes them.
"""

from __future__ import annotations

import csv
import json
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

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
    # Filled in by parsing:
    lemma: str = ""          # lowercased spaCy lemma of the head token
    stem: str = ""
    context: np.ndarray | None = None  # unit vector of the mention's words read in their sentence (MiniLM)
    sentence_vector: np.ndarray | None = None  # unit sentence embedding of the mention's sentence (MiniLM)
    names: frozenset[str] = frozenset()  # name lemmas elsewhere in the sentence
    agents: frozenset[str] = frozenset()   # words of the head's subject (who did it)
    patients: frozenset[str] = frozenset() # words of its object, or passive subject (to whom or what)
    others: frozenset[str] = frozenset()   # words of its prepositional objects (where, when, what else)


@dataclass
class Document:
    name: str
    topic: str
    words: list[str]
    sentence_of: list[int]   # ECB sentence number of each word
    mentions: list[Mention] = field(default_factory=list)
    bag: Counter = field(default_factory=Counter)  # weighted terms for story clustering, filled by parsing


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

# Entity labels whose tokens name a participant, place or organisation.
NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
NUMERIC = {"CARDINAL", "QUANTITY", "MONEY", "ORDINAL", "PERCENT"}
_HEAD_POS = {"VERB": 0, "NOUN": 1, "ADJ": 2, "PROPN": 3, "AUX": 4}


def parse_document(doc: Document, model: str | None = None) -> None:
    """Parse one document and keep only what clustering needs (the parse itself is dropped).

    The text is the words joined by single spaces with the corpus's own
    sentence breaks, so each corpus word maps onto the spaCy tokens that
    overlap its characters whatever spaCy's tokenizer makes of it.
    """
    from ..annotate import nlp

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
        _describe(parsed, spacy_of, doc, m)
    doc.bag = story_bag(parsed)
    _embed(doc)


CONTEXT_LAYERS = (4,)


def _embed(doc: Document) -> None:
    """Each mention's words and sentence as the sentence encoder reads them."""
    from ..annotate import embed

    numbers = sorted({m.sentence for m in doc.mentions})
    if not numbers:
        return
    words = defaultdict(list)  # sentence number -> positions of its words, in order
    for i, s in enumerate(doc.sentence_of):
        words[s].append(i)
    encoded = dict(zip(numbers, embed.load().encode([[doc.words[i] for i in words[s]] for s in numbers],
                                                    CONTEXT_LAYERS)))
    for m in doc.mentions:
        enc = encoded[m.sentence]
        first = words[m.sentence][0]
        vec = enc.words[[t - first for t in m.tokens if doc.sentence_of[t] == m.sentence]].mean(0)
        norm = float(np.linalg.norm(vec))
        m.context = vec / norm if norm else None
        m.sentence_vector = enc.sentence


def _describe(parsed, spacy_of: list[list[int]], doc: Document, m: Mention) -> None:
    """Head lemma, names and arguments of a mention.

    The head is the span's token whose syntactic head lies outside the span
    ("checked" in "checked into"); a verb or noun wins over function words
    when a span has several such tokens.
    """
    toks = sorted({t for w in m.tokens for t in spacy_of[w]})
    if not toks:
        m.lemma = " ".join(doc.words[w] for w in m.tokens).lower()
        m.stem = stem(m.lemma)
        return
    inside = set(toks)
    tops = [t for t in toks if parsed[t].head.i not in inside or parsed[t].head.i == t] or toks
    head = parsed[min(tops, key=lambda t: (_HEAD_POS.get(parsed[t].pos_, 9), t))]
    m.lemma = (head.lemma_ or head.text).lower()
    m.stem = stem(m.lemma)
    m.names = frozenset(t.lemma_.lower() for t in head.sent
                        if t.i not in inside and not t.is_stop and not t.is_punct
                        and (t.ent_type_ in NAMED or t.pos_ == "PROPN"))
    m.agents, m.patients, m.others = _arguments(head)


def _arguments(head) -> tuple[frozenset, frozenset, frozenset]:
    """Content words of the head's subject, object and prepositional objects.

    A name stands for all its words ("Maurice Cheeks" gives "maurice" and
    "cheeks", so a later "Cheeks" matches); pronouns give nothing, since
    "he" may be anyone.  A verb without a subject of its own takes the one
    of the verb it is coordinated with ("fired O'Brien and hired Cheeks"),
    and a participle modifying a noun takes that noun ("the man killed").
    """
    agents, patients, others = set(), set(), set()

    def words(tok) -> set[str]:
        if tok.pos_ in ("PRON", "DET") or tok.is_stop:
            return set()
        for ent in tok.sent.ents:
            if ent.start <= tok.i < ent.end:
                return {t.lemma_.lower() for t in ent if not t.is_stop and not t.is_punct}
        return {tok.lemma_.lower()} | {c.lemma_.lower() for c in tok.children if c.dep_ == "compound"}

    for c in head.children:
        if c.dep_ in ("nsubj", "csubj") or (c.dep_ == "poss" and head.pos_ == "NOUN"):
            agents |= words(c)
        elif c.dep_ == "agent":
            agents |= set().union(*(words(g) for g in c.children if g.dep_ == "pobj"))
        elif c.dep_ in ("nsubjpass", "dobj", "obj", "dative", "attr", "oprd"):
            patients |= words(c)
        elif c.dep_ == "prep":
            others |= set().union(*(words(g) for g in c.children if g.dep_ == "pobj"))
    if not agents and head.dep_ in ("conj", "xcomp", "advcl"):
        for c in head.head.children:
            if c.dep_ == "nsubj":
                agents |= words(c)
    if head.dep_ in ("acl", "relcl"):
        (patients if head.tag_ == "VBN" else agents).update(words(head.head))
    return frozenset(agents), frozenset(patients), frozenset(others)


def parse_documents(docs: list[Document], model: str | None = None) -> None:
    for doc in docs:
        parse_document(doc, model)


def stem(lemma: str) -> str:
    """A crude suffix stripper that makes "shooting"/"shoot" and "dies"/"die" meet.

    spaCy lemmatises headline words and gerunds unevenly ("Checks" stays
    "checks"); stripping a few inflectional endings evens that out.  It
    over-strips ("fire" -> "fir"), which does no harm to a key that is only
    ever compared with other keys made the same way.
    """
    w = lemma.lower()
    for suffix in ("ings", "ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[:-len(suffix)]
    return w


# --------------------------------------------------------------------------- stories

STORY_LEAD = 3          # the headline and lead sentences count twice ...
STORY_LEAD_WEIGHT = 2.0
STORY_WEIGHTS = {"name": 1.0, "number": 1.0, "word": 0.5}  # ... and names weigh more than common words
IDF_FLOOR = 0.1         # a term every article uses still counts a little, so one shared story is not shattered
STORY_THRESHOLD = 0.94  # cosine distance at which average linkage stops merging documents (fitted)


def story_bag(parsed) -> Counter:
    """Weighted terms of a parsed article for telling its story apart from others on the same subject.

    Two stories of the same kind (two rehab check-ins, two earthquakes)
    share their event words, so names and numbers carry more weight than
    ordinary words, and the headline and lead, where an article names its
    event, count twice.  Dates are left out: "Friday" and "this year" are
    said of every story.  A sentence that is a web address is skipped.
    """
    raw, k = Counter(), 0
    for sent in parsed.sents:
        if sent[0].lower_ in ("http", "https", "www"):
            continue
        lead = STORY_LEAD_WEIGHT if k < STORY_LEAD else 1.0
        k += 1
        for t in sent:
            if t.is_stop or t.is_punct or t.is_space:
                continue
            lemma = t.lemma_.lower()
            if t.ent_type_ in NAMED or t.pos_ == "PROPN":
                raw[("name", lemma)] += lead
            elif t.ent_type_ in ("DATE", "TIME"):
                continue
            elif t.like_num or t.ent_type_ in NUMERIC:
                raw[("number", lemma)] += lead
            elif t.pos_ in ("NOUN", "VERB", "ADJ", "ADV"):
                raw[("word", lemma)] += lead
    return Counter({f"{kind}:{w}": STORY_WEIGHTS[kind] * (1 + math.log(c)) for (kind, w), c in raw.items()})


def tfidf(bags: list[Counter]) -> np.ndarray:
    """Unit rows of term weight x inverse document frequency within the given bags.

    The frequencies are counted inside the collection being clustered, so
    what every article of a topic says ("rehab", "climber") weighs little
    and what sets stories apart weighs most.  Being relative to the
    collection, this needs several articles: two articles alone share only
    words that, to it, say nothing.
    """
    df = Counter(w for b in bags for w in b)
    vocab = {w: i for i, w in enumerate(df)}
    n = len(bags)
    x = np.zeros((n, len(vocab)))
    for i, b in enumerate(bags):
        for w, v in b.items():
            x[i, vocab[w]] = v * (math.log((1 + n) / (1 + df[w])) + IDF_FLOOR)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def story_clusters(bags: list[Counter], threshold: float = STORY_THRESHOLD) -> tuple[np.ndarray, np.ndarray]:
    """Group articles into stories: (a story label per article, the article-by-article cosine matrix).

    Average-linkage clustering of TF-IDF vectors, cut where the average
    cosine distance between two groups exceeds ``threshold``; then each
    article moves to the story it is on average closest to, until nothing
    moves, which mends articles that linkage attached early to the wrong
    group.  Usable on any list of bags (``story_bag`` makes them).
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(bags)
    if n == 0:
        return np.zeros(0, dtype=int), np.zeros((0, 0))
    x = tfidf(bags)
    sim = x @ x.T
    if n == 1:
        return np.zeros(1, dtype=int), sim
    dist = np.clip(1 - sim, 0, 2)
    np.fill_diagonal(dist, 0)
    labels = fcluster(linkage(squareform(dist, checks=False), method="average"), threshold, criterion="distance")
    return _reassign(sim, np.asarray(labels) - 1), sim


def _reassign(sim: np.ndarray, labels: np.ndarray, rounds: int = 10) -> np.ndarray:
    for _ in range(rounds):
        ids = np.unique(labels)
        if len(ids) < 2:
            break
        closeness = np.full((len(labels), len(ids)), -1.0)
        for k, c in enumerate(ids):
            members = labels == c
            others = members.sum() - members        # the group's size without the article itself
            total = sim[:, members].sum(1) - np.where(members, np.diag(sim), 0)
            closeness[:, k] = np.where(others > 0, total / np.maximum(others, 1), -1.0)
        moved = ids[closeness.argmax(1)]
        if (moved == labels).all():
            break
        labels = moved
    _, labels = np.unique(labels, return_inverse=True)
    return labels


# --------------------------------------------------------------------------- lexicon

# Learned from the gold chains of the training topics (1-35 without the
# development topics 2 5 12 18 21 23 34 35) by ``learn_lexicon``; regenerate
# with ``benchmarks/ecb.py --fit``.
SYNONYMS: frozenset[tuple[str, str]] = frozenset({
    ('accus', 'charg'), ('battl', 'protest'), ('battl', 'riot'), ('beat', 'victory'), ('beat', 'win'),
    ('blaz', 'fir'), ('damag', 'devastat'), ('dead', 'die'), ('dead', 'kill'), ('dead', 'murder'),
    ('death', 'die'), ('death', 'kill'), ('defeat', 'win'), ('demonstration', 'protest'), ('destroy', 'rip'),
    ('die', 'kill'), ('die', 'murder'), ('discover', 'find'), ('hit', 'strik'), ('injur', 'injury'),
    ('injur', 'wound'), ('kill', 'murder'), ('kill', 'slay'), ('mark', 'record'), ('mov', 'transfer'),
    ('murder', 'slay'), ('rampag', 'shoot'), ('shoot', 'shot'), ('victory', 'win'),
})
REPEAT_PRIOR: dict[str, float] = {
    'accord': -0.405, 'accus': -0.498, 'announc': -0.47, 'arrest': 1.326, 'attack': -0.036, 'break': 1.283,
    'charg': 0.373, 'cut': 0.202, 'damag': 1.127, 'dead': 1.012, 'death': -0.095, 'decid': 1.099, 'die': 0.322,
    'find': 0.825, 'fir': 0.112, 'gam': 1.856, 'go': -0.629, 'help': -0.811, 'history': 0.167, 'hit': 0.58,
    'injur': -0.047, 'kill': 0.26, 'lead': -0.693, 'mak': 0.163, 'murder': 0.805, 'pas': -0.534, 'play': -1.216,
    'report': -1.459, 'return': 1.253, 'say': -1.454, 'set': -0.034, 'shoot': 0.264, 'strik': -0.201,
    'suffer': 1.427, 'tak': -0.606, 'tell': -1.281, 'trial': 0.432, 'victory': 0.312, 'win': -0.66,
}


def topic_counts(mentions: list[Mention]) -> tuple[Counter, Counter, Counter, Counter]:
    """Pair counts of one topic for ``learn_lexicon``: (pairs, coreferent pairs) by stem pair and by repeated stem."""
    pair_n, pair_y, same_n, same_y = Counter(), Counter(), Counter(), Counter()
    for i, a in enumerate(mentions):
        for b in mentions[:i]:
            same = a.gold == b.gold
            if a.stem == b.stem:
                same_n[a.stem] += 1
                same_y[a.stem] += same
            else:
                key = tuple(sorted((a.stem, b.stem)))
                pair_n[key] += 1
                pair_y[key] += same
    return pair_n, pair_y, same_n, same_y


def learn_lexicon(counts: Iterable[tuple[Counter, Counter, Counter, Counter]], min_topics_pair: int = 2,
                  min_rate_pair: float = 0.3, min_topics_repeat: int = 3,
                  smoothing: float = 10.0) -> tuple[frozenset, dict]:
    """Stem pairs that corefer, and how strongly a repeated stem signals coreference.

    ``counts`` holds one ``topic_counts`` per training topic.  A pair of
    different stems is kept when it corefers in at least two topics and in at
    least 30 % of the pairs where both occur in one topic: "kill" and
    "murder" pass, "say" and "tell" (the same verb used for many different
    statements) do not.  For a stem repeated inside at least three topics,
    the log-odds that two of its mentions corefer, pulled towards even odds:
    "say" gets a low value, "arrest" a high one.
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


# --------------------------------------------------------------------------- linking

# Logistic weights of the link model and the average-linkage cut, fitted on the
# same training topics (each topic's pairs described with a lexicon learned
# without that topic); with STORY_THRESHOLD they gave the best training CoNLL
# F1 of the grid, 0.790.  Regenerate with ``benchmarks/ecb.py --fit``.
WEIGHTS: dict[str, float] = {
    'lemma': 2.061, 'stem': 1.794, 'synonym': 2.769, 'prefix': 0.484, 'repeat_prior': 1.05,
    'same_sentence': -1.484, 'lexical*doc_sim': 2.672, 'lexical*names': 0.174, 'lexical*same_doc': -1.547,
    'patient_share': 0.693, 'agent_and_patient_share': 0.917, 'lexical*argument_conflict': -0.186,
    'argument_share': 0.898, 'context': 9.507, 'lexical*context': -2.856, 'sentence': -0.717,
}
BIAS = -6.43
LINK_THRESHOLD = 0.6


def pair_features(mentions: list[Mention], doc_of: np.ndarray, doc_sim: np.ndarray,
                  synonyms: frozenset = SYNONYMS, prior: dict | None = None) -> dict[str, np.ndarray]:
    """Mention-by-mention evidence matrices for the link model.

    ``mentions`` (not empty) are one story's; ``doc_of`` gives each one's
    article as an index into the article-by-article ``doc_sim``.

    Lexical: the same head lemma, the same stem, a learned synonym, a shared
    long prefix (derivations: "nominate"/"nominee"), and the learned odds
    that a repeated stem corefers.  Meaning: the cosine of the two mentions'
    words as the sentence encoder reads them in their sentences, which
    relates different words for one happening ("awards" and "Oscars") and
    tells one word's senses apart, and of the two sentences' embeddings.
    Context: the two articles' similarity, shared names in the two
    sentences, being in one sentence or one article.  Arguments: shared
    words in the subjects and objects ("fired Cheeks" and "dismissed Cheeks"
    are one event, "fired Cheeks" and "fired O'Brien" two), or arguments
    with nothing in common.  Context mostly matters for lexically matched
    pairs, so it enters multiplied by the lexical match; two mentions of one
    sentence are rarely the same event.
    """
    prior = REPEAT_PRIOR if prior is None else prior
    n = len(mentions)
    lemmas = np.array([m.lemma for m in mentions], dtype=object)
    stems = np.array([m.stem for m in mentions], dtype=object)
    same_lemma = (lemmas[:, None] == lemmas[None, :]).astype(float)
    same_stem = (stems[:, None] == stems[None, :]).astype(float)
    kinds = sorted(set(stems))
    index = {s: i for i, s in enumerate(kinds)}
    syn_k = np.array([[float(tuple(sorted((a, b))) in synonyms) for b in kinds] for a in kinds])
    lem_kinds = sorted(set(lemmas))
    lindex = {s: i for i, s in enumerate(lem_kinds)}
    pref_k = np.array([[_prefix_share(a, b) for b in lem_kinds] for a in lem_kinds])
    si = np.array([index[s] for s in stems], dtype=int)
    li = np.array([lindex[s] for s in lemmas], dtype=int)
    syn = syn_k[si][:, si] * (1 - same_stem)
    pref = pref_k[li][:, li] * (1 - same_stem) * (1 - syn)
    lexical = np.maximum.reduce([same_lemma, same_stem, syn])
    repeat = np.array([prior.get(s, 0.0) for s in stems])
    context = _cosines([m.context for m in mentions])
    sent_sim = _cosines([m.sentence_vector for m in mentions])
    off = 1 - np.eye(n)  # a mention is not compared with itself: 0 on the diagonal
    inter, size = _shared_words([m.names for m in mentions])
    full = (size[:, None] > 0) & (size[None, :] > 0)
    names = np.where(full, inter / np.maximum(size[:, None] + size[None, :] - inter, 1), 0.0) * off  # Jaccard
    sentence = np.array([f"{m.doc}#{m.sentence}" for m in mentions], dtype=object)
    agent_share = (_shared_words([m.agents for m in mentions])[0] > 0) * off
    patient_share = (_shared_words([m.patients for m in mentions])[0] > 0) * off
    inter, size = _shared_words([m.agents | m.patients | m.others for m in mentions])
    shared = (inter > 0) * off
    conflict = ((size[:, None] > 0) & (size[None, :] > 0) & (inter == 0)) * off
    return {
        "lemma": same_lemma,
        "stem": same_stem * (1 - same_lemma),
        "synonym": syn,
        "prefix": pref,
        "repeat_prior": same_stem * repeat[:, None],
        "same_sentence": (sentence[:, None] == sentence[None, :]).astype(float),
        "lexical*doc_sim": lexical * doc_sim[doc_of][:, doc_of],
        "lexical*names": lexical * names,
        "lexical*same_doc": lexical * (doc_of[:, None] == doc_of[None, :]),
        "patient_share": patient_share,
        "agent_and_patient_share": agent_share * patient_share,
        "lexical*argument_conflict": lexical * conflict,
        "argument_share": shared,
        "context": context,
        "lexical*context": lexical * context,
        "sentence": sent_sim,
    }


def _shared_words(sets: list[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """How many words each two of the sets share, and each set's size (from a 0/1 set-by-word matrix)."""
    vocab: dict[str, int] = {}
    x = np.zeros((len(sets), len({w for s in sets for w in s})))
    for i, s in enumerate(sets):
        x[i, [vocab.setdefault(w, len(vocab)) for w in s]] = 1
    return x @ x.T, x.sum(1)


def _cosines(vectors: list[np.ndarray | None]) -> np.ndarray:
    """Pairwise cosines of unit vectors; 0 where a vector is missing."""
    n = len(vectors)
    dim = next((len(v) for v in vectors if v is not None), 1)
    x = np.array([v if v is not None else np.zeros(dim) for v in vectors]).reshape(n, dim)
    return x @ x.T


def _prefix_share(a: str, b: str) -> float:
    """Share of the longer word covered by a common prefix of at least four letters."""
    k = 0
    for x, y in zip(a, b):
        if x != y:
            break
        k += 1
    return k / max(len(a), len(b)) if k >= 4 and a != b else 0.0


def link_probabilities(features: dict[str, np.ndarray], weights: dict[str, float] | None = None,
                       bias: float | None = None) -> np.ndarray:
    weights = WEIGHTS if weights is None else weights
    bias = BIAS if bias is None else bias
    z = sum(w * features[name] for name, w in weights.items()) + bias
    return 1 / (1 + np.exp(-z))


def average_linkage(prob: np.ndarray, threshold: float = LINK_THRESHOLD) -> np.ndarray:
    """Cluster labels: merge groups while their average link probability is above 1 - threshold."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(prob)
    if n <= 1:
        return np.zeros(n, dtype=int)
    dist = 1 - (prob + prob.T) / 2
    np.fill_diagonal(dist, 0)
    return fcluster(linkage(squareform(np.clip(dist, 0, 1), checks=False), method="average"),
                    threshold, criterion="distance")


def story_features(docs: list[Document], story_threshold: float = STORY_THRESHOLD,
                   lexicon: tuple | None = None) -> list[tuple[list[Mention], dict[str, np.ndarray]]]:
    """Per story of one topic: its mentions and their pair features.

    Mentions are only ever linked inside a story, so this is the unit both
    clustering and fitting work on.
    """
    synonyms, prior = lexicon if lexicon is not None else (SYNONYMS, REPEAT_PRIOR)
    labels, doc_sim = story_clusters([d.bag for d in docs], story_threshold)
    out = []
    for story in np.unique(labels):
        members = [i for i in range(len(docs)) if labels[i] == story]
        mentions = [m for i in members for m in docs[i].mentions]
        if mentions:
            doc_of = np.array([i for i in members for _ in docs[i].mentions], dtype=int)
            out.append((mentions, pair_features(mentions, doc_of, doc_sim, synonyms, prior)))
    return out


def cluster_story(mentions: list[Mention], feats: dict[str, np.ndarray], weights: dict[str, float] | None = None,
                  bias: float | None = None, threshold: float = LINK_THRESHOLD) -> list[list[str]]:
    """Event clusters (mention keys) of one story: average linkage over the link model's probabilities."""
    found = defaultdict(list)
    for m, g in zip(mentions, average_linkage(link_probabilities(feats, weights, bias), threshold)):
        found[g].append(m.key)
    return list(found.values())


def cluster_topic(docs: list[Document]) -> list[list[str]]:
    """Event clusters (mention keys) of one topic's documents: stories first, then links inside each."""
    out = []
    for mentions, feats in story_features(docs):
        out.extend(cluster_story(mentions, feats))
    return out


def same_lemma_baseline(docs: list[Document]) -> list[list[str]]:
    """The usual baseline: within a topic, mentions with the same head lemma are one event."""
    groups = defaultdict(list)
    for d in docs:
        for m in d.mentions:
            groups[(d.topic, m.lemma)].append(m.key)
    return list(groups.values())


def by_topic(docs: Iterable[Document]) -> dict[str, list[Document]]:
    out = defaultdict(list)
    for d in docs:
        out[d.topic].append(d)
    return dict(out)


def predict(docs: list[Document]) -> list[list[str]]:
    """The method's clusters over all topics."""
    out = []
    for topic_docs in by_topic(docs).values():
        out.extend(cluster_topic(topic_docs))
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
