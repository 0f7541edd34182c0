"""Entries that read alone: a timeline line or a brief line lifted out of its article.

A sentence chosen for a timeline often leans on the sentences before it:
"He stressed that ...", "The two men agreed ...", "... on Tuesday".  Out of
its article a reader cannot tell who or which day.  ``readable`` adds, in
square brackets, the referent the article named before the sentence ("He
[Marco Rubio] stressed") and the resolved day of a relative date ("on
Tuesday [2025-06-24]").  These bracketed insertions are the only words in an
output that no source wrote; each is listed with its place in the sentence
so that JSON readers can tell them apart.

The referent is the nearest earlier mention, in the same article, of an
entity of the kind the words name (a person for "he", "she" and "the
president"; two people for "the two men"; an organisation for "the
company").  When the article names none, nothing is inserted.
"""

from __future__ import annotations

import re
from typing import Callable

# Opening words that stand for someone named earlier, and what kind of entity they stand for.
_SUBJECT = re.compile(
    r"^(?:(?:But|And|Meanwhile|However|Later|Earlier),?\s+)?"
    r"(?P<words>He|She|His|Her|"
    r"The (?:two|both) (?:men|women|leaders|presidents|ministers|sides)|Both (?:men|women|leaders)|"
    r"The (?:company|firm|group|president|prime minister|minister|official|spokesman|spokeswoman|spokesperson))\b")
_ORGS = ("company", "firm", "group")
# A date expression whose words carry no calendar date of their own.
_EXPLICIT = re.compile(r"\d|\b(?:January|February|March|April|May|June|July|August|September|October|November"
                       r"|December)\b", re.I)

# (document, offset, entity types, how many) -> names, nearest first
Lookup = Callable[[str, int, tuple[str, ...], int], list[str]]


def own_mention(event: dict) -> dict | None:
    """The mention whose sentence is the event's summary: the article the summary is taken from."""
    return next((m for m in event["mentions"] if m["text"] == event["summary"]), None)


def readable(event: dict, lookup: Lookup) -> tuple[str, list[dict]]:
    """The event's summary with its bracketed insertions, and the insertions themselves.

    Each insertion is {"after": offset in the summary, "text": what was
    added (without brackets), "kind": "referent" | "date"}.
    """
    text = event["summary"]
    inserts: list[dict] = []
    own = own_mention(event)
    m = _SUBJECT.match(text)
    if m and own is not None:
        words = m.group("words")
        lower = words.lower()
        count = 2 if {"two", "both"} & set(lower.split()) else 1
        types = ("organisation",) if any(w in lower for w in _ORGS) else ("person",)
        names = lookup(own["doc"], own["start"], types, count)
        if len(names) == count:
            inserts.append({"after": m.end("words"), "text": " and ".join(reversed(names)), "kind": "referent"})
    date = event.get("date") or {}
    said = date.get("text") or ""
    if said and date.get("precision") in ("day", "time") and date.get("value") and not _EXPLICIT.search(said):
        at = text.find(said)
        if at >= 0:
            inserts.append({"after": at + len(said), "text": date["value"][:10], "kind": "date"})
    inserts.sort(key=lambda i: i["after"])
    out, pos = [], 0
    for ins in inserts:
        out.append(text[pos:ins["after"]])
        out.append(f" [{ins['text']}]")
        pos = ins["after"]
    out.append(text[pos:])
    return "".join(out), inserts
