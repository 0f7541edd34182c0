"""Direct quotes and who said them.

A quote is text between matching quotation marks, straight or curly, and may
run over several sentences or, by the newspaper convention of reopening
marks, several paragraphs.  Its speaker comes from, in order:

1. the attribution right after it: "…,” Rubio said" / "…,” said Zelenskyy";
2. the attribution right before it: "Zelenskyy said: “…”", "According to
   Lavrov, “…”";
3. the parse of its sentence: the subject of a speech verb outside the
   quote ("He stressed that a ceasefire is “critical”");
4. "according to X" in the same sentence.

The dialogue dash that Polish, Russian and Ukrainian papers quote with, kept
in their English translations, marks a quote too: a paragraph's words up to a
spaced dash that an attribution follows ("We do not want wars - said
Lavrov."), starting after the attribution before it or at a dash that opens
a sentence ("...website.- The conflict will go on - answered Lavrov."), or the
paragraph before a line that holds only the dash and the attribution ("- said
the Ukrainian leader.").  Marks inside such a quote set off words the speaker
quotes; a quote in marks may be attributed after a dash ("..." - wrote the
chancellor).  An attribution that describes
its speaker ("said the ambassador") takes the person the description refers
to in the article.

A pronoun or described speaker ("she said", "the politician added") is
resolved to a person: "he added" and "he continued" take the previous
quote's speaker; any other takes the nearest person who is the subject of a
clause, in the sentence where the quote's words begin or the three before,
never one the registry knows as the other gender ("she said" is not the man
named last), else, when no one is named there, the previous quote's speaker.
Quoted fragments of one or two words count only when a speech verb
attributes them; otherwise they are scare quotes or titles.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..data import lists, pairs, table
from ..model import ACTOR_TYPES, EntityMention, EventMention, Quote, Sentence
from .actors import PRONOUN_GENDER

# A curly quote may reopen after a paragraph break without closing first: the
# newspaper convention for a quote that runs over several paragraphs.
# Straight marks pair within a paragraph only: a mark left open at a paragraph's end (a typo, or a quote
# that goes on below) must not pair with the next paragraph's opening mark and shift every pair after it.
_QUOTE = re.compile(r"“((?:[^“”]|(?<=\n)“){1,3000}?)”|\"([^\"\n]{1,3000}?)\"")


def _speech_verbs() -> tuple[set[str], list[str]]:
    """From ``storyline/data/speech_verbs.tsv``: the lemmas of speech verbs, and the forms that
    attribute a quote written next to it.  Read once."""
    lemmas: set[str] = set()
    forms: list[str] = []
    for n, fields in table("speech_verbs.tsv"):
        if len(fields) != 2 or not fields[0] or not fields[1] or fields[0] in lemmas:
            raise ValueError(f"speech_verbs.tsv line {n}: expected a new lemma, a tab and its forms (or -)")
        lemmas.add(fields[0])
        forms += [f for f in fields[1].split(",") if f != "-"]
    return lemmas, forms


SPEECH, _FORMS = _speech_verbs()
_VERBS = "|".join(re.escape(f) for f in _FORMS)
_WORD_LISTS = lists("annotate_words.tsv")
_PRONOUNS = set(_WORD_LISTS["speaker_pronoun"])
# Words that may stand inside a speaker's name ("the foreign minister", "the politician"): the titles
# listed for speakers and the nouns a description of a person is headed by (referring_words.tsv).
_TITLE_WORDS = "|".join(re.escape(w) for w in sorted(
    set(_WORD_LISTS["speaker_title"]) | {w for w, kind in pairs("referring_words.tsv").items()
                                         if kind in ("person", "title") and w not in _PRONOUNS}, key=len, reverse=True))
# A name's first letter: an upper-case Latin letter, accented ones too ("Ławrow", "Šefčovič"; the range of
# Latin Extended-A alternates cases, so it also lets a lower-case accented letter through).
_CAP = "A-ZÀ-ÖØ-ÞĀ-ž"
_WHO = (rf"(?P<who>(?:[{_CAP}][\w’'.-]*|the)(?:\s+(?:[{_CAP}][\w’'.-]*|of|the|{_TITLE_WORDS}))*"
        r"|[Hh]e|[Ss]he|[Tt]hey)")
# A speaker described, not named: "the politician", "the Ukrainian leader" (the words of _TITLE_WORDS).
_DESCRIPTION = re.compile(rf"(?i:the)(?:\s+[\w’'.-]+)*?\s+(?:{_TITLE_WORDS})")
# After a quote, a comma or a spaced dash may come before the attribution ("..." - wrote the chancellor).
_AFTER_VERB_FIRST = re.compile(rf"^(?:[\s,]*|\s+[-–—]\s+)(?P<verb>{_VERBS})\s+{_WHO}")
_AFTER_WHO_FIRST = re.compile(rf"^(?:[\s,]*|\s+[-–—]\s+){_WHO}\s+(?:\w+ly\s+)?(?P<verb>{_VERBS})\b")
_BEFORE = re.compile(rf"{_WHO}\s+(?:\w+ly\s+)?(?P<verb>{_VERBS})(?:\s+\w+){{0,3}}?\s*[:,]?\s*$")
_ACCORDING_WHO = rf"(?P<who>(?:the\s+)?[{_CAP}][\w’'.-]*(?:\s+(?:[{_CAP}][\w’'.-]*|{_TITLE_WORDS})){{0,5}})"
_ACCORDING = re.compile(rf"according to\s+{_ACCORDING_WHO}")
_ACCORDING_BEFORE = re.compile(rf"(?i:according to)\s+{_ACCORDING_WHO}\s*[,:]\s*$")  # "According to X, “…”"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of text between matching quotation marks, the marks included."""
    return [(m.start(), m.end()) for m in _QUOTE.finditer(text)]


def within(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether the character at ``offset`` lies in one of ``spans`` (quoted runs, as the functions above give)."""
    return any(s <= offset < e for s, e in spans)


def _mention_at(entities: list[EntityMention], start: int, end: int) -> EntityMention | None:
    """The actor mention inside [start, end), preferring the last one ("Foreign Minister X")."""
    inside = [e for e in entities if start <= e.start < end and e.type in ACTOR_TYPES]
    people = [e for e in inside if e.type == "person"]  # "the Ukrainian leader" is a person, not Ukraine
    if people:
        return people[-1]
    if inside and inside[-1].type == "state" and end - inside[-1].end > 2:
        return None  # "the German chancellor" is no state, and not known to be anyone we can name
    return inside[-1] if inside else None


def _sentence_of(sentences: list[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= offset < s.end), None)


class _Speakers:
    """Who pronouns and speech verbs point to, from the parse."""

    def __init__(self, sentences, entities, parsed, genders: dict[str, str] | None = None):
        self.sentences, self.entities, self.parsed = sentences, entities, parsed
        self.genders = genders or {}
        self.subjects = set()
        if parsed is not None:
            for tok in parsed:
                if tok.dep_ in ("nsubj", "nsubjpass"):
                    self.subjects.add(tok.idx)

    def is_subject(self, m: EntityMention) -> bool:
        return any(m.start <= i < m.end for i in self.subjects)

    def may_be(self, actor: str | None, pronoun: str) -> bool:
        """Whether "he" or "she" (or a description, which says nothing of either) may stand for ``actor``."""
        want = PRONOUN_GENDER.get(pronoun.lower())
        return want is None or actor is None or self.genders.get(actor, want) == want

    def nearest_person(self, before: int, pronoun: str = "") -> EntityMention | None:
        """The person a pronoun at ``before`` most likely means: never one the registry knows as the
        other gender ("she said" is not the president named last, a man)."""
        sent = _sentence_of(self.sentences, before)
        if sent is None:
            return None
        k = self.sentences.index(sent)
        for s in reversed(self.sentences[max(0, k - 3):k + 1]):
            end = before if s is sent else s.end
            people = [e for e in self.entities if s.start <= e.start < end and e.type == "person"
                      and self.may_be(e.entity_id, pronoun)]
            subj = [e for e in people if self.is_subject(e)]
            if subj or people:
                return (subj or people)[-1] if s is sent else (subj or people)[0]
        return None

    def from_parse(self, sent: Sentence, qstart: int, qend: int):
        """(speaker offset, verb lemma) from a speech verb outside the quote, if any."""
        if self.parsed is None:
            return None
        span = self.parsed.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            return None
        found = []
        for tok in span:
            if tok.lemma_ in SPEECH and not (qstart <= tok.idx < qend) and tok.pos_ == "VERB":
                for child in tok.children:
                    if child.dep_ in ("nsubj", "nsubjpass") and not (qstart <= child.idx < qend):
                        found.append((child, tok.lemma_, abs(tok.idx - qstart)))
        # Several speech verbs ("Trump called the talks productive, while Putin spoke of an
        # “understanding”"): the one nearest the quote governs it.
        return min(found, key=lambda f: f[2])[:2] if found else None


def dated(quotes: list[Quote], events: list[EventMention], published: str | None) -> list[Quote]:
    """Each quote with the date and event-mention id of its sentence's main act, else the publication date."""
    event_at: dict[int, EventMention] = {}
    for e in events:  # a sentence's main act comes first
        event_at.setdefault(e.sentence, e)
    out = []
    for q in quotes:
        ev = event_at.get(q.sentence)
        out.append(replace(q, date=ev.date.value if ev and ev.date else published, event=ev.id if ev else None))
    return out


def _attribution(text: str, start: int, end: int, sent: Sentence | None, sp: _Speakers,
                 entities: list[EntityMention]) -> tuple[int, int, str | None] | None:
    """(start, end, speech verb) of who a quote at [start, end) is attributed to, by rules 1-4."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    after, before = text[end:min(line_end, end + 120)], text[max(line_start, start - 120):start]
    a = _AFTER_VERB_FIRST.match(after) or _AFTER_WHO_FIRST.match(after)
    if a:
        return end + a.start("who"), end + a.end("who"), a.group("verb").lower()
    b = _BEFORE.search(before)
    if b:
        base = start - len(before)
        return base + b.start("who"), base + b.end("who"), b.group("verb").lower()
    acc = _ACCORDING_BEFORE.search(before)
    if acc:  # "According to Lavrov, “Russia did not start ...”"
        base = start - len(before)
        return base + acc.start("who"), base + acc.end("who"), None
    if sent is None:
        return None
    found = sp.from_parse(sent, start, end)
    if found:
        tok, lemma = found
        # The whole name the subject token belongs to.
        ment = next((e for e in entities if e.start <= tok.idx < e.end), None)
        return (ment.start, ment.end, lemma) if ment else (tok.idx, tok.idx + len(tok.text), lemma)
    acc = _ACCORDING.search(text, sent.start, sent.end)
    return (acc.start("who"), acc.end("who"), None) if acc else None


# The dialogue dash some presses quote with (Polish, Russian, Ukrainian; kept in translation): a
# paragraph's words, then a spaced dash and who said them: "We do not want wars - said Lavrov.", "- I am
# asking you today, Belarusians. - he added."; or a paragraph that is only "- said the Ukrainian leader."
# after the words.
_DASH = re.compile(r"[ \t]+[-–—][ \t]+")
_LEADING_DASH = re.compile(r"[ \t]*[-–—][ \t]*")
# A dash opening a sentence inside a paragraph: after the end of the one before, spaced on one side at
# least ("website.- The conflict", not "U.S.-Russia").
_OPENING_DASH = re.compile(rf"(?<=[.!?…\"”])(?:[ \t]*[-–—][ \t]+|[ \t]+[-–—][ \t]*)(?=[{_CAP}\"“„])")


def dash_quotes(text: str) -> list[tuple[int, int, int]]:
    """(start, end, attribution offset) of every quote the dialogue dash marks.  A quote ends at a spaced
    dash that an attribution follows and starts at the last place before it, and after the previous
    attribution, where words may open: the paragraph's start (after a leading dash) or a dash opening a
    sentence ("... on the newspaper website.- The conflict will continue - answered Lavrov.").  A
    paragraph that holds only the dash and the attribution attributes the paragraph before."""
    out = []
    prev: tuple[int, int] | None = None  # the last paragraph with words, as (start, end)
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        lead = _LEADING_DASH.match(line)
        body = start + (lead.end() if lead else len(line) - len(line.lstrip()))
        if lead and _said_next(text, body, end):  # "- said the Ukrainian leader."
            if prev is not None:
                out.append((prev[0], prev[1], body))
        else:
            opens = [body] + [m.end() for m in _OPENING_DASH.finditer(text, body, end)]
            after = body
            for d in _DASH.finditer(text, body, end):
                if d.start() < after or not _said_next(text, d.end(), end):
                    continue
                begins = [o for o in opens if after <= o <= d.start()]
                if begins and len(text[begins[-1]:d.start()].split()) >= 3:
                    out.append((begins[-1], d.start(), d.end()))
                after = d.end()
        prev = (body, end)
    return out


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every stretch of someone's words: in quotation marks or set off by the dialogue dash."""
    return sorted(quote_spans(text) + [(s, e) for s, e, _ in dash_quotes(text)])


def _said_next(text: str, at: int, line_end: int) -> bool:
    after = text[at:min(line_end, at + 120)]
    return bool(_AFTER_VERB_FIRST.match(after) or _AFTER_WHO_FIRST.match(after))


def extract_quotes(text: str, sentences: list[Sentence], entities: list[EntityMention], parsed=None,
                   genders: dict[str, str] | None = None) -> list[Quote]:
    """Every quote of one document with its speaker, undated: ``dated`` gives each the date of its
    sentence's act once the events are known (the event stage reads the speakers first).  ``genders``
    (actor id -> "f" or "m", as the registry knows them) keep "she said" from a man named before."""
    sp = _Speakers(sentences, entities, parsed, genders)
    quotes: list[Quote] = []
    last: tuple[str | None, str | None] = (None, None)
    last_end = -10**9
    # Marks inside a dash quote set off words the speaker quotes ("the 'peace formula'"); a dash quote
    # that only overlaps marks is no quote.
    marked = [(m.start(), m.end(), None) for m in _QUOTE.finditer(text)]
    dashed = [q for q in dash_quotes(text) if text[q[0]] not in "\"“„"  # marks that open it say where it is
              and all(q[0] <= s and e <= q[1] or e <= q[0] or q[1] <= s for s, e, _ in marked)]
    marked = [m for m in marked if not any(q[0] <= m[0] and m[1] <= q[1] for q in dashed)]
    for start, end, said_at in sorted(marked + dashed):
        inner = text[start + 1:end - 1] if said_at is None else text[start:end]
        sent = _sentence_of(sentences, start)
        who = _attribution(text, start, end if said_at is None else said_at, sent, sp, entities)
        speaker, name = None, None
        if who is None:
            if last[1] and 0 <= start - last_end < 120 and "\n" not in text[last_end:start] \
                    and not re.search(r"[“\"]", text[last_end:start]):
                speaker, name = last  # “A,” Zelenskyy said. “B.” — the second quote goes on in the same voice
            elif len(inner.split()) < 3:
                continue  # a scare quote or a title, not speech
        else:
            who_start, who_end, verb = who
            said = text[who_start:who_end]
            written = " ".join(said.split())
            ent = None if said.lower() in _PRONOUNS else _mention_at(entities, who_start, who_end)
            if ent is None and (said.lower() in _PRONOUNS or _DESCRIPTION.fullmatch(said)):
                # "she said", "the politician added": who was speaking, or the person named last before
                # the quote's words began (not inside them).
                # The voice goes on only as far as the pronoun fits it ("she added" after a man's words is
                # not his).
                goes_on = last[1] and start - last_end < 2000 and sp.may_be(last[0], said)
                if verb and verb.startswith(("add", "continu")) and goes_on:
                    speaker, name = last
                else:
                    person = sp.nearest_person(min(who_start, start), said)
                    if person:
                        speaker, name = person.entity_id, person.name
                    elif goes_on:
                        speaker, name = last  # no one named near: the voice goes on
                    elif said.lower() not in _PRONOUNS:
                        name = written  # "the spokesman", whom the article never names
            else:
                if ent:
                    speaker, name = ent.entity_id, ent.name
                elif len(said.split()) > 1 or said[:1].isupper():
                    # "the ambassador", "Wierszynin"; not a lone lower-case word the parse made the
                    # subject ("it was asked", "the only possible way").
                    name = written or None
        quotes.append(Quote(start, end, re.sub(r"\s*\n+\s*“?", " ", inner).strip(), speaker, name,
                            sent.index if sent else -1))
        if name:
            last, last_end = (speaker, name), end
    return quotes
