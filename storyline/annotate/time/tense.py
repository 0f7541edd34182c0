"""Which way an underspecified date points: the tense of the nearest verb.

"Met on Friday" is last Friday and "will meet on Friday" the next one; a
bare "Nov. 20" in a past-tense sentence is last November's.  Cues are
words, not a parse, which is enough for news prose and keeps this fast.
"""

from __future__ import annotations

import re

_FUTURE_CUE = re.compile(
    r"\b(?:will|won't|shall|'ll|going to|is to|are to|was to|were to|would|wouldn't|plans?|planning|"
    r"scheduled|schedule|expected|expects|expect|set to|due|upcoming|next|intends?|aims?|hopes? to|"
    r"could|might|may|should|ahead of|until|begins|starts|opens|ends|takes place|is|are|am)\b",
    re.I)
_PRESENT_WEAK = {"is", "are", "am", "begins", "starts", "opens", "ends", "takes place", "until",
                 "could", "might", "may", "should"}
_PAST_CUE = re.compile(
    r"\b(?:said|says|told|was|were|had|did|didn't|wasn't|weren't|hadn't|ago|last|earlier|met|held|took|made|"
    r"gave|came|went|fell|rose|won|lost|left|began|sold|bought|paid|spent|saw|got|found|hit|cut|put|struck|"
    r"sent|led|ran|wrote|spoke|broke|brought|thought|became|knew|kept|stood|heard|chose|drove|flew|grew|"
    r"shot|shook|sought|swore|taught|threw|wore|fought|felt|meant|dealt|slid|sank|split|quit|\w{2,}ed)\b",
    re.I)
_NOT_PAST = {"scheduled", "expected", "planned", "proposed", "intended", "supposed", "need", "indeed",
             "speed", "seed", "feed", "bred", "red", "bed", "shed", "hundred", "united", "limited",
             "based", "related", "alleged", "armed", "embed", "proceed", "succeed", "exceed"}


_FUTURE_AUX = re.compile(r"\b(?:will|would|shall|'ll|to|must|can|should)\s+(?:not\s+)?(?:be|have(?:\s+been)?)\s+$", re.I)
_PRESENT_PASSIVE = re.compile(r"\b(?:is|are|am|being)\s+$")


def _tense(sentence: str, start: int, end: int) -> tuple[int, int]:
    """(+1 forward / -1 back / 0 unknown, distance in characters of the deciding cue).

    The nearest cue in the same sentence decides; "said Thursday it will
    close Friday" dates Thursday back and Friday forward, and a participle
    after a future auxiliary ("will be held") looks forward.  Weak
    present-tense cues ("is", "begins") count only when no past cue is
    nearer.  News mostly reports what happened, so callers default to past.
    """
    best: tuple[int, int] | None = None
    window_l = sentence[max(0, start - 90):start]
    window_r = sentence[end:end + 70]
    for text, offset, before in ((window_l, start - len(window_l), True), (window_r, end, False)):
        for rx, sign in ((_FUTURE_CUE, 1), (_PAST_CUE, -1)):
            for m in rx.finditer(text):
                word = m.group(0).lower()
                if sign < 0 and word in _NOT_PAST:
                    continue
                cue_sign = sign
                left = sentence[max(0, offset + m.start() - 30):offset + m.start()]
                if sign < 0 and _FUTURE_AUX.search(left):
                    cue_sign = 1
                elif sign < 0 and word.endswith(("ed", "en", "rd")) and _PRESENT_PASSIVE.search(left):
                    continue  # present passive: "when the case is heard in May"
                pos = offset + (m.end() if before else m.start())
                dist = (start - pos) if before else (pos - end)
                weak = sign > 0 and word in _PRESENT_WEAK
                rank = dist + (40 if weak else 0)
                if best is None or rank < best[0]:
                    best = (rank, cue_sign)
    return (best[1], best[0]) if best else (0, 10**6)
