"""Incremental linking on the Timeline17 bpoil articles: its time against a full re-link, and its result.

    .venv/bin/python benchmarks/incremental.py [--data ../shared/data/timeline17] [--topic bpoil]
                                               [--fraction 0.01] [--limit N] [--keep DIR] [--skip-halves]

The articles are taken in publication order (as news arrives).  Three databases:

1. one build of all of them;
2. a build of all but the last ``--fraction``, then a build of those: the
   second build's link stage is timed (from the moment linking starts to
   the end), then ``storyline relink`` on the same database, which must give
   the same events, links, ids and contradictions;
3. a build of the first half, then one of the second (``--skip-halves``
   leaves it out).

The JSON exports of 2 and 3 are compared with that of 1 (sorted, without
the paths the articles were read from).  ``--limit N`` takes the first N
articles only, for a quicker run.  Builds run in this process, one
after the other; each takes minutes.  Not a test: it prints figures.
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

from storyline import api, link  # noqa: E402
from storyline.store import Store  # noqa: E402

from build import DEFAULT_DATA, collect  # noqa: E402
from build import sorted_json as _sorted  # noqa: E402  (events come by salience: compare sorted)


def write(records: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


def build(records: list[dict], db: Path, name: str) -> tuple[float, float]:
    """Build ``records`` into ``db``; the seconds the whole build and its link stage took."""
    corpus = write(records, db.parent / f"{name}.jsonl")
    marks: dict[str, float] = {}

    def progress(done: int) -> None:
        if done == -1:
            marks["link"] = time.perf_counter()

    start = time.perf_counter()
    api.build([str(corpus)], db=str(db), progress=False, workers=None, on_progress=progress)
    end = time.perf_counter()
    return end - start, end - marks.get("link", end)


def links(db: Path) -> dict:
    with Store(str(db)) as store:
        return {"events": sorted(store.events(), key=lambda e: e.id), "contradictions": store.contradictions(),
                "components": store.link_components(), "aliases": store.event_aliases()}


def export(db: Path) -> dict:
    data = api.export(db=str(db))
    for doc in data["documents"]:
        doc.pop("path", None)
    return data


def compare(name: str, data: dict, reference: dict) -> None:
    """Whether two exports are the same; if not, which parts differ and how much."""
    if _sorted(data) == _sorted(reference):
        print(f"  {name}: the same export, byte for byte after sorting")
        return
    for key in sorted(set(data) | set(reference)):
        a, b = data.get(key), reference.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            sa = {json.dumps(x, sort_keys=True) for x in a}
            sb = {json.dumps(x, sort_keys=True) for x in b}
            print(f"  {name}: {key} differ: {len(sa - sb)} of {len(sa)} not in the one build, "
                  f"{len(sb - sa)} of {len(sb)} missing")
        else:
            print(f"  {name}: {key} differ")
    # Stories place each article once, in the order the builds gave them, so two histories may name or
    # cut a story otherwise; salience weighs an event by its story's size.  Without those:
    same = _unstoried(data) == _unstoried(reference)
    print(f"  {name}: without stories (story ids, members, salience): {'the same' if same else 'still different'}")


def _unstoried(data: dict) -> str:
    return _sorted({**data, "stories": [], "documents": [{**d, "story": None} for d in data["documents"]],
                    "events": [{**e, "story": None, "salience": None} for e in data["events"]]})




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--topic", default="bpoil")
    ap.add_argument("--fraction", type=float, default=0.01, help="the share of articles added last (default 0.01)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles in publication order")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpora and databases here")
    ap.add_argument("--skip-halves", action="store_true", help="do not build the two halves")
    args = ap.parse_args()
    if not args.data.is_dir():
        print(f"no data at {args.data}; nothing to measure", file=sys.stderr)
        return 1
    records = sorted(collect(args.data, args.topic), key=lambda r: (r["published"], r["id"]))[:args.limit]
    if len(records) < 2:
        print(f"{len(records)} articles of {args.topic}: nothing to measure", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for old in base.glob("*.db*"):
            old.unlink()
        print(f"{args.topic}: {len(records)} articles")
        whole, link_s = build(records, base / "once.db", "once")
        print(f"one build of all: {whole:.0f} s, of which linking {link_s:.1f} s")
        reference = export(base / "once.db")

        cut = len(records) - max(1, round(len(records) * args.fraction))
        db = base / "grown.db"
        first, _ = build(records[:cut], db, "most")
        added, incremental = build(records[cut:], db, "last")
        before = links(db)
        start = time.perf_counter()
        with Store(str(db)) as store:
            link.link(store, full=True)
        full = time.perf_counter() - start
        print(f"{cut} articles built in {first:.0f} s; the last {len(records) - cut} added in {added:.1f} s")
        print(f"  incremental link: {incremental:.1f} s; full re-link of the same database: {full:.1f} s "
              f"({incremental / full:.0%})")
        print(f"  incremental and full re-link: {'the same' if links(db) == before else 'DIFFERENT'} "
              "events, ids, links, contradictions and aliases")
        compare("all but the last, then the last", export(db), reference)

        if not args.skip_halves:
            db = base / "halves.db"
            half = len(records) // 2
            one, _ = build(records[:half], db, "half1")
            two, two_link = build(records[half:], db, "half2")
            print(f"first half {one:.0f} s, second half {two:.0f} s (linking {two_link:.1f} s)")
            compare("half, then half", export(db), reference)
    return 0


if __name__ == "__main__":
    sys.exit(main())
