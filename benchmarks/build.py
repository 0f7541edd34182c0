"""Build throughput and peak memory over the Timeline17 bpoil articles.

    .venv/bin/python benchmarks/build.py [--data ../shared/data/timeline17] [--topic bpoil]
                                         [--fractions 1.0] [--workers N | --dask local:N] [--keep DIR] [--relink]

Each article becomes a JSONL record whose ``published`` is the date folder it
sits in (that is how Timeline17 dates its documents), then ``storyline build``
runs in a child process on a fresh database so the figures cover the whole
command: start-up, ingest, clean, annotate, store and link.  Peak memory is
the largest total proportional set size (PSS: shared pages split between
the processes sharing them) of the command and its worker processes,
sampled every 0.2 s, so a peak shorter than that can be missed.

``--relink`` then times the link stage alone on the largest build's
database: copies, stories, canonical events and contradictions computed
again in this process (copies and stories find nothing new; events and
contradictions are rebuilt from all mentions, as ``storyline relink`` does).

Not a test: it prints figures for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "timeline17"


def collect(data: Path, topic: str) -> list[dict]:
    records = []
    for folder in sorted(data.glob(f"{topic}_*")):
        for path in sorted((folder / "InputDocs").glob("*/*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            records.append({"id": f"{folder.name}/{path.parent.name}/{path.name}",
                            "source": folder.name.split("_", 1)[1], "published": path.parent.name,
                            "text": text})
    return records


def run_build(records: list[dict], workdir: Path, workers: int | None = None,
              dask: str | None = None, db: str | None = None) -> tuple[float, float]:
    """Build ``records`` into a fresh database (``workdir``/bench.db, or ``db``, which the caller
    has emptied); (seconds, peak PSS in MB) of the command and its workers."""
    corpus = workdir / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    if db is None:
        db = str(workdir / "bench.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "storyline.cli", "build", str(corpus), "--db", db, "-q"]
    if workers:
        cmd += ["--workers", str(workers)]
    if dask:
        cmd += ["--dask", dask]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    if proc.returncode not in (0, 2):
        sys.exit(f"build failed ({proc.returncode}):\n{stderr}")
    print("   ", stderr.strip().splitlines()[-1])
    return elapsed, peak / 2**20


def sorted_json(data: dict) -> str:
    """An export as one string, every list of records in one fixed order: builds that store the
    same articles in another order (at once, on another engine or store) compare equal."""
    return json.dumps({k: sorted(v, key=lambda x: json.dumps(x, sort_keys=True)) if isinstance(v, list) else v
                       for k, v in data.items()}, sort_keys=True)


def tree_rss(pid: int) -> int:
    """Proportional resident bytes (PSS) of a process and all its descendants, from /proc.

    PSS splits a page shared by forked workers between them, so the sum
    does not count the parent's model twice; 0 once the process has gone.
    """
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--topic", default="bpoil")
    ap.add_argument("--fractions", default="1.0", help="comma-separated, e.g. 0.25,0.5,1.0")
    ap.add_argument("--dask", default=None, metavar="WHERE",
                    help="passed to storyline build: annotate on Dask workers (local, local:N, tcp://HOST:PORT)")
    ap.add_argument("--workers", type=int, default=None,
                    help="passed to storyline build (default: its own, one per core up to 4)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpus and database here")
    ap.add_argument("--relink", action="store_true", help="then time the link stage alone on the last database")
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}; nothing to measure", file=sys.stderr)
        return 1
    records = collect(args.data, args.topic)
    print(f"{args.topic}: {len(records)} articles, {sum(len(r['text']) for r in records) / 1e6:.1f} MB of text")
    fractions = sorted(float(f) for f in args.fractions.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        results = []
        for frac in fractions:
            subset = records[: max(1, round(len(records) * frac))]
            elapsed, peak_mb = run_build(subset, base, args.workers, args.dask)
            results.append((frac, len(subset), elapsed, peak_mb))
            print(f"{frac:>5.0%}  {len(subset):5d} articles  {elapsed:7.1f} s  "
                  f"{len(subset) / elapsed:6.1f} articles/s  peak PSS {peak_mb:6.0f} MB")
        if args.relink:
            sys.path.insert(0, str(ROOT))
            from storyline import link
            from storyline.store import Store

            with Store(str(base / "bench.db")) as store:
                start = time.perf_counter()
                events, contradictions = link.link(store, full=True)
                print(f"re-linking the {results[-1][1]} articles: {time.perf_counter() - start:.1f} s "
                      f"({events} events, {contradictions} contradictions)")
    if len(results) > 1:
        (f0, _, t0, _), (f1, _, t1, _) = results[0], results[-1]
        print(f"the {f1:.0%} build takes {t1 / t0:.1f}x the {f0:.0%} build")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"workers: {args.workers or 'the default'}" + (f"; dask: {args.dask}" if args.dask else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
