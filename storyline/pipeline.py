"""The build: ingest → clean → annotate → store → link.

``process`` is the per-document part and a pure function of one ``RawDoc``;
``build`` drives it over inputs, on several processes when asked, writes each
document in its own transaction and in input order (so a killed build resumes
where it stopped, and the database does not depend on the number of workers)
and re-links afterwards.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Callable, Iterable, Iterator

from . import link
from .annotate import annotate
from .clean import clean_text
from .ingest import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, count_inputs, iter_inputs
from .annotate import nlp
from .annotate.actors import load_registry
from .model import BuildReport, Document, RawDoc, Settings, Skip
from .pubdate import publication_date
from .store import Store, UnstorableDocument


class NothingLeft(ValueError):
    """An article whose text is all boilerplate: there is nothing to store."""


def process(raw: RawDoc, settings: Settings = Settings()) -> Document:
    """Clean, date and annotate one article; ``NothingLeft`` when cleaning leaves no text."""
    cleaned = clean_text(raw.text, raw.title)
    if not cleaned.text.strip():
        reasons = sorted({r.reason for r in cleaned.removed})
        raise NothingLeft("no article text left after cleaning (removed: " + ", ".join(reasons) + ")"
                          if reasons else "no article text")
    published, published_from, published_after = publication_date(
        raw.published, raw.published_from, cleaned.text, raw_text=raw.text, path=raw.path,
        default=settings.published)
    doc = Document(
        id=raw.id, text=cleaned.text, raw_text=raw.text, title=cleaned.title, source=raw.source,
        url=raw.url, external_id=raw.external_id, path=raw.path, fmt=raw.fmt,
        published=published, published_from=published_from, published_after=published_after,
        byline=cleaned.byline, desk=cleaned.desk, removed=cleaned.removed,
    )
    return annotate(doc, settings=settings)


def default_workers() -> int:
    """One process per core, at most four: each holds its own parser and gazetteer (about 400 MB)."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def build(paths: Iterable[str], store: Store, *, allow_private: bool = False,
          max_bytes: int = DEFAULT_MAX_BYTES, progress: bool | None = None,
          on_skip: Callable[[Skip], None] | None = None, settings: Settings = Settings(),
          workers: int | None = 1, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
          on_warning: Callable[[Skip], None] | None = None,
          on_progress: Callable[[int], None] | None = None, dask: str | None = None,
          inputs: Iterable[RawDoc | Skip] | None = None,
          on_stored: Callable[[RawDoc], None] | None = None) -> BuildReport:
    """Ingest every path into the store and re-link; bad items are reported, never fatal.

    ``inputs``, when given, are articles already read (``ingest``'s RawDocs and Skips), built
    instead of reading ``paths``; ``on_stored`` hears of each article once it is in the store
    (added, revised or there already), in its own transaction's wake.

    ``dask`` ("local", "local:N" or a scheduler's "tcp://HOST:PORT") cleans and annotates the
    articles on Dask distributed workers instead of this machine's process pool (``workers`` is
    then unused); results are stored in input order all the same.

    With ``workers`` above 1 the articles are cleaned and annotated by that
    many processes while this one reads inputs and writes results; None
    means ``default_workers()``.  ``on_skip`` hears of every item left out,
    ``on_warning`` of every article kept after a repair (its notes), ``on_progress`` of how many
    inputs are done after each one (then of -1 when linking starts).
    """
    from tqdm import tqdm

    # Setup errors (a broken actor file, a missing model) stop the build before it starts.
    load_registry(settings.actors)
    nlp.load(settings.spacy_model)

    workers = default_workers() if workers is None else workers
    if dask is not None:
        parse_dask(dask)  # a bad address is a setup error, before any input is read
        if importlib.util.find_spec("distributed") is None:
            raise RuntimeError("--dask needs Dask distributed: pip install 'storyline[dask]'")
    report = BuildReport()
    paths = list(paths)
    show = sys.stderr.isatty() if progress is None else progress
    # Counting reads the inputs' sizes and JSONL line counts, so only pay for
    # it when a bar is actually shown.
    total = count_inputs(paths) if show and inputs is None else None
    bar = tqdm(total=total, unit="doc", desc="build", disable=not show, file=sys.stderr, leave=False)

    def skipped(skip: Skip) -> None:
        report.skipped.append(skip)
        if on_skip:
            on_skip(skip)

    def warned(item: RawDoc) -> None:
        for note in item.notes:
            warning = Skip(item.origin, note)
            report.warnings.append(warning)
            if on_warning:
                on_warning(warning)

    stored: list[str] = []  # every article of this build that is in the store, new or not

    def todo() -> Iterator[RawDoc | Skip | None]:
        """Inputs still to process; None stands for one already stored."""
        read = inputs if inputs is not None else iter_inputs(paths, allow_private=allow_private,
                                                             max_bytes=max_bytes, max_file_bytes=max_file_bytes)
        for item in read:
            if isinstance(item, RawDoc) and store.has_document(item.id):
                stored.append(item.id)
                if on_stored:
                    on_stored(item)
                yield None
            else:
                yield item

    try:
        processed = _processed(todo(), settings, workers) if dask is None else _on_dask(todo(), settings, dask)
        for done, (item, result) in enumerate(processed, start=1):
            bar.update(1)
            if on_progress:
                on_progress(done)
            if item is None:
                report.unchanged += 1
            elif isinstance(item, Skip):
                skipped(item)
            elif isinstance(result, NothingLeft):
                skipped(Skip(item.origin, str(result)))
            elif isinstance(result, BaseException):  # one bad article never kills the batch
                skipped(Skip(item.origin, f"could not be processed: {type(result).__name__}: {result}"))
            else:
                try:
                    status = store.add_document(result)
                except UnstorableDocument as exc:  # this article's data, not the store
                    skipped(Skip(item.origin, f"could not be stored: {exc}"))
                    continue
                stored.append(result.id)
                if on_stored:
                    on_stored(item)
                warned(item)
                if status == "added":
                    report.added += 1
                elif status == "revision":
                    report.revisions += 1
                else:
                    report.unchanged += 1
    finally:
        bar.close()
    if on_progress:
        on_progress(-1)
    # Another build may store documents while this one links: link again
    # (a few times at most; that build links at its end too).
    for _ in range(3):
        if not store.needs_link():
            break
        link.link(store, reannotate=partial(annotate, settings=settings))
    report.events = len(store.events())
    report.contradictions = len(store.contradictions())
    report.articles = len(set(stored))
    report.undated = len(store.undated(stored))  # after the link, which dates copies
    return report


def _attempt(item: RawDoc, settings: Settings) -> Document | Exception:
    try:
        return process(item, settings)
    except Exception as exc:
        return exc


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process does, however it ends."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    return ProcessPoolExecutor(workers, initializer=_die_with_parent, initargs=(os.getpid(), on_main_thread))


def _die_with_parent(creator: int, on_main_thread: bool) -> None:
    """Pool initializer: make this worker exit as soon as its parent is gone.

    A worker waits on its task queue, and it holds its own end of that queue
    open, so it would not notice a build killed with SIGKILL and would live
    on (a parser and gazetteer, some hundreds of MB each).  On Linux the
    kernel sends SIGKILL on the parent's death (PR_SET_PDEATHSIG).  That
    counts the death of the parent *thread* that forked the worker, so it is
    asked for only when the pool was made on the main thread (whose end is
    the end of the process); in any other case, and off Linux, a daemon
    thread polls the parent's pid every second instead.
    """
    parent = os.getppid()
    armed = False
    if sys.platform.startswith("linux") and on_main_thread:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    # The parent may have died before we got here, when nothing would tell us:
    # then we have been reparented already.  (Under the "forkserver" start
    # method our parent is the fork server, which exits with the build.)
    if os.getppid() != parent or (parent != creator and not _alive(creator)):
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), name="storyline-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1)
        if os.getppid() != parent:  # reparented: the build is gone
            os._exit(1)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, and someone else's
        pass
    return True


def _processed(items: Iterable[RawDoc | Skip | None], settings: Settings,
               workers: int) -> Iterator[tuple[RawDoc | Skip | None, Document | Exception | None]]:
    """Each item with its processed document (or the exception it raised), in input order.

    In parallel, at most four items per worker are in flight, so memory does
    not grow with the input.  If a worker dies, every article it took down
    is tried again alone in a fresh process, so only an article that kills
    a process by itself is reported, and the rest go to a new pool.
    """
    if workers <= 1:
        for item in items:
            yield item, (_attempt(item, settings) if isinstance(item, RawDoc) else None)
        return
    pool, generation = _pool(workers), 0
    window: deque[tuple[RawDoc | Skip | None, Future | None, int]] = deque()

    def healthy(future: Future) -> bool:
        return future.done() and not future.cancelled() and future.exception() is None

    def finished():
        nonlocal pool, generation
        item, future, born = window.popleft()
        if future is None:
            return item, None
        try:
            return item, future.result()
        except (BrokenProcessPool, CancelledError):
            if born == generation:
                # The pool is gone: what it still held goes to a new one.
                pool.shutdown(wait=False, cancel_futures=True)
                pool, generation = _pool(workers), generation + 1
                for k, (other, f, _) in enumerate(window):
                    if f is not None and not healthy(f):
                        window[k] = (other, pool.submit(_attempt, other, settings), generation)
            with _pool(1) as alone:
                try:
                    return item, alone.submit(_attempt, item, settings).result()
                except BrokenProcessPool:
                    return item, RuntimeError("the process annotating it died")

    try:
        for item in items:
            future = pool.submit(_attempt, item, settings) if isinstance(item, RawDoc) else None
            window.append((item, future, generation))
            while len(window) > 4 * workers:
                yield finished()
        while window:
            yield finished()
    finally:
        pool.shutdown(cancel_futures=True)


def parse_dask(spec: str) -> tuple[str, int | None]:
    """("local", N or None) for "local" or "local:N", ("address", None) for "tcp://HOST:PORT";
    ValueError for anything else."""
    if spec == "local":
        return "local", None
    if spec.startswith("local:"):
        n = spec.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise ValueError(f"--dask {spec}: the workers after local: must be a whole number from 1")
        return "local", int(n)
    if re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d+", spec):
        return spec, None
    raise ValueError(f"--dask {spec!r}: give local, local:N or a scheduler address tcp://HOST:PORT")


def _on_dask(items: Iterable[RawDoc | Skip | None], settings: Settings,
             spec: str) -> Iterator[tuple[RawDoc | Skip | None, Document | Exception | None]]:
    """As ``_processed``, on Dask distributed workers: a LocalCluster of processes for "local[:N]",
    else the scheduler at the address.  Each worker process loads the models once (the same module
    caches as a pool worker) and keeps them.  At most four articles per worker are in flight.  A
    worker that dies takes only its articles with it: the scheduler gives each of them to another
    worker once (``allowed-failures`` 1 on a local cluster), and an article that kills a second
    worker is tried once more alone, then reported as skipped."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.scheduler import KilledWorker

    where, n = parse_dask(spec)
    cluster = None
    # worker-saturation 1.0: a worker holds only the article it works on, so one that dies takes no
    # other article's attempt with it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0,
                          "distributed.logging.distributed": "error"}):
        if where == "local":
            cluster = LocalCluster(n_workers=n or default_workers(), threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
        else:
            client = Client(where, timeout="30s")
    try:
        width = 4 * max(1, len(client.scheduler_info().get("workers", {})))
        window: deque = deque()

        def finished():
            item, future = window.popleft()
            if future is None:
                return item, None
            try:
                return item, future.result()
            except KilledWorker:
                try:  # once more, alone, in case a worker fell to another article while holding it
                    return item, client.submit(_attempt, item, settings, pure=False).result()
                except KilledWorker:
                    return item, RuntimeError("the Dask workers annotating it died each time it was tried")
            except Exception as exc:  # noqa: BLE001 - lost connection, a cancelled task: this article alone
                return item, exc

        for item in items:
            future = client.submit(_attempt, item, settings, pure=False) if isinstance(item, RawDoc) else None
            window.append((item, future))
            while len(window) > width:
                yield finished()
        while window:
            yield finished()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
