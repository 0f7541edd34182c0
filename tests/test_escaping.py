"""Hostile article text through every output: it must stay text, never become markup.

A pile of articles carrying script tags, event-handler attributes,
``javascript:`` links, remote images and line breaks meant to start headings
is built with the real pipeline; the briefing (Markdown, HTML, JSON) and the
timeline (Markdown, JSON) are then rendered.  The Markdown is put through a
CommonMark renderer with raw HTML enabled, as a reader's viewer would, and the
HTML that comes out is checked element by element; the payloads must still be
there, as text.  The same is done with an export whose every text field has
been poisoned by hand, which reaches fields (speaker, actor and place names,
claims, notes) the extraction would not fill with markup on its own.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from helpers import one_line
from storyline import api, brief, timeline
from storyline.timeline import md_escape

MD = MarkdownIt("commonmark")  # raw HTML enabled: the dangerous default

# What the pile's articles try to slip in.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    '<a href="javascript:alert(1)">',
    "<iframe src=https://evil.example/></iframe>",
    "javascript&#58;alert(1)",
    "<javascript:alert(1)>",
    "<b onclick=alert(1)>bold</b>",
]
# Only the hand-poisoned export can carry these: the ingester already makes titles one line.
BLOCK_PAYLOADS = [
    "\n# Pwned\n",
    "\n<div onmouseover=alert(1)>\n<script>alert(1)</script>\n</div>\n",
    "\n\n[x]: javascript:alert(1)\n\n[x]\n",
    "\n```\n<script>alert(1)</script>\n```\n",
    "\n- item\n1. item\n> quote\n    code\n---\n===\n",
    "\x1b[31mred\x1b[0m\u2028line\x00",
]

# Tags and attributes the CommonMark renderer may produce from our Markdown: the
# headings, paragraphs, lists and emphasis the two renderers lay out, nothing else.
MD_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "em", "strong"}
MD_ATTRS = {"ol": {"start"}}
MD_TOKENS = {"heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline",
             "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
             "list_item_open", "list_item_close", "text", "text_special", "softbreak",
             "em_open", "em_close", "strong_open", "strong_close"}
# What brief.render_html writes: the page, its sections, lists, source marks and links,
# the numbers table and the inline SVG bar charts.
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "ol", "li", "b",
             "span", "sup", "a", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
             "svg", "text", "rect"}
HTML_ATTRS = {"html": {"lang"}, "meta": {"charset", "http-equiv", "content"}, "a": {"href", "rel"},
              "li": {"id", "class"}, "span": {"class"}, "h3": {"class"}, "p": {"class"}, "ol": {"class"},
              "td": {"class"}, "rect": {"class", "x", "y", "width", "height"}, "text": {"x", "y"},
              "svg": {"width", "height", "viewbox", "role", "aria-label", "font-family", "font-size"}}


# -- the pile ----------------------------------------------------------------------------------------


def _write_pile(folder) -> None:
    """Four articles in three formats, payloads in their sentences, quotes, titles, outlets and URLs.

    Every payload is in some title or outlet as well, so it reaches every output's
    list of sources whichever sentence is picked to summarise an event.
    """
    (folder / "01-strike.txt").write_text(
        "Dnipro strike <script>alert(1)</script> [click](javascript:alert(1)) javascript&#58;alert(1)\n\n"
        "On June 24, 2025, Russian missiles struck Dnipro <img src=x onerror=alert(1)>, killing 17 people, "
        "officials said javascript&#58;alert(1).\n\n"
        "“We will rebuild every home <script>alert(1)</script> and every school "
        "![x](http://evil.example/x.png),” Zelenskyy said on June 24, 2025.\n\n"
        "Rescue crews worked through the night.\n", encoding="utf-8")
    (folder / "02-toll.html").write_text(
        "<!doctype html><html><head><title>Toll rises &lt;iframe src=https://evil.example/&gt;&lt;/iframe&gt; "
        "in Dnipro</title>"
        '<meta property="og:site_name" content="Harbor &lt;a href=&quot;javascript:alert(1)&quot;&gt;Post">'
        '<meta property="article:published_time" content="2025-06-25"></head><body><article>'
        "<h1>Toll rises &lt;iframe src=https://evil.example/&gt;&lt;/iframe&gt; in Dnipro</h1>"
        "<p>On June 24, 2025, Russian missiles struck Dnipro &lt;a href=&quot;javascript:alert(1)&quot;&gt;, "
        "killing 18 people and injuring 40, officials said.</p>"
        "<p>“Those responsible &lt;javascript:alert(1)&gt; will answer for this attack on civilians,” "
        "Zelenskyy said on June 25, 2025.</p>"
        "<p>Emergency workers cleared rubble from the damaged apartment blocks for a second day.</p>"
        "</article></body></html>", encoding="utf-8")
    records = [
        {"id": "h1", "url": "javascript:alert(1)", "published": "2025-08-14",
         "source": "Wire <script>alert(1)</script> ![x](http://evil.example/x.png)",
         "title": "Summit set\n# Pwned\n<img src=x onerror=alert(1)> for Anchorage",
         "text": "US President Donald Trump and Russian President Vladimir Putin will meet in Anchorage, Alaska, "
                 "on August 15, 2025 <iframe src=https://evil.example/></iframe>, officials said.\n\n"
                 "“I think he wants to make a deal <script>alert(1)</script> with us,” Trump told reporters "
                 "on August 13, 2025."},
        {"id": "h2", "url": "https://wire.example/a?x=1&y=<script>", "published": "2025-08-16",
         "source": "[click](javascript:alert(1)) <b onclick=alert(1)>bold</b> Wire",
         "title": "<javascript:alert(1)> Trump and Putin met in Anchorage",
         "text": "Trump and Putin met in Anchorage, Alaska, on August 15, 2025, for nearly three hours of talks "
                 "<b onclick=alert(1)>bold</b>, officials said.\n\n"
                 "“The talks were constructive <a href=\"javascript:alert(1)\">here</a> and useful,” Putin said "
                 "on August 15, 2025."},
    ]
    (folder / "03-feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _poisoned(data: dict) -> dict:
    """The export with payloads at the start of every text field and "\\n# Pwned\\n" in every title.

    Ids, kinds, types and dates stay as they were, so the outputs are laid out as usual.
    """
    data = copy.deepcopy(data)
    payloads = itertools.cycle(BLOCK_PAYLOADS + PAYLOADS)
    text_keys = {"title", "source", "url", "path", "name", "text", "summary", "note", "value", "country", "unit"}

    def walk(node):
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str) and (key in text_keys or (key == "date" and value)):
                    node[key] = f"{next(payloads)}{value}" + ("\n# Pwned\n" if key == "title" else "")
                elif key != "date":
                    walk(value)

    walk(data)
    hostile_urls = ['https://ok.example/a"onmouseover="alert(1)', "javascript:alert(1)", " JavaScript:alert(1)",
                    "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>"]
    for doc, url in zip(data["documents"], itertools.cycle(hostile_urls)):
        doc["url"] = url
    data["stories"] = data["stories"][:1]  # one story: the timeline is headed by its (poisoned) title
    return data


@pytest.fixture(scope="module")
def pile(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("hostile-pile")
    _write_pile(folder)
    db = str(folder / "pile.db")
    report = api.build([str(folder)], db=db, progress=False, workers=1)
    data = api.export(db)
    poisoned = _poisoned(data)
    return {
        "report": report, "data": data, "poisoned": poisoned,
        "brief_md": api.brief(db=db, all_stories=True), "brief_html": api.brief(db=db, fmt="html", all_stories=True),
        "brief_json": api.brief(db=db, fmt="json", all_stories=True),
        "timeline_md": api.timeline(db=db), "timeline_json": api.timeline(db=db, fmt="json"),
        "poisoned_brief_md": brief.render_markdown(poisoned), "poisoned_brief_html": brief.render_html(poisoned),
        "poisoned_brief_json": brief.render_json(poisoned),
        "poisoned_timeline_md": timeline.render_markdown(poisoned, timeline.select(poisoned)),
        "poisoned_timeline_json": timeline.render_json(poisoned, timeline.select(poisoned)),
    }


def test_the_pile_yields_events_and_quotes_that_carry_the_payloads(pile):
    """Otherwise the checks below would prove nothing."""
    data = pile["data"]
    assert pile["report"].added == 4 and not pile["report"].skipped
    sentences = " ".join(m["text"] for e in data["events"] for m in e["mentions"])
    quotes = " ".join(q["text"] for q in data["quotes"] if q["speaker"])
    titles = " ".join(d["title"] or "" for d in data["documents"])
    assert len(data["events"]) >= 4 and len(quotes) > 0
    for payload in ("<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">', "javascript&#58;alert(1)",
                    "<iframe src=https://evil.example/></iframe>", "<b onclick=alert(1)>bold</b>"):
        assert payload in sentences, payload
    for payload in ("<script>alert(1)</script>", "![x](http://evil.example/x.png)", "<javascript:alert(1)>"):
        assert payload in quotes, payload
    assert "[click](javascript:alert(1))" in titles and "# Pwned" in titles
    assert {d["url"] for d in data["documents"]} >= {"javascript:alert(1)", "https://wire.example/a?x=1&y=<script>"}
    assert any("<script>" in (d["source"] or "") for d in data["documents"])
    assert data["contradictions"], "a disputed toll, so claims and a note are rendered too"


# -- reading rendered HTML -----------------------------------------------------------------------------


class _Page(HTMLParser):
    """Every element with its attributes, the text, and each heading's text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: list[str] | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((tag, "".join(self._heading)))
            self._heading = None

    def handle_data(self, data):
        self.texts.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.texts).split())


def _dangerous_url(value: str) -> bool:
    """A URL a browser would run or load inline, read the lenient way browsers read it."""
    plain = re.sub(r"[\x00-\x20\x7f-\x9f]", "", unescape(value)).casefold()
    return plain.startswith(("javascript:", "vbscript:", "data:"))


def _check_elements(page: _Page, tags: set[str], attrs: dict[str, set[str]]) -> None:
    for tag, found in page.tags:
        assert tag in tags, (tag, found)
        assert set(found) <= attrs.get(tag, set()), (tag, found)
        assert not any(name.startswith("on") for name in found), (tag, found)
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            assert not (found.get(name) and _dangerous_url(found[name])), (tag, found)
        assert tag != "img" and "src" not in found, (tag, found)  # no image, remote or not


def _unescaped(markdown: str) -> list[str]:
    """Each "<" or "&" in the Markdown that no backslash escapes."""
    return re.findall(r"(?<!\\)(?:\\\\)*[<&]", markdown)


def _check_markdown(markdown: str, headings: list[tuple[str, str]], payloads: list[str]) -> None:
    """Rendered by CommonMark, only the expected headings and plain blocks, with every payload as text."""
    assert not _unescaped(markdown)
    tokens = MD.parse(markdown)
    for token in tokens + [c for t in tokens for c in t.children or []]:
        assert token.type in MD_TOKENS, (token.type, token.content)
    page = _Page(MD.render(markdown))
    _check_elements(page, MD_TAGS, MD_ATTRS)
    assert page.headings == headings
    assert not any(re.match(r"\W*Pwned", text) for _, text in page.headings)
    for payload in payloads:
        assert one_line(payload) in page.text, payload  # escaped, not dropped


def _brief_headings(plan: dict) -> list[tuple[str, str]]:
    marks = timeline.marks(plan["headline"]["sources"])
    head = [("h1", one_line(f"{plan['headline']['text']} {marks}".strip()))]
    return head + [("h2", title) for title, _ in brief.SECTIONS.values()]


def _timeline_headings(data: dict) -> list[tuple[str, str]]:
    stories = data["stories"]
    head = "Timeline" + (f": {one_line(stories[0]['title'])}" if len(stories) == 1 else "")
    dates = list(dict.fromkeys(timeline.heading(e["date"]) for e in timeline.select(data)))
    return [("h1", head)] + [("h2", d) for d in dates] + [("h2", "Sources")]


# -- 1. the outputs of the pile --------------------------------------------------------------------------


def test_markdown_brief_of_the_pile_renders_no_markup(pile):
    md = pile["brief_md"]
    _check_markdown(md, _brief_headings(json.loads(pile["brief_json"])), PAYLOADS)
    assert "Summit set # Pwned <img" in _Page(MD.render(md)).text  # the title that tried it, on one line


def test_markdown_timeline_of_the_pile_renders_no_markup(pile):
    _check_markdown(pile["timeline_md"], _timeline_headings(pile["data"]), PAYLOADS)


def test_html_brief_of_the_pile_has_only_its_own_markup(pile):
    page = _Page(pile["brief_html"])
    _check_elements(page, HTML_TAGS, HTML_ATTRS)
    urls = {d["url"] for d in pile["data"]["documents"]}
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert "https://wire.example/a?x=1&y=<script>" in hrefs  # an http(s) source is linked, escaped
    for href in hrefs:
        assert re.fullmatch(r"#src\d+", href) or (href in urls and href.startswith(("http://", "https://"))), href
    assert {"figure", "svg", "rect", "table"} <= {tag for tag, _ in page.tags}  # the chart was drawn
    for payload in PAYLOADS:
        assert payload in page.text, payload


# -- 1b. the hand-poisoned export --------------------------------------------------------------------------


def test_markdown_brief_of_a_poisoned_export_renders_no_markup(pile):
    md = pile["poisoned_brief_md"]
    plan = json.loads(pile["poisoned_brief_json"])
    _check_markdown(md, _brief_headings(plan), BLOCK_PAYLOADS + PAYLOADS)
    speakers = {q["speaker"]["name"] for q in pile["data"]["quotes"] if q["speaker"]}
    statements = plan["statements"]["items"]  # so poisoned speaker names were rendered
    assert statements and not any(s["speaker"]["name"] in speakers for s in statements)


def test_markdown_timeline_of_a_poisoned_export_renders_no_markup(pile):
    data = pile["poisoned"]
    md = pile["poisoned_timeline_md"]
    _check_markdown(md, _timeline_headings(data), BLOCK_PAYLOADS + PAYLOADS)
    assert md.startswith("# Timeline: ") and "\n# Pwned" not in md


def test_html_brief_of_a_poisoned_export_links_no_script(pile):
    page = _Page(pile["poisoned_brief_html"])
    _check_elements(page, HTML_TAGS, HTML_ATTRS)
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    assert all(re.fullmatch(r"#src\d+", h) or h.startswith("https://ok.example/") for h in hrefs), hrefs
    assert 'https://ok.example/a"onmouseover="alert(1)' in hrefs  # one attribute value, quotes and all


# -- 2. the escaping itself ---------------------------------------------------------------------------------

# Text dense in what CommonMark reads as markup, with line breaks, controls and odd spaces.
MARKUP_ALPHABET = list("\\`*_[]<>&|~!#+=-.)(:;'\"/0123456789 \n\r\taZé²\u00a0\u2028\u3000\x00\x1b\x7f")
TEXTS = st.one_of(st.text(max_size=60), st.text(st.sampled_from(MARKUP_ALPHABET), max_size=40))
# Where the renderers put article text: a line of its own, a heading, an ordered or bullet
# list item; the test also puts it on the next line of a paragraph (the brief's summary lines).
PLACES = [("", ["p"]), ("# ", ["h1"]), ("1. ", ["ol", "li"]), ("- ", ["ul", "li"])]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_escaped_text_renders_as_exactly_that_text(text):
    expected = one_line(text)
    line = md_escape(text)
    assert "\n" not in line and not _unescaped(line)
    for prefix, tags in PLACES:
        page = _Page(MD.render(prefix + line))
        if not expected:  # nothing, or an empty heading or list item
            assert page.text == "" and [t for t, _ in page.tags] == (tags if prefix else []), page.tags
            continue
        assert [t for t, _ in page.tags] == tags and all(not a for _, a in page.tags), (line, page.tags)
        assert page.text == expected, (text, line)
    if expected:
        page = _Page(MD.render("Lead line.\n" + line))
        assert [t for t, _ in page.tags] == ["p"] and page.text == f"Lead line. {expected}", line


def test_escaping_reads_plainly():
    """Backslashes only where markup would start; ordinary news prose passes through unchanged."""
    prose = "On June 24, 2025, Russian missiles struck Dnipro (UA), killing 17 people; 40% said: “no.”"
    assert md_escape(prose) == prose
    assert md_escape("d_1 and kyiv_strike") == "d_1 and kyiv_strike"  # "_" inside a word is inert
    assert md_escape("<b>AT&T</b> *x* [y](z) `c` a|b ~s~") == r"\<b\>AT\&T\</b\> \*x\* \[y\](z) \`c\` a\|b \~s\~"
    assert md_escape("Title\n# Pwned\n") == "Title # Pwned"
    assert md_escape("# Pwned") == r"\# Pwned" and md_escape("1. item") == r"1\. item"
    assert md_escape("- item") == r"\- item" and md_escape("Ends with #") == r"Ends with \#"


# -- 3. JSON: data, carried verbatim -------------------------------------------------------------------------


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def test_json_outputs_parse_and_carry_the_payloads_verbatim(pile):
    data = pile["data"]
    plan, events = json.loads(pile["brief_json"]), json.loads(pile["timeline_json"])
    for out in (plan, events):
        text = "\n".join(_strings(out))
        for payload in PAYLOADS:
            assert payload in text, payload
    documents = {d["id"]: d for d in data["documents"]}
    for src in events["sources"]:  # titles, outlets and URLs exactly as stored, "javascript:" included
        doc = documents[src["id"]]
        assert (src["title"], src["source"], src["url"]) == (doc["title"], doc["source"], doc["url"])
    assert "javascript:alert(1)" in [s["url"] for s in plan["sources"]["items"]]
    summaries = {e["id"]: e["summary"] for e in data["events"]}
    assert all(e["summary"] == summaries[e["id"]] for e in events["events"])
    quotes = {(q["speaker"]["name"], q["text"]) for q in data["quotes"] if q["speaker"]}
    assert {(q["speaker"]["name"], q["text"]) for q in plan["statements"]["items"]} <= quotes


def test_json_outputs_of_a_poisoned_export_keep_control_characters_and_newlines(pile):
    data = pile["poisoned"]
    plan = json.loads(pile["poisoned_brief_json"])
    events = json.loads(pile["poisoned_timeline_json"])
    titles = {d["id"]: d["title"] for d in data["documents"]}
    assert all(s["title"] == titles[s["id"]] and s["title"].endswith("\n# Pwned\n") for s in events["sources"])
    assert all(s["title"] == titles[s["id"]] for s in plan["sources"]["items"])
    text = "\n".join(_strings(plan) + _strings(events))
    for payload in BLOCK_PAYLOADS + PAYLOADS:
        assert payload in text, repr(payload)
