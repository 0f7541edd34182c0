"""Stories: documents grouped by the matter they follow, incrementally.

A pile of news usually holds several stories (an oil spill, a flu pandemic)
and a reader wants to follow one.  Documents are taken in publication order,
as a newsroom would have seen them, and each joins the most similar story
that is still running, or starts a new one.  This is single-pass clustering
in the manner of topic detection and tracking: it needs no number of stories
up front, and a new batch of documents is placed without moving any
document already placed, so story ids stay stable across builds.

- A document is described by the words of its title and lead (where news
  writing puts what the article is about) and by the entities it names,
  anywhere in the text; weights are TF-IDF with document frequencies kept
  over every document seen.
- A story is its centroid (the sum of its documents' unit vectors), its
  date span and its size.  A document may join a story when its date falls
  within ``WINDOW_DAYS`` of the story's span, so a story that has gone
  quiet for longer is closed and the next article on the subject starts a
  new one.
- A copy joins its original's story and a revision the story of the text it
  replaces; neither moves the centroid, since neither says anything new.
- A story's title is the title of its most central document (the one
  closest to the centroid), or that document's first sentence when it has
  no title: taken from an article, never written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..data import lists
from ..model import Event, Story
from ..store import Store

# Sentences of the text, after the title, that count as the lead.
LEAD_SENTENCES = 5
# How far (days) before a story's first or after its last document a
# document may fall and still join it.
WINDOW_DAYS = 30
_WINDOW = dt.timedelta(days=WINDOW_DAYS)
# Cosine similarity to a story's centroid needed to join it.
THRESHOLD = 0.05
# The centroid keeps at most this many terms, the heaviest; the tail of a
# large story's vocabulary changes no decision and only bloats the store.
CENTROID_TERMS = 600

_WORD = re.compile(r"[a-z][a-z'-]+")


# How news attributes what it reports: in every article whatever its subject.
_REPORTING = frozenset(lists("link_words.tsv")["reporting"])


def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | _REPORTING


def features(title: str | None, lead: list[str], entities: list[str], stop: frozenset[str]) -> dict[str, int]:
    """Term counts: content words of the title and lead, and entity ids prefixed with "@"."""
    words = _WORD.findall(" ".join([title or "", *lead]).lower())
    counts = Counter(w for w in words if len(w) > 2 and w not in stop)
    counts.update("@" + e for e in entities)
    return dict(counts)


def _idf(df: dict[str, int], n: int):
    def idf(term: str) -> float:
        return math.log((1 + n) / (1 + df.get(term, 0))) + 1

    return idf


def vector(terms: dict[str, int], idf) -> dict[str, float]:
    """Unit TF-IDF vector, with sublinear term frequency so that one repeated name does not swamp the rest."""
    v = {t: (1 + math.log(c)) * idf(t) for t, c in terms.items()}
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {t: x / norm for t, x in v.items()} if norm else {}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@dataclass
class _Cluster:
    """A story while documents are being placed: its centroid and span."""

    story: Story
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    changed: bool = False
    # The span as dates, parsed once: every document placed is checked against every story.
    first: dt.date | None = None
    last: dt.date | None = None

    def __post_init__(self) -> None:
        self.first, self.last = _date(self.story.first), _date(self.story.last)

    @classmethod
    def load(cls, story: Story, state: dict) -> "_Cluster":
        centroid = state.get("centroid", {})
        return cls(story, centroid, math.sqrt(sum(x * x for x in centroid.values())))

    def fits(self, day: dt.date | None) -> bool:
        if day is None or self.first is None:
            return True
        return self.first - _WINDOW <= day <= self.last + _WINDOW

    def similarity(self, v: dict[str, float]) -> float:
        if not self.norm:
            return 0.0
        return sum(x * self.centroid.get(t, 0.0) for t, x in v.items()) / self.norm

    def add(self, day: str | None, v: dict[str, float] | None, counts: bool = True) -> None:
        """Take a document in; ``v`` moves the centroid (None for copies and revisions).

        A revision replaces a document already counted, so it does not count again.
        """
        s = self.story
        s.size += counts
        if v is not None:
            # |c + v|^2 = |c|^2 + 2 c.v + |v|^2, so the norm follows without a pass over the centroid.
            dot = sum(x * self.centroid.get(t, 0.0) for t, x in v.items())
            self.norm = math.sqrt(self.norm ** 2 + 2 * dot + sum(x * x for x in v.values()))
            for t, x in v.items():
                self.centroid[t] = self.centroid.get(t, 0.0) + x
        if day:
            s.first = min(s.first or day, day)
            s.last = max(s.last or day, day)
            self.first, self.last = _date(s.first), _date(s.last)
        self.changed = True

    def state(self) -> dict:
        top = sorted(self.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
        return {"centroid": {t: round(x, 5) for t, x in top}}


def story_id(first_doc: str) -> str:
    return "st_" + hashlib.sha1(first_doc.encode()).hexdigest()[:12]


def _inherited(doc, duplicate_of: dict[str, str], copies: dict[str, list[str]],
               story_of: dict[str, str]) -> str | None:
    """The story a revision or a copy must share: its predecessor's, or any of its duplicate group's."""
    if doc.supersedes and doc.supersedes in story_of:
        return story_of[doc.supersedes]
    root = duplicate_of.get(doc.id, doc.id)
    for member in [root, *copies.get(root, [])]:
        if member in story_of:
            return story_of[member]
    return None


def _best(clusters: dict[str, _Cluster], day: dt.date | None, v: dict[str, float]) -> str | None:
    best, best_sim = None, THRESHOLD
    for sid, c in clusters.items():
        if c.fits(day):
            sim = c.similarity(v)
            if sim >= best_sim:
                best, best_sim = sid, sim
    return best


def _central(cluster: _Cluster, members: dict[str, dict[str, int]], idf) -> str | None:
    """The member closest to the centroid: its title speaks for the story."""
    scored = [(cluster.similarity(vector(terms, idf)), doc) for doc, terms in members.items()]
    return min(scored, key=lambda x: (-x[0], x[1]))[1] if scored else None


def _place(todo, fresh, clusters, story_of, duplicate_of, idf) -> dict[str, str]:
    """Put each document, in publication order, in a story; return document -> story for these."""
    copies: dict[str, list[str]] = {}
    for copy, original in duplicate_of.items():
        copies.setdefault(original, []).append(copy)
    placed = {}
    for doc in todo:
        day = doc.published  # a lower bound (published_after) is no date to span a story with
        sid = _inherited(doc, duplicate_of, copies, story_of)
        if sid:
            clusters[sid].add(day, None, counts=not (doc.supersedes and story_of.get(doc.supersedes) == sid))
        else:
            v = vector(doc.terms if doc.terms is not None else fresh[doc.id], idf)
            sid = _best(clusters, _date(day), v)
            if sid is None:
                sid = story_id(doc.id)
                clusters[sid] = _Cluster(Story(sid, None, None, None))
            clusters[sid].add(day, v)
        story_of[doc.id] = placed[doc.id] = sid
    return placed


def update(store: Store, duplicate_of: dict[str, str]) -> dict[str, str]:
    """Place every document that has no story yet; return document -> story for all current documents."""
    stop = stop_words()
    todo = store.unclustered_documents()
    fresh = {d.id: features(d.title, store.lead(d.id, LEAD_SENTENCES), store.document_entities(d.id), stop)
             for d in todo if d.terms is None}
    store.add_story_terms(fresh)  # with the document frequencies, in one transaction
    idf = _idf(*store.story_df())
    clusters = {s.id: _Cluster.load(s, state) for s, state in store.story_states()}
    placed = _place(todo, fresh, clusters, store.document_stories(current_only=False), duplicate_of, idf)
    changed = {sid: c for sid, c in clusters.items() if c.changed}
    # What the store holds once ``placed`` is saved: placed documents are current and had no story.
    story_of = {**store.document_stories(), **placed}
    members: dict[str, list[str]] = {}
    for doc, sid in story_of.items():
        if sid in changed and doc not in duplicate_of:
            members.setdefault(sid, []).append(doc)
    terms = store.story_terms([doc for docs in members.values() for doc in docs])  # one query for all stories
    for sid, c in changed.items():
        central = _central(c, {doc: terms[doc] for doc in members.get(sid, []) if doc in terms}, idf)
        c.story.title = store.document_title(central) if central else c.story.title
    store.save_stories([(c.story, c.state()) for c in changed.values()], placed)
    return story_of


def assign_events(events: list[Event], story_of: dict[str, str]) -> None:
    """Each event joins the story most of its mentions' documents belong to (ties: the lower id)."""
    for ev in events:
        counts = Counter(story_of[doc] for doc, _ in ev.mentions if doc in story_of)
        ev.story = min(counts, key=lambda s: (-counts[s], s)) if counts else None
