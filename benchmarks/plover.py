"""Event typing on PLOVER gold sentences: accuracy, macro-F1, confusions, speed, cross-validation.

    .venv/bin/python benchmarks/plover.py [--data ../shared/data/plover/PLOVER_GSR_dev.json]
                                          [--gold ../shared/data/events-gold] [--fit]

Runs ``storyline eval plover`` as a user would (a child process, timed from
start to exit, model loading included), then scores its output against the
``event`` field of the same file.  Macro-F1 averages over the types the gold
file uses.  The learned typer was trained on that file, so these figures are
optimistic; the cross-validated table that follows (``storyline.evaluate.typing``)
is the fair one.  Not a test: it prints figures.

``--fit`` trains the learned typer (storyline/data/plover_typer.npz) on the
definition seeds, the PLOVER file and the event gold's articles 1-12 (13-24
stay out, so that benchmarks/events.py can still check on them), then stops.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.evaluate import typing  # noqa: E402
from storyline.evaluate.plover import read_records, score  # noqa: E402

MODEL = ROOT / "storyline" / "data" / "plover_typer.npz"


def fit(data: str, gold: Path) -> int:
    items = typing.seed_items() + typing.plover_items(data) + typing.gold_items(gold / "dev.gold.jsonl", slice(0, 12))
    model = typing.fit(items)
    model.save(MODEL)
    print(f"trained on {len(items)} clauses; wrote {MODEL.relative_to(ROOT)} ({MODEL.stat().st_size // 1024} KB)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/plover/PLOVER_GSR_dev.json"))
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared/data/events-gold",
                    help="folder with the event gold's dev.gold.jsonl")
    ap.add_argument("--fit", action="store_true", help="train the learned typer and write it under storyline/data")
    args = ap.parse_args()
    if args.fit:
        return fit(args.data, args.gold)
    records = read_records(args.data)
    gold = {r["id"]: r["event"] for r in records}
    words = sum(len(r["text"].split()) for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "storyline.cli", "eval", "plover", args.data, "-o", str(out)],
                       check=True, cwd=ROOT)
        seconds = time.perf_counter() - t0
        predicted = {d["id"]: d["event"] for d in map(json.loads, out.read_text().splitlines())}
    s = score(gold, predicted)
    print(f"{s['records']} sentences from {args.data}")
    print(f"event-type accuracy {s['accuracy']:.3f}   macro-F1 {s['macro_f1']:.3f}")
    print(f"time {seconds:.1f} s with model loading, {s['records'] / seconds:.1f} sentences/s, "
          f"{words / seconds:.0f} words/s")
    labels = sorted(set(gold.values()) | set(predicted.values()))
    abbrev = {lab: lab[:4] for lab in labels}
    confusion = s["confusion"]  # "gold->predicted": count
    print("\nconfusion (rows gold, columns predicted)")
    print(" " * 12 + " ".join(f"{abbrev[c]:>4}" for c in labels) + "    F1")
    for g in sorted(set(gold.values())):
        row = " ".join(f"{confusion.get(f'{g}->{c}') or '.':>4}" for c in labels)
        print(f"{g:<12}{row}  {s['f1'][g]:.2f}")
    print()
    print("\n".join(typing.report(args.data, args.gold / "dev.gold.jsonl")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
