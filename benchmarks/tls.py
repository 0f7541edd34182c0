"""Timelines through the product path, beside a lead baseline and the published Timeline17 figures.

    .venv/bin/python benchmarks/tls.py [--data ../shared/data/timeline17] [--war ../shared/data/ukraine]
                                       [--keep DIR] [--json FILE]

Timeline17: runs what ``storyline eval tls DATA --out DIR`` runs -- every
topic's articles built with ``storyline.api.build`` (date folder as the
publication date), then, for each reference timeline, ``storyline timeline
--format json`` with its date range, N dates and K entries per date -- and
scores alignment ROUGE-1 F1, ROUGE-2 F1 (date-content costs, many-to-one) and
date F1, averaged over timelines.

War windows: the articles of ../shared/data/ukraine built once; for each
month-long window where they are dense, the timeline of that window (N = the
window's reference dates, K = 3) against the war items of Wikipedia's Current
Events Portal for those dates (wcep-events.jsonl, ``war_topic``).

Each row is printed beside the lead baseline, computed here on the same
articles: the N days on which most articles were published, and for each the
first sentence of its first K articles.  ``--keep DIR`` keeps the built
stores there and reuses them on the next run (delete them after changing
the build).  Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline import api  # noqa: E402
from storyline.annotate.sentences import split_sentences  # noqa: E402
from storyline.evaluate import tls  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared/data/timeline17"
DEFAULT_WAR = ROOT.parent / "shared/data/ukraine"
# Months where the war corpus is dense enough for a timeline (articles per window: 68, 47, 85).
WINDOWS = [("2022-02-01", "2022-02-28"), ("2023-02-01", "2023-03-31"), ("2024-04-01", "2024-05-31")]
WAR_K = 3

PUBLISHED = [  # alignment ROUGE-1 F, ROUGE-2 F, date F1 on all of Timeline17
    ("DATEWISE (Ghalandari & Ifrim 2020)", 0.120, 0.035, 0.544),
    ("CLUST (Ghalandari & Ifrim 2020)", 0.082, 0.020, 0.407),
    ("Martschat & Markert 2018", 0.105, 0.030, 0.544),
    ("Tran et al. 2013", 0.094, 0.022, 0.517),
]


def first_sentence(text: str) -> str | None:
    for s in split_sentences(text):
        if len(s.text.split()) >= 5:
            return s.text
    return None


def lead_baseline(records: list[dict], start: str, end: str, n: int, k: int) -> tls.Timeline:
    """The N busiest publication days in [start, end], each with the first sentence of its first K articles."""
    by_day: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        if r.get("published") and start <= r["published"][:10] <= end:
            by_day[r["published"][:10]].append(r)
    days = sorted(by_day, key=lambda d: (-len(by_day[d]), d))[:n]
    out: tls.Timeline = {}
    for day in days:
        firsts = [s for s in (first_sentence(r["text"]) for r in by_day[day]) if s][:k]
        if firsts:
            out[dt.date.fromisoformat(day)] = firsts
    return out


def fresh(db: Path, keep: bool) -> bool:
    """Whether ``db`` must be built: always, unless kept stores are asked for and it is there."""
    if keep and db.exists():
        return False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return True


def timeline17(data: Path, work: Path, keep: bool) -> list[tuple]:
    """What ``storyline eval tls`` computes (``tls.run``), each topic beside the lead baseline."""
    def skip(where: str, why: str) -> None:
        print(f"skipped {where}: {why}", file=sys.stderr)

    _, scores = tls.run(data, work, on_skip=skip, reuse=keep)
    rows = []
    for name, folders in tls.topic_folders(data).items():
        topic = tls.read_topic(name, folders, lambda where, why: None)  # its records, for the baseline
        ours = [scores["timelines"][f"{folder}/{file}"] for folder, file, _ in topic.timelines]
        lead = []
        for _, _, ref in topic.timelines:
            n, k = tls.budget(ref)
            lead.append(tls.score(lead_baseline(topic.records, min(ref).isoformat(), max(ref).isoformat(), n, k),
                                  ref))
        rows.append((f"Timeline17 {name}", len(topic.timelines), topic.articles, tls.mean_scores(ours),
                     tls.mean_scores(lead), ours, lead))
    return rows


def war(folder: Path, work: Path, keep: bool) -> list[tuple]:
    articles = folder / "articles.jsonl"
    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = work / "ukraine.db"
    if fresh(db, keep):
        api.build([str(articles)], db=str(db), progress=False)
    items = [json.loads(line) for line in (folder / "wcep-events.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    rows = []
    for start, end in WINDOWS:
        ref: tls.Timeline = {}
        for item in items:
            if item.get("war_topic") and start <= item["date"] <= end:
                ref.setdefault(dt.date.fromisoformat(item["date"]), []).append(item["text"])
        n = len(ref)
        in_window = sum(1 for r in records if r.get("published") and start <= r["published"][:10] <= end)
        ours = [tls.score(tls.predict(db, ref, (start, end), WAR_K), ref)]
        lead = [tls.score(lead_baseline(records, start, end, n, WAR_K), ref)]
        rows.append((f"war {start[:7]}..{end[:7]}", 1, in_window, tls.mean_scores(ours), tls.mean_scores(lead),
                     ours, lead))
    return rows


def table(rows: list[tuple]) -> str:
    out = [("", "timelines", "articles", "ROUGE-1 F", "ROUGE-2 F", "date F1", "lead R-1", "lead R-2", "lead date F1")]
    for name, n, articles, ours, lead, _, _ in rows:
        out.append((name, str(n), str(articles), f"{ours['rouge1_f']:.4f}", f"{ours['rouge2_f']:.4f}",
                    f"{ours['date_f1']:.4f}", f"{lead['rouge1_f']:.4f}", f"{lead['rouge2_f']:.4f}",
                    f"{lead['date_f1']:.4f}"))
    t17 = [r for r in rows if r[0].startswith("Timeline17")]
    if t17:
        ours = tls.mean_scores([s for r in t17 for s in r[5]])
        lead = tls.mean_scores([s for r in t17 for s in r[6]])
        out.append(("Timeline17, mean over timelines", str(sum(r[1] for r in t17)), str(sum(r[2] for r in t17)),
                    f"{ours['rouge1_f']:.4f}", f"{ours['rouge2_f']:.4f}", f"{ours['date_f1']:.4f}",
                    f"{lead['rouge1_f']:.4f}", f"{lead['rouge2_f']:.4f}", f"{lead['date_f1']:.4f}"))
        for name, r1, r2, d in PUBLISHED:
            out.append((f"published: {name}", "all T17", "", f"{r1:.3f}", f"{r2:.3f}", f"{d:.3f}", "", "", ""))
    widths = [max(len(r[i]) for r in out) for i in range(len(out[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                     for r in out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Timeline17-style dataset folder")
    ap.add_argument("--war", type=Path, default=DEFAULT_WAR, help="folder with articles.jsonl and wcep-events.jsonl")
    ap.add_argument("--keep", type=Path, default=None, help="build the stores here and reuse them when present")
    ap.add_argument("--json", type=Path, default=None, help="also write all scores as JSON")
    args = ap.parse_args(argv)
    if not args.data.is_dir() and not args.war.is_dir():
        print(f"no data at {args.data} or {args.war}; pass --data or --war", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = (timeline17(args.data, work, bool(args.keep)) if args.data.is_dir() else []) + \
            (war(args.war, work, bool(args.keep)) if args.war.is_dir() else [])
    wall = time.perf_counter() - started
    print(table(rows))
    print(f"\n{wall:.0f} s wall clock")
    if args.json:
        args.json.write_text(json.dumps({"rows": [{"name": r[0], "timelines": r[1], "articles": r[2],
                                                   "storyline": r[3], "lead": r[4]} for r in rows],
                                         "wall_seconds": round(wall, 1)}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
