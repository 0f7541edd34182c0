"""Cleaning of plain article text.

Extractors such as trafilatura handle HTML boilerplate, but articles often
arrive as plain text that still carries the page around them: advert
placeholders, share buttons, "Related:" links, product plugs, bylines, and
the citation crumbs that aggregators and chat tools glue onto sentences.
Left in, these become fake sentences, fake entities and fake quotes further
down the pipeline, so they are cut here.

Every cut is recorded as a ``Removal`` with a short reason and its offset in
the raw text, so a reader can always see what was dropped and why.  The rules
are line based and deliberately conservative: a line of news that survives a
missed advert costs little, a news sentence lost costs a timeline entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

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


# --- whole-line rules -------------------------------------------------------

_ADVERT = re.compile(
    r"(?:[-–—*\s]*)"
    r"(?:advertisement|advertisment|advert|ad|sponsored(?:\s+(?:content|post|links?|stories))?"
    r"|paid\s+(?:content|post|partner)|story\s+continues\s+(?:below|after)(?:\s+(?:this|the))?\s+advertisement"
    r"|article\s+continues\s+(?:below|after)(?:\s+(?:this|the))?\s+(?:advertisement|ad)"
    r"|continue\s+reading\s+(?:below|the\s+main\s+story)|scroll\s+(?:down\s+)?to\s+continue(?:\s+with\s+content)?)"
    r"(?:[-–—*:\s]*)",
    re.IGNORECASE,
)

_SOCIAL = (
    r"(?:facebook|twitter|x|whatsapp|telegram|linkedin|instagram|youtube|tiktok|threads|reddit"
    r"|email|e-mail|google\s+news|bluesky|pinterest|flipboard)"
)

_CHROME = [
    re.compile(r"follow\s+us\b.*", re.IGNORECASE),
    re.compile(r"follow\s+.{1,60}\s+on\s+" + _SOCIAL + r"\b.*", re.IGNORECASE),
    re.compile(r"subscribe(?:\s+now)?[.!:]?", re.IGNORECASE),
    re.compile(r"subscribe\s+(?:to|for)\s+.*\b(?:newsletter|channel|updates|alerts|podcast|our)\b.*", re.IGNORECASE),
    re.compile(r"sign\s+up\s+(?:for|to)\b.*", re.IGNORECASE),
    re.compile(r"(?:join|download)\s+(?:our|the)\s+.{0,40}\b(?:app|channel|newsletter|community)\b.*", re.IGNORECASE),
    re.compile(r"skip\s+to\s+(?:main\s+)?content", re.IGNORECASE),
    re.compile(r"get\s+(?:the\s+latest|our)\s+.{0,60}\b(?:inbox|newsletter|app)\b.*", re.IGNORECASE),
]
_CHROME_MAX_WORDS = 25

_SHARE_WORDS = {
    "share", "shares", "tweet", "copy", "link", "email", "e-mail", "print", "save",
    "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "reddit",
    "pinterest", "messenger", "comments", "comment", "bluesky", "flipboard",
}
_SHARE = [
    re.compile(r"share\s+(?:this|the)\s+(?:article|story|post|page)\b.*", re.IGNORECASE),
    re.compile(r"share\s+(?:on|via|to)\s+" + _SOCIAL + r"\b.*", re.IGNORECASE),
    re.compile(r"click\s+(?:here\s+)?to\s+(?:share|email|print|tweet)\b.*", re.IGNORECASE),
    re.compile(r"copy\s+(?:the\s+)?(?:link|url)\b.*", re.IGNORECASE),
    re.compile(r"link\s+copied\b.*", re.IGNORECASE),
]

_RELATED_WORDS = (
    r"related(?:\s+(?:stories|articles|news|coverage|content|reading))?|read\s+more|also\s+read"
    r"|read\s+also|see\s+also|you\s+(?:may|might)\s+also\s+like|recommended(?:\s+for\s+you)?"
    r"|more\s+stories|top\s+stories|trending(?:\s+now)?"
)
# A line starting like this is a pointer to other articles.
_RELATED_PREFIX = re.compile(
    r"(?:" + _RELATED_WORDS + r"|must\s+read|more\s+from\s+.{1,40})\s*(?::|\||»|>|–|—|-)\s*\S.*",
    re.IGNORECASE,
)
# The same words alone announce a following list of headlines.
_RELATED_HEADING = re.compile(r"(?:" + _RELATED_WORDS + r"|more\s+on\s+this\s+story)\s*[:»>]?", re.IGNORECASE)

_BULLET_ONLY = re.compile(r"[\s•·▪◦●■□►▶‣⁃*\-–—>]+")
_PUNCT_ONLY = re.compile(r"[\s\W_]+")

_NOT_A_NAME = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|" + "|".join(MONTHS) +
    r"|the|this|that|then|now|late|early|mid|noon|midnight|contrast|comparison|law|design|default"
    r"|christmas|easter|spring|summer|autumn|fall|winter|far|all|some|most|doing|being|year|end)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:By|BY|by)\s+(?P<who>[A-Z][^\n]*)")
_NAME_TOKEN = re.compile(r"(?:[A-Z][A-Za-z'’\-]*\.?|[A-Z]\.|de|van|von|der|da|al|bin|le|la|du|dos|del)$")
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|had|has|have|will|would|could|should|said|says|did|does|been|being)\b",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|written|edited|research|graphics)"
    r"\s+by\s+(?-i:[A-Z]).*",
    re.IGNORECASE,
)

# --- product plugs ----------------------------------------------------------

_PROMO_STRONG = re.compile(
    r"\b(?:shop\s+now|buy\s+now|order\s+now|add\s+to\s+cart|free\s+shipping|use\s+(?:promo\s+)?code"
    r"|(?:promo|coupon|discount)\s+code|limited[- ]time\s+(?:offer|deal)|while\s+supplies\s+last"
    r"|click\s+here\s+to\s+(?:buy|order|shop)|get\s+yours|grab\s+yours)\b"
    # "40% off its peak" is market news; "20% off all stoves" is a sale.
    r"|\b\d{1,2}\s?%\s+off\b(?!\s+(?:its|their|the|his|her|our|from|a|an|last|pre-|record|peak|highs?|lows?)\b)",
    re.IGNORECASE,
)
_PROMO_SHAPE = re.compile(
    r"(?P<name>[A-Z0-9][\w'’&+.-]*(?:\s+[\w'’&+.-]+){0,6}?)\s+[–—-]\s+(?P<pitch>\S.*)"
)
_SMALL_WORDS = {"of", "for", "and", "the", "with", "to", "in", "on", "a", "&", "+"}
_IMPERATIVES = {
    "feed", "light", "slip", "get", "grab", "shop", "buy", "order", "try", "save", "discover",
    "upgrade", "keep", "stay", "stock", "cook", "boil", "charge", "power", "protect", "carry",
    "pack", "enjoy", "treat", "unlock", "experience", "turn", "bring", "never", "don't", "stop",
    "start", "make", "take", "brew", "filter", "purify", "heat", "warm", "cut", "build", "secure",
    "track", "store", "survive", "prepare", "beat", "ditch", "skip", "fix", "clean", "tame", "be",
    "go", "meet", "say", "level", "gear", "boost", "sleep", "wake", "check", "find", "claim",
}
_MARKETING = re.compile(
    r"\b(?:you|your|yours|yourself|must-have|perfect\s+for|made\s+for|built\s+for|designed\s+for"
    r"|best-selling|bestselling|anytime|anywhere|everyday\s+carry|like\s+a\s+boss|on\s+the\s+go)\b",
    re.IGNORECASE,
)
_NEWS_CUES = re.compile(
    r"\b(?:said|says|told|according|reported|reports|announced|president|minister|officials?"
    r"|government|killed|troops|forces|police|ministry|spokes(?:man|woman|person))\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r"[\"“”«»]")

# A standfirst sits within the first few content lines.
_STANDFIRST_ZONE = 5

# --- citation residue -------------------------------------------------------

_OUTLETS = (
    r"Reuters|AP\s+News|AP|Associated\s+Press|AFP|Agence\s+France-Presse|Al\s+Jazeera(?:\s+English)?"
    r"|BBC(?:\s+News)?|CNN|CNBC|NPR|PBS|ABC\s+News|CBS\s+News|NBC\s+News|Fox\s+News|Sky\s+News"
    r"|(?:The\s+)?Guardian|(?:The\s+)?New\s+York\s+Times|NYT|(?:The\s+)?Washington\s+Post|Bloomberg"
    r"|(?:The\s+)?Wall\s+Street\s+Journal|WSJ|(?:The\s+)?Financial\s+Times|FT|(?:The\s+)?Economist"
    r"|Politico(?:\s+Europe)?|Axios|(?:The\s+)?Kyiv\s+Independent|Kyiv\s+Post|Ukrainska\s+Pravda|Ukrinform"
    r"|Euronews|DW|Deutsche\s+Welle|France\s*24|RFE/RL|Radio\s+Free\s+Europe|TASS|RIA\s+Novosti|Interfax"
    r"|Meduza|Newsweek|(?:The\s+)?Independent|(?:The\s+)?Telegraph|(?:The\s+)?Times|(?:The\s+)?Hill"
    r"|Anadolu(?:\s+Agency)?|Xinhua|ISW|Wikipedia|Forbes|Yahoo\s+News|UN\s+News|Time|Vox|Atlantic\s+Council"
)
_NAME_WORD = r"(?:[A-Z][\w&'’./-]*|[a-z][\w-]*(?:\.[a-z][\w-]*)+)"
_LINK_WORD = r"(?:of|the|and|de|for|&)"
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
    r"(?<=\S)(?P<ws>[ \t]?)(?P<res>(?:\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*|citation\s+needed|source)\])+)",
    re.IGNORECASE,
)
_LENTICULAR_MARK = re.compile(r"(?P<ws>[ \t]?)(?P<res>【[^】\n]{0,80}】)")
_PAREN_BEFORE_STOP = re.compile(
    r"(?P<ws>[ \t]+)(?P<res>\((?:" + _OUTLETS + r"|(?:source|via|sources):[^)\n]{1,60})\))(?=[.!?])",
    re.IGNORECASE,
)
_PAREN_AFTER_STOP = re.compile(
    r"(?<=[.!?])(?P<ws>[ \t]*)(?P<res>\((?:" + _OUTLETS + r"|(?:source|via|sources):[^)\n]{1,60})\))"
    r"(?=[ \t]*$|\s+[A-Z“\"])",
)


@dataclass
class _Line:
    start: int  # offset of the line in the raw text
    text: str  # without its line ending
    reason: str | None = None
    cuts: list[tuple[int, int, int, str]] = field(default_factory=list)  # (cut from, cut to, recorded at, recorded text)

    @property
    def body(self) -> str:
        return self.text.strip()

    @property
    def body_start(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip()))


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
    r"(?:posted|written|published|story|words)\s+by\s+(?P<who>[^|\n]{1,60}?)\s*"
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
        if not body:
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
        elif _is_share(body):
            ln.reason = "share prompt"
        elif _RELATED_PREFIX.fullmatch(body):
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
    return bylines, desks, places


def _mark_repeats(lines: list[_Line], title: str | None) -> None:
    live = [ln for ln in lines if ln.body and ln.reason is None]
    if not live:
        return
    keys = [_key(ln.body) for ln in live]
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
    text, cuts = ln.text, []

    def add(ws_from: int, res_from: int, res_to: int) -> None:
        if any(not (res_to <= a or ws_from >= b) for a, b, _, _ in cuts):
            return
        cuts.append((ws_from, res_to, res_from, text[res_from:res_to]))

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
    for a, b, _, _ in ln.cuts:
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
    bylines, desks, places = _mark_lines(lines)
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
        for _, _, at, res in ln.cuts:
            removed.append(Removal(res, "citation residue", ln.start + at))
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
    )
