"""One pile built four ways: SQLite or PostgreSQL, the process pool or Dask.

    .venv/bin/python benchmarks/scale.py --postgres postgresql://USER@HOST:PORT/DB
                                         [--data ../shared/data/timeline17] [--topic bpoil]
                                         [--fraction 1.0] [--dask local:2] [--workers N]

Each build runs ``storyline build`` in a child process on a fresh database
(``benchmarks/build.py``'s ``run_build``: the whole command, start-up
included; peak PSS of the command and its workers, sampled every 0.2 s; the
PostgreSQL server's own memory is not in it).  A PostgreSQL build gets a
fresh schema of the server given.  Then each database is exported and the
exports are compared after sorting every list (articles stored in another
order keep the same content): the engines and the stores must give the same
database.  Last, the annotated articles of the SQLite pool build are written
again into a fresh SQLite file and a fresh schema, to time each store's
writes alone (the rate a cluster of workers could not exceed).  Without
``--postgres`` only the SQLite rows are measured.

Not a test: it prints figures for the README.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import DEFAULT_DATA, collect, run_build, sorted_json  # noqa: E402


def sorted_export(db: str) -> str:
    """The export of ``db`` with each list in one order, as text."""
    from storyline import api
    return sorted_json(api.export(db=db))


def write_rates(built: str, server: str | None, schemas: list[str]) -> None:
    """Articles per second that each store takes when nothing else runs: the annotated articles of
    ``built`` written again, one transaction each, into a fresh SQLite file and a fresh schema."""
    import time

    from storyline.store import Store
    with Store(built) as source:
        docs = [source.document(i) for i in source.document_ids(current_only=False)]
    targets = [("sqlite", built + ".copy")]
    if server:
        schemas.append("bench_" + uuid.uuid4().hex[:12])
        targets.append(("postgresql", f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schemas[-1]}"))
    for name, db in targets:
        with Store(db) as target:
            start = time.perf_counter()
            for doc in docs:
                target.add_document(doc)
            took = time.perf_counter() - start
        rows = sum(len(d.sentences) + len(d.timexes) + len(d.entities) + len(d.events) + len(d.quotes) for d in docs)
        print(f"{name:<10} store writes alone: {len(docs)} articles in {took:.1f} s, {len(docs) / took:.0f} articles/s "
              f"({rows / took:,.0f} annotation rows/s)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--topic", default="bpoil")
    ap.add_argument("--fraction", type=float, default=1.0)
    ap.add_argument("--postgres", default=None, metavar="URL", help="a server whose database may hold new schemas")
    ap.add_argument("--dask", default="local:2", metavar="WHERE", help="the Dask engine's address (default local:2)")
    ap.add_argument("--workers", type=int, default=None, help="the pool's workers (default: build's own)")
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}; nothing to measure", file=sys.stderr)
        return 1
    records = collect(args.data, args.topic)
    records = records[: max(1, round(len(records) * args.fraction))]
    print(f"{args.topic}: {len(records)} articles ({args.fraction:.0%}), "
          f"{sum(len(r['text']) for r in records) / 1e6:.1f} MB of text")
    schemas = []
    rows, exports = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        stores = [("sqlite", None)]
        if args.postgres:
            stores.append(("postgresql", args.postgres))
        else:
            print("no --postgres server given: SQLite rows only")
        for store, server in stores:
            for engine in ("pool", "dask"):
                if server:
                    schemas.append("bench_" + uuid.uuid4().hex[:12])
                    db = f"{server}{'&' if '?' in server else '?'}options=-csearch_path%3D{schemas[-1]}"
                else:
                    db = str(base / f"{engine}.db")
                elapsed, peak = run_build(records, base, workers=args.workers,
                                          dask=args.dask if engine == "dask" else None, db=db)
                label = f"{store:<10} {engine if engine == 'pool' else 'dask ' + args.dask:<13}"
                rows.append((label, elapsed, peak))
                print(f"{label} {elapsed:7.1f} s  {len(records) / elapsed:5.1f} articles/s  peak PSS {peak:6.0f} MB")
                exports[label] = sorted_export(db)
        write_rates(str(base / "pool.db"), args.postgres, schemas)
        digests = {label: hashlib.sha256(text.encode()).hexdigest()[:16] for label, text in exports.items()}
        same = len(set(digests.values())) == 1
        print("exports (sorted) " + ("identical" if same else "DIFFER") + ": "
              + ", ".join(f"{' '.join(label.split())} {d}" for label, d in digests.items()))
    if schemas:
        import psycopg
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            for name in schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"pool workers: {args.workers or 'the default'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
