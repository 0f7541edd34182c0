"""Which time expression dates an event: the one its own clause governs.

A time expression dates the word it attaches to in the parse.  Climbing from
its head word towards the event's trigger, it is

- background, and never dates the event, when the climb passes through a
  relative clause, a clausal modifier of a noun, an apposition or an
  adverbial clause ("its well that ruptured in April", "Tinkov, who founded
  the bank in 2006, wrote ...", "after separatists took control in 2014");
  an adverbial clause of time ("when he handed over power in 1999") is the
  exception, as it gives the time of the clause it modifies;
- background when it modifies a noun from inside its noun phrase ("a 2014
  annexation", "Russia's June 2025 claim"): it dates the noun, unless that
  noun is the trigger itself or an act's noun as its subject (own: "the 1988
  bombing killed 270"), governs the trigger (nearby: "a June
  claim to have captured ...") or heads a phrase that tells when ("during
  Tuesday's speech": then the noun stands where the date would);
- background when a target preposition governs it ("spend 5% by 2035"): a
  deadline is not when anything happened;
- background when it is written right after the object of a relative-time
  preposition ("since the conflict's onset in 2014", "after the annexation
  in March"): it dates that object, wherever the parser hangs it;
- the event's own date when the climb reaches the event's clause without
  leaving its own;
- background too when it lies in a clause the event's verb takes as its
  complement ("called on them to note that Crimea was occupied in 2014"):
  it dates what is said, not the saying;
- nearby otherwise: a date of the clause that reports the event ("said on
  Saturday that ..."), of an infinitive it takes ("agreed to send tanks in
  January" may date the agreeing too) or of a coordinate clause.  A planned
  or hypothetical act takes no nearby date: the day it was spoken of is not
  the day it is to happen ("Trump said Thursday that he hopes to meet again").

The event takes its nearest own date, else its nearest nearby one; with
neither, the caller falls back as before (the paragraph's reference date,
then the publication date).

Dates look forward in a planned or scheduled clause ("will meet on Monday",
"takes over on 1 October" in the timetable present): an underspecified own
date (a weekday, a day and month, a month) that the tagger, reading words
and not the parse, put before publication moves to its next occurrence.

Cue words live in ``storyline/data/dating.tsv``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..data import lists
from ..model import Sentence, TimeExpr
from .plover import NOUNS, SPEECH, SPOKEN, Frame
from .time import RuleTimeTagger, resolve_anchor

_CUES = {k: set(v) for k, v in lists("dating.tsv").items()}
_TARGET = _CUES["target"]
_SAME_TIME = _CUES["same_time"]
_DURING = _CUES["during"]
_SCHEDULE = _CUES["schedule"]
_BACKWARD = _CUES["backward"]
_RELATIVE = _CUES["relative"]
_COMPARISON = _CUES["comparison_verb"]
_COMMEMORATED = _CUES["commemorated"]

# Clauses with a time of their own: a date inside one dates that clause only.
_BACKGROUND_CLAUSES = {"relcl", "acl", "appos", "advcl"}
# Clauses that tell of something at a time of their own: a date outside one does not date an act inside.
_ITS_OWN_TIME = {"relcl", "appos"}
# Other clauses: a date inside one is near the event but not its own.
_OTHER_CLAUSES = {"ccomp", "xcomp", "conj", "csubj", "csubjpass", "parataxis", "pcomp"}
# Of those, the clauses an event's verb takes as its complement: what is said or thought.  (Not an
# infinitive: "agreed to send tanks in January" may date the agreeing as well as the sending.)
_COMPLEMENTS = {"ccomp", "csubj", "csubjpass", "pcomp"}
# How a word modifies a noun from inside its noun phrase.
_NOUN_MODIFIERS = {"compound", "nmod", "amod", "poss", "nummod"}
_FUTURE_AUX = {"will", "'ll", "shall", "wo"}
_ANCHORED = ("weekday:", "monthday:", "month:", "season:")

OWN, NEARBY, BACKGROUND = "own", "nearby", "background"


def _head_word(doc, t: TimeExpr):
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _chain(tok) -> list:
    """``tok`` and its heads up to the root of its sentence."""
    out = [tok]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _written_chain(head) -> list:
    """``_chain`` of a date's head word, read off the words where the parser hangs a speaker's date on what
    is said: a date written between a speech verb and its words, before their subject and any "that"
    ("Zelensky said on Friday he was still open to talks"), is the saying's."""
    chain = _chain(head)
    phrase = head.head if head.dep_ == "pobj" else head
    clause = phrase.head
    if clause.i == phrase.i or clause.dep_ not in ("ccomp", "parataxis") or clause.head.lemma_.lower() not in SPEECH:
        return chain
    verb, inside = clause.head, {t.i for t in phrase.subtree}
    if verb.i < phrase.i and all(t.i > phrase.right_edge.i for t in clause.subtree if t.i not in inside):
        return chain[:chain.index(clause)] + _chain(verb)
    return chain


def _apart(clause, head) -> bool:
    """Whether a date is written apart from a clause: neither inside its words nor right after them (the
    parser often hangs a clause's closing date on the verb above: "when he gave power in 1999")."""
    first = min(t.i for t in head.subtree)
    return not (clause.left_edge.i <= first <= clause.right_edge.i + 2)


def _same_time_clause(clause) -> bool:
    """Whether an adverbial clause tells the time of the clause above ("when he resigned"); an "as" that
    compares ("as was the case with Yeltsin", "as it did in 2014") does not."""
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod")} & _SAME_TIME
    return bool(marks) and not (marks == {"as"} and clause.lemma_.lower() in _COMPARISON)


def relation(frame: Frame, head) -> str:
    """How the time expression headed by ``head`` stands to the event of ``frame``: own, nearby or
    background."""
    trigger = frame.trigger
    above_trigger = {t.i: n for n, t in enumerate(_chain(trigger))}
    other = _dated_object(head)
    if other is not None and other.i != trigger.i and other.i not in above_trigger:
        return BACKGROUND  # "since the conflict's onset in 2014": the onset's date
    if head.dep_ in _NOUN_MODIFIERS:
        # "a 2014 annexation": the date of the noun (the relation alone says it is one, whatever its tag),
        # which the event may only borrow when it is the event's word or governs it ("a June claim to
        # have captured ..."), or when the noun phrase itself tells when ("thanked them during Tuesday's
        # speech"): then it stands where the date would.
        noun = head.head
        if noun.i == trigger.i:
            return OWN
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.i in (trigger.i, frame.verb.i) and \
                noun.lemma_.lower() in NOUNS:
            return OWN  # "The 1988 bombing of Pan Am flight 103 killed 270": the subject names the act
        if noun.i in above_trigger:
            return NEARBY
        if not (noun.dep_ == "pobj" and noun.head.lower_ in _DURING):
            return BACKGROUND
        head = noun
    if head.dep_ == "pobj" and head.head.lower_ in _TARGET:
        return BACKGROUND  # "by 2035": a deadline
    if _remembered(head):
        return BACKGROUND  # "on the occasion of Victory Day": the day remembered, not the day of the meeting
    crossed = set()
    for tok in _written_chain(head):
        if tok.i in above_trigger:
            meet = above_trigger[tok.i]
            break
        dep = tok.dep_
        if dep == "advcl" and _same_time_clause(tok):
            continue  # "when he resigned in 1999": the time of the clause above
        if dep in _BACKGROUND_CLAUSES:
            return BACKGROUND
        if dep in _OTHER_CLAUSES:
            crossed.add(dep)
    else:
        return NEARBY  # another sentence of the parse
    verb_at = above_trigger.get(frame.verb.i)
    own_clause = meet == 0 or (verb_at is not None and meet <= verb_at)
    if not own_clause and any(_apart(t, head) for t in _chain(trigger)[(verb_at or 0):meet] if t.dep_ in _ITS_OWN_TIME):
        return BACKGROUND  # "officials who are sanctioned by the US" in a sentence dated by its main clause
    if not crossed:
        return OWN if own_clause else NEARBY
    if own_clause and crossed & _COMPLEMENTS:
        return BACKGROUND  # "calling on them to note that it was occupied in 2014": the date of what is said
    return NEARBY


def _remembered(head) -> bool:
    """Whether a date is what an occasion marks: "the occasion of Victory Day", "the anniversary of ..."."""
    return head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _COMMEMORATED


def _dated_object(head):
    """The noun a date written right after it belongs to, when that noun is the object of a relative-time
    preposition ("since the conflict's onset in 2014", "after the annexation in March"); else None.
    Read off the words, not the attachment: the parser often hangs such a date on the main verb."""
    prep = head.head if head.dep_ == "pobj" else None
    if prep is None or prep.pos_ != "ADP" or prep.i == 0 or prep.i > head.i:
        return None
    noun = head.doc[prep.i - 1]
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    node = noun
    while node.head.i != node.i:
        if node.dep_ in ("compound", "poss", "amod", "nmod"):
            node = node.head
        elif node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
            node = node.head.head  # "before Russia's invasion of its neighbour on February 24"
        else:
            break
    if node.dep_ == "pobj" and node.head.lower_ in _RELATIVE:
        return node
    return None


def noun_date(noun, candidates: list[TimeExpr]) -> TimeExpr | None:
    """The date a noun's own phrase gives it ("the annexation of Crimea in 2014", "Russia's invasion of
    its neighbour on February 24" after "before"), or None: the first candidate inside the phrase or
    written right after it where the noun is a relative-time preposition's object."""
    doc = noun.doc
    inside = {t.i for t in noun.subtree} - {noun.i}
    for t in candidates:
        head = _head_word(doc, t)
        if head is None or _remembered(head):
            continue
        after = _dated_object(head)
        if head.i in inside or (after is not None and after.i == noun.i) or _hung_above(head, noun):
            return t
    return None


def _hung_above(head, noun) -> bool:
    """Whether a date written right after an act noun's phrase was hung by the parser on a noun above it:
    "a launchpad for Putin's full-scale invasion of Ukraine in February 2022" dates the invasion, not the
    launchpad.  Between two nouns the act takes the date; a date a verb takes is the verb's."""
    prep = head.head if head.dep_ == "pobj" else None
    if prep is None or prep.pos_ != "ADP" or prep.head.pos_ not in ("NOUN", "PROPN"):
        return False
    return prep.i == noun.right_edge.i + 1 and prep.head.left_edge.i <= noun.i <= prep.head.right_edge.i


def _future(frame: Frame) -> bool:
    """Whether the event's clause looks forward: planned, or a timetable verb in the simple present."""
    if frame.status == "planned":
        return True
    verb = frame.verb
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & _FUTURE_AUX:
        return True
    if aux or verb.lemma_.lower() not in _SCHEDULE:
        return False
    # The parser sometimes tags a finite present as a base form ("the sanctions take effect"): a
    # bare verb with its own subject is finite all the same.
    return verb.tag_ in ("VBZ", "VBP") or verb.tag_ == "VB" and any(c.dep_ == "nsubj" for c in verb.children)


_UNDATED_TAGGER = RuleTimeTagger()


def forward(t: TimeExpr, published: str) -> TimeExpr:
    """``t`` moved to the next occurrence on or after ``published`` when it names a weekday, a day and
    month or a month without a year and was put before publication; else ``t`` unchanged."""
    if t.value >= published[:len(t.value)] or _BACKWARD & set(t.text.lower().split()):
        return t
    return _moved(t, published, ahead=True)


def back(t: TimeExpr, published: str) -> TimeExpr:
    """``t`` moved to the last occurrence on or before ``published`` when it names a weekday, a day and
    month or a month without a year and was put after publication; else ``t`` unchanged."""
    if t.value <= published[:len(t.value)]:
        return t
    return _moved(t, published, ahead=False)


def _moved(t: TimeExpr, published: str, ahead: bool) -> TimeExpr:
    try:
        on = dt.date.fromisoformat(published[:10])
    except ValueError:
        return t
    bare = _UNDATED_TAGGER.tag(t.text, [Sentence(0, 0, len(t.text), t.text)], None)
    if len(bare) != 1 or not (bare[0].anchor or "").startswith(_ANCHORED):
        return t
    value = resolve_anchor(bare[0].anchor, on, forward=ahead)
    if not value or len(value) != len(t.value) or (value <= t.value if ahead else value >= t.value):
        return t
    return replace(t, value=value)


def _told_in_past(head) -> bool:
    """Whether the clause a date's head word sits in is told in the past tense ("wrote ... after his
    visit on Friday", "has met", "had visited"): the nearest verb at or above the head decides, in a
    sentence that says nothing of what will be ("will go on Monday, then on Tuesday to Russia, DPA
    said" keeps its days ahead, whatever the parse makes of the elided verb)."""
    if any(t.lower_ in _FUTURE_AUX for t in head.sent):
        return False
    verb = head
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if verb.tag_ == "VBD":
        return not aux & _FUTURE_AUX
    return verb.tag_ == "VBN" and bool({"has", "have", "had", "'s", "'ve"} & aux)


# Acts done by saying something: a warning or a demand is made the day it is said.
_SAID = SPOKEN | {"STATEMENT"}


def looks_ahead(frame: Frame) -> bool:
    """Whether an act is still to happen, so the days its story has reached are not its day: a plan or a
    hypothesis, unless it is done by saying it (a warning or a demand is made the day it is said, whatever
    it speaks of: "Putin said in March that Moscow is ready to use nuclear weapons if ...")."""
    return frame.status in ("planned", "hypothetical") and frame.type not in _SAID


def choose(frame: Frame, candidates: list[TimeExpr], published: str | None) -> TimeExpr | None:
    """The time expression among ``candidates`` (calendar dates of the event's sentence) that dates the
    event: its nearest own date, else the nearest nearby one; None when all are background."""
    doc, pos = frame.trigger.doc, frame.trigger.idx
    ranked = []
    for t in candidates:
        head = _head_word(doc, t)
        if head is not None and published and t.value > published[:len(t.value)] and _told_in_past(head):
            t = back(t, published)  # the tagger reads words: "wrote after his visit on Friday, that allies should"
            if t.value > published[:len(t.value)]:
                continue  # "Three years later, he sent troops" counted from the report: no date of a past deed
        how = relation(frame, head) if head is not None else NEARBY
        if how == NEARBY and looks_ahead(frame):
            continue  # "Trump said Thursday he hopes to meet again": the saying's day is not the meeting's
        if how != BACKGROUND:
            ranked.append(((how != OWN, abs(t.start - pos), t.start), how, t))
    if not ranked:
        return None
    _, how, best = min(ranked, key=lambda r: r[0])
    if how == OWN and published and _future(frame):
        best = forward(best, published)
    if how == NEARBY and best.precision == "day" and frame.type not in _SAID:
        head = _head_word(doc, best)
        if head is not None and _dates_the_saying(frame, head):
            # "Blinken said on Thursday that Russia had already moved troops": Thursday is when it was
            # said; the act told happened then or before, a bound and not its day.
            best = replace(best, precision="reported")
    return best


def _dates_the_saying(frame: Frame, head) -> bool:
    """Whether a date belongs to a verb of saying whose words tell of the act: the first word above the
    act's trigger that the date hangs from is a speech verb, reached through what it reports."""
    above = {t.i for t in _chain(frame.trigger)}
    meet = next((t for t in _written_chain(head) if t.i in above), None)
    if meet is None or meet.i in (frame.trigger.i, frame.verb.i) or meet.lemma_.lower() not in SPEECH:
        return False
    tok = frame.verb
    while tok.head.i != tok.i and tok.head.i != meet.i:
        tok = tok.head
    return tok.head.i == meet.i and tok.dep_ in ("ccomp", "parataxis")


def reference(root, candidates: list[TimeExpr]) -> list[TimeExpr]:
    """The dates of a sentence that may serve later sentences as their reference time: all but the
    background ones of the clause headed by ``root``."""
    frame = Frame("", None, root, root)
    doc = root.doc
    out = []
    for t in candidates:
        head = _head_word(doc, t)
        if head is None or relation(frame, head) != BACKGROUND:
            out.append(t)
    return out


__all__ = ["choose", "relation", "forward", "reference", "OWN", "NEARBY", "BACKGROUND"]
