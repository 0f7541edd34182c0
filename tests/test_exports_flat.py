"""Flat exports (issue 18): ``storyline export --format csv|acled|gdelt|parquet`` and ``api.export_flat``.

The bundled examples are built once (the session's ``examples_db``), exported
in each shape and read back with pandas as an analyst would, in one
``read_csv`` call; the values are checked against the JSON export of the same
database and against what the example articles say.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest

from storyline import api, cli, flat
from storyline.annotate.plover import INTENSITY
from storyline.model import Precision

ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments"}


def _read(text: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), **kwargs)


@pytest.fixture(scope="module")
def tables(examples_db) -> dict:
    """The examples' JSON export and their three CSV tables, read back with pandas."""
    db = examples_db["db"]
    data = api.export(db)
    # The Dnipro missile strike of 24 June 2025 (examples 02 and 03), found in the JSON export.
    dnipro = [i for i, e in enumerate(data["events"]) if e["type"] == "ASSAULT" and e["location"]
              and e["location"]["name"] == "Dnipro" and "killed" in e["summary"]]
    assert len(dnipro) == 1
    return {
        "db": db,
        "data": data,
        "dnipro": dnipro[0],
        "csv": _read(api.export_flat(db, "csv"), parse_dates=["date", "first_published"]),
        "acled": _read(api.export_flat(db, "acled"), parse_dates=["event_date"]),
        "gdelt": _read(api.export_flat(db, "gdelt")),
    }


# -- csv -----------------------------------------------------------------------------------------


def test_csv_has_one_typed_row_per_canonical_event(tables):
    df, data = tables["csv"], tables["data"]
    assert len(df) == len(data["events"]) > 0
    assert list(df["id"]) == [e["id"] for e in data["events"]]
    assert str(df["date"].dtype).startswith("datetime64")
    assert str(df["first_published"].dtype).startswith("datetime64")
    for column in ("lat", "lon", "killed", "injured", "launched", "intensity", "salience"):
        assert pd.api.types.is_float_dtype(df[column]), column
    for column in ("mentions", "sources", "independent_sources"):
        assert pd.api.types.is_integer_dtype(df[column]), column
    assert (df["mentions"] >= df["sources"]).all() and (df["sources"] >= df["independent_sources"]).all()


def test_csv_dates_are_the_first_day_of_the_events_dates(tables):
    by_id = {e["id"]: e for e in tables["data"]["events"]}
    checked = set()
    for row in tables["csv"].itertuples():
        value = by_id[row.id]["date"]["value"]
        assert row.date_precision == by_id[row.id]["date"]["precision"]
        if value is None:
            assert pd.isna(row.date)
            continue
        day = row.date.date()
        parts = [int(p) for p in value.split("-")]
        assert day == date(parts[0], *(parts[1:] + [1, 1])[:2]), (value, day)
        checked.add(row.date_precision)
    assert {"day", "month", "year"} <= checked


def test_csv_carries_the_dnipro_strike_and_its_figures(tables):
    row = tables["csv"].iloc[tables["dnipro"]]
    assert row["id"] == tables["data"]["events"][tables["dnipro"]]["id"]
    assert row["date"] == pd.Timestamp("2025-06-24") and row["date_precision"] == "day"
    assert row["killed"] == 17 and row["injured"] > 0
    assert row["country"] == "UA" and row["location"] == "Dnipro"
    assert 48 < row["lat"] < 49 and 34 < row["lon"] < 36
    assert row["mode"] == "missile" and row["intensity"] < -9
    assert "Russia" in row["source_names"].split(";")
    assert "Ukraine" in row["target_names"].split(";")
    assert len(row["source_ids"].split(";")) == len(row["source_names"].split(";"))
    assert row["sources"] >= 2
    assert set(row["outlets"].split(";")) >= {"Harbor Post", "Lantern Daily"}
    assert row["first_url"].startswith("https://") and row["first_title"]


def test_figures_take_the_best_supported_value_and_add_up_weapons():
    event = {"quantities": [
        {"kind": "killed", "value": 17, "weapon": None, "docs": ["a", "b"]},
        {"kind": "killed", "value": 15, "weapon": None, "docs": ["c"]},
        {"kind": "injured", "value": 40, "weapon": None, "docs": ["a"]},
        {"kind": "injured", "value": 200, "weapon": None, "docs": ["b"]},
        {"kind": "launched", "value": 97, "weapon": "drone", "docs": ["a"]},
        {"kind": "launched", "value": 2, "weapon": "ballistic_missile", "docs": ["a"]},
        {"kind": "money", "value": 5e9, "weapon": None, "docs": ["a"]},
    ]}
    assert flat.figures(event) == {"killed": 17, "injured": 40, "launched": 99}


@pytest.mark.parametrize("value, day", [
    ("2025-06-24", date(2025, 6, 24)), ("2025-06-24T09:00", date(2025, 6, 24)), ("2025-06", date(2025, 6, 1)),
    ("2025", date(2025, 1, 1)), ("2025-W26", date(2025, 6, 23)), ("2025-Q3", date(2025, 7, 1)),
    ("2025-H2", date(2025, 7, 1)), ("2025-SU", date(2025, 6, 1)), ("202", date(2020, 1, 1)),
    ("XXXX-06", None), ("2025-13", None), (None, None), ("", None),
])
def test_first_day_of_a_date_value(value, day):
    assert flat.first_day(value) == day


# -- acled ---------------------------------------------------------------------------------------


def test_acled_columns_and_codes(tables):
    df, events = tables["acled"], tables["data"]["events"]
    assert len(df) == len(events)
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert pd.api.types.is_integer_dtype(df["fatalities"]) and (df["fatalities"] >= 0).all()
    assert pd.api.types.is_integer_dtype(df["year"]) and (df["year"] == df["event_date"].dt.year).all()
    assert set(df["time_precision"]) <= {1, 2, 3}
    assert set(df["event_type"]) <= ACLED_EVENT_TYPES
    assert pd.api.types.is_float_dtype(df["latitude"]) and pd.api.types.is_float_dtype(df["longitude"])
    assert list(df["event_id_cnty"].str.split("-", n=1).str[1]) == [e["id"] for e in events]
    # Events with no killed figure have 0 fatalities, as ACLED codes unknown deaths.
    assert (df.loc[tables["csv"]["killed"].isna().to_numpy(), "fatalities"] == 0).all()
    fights = df[[e["type"] == "FIGHT" for e in events]]
    assert len(fights) and (fights["event_type"] == "Battles").all()
    assert (fights["sub_event_type"] == "Armed clash").all()


def test_acled_dnipro_strike(tables):
    row = tables["acled"].iloc[tables["dnipro"]]
    assert row["event_id_cnty"].startswith("UKR-ev_")
    assert row["event_date"] == pd.Timestamp("2025-06-24") and row["time_precision"] == 1
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack")
    assert row["fatalities"] == 17
    assert row["actor1"] == "Russia" and row["actor2"] == "Ukraine"
    assert row["country"] == "Ukraine" and row["iso"] == 804 and row["location"] == "Dnipro"
    assert "Harbor Post" in row["source"].split(";")


@pytest.mark.parametrize("kind, mode, expected", [
    ("ASSAULT", "drone", ("Explosions/Remote violence", "Air/drone strike")),
    ("ASSAULT", "aerial", ("Explosions/Remote violence", "Air/drone strike")),
    ("ASSAULT", "missile", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("ASSAULT", None, ("Violence against civilians", "Attack")),
    ("FIGHT", None, ("Battles", "Armed clash")),
    ("PROTEST", None, ("Protests", "Peaceful protest")),
    ("AGREE", None, ("Strategic developments", "Agreement")),
    ("MOBILIZE", "troops", ("Strategic developments", "Change to group/activity")),
    ("STATEMENT", None, ("Strategic developments", "Other")),
    ("CONSULT", "summit", ("Strategic developments", "Other")),
])
def test_acled_type_of_plover_type_and_mode(kind, mode, expected):
    assert flat.acled_type(kind, mode)[1:] == expected


def test_every_plover_type_and_precision_is_mapped():
    for kind in INTENSITY:
        assert (kind, "-") in flat.acled_types(), kind
        assert flat.quad_class(kind) in (1, 2, 3, 4), kind
    for precision in get_args(Precision):
        assert f"{precision}" in flat.pairs("time_precision.tsv"), precision
    assert flat.time_precision("day") == 1 and flat.time_precision("week") == 2
    assert flat.time_precision("month") == 3 and flat.time_precision("reported") == 3


# -- gdelt ---------------------------------------------------------------------------------------


def test_gdelt_columns(tables):
    df, rows = tables["gdelt"], tables["csv"]
    assert len(df) == len(rows)
    for column in ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "QuadClass", "NumMentions", "NumSources",
                   "NumArticles"):
        assert pd.api.types.is_integer_dtype(df[column]), column
    assert df["GLOBALEVENTID"].is_unique
    assert list(df["SQLDATE"]) == [int(d.strftime("%Y%m%d")) for d in rows["date"]]
    assert (df["MonthYear"] == df["SQLDATE"] // 100).all() and (df["Year"] == df["SQLDATE"] // 10000).all()
    assert ((df["FractionDate"] > df["Year"]) & (df["FractionDate"] <= df["Year"] + 1)).all()
    assert list(df["EventRootCode"]) == list(rows["type"])
    assert (df["GoldsteinScale"].between(-10, 10)).all()
    assert list(df["GoldsteinScale"]) == pytest.approx(list(rows["intensity"]))
    assert list(df["NumArticles"]) == list(rows["sources"])
    assert (df.loc[rows["type"].isin(["ASSAULT", "FIGHT"]).to_numpy(), "QuadClass"] == 4).all()
    assert (df.loc[(rows["type"] == "CONSULT").to_numpy(), "QuadClass"] == 1).all()


def test_gdelt_dnipro_strike(tables):
    df, rows = tables["gdelt"], tables["csv"]
    i = tables["dnipro"]
    row = df.iloc[i]
    assert row["SQLDATE"] == 20250624 and row["MonthYear"] == 202506 and row["Year"] == 2025
    assert row["EventRootCode"] == "ASSAULT" and row["QuadClass"] == 4
    assert row["Actor1Name"] == "Russia" and row["Actor1CountryCode"] == "RUS"
    assert row["Actor2Name"] == "Ukraine" and row["Actor2CountryCode"] == "UKR"
    assert row["ActionGeo_FullName"] == "Dnipro, Ukraine" and row["ActionGeo_CountryCode"] == "UP"  # FIPS, as GDELT
    assert row["ActionGeo_Lat"] == pytest.approx(rows.iloc[i]["lat"])
    assert row["SOURCEURL"] == rows.iloc[i]["first_url"]
    assert str(row["DATEADDED"]).startswith(rows.iloc[i]["first_published"].strftime("%Y%m%d"))


def test_gdelt_places_take_fips_codes_where_they_differ_from_iso():
    from storyline.flat import fips

    # FIPS 10-4 as GDELT writes ActionGeo_CountryCode: equal to ISO for some, not for most of these
    assert {c: fips(c) for c in ("UA", "RU", "DE", "GB", "US", "FR", "IL", "BY", "PL")} == {
        "UA": "UP", "RU": "RS", "DE": "GM", "GB": "UK", "US": "US", "FR": "FR", "IL": "IS", "BY": "BO", "PL": "PL"}
    assert fips(None) is None and fips("ZZ") is None


# -- parquet ---------------------------------------------------------------------------------------


def test_parquet_is_the_csv_table_with_types(tables):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    got = pq.read_table(io.BytesIO(api.export_flat(tables["db"], "parquet")))
    assert got.column_names == list(tables["csv"].columns)
    assert got.num_rows == len(tables["data"]["events"])
    assert got.schema.field("date").type == pa.date32()
    assert got.schema.field("killed").type == pa.float64()
    assert got.schema.field("mentions").type == pa.int64()
    rows = got.to_pylist()
    dnipro = rows[tables["dnipro"]]
    assert dnipro["killed"] == 17 and dnipro["country"] == "UA" and dnipro["date"] == date(2025, 6, 24)


def test_parquet_without_pyarrow_says_which_extra_to_install(tables, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(api.MissingExtra, match=r"storyline\[parquet\]"):
        api.export_flat(tables["db"], "parquet")
    out = tmp_path / "events.parquet"
    rc = cli.main(["export", "--db", tables["db"], "--format", "parquet", "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and not out.exists()
    assert err.count("\n") == 1 and "pip install 'storyline[parquet]'" in err and "Traceback" not in err


# -- writing: quoting and formulas -------------------------------------------------------------------


def test_text_cells_are_quoted_and_formulas_neutralised(tables):
    data = tables["data"]
    strike, other = data["events"][tables["dnipro"]], data["events"][0]
    hostile = {**strike, "summary": '=HYPERLINK("http://evil.example","click"), then "quotes"\nand a new line',
               "source": [{"id": "@evil", "name": "+cmd|' /C calc'!A0", "type": "person"}],
               "target": [{"id": "x", "name": "-2+3", "type": "person"}]}
    plain = {**other, "summary": "Plain, with a comma"}
    text = flat.to_csv({**data, "events": [hostile, plain]}, "csv")
    df = _read(text, parse_dates=["date"])
    assert len(df) == 2
    assert df.loc[0, "summary"] == "'" + hostile["summary"]
    assert df.loc[0, "source_names"] == "'+cmd|' /C calc'!A0" and df.loc[0, "source_ids"] == "'@evil"
    assert df.loc[0, "target_names"] == "'-2+3"
    assert df.loc[1, "summary"] == "Plain, with a comma"
    # Only text is neutralised: the strike's negative intensity is still a number.
    assert pd.api.types.is_float_dtype(df["intensity"]) and df.loc[0, "intensity"] == strike["intensity"] < 0
    acled = _read(flat.to_csv({**data, "events": [hostile]}, "acled"))
    assert acled.loc[0, "notes"].startswith("'=HYPERLINK") and acled.loc[0, "actor1"].startswith("'+")
    gdelt = _read(flat.to_csv({**data, "events": [hostile]}, "gdelt"))
    assert gdelt.loc[0, "Actor1Name"].startswith("'+") and gdelt.loc[0, "Actor2Name"] == "'-2+3"
    assert gdelt.loc[0, "GoldsteinScale"] < 0


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("Kyiv", "Kyiv"), ("a=b", "a=b"), ("", ""),
])
def test_neutralise(text, expected):
    assert flat.neutralise(text) == expected


def test_negative_numbers_stay_numbers(tables):
    df = tables["csv"]
    assert (df["intensity"] < 0).any() and pd.api.types.is_float_dtype(df["intensity"])
    assert (tables["gdelt"]["GoldsteinScale"] < 0).any()


# -- the command ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "acled", "gdelt"])
def test_cli_export_format_to_file_and_stdout(tables, fmt, tmp_path, capsys):
    out = tmp_path / f"events.{fmt}.csv"
    assert cli.main(["export", "--db", tables["db"], "--format", fmt, "-o", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert written == api.export_flat(tables["db"], fmt)
    assert len(_read(written)) == len(tables["data"]["events"])
    capsys.readouterr()
    assert cli.main(["export", "--db", tables["db"], "--format", fmt]) == 0
    assert capsys.readouterr().out == written


def test_cli_export_parquet_to_file(tables, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "events.parquet"
    assert cli.main(["export", "--db", tables["db"], "--format", "parquet", "-o", str(out)]) == 0
    assert pq.read_table(out).num_rows == len(tables["data"]["events"])


def test_cli_json_stays_the_default(tables, capsys):
    assert cli.main(["export", "--db", tables["db"]]) == 0
    assert capsys.readouterr().out.lstrip().startswith("{")


def test_flat_exports_honour_story_and_dates(tables, capsys):
    db = tables["db"]
    story = max(tables["data"]["stories"], key=lambda s: s["events"])["id"]
    own = api.export(db, story=story)["events"]
    assert 0 < len(own) < len(tables["data"]["events"])
    assert cli.main(["export", "--db", db, "--format", "csv", "--story", story]) == 0
    df = _read(capsys.readouterr().out)
    assert list(df["id"]) == [e["id"] for e in own] and set(df["story"]) == {story}
    within = api.export(db, date_from="2025-08-15", date_to="2025-08-15")["events"]
    assert 0 < len(within) < len(tables["data"]["events"])
    df = _read(api.export_flat(db, "csv", date_from="2025-08-15", date_to="2025-08-15"))
    assert list(df["id"]) == [e["id"] for e in within]
    assert len(_read(api.export_flat(db, "gdelt", date_from="2025-08-15", date_to="2025-08-15"))) == len(within)


def test_unknown_format_is_refused(tables, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "--db", tables["db"], "--format", "xlsx"])
    assert exc.value.code != 0 and "invalid choice: 'xlsx'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown flat format"):
        api.export_flat(tables["db"], "json")


def test_unknown_story_exits_one(tables, capsys):
    assert cli.main(["export", "--db", tables["db"], "--format", "acled", "--story", "st_nosuchstory"]) == 1
    assert "no story" in capsys.readouterr().err


# -- the documentation ---------------------------------------------------------------------------


def _doc_rows() -> list[list[str]]:
    """The cells of every table row of docs/exports.md."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "exports.md").read_text(encoding="utf-8")
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("| ") and not line.startswith("| -")]


def test_docs_list_every_mapping_as_the_data_files_have_it():
    rows = _doc_rows()

    def names(cell: str) -> list[str]:
        return [n.split(" (")[0] for n in cell.split(", ")]

    for (kind, mode), acled in flat.acled_types().items():
        assert any(len(r) == 5 and kind in names(r[0]) and (r[1] == mode if mode != "-" else r[1].startswith("any"))
                   and tuple(r[2:]) == acled for r in rows), (kind, mode)
    for kind in INTENSITY:
        assert any(len(r) == 3 and r[0] == kind and r[2] == str(flat.quad_class(kind)) for r in rows), kind
    for precision in get_args(Precision):
        assert any(len(r) == 2 and precision in names(r[0]) and r[1] == str(flat.time_precision(precision))
                   for r in rows), precision
