"""Components: the parts of the pile that are linked independently of each other.

Incremental linking rests on one rule: **the events of a component are a
function of that component's mentions alone.**  A component is a connected
set of mentions under the "may be one happening" relation below; coreference
(``coref.cluster_mentions``), the events made of its clusters and their
contradictions are computed per component, with every statistic the passes
use (actor rarity, rare words) counted within the component, and how alike
two articles are read on one scale, the pile's reference (``pairs.Reference``
of the pile's first documents, see ``link._reference``), which is part of
every fingerprint.  So

- a full re-link is: split the pile into components, link each;
- an incremental link is the same, except that a component whose
  ``fingerprint`` (its mentions and everything linking reads of them) is
  already in the store keeps the events stored for it;

and the two give the same events, ids, links and contradictions by
construction, whatever order the documents arrived in.

The relation is pairwise, so adding mentions only joins components, never
splits one, and it is defined by what the two mentions are, never by the rest
of the pile.  Two mentions are related when they could be joined by one of
the passes of ``coref.cluster_mentions``:

- the pair model (``pairs.cluster``): their head words share a candidate key
  (stem, learned synonym, prefix; an act class only with a shared patient)
  and every hard constraint lets them be one happening (``pairs._Group.fits``);
- the agreeing merge: the same type, a shared participant, the constraints,
  and the same place or two content words in common;
- the disputed merge: the same disputable type, both with a real date
  within ``coref._DISPUTE_DAYS`` of each other, a shared participant and
  three content words in common.

Candidate pairs are found per key among mentions sorted by the start of their
date span, so only mentions whose spans come near each other are compared.

What is not a function of one component is recomputed for every event after
each link, from the events themselves (cheap): salience (it weighs an event
by its story's size), the story an event belongs to, and ``related`` (a plan
tied to the event that fulfilled it, which may lie in another component).
Role contradictions (a title against the actor registry) are few and are
found again each time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import fields, is_dataclass
from functools import lru_cache
from typing import Callable, Iterable

from . import coref, pairs

# Changed whenever linking changes, so that components linked by an older version are linked again.
_VERSION = 3  # 2: a speech act's speakers are its persons; 3: speech acts and deeds never join
# A span that means nothing (an unparseable date) is compared with everything of its key.
_NO_SPAN = (dt.date.min, dt.date.max)


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _lexical_keys(v: pairs.View, partners: dict[str, list[str]]) -> list[str]:
    """The pair model's candidate keys, without its act classes (``_act_keys``)."""
    return [k for k in pairs._keys(v, partners) if not k.startswith("a:")]


def _sweep(members: list[int], spans: list[tuple[dt.date, dt.date]], union: _Union,
           related: Callable[[int, int], bool], slack: dt.timedelta = dt.timedelta(0)) -> None:
    """Join the related pairs of one key's members whose spans come within ``slack`` of each other."""
    members = sorted(members, key=lambda i: (spans[i][0], i))
    for p, i in enumerate(members):
        last = spans[i][1]
        reach = last + slack if last < dt.date.max - slack else dt.date.max
        for j in members[p + 1:]:
            if spans[j][0] > reach:
                break
            if union.find(i) != union.find(j) and related(i, j):
                union.join(i, j)


def _span(v: pairs.View) -> tuple[dt.date, dt.date]:
    return v.span or _NO_SPAN


def _real_span(it: coref._Item) -> tuple[dt.date, dt.date] | None:
    d = it.mention.date
    if not (d and d.value) or d.precision == "reported" or coref._is_prospective(it.mention):
        return None
    return coref.date_span(d.value, d.precision)


def split(items: list[coref._Item]) -> list[list[coref._Item]]:
    """The components of ``items``, each in the order of ``items``; components by their first item."""
    views = [coref._view(it) for it in items]
    groups = [pairs._Group.of(v) for v in views]
    spans = [_span(v) for v in views]
    union = _Union(len(items))
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs.load_model().synonyms:
        partners[a].append(b)
        partners[b].append(a)

    def fits(i: int, j: int) -> bool:
        return groups[i].fits(groups[j])

    def acts(i: int, j: int) -> bool:
        return bool(views[i].clues.patients & views[j].clues.patients) and fits(i, j)

    def agrees(i: int, j: int) -> bool:
        a, b = items[i], items[j]
        same_place = a.place is not None and b.place is not None and a.place.entity_id == b.place.entity_id
        return (same_place or len(a.words & b.words) >= 2) and fits(i, j)

    def disputes(i: int, j: int) -> bool:
        return len(items[i].words & items[j].words) >= 3

    lexical: dict[str, list[int]] = defaultdict(list)
    act: dict[str, list[int]] = defaultdict(list)
    agreeing: dict[tuple[str, str], list[int]] = defaultdict(list)
    disputed: dict[tuple[str, str], list[int]] = defaultdict(list)
    real: list[tuple[dt.date, dt.date]] = list(spans)
    for i, (it, v) in enumerate(zip(items, views)):
        for k in _lexical_keys(v, partners):
            lexical[k].append(i)
        for a in v.acts:
            act[a].append(i)
        for a in it.actors:
            agreeing[it.mention.type, a].append(i)
        span = _real_span(it)
        if span and it.mention.type in coref._DISPUTABLE:
            real[i] = span
            for a in it.actors:
                disputed[it.mention.type, a].append(i)
    for members in lexical.values():
        _sweep(members, spans, union, fits)
    for members in act.values():
        _sweep(members, spans, union, acts)
    for members in agreeing.values():
        _sweep(members, spans, union, agrees)
    month = dt.timedelta(days=coref._DISPUTE_DAYS)
    for members in disputed.values():
        _sweep(members, real, union, disputes, slack=month)
    parts: dict[int, list[coref._Item]] = {}
    for i, it in enumerate(items):
        parts.setdefault(union.find(i), []).append(it)
    return list(parts.values())


@lru_cache(maxsize=4)
def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def fingerprint(items: Iterable[coref._Item], published: dict[str, str | None], duplicate_of: dict[str, str],
                entities: dict, reference: str) -> str:
    """What linking reads of a component, hashed: its mentions as resolved, their documents' dates and
    originals, the entities they name, and ``reference``, the pile's reference scale of likeness
    (``pairs.Reference`` as JSON).  Equal fingerprints give equal events and contradictions."""
    def entity(eid: str | None) -> list | None:
        e = entities.get(eid) if eid else None
        return [eid, e.name, e.type, e.country, e.lat, e.lon] if e else [eid]

    rows = []
    for it in items:
        named = sorted({*it.actors, *it.source, *it.target, *([it.mention.location] if it.mention.location else [])})
        rows.append(json.dumps([it.doc, _plain_value(it.mention), sorted(it.actors), sorted(it.countries),
                                sorted(it.words), it.source, it.target, [entity(e) for e in named],
                                published.get(it.doc), duplicate_of.get(it.doc)], default=_plain))
    rows.sort()
    rows.append(json.dumps([_VERSION, _digest(reference)]))
    return hashlib.sha1("\n".join(rows).encode()).hexdigest()


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain_value(x):
    """A dataclass as the list of its fields' values, recursively (``asdict`` without its deep copies)."""
    if is_dataclass(x):
        return [_plain_value(getattr(x, name)) for name in _field_names(type(x))]
    if isinstance(x, (list, tuple)):
        return [_plain_value(v) for v in x]
    return x


def _plain(x):
    """Sets as sorted lists, so a fingerprint never depends on the hash seed."""
    if isinstance(x, (set, frozenset)):
        return sorted(x, key=repr)
    raise TypeError(f"cannot fingerprint {type(x).__name__}")
