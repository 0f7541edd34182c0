"""PLOVER gold records: classify each sentence alone and score the event types.

The input is a JSON list in the form of the OEDA PLOVER gold-standard file.
"DOCUMENT" records only document the file and are skipped; every other record
has an ``id`` and a ``text``.  Each sentence is parsed on its own, the same
clause typing the pipeline uses (``annotate.plover.frames``: the lexicon, then
the learned typer) picks its main act, and ``plover_code`` turns act and
status into the code PLOVER gives the sentence.  Cross-validated figures are
in ``evaluate.typing``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable

from ..annotate import nlp
from ..annotate.plover import GSR_05, frames, plover_code
from . import f1


def read_records(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text("utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON list of PLOVER records")
    return [r for r in data if isinstance(r, dict) and r.get("event") != "DOCUMENT"]


def classify(texts: list[str], model: str | None = None) -> list[tuple[str, str | None]]:
    """(event type, mode) of each sentence's main act; STATEMENT when none is found."""
    out = []
    for doc in nlp.load(model).pipe(texts, batch_size=64):
        found = frames(doc[:])
        if not found:
            out.append(("STATEMENT", None))
            continue
        main = found[0]
        code = plover_code(main)
        out.append((GSR_05.get(code, code), main.mode if code == main.type else None))
    return out


def run(path: str | Path, output: str | Path, model: str | None = None,
        on_skip: Callable[[str, str], None] | None = None) -> int:
    """Write one {"id", "event", "mode"} line per record; returns how many records were skipped."""
    records, skipped = [], 0
    for r in read_records(path):
        if not isinstance(r.get("text"), str) or not r.get("id"):
            skipped += 1
            if on_skip:
                on_skip(str(r.get("id", "?")), "record has no id or no text")
            continue
        records.append(r)
    labels = classify([r["text"].strip() for r in records], model)
    with open(output, "w", encoding="utf-8") as f:
        for r, (event, mode) in zip(records, labels):
            f.write(json.dumps({"id": r["id"], "event": event, "mode": mode}) + "\n")
    return skipped


def score(gold: dict[str, str], predicted: dict[str, str]) -> dict:
    """Accuracy, macro-F1 over the gold types, and the confusion counts ("gold->predicted", "-" for none)."""
    ids = sorted(gold)
    pairs = Counter((gold[i], predicted.get(i)) for i in ids)  # None: no prediction
    correct = sum(n for (g, p), n in pairs.items() if g == p)
    labels = sorted(set(gold.values()))
    f1s = {}
    for lab in labels:
        tp = pairs[(lab, lab)]
        fp = sum(n for (g, p), n in pairs.items() if p == lab and g != lab)
        fn = sum(n for (g, p), n in pairs.items() if g == lab and p != lab)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1s[lab] = f1(p, r)
    confusion: Counter = Counter()
    for (g, p), n in pairs.items():
        confusion[(g, "-" if p is None else p)] += n
    return {
        "records": len(ids), "accuracy": correct / len(ids) if ids else 0.0,
        "macro_f1": sum(f1s.values()) / len(f1s) if f1s else 0.0, "f1": f1s,
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
    }
