"""Latency of `storyline serve` under load: concurrent clients over a mix of pages and API calls.

    .venv/bin/python benchmarks/web.py --db FILE [--clients 20] [--seconds 60] [--port P] [--seed 1]
    .venv/bin/python benchmarks/web.py --build DIR [...]    # first builds DIR/bench.db with benchmarks/build.py

The database is meant to be the Timeline17 bpoil build (``benchmarks/build.py
--fractions 1.0 --keep DIR`` leaves it at DIR/bench.db).  The script starts
the command users run, ``storyline serve --db FILE --port P``, as a child
process and waits until it answers.  It then reads real ids through the API
(stories, events of every story at several offsets, their actors, places and
articles, types and days, common words of the event summaries) and runs
``--clients`` threads for ``--seconds`` seconds.  Each thread has its own
keep-alive HTTP connection and sends its next request as soon as the last one
is answered (no think time), picking a route kind at random by the weights
in ``MIX``: the stories list, story pages (plain, filtered by type, dates,
words or actor, later pages), event, article, actor, search and
contradiction pages, and their API equivalents.  A few requests are meant
to fail (an unknown event, an impossible date) and count as errors only
when they do not answer the 404 or 400 they should.

It prints, per route kind, the requests, errors (any other status, or an
exception such as a timeout), and the 50th and 95th percentile and largest
latency in ms (request sent to body read, on the client); then throughput,
the server's CPU time, the machine's cores and the 1-minute load average
before and after the run (other work on the machine inflates every figure).
Exits 1 when any request erred.

Not a test: it prints figures for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from storyline.query import TYPES  # noqa: E402  (the types the event filter accepts)

TARGET_P95_MS = 300.0

# Route kind -> weight: roughly what people browsing a timeline ask for, pages more than the API.
MIX = {
    "/": 4,
    "/stories/{id}": 8,
    "/stories/{id}?type=": 4,
    "/stories/{id}?start=&end=": 4,
    "/stories/{id}?words=": 4,
    "/stories/{id}?actor=": 3,
    "/stories/{id}?offset=": 5,
    "/events/{id}": 12,
    "/documents/{id}": 6,
    "/actors/{id}": 4,
    "/search?q=": 6,
    "/contradictions": 2,
    "/api/stories": 3,
    "/api/events?...": 10,
    "/api/events/{id}": 8,
    "/api/search?q=": 4,
    "/api/documents/{id}": 2,
    "/api/actors/{id}": 2,
    "404/400 (intended)": 1,
}

STOPWORDS = set("""the and for that with from this have has had was were been are not but its his her their
they them said says will would could should about after before over into than then there which while who
what when where also more most some such other only into just like made make many much said says year years
since during under between against because""".split())


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(db: Path, port: int) -> list[str]:
    """``storyline serve``: the venv's console script when there is one, else the same through -m."""
    script = Path(sys.executable).parent / "storyline"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "storyline.cli"]
    return head + ["serve", "--db", str(db), "--port", str(port)]


def start_server(db: Path, port: int, log) -> subprocess.Popen:
    proc = subprocess.Popen(serve_command(db, port), stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            sys.exit(f"storyline serve exited with {proc.returncode}:\n{log.read()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    sys.exit("storyline serve did not answer within 60 s")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (its threads included), from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class Ids:
    """Real ids and values to ask about, read through the API before the run."""

    def __init__(self, base: str):
        with httpx.Client(base_url=base, timeout=60) as c:
            stories = c.get("/api/stories", params={"limit": 500}).raise_for_status().json()["stories"]
            if not stories:
                sys.exit("the database holds no story")
            self.stories = []  # (id, weight, events total, days, actors, types)
            self.events: list[str] = []
            actors: set[str] = set()
            places: set[str] = set()
            docs: set[str] = set()
            words: collections.Counter = collections.Counter()
            for s in stories[:40]:
                days = [d["day"] for d in s["per_day"]]
                story_actors: set[str] = set()
                types: set[str] = set()
                total = s["events"]
                for offset in sorted({0, total // 3, 2 * total // 3}):
                    page = c.get("/api/events", params={"story": s["id"], "limit": 200,
                                                        "offset": offset}).raise_for_status().json()
                    total = page["total"]
                    for e in page["events"]:
                        self.events.append(e["id"])
                        story_actors.update(a["id"] for a in e["actors"])
                        if e["location"]:
                            places.add(e["location"]["id"])
                        if e["type"] in TYPES:  # stored types the filter does not know (REQUEST) left out
                            types.add(e["type"])
                        words.update(w for w in re.findall(r"[a-z]{4,}", (e["summary"] or "").lower())
                                     if w not in STOPWORDS)
                actors |= story_actors
                self.stories.append((s["id"], max(1, s["documents"]), total, days, sorted(story_actors),
                                     sorted(types)))
            if not self.events:
                sys.exit("the database holds no event")
            rng = random.Random(0)
            for eid in rng.sample(self.events, min(60, len(self.events))):
                for m in c.get(f"/api/events/{quote(eid, safe='')}").raise_for_status().json()["mentions"]:
                    docs.add(m["document"]["id"])
        self.events = list(dict.fromkeys(self.events))
        self.entities = sorted(actors | places)
        self.docs = sorted(docs)
        self.words = [w for w, _ in words.most_common(30)] or ["the"]

    def story(self, rng: random.Random):
        return rng.choices(self.stories, weights=[s[1] for s in self.stories])[0]


def make_request(kind: str, ids: Ids, rng: random.Random) -> tuple[str, tuple[int, ...]]:
    """The URL for one request of ``kind`` and the statuses it should answer."""
    sid, _, total, days, actors, types = ids.story(rng)
    story = f"/stories/{quote(sid, safe='')}"
    ok = (200,)
    if kind == "/":
        return "/", ok
    if kind == "/stories/{id}":
        return story, ok
    if kind == "/stories/{id}?type=":
        return f"{story}?{urlencode({'type': rng.choice(types or ['STATEMENT'])})}", ok
    if kind == "/stories/{id}?start=&end=":
        if not days:
            return story, ok
        a, b = sorted(rng.sample(days, 2)) if len(days) > 1 else (days[0], days[0])
        return f"{story}?{urlencode({'start': a, 'end': b})}", ok
    if kind == "/stories/{id}?words=":
        return f"{story}?{urlencode({'words': rng.choice(ids.words)})}", ok
    if kind == "/stories/{id}?actor=":
        if not actors:
            return story, ok
        return f"{story}?{urlencode({'actor': rng.choice(actors)})}", ok
    if kind == "/stories/{id}?offset=":
        pages = max(1, (total + 49) // 50)
        return f"{story}?{urlencode({'limit': 50, 'offset': 50 * rng.randrange(pages)})}", ok
    by_id = {"events": ids.events, "documents": ids.docs, "actors": ids.entities}
    if kind.endswith("/{id}"):  # one event, article or actor, as a page or through the API
        prefix = kind[:-len("/{id}")]
        return f"{prefix}/{quote(rng.choice(by_id[prefix.rsplit('/', 1)[-1]]), safe='')}", ok
    if kind == "/search?q=":
        q = " ".join(rng.sample(ids.words, min(len(ids.words), rng.choice((1, 1, 2)))))
        return f"/search?{urlencode({'q': q})}", ok
    if kind == "/contradictions":
        return "/contradictions" + (f"?{urlencode({'story': sid})}" if rng.random() < 0.5 else ""), ok
    if kind == "/api/stories":
        return "/api/stories", ok
    if kind == "/api/events?...":
        params: dict = {"story": sid, "offset": 50 * rng.randrange(max(1, (total + 49) // 50))}
        extra = rng.choice(("none", "type", "dates", "words", "actor", "sort"))
        if extra == "type" and types:
            params["type"] = rng.choice(types)
        elif extra == "dates" and days:
            params.update(start=days[0][:7], end=days[-1][:7], offset=0)
        elif extra == "words":
            params.update(words=rng.choice(ids.words), offset=0)
        elif extra == "actor" and actors:
            params.update(actor=rng.choice(actors), offset=0)
        elif extra == "sort":
            params.update(sort=rng.choice(("-date", "salience")))
        return f"/api/events?{urlencode(params)}", ok
    if kind == "/api/search?q=":
        return f"/api/search?{urlencode({'q': rng.choice(ids.words)})}", ok
    if kind == "404/400 (intended)":
        return rng.choice([("/events/no-such-event", (404,)), ("/api/events/no-such-event", (404,)),
                           (f"/api/events?{urlencode({'start': '2010-02-30'})}", (400,)),
                           (f"{story}?{urlencode({'type': 'NOT_A_TYPE'})}", (400,))])
    raise ValueError(kind)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = collections.defaultdict(list)
        self.errors: collections.Counter = collections.Counter()
        self.examples: dict[str, str] = {}

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latency[kind].append(ms)
            if error:
                self.errors[kind] += 1
                self.examples.setdefault(kind, error)


def client(base: str, ids: Ids, seed: int, stop_at: float, results: Results) -> None:
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    with httpx.Client(base_url=base, timeout=30) as c:
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights=weights)[0]
            url, expected = make_request(kind, ids, rng)
            start = time.perf_counter()
            error = None
            try:
                r = c.get(url)
                r.read()
                if r.status_code not in expected:
                    error = f"{r.status_code} for {url}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__} for {url}: {exc}"
            results.add(kind, (time.perf_counter() - start) * 1000, error)


def build_db(folder: Path) -> Path:
    db = folder / "bench.db"
    if not db.exists():
        cmd = [sys.executable, str(ROOT / "benchmarks" / "build.py"), "--fractions", "1.0", "--keep", str(folder)]
        print("building:", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
    return db


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="the database to serve")
    where.add_argument("--build", type=Path, metavar="DIR",
                       help="serve DIR/bench.db, building it first with benchmarks/build.py when it is missing")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--port", type=int, default=None, help="default: a free port")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    db = args.db if args.db else build_db(args.build)
    if not db.is_file():
        print(f"no database at {db}", file=sys.stderr)
        return 1
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"load average before starting: {load_before[0]:.2f} (1 min), {load_before[1]:.2f} (5 min)")
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"storyline-serve-{port}.log"
    with open(log_path, "w+") as log:
        server = start_server(db, port, log)
        try:
            started = time.perf_counter()
            ids = Ids(base)
            print(f"serving {db} ({db.stat().st_size / 2**20:.0f} MB) on port {port}; read "
                  f"{len(ids.stories)} stories, {len(ids.events)} event ids, {len(ids.docs)} articles, "
                  f"{len(ids.entities)} actors and places, {len(ids.words)} words "
                  f"in {time.perf_counter() - started:.1f} s", flush=True)
            results = Results()
            cpu0 = cpu_seconds(server.pid)
            start = time.perf_counter()
            stop_at = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client, args=(base, ids, args.seed * 1000 + i, stop_at, results))
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
            cpu = cpu_seconds(server.pid) - cpu0
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    log_path.unlink(missing_ok=True)
    load_after = os.getloadavg()

    print(f"\n{args.clients} clients for {elapsed:.1f} s, no think time\n")
    print("| route | requests | errors | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    every: list[float] = []
    worst = 0.0
    for kind in MIX:
        ms = results.latency.get(kind, [])
        every += ms
        if not ms:
            print(f"| `{kind}` | 0 | 0 | | | |")
            continue
        p95 = percentile(ms, 0.95)
        if kind != "404/400 (intended)":
            worst = max(worst, p95)
        print(f"| `{kind}` | {len(ms):,} | {results.errors[kind]} | {percentile(ms, 0.5):.0f} | "
              f"{p95:.0f} | {max(ms):.0f} |")
    errors = sum(results.errors.values())
    print(f"| all | {len(every):,} | {errors} | {percentile(every, 0.5):.0f} | {percentile(every, 0.95):.0f} | "
          f"{max(every, default=0):.0f} |")
    print(f"\nthroughput: {len(every) / elapsed:.1f} requests/s; server CPU {cpu:.1f} s "
          f"({cpu / elapsed:.0%} of one core)")
    print(f"largest p95 of a route: {worst:.0f} ms (target {TARGET_P95_MS:.0f} ms): "
          f"{'met' if worst <= TARGET_P95_MS else 'NOT met'}; errors: {errors}")
    print(f"machine: {os.cpu_count()} cores; load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after (1 min)")
    for kind, example in results.examples.items():
        print(f"error in {kind}: {example}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
