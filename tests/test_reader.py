"""The columnar reader: malformed files, physical lines, time zones, ids as text, discovery and sources.

Every file is built here. Planted values (``ZQX...``) stand for personal data:
they must never appear in a message.
"""

import gzip
import logging
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import vipreport as vr
from vipreport.datasets import write_exports
from vipreport.errors import Problem

PLANT = "ZQX"
HEADER = "person_id,referral_date,source,area_command"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder


def problems_of(folder: Path, **kw: Any) -> list[Problem]:  # keyword arguments of vr.load
    with pytest.raises(vr.ValidationError) as info:
        vr.load(folder, **kw)
    assert PLANT.lower() not in str(info.value).lower()
    assert PLANT.lower() not in repr(info.value.problems).lower()
    return info.value.problems


# -- malformed CSV: a named error at the physical line, no traceback, no value ----------


def test_unterminated_quote_names_file_line_and_column(tmp_path: Path) -> None:
    write(
        tmp_path,
        "referrals.csv",
        f"{HEADER}\na,2024-01-02,Hospital,Valley\n\n"
        f'b,2024-01-03,"Hospital,{PLANT}SECRET\nc,2024-01-04,Hospital,Valley\n',
    )
    [problem] = problems_of(tmp_path)
    assert (problem.file, problem.line, problem.column) == ("referrals.csv", 4, "source")
    assert "quote" in problem.message and "never closed" in problem.message
    assert str(problem).startswith("referrals, referrals.csv line 4, column 'source'")


def test_rows_with_the_wrong_number_of_fields_are_counted_on_physical_lines(tmp_path: Path) -> None:
    # Line 3 is blank and the record on line 4 runs over two lines: both count as lines.
    write(
        tmp_path,
        "referrals.csv",
        f"{HEADER},notes\na,2024-01-02,Hospital,Valley,x\n\n"
        'b,2024-01-03,Hospital,Valley,"two\nlines"\n'
        f"c,2024-01-04,Hospital,Valley,{PLANT}NAME,extra\nd,2024-01-05,Hospital\n",
    )
    problems = problems_of(tmp_path)
    assert [(p.file, p.line, p.column, p.message) for p in problems] == [
        ("referrals.csv", 6, None, "6 fields where the header has 5"),
        ("referrals.csv", 7, None, "3 fields where the header has 5"),
    ]


def test_a_duplicate_column_name_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        "referrals.csv",
        f"person_id,referral_date,source,Source ,area_command\na,2024-01-02,Hospital,{PLANT}X,Valley\n",
    )
    [problem] = problems_of(tmp_path)
    assert (problem.file, problem.line, problem.column) == ("referrals.csv", 1, "source")
    assert "appears twice" in problem.message


def test_value_problems_give_the_physical_line_after_titles_blanks_and_continued_lines(tmp_path: Path) -> None:
    write(
        tmp_path,
        "referrals.csv",
        f"VIP export\n\n{HEADER},notes\n"
        'a,2024-01-02,Hospital,Valley,"multi\nline"\n\n'
        f"b,1961-07-04,Hospital,Valley,x\nc,2024-01-02,Hospital,{PLANT} Mars,x\n"
        f"d,{PLANT}-2024,Hospital,Valley,x\n",
    )
    problems = problems_of(tmp_path)
    found = {(p.line, p.column): p.message for p in problems}
    assert set(found) == {(7, "referral_date"), (8, "area_command"), (9, "referral_date")}
    assert found[(7, "referral_date")].endswith("found a date out of range")
    assert found[(8, "area_command")].endswith("found text of 8 characters")
    assert found[(9, "referral_date")].endswith("found an identifier-like token")
    # A value from the profile's own list may be named; the cell never is.
    assert "expected one of: Southeast" in found[(8, "area_command")]
    assert all("1961" not in m and "Mars" not in m for m in found.values())


def test_a_windows_1252_file_is_read_and_the_recoding_counted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "incidents.csv",
        "person_id,incident_date,offense\nJos\xe9,2024-01-02,Shooting\nb,2024-01-03,Larceny\n",
        encoding="cp1252",
    )
    data = vr.load(tmp_path)
    quality = data.quality.set_index("reason")["rows"]
    assert quality["file decoded as Windows-1252 (not UTF-8)"] == 2
    assert "josé" in data.table("incidents")["person_id"].tolist()


def test_a_frame_problem_names_its_row(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["a", f"{PLANT}1"],
            "referral_date": ["2024-01-01", f"{PLANT} 2024"],
            "source": ["Hospital"] * 2,
            "area_command": ["Valley"] * 2,
        }
    )
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"referrals": frame})
    [problem] = info.value.problems
    assert (problem.row, problem.line, problem.file) == (2, None, None)
    assert str(problem).startswith("referrals, row 2, column 'referral_date'")
    assert PLANT not in str(info.value)


# -- time zones --------------------------------------------------------------------------

# Worked by hand for America/Denver: MST is UTC-7; DST (MDT, UTC-6) starts 2024-03-10 at
# 09:00 UTC and ends 2024-11-03 at 08:00 UTC.
ZONED = {
    "2024-03-10T06:30:00Z": "2024-03-09",  # 23:30 MST the evening before: across midnight
    "2024-03-10T09:30:00Z": "2024-03-10",  # 03:30 MDT, just after the change
    "2024-03-11T06:30:00Z": "2024-03-11",  # 00:30 MDT; with MST it would be 23:30 on the 10th
    "2024-11-03T06:30:00Z": "2024-11-03",  # 00:30 MDT; with MST it would be 23:30 on the 2nd
    "2024-11-04T06:30:00Z": "2024-11-03",  # 23:30 MST after the change back
    "2024-07-01T00:30:00+02:00": "2024-06-30",  # 22:30 UTC = 16:30 MDT
    "2024-03-10T23:30:00-0700": "2024-03-11",  # 06:30 UTC on the 11th = 00:30 MDT
    "2024-03-10 23:30:00": "2024-03-10",  # no zone: the date as written
}


def _zoned_referrals(stamps: Collection[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(len(stamps))],
            "referral_date": list(stamps),
            "source": "Hospital",
            "area_command": "Valley",
        }
    )


def test_zoned_timestamps_are_dated_on_the_programs_calendar(tmp_path: Path) -> None:
    _zoned_referrals(ZONED).to_csv(tmp_path / "referrals.csv", index=False)
    data = vr.load(tmp_path)
    dates = data.table("referrals")["referral_date"].dt.strftime("%Y-%m-%d").tolist()
    assert dict(zip(ZONED, dates, strict=True)) == ZONED
    quality = data.quality.set_index("reason")["rows"]
    assert quality["referral_date: timestamp with a time zone dated in America/Denver"] == 7


def test_the_profile_timezone_decides_the_date(config: vr.Config) -> None:
    utc = config.replace(timezone="UTC")
    data = vr.load({"referrals": _zoned_referrals(["2024-03-10T06:30:00Z"])}, config=utc)
    assert data.table("referrals")["referral_date"].tolist() == [pd.Timestamp("2024-03-10")]
    with pytest.raises(vr.ConfigError, match="timezone"):
        vr.Config.from_dict({**_profile(), "timezone": "Mars/Olympus"})


def _profile() -> dict[str, Any]:  # a parsed TOML profile
    import tomllib
    from importlib import resources

    return tomllib.loads(resources.files("vipreport").joinpath("profiles/albuquerque.toml").read_text("utf-8"))


def test_tz_aware_frame_columns_are_converted_the_same_way() -> None:
    stamps = list(ZONED)[:6]
    aware = pd.to_datetime(stamps, format="ISO8601", utc=True)
    data = vr.load({"referrals": _zoned_referrals(stamps).assign(referral_date=aware)})
    assert data.table("referrals")["referral_date"].dt.strftime("%Y-%m-%d").tolist() == [ZONED[s] for s in stamps]


# -- ids are text ----------------------------------------------------------------------------


def test_leading_zeros_keep_persons_apart_across_tables(tmp_path: Path) -> None:
    write(tmp_path, "referrals.csv", f"{HEADER}\n00123,2024-01-02,Hospital,Valley\n123,2024-01-02,Hospital,Valley\n")
    write(tmp_path, "notifications.csv", "person_id,notification_date\n00123,2024-01-05\n0123,2024-01-06\n")
    data = vr.load(tmp_path)
    refs, notes = data.table("referrals"), data.table("notifications")
    assert refs["person_id"].tolist() == ["00123", "123"] and notes["person_id"].tolist() == ["00123", "0123"]
    assert len(set(refs["person_key"]) | set(notes["person_key"])) == 3
    assert refs["person_key"][0] == notes["person_key"][0]
    assert not data.quality.reason.str.contains("spelling variants").any()


def test_case_and_hyphen_variants_are_merged_and_counted_but_zeros_are_not(tmp_path: Path) -> None:
    write(
        tmp_path,
        "referrals.csv",
        f"{HEADER}\nP-0012,2024-01-02,Hospital,Valley\np0012,2024-01-03,Hospital,Valley\n"
        "P012,2024-01-04,Hospital,Valley\n",
    )
    data = vr.load(tmp_path)
    keys = data.table("referrals")["person_key"].tolist()
    assert keys[0] == keys[1] != keys[2]
    merged = data.quality.set_index("reason")["rows"]
    assert merged["person_id: spelling variants of one id merged (case, spaces, hyphens, dots)"] == 1


def test_integer_ids_in_a_frame_are_text() -> None:
    frame = pd.DataFrame({"person_id": [123, 9], "notification_date": ["2024-01-05"] * 2})
    assert vr.load({"notifications": frame}).table("notifications")["person_id"].tolist() == ["123", "9"]


# -- discovery -------------------------------------------------------------------------------


def test_dated_export_names_are_found_and_the_newest_is_read(tmp_path: Path) -> None:
    write(tmp_path, "Referrals_Export_2024-10-31.csv", f"{HEADER}\na,2024-01-02,Hospital,Valley\n")
    write(
        tmp_path,
        "Referrals_Export_2024-11-30.csv",
        f"{HEADER}\na,2024-01-02,Hospital,Valley\nb,2024-02-02,Hospital,Valley\n",
    )
    write(tmp_path, "notes from the meeting.csv", "x\n1\n")
    data = vr.load(tmp_path)
    assert len(data.table("referrals")) == 2
    assert ("referrals", "read", "rows read from Referrals_Export_2024-11-30.csv", 2) in set(
        data.quality.itertuples(index=False)
    )
    assert data.unmatched_files == ["notes from the meeting.csv"]


def test_all_matches_are_read_when_the_profile_says_so(tmp_path: Path, config: vr.Config) -> None:
    write(tmp_path, "referrals_2024-10.csv", f"{HEADER}\na,2024-10-02,Hospital,Valley\n")
    write(tmp_path, "referrals_2024-11.csv", f"{HEADER}\nb,2024-11-02,Hospital,Valley\n")
    data = vr.load(tmp_path, config=config.replace(file_choice="all"))
    assert data.table("referrals")["person_id"].tolist() == ["a", "b"]
    with pytest.raises(vr.ValidationError, match="3 files for one table"):
        write(tmp_path, "referrals.csv", f"{HEADER}\nc,2024-11-02,Hospital,Valley\n")
        vr.load(tmp_path)


def test_profile_patterns_and_column_mapping(tmp_path: Path, config: vr.Config) -> None:
    write(
        tmp_path, "VIP Intake (Nov).csv", "Client ID,Referral Date,source,Area Command\na,2024-01-02,Hospital,Valley\n"
    )
    custom = config.replace(file_patterns={"referrals": ("vip intake*.csv",)}, column_map={"Client ID": "person_id"})
    data = vr.load(tmp_path, config=custom)
    assert data.table("referrals")["person_id"].tolist() == ["a"]


def test_gzip_zip_parquet_folders_and_workbook_sheets(tmp_path: Path) -> None:
    text = f"{HEADER}\na,2024-01-02,Hospital,Valley\nb,2024-01-03,Hospital,SE\n"
    (tmp_path / "referrals.csv.gz").write_bytes(gzip.compress(text.encode()))
    with zipfile.ZipFile(tmp_path / "Services_Export_2024-11-30.zip", "w") as archive:
        archive.writestr("services.csv", "person_id,service_date,service_type,status\na,2024-01-05,Housing,connected\n")
    incidents = pa.table(
        {
            "person_id": ["a", "b"],
            "incident_date": ["2024-02-01", "2025-03-01"],
            "offense": ["Shooting", "Larceny"],
            "year": [2024, 2025],
        }
    )
    pq.write_to_dataset(incidents, tmp_path / "incidents", partition_cols=["year"])
    with pd.ExcelWriter(tmp_path / "program workbook.xlsx") as book:
        pd.DataFrame({"person_id": ["a"], "notification_date": ["2024-01-04"]}).to_excel(
            book, sheet_name="Notifications", index=False
        )
        pd.DataFrame({"person_id": ["a"], "death_date": ["2024-06-01"]}).to_excel(
            book, sheet_name="Deaths", index=False
        )
    data = vr.load(tmp_path)
    assert sorted(data.tables) == ["deaths", "incidents", "notifications", "referrals", "services"]
    assert data.table("referrals")["area_command"].tolist() == ["Valley", "Southeast"]
    assert sorted(data.table("incidents")["violent"].tolist()) == [False, True]
    assert "year" not in data.table("incidents")  # a partition key, not an export column
    sources = set(data.quality[data.quality.action == "read"].reason)
    assert {
        "rows read from referrals.csv.gz",
        "rows read from Services_Export_2024-11-30.zip[services.csv]",
        "rows read from incidents/",
        "rows read from program workbook.xlsx[Notifications]",
    } <= sources
    keys = {n: set(t["person_key"]) for n, t in data.tables.items()}
    assert keys["services"] <= keys["referrals"] and keys["notifications"] <= keys["referrals"]


def test_unmatched_files_are_logged_and_validate_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    from vipreport.cli import main

    write(tmp_path, "referrals.csv", f"{HEADER}\na,2024-01-02,Hospital,Valley\n")
    write(tmp_path, "payroll.csv", "x\n1\n")
    caplog.set_level(logging.WARNING, logger="vipreport")
    assert vr.load(tmp_path).unmatched_files == ["payroll.csv"]
    assert "payroll.csv matches no table" in caplog.text
    capsys.readouterr()
    assert main(["validate", "--data", str(tmp_path)]) == 0
    assert "payroll.csv matches no table" in capsys.readouterr().err


def test_file_patterns_must_name_tables() -> None:
    with pytest.raises(vr.ConfigError, match=r"files\.patterns"):
        vr.Config.from_dict({"files": {"patterns": {"referals": ["R*.csv"]}}})


# -- the same records from every source load identically ---------------------------------


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    return vr.datasets.generate(seed=5, start="2023-07-01", end="2024-06-30", scale=0.5)


def _comparable(data: vr.Dataset) -> pd.DataFrame:
    quality = data.quality.copy()
    quality["reason"] = quality["reason"].where(~quality["reason"].str.startswith("rows read from"), "rows read")
    return quality.sort_values(["table", "action", "reason"]).reset_index(drop=True)


def _assert_identical(a: vr.Dataset, b: vr.Dataset, *, sort: bool = False) -> None:
    assert sorted(a.tables) == sorted(b.tables)
    for name in a.tables:
        x, y = a.tables[name], b.tables[name]
        if sort:
            x, y = (t.sort_values(list(t.columns)).reset_index(drop=True) for t in (x, y))
        pd.testing.assert_frame_equal(x, y, obj=name)
    pd.testing.assert_frame_equal(_comparable(a), _comparable(b))


def _gzipped(folder: Path) -> Path:
    for path in folder.glob("*.csv"):
        (folder / (path.name + ".gz")).write_bytes(gzip.compress(path.read_bytes()))
        path.unlink()
    return folder


def _dated(folder: Path) -> Path:
    for path in folder.glob("*.csv"):
        path.rename(folder / f"{path.stem.title()}_Export_2024-06-30.csv")
    return folder


def _partitioned(folder: Path, raw: dict[str, pd.DataFrame]) -> Path:
    for name, frame in raw.items():
        date = vr.io.EVENT_DATE[name]
        table = pa.Table.from_pandas(frame.assign(year=frame[date].dt.year), preserve_index=False)
        pq.write_to_dataset(table, folder / name, partition_cols=["year"])
    return folder


def test_the_demo_records_load_identically_from_every_source(tmp_path: Path, raw: dict[str, pd.DataFrame]) -> None:
    import polars as pl

    plain = vr.load(write_exports(tmp_path / "csv", raw))
    _assert_identical(plain, vr.load(_gzipped(write_exports(tmp_path / "gz", raw))))
    _assert_identical(plain, vr.load(_dated(write_exports(tmp_path / "dated", raw))))
    _assert_identical(plain, vr.load(_partitioned(tmp_path / "parquet", raw)), sort=True)
    _assert_identical(plain, vr.load(raw))
    _assert_identical(plain, vr.load({n: pl.from_pandas(f) for n, f in raw.items()}))
    _assert_identical(plain, vr.load({n: pa.Table.from_pandas(f, preserve_index=False) for n, f in raw.items()}))


def test_progress_is_reported_per_file(tmp_path: Path, raw: dict[str, pd.DataFrame]) -> None:
    seen = []
    vr.load(write_exports(tmp_path, raw), progress=lambda source, rows: seen.append((source, rows)))
    assert ("referrals.csv", len(raw["referrals"])) in seen
    assert {s for s, _ in seen} == {f"{n}.csv" for n in raw}


def test_rows_are_never_python_objects_on_the_way(tmp_path: Path, raw: dict[str, pd.DataFrame]) -> None:
    """Typed columns come out of the columnar path: no object-dtype column but text the schema keeps."""
    data = vr.load(write_exports(tmp_path, raw))
    for name, frame in data.tables.items():
        for column in frame.columns:
            assert frame[column].dtype != object, (name, column)
    assert np.issubdtype(data.table("referrals")["person_key"].to_numpy().dtype, np.integer)


def test_packed_ids_factorise_and_sort_exactly() -> None:
    """Ids packed into words: equal exactly when the text is, ordered like the text, any length."""
    from vipreport.io.packed import factorize, pack, ranks, sort_order

    rng = np.random.default_rng(3)
    alphabet = list("0P9p-x")
    values = ["".join(rng.choice(alphabet, rng.integers(0, 14))) for _ in range(3000)]
    values += ["a" * 40, "00123", "123", "0123"]  # one longer than 32 bytes: no packing
    wide = ["".join(rng.choice([chr(c) for c in range(33, 127)], rng.integers(0, 20))) for _ in range(2000)]
    wide += [w for w in wide[:50]]  # repeats across the hash path
    for column in (
        pa.chunked_array([values[:1000], values[1000:3000]]),
        pa.array(values[:3000]),
        pa.array([v[:8] for v in values[:3000]]),
        pa.array(wide),
    ):
        words = pack(column)
        assert words is not None
        codes, first = factorize(words)
        text = column.to_pylist()
        assert all(text[first[c]] == t for c, t in zip(codes, text, strict=True))
        assert len(first) == len(set(text))
        assert [text[i] for i in sort_order(words)] == sorted(text)
        rank, holder = ranks(words)  # sorted ranks, by the (value, row) sort or by hashing
        assert [text[i] for i in holder] == sorted(set(text))
        assert all(text[holder[r]] == t for r, t in zip(rank, text, strict=True))
    assert pack(pa.array(values)) is None


def test_frames_with_typed_columns_load_like_their_text() -> None:
    """Columns a frame types for itself (categoricals, nullable integers, dates, zoned datetimes, large strings)."""
    import datetime as dt

    import polars as pl

    text = pd.DataFrame(
        {
            "person_id": ["00123", "9", "9"],
            "notification_date": ["2024-01-05", "2024-01-06", ""],
            "birth_date": ["2000-02-29", "", "1990-06-30"],
        }
    )
    expected = vr.load({"notifications": text.iloc[:2]}).table("notifications")
    typed = {
        "pandas": pd.DataFrame(
            {
                "person_id": pd.Categorical(["00123", "9"]),
                "notification_date": pd.to_datetime(["2024-01-05", "2024-01-06"]),
                "birth_date": pd.Series([dt.date(2000, 2, 29), None], dtype=object),
            }
        ),
        "polars": pl.DataFrame(
            {
                "person_id": ["00123", "9"],
                "notification_date": [
                    dt.datetime(2024, 1, 5, 13, tzinfo=dt.UTC),
                    dt.datetime(2024, 1, 6, 6, 59, tzinfo=dt.UTC),
                ],
                "birth_date": [dt.date(2000, 2, 29), None],
            }
        ),
        "pyarrow": pa.RecordBatch.from_pydict(
            {
                "person_id": pa.array(["00123", "9"], pa.large_string()),
                "notification_date": pa.array([dt.date(2024, 1, 5), dt.date(2024, 1, 6)]),
                "birth_date": pa.array(["2000-02-29", None]),
            }
        ),
    }
    # 2024-01-06T06:59Z is 23:59 on the 5th in Denver: the polars frame's second date is the 5th.
    for kind, frame in typed.items():
        table = vr.load({"notifications": frame}).table("notifications")
        assert table["person_id"].tolist() == ["00123", "9"], kind
        dates = table["notification_date"].dt.strftime("%Y-%m-%d").tolist()
        assert dates == (["2024-01-05", "2024-01-05"] if kind == "polars" else ["2024-01-05", "2024-01-06"]), kind
        assert table["age"].tolist()[0] == expected["age"].tolist()[0] == 23, kind
        assert pd.isna(table["age"].tolist()[1]), kind
    ids = pd.DataFrame({"person_id": pd.array([123, None, 7], dtype="Int64"), "notification_date": ["2024-01-05"] * 3})
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"notifications": ids})
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.rule) == (2, "person_id", "blank_value")


def test_a_parquet_problem_names_its_row(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["a", "b"],
            "referral_date": ["2024-01-02", f"{PLANT} 2024"],
            "source": ["Hospital"] * 2,
            "area_command": ["Valley"] * 2,
        }
    )
    frame.to_parquet(tmp_path / "referrals.parquet", index=False)
    [problem] = problems_of(tmp_path)
    assert str(problem).startswith("referrals, referrals.parquet row 2, column 'referral_date': expected a date")
