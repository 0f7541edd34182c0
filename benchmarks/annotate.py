"""What actor linking and event extraction cost on top of spaCy, over real news articles.

    .venv/bin/python benchmarks/annotate.py [--data ../shared/data/timeline17] [--topic bpoil]
                                            [--docs 400] [--repeat 3]

Each article is cleaned, split and time-tagged first (outside the clock),
then timed twice per round:

- bare spaCy: the pipeline's parse of the cleaned text, within Storyline's
  sentence boundaries, as ``annotate`` does it;
- linking: what issue 4 adds on top of that parse: entity resolution against
  the actor registry, titles and role checks, places chosen in context, and
  quote attribution;
- events: what issue 5 adds: every clause typed with PLOVER, with status,
  participants, place, date and numbers.

The best of ``--repeat`` rounds is reported for each, so that a busy moment
on the machine does not count against either side.  Not a test: it prints
figures for the README.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build import DEFAULT_DATA, collect  # noqa: E402

from storyline.annotate import nlp  # noqa: E402
from storyline.annotate.actors import load_registry  # noqa: E402
from storyline.annotate.entities import extract_entities  # noqa: E402
from storyline.annotate.events import extract_events  # noqa: E402
from storyline.annotate.places import gazetteer  # noqa: E402
from storyline.annotate.quotes import extract_quotes  # noqa: E402
from storyline.annotate.sentences import split_sentences  # noqa: E402
from storyline.annotate.time import default_tagger  # noqa: E402
from storyline.clean import clean_text  # noqa: E402


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--topic", default="bpoil")
    ap.add_argument("--docs", type=int, default=400, help="articles to use (evenly spread over the topic)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no Timeline17 data at {args.data}")
    records = collect(args.data, args.topic)
    step = max(1, len(records) // args.docs)
    records = records[::step][: args.docs]

    start, base = time.perf_counter(), rss_mb()
    nlp.load()
    after_model = rss_mb()
    registry = load_registry()
    after_registry = rss_mb()
    names = gazetteer()
    after_gazetteer = rss_mb()
    kinds = Counter(a.type for a in registry.actors.values())
    places = len({p.id for cands in names.values() for p in cands})
    print(f"load: {time.perf_counter() - start:.2f} s once per process (not counted below)")
    print(f"  spaCy model {nlp.model_name()}: +{after_model - base:.0f} MB resident")
    print(f"  registry, {len(registry.actors)} actors ({', '.join(f'{n} {k}' for k, n in kinds.most_common())}): "
          f"+{after_registry - after_model:.0f} MB")
    print(f"  gazetteer, {len(names):,} names of {places:,} places: +{after_gazetteer - after_registry:.0f} MB")

    tagger = default_tagger()
    prepared = []
    for r in records:
        text = clean_text(r["text"]).text
        sentences = split_sentences(text)
        prepared.append((text, sentences, tagger.tag(text, sentences, r["published"]), r["published"]))
    words = sum(len(t.split()) for t, *_ in prepared)
    print(f"corpus: {len(prepared)} {args.topic} articles, {words:,} words")

    best_parse = best_link = best_events = float("inf")
    for _ in range(args.repeat):
        t_parse = t_link = t_events = 0.0
        for text, sentences, timexes, published in prepared:
            t0 = time.perf_counter()
            parsed = nlp.parse(text, [s.start for s in sentences])
            t1 = time.perf_counter()
            entities = extract_entities(text, sentences, parsed, registry, timexes, published)
            quotes = extract_quotes(text, sentences, entities, parsed)  # as annotate: before events
            t3 = time.perf_counter()
            extract_events("d", sentences, timexes, entities, parsed, published, None, quotes)
            t4 = time.perf_counter()
            t_parse += t1 - t0
            t_link += t3 - t1
            t_events += t4 - t3
        best_parse, best_link, best_events = min(best_parse, t_parse), min(best_link, t_link), \
            min(best_events, t_events)

    n = len(prepared)

    def row(label: str, seconds: float) -> None:
        print(f"{label:<27}{seconds:7.2f} s  {n / seconds:7.1f} docs/s  {words / seconds:9,.0f} words/s")

    row("bare spaCy:", best_parse)
    row("spaCy + linking:", best_parse + best_link)
    row("spaCy + linking + events:", best_parse + best_link + best_events)
    print(f"linking costs {100 * best_link / best_parse:.1f} % on top of bare spaCy (target: at most 25 %); "
          f"events {100 * best_events / best_parse:.1f} %")

if __name__ == "__main__":
    main()
