"""Which database a command opens (issue 19, first step): ``--db``, else ``$STORYLINE_DB``, else
./storyline.db; the store is the ``storyline.store`` package and a server URL, which no backend here
serves yet, is refused as a bad option rather than taken for a file name."""

from __future__ import annotations

import pytest

from helpers import free_port

from storyline import cli
from storyline.store import DEFAULT_DB, check_db, default_db


def test_storyline_db_sets_the_default(examples_db, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STORYLINE_DB", examples_db["db"])
    assert default_db() == examples_db["db"]
    assert cli.main(["stories"]) == 0
    listed = capsys.readouterr().out
    assert "Alaska summit" in listed and "Dnipro" in listed
    assert not (tmp_path / DEFAULT_DB).exists()  # nothing was made where the default file would be
    # --db still wins over the variable
    assert cli.main(["stories", "--db", str(tmp_path / "none.db")]) == 1
    assert "no database at" in capsys.readouterr().err


def test_without_the_variable_the_default_is_the_file_here(monkeypatch):
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    assert default_db() == "storyline.db"
    monkeypatch.setenv("STORYLINE_DB", "   ")
    assert default_db() == "storyline.db"


@pytest.mark.parametrize("url", ["mysql://h/db", "sqlite:///x.db"])
def test_a_url_of_another_kind_is_a_bad_option_not_a_file(url, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="postgresql:// URL"):
        check_db(url)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["stories", "--db", url])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "postgresql:// URL" in err and "Traceback" not in err
    monkeypatch.setenv("STORYLINE_DB", url)
    with pytest.raises(SystemExit):
        cli.main(["timeline"])
    assert not list(tmp_path.iterdir())  # no file named after the URL


@pytest.mark.parametrize("url", ["postgresql://user:secret@127.0.0.1:{port}/news", "postgres://127.0.0.1:{port}/db"])
def test_a_server_that_does_not_answer_is_one_line_without_the_password(url, monkeypatch, tmp_path, capsys):
    pytest.importorskip("psycopg")
    monkeypatch.chdir(tmp_path)
    url = url.format(port=free_port())  # nothing listens there
    assert check_db(url) == url
    assert cli.main(["timeline", "--db", url]) == 2
    err = capsys.readouterr().err
    assert "cannot connect" in err and "127.0.0.1" in err and "secret" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
