"""Timeline summarisation on Timeline17, beside the figures of the news-tls paper.

    .venv/bin/python benchmarks/tls.py [--data ../shared/data/timeline17] [--out DIR] [--json FILE]

Runs what ``storyline eval tls DATA --out DIR`` runs (every topic's folders as
one pool, each reference timeline predicted for its own span, N and K taken
from it) and prints alignment ROUGE-1 F1, ROUGE-2 F1 (date-content costs,
many-to-one) and date F1 per topic and averaged over timelines, with the
published Timeline17 figures (Ghalandari & Ifrim 2020, Table 4) below.

Those were averaged over all nine Timeline17 topics; the data here may hold
fewer, so the comparison is indicative.  Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.evaluate import tls  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared/data/timeline17"

PUBLISHED = [  # alignment ROUGE-1 F, ROUGE-2 F, date F1 on all of Timeline17
    ("DATEWISE (Ghalandari & Ifrim 2020)", 0.120, 0.035, 0.544),
    ("CLUST (Ghalandari & Ifrim 2020)", 0.082, 0.020, 0.407),
    ("Martschat & Markert 2018", 0.105, 0.030, 0.544),
    ("Tran et al. 2013", 0.094, 0.022, 0.517),
]


def table(scores: dict) -> str:
    rows = [("", "timelines", "ROUGE-1 F", "ROUGE-2 F", "date F1")]
    for name, s in sorted(scores["topics"].items()):
        rows.append((f"storyline, {name}", str(s["timelines"]), f"{s['rouge1_f']:.4f}", f"{s['rouge2_f']:.4f}",
                     f"{s['date_f1']:.4f}"))
    m = scores["mean"]
    rows.append(("storyline, mean over timelines", str(m["timelines"]), f"{m['rouge1_f']:.4f}",
                 f"{m['rouge2_f']:.4f}", f"{m['date_f1']:.4f}"))
    for name, r1, r2, d in PUBLISHED:
        rows.append((f"published: {name}", "all T17", f"{r1:.3f}", f"{r2:.3f}", f"{d:.3f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Timeline17-style dataset folder")
    ap.add_argument("--out", type=Path, default=None, help="keep the predicted timelines here (default: a temp dir)")
    ap.add_argument("--json", type=Path, default=None, help="also write all scores as JSON")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"Timeline17 not found at {args.data}; pass --data", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        skipped, scores = tls.run(args.data, args.out or tmp,
                                  on_skip=lambda where, why: print(f"skipped {where}: {why}", file=sys.stderr))
    wall = time.perf_counter() - started
    print(table(scores))
    print(f"\n{scores['mean']['timelines']} timelines, "
          f"{sum(t['articles'] for t in scores['topics'].values())} articles, {wall:.0f} s wall clock")
    if args.json:
        args.json.write_text(json.dumps({**scores, "wall_seconds": round(wall, 1)}, indent=2) + "\n")
    return 2 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
