"""Contradictions between sources, one test per kind, on short articles written for these tests.

The articles retell real reporting in their own words: the Sumy strike of
13 April 2025 (a toll that rose from 21 to 35, one outlet off by a day), the
Kostiantynivka market strike of 6 September 2023 (blamed on Russia at first,
later traced to a Ukrainian missile) and the US-Russian talks in Saudi Arabia
(one outlet naming the wrong city).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import SEEDS

from storyline import api
from storyline.link import contradictions, coref
from storyline.store import Store

ARTICLES = [
    ("wire-1", "2025-04-13", "Missile strike on Sumy kills 21",
     "A Russian ballistic missile strike on the centre of Sumy on Sunday killed 21 people and injured 83, "
     "Ukraine's State Emergency Service said.\n\nThe missiles hit a busy street as residents gathered for church."),
    ("daily-2", "2025-04-13", "Sumy strike toll reaches 21",
     "Russian ballistic missiles struck the centre of Sumy on Sunday, killing 21 people and wounding dozens, "
     "regional officials said.\n\nRescuers searched the rubble into the night."),
    ("weekly-3", "2025-04-15", "Sumy mourns as toll from Sunday strike climbs",
     "The toll from the Russian ballistic missile strike on Sumy on Sunday rose to 35 killed, Ukraine's "
     "interior ministry said on Tuesday.\n\nThe city declared three days of mourning."),
    ("blog-4", "2025-04-14", "What happened in Sumy",
     "A Russian ballistic missile strike on the centre of Sumy on Saturday killed 21 people, the city council "
     "said.\n\nThe strike came as envoys prepared for talks."),
    ("monthly-9", "2025-05-02", "Sumy, a month on",
     "The Russian ballistic missile strike on the centre of Sumy in April 2025 killed 35 people, the interior "
     "ministry said.\n\nRepairs to the university building have begun."),
    ("post-5", "2023-09-06", "Missile strike on Kostiantynivka market",
     "A Russian missile struck a busy market in Kostiantynivka on Wednesday, killing 16 people, Ukrainian "
     "officials said.\n\nPresident Volodymyr Zelenskyy condemned the attack."),
    ("times-6", "2023-09-19", "Evidence points to errant Ukrainian missile in market strike",
     "A Ukrainian air defence missile struck the busy market in Kostiantynivka on September 6, killing 16 "
     "people, according to an analysis of video and missile fragments.\n\nUkrainian officials disputed the findings."),
    ("review-10", "2023-10-02", "The market strike, revisited",
     "A Russian missile struck the busy market in Kostiantynivka in September 2023, killing 16 people, "
     "Ukrainian officials said.\n\nThe market has since reopened."),
    ("wire-7", "2025-02-18", "US and Russian officials meet in Riyadh",
     "Russian and American officials met in Riyadh on Tuesday for talks on ending the war in Ukraine, the "
     "State Department said.\n\nUkraine was not invited."),
    ("paper-8", "2025-02-19", "Talks in Saudi Arabia",
     "Russian and American officials met in Jeddah on Tuesday for talks on ending the war in Ukraine.\n\n"
     "European governments were not invited either."),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contradictions")
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for ext, published, title, text in ARTICLES:
            fh.write(json.dumps({"id": ext, "published": published, "title": title, "text": text}) + "\n")
    db = str(folder / "c.db")
    assert api.build([str(path)], db=db, progress=False).ok
    return db


@pytest.fixture(scope="module")
def data(db):
    return api.export(db)


def _disputes(data: dict, attribute: str, place: str) -> list[dict]:
    """The contradictions of one kind about the event located at ``place``."""
    events = {e["id"]: e for e in data["events"]}
    return [c for c in data["contradictions"] if c["attribute"] == attribute
            and (events[c["event"]]["location"] or {}).get("name", "").startswith(place)]


def _ext(data: dict, docs: list[str]) -> set[str]:
    by_id = {d["id"]: d["external_id"] for d in data["documents"]}
    return {by_id[d] for d in docs}


def test_date_contradiction_has_both_sides_with_their_documents(data):
    [c] = _disputes(data, "date", "Sumy")
    assert [cl["value"] for cl in c["claims"]] == ["2025-04-13", "2025-04-12"]
    # "April 2025" agrees with the 13th, so the month-a-month-later article backs that side.
    assert _ext(data, c["claims"][0]["docs"]) == {"wire-1", "daily-2", "weekly-3", "monthly-9"}
    assert _ext(data, c["claims"][1]["docs"]) == {"blog-4"}
    assert "4 independent sources against 1" in c["note"]


def test_precision_compatible_dates_are_not_a_contradiction(data):
    # "on Wednesday" (2023-09-06), "on September 6" and "in September 2023" are one date.
    assert not _disputes(data, "date", "Kostyantynivka")
    [ev] = [e for e in data["events"] if (e["location"] or {}).get("name") == "Kostyantynivka"]
    assert ev["date"]["value"] == "2023-09-06" and ev["sources"] == 3


def test_quantity_contradiction_notes_a_rising_toll(data):
    [c] = _disputes(data, "quantity", "Sumy")
    values = {cl["value"]: _ext(data, cl["docs"]) for cl in c["claims"]}
    assert values == {"killed: 21": {"wire-1", "daily-2", "blog-4"}, "killed: 35": {"weekly-3", "monthly-9"}}
    assert "killed: 35 was first reported on 2025-04-15" in c["note"] and "update" in c["note"]


def test_one_article_two_figures_of_different_weapons_is_no_dispute(data):
    # Injured 83 and "dozens" (at least 24) agree; nothing else is counted twice.
    assert [c["claims"][0]["value"].split(":")[0] for c in _disputes(data, "quantity", "Sumy")] == ["killed"]


def test_location_contradiction_names_both_cities(data):
    [c] = _disputes(data, "location", "")
    assert {cl["value"]: _ext(data, cl["docs"]) for cl in c["claims"]} == {"Riyadh": {"wire-7"},
                                                                             "Jeddah": {"paper-8"}}


def test_actor_contradiction_sets_who_struck_against_who_struck(data):
    [c] = _disputes(data, "actors", "Kostyantynivka")
    sides = {cl["value"]: _ext(data, cl["docs"]) for cl in c["claims"]}
    assert sides == {"acted: Russia": {"post-5", "review-10"}, "acted: Ukrainian air defence": {"times-6"}}
    assert c["claims"][0]["value"] == "acted: Russia" and "2 independent sources against 1" in c["note"]


def test_a_copy_does_not_count_as_a_second_source(db, data):
    """Told that daily-2 copies wire-1, the 13 April side has three sources, not four."""
    by_ext = {d["external_id"]: d["id"] for d in data["documents"]}
    with Store(db) as store:
        entities = store.entities()
        mentions = [(d, m) for d, m in store.event_mentions() if m.date and m.date.value]
        terms = store.story_terms([d for d, _ in mentions])  # as the link stage reads them
    clusters = coref.cluster_mentions(mentions, entities, terms)
    copy = {by_ext["daily-2"]: by_ext["wire-1"]}
    events = coref.make_events(clusters, copy)
    found = contradictions.find(clusters, events, duplicate_of=copy, entities=entities)
    [date] = [c for c in found if c.attribute == "date"]
    assert "3 independent sources against 1" in date.note
    [sumy] = [e for e in events if e.id == date.event]
    plain = next(e for e in coref.make_events(clusters) if e.id == sumy.id)
    assert sumy.salience < plain.salience  # the copy no longer adds a source


def test_a_copy_that_changed_a_figure_is_not_a_second_source():
    """An original and its own copy disagreeing is one source's inconsistency, not a dispute between two."""
    original = contradictions._Side("killed: 21", {"orig"}, number=21)
    copy = contradictions._Side("killed: 35", {"copy"}, number=35)
    assert contradictions._contradiction("ev", "quantity", [original, copy], contradictions.Reports())
    reports = contradictions.Reports(duplicate_of={"copy": "orig"})
    assert contradictions._contradiction("ev", "quantity", [original, copy], reports) is None


# -- seeds-sample with the examples corpus ----------------------------------------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def seeds_data(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/data/seeds-sample is not present")
    db = str(tmp_path_factory.mktemp("seeds") / "s.db")
    assert api.build([str(EXAMPLES), str(SEEDS / "articles.jsonl")], db=db, progress=False).ok
    return api.export(db)


def test_the_anchorage_summit_is_one_event_with_several_sources(seeds_data):
    summits = [e for e in seeds_data["events"] if e["type"] == "CONSULT" and e["status"] == "occurred"
               and (e["location"] or {}).get("name") == "Anchorage"]
    assert len(summits) == 1, [(e["date"], e["summary"]) for e in summits]
    [summit] = summits
    assert summit["date"]["value"] == "2025-08-15" and summit["mode"] == "summit"
    titles = {d["id"]: d["title"] or "" for d in seeds_data["documents"]}
    reporting = {m["doc"] for m in summit["mentions"]}
    assert summit["independent_sources"] >= 3 and len(reporting) >= 3
    # Examples and seeds alike: the shared sample's articles report it too.
    seeds = {d["id"] for d in seeds_data["documents"] if d["external_id"] and d["path"].endswith("articles.jsonl")}
    assert reporting & seeds, [titles[d] for d in reporting]


def test_the_planted_date_conflict_is_reported_with_both_sides(seeds_data):
    recap = next(d["id"] for d in seeds_data["documents"] if (d["path"] or "").endswith("08-aggregator-summit-recap.txt"))
    [conflict] = [c for c in seeds_data["contradictions"] if c["attribute"] == "date"
                  and {cl["value"] for cl in c["claims"]} >= {"2025-08-15", "2025-07"}]
    sides = {cl["value"]: set(cl["docs"]) for cl in conflict["claims"]}
    assert sides["2025-07"] == {recap}
    assert len(sides["2025-08-15"]) >= 2 and recap not in sides["2025-08-15"]
    assert conflict["note"].startswith("2025-08-15 is better supported")


# -- salience ------------------------------------------------------------------------


def test_salience_ranks_the_most_reported_strike_first_and_cuts_the_timeline(db, data):
    by_place = {(e["location"] or {}).get("name"): e for e in data["events"] if e["type"] in ("ASSAULT", "CONSULT")}
    assert by_place["Sumy"]["salience"] > by_place["Kostyantynivka"]["salience"] > by_place["Jeddah"]["salience"]
    top = api.timeline(db=db, fmt="json", max_dates=1)
    assert {e["date"]["value"] for e in json.loads(top)["events"]} == {"2025-04-13"}


def test_salience_weighs_sources_most_and_halves_what_did_not_happen():
    # One more independent source outweighs seven more mentions in the same articles.
    assert coref.salience(3, 3, 0.2, -8.0, "occurred") > coref.salience(2, 9, 0.2, -8.0, "occurred")
    assert coref.salience(2, 2, 0.5, 4.0, "planned") == coref.salience(2, 2, 0.5, 4.0, "occurred") / 2
    assert coref.salience(2, 2, 0.5, -6.0, "occurred") > coref.salience(2, 2, 0.5, 1.0, "occurred")


def test_timeline_keeps_k_events_per_date_and_filters_by_query(db):
    every = json.loads(api.timeline(db=db, fmt="json"))["events"]
    per_day: dict = {}
    for e in every:
        per_day.setdefault(e["date"]["value"], []).append(e)
    crowded = max(per_day, key=lambda d: len(per_day[d]))
    assert len(per_day[crowded]) >= 2
    one = json.loads(api.timeline(db=db, fmt="json", per_date=1))["events"]
    assert sorted(e["date"]["value"] for e in one) == sorted(per_day)  # every date kept, one event each
    best = max(per_day[crowded], key=lambda e: e["salience"])
    assert [e["id"] for e in one if e["date"]["value"] == crowded] == [best["id"]]
    market = json.loads(api.timeline(db=db, fmt="json", query="market Kostiantynivka"))["events"]
    reports = {e["id"]: " ".join(m["text"] for m in e["mentions"]) for e in api.export(db)["events"]}
    assert market and all("Kostiantynivka" in reports[e["id"]] for e in market)
    assert not json.loads(api.timeline(db=db, fmt="json", query="market Riyadh"))["events"]


def _built(tmp_path, records: list[dict]) -> dict:
    """The export of a fresh store built from ``records`` (JSONL records: id, published, text, ...)."""
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = str(tmp_path / "records.db")
    assert api.build([str(path)], db=db, progress=False).ok
    return api.export(db)


def test_sums_of_money_about_one_event_are_no_dispute(tmp_path):
    """Five money figures about one spill (a cost, a fund, a fine) were flagged as a quantity dispute."""
    records = [
        {"id": "m1", "published": "2010-06-17", "source": "Wire A",
         "text": "On June 16, 2010, BP agreed to pay $20 billion into a fund for victims of the Gulf oil spill, "
                 "the White House said."},
        {"id": "m2", "published": "2010-06-17", "source": "Wire B",
         "text": "On June 16, 2010, BP agreed to pay $100 million into a fund for victims of the Gulf oil spill, "
                 "the White House said."},
    ]
    data = _built(tmp_path, records)
    money = [q for e in data["events"] for q in e["quantities"] if q["kind"] == "money"]
    assert {q["value"] for q in money} >= {20e9, 100e6}  # both figures are there ...
    assert not [c for c in data["contradictions"] if c["attribute"] == "quantity"]  # ... and not disputed


def test_a_meeting_reported_from_each_side_is_no_dispute_over_who_acted(tmp_path):
    """Who did it is disputable for a strike, not for talks: each side of a meeting is its actor."""
    articles = [
        ("kyiv-1", "2025-03-11", "Talks in Jeddah", "Ukrainian officials met American envoys in Jeddah on Tuesday "
         "to discuss a ceasefire, Ukraine's foreign ministry said."),
        ("dc-2", "2025-03-11", "Envoys meet Ukrainians", "American envoys met Ukrainian officials in Jeddah on "
         "Tuesday to discuss a ceasefire, the State Department said."),
    ]
    data = _built(tmp_path, [{"id": e, "published": p, "title": t, "text": x} for e, p, t, x in articles])
    meetings = [e for e in data["events"] if e["type"] == "CONSULT"]
    assert meetings and not [c for c in data["contradictions"] if c["attribute"] == "actors"]


def test_two_acts_one_sentence_tells_apart_are_never_one_event(tmp_path):
    """A sentence that tells a meeting "three days after" a summit holds two meetings: no report of the
    summit may draw the later meeting into it, however many words and people they share."""
    articles = [
        ("wire-1", "2025-08-18", "Leaders in Washington", "Volodymyr Zelenskyy met Donald Trump at the White House "
         "on Monday, three days after Trump's summit with Vladimir Putin in Alaska on 15 August 2025."),
        ("post-2", "2025-08-16", "Summit ends", "Donald Trump and Vladimir Putin ended their summit in Anchorage, "
         "Alaska, on Friday without announcing a ceasefire."),
        ("post-3", "2025-08-16", "No deal in Alaska", "The summit between Trump and Putin in Anchorage, Alaska, "
         "ended on Friday without a ceasefire deal."),
    ]
    data = _built(tmp_path, [{"id": e, "published": p, "title": t, "text": x} for e, p, t, x in articles])
    for e in data["events"]:
        sentences = [(m["doc"], m["start"]) for m in e["mentions"]]
        assert len(sentences) == len(set(sentences)), e["summary"]
    white_house = next(e for e in data["events"] if e["summary"].startswith("Volodymyr Zelenskyy met")
                       and e["date"]["value"] == "2025-08-18")
    assert len(white_house["mentions"]) == 1


def _struck(doc: str, source: str, precision: str = "day"):
    from storyline.model import EventMention, TimeExpr

    m = EventMention(id=f"{doc}:m0", sentence=0, start=0, end=10, text="A missile struck the market.",
                     type="ASSAULT", trigger="struck", date=TimeExpr(0, 4, "x", "2023-09-06", precision),
                     source=[source])
    return coref._Item(doc, m, {source}, {"UA"}, {"market"}, source=[source])


def test_who_struck_is_disputed_between_sides_not_between_names_without_one():
    from storyline.model import EntityMention

    def ent(eid, name, type_, country):
        return EntityMention(-1, -1, name, eid, name, type_, country)

    entities = {"Q159": ent("Q159", "Russia", "state", "RU"), "Q212": ent("Q212", "Ukraine", "state", "UA"),
                "p_x": ent("p_x", "Horenka", "person", None), "gn:1": ent("gn:1", "Kostiantynivka", "place", "UA")}
    reports = contradictions.Reports()
    two_sides = [_struck("a", "Q159"), _struck("b", "Q212")]
    assert contradictions._actor_contradiction("ev", two_sides, reports, entities, "ASSAULT") is not None
    # A name with no country, or a place, is no side; a report dated only by its publication does not count.
    for other in (_struck("b", "p_x"), _struck("b", "gn:1"), _struck("b", "Q212", precision="reported")):
        assert contradictions._actor_contradiction("ev", [two_sides[0], other], reports, entities, "ASSAULT") is None
    # Talks and battles have a party on each side.
    for kind in ("CONSULT", "FIGHT"):
        assert contradictions._actor_contradiction("ev", two_sides, reports, entities, kind) is None


def test_an_article_cannot_report_as_done_what_happened_after_it(tmp_path):
    """Talks "on Thursday" told on 30 April are not a misdated report of talks held on 3 May: two meetings."""
    records = [
        {"id": "a", "published": "2010-04-30", "source": "Wire A",
         "text": "Interior Secretary Ken Salazar met BP's top executives and engineers in Houston on Thursday "
                 "to discuss the oil spill response."},
        {"id": "b", "published": "2010-05-04", "source": "Wire B",
         "text": "Interior Secretary Ken Salazar met BP's top executives and engineers in Houston on Monday "
                 "to discuss the oil spill response."},
        {"id": "c", "published": "2010-05-04", "source": "Wire C",
         "text": "Interior Secretary Ken Salazar met BP's top executives and engineers in Houston on Monday "
                 "to discuss the widening oil spill response."},
    ]
    data = _built(tmp_path, records)
    assert not [c for c in data["contradictions"] if c["attribute"] == "date"], data["contradictions"]
    meetings = sorted(e["date"]["value"] for e in data["events"] if e["type"] == "CONSULT")
    assert meetings == ["2010-04-29", "2010-05-03"], meetings


def _killed(doc: str, n: int, date: str, precision: str):
    from storyline.model import EventMention, Quantity, TimeExpr

    m = EventMention(id=f"{doc}:m0", sentence=0, start=0, end=10, text=f"An explosion killed {n} people.",
                     type="ASSAULT", trigger="killed", date=TimeExpr(0, 4, "x", date, precision),
                     quantities=[Quantity(kind="killed", value=n, approx="exact", text=str(n))])
    return coref._Item(doc, m, set(), {"US"}, {"explosion"})


def test_figures_of_another_time_are_no_dispute_about_this_event():
    # "An explosion there in 2005 killed 15", told beside the 2010 blast that killed 11.
    reports = contradictions.Reports()
    now = [_killed("a", 11, "2010-04-20", "day"), _killed("b", 11, "2010-05-03", "reported")]
    assert contradictions._quantity_contradictions("ev", now + [_killed("c", 15, "2005", "year")], reports,
                                                   "2010-04-20") == []
    # Another figure for the same day, the next day (a dispute about the date too), or with no date of its
    # own is compared as before.
    for other in (_killed("c", 15, "2010-04-20", "day"), _killed("c", 15, "2010-04-21", "day"),
                  _killed("c", 15, "2010-05-04", "reported")):
        assert contradictions._quantity_contradictions("ev", now + [other], reports, "2010-04-20")
