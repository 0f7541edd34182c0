"""What the noise rules of issue 16 (step 3) remove on real pages, and what news they cost.

    .venv/bin/python benchmarks/noise.py                 # every part found under ../shared/data
    .venv/bin/python benchmarks/noise.py --show held-out # also print the lines removed on that half

Reads the pages as a build does (ingest, then ``clean.clean_text``) and counts
the lines removed for the reasons the step added: reader comments, comment
policy, photo credit, photo caption, media player, prompt, print edition note.
The real data is split in two: the half the rules were written on
("written-on": Timeline17 bpoil_bbc and bpoil_guardian, article-extraction
pages with an even id) and the half kept for measuring ("held-out":
bpoil_foxnews, bpoil_reuters, bpoil_washingtonpost, odd page ids, the 412
ukraine articles).  On article-extraction, whose ground-truth.json gives each
page's true article body, a removed line counts as lost news when it occurs
in that body (whitespace and quote marks normalised); the share is of the
characters removed.  "Noisy kept" counts the lines and titles that still match
the noise patterns of tests/test_noise.py.  Not a test: it prints figures for
the issue.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from storyline.clean import clean_text  # noqa: E402
from storyline.ingest import iter_inputs  # noqa: E402
from storyline.model import RawDoc  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
REASONS = ("reader comments", "comment policy", "photo credit", "photo caption", "media player", "prompt",
           "print edition note")


def _docs(paths: list[Path]) -> list[RawDoc]:
    return [d for d in iter_inputs([str(p) for p in paths]) if isinstance(d, RawDoc)]


def _timeline17(folders: tuple[str, ...]) -> list[RawDoc]:
    return _docs([p for f in folders for p in sorted((DATA / "timeline17" / f / "InputDocs").glob("*/*.htm.txt"))])


def _pages(parity: int) -> list[RawDoc]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in sorted((DATA / "article-extraction" / "html").glob("*.html.gz")):
            pid = page.name.split(".")[0]
            if int(pid, 16) % 2 != parity:
                continue
            path = Path(tmp) / "page.html"
            path.write_bytes(gzip.decompress(page.read_bytes()))
            for d in _docs([path]):
                d.external_id = pid
                out.append(d)
    return out


PARTS = {
    "written-on": {
        "timeline17 bpoil_bbc+guardian": lambda: _timeline17(("bpoil_bbc", "bpoil_guardian")),
        "article-extraction even ids": lambda: _pages(0),
        "seeds-sample": lambda: _docs([DATA / "seeds-sample" / "articles.jsonl"]),
    },
    "held-out": {
        "timeline17 bpoil_foxnews+reuters+washingtonpost":
            lambda: _timeline17(("bpoil_foxnews", "bpoil_reuters", "bpoil_washingtonpost")),
        "article-extraction odd ids": lambda: _pages(1),
        "ukraine": lambda: _docs([DATA / "ukraine" / "articles.jsonl"]),
    },
}


def _norm(s: str) -> str:
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("\u00a0", " ")
    return " ".join(s.split()).casefold()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", choices=sorted(PARTS), action="append", default=[],
                    help="print every line the rules removed on this half")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"no shared data at {DATA}", file=sys.stderr)
        return 1
    from test_noise import noise_in

    truth_file = DATA / "article-extraction" / "ground-truth.json"
    truth = {k: v["articleBody"] if isinstance(v, dict) else v
             for k, v in json.loads(truth_file.read_text(encoding="utf-8")).items()} if truth_file.exists() else {}
    for half, parts in PARTS.items():
        print(f"## {half}")
        for name, read in parts.items():
            try:
                docs = read()
            except OSError:
                docs = []
            if not docs:
                print(f"{name}: not present")
                continue
            by_reason: Counter[str] = Counter()
            removed_chars = lost_chars = noisy_lines = noisy_titles = titles_changed = 0
            for d in docs:
                c = clean_text(d.text, d.title)
                body = _norm(truth.get(d.external_id or "", "")) if name.startswith("article") else ""
                for r in c.removed:
                    if r.reason not in REASONS:
                        continue
                    by_reason[r.reason] += 1
                    removed_chars += len(r.text)
                    if body and _norm(r.text) and _norm(r.text) in body:
                        lost_chars += len(r.text)
                    if half in args.show:
                        print(f"  [{r.reason}] {r.text}")
                noisy_lines += sum(1 for line in c.text.splitlines() if noise_in(line))
                noisy_titles += bool(noise_in(c.title))
                titles_changed += c.title != d.title
            lost = (f"; in the true body: {lost_chars} of {removed_chars} characters removed "
                    f"({lost_chars / removed_chars:.1%})" if name.startswith("article") and removed_chars else "")
            print(f"{name}: {len(docs)} articles, {sum(by_reason.values())} lines removed "
                  f"({', '.join(f'{k} {v}' for k, v in by_reason.most_common())}){lost}; "
                  f"titles changed {titles_changed}; noisy kept: {noisy_lines} lines, {noisy_titles} titles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
