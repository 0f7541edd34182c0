"""Which dates and which entries a timeline or a brief shows: the one selection method.

``storyline timeline --max-dates N --per-date K``, the brief's summary and key
developments, and ``storyline eval tls`` all call ``choose``.  The recipe
follows the "date-wise" approach of Ghalandari & Ifrim (ACL 2020), without its
supervised date ranker, applied to the store's canonical events:

1. Rank dates.  A day matters when many independent articles name it, most
   of all articles written *afterwards* (later reporting that looks back at a
   day is the best evidence that something happened then); an article naming
   its own publication day counts half, one naming a later day (a plan) a
   quarter.  The votes come from every stored sentence with its resolved
   dates, not only from event sentences.
2. For each chosen date, the candidate entries are the events dated that day.
   The day's sentences -- those naming it, and the opening sentences of
   articles published that day that name no day -- make a TF-IDF centroid of
   what was reported about it.
3. Entries are chosen greedily so that their sum moves closest to that
   centroid, skipping an event whose sentence repeats one already chosen.

Dates coarser than a day (a month, "reported" bounds) are ranked by the
independent articles reporting their events, at the weight of a same-day vote.
Everything here is a pure function of the export's events and a list of
``DatedSentence``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from .data import table as data_table


@dataclass(frozen=True)
class DatedSentence:
    """One sentence of the pool with what the method needs to know about it.

    ``mentions`` holds the day-precision dates the sentence names (already
    resolved against the article's publication date); ``position`` is the
    sentence's index in its article, so leads can be told from the rest.
    """

    text: str
    published: dt.date | None  # None: the article is undated
    mentions: tuple[dt.date, ...] = ()
    doc: str = ""
    position: int = 0


# --- words -----------------------------------------------------------------

# Function words carry no topic: leaving them out keeps centroids about content.
STOPWORDS = frozenset(fields[0] for _, fields in data_table("stopwords.txt"))  # storyline/data/stopwords.txt

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

def in_range(value: str | None, date_from: str | None, date_to: str | None) -> bool:
    """Whether a date of any precision ("2025", "2025-08", "2025-08-15") can fall within
    [date_from, date_to], themselves of any precision: the one reading of --from/--to."""
    if not value:
        return False
    return (not date_from or value >= date_from[:len(value)]) and (not date_to or value[:len(date_to)] <= date_to)


def rank_dates(sentences: Iterable[DatedSentence], same_day: float = 0.5,
               ahead: float = 0.25) -> list[tuple[dt.date, float]]:
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
            w = (same_day if s.published is None or s.published == day
                 else 1.0 if s.published > day else ahead)
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
        if not s.mentions and s.position < lead and s.published is not None:
            out[s.published].append(s)
    return out


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


# --- all together ------------------------------------------------------------

@dataclass(frozen=True)
class Params:
    """The method's knobs, set on Timeline17's bpoil and H1N1 topics (the war windows were not tuned on)."""

    same_day: float = 0.5    # weight of a vote from an article published on the day it names
    ahead: float = 0.25      # weight of a vote from an article published before the day it names
    lead: int = 5            # opening sentences of a day's articles that describe that day
    max_sim: float = 0.5     # cosine above which an entry repeats one already chosen
    min_terms: int = 3       # content words an entry's sentence needs at least


def _day(value: str | None) -> dt.date | None:
    if value and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass
class Pool:
    """What the selection reads of the sentences in view, worked out once for every ``choose`` call
    on them: each day's votes, the terms' weights, and each day's sentences."""

    votes: dict[dt.date, float]
    weights: dict[str, float]
    by_day: dict[dt.date, list[DatedSentence]]

    @classmethod
    def of(cls, sentences: Sequence[DatedSentence], params: Params = Params()) -> "Pool":
        return cls(dict(rank_dates(sentences, same_day=params.same_day, ahead=params.ahead)), idf(sentences),
                   candidates_by_day(sentences, params.lead))


def without_retold(events: Sequence[dict]) -> list[dict]:
    """``events`` less the statements whose every reporting sentence already reports another of them.

    "Ukraine's air force said Russia launched 97 drones" is two events, the
    attack (as the air force's claim) and the air force's statement; a
    timeline shows the sentence once, under the attack.
    """
    told = {(m.get("doc"), m.get("start")) for e in events if e.get("type") != "STATEMENT"
            for m in e.get("mentions", ())}
    return [e for e in events if e.get("type") != "STATEMENT" or not e.get("mentions")
            or not all((m.get("doc"), m.get("start")) in told for m in e["mentions"])]


def choose(events: Sequence[dict], pool: "Pool | Sequence[DatedSentence]", max_dates: int | None = None,
           per_date: int | None = None, params: Params = Params()) -> list[dict]:
    """The events a timeline shows: those of the ``max_dates`` most important dates, at most
    ``per_date`` of each, chosen as module docstring says; all of them when neither is given.

    ``events`` are export events with a date value; ``pool`` the sentences of
    the articles in view (or their ``Pool``), each article named by its
    original when it is a copy, so that copies vote once.  Returns the
    chosen events, most important date first and, within a date, in the
    order chosen.
    """
    events = without_retold(events)
    if max_dates is None and per_date is None:
        return events
    if not isinstance(pool, Pool):
        pool = Pool.of(pool, params)
    by_value: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        by_value[e["date"]["value"]].append(e)
    votes = pool.votes
    reporters = {v: {m["doc"] for e in es for m in e["mentions"]} for v, es in by_value.items()}

    def importance(value: str) -> tuple:
        day = _day(value)
        exact = any(e["date"]["precision"] not in ("reported",) for e in by_value[value])
        score = votes.get(day, 0.0) if day and exact else params.same_day * len(reporters[value])
        # A timeline is a list of days: a month or a year comes only after every day.
        return (day is None, -score, -len(reporters[value]), value)

    ranked = sorted(by_value, key=importance)
    weights, by_day = pool.weights, pool.by_day
    out: list[dict] = []
    kept = 0
    for value in ranked:
        if max_dates is not None and kept >= max_dates:
            break
        day = _day(value)
        context = [s.text for s in by_day.get(day, [])] if day else []
        if not context:
            context = [m["text"] for e in by_value[value] for m in e["mentions"]]
        chosen = _pick(by_value[value], context, per_date, weights, params)
        if chosen:
            out.extend(chosen)
            kept += 1
    return out


def _pick(cands: Sequence[dict], context: Sequence[str], k: int | None, weights: dict[str, float],
          params: Params) -> list[dict]:
    """Up to ``k`` events (all, in their order, when ``k`` is None) whose sentences, summed, come closest to the centroid of ``context``.

    The centroid is what most of the day's sentences say, so the greedy choice
    favours the day's main news over asides; an event whose sentence is too
    close to one already chosen (cosine above ``max_sim``) adds nothing.
    """
    if k is None:
        return list(cands)
    centroid: dict[str, float] = defaultdict(float)
    for text in context:
        for t, x in _vector(tidy(text), weights).items():
            centroid[t] += x
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    centroid = {t: x / norm for t, x in centroid.items()}
    vecs = [_vector(tidy(e["summary"]), weights) for e in cands]
    allowed = [i for i, e in enumerate(cands) if len(terms(tidy(e["summary"]))) >= params.min_terms] \
        or list(range(len(cands)))
    to_centroid = {i: _dot(vecs[i], centroid) for i in allowed}
    chosen: list[int] = []
    summary: dict[str, float] = {}
    s_dot_c = s_norm2 = 0.0
    texts: set[str] = set()
    while len(chosen) < k:
        best, best_score = None, -math.inf
        for i in allowed:
            if i in chosen or cands[i]["summary"] in texts:
                continue
            if chosen and max(_dot(vecs[i], vecs[j]) for j in chosen) > params.max_sim:
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
        texts.add(cands[best]["summary"])
    return [cands[i] for i in chosen]


def pool_of(rows: Iterable[tuple[str, int, str, str | None, tuple[str, ...]]], documents: Sequence[dict],
            date_from: str | None = None, date_to: str | None = None) -> list[DatedSentence]:
    """The selection's sentence pool from the store's ``dated_sentences`` rows.

    Each article is named by its original when it is a copy (so copies vote
    once); with a date range, only articles published within it (and undated
    ones) are read, as a reader asking for a span expects.
    """
    original = {d["id"]: d.get("duplicate_of") or d["id"] for d in documents}
    out = []
    for doc, idx, text, published, days in rows:
        if published and not in_range(published, date_from, date_to):
            continue
        mentions = tuple(d for d in (_day(v) for v in days) if d is not None)
        out.append(DatedSentence(text, _day(published), mentions, original.get(doc, doc), idx))
    return out
