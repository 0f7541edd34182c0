"""Event fields through store, link, export, timeline and brief.

The mentions are built by hand, as the annotators would hand them over, so
these tests pin the downstream stages whatever the extraction does.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from storyline import brief
from storyline.export import export, validate
from storyline.link import link
from storyline.link.coref import _Item, _status, mention_dates_compatible
from storyline.model import Clues, Document, EntityMention, EventMention, Quantity, Sentence, TimeExpr
from storyline.store import MIGRATIONS, Store
from storyline.timeline import Sources, render_json, render_markdown, select

from helpers import md_text, section

# -- the store ------------------------------------------------------------------


def _v2_database(path: str) -> None:
    """A database as Storyline left it at schema 2, with one linked event in it."""
    con = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:2], start=1):
        con.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
    con.execute("INSERT INTO documents (id, published, published_from, text, raw_text) VALUES (?,?,?,?,?)",
                ("d_old", "2025-06-24", "metadata", "Missiles struck Dnipro.", "Missiles struck Dnipro."))
    con.execute("INSERT INTO entities VALUES ('Q212', 'Ukraine', 'state', 'UA', NULL, NULL)")
    con.execute("INSERT INTO entity_mentions VALUES ('d_old', 0, 7, 'Ukraine', 'Q212', NULL, NULL, NULL)")
    con.execute("INSERT INTO event_mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ("d_old:m0", "d_old", 0, 0, 23, "Missiles struck Dnipro.", "ASSAULT", "struck",
                 "2025-06-24", "day", "June 24", 0, 7, None, None, json.dumps(["Q212"]),
                 json.dumps([{"kind": "killed", "value": 17.0, "approx": "exact", "text": "17 people"}]),
                 json.dumps(["missiles", "dnipro"])))
    con.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?)",
                ("ev_old", "ASSAULT", "Missiles struck Dnipro.", "2025-06-24", "day", "June 24",
                 json.dumps(["Q212"]), None, 1.1))
    con.execute("INSERT INTO event_links VALUES ('ev_old', 'd_old:m0')")
    con.execute("INSERT OR REPLACE INTO state VALUES ('linked', '1')")
    con.close()


@pytest.mark.sqlite_only
def test_schema_2_database_migrates_to_the_latest_without_losing_data(tmp_path):
    db = str(tmp_path / "v2.db")
    _v2_database(db)
    with Store(db) as store:
        assert store.schema_version == len(MIGRATIONS)
        [(doc, m)] = store.event_mentions()
        assert doc == "d_old" and m.id == "d_old:m0" and m.text == "Missiles struck Dnipro."
        assert m.date.value == "2025-06-24" and m.actors == ["Q212"] and m.keywords == ["missiles", "dnipro"]
        # Old rows read with the new fields at their defaults.
        assert (m.mode, m.status, m.claimant, m.source, m.target, m.intensity, m.sentences) == \
            (None, "occurred", None, [], [], 0.0, [])
        assert m.quantities == [Quantity("killed", 17.0, "exact", "17 people")]
        [ev] = store.events()
        assert ev.id == "ev_old" and ev.mentions == [("d_old", "d_old:m0")] and ev.salience == 1.1
        assert (ev.mode, ev.status, ev.source, ev.target, ev.intensity, ev.related) == \
            (None, "occurred", [], [], 0.0, [])
        assert store.needs_link()  # the next build re-links, filling the new fields
    with Store(db) as store:  # opening again migrates nothing more
        assert store.schema_version == len(MIGRATIONS)
        link(store)
        data = export(store)
    validate(data)
    [ev] = data["events"]
    assert (ev["status"], ev["mode"], ev["intensity"], ev["related"]) == ("occurred", None, 0.0, [])
    assert ev["quantities"][0]["kind"] == "killed" and ev["quantities"][0]["weapon"] is None


def test_new_mention_and_event_fields_round_trip(tmp_path):
    from storyline.model import Event

    with Store(tmp_path / "rt.db") as store:
        store.add_document(_doc("d_a", "2025-06-24", [
            _mention("d_a", 0, "ASSAULT", "2025-06-24", mode="drone", status="claimed", claimant="Q212",
                     source=["Q159"], target=["Q212"], intensity=-9.5, sentences=[0, 1],
                     quantities=[Quantity("launched", 97, "exact", "97 drones", weapon="drone", claimant="Q212")])]))
        [(_, m)] = store.event_mentions()
        assert (m.mode, m.status, m.claimant, m.source, m.target, m.intensity, m.sentences) == \
            ("drone", "claimed", "Q212", ["Q159"], ["Q212"], -9.5, [0, 1])
        assert m.quantities[0].weapon == "drone" and m.quantities[0].claimant == "Q212"
        ev = Event(id="ev_x", type="ASSAULT", summary="s", date_value="2025-06-24", date_precision="day",
                   date_text="June 24", mentions=[("d_a", m.id)], mode="drone", status="claimed",
                   source=["Q159"], target=["Q212"], intensity=-9.5, related=["ev_y"])
        store.replace_links([ev], [])
        assert store.events() == [ev]


# -- helpers to build articles by hand -----------------------------------------

ENTITIES = {
    "Q159": ("Russia", "state", "RU"),
    "Q212": ("Ukraine", "state", "UA"),
    "Q30": ("United States", "state", "US"),
    "Q7747": ("Vladimir Putin", "person", "RU"),
    "Q22686": ("Donald Trump", "person", "US"),
    "sl:ukraine-air-force": ("Ukrainian Air Force", "armed_force", "UA"),
    "gn:709930": ("Dnipro", "place", "UA"),
    "gn:5879400": ("Anchorage", "place", "US"),
}


def _mention(doc: str, sentence: int, type_: str, date: str | None, *, precision: str | None = None,
             text: str | None = None, actors: list[str] | None = None, keywords: list[str] | None = None,
             location: str | None = None, **fields) -> EventMention:
    """A mention with sensible defaults: its sentence's text, its date, its participants."""
    text = text or f"Sentence {sentence} of {doc}."
    when = None
    if date:
        precision = precision or {10: "day", 7: "month", 4: "year"}[len(date)]
        when = TimeExpr(0, 4, "" if precision == "reported" else "date", date, precision)
    actors = actors if actors is not None else list(dict.fromkeys(fields.get("source", []) + fields.get("target", [])))
    # What coreference compares: the act's word, and the keywords standing in for its arguments.
    trigger = fields.pop("trigger", _TRIGGERS.get(type_, "act"))
    clues = Clues(trigger, others=frozenset(keywords or []))
    return EventMention(id=f"{doc}:m{sentence}", sentence=sentence, start=0, end=len(text), text=text,
                        type=type_, trigger=trigger, date=when, actors=actors, location=location,
                        keywords=keywords or [], clues=clues, **fields)


_TRIGGERS = {"ASSAULT": "strike", "CONSULT": "meet", "AGREE": "agree", "STATEMENT": "say", "FIGHT": "fight"}


def _doc(doc_id: str, published: str | None, mentions: list[EventMention], title: str | None = None,
         source: str = "Wire") -> Document:
    """A document whose sentences are its mentions' texts and whose entities are every id they name."""
    text = " ".join(m.text for m in mentions)
    sentences, entities, pos = [], [], 0
    for m in mentions:
        sentences.append(Sentence(m.sentence, pos, pos + len(m.text), m.text))
        m.start, m.end = pos, pos + len(m.text)
        pos += len(m.text) + 1
    ids = {e for m in mentions for e in m.actors + m.source + m.target + [m.location, m.claimant]
           + [q.claimant for q in m.quantities] if e}
    for eid in sorted(ids):
        name, type_, country = ENTITIES[eid]
        entities.append(EntityMention(0, 1, name, eid, name, type_, country))
    return Document(id=doc_id, text=text, raw_text=text, title=title or f"Article {doc_id}", source=source,
                    url=None, external_id=None, path=None, fmt="txt", published=published,
                    published_from="metadata" if published else "none",
                    sentences=sentences, entities=entities, events=mentions)


def _store(tmp_path, docs: list[Document]) -> Store:
    store = Store(tmp_path / "events.db")
    for d in docs:
        store.add_document(d)
    link(store)
    return store


def _event_of(store: Store, mention_id: str):
    return next(e for e in store.events() if mention_id in {m for _, m in e.mentions})


# -- link -------------------------------------------------------------------------

SUMMIT = ["summit", "alaska", "anchorage", "talks"]


def test_reported_date_is_a_bound_not_a_date():
    day = TimeExpr(0, 1, "Friday", "2025-08-15", "day")
    month = TimeExpr(0, 1, "August", "2025-08", "month")
    reported = TimeExpr(0, 0, "", "2025-08-20", "reported")
    assert mention_dates_compatible(reported, day) and mention_dates_compatible(day, reported)
    assert mention_dates_compatible(reported, month)
    assert mention_dates_compatible(reported, TimeExpr(0, 0, "", "2025-08-20", "day"))  # that very day
    assert not mention_dates_compatible(reported, TimeExpr(0, 1, "Sept. 1", "2025-09-01", "day"))
    assert mention_dates_compatible(reported, TimeExpr(0, 0, "", "2024-01-02", "reported"))
    # A plan reported on the 20th happens on or after it.
    assert not mention_dates_compatible(reported, day, prospective=True)
    assert mention_dates_compatible(reported, TimeExpr(0, 1, "Sept. 1", "2025-09-01", "day"), prospective=True)


def test_reported_mentions_link_without_deciding_or_disputing_the_date(tmp_path):
    dated = _mention("d_a", 0, "CONSULT", "2025-08-15", mode="summit", source=["Q22686"], target=["Q7747"],
                     keywords=SUMMIT, intensity=4.0)
    later = _mention("d_b", 0, "CONSULT", "2025-08-16", precision="reported", mode="summit",
                     source=["Q22686"], target=["Q7747"], keywords=SUMMIT, intensity=5.0)
    earlier = _mention("d_c", 0, "CONSULT", "2025-08-10", precision="reported", mode="summit",
                       source=["Q22686"], target=["Q7747"], keywords=SUMMIT)
    with _store(tmp_path, [_doc("d_a", "2025-08-15", [dated]), _doc("d_b", "2025-08-16", [later]),
                           _doc("d_c", "2025-08-10", [earlier])]) as store:
        ev = _event_of(store, "d_a:m0")
        # Published the next day: the same summit, still dated by the article that dates it.
        assert ("d_b", "d_b:m0") in ev.mentions
        assert (ev.date_value, ev.date_precision) == ("2025-08-15", "day")
        assert ev.intensity == 4.5
        # Published before the summit: it cannot report it.
        assert ("d_c", "d_c:m0") not in ev.mentions
        assert not [c for c in store.contradictions() if c.attribute == "date"]


def test_event_of_reported_mentions_only_takes_the_earliest_report(tmp_path):
    docs = [_doc(d, pub, [_mention(d, 0, "ASSAULT", pub, precision="reported", source=["Q159"], target=["Q212"],
                                   keywords=["drones", "kyiv", "overnight"])])
            for d, pub in (("d_a", "2025-07-04"), ("d_b", "2025-07-03"))]
    with _store(tmp_path, docs) as store:
        [ev] = store.events()
        assert len(ev.mentions) == 2
        assert (ev.date_value, ev.date_precision) == ("2025-07-03", "reported")
        assert not store.contradictions()


def test_planned_summit_and_the_summit_are_two_related_events(tmp_path):
    plan = _mention("d_a", 0, "CONSULT", "2025-08-15", mode="summit", status="planned",
                    source=["Q22686"], target=["Q7747"], keywords=SUMMIT, location="gn:5879400")
    plan2 = _mention("d_b", 0, "CONSULT", "2025-08", mode="summit", status="planned",
                     source=["Q22686"], target=["Q7747"], keywords=SUMMIT)
    held = _mention("d_c", 0, "CONSULT", "2025-08-15", mode="summit", status="occurred",
                    source=["Q22686"], target=["Q7747"], keywords=SUMMIT, location="gn:5879400", intensity=3.0)
    held2 = _mention("d_d", 0, "CONSULT", "2025-08-16", precision="reported", mode="summit", status="reported",
                     claimant="Q30", source=["Q22686"], target=["Q7747"], keywords=SUMMIT)
    docs = [_doc("d_a", "2025-08-09", [plan]), _doc("d_b", "2025-08-01", [plan2]),
            _doc("d_c", "2025-08-15", [held]), _doc("d_d", "2025-08-16", [held2])]
    with _store(tmp_path, docs) as store:
        planned, happened = _event_of(store, "d_a:m0"), _event_of(store, "d_c:m0")
        assert planned.id != happened.id
        assert {m for _, m in planned.mentions} == {"d_a:m0", "d_b:m0"}
        assert {m for _, m in happened.mentions} == {"d_c:m0", "d_d:m0"}
        assert planned.status == "planned" and happened.status == "occurred"
        assert planned.related == [happened.id] and happened.related == [planned.id]
        assert (happened.mode, happened.source, happened.target) == ("summit", ["Q22686"], ["Q7747"])
        assert happened.location == "gn:5879400" and happened.intensity == 1.5


# Each candidate differs from a fulfilment of the plan in one attribute only, and
# has words of its own so that linking keeps it an event of its own.
_NOT_FULFILMENTS = {
    "d_b": dict(type_="ASSAULT", date="2025-08-15", source=["Q7747"], target=["Q212"],
                keywords=["drones", "kyiv", "overnight"]),  # another type
    "d_c": dict(type_="CONSULT", date="2025-08-15", source=["Q212"], target=["Q30"],
                keywords=["ceasefire", "geneva", "envoys"]),  # other actors
    "d_d": dict(type_="CONSULT", date="2025-06-20", source=["Q22686"], target=["Q7747"],
                keywords=["phone", "call", "tariffs"]),  # an earlier date
}
# The one change that makes each of them fit the plan.
_FIXED = {"d_b": {"type_": "CONSULT"}, "d_c": {"source": ["Q7747"]}, "d_d": {"date": "2025-08-15"}}


def _plan():
    return _mention("d_a", 0, "CONSULT", "2025-08-15", mode="summit", status="planned",
                    source=["Q22686"], target=["Q7747"], keywords=SUMMIT)


def _candidate(doc: str, **change) -> EventMention:
    fields = {**_NOT_FULFILMENTS[doc], **change}
    return _mention(doc, 0, fields.pop("type_"), fields.pop("date"), **fields)


def test_a_plan_is_not_related_to_another_type_other_actors_or_an_earlier_date(tmp_path):
    mentions = [_plan()] + [_candidate(d) for d in _NOT_FULFILMENTS]
    docs = [_doc(m.id[:3], "2025-08-16", [m]) for m in mentions]
    with _store(tmp_path, docs) as store:
        events = store.events()
        # Four events of one mention each, so every candidate is weighed against the plan.
        assert sorted(len(e.mentions) for e in events) == [1, 1, 1, 1]
        assert {m for e in events for _, m in e.mentions} == {m.id for m in mentions}
        assert _event_of(store, "d_a:m0").status == "planned"
        assert all(not e.related for e in events)


@pytest.mark.parametrize("doc", sorted(_FIXED))
def test_a_plan_is_related_once_the_one_differing_attribute_fits(tmp_path, doc):
    docs = [_doc("d_a", "2025-08-16", [_plan()]), _doc(doc, "2025-08-16", [_candidate(doc, **_FIXED[doc])])]
    with _store(tmp_path, docs) as store:
        plan, done = _event_of(store, "d_a:m0"), _event_of(store, f"{doc}:m0")
        assert plan.id != done.id
        assert plan.related == [done.id] and done.related == [plan.id]


def test_status_is_the_most_common_and_what_happened_outweighs_plans():
    def items(*statuses):
        return [_Item("d", _mention("d", i, "CONSULT", "2025-08-15", status=s), set(), set(), set())
                for i, s in enumerate(statuses)]
    assert _status(items("claimed", "claimed", "occurred")) == "claimed"
    assert _status(items("planned", "planned", "reported")) == "reported"
    assert _status(items("planned", "hypothetical", "hypothetical")) == "hypothetical"
    assert _status(items("occurred", "claimed")) == "occurred"


# -- export, timeline and brief ---------------------------------------------------

AIR_FORCE = "sl:ukraine-air-force"
STRIKE = ["drones", "missiles", "dnipro", "overnight"]


def _story() -> list[Document]:
    """A strike on Dnipro told by two outlets, a claimed strike, and a summit planned then held."""
    wave = _mention(
        "d_a", 0, "ASSAULT", "2025-06-24", mode="drone", status="reported", claimant=AIR_FORCE,
        text="Russia launched 97 drones and two ballistic missiles at Dnipro overnight, the air force said.",
        source=["Q159"], target=["Q212"], location="gn:709930", keywords=STRIKE, intensity=-9.0,
        quantities=[Quantity("launched", 97, text="97 drones", weapon="drone", claimant=AIR_FORCE),
                    Quantity("launched", 2, text="two ballistic missiles", weapon="ballistic_missile",
                             claimant=AIR_FORCE),
                    Quantity("intercepted", 63, text="63 of the drones", weapon="drone", claimant=AIR_FORCE)])
    toll = _mention(
        "d_b", 0, "ASSAULT", "2025-06-24", mode="drone",
        status="reported",
        text="The overnight strike on Dnipro with drones and missiles injured at least 200 people, officials said.",
        source=["Q159"], target=["Q212"], location="gn:709930", keywords=STRIKE, intensity=-10.0,
        quantities=[Quantity("injured", 200, "at_least", "at least 200 people")])
    claim = _mention(
        "d_c", 0, "ASSAULT", "2025-06-20", mode="missile", status="claimed", claimant="Q159",
        text="Russia said its missiles destroyed a Ukrainian airfield <b>& depot</b>.",
        source=["Q159"], target=["Q212"],
        keywords=["airfield", "destroyed"], intensity=-8.0)
    plan = _mention(
        "d_c", 1, "CONSULT", "2025-08-15", mode="summit", status="planned",
        text="Trump and Putin will meet in Anchorage on August 15.", source=["Q22686"], target=["Q7747"],
        location="gn:5879400", keywords=SUMMIT, intensity=3.0)
    held = _mention(
        "d_d", 0, "CONSULT", "2025-08-15", mode="summit",
        text="Trump and Putin met in Anchorage on Friday for nearly three hours of talks.",
        source=["Q22686"], target=["Q7747"], location="gn:5879400", keywords=SUMMIT, intensity=4.0)
    return [_doc("d_a", "2025-06-24", [wave], title="Drones over Dnipro"),
            _doc("d_b", "2025-06-25", [toll], title="Dnipro counts its injured"),
            _doc("d_c", "2025-08-09", [claim, plan], title="Summit set <for> Alaska"),
            _doc("d_d", "2025-08-16", [held], title="Anchorage talks end")]


def _exported(tmp_path) -> dict:
    with _store(tmp_path, _story()) as store:
        data = export(store)
    validate(data)
    return data


def _by_summary(data: dict, start: str) -> dict:
    return next(e for e in data["events"] if e["summary"].startswith(start))


def test_export_carries_mode_status_actors_figures_and_intensity(tmp_path):
    data = _exported(tmp_path)
    strike = _by_summary(data, "Russia launched 97 drones")
    assert strike["sources"] == 2  # both outlets' sentences are one strike
    assert (strike["type"], strike["mode"], strike["status"]) == ("ASSAULT", "drone", "reported")
    assert strike["source"] == [{"id": "Q159", "name": "Russia", "type": "state"}]
    assert strike["target"] == [{"id": "Q212", "name": "Ukraine", "type": "state"}]
    assert strike["location"]["name"] == "Dnipro" and strike["intensity"] == -9.5
    air_force = {"id": AIR_FORCE, "name": "Ukrainian Air Force"}
    assert strike["quantities"] == [
        {"kind": "launched", "value": 97, "approx": "exact", "weapon": "drone", "unit": None,
         "claimant": air_force, "text": "97 drones", "docs": ["d_a"]},
        {"kind": "launched", "value": 2, "approx": "exact", "weapon": "ballistic_missile", "unit": None,
         "claimant": air_force, "text": "two ballistic missiles", "docs": ["d_a"]},
        {"kind": "intercepted", "value": 63, "approx": "exact", "weapon": "drone", "unit": None,
         "claimant": air_force, "text": "63 of the drones", "docs": ["d_a"]},
        {"kind": "injured", "value": 200, "approx": "at_least", "weapon": None, "unit": None,
         "claimant": None, "text": "at least 200 people", "docs": ["d_b"]}]
    mentions = {m["doc"]: m for m in strike["mentions"]}
    assert mentions["d_a"]["status"] == "reported" and mentions["d_a"]["claimant"] == air_force
    assert mentions["d_b"]["status"] == "reported" and mentions["d_b"]["claimant"] is None

    claimed = _by_summary(data, "Russia said its missiles")
    assert claimed["status"] == "claimed" and claimed["mentions"][0]["claimant"]["name"] == "Russia"
    planned, held = _by_summary(data, "Trump and Putin will meet"), _by_summary(data, "Trump and Putin met")
    assert (planned["status"], held["status"]) == ("planned", "occurred")
    assert planned["related"] == [held["id"]] and held["related"] == [planned["id"]]
    assert strike["related"] == [] and claimed["related"] == []


def test_export_schema_rejects_a_status_it_does_not_know(tmp_path):
    import jsonschema
    import pytest

    data = _exported(tmp_path)
    data["events"][0]["status"] = "rumoured"
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_timeline_shows_status_actors_place_figures_and_intensity(tmp_path):
    data = _exported(tmp_path)
    md = render_markdown(data, select(data))
    line = next(x for x in md.splitlines() if x.startswith("- Russia launched 97 drones"))
    assert "_(ASSAULT/drone; reported by Ukrainian Air Force; Russia → Ukraine; Dnipro, UA; " in line
    assert ("drones launched: 97; ballistic missiles launched: 2; drones intercepted: 63 (per Ukrainian Air Force);"
            " injured: at least 200; intensity -9.5)_") in line
    numbers = {d["id"]: n for n, d in _source_numbers(md, data).items()}
    assert line.split(" _(")[0].endswith(f"[{numbers['d_a']}][{numbers['d_b']}]")
    claimed = next(x for x in md.splitlines() if x.startswith("- Russia said its missiles"))
    assert "ASSAULT/missile; claimed by Russia; Russia → Ukraine; intensity -8" in claimed
    planned = next(x for x in md.splitlines() if x.startswith("- Trump and Putin will meet"))
    assert "CONSULT/summit; planned; Donald Trump → Vladimir Putin; Anchorage, US" in planned
    assert "happened: see 2025-08-15" in planned
    held = next(x for x in md.splitlines() if x.startswith("- Trump and Putin met"))
    assert "; planned" not in held and "announced beforehand: see 2025-08-15" in held

    out = json.loads(render_json(data, select(data)))
    strike = next(e for e in out["events"] if e["summary"].startswith("Russia launched 97"))
    assert (strike["mode"], strike["status"], strike["status_text"]) == \
        ("drone", "reported", "reported by Ukrainian Air Force")
    assert [a["name"] for a in strike["source"]] == ["Russia"] and strike["intensity"] == -9.5
    figures = {q["words"]: q for q in strike["quantities"]}
    assert set(figures) == {"drones launched: 97", "ballistic missiles launched: 2", "drones intercepted: 63",
                            "injured: at least 200"}
    numbers = {s["id"]: s["n"] for s in out["sources"]}
    assert figures["injured: at least 200"]["sources"] == [numbers["d_b"]]
    assert figures["drones launched: 97"]["claimant"]["name"] == "Ukrainian Air Force"


def test_timeline_puts_reported_dates_under_their_own_heading(tmp_path):
    docs = _story() + [_doc("d_e", "2025-08-15", [_mention(
        "d_e", 0, "AID", "2025-08-15", precision="reported", status="reported", text="Aid reached Kharkiv.",
        source=["Q30"], target=["Q212"], keywords=["aid", "kharkiv"], intensity=6.0)])]
    with _store(tmp_path, docs) as store:
        data = export(store)
    validate(data)
    aid = _by_summary(data, "Aid reached")
    assert aid["date"] == {"value": "2025-08-15", "precision": "reported", "text": ""}
    md = render_markdown(data, select(data))
    headings = [x for x in md.splitlines() if x.startswith("## 2025-08-15")]
    assert headings == ["## 2025-08-15 (day)", "## 2025-08-15 (reported: on or before)"]
    assert md.index("Aid reached") > md.index("## 2025-08-15 (reported")


def test_brief_shows_status_and_cites_every_number(tmp_path):
    data = _exported(tmp_path)
    md = brief.render_markdown(data)
    sources = {d["id"]: n for n, d in _source_numbers(md, data).items()}
    developments = section(md, "Key developments")
    strike = next(x for x in developments if "Russia launched 97 drones" in x)
    assert strike.startswith("- **2025-06-24** — ")
    assert "_(reported by Ukrainian Air Force; Dnipro, UA; drones launched: 97;" in strike
    assert any("will meet in Anchorage" in x and "_(planned; Anchorage, US)_" in x for x in developments)
    assert any("destroyed a Ukrainian airfield" in x and "claimed by Russia" in x for x in developments)

    # One line per figure, tolls first, each citing only the articles that give it.
    numbers = section(md, "The numbers")
    a, b = sources["d_a"], sources["d_b"]
    event = "_(ASSAULT/drone; reported by Ukrainian Air Force; Dnipro, UA)_"
    assert numbers == [
        f"- **2025-06-24** — injured: at least 200 [{b}] {event}",
        f"- **2025-06-24** — drones launched: 97 (per Ukrainian Air Force) [{a}] {event}",
        f"- **2025-06-24** — ballistic missiles launched: 2 (per Ukrainian Air Force) [{a}] {event}",
        f"- **2025-06-24** — drones intercepted: 63 (per Ukrainian Air Force) [{a}] {event}"]


def test_html_brief_escapes_the_new_notes_and_numbers(tmp_path):
    data = _exported(tmp_path)
    page = brief.render_html(data)
    assert "<b>& depot</b>" not in page and "&lt;b&gt;&amp; depot&lt;/b&gt;" in page
    assert "<for>" not in page and "Summit set &lt;for&gt; Alaska" in page
    assert "<h2>The numbers</h2>" in page
    assert "drones launched: 97 (per Ukrainian Air Force)<sup>" in page
    assert "(reported by Ukrainian Air Force; Dnipro, UA; drones launched: 97;" in page
    assert "(claimed by Russia)" in page
    assert "(planned; Anchorage, US)" in page


def _source_numbers(md: str, data: dict) -> dict[int, dict]:
    by_describe = {Sources.describe(d): d for d in data["documents"]}
    out = {}
    for line in section(md, "Sources"):
        n, _, described = line.partition(". ")
        out[int(n)] = by_describe[md_text(described)]
    return out


def test_the_numbers_keep_the_best_reported_events_when_there_are_too_many(monkeypatch):
    monkeypatch.setattr(brief, "MAX_NUMBERS", 3)

    def event(eid, date, salience, n):
        return {"id": eid, "date": {"value": date}, "salience": salience, "quantities": [
            {"kind": "killed", "value": i, "approx": "exact"} for i in range(1, n + 1)]}
    events = [event("ev_old", "2025-01-01", 1.1, 2), event("ev_big", "2025-03-01", 3.2, 2),
              event("ev_new", "2025-05-01", 2.1, 1), event("ev_none", "2025-06-01", 9.0, 0)]
    assert [(e["id"], q["value"]) for e, q in brief._numbers(events)] == \
        [("ev_big", 1), ("ev_big", 2), ("ev_new", 1)]
