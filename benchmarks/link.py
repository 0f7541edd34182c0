"""Near-duplicates and stories over Timeline17 (bpoil with H1N1), without the parse.

    .venv/bin/python benchmarks/link.py [--data ../shared/data/timeline17]

Articles are cleaned, split into sentences and stored (no spaCy, so stories
see words only, no entities: a harder setting than a real build).  H1N1's
dates are moved a year on so the two topics run side by side and the 30-day
window cannot keep them apart by itself.  Prints the duplicates found and
every checked pair scoring 0.5 or more (copies from 0.6), the stories'
purity against the topic folders, the share of each topic in its largest
story, and the time of each step — once in one batch, once in two
(75 % then 25 %), checking that the second batch moves no earlier article.

Not a test: it prints figures for the README.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build import DEFAULT_DATA, collect  # noqa: E402

from storyline.annotate.sentences import split_sentences  # noqa: E402
from storyline.clean import clean_text  # noqa: E402
from storyline.link import duplicates, stories  # noqa: E402
from storyline.model import Document, content_id  # noqa: E402
from storyline.store import Store  # noqa: E402


def read(data: Path) -> list[tuple[str, Document]]:
    """(topic, document) pairs in file order; the flu a year later."""
    out = []
    for topic in ("bpoil", "H1N1"):
        for r in collect(data, topic):
            raw = r["text"]
            text = clean_text(raw, None).text
            if not text.strip():
                continue
            folder, day, name = r["id"].split("/")
            if topic == "H1N1":
                day = f"{int(day[:4]) + 1}{day[4:]}"
            out.append((topic, Document(
                id=content_id(raw), text=text, raw_text=raw, title=None, source=folder, url=None,
                external_id=None, path=str(data / folder / "InputDocs" / r["published"] / name), fmt="txt",
                published=day, published_from="metadata", sentences=split_sentences(text))))
    return out


def link(store: Store) -> tuple[dict, dict, float, float]:
    start = time.perf_counter()
    copies = duplicates.update(store)
    mid = time.perf_counter()
    story_of = stories.update(store, copies)
    return copies, story_of, mid - start, time.perf_counter() - mid


def report(story_of: dict[str, str], topic_of: dict[str, str]) -> str:
    members: dict[str, Counter] = defaultdict(Counter)
    for doc, sid in story_of.items():
        members[sid][topic_of[doc]] += 1
    purity = sum(c.most_common(1)[0][1] for c in members.values()) / len(story_of)
    shares = []
    for topic in ("bpoil", "H1N1"):
        total = sum(t == topic for t in topic_of.values())
        shares.append(f"{topic} {max(c[topic] for c in members.values()) / total:.1%} in its largest story")
    return f"{len(members)} stories, purity {purity:.3f}; " + ", ".join(shares)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no Timeline17 data at {args.data}")
    docs = read(args.data)
    topic_of = {d.id: t for t, d in docs}
    print(f"{len(topic_of)} articles ({sum(t == 'bpoil' for t in topic_of.values())} bpoil, "
          f"{sum(t == 'H1N1' for t in topic_of.values())} H1N1)")
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "one.db") as store:
            for _, d in docs:
                store.add_document(d)
            copies, story_of, t_dup, t_story = link(store)
            again = link(store)
            pairs = [p for p in store.near_duplicate_pairs() if p[2] >= 0.5]
        per_topic = Counter(topic_of[c] for c in copies)
        print(f"one batch: duplicates {t_dup:.1f} s, stories {t_story:.1f} s; re-link with nothing new "
              f"{again[2] + again[3]:.2f} s")
        print(f"  {len(copies)} copies ({per_topic['bpoil']} bpoil, {per_topic['H1N1']} H1N1)")
        source = {d.id: f"{d.source}/{Path(d.path).parent.name}" for _, d in docs}
        for a, b, score in sorted(pairs, key=lambda p: -p[2]):
            mark = "copy" if score >= duplicates.THRESHOLD else "kept apart"
            print(f"    {score:.2f} {mark:10} {source[a]} ~ {source[b]}")
        print("  " + report(story_of, topic_of))
        cut = len(docs) * 3 // 4
        with Store(Path(tmp) / "two.db") as store:
            for _, d in docs[:cut]:
                store.add_document(d)
            _, first, _, _ = link(store)
            for _, d in docs[cut:]:
                store.add_document(d)
            _, story_of, t_dup, t_story = link(store)
        moved = sum(story_of[d] != s for d, s in first.items())
        print(f"two batches: the second took duplicates {t_dup:.1f} s, stories {t_story:.1f} s; "
              f"{moved} earlier articles moved")
        print("  " + report(story_of, topic_of))


if __name__ == "__main__":
    main()
