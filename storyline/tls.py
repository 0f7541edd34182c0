"""Timeline summarisation: pick the N most important days of a story and K sentences for each.

The recipe follows the "date-wise" approach of Ghalandari & Ifrim (ACL 2020),
without its supervised date ranker:

1. Rank days.  A day matters when many articles written *afterwards* still
   name it: later reporting that looks back at a day is the best evidence
   that something happened then.  Articles naming their own publication day
   count less (every story says "on Tuesday"), and days outside the requested
   span are ignored.
2. For each chosen day, gather candidate sentences: those that name the day,
   plus the opening sentences of articles published that day that name no
   day at all (fresh news usually leads with what happened).
3. Summarise each day by greedily choosing the sentences that move the
   summary closest to the TF-IDF centroid of the candidates, skipping
   near-duplicates and sentences too short or too long to be one fact.

Topic keywords, when given and when most of the pool uses them, set aside the
articles that never do (stray pages gathered with the story).  Datelines and
timestamps are trimmed off sentences first.  Not done, because it did not help
on Timeline17's bpoil and H1N1 topics: spreading days over the span, counting
publication volume, keeping only sentences written soon after their day.

Everything here is a pure function of ``DatedSentence`` lists.  Only the
Timeline17 evaluation (``storyline.evaluate.tls``, run by ``storyline eval
tls`` and ``benchmarks/tls.py``) uses it; the product's timeline command does
not.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence


@dataclass(frozen=True)
class DatedSentence:
    """One sentence of the pool with what the method needs to know about it.

    ``mentions`` holds the day-precision dates the sentence names (already
    resolved against the article's publication date); ``position`` is the
    sentence's index in its article, so leads can be told from the rest.
    """

    text: str
    published: dt.date
    mentions: tuple[dt.date, ...] = ()
    doc: str = ""
    position: int = 0


# --- words -----------------------------------------------------------------

# Function words carry no topic: leaving them out keeps centroids about content.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves said says say told mr mrs ms lrb rrb
""".split())

_WORD = re.compile(r"[a-z0-9]+")


def _cons(word: str, i: int) -> bool:
    """Porter's consonant test: y is a consonant at the start or after a vowel."""
    ch = word[i]
    if ch in "aeiou":
        return False
    if ch == "y":
        return i == 0 or not _cons(word, i - 1)
    return True


def _measure(stem: str) -> int:
    """Porter's m: the number of vowel-consonant sequences in [C](VC)^m[V]."""
    m, prev_vowel = 0, False
    for i in range(len(stem)):
        vowel = not _cons(stem, i)
        if prev_vowel and not vowel:
            m += 1
        prev_vowel = vowel
    return m


def _has_vowel(stem: str) -> bool:
    return any(not _cons(stem, i) for i in range(len(stem)))


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (hop -> hope, not hoop)."""
    n = len(stem)
    return (n >= 3 and _cons(stem, n - 3) and not _cons(stem, n - 2) and _cons(stem, n - 1)
            and stem[-1] not in "wxy")


def _short_cvc(stem: str) -> bool:
    """The whole stem is one CVC syllable (Porter's *o with m = 1 in step 1b)."""
    return _cvc(stem) and _measure(stem) == 1


_STEP2 = [("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"),
          ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"),
          ("ization", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("iveness", "ive"),
          ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
          ("logi", "log")]
_STEP3 = [("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""),
          ("ness", "")]
_STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ou", "ism", "ate", "iti",
          "ous", "ive", "ize"]


def _longest_suffix(word: str, suffixes: Iterable[str]) -> str | None:
    best = None
    for suf in suffixes:
        if word.endswith(suf) and (best is None or len(suf) > len(best)):
            best = suf
    return best


def _step1(w: str) -> str:
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    elif w.endswith("ed") or w.endswith("ing"):
        stem = w[:-2] if w.endswith("ed") else w[:-3]
        if _has_vowel(stem):
            w = stem
            if w.endswith(("at", "bl", "iz")):
                w += "e"
            elif len(w) >= 2 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
                w = w[:-1]
            elif _short_cvc(w):
                w += "e"
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    return w


def _step2_3(w: str) -> str:
    for table in (_STEP2, _STEP3):
        suf = _longest_suffix(w, (s for s, _ in table))
        if suf and _measure(w[:-len(suf)]) > 0:
            w = w[:-len(suf)] + dict(table)[suf]
    return w


def _step4(w: str) -> str:
    # As in ROUGE-1.5.5's stemmer, -ment and -ent are tried after the main
    # list and after each other, so "agreement" loses -ent too.
    suf = _longest_suffix(w, _STEP4)
    if suf and _measure(w[:-len(suf)]) > 1:
        w = w[:-len(suf)]
    if w.endswith("ment") and _measure(w[:-4]) > 1:
        w = w[:-4]
    if w.endswith("ent"):
        if _measure(w[:-3]) > 1:
            w = w[:-3]
    elif w.endswith(("sion", "tion")) and _measure(w[:-3]) > 1:
        w = w[:-3]
    return w


def _step5(w: str) -> str:
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _short_cvc(stem)):
            w = stem
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter's (1980) suffix stripping, in the variant ROUGE-1.5.5 uses.

    Stems make "explosion"/"explode" and "spills"/"spilled" one term, both
    for comparing sentences here and for ROUGE, which stems with this
    algorithm.  Expects a lower-case ASCII word.
    """
    if len(word) < 3:
        return word
    return _step5(_step4(_step2_3(_step1(word))))


@lru_cache(maxsize=500_000)
def terms(text: str) -> tuple[str, ...]:
    """The content terms of a sentence: lower-cased, stemmed, without function words."""
    return tuple(stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and not w.isdigit())


# --- tidying ----------------------------------------------------------------

_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_STAMP = (r"(?:[A-Z][a-z]+day\s*,?\s*)?(?:\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2})"
          r"\s*,?\s*(?:\d{4})?\s*[;,|-]?\s*(?:\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\b)?)?")
# Leading matter that is not part of what the sentence reports: a headline and
# wire dateline ("MEXICO CITY | Tue Apr 28 , 2009 12:49 am BST MEXICO CITY
# -LRB- Reuters -RRB- - "), a bare timestamp ("Thursday , April 29 , 2010 ;
# 4:49 PM "), or a chronology's date ("May 2 - ").
_LEADING = [
    re.compile(r"^.{0,240}?(?:-LRB-|\()\s*(?:Reuters|AP|AFP|Bloomberg|UPI)\s*(?:-RRB-|\))\s*(?:-+|:)\s+"),
    re.compile(r"^\W*(?:Last updated\s*:?\s*(?:at\s*)?)?" + _STAMP + r"\s*(?:-+|:|;)?\s+(?=[A-Z\W])"),
]


def tidy(text: str) -> str:
    """The sentence without datelines, timestamps or chronology dates at its start.

    They carry no content a reader needs in a timeline entry (the entry is
    dated already) and dilute its words.  What remains is returned stripped.
    """
    for rx in _LEADING:
        m = rx.match(text)
        if m and len(text) - m.end() > 20:
            text = text[m.end():]
    return text.strip()


# --- 1. which days ---------------------------------------------------------

def in_span(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def rank_dates(sentences: Iterable[DatedSentence], start: dt.date | None = None, end: dt.date | None = None,
               same_day: float = 0.5, ahead: float = 0.25) -> list[tuple[dt.date, float]]:
    """Days ranked by how much of the pool points back at them, best first.

    Each article votes once for each day it names (one long article that
    repeats a date is still one witness).  A vote from an article written
    after the day counts 1, from one written that day ``same_day`` (it may just
    be the dateline or "on Tuesday"), from one written before ``ahead``
    (announcements of plans, which often slip).  Ties go to the earlier day so
    the result is deterministic.
    """
    votes: dict[tuple[str, dt.date], float] = {}
    for s in sentences:
        for day in set(s.mentions):
            if not in_span(day, start, end):
                continue
            w = 1.0 if s.published > day else same_day if s.published == day else ahead
            key = (s.doc, day)
            votes[key] = max(votes.get(key, 0.0), w)
    score: dict[dt.date, float] = defaultdict(float)
    for (_, day), w in votes.items():
        score[day] += w
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))


# --- 2. which sentences could say what happened ----------------------------

def candidates_by_day(sentences: Iterable[DatedSentence], lead: int = 5) -> dict[dt.date, list[DatedSentence]]:
    """The sentences that can describe each day.

    A sentence naming a day is about it; an article's first ``lead``
    sentences on its publication day, when they name no day, usually report
    that day's news.  Anything else would be guessing.
    """
    out: dict[dt.date, list[DatedSentence]] = defaultdict(list)
    for s in sentences:
        for day in set(s.mentions):
            out[day].append(s)
        if not s.mentions and s.position < lead:
            out[s.published].append(s)
    return out


def topic_terms(keywords: Iterable[str], vocabulary: Counter) -> set[str]:
    """Lower-cased topic words that actually occur in the pool.

    Keyword lists are sometimes run together like a folder name ("bpoil"):
    a keyword the pool never uses is split into the pair of pool words that
    covers it best ("bp" + "oil"), and dropped when nothing covers it.
    """
    out: set[str] = set()
    for kw in keywords:
        for word in _WORD.findall(kw.lower()):
            if vocabulary.get(word):
                out.add(word)
                continue
            splits = [(min(vocabulary.get(word[:i], 0), vocabulary.get(word[i:], 0)), word[:i], word[i:])
                      for i in range(2, len(word) - 1) if not {word[:i], word[i:]} & STOPWORDS]
            best = max(splits, default=(0, "", ""))
            if best[0] > 0:
                out.update(best[1:])
    return out


def on_topic_terms(pool: Sequence[DatedSentence], keywords: Iterable[str], min_share: float = 0.5) -> set[str]:
    """The topic terms to filter the pool with, or none when they would not describe it.

    The pool was gathered for the topic, so its keywords should occur in most
    of its articles; terms found in fewer than ``min_share`` of them (a
    keyword split into the wrong words, a name the articles do not use) would
    throw away the story itself rather than stray pages.
    """
    return _on_topic(pool, keywords, min_share)[0]


def _on_topic(pool: Sequence[DatedSentence], keywords: Iterable[str], min_share: float = 0.5
              ) -> tuple[set[str], set[str]]:
    """``on_topic_terms`` and the articles that use them; both empty when there are no such terms."""
    topic = topic_terms(keywords, Counter(w for s in pool for w in _WORD.findall(s.text.lower())))
    if not topic:
        return set(), set()
    docs = {s.doc for s in pool}
    on_topic = {s.doc for s in pool if mentions_topic(s.text, topic)}
    return (topic, on_topic) if len(on_topic) >= min_share * len(docs) else (set(), set())


def mentions_topic(text: str, topic: set[str]) -> bool:
    return not topic or any(w in topic for w in _WORD.findall(text.lower()))


# --- 3. which sentences say it ---------------------------------------------

def idf(sentences: Iterable[DatedSentence]) -> dict[str, float]:
    """Inverse sentence frequency over the pool: rare terms tell days apart."""
    df: Counter = Counter()
    n = 0
    for s in sentences:
        n += 1
        df.update(set(terms(s.text)))
    return {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}


def _vector(text: str, weights: dict[str, float]) -> dict[str, float]:
    tf = Counter(terms(text))
    vec = {t: c * weights.get(t, 1.0) for t, c in tf.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def select(cands: Sequence[DatedSentence], k: int, weights: dict[str, float], max_sim: float = 0.5,
           min_terms: int = 5, max_terms: int = 40) -> list[DatedSentence]:
    """Up to ``k`` sentences whose sum is closest to the candidates' centroid.

    The centroid is what most candidates agree on, so the greedy choice
    favours the day's main news over asides.  A sentence too similar to one
    already chosen (cosine above ``max_sim``) adds nothing; one too short to
    say anything or too long to be one fact is never chosen, but still shapes
    the centroid.
    """
    vecs = [_vector(s.text, weights) for s in cands]
    centroid: dict[str, float] = defaultdict(float)
    for v in vecs:
        for t, x in v.items():
            centroid[t] += x
    cnorm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    centroid = {t: x / cnorm for t, x in centroid.items()}
    allowed = [i for i, s in enumerate(cands) if min_terms <= len(terms(s.text)) <= max_terms]
    to_centroid = {i: _dot(vecs[i], centroid) for i in allowed}
    chosen: list[int] = []
    summary: dict[str, float] = {}
    s_dot_c, s_norm2 = 0.0, 0.0
    seen_texts: set[str] = set()
    while len(chosen) < k:
        best, best_score = None, -1.0
        for i in allowed:
            if i in chosen or cands[i].text in seen_texts:
                continue
            if chosen and max(_dot(vecs[i], vecs[j]) for j in chosen) > max_sim:
                continue
            cross = _dot(vecs[i], summary) if summary else 0.0
            score = (s_dot_c + to_centroid[i]) / math.sqrt(s_norm2 + 2 * cross + 1.0)
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        s_norm2 += 2 * (_dot(vecs[best], summary) if summary else 0.0) + 1.0
        s_dot_c += to_centroid[best]
        for t, x in vecs[best].items():
            summary[t] = summary.get(t, 0.0) + x
        chosen.append(best)
        seen_texts.add(cands[best].text)
    return [cands[i] for i in chosen]


# --- all together ------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """The method's knobs, with the values tuned on Timeline17's bpoil and H1N1 topics."""

    same_day: float = 0.5    # weight of a vote from an article published on the day it names
    ahead: float = 0.25      # weight of a vote from an article published before the day it names
    lead: int = 5            # opening sentences of a day's articles that are candidates for that day
    max_sim: float = 0.5     # cosine above which a sentence repeats one already chosen
    min_terms: int = 5       # content words a chosen sentence needs at least ...
    max_terms: int = 40      # ... and may have at most
    keywords: str | None = "article"  # "article": drop articles that never use a topic term; None: ignore keywords


def summarise(sentences: Sequence[DatedSentence], n_dates: int, per_date: int, start: dt.date | None = None,
              end: dt.date | None = None, keywords: Iterable[str] = (), params: Params = Params()
              ) -> dict[dt.date, list[str]]:
    """A timeline of at most ``n_dates`` days with at most ``per_date`` sentences each.

    Only sentences from articles published within [start, end] are used and
    only days within it are chosen.  Days for which no candidate survives the
    filters are passed over for the next-ranked day, so the timeline keeps its
    length whenever the pool allows.
    """
    pool = [replace(s, text=tidy(s.text)) for s in sentences if in_span(s.published, start, end)]
    weights = idf(pool)
    if params.keywords:
        topic, on_topic = _on_topic(pool, keywords)
        if topic:
            pool = [s for s in pool if s.doc in on_topic]
    by_day = candidates_by_day(pool, params.lead)
    timeline: dict[dt.date, list[str]] = {}
    for day, _ in rank_dates(pool, start, end, params.same_day, params.ahead):
        if len(timeline) >= n_dates:
            break
        chosen = select(by_day.get(day, []), per_date, weights, params.max_sim, params.min_terms, params.max_terms)
        if chosen:
            timeline[day] = [s.text for s in chosen]
    return dict(sorted(timeline.items()))
