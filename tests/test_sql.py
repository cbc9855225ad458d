"""Databases as a source: SQLite and a real PostgreSQL server started by the suite, by URL or Engine.

The PostgreSQL tests need Debian's ``postgresql`` server binaries and the
``sql`` extra (SQLAlchemy, psycopg). Without them they are skipped with the
reason on a developer's machine, and fail when ``CI`` is set: CI must run them.
Planted values (``ZQX...``) stand for personal data and the password: they
must never appear in a message.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from itertools import count
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

import vipreport as vr
from pgserver import Server, find_bindir, start_server
from test_reader import ZONED, _assert_identical
from vipreport.datasets import write_exports
from vipreport.errors import Problem

if TYPE_CHECKING:
    from sqlalchemy import Engine  # the sql extra; the tests skip without it

PLANT = "ZQX"
PASSWORD = "s3cret/ZQX@pw"
IN_CI = bool(os.environ.get("CI"))


def _need(module: str) -> ModuleType:
    """A module the database tests need: skipped without it on a developer's machine, an error in CI."""
    if IN_CI:
        return __import__(module)
    found: ModuleType = pytest.importorskip(module, reason=f"{module} is not installed (pip install 'vipreport[sql]')")
    return found


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    _need("sqlalchemy")
    _need("psycopg")
    bindir = find_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install Debian's postgresql "
            "package (apt-get install postgresql)"
        )
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
        pytest.skip(reason)
    running = start_server(bindir)
    yield running
    running.stop()


_numbers = count()


@pytest.fixture
def pg(server: Server) -> Iterator[tuple[str, Engine]]:
    """A new, empty database on the test server; returns (its plain URL, an Engine to write it)."""
    import sqlalchemy as sa

    name = f"t{next(_numbers)}"
    admin = sa.create_engine(server.url(driver="+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    engine = sa.create_engine(server.url(name, driver="+psycopg"))
    yield server.url(name), engine
    engine.dispose()


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return vr.datasets.generate(seed=5, start="2023-07-01", end="2024-06-30", scale=0.5)


def _sql(engine: Engine, statements: Iterable[str]) -> None:
    import sqlalchemy as sa

    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


# -- the same records load identically ----------------------------------------------------------


def _as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its dates as datetime.date objects: DATE columns in the database."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = pd.Series([None if pd.isna(v) else v.date() for v in out[column]], dtype=object)
    return out


def test_the_demo_records_load_identically_from_sqlite_and_postgresql(
    tmp_path: Path, raw: dict[str, pd.DataFrame], pg: tuple[str, Engine], config: vr.Config
) -> None:
    sa = _need("sqlalchemy")
    plain = vr.load(write_exports(tmp_path / "csv", raw))

    # SQLite stores dates as text: ISO dates, as a city's SQLite export would hold them.
    sqlite = sa.create_engine(f"sqlite:///{tmp_path / 'vip.db'}")
    for name, frame in raw.items():
        out = frame.copy()
        for column in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[column]):
                out[column] = out[column].dt.strftime("%Y-%m-%d")
        out.to_sql(name, sqlite, index=False)
    _assert_identical(plain, vr.load(f"sqlite:///{tmp_path / 'vip.db'}"))
    _assert_identical(plain, vr.load(sqlite))  # an Engine works as well, and is left open for its owner
    with sqlite.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM deaths")).scalar() == len(raw["deaths"])
    sqlite.dispose()

    # PostgreSQL: DATE columns, tables under the city's own names, one table given by a query.
    url, engine = pg
    for name, frame in raw.items():
        dates = {c: sa.Date() for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])}
        _as_dates(frame).to_sql(f"vip_{name}", engine, index=False, dtype=dates)
    tables = {name: f"vip_{name}" for name in raw if name != "incidents"}
    columns = ", ".join(f'"{c}"' for c in raw["incidents"].columns)
    custom = config.replace(sql_tables=tables, sql_queries={"incidents": f"SELECT {columns} FROM vip_incidents"})
    from_pg = vr.load(url, config=custom)
    _assert_identical(plain, from_pg)
    reads = set(from_pg.quality[from_pg.quality.action == "read"].reason)
    assert {"rows read from table vip_referrals", "rows read from query sql.queries.incidents"} <= reads


def test_zoned_timestamps_dates_and_zero_padded_ids_from_postgresql(pg: tuple[str, Engine]) -> None:
    url, engine = pg
    stamps = [s for s in ZONED if s[-1] == "Z" or s[-6] in "+-" or s[-5] in "+-"]
    assert len(stamps) == 7
    rows = ", ".join(f"('{i:05d}', TIMESTAMPTZ '{s}', 'Hospital', 'Valley')" for i, s in enumerate(stamps))
    _sql(
        engine,
        [
            "SET TIME ZONE 'Asia/Tokyo'",  # the session's zone must not matter: an instant is an instant
            "CREATE TABLE referrals (person_id text, referral_date timestamptz, source text, area_command text)",
            f"INSERT INTO referrals VALUES {rows}",
            "CREATE TABLE notifications (person_id text, notification_date timestamp, birth_date date)",
            "INSERT INTO notifications VALUES ('00000', '2024-03-10 23:30:00', '2001-02-03'), "
            "('0', '2024-03-11 00:10:00', NULL)",
        ],
    )
    data = vr.load(url)
    dates = data.table("referrals")["referral_date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == [ZONED[s] for s in stamps]  # worked by hand in test_reader.ZONED
    notes = data.table("notifications")
    assert notes["notification_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-10", "2024-03-11"]
    assert notes["person_id"].tolist() == ["00000", "0"]  # text ids keep their zeros: two persons
    assert notes["person_key"].nunique() == 2
    assert notes["person_key"][0] == data.table("referrals")["person_key"][0]
    assert notes["age"].tolist()[0] == 23 and pd.isna(notes["age"].tolist()[1])


# -- bad input: named errors that show no value ----------------------------------------------------


def _problems(source: str | Engine, **kw: Any) -> list[Problem]:  # keyword arguments of vr.load
    with pytest.raises(vr.ValidationError) as info:
        vr.load(source, **kw)
    text = str(info.value) + repr(info.value.problems)
    assert PLANT.lower() not in text.lower()
    return info.value.problems


def test_bad_values_and_columns_through_postgresql_name_the_source_row_and_column(
    pg: tuple[str, Engine], config: vr.Config
) -> None:
    url, engine = pg
    _sql(
        engine,
        [
            "CREATE TABLE intake (client text, intake_date text, area text)",
            f"INSERT INTO intake VALUES ('a', '2024-01-02', 'Valley'), ('{PLANT}1', '{PLANT} 2024', 'Valley')",
            # wrong types: an integer where a date goes, a date out of range, a planted offense
            "CREATE TABLE incidents (person_id integer, incident_date integer, offense text)",
            f"INSERT INTO incidents VALUES (1, 20240105, 'Shooting'), (2, 20240106, '{PLANT} Officer Name'), "
            "(NULL, NULL, 'Shooting')",
            "CREATE TABLE deaths (person_id text, death_date date)",
            "INSERT INTO deaths VALUES ('a', '2024-01-02'), ('b', '1961-07-04')",
            "CREATE TABLE notes (person_id text, note text)",
            f"INSERT INTO notes VALUES ('a', '{PLANT}secret')",
        ],
    )
    custom = config.replace(
        sql_queries={
            "referrals": "SELECT client AS person_id, intake_date AS referral_date, area AS area_command "
            "FROM intake",  # no source column
            "notifications": "SELECT person_id, CAST(note AS date) AS notification_date FROM notes",
            "services": "SELECT person_id, servce_date FROM notes",
        },
        sql_tables={"enrollments": "vip_enrollments"},
    )
    problems = _problems(url, config=custom)
    found = {(p.table, p.file, p.row, p.column, p.rule) for p in problems}
    assert found == {
        ("referrals", "query sql.queries.referrals", None, "source", "missing_column"),
        ("incidents", "table incidents", 1, "incident_date", "invalid_date"),
        ("incidents", "table incidents", 2, "incident_date", "invalid_date"),
        ("incidents", "table incidents", 2, "offense", "unknown_offense"),
        ("incidents", "table incidents", 3, "incident_date", "blank_value"),  # NULL is blank
        ("incidents", "table incidents", 3, "person_id", "blank_value"),
        ("deaths", "table deaths", 2, "death_date", "invalid_date"),
        ("notifications", "query sql.queries.notifications", None, None, "query_failed"),
        ("services", "query sql.queries.services", None, None, "query_failed"),
        ("enrollments", None, None, None, "query_failed"),
    }
    message = {(p.table, p.row, p.column): str(p) for p in problems}
    assert message[("incidents", 2, "offense")].startswith("incidents, table incidents row 2, column 'offense'")
    assert message[("incidents", 1, "incident_date")].endswith("found a number")
    assert message[("deaths", 2, "death_date")].endswith("found a date out of range")
    # A failed cast: PostgreSQL's own message quotes the value, so only its class and SQLSTATE are shown.
    assert "SQLSTATE 22007" in message[("notifications", None, None)]
    # A misspelt column: the message is about the query, so it is shown.
    assert 'column "servce_date" does not exist' in message[("services", None, None)]
    assert "'vip_enrollments', which is not a table" in message[("enrollments", None, None)]


def test_a_query_missing_a_column_and_bad_rows_in_sqlite(tmp_path: Path, config: vr.Config) -> None:
    sa = _need("sqlalchemy")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'vip.db'}")
    _sql(
        engine,
        [
            "CREATE TABLE referrals (person_id, referral_date, source, area_command)",
            # SQLite keeps whatever a cell is given: an integer date, a planted name
            "INSERT INTO referrals VALUES ('a', '2024-01-02', 'Hospital', 'Valley'), "
            f"(7, 45000, 'Hospital', '{PLANT} Name'), ('c', 20240103, 'Hospital', 'Valley')",
            "CREATE TABLE services (person_id text, service_date text)",
        ],
    )
    engine.dispose()
    custom = config.replace(sql_queries={"incidents": "SELECT * FROM nope"})
    problems = _problems(f"sqlite:///{tmp_path / 'vip.db'}", config=custom)
    found = {(p.table, p.row, p.column, p.rule): str(p) for p in problems}
    assert set(found) == {
        ("referrals", 2, "area_command", "unknown_category"),
        ("referrals", 3, "referral_date", "invalid_date"),
        ("services", None, "service_type", "missing_column"),
        ("services", None, "status", "missing_column"),
        ("incidents", None, None, "query_failed"),
    }
    # 45000 in a date column is a spreadsheet serial (2023-03-15): read as such, like in a CSV file
    assert "no such table: nope" in found[("incidents", None, None, "query_failed")]


def test_an_empty_database_is_no_data_and_a_missing_file_is_not_made(tmp_path: Path) -> None:
    import sqlite3

    _need("sqlalchemy")
    with pytest.raises(vr.ArgumentError, match="SQLite database file not found"):
        vr.load(f"sqlite:///{tmp_path / 'typo.db'}")
    assert not (tmp_path / "typo.db").exists()  # SQLite would have made an empty one
    sqlite3.connect(tmp_path / "empty.db").close()
    with pytest.raises(vr.NoDataError, match="no tables in the database sqlite:///"):
        vr.load(f"sqlite:///{tmp_path / 'empty.db'}")


# -- connections, passwords, the extra -------------------------------------------------------------


def test_an_unreachable_database_is_a_named_error_without_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    _need("sqlalchemy")
    _need("psycopg")
    from vipreport.cli import main

    url = f"postgresql://vip:{PASSWORD}@/vip?host={tmp_path / 'no-server'}"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(vr.DatabaseError) as info:
        vr.load(url)
    text = str(info.value)
    assert text.startswith(f"cannot connect to the database postgresql://vip:***@/vip?host={tmp_path}")
    assert PASSWORD not in text and PASSWORD not in repr(info.value)
    capsys.readouterr()
    assert main(["validate", "--data", url, "--json"]) == 69
    out, err = capsys.readouterr()
    assert "vipreport: error: cannot connect to the database" in err
    result = json.loads(out)
    assert (result["status"], result["exit_status"], result["error"]["type"]) == ("unavailable", 69, "DatabaseError")
    assert result["source"] == f"postgresql://vip:***@/vip?host={tmp_path / 'no-server'}"
    assert PASSWORD not in out + err + caplog.text and "s3cret" not in out + err + caplog.text


def test_the_password_never_shows_when_the_load_works(
    pg: tuple[str, Engine],
    raw: dict[str, pd.DataFrame],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from vipreport.cli import main

    url, engine = pg
    for name in ("referrals", "notifications"):
        raw[name].to_sql(name, engine, index=False)
    server_url = url.replace("postgres@", f"postgres:{PASSWORD.replace('@', '%40')}@")  # trust ignores it
    caplog.set_level(logging.DEBUG)
    data = vr.load(server_url, progress=False)
    assert len(data.table("referrals")) == len(raw["referrals"])
    capsys.readouterr()
    assert main(["-v", "validate", "--data", server_url]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("postgresql://postgres:***@/")
    for channel in (out, err, caplog.text, repr(data)):
        assert "s3cret" not in channel


def test_database_urls_are_redacted() -> None:
    from vipreport.io.sql import redact

    assert redact("postgresql://vip:pa:ss/w@db.example:5432/vip") == "postgresql://vip:***@db.example:5432/vip"
    assert (
        redact("postgresql+psycopg://vip@db/vip?password=x&sslmode=require")
        == "postgresql+psycopg://vip@db/vip?password=***&sslmode=require"
    )
    assert redact("sqlite:////srv/vip.db") == "sqlite:////srv/vip.db"


def test_without_sqlalchemy_the_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vipreport.cli import main

    (tmp_path / "vip.db").touch()
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # import sqlalchemy now raises ImportError
    with pytest.raises(vr.MissingDependencyError, match=r"pip install 'vipreport\[sql\]'"):
        vr.load(f"sqlite:///{tmp_path / 'vip.db'}")
    assert main(["validate", "--data", f"sqlite:///{tmp_path / 'vip.db'}"]) == 2
    assert "vipreport[sql]" in capsys.readouterr().err


def test_sql_profile_keys_name_tables(config: vr.Config) -> None:
    with pytest.raises(vr.ConfigError) as info:
        vr.Config.from_dict(
            {"sql": {"tables": {"referals": "intake", "services": "svc"}, "queries": {"services": "SELECT 1"}}}
        )
    assert {p.key for p in info.value.problems} == {"sql.tables.referals", "sql.tables.services"}
    custom = vr.Config.from_dict({"sql": {"tables": {"referrals": "vip.intake"}}})
    assert custom.sql_tables == {"referrals": "vip.intake"} and custom.sql_queries == {}
    assert vr.Config.from_dict(custom.to_dict()) == custom
