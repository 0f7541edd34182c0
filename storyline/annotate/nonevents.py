"""Which typed clauses are not events: the writer's voice, generic background, boilerplate, questions.

An event is a concrete happening, decision, action or statement by an
identifiable actor.  A clause the PLOVER lexicon types can still be none of
these: "A Russian invasion could disrupt supplies" is the writer's
prediction, "Others worry about Russia's role" is opinion with no one to
name, "Sign up to our newsletter" is page furniture and "What's behind the
crisis?" asks instead of telling.  ``reason`` says which of those a clause
is, by the definition, from what the parse shows (vocabularies in
``storyline/data/nonevent_cues.tsv``):

- boilerplate: page furniture (a prompt to subscribe, a related-link or
  video label) in the clause, above it, or beside a clause naming no actor;
  or a heading in capitals;
- question: the clause lies in the stretch a question mark closes;
- quote-fragment: a sentence all in quotation marks with no speaker named
  in it, whose clause is not a past act ("We condemn ..." by the speaker
  is kept: saying it is the act);
- commentary, in the writer's own voice (never inside quotation marks): an
  "if" clause; "must"/"should"; a hedge or modal ("could", "probably",
  "is likely to") on a subject that is not an actor; an undated "will" on
  such a subject ("The coming weeks will decide ...");
- generic: speech by no one in particular ("many", "some analysts", "80%
  of those polled"); an undated present-tense clause whose subject names no
  actor; a present-tense "is" of description ("Ukraine is only the first
  battle of that conflict").

A clause that a named source says, claims or warns of is that source's
statement and is kept whatever its modality ("Russia could face sanctions,
the EU said on Monday").  ``main_act`` keeps a sentence whose main clause is
an act by a named actor even when the clauses the lexicon typed are only
background to it.
"""

from __future__ import annotations

import re

from ..data import table
from .plover import SPEECH, Frame
from .quotes import within

# The reasons a clause is not an event; "no-speaker" is given by the event stage itself to reported
# speech whose speaker the actor stage could not name.
REASONS = ("boilerplate", "question", "commentary", "generic", "quote-fragment", "no-speaker")


def _cues() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n, fields in table("nonevent_cues.tsv"):
        if len(fields) != 2:
            raise ValueError(f"nonevent_cues.tsv line {n}: expected kind<TAB>words")
        kind, words = fields
        out.setdefault(kind, set()).update(w.replace("_", " ") for w in words.split())
    return out


_CUES = _cues()
_FURNITURE = re.compile(r"(?<![\w])(?:" + "|".join(sorted((re.escape(p) for p in _CUES["boilerplate"]),
                                                         key=len, reverse=True)) + r")(?![\w])", re.I)
_HEDGE_AUX = _CUES["hedge_aux"]
_HEDGE_ADV = _CUES["hedge_adv"]
_GENERIC_NOUNS = _CUES["generic_subject"]
_GENERIC_DETS = _CUES["generic_det"]
_OPINION = _CUES["opinion_verb"]
_HABITUAL = _CUES["habitual_adv"]
_AGENTS = _CUES["agent_noun"]
_PEOPLE = _CUES["anyone"]
_DEONTIC = _CUES["deontic_aux"]
_SHARES = _CUES["share"]


def _subject_tokens(verb) -> list:
    """The clause's subjects with their conjuncts, or those of the clause it depends on ("is likely
    to reinforce", "are set to meet"); a relative pronoun stands for the noun it follows."""
    node = verb
    for _ in range(5):
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj")]
        if subj:
            out = []
            for t in subj:
                if t.tag_ in ("WDT", "WP") and node.dep_ == "relcl":
                    t = node.head
                out += [t] + list(t.conjuncts)
            return out
        if node.dep_ not in ("xcomp", "conj", "advcl", "acomp") or node.head.i == node.i:
            return []
        node = node.head
    return []


def _is_actor(tok, actor_spans: list[tuple[int, int]]) -> bool:
    """Whether a subject names an identifiable actor: its head word lies in an actor the entity
    stage found ("Russian forces", "Zelenskyy") or is a proper noun, a personal pronoun, or a
    noun for an office-holder or a force ("the minister", "Ukrainian troops").  "A Russian
    invasion" and "public support for Putin" name no actor, whatever actors they mention."""
    heads = [tok] + [c for c in tok.children if c.dep_ == "compound"]
    if any(any(s <= h.idx < e for s, e in actor_spans) for h in heads):
        return True
    if tok.pos_ == "PROPN" or tok.lower_ in ("he", "she", "they", "i", "we", "you"):
        return True
    return tok.lemma_.lower() in _AGENTS and not _generic(tok)


def _generic(tok) -> bool:
    """"people", "many", "experts", "some analysts", "others": a subject that names no one."""
    lem = tok.lemma_.lower()
    if tok.lower_ in _GENERIC_DETS:
        return True  # "many", "others", "some" standing alone or with "of them"
    if lem not in _GENERIC_NOUNS and tok.lower_ not in _GENERIC_NOUNS:
        return False
    if any(c.dep_ == "nummod" or c.like_num for c in tok.children):
        return False  # "thousands of people", "200 people": a count is a concrete happening
    mods = [c for c in tok.children if c.dep_ in ("det", "amod", "poss", "compound")]
    if any(c.pos_ == "PROPN" or c.lower_ in ("the", "these", "those", "this", "that", "its", "their", "his",
                                             "her", "our") for c in mods):
        return False  # "the experts", "NATO countries": particular ones
    return tok.tag_ in ("NNS", "NNPS") or any(c.lower_ in _GENERIC_DETS for c in mods)


def _finite(verb):
    """The finite verb a clause's tense is read from: the verb itself, or the verb above a
    participle, infinitive or gerund ("were seen marked", "plans to visit")."""
    node = verb
    for _ in range(4):
        if node.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in node.children):
            return node
        if node.head.i == node.i:
            break
        node = node.head
    return verb


def _unnamed(tok) -> bool:
    """A speaker the text declines to identify: "many", "others", "people", "some analysts",
    "many Republicans" (a quantifier picks an unnamed part of a group, named or not), "a majority",
    "more than 80%" (a share of those asked)."""
    if tok.lemma_.lower() in _SHARES:
        return True  # "a majority of Germans", "80%" of those polled
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return False  # "one of the officials", "some of the ministers": part of a group the text names
    if tok.lower_ in _GENERIC_DETS or tok.lemma_.lower() in _PEOPLE:
        return True
    if any(c.dep_ == "nummod" or c.like_num for c in tok.children):
        return False  # "some 200 soldiers"
    return tok.tag_ in ("NNS", "NNPS") and any(c.lower_ in _GENERIC_DETS for c in tok.children
                                               if c.dep_ in ("det", "amod"))


def _tense(verb) -> str:
    """past | present | future | modal | other, from the clause's auxiliaries and the verb's tag."""
    verb = _finite(verb)
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_.replace("’", "'") for a in aux}
    if words & {"will", "'ll", "shall", "wo"}:
        return "future"
    if words & _HEDGE_AUX:
        return "modal"
    tags = [a.tag_ for a in aux] + [verb.tag_]
    if any(t in ("VBD",) for t in tags) or ("VBN" in tags and words & {"has", "have", "had", "'s", "'ve"}):
        return "past"
    if any(t in ("VBZ", "VBP") for t in tags):
        return "present" if verb.tag_ in ("VBZ", "VBP") or words & {"do", "does"} else "present-aux"
    if verb.tag_ == "VB" and not aux and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return "present"  # a base form with a subject of its own and no auxiliary is finite: "Missiles kill ..."
    return "other"


def _deontic(verb) -> bool:
    """"must be indicated", "should focus", "have to be armed", "needs to start": what ought to be."""
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _DEONTIC for c in verb.children):
        return True
    head = verb.head if verb.dep_ == "xcomp" else None
    return head is not None and head.lemma_.lower() in ("have", "need") and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _characterizes(verb) -> bool:
    """Whether the clause hangs on a present-tense "is"/"are" of description: "Russia is not an
    ordinary country seeking guarantees", "Ukraine is only the first battle of that conflict"."""
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False  # "is likely to meet", "the first candidate to travel": an act, planned or done
    cop = _finite(verb)
    return cop.lemma_ == "be" and cop.dep_ not in ("aux", "auxpass") and _tense(cop) == "present" and \
        any(c.dep_ in ("attr", "acomp") for c in cop.children)


def _hedged(verb) -> bool:
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass", "advmod")}
    if words & (_HEDGE_AUX | _HEDGE_ADV):
        return True
    # "is likely to", "seems to", "appears to": the hedge governs the clause
    head = verb.head if verb.dep_ in ("xcomp", "ccomp") else None
    for _ in range(2):
        if head is None:
            break
        if head.lemma_.lower() in _OPINION or any(c.lower_ in _HEDGE_ADV for c in head.children
                                                 if c.dep_ in ("acomp", "advmod")):
            return True
        head = head.head if head.dep_ in ("xcomp", "ccomp", "acomp") and head.head.i != head.i else None
    return False


def _writer_judges(verb) -> bool:
    """Whether the clause is what the writer's own "it is ... that" frame judges: "It is important to
    remember that Ukrainians will fight ...", "It is likely that Moscow will send more troops", "it seems
    that ..." (an "it" standing for nothing, before "seem" or before "be" with a word of judgement; "It is
    ready to hold talks" says what "it" is, and the talks hang on "ready")."""
    node = verb
    for _ in range(3):
        if node.dep_ not in ("ccomp", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
        lemma = node.lemma_.lower()
        if (lemma in ("seem", "appear") or lemma == "be" and any(c.dep_ in ("acomp", "attr") for c in node.children)) \
                and any(c.dep_ in ("expl", "nsubj") and c.lower_ == "it" for c in node.children):
            return True
    return False


def _first_person(tok) -> bool:
    return tok.lower_ in ("i", "we", "us", "me")


def _conditional(verb) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)


_BREAKS = {",", ";", ":", "—", "–", "-"}
_ASKING = {"who", "what", "when", "where", "why", "how", "which", "whose", "will", "would", "can", "could",
           "should", "shall", "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "may",
           "might", "must"}


def _asks(span, tok) -> bool:
    """Whether ``tok`` lies in the part of a question that asks: the sentence ends in a question
    mark and the word is in its last stretch between commas, or in its first when the sentence
    opens as a question does ("How can you ..., given ...?").  "No one was injured, so what makes
    this one of its darkest days?" asks only in its second half."""
    toks = [t for t in span if not t.is_space and t.text not in ("\"", "”", "’", "'", ")", "“", "‘", "(")]
    if len(toks) < 2 or toks[-1].text != "?":
        return False
    # Only breaks with a verb after them start a stretch: ", too?" adds no question of its own.
    breaks = [t.i for t in toks[:-1] if t.text in _BREAKS and any(
        u.pos_ in ("VERB", "AUX") for u in span.doc[t.i + 1:toks[-1].i])]
    if not breaks or tok.i > breaks[-1]:
        return True
    return toks[0].lower_ in _ASKING and tok.i < breaks[0]


def _imperative(span, verb) -> bool:
    """Whether the clause is a sentence-opening command with no subject ("Thank you for being with us",
    "Sign up for our newsletter"): its verb is the sentence's root, in the base form, first but for
    "please" or an adverb, with no subject and no auxiliary."""
    if verb.i != span.root.i or verb.tag_ not in ("VB", "VBP") or any(
            c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass") for c in verb.children):
        return False
    words = [t for t in span if not (t.is_punct or t.is_space)]
    before = [t for t in words if t.i < verb.i]
    # ... or a phrase of the verb's own before it: "For more information, please visit our site".
    lead = {t.i for c in verb.children if c.dep_ == "prep" and c.i < verb.i for t in c.subtree}
    return bool(words) and all(t.lower_ == "please" or t.pos_ == "ADV" or t.i in lead for t in before)


def _reported(span, actor_spans: list[tuple[int, int]]) -> bool:
    """Whether the whole sentence is what an identifiable actor said: its main verb is a speech
    verb whose subject names one ("The EU said on Monday ..."), or "according to" names one."""
    root = span.root
    if root.lemma_.lower() in SPEECH and any(_is_actor(t, actor_spans) for t in _subject_tokens(root)):
        return True
    for t in span:
        if t.lower_ == "according" and t.i + 1 < span.end and t.nbor(1).lower_ == "to":
            return any(_is_actor(g, actor_spans) for g in t.nbor(1).children if g.dep_ == "pobj")
    for c in root.children:  # "…,” he said." parsed with the quote as the root
        if c.dep_ in ("parataxis", "ccomp") and c.lemma_.lower() in SPEECH and c.i > root.i and \
                any(_is_actor(t, actor_spans) for t in _subject_tokens(c)):
            return True
    return False


# Acts done by saying so: "We condemn ...", "I urge ...", "We ask ...".
_PERFORMATIVE = {"DISAPPROVE", "ACCUSE", "DEMAND", "REQUEST", "REJECT", "SUPPORT", "AGREE", "THREATEN"}


def features(frame: Frame, span, quotes: list[tuple[int, int]], actor_spans: list[tuple[int, int]],
             dates: list[tuple[int, int]] = ()) -> dict:
    """What ``reason`` looks at, for one clause of a sentence (``span``): ``quotes`` are the
    document's quoted runs, ``actor_spans`` the actor mentions and ``dates`` the time expressions
    of the sentence, as character offsets."""
    verb = frame.verb
    text = span.text.strip()
    subj = _subject_tokens(verb)
    letters = [c for c in text if c.isalpha()]
    inside = sum(1 for i, c in enumerate(span.text) if c.isalpha() and within(quotes, span.start_char + i))
    who = frame.attributor
    sub = list(verb.subtree)
    start, end = sub[0].idx, sub[-1].idx + len(sub[-1])
    furniture = [(span.start_char + m.start(), span.start_char + m.end()) for m in _FURNITURE.finditer(span.text)]
    return {
        # page furniture in the clause itself or in a clause above it ("Click here to support ..."),
        # or beside a clause that names no actor
        "furniture": any(start <= s < end for s, _ in furniture)
        or any(s <= a.idx < e for a in verb.ancestors for s, e in furniture)
        or bool(furniture) and not any(start <= s < end for s, _ in actor_spans),
        "capitals": len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8,
        "question": _asks(span, frame.trigger),
        "imperative": _imperative(span, verb),
        # "By posting your pictures you agree to ...": the page tells its reader (outside quotation marks)
        "to_reader": bool(subj) and all(t.lower_ == "you" for t in subj),
        "attributed": who is not None or _reported(span, actor_spans),
        "attributor_generic": who is not None and _unnamed(who),
        "quoted": within(quotes, frame.trigger.idx) and within(quotes, verb.idx),
        "all_quoted": bool(letters) and inside / len(letters) > 0.9,
        "tense": _tense(verb),
        # "Russia is calling up", "we are introducing": an act going on as it is told, by someone (not the
        # "you" a speaker answers: "when you are asking ...")
        "ongoing": verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" and c.tag_ in ("VBZ", "VBP")
                                              for c in verb.children)
        and any(_is_actor(t, actor_spans) and t.lower_ != "you" for t in subj),
        "hedged": _hedged(verb),
        "writer_judges": _writer_judges(verb),
        "conditional": _conditional(verb),
        "dated": any(start <= s < end for s, _ in dates),
        "subject_actor": any(_is_actor(s, actor_spans) for s in subj),
        "subject_first": any(_first_person(s) for s in subj),
        "no_subject": not subj,
        # "it", "this", "which": someone or something the text has named, never a generic subject
        "subject_pronoun": bool(subj) and all(t.pos_ == "PRON" and not _generic(t) and t.lemma_.lower() not in _PEOPLE
                                              for t in subj),
        "characterizes": _characterizes(verb),
        "deontic": _deontic(verb),
        "habitual": any(c.lower_ in _HABITUAL for c in verb.children if c.dep_ == "advmod"),
        "type": frame.type,
        "negated": frame.negated,
        "status": frame.status,
    }


def main_act(span, actor_spans: list[tuple[int, int]], quoted: bool = False) -> bool:
    """Whether the sentence's main clause is itself an act, done or planned, by an identifiable
    actor: a subject that names one, a verb other than "be" or "have", no hedge, no "must", no
    "if", no question.  Such a sentence reports an event even when the only clauses the lexicon
    typed are background to it ("Ukrainian journalists are calling on colleagues not to use terms
    which support ...", "Lukashenko will launch military action if his country is attacked").
    In a ``quoted`` sentence only an act the speaker reports as done is a new act ("I reminded
    President von der Leyen that ..."); "I don't agree with those who ..." continues the quote."""
    root = span.root
    if root.lemma_.lower() in ("be", "have") or root.pos_ not in ("VERB", "AUX"):
        return False
    subj = _subject_tokens(root)
    if not subj or not any(_is_actor(t, actor_spans) for t in subj):
        return False
    tense = _tense(root)
    if _hedged(root) or _conditional(root) or _deontic(root) or tense == "modal" or quoted and tense != "past":
        return False
    return not _asks(span, root) and not _FURNITURE.search(span.text)


def reason(f: dict) -> str | None:
    """Why a clause with features ``f`` is not an event, or None when it is one."""
    if f["furniture"] or f["capitals"] or (f["imperative"] or f["to_reader"]) and not f["quoted"]:
        return "boilerplate"  # page furniture, a shouted heading, or the writer telling the reader what to do
    if f["question"] and not f["quoted"]:
        return "question"  # the writer asks, even about a named speaker: "Could she say something ...?"
    if f["attributed"]:
        # A named source's statement, whatever its modality; speech by "many" or "some analysts" names no
        # one, unless it is itself quoted ("Someone may say to me ...": the quoted speaker's words).
        return "generic" if f["attributor_generic"] and not f["quoted"] else None
    if f["question"]:
        return "question"
    if f["all_quoted"] and (f["tense"] != "past" or f["hedged"]):
        if f["subject_first"] and f["tense"] in ("present", "present-aux") and not f["negated"] and \
                f["type"] in _PERFORMATIVE:
            return None  # "We condemn ...": the speaker acts by saying it
        if f["ongoing"] and not f["negated"] and not f["hedged"]:
            return None  # "Now, Russia is calling up more soldiers": a named actor's act, going on
        return "quote-fragment"  # a quote's continuation that reports no act of the speaker's
    if f["quoted"]:
        return None  # quoted words are someone's speech, not the writer's voice
    if f["conditional"]:
        return "commentary"  # the writer's "if ..."
    if f["writer_judges"] and f["tense"] != "past":
        return "commentary"  # the writer's "it is clear that Russia will ...": a forecast, not a report
    if f["deontic"]:
        return "commentary"  # the writer's "must", "should", "has to": an opinion of what ought to be
    if (f["hedged"] or f["tense"] == "modal") and not f["subject_actor"]:
        return "commentary"
    if f["tense"] == "future" and not f["subject_actor"] and not f["dated"]:
        return "commentary"  # a prediction; "Talks will continue on Wednesday" is a schedule
    if not (f["subject_actor"] or f["no_subject"] or f["subject_pronoun"] or f["dated"]) and (
            f["tense"] == "present" or f["habitual"]):
        return "generic"  # no one in particular, no time in particular
    if f["characterizes"]:
        return "generic"  # the writer describes how things are, not what happened
    return None
