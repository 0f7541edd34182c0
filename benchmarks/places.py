"""How a built database resolved its place names.

    .venv/bin/python benchmarks/build.py --fractions 1.0 --keep DIR
    .venv/bin/python benchmarks/places.py DIR/bench.db [--names "London,LONDON,Ala.,..."]

Prints the number of place mentions and how many stayed unresolved (no
country), then, for each name asked about, what its mentions resolved to.
The default names are the ones the Timeline17 bpoil build got wrong before
the place rules for capitals, state abbreviations, shouted datelines and
small towns.  Not a test: it prints figures for the README.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline.store import Store  # noqa: E402

NAMES = "London,LONDON,WASHINGTON,HOUSTON,NEW ORLEANS,Ala.,Fla.,La.,Miss.,God"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--names", default=NAMES, help="comma-separated surface forms to report")
    args = ap.parse_args()
    if not args.db.is_file():
        print(f"no database at {args.db}", file=sys.stderr)
        return 1
    wanted = [n for n in args.names.split(",") if n]
    resolved: dict[str, Counter] = {n: Counter() for n in wanted}
    total = unresolved = 0
    with Store(str(args.db)) as store:
        for doc in store.documents(current_only=True, annotations=True):
            for e in doc.entities:
                if e.type != "place":
                    continue
                total += 1
                unresolved += e.country is None
                if e.text in resolved:
                    resolved[e.text][f"{e.name} ({e.country})" if e.country else "unresolved"] += 1
    print(f"{total} place mentions, {unresolved} unresolved (no country)")
    for name in wanted:
        found = ", ".join(f"{what} {n}" for what, n in resolved[name].most_common()) or "no mentions"
        print(f"{name!r:>14}: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
