"""Cleaning of plain article text.

Extractors such as trafilatura handle HTML boilerplate, but articles often
arrive as plain text that still carries the page around them: advert
placeholders, share buttons, "Related:" links, product plugs, bylines, the
citation crumbs that aggregators and chat tools glue onto sentences, reader
comments and the notices around them, photo captions and credits, and
prompts to subscribe, download or follow.  Left in, these become fake
sentences, fake events, fake entities and fake quotes further down the
pipeline, so they are cut here.  Everything from the first reader's post
("At 4:32 pm on 28 May 2010, pzero wrote:") to the end of the text goes.
A title is never a line cut here (``Cleaned.title``).

Every cut is recorded as a ``Removal`` with a short reason and its offset in
the raw text, so a reader can always see what was dropped and why.  The rules
are line based and deliberately conservative: a line of news that survives a
missed advert costs little, a news sentence lost costs a timeline entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from storyline.data import lists
from storyline.model import Removal
from storyline.pubdate import MONTHS

__all__ = ["Cleaned", "clean_text"]


@dataclass
class Cleaned:
    text: str
    removed: list[Removal] = field(default_factory=list)
    byline: str | None = None
    desk: str | None = None
    # Places named on a desk line ("TIS Desk | The Hague |"); the data model
    # has no field for them yet, so callers may ignore this.
    dateline: str | None = None
    # The headline the article should carry: the title given, unless it is
    # page furniture or the text's first line that cleaning cut or trimmed;
    # then the first line of the cleaned text.  None when none was given.
    title: str | None = None


# --- vocabularies ------------------------------------------------------------
#
# The words and phrases the rules below look for are data, read once at import:
# storyline/data/clean_patterns.tsv (regular expressions, by list) and
# storyline/data/clean_words.tsv (words compared one by one).  The shapes the
# rules give them (where a list must stand in a line, what must surround it)
# are written here.

_PATTERNS = lists("clean_patterns.tsv")
_WORDS = lists("clean_words.tsv")


def _alt(name: str) -> str:
    """The alternatives of the pattern list ``name`` joined with "|", without a group around them."""
    return "|".join(_PATTERNS[name])


# --- whole-line rules -------------------------------------------------------

_ADVERT = re.compile(r"(?:[-–—*\s]*)(?:" + _alt("advert") + r")(?:[-–—*:\s]*)", re.IGNORECASE)

_SOCIAL = r"(?:" + _alt("social") + r")"

_CHROME = [re.compile(p.replace("{{social}}", _SOCIAL), re.IGNORECASE) for p in _PATTERNS["chrome"]]
_CHROME_MAX_WORDS = 25
# A promotion set into the article between its own skip and end markers, however long.
_PROMOTION = re.compile(r"(?:" + _alt("promotion") + r")", re.IGNORECASE | re.DOTALL)

_SHARE_WORDS = set(_WORDS["share_word"])
_SHARE = [re.compile(p.replace("{{social}}", _SOCIAL), re.IGNORECASE) for p in _PATTERNS["share_line"]]

_RELATED_WORDS = _alt("related")
# A line starting like this is a pointer to other articles.
_RELATED_PREFIX = re.compile(
    r"(?:" + _RELATED_WORDS + r"|" + _alt("related_prefix") + r")\s*(?::|\||»|>|–|—|-)\s*\S.*",
    re.IGNORECASE,
)
# A line opening with a pointer to a video is a teaser for it, with its headline.
_VIDEO_TEASER = re.compile(_alt("video_teaser"), re.IGNORECASE)
# The same words alone announce a following list of headlines.
_RELATED_HEADING = re.compile(r"(?:" + _RELATED_WORDS + r"|" + _alt("related_heading") + r")\s*[:»>]?",
                              re.IGNORECASE)

_BULLET_ONLY = re.compile(r"[\s•·▪◦●■□►▶‣⁃*\-–—>]+")
_PUNCT_ONLY = re.compile(r"[\s\W_]+")

_NOT_A_NAME = re.compile(r"(?:" + "|".join(MONTHS) + r"|" + _alt("not_a_name") + r")\b", re.IGNORECASE)
_BYLINE = re.compile(r"(?:By|BY|by)\s+(?P<who>[A-Z][^\n]*)")
_NAME_TOKEN = re.compile(r"(?:[A-Z][A-Za-z'’\-]*\.?|[A-Z]\.|" + _alt("name_particle") + r")$")
_VERBISH = re.compile(r"\b(?:" + _alt("verbish") + r")\b", re.IGNORECASE)
_CREDIT_LINE = re.compile(
    r"\(?\s*(?:additional\s+)?(?:" + _alt("credit_role") + r")\s+by\s+(?-i:[A-Z]).*",
    re.IGNORECASE,
)

# --- product plugs ----------------------------------------------------------

_PROMO_STRONG = re.compile(
    r"\b(?:" + _alt("promo_strong") + r")\b"
    # "40% off its peak" is market news; "20% off all stoves" is a sale.
    r"|\b\d{1,2}\s?%\s+off\b(?!\s+(?:" + _alt("not_a_sale") + r")\b)",
    re.IGNORECASE,
)
_PROMO_SHAPE = re.compile(
    r"(?P<name>[A-Z0-9][\w'’&+.-]*(?:\s+[\w'’&+.-]+){0,6}?)\s+[–—-]\s+(?P<pitch>\S.*)"
)
_SMALL_WORDS = set(_WORDS["small_word"])
_IMPERATIVES = set(_WORDS["imperative"])
_MARKETING = re.compile(r"\b(?:" + _alt("second_person") + r"|" + _alt("marketing") + r")\b", re.IGNORECASE)
_NEWS_CUES = re.compile(r"\b(?:" + _alt("news_cue") + r")\b", re.IGNORECASE)
_QUOTE_MARKS = re.compile(r"[\"“”«»]")

# A standfirst sits within the first few content lines.
_STANDFIRST_ZONE = 5

# --- citation residue -------------------------------------------------------

_OUTLETS = _alt("outlet")
_NAME_WORD = r"(?:[A-Z][\w&'’./-]*|[a-z][\w-]*(?:\.[a-z][\w-]*)+)"
_LINK_WORD = r"(?:" + _alt("residue_link") + r")"
_NAME = _NAME_WORD + r"(?:[ ](?:" + _NAME_WORD + r"|" + _LINK_WORD + r")){0,4}"
# Where residue can start: right after a sentence's closing punctuation that
# itself follows a word ending in lower case, a digit or a closing mark, so
# abbreviations such as "U.S.Army" are left alone.
_GLUE_POINT = re.compile(r"(?<=[a-z0-9%)\]])[.!?][\"”’)]?(?=[A-Z]|[a-z][\w-]*\.[a-z][\w-]*\+\d)")
_GLUED_PLUS = re.compile(r"(?P<res>" + _NAME + r"\+\d{1,2})(?=[\s.,;:]|$)")
_GLUED_EOL = re.compile(r"(?P<res>" + _NAME_WORD + r"(?:[ ](?:[A-Z][\w&'’./-]*|" + _LINK_WORD + r")){0,4})[ \t]*$")
_GLUED_OUTLET = re.compile(r"(?P<res>(?:" + _OUTLETS + r")(?:\+\d{1,2})?)(?=\s+[A-Z“\"]|\s*$)")
_SPACED_PLUS = re.compile(r"(?<=[.!?\"”’)])(?P<ws>[ \t]+)(?P<res>" + _NAME + r"\+\d{1,2})(?=[\s.,;:]|$)")
_SPACED_OUTLET_EOL = re.compile(r"(?<=[.!?])(?P<ws>[ \t]+)(?P<res>(?:" + _OUTLETS + r"))[ \t]*$")
_NUMBERED_MARK = re.compile(
    r"(?<=\S)(?P<ws>[ \t]?)(?P<res>(?:\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*|" + _alt("citation_mark") + r")\])+)",
    re.IGNORECASE,
)
_LENTICULAR_MARK = re.compile(r"(?P<ws>[ \t]?)(?P<res>【[^】\n]{0,80}】)")
_PAREN_BEFORE_STOP = re.compile(
    r"(?P<ws>[ \t]+)(?P<res>\((?:" + _OUTLETS + r"|(?:" + _alt("source_label") + r"):[^)\n]{1,60})\))(?=[.!?])",
    re.IGNORECASE,
)
_PAREN_AFTER_STOP = re.compile(
    r"(?<=[.!?])(?P<ws>[ \t]*)(?P<res>\((?:" + _OUTLETS + r"|(?:" + _alt("source_label") + r"):[^)\n]{1,60})\))"
    r"(?=[ \t]*$|\s+[A-Z“\"])",
)


# --- reader comments, captions and credits, prompts --------------------------
#
# What these are, not what a given site prints: a reader-comment section is
# the run of readers' posts under an article, each opened by a header naming
# its writer and the time ("At 4:32 pm on 28 May 2010, pzero wrote:"), often
# announced by a heading ("Comments (12)") and a notice on how comments are
# handled; a caption is the text attached to a picture or video, marked by a
# credit ("Photograph: Jane Doe/Reuters", "(AP Photo/John Smith)") or a label
# ("Image caption"); a prompt asks the reader to subscribe, download, follow
# or listen somewhere else.  None of them is reporting.  Scraped and
# tokenised text writes "(" as "-LRB-", "/" as "\/" and puts spaces before
# punctuation, so the patterns allow for that.

_SL = r"\s*(?:/|\\/)\s*"  # a slash, as written or escaped
_LP = r"(?:\(|-LRB-|\[)\s*"
_RP = r"\s*(?:\)|-RRB-|\])"


def _agency() -> str:
    """A pattern for one picture agency of ``data/picture_agencies.txt``, longest names first."""
    text = resources.files("storyline.data").joinpath("picture_agencies.txt").read_text("utf-8")
    names = {ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")}
    # Names of one length in a fixed order, so the pattern does not change with the hash seed.
    ordered = sorted(names, key=lambda n: (-len(n), n))
    alts = [re.escape(n).replace(r"\ ", r"\s+").replace("/", _SL) for n in ordered]
    return r"(?i:" + "|".join(alts) + r")(?![\w-])"


# Read once, at import: the agency list is a fixed data file.
_AGENCY = _agency()


_PHOTO_LABEL = r"(?:" + _alt("photo_label") + r")"
_CREDIT_WORD = r"[\w.'’&-]+"
# "(AP Photo)", "(AP Photo/Jane Doe)", "(Reuters Photo: Jane Doe)": a wire picture's credit.
_WIRE_PHOTO = (r"(?:\(|-LRB-|\[)\s*(?:" + _alt("wire_photo") + r")\s+Photos?"
               r"(?:\s*(?:/|\\/|:|by\b)\s*[^()\n]{1,60}?)?\s*(?:\)|-RRB-|\])")
# A photographer or desk named without an agency ("Graeme Robertson", "Sarah Lee for the Guardian").
_CREDIT_NAMES = r"(?-i:[A-Z][\w.'’-]*)(?:\s+(?:(?-i:[A-Z][\w.'’-]*)|" + _alt("credit_name_link") + r")){0,5}"
# Words that open a sentence and are nobody's name: where a credit without an agency ends.
_OPENER = r"(?-i:" + _alt("opener") + r")"
# Who took it: up to five words before a slash ("Win McNamee/", "US coastguard/").
_CREDIT_WHO = _CREDIT_WORD + r"(?:\s+" + _CREDIT_WORD + r"){0,4}?"


def _credit_body() -> str:
    """Where a credit ends is decidable: an agency, after a slash or alone, or "for the <outlet>"."""
    agency = _AGENCY
    return (
        # "Jane Doe/AFP/Getty Images", "Daniel Beltra/Greenpeace/EPA", "Reuters", "AFP via Getty Images"
        r"(?:(?:" + _CREDIT_WHO + _SL + r"(?:" + _CREDIT_WORD + _SL + r"){0,3})?(?:" + agency
        + r"(?:\s+via\s+" + agency + r")?|(?<=/)" + _CREDIT_WORD + r")"
        # "Sarah Lee for the Guardian"
        + r"|(?-i:[A-Z]" + _CREDIT_WORD + r"(?:\s+[A-Z]" + _CREDIT_WORD + r"){0,3})\s+for\s+(?:the\s+)?(?:" + _OUTLETS
        + r"|" + _alt("credit_outlet") + r")"
        # "Graeme Robertson", when the sentence after it opens with a function word
        + r"|(?-i:[A-Z]" + _CREDIT_WORD + r"(?:\s+[A-Z]" + _CREDIT_WORD + r"){0,2})(?=\s+" + _OPENER + r"\b))"
    )


def _credit_patterns() -> dict[str, re.Pattern[str]]:
    body = _credit_body()
    agency = _AGENCY
    return {
        # The whole line is a credit.
        "line": re.compile(
            r"(?:" + _LP + r")?(?:"
            r"(?:" + _PHOTO_LABEL + r"|(?:" + _alt("wire_photo_label") + r")\s+Photo)\s*(?::|-|–|—|by\b)\s*(?:" + body
            + r"|" + _CREDIT_NAMES + r"|[^.!?()]{1,80}?" + _RP + r")"
            r"|(?:©|\(c\)|copyright\b)\s*[^.!?]{1,80}?"
            r"|" + _WIRE_PHOTO +
            r"|" + body +
            r")(?:" + _RP + r")?\s*\.?",
            re.IGNORECASE),
        # A caption that ends in its credit.
        "caption_end": re.compile(
            r"(?P<cap>.*?\S)\s*[.!?]?\s*(?P<credit>"
            + _LP + r"[^()\n]{0,80}?\b(?:" + _alt("caption_credit_word") + r")\b[^()\n]{0,80}?" + _RP
            + r"|" + _LP + _CREDIT_WHO + _SL + agency + _RP
            + r"|(?:" + _alt("caption_credit_label") + r")\s*(?::|by\b)\s*(?:" + body
            + r"|[^\s.!?:]+(?:\s+[^\s.!?:]+){0,5})"
            + r")\s*\.?\s*\|?",
            re.IGNORECASE),
        # A credit glued to the front of the text that follows it.
        "prefix": re.compile(
            r"(?P<credit>(?:" + _PHOTO_LABEL + r")\s*(?::|by\b)\s*" + body + r"|" + _WIRE_PHOTO
            + r")\s+(?=[A-Z0-9“\"`‘'(]|-LRB-)",
            re.IGNORECASE),
        # The same inside a line: what comes before it on the line is its caption.
        "inside": re.compile(
            r"(?<=\S)\s+(?P<credit>(?:" + _alt("inline_credit_label") + r")\s*:\s*" + body
            + r")\s+(?=[A-Z0-9“\"`‘'(]|-LRB-)",
            re.IGNORECASE),
    }


_CREDITS = _credit_patterns()  # compiled once, at import

# Labels that mark a line as a caption or a picture's furniture.
_CAPTION_LABEL = re.compile(_alt("caption_label"), re.IGNORECASE)
# A media player that could not run: what follows it on its line is the
# video's caption.
_PLAYER = re.compile(r"(?:" + _alt("media_player") + r")", re.IGNORECASE)
# Words that make a line a clause rather than a label: a caption without
# any of them sits next to its picture ("Firefighters in Kharkiv, March 2023").
_FINITE = re.compile(
    r"\b(?:" + _alt("finite_aux") + r"|\w{3,}ed|" + _alt("irregular_past") + r")\b|n['’]t\b", re.IGNORECASE)
# Credits of charts, sources and videos have no caption line above them.
_NOT_PICTURE = re.compile(r"[(\[]?\s*(?:" + _alt("not_picture") + r")\b", re.IGNORECASE)
# "A version appeared on p1 of the Main section": the print edition's note.
_PRINT_NOTE = re.compile(_alt("print_note"), re.IGNORECASE)

# Prompts: an invitation to go somewhere else (a newsletter, an app, a feed,
# a social account, a podcast).  They open with the call to action and name
# the channel.
_CHANNEL = r"(?:" + _alt("channel") + r")"
_CALL = r"(?:" + _alt("call") + r")"
# The channel is what the call is about: it comes within a few words.
_PROMPT = re.compile(
    r"(?:[-–—•*►>|]\s*)?(?:\d{1,2}[.:]?\d\d\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\s*)?:\s*)?"  # a live blog's time
    r"(?:for\s+[^,]{1,60},\s*)?(?:also\s*,?\s*|but\s+)?(?:please\s+|pls\s+|now\s+)?" + _CALL + r"\b(?:\s+\S+){0,8}?\s+(?:[\w+.-]+\s+)?"
    + _CHANNEL + r"\b.*",
    re.IGNORECASE,
)
# A prompt a tokeniser glued onto the article's last line: an imperative, capitalised.
_PROMPT_TAIL = re.compile(
    r"(?<=\s)(?-i:" + _alt("prompt_tail") + r")\b[^.!?]{0,80}?\b" + _CHANNEL + r"\b.*",
    re.IGNORECASE,
)
_NEWSLETTER_NAME = re.compile(r"(?:[\w'’&-]+\s+){0,4}newsletters?\s*:?", re.IGNORECASE)
_PROMPT_MAX_WORDS = 40

# Comment policies and calls for comments: about readers' comments and how
# they are handled, said to the reader.
_COMMENT_POLICY = re.compile(_alt("comment_policy"), re.IGNORECASE)
# A report in the third person is news, whatever it says about comments.
_ATTRIBUTION = re.compile(r"\b(?:" + _alt("attribution") + r")\b", re.IGNORECASE)
_POLICY_MAX_WORDS = 60
# A heading over a comment section, alone on its line.  ("Leave a comment",
# "Join the discussion", "Have your say", "Comments are closed" are notices
# _COMMENT_POLICY matches, and every caller checks that first.)
_COMMENT_HEADING = re.compile(_alt("comment_heading"), re.IGNORECASE)
# A disclaimer about the comments below it: the readers' posts follow.
_COMMENTS_FOLLOW = re.compile(_alt("comments_follow"), re.IGNORECASE)
# A reader's post opens with its writer and time: "At 4:32 pm on 28 May 2010,
# pzero wrote:", "At 16:20 1st Jun 2010, Paul wrote:", "28 May 2010 4:32pm, X wrote:".
# Only "wrote": "At 10:30 on Monday, the minister said:" is reporting.
_TIME = r"\d{1,2}\s*[:.]\s*\d\d\s*(?:[ap]\.?\s?m\.?)?"
_POST_HEADER = re.compile(
    r"\bAt\s+" + _TIME + r"\s+(?:on\s+)?[^,:\n]{3,30}?\s*,\s*[^:\n]{1,40}?\s+wrote\s*:"
    r"|(?:^|(?<=\s))(?:On\s+)?[^,:\n]{0,20}\b(?:19|20)\d\d\b\s*(?:,|\bat\b)?\s*" + _TIME
    + r"\s*,\s*[^:\n]{1,40}?\s+wrote\s*:",
    re.IGNORECASE,
)
# Weaker signs of posts, which count only as a run: post bylines and the
# buttons under each post.
_POST_MARK = re.compile(_alt("post_mark"), re.IGNORECASE)
_QUESTION_MAX_WORDS = 30
_SECOND_PERSON = re.compile(r"\b(?:" + _alt("second_person") + r")\b", re.IGNORECASE)
# Before a credit on its line: the caption, and the headline and standfirst
# a tokeniser may have glued to it.
_GLUED_CAPTION_MAX_WORDS = 90


@dataclass
class _Line:
    start: int  # offset of the line in the raw text
    text: str  # without its line ending
    reason: str | None = None
    # (cut from, cut to, recorded at, recorded text, reason): parts of a kept line that go
    cuts: list[tuple[int, int, int, str, str]] = field(default_factory=list)

    @property
    def body(self) -> str:
        return self.text.strip()

    @property
    def body_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))

    # Worked out once per line: both _noise and _mark_partial need them.
    @cached_property
    def policy_start(self) -> int | None:
        return _policy_start(self.body)

    @cached_property
    def prompt_start(self) -> int | None:
        return _prompt_start(self.body)


def _split_lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for chunk in text.splitlines(keepends=True):
        lines.append(_Line(pos, chunk.rstrip("\r\n")))
        pos += len(chunk)
    return lines


def _word_count(s: str) -> int:
    return len(s.split())


def _key(s: str) -> str:
    """Comparison form of a line: case, spacing and end punctuation ignored."""
    s = s.replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", s).strip().rstrip(".:;,!? ").casefold()


def _is_share(body: str) -> bool:
    if any(p.fullmatch(body) for p in _SHARE):
        return True
    tokens = [t for t in re.split(r"[\s|/·•,]+", body.lower()) if t]
    return bool(tokens) and len(tokens) <= 8 and all(t.strip(":") in _SHARE_WORDS for t in tokens)


def _is_chrome(body: str) -> bool:
    return _word_count(body) <= _CHROME_MAX_WORDS and any(p.fullmatch(body) for p in _CHROME)


def _headline_like(body: str) -> bool:
    body = re.sub(r"^[•·▪◦●■►▶‣⁃*\-–—]+\s*", "", body)  # a bulleted headline is still one
    n = _word_count(body)
    return 4 <= n <= 25 and not re.search(r"[.!:;,]$", body) and (body[:1].isupper() or body[:1].isdigit())


def _desk(body: str) -> tuple[str, str | None] | None:
    """("TIS Desk", "The Hague") for a desk line, else None."""
    parts = [p.strip() for p in body.split("|")]
    parts = [p for p in parts if p]
    if not parts:
        return None
    head = re.sub(r"^(?:By|BY|by)\s+", "", parts[0])
    if not re.fullmatch(r"(?:[A-Z][\w&.'’-]*\s+){0,3}Desk(?:\s+Report)?", head):
        return None
    if len(parts) > 5 or any(_word_count(p) > 5 for p in parts[1:]):
        return None
    places = [p for p in parts[1:] if not re.search(r"\d", p)]
    return head, (", ".join(places) or None)


_POSTED_BY = re.compile(
    r"(?:" + _alt("posted_by") + r")\s+by\s+(?P<who>[^|\n]{1,60}?)\s*"
    r"(?:\|\s*[^|\n]{1,60}?\s*){0,4}\|?", re.IGNORECASE)


def _byline(body: str) -> str | None:
    """The credit text of a byline line, or None if it reads like prose."""
    n = _word_count(body)
    if n > 40:
        return None
    posted = _POSTED_BY.fullmatch(body)
    if posted and n <= 16 and not _VERBISH.search(posted.group("who")):
        return posted.group("who").strip()
    if _CREDIT_LINE.fullmatch(body):
        return body.strip("() ")
    m = _BYLINE.fullmatch(body)
    if not m or n > 14:
        return None
    who = m.group("who").strip().rstrip("|").strip()
    if _NOT_A_NAME.match(who) or _VERBISH.search(who):
        return None
    # Every segment must start like a name or an outlet, and the first must
    # look like a person's name (capitalised words, initials, particles).
    segments = [s.strip() for s in re.split(r"\s*(?:,|\||;|\band\b|&|–|—)\s*", who) if s.strip()]
    if not segments or any(not s[:1].isupper() for s in segments):
        return None
    first = segments[0].split()
    if not 1 <= len(first) <= 5 or not all(_NAME_TOKEN.match(t) for t in first):
        return None
    if re.search(r"[.!?]$", who) and not re.search(r"\b[A-Z]\.$", who):
        return None
    return who


def _promo(body: str) -> str | None:
    """How much a line reads as a product plug: "strong", "weak" or None.

    Strong cues (a price cut, "shop now") count anywhere; the weaker
    "Product Name – imperative pitch" shape counts only in the article's
    tail, where such plugs are appended.
    """
    n = _word_count(body)
    if n > 40 or _QUOTE_MARKS.search(body) or _NEWS_CUES.search(body):
        return None
    if _PROMO_STRONG.search(body) and n <= 30:
        return "strong"
    m = _PROMO_SHAPE.fullmatch(body)
    if not m:
        return None
    name = m.group("name").split()
    if not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in name):
        return None
    pitch = m.group("pitch")
    first = re.sub(r"[^\w']", "", pitch.split()[0]).lower()
    if first in _IMPERATIVES or _MARKETING.search(pitch):
        return "weak"
    return None


def _mark_lines(lines: list[_Line]) -> tuple[list[str], list[str], list[str]]:
    bylines: list[str] = []
    desks: list[str] = []
    places: list[str] = []
    in_related_run = False
    for ln in lines:
        body = ln.body
        if not body or ln.reason is not None:  # already in a comment section
            continue
        if in_related_run:
            if _headline_like(body) and not _RELATED_HEADING.fullmatch(body):
                ln.reason = "related links"
                continue
            in_related_run = False
        if _BULLET_ONLY.fullmatch(body):
            ln.reason = "empty bullet"
        elif _PUNCT_ONLY.fullmatch(body):
            ln.reason = "punctuation only"
        elif _ADVERT.fullmatch(body):
            ln.reason = "advertisement"
        elif _is_chrome(body):
            ln.reason = "site chrome"
        elif _PROMOTION.fullmatch(body):
            ln.reason = "promotion"
        elif _is_share(body):
            ln.reason = "share prompt"
        elif _RELATED_PREFIX.fullmatch(body) or _VIDEO_TEASER.fullmatch(body):
            ln.reason = "related links"
        elif _RELATED_HEADING.fullmatch(body):
            ln.reason = "related links"
            in_related_run = True
        elif (d := _desk(body)) is not None:
            ln.reason = "desk line"
            desks.append(d[0])
            if d[1]:
                places.append(d[1])
        elif (b := _byline(body)) is not None:
            ln.reason = "byline"
            bylines.append(b)
        elif (why := _noise(body, ln)) is not None:
            ln.reason = why
    return bylines, desks, places


def _quoted(body: str) -> bool:
    return bool(re.match(r"[\"“”«‘'`]", body))


def _short(body: str, words: int) -> bool:
    """At most ``words`` words (and not a single run of thousands of characters)."""
    return len(body) <= 12 * words and _word_count(body) <= words


def _is_policy(body: str) -> bool:
    return (_short(body, _POLICY_MAX_WORDS) and not _ATTRIBUTION.search(body) and not _quoted(body)
            and bool(_COMMENT_POLICY.search(body)))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]?\s+(?=[\"“‘(]?[A-Z])")


def _is_prompt(body: str) -> bool:
    return (not _quoted(body) and not _ATTRIBUTION.search(body)
            and ((_short(body, _PROMPT_MAX_WORDS) and bool(_PROMPT.fullmatch(body)))
                 or (_short(body, 5) and bool(_NEWSLETTER_NAME.fullmatch(body)))))


def _policy_start(body: str) -> int | None:
    """Where the comment notice that ends a line starts (0: the whole line is one), else None."""
    return _tail_start(body, _is_policy)


def _prompt_start(body: str) -> int | None:
    """Where the prompt that ends a line starts (0: the whole line is one), else None."""
    return _tail_start(body, _is_prompt)


def _tail_start(body: str, kind) -> int | None:  # noqa: ANN001 - a predicate on a sentence
    """Where the run of ``kind`` sentences that ends a line starts, else None.

    A paragraph may close with "Leave a comment and let us know…" or "Sign up
    for the free daily newsletter.": only the sentences from there on go,
    with any questions to readers among them.
    """
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(body)]
    found = None
    for k in range(len(starts) - 1, -1, -1):
        sentence = body[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(body)].strip()
        if kind(sentence):
            found = starts[k]
        elif _is_reader_question(sentence):  # "What do you think? Leave a comment."
            if found is not None:
                found = starts[k]
        else:
            break
    return found


def _is_reader_question(body: str) -> bool:
    return (body.rstrip().endswith("?") and _short(body, _QUESTION_MAX_WORDS)
            and not _ATTRIBUTION.search(body) and not _quoted(body))


def _noise(body: str, ln: _Line | None = None) -> str | None:
    """Why a line is a comment notice, a caption or credit, or a prompt (None when it is none of them).

    ``ln``, when given, is the line ``body`` belongs to: its tail starts are then worked out only once.
    """
    if (ln.policy_start if ln is not None else _policy_start(body)) == 0 or (_short(body, 8) and _COMMENT_HEADING.fullmatch(body)):
        return "comment policy"
    if _CAPTION_LABEL.fullmatch(body):
        return "photo caption"
    if _PLAYER.match(body):
        return "media player"
    if _ATTRIBUTION.search(body):
        return None  # someone said it: reporting, whatever it is about
    credits = _CREDITS
    if _short(body, 14) and credits["line"].fullmatch(body):
        return "photo credit"
    m = credits["caption_end"].fullmatch(body) if _short(body, _GLUED_CAPTION_MAX_WORDS + 20) else None
    if m and _word_count(m.group("cap")) <= _GLUED_CAPTION_MAX_WORDS:
        return "photo caption"
    if _PRINT_NOTE.fullmatch(body):
        return "print edition note"
    if _is_prompt(body) or (ln.prompt_start if ln is not None else _prompt_start(body)) == 0:
        return "prompt"
    return None


def _cut(ln: _Line, start: int, reason: str, end: int | None = None) -> None:
    """Cut ``ln.text[start:end]`` (to the end of the line by default), recorded with ``reason``."""
    end = len(ln.text.rstrip()) if end is None else end
    # A cut never overlaps one already made: only the parts of the line not
    # yet cut are recorded, so no text is removed twice under two reasons.
    pieces, pos = [], start
    for a, b, *_ in sorted(ln.cuts):
        if b <= pos or a >= end:
            continue
        if a > pos:
            pieces.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    for a, b in pieces:
        piece = ln.text[a:b]
        if (a, b) == (start, end):
            ln.cuts.append((a, b, a, piece, reason))
        else:  # trimmed against another cut: record the words only
            ln.cuts.append((a, b, a + len(piece) - len(piece.lstrip()), piece.strip(), reason))


def _mark_comments(lines: list[_Line]) -> None:
    """Everything from the start of a reader-comment section to the end of the text goes.

    The section starts at its first post header ("At 4:32 pm on 28 May 2010,
    X wrote:"), at a disclaimer about the comments under it ("Views expressed
    in the comments do not represent those of ...") below the article's first
    lines, or at the first of a close run of post bylines and post buttons
    ("Posted by: X | date", "Report abuse"), and takes in the heading, the
    notices and the questions put to readers just above it.
    """
    start, at = None, 0
    for i, ln in enumerate(lines):
        m = _POST_HEADER.search(ln.text) if ln.body and "wrote" in ln.text.lower() else None
        if m:
            start, at = i, m.start()
            break
    content = [i for i, ln in enumerate(lines) if ln.body]
    # The headline and the first lines: what stands among them (a post byline at the top of a blog, a
    # site's notice) opens no comment section.
    head = content[min(3, len(content) - 1)] if content else len(lines)
    # A disclaimer about the comments, after the first lines: the posts come under it.
    for i in content:
        if i <= head:
            continue
        if start is not None and i >= start:
            break
        m = _COMMENTS_FOLLOW.search(lines[i].text)
        if m:
            start, at = i, _sentence_start(lines[i].text, m.start())
            break
    marks = [i for i, ln in enumerate(lines)
             if ln.body and _short(ln.body, 16) and _POST_MARK.fullmatch(ln.body)]
    for a, b, c in zip(marks, marks[1:], marks[2:]):
        if c - a <= 24 and a > head:  # three marks close together, after the first lines
            if start is None or a < start:
                start, at = a, 0
            break
    if start is None:
        return
    if lines[start].text[:at].strip():
        _cut(lines[start], at, "reader comments")
        first = start + 1
    else:
        first = start
        for j in range(start - 1, -1, -1):
            body = lines[j].body
            if not body:
                continue
            if _is_policy(body) or _is_reader_question(body) or _COMMENT_HEADING.fullmatch(body) or _is_share(body):
                first = j
                continue
            break
    for ln in lines[first:]:
        if ln.body:
            ln.reason = "reader comments"


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding the character ``at`` starts."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= at]
    return ends[-1] if ends else len(text) - len(text.lstrip())


def _mark_captions(lines: list[_Line]) -> None:
    """A short verbless line just above a credit is the picture's caption."""
    for i, ln in enumerate(lines):
        opens_with_credit = bool(ln.cuts) and ln.cuts[0][4] == "photo credit" and not ln.text[:ln.cuts[0][0]].strip()
        if not (ln.reason in ("photo credit", "photo caption") or opens_with_credit) or _NOT_PICTURE.match(ln.body):
            continue
        j = i - 1
        while j >= 0 and (not lines[j].body or lines[j].reason in ("photo credit", "photo caption")):
            if lines[j].body and lines[j].reason == "photo caption":
                break  # that one has its caption already
            j -= 1
        if j < 0 or lines[j].reason is not None:
            continue
        body = lines[j].body
        if (_word_count(body) <= 20 and not _FINITE.search(body) and not _ATTRIBUTION.search(body)
                and not _QUOTE_MARKS.search(body) and not body.endswith(":")):
            lines[j].reason = "photo caption"


def _mark_reader_questions(lines: list[_Line]) -> None:
    """Questions put to readers just above a comment notice ("Are you in the region?")."""
    for i, ln in enumerate(lines):
        if ln.reason != "comment policy":
            continue
        for j in range(i - 1, -1, -1):
            other = lines[j]
            if not other.body or other.reason is not None:
                continue
            if _is_reader_question(other.body) and _SECOND_PERSON.search(other.body):
                other.reason = "comment policy"
                continue
            break


def _mark_partial(lines: list[_Line]) -> None:
    """Credits glued to the text after them, a dead media player and its caption, a trailing prompt."""
    prefix, inside = _CREDITS["prefix"], _CREDITS["inside"]
    live = [ln for ln in lines if ln.body and ln.reason is None]
    for ln in live:
        lead = len(ln.text) - len(ln.text.lstrip())
        m = prefix.match(ln.text, lead)
        if m:
            if _word_count(ln.text[m.end():]) >= 4:
                _cut(ln, lead, "photo credit", m.end())
            else:
                ln.reason = "photo credit"
                continue
        else:
            m = inside.search(ln.text, lead)
            if m and _word_count(ln.text[lead:m.start()]) <= _GLUED_CAPTION_MAX_WORDS:
                if _word_count(ln.text[m.end():]) >= 4:
                    _cut(ln, lead, "photo caption", m.end())
                else:
                    ln.reason = "photo caption"
                    continue
        k = ln.policy_start
        if k:
            _cut(ln, lead + k, "comment policy")
        elif k := ln.prompt_start:
            _cut(ln, lead + k, "prompt")
        p = _PLAYER.search(ln.text)
        if p and p.start() > lead and not any(a <= p.start() < b for a, b, *_ in ln.cuts):
            _cut(ln, p.start(), "media player")
    # Furniture after the article's last line: a prompt glued onto it.
    for ln in reversed(live):
        if ln.reason is not None:
            continue
        t = _PROMPT_TAIL.search(ln.text)
        if t and not _QUOTE_MARKS.search(ln.text, t.start()) and not any(b > t.start() for _, b, *_ in ln.cuts):
            _cut(ln, t.start(), "prompt")
        break


def _mark_repeats(lines: list[_Line], title: str | None) -> None:
    live = [ln for ln in lines if ln.body and ln.reason is None]
    if not live:
        return
    keys = [_key(_apply_cuts(ln)) for ln in live]
    if title and title.strip():
        # A "title" that is a whole sentence is the lede some feeds put in the
        # title field: it is news, so its first occurrence stays.
        lede = bool(re.search(r"[.!?”\"]$", title.strip())) and len(title.split()) >= 8
        title_key, keep_first = _key(title), lede
    else:
        # No separate title: the first line probably is one; keep it where
        # it stands and drop only its echoes.
        title_key, keep_first = keys[0], True
    counts = Counter(keys)
    first_seen: dict[str, int] = {}
    for i, (ln, k) in enumerate(zip(live, keys)):
        if k == title_key:
            if keep_first:
                keep_first = False  # this copy stays, later ones go
            else:
                ln.reason = "repeated title"
            continue
        if k in first_seen and _echo(ln.body, counts[k], first_seen[k]):
            ln.reason = "repeated line"
        first_seen.setdefault(k, i)
    if all(ln.reason is not None for ln in live):
        # The "title" is all there is (a one-line article, a headline-only
        # item): it is the article, not a repeat of its headline.
        for ln in live:
            if ln.reason == "repeated title":
                ln.reason = None
                break


def _echo(body: str, count: int, first_index: int) -> bool:
    """Whether a second copy of a line is a page artefact worth dropping.

    Lines that recur three or more times are structure (interview questions,
    recipe steps, tweet attributions), and short lines recur naturally; what
    pages duplicate by accident is the standfirst near the top or a whole
    paragraph.
    """
    if count != 2 or body.endswith("?"):
        return False
    n = _word_count(body)
    return n >= 15 or (n >= 6 and first_index < _STANDFIRST_ZONE)


def _mark_promos(lines: list[_Line]) -> None:
    kinds = [(_promo(ln.body) if ln.body and ln.reason is None else None) for ln in lines]
    # Product plugs sit after the article: walk up from the end over blank,
    # already-removed and plug-like lines; weak plugs count only there.
    tail = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        ln = lines[i]
        if not ln.body or ln.reason is not None or kinds[i]:
            tail = i
            continue
        break
    for i, (ln, kind) in enumerate(zip(lines, kinds)):
        if kind == "strong" or (kind == "weak" and i >= tail):
            ln.reason = "promotional"


def _find_residue(ln: _Line) -> None:
    text, cuts = ln.text, list(ln.cuts)

    def add(ws_from: int, res_from: int, res_to: int) -> None:
        if any(not (res_to <= a or ws_from >= b) for a, b, *_ in cuts):
            return
        cuts.append((ws_from, res_to, res_from, text[res_from:res_to], "citation residue"))

    for m in _GLUE_POINT.finditer(text):
        word = text[: m.start()].rsplit(None, 1)[-1] if text[: m.start()].strip() else ""
        if "/" in word or "@" in word or word.lower().startswith("www"):
            continue  # part of a web or mail address, not a sentence end
        at = m.end()
        for pat in (_GLUED_PLUS, _GLUED_EOL, _GLUED_OUTLET):
            r = pat.match(text, at)
            if r:
                add(r.start("res"), r.start("res"), r.end("res"))
                break
    for pat in (_SPACED_PLUS, _SPACED_OUTLET_EOL, _NUMBERED_MARK, _LENTICULAR_MARK,
                _PAREN_BEFORE_STOP, _PAREN_AFTER_STOP):
        for r in pat.finditer(text):
            add(r.start("ws"), r.start("res"), r.end("res"))
    ln.cuts = sorted(cuts)


def _apply_cuts(ln: _Line) -> str:
    out, pos = [], 0
    for a, b, *_ in ln.cuts:
        out.append(ln.text[pos:a])
        pos = b
    out.append(ln.text[pos:])
    return "".join(out)


def clean_text(text: str, title: str | None = None) -> Cleaned:
    """Strip page furniture from article text, keeping a record of each cut.

    ``title`` is the separately stored headline; lines repeating it are
    dropped.  Without it, the first line is taken as the headline and kept.
    """
    lines = _split_lines(text)
    _mark_comments(lines)
    bylines, desks, places = _mark_lines(lines)
    _mark_reader_questions(lines)
    _mark_partial(lines)
    _mark_captions(lines)
    title = _headline(lines, title)
    _mark_repeats(lines, title)
    _mark_promos(lines)

    removed: list[Removal] = []
    kept: list[str] = []
    for ln in lines:
        if ln.reason is not None:
            removed.append(Removal(ln.body, ln.reason, ln.body_start))
            continue
        if ln.body:
            _find_residue(ln)
        for _, _, at, res, why in ln.cuts:
            removed.append(Removal(res, why, ln.start + at))
        kept.append(_apply_cuts(ln).rstrip())

    out = "\n".join(kept)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n")
    removed.sort(key=lambda r: r.start)
    return Cleaned(
        text=out,
        removed=removed,
        byline="; ".join(bylines) or None,
        desk="; ".join(dict.fromkeys(desks)) or None,
        dateline="; ".join(dict.fromkeys(places)) or None,
        title=title,
    )


def _is_furniture(body: str) -> bool:
    """Whether a line, on its own, is page furniture by the rules that need no context."""
    body = body.strip()
    return bool(_BULLET_ONLY.fullmatch(body) or _PUNCT_ONLY.fullmatch(body) or _ADVERT.fullmatch(body)
                or _is_chrome(body) or _is_share(body) or _noise(body) or _POST_HEADER.match(body))


def _headline(lines: list[_Line], title: str | None) -> str | None:
    """The title to keep: never furniture, and never the text's first line as it was before cleaning.

    A title taken from the text's first line follows what cleaning did to
    that line: cut ("Follow Us:"), it becomes the next line kept; trimmed (a
    caption or credit cut off), it becomes what is left.  A title that is
    itself furniture is replaced the same way.
    """
    if title is None or not title.strip():
        return title
    first = next((ln for ln in lines if ln.body), None)
    from_text = first is not None and _key(first.body) == _key(title)
    if not _is_furniture(title) and not (from_text and (first.reason is not None or first.cuts)):
        return title
    for ln in lines:
        if ln.body and ln.reason is None:
            text = " ".join(_apply_cuts(ln).split())
            if text:
                return text
    return None
