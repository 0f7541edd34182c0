"""Worker processes of a parallel build end with the build, even when it is killed with SIGKILL.

Linux only: the tests find a process's children and states through /proc.
A worker that has exited but not yet been reaped by init is a zombie; that
counts as gone (it holds no memory).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import stored_count

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return kids
    for task in tasks:
        try:
            kids.update(int(k) for k in Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return kids


def _running(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _kill_and_time_workers(cmd: list[str], workers: int, ready: float, busy=lambda: True) -> float:
    """Run cmd in its own session, wait for its worker children (and ``busy()``),
    SIGKILL it; seconds until every worker is gone."""
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    try:
        assert _wait_for(lambda: (len(_children(proc.pid)) >= workers and busy()) or proc.poll() is not None,
                         ready), "the workers never got going"
        assert proc.poll() is None, "finished before it could be killed"
        kids = _children(proc.pid)
        assert len(kids) == workers and all(_running(k) for k in kids)
        os.kill(proc.pid, signal.SIGKILL)
        killed = time.monotonic()
        proc.wait(timeout=10)
        gone = _wait_for(lambda: not any(_running(k) for k in kids), 5)
        took = time.monotonic() - killed
        print(f"workers {sorted(kids)} gone {took:.2f} s after the SIGKILL")
        assert gone, f"workers {sorted(k for k in kids if _running(k))} outlived the killed build"
        return took
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        for k in kids:  # never leave one behind, even when the test fails
            if _running(k):
                try:
                    os.kill(k, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def test_workers_exit_when_a_build_is_killed(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    for i in range(30):  # enough work that the build is still running when its workers are up
        body = "\n\n".join(texts[(i + k) % len(texts)] for k in range(4))
        (folder / f"article-{i:02d}.txt").write_text(
            f"{body}\n\nOn June {1 + i % 28}, 2025, officials in Sumy said shelling damaged {i + 3} homes.\n",
            encoding="utf-8")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "storyline.cli", "build", str(folder), "--db", str(db), "-q", "--workers", "2"]
    # Killed once articles are being stored: the workers are loaded and busy, as in a real build.
    took = _kill_and_time_workers(cmd, workers=2, ready=60, busy=lambda: stored_count(db) >= 1)
    assert took < 5


def test_workers_of_a_pool_made_off_the_main_thread_watch_their_parent(tmp_path):
    # Here the kernel's parent-death signal is not used (it would fire when the
    # thread that forked them ends), so the workers poll their parent's pid.
    script = textwrap.dedent("""
        import os, threading, time
        from storyline import pipeline

        def run():
            pool = pipeline._pool(2)
            futures = [pool.submit(time.sleep, 0.2) for _ in range(4)]
            [f.result() for f in futures]
            time.sleep(600)

        worker = threading.Thread(target=run)
        worker.start()
        worker.join()  # the main thread stays: the pool refuses work once it has ended
    """)
    took = _kill_and_time_workers([sys.executable, "-c", script], workers=2, ready=20)
    assert took < 3
