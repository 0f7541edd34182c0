"""Where sources disagree about one canonical event, with every side and its documents."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Claim, Contradiction, EntityMention, Event
from .coref import _date_claims, _Item, date_span, independent
from .pairs import places_compatible


# Counts that grow as a story unfolds: a later, higher figure is usually an
# update (bodies found, the injured dying), not an error.
_TOLLS = frozenset({"killed", "injured", "missing", "displaced"})


def _cid(eid: str, attribute: str) -> str:
    return "ct_" + hashlib.sha1(f"{eid}:{attribute}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Reports:
    """What is known of the documents behind the claims: which are copies, and when each appeared."""

    duplicate_of: dict[str, str] = field(default_factory=dict)
    published: dict[str, str | None] = field(default_factory=dict)

    def independent(self, docs) -> set[str]:
        return independent(docs, self.duplicate_of)

    def latest(self, docs) -> str:
        return max((self.published.get(d) or "" for d in docs), default="")

    def first(self, docs) -> str:
        """The earliest known publication date among ``docs``, "" when none is known."""
        return min((p for d in docs if (p := self.published.get(d))), default="")


@dataclass
class _Side:
    """One claim being built: its value, documents, and what speaks for it."""

    value: str
    docs: set[str] = field(default_factory=set)
    precision: int = 0  # higher is more precise
    attributed: bool = False  # a named party gave it (an official toll, a ministry's count)
    number: float | None = None


def find(clusters: list[list[_Item]], events: list[Event], duplicate_of: dict[str, str] | None = None,
         published: dict[str, str | None] | None = None, entities: dict | None = None) -> list[Contradiction]:
    """Every disagreement inside each canonical event, one contradiction per attribute and count.

    Only documents that disagree count: one article giving two figures, or a
    copy repeating its original, is no dispute between sources.  ``published``
    (document -> publication date) lets a later report be told from an
    earlier one; ``entities`` gives places their coordinates and actors their side.
    """
    reports = Reports(duplicate_of or {}, published or {})
    entities = entities or {}
    out = []
    for items, ev in zip(clusters, events):
        found = [_date_contradiction(ev.id, items, reports),
                 *_quantity_contradictions(ev.id, items, reports, ev.date_value),
                 _location_contradiction(ev.id, items, reports, entities),
                 _actor_contradiction(ev.id, items, reports, entities, ev.type)]
        out.extend(c for c in found if c)
    return out


def _contradiction(eid: str, attribute: str, sides: list[_Side], reports: Reports, key: str | None = None,
                   tolls: bool = False) -> Contradiction | None:
    """Rank the sides best supported first and say why, or None when no two documents disagree."""
    sides = [s for s in sides if s.docs]
    if not _disputed(sides, reports):
        return None

    def support(s: _Side) -> tuple:
        return (len(reports.independent(s.docs)), s.precision, s.attributed, reports.latest(s.docs))

    sides.sort(key=lambda s: (support(s), s.value), reverse=True)
    note = _why(sides[0], sides[1], support)
    if tolls:
        note = _toll_note(sides, reports) or note
    return Contradiction(id=_cid(eid, key or attribute), event=eid, attribute=attribute,
                         claims=[Claim(s.value, sorted(s.docs)) for s in sides], note=note)


def _disputed(sides: list[_Side], reports: Reports) -> bool:
    """Whether two independent sources each give a value the other does not.

    An article that gives two figures ("17, later 20") while another gives
    one of them disagrees with no one; neither does a copy with its original.
    """
    own = []
    for s in sides:
        others = set().union(*(o.docs for o in sides if o is not s))
        own.append(reports.independent(s.docs - others))
    return sum(1 for docs in own if docs) >= 2 and len(set().union(*own)) >= 2


def _why(top: _Side, runner: _Side, support) -> str:
    """The first criterion on which the leading claim beats the next: sources, precision, attribution, recency."""
    a, b = support(top), support(runner)
    if a[0] != b[0]:
        return f"{top.value} is better supported: {a[0]} independent sources against {b[0]}"
    if a[1] != b[1]:
        return f"{top.value} is more precise; the sources are evenly split"
    if a[2] != b[2]:
        return f"{top.value} is attributed to a named party; the sources are evenly split"
    if a[3] != b[3]:
        return f"{top.value} is the later report ({a[3]}); the sources are evenly split"
    return "the sources are evenly split"


def _toll_note(sides: list[_Side], reports: Reports) -> str | None:
    """When the figure first reported last is also the highest, say it may be an update, not a dispute."""
    dated = [(reports.first(s.docs), s) for s in sides if s.number is not None and reports.first(s.docs)]
    if len({d for d, _ in dated}) < 2:
        return None
    newest_day, newest = max(dated, key=lambda p: (p[0], p[1].number))
    oldest_day, oldest = min(dated, key=lambda p: (p[0], -p[1].number))
    if newest.number < max(s.number for _, s in dated):
        return None
    return (f"{newest.value} was first reported on {newest_day}, {oldest.value} on {oldest_day}: "
            f"a toll that rises over time is usually an update, not an error")


def _date_contradiction(eid: str, items: list[_Item], reports: Reports) -> Contradiction | None:
    """Dates no single day satisfies; "August 2025" and "2025-08-15" agree and stand together."""
    sides = [_Side(c.value, set(c.docs), precision=len(c.value)) for c in _date_claims(items, reports.duplicate_of)]
    return _contradiction(eid, "date", sides, reports)


# Acts one side does to another, where who did it can be disputed: an attack, a seizure or arrest.
_ONE_SIDED = frozenset({"ASSAULT", "COERCE"})

# Sums of money and percentages about one event measure different things (a cost, a fine, a
# fund; a share of what?): two of them are no dispute.
_NOT_ONE_COUNT = ("money", "percent")


def _quantity_contradictions(eid: str, items: list[_Item], reports: Reports,
                             when: str | None = None) -> list[Contradiction]:
    """Figures for one count (killed; drones launched) that cannot all be true.

    Exact figures differ, or an exact figure falls below another source's
    "at least".  Counts of different weapons are different counts: 97 drones
    and 2 missiles launched are no dispute; sums of money and percentages are
    never compared; nor are the figures of a mention dated more than a month
    away from the event's ``when`` ("the 1988 bombing killed 270" told beside
    a 2010 explosion), while a day's difference is a dispute about one
    happening's date, not another happening.
    """
    by_count: dict[tuple, dict[float, _Side]] = defaultdict(dict)
    floors: dict[tuple, dict[float, _Side]] = defaultdict(dict)
    for it in items:
        d = it.mention.date
        if when and d and d.value and d.precision != "reported" and _apart(d.value, d.precision, when):
            continue
        for q in it.mention.quantities:
            if q.kind in _NOT_ONE_COUNT:
                continue
            count = (q.kind, q.weapon, q.unit)
            table = by_count if q.approx == "exact" else floors if q.approx == "at_least" else None
            if table is None:
                continue
            label = _count_label(q.kind, q.weapon, q.unit)
            value = f"{label}: {q.value:g}" if q.approx == "exact" else f"{label}: at least {q.value:g}"
            side = table[count].setdefault(q.value, _Side(value, number=q.value, precision=q.approx == "exact"))
            side.docs.add(it.doc)
            side.attributed |= q.claimant is not None
    out = []
    for count in sorted(by_count, key=str):
        exact = by_count[count]
        low = [f for v, f in floors.get(count, {}).items() if any(x < v for x in exact)]
        found = _contradiction(eid, "quantity", list(exact.values()) + low, reports,
                               key=":".join(str(c) for c in count if c), tolls=count[0] in _TOLLS)
        if found:
            out.append(found)
    return out


def _apart(value: str, precision: str, when: str) -> bool:
    """Whether a mention's own date lies more than a month from the event's: another time."""
    a, b = date_span(value, precision), date_span(when, None)
    return (b[0] - a[1]).days > 31 or (a[0] - b[1]).days > 31


def _count_label(kind: str, weapon: str | None, unit: str | None) -> str:
    extra = weapon.replace("_", " ") if weapon else unit
    return f"{kind} ({extra})" if extra else kind


def _location_contradiction(eid: str, items: list[_Item], reports: Reports, entities: dict) -> Contradiction | None:
    """Places too far apart to be one event's, each with the documents naming it."""
    sides: dict[str, _Side] = {}
    for it in items:
        loc = it.mention.location
        if loc in entities and it.mention.status != "denied":
            sides.setdefault(loc, _Side(entities[loc].name, precision=entities[loc].lat is not None)).docs.add(it.doc)
    places = [entities[p] for p in sides]
    if all(places_compatible(a, b) for i, a in enumerate(places) for b in places[i + 1:]):
        return None
    return _contradiction(eid, "location", _merge_compatible(sides, entities), reports)


def _merge_compatible(sides: dict[str, _Side], entities: dict) -> list[_Side]:
    """A region's documents also support the cities inside it: "Alaska" backs "Anchorage"."""
    precise = [p for p in sides if sides[p].precision]
    for p, side in sides.items():
        if not side.precision:
            for q in precise:
                if places_compatible(entities[p], entities[q]):
                    sides[q].docs |= side.docs
    return [s for p, s in sides.items() if s.precision or not precise]


def _actor_contradiction(eid: str, items: list[_Item], reports: Reports, entities: dict,
                         kind: str) -> Contradiction | None:
    """Sources that name different sides as the one who acted ("Russia struck" against "Ukraine struck").

    Actors are compared by country, so a state, its army and its president
    are one side; a document naming both sides as actors disputes nothing.
    Only a one-sided hostile act has a side that did it: a meeting, a deal
    or aid has a party on each side and a battle is fought by both, so each
    source may name either.  Only actors with a country take a side, and
    only reports that date the act speak for it.
    """
    if kind not in _ONE_SIDED:
        return None
    def side(a: str) -> str | None:
        ent = entities.get(a)
        return ent.country if ent and ent.type != "place" and ent.country else None

    by_side: dict[str, _Side] = {}
    per_doc: dict[str, set[str]] = defaultdict(set)
    for it in items:
        d = it.mention.date
        if it.mention.status == "denied" or not d or d.precision == "reported":
            continue  # a report that does not date the act may be telling of another one
        for a in it.source:
            s = side(a)
            if s is None:
                continue  # who has no side (an unplaced name, a place) takes no side in the dispute
            name = entities[a].name if a in entities else a
            by_side.setdefault(s, _Side(f"acted: {name}")).docs.add(it.doc)
            per_doc[it.doc].add(s)
    if len(by_side) < 2:
        return None
    # Keep documents that name one side only: they are the ones that disagree.
    for s in by_side.values():
        s.docs = {d for d in s.docs if len(per_doc[d]) == 1}
    return _contradiction(eid, "actors", list(by_side.values()), reports)


def role_contradictions(conflicts: list[tuple[str, int, EntityMention]],
                        events: list[Event]) -> list[Contradiction]:
    """A title the registry contradicts: the article's words against the registry's dates.

    The claim from the article cites its document and sentence; the other
    side is the registry, which is data rather than a source, so it cites none.
    """
    event_of = {mid: ev.id for ev in events for _, mid in ev.mentions}
    out = []
    for doc, sentence, m in conflicts:
        out.append(Contradiction(
            id=_cid(f"{doc}:{m.start}", "role"), event=event_of.get(f"{doc}:m{sentence}"), attribute="role",
            claims=[Claim(f"{m.title} {m.text}".strip(), [doc]), Claim(f"actor registry: {m.conflict}", [])],
            note=f"the article's title for {m.name} contradicts the actor registry on {m.date}",
            doc=doc, sentence=sentence))
    return out
