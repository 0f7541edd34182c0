"""Where sources disagree about one canonical event, with every side and its documents."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from ..model import Claim, Contradiction, EntityMention, Event
from .coref import _date_claims, _Item


def _cid(eid: str, attribute: str) -> str:
    return "ct_" + hashlib.sha1(f"{eid}:{attribute}".encode()).hexdigest()[:12]


def find(clusters: list[list[_Item]], events: list[Event],
         duplicate_of: dict[str, str] | None = None) -> list[Contradiction]:
    """Every disagreement inside each canonical event, one contradiction per attribute."""
    out = []
    for items, ev in zip(clusters, events):
        date = _date_contradiction(ev.id, items)
        if date:
            out.append(date)
        out.extend(_quantity_contradictions(ev.id, items))
    return out


def _date_contradiction(eid: str, items: list[_Item]) -> Contradiction | None:
    claims = _date_claims(items)
    if len(claims) < 2:
        return None
    top, runner = claims[0], claims[1]
    if len(top.docs) > len(runner.docs):
        note = f"{top.value} is better supported: {len(top.docs)} sources against {len(runner.docs)}"
    elif len(top.value) > len(runner.value):
        note = f"{top.value} is more precise; the sources are evenly split"
    else:
        note = "the sources are evenly split"
    return Contradiction(id=_cid(eid, "date"), event=eid, attribute="date", claims=claims, note=note)


def _quantity_contradictions(eid: str, items: list[_Item]) -> list[Contradiction]:
    """Different exact figures for the same count (17 vs 20 killed) across documents."""
    out = []
    by_kind: dict[str, dict[float, set[str]]] = defaultdict(lambda: defaultdict(set))
    for it in items:
        for q in it.mention.quantities:
            if q.approx == "exact":
                by_kind[q.kind][q.value].add(it.doc)
    for kind, values in sorted(by_kind.items()):
        if len(values) < 2 or len(set().union(*values.values())) < 2:
            continue  # one article giving two figures is not a dispute between sources
        claims = [Claim(f"{kind}: {v:g}", sorted(d)) for v, d in sorted(values.items())]
        out.append(Contradiction(
            id=_cid(eid, kind), event=eid,
            attribute="quantity", claims=claims,
            note="figures differ; a later report may legitimately update a toll"))
    return out


def role_contradictions(conflicts: list[tuple[str, int, EntityMention]],
                        events: list[Event]) -> list[Contradiction]:
    """A title the registry contradicts: the article's words against the registry's dates.

    The claim from the article cites its document and sentence; the other
    side is the registry, which is data rather than a source, so it cites none.
    """
    event_of = {mid: ev.id for ev in events for _, mid in ev.mentions}
    out = []
    for doc, sentence, m in conflicts:
        cid = "ct_" + hashlib.sha1(f"{doc}:{m.start}:role".encode()).hexdigest()[:12]
        out.append(Contradiction(
            id=cid, event=event_of.get(f"{doc}:m{sentence}"), attribute="role",
            claims=[Claim(f"{m.title} {m.text}".strip(), [doc]), Claim(f"actor registry: {m.conflict}", [])],
            note=f"the article's title for {m.name} contradicts the actor registry on {m.date}",
            doc=doc, sentence=sentence))
    return out
