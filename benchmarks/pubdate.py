"""Where publication dates come from on a real pile, and how often each source is right.

    .venv/bin/python benchmarks/pubdate.py ../shared/data/timeline17 --hide-folders
    .venv/bin/python benchmarks/pubdate.py ../shared/data/ukraine/articles.jsonl --drop-metadata

Reads the inputs as a build does (ingest, clean), dates each article with
``pubdate.publication_date`` and then lets undated near-copies take their
original's date (``duplicates.date_copies``, no annotation), and prints how
many articles each source dated, before (metadata, HTML and the text cues
that existed before issue 16) and now.  The date the input states is kept
aside as the truth: a Timeline17 article's folder, a JSONL record's
"published"; ``--hide-folders`` and ``--drop-metadata`` withhold it from the
dating, to measure what rescues an undated pile, and each source's agreement
with the truth is printed.  Nothing is stored beside a temporary database.
Not a test: it prints figures for the README and the issue.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storyline import pubdate  # noqa: E402
from storyline.clean import clean_text  # noqa: E402
from storyline.ingest import iter_inputs  # noqa: E402
from storyline.link import duplicates  # noqa: E402
from storyline.model import Document, RawDoc  # noqa: E402
from storyline.store import Store  # noqa: E402

ORDER = ["metadata", "html", "dateline", "folder", "text", "user", "copy", "none"]


def _inputs(paths: list[str]) -> list[str]:
    """A Timeline17-style folder becomes its topics' InputDocs folders; anything else is read as given."""
    out = []
    for p in paths:
        topics = sorted(t / "InputDocs" for t in Path(p).iterdir() if (t / "InputDocs").is_dir()) \
            if Path(p).is_dir() else []
        out += [str(t) for t in topics] or [p]
    return out


def _before(raw: RawDoc, text: str) -> tuple[str | None, str]:
    """The date as it was found before datelines, folders, copies and --published."""
    if raw.published_from in ("metadata", "html") and (d := pubdate.normalise_date(raw.published)):
        return d, raw.published_from
    dates = list(pubdate._FULL_DATE.finditer(text))
    d = pubdate._note_date(text, dates) or pubdate.lead_date(text) or pubdate._as_of_date(text, dates)
    return (d, "text") if d else (None, "none")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--hide-folders", action="store_true", help="date without the files' folder names")
    ap.add_argument("--drop-metadata", action="store_true", help="date without the records' published field")
    ap.add_argument("--published", default=None, help="a date for the batch, as build --published")
    args = ap.parse_args()

    docs: list[Document] = []
    truth: dict[str, str | None] = {}
    before: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "dates.db") as store:
        for raw in iter_inputs(_inputs(args.paths)):
            if not isinstance(raw, RawDoc) or store.has_document(raw.id):
                continue
            text = clean_text(raw.text, raw.title).text
            if not text.strip():
                continue
            truth[raw.id] = pubdate.normalise_date(raw.published) or pubdate.folder_date(raw.path)
            if args.drop_metadata:
                raw = replace(raw, published=None, published_from="none")
            before[_before(raw, text)[1]] += 1
            published, source, after = pubdate.publication_date(
                raw.published, raw.published_from, text, raw_text=raw.text,
                path=None if args.hide_folders else raw.path, default=args.published)
            doc = Document(id=raw.id, text=text, raw_text=raw.text, title=raw.title, source=raw.source,
                           url=raw.url, external_id=raw.external_id, path=raw.path, fmt=raw.fmt,
                           published=published, published_from=source, published_after=after)
            store.add_document(doc)
            docs.append(doc)
        duplicates.date_copies(store, duplicates.update(store))
        final = {d.id: (d.published, d.published_from) for d in store.documents()}

    now = Counter(source for _, source in final.values())
    agree = Counter(source for doc, (day, source) in final.items() if day and day == truth.get(doc))
    known = Counter(source for doc, (day, source) in final.items() if day and truth.get(doc))
    print(f"{len(final)} articles" + (" (folders hidden)" if args.hide_folders else "")
          + (" (published fields dropped)" if args.drop_metadata else ""))
    print(f"{'source':10} {'before':>7} {'now':>7}  agrees with the input's own date")
    for source in ORDER:
        if before[source] or now[source]:
            share = f"{agree[source]} of {known[source]}" if known[source] else "-"
            print(f"{source:10} {before[source]:7d} {now[source]:7d}  {share}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
