"""TempEval-3 evaluation: read TimeML, tag it, score it.

Offsets are into the text of the ``<TEXT>`` element once every tag is
removed and entities are unescaped, the form ``storyline eval tempeval``
writes.  The scorer follows the TempEval-3 definitions: extents match
strictly (same span) or relaxed (any overlap); an attribute (type, value)
counts when a relaxed match carries the gold attribute, and its precision
and recall are taken over all system and all gold expressions, so a missed
expression costs value F1 as much as a wrong value does.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..annotate.sentences import split_sentences
from ..annotate.time import TimeTagger, default_tagger


@dataclass
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass
class TimeMLDoc:
    name: str
    text: str
    dct: str | None
    gold: list[Timex] = field(default_factory=list)


def doc_name(path: Path) -> str:
    """File name without its extensions: ``APW19980227.0487.tml`` keeps its dotted id."""
    return re.sub(r"(?:\.(?:tml|xml|TE3input))+$", "", path.name)


def read_timeml(path: str | Path) -> TimeMLDoc:
    """Parse a TimeML file; gold TIMEX3s inside <TEXT> are returned when present."""
    path = Path(path)
    root = ET.fromstring(path.read_bytes())
    dct = None
    dct_el = root.find("DCT")
    if dct_el is not None:
        t = dct_el.find("TIMEX3")
        if t is not None:
            dct = t.get("value")
    text_el = root.find("TEXT")
    if text_el is None:
        raise ValueError(f"{path}: no <TEXT> element")
    parts: list[str] = []
    spans: list[tuple[int, int, str, str]] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el is not text_el:
            spans.append((start, pos, el.get("type", ""), el.get("value", "")))

    walk(text_el)
    text = "".join(parts)
    gold = sorted((Timex(s, e, type_, value, text[s:e]) for s, e, type_, value in spans), key=lambda t: t.start)
    return TimeMLDoc(doc_name(path), text, dct, gold)


# TimeML as TempEval-3 names it: annotated files end in .tml (TBAQ also .tml.xml), the official input
# form of the test set in .tml.TE3input.
_TIMEML_ENDINGS = (".tml", ".xml", ".te3input")


class NoDocuments(ValueError):
    """A path that yields no TimeML document: nothing would be tagged or scored."""


def _files(path: str | Path) -> list[Path]:
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise NoDocuments(f"{path}: no such file or folder")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(_TIMEML_ENDINGS))
    if not files:
        raise NoDocuments(f"{path}: no TimeML file in it (looked for names ending in .tml, .xml or "
                          ".tml.TE3input)")
    return files


def iter_dir(path: str | Path, on_skip: Callable[[Path, str], None] | None = None) -> Iterator[TimeMLDoc]:
    """Every TimeML document under ``path`` (a folder, or one file), one at a time.

    A file that does not parse, or that repeats a document name already read
    (``NAME.tml`` beside ``NAME.tml.TE3input``), goes to ``on_skip`` (or
    raises).  A path with no TimeML file, or none that parses, raises
    ``NoDocuments``.
    """
    seen: dict[str, Path] = {}
    failed = 0
    for p in _files(path):
        try:
            doc = read_timeml(p)
            if doc.name in seen:
                raise ValueError(f"document {doc.name} is already read from {seen[doc.name].name}")
        except (ET.ParseError, ValueError, OSError) as exc:
            if on_skip is None:
                raise
            failed += 1
            on_skip(p, str(exc))
            continue
        seen[doc.name] = p
        yield doc
    if not seen:
        raise NoDocuments(f"{path}: none of its {failed} TimeML files could be read")


def read_dir(path: str | Path, on_skip: Callable[[Path, str], None] | None = None) -> list[TimeMLDoc]:
    return list(iter_dir(path, on_skip))


def tag_doc(doc: TimeMLDoc, tagger: TimeTagger | None = None) -> list[Timex]:
    tagger = tagger or default_tagger()
    return [Timex(t.start, t.end, t.kind, t.value or "", t.text)
            for t in tagger.tag(doc.text, split_sentences(doc.text), doc.dct)]


def run(input_dir: str | Path, out_path: str | Path, tagger: TimeTagger | None = None,
        on_skip: Callable[[Path, str], None] | None = None) -> int:
    """Tag every TimeML file under ``input_dir``; one JSON line per document.

    A file that does not parse is reported through ``on_skip`` and left out;
    the others are still written.  Returns the number skipped.  Raises
    ``NoDocuments``, before anything is written, when ``input_dir`` holds no
    TimeML file, and after, when none of them could be read.
    """
    _files(input_dir)
    tagger = tagger or default_tagger()
    skipped = []

    def skip(path: Path, why: str) -> None:
        skipped.append(path)
        if on_skip:
            on_skip(path, why)

    with open(out_path, "w", encoding="utf-8") as fh:
        for doc in iter_dir(input_dir, skip):
            timexes = tag_doc(doc, tagger)
            fh.write(json.dumps({"doc": doc.name, "timexes": [
                {"start": t.start, "end": t.end, "type": t.type, "value": t.value} for t in timexes]}) + "\n")
    return len(skipped)


def read_predictions(path: str | Path) -> dict[str, list[Timex]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out[rec["doc"]] = [Timex(t["start"], t["end"], t.get("type", ""), t.get("value", ""))
                                   for t in rec["timexes"]]
    return out


def _match(gold: list[Timex], pred: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one relaxed alignment, largest overlap first."""
    pairs = []
    for g in gold:
        for p in pred:
            ov = min(g.end, p.end) - max(g.start, p.start)
            if ov > 0:
                pairs.append((ov, g.start, p.start, id(g), id(p), g, p))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g, used_p, out = set(), set(), []
    for _, _, _, ig, ip, g, p in pairs:
        if ig in used_g or ip in used_p:
            continue
        used_g.add(ig)
        used_p.add(ip)
        out.append((g, p))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(gold: dict[str, list[Timex]], pred: dict[str, list[Timex]]) -> dict:
    """Corpus-level (micro) scores over the documents in ``gold``."""
    n_gold = n_pred = strict = relaxed = typ = val = 0
    for name, g in gold.items():
        p = pred.get(name, [])
        n_gold += len(g)
        n_pred += len(p)
        for gt, pt in _match(g, p):
            relaxed += 1
            strict += gt.start == pt.start and gt.end == pt.end
            typ += gt.type == pt.type
            val += gt.value == pt.value
    return {
        "documents": len(gold), "gold": n_gold, "system": n_pred,
        "strict": _prf(strict, n_pred, n_gold),
        "relaxed": _prf(relaxed, n_pred, n_gold),
        "type": _prf(typ, n_pred, n_gold),
        "value": _prf(val, n_pred, n_gold),
    }


_TAG = re.compile(r"</?(?:TIMEX3|EVENT|SIGNAL|MAKEINSTANCE|TLINK|SLINK|ALINK)\b[^>]*>")


def strip_to_input(path: str | Path) -> str:
    """TempEval-3 input form of an annotated file: only the DCT keeps its TIMEX3."""
    raw = Path(path).read_text(encoding="utf-8")
    head, sep, rest = raw.partition("<TEXT>")
    if not sep:
        return raw
    body, sep2, tail = rest.partition("</TEXT>")
    tail = re.sub(r"<(?:MAKEINSTANCE|TLINK|SLINK|ALINK)\b[^>]*/>\s*", "", tail)
    return head + sep + _TAG.sub("", body) + sep2 + tail
