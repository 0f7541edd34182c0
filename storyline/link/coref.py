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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Claim, Event, EventMention, TimeExpr

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


def _days_apart(a: str, b: str) -> int:
    return abs((_as_date(a) - _as_date(b)).days)


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class _Item:
    doc: str
    mention: EventMention
    actors: set[str]
    countries: set[str]
    words: set[str]
    source: list[str] = field(default_factory=list)  # resolved like actors
    target: list[str] = field(default_factory=list)


@dataclass
class _Cluster:
    items: list[_Item] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)

    @property
    def date(self) -> str | None:
        return self.items[0].mention.date.value if self.items[0].mention.date else None

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


def _similarity(item: _Item, cluster: _Cluster) -> tuple[float, bool]:
    """Best similarity to any member, and whether the date conflicts."""
    best = 0.0
    for other in cluster.items[:50]:
        kw = _jaccard(item.words, other.words)
        ac = _jaccard(item.actors, other.actors)
        same_type = item.mention.type == other.mention.type
        score = 0.5 * kw + 0.35 * ac + (0.15 if same_type else 0.0)
        best = max(best, score)
    conflict = not mention_dates_compatible(item.mention.date, cluster.date_expr, cluster.prospective)
    return best, conflict


def _accepts(item: _Item, cluster: _Cluster, score: float, conflict: bool) -> bool:
    if _is_prospective(item.mention) != cluster.prospective:
        return False  # a planned summit is not the summit; _relate ties the two afterwards
    if item.countries and cluster.countries and not (item.countries & cluster.countries):
        return False  # a strike in Dnipro is not a strike in Belgorod
    shared = len(item.actors & cluster.actors)
    if not conflict:
        return score >= 0.4 and (shared >= 1 or score >= 0.55)
    # A different date: only an otherwise unmistakable match, within a season.
    if item.mention.type != cluster.type or shared < 2 or not (item.countries & cluster.countries):
        return False
    if "reported" in (item.mention.date.precision if item.mention.date else None,
                      cluster.date_expr.precision if cluster.date_expr else None):
        return False  # reported after its publication date: another event, not a disputed date
    if not item.mention.date or not cluster.date or _days_apart(item.mention.date.value, cluster.date) > 92:
        return False
    best_words = max(len(item.words & o.words) for o in cluster.items[:50])
    return score >= 0.45 and best_words >= 2


def cluster_mentions(mentions: list[tuple[str, EventMention]], entities: dict) -> list[list[_Item]]:
    alias = _actor_aliases(entities)

    def resolve(ids: list[str]) -> list[str]:
        # Unresolved names ("n_") are not actors.
        return [a for a in dict.fromkeys(alias.get(a, a) for a in ids) if not a.startswith("n_")]

    items = []
    for doc, m in mentions:
        actors = set(resolve(m.actors))
        countries = set()
        if m.location and m.location in entities and entities[m.location].country:
            countries.add(entities[m.location].country)
        names = {w for a in actors if a in entities for w in re.findall(r"[a-z]+", entities[a].name.lower())}
        words = {w for w in m.keywords if w not in names}
        items.append(_Item(doc, m, actors, countries, words, resolve(m.source), resolve(m.target)))
    items.sort(key=lambda it: (_PRECISION_RANK.get(it.mention.date.precision if it.mention.date else "unknown", 5),
                               it.mention.date.value if it.mention.date else "", it.mention.id))

    df = Counter(w for it in items for w in it.words)
    rare_limit = max(5, len(items) // 20)
    clusters: list[_Cluster] = []
    index: dict[str, list[int]] = defaultdict(list)
    for it in items:
        keys = {f"a:{a}" for a in it.actors} | {f"w:{w}" for w in it.words if df[w] <= rare_limit}
        cands: Counter = Counter()
        for k in sorted(keys):  # sorted: candidate ties must not depend on the hash seed
            for ci in index[k][-200:]:
                cands[ci] += 1
        best, best_score = None, 0.0
        for ci, _ in cands.most_common(30):
            score, conflict = _similarity(it, clusters[ci])
            if _accepts(it, clusters[ci], score, conflict) and score > best_score:
                best, best_score = ci, score
        if best is None:
            clusters.append(_Cluster())
            best = len(clusters) - 1
        cl = clusters[best]
        cl.items.append(it)
        cl.actors |= it.actors
        cl.countries |= it.countries
        for k in keys:
            if not index[k] or index[k][-1] != best:
                index[k].append(best)
    return [c.items for c in clusters]


def _date_claims(items: list[_Item]) -> list[Claim]:
    """Group the dates sources give; coarse dates support the finer ones they contain.

    A "reported" date is the article's own date, not a claim about the
    event's, so it is left out: it can neither win nor be disputed.
    """
    by_value: dict[str, set[str]] = defaultdict(set)
    for it in items:
        d = it.mention.date
        if d and d.value and d.precision != "reported":
            by_value[d.value].add(it.doc)
    values = sorted(by_value, key=lambda v: (-len(v), v))  # most precise first
    groups: list[tuple[str, set[str]]] = []
    for v in values:
        for i, (g, docs) in enumerate(groups):
            if dates_compatible(g, v):
                groups[i] = (g, docs | by_value[v])
                break
        else:
            groups.append((v, set(by_value[v])))
    # Best supported first: most documents, then most precise.
    groups.sort(key=lambda g: (-len(g[1]), -len(g[0])))
    return [Claim(value=g, docs=sorted(docs)) for g, docs in groups]


def _summary_item(items: list[_Item]) -> _Item:
    def centrality(it: _Item) -> tuple:
        overlap = sum(len(it.words & o.words) for o in items if o is not it)
        prec = _PRECISION_RANK.get(it.mention.date.precision if it.mention.date else "unknown", 5)
        return (-overlap, prec, len(it.mention.text), it.mention.id)
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


def _intensity(items: list[_Item]) -> float:
    return round(sum(it.mention.intensity for it in items) / len(items), 1)


def independent(docs, duplicate_of: dict[str, str] | None) -> set[str]:
    """The documents that count as sources: a near-duplicate counts as its original."""
    duplicate_of = duplicate_of or {}
    return {duplicate_of.get(d, d) for d in docs}


def make_events(clusters: list[list[_Item]], duplicate_of: dict[str, str] | None = None) -> list[Event]:
    """One canonical event per cluster, in cluster order.

    ``duplicate_of`` maps a syndicated copy or light rewrite to its original,
    so that twenty reprints of one wire story count as one source.
    """
    events = []
    for items in clusters:
        first = min(it.mention.id for it in items)
        eid = "ev_" + hashlib.sha1(first.encode()).hexdigest()[:12]
        claims = _date_claims(items)
        docs = independent((it.doc for it in items), duplicate_of)
        rep = _summary_item(items)
        types = Counter(it.mention.type for it in items)
        modes = _ranked(it.mention.mode for it in items if it.mention.mode)
        places = Counter(it.mention.location for it in items if it.mention.location)
        # The chosen mention date gives the event its precision and wording.
        date = _event_date(items, claims)
        events.append(Event(
            id=eid, type=types.most_common(1)[0][0], summary=summarise(rep.mention.text),
            date_value=date.value if date else None, date_precision=date.precision if date else "unknown",
            date_text=date.text if date else "",
            mentions=sorted((it.doc, it.mention.id) for it in items),
            actors=_ranked(a for it in items for a in sorted(it.actors)),
            location=places.most_common(1)[0][0] if places else None,
            salience=len(docs) + 0.1 * len(items),
            mode=modes[0] if modes else None, status=_status(items),
            source=_ranked(a for it in items for a in it.source),
            target=_ranked(a for it in items for a in it.target),
            intensity=_intensity(items),
        ))
    _relate(clusters, events)
    return events


def _fulfils(plan: Event, done: Event) -> bool:
    """Whether ``done`` can be the happening ``plan`` announced, by their dates alone."""
    return _fits(plan.date_value, plan.date_precision, done.date_value, done.date_precision, a_prospective=True)


def _relate(clusters: list[list[_Item]], events: list[Event]) -> None:
    """Tie each planned event to the one that fulfilled it, both ways.

    The candidates happened (occurred, reported or claimed), have the same
    type, share an actor and fit the plan's date; the one sharing most actors
    wins, then the same mode, then the better reported.
    """
    actors = [set().union(*(it.actors for it in items)) for items in clusters]
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
