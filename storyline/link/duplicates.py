"""Near-duplicates: syndicated copies and light rewrites of one article.

A wire story reprinted by five outlets, or re-filed three times in a day
with a new top paragraph, is one source, not several: counting every copy
would let one agency outvote everyone else in the event database.  Each copy
gets ``duplicate_of`` = its original, the earliest published of the group
(ties: the earliest stored), and the link stage counts it as that original.

How copies are found, and why:

- Shingles are word 5-grams of the lowercased cleaned text.  Five words are
  long enough that two articles written separately about the same event
  rarely share more than a few stock phrases ("the Gulf of Mexico oil"),
  and short enough that a reworded sentence costs only the shingles that
  touch it.  The headline and byline are not part of the text, so a copy
  under a new headline still matches.
- Each document's MinHash signature is computed once and stored; a re-link
  only hashes the documents added since the last one, and only those query
  the LSH index, which costs about the same for every document however many
  there are.
- LSH only proposes pairs: every candidate is checked with the exact Jaccard
  similarity of the two shingle sets, so MinHash's estimation error can
  cost a missed copy but never a false one.  Verified pairs are stored with
  their similarity, so no pair is checked twice.

The threshold was chosen on the Timeline17 bpoil articles (1,460): the ten
pairs at 0.6 and above are all reprints or re-filed versions of one article
(0.64 to 0.97).  Between 0.5 and 0.6 there are still versions of one
article (a reprint cut to half its length at 0.52), but also two photo
galleries that share only captions and page furniture (0.57, 0.50), and
below 0.5 separately written articles on one event begin (two Guardian
reports of the same new cap on the well, 0.41).  Precision is preferred:
a missed copy costs one extra source, a false one hides an independent one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ..model import Document
from ..store import Store

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
# Exact Jaccard of shingle sets at which two documents are one article.
THRESHOLD = 0.6
# LSH is tuned below THRESHOLD so that pairs just above it, whose estimate
# may come out low, are still proposed for the exact check.
CANDIDATE_THRESHOLD = 0.5
# Fewer shingles than this (a text of under 14 words) is too little to tell
# a copy from a shared stock sentence; such documents are never duplicates.
MIN_SHINGLES = 10
# Stored with the signatures: if any of these change, old signatures no
# longer compare with new ones and are all recomputed.
SIGNATURE_VERSION = f"{SCHEME}/{NUM_PERM}/{SEED}/words{SHINGLE_WORDS}"

_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    n = SHINGLE_WORDS
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def signatures(texts: list[str | set[str]]) -> list[bytes]:
    """Serialised MinHash signatures; empty bytes for a text too short to compare.

    Each text may be given as its shingle set instead, when it is already made.
    """
    sets = [t if isinstance(t, set) else shingles(t) for t in texts]
    hashes = MinHash.bulk([[s.encode("utf-8") for s in ss] for ss in sets],
                          num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    return [m.hashvalues.astype(np.uint32).tobytes() if len(ss) >= MIN_SHINGLES else b""
            for ss, m in zip(sets, hashes)]


def _minhash(blob: bytes) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(blob, dtype=np.uint32), scheme=SCHEME)


def _index(stored: dict[str, bytes]) -> tuple[MinHashLSH, dict[str, LeanMinHash]]:
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    minhashes = {}
    with lsh.insertion_session() as session:
        for doc, blob in stored.items():
            if blob:
                minhashes[doc] = _minhash(blob)
                session.insert(doc, minhashes[doc])
    return lsh, minhashes


def verified_pairs(new: list[str], stored: dict[str, bytes], text_of,
                   known: dict[str, set[str]] | None = None) -> list[tuple[str, str, float]]:
    """Exact Jaccard of every LSH candidate pair that involves a new document.

    Pairs between two old documents were checked when the later of them was
    new, so only the new documents query the index.  ``known`` holds shingle
    sets already made (the new documents'); any other document's text is
    read with ``text_of``.
    """
    lsh, minhashes = _index(stored)
    candidates = {tuple(sorted((doc, other)))
                  for doc in new if doc in minhashes
                  for other in lsh.query(minhashes[doc]) if other != doc}
    cache: dict[str, set[str]] = dict(known or {})

    def shingles_of(doc: str) -> set[str]:
        if doc not in cache:
            cache[doc] = shingles(text_of(doc))
        return cache[doc]

    return [(a, b, jaccard(shingles_of(a), shingles_of(b))) for a, b in sorted(candidates)]


def originals(order: list[str], pairs: list[tuple[str, str, float]]) -> dict[str, str]:
    """Copy -> original, for documents in publication order.

    A copy points at the root of the earliest document it matches, so a
    chain (A, a light rewrite B of A, a reprint C of B) ends at A.  A
    document matching only later documents is itself an original.
    """
    rank = {doc: i for i, doc in enumerate(order)}
    matches: dict[str, list[str]] = {}
    for a, b, sim in pairs:
        if sim >= THRESHOLD and a in rank and b in rank:
            matches.setdefault(a, []).append(b)
            matches.setdefault(b, []).append(a)
    out: dict[str, str] = {}
    for doc in order:
        earlier = [m for m in matches.get(doc, ()) if rank[m] < rank[doc]]
        if earlier:
            first = min(earlier, key=rank.__getitem__)
            out[doc] = out.get(first, first)
    return out


def update(store: Store) -> dict[str, str]:
    """Hash the documents stored since the last link, find their copies, and store who copies whom."""
    store.reset_signatures_unless(SIGNATURE_VERSION)
    todo = store.unsigned_documents()
    # Each new text is read and shingled once, for its signature and its exact checks.
    new_shingles = {d: shingles(store.text(d)) for d in todo}
    new_signatures = dict(zip(todo, signatures(list(new_shingles.values())))) if todo else {}
    stored = {**store.signatures(), **new_signatures}
    pairs = verified_pairs(list(new_signatures), stored, store.text, new_shingles) if new_signatures else []
    store.add_signatures(new_signatures, pairs)
    duplicate_of = originals(store.publication_order(), store.near_duplicate_pairs())
    store.set_duplicates(duplicate_of)
    return duplicate_of


def date_copies(store: Store, duplicate_of: dict[str, str],
                reannotate: Callable[[Document], Document] | None = None) -> dict[str, str]:
    """Give each undated copy its original's publication date; return copy -> date for those dated now.

    A reprint appeared when its original did, or soon after (of the three
    Timeline17 copies dated this way with the folders withheld, two ran a
    day after their original: ``benchmarks/pubdate.py``), and that day is
    better than none: without it the copy's relative dates ("on Tuesday")
    stay unresolved and its events undated.  With ``reannotate``
    (the per-document annotation), the copy is annotated again on its new
    date, so its time expressions resolve and its events are dated as if it
    had carried the date itself; should that fail, the date alone is kept.
    """
    published = store.publication_dates()
    dated: dict[str, str] = {}
    for copy, original in duplicate_of.items():
        day = published.get(original)
        if published.get(copy) is not None or day is None:
            continue
        annotated = None
        if reannotate is not None:
            doc = replace(store.document(copy, annotations=False),
                          published=day, published_from="copy", published_after=None)
            try:
                annotated = reannotate(doc)
            except Exception:  # noqa: BLE001 - one article's annotation never stops the link
                annotated = None
        if store.date_copy(copy, day, annotated):
            dated[copy] = day
    return dated
