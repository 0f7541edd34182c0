"""The non-event decision against the event gold: which dropped clauses were events after all.

    .venv/bin/python benchmarks/nonevents.py [--gold ../shared/data/events-gold] [-v]

Annotates the gold's development articles and sorts every clause the event
stage dropped (``Document.non_events``, less the older "no-speaker" ones) by
what the gold says of its sentence, with the gold scorer's own matching:

- event: the sentence is the evidence of a gold event (a wrong drop, unless
  another clause of the sentence still makes a mention);
- lost: of those, the gold events that no mention of the article matches
  any more;
- non-event: the sentence is listed in the gold's ``non_events``, and
  whether our reason agrees with the gold's ``why``;
- unlisted: neither (the gold lists only some non-events).

Printed for all articles and for each half (1-12, 13-24), like
``benchmarks/events.py``.  Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.ingest import iter_inputs  # noqa: E402
from storyline.model import RawDoc  # noqa: E402
from storyline.pipeline import NothingLeft, process  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared/data/events-gold"
# The gold's reasons, and the reasons of ours that agree with each.
AGREES = {
    "boilerplate": {"boilerplate"}, "question": {"question"}, "quote-fragment": {"quote-fragment"},
    "commentary": {"commentary", "generic"}, "analysis": {"commentary", "generic"},
    "opinion": {"commentary", "generic"}, "hypothetical-generic": {"commentary", "generic"},
    "background-generic": {"generic", "commentary"},
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("-v", "--verbose", action="store_true", help="list every dropped clause with its verdict")
    args = ap.parse_args(argv)
    articles, gold_path, scorer = (args.gold / n for n in ("dev.articles.jsonl", "dev.gold.jsonl", "score_events.py"))
    if not all(p.exists() for p in (articles, gold_path, scorer)):
        print(f"event gold not found in {args.gold}; pass --gold", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("score_events", scorer)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    order = {g["id"]: i for i, g in enumerate(gold)}
    half = len(gold) // 2
    counts = {name: Counter() for name in ("all", f"articles 1-{half}", f"articles {half + 1}-{len(gold)}")}
    for raw in iter_inputs([str(articles)]):
        if not isinstance(raw, RawDoc) or raw.external_id not in order:
            continue
        i = order[raw.external_id]
        g = gold[i]
        try:
            doc = process(raw)
        except NothingLeft:
            continue
        kept = [doc.sentences[m.sentence].text for m in doc.events]
        parts = ["all", f"articles 1-{half}" if i < half else f"articles {half + 1}-{len(gold)}"]
        for n in doc.non_events:
            if n.reason == "no-speaker":
                continue  # the older rule for reported speech with no named speaker, not judged here
            sent = doc.sentences[n.sentence].text
            events = [e for e in g["events"] if score.overlaps(e["evidence"], sent)]
            listed = [x for x in g.get("non_events", []) if score.overlaps(x["evidence"], sent)]
            if events:
                lost = [e for e in events if not any(score.overlaps(e["evidence"], s) for s in kept)]
                verdict = "event, lost" if lost else "event, still matched"
            elif listed:
                why = listed[0]["why"]
                verdict = "non-event, same reason" if n.reason in AGREES.get(why, {n.reason}) else \
                    f"non-event, gold says {why}"
            else:
                verdict = "unlisted"
            for part in parts:
                counts[part]["dropped"] += 1
                counts[part][verdict.split(",")[0]] += 1
                counts[part][verdict] += 1
            if args.verbose:
                print(f"{i + 1}\t{n.reason}\t{verdict}\t{sent[:120]!r}")
    for name, c in counts.items():
        print(f"{name:>16}: dropped {c['dropped']} | sentence is a gold event {c['event']} (a gold event lost "
              f"{c['event, lost']}) | a gold non-event {c['non-event']} (reason agrees {c['non-event, same reason']})"
              f" | unlisted {c['unlisted']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
