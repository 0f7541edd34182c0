"""Sentence and paragraph splitting with exact offsets.

A rule-based splitter is enough for edited news prose and keeps the first
pass dependency-free; the offsets it produces are what every citation points
at, so they must index the cleaned text exactly.
"""

from __future__ import annotations

import re

from ..data import lists
from ..model import Sentence

# Tokens that end in a full stop without ending a sentence.
_ABBREV = set(lists("annotate_words.tsv")["abbreviation"])  # storyline/data/annotate_words.tsv

_PARA = re.compile(r"\n\s*\n|\n")
_LIST_ITEM = re.compile(r"(?:[-*•‣▪]|\d+[.)])\s")
# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, whitespace, then something that can open a sentence (a dialogue dash too: "Sunday. - Our").
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+(?:[\"'“‘(\[]?[A-Z0-9]|[-–—] ?[A-Z]))")
# A full stop glued after a number or an acronym of three or more capitals ("in 2014.The", "on January
# 26.Nuland", "the SBU.It"); one digit alone may number a list item ("1.The").  The tokenizer cuts there
# too (nlp._GLUED_INFIXES).
GLUED_AFTER_NUMBER = r"(?:(?<=\d{2})|(?<=[a-z,] \d)|(?<=[A-Z]{3}))\.(?=[A-Z][a-z])"
# A boundary whose space was lost when paragraphs were joined ("talked on Saturday.The day before"): a
# word of two or more lower-case letters, a full stop, then a capitalised word or an acronym
# ("Ukraine.ISW indicated").  Initials, acronyms ("U.S.Army") and domains ("pravda.com.ua") do not
# match; a stop before a quote mark ('Auchan."The') is _GLUED_QUOTE's.
_GLUED = re.compile(r"(?:(?<=[a-zß-ÿā-ž]{2})|(?<=[a-zß-ÿā-ž]{2}[\"”’)])|(?<=\w\)))"
                    r"\.(?=[A-Z](?:[a-z]|\s|[A-Z]+\b))"
                    # A question or exclamation mark glued to the next sentence ("war?The"), and any end
                    # mark glued to a dialogue dash that opens the next one ("content?- Each", "Kiev.- This");
                    # the parser's tokenizer is taught the same cuts (nlp._GLUED_INFIXES).
                    r"|(?<=[a-z])[?!](?=[A-Z][a-z])|(?<=[a-z]{2})[.?!](?=[-–—] ?[A-Z][a-z])"
                    rf"|{GLUED_AFTER_NUMBER}")
# An end mark glued to a quotation mark and the next sentence ('Russia."It would', 'learned.“The'): the
# mark closes the sentence before (”, or a straight mark with an odd count before it in the paragraph)
# or opens the next one (“, or an even count).
_GLUED_QUOTE = re.compile(r"[.!?](?=[\"“”][A-Z][a-z])")


def _is_abbreviation(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:dot].lower().strip("(\"'“‘")
    if word in _ABBREV:
        return True
    # Single capital initials ("J. Smith") and dotted acronyms ("U.S.").
    return bool(re.fullmatch(r"[a-z]|(?:[a-z]\.)+[a-z]", word))


def _soft_wrap(text: str, m: re.Match[str]) -> bool:
    """A single line break inside a sentence of hard-wrapped text.

    The line before ends without closing punctuation and the next starts in
    lower case or with a digit ("on June 24,\n2025, killing ...").
    """
    if m.group(0) != "\n":  # a blank line always ends a paragraph
        return False
    before = text[: m.start()].rstrip(" \t")
    after = text[m.end():].lstrip(" \t")
    return (bool(before) and before[-1] not in ".!?:;\"”’" and bool(after)
            and (after[0].islower() or after[0].isdigit()) and not _LIST_ITEM.match(after))


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences, never across a line break.

    Lines are treated as hard boundaries because cleaned articles keep one
    paragraph, heading or bullet per line; the exception is a line break
    inside a hard-wrapped sentence (``_soft_wrap``).
    """
    sentences: list[Sentence] = []
    pos = 0
    breaks = [m for m in _PARA.finditer(text) if not _soft_wrap(text, m)]
    for para, m in enumerate(breaks):
        _split_block(text, pos, m.start(), para, sentences)
        pos = m.end()
    _split_block(text, pos, len(text), len(breaks), sentences)
    return sentences


def _split_block(text: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    cut = start
    ends = []
    for m in [*_BOUNDARY.finditer(text, start, end), *_GLUED.finditer(text, start, end)]:
        first_dot = m.start()
        if text[first_dot] == "." and m.end() - first_dot == 1 and _is_abbreviation(text, first_dot):
            continue
        ends.append(m.end())
    for m in _GLUED_QUOTE.finditer(text, start, end):
        mark = text[m.end()]
        closes = mark == "”" or (mark == '"' and text.count('"', start, m.end()) % 2 == 1)
        ends.append(m.end() + closes)
    for stop in sorted(set(ends)):
        _emit(text, cut, stop, para, out)
        cut = stop
    _emit(text, cut, end, para, out)


def _emit(text: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and re.search(r"\w", text[start:end]):
        out.append(Sentence(index=len(out), start=start, end=end, text=text[start:end], paragraph=para))
