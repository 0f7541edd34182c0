"""First-pass direct quotes and their speakers.

A quote is text between matching quotation marks; its speaker comes from the
attribution next to it ("…,” Rubio said", "said Zelenskyy", "X said: “…”"),
and a pronoun attribution ("he added") takes the previous speaker.  Scare
quotes of one or two words are not quotes.
"""

from __future__ import annotations

import re

from ..model import EntityMention, Quote, Sentence

_QUOTE = re.compile(r"“([^”]{3,2000}?)”|\"([^\"\n]{3,2000}?)\"")
_SPEECH = (r"said|says|added|noted|warned|told|stressed|insisted|declared|wrote|"
           r"argued|explained|stated|posted|remarked|continued|cautioned|urged")
_AFTER = re.compile(rf"^[\s,]*(?:(?P<v1>{_SPEECH})\s+(?P<who1>[A-Z][^,.;]{{0,60}}?|he|she)\b|"
                    rf"(?P<who2>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}}|he|she|they)\s+(?:{_SPEECH}))",)
_BEFORE = re.compile(rf"(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}}|[Hh]e|[Ss]he)\s+"
                     rf"(?:{_SPEECH})(?:\s+\w+)?\s*[:,]?\s*$")
_ACCORDING = re.compile(r"according to\s+(?P<who>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})")


def _entity_at(entities: list[EntityMention], start: int, end: int) -> EntityMention | None:
    for ent in entities:
        if ent.start >= start and ent.end <= end and ent.type in ("person", "organisation", "state"):
            return ent
    return None


def extract_quotes(text: str, sentences: list[Sentence], entities: list[EntityMention]) -> list[Quote]:
    quotes: list[Quote] = []
    last: tuple[str | None, str | None] = (None, None)
    for m in _QUOTE.finditer(text):
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if len(inner.split()) < 3:
            continue  # scare quotes and titles
        start, end = m.start(), m.end()
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, start) + 1
        after = text[end:min(line_end, end + 120)]
        before = text[max(line_start, start - 120):start]
        who_text, who_start = None, None
        a = _AFTER.match(after)
        if a:
            key = "who1" if a.group("who1") else "who2"
            who_text, who_start = a.group(key), end + a.start(key)
        else:
            b = _BEFORE.search(before)
            if b:
                who_text, who_start = b.group("who"), start - len(before) + b.start("who")
            else:
                for base, window in ((end, text[end:line_end][:160]), (start - len(before), before)):
                    acc = _ACCORDING.search(window)
                    if acc:
                        who_text, who_start = acc.group("who"), base + acc.start("who")
                        break
        sent = next((s for s in sentences if s.start <= start < s.end), None)
        if who_text is None and sent is not None:
            # A partial quote inside a reported sentence: the sentence's first
            # named person before it is the one being quoted.
            ent = next((e for e in entities if sent.start <= e.start < start and e.type == "person"), None)
            if ent:
                who_text, who_start = ent.text, ent.start
        speaker, name = None, None
        if who_text and who_text.lower() in ("he", "she", "they"):
            speaker, name = last
        elif who_text:
            ent = _entity_at(entities, who_start, who_start + len(who_text))
            if ent:
                speaker, name = ent.entity_id, ent.name
            else:
                name = who_text.strip()
        quotes.append(Quote(start, end, inner, speaker, name, sent.index if sent else -1))
        if name:
            last = (speaker, name)
    return quotes
