"""The first figure: referrals by area command, three months and FYTD."""

import numpy as np
import pandas as pd
import pytest

import vipreport as vr

AREAS = ["Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A"]


def _periods(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.assign(
        area=raw["area_command"].replace("", "N/A"),
        period=raw["referral_date"].dt.to_period("M"),
    )


def _fiscal_year(p: pd.Period) -> int:
    return p.year + (p.month >= 7)


def pandas_referrals_by_area(raw: pd.DataFrame, month: str) -> pd.DataFrame:
    """An independent count from the raw export, in the report's layout: no vipreport code involved."""
    frame = _periods(raw)
    report = pd.Period(month, "M")
    months = [report - 2, report - 1, report]
    out = pd.DataFrame(index=AREAS)
    for p in months:
        out[str(p)] = frame[frame.period == p].groupby("area").size().reindex(AREAS, fill_value=0)
    in_fytd = frame.period.map(lambda p: _fiscal_year(p) == _fiscal_year(report) and p <= report)
    out["FYTD"] = frame[in_fytd].groupby("area").size().reindex(AREAS, fill_value=0)
    return out


def pandas_referrals_by_area_long(raw: pd.DataFrame, month: str) -> pd.DataFrame:
    """The same count, long: one row per month and area, with that month's FYTD (plain pandas)."""
    frame = _periods(raw)
    report = pd.Period(month, "M")
    rows = []
    for p in (report - 2, report - 1, report):
        in_month = frame[frame.period == p].groupby("area").size()
        in_fytd = frame[frame.period.map(lambda q, p=p: _fiscal_year(q) == _fiscal_year(p) and q <= p)]
        fytd = in_fytd.groupby("area").size()
        for area in AREAS:
            rows.append((p, area, int(in_month.get(area, 0)), int(fytd.get(area, 0)), p.end_time.normalize()))
    return pd.DataFrame(rows, columns=["month", "area_command", "referrals", "fytd", "as_of"])


def test_every_month_of_three_fiscal_years_matches_pandas(demo: vr.Dataset, demo_raw: dict[str, pd.DataFrame]) -> None:
    months = pd.period_range("2021-07", "2024-12", freq="M")
    assert len({_fiscal_year(p) for p in months}) >= 3
    for p in months:
        got = vr.referrals_by_area(demo, str(p))
        expected = pandas_referrals_by_area_long(demo_raw["referrals"], str(p))
        assert got.columns.tolist() == ["month", "area_command", "referrals", "fytd", "as_of"]
        assert isinstance(got.index, pd.RangeIndex)
        assert str(got["month"].dtype) == "period[M]" and got["referrals"].dtype == np.int64
        assert got["month"].tolist() == expected["month"].tolist(), str(p)
        assert got["area_command"].tolist() == expected["area_command"].tolist()
        assert got["referrals"].tolist() == expected["referrals"].tolist(), str(p)
        assert got["fytd"].tolist() == expected["fytd"].tolist(), str(p)
        assert got["as_of"].tolist() == expected["as_of"].tolist()
        # The report's layout, from the accessor, against the wide table built in plain pandas.
        wide = got.vip.wide()
        assert list(wide.index) == AREAS
        assert list(wide.columns) == [str(p - 2), str(p - 1), str(p), "FYTD"]
        np.testing.assert_array_equal(
            wide.to_numpy(), pandas_referrals_by_area(demo_raw["referrals"], str(p)).to_numpy(), err_msg=str(p)
        )


def _tiny(dates_and_areas: list[tuple[str, str]]) -> vr.Dataset:
    frame = pd.DataFrame(dates_and_areas, columns=["referral_date", "area_command"])
    frame["person_id"] = [f"x{i}" for i in range(len(frame))]
    frame["source"] = "Law Enforcement"
    return vr.load({"referrals": frame})


def _cell(table: pd.DataFrame, month: str, area: str) -> tuple[int, int]:
    """(referrals, fytd) of one month and area of a tidy result."""
    row = table[(table["month"] == pd.Period(month, "M")) & (table["area_command"] == area)]
    assert len(row) == 1, (month, area)
    return int(row["referrals"].iloc[0]), int(row["fytd"].iloc[0])


def test_fiscal_year_boundary_hand_worked() -> None:
    data = _tiny(
        [
            ("2024-05-02", "Southeast"),  # FY2024
            ("2024-06-30", "Southeast"),  # last day of FY2024
            ("2024-07-01", "Southeast"),  # first day of FY2025: fytd starts again
            ("2024-07-31", "Valley"),
            ("2024-08-15", "SE"),  # alias
            ("2024-08-31", ""),  # blank -> N/A
        ]
    )
    table = vr.referrals_by_area(data, "2024-08")
    assert table["month"].astype(str).unique().tolist() == ["2024-06", "2024-07", "2024-08"]
    # Southeast: June's fytd is FY2024's May + June; July starts FY2025 again at 1.
    assert [_cell(table, m, "Southeast") for m in ("2024-06", "2024-07", "2024-08")] == [(1, 2), (1, 1), (1, 2)]
    assert [_cell(table, m, "Valley") for m in ("2024-06", "2024-07", "2024-08")] == [(0, 0), (1, 1), (0, 1)]
    assert [_cell(table, m, "N/A") for m in ("2024-06", "2024-07", "2024-08")] == [(0, 0), (0, 0), (1, 1)]
    assert [_cell(table, m, "Foothills") for m in ("2024-06", "2024-07", "2024-08")] == [(0, 0)] * 3
    # A naive sum over the count column never double counts: six referrals, of which five in the months shown.
    assert int(table["referrals"].sum()) == 5
    # The report's layout: FYTD is the last month's fytd (June is shown but not in FY2025's total).
    wide = table.vip.wide()
    assert wide.loc["Southeast"].tolist() == [1, 1, 1, 2]
    assert wide.loc["Valley"].tolist() == [0, 1, 0, 1]
    july = vr.referrals_by_area(data, "2024-07")
    assert _cell(july, "2024-07", "Southeast") == (1, 1)
    assert _cell(july, "2024-05", "Southeast") == (1, 1)
    assert _cell(july, "2024-06", "Southeast") == (1, 2)


def test_december_to_january_and_leap_day() -> None:
    data = _tiny([("2023-12-31", "Valley"), ("2024-01-01", "Valley"), ("2024-02-29", "Valley")])
    table = vr.referrals_by_area(data, "2024-02")
    # The fiscal year (July to June) runs across the calendar year: fytd keeps counting in January.
    assert [_cell(table, m, "Valley") for m in ("2023-12", "2024-01", "2024-02")] == [(1, 1), (1, 2), (1, 3)]
    assert table.vip.wide().loc["Valley"].tolist() == [1, 1, 1, 3]


def test_empty_month_is_all_zero() -> None:
    data = _tiny([("2024-01-10", "Valley")])
    table = vr.referrals_by_area(data, "2024-05")
    # Empty months are rows of zeros, one per area, not missing rows.
    assert len(table) == 3 * len(AREAS)
    assert table["referrals"].tolist() == [0] * (3 * len(AREAS))
    assert [_cell(table, m, "Valley") for m in ("2024-03", "2024-04", "2024-05")] == [(0, 1)] * 3
    assert table.loc[table["area_command"] != "Valley", "fytd"].sum() == 0
    assert table["as_of"].astype(str).unique().tolist() == ["2024-03-31", "2024-04-30", "2024-05-31"]


def test_months_before_the_data_begin_are_zero_rows() -> None:
    # The referrals table has no program start: a month before the first referral is zero, like any empty month.
    data = _tiny([("2024-06-10", "Valley")])
    table = vr.referrals_by_area(data, "2024-02")
    assert len(table) == 3 * len(AREAS)
    assert table[["referrals", "fytd"]].to_numpy().sum() == 0
    assert table["month"].astype(str).unique().tolist() == ["2023-12", "2024-01", "2024-02"]


def test_a_custom_fiscal_year_start(config: vr.Config) -> None:
    data = _tiny([("2024-09-30", "Valley"), ("2024-10-01", "Valley")])
    october = config.replace(fiscal_year_start_month=10)
    assert _cell(vr.referrals_by_area(data, "2024-10", config=october), "2024-10", "Valley") == (1, 1)
    assert _cell(vr.referrals_by_area(data, "2024-10", config=october), "2024-09", "Valley") == (1, 1)
    assert _cell(vr.referrals_by_area(data, "2024-10"), "2024-10", "Valley") == (1, 2)


@pytest.mark.parametrize("month", ["2024-13", "24-11", "November", ""])
def test_bad_month_is_a_clear_error(demo: vr.Dataset, month: str) -> None:
    with pytest.raises(vr.ArgumentError, match="YYYY-MM"):
        vr.referrals_by_area(demo, month)


def test_area_series_matches_the_single_month_tables(demo: vr.Dataset) -> None:
    series = vr.referrals_by_area_series(demo, "2024-11", months=30)
    assert series["month"].nunique() == 30
    for month in ("2022-06", "2022-07", "2023-12", "2024-11"):
        table = vr.referrals_by_area(demo, month)
        one = table[table["month"] == month].reset_index(drop=True)
        rows = series[series["month"] == month].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, one)
