"""A per-call ``config=`` applies to everything below the call, or the call is refused.

The figures here are worked out again with plain pandas from the record tables, so a nested call that
read ``data.config`` (the profile the data were loaded with) instead of the per-call config fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import vipreport as vr

MONTH = "2024-11"
AS_OF = pd.Timestamp("2024-11-30")


@pytest.fixture(scope="module")
def other(demo: vr.Dataset) -> vr.Config:
    """Every definition the report's metrics read, changed from the one the demo was loaded with."""
    return demo.config.replace(
        engagement_window_days=14,
        engagement_statuses=("connected",),
        success_window_days=400,
        success_cohort_months=12,
        fiscal_year_start_month=1,
        trend_months=18,
    )


@pytest.fixture(scope="module")
def report(demo: vr.Dataset, other: vr.Config) -> vr.Report:
    return vr.build_report(demo, MONTH, config=other)


def engagement_by_hand(data: vr.Dataset, *, window: int, statuses: tuple[str, ...]) -> tuple[int, int]:
    """(notified, engaged) of MONTH as of its last day: a service in days 0 .. window - 1 of the first notice."""
    notices = data.table("notifications")
    in_month = notices[notices["notification_date"].dt.to_period("M") == pd.Period(MONTH)]
    t0 = in_month.groupby("person_key")["notification_date"].min().rename("t0")
    services = data.table("services")
    services = services[services["status"].isin(statuses)].join(t0, on="person_key", how="inner")
    since = (services["service_date"] - services["t0"]).dt.days
    engaged = services[(since >= 0) & (since <= window - 1) & (services["service_date"] <= AS_OF)]
    return len(t0), engaged["person_key"].nunique()


def success_by_hand(data: vr.Dataset, *, cohort_months: int | None = None, window: int | None = None) -> Any:
    """(notified, failures, deaths) of the running rate (``cohort_months``) or the fixed one (``window``)."""
    t0 = data.table("notifications").groupby("person_key")["notification_date"].min().rename("t0")
    people = t0.to_frame()
    incidents = data.table("incidents")
    violent = incidents[incidents["violent"]].join(t0, on="person_key", how="inner")
    after = violent[violent["incident_date"] > violent["t0"]]
    people["fail"] = after.groupby("person_key")["incident_date"].min()
    deaths = data.table("deaths").groupby("person_key")["death_date"].min()
    people["death"] = deaths.reindex(people.index)
    people.loc[people["death"] <= people["t0"], "death"] = pd.NaT  # a death before t0 ends no follow-up
    dies_first = people["death"].notna() & (people["fail"].isna() | (people["death"] < people["fail"]))
    if cohort_months is not None:
        first = (pd.Period(MONTH) - cohort_months + 1).start_time
        counted = (people["t0"] >= first) & (people["t0"] <= AS_OF)
        end = pd.Series(AS_OF, index=people.index)
    else:
        assert window is not None
        end = people["t0"] + np.timedelta64(window, "D")
        counted = end <= AS_OF  # the window's last day has passed
    failures = counted & ~dies_first & (people["fail"] <= end)
    died = counted & dies_first & (people["death"] <= end)
    return int(counted.sum()), int(failures.sum()), int(died.sum())


def referrals_fytd_by_hand(data: vr.Dataset, fy_start_month: int) -> int:
    dates = data.table("referrals")["referral_date"]
    first = pd.Timestamp(AS_OF.year if AS_OF.month >= fy_start_month else AS_OF.year - 1, fy_start_month, 1)
    return int(((dates >= first) & (dates <= AS_OF)).sum())


def test_the_per_call_config_changes_what_was_computed(demo: vr.Dataset, other: vr.Config) -> None:
    """The changes are large enough to show: the loaded config's figures differ from the per-call one's."""
    loaded = demo.config
    assert engagement_by_hand(demo, window=14, statuses=("connected",)) != engagement_by_hand(
        demo, window=loaded.engagement_window_days, statuses=loaded.engagement_statuses
    )
    assert success_by_hand(demo, cohort_months=12) != success_by_hand(demo, cohort_months=24)
    assert success_by_hand(demo, window=400) != success_by_hand(demo, window=730)
    assert referrals_fytd_by_hand(demo, 1) != referrals_fytd_by_hand(demo, loaded.fiscal_year_start_month)


def test_build_report_applies_the_per_call_config_in_every_nested_metric(
    demo: vr.Dataset, other: vr.Config, report: vr.Report
) -> None:
    assert report.config is other
    engagement = report.tables["vip.engagement"].iloc[0]
    assert (engagement["notified"], engagement["engaged"]) == engagement_by_hand(
        demo, window=14, statuses=("connected",)
    )
    trend = report.tables["vip.engagement_trend"]  # the series call: every month seen as of the report month
    assert trend.loc[MONTH, "engaged"] == engagement["engaged"]

    methods = report.tables["vip.success_methods"]
    for row, expected in ((0, success_by_hand(demo, cohort_months=12)), (1, success_by_hand(demo, window=400))):
        persons, failures, deaths = methods.iloc[row][["persons", "failures", "deaths"]]
        assert (persons + deaths, failures, deaths) == expected, methods.index[row]
    running = report.tables["vip.success_trend"].iloc[-1]  # the series call
    assert (running["persons"], running["failures"]) == (methods.iloc[0]["persons"], methods.iloc[0]["failures"])
    by_age = report.tables["vip.success_by_age"].loc["All"]
    assert (by_age["persons"], by_age["failures"]) == (running["persons"], running["failures"])
    assert 400 in report.tables["vip.survival"].index  # S(t) at the success window

    assert report.tables["vip.fytd_totals"].loc["Referrals", "FYTD"] == referrals_fytd_by_hand(demo, 1)
    assert report.tables["vip.referrals_by_area"]["FYTD"].sum() == referrals_fytd_by_hand(demo, 1)
    assert report.tables["vip.custom_notifications"].columns[0] == "2024-01"  # the fiscal year starts in January
    assert (report.tables["vip.area_trends"]["months_observed"] == 18).all()


def test_each_public_metric_applies_the_per_call_config(demo: vr.Dataset, other: vr.Config) -> None:
    engagement = vr.engagement_rate(demo, MONTH, config=other).iloc[0]
    assert (engagement["notified"], engagement["engaged"]) == engagement_by_hand(
        demo, window=14, statuses=("connected",)
    )
    series = vr.series(demo, "engagement_rate", months=3, end=MONTH, config=other)
    assert series[series["month"] == pd.Period(MONTH, "M")]["engaged"].tolist() == [engagement["engaged"]]
    for method, expected in (
        ("running", success_by_hand(demo, cohort_months=12)),
        ("fixed", success_by_hand(demo, window=400)),
    ):
        row = vr.success_rate(demo, MONTH, method=method, config=other).set_index("group").loc["All"]
        assert (row["notified"], row["failures"], row["deaths"]) == expected, method
        last = vr.series(demo, f"success_rate_{method}", months=2, end=MONTH, config=other).iloc[-1]
        assert (last["notified"], last["failures"], last["deaths"]) == expected, method
    assert "survival_400" in vr.SurvivalFitter().fit(demo, MONTH, config=other).summary.columns
    totals = vr.fytd_totals(demo, MONTH, config=other)
    referrals = totals[(totals["measure"] == "Referrals") & (totals["month"] == pd.Period(MONTH, "M"))]
    assert referrals["fytd"].tolist() == [referrals_fytd_by_hand(demo, 1)]
    assert vr.area_series(demo, MONTH, config=other)["month"].nunique() == 18


def _reclassified(config: vr.Config) -> vr.Config:
    """The same profile with its first violent offense counted as nonviolent."""
    return config.replace(
        violent_offenses=config.violent_offenses[1:],
        nonviolent_offenses=(*config.nonviolent_offenses, config.violent_offenses[0]),
    )


def test_an_offense_map_the_data_were_not_loaded_with_is_refused(demo: vr.Dataset) -> None:
    """Incidents are classed when read, so another map cannot be applied later: it is refused, not ignored."""
    changed = _reclassified(demo.config)
    calls: dict[str, Callable[[], object]] = {
        "success_rate": lambda: vr.success_rate(demo, MONTH, config=changed),
        "series": lambda: vr.series(demo, "success_rate_fixed", months=2, end=MONTH, config=changed),
        "survival_curve": lambda: vr.survival_curve(demo, MONTH, config=changed),
        "follow_up": lambda: vr.metrics.follow_up(demo, MONTH, config=changed),
        "build_report": lambda: vr.build_report(demo, MONTH, config=changed),
    }
    for name, call in calls.items():
        with pytest.raises(vr.ArgumentError, match=r"reload the data with it"):
            call()
            pytest.fail(f"{name} used the loaded offense map")
    # The same map in another order and spelling is the same map.
    respelt = demo.config.replace(violent_offenses=tuple(o.upper() for o in reversed(demo.config.violent_offenses)))
    assert vr.success_rate(demo, MONTH, config=respelt).equals(vr.success_rate(demo, MONTH))


def test_data_loaded_with_the_map_accept_it(demo: vr.Dataset, demo_raw: dict[str, pd.DataFrame]) -> None:
    changed = _reclassified(demo.config)
    data = vr.load(demo_raw, config=changed)
    expected = success_by_hand(data, cohort_months=changed.success_cohort_months)
    assert expected[1] < success_by_hand(demo, cohort_months=changed.success_cohort_months)[1]  # fewer violent
    row = vr.success_rate(data, MONTH, config=changed).set_index("group").loc["All"]
    assert (row["notified"], row["failures"], row["deaths"]) == expected
