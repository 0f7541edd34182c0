"""Who "he", "the company" and "the Russian minister" are, within one article.

A news article names an actor once and then refers back to it: by a pronoun
("He said ..."), by a description ("The secretary stated ...", "the alliance
has said"), or by a nationality and a title ("The Russian minister assured
...").  This module finds the actor each such phrase refers to, looking only
at the same article, and says nothing when no referent is clear.

- A pronoun subject ("he", "she", "it", "they") takes the subject of the
  clause that governs it in its sentence ("Dibb said he did not agree"),
  else the main subject of the previous sentence, when that subject is an
  actor of a kind the pronoun can stand for.  "He" and "she" may also take
  the person last named in the same or the previous sentence (outside a
  quote, never one named inside someone's quoted words), and after a
  subject that is someone's words or deeds ("The Pope's comments this week
  mark ... He had raised eyebrows") that someone.  A subject
  that is no actor ("The drone hit a house. It ...") blocks the search: the
  pronoun refers to it, not to an actor named earlier.  An "it" that stands
  for no one ("it is clear that", "it was reported that") is left alone.
  "According to him" and "by them" are read as "he said" and "they did".
- A description is a definite noun phrase ("the company", "the Russian
  minister", "Kyiv's ministry") or a bare plural ("officials") headed by a
  referring word (``storyline/data/referring_words.tsv``).  It takes the
  most recent earlier actor of its kind whose name, aliases, written title
  or registry offices held on the sentence's date hold the noun ("the
  secretary" -> Antony Blinken, Secretary of State), limited to the state
  its modifier names ("Russian", "of Estonia", "Ukraine's").  A title no
  earlier actor holds goes to the registry: who held that office in that
  state on that date ("the prime minister of Estonia").  "The politician"
  and "the official" (``office_holder`` in annotate_words.tsv) may also be
  the person last seen acting or speaking as a subject outside quotation
  marks, whatever the article called them.  Failing all, a
  subject or passive agent takes the actor of its kind that was the subject
  of the same or the previous sentence ("The Russian tycoon ... wrote"),
  never a state for "officials" and never, for a title, a person whose
  known office is another.  A person described as the subject of one of
  the article's first two sentences, when no one earlier fits, is the
  person named next as a subject (within two sentences) if they are of the
  state the description gives: a news lead names its subject after
  describing it ("Britain's most senior military commander has called on
  ... Adm Sir Tony Radakin said").
- A phrase that describes someone new is no anaphor: one with a complement
  other than a state ("the chairman of the joint chiefs"), a name-like
  compound ("the contact group"), an apposition to a name, a pronoun owner
  ("our army"), or a plural for people ("other Western leaders").

The result is a list of ``EntityMention`` over the referring phrases, each
carrying its referent's id and name; the event stage reads them beside the
entities, and they are not stored as entities of the article.
"""

from __future__ import annotations

import re
from collections import Counter

from ..data import lists, pairs
from ..model import ACTOR_TYPES, EntityMention, Sentence
from .actors import (HEAD_ROLES, LEADER_ROLES, NOT_CURRENT, PRONOUN_GENDER, ROLE_WORDS, Registry, holds,
                     role_keys)
from .arguments import pobjs
from .entities import RUNS_A_STATE as _RUNS_A_STATE, country_code, state_mention
from .plover import SPEECH
from .quotes import quoted_spans, within

# Referring word (a pronoun, or a noun as written or as lemma) -> the kind of actor it stands for.
WORDS: dict[str, str] = pairs("referring_words.tsv")
# The titles of whoever runs a state: what "the leader" may stand for.
_LEADER_TITLES = tuple(t for t, role in ROLE_WORDS.items() if role in LEADER_ROLES)
# He or she, and the honorifics and titles that show which a person is.
_TITLE_GENDER = {"mr": "m", "ms": "f", "mrs": "f", "miss": "f", "madam": "f", "king": "m", "queen": "f",
                 "spokesman": "m", "spokeswoman": "f", "chairwoman": "f", "congresswoman": "f",
                 "congressman": "m", "businessman": "m", "businesswoman": "f", "sir": "m", "dame": "f",
                 "lady": "f", "lord": "m"}
KINDS: dict[str, frozenset[str]] = {
    "person": frozenset({"person"}),
    "title": frozenset({"person"}),
    "organisation": frozenset({"organisation", "government_body"}),
    "government": frozenset({"government_body", "state"}),
    "military": frozenset({"armed_force"}),
    "body": frozenset({"organisation", "government_body", "armed_force", "state"}),
    "group": frozenset({"organisation", "government_body", "armed_force", "state"}),
}
_SUBJECT = ("nsubj", "nsubjpass")
# "It is ready to talk": an adjective said of a doer (storyline/data/annotate_words.tsv).
_AGENT_ADJECTIVES = frozenset(lists("annotate_words.tsv")["agent_adjective"])
# "The politician", "the official": anyone in public life (storyline/data/annotate_words.tsv).
_OFFICE_HOLDER = frozenset(lists("annotate_words.tsv")["office_holder"])
# Words that make up office titles ("prime", "foreign", "defence"), from storyline/data/titles.tsv.
_TITLE_WORDS = frozenset(w for title in ROLE_WORDS for w in title.split())
# How many sentences back "he" or "she" may look for the person last named (quotes run over several).
_BACK = 3
# A news lead may describe its subject and name them only after ("Britain's most senior military commander
# has called on ... Adm Sir Tony Radakin said"): its first sentences, and how many sentences on the name is
# looked for.
_LEAD = 2
_LEAD_REACH = 2
_DEFINITE = {"the", "this", "that", "these", "those"}
# Prepositions whose phrase says when or amid what something happened, never who someone is.
_ADJUNCT = frozenset(lists("annotate_words.tsv")["adjunct_preposition"])
_WORD = re.compile(r"[a-z]+")
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][a-z]+) $")
# An office written right before a name, perhaps with its state: "the Minister of Foreign Affairs Serbia
# Ivica Daczic", "Foreign Minister Ivica Dacic".
_OFFICE_BEFORE = re.compile(r"(?i:\b(" + "|".join(sorted((re.escape(t) for t in ROLE_WORDS), key=len, reverse=True))
                            + r"))(?:,? (?:of )?[A-Z][a-z]+)?,? $")
# The words of each spelling of an office, by its role ("minister of foreign affairs": minister, foreign,
# affairs): a person whose written title holds all of one holds that office.
_OFFICE_WORDS: dict[str, list[frozenset[str]]] = {}
for _title, _role in ROLE_WORDS.items():
    _OFFICE_WORDS.setdefault(_role, []).append(frozenset(_WORD.findall(_title)) - {"of"})


class _Mention:
    """An actor mention with what the search needs: its sentence, head token and whether it is a subject."""

    __slots__ = ("m", "sent", "head", "subject")

    def __init__(self, m: EntityMention, sent: int, head):
        self.m, self.sent, self.head = m, sent, head
        self.subject = head is not None and (_subject_of(head) is not None or _titled(head, m.start))


def _subject_of(tok):
    """The verb a token is the subject of (through "Russian forces", the head of its phrase, or "the
    President of Ukraine Volodymyr Zelensky", the title its name is in apposition to), or None."""
    node = tok
    for _ in range(3):
        if node.dep_ in _SUBJECT:
            return node.head
        if node.dep_ not in ("compound", "amod", "poss", "appos") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _titled(tok, start: int) -> bool:
    """A name closing the subject "the head of Russian diplomacy Sergei Lavrov" or "the spokesman of the
    Kremlin Dmitry Peskov", which the parser hangs on the "of" after the title: the name (its mention
    starting at ``start``), not the title's organisation, is who the subject is.  Not "the wife of
    Putin" (no title) nor "the spokesman of Putin" (no words between "of" and the name)."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "of" or tok.pos_ != "PROPN":
        return False
    title = prep.head
    words = {title.lower_, title.lemma_.lower()}
    if title.dep_ not in _SUBJECT or not (words & _TITLE_WORDS or words & _HEAD_NOUNS
                                          or any(WORDS.get(w) in ("person", "title") for w in words)):
        return False
    return any(t.idx < start and t.pos_ in ("PROPN", "NOUN", "ADJ") for t in tok.subtree)


def _expletive(tok) -> bool:
    """"It was reported that ...", "it is likely that ...": an "it" that stands for no one."""
    if tok.lower_ != "it":
        return False
    verb = tok.head
    if any(c.dep_ == "acomp" and c.lower_ in _AGENT_ADJECTIVES and any(g.dep_ == "xcomp" for g in c.children)
           for c in verb.children):
        return False  # "it is ready to hold talks": the "it" that will hold them
    if verb.lemma_ in ("be", "seem", "appear") or verb.lower_ in ("'s", "’s") or verb.pos_ in ("ADJ", "NOUN"):
        return True  # "it is clear", "it's a lie"
    # "It was reported that ...", "it is gratifying that ...": the clause after it is the subject.
    return (tok.dep_ == "nsubjpass" or verb.tag_ == "VBG" and any(c.lemma_ == "be" for c in verb.children)) and \
        any(c.dep_ in ("ccomp", "csubj") and any(g.dep_ == "mark" for g in c.children) for c in verb.children)


def _the(tok) -> bool:
    """A capitalised title with a definite article: "The French President"."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


def _owned(tok) -> bool:
    """A capitalised title with a named owner: "Ukraine's Foreign Minister"."""
    return any(c.dep_ == "poss" and c.pos_ == "PROPN" for c in tok.children)


# Nouns that name whoever leads an organisation they are said of.
_HEAD_NOUNS = frozenset({"head", "chief", "leader", "boss"})


def _argument(tok) -> bool:
    """Whether a phrase is a clause's subject, its passive agent ("by the company") or the one a clause
    is told by ("according to the minister", which says what "the minister said" says)."""
    return tok.dep_ in _SUBJECT or tok.dep_ == "pobj" and (tok.head.dep_ == "agent" or tok.head.lower_ == "to"
                                                            and tok.head.head.lower_ == "according")


def _names(words: set[str], noun: set[str], office: set[str]) -> bool:
    """Whether an actor called by ``words`` (names, titles, offices) is what a description's head ``noun``
    and office words ``office`` say: "the Polish leader" is whoever is called its president, prime
    minister, chancellor or monarch."""
    leads = "leader" in noun and any(set(t.split()) <= words for t in _LEADER_TITLES)
    return (bool(noun & words) or leads) and office <= words


class _Resolver:
    def __init__(self, sentences: list[Sentence], parsed, entities: list[EntityMention], registry: Registry,
                 dates: list[str | None]):
        self.sentences, self.parsed, self.reg, self.dates = sentences, parsed, registry, dates
        self.sent_of = [0] * len(parsed)
        k = 0
        for tok in parsed:
            while k + 1 < len(sentences) and tok.idx >= sentences[k + 1].start:
                k += 1
            self.sent_of[tok.i] = k
        self.covered: set[int] = set()
        self.places: set[int] = set()  # tokens of named places
        self.known: list[_Mention] = []  # in text order
        self._ranks: dict[int, str] = {}  # mention start -> the title written before it (_rank)
        for m in entities:
            span = parsed.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            if m.type not in ACTOR_TYPES:
                self.places.update(range(span.start, span.end))
                continue
            self.covered.update(range(span.start, span.end))
            self.known.append(_Mention(m, self.sent_of[span.start], span.root))
        self.known.sort(key=lambda k: k.m.start)
        self.gender = self._genders()
        self.quoted = quoted_spans(parsed.text)  # someone's words, not the article's own

    # -- what an actor is called --------------------------------------------
    def _words(self, m: EntityMention, date: str | None, written: bool = False) -> set[str]:
        """Every word of an actor's name, aliases, written title and offices held on ``date``, in lower case
        (with ``written``, only what the article writes: name and title)."""
        names = [m.name, m.text, m.title or "", self._rank(m)]
        actor = None if written else self.reg.actors.get(m.entity_id)
        if actor is not None:
            names += actor.aliases + [r.title for r in actor.roles if date is None or holds(r, date)]
        return set(_WORD.findall(" ".join(names).lower()))

    def _rank(self, m: EntityMention) -> str:
        """A title written right before a name that the registry's offices do not hold ("General Robert
        Brieger", "Analyst Jan Nowak"): the word later descriptions may call the person by.  Read once
        per mention."""
        if m.start not in self._ranks:
            before = self.parsed.text[max(0, m.start - 60):m.start]
            office = _OFFICE_BEFORE.search(before)
            if office:
                self._ranks[m.start] = office.group(1).lower()
            else:
                found = _CAPITALISED_BEFORE.search(before)
                word = found.group(1).lower() if found else ""
                self._ranks[m.start] = word if WORDS.get(word) in ("title", "person") else ""
        return self._ranks[m.start]

    # -- the search -----------------------------------------------------------
    def _called(self, m: EntityMention, date: str | None, noun: set[str], office: set[str],
                written: bool = False) -> bool:
        return _names(self._words(m, date, written), noun, office)

    def _held(self, m: EntityMention, date: str | None, noun: set[str], office: set[str]) -> bool:
        """Whether the registry has a person in an office called so that ended before ``date`` and holds
        no office called so on it (Kwasniewski, president of Poland until 2005, is "the former president")."""
        actor = self.reg.actors.get(m.entity_id)
        past = [r.title for r in actor.roles if r.end and r.end < date and not holds(r, date)] \
            if actor is not None and date is not None else []
        return bool(past) and _names(set(_WORD.findall(" ".join(past).lower())), noun, office) and \
            not self._called(m, date, noun, office)

    def before(self, tok, back: int | None) -> list[_Mention]:
        """Actor mentions that end before ``tok``, in its sentence or the ``back`` sentences before
        (the whole article before it when None), most recent first."""
        k = self.sent_of[tok.i]
        low = 0 if back is None else k - back
        return [c for c in reversed(self.known) if c.m.end <= tok.idx and low <= c.sent <= k]

    def pronoun(self, tok, kind: str) -> _Mention | None:
        types = KINDS[kind]
        for subj in self._antecedent_subjects(tok):
            found = [c for c in self.known if c.head is not None and c.head.i == subj.i]
            if found:
                if found[0].m.type in types and self._may_be(found[0], tok):
                    return found[0]
                # "Zelensky said that if Russia won, it could invade Poland": "it" is no person; the
                # nearest subject before it in the sentence that fits takes it.
                # ("They" is left alone: it speaks of many, often not of any one actor named.)
                if kind == "person":
                    return self._person(tok)
                return self._nearer_subject(tok, types) if tok.lower_ == "it" else None
            if kind == "person" and subj.pos_ == "PROPN":
                named = self._surname(subj)
                if named is not None and self._may_be(named, tok):
                    return named  # "Dibb said he ...": the surname of a person named in full before
            named = self._apposed(subj) if kind == "person" else None
            if named is not None and self._may_be(named, tok):
                return named  # "The spokesman for the air force, Yuriy Ihnat, said ... He added"
            owner = self._owner(subj) if kind == "person" else None
            if owner is not None and self._may_be(owner, tok):
                return owner  # "The Pope's comments this week mark ... He had raised eyebrows"
            # A subject that names no actor: "it" and "they" refer to it ("The drone hit a house. It
            # ..."), and so do "he" and "she" when it is someone ("The former Polish leader said he ...",
            # "Taranenko says ... He adds").
            if kind != "person" or subj.pos_ == "PROPN" and subj.i not in self.places \
                    or WORDS.get(subj.lemma_.lower()) in ("person", "title"):
                return None
            break
        return self._person(tok) if kind == "person" else None

    def _apposed(self, subj) -> _Mention | None:
        """The person an apposition names beside a subject that is a title ("the spokesman for the air
        force, Yuriy Ihnat"); the parser may hang it on the title's complement instead."""
        if WORDS.get(subj.lemma_.lower()) not in ("person", "title"):
            return None
        heads = [subj] + [g for p in subj.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
        return next(filter(None, (self._covering(c, ("person",)) for h in heads for c in h.children
                                  if c.dep_ == "appos")), None)

    def _owner(self, subj) -> _Mention | None:
        """The person whose words or deeds a subject that is no one names ("The Pope's comments", "Putin's
        decision"): the salient one a pronoun after it continues."""
        if subj.pos_ != "NOUN" or WORDS.get(subj.lemma_.lower()) is not None:
            return None
        owners = [c for c in subj.children if c.dep_ == "poss"]
        return next((c for c in self.known if c.head is not None and c.m.type == "person"
                     and any(c.head.i == o.i for o in owners)), None)

    def _nearer_subject(self, tok, types) -> _Mention | None:
        """The actor named by the subject nearest before ``tok`` in its sentence whose type fits."""
        for c in sorted(self.known, key=lambda c: -c.m.start):
            if c.head is not None and c.subject and c.head.i < tok.i and c.sent == self.sent_of[tok.i]:
                if c.m.type in types:
                    return c
        return None

    def _surname(self, tok) -> _Mention | None:
        """The person named earlier in full whose surname ``tok`` is, when only one is."""
        found = {c.m.entity_id: c for c in self.known
                 if c.m.type == "person" and c.m.start < tok.idx and c.m.name.split()[-1] == tok.text}
        return next(iter(found.values())) if len(found) == 1 else None

    def _person(self, tok) -> _Mention | None:
        """The person "he" or "she" most likely means: the last one named in its sentence, else the last
        subject person of the sentences before, else the last person named there."""
        people = [c for c in self.before(tok, _BACK) if c.m.type == "person" and self._may_be(c, tok)]
        if not within(self.quoted, tok.idx):
            # In the article's own words, "he" is no one named inside someone's quoted words: "- ... push
            # Vladimir Zelensky to continue the fighting - he added" is the speaker.
            people = [c for c in people if not within(self.quoted, c.m.start)]
        return next((c for c in people if c.sent == self.sent_of[tok.i] or c.subject), people[0] if people else None)

    # -- he or she ------------------------------------------------------------
    def _may_be(self, c: _Mention, pronoun) -> bool:
        """Whether "he" or "she" may stand for the person ``c``: not when the article shows them the other,
        nor, failing that, the registry."""
        want = PRONOUN_GENDER.get(pronoun.lower_)
        actor = self.reg.actors.get(c.m.entity_id)
        have = self.gender.get(c.m.entity_id) or (actor.gender if actor is not None else None)
        return want is None or have is None or want == have

    def _genders(self) -> dict[str, str]:
        """What the article itself shows of each person: an honorific before the name ("Ms Kallas"), a
        gendered title ("spokeswoman"), or "he"/"she" as the subject of words the person is said to have
        said ("Kallas said she ..."); a person shown both ways is left unknown."""
        seen: dict[str, set[str]] = {}
        for c in self.known:
            if c.m.type != "person" or c.head is None:
                continue
            span = self.parsed.char_span(c.m.start, c.m.end, alignment_mode="expand")
            before = self.parsed[span.start - 1].lower_.rstrip(".") if span is not None and span.start else ""
            first = c.m.text.split()[0] if c.m.text else ""  # "Ms Hanicka" as one name
            words = set(_WORD.findall(f"{c.m.title or ''} {first}".lower())) | {before}
            shown = {_TITLE_GENDER[w] for w in words if w in _TITLE_GENDER}
            verb = c.head.head if c.head.dep_ == "nsubj" else None
            if verb is not None and verb.lemma_.lower() in SPEECH:
                shown |= {PRONOUN_GENDER[t.lower_] for x in verb.children if x.dep_ == "ccomp"
                          for t in x.children if t.dep_ in _SUBJECT and t.lower_ in ("he", "she")}
            seen.setdefault(c.m.entity_id, set()).update(shown)
        return {e: g.pop() for e, g in seen.items() if len(g) == 1}

    def _antecedent_subjects(self, tok):
        """The subjects a pronoun most likely continues: that of a clause above it in its sentence
        ("Ukraine has said it is hoping"), then the main subject of the previous sentence."""
        verb = tok.head
        while verb.head.i != verb.i:
            verb = verb.head
            subj = [c for c in verb.children if c.dep_ in _SUBJECT and c.i < tok.i]
            if subj:
                yield subj[0]
                return
        k = self.sent_of[tok.i]
        if k == 0:
            return
        prev = self.sentences[k - 1]
        span = self.parsed.char_span(prev.start, prev.end, alignment_mode="expand")
        if span is None:
            return
        subj = [c for c in span.root.children if c.dep_ in _SUBJECT]
        if subj:
            yield subj[0]

    def description(self, tok, kind: str) -> _Mention | EntityMention | None:
        types = KINDS[kind]
        # The phrase without its clauses: "The Russian tycoon, who founded Tinkoff Bank, wrote ..."
        inside = {t.i for t in tok.subtree} - {t.i for c in tok.children if c.dep_ in ("relcl", "acl")
                                               for t in c.subtree}
        country, title, state = None, [tok.lower_], None
        for c in self.known:
            if c.head is not None and c.head.i in inside:
                if c.m.type == "person" and kind == "government" and tok.lemma_.lower() in _RUNS_A_STATE \
                        and c.m.country and c.head.i < tok.i:
                    return state_mention(self.reg, c.m.country)  # "the Biden administration": his state's
                if c.m.type != "state":
                    return None  # the phrase names its actor itself ("the Russian president, Vladimir Putin")
                country = country or c.m.country  # "the Russian minister", "the prime minister of Estonia"
                state = state or c
        for c in tok.children:  # a state the entity stage left unnamed: "the top US diplomat"
            if country is None and c.dep_ in ("compound", "amod") and c.i not in self.covered:
                country = country_code(c.text)
        title = [t.lower_ for t in tok.children if t.dep_ in ("compound", "amod") and t.i < tok.i
                 and t.i not in self.covered and not country_code(t.text)] + title  # "prime minister"
        if not self._refers(tok, kind, " ".join(title)):
            return None
        # The words of an office the phrase gives must all be the referent's: "the foreign minister" is
        # not the prime minister, "the military civil administration" not the presidential one.
        office = {w for w in title[:-1] if w in _TITLE_WORDS or kind == "government"}
        noun = {tok.lower_, tok.lemma_.lower()}
        fits = [c for c in self.before(tok, None) if c.m.type in types
                and (country is None or c.m.country in (None, country) and c.m.type != "state")]
        date = self.dates[self.sent_of[tok.i]]
        former = any(c.lower_ in NOT_CURRENT for c in tok.children)
        if former:  # "the former Polish leader": only someone the article calls a former one, or who
            # held the office only before the sentence's date by the registry
            named = [c for c in fits if c.m.title and NOT_CURRENT & set(_WORD.findall(c.m.title.lower()))
                     and self._called(c.m, None, noun, office, written=True) or self._held(c.m, date, noun, office)]
        else:
            # "The politician" may be any person the article has had acting or speaking, whatever it
            # called them before: the most recent one (in the article's own words, not in a quote).
            anyone = kind == "person" and not office and noun & _OFFICE_HOLDER
            named = [c for c in fits if self._called(c.m, date, noun, office)
                     or anyone and c.m.type == "person" and c.subject
                     and not within(self.quoted, c.m.start)]
        if named:
            return named[0]
        if kind == "title" and country is not None and not former:  # "the former minister" is not in office
            holder = self._holder(tok, " ".join(title), country)
            if holder is not None:
                return holder
        if kind in ("person", "title") and not former and country is not None \
                and self.sent_of[tok.i] < _LEAD and _subject_of(tok) is not None:
            later = self._introduced(tok, country)
            if later is not None:
                return later
        if not _argument(tok):
            return None
        near = [c for c in fits if c.sent >= self.sent_of[tok.i] - 1 and c.subject
                and c.m.type != "state"  # "officials" are a government's people, not any state just named
                and not (kind == "title" and self._offices(c.m, date))]  # "Germany's ambassador" is no chancellor
        if near:
            return near[0]
        if kind == "government" and tok.lemma_.lower() in _RUNS_A_STATE:
            return state or self._governed(tok, country)
        return None

    def _introduced(self, tok, country: str) -> _Mention | None:
        """Delayed identification in a news lead ("Britain's most senior military commander has called on
        the US to ... Adm Sir Tony Radakin said ..."): the first person named as a subject in the next
        sentences, when they are of the description's state (anyone else, or no one, is no referent)."""
        k = self.sent_of[tok.i]
        for c in self.known:
            if c.sent <= k or c.m.type != "person" or not c.subject:
                continue
            if c.sent > k + _LEAD_REACH:
                break
            return c if c.m.country == country else None
        return None

    def _governed(self, tok, country: str | None) -> _Mention | None:
        """The state whose government "the government" or "the authorities" is, when the phrase names
        no state of its own: one of the state its modifier gives ("the Slovak government"), else the one
        the article has named most so far, if one leads (an article about Belarus: "The government has
        arrested ...")."""
        states = [c for c in self.before(tok, None) if c.m.type == "state"]
        if country is not None:
            return next((c for c in states if c.m.country == country), None)
        counts = Counter(c.m.entity_id for c in states).most_common(2)
        if not counts or counts[0][1] < 2 or len(counts) == 2 and counts[1][1] == counts[0][1]:
            return None
        return next(c for c in states if c.m.entity_id == counts[0][0])

    def periphrasis(self, tok):
        """An office said the long way, "the head of British diplomacy", "the head of the German
        government": the registry's holder of that office in that state on the sentence's date, with the
        phrase's last token; None when the phrase names no such office, no state or no single holder."""
        for g in pobjs(tok, ("of",)):
            title = f"head of {g.lemma_.lower()}"
            if title not in ROLE_WORDS:
                continue
            inside = {t.i for t in g.subtree}
            states = {c.m.country for c in self.known if c.head is not None and c.head.i in inside
                      and c.m.type == "state" and c.m.country}
            states |= {country_code(c.text) for c in g.children if c.dep_ in ("amod", "compound")} - {None}
            if len(states) == 1:
                holder = self._holder(tok, title, states.pop())
            elif not states:  # "the head of diplomacy": the foreign minister the article last named
                holder = self._office_holder(tok, ROLE_WORDS[title])
            else:
                holder = None
            return (holder, g.right_edge) if holder is not None else None
        return None

    def long_title(self, tok):
        """An office whose title runs through "of", with its state: "the Minister of Foreign Affairs of
        Russia", "the Secretary of State of the USA", "the US Secretary of Defense": the registry's holder
        of that office in that state on the sentence's date, with the phrase's last token; None when the
        words are no title the registry knows, or no one holds it."""
        date = self.dates[self.sent_of[tok.i]]
        if date is None:
            return None
        country, words = None, [tok.lower_]
        for c in (c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i):
            code = self._state_code(c) or country_code(c.text)
            if code:
                country = country or code
            else:
                words.insert(len(words) - 1, c.lower_)
        last, todo = tok, list(pobjs(tok, ("of",)))  # the parser hangs "of the USA" on the title or on "State"
        while todo:
            of = todo.pop(0)
            code = self._state_code(of)
            if code:
                country, last = country or code, max(last, of.right_edge, key=lambda t: t.i)
                break
            words += ["of", *(c.lower_ for c in of.children if c.dep_ in ("compound", "amod") and c.i < of.i),
                      of.lower_]
            last = max(last, of, key=lambda t: t.i)
            todo = list(pobjs(of, ("of",))) + todo
        title = " ".join(words)
        if "of" not in words or title not in ROLE_WORDS:
            return None
        # With no state, the holder of that office the article last named ("Sergei Lavrov ... The Minister
        # of Foreign Affairs said"), as for "the head of diplomacy".
        holder = self._holder(tok, title, country) if country else self._office_holder(tok, ROLE_WORDS[title])
        return (holder, last) if holder is not None else None

    def _state_code(self, tok) -> str | None:
        """The country code of the state a named mention covering ``tok`` is, if it is one."""
        state = self._covering(tok, ("state",))
        return state.m.country if state is not None else None

    def _covering(self, tok, types) -> _Mention | None:
        """The named actor of one of ``types`` whose mention covers ``tok``."""
        return next((k for k in self.known if k.m.type in types and k.m.start <= tok.idx < k.m.end), None)

    def organisation_head(self, tok):
        """Who leads the organisation a head noun names ("the Pentagon chief", "NATO's chief", "the head of
        the EC"): the registry's holder of its leading office on the sentence's date, with the phrase's
        last token; None when the phrase names no organisation or the registry no single holder."""
        date = self.dates[self.sent_of[tok.i]]
        if date is None:
            return None
        named = [(c, tok) for c in tok.children if c.dep_ in ("compound", "poss", "nmod") and c.i < tok.i]
        named += [(g, g.right_edge) for g in pobjs(tok, ("of",))]
        for word, last in named:
            org = self._covering(word, ("organisation", "government_body"))
            if org is None:
                continue
            actor = self.reg.head_of(org.m.entity_id, date)
            return (self._as_mention(actor), last) if actor is not None else None
        return None

    def organisation_office(self, tok):
        """Who holds the office a title names in the organisation named before it ("the Kremlin spokesman",
        "the Nato secretary general"), by the registry on the sentence's date, with the phrase's last token;
        None when the phrase names no organisation, the title no office or the registry no single holder."""
        date = self.dates[self.sent_of[tok.i]]
        if date is None:
            return None
        before = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i]
        first = next((t for t in tok.subtree if t.dep_ != "det"), tok)
        if first.i < tok.i:  # "the State Department spokesperson" after "a State Department spokesperson said"
            said = self.parsed.text[first.idx:tok.idx + len(tok.text)]
            if re.search(r"(?i)\ban? " + re.escape(said) + r"\b", self.parsed.text[:first.idx]):
                return None  # is that unnamed one
        words = [c for c in before if c.i not in self.covered]
        role = ROLE_WORDS.get(" ".join([c.lower_ for c in words] + [tok.lower_])) or ROLE_WORDS.get(tok.lower_)
        if role is None:
            return None
        for word in before:
            org = self._covering(word, ("organisation", "government_body"))
            if org is not None:
                actor = self.reg.office_of(org.m.entity_id, role, date)
                return (self._as_mention(actor), tok) if actor is not None else None
        return None

    def _office_holder(self, tok, role: str) -> _Mention | None:
        """The person named before ``tok`` most recently whose written title names ``role``, or who held it
        on the sentence's date by the registry."""
        date = self.dates[self.sent_of[tok.i]]
        keys = role_keys(role)
        for c in self.before(tok, None):
            if c.m.type != "person":
                continue
            written = self._words(c.m, date, written=True)
            if any(words <= written for words in _OFFICE_WORDS.get(role, ())):
                return c
            actor = self.reg.actors.get(c.m.entity_id)
            if actor is not None and date is not None and any(r.role in keys and holds(r, date) for r in actor.roles):
                return c
        return None

    def homeland(self, tok) -> EntityMention | None:
        """"His country", "her country": the state of the person the pronoun stands for, when the article
        or the registry gives one."""
        owner = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
        person = self.pronoun(owner, "person") if owner is not None else None
        code = person.m.country if person is not None else None
        return state_mention(self.reg, code) if code else None

    def _offices(self, m: EntityMention, date: str | None) -> bool:
        """Whether the article or the registry gives a person an office (whose words did not match)."""
        actor = self.reg.actors.get(m.entity_id)
        return bool(m.title) or actor is not None and any(date is None or holds(r, date) for r in actor.roles)

    def _refers(self, tok, kind: str, title: str) -> bool:
        """Whether a noun phrase refers back rather than describing someone new.

        "The chairman of the joint chiefs", "the contact group" and "other Western leaders" carry
        their own description (a complement, a name-like compound, a quantifier): they are not
        anaphors.  A plural refers back only as a government's people ("officials", "the
        authorities"), never to one person.
        """
        plural = tok.tag_ in ("NNS", "NNPS")
        if plural and kind != "government":
            return False
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ == "PRON":
                return False  # "our army", "his administration": whose, the pronoun would have to say
            if c.dep_ == "prep" and c.lower_ not in _ADJUNCT:
                # "the prime minister of Estonia", "the Ukrainian ambassador to Poland"; not "the US Vice
                # President during her speech", a phrase about the act the parser hung on its doer.
                if not any(g.dep_ == "pobj" and self._state(g) for g in c.children):
                    return False
            elif c.dep_ == "compound" and c.i not in self.covered and title not in ROLE_WORDS \
                    and not country_code(c.text):
                return False
            elif c.dep_ in ("amod", "compound", "nummod", "det") and plural and c.i not in self.covered \
                    and c.lower_ not in _DEFINITE:
                return False
        return True

    def _state(self, tok) -> bool:
        return any(c.head is not None and c.head.i == tok.i and c.m.type == "state" for c in self.known)

    def _holder(self, tok, title: str, country: str) -> EntityMention | None:
        role = ROLE_WORDS.get(title) or ROLE_WORDS.get(tok.lower_)
        date = self.dates[self.sent_of[tok.i]]
        if role is None or date is None:
            return None
        actor = self.reg.holder(role, country, date)
        return self._as_mention(actor) if actor is not None else None

    def _as_mention(self, actor) -> EntityMention:
        """A registry actor as the referent of a phrase that does not name it."""
        return EntityMention(0, 0, "", actor.id, actor.name, actor.type, self.reg.country(actor.id))

    def run(self) -> list[EntityMention]:
        out: list[EntityMention] = []
        for tok in self.parsed:
            if tok.i in self.covered:
                continue
            key = tok.lower_ if tok.lower_ in WORDS else tok.lemma_.lower()
            kind = WORDS.get(key)
            start = end = tok
            # A head noun, or a title of an office that leads what it is of ("the President of the European
            # Commission"), with an organisation named.
            heads = tok.lemma_.lower() in _HEAD_NOUNS or ROLE_WORDS.get(tok.lower_) in HEAD_ROLES
            # A title whose apposition names its holder ("The head of the UN human rights office in Ukraine,
            # Matilda Bogner, said") is that person, whoever the registry says holds a like office.
            named_beside = (heads or tok.pos_ == "NOUN") and any(c.dep_ == "appos" and c.pos_ == "PROPN"
                                                                  for c in tok.children)
            led = self.organisation_head(tok) if heads and tok.pos_ in ("NOUN", "PROPN") and not named_beside \
                and tok.dep_ not in ("compound", "appos") else None  # not "UN chief Guterres"
            if led is None and tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "appos") and self._definite(tok) \
                    and not named_beside:
                led = self.organisation_office(tok)  # "the Kremlin spokesman"; "a spokesperson" is no one named
            if led is not None:  # "the Pentagon chief", "the head of NATO", "the EC's head"
                got, end = led
                start = tok.left_edge
            elif kind is None and tok.lower_ == "head":  # "the head of British diplomacy"
                long_way = self.periphrasis(tok)
                if long_way is None:
                    continue
                got, end = long_way
                start = tok.left_edge
            elif kind is None and tok.lemma_.lower() == "country":  # "Colonna stated that her country ..."
                got = self.homeland(tok)
                if got is None:
                    continue
                start = tok.left_edge
            elif kind is None:
                continue
            elif tok.pos_ == "PRON":
                if not (tok.lower_ in WORDS if tok.dep_ in _SUBJECT else _argument(tok) and key in WORDS) \
                        or _expletive(tok):
                    continue  # "he said"; and "according to him" or "by them", which tell who says or does
                got = self.pronoun(tok, kind)
            elif (tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and (_the(tok) or _owned(tok))) \
                    and tok.dep_ not in ("compound", "appos") \
                    and self._definite(tok) and kind in (
                    "person", "title", "organisation", "government", "military"):
                long_way = self.long_title(tok) if kind == "title" else None
                if long_way is not None:  # "the Minister of Foreign Affairs of Russia"
                    got, end = long_way
                else:
                    got = self.description(tok, kind)
                start = tok.left_edge
            else:
                continue
            if got is None:
                continue
            m = got.m if isinstance(got, _Mention) else got
            stop = end.idx + len(end.text)
            ref = EntityMention(start.idx, stop, self.parsed.text[start.idx:stop], m.entity_id, m.name, m.type, m.country)
            out.append(ref)
            span = self.parsed[start.i:end.i + 1]
            # Later pronouns and descriptions may refer back through this one.
            self.known.append(_Mention(ref, self.sent_of[tok.i], tok))
            self.known.sort(key=lambda k: k.m.start)
            self.covered.update(range(span.start, span.end))
        return out

    @staticmethod
    def _definite(tok) -> bool:
        """"the company", "Kyiv's ministry", or a bare plural ("officials")."""
        dets = [c for c in tok.children if c.dep_ == "det"]
        if any(c.dep_ == "poss" for c in tok.children):
            return True
        if dets:
            return dets[0].lower_ in _DEFINITE
        return tok.tag_ in ("NNS",)


def resolve(sentences: list[Sentence], parsed, entities: list[EntityMention], registry: Registry,
            dates: list[str | None]) -> list[EntityMention]:
    """The referring phrases of one document with the actor each refers to, in text order.

    ``dates`` gives, per sentence, the date it describes (for titles looked
    up in the registry), as ``entities.sentence_dates`` computes it.
    """
    if not sentences or parsed is None:
        return []
    return sorted(_Resolver(sentences, parsed, entities, registry, dates).run(), key=lambda m: m.start)


__all__ = ["resolve", "WORDS"]
