"""What coreference compares of one event mention: its head word and who took part, in words.

Two reports of one happening rarely share their sentences but usually
share the predicate's lemma (or a near synonym) and some of its arguments:
"Israel struck Gaza" and "the Israeli strike on Gaza".  ``describe`` reads
them off the dependency parse of the mention's head token, so it serves both
the product (the head is the trigger of an extracted event) and the ECB+
evaluation (the head of a gold mention span).  It is a pure function of one
parsed sentence.
"""

from __future__ import annotations

from ..model import Clues

# Entity labels whose tokens name a participant, place or organisation.
NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})


def stem(lemma: str) -> str:
    """A crude suffix stripper that makes "shooting"/"shoot" and "dies"/"die" meet.

    spaCy lemmatises headline words and gerunds unevenly ("Checks" stays
    "checks"); stripping a few inflectional endings evens that out.  It
    over-strips ("fire" -> "fir"), which does no harm to a key that is only
    ever compared with other keys made the same way.
    """
    w = lemma.lower()
    for suffix in ("ings", "ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[:-len(suffix)]
    return w


def is_stop(tok) -> bool:
    """A stop word, in lower case only: spaCy's list is case-blind, and "US" is no "us"."""
    return tok.is_stop and not tok.is_upper


def pobjs(tok, prepositions: tuple[str, ...]) -> list:
    """The objects of the prepositions hung on ``tok`` ("the attack by Russia on Kharkiv")."""
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in prepositions
            for g in c.children if g.dep_ == "pobj"]


def describe(head, inside: set[int] | None = None, also=()) -> Clues:
    """Clues of the mention headed by spaCy token ``head``.

    ``inside`` holds the mention's own token indices; ``also`` are other
    tokens of its clause that name the same act (the clause's verb, an event
    noun as its subject: "a missile strike killed 21"), so that a report
    saying "struck ... killing 21" meets it through either word.
    """
    inside = inside if inside is not None else {head.i}
    names = frozenset(t.lemma_.lower() for t in head.sent
                      if t.i not in inside and not is_stop(t) and not t.is_punct
                      and (t.ent_type_ in NAMED or t.pos_ == "PROPN"))
    agents, patients, others = _arguments(head)
    lemma = (head.lemma_ or head.text).lower()
    more = frozenset((t.lemma_ or t.text).lower() for t in also) - {lemma}
    return Clues(lemma, agents, patients, others, names, more)


def _words(tok) -> set[str]:
    """The content words a participant stands for: a whole name, or a noun with its compounds."""
    if tok.pos_ in ("PRON", "DET") or is_stop(tok):
        return set()  # "he" may be anyone
    for ent in tok.sent.ents:
        if ent.start <= tok.i < ent.end:
            return {t.lemma_.lower() for t in ent if not is_stop(t) and not t.is_punct}
    return {tok.lemma_.lower()} | {c.lemma_.lower() for c in tok.children if c.dep_ == "compound"}


def _arguments(head) -> tuple[frozenset, frozenset, frozenset]:
    """Content words of the head's subject, object and prepositional objects.

    A name stands for all its words ("Maurice Cheeks" gives "maurice" and
    "cheeks", so a later "Cheeks" matches).  A verb without a subject of
    its own takes the one of the verb it is coordinated with ("fired
    O'Brien and hired Cheeks"), and a participle modifying a noun takes that
    noun ("the man killed").
    """
    agents, patients, others = set(), set(), set()
    for c in head.children:
        if c.dep_ in ("nsubj", "csubj") or (c.dep_ == "poss" and head.pos_ == "NOUN"):
            agents |= _words(c)
        elif c.dep_ == "agent":
            agents |= set().union(*(_words(g) for g in c.children if g.dep_ == "pobj"))
        elif c.dep_ in ("nsubjpass", "dobj", "obj", "dative", "attr", "oprd"):
            patients |= _words(c)
        elif c.dep_ == "prep":
            others |= set().union(*(_words(g) for g in c.children if g.dep_ == "pobj"))
    if not agents and head.dep_ in ("conj", "xcomp", "advcl"):
        for c in head.head.children:
            if c.dep_ == "nsubj":
                agents |= _words(c)
    if head.dep_ in ("acl", "relcl"):
        (patients if head.tag_ == "VBN" else agents).update(_words(head.head))
    return frozenset(agents), frozenset(patients), frozenset(others)
