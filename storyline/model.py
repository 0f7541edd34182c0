"""The one data model every stage reads and writes.

Per-document stages take a ``RawDoc`` (what ingestion could read) and return
a ``Document`` carrying everything derived from that one article.  Nothing in
here talks to the database or the network, so a ``Document`` can be built on
any worker and shipped to the store afterwards.

Offsets (``start``/``end``) always index ``Document.text``, the cleaned text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

# "reported": no time expression dates the event, so it carries the publication
# date, meaning "reported on this day" — it happened then or before.
Precision = Literal["time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century",
                    "reported", "unknown"]
# What a sentence says of an event: it happened (in the article's own voice),
# a source reported or a party claimed it happened, it is planned, it might
# happen (hypothetical or conditional), or it did not (denied or negated).
Status = Literal["occurred", "reported", "claimed", "planned", "hypothetical", "denied"]
# Where a publication date came from, in order of trust (see pubdate.publication_date);
# "copy": a near-duplicate's original, set by the link stage.
PublishedFrom = Literal["metadata", "html", "dateline", "folder", "text", "user", "copy", "none"]

# The largest input read or fetched; here rather than in fetch.py so that
# the CLI and the API can name it without importing httpx.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # one article: a .txt/.html file, a JSONL line, a JSON record, a URL
# A file that holds many articles (JSONL, JSON lists, feeds) may be larger:
# JSONL is read a line at a time, so this bounds only JSON lists and feeds in memory.
DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """What a build may be configured with; hashable, so resources load once per setting."""

    spacy_model: str | None = None  # None: $STORYLINE_SPACY_MODEL, else the pinned default
    actors: tuple[str, ...] = ()  # the user's actor files, on top of the shipped registry
    published: str | None = None  # YYYY-MM-DD for articles that carry no date (``build --published``)


def content_id(text: str, prefix: str = "d") -> str:
    """A stable id from text, insensitive to whitespace differences only.

    Re-ingesting the same article must add nothing, whatever file it came in,
    so the id depends on the words alone.
    """
    norm = re.sub(r"\s+", " ", text).strip()
    return f"{prefix}_{hashlib.sha256(norm.encode('utf-8')).hexdigest()[:16]}"


@dataclass
class RawDoc:
    """One article as ingestion found it, before any cleaning.

    ``text`` is plain text; for HTML input the main-text extraction has
    already happened (trafilatura) and ``html`` keeps the page for date cues.
    """

    text: str
    title: str | None = None
    source: str | None = None  # site or outlet name
    url: str | None = None
    published: str | None = None  # as given by metadata, ISO date if parseable
    published_from: PublishedFrom = "none"
    external_id: str | None = None  # the id the input gave (JSONL "id")
    path: str | None = None  # local file, None for URLs
    origin: str = ""  # human-readable "file.jsonl:3" or URL, for messages
    html: str | None = None
    fmt: str = "txt"  # txt | html | jsonl | feed | url
    # What ingestion had to repair to read it (broken bytes, an ignored field):
    # the article is kept, and each note is reported once.
    notes: list[str] = field(default_factory=list)

    @cached_property
    def id(self) -> str:
        # Hashed once: the build looks the id up before processing and again
        # when it makes the Document.
        return content_id(self.text)


@dataclass
class Removal:
    """A piece of the raw text that cleaning dropped, and why."""

    text: str
    reason: str
    start: int = -1  # offset into RawDoc.text, -1 when not located


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass
class TimeExpr:
    """A time expression, normalised.

    ``value`` uses TimeML-like forms ("2025-06-24", "2025-06", "2025") or
    None when the expression cannot be anchored; ``anchor`` records what a
    relative expression said ("weekday:TU", "offset:-1D") so a later stage can
    resolve it once an anchor is known.
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: Precision
    kind: str = "DATE"  # DATE | TIME | DURATION | SET
    anchor: str | None = None


@dataclass
class Role:
    """An office an actor held: ``role`` is a key ("president"), ``of`` the actor id it is held in."""

    role: str
    title: str
    of: str | None = None
    start: str | None = None  # ISO date, "YYYY-MM" or "YYYY"; None: unknown start
    end: str | None = None  # None: still held


@dataclass
class Actor:
    """A registry entry: one real person, state, force or body, however news spells it."""

    id: str  # Wikidata QID where one exists, else "sl:<slug>"
    type: str  # person | organisation | state | armed_force | government_body
    name: str
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None  # actor id
    country: str | None = None  # ISO alpha-2
    demonyms: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    branch: str | None = None  # armed forces only
    roles: list[Role] = field(default_factory=list)
    gender: str | None = None  # people only: "f" or "m", for "she" and "he"


# Entity types that can act (be an event's participant or a quote's speaker);
# "name" is a lone capitalised word not yet resolved.
ACTOR_TYPES = ("person", "organisation", "state", "armed_force", "government_body", "name")


@dataclass
class EntityMention:
    start: int
    end: int
    text: str
    entity_id: str
    name: str  # canonical or normalised name
    # person | organisation | state | armed_force | government_body | place | name
    type: str
    country: str | None = None  # ISO alpha-2
    title: str | None = None  # the title the article gave a person ("former U.S. President")
    conflict: str | None = None  # why that title is wrong on the date the sentence describes
    date: str | None = None  # the date the title was checked against
    lat: float | None = None  # places only
    lon: float | None = None


@dataclass
class Quantity:
    """A number tied to an event: how many were killed, launched, shot down, paid.

    ``kind`` is killed | injured | missing | displaced | detained | returned |
    launched | intercepted | money | percent; ``weapon`` says what was launched
    or intercepted (drone, ballistic_missile, cruise_missile, missile, ...);
    ``unit`` is the currency for money.  ``claimant`` is the entity id of
    whoever gave the figure, when the sentence attributes it.
    """

    kind: str
    value: float
    approx: str = "exact"  # exact | at_least | at_most | about
    text: str = ""
    weapon: str | None = None
    unit: str | None = None
    claimant: str | None = None


@dataclass(frozen=True)
class Clues:
    """What coreference compares of an event mention besides its date and place (``annotate.arguments``)."""

    lemma: str                              # the head word's lemma, lowercased
    agents: frozenset[str] = frozenset()    # words of the head's subject (who did it)
    patients: frozenset[str] = frozenset()  # words of its object, or passive subject (to whom or what)
    others: frozenset[str] = frozenset()    # words of its prepositional objects (where, when, what else)
    names: frozenset[str] = frozenset()     # name lemmas elsewhere in the sentence
    also: frozenset[str] = frozenset()      # other words of the clause naming the act ("strike" in "a strike killed")

    def as_json(self) -> dict:
        return {"lemma": self.lemma, "agents": sorted(self.agents), "patients": sorted(self.patients),
                "others": sorted(self.others), "names": sorted(self.names), "also": sorted(self.also)}

    @classmethod
    def from_json(cls, data: dict | None, fallback: str = "") -> "Clues":
        """Clues stored as JSON; a mention stored before clues existed falls back to its trigger word."""
        data = data or {}
        return cls(data.get("lemma") or fallback.lower(),
                   *(frozenset(data.get(k) or ()) for k in ("agents", "patients", "others", "names", "also")))


@dataclass
class EventMention:
    """One happening as one article reports it, anchored on its trigger's sentence.

    ``type`` is a PLOVER event type (or STATEMENT), ``mode`` a PLOVER mode
    where one applies (CONSULT: phone | visit | summit | multilateral;
    ASSAULT: aerial | drone | missile | ground; AID: military | humanitarian |
    economic).  ``source`` and ``target`` are entity ids of who acted on whom;
    ``actors`` is every participant, source and target first.  Later
    sentences that continue the same happening ("The drones hit ...") are
    folded in and listed in ``sentences``.  ``intensity`` runs from -10
    (most violent) to +10 (most cooperative), in the spirit of Goldstein's
    scale for CAMEO.  ``claimant`` is who the sentence attributes the event
    to, for reported and claimed events.
    """

    id: str
    sentence: int
    start: int
    end: int
    text: str
    type: str
    trigger: str
    date: TimeExpr | None
    actors: list[str] = field(default_factory=list)  # entity ids
    location: str | None = None  # entity id of a place
    quantities: list[Quantity] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    mode: str | None = None
    status: Status = "occurred"
    claimant: str | None = None
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    intensity: float = 0.0
    sentences: list[int] = field(default_factory=list)  # every sentence reporting it, its own first
    clues: Clues | None = None  # for coreference; None on mentions stored before clues were kept


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None  # entity id
    speaker_name: str | None
    sentence: int = -1
    date: str | None = None  # the sentence's date, else the publication date
    event: str | None = None  # event-mention id of the quote's sentence, when it reports one


@dataclass
class NonEvent:
    """A clause the event stage typed and then judged not to be an event: the writer's commentary or
    prediction, generic background, page furniture, a rhetorical question, a quote fragment with no act.
    Kept on the document so that what was left out, and why, can be read back."""

    sentence: int  # index of the sentence in Document.sentences
    text: str  # the clause's words
    reason: str  # boilerplate | question | commentary | generic | quote-fragment | no-speaker
    type: str = ""  # the PLOVER type the clause would have had


@dataclass
class Document:
    """An article after every per-document stage."""

    id: str
    text: str  # cleaned text
    raw_text: str
    title: str | None
    source: str | None
    url: str | None
    external_id: str | None
    path: str | None
    fmt: str
    published: str | None
    published_from: PublishedFrom
    published_after: str | None = None
    byline: str | None = None
    desk: str | None = None
    removed: list[Removal] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    non_events: list[NonEvent] = field(default_factory=list)  # typed clauses judged not to be events


# Cross-document results (the link stage) -----------------------------------


@dataclass
class Claim:
    value: str
    docs: list[str]


@dataclass
class Contradiction:
    id: str
    event: str | None  # None for a role contradiction in a sentence that reports no event
    attribute: str  # date | quantity | location | actors | role
    claims: list[Claim]
    note: str = ""
    doc: str | None = None  # role contradictions: the sentence that carries the title
    sentence: int | None = None


@dataclass
class Event:
    """A canonical event: one real happening, possibly reported many times."""

    id: str
    type: str
    summary: str
    date_value: str | None
    date_precision: Precision
    date_text: str
    mentions: list[tuple[str, str]]  # (doc id, event-mention id)
    actors: list[str] = field(default_factory=list)
    location: str | None = None
    salience: float = 0.0
    mode: str | None = None
    status: Status = "occurred"
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    intensity: float = 0.0
    related: list[str] = field(default_factory=list)  # a planned event and the event that fulfilled it
    story: str | None = None  # the story most of its mentions' documents belong to


def independent(docs, duplicate_of: dict[str, str] | None) -> set[str]:
    """The documents that count as sources: a near-duplicate counts as its original."""
    duplicate_of = duplicate_of or {}
    return {duplicate_of.get(d, d) for d in docs}


@dataclass
class Story:
    """Documents about one developing matter, close in time: what a reader follows as one story.

    ``title`` is taken from a document (never written), ``first`` and
    ``last`` are the publication dates it spans, ``size`` counts its documents.
    """

    id: str
    title: str | None
    first: str | None
    last: str | None
    size: int = 0


@dataclass
class Skip:
    """One input that could not be used, and why — reported, never fatal."""

    origin: str
    reason: str


@dataclass
class BuildReport:
    """What one build did: counts, every input it skipped and every repair it reported."""

    added: int = 0
    revisions: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[Skip] = field(default_factory=list)  # kept, but read with a repair: (origin, what)
    events: int = 0
    contradictions: int = 0
    articles: int = 0  # distinct articles of this build in the store (added, revised or already there)
    undated: int = 0  # how many of them have no publication date

    @property
    def ok(self) -> bool:
        return not self.skipped

    @property
    def undated_warning(self) -> str | None:
        """One line when more than a fifth of the build's articles have no publication date, else None."""
        if not self.articles or self.undated * 5 <= self.articles:
            return None
        return (f"{self.undated} of {self.articles} articles have no publication date; their relative dates "
                "(\"on Tuesday\") cannot be resolved and their events cannot be dated — give dates with a "
                "\"published\" field, a YYYY-MM-DD folder, or --published DATE")
