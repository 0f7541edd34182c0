"""Which mentions report one happening: a learned pair model and the clustering it drives.

This is the one coreference method of the project.  The link stage runs it
on the event mentions of a pile (``coref.cluster_mentions``) and
``storyline eval ecb`` runs it on the gold mentions of ECB+, so the figure
ECB+ gives is the figure of the code users run.

1. **Candidates.**  Two mentions are compared only when their head words
   could name one act: the same stem, a learned synonym pair, or a long
   common prefix ("nominate", "nominee").  Pairs without such a match get
   a link probability near zero from the model anyway, so leaving them out
   changes little and keeps the work near-linear: within each key, a
   mention meets the next ``WINDOW`` mentions in date order.
2. **Pair model.**  A logistic model over lexical evidence (same lemma,
   stem, synonym, prefix, how often a repeated word corefers), context (the
   two articles' similarity, shared names in the two sentences, same
   sentence or article) and arguments (shared subjects and objects, or
   arguments with nothing in common).  Its lexicon, weights and cut were
   fitted on ECB+ training topics (``benchmarks/ecb.py --fit``) and ship in
   ``storyline/data/coref_model.json``.
3. **Clustering.**  Average linkage over the candidate pairs (a pair never
   compared counts as probability 0), merging while the average link
   probability between two groups is at least ``1 - threshold``.  Hard
   constraints hold for every pair of a cluster, not only for the pairs
   compared: a mention whose date cannot be the others' day, a place too far
   away or in another country, a planned act beside done ones, or violence
   beside cooperation, or a statement by another speaker, never joins.  Dates are spans of days, so "all pairs
   overlap" is "the spans have a common day", checked in constant time.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np

from ..annotate.arguments import stem
from ..model import Clues

# A mention meets this many following mentions of each of its keys, in date order.
WINDOW = 60


@dataclass
class View:
    """One mention as the pair model and the constraints see it."""

    key: str
    doc: str
    sentence: str                      # "<doc>#<sentence index>": two mentions of one sentence are rarely one event
    clues: Clues
    span: tuple[dt.date, dt.date] | None = None  # the days its date can mean; None: undated
    prospective: bool = False          # planned or hypothetical
    country: str | None = None         # of its place
    place: object | None = None        # an EntityMention-like place with entity_id, country, lat, lon
    polarity: int = 0                  # -1 conflict, +1 cooperation, 0 neither
    speakers: frozenset[str] | None = None  # of a speech act (empty: unknown); None for other acts
    said: frozenset[str] | None = None      # a speech act's content words; None for other acts
    stem: str = field(init=False)
    lemmas: frozenset[str] = field(init=False)  # the head's lemma and the clause's other words for the act
    stems: frozenset[str] = field(init=False)
    acts: frozenset[str] = field(init=False)    # PLOVER types the lexicon gives those words

    def __post_init__(self) -> None:
        self.stem = stem(self.clues.lemma)
        self.lemmas = self.clues.also | {self.clues.lemma}
        self.stems = frozenset(stem(w) for w in self.lemmas)
        self.acts = act_classes(self.lemmas)


def act_classes(lemmas) -> frozenset[str]:
    """The PLOVER types the lexicon lists these words under: "summit", "meet" and "talk" are all CONSULT."""
    from ..annotate.plover import NOUNS, VERBS

    return frozenset(entry[0] for w in lemmas for entry in (VERBS.get(w), NOUNS.get(w)) if entry)


@dataclass(frozen=True)
class LinkModel:
    synonyms: frozenset[tuple[str, str]]
    repeat_prior: dict[str, float]
    weights: dict[str, float]
    bias: float
    threshold: float

    def as_json(self) -> dict:
        return {"synonyms": sorted(list(p) for p in self.synonyms), "repeat_prior": dict(sorted(self.repeat_prior.items())),
                "weights": self.weights, "bias": self.bias, "threshold": self.threshold}


@lru_cache(maxsize=1)
def load_model() -> LinkModel:
    data = json.loads(resources.files("storyline.data").joinpath("coref_model.json").read_text(encoding="utf-8"))
    return LinkModel(frozenset(tuple(sorted(p)) for p in data["synonyms"]), data["repeat_prior"],
                     data["weights"], data["bias"], data["threshold"])


# --------------------------------------------------------------------------- candidates


def _keys(v: View, partners: dict[str, list[str]]) -> list[str]:
    keys = [f"s:{s}" for s in v.stems] + [f"y:{min(s, o)}|{max(s, o)}" for s in v.stems for o in partners.get(s, ())]
    if len(v.clues.lemma) >= 4:
        keys.append(f"p:{v.clues.lemma[:4]}")
    keys += [f"a:{a}" for a in v.acts]
    return sorted(set(keys))


def candidate_pairs(views: list[View], synonyms: frozenset, window: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of mentions whose head words could name one act, each pair once."""
    window = WINDOW if window is None else window
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in synonyms:
        partners[a].append(b)
        partners[b].append(a)
    posting: dict[str, list[int]] = defaultdict(list)
    order = sorted(range(len(views)), key=lambda i: (views[i].span[0] if views[i].span else dt.date.min, i))
    for i in order:
        for k in _keys(views[i], partners):
            posting[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in posting.values():
        for p, i in enumerate(members):
            for j in members[p + 1:p + 1 + window]:
                seen.add((i, j) if i < j else (j, i))
    if not seen:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    pairs = np.array(sorted(seen), dtype=int)
    return pairs[:, 0], pairs[:, 1]


# --------------------------------------------------------------------------- features


def _prefix_share(a: str, b: str) -> float:
    """Share of the longer word covered by a common prefix of at least four letters."""
    k = 0
    for x, y in zip(a, b):
        if x != y:
            break
        k += 1
    return k / max(len(a), len(b)) if k >= 4 and a != b else 0.0


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


FEATURES = ("lemma", "stem", "synonym", "prefix", "repeat_prior", "same_sentence", "lexical*doc_sim",
            "lexical*names", "lexical*same_doc", "patient_share", "agent_and_patient_share",
            "lexical*argument_conflict", "argument_share", "act", "act*doc_sim", "act*names")


def pair_features(views: list[View], i: np.ndarray, j: np.ndarray, doc_sim: Callable[[str, str], float],
                  model: LinkModel) -> np.ndarray:
    """One row of ``FEATURES`` per pair (i[k], j[k])."""
    out = np.zeros((len(i), len(FEATURES)))
    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist())):
        x, y = views[a], views[b]
        cx, cy = x.clues, y.clues
        same_lemma = bool(x.lemmas & y.lemmas)
        common = x.stems & y.stems
        same_stem = bool(common)
        syn = not same_stem and any((min(a, b), max(a, b)) in model.synonyms for a in x.stems for b in y.stems)
        lexical = float(same_lemma or same_stem or syn)
        act = float(not lexical and bool(x.acts & y.acts))
        args_x, args_y = cx.agents | cx.patients | cx.others, cy.agents | cy.patients | cy.others
        shared = bool(args_x & args_y)
        patient = bool(cx.patients & cy.patients)
        out[k] = (
            same_lemma,
            same_stem and not same_lemma,
            syn,
            0.0 if same_stem or syn else _prefix_share(cx.lemma, cy.lemma),
            max(model.repeat_prior.get(w, 0.0) for w in common) if common else 0.0,
            x.sentence == y.sentence,
            lexical * doc_sim(x.doc, y.doc),
            lexical * _jaccard(cx.names, cy.names),
            lexical * (x.doc == y.doc),
            patient,
            patient and bool(cx.agents & cy.agents),
            lexical * (bool(args_x) and bool(args_y) and not shared),
            shared,
            act,
            act * doc_sim(x.doc, y.doc),
            act * _jaccard(cx.names, cy.names),
        )
    return out


def probabilities(features: np.ndarray, model: LinkModel) -> np.ndarray:
    w = np.array([model.weights[name] for name in FEATURES])
    return 1 / (1 + np.exp(-(features @ w + model.bias)))


# Document pairs sampled to learn how alike two documents of a pile usually are.
_REFERENCE_PAIRS = 20000


@dataclass(frozen=True)
class Reference:
    """What ``document_similarity`` reads of a pile: its size, document frequencies and reference cosines
    (sorted).  Kept, it lets documents added later be compared on the same scale."""

    n: int
    df: dict[str, int]
    cosines: list[float]

    def as_json(self) -> dict:
        return {"n": self.n, "df": dict(sorted(self.df.items())), "cosines": self.cosines}

    @classmethod
    def from_json(cls, data: dict) -> "Reference":
        return cls(data["n"], data["df"], data["cosines"])


def _vectors(terms: dict[str, dict[str, int]], n: int, df: dict[str, int]) -> dict[str, dict[str, float]]:
    vectors = {}
    for doc in sorted(terms):
        v = {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + df.get(w, 0))) + 1) for w, c in terms[doc].items() if c > 0}
        norm = math.sqrt(sum(x * x for x in v.values()))
        vectors[doc] = {w: x / norm for w, x in v.items()} if norm else {}
    return vectors


def _cosine(va: dict[str, float], vb: dict[str, float]) -> float:
    if len(va) > len(vb):
        va, vb = vb, va
    return sum(x * vb.get(w, 0.0) for w, x in va.items())


def reference(terms: dict[str, dict[str, int]]) -> Reference:
    """The pile's reference: document frequencies over ``terms`` and the cosines of up to
    ``_REFERENCE_PAIRS`` document pairs (all of them in a small pile, a fixed sample in a large one)."""
    docs = sorted(terms)
    n = len(docs)
    df: dict[str, int] = defaultdict(int)
    for t in terms.values():
        for w in t:
            df[w] += 1
    vectors = _vectors(terms, n, df)
    total = n * (n - 1) // 2
    if total <= _REFERENCE_PAIRS:
        cosines = [_cosine(vectors[docs[i]], vectors[docs[k]]) for i in range(n) for k in range(i)]
    else:
        rng = np.random.default_rng(0)
        first = rng.integers(0, n, _REFERENCE_PAIRS)
        second = (first + rng.integers(1, n, _REFERENCE_PAIRS)) % n  # never the same document
        cosines = [_cosine(vectors[docs[i]], vectors[docs[k]]) for i, k in zip(first.tolist(), second.tolist())]
    return Reference(n, dict(df), sorted(cosines))


def document_similarity(terms: dict[str, dict[str, int]],
                        ref: Reference | None = None) -> Callable[[str, str], float]:
    """How alike two documents are for their pile: the share of the pile's document pairs less alike.

    Likeness is the cosine of the documents' TF-IDF vectors (``terms`` are
    a document's term counts, ``stories.features``; document frequencies are
    counted over the pile).  It is turned into a rank within the pile
    because piles differ: every article of a pile about one summit is alike
    in absolute terms, and what tells two reports of one happening apart
    from two reports of the same story is being more alike than most pairs
    of that pile (a pile of two has nothing to compare with: its pair gets
    0.5).  The pile is ``terms`` unless ``ref`` (``reference``) is given: the
    link stage keeps one so that the scale stays put while documents arrive.
    """
    ref = ref or reference(terms)
    vectors = _vectors(terms, ref.n, ref.df)
    cosines = np.array(ref.cosines) if ref.cosines else np.zeros(1)
    cache: dict[tuple[str, str], float] = {}

    def sim(a: str, b: str) -> float:
        if a == b:
            return 1.0
        key = (a, b) if a < b else (b, a)
        if key not in cache:
            c = _cosine(vectors.get(key[0], {}), vectors.get(key[1], {}))
            # Ties count half, so a pile of two documents puts its one pair in the middle.
            below, upto = np.searchsorted(cosines, c, side="left"), np.searchsorted(cosines, c, side="right")
            cache[key] = float(below + upto) / (2 * len(cosines))
        return cache[key]
    return sim


# --------------------------------------------------------------------------- constraints


_FAR_KM = 100  # places this far apart are not one place whatever the wording


def _distance_km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def places_compatible(a, b) -> bool:
    """Whether two places can be where one thing happened.

    A place without coordinates is a region (a US state, an oblast) and holds
    anything in its country; two located places agree when they are near.
    """
    if a.entity_id == b.entity_id:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if None in (a.lat, a.lon, b.lat, b.lon):
        return True
    return _distance_km(a, b) <= _FAR_KM


# How many content words two reports of one statement must share (every member of a group with every other).
SAID_WORDS = 2


@dataclass
class _Group:
    """What every member of a cluster must agree with."""

    span: tuple[dt.date, dt.date] | None
    prospective: bool
    countries: frozenset[str]
    places: list
    polarities: frozenset[int]
    speakers: frozenset[str] | None = None  # who every speech act of the group is by, as far as known
    unknown_speaker: bool = False           # a speech act of the group is by no one named
    said: frozenset[str] | None = None      # the content words every speech act of the group shares

    @classmethod
    def of(cls, v: View) -> "_Group":
        return cls(v.span, v.prospective, frozenset({v.country} if v.country else ()),
                   [v.place] if v.place is not None else [], frozenset({v.polarity} - {0}),
                   v.speakers or None, v.speakers is not None and not v.speakers, v.said)

    @property
    def spoken(self) -> bool:
        """Whether the group's acts are speech acts (named speakers or an unnamed one), or else deeds."""
        return self.speakers is not None or self.unknown_speaker

    def fits(self, o: "_Group") -> bool:
        if self.prospective != o.prospective or len(self.polarities | o.polarities) > 1:
            return False
        if self.spoken != o.spoken:
            return False  # saying is not doing: an accusation of an attack is not the attack
        # A statement is its speaker's: two speakers, or a named and an unnamed one, are two statements.
        if (self.unknown_speaker and o.speakers) or (o.unknown_speaker and self.speakers):
            return False
        if self.speakers and o.speakers and not self.speakers & o.speakers:
            return False
        # One speaker says many things a day: the same statement shares what was said.
        if self.said is not None and o.said is not None and len(self.said & o.said) < SAID_WORDS:
            return False
        if len(self.countries | o.countries) > 1:
            return False
        if self.span and o.span and (self.span[0] > o.span[1] or o.span[0] > self.span[1]):
            return False
        return all(places_compatible(p, q) for p in self.places for q in o.places)

    def absorb(self, o: "_Group") -> None:
        if o.span:
            self.span = (max(self.span[0], o.span[0]), min(self.span[1], o.span[1])) if self.span else o.span
        self.countries |= o.countries
        self.polarities |= o.polarities
        self.speakers = (self.speakers & o.speakers) if self.speakers and o.speakers else (self.speakers or o.speakers)
        self.unknown_speaker = self.unknown_speaker or o.unknown_speaker
        self.said = self.said & o.said if self.said is not None and o.said is not None else (
            self.said if self.said is not None else o.said)
        ids = {p.entity_id for p in self.places}
        self.places += [p for p in o.places if p.entity_id not in ids]


# --------------------------------------------------------------------------- clustering


def agglomerate(views: list[View], i: np.ndarray, j: np.ndarray, prob: np.ndarray, threshold: float) -> list[int]:
    """Cluster labels by average linkage over sparse pair probabilities, within the constraints.

    Two groups merge, best first, while the mean probability over all their
    member pairs (pairs never compared count 0) is at least ``1 - threshold``
    and every member of one can be the same happening as every member of
    the other (``_Group.fits``).
    """
    n = len(views)
    parent = list(range(n))
    size = [1] * n
    group = [_Group.of(v) for v in views]
    links: list[dict[int, float]] = [dict() for _ in range(n)]
    for a, b, p in zip(i.tolist(), j.tolist(), prob.tolist()):
        links[a][b] = links[a].get(b, 0.0) + p
        links[b][a] = links[b].get(a, 0.0) + p
    floor = 1 - threshold
    heap = [(-links[a][b], a, b) for a in range(n) for b in links[a] if a < b and links[a][b] >= floor]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if parent[a] != a or parent[b] != b or b not in links[a]:
            continue
        mean = links[a][b] / (size[a] * size[b])
        if abs(mean + neg) > 1e-12:
            continue  # stale: the pair's groups changed since this entry
        if not group[a].fits(group[b]):
            continue  # constraints only tighten as groups grow, so this pair never fits again
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        group[a].absorb(group[b])
        del links[a][b]
        for c, s in links[b].items():
            if c == a:
                continue
            links[a][c] = links[a].get(c, 0.0) + s
            links[c][a] = links[a][c]
            del links[c][b]
        links[b] = {}
        for c, s in links[a].items():
            m = s / (size[a] * size[c])
            if m >= floor:
                heapq.heappush(heap, (-m, min(a, c), max(a, c)))
    labels, ids = [], {}
    for x in range(n):
        r = x
        while parent[r] != r:
            r = parent[r]
        labels.append(ids.setdefault(r, len(ids)))
    return labels


def cluster(views: list[View], doc_sim: Callable[[str, str], float], model: LinkModel | None = None,
            threshold: float | None = None) -> list[int]:
    """Cluster labels (0, 1, ...) of the mentions, one per happening."""
    model = model or load_model()
    i, j = candidate_pairs(views, model.synonyms)
    prob = probabilities(pair_features(views, i, j, doc_sim, model), model) if len(i) else np.zeros(0)
    return agglomerate(views, i, j, prob, model.threshold if threshold is None else threshold)
