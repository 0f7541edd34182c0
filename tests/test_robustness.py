"""Bad input, races and operator errors (issue 15): one line per bad item, nothing else lost.

Each test rebuilds a failure a probe of hostile input found, from its
description, and checks the promise: the bad item is reported in one line
naming its file (and line), every good item is kept, the exit code is 2 when
anything was skipped, and no traceback is printed.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from storyline import api, cli
from storyline.ingest import iter_inputs
from storyline.model import RawDoc, Skip
from storyline.pipeline import process
from storyline.store import Store

GOOD = ("On June 24, 2025, Russian missiles struck Dnipro, killing 17 people, officials said.\n\n"
        "The attack hit the central railway station, the regional governor said.")
OTHER = ("On June 25, 2025, Ukraine's air force said it shot down 40 drones over Odesa.\n\n"
         "Officials said the debris damaged two houses.")


def build(capsys, *args: str) -> tuple[int, str]:
    """The CLI's build, as a user runs it: its exit code and stderr."""
    rc = cli.main(["build", *args, "-q"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return rc, err


def current_docs(db: str) -> list:
    with Store(db) as store:
        return store.documents()


def lines_starting(err: str, prefix: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(prefix)]


# -- a whole build lost to one item (1-3) -------------------------------------


def test_lone_surrogate_in_jsonl_is_repaired_and_the_batch_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        '{"text": "lone \\ud800 x. Officials said 11 workers were killed on April 20, 2010."}\n'
        + json.dumps({"text": GOOD}) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 0, err
    warnings = lines_starting(err, "warning ")
    assert len(warnings) == 1 and f"{folder / 'a.jsonl'}:1:" in warnings[0] and "surrogate" in warnings[0]
    texts = [d.text for d in current_docs(db)]
    assert len(texts) == 3
    assert any(t.startswith("lone \ufffd x.") for t in texts)
    with Store(db) as store:
        assert not store.needs_link() and store.events()  # the link stage ran


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes")
def test_file_name_that_is_not_utf8_is_stored(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode())
    (folder / "z.txt").write_text(OTHER, encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 0, err
    paths = sorted(Path(d.path).name for d in current_docs(db))
    assert paths == ["caf\\xe9.txt", "z.txt"]


def test_deeply_nested_jsonl_line_costs_only_that_line(tmp_path, capsys):
    path = tmp_path / "deep.jsonl"
    path.write_text(json.dumps({"text": GOOD}) + "\n" + "[" * 200_000 + "]" * 200_000 + "\n"
                    + json.dumps({"text": OTHER}) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(path), "--db", db)
    assert rc == 2
    assert lines_starting(err, "skipped ") == [f"skipped {path}:2: malformed JSON: nested too deeply"]
    assert len(current_docs(db)) == 2


def test_stores_opened_at_once_on_a_new_database_both_migrate(tmp_path):
    for round_ in range(20):
        path = str(tmp_path / f"race-{round_}.db")
        start, errors, opened = threading.Barrier(2), [], []

        def open_store():
            start.wait()
            try:
                with Store(path) as store:
                    opened.append(store.schema_version)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_store) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert len(opened) == 2 and len(set(opened)) == 1


def test_two_builds_started_at_once_on_a_new_database(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "one.txt").write_text(GOOD, encoding="utf-8")
    (b / "two.txt").write_text(OTHER, encoding="utf-8")
    db = str(tmp_path / "shared.db")
    procs = [subprocess.Popen([sys.executable, "-m", "storyline.cli", "build", str(folder), "--db", db, "-q",
                               "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for folder in (a, b)]
    results = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    assert sorted(Path(d.path).name for d in current_docs(db)) == ["one.txt", "two.txt"]
    with Store(db) as store:
        assert not store.needs_link()
        linked_docs = {doc for e in store.events() for doc, _ in e.mentions}
        assert len(linked_docs) == 2  # both documents' mentions joined events


# -- silently wrong (4-9) -------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Officials said 11 workers were killed on April 20, 2010 in the Gulf",  # no final stop
    "Gulf oil rig explodes, 11 missing.",  # fewer than eight words
])
def test_one_line_article_keeps_its_text(tmp_path, capsys, text):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(path), "--db", db)
    assert rc == 0, err
    (doc,) = current_docs(db)
    assert doc.text == text


def test_single_line_megabyte_file_keeps_its_text():
    from storyline.clean import clean_text
    from storyline.ingest import first_line

    text = "Officials said the spill grew again on Tuesday and crews worked through the night. " * 40_000
    cleaned = clean_text(text, first_line(text))  # what a .txt file gives the cleaner
    assert len(cleaned.text) == len(text.strip())


def test_article_that_cleans_to_nothing_is_skipped_not_stored_empty(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "chrome.txt").write_text("Advertisement\nFollow us on Twitter\nSubscribe now\n", encoding="utf-8")
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 2
    (line,) = lines_starting(err, "skipped ")
    assert line.startswith(f"skipped {folder / 'chrome.txt'}: no article text left after cleaning")
    assert "1 added" in err and "1 skipped" in err
    assert [Path(d.path).name for d in current_docs(db)] == ["good.txt"]
    assert all(d.text.strip() for d in current_docs(db))


class _Page(http.server.BaseHTTPRequestHandler):
    body = b""
    ctype = "text/plain"
    encoding = None

    def do_GET(self):  # noqa: N802 - the http.server name
        self.send_response(200)
        self.send_header("Content-Type", self.ctype)
        if self.encoding:
            self.send_header("Content-Encoding", self.encoding)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(body, content_type, encoding=None) -> the URL of a loopback server answering with it."""
    servers = []

    def start(body: bytes, ctype: str, encoding: str | None = None) -> str:
        handler = type("Handler", (_Page,), {"body": body, "ctype": ctype, "encoding": encoding})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/page"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_html_served_as_text_plain_is_read_as_a_page(serve):
    page = ("<!DOCTYPE html><html><head><title>Strike on Dnipro</title></head><body>"
            f"<nav>Home | World</nav><article><p>{GOOD.splitlines()[0]}</p></article></body></html>")
    url = serve(page.encode(), "text/plain; charset=utf-8")
    (doc,) = list(iter_inputs([url], allow_private=True))
    assert isinstance(doc, RawDoc), doc
    assert "killing 17 people" in doc.text and "<" not in doc.text
    assert doc.title == "Strike on Dnipro"


def test_a_compressed_response_is_capped_by_its_decompressed_size(serve):
    import gzip

    from storyline.fetch import FetchError, Fetcher

    url = serve(gzip.compress(b" " * 5_000_000), "text/plain", "gzip")  # about 5 KB on the wire
    with pytest.raises(FetchError, match="larger than the"):
        Fetcher(allow_private=True, max_bytes=1_000_000).get(url)


def test_encodings_that_looked_binary_or_broken(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "utf16.txt").write_bytes(GOOD.encode("utf-16-le"))  # no byte-order mark
    (folder / "controls.txt").write_bytes(
        b"Troops \x01advanced on \x02the town of \x03Avdiivka on March 3, 2024,\x1b[31m the ministry said.")
    paragraph = ("Caf\u00e9 owners in Kyiv said the strike on June 24, 2025 was \u201cterrible\u201d. ".encode()
                 + "The mayor\u2019s office said 17 people died.\n".encode("cp1252"))
    (folder / "mixed.txt").write_bytes(paragraph * 5)
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 0, err
    by_name = {Path(d.path).name: d for d in current_docs(db)}
    assert sorted(by_name) == ["controls.txt", "mixed.txt", "utf16.txt"]
    assert "killing 17 people" in by_name["utf16.txt"].text
    assert by_name["controls.txt"].text == ("Troops advanced on the town of Avdiivka on March 3, 2024, "
                                            "the ministry said.")
    mixed = by_name["mixed.txt"].raw_text
    assert "\ufffd" not in mixed and mixed.count("mayor\u2019s office") == 5 and mixed.count("Caf\u00e9") == 5
    warnings = lines_starting(err, "warning ")
    assert any(w.startswith(f"warning {folder / 'mixed.txt'}: 5 bytes not valid UTF-8") for w in warnings), err
    assert any(w.startswith(f"warning {folder / 'controls.txt'}: text: 4 control characters") for w in warnings)
    assert any(w.startswith(f"warning {folder / 'utf16.txt'}: read as UTF-16-LE") for w in warnings)


def test_record_cap_bounds_a_record_not_the_file(tmp_path, capsys):
    records = [json.dumps({"id": f"r{i}", "text": f"Record {i}. Officials said the bridge reopened."})
               for i in range(60)]
    records[30] = json.dumps({"id": "big", "text": "Officials said the dam held. " * 200})
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    assert path.stat().st_size > 4096
    items = list(iter_inputs([str(path)], max_bytes=1024))
    skipped = [i for i in items if isinstance(i, Skip)]
    assert [(s.origin, s.reason) for s in skipped] == [(f"{path}:31", "record larger than the 1024 bytes cap")]
    assert [d.external_id for d in items if isinstance(d, RawDoc)] == [f"r{i}" for i in range(60) if i != 30]
    # The file cap still bounds the file, never below the record cap.
    (too_big,) = list(iter_inputs([str(path)], max_bytes=1024, max_file_bytes=2048))
    assert isinstance(too_big, Skip) and too_big.reason == "file larger than the 2048 bytes cap"
    # The CLI takes both, in MB.
    rc, err = build(capsys, str(path), "--db", str(tmp_path / "s.db"), "--max-mb", "0.0015", "--max-file-mb", "1")
    assert rc == 2 and "59 added" in err and f"skipped {path}:31: record larger than" in err


def test_implausible_dates_odd_ids_and_repeated_ids(tmp_path, capsys):
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x1", "published": "9999-12-31", "text": GOOD},
        {"id": {"nested": 1}, "text": OTHER},
        {"id": "x2", "text": "First version. Officials said the pipeline was repaired on June 2, 2025."},
        {"id": "x2", "text": "Second version. Officials said the pipeline was repaired on June 3, 2025."},
    ]) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(path), "--db", db)
    assert rc == 0, err
    assert f"warning {path}:1: published date '9999-12-31' is in the future; ignored" in err
    assert f'warning {path}:2: "id" ignored: a dict, not a string or a number' in err
    assert "3 added, 1 revised" in err
    docs = {d.external_id: d for d in current_docs(db)}
    assert set(docs) == {"x1", None, "x2"}
    assert docs["x1"].published is None or docs["x1"].published < "2100"
    assert docs["x2"].text.startswith("Second version")
    with Store(db) as store:  # the first version is kept, no longer current
        assert len(store.documents(current_only=False)) == 4


def test_editing_a_local_file_replaces_its_old_version(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    article = folder / "strike.txt"
    article.write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert build(capsys, str(folder), "--db", db)[0] == 0
    article.write_text(GOOD.replace("killing 17", "killing 19"), encoding="utf-8")
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 0 and "0 added, 1 revised" in err
    (doc,) = current_docs(db)
    assert "killing 19" in doc.text
    data = api.export(db)
    assert "killing 17" not in json.dumps(data)


def test_a_link_that_missed_a_new_document_does_not_mark_the_store_linked(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(GOOD, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert build(capsys, str(folder), "--db", db)[0] == 0
    # Another build stores a document while this store's link is running.
    late = process(RawDoc(text=OTHER, title=None, path=str(tmp_path / "late.txt"), origin="late.txt"))
    with Store(db) as store:
        seen = store.changes()
        store.add_document(late)
        store.replace_links(store.events(), store.contradictions(), seen)
        assert store.needs_link()  # links made before the late document do not cover it
    # The next build stores nothing new but links again, so the late document joins an event.
    rc, err = build(capsys, str(folder), "--db", db)
    assert rc == 0 and "1 unchanged" in err
    with Store(db) as store:
        assert not store.needs_link()
        assert late.id in {doc for e in store.events() for doc, _ in e.mentions}


def test_unreadable_folders_are_reported(tmp_path, capsys, monkeypatch):
    top = tmp_path / "in"
    (top / "locked").mkdir(parents=True)
    (top / "good.txt").write_text(GOOD, encoding="utf-8")
    (top / "locked" / "hidden.txt").write_text(OTHER, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # stands in for a folder without read permission (root reads any)
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    db = str(tmp_path / "s.db")
    rc, err = build(capsys, str(top), "--db", db)
    assert rc == 2
    assert lines_starting(err, "skipped ") == [f"skipped {top / 'locked'}: cannot read folder: permission denied"]
    assert "1 added" in err
    # The same folder given as the argument: a skip, never "0 added ... exit 0".
    rc, err = build(capsys, str(top / "locked"), "--db", db)
    assert rc == 2 and lines_starting(err, "skipped ") == [
        f"skipped {top / 'locked'}: cannot read folder: permission denied"]


def test_a_folder_with_nothing_to_read_is_a_skip(tmp_path, capsys):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    rc, err = build(capsys, str(folder), "--db", str(tmp_path / "s.db"))
    assert rc == 2
    assert lines_starting(err, "skipped ") == [
        f"skipped {folder}: no .txt, .html, .jsonl, .json or feed files in this folder (1 other files ignored)"]


# -- operator errors (13) ---------------------------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("small")
    (folder / "one.txt").write_text(GOOD, encoding="utf-8")
    (folder / "two.txt").write_text(OTHER, encoding="utf-8")
    db = str(folder / "small.db")
    assert cli.main(["build", str(folder), "--db", db, "-q"]) == 0
    return db


@pytest.mark.sqlite_only
def test_unusable_paths_and_databases_are_one_line_errors(small_db, tmp_path, capsys):
    readme = str(Path(__file__).resolve().parents[1] / "README.md")
    cases = [
        (["export", "--db", small_db, "-o", "/nonexistent/x.json"], "cannot write /nonexistent/x.json"),
        (["timeline", "--db", readme], "is not a Storyline database"),
        (["build", str(tmp_path), "--db", "/nonexistent/x.db", "-q"], "cannot build: cannot open database"),
    ]
    for argv, message in cases:
        rc = cli.main(argv)
        err = capsys.readouterr().err
        assert rc == 2, (argv, err)
        assert len(err.strip().splitlines()) == 1 and message in err, (argv, err)


@pytest.mark.parametrize("argv, message", [
    (["build", "x", "--max-mb", "inf"], "expected a positive number of megabytes"),
    (["build", "x", "--max-mb", "-3"], "expected a positive number of megabytes"),
    (["build", "x", "--max-file-mb", "nan"], "expected a positive number of megabytes"),
    (["timeline", "--from", "2025-13-45"], "not a date"),
    (["timeline", "--to", "Aug 15 2025"], "not a date"),
    (["timeline", "--from", "2025-02-30"], "not a date"),
    (["search", "strike", "--limit", "-1"], "expected a whole number from 1"),
])
def test_impossible_option_values_are_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_the_api_refuses_impossible_values_too(small_db):
    for call in (lambda: api.timeline(db=small_db, date_from="2025-13-45"),
                 lambda: api.timeline(db=small_db, max_dates=0),
                 lambda: api.search("strike", db=small_db, limit=-1),
                 lambda: api.build(["x"], db=small_db, max_bytes=0)):
        with pytest.raises(ValueError):
            call()
    assert api.timeline(db=small_db, date_from="2025-06", date_to="2025")  # partial dates are fine


def test_ambiguous_id_prefix_lists_the_candidates(small_db, capsys):
    ids = sorted(d.id for d in current_docs(small_db))
    assert cli.main(["show", "d_", "--db", small_db]) == 1
    err = capsys.readouterr().err
    assert "is the start of several ids" in err and all(i in err for i in ids)
    assert cli.main(["show", ids[0], "--db", small_db]) == 0
    assert f"id: {ids[0]}" in capsys.readouterr().out


@pytest.mark.sqlite_only
def test_no_traceback_reaches_a_user_of_the_command(tmp_path):
    readme = str(Path(__file__).resolve().parents[1] / "README.md")
    for argv in (["timeline", "--db", readme], ["export", "--db", readme, "-o", "/nonexistent/x.json"],
                 ["timeline", "--db", readme, "--from", "2025-13-45"]):
        proc = subprocess.run([sys.executable, "-m", "storyline.cli", *argv], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 2, (argv, proc.stderr)
        assert "Traceback" not in proc.stderr and proc.stderr.strip(), (argv, proc.stderr)


# -- any input at all ------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_fields = st.sampled_from(["text", "html", "id", "url", "title", "source", "published"])
_records = st.dictionaries(_fields, _json_values | st.text(max_size=300), max_size=6)
_jsonl_lines = st.lists(
    st.one_of(_records.map(json.dumps), _json_values.map(json.dumps), st.text(max_size=200).map(
        lambda t: t.replace("\n", " "))),
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(max_size=600), st.binary(max_size=600).map(lambda b: b.decode("latin-1"))),
       raw=st.binary(max_size=600), page=st.one_of(st.text(max_size=600), st.binary(max_size=600)),
       lines=_jsonl_lines)
def test_any_input_beside_a_good_article_never_loses_it(text, raw, page, lines):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "good.txt").write_text(GOOD, encoding="utf-8")
        (folder / "any.txt").write_text(text, encoding="utf-8", errors="surrogateescape")
        (folder / "bytes.txt").write_bytes(raw)
        if isinstance(page, str):
            (folder / "page.html").write_text(page, encoding="utf-8", errors="surrogateescape")
        else:
            (folder / "page.html").write_bytes(page)
        (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8",
                                             errors="surrogateescape")
        db = str(Path(tmp) / "s.db")
        import contextlib
        import io

        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = cli.main(["build", str(folder), "--db", db, "-q", "--workers", "1"])
        assert rc in (0, 2), err.getvalue()
        assert "Traceback" not in err.getvalue()
        good = [d for d in current_docs(db) if Path(d.path or "").name == "good.txt"]
        assert len(good) == 1 and good[0].text == GOOD
        assert rc == (2 if "skipped " in err.getvalue() else 0)


def test_a_text_longer_than_the_parser_takes_is_parsed_in_pieces(monkeypatch):
    from storyline.annotate import nlp
    from storyline.annotate.sentences import split_sentences

    text = " ".join([GOOD.replace("\n\n", " ")] * 12)
    starts = [s.start for s in split_sentences(text)]
    whole = nlp.parse(text, starts)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 400)  # about two sentences a piece
    pieces = nlp.parse(text, starts)
    assert pieces.text == text
    assert [t.idx for t in pieces] == [t.idx for t in whole]
    assert [s.start_char for s in pieces.sents] == [s.start_char for s in whole.sents] == starts
    assert [(e.start_char, e.label_) for e in pieces.ents if e.text == "Dnipro"] == \
        [(e.start_char, e.label_) for e in whole.ents if e.text == "Dnipro"]
    assert len([e for e in pieces.ents if e.text == "Dnipro"]) == 12


def test_a_feed_item_over_the_record_cap_costs_only_itself(tmp_path):
    items = "".join(f"<item><title>Item {i}</title><link>https://feed.example/{i}</link>"
                    f"<description>{'Officials said the bridge reopened. ' * (200 if i == 2 else 1)}</description></item>"
                    for i in range(4))
    path = tmp_path / "feed.xml"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>',
                    encoding="utf-8")
    got = list(iter_inputs([str(path)], max_bytes=2048))
    assert [(g.origin, g.reason) for g in got if isinstance(g, Skip)] == [
        (f"{path}#3", "feed item larger than the 2048 bytes cap")]
    assert [g.url for g in got if isinstance(g, RawDoc)] == [f"https://feed.example/{i}" for i in (0, 1, 3)]


def test_the_record_cap_bounds_records_of_a_wide_encoding_jsonl_too(tmp_path):
    path = tmp_path / "wide.jsonl"
    lines = [json.dumps({"id": "small", "text": GOOD}), json.dumps({"id": "big", "text": "Officials said. " * 300})]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-16"))  # with a byte-order mark
    items = list(iter_inputs([str(path)], max_bytes=1024))
    assert [(i.origin, i.reason) for i in items if isinstance(i, Skip)] == [
        (f"{path}:2", "record larger than the 1024 bytes cap")]
    assert [d.external_id for d in items if isinstance(d, RawDoc)] == ["small"]
    # And a cap above the default is the one applied, not the default's 20 MB.
    (record,) = [d for d in iter_inputs([str(path)], max_bytes=100_000) if isinstance(d, RawDoc) and d.external_id == "big"]


def test_a_field_of_the_wrong_type_is_noted_booleans_too(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"text": GOOD, "title": True, "source": {"name": "x"}}) + "\n", encoding="utf-8")
    (doc,) = list(iter_inputs([str(path)]))
    assert '"title" ignored: a bool, not a string' in doc.notes
    assert '"source" ignored: a dict, not a string' in doc.notes
