"""`storyline build --dask` (issue 19): the per-article stages on Dask distributed workers store
what the process pool stores, in input order; an article that kills its worker is tried on another
once and then reported, the rest kept; a bad --dask value is a setup error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from storyline import api, cli

from helpers import dies_on_poison, poison_batch

pytest.importorskip("distributed", reason="the dask extra is not installed")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def test_a_dask_build_stores_what_a_serial_build_stores(tmp_path):
    serial, on_dask = tmp_path / "one.db", tmp_path / "dask.db"
    api.build([str(EXAMPLES)], db=str(serial), progress=False, workers=1)
    report = api.build([str(EXAMPLES)], db=str(on_dask), progress=False, dask="local:2")
    assert report.ok and report.added >= 10
    one, two = api.export(str(serial)), api.export(str(on_dask))
    assert [d["id"] for d in one["documents"]] == [d["id"] for d in two["documents"]]
    assert one["events"] == two["events"] and one["quotes"] == two["quotes"]
    assert one["contradictions"] == two["contradictions"]
    # a second build on Dask finds everything stored
    again = api.build([str(EXAMPLES)], db=str(on_dask), progress=False, dask="local:1")
    assert again.added == 0 and again.unchanged == report.added


@pytest.mark.skipif(sys.platform != "linux", reason="the stand-in reaches the workers by fork")
def test_an_article_that_kills_dask_workers_is_skipped_and_the_rest_kept(tmp_path, monkeypatch):
    import dask

    from storyline import pipeline

    folder = tmp_path / "batch"
    poison_batch(folder, ["Kharkiv", "Odesa", "Dnipro", "Sumy", "Poltava"], 2)
    monkeypatch.setattr(pipeline, "_real_process", pipeline.process, raising=False)
    monkeypatch.setattr(pipeline, "process", dies_on_poison)
    skips = []
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
        report = api.build([str(folder)], db=str(tmp_path / "p.db"), progress=False, dask="local:2",
                           on_skip=skips.append)
    assert report.added == 4
    assert [s.origin for s in skips] == [str(folder / "2.txt")]
    assert "died" in skips[0].reason
    assert not report.ok


@pytest.mark.parametrize("value", ["local:0", "local:two", "elsewhere", "tcp://host", "http://h:8786"])
def test_a_bad_dask_value_is_refused_before_anything_is_read(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["build", str(EXAMPLES), "--db", str(tmp_path / "x.db"), "--dask", value])
    assert stop.value.code == 2 and "--dask" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_a_build_uses_a_running_scheduler_by_its_address(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        rc = cli.main(["build", str(EXAMPLES / "02-dnipro-strike-harbor-post.html"), "--db", str(tmp_path / "s.db"),
                       "--dask", cluster.scheduler_address, "-q"])
        assert rc == 0
        assert len(cluster.scheduler.workers) == 1  # the cluster outlives the build that used it
    events = api.export(str(tmp_path / "s.db"))["events"]
    assert any(e["type"] == "ASSAULT" for e in events)


def test_without_distributed_dask_is_a_setup_error(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    rc = cli.main(["build", str(EXAMPLES), "--db", str(tmp_path / "x.db"), "--dask", "local:1"])
    assert rc == 2 and "pip install 'storyline[dask]'" in capsys.readouterr().err
