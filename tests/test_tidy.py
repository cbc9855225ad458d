"""The tidy result shape of every public metric, the ``.vip.wide()`` view, and series against single months."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pytest

import vipreport as vr

MONTH = "2024-11"


def _series(data: vr.Dataset, metric: str) -> pd.DataFrame:
    return vr.series(data, metric, months=6, end=MONTH)


# Every public function that returns a DataFrame, called as an analyst would.
RESULTS: dict[str, Callable[[vr.Dataset], pd.DataFrame]] = {
    "referrals_by_area": lambda d: vr.referrals_by_area(d, MONTH),
    "referral_sources": lambda d: vr.referral_sources(d, MONTH),
    "referrals_by_program": lambda d: vr.referrals_by_program(d, MONTH),
    "referrals_by_area_series": lambda d: vr.referrals_by_area_series(d, MONTH, months=14),
    "custom_notifications": lambda d: vr.custom_notifications(d, MONTH),
    "fytd_totals": lambda d: vr.fytd_totals(d, MONTH),
    "services_by_status": lambda d: vr.services_by_status(d, MONTH),
    "services_connected": lambda d: vr.services_connected(d, MONTH),
    "trc_referrals_by_source": lambda d: vr.trc_referrals_by_source(d, MONTH),
    "cora_incidents_by_type": lambda d: vr.cora_incidents_by_type(d, MONTH),
    "cora_responses_by_area": lambda d: vr.cora_responses_by_area(d, MONTH),
    "cora_totals": lambda d: vr.cora_totals(d, MONTH),
    "oep_summary": lambda d: vr.oep_summary(d, MONTH),
    "area_series": lambda d: vr.area_series(d, MONTH, months=12),
    "active_caseload": lambda d: vr.active_caseload(d, MONTH),
    "engagement_rate": lambda d: vr.engagement_rate(d, MONTH),
    "notification_ages": lambda d: vr.metrics.notification_ages(d, MONTH),
    **{f"series {m}": partial(_series, metric=m) for m in vr.metrics.series_metrics()},
}
# Results that are not per month: counted as of a date, one row per group.
AS_OF_ONLY: dict[str, Callable[[vr.Dataset], pd.DataFrame]] = {
    "success_rate": lambda d: vr.success_rate(d, MONTH, by="age_group"),
    "area_trends": lambda d: vr.area_trends(d, MONTH),
    "survival_curve": lambda d: vr.survival_curve(d, MONTH, competing=True),
    "survival_at": lambda d: vr.survival_at(d, MONTH, by="area_command"),
}
DIMENSIONS = ("area_command", "source", "program", "service_type", "status", "measure", "incident_type", "group")


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_every_result_is_long_and_tidy(demo: vr.Dataset, name: str) -> None:
    frame = RESULTS[name](demo)
    assert isinstance(frame.index, pd.RangeIndex) and len(frame) > 0
    assert str(frame["month"].dtype) == "period[M]"
    assert pd.api.types.is_datetime64_dtype(frame["as_of"])
    assert "FYTD" not in frame.columns and not frame.isin(["FYTD"]).any().any()
    for column in frame.columns:
        if column in DIMENSIONS:
            assert pd.api.types.is_string_dtype(frame[column]) and not isinstance(
                frame[column].dtype, pd.CategoricalDtype
            )
    if "fytd" in frame:
        assert frame["fytd"].dtype == np.int64
        # One row per month and category, so the counts of a month sum to its total once.
        keys = ["month", *[c for c in frame.columns if c in DIMENSIONS]]
        assert not frame.duplicated(keys).any()
    for rate in [c for c in frame.columns if c.endswith("_rate")]:
        values = frame[rate].dropna()
        assert ((values >= 0) & (values <= 1)).all(), rate
    # A month's counts are as of its last day; a rate, as of the date it was computed at.
    if "fytd" in frame or name in ("area_series", "active_caseload", "notification_ages"):
        ends = frame["month"].dt.end_time.dt.normalize()
        assert (frame["as_of"].dt.normalize() == ends).all()


@pytest.mark.parametrize("name", sorted(AS_OF_ONLY))
def test_results_by_group_carry_their_as_of(demo: vr.Dataset, name: str) -> None:
    frame = AS_OF_ONLY[name](demo)
    assert isinstance(frame.index, pd.RangeIndex)
    dimension = "area_command" if name == "area_trends" else "group"
    assert pd.api.types.is_datetime64_dtype(frame["as_of"]) and pd.api.types.is_string_dtype(frame[dimension])
    assert (frame["as_of"] == pd.Timestamp("2024-11-30")).all()


def test_a_naive_sum_never_double_counts(demo: vr.Dataset, demo_raw: dict[str, pd.DataFrame]) -> None:
    tidy = vr.referrals_by_area(demo, MONTH)
    dates = demo_raw["referrals"]["referral_date"].dt.to_period("M")
    in_three_months = dates.between(pd.Period("2024-09", "M"), pd.Period(MONTH, "M"))
    assert int(tidy["referrals"].sum()) == int(in_three_months.sum())
    fiscal_year = dates.between(pd.Period("2024-07", "M"), pd.Period(MONTH, "M"))
    assert int(tidy.loc[tidy["month"] == MONTH, "fytd"].sum()) == int(fiscal_year.sum())


def _notices(rows: list[tuple[str, str]]) -> vr.Dataset:
    frame = pd.DataFrame({"person_id": [p for p, _ in rows], "notification_date": pd.to_datetime([d for _, d in rows])})
    return vr.load({"notifications": frame.assign(age=30)})


def test_custom_notifications_persons_to_date_across_the_fiscal_year_boundary() -> None:
    # a: June (FY2024), then July and August (FY2025); b: July twice; c: August.
    data = _notices(
        [
            ("a", "2024-06-20"),
            ("a", "2024-07-02"),
            ("b", "2024-07-05"),
            ("b", "2024-07-25"),
            ("a", "2024-08-01"),
            ("c", "2024-08-09"),
        ]
    )
    tidy = vr.custom_notifications(data, "2024-08")
    got = {
        (str(month), str(measure)): (int(count), int(fytd))
        for month, measure, count, fytd in tidy[["month", "measure", "count", "fytd"]].itertuples(index=False)
    }
    # Only FY2025's months, July first: June's notice is in the previous fiscal year.
    assert got == {
        ("2024-07", "notifications"): (3, 3),
        ("2024-07", "persons"): (2, 2),  # a and b
        ("2024-08", "notifications"): (2, 5),
        ("2024-08", "persons"): (2, 3),  # a again and c: three distinct persons so far, not four
    }
    june = vr.custom_notifications(data, "2024-06")
    assert june["month"].astype(str).tolist()[-2:] == ["2024-06", "2024-06"]
    assert june.loc[june["month"] == "2024-06", "fytd"].tolist() == [1, 1]
    # The report's table: months as rows, FYTD as the last row.
    wide = tidy.vip.wide().T
    assert wide.index.tolist() == ["2024-07", "2024-08", "FYTD"]
    assert wide.loc["FYTD"].tolist() == [5, 3]


def test_wide_is_the_report_layout(demo: vr.Dataset) -> None:
    tidy = vr.referrals_by_area(demo, MONTH)
    wide = tidy.vip.wide()
    assert wide.index.name == "area_command" and wide.index.tolist() == list(demo.config.area_rows)
    assert wide.columns.tolist() == ["2024-09", "2024-10", "2024-11", "FYTD"]
    for month in ("2024-09", "2024-10", "2024-11"):
        assert wide[month].tolist() == tidy.loc[tidy["month"] == month, "referrals"].tolist()
    assert wide["FYTD"].tolist() == tidy.loc[tidy["month"] == MONTH, "fytd"].tolist()
    assert (wide.dtypes == np.int64).all()
    # Two dimensions give a two-level index; a result without fytd gives no FYTD column.
    services = vr.services_by_status(demo, MONTH).vip.wide()
    assert services.index.names == ["service_type", "status"] and services.columns.tolist() == [MONTH, "FYTD"]
    assert "FYTD" not in vr.area_series(demo, MONTH, months=3).vip.wide().columns


def test_wide_names_the_figure_when_there_are_several(demo: vr.Dataset) -> None:
    trend = vr.series(demo, "engagement_rate", months=3, end=MONTH)
    with pytest.raises(vr.ArgumentError, match="values="):
        trend.vip.wide()
    rates = trend.vip.wide(values="engagement_rate")
    assert rates.columns.tolist() == ["2024-09", "2024-10", "2024-11"]
    assert rates.iloc[0].tolist() == trend["engagement_rate"].tolist()
    with pytest.raises(vr.ArgumentError, match="no column 'rate'"):
        trend.vip.wide(values="rate")
    with pytest.raises(vr.ArgumentError, match="'month' column"):
        vr.success_rate(demo, MONTH).vip.wide()


def test_series_and_the_single_month_agree_at_the_same_as_of(demo: vr.Dataset) -> None:
    trend = vr.series(demo, "engagement_rate", months=3, end=MONTH)
    assert (trend["as_of"] == pd.Timestamp("2024-11-30")).all()  # every month observed through the series' end
    for month in ("2024-09", "2024-10", "2024-11"):
        row = trend[trend["month"] == month].reset_index(drop=True)
        same = vr.engagement_rate(demo, month, as_of=MONTH)[row.columns]
        pd.testing.assert_frame_equal(row, same)
    # Without the as-of, October's own call stops at 31 October: fewer engaged, and its as_of says so.
    october = vr.engagement_rate(demo, "2024-10").iloc[0]
    in_series = trend[trend["month"] == "2024-10"].iloc[0]
    assert october["as_of"] == pd.Timestamp("2024-10-31")
    assert (october["engaged"], in_series["engaged"]) == (14, 19)
    # The success-rate series counts each month as of its own last day: the single call's default.
    success = vr.series(demo, "success_rate_running", months=3, end=MONTH)
    for month in ("2024-09", "2024-10", "2024-11"):
        row = success[success["month"] == month].drop(columns="month").reset_index(drop=True)
        one = vr.success_rate(demo, month).drop(columns="group")
        pd.testing.assert_frame_equal(row, one)


def test_a_month_before_the_centre_opened_has_no_rows(demo: vr.Dataset) -> None:
    tidy = vr.trc_referrals_by_source(demo, "2023-10")  # the demo's centre opened in December 2023
    assert tidy.empty and tidy.columns.tolist() == ["month", "source", "referrals", "fytd", "as_of"]
    assert str(tidy["month"].dtype) == "period[M]"
