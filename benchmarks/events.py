"""Events against the hand-made event gold, with the gold's own scorer.

    .venv/bin/python benchmarks/events.py [--gold ../shared/data/events-gold] [-v]

Builds the gold's development articles (dev.articles.jsonl) with
``storyline.api.build``, exports the store and runs the scorer that comes
with the gold (score_events.py, which defines every figure) on all 24
articles and on each half of them (articles 1-12 and 13-24, in file order),
so that a change made while reading one half's errors can be checked on the
other.  Then the same on the fresh annotation made for this benchmark
(benchmarks/data/events-fresh.jsonl: 121 other articles of ../shared/data/ukraine,
annotated blind by the gold's guidelines): its tune parts, whose errors may
be read, and its validation parts, read as a score only; each part is built
as a corpus of its own.  Then the cross-validated type accuracy of the hand lexicon and of the
learned typer the product uses (``storyline.evaluate.typing``), on the PLOVER
gold sentences and on the event gold's evidence clauses.  Not a test: it
prints figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline import api  # noqa: E402
from storyline.evaluate import typing  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared/data/events-gold"
DEFAULT_PLOVER = ROOT.parent / "shared/data/plover/PLOVER_GSR_dev.json"
FRESH = ROOT / "benchmarks/data/events-fresh.jsonl"
DEFAULT_UKRAINE = ROOT.parent / "shared/data/ukraine/articles.jsonl"


def built(corpus: Path, work: Path, name: str) -> Path:
    """Build ``corpus`` with the product's ``api.build`` into a fresh database under ``work``; its JSON export."""
    db = work / f"{name}.db"
    api.build([str(corpus)], db=str(db), progress=False)
    export = work / f"{name}-export.json"
    export.write_text(json.dumps(api.export(db=str(db))), encoding="utf-8")
    return export


def evidence(text: str, span: list) -> str:
    """The evidence a stored span [start, end, check] points to; an error if the text moved under it."""
    start, end, check = span
    found = text[start:end]
    if hashlib.sha1(found.encode()).hexdigest()[:8] != check:
        raise ValueError(f"evidence at {start}:{end} is not the annotated text ({found[:40]!r})")
    return found


def fresh_gold(path: Path, articles: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    """The fresh annotation's articles (as ../shared holds them) and its gold, per part, in the scorer's format.

    The file stores each evidence as offsets into its article's text and the first 8 hex digits of the
    SHA-1 of what they span; the text itself is read here.
    """
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {r["id"] for r in records}
    with articles.open(encoding="utf-8") as fh:
        found = {a["id"]: a for a in map(json.loads, fh) if a["id"] in wanted}
    missing = wanted - set(found)
    if missing:
        raise KeyError(f"{len(missing)} annotated articles not in {articles}: {sorted(missing)[:3]}")
    parts: dict[str, list[dict]] = {}
    for r in records:
        text = found[r["id"]]["text"]
        events = [{**e, "evidence": evidence(text, e["evidence"])} for e in r["events"]]
        non = [{**n, "evidence": evidence(text, n["evidence"])} for n in r["non_events"]]
        parts.setdefault(r["part"], []).append({"id": r["id"], "published": r["published"], "events": events,
                                                "non_events": non})
    return [found[r["id"]] for r in records], parts


def score(scorer: Path, gold: Path, export: Path, verbose: bool) -> str:
    out = subprocess.run([sys.executable, str(scorer), str(gold), str(export)] + (["-v"] if verbose else []),
                         capture_output=True, text=True, check=True).stdout
    # Its last two lines: what was scored (articles, gold events), then the figures.
    return out if verbose else " | ".join(out.strip().splitlines()[-2:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder with dev.articles.jsonl, dev.gold.jsonl "
                                                                   "and score_events.py")
    ap.add_argument("-v", "--verbose", action="store_true", help="the scorer's list of every miss and error")
    ap.add_argument("--plover", type=Path, default=DEFAULT_PLOVER, help="PLOVER gold sentences for the "
                                                                       "cross-validated typing figures")
    ap.add_argument("--fresh", type=Path, default=FRESH, help="the fresh annotation (offsets into --ukraine)")
    ap.add_argument("--ukraine", type=Path, default=DEFAULT_UKRAINE, help="the articles the fresh annotation reads")
    args = ap.parse_args(argv)
    articles, gold, scorer = (args.gold / n for n in ("dev.articles.jsonl", "dev.gold.jsonl", "score_events.py"))
    if not all(p.exists() for p in (articles, gold, scorer)):
        print(f"event gold not found in {args.gold}; pass --gold", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        export = built(articles, work, "events")
        lines = [line for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
        half = len(lines) // 2
        parts = [("all", lines), (f"articles 1-{half}", lines[:half]), (f"articles {half + 1}-{len(lines)}",
                                                                         lines[half:])]
        for name, part in parts:
            path = work / f"gold-{len(part)}-{name[:3]}.jsonl"
            path.write_text("\n".join(part) + "\n", encoding="utf-8")
            print(f"{name:>16}: {score(scorer, path, export, args.verbose and name == 'all')}")
        if args.fresh.exists() and args.ukraine.exists():
            fresh_articles, fresh_parts = fresh_gold(args.fresh, args.ukraine)
            print(f"\nfresh annotation ({args.fresh.name}, {len(fresh_articles)} articles, each part built apart)")
            by_id = {a["id"]: a for a in fresh_articles}
            for name, gold_part in fresh_parts.items():  # as the file orders them: tune, validate, validate 2, ...
                # Each part is a pile of its own: events merge across the articles of one build, so a part's
                # figures must not depend on which other parts the file holds.
                tag = name.replace(" ", "")
                corpus = work / f"fresh-{tag}-articles.jsonl"
                corpus.write_text("".join(json.dumps(by_id[g["id"]]) + "\n" for g in gold_part), encoding="utf-8")
                export = built(corpus, work, f"fresh-{tag}")
                path = work / f"fresh-{tag}.jsonl"
                path.write_text("".join(json.dumps(g) + "\n" for g in gold_part), encoding="utf-8")
                shown = args.verbose and name.startswith("tune")
                print(f"{'fresh ' + name:>16}: {score(scorer, path, export, shown)}")
        else:
            print(f"fresh annotation or its articles not found ({args.fresh}, {args.ukraine})", file=sys.stderr)
    print(f"\n{time.perf_counter() - started:.0f} s wall clock")
    if args.plover.exists():
        print()
        compared = {name: typing.VARIANTS[name] for name in ("lexicon", typing.PRODUCT)}
        print("\n".join(typing.report(args.plover, gold, compared)))
    else:
        print(f"PLOVER gold not found at {args.plover}: no cross-validated typing figures", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
