"""pandas 2 and pandas 3 alike: read-only arrays, text dtypes and datetime resolutions.

The decisions these tests hold are written down in docs/compatibility.md.
"""

from __future__ import annotations  # pd.Series[Any] in annotations: pandas' Series is not subscriptable

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import vipreport as vr
from vipreport import _core
from vipreport.io import day_numbers

DATES = ["2024-01-02", "2024-01-03", "2024-01-04"]
DAY_NUMBERS = [19724, 19725, 19726]  # 2024-01-02 is 19,724 days after 1970-01-01
FAR = ["9999-12-31", "2600-01-01", "0001-01-01"]  # 2600-01-01 in seconds, cast blindly to ns, wraps to 2015


def _referrals(dates: pd.Series[Any] | npt.NDArray[np.datetime64]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ["a", "b", "c"],
            "referral_date": dates,
            "source": ["Law Enforcement"] * 3,
            "area_command": ["Southeast"] * 3,
        }
    )


def _as(form: str, dates: list[str]) -> pd.Series[Any] | npt.NDArray[np.datetime64]:
    """The same calendar dates in one of the forms exports and DataFrames carry them."""
    if form == "text":
        return pd.Series(dates, dtype=object)
    if form == "string":
        return pd.Series(dates, dtype="string")
    if form == "datetime objects":  # as openpyxl hands out date cells, time of day included
        return pd.Series([dt.datetime.fromisoformat(d).replace(hour=13, minute=5) for d in dates], dtype=object)
    if form == "date objects":  # as pyarrow hands out date32 columns
        return pd.Series([dt.date.fromisoformat(d) for d in dates], dtype=object)
    return np.array(dates, dtype=f"datetime64[{form}]")


FORMS = ["text", "string", "datetime objects", "date objects", "s", "ms", "us", "ns"]


@pytest.mark.parametrize("form", FORMS)
def test_dates_of_any_form_or_resolution_load_as_the_same_days(form: str) -> None:
    data = vr.load({"referrals": _referrals(_as(form, DATES))})
    dates = data.table("referrals")["referral_date"]
    assert dates.dtype == np.dtype("datetime64[ns]")  # one resolution, whatever pandas inferred
    assert list(dates.dt.strftime("%Y-%m-%d")) == DATES
    assert data.days("referrals", "referral_date").tolist() == DAY_NUMBERS


@pytest.mark.parametrize("form", [f for f in FORMS if f != "ns"])  # nanoseconds cannot hold these dates
def test_far_dates_are_listed_problems_not_overflows_or_wrapped_dates(form: str) -> None:
    with pytest.raises(vr.ValidationError) as info:
        vr.load({"referrals": _referrals(_as(form, FAR))})
    assert {(p.row, p.column) for p in info.value.problems} == {(r, "referral_date") for r in (1, 2, 3)}


@pytest.mark.parametrize("arrow_type", [pa.timestamp("s"), pa.timestamp("ms"), pa.date32()], ids=str)
def test_parquet_dates_keep_their_calendar_day(tmp_path: Path, arrow_type: pa.DataType) -> None:
    days = [dt.date.fromisoformat(d) for d in [*DATES, *FAR]]
    values = days if arrow_type == pa.date32() else [dt.datetime(d.year, d.month, d.day) for d in days]
    table = pa.table(
        {
            "person_id": list("abcdef"),
            "referral_date": pa.array(values, type=arrow_type),
            "source": ["Law Enforcement"] * 6,
            "area_command": ["Southeast"] * 6,
        }
    )
    pq.write_table(table, tmp_path / "referrals.parquet")
    with pytest.raises(vr.ValidationError) as info:
        vr.load(tmp_path)
    assert {(p.row, p.column) for p in info.value.problems} == {(r, "referral_date") for r in (4, 5, 6)}
    pq.write_table(table.slice(0, 3), tmp_path / "referrals.parquet")
    data = vr.load(tmp_path)
    assert data.days("referrals", "referral_date").tolist() == DAY_NUMBERS


@pytest.mark.parametrize("dtype", [object, str, "string", "string[pyarrow]"])
def test_text_columns_of_any_dtype_load_alike(dtype: type | str) -> None:
    # object is pandas 2's text, str is pandas 3's default (object on pandas 2), "string" is opt-in.
    frame = pd.DataFrame(
        {
            "person_id": pd.Series(["P-1", "p1 ", "Q2", "q-2"], dtype=dtype),
            "referral_date": pd.Series(["2024-01-02", " 01/03/2024", "2024-01-04T08:30", "2024-01-05"], dtype=dtype),
            "source": pd.Series(["law enforcement", "Law Enforcement", "HOSPITAL", "Hospital"], dtype=dtype),
            "area_command": pd.Series(["Southeast", "", None, "south east"], dtype=dtype),
        }
    )
    data = vr.load({"referrals": frame})
    table = data.table("referrals")
    assert list(table["referral_date"].dt.strftime("%Y-%m-%d")) == [
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
        "2024-01-05",
    ]
    keys = table["person_key"].tolist()
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]  # spelling variants merged
    assert list(table["source"].astype(str)) == ["Law Enforcement", "Law Enforcement", "Hospital", "Hospital"]
    assert list(table["area_command"].astype(str)) == ["Southeast", "N/A", "N/A", "Southeast"]
    recoded = data.quality.set_index("reason")["rows"]
    assert recoded["area_command: blank recoded as 'N/A'"] == 2
    assert recoded["area_command: spelling normalised (case, spaces, punctuation)"] == 1


def test_loading_leaves_the_callers_frames_untouched() -> None:
    # On pandas 2 (no copy-on-write) a write into an array taken from a frame changes the caller's data.
    raw = vr.datasets.generate(seed=11, start="2023-07-01", end="2023-12-31", scale=0.3)
    before = {name: frame.copy(deep=True) for name, frame in raw.items()}
    vr.load(raw)
    vr.load(raw, salt="a secret")
    for name, frame in raw.items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_core_inputs_have_fixed_dtypes_and_are_read_only(demo: vr.Dataset) -> None:
    days = demo.days("notifications", "notification_date")
    codes = demo.codes("notifications", "age_group")
    assert (days.dtype, codes.dtype) == (np.dtype(np.int32), np.dtype(np.int32))
    assert demo.table("notifications")["person_key"].dtype == np.dtype(np.int64)
    for shared in (days, codes):  # memoised and shared by every metric: nobody may change them
        with pytest.raises(ValueError, match="read-only"):
            shared[0] = 0


def test_day_numbers_refuse_blank_dates() -> None:
    dates = pd.Series(np.array(["2024-01-02", "NaT"], dtype="datetime64[s]"), name="end_date")
    with pytest.raises(ValueError, match="'end_date' has blank dates"):
        day_numbers(dates)
    assert day_numbers(dates.iloc[:1]).tolist() == [19724]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_day_numbers_floor_times_of_day_in_every_unit(unit: str) -> None:
    # By hand: 1970-01-01 05:00 is day 0; 1969-12-31 23:00 is day -1 (floor, not toward zero);
    # 2024-02-29 23:59:59 is day 19782 (54 years of 365 days and 13 leap days to 2024-01-01, then 59 days).
    stamps = ["1970-01-01T05:00", "1969-12-31T23:00", "2024-02-29T23:59:59", "1900-03-01T12:00"]
    dates = pd.Series(np.array(stamps, dtype=f"datetime64[{unit}]"))
    assert day_numbers(dates).tolist() == [0, -1, 19782, -25508]


def _frozen(*arrays: np.ndarray) -> list[np.ndarray]:
    out = [a.copy() for a in arrays]
    for a in out:
        a.flags.writeable = False  # what pandas 3 hands out from to_numpy() under copy-on-write
    return out


def test_the_core_reads_read_only_arrays_without_complaint() -> None:
    rng = np.random.default_rng(5)
    n = 500
    person = rng.integers(0, 80, n).astype(np.int64)
    day = rng.integers(19_000, 20_000, n).astype(np.int32)
    code = rng.integers(0, 4, n).astype(np.int32)
    flag = (rng.random(n) < 0.3).astype(np.uint8)
    end = (day + rng.integers(0, 300, n)).astype(np.int32)
    first = 2022 * 12  # the core's month index of 2022-01; the days run from 2022-01-08 to 2024-10-04
    months = np.arange(first, first + 34, dtype=np.int32)
    monthly = rng.integers(0, 9, (12, 3)).astype(np.int64)
    calls: dict[str, Callable[..., Any]] = {  # the core's results: arrays or dicts of arrays
        "count_by_month": lambda p, d, c, f, e, m, g: _core.count_by_month(
            d, c, None, n_categories=4, first_month=first, n_months=36
        ),
        "index_cohort": lambda p, d, c, f, e, m, g: _core.index_cohort(p, d, c, p[::-1], e, f),
        "engagement": lambda p, d, c, f, e, m, g: _core.engagement(
            p, d, p[::-1], e, f, m, window_days=30, as_of=20_100
        ),
        "caseload": lambda p, d, c, f, e, m, g: _core.caseload(p, d, e, first_month=first, n_months=36),
        "kaplan_meier": lambda p, d, c, f, e, m, g: _core.kaplan_meier(e - d, f),
        "fiscal_year_to_date": lambda p, d, c, f, e, m, g: _core.fiscal_year_to_date(
            g, first_month=first, fy_start_month=7
        ),
    }
    inputs = (person, day, code, flag, end, months, monthly)
    for name, call in calls.items():
        expected = _fields(call(*inputs))
        got = _fields(call(*_frozen(*inputs)))
        assert expected and expected.keys() == got.keys(), name
        for key in expected:
            np.testing.assert_array_equal(got[key], expected[key], err_msg=f"{name}.{key}")


def _fields(result: object) -> dict[str, np.ndarray]:
    """A core result's arrays by property name (a bare array is the one field "")."""
    if isinstance(result, np.ndarray):
        return {"": result}
    return {name: getattr(result, name) for name, attr in vars(type(result)).items() if isinstance(attr, property)}
