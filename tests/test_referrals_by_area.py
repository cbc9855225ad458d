"""The first figure: referrals by area command, three months and FYTD."""

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import vipreport as vr

AREAS = ["Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A"]


def pandas_referrals_by_area(raw: pd.DataFrame, month: str) -> pd.DataFrame:
    """An independent count from the raw export: no vipreport code involved."""
    frame = raw.assign(
        area=raw["area_command"].replace("", "N/A"),
        period=raw["referral_date"].dt.to_period("M"),
    )
    report = pd.Period(month, "M")
    fiscal_year: Callable[[pd.Period], int] = lambda p: p.year + (p.month >= 7)  # noqa: E731
    months = [report - 2, report - 1, report]
    out = pd.DataFrame(index=AREAS)
    for p in months:
        out[str(p)] = frame[frame.period == p].groupby("area").size().reindex(AREAS, fill_value=0)
    in_fytd = frame.period.map(lambda p: fiscal_year(p) == fiscal_year(report) and p <= report)
    out["FYTD"] = frame[in_fytd].groupby("area").size().reindex(AREAS, fill_value=0)
    return out


def test_every_month_of_three_fiscal_years_matches_pandas(demo: vr.Dataset, demo_raw: dict[str, pd.DataFrame]) -> None:
    months = pd.period_range("2021-07", "2024-12", freq="M")
    assert len({p.year + (p.month >= 7) for p in months}) >= 3
    for p in months:
        got = vr.referrals_by_area(demo, str(p))
        expected = pandas_referrals_by_area(demo_raw["referrals"], str(p))
        assert list(got.index) == AREAS
        assert list(got.columns) == [str(p - 2), str(p - 1), str(p), "FYTD"]
        np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy(), err_msg=str(p))


def _tiny(dates_and_areas: list[tuple[str, str]]) -> vr.Dataset:
    frame = pd.DataFrame(dates_and_areas, columns=["referral_date", "area_command"])
    frame["person_id"] = [f"x{i}" for i in range(len(frame))]
    frame["source"] = "Law Enforcement"
    return vr.load({"referrals": frame})


def test_fiscal_year_boundary_hand_worked() -> None:
    data = _tiny(
        [
            ("2024-06-30", "Southeast"),  # last day of FY2024
            ("2024-07-01", "Southeast"),  # first day of FY2025
            ("2024-07-31", "Valley"),
            ("2024-08-15", "SE"),  # alias
            ("2024-08-31", ""),  # blank -> N/A
        ]
    )
    table = vr.referrals_by_area(data, "2024-08")
    assert list(table.columns) == ["2024-06", "2024-07", "2024-08", "FYTD"]
    assert list(table.loc["Southeast"]) == [1, 1, 1, 2]  # June is shown but not in FYTD
    assert list(table.loc["Valley"]) == [0, 1, 0, 1]
    assert list(table.loc["N/A"]) == [0, 0, 1, 1]
    assert list(table.loc["Foothills"]) == [0, 0, 0, 0]
    july = vr.referrals_by_area(data, "2024-07")
    assert july.loc["Southeast", "FYTD"] == 1
    june = vr.referrals_by_area(data, "2024-06")
    assert june.loc["Southeast", "FYTD"] == 1
    assert june.loc["Valley"].sum() == 0


def test_december_to_january_and_leap_day() -> None:
    data = _tiny([("2023-12-31", "Valley"), ("2024-01-01", "Valley"), ("2024-02-29", "Valley")])
    table = vr.referrals_by_area(data, "2024-02")
    assert list(table.loc["Valley"]) == [1, 1, 1, 3]


def test_empty_month_is_all_zero() -> None:
    data = _tiny([("2024-01-10", "Valley")])
    table = vr.referrals_by_area(data, "2024-05")
    assert table[["2024-03", "2024-04", "2024-05"]].to_numpy().sum() == 0
    assert table.loc["Valley", "FYTD"] == 1


def test_a_custom_fiscal_year_start(config: vr.Config) -> None:
    data = _tiny([("2024-09-30", "Valley"), ("2024-10-01", "Valley")])
    october = config.replace(fiscal_year_start_month=10)
    assert vr.referrals_by_area(data, "2024-10", config=october).loc["Valley", "FYTD"] == 1
    assert vr.referrals_by_area(data, "2024-10").loc["Valley", "FYTD"] == 2


@pytest.mark.parametrize("month", ["2024-13", "24-11", "November", ""])
def test_bad_month_is_a_clear_error(demo: vr.Dataset, month: str) -> None:
    with pytest.raises(vr.ArgumentError, match="YYYY-MM"):
        vr.referrals_by_area(demo, month)


def test_area_series_matches_the_single_month_tables(demo: vr.Dataset) -> None:
    series = vr.referrals_by_area_series(demo, "2024-11", months=30)
    assert series["month"].nunique() == 30
    for month in ("2022-06", "2022-07", "2023-12", "2024-11"):
        table = vr.referrals_by_area(demo, month)
        rows = series[series["month"] == month].set_index("area_command")
        assert rows["referrals"].tolist() == table[month].tolist()
        assert rows["fytd"].tolist() == table["FYTD"].tolist()
