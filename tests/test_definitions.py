"""The definitions of issue 14, each against a small hand-worked example.

Every expected figure below is worked out by hand in the comments, never read from the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

import vipreport as vr


def _load(
    notices: list[tuple[str, str]],
    services: Sequence[tuple[str, str]] = (),
    incidents: Sequence[tuple[str, str]] = (),
    deaths: Sequence[tuple[str, str]] = (),
    config: vr.Config | None = None,
) -> vr.Dataset:
    tables = {
        "notifications": pd.DataFrame(
            {
                "person_id": [p for p, _ in notices],
                "notification_date": pd.to_datetime([d for _, d in notices]),
                "age": 20,
            }
        ),
        "services": pd.DataFrame(
            {
                "person_id": [p for p, _ in services],
                "service_date": pd.to_datetime([d for _, d in services]),
                "service_type": "Housing",
                "status": "connected",
            }
        ),
        "incidents": pd.DataFrame(
            {
                "person_id": [p for p, _ in incidents],
                "incident_date": pd.to_datetime([d for _, d in incidents]),
                "offense": "Shooting",
            }
        ),
    }
    if deaths:
        tables["deaths"] = pd.DataFrame(
            {"person_id": [p for p, _ in deaths], "death_date": pd.to_datetime([d for _, d in deaths])}
        )
    # The metrics must stay defensible on records the loader would refuse by default (g's notification
    # after g's recorded death): keep such rows, as a profile may, and let the definitions handle them.
    config = config or vr.Config.default()
    return vr.load(tables, config=config.replace(quality_rules={**config.quality_rules, "event_after_death": "keep"}))


# -- engagement: a 30-day window is days 0..29 ------------------------------------------------------------


def _by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy per-month result indexed by its month as "YYYY-MM"."""
    return frame.set_index(frame["month"].astype(str).rename(None))


def test_engagement_window_last_day_in_first_day_out() -> None:
    # a: notified 1 Nov, service 30 Nov = day 29, the window's last day: engaged.
    # b: notified 1 Nov, service 1 Dec = day 30, the first day out: not engaged.
    # c: notified 1 Nov, service the same day (day 0): engaged.
    data = _load(
        [("a", "2024-11-01"), ("b", "2024-11-01"), ("c", "2024-11-01")],
        services=[("a", "2024-11-30"), ("b", "2024-12-01"), ("c", "2024-11-01")],
    )
    row = vr.engagement_rate(data, "2024-11", as_of="2025-01-31").iloc[0]
    assert (row.notified, row.engaged) == (3, 2)
    assert not row.provisional and row.open == 0


def test_provisional_per_person_window_edges() -> None:
    # Notified 1 Nov: the window's last day is 30 Nov. Notified 2 Nov: 1 Dec.
    data = _load([("a", "2024-11-01"), ("b", "2024-11-02")])
    # As of 29 Nov both windows are open.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-11-29").iloc[0]
    assert (row.open, row.open_share, row.provisional) == (2, 1.0, True)
    # As of 30 Nov (a's last day in): a's window has closed, b's is open: the month is provisional, 1 of 2 open.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-11-30").iloc[0]
    assert (row.open, row.open_share, row.provisional) == (1, 0.5, True)
    # As of 1 Dec (b's last day): both closed, the month is final.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-12").iloc[0]
    assert (row.open, row.provisional) == (0, False)


@pytest.mark.parametrize("as_of", ["2024-10-15", "2024-11-01", "2024-11-30", "2024-12-01", "2024-12-30"])
def test_open_windows_match_plain_pandas(as_of: str) -> None:
    """Per month, persons whose window (first notice of the month, 30 days) is still open, against pandas."""
    data = vr.datasets.demo()
    months = ["2024-09", "2024-10", "2024-11"]
    got = pd.concat([vr.engagement_rate(data, m, as_of=as_of) for m in months])
    notices = data.table("notifications")
    day = notices["notification_date"].dt.normalize()
    firsts = notices.assign(month=day.dt.strftime("%Y-%m"), day=day).groupby(["month", "person_key"])["day"].min()
    # np.timedelta64: pandas 2.3's Timedelta(days=) warns under numpy 2.5
    last_day = firsts + np.timedelta64(data.config.engagement_window_days - 1, "D")
    still_open = (last_day > pd.Timestamp(as_of)).groupby(level="month").sum()
    want = [int(still_open.get(m, 0)) for m in months]
    assert got["open"].tolist() == want
    assert sum(want) > 0 or as_of == "2024-12-30"  # the dates reach into open windows


def test_an_empty_month_is_empty_not_provisional() -> None:
    data = _load([("a", "2024-09-15")])
    frame = _by_month(vr.series(data, "engagement_rate", months=3, end="2024-11"))
    october = frame.loc["2024-10"]
    assert october["empty"] and not october["provisional"] and np.isnan(october["engagement_rate"])
    assert not frame.loc["2024-09", "empty"]


def test_demo_november_2024_engagement_is_provisional(demo: vr.Dataset) -> None:
    frame = _by_month(vr.series(demo, "engagement_rate", months=3, end="2024-11"))
    assert frame.loc["2024-11", "provisional"]
    # Every November notice after the 1st has its window open on 30 Nov; October's have all closed
    # (a notice on 31 Oct has its last day on 29 Nov).
    assert not frame.loc["2024-10", "provisional"]
    notices = demo.table("notifications")
    november = notices[(notices["notification_date"] >= "2024-11-01") & (notices["notification_date"] <= "2024-11-30")]
    firsts = november.groupby("person_key")["notification_date"].min()
    assert frame.loc["2024-11", "open"] == int((firsts > pd.Timestamp("2024-11-01")).sum())


# -- deaths: a competing outcome, not a success ------------------------------------------------------------

_DEATH_CASE: dict[str, Any] = dict(
    notices=[(p, "2024-01-10") for p in "abcdefg"],
    incidents=[("a", "2024-03-01"), ("c", "2024-03-15"), ("d", "2024-05-01")],
    deaths=[("b", "2024-02-01"), ("c", "2024-04-01"), ("d", "2024-05-01"), ("f", "2024-08-01"), ("g", "2024-01-05")],
)
# As of 30 Jun 2024 (running, 24 months): a fails; b dies first (a death); c fails before dying; d fails and
# dies the same day (the incident is not preceded by the death: a failure); e has nothing; f dies after as-of;
# g's death is dated before the notification, so it is not read. Notified 7, deaths 1, failures 3.


@pytest.mark.parametrize(
    "rule, persons, failures, successes",
    [
        ("exclude", 6, 3, 3),  # b leaves the denominator
        ("success", 7, 3, 4),  # b counted a success (the rates before deaths were read)
        ("failure", 7, 4, 3),  # b counted a failure
    ],
)
def test_running_success_with_a_death_in_the_window(rule: str, persons: int, failures: int, successes: int) -> None:
    config = vr.Config.default().replace(success_deaths=rule)
    data = _load(**_DEATH_CASE, config=config)
    row = vr.success_rate(data, "2024-06-30", config=config).set_index("group").loc["All"]
    assert (row.notified, row.deaths, row.persons, row.failures, row.successes) == (7, 1, persons, failures, successes)
    assert row.success_rate == pytest.approx(successes / persons)


def test_fixed_window_success_with_a_death_in_the_window() -> None:
    # A 60-day window from 10 Jan holds 11 Jan .. 10 Mar. a fails on 1 Mar (in); b dies 1 Feb (a death);
    # c's incident (15 Mar) and d's (1 May) fall after the window: successes, as are e, f and g.
    config = vr.Config.default().replace(success_window_days=60)
    data = _load(**_DEATH_CASE, config=config)
    row = vr.success_rate(data, "2024-06-30", method="fixed", config=config).set_index("group").loc["All"]
    assert (row.notified, row.deaths, row.persons, row.failures, row.successes) == (7, 1, 6, 1, 5)
    # The window's last day: an incident on day 60 (10 Mar) fails, one on day 61 (11 Mar) does not.
    edge = _load(
        [("x", "2024-01-10"), ("y", "2024-01-10")], incidents=[("x", "2024-03-10"), ("y", "2024-03-11")], config=config
    )
    assert (
        vr.success_rate(edge, "2024-03-10", method="fixed", config=config).set_index("group").loc["All", "failures"]
        == 1
    )
    # ... and the window is closed only from its last day: as of 9 Mar, no one is counted yet.
    assert (
        vr.success_rate(edge, "2024-03-09", method="fixed", config=config).set_index("group").loc["All", "persons"] == 0
    )


def test_deaths_agree_with_the_aalen_johansen_curve() -> None:
    data = _load(**_DEATH_CASE)
    curve = vr.survival_curve(data, "2024-06-30", competing=True)
    row = vr.success_rate(data, "2024-06-30").set_index("group").loc["All"]
    assert curve["competing"].sum() == row.deaths == 1
    assert curve["events"].sum() == row.failures == 3


def test_survival_is_nan_past_the_last_person_at_risk() -> None:
    # Three persons notified 1 Jan 2024, observed to 1 Mar 2024 (day 60). One fails on day 10.
    # S(30) = 1 - 1/3 = 2/3; at day 60 the two others are still at risk (censored on day 60): S = 2/3;
    # at day 61 no one is at risk: S is not defined.
    data = _load([("a", "2024-01-01"), ("b", "2024-01-01"), ("c", "2024-01-01")], incidents=[("a", "2024-01-11")])
    table = vr.survival_at(data, "2024-03-01", times=(30, 60, 61)).set_index("time")
    assert table.loc[30, "survival"] == pytest.approx(2 / 3)
    assert table.loc[60, "at_risk"] == 2 and table.loc[60, "survival"] == pytest.approx(2 / 3)
    assert table.loc[60, "reason"] == ""
    past = table.loc[61]
    assert past["at_risk"] == 0 and np.isnan(past[["survival", "ci_low", "ci_high"]].to_numpy(dtype=float)).all()
    assert table.loc[61, "reason"] == "no one followed to day 61 (longest follow-up 60 days)"


# -- series start when the data do ---------------------------------------------------------------------------


def test_series_start_at_the_first_record(demo: vr.Dataset) -> None:
    # The demo's notifications and referrals begin in July 2021: 36 months ending June 2022 hold 12.
    notices = demo.table("notifications")["notification_date"]
    first = notices.min().strftime("%Y-%m")
    assert first == "2021-07"
    for metric in ("success_rate_running", "engagement_rate", "custom_notifications", "referrals"):
        frame = vr.series(demo, metric, months=36, end="2022-06")
        assert frame["month"].iloc[0] == pd.Period("2021-07", "M") and len(frame) == 12, metric


def test_trc_months_before_its_first_referral_are_absent(demo: vr.Dataset) -> None:
    first = demo.table("trc_referrals")["referral_date"].min()
    assert first.strftime("%Y-%m") == "2023-12"  # the centre opened in December 2023
    tidy = vr.trc_referrals_by_source(demo, "2024-01")
    assert tidy["month"].astype(str).unique().tolist() == ["2023-12", "2024-01"]  # November 2023 is absent, not zero
    december, january = (tidy[tidy["month"] == m].reset_index(drop=True) for m in ("2023-12", "2024-01"))
    assert (december["fytd"] == december["referrals"]).all()  # the centre's first month: fytd is that month
    assert (january["fytd"] == december["referrals"] + january["referrals"]).all()
    table = tidy.vip.wide()
    assert list(table.columns) == ["2023-12", "2024-01", "FYTD"]
    assert (table["FYTD"] == table["2023-12"] + table["2024-01"]).all()
    # A month before the first referral has no rows at all.
    assert vr.trc_referrals_by_source(demo, "2023-10").empty


# -- the fitted survival object --------------------------------------------------------------------------


def test_survival_fitter_is_fitted_once_and_matches_lifelines() -> None:
    lifelines = pytest.importorskip("lifelines")
    data = _load(**_DEATH_CASE)
    fitter = vr.SurvivalFitter()
    assert fitter.fit(data, "2024-06-30") is fitter
    assert {"follow_up_", "curve_", "competing_curve_", "as_of_"} <= set(vars(fitter))
    follow = fitter.follow_up_
    # Independently: lifelines' Kaplan-Meier, deaths censored, on the same durations.
    km = lifelines.KaplanMeierFitter().fit(follow["duration"], event_observed=follow["cause"] == 1)
    table = fitter.survival_at((30, 100, 172)).set_index("time")
    for t in (30, 100, 172):
        assert table.loc[t, "survival"] == pytest.approx(float(km.survival_function_at_times(t).iloc[0]))
    # Hand-worked summary: 7 persons; a, c, d fail (3 events); b dies (1 death); e, f, g censored (3).
    # Follow-up runs from 10 Jan to 30 Jun 2024 = 172 days for those censored.
    row = fitter.summary.loc["All"]
    assert (row.persons, row.events, row.deaths, row.censored, row.longest_follow_up) == (7, 3, 1, 3, 172)
    assert np.isnan(row["survival_730"]) and "no one followed to day 730" in row["reason"]


def test_survival_fitter_needs_fit() -> None:
    with pytest.raises(vr.ArgumentError, match="call fit"):
        vr.SurvivalFitter().survival_at()
