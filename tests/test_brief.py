"""The briefing in its three formats: every section present, every line cited, nothing invented.

The Markdown is checked line by line against the store: a cited sentence
must be a sentence stored for one of the documents its numbers name, a quote
must stand verbatim in a cited document, a figure in a document that gives
it.  HTML and JSON are checked to carry the same sections and items.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from helpers import SEEDS, md_text, one_line, section, source_numbers, without_insertions
from storyline import api, brief, timeline
from storyline.timeline import md_escape
from storyline.store import Store

HEADINGS = [title for title, _ in brief.SECTIONS.values()]
# A line's own source, then the other articles reporting the same ("also reported by").
# An assessment cites every side alike: plain marks.
MARKS = (r"(?P<cites>\[\d+\](?: \(also reported by (?:\[\d+\])+(?:\[\+\d+ more\])?\))?"
         r"|(?:\[\d+\])+(?:\[\+\d+ more\])?)")
DATE = r"\*\*(?P<date>\d{4}(?:-\d\d){0,2}(?: \((?:week|month|year|reported: on or before)\))?)\*\*"
NOTES = r"(?: _\((?P<notes>.+)\)_)?"
DATED_LINE = re.compile(rf"- {DATE} — (?P<text>.+?) {MARKS}{NOTES}")
SUMMARY_LINE = re.compile(rf"(?P<text>.+?) {MARKS}")
QUOTE_LINE = re.compile(rf"- (?P<speaker>.+?) \((?P<date>[0-9-]+|undated)\): “(?P<text>.+)” {MARKS}")
DISPUTE_LINE = re.compile(rf"- (?:The sources disagree on the \w+ of|A title contradicts the actor registry in): "
                          rf"(?P<text>.+?) {MARKS}")
CLAIM_LINE = re.compile(rf"  - (?P<text>.+?) {MARKS}")
ASSESSMENT_LINE = re.compile(rf"  - Assessment: (?P<text>.+?)\. {MARKS}")
REGISTRY_LINE = re.compile(r"  - actor registry: .+ \(actor registry, no article\)")


@pytest.fixture(scope="module")
def examples(examples_db) -> dict:
    """The examples (built once per session) with their three briefings rendered once."""
    return _rendered(examples_db["db"])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict:
    articles = SEEDS / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"{articles} is absent")
    db = str(tmp_path_factory.mktemp("seeds") / "seeds.db")
    api.build([str(articles)], db=db, progress=False)
    return _rendered(db)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """An article whose title, text, quote and URL all try to inject markup."""
    records = [
        {"id": "x1", "url": "https://wire.example/x1", "source": "Wire <b>bold</b>", "published": "2025-06-24",
         "title": "Dnipro <script>alert('title')</script> strike \" onload=\"alert(3)",
         "text": ("On June 24, 2025, Russian missiles struck Dnipro <script>alert(1)</script> "
                  "<img src=x onerror=alert(2)>, killing 17 people and injuring 40, officials said.\n"
                  "“We will <script>rebuild</script> every <i>home</i> here,” Zelenskyy said on June 24, 2025.\n"
                  "Rescue crews worked through the night.")},
        {"id": "x2", "url": "javascript:alert(4)", "source": "Other Wire", "published": "2025-06-25",
         "title": "Second <iframe src=https://evil.example/></iframe> report",
         "text": "On June 24, 2025, Russian missiles struck Dnipro, killing 18 people, officials said."},
    ]
    path = tmp_path_factory.mktemp("hostile") / "x.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = str(path.with_suffix(".db"))
    api.build([str(path)], db=db, progress=False)
    return _rendered(db)


def _rendered(db: str) -> dict:
    """The briefing of the whole pile (``--all``), in three formats."""
    return {"db": db, "data": api.export(db), "md": api.brief(db=db, fmt="md", all_stories=True),
            "html": api.brief(db=db, fmt="html", all_stories=True),
            "json": json.loads(api.brief(db=db, fmt="json", all_stories=True))}


def cites(item: dict) -> str:
    """How a line's citation reads: its own source, then the others "also reported by"."""
    first, rest = item["sources"][0], item["sources"][1:timeline.MAX_MARKS + 1]
    also = "".join(f"[{n}]" for n in rest) + (f"[+{len(item['sources']) - 1 - len(rest)} more]"
                                              if len(item["sources"]) - 1 > len(rest) else "")
    return f"[{first}]" + (f" (also reported by {also})" if rest else "")


# -- Markdown: every line cited to what the store holds -----------------------------------------


def _cited(m: re.Match, numbers: dict[int, str]) -> list[str]:
    return [numbers[int(n)] for n in re.findall(r"\[(\d+)\]", m.group("cites"))]


def _check_markdown(r: dict) -> None:
    """Every line of every section is a cited stored sentence, quote, figure or claim, or a "none" line."""
    md, data = r["md"], r["data"]
    assert [x[3:] for x in md.splitlines() if x.startswith("## ")] == HEADINGS
    numbers = source_numbers(md, data)
    docs = {d["id"]: d for d in data["documents"]}
    head = md.splitlines()[0]
    if head != "# Briefing":
        m = re.fullmatch(rf"# (?P<text>.+) {MARKS}", head)
        assert m and any(one_line(docs[d]["title"]) == md_text(m.group("text")) for d in _cited(m, numbers)), head
    with Store(r["db"]) as store:
        texts = {}

        def text_of(doc: str) -> str:
            if doc not in texts:
                texts[doc] = store.document(doc).text
            return texts[doc]

        mentions = _mention_texts(data)

        def stored(m: re.Match, line: str) -> None:
            """A stored sentence of a cited document (an event's summary may drop the sentence's bullet mark)."""
            text = md_text(m.group("text"))
            bare = without_insertions(text)
            assert any(store.sentence_exists(d, t) or t in mentions.get(d, ())
                       for d in _cited(m, numbers) for t in (text, bare)), line

        for key, (title, none) in brief.SECTIONS.items():
            lines = section(md, title)
            if lines == [none]:
                continue
            for line in lines:
                if key == "summary":
                    stored(_match(SUMMARY_LINE, line), line)
                elif key in ("background", "developments"):
                    stored(_match(DATED_LINE, line), line)
                elif key == "statements":
                    m = _match(QUOTE_LINE, line)
                    assert any(md_text(m.group("text")) in text_of(d) for d in _cited(m, numbers)), line
                elif key == "disputes":
                    _check_dispute_line(line, numbers, stored)
                elif key == "numbers":
                    _match(DATED_LINE, line)
        _check_figures(r, text_of)


def _mention_texts(data: dict) -> dict[str, set[str]]:
    """Document id -> its reporting sentences as the export gives them, leading bullet marks removed."""
    out: dict[str, set[str]] = {}
    for e in data["events"]:
        for m in e["mentions"]:
            out.setdefault(m["doc"], set()).add(re.sub(r"^[\s•·*–—-]+", "", m["text"]))
    return out


def _match(pattern: re.Pattern, line: str) -> re.Match:
    m = pattern.fullmatch(line)
    assert m, f"not a cited line: {line!r}"
    return m


def _check_dispute_line(line: str, numbers: dict[int, str], stored) -> None:
    if line.startswith("- "):
        stored(_match(DISPUTE_LINE, line), line)
    elif line.startswith("  - Assessment: "):
        _match(ASSESSMENT_LINE, line)
    elif not REGISTRY_LINE.fullmatch(line):
        m = _match(CLAIM_LINE, line)
        assert all(n in numbers for n in map(int, re.findall(r"\[(\d+)\]", m.group("cites")))), line


def _check_figures(r: dict, text_of) -> None:
    """A figure is cited to documents that give it: its words as written stand in one of them."""
    for item in r["json"]["numbers"]["items"]:
        assert item["docs"], item
        if item.get("figure_text"):
            assert any(item["figure_text"] in text_of(d) for d in item["docs"]), item


def test_examples_markdown_cites_every_line(examples):
    _check_markdown(examples)
    md = examples["md"]
    assert 2 <= len(section(md, "Summary")) <= 3
    for title, none in brief.SECTIONS.values():  # the examples fill every section but the background
        assert section(md, title) != [none] or title == "Background", title


def test_examples_dispute_shows_both_dates_with_their_sources(examples):
    md, data = examples["md"], examples["data"]
    numbers = source_numbers(md, data)
    docs = {d["id"]: d for d in data["documents"]}
    claims = {}
    cited = {}
    for line in section(md, "Disputed points"):
        # "  - 2025-08-15 [7] (also reported by [1])": the claim, its source, then the others that make it
        m = re.fullmatch(r"  - (\d{4}-\d\d(?:-\d\d)?) ((?:\[\d+\])+)(?: \(also reported by ((?:\[\d+\])+)\))?", line)
        if m:
            cited[m.group(1)] = [int(n) for n in re.findall(r"\d+", m.group(2) + (m.group(3) or ""))]
            claims[m.group(1)] = [docs[numbers[n]] for n in cited[m.group(1)]]
    assert set(claims) >= {"2025-08-15", "2025-07"}, section(md, "Disputed points")
    assert all("aggregator" in (d["path"] or "") for d in claims["2025-07"]), claims["2025-07"]
    assert not any("aggregator" in (d["path"] or "") for d in claims["2025-08-15"])
    # The same dispute, with the same numbers, in HTML and JSON.
    dispute = next(i for i in examples["json"]["disputes"]["items"] if i["attribute"] == "date")
    values = {c["text"]: c["sources"] for c in dispute["claims"]}
    for value in ("2025-08-15", "2025-07"):
        assert cited[value] == values[value]
        assert f'<li class="claim">{value}<sup><a href="#src{values[value][0]}">' in examples["html"]
    assert dispute["note"]["text"] and dispute["note"]["sources"]


def test_summary_is_the_best_entry_of_the_most_important_dates_in_date_order(examples):
    items = examples["json"]["summary"]["items"]
    assert 2 <= len(items) <= 3
    events = {e["id"]: e for e in examples["data"]["events"]}
    dates = [events[i["event"]]["date"]["value"] for i in items]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)  # one per date, in date order
    developments = {i["events"][0] for g in examples["json"]["developments"]["items"] for i in g["items"]}
    for item in items:
        assert item["event"] in developments  # chosen by the same selection as the key developments
        assert without_insertions(item["text"]) == events[item["event"]]["summary"]
        assert set(item["docs"]) <= {m["doc"] for m in events[item["event"]]["mentions"]}
        # The first source is the article the sentence is taken from.
        first = examples["data"]["documents"][[d["id"] for d in examples["data"]["documents"]].index(item["docs"][0])]
        assert any(m["doc"] == first["id"] and m["text"] == events[item["event"]]["summary"]
                   for m in events[item["event"]]["mentions"])


def test_brief_covers_the_largest_story_and_lists_the_others(examples_db):
    db = examples_db["db"]
    stories = api.stories(db=db)
    assert len(stories) == 2 and stories[0]["documents"] >= stories[1]["documents"]
    plan = json.loads(api.brief(db=db, fmt="json"))
    largest = api.export(db, story=stories[0]["id"])
    assert plan["headline"]["text"] == stories[0]["title"]  # the title of the story's most central article
    own = {e["id"] for e in largest["events"]}
    assert {i["event"] for i in plan["summary"]["items"]} <= own
    assert [i["id"] for i in plan["stories"]["items"]] == [stories[1]["id"]]
    md = api.brief(db=db)
    assert section(md, "Other stories") == [f"- {md_escape(brief._story_line(plan['stories']['items'][0]))}"]
    other = json.loads(api.brief(db=db, fmt="json", story=stories[1]["id"]))
    assert other["headline"]["text"] == stories[1]["title"]
    assert other["stories"]["none"] == brief.ONE_STORY  # not "covers every story": it covers the one asked for
    assert json.loads(api.brief(db=db, fmt="json", all_stories=True))["stories"]["none"] == brief.ALL_STORIES


def test_developments_are_grouped_by_date_with_precision(examples):
    groups = examples["json"]["developments"]["items"]
    keys = [(g["date"]["value"], g["date"]["precision"] == "reported") for g in groups]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for g in groups:
        assert g["when"] == brief.when(g["date"])
        if g["date"]["precision"] == "reported":
            assert "on or before" in g["when"]
        elif g["date"]["precision"] != "day":
            assert g["date"]["precision"] in g["when"]
    html_dates = re.findall(r'<h3 class="date">([^<]+)</h3>', examples["html"])
    assert html_dates == [g["when"] for g in groups]


def test_html_numbers_have_a_chart_with_labelled_bars(examples):
    page = examples["html"]
    assert "<svg" in page and "<rect" in page and "Killed and injured" in page
    killed = [i for i in examples["json"]["numbers"]["items"] if i["kind"] in ("killed", "injured")]
    assert page.count('<rect class="bar-killed"') + page.count('<rect class="bar-injured"') == len(killed)
    for i in killed:  # each bar labelled with its figure and the sources the table cites
        marks = "".join(f"[{n}]" for n in i["sources"])
        assert f">{i['text']} {marks}</text>" in page
    assert "@media print" in page


# -- the same content three ways ---------------------------------------------------------------


def _count_md(md: str, key: str) -> int:
    lines = section(md, brief.SECTIONS[key][0])
    if key == "disputes":
        return sum(1 for x in lines if x.startswith("- "))
    return len(lines)


@pytest.mark.parametrize("corpus", ["examples", "seeds"])
def test_three_formats_carry_the_same_sections_and_items(corpus, request):
    r = request.getfixturevalue(corpus)
    plan = r["json"]
    assert set(plan) == {"schema", "headline", *brief.SECTIONS}
    assert re.findall(r"<h2>([^<]+)</h2>", r["html"]) == HEADINGS
    for key, (title, none) in brief.SECTIONS.items():
        items = plan[key]["items"]
        assert plan[key]["title"] == title
        if not items:
            none = brief.ALL_STORIES if key == "stories" else none  # these briefings cover the whole pile
            assert plan[key]["none"] == none and section(r["md"], title) == [none]
            continue
        flat = [i for g in items for i in g["items"]] if key == "developments" else items
        assert _count_md(r["md"], key) == len(flat), key
        md = md_text(r["md"])  # the Markdown with its escapes taken off
        for item in flat:  # each item's text and citations, in Markdown and (escaped) in HTML
            if key not in ("sources", "stories"):
                assert item["sources"] and len(item["sources"]) == len(item["docs"]), item
                text = one_line(item["text"])
                assert f"{text} {cites(item)}" in md or f"{text}” {cites(item)}" in md, item
            assert brief._e(item["text"]) in r["html"], item
    numbers = {s["n"]: s["id"] for s in plan["sources"]["items"]}
    assert numbers == source_numbers(r["md"], r["data"])


def test_seeds_markdown_cites_every_line(seeds):
    _check_markdown(seeds)
    assert 2 <= len(section(seeds["md"], "Summary")) <= 3
    if seeds["data"]["contradictions"]:
        assert section(seeds["md"], "Disputed points") != [brief.SECTIONS["disputes"][1]]


# -- hostile article text ----------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_escapes_hostile_article_text(hostile):
    page = hostile["html"]
    for raw in ("<script", "<img", "<iframe", "<b>bold", "<i>home", 'onload="alert'):
        assert raw not in page, raw
    assert "<title>Dnipro &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; strike &quot; onload=" in page
    assert "We will &lt;script&gt;rebuild&lt;/script&gt; every &lt;i&gt;home&lt;/i&gt; here" in page
    assert "Wire &lt;b&gt;bold&lt;/b&gt;" in page and "struck Dnipro" in page
    parser = _Tags()
    parser.feed(page)
    urls = {d["url"] for d in hostile["data"]["documents"]}
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "link", "base", "form"), tag
        assert "src" not in attrs and not any(a.startswith("on") for a in attrs), (tag, attrs)
        if "href" in attrs:
            href = attrs["href"]
            assert re.fullmatch(r"#src\d+", href) or (href in urls and href.startswith(("http://", "https://"))), href
    hrefs = [a["href"] for _, a in parser.tags if "href" in a]
    assert "https://wire.example/x1" in hrefs and not any("javascript" in h or "evil" in h for h in hrefs)


def test_markdown_escapes_hostile_text_and_json_keeps_it_verbatim(hostile):
    _check_markdown(hostile)
    md = hostile["md"]
    assert not re.search(r"(?<!\\)[<&]", md)  # every "<" and "&" backslash-escaped
    assert r"We will \<script\>rebuild\</script\> every \<i\>home\</i\> here" in md  # escaped, not dropped
    assert "<script>rebuild</script>" in md_text(md)
    assert "<script>rebuild</script>" in json.dumps(hostile["json"], ensure_ascii=False)


# -- nothing to say ---------------------------------------------------------------------------


def _empty_data() -> dict:
    return {"schema": "storyline/1", "documents": [], "events": [], "quotes": [], "contradictions": [],
            "entities": [], "stories": []}


def test_empty_database_renders_every_section_with_a_none_line(tmp_path):
    db = str(tmp_path / "empty.db")
    Store(db).close()
    md, page = api.brief(db=db), api.brief(db=db, fmt="html")
    plan = json.loads(api.brief(db=db, fmt="json"))
    assert md.startswith("# Briefing\n")
    for key, (title, none) in brief.SECTIONS.items():
        assert section(md, title) == [none]
        assert f'<h2>{title}</h2>\n<p class="none">{none}</p>' in page
        assert plan[key] == {"title": title, "items": [], "none": none}
    assert plan["headline"] == {"text": "Briefing", "sources": [], "docs": [], "source": None, "also": []}


def test_documents_without_events_still_render_every_section():
    data = _empty_data()
    data["documents"] = [{"id": "d_1", "title": "A quiet day", "source": None, "published": "2025-01-01",
                          "published_after": None, "url": None, "path": None}]
    md = brief.render_markdown(data)
    assert md.startswith("# A quiet day [1]\n")  # the headline cites the article it is taken from
    assert section(md, "Sources") == ["1. A quiet day — 2025-01-01. d_1"]
    for key in ("summary", "developments", "statements", "disputes", "numbers"):
        title, none = brief.SECTIONS[key]
        assert section(md, title) == [none]
    assert json.loads(brief.render_json(data))["sources"]["items"][0]["id"] == "d_1"


def test_from_and_to_work_on_brief_and_export_as_on_timeline(examples_db, capsys):
    from storyline import cli

    db = examples_db["db"]
    data = api.export(db, date_from="2025-08", date_to="2025-08-31")
    # A day or month in August, or a coarser date that can fall in it ("this year": 2025).
    assert data["events"] and all(e["date"]["value"][:7] == "2025-08" or e["date"]["value"] == "2025"
                                  for e in data["events"])
    assert any(e["date"]["value"][:7] == "2025-08" for e in data["events"])
    timeline_ids = {e["id"] for e in json.loads(api.timeline(db=db, fmt="json", date_from="2025-08",
                                                             date_to="2025-08-31"))["events"]}
    # The same window; the timeline shows a sentence once, so a statement retold by its act is left out.
    from storyline.selection import without_retold

    assert {e["id"] for e in without_retold(data["events"])} == timeline_ids
    plan = json.loads(api.brief(db=db, fmt="json", all_stories=True, date_from="2025-06", date_to="2025-06"))
    lines = plan["summary"]["items"] + [i for g in plan["developments"]["items"] for i in g["items"]]
    events = {e["id"]: e for e in api.export(db)["events"]}
    days = [events[i.get("event") or i["events"][0]]["date"]["value"] for i in lines]
    assert days and all(d.startswith("2025-06") or d == "2025" for d in days), days
    assert any(d.startswith("2025-06") for d in days)
    with pytest.raises(SystemExit):
        cli.main(["brief", "--db", db, "--from", "2025-13-01"])
    capsys.readouterr()


def test_stories_command_lists_every_story_largest_first(examples_db, capsys):
    from storyline import cli

    db = examples_db["db"]
    assert cli.main(["stories", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    stories = api.stories(db=db)
    assert [line.split()[0] for line in lines] == [s["id"] for s in stories]
    assert f"{stories[0]['documents']} articles" in lines[0] and stories[0]["title"] in lines[0]
    assert cli.main(["stories", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == stories
