"""Across documents: one canonical event per happening, and contradictions.

First pass (issue 6 deepens it).  Mentions are taken most-precise-date first
and each joins the most similar existing cluster among the candidates that
share an actor, a place or a distinctive keyword with it (blocking keeps the
work near-linear).  A mention whose date conflicts with a cluster may still
join it when everything else agrees strongly — same type, the same
participants, the same country, overlapping words, dates within a season —
and the disagreement is then recorded as a contradiction instead of being
silently resolved.

What a source says *of* an event matters too: a planned or hypothetical
summit is never the summit itself, so prospective mentions only cluster with
each other, and a plan is afterwards tied (``related``) to the event that
fulfilled it.  A mention dated only by its article's publication date
(precision "reported") is a bound, not a date: it happened on or before that
day.  It links to any cluster its bound allows, but never decides an event's
date and never contradicts a real one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Callable, Iterable

# independent lives in model (export needs it without this module's imports) and is also imported from here.
from ..model import Claim, Clues, EntityMention, Event, EventMention, TimeExpr, independent
from . import pairs
from .duplicates import jaccard

# "reported" ranks after every real date, so a cluster's first (dating) member
# has a real date whenever any of its members does.
_PRECISION_RANK = {"time": 0, "day": 0, "week": 1, "month": 2, "year": 3, "reported": 4, "unknown": 5}
# Statuses of something that has not happened (yet); they never share a
# cluster with the rest, which say it happened (or deny that it did).
_PROSPECTIVE = frozenset({"planned", "hypothetical"})
_HAPPENED = frozenset({"occurred", "reported", "claimed"})
# Tie-break among equally common statuses: the more definite first.
_STATUS_ORDER = {s: i for i, s in enumerate(("occurred", "reported", "claimed", "denied", "planned", "hypothetical"))}


def dates_compatible(a: str | None, b: str | None) -> bool:
    """True when two date values can describe the same day ("2025-08" and "2025-08-15")."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _as_date(value: str) -> dt.date:
    parts = [int(p) for p in value[:10].split("-")] + [1, 1]
    return dt.date(parts[0], parts[1] or 1, parts[2] or 1)


def date_span(value: str, precision: str | None, prospective: bool = False) -> tuple[dt.date, dt.date]:
    """The days a date can mean, first and last.

    A "reported" date is the publication date standing in for a missing one:
    the event happened on or before it, or, for a plan, happens on or after it.
    """
    try:
        first = _as_date(value)
    except ValueError:
        return dt.date.min, dt.date.max  # not a calendar value: it rules nothing out
    if precision == "reported":
        return (first, dt.date.max) if prospective else (dt.date.min, first)
    if len(value) == 4:
        return first, dt.date(first.year, 12, 31)
    if len(value) == 7:
        return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first, first


def _overlap(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _fits(a: str | None, a_precision: str | None, b: str | None, b_precision: str | None,
          a_prospective: bool = False, b_prospective: bool = False) -> bool:
    """``dates_compatible`` where a "reported" date is a bound, not a date."""
    if not a or not b:
        return True
    if "reported" not in (a_precision, b_precision):
        return dates_compatible(a, b)
    return _overlap(date_span(a, a_precision, a_prospective), date_span(b, b_precision, b_prospective))


def mention_dates_compatible(a: TimeExpr | None, b: TimeExpr | None, prospective: bool = False) -> bool:
    """Whether two mentions' dates can be one day.

    "Reported 2025-08-20" fits 2025-08-15 and August 2025 but not 2025-09-01;
    two reported dates always fit (both events happened before each report).
    """
    if not (a and b):
        return True
    return _fits(a.value, a.precision, b.value, b.precision, prospective, prospective)


def _is_prospective(m: EventMention) -> bool:
    return m.status in _PROSPECTIVE




# Sources that disagree by more than this many days describe two happenings.
_DISPUTE_DAYS = 31


def _gap_days(a: TimeExpr | None, b: TimeExpr | None) -> int:
    """Days between the nearest ends of two dates' spans: "July 2025" and 2025-08-15 are 15 apart."""
    if not (a and b and a.value and b.value):
        return 10**6
    sa, sb = date_span(a.value, a.precision), date_span(b.value, b.precision)
    if sa[0] > sb[1]:
        return (sa[0] - sb[1]).days
    return max(0, (sb[0] - sa[1]).days)


# A cluster is compared with a mention through at most this many of its
# first members, so a large cluster costs no more than a middling one.
_MEMBERS = 50
# A cluster tried for a disputed merge speaks through at most this many members.
_MERGE_MEMBERS = 20
# Clusters a mention is compared with: those sharing the most blocking keys.
_CANDIDATES = 30


@dataclass
class _Item:
    doc: str
    mention: EventMention
    actors: set[str]
    countries: set[str]
    words: set[str]
    source: list[str] = field(default_factory=list)  # resolved like actors
    target: list[str] = field(default_factory=list)
    place: EntityMention | None = None
    speakers: frozenset[str] = frozenset()  # who says a speech act: its persons if it names any, else its source


@dataclass
class _Cluster:
    items: list[_Item] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    places: list[EntityMention] = field(default_factory=list)
    dated: list[_Item] = field(default_factory=list)  # of the first _MEMBERS members, those with a real date
    sentences: set[tuple[str, int]] = field(default_factory=set)  # (document, sentence) of every member

    @property
    def date_expr(self) -> TimeExpr | None:
        return self.items[0].mention.date

    @property
    def prospective(self) -> bool:
        return _is_prospective(self.items[0].mention)

    @property
    def type(self) -> str:
        return self.items[0].mention.type


def _actor_aliases(entities: dict) -> dict[str, str]:
    """Map a bare-surname person id to the one full-name person who carries it."""
    full: dict[str, list[str]] = defaultdict(list)
    for eid, ent in entities.items():
        if ent.type == "person" and " " in ent.name:
            full[ent.name.split()[-1].lower()].append(eid)
    alias = {}
    for eid, ent in entities.items():
        if ent.type in ("person", "name") and " " not in ent.name:
            cands = full.get(ent.name.lower(), [])
            if len(cands) == 1:
                alias[eid] = cands[0]
    return alias


def _weighted_jaccard(a: set, b: set, weight: dict) -> float:
    shared = a & b
    if not shared:
        return 0.0
    union = sum(weight.get(x, 1.0) for x in a | b)
    return sum(weight.get(x, 1.0) for x in shared) / union if union else 0.0


def _similarity(item: _Item, cluster: _Cluster, actor_weight: dict) -> float:
    """Best similarity to any member.

    Actors count by rarity: in a war every event names both belligerents,
    so sharing "Russia" says little and sharing a governor says much.
    """
    # The cluster's places near the mention's, found once rather than once per member.
    # Every member's place is among cluster.places, and a place is the one
    # entity object its id names, so a member is near exactly when its id is here.
    near = ({p.entity_id for p in cluster.places if pairs.places_compatible(item.place, p)}
            if item.place is not None else set())
    best = 0.0
    for other in cluster.items[:_MEMBERS]:
        kw = jaccard(item.words, other.words)
        ac = _weighted_jaccard(item.actors, other.actors, actor_weight)
        same_type = item.mention.type == other.mention.type
        same_place = other.place is not None and other.place.entity_id in near
        score = 0.45 * kw + 0.3 * ac + (0.15 if same_type else 0.0) + (0.15 if same_place else 0.0)
        best = max(best, score)
    return best


def _conflicts(item: _Item, cluster: _Cluster) -> bool:
    """Whether the date or the place conflicts with the cluster's.

    A conflict with every member, not with the first: the first may be the
    odd one out.  Members dated by a real date speak for the cluster's date
    when there are any; an "on or before" bound fits too much to.  Checked
    before similarity, which most candidates never need.
    """
    if item.place and any(not pairs.places_compatible(item.place, p) for p in cluster.places):
        return True
    prospective = cluster.prospective
    return not any(mention_dates_compatible(item.mention.date, o.mention.date, prospective)
                   for o in cluster.dated or cluster.items[:_MEMBERS])


def _bound_only(item: _Item, cluster: _Cluster) -> bool:
    """Whether either side is dated only by a publication date (a bound, not a day)."""
    return "reported" in (item.mention.date.precision if item.mention.date else None,
                          cluster.date_expr.precision if cluster.date_expr else None)


# Acts that a dispute over date or place can be about.  Statements, appeals
# and the like recur daily in similar words; two of them on different days
# are two statements, not one statement misdated.
_DISPUTABLE = frozenset({"ASSAULT", "FIGHT", "COERCE", "MOBILIZE", "CONSULT", "AGREE", "AID", "SANCTION",
                         "RETREAT", "PROTEST", "CONCEDE"})


def _may_join(item: _Item, cluster: _Cluster) -> bool:
    """Cheap gates any joining must pass, checked before any similarity is computed."""
    if _is_prospective(item.mention) != cluster.prospective:
        return False  # a planned summit is not the summit; _relate ties the two afterwards
    if (item.doc, item.mention.sentence) in cluster.sentences:
        return False  # a sentence telling two acts of a kind apart ("met ... days after the summit") means two
    # A strike in Dnipro is not a strike in Belgorod.
    return not (item.countries and cluster.countries and not (item.countries & cluster.countries))


def _may_dispute(item: _Item, cluster: _Cluster) -> bool:
    """Cheap gates for joining despite a different date or place: same act, same country, close in time."""
    if not _may_join(item, cluster) or cluster.prospective:
        return False  # a plan with another date is another plan, or the same one moved: no dispute
    if item.mention.type != cluster.type or item.mention.type not in _DISPUTABLE:
        return False
    if not (item.countries & cluster.countries) or _bound_only(item, cluster):
        return False  # reported after its publication date: another event, not a disputed date
    shared = len(item.actors & cluster.actors)
    if shared < 2 and not (shared and item.place and item.place in cluster.places):
        return False
    return _gap_days(item.mention.date, cluster.date_expr) <= _DISPUTE_DAYS


def _best_words(item: _Item, cluster: _Cluster) -> int:
    return max(len(item.words & o.words) for o in cluster.items[:_MEMBERS])


def _accepts(item: _Item, cluster: _Cluster, score: float) -> bool:
    """Whether a mention that agrees on date and place is one more report of the cluster's happening."""
    if item.mention.type != cluster.type or not item.actors & cluster.actors:
        return False  # the same act by the same participants, not merely the same day and place
    # ... and the same place or words: an "on or before" bound fits months of events, and a shared date
    # and participant alone fits a day's many acts.
    same_place = bool(item.place and item.place in cluster.places)
    return score >= 0.4 and (same_place or _best_words(item, cluster) >= 2)


def _reported_before(docs: Iterable[str], date: TimeExpr | None, published: dict[str, str | None]) -> bool:
    """Whether every one of ``docs`` was published before ``date`` could begin.

    Such an article cannot report as done a happening of that date: what it
    tells is an earlier one.
    """
    if not (date and date.value and date.precision != "reported"):
        return False
    start = date_span(date.value, date.precision)[0].isoformat()
    days = [published.get(d) for d in docs]
    return bool(days) and all(p and p[:10] < start for p in days)


def _disputes(it: _Item, cluster: _Cluster, weight: dict, published: dict[str, str | None]) -> bool:
    """Whether ``it`` is the cluster's happening told with another date or place.

    Only an otherwise unmistakable match: the same act, participants and
    country within a month, and words in common; and neither side told
    before the other's date (one published on 29 April about a meeting
    "on Thursday" does not dispute a meeting of 3 May: it reports another).
    """
    if not _may_dispute(it, cluster) or not _conflicts(it, cluster) or _best_words(it, cluster) < 3:
        return False
    if _reported_before([it.doc], cluster.date_expr, published) or \
            _reported_before({o.doc for o in cluster.dated or cluster.items}, it.mention.date, published):
        return False
    return _similarity(it, cluster, weight) >= 0.45


def items_of(mentions: list[tuple[str, EventMention]], entities: dict) -> list[_Item]:
    """Mentions with what linking compares: resolved actors, place, country, content words."""
    alias = _actor_aliases(entities)

    def resolve(ids: list[str]) -> list[str]:
        # Unresolved names ("n_") are not actors.
        return [a for a in dict.fromkeys(alias.get(a, a) for a in ids) if not a.startswith("n_")]

    items = []
    for doc, m in mentions:
        actors = set(resolve(m.actors))
        place = entities.get(m.location) if m.location else None
        countries = {place.country} if place and place.country else set()
        names = {w for a in actors if a in entities for w in re.findall(r"[a-z]+", entities[a].name.lower())}
        words = {w for w in m.keywords if w not in names}
        source = resolve(m.source)
        # "Russia's deputy foreign minister Sergei Vershinin accused ..." and "Blinken accused Russia ...": the
        # persons who speak say whose words they are, not the state both are of or speak of.
        people = frozenset(a for a in source if a in entities and entities[a].type == "person")
        items.append(_Item(doc, m, actors, countries, words, source, resolve(m.target), place,
                           people or frozenset(source)))
    items.sort(key=lambda it: (_PRECISION_RANK.get(it.mention.date.precision if it.mention.date else "unknown", 5),
                               it.mention.date.value if it.mention.date else "", it.mention.id))
    return items


class _Blocks:
    """Blocking keys: a mention is only compared with clusters sharing an actor, a place or a rare word."""

    def __init__(self, items: list[_Item]):
        df = Counter(w for it in items for w in it.words)
        limit = max(5, len(items) // 20)
        self.rare = {w for w, n in df.items() if n <= limit}
        self.index: dict[str, list[int]] = defaultdict(list)

    def keys(self, it: _Item) -> list[str]:
        keys = {f"a:{a}" for a in it.actors} | {f"w:{w}" for w in it.words & self.rare}
        if it.mention.location:
            keys.add(f"p:{it.mention.location}")
        return sorted(keys)  # sorted: candidate ties must not depend on the hash seed

    def candidates(self, keys: list[str]) -> list[int]:
        counts = Counter(chain.from_iterable(self.index[k][-200:] for k in keys if k in self.index))
        return [ci for ci, _ in counts.most_common(_CANDIDATES)]

    def add(self, keys: list[str], ci: int) -> None:
        for k in keys:
            if not self.index[k] or self.index[k][-1] != ci:
                self.index[k].append(ci)


def _join(cluster: _Cluster, it: _Item) -> None:
    if len(cluster.items) < _MEMBERS and it.mention.date and it.mention.date.precision != "reported":
        cluster.dated.append(it)
    cluster.items.append(it)
    cluster.sentences.add((it.doc, it.mention.sentence))
    cluster.actors |= it.actors
    cluster.countries |= it.countries
    if it.place and it.place not in cluster.places:
        cluster.places.append(it.place)


# How far before its report (or after, for a plan) a mention dated only by its report is taken to lie.
_REPORT_DAYS = 3
# Acts that are one party's words: who said it is what the act is.
_SPEECH = frozenset({"STATEMENT", "THREATEN", "DISAPPROVE", "ACCUSE", "DEMAND", "REQUEST", "REJECT", "SUPPORT"})
# PLOVER's material conflict and material cooperation: no one happening is both.
_POLARITY = {"ASSAULT": -1, "FIGHT": -1, "COERCE": -1, "MOBILIZE": -1, "SANCTION": -1,
             "AID": 1, "COOPERATE": 1, "RETREAT": 1, "CONCEDE": 1}


def _view(it: _Item) -> pairs.View:
    """What the shared pair model and its constraints see of a mention.

    The names in its sentence are the entities it resolved (participants and
    place), which spell "Putin" and "Vladimir Putin" alike; the clues' name
    words serve only when it resolved none.
    """
    m = it.mention
    prospective = _is_prospective(m)
    span = date_span(m.date.value, m.date.precision, prospective) if m.date and m.date.value else None
    if span and m.date.precision == "reported":
        # Dated only by its report: news tells what just happened (or is about to), so for the pair
        # model it is a few days around the report; older happenings it can still join through
        # _merge_agreeing, which asks for the same place or words.
        day = span[1] if not prospective else span[0]
        span = (day - dt.timedelta(days=_REPORT_DAYS), day) if not prospective else (day, day + dt.timedelta(days=_REPORT_DAYS))
    clues = m.clues or Clues(m.trigger.lower())
    names = frozenset(it.actors) | ({m.location} if m.location else frozenset())
    if names:
        clues = replace(clues, names=names)
    return pairs.View(m.id, it.doc, f"{it.doc}#{m.sentence}", clues, span,
                      prospective, next(iter(it.countries)) if it.countries else None, it.place,
                      _POLARITY.get(m.type, 0), it.speakers if m.type in _SPEECH else None,
                      frozenset(it.words) if m.type in _SPEECH else None)


def cluster_mentions(mentions: list[tuple[str, EventMention]], entities: dict,
                     doc_terms: dict[str, dict[str, int]] | None = None,
                     published: dict[str, str | None] | None = None) -> list[list[_Item]]:
    """Group mentions of one happening, in two passes, one component of the pile at a time.

    The first pass is the project's coreference (``pairs.cluster``, the
    method ECB+ measures): mentions link only when their dates can be one
    day, their places one place, and so on for every pair of a cluster.  The
    second merges clusters that disagree on date or place but match on
    everything else; what they disagree on becomes a contradiction.
    ``doc_terms`` are the documents' story terms (``stories.features``),
    from which the pair model reads how alike two articles are; ``published``
    their publication dates (document id -> ISO date), which bound what an
    article can report as done.  The pile is split into components
    (``components.split``) that no pass can join, and each is clustered with
    its own statistics (but for the pile's scale of article likeness), so the
    clusters of a component do not depend on the rest of the pile: the link
    stage re-clusters only the components that changed.
    """
    from .components import split  # components are made of this module's items

    doc_sim = pairs.document_similarity(doc_terms or {})
    return [c for part in split(items_of(mentions, entities)) for c in cluster_items(part, doc_sim, published)]


def cluster_items(items: list[_Item], doc_sim: Callable[[str, str], float],
                  published: dict[str, str | None] | None = None) -> list[list[_Item]]:
    """``cluster_mentions`` on one component (``components.split``).

    Every statistic but how alike two articles are (``doc_sim``, on the
    scale of the pile's reference) is the component's own.  ``items`` are in
    the order ``items_of`` gives them (most precise date first).
    """
    if len(items) < 2:
        return [list(items)] if items else []
    actor_df = Counter(a for it in items for a in it.actors)
    weight = {a: math.log((len(items) + 1) / (n + 1)) + 0.1 for a, n in actor_df.items()}
    views = [_view(it) for it in items]
    labels = pairs.cluster(views, doc_sim)
    clusters: list[_Cluster] = [_Cluster() for _ in range(max(labels, default=-1) + 1)]
    groups: list[pairs._Group | None] = [None] * len(clusters)
    for it, v, label in zip(items, views, labels):  # most precise date first, so a cluster's first dates it
        _join(clusters[label], it)
        if groups[label] is None:
            groups[label] = pairs._Group.of(v)
        else:
            groups[label].absorb(pairs._Group.of(v))
    blocks = _Blocks(items)
    keys_of: dict[int, list[str]] = {}  # id(item) -> its blocking keys, for the later passes
    for ci, c in enumerate(clusters):
        for it in c.items:
            keys_of[id(it)] = blocks.keys(it)
            blocks.add(keys_of[id(it)], ci)
    _merge_agreeing(clusters, groups, blocks, weight, keys_of)
    blocks.index.clear()  # point the keys at the clusters their mentions now belong to
    for ci, c in enumerate(clusters):
        for it in c.items:
            blocks.add(keys_of[id(it)], ci)
    return _merge_disputed(clusters, blocks, weight, keys_of, published or {})


def _merge_agreeing(clusters: list[_Cluster], groups: list, blocks: "_Blocks", weight: dict,
                    keys_of: dict[int, list[str]]) -> None:
    """Merge clusters that agree on date, place and act and share participants, words and type.

    What the pair model cannot weigh, because ECB+ (where it learned) has
    no dates, places or resolved participants: two reports of "the summit"
    on the same day in the same city between the same two presidents.  The
    pair model's constraints hold here too (``pairs._Group.fits``: every
    member's date, place, status and kind of act can go with every other's),
    so no chain of near matches drifts across days.  Merged clusters are
    emptied in place.
    """
    def pick(small: int, bigs: list[int]) -> int | None:
        best, best_score = None, 0.0
        for big in bigs:
            if not groups[big].fits(groups[small]):
                continue
            for it in clusters[small].items[:_MERGE_MEMBERS]:
                score = _similarity(it, clusters[big], weight)
                if score > best_score and _accepts(it, clusters[big], score):
                    best, best_score = big, score
        return best

    _absorb(clusters, blocks, keys_of, pick, lambda big, small: groups[big].absorb(groups[small]))


def _merge_disputed(clusters: list[_Cluster], blocks: _Blocks, weight: dict,
                    keys_of: dict[int, list[str]], published: dict[str, str | None]) -> list[list[_Item]]:
    """Merge clusters that report one happening with a different date or place.

    Larger clusters absorb smaller ones; each absorbed cluster is tried
    against the candidates its own blocking keys find (``keys_of``: id of
    each item -> the keys the first pass gave it), so the work stays
    near-linear.
    """
    def pick(small: int, bigs: list[int]) -> int | None:
        return next((big for big in bigs if any(_disputes(it, clusters[big], weight, published)
                                                for it in clusters[small].items[:_MERGE_MEMBERS])), None)

    _absorb(clusters, blocks, keys_of, pick)
    return [c.items for c in clusters if c.items]


def _absorb(clusters: list[_Cluster], blocks: _Blocks, keys_of: dict[int, list[str]],
            pick: Callable[[int, list[int]], int | None],
            merged: Callable[[int, int], None] | None = None) -> None:
    """Smallest first, move each cluster into the one ``pick`` chooses among the larger candidates.

    The candidates are the clusters its members' blocking keys lead to, each
    counted as the cluster it has since been merged into.  A merged cluster
    is emptied in place; ``merged(big, small)`` is told of each merge.
    """
    root = list(range(len(clusters)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for small in sorted(range(len(clusters)), key=lambda i: (len(clusters[i].items), -i)):
        if not clusters[small].items:
            continue  # merged by an earlier pass
        keys = sorted({k for it in clusters[small].items[:_MERGE_MEMBERS] for k in keys_of[id(it)]})
        # Never two acts one sentence tells apart: a cluster may not absorb one sharing a sentence with it.
        bigs = [big for big in dict.fromkeys(find(ci) for ci in blocks.candidates(keys))
                if big != find(small) and len(clusters[big].items) >= len(clusters[small].items)
                and clusters[small].sentences.isdisjoint(clusters[big].sentences)]
        big = pick(small, bigs)
        if big is None:
            continue
        for it in clusters[small].items:
            _join(clusters[big], it)
        if merged:
            merged(big, small)
        clusters[small].items, clusters[small].dated, clusters[small].sentences = [], [], set()
        root[small] = big


def _place_of(items: list[_Item], rep: _Item) -> str | None:
    """The place most mentions give; of places given equally often, the one the summary's mention gives.

    A region (a place without coordinates) backs the located places of its country that more than one
    mention names, as in a location dispute: "Alaska" counts for "Anchorage" where two reports name the
    city.  (The gazetteer knows no region's bounds, so one report of a city does not outweigh them.)"""
    places = Counter(it.mention.location for it in items if it.mention.location)
    if not places:
        return None
    named = {it.place.entity_id: it.place for it in items if it.mention.location and it.place is not None}
    located = [p for p in named.values() if p.lat is not None and places[p.entity_id] > 1]
    for region in (p for p in named.values() if p.lat is None):
        backed = [p for p in located if pairs.places_compatible(region, p)]
        for p in backed:
            places[p.entity_id] += places[region.entity_id]
        if backed:
            del places[region.entity_id]
    top = max(places.values())
    tied = [p for p, n in places.items() if n == top]
    return rep.mention.location if rep.mention.location in tied else tied[0]


def _date_claims(items: list[_Item], duplicate_of: dict[str, str] | None = None) -> list[Claim]:
    """Group the dates sources give; a coarse date supports the finer ones it contains.

    "April 2025" fits both "13 April" and "12 April", so it takes no side in
    their dispute: it joins the better supported of the two.  A "reported"
    date is the article's own date, not a claim about the event's, so it is
    left out: it can neither win nor be disputed.
    """
    by_value: dict[str, set[str]] = defaultdict(set)
    for it in items:
        d = it.mention.date
        if d and d.value and d.precision != "reported":
            by_value[d.value].add(it.doc)

    def support(docs: set[str]) -> int:
        return len(independent(docs, duplicate_of))

    groups: list[tuple[str, set[str]]] = []
    for v in sorted(by_value, key=lambda v: (-len(v), -support(by_value[v]), v)):  # most precise first
        fits = [i for i, (g, _) in enumerate(groups) if dates_compatible(g, v)]
        if fits:
            i = max(fits, key=lambda i: (support(groups[i][1]), -i))
            groups[i] = (groups[i][0], groups[i][1] | by_value[v])
        else:
            groups.append((v, set(by_value[v])))
    # Best supported first: most independent documents, then most precise.
    groups.sort(key=lambda g: (-support(g[1]), -len(g[0])))
    return [Claim(value=g, docs=sorted(docs)) for g, docs in groups]


def _summary_item(items: list[_Item], date: TimeExpr | None) -> _Item:
    """The most central mention among those that agree with the event's date, one that writes a date
    before one that does not.

    A sentence giving the disputed date would contradict the date printed
    beside it, so it never speaks for the event; a sentence with no date of
    its own ("It's going to be a good meeting," Trump said) says less of it
    than one that gives the day ("set to meet in Anchorage on Friday").
    """
    # Words shared with every other member, counted through how many members use each word.
    df = Counter(w for o in items for w in o.words)

    def centrality(it: _Item) -> tuple:
        overlap = sum(df[w] - 1 for w in it.words)
        prec = _PRECISION_RANK.get(it.mention.date.precision if it.mention.date else "unknown", 5)
        agrees = date is None or mention_dates_compatible(it.mention.date, date)
        undated = it.mention.date is None or not it.mention.date.text
        return (not agrees, undated, -overlap, prec, len(it.mention.text), it.mention.id)
    return min(items, key=centrality)


def summarise(text: str) -> str:
    """One line from a source sentence: bullet marks go, the words stay."""
    text = re.sub(r"^\s*(?:[-*•‣▪]|\d+[.)])\s+", "", text.strip())
    return re.sub(r"\s+", " ", text)


def _event_date(items: list[_Item], claims: list[Claim]) -> TimeExpr | None:
    """The mention date behind the best claim; with no real date, the earliest report.

    The earliest publication date is the tightest bound a "reported" event has.
    """
    if claims:
        return next(it.mention.date for it in items if it.mention.date and it.mention.date.precision != "reported"
                    and it.mention.date.value == claims[0].value)
    reported = [it.mention.date for it in items if it.mention.date and it.mention.date.value]
    return min(reported, key=lambda d: d.value) if reported else None


def _status(items: list[_Item]) -> str:
    """The most common status; once a source says it happened, it is no longer only planned."""
    counts = Counter(it.mention.status for it in items)
    if counts.keys() & {"occurred", "reported"}:
        for s in _PROSPECTIVE:
            counts.pop(s, None)
    return min(counts, key=lambda s: (-counts[s], _STATUS_ORDER.get(s, len(_STATUS_ORDER)), s))


def _ranked(ids) -> list[str]:
    """Ids by how many mentions name them; first named first among equals."""
    return [a for a, _ in Counter(ids).most_common()]


def _share(docs: set[str], sizes: dict, story_of: dict[str, str] | None) -> float:
    """The part of the event's story's independent documents that report it."""
    counts = Counter((story_of or {}).get(d) for d in docs)
    story = min(counts, key=lambda s: (-counts[s], s or ""))  # ties by id, never by hash order
    return len(docs) / sizes[story] if sizes.get(story) else 0.0


def _intensity(items: list[_Item]) -> float:
    return round(sum(it.mention.intensity for it in items) / len(items), 1)


def salience(sources: int, mentions: int, share: float, intensity: float, status: str) -> float:
    """How much an event matters to a reader of its story, for ranking and cutting timelines.

    Independent sources weigh most (each is a newsroom that chose to report
    it); repeated mentions add a little; ``share`` (the part of its story's
    independent articles that report it, 0..1) adds up to 2 — an event
    every article returns to is the story's spine; violence or deep
    cooperation (|intensity| up to 10) adds up to 2.  What did not or may not
    happen counts half.
    """
    score = sources + 0.1 * (mentions - sources) + 2 * share + abs(intensity) / 5
    return round(score * (0.5 if status in ("planned", "hypothetical", "denied") else 1.0), 3)


def _story_sizes(events: list[Event], duplicate_of: dict[str, str] | None,
                 story_of: dict[str, str] | None) -> dict[str | None, int]:
    """Independent documents per story; without stories, the whole pile is one."""
    docs = independent({doc for ev in events for doc, _ in ev.mentions}, duplicate_of)
    return Counter((story_of or {}).get(d) for d in docs)


def event_id(items: list[_Item], published: dict[str, str | None] | None = None) -> str:
    """An event's id: from its first reported mention (earliest publication date, then mention id).

    News arrives in date order, so a cluster that grows keeps its id; an
    undated document's mentions come last.
    """
    published = published or {}
    first = min(items, key=lambda it: (published.get(it.doc) or "9999", it.mention.id))
    return "ev_" + hashlib.sha1(first.mention.id.encode()).hexdigest()[:12]


def make_event(items: list[_Item], duplicate_of: dict[str, str] | None = None,
               published: dict[str, str | None] | None = None) -> Event:
    """The canonical event of one cluster, without what depends on other events (salience, related, story).

    ``duplicate_of`` maps a syndicated copy or light rewrite to its original,
    so that twenty reprints of one wire story count as one source.
    """
    claims = _date_claims(items, duplicate_of)
    types = Counter(it.mention.type for it in items)
    modes = _ranked(it.mention.mode for it in items if it.mention.mode)
    # The chosen mention date gives the event its precision and wording.
    date = _event_date(items, claims)
    rep = _summary_item(items, date)
    return Event(
        id=event_id(items, published), type=types.most_common(1)[0][0], summary=summarise(rep.mention.text),
        date_value=date.value if date else None, date_precision=date.precision if date else "unknown",
        date_text=date.text if date else "",
        mentions=sorted((it.doc, it.mention.id) for it in items),
        actors=_ranked(a for it in items for a in sorted(it.actors)),
        location=_place_of(items, rep), salience=0.0,
        mode=modes[0] if modes else None, status=_status(items),
        source=_ranked(a for it in items for a in it.source),
        target=_ranked(a for it in items for a in it.target),
        intensity=_intensity(items),
    )


def score(events: list[Event], duplicate_of: dict[str, str] | None = None,
          story_of: dict[str, str] | None = None) -> None:
    """Set every event's salience and ``related``: both weigh an event against all the others.

    ``story_of`` (document -> story) lets salience weigh an event within its story.
    """
    sizes = _story_sizes(events, duplicate_of, story_of)
    for ev in events:
        docs = independent((doc for doc, _ in ev.mentions), duplicate_of)
        ev.salience = salience(len(docs), len(ev.mentions), _share(docs, sizes, story_of), ev.intensity,
                               ev.status)
        ev.related = []
    _relate(events)


def make_events(clusters: list[list[_Item]], duplicate_of: dict[str, str] | None = None,
                story_of: dict[str, str] | None = None,
                published: dict[str, str | None] | None = None) -> list[Event]:
    """One canonical event per cluster, in cluster order, weighed against each other (``score``)."""
    events = [make_event(items, duplicate_of, published) for items in clusters]
    score(events, duplicate_of, story_of)
    return events


def _fulfils(plan: Event, done: Event) -> bool:
    """Whether ``done`` can be the happening ``plan`` announced, by their dates alone.

    A plan dated only by its report ("due to meet", no day given) speaks of
    the weeks ahead: it is not fulfilled by an event months later.
    """
    if not _fits(plan.date_value, plan.date_precision, done.date_value, done.date_precision, a_prospective=True):
        return False
    if plan.date_precision != "reported" or not (plan.date_value and done.date_value):
        return True
    return _gap_days(TimeExpr(-1, -1, "", plan.date_value, "day"),
                     TimeExpr(-1, -1, "", done.date_value, done.date_precision)) <= _DISPUTE_DAYS


def _relate(events: list[Event]) -> None:
    """Tie each planned event to the one that fulfilled it, both ways.

    The candidates happened (occurred, reported or claimed), have the same
    type, share an actor and fit the plan's date; the one sharing most actors
    wins, then the same mode, then the better reported.
    """
    actors = [set(ev.actors) for ev in events]
    happened: dict[str, list[int]] = defaultdict(list)  # by type: only the same type can fulfil a plan
    for i, ev in enumerate(events):
        if ev.status in _HAPPENED:
            happened[ev.type].append(i)
    for p, plan in enumerate(events):
        if plan.status not in _PROSPECTIVE:
            continue
        best, best_key = None, None
        for d in happened[plan.type]:
            done, shared = events[d], len(actors[p] & actors[d])
            if not shared or not _fulfils(plan, done):
                continue
            key = (shared, done.mode == plan.mode, done.salience, done.id)
            if best_key is None or key > best_key:
                best, best_key = done, key
        if best:
            plan.related = sorted(set(plan.related) | {best.id})
            best.related = sorted(set(best.related) | {plan.id})
