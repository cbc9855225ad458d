"""The VIP metrics against the plain-pandas reference, on many random datasets."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reference as ref
import vipreport as vr


def random_dataset(seed: int, n_people: int) -> vr.Dataset:
    """A small random dataset with dense collisions: repeat notices, same-day events, boundaries."""
    rng = np.random.default_rng(seed)
    lo = pd.Timestamp("2021-01-01")
    span = 4 * 365

    def people(n: int) -> list[str]:
        return [f"p{i}" for i in rng.integers(0, n_people, size=n)]

    def dates(n: int) -> pd.DatetimeIndex:
        return lo + pd.to_timedelta(rng.integers(0, span, size=n), unit="D")

    n_notes, n_inc, n_serv, n_enr = (int(rng.integers(0, 4 * n_people + 1)) for _ in range(4))
    notices = pd.DataFrame(
        {"person_id": people(n_notes), "notification_date": dates(n_notes), "age": rng.integers(12, 60, size=n_notes)}
    )
    incidents = pd.DataFrame(
        {
            "person_id": people(n_inc),
            "incident_date": dates(n_inc),
            "offense": rng.choice(["Shooting", "Larceny"], size=n_inc),
        }
    )
    services = pd.DataFrame(
        {
            "person_id": people(n_serv),
            "service_date": dates(n_serv),
            "service_type": "Housing",
            "status": rng.choice(["requested", "referred", "connected"], size=n_serv),
        }
    )
    start = dates(n_enr)
    end = start + pd.to_timedelta(rng.integers(0, 400, size=n_enr), unit="D")
    enrollments = pd.DataFrame(
        {"person_id": people(n_enr), "start_date": start, "end_date": end.where(rng.random(n_enr) < 0.7)}
    )
    return vr.load({"notifications": notices, "incidents": incidents, "services": services, "enrollments": enrollments})


AS_OF = ["2022-02-28", "2023-06-30", "2024-02-29", "2024-12-31", "2025-03-31"]
MONTHS = ["2021-01", "2022-07", "2023-02", "2024-02", "2024-12"]
seeds = st.integers(0, 2**32 - 1)
sizes = st.sampled_from([1, 3, 10, 60, 300])
property_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@property_settings
@given(seed=seeds, n_people=sizes)
def test_success_rates_match_reference(seed: int, n_people: int) -> None:
    data = random_dataset(seed, n_people)
    notices, incidents = data.table("notifications"), data.table("incidents")
    for as_of in AS_OF:
        when = pd.Timestamp(as_of)
        running = vr.success_rate(data, as_of).set_index("group").loc["All"]
        assert (running.persons, running.failures) == ref.running_success(notices, incidents, when)
        fixed = vr.success_rate(data, as_of, method="fixed").set_index("group").loc["All"]
        assert (fixed.persons, fixed.failures) == ref.fixed_success(notices, incidents, when)
        by_age = vr.success_rate(data, as_of, by="age_group").set_index("group")
        persons, failures = ref.running_success(notices, incidents, when, by_code=True)
        labels = data.config.age_group_labels
        expected_persons = [int(persons.get(i, 0)) for i in range(len(labels))]
        expected_failures = [int(failures.get(i, 0)) for i in range(len(labels))]
        assert by_age.loc[list(labels), "persons"].tolist() == expected_persons
        assert by_age.loc[list(labels), "failures"].tolist() == expected_failures
        assert by_age.loc["All", "persons"] == sum(expected_persons)


@property_settings
@given(seed=seeds, n_people=sizes)
def test_engagement_matches_reference(seed: int, n_people: int) -> None:
    data = random_dataset(seed, n_people)
    cfg = data.config
    for month in MONTHS:
        for as_of in (None, "2025-06-30"):
            got = vr.engagement_rate(data, month, as_of=as_of).iloc[0]
            when = pd.Period(month, "M").end_time.normalize() if as_of is None else pd.Timestamp(as_of)
            expected = ref.engagement(
                data.table("notifications"),
                data.table("services"),
                month,
                window_days=cfg.engagement_window_days,
                statuses=cfg.engagement_statuses,
                as_of=when,
            )
            assert (got.notified, got.engaged) == expected


@property_settings
@given(seed=seeds, n_people=sizes)
def test_caseload_matches_reference(seed: int, n_people: int) -> None:
    data = random_dataset(seed, n_people)
    for month in MONTHS:
        got = vr.active_caseload(data, month).iloc[0]
        last_day, average = ref.caseload(data.table("enrollments"), month)
        assert got.active_last_day == last_day
        assert got.average_daily == pytest.approx(average, rel=1e-12)


def by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy per-month result indexed by its month as "YYYY-MM"."""
    return frame.set_index(frame["month"].astype(str).rename(None))


@settings(max_examples=10, deadline=None)
@given(seed=seeds)
@example(seed=3123)  # no notifications at all: the notification series are empty, caseload is not
def test_series_equals_month_by_month(seed: int) -> None:
    data = random_dataset(seed, 40)
    running = by_month(vr.series(data, "success_rate_running", months=36, end="2024-12"))
    fixed = by_month(vr.series(data, "success_rate_fixed", months=36, end="2024-12"))
    caseload = by_month(vr.series(data, "active_caseload", months=36, end="2024-12"))
    engagement = by_month(vr.series(data, "engagement_rate", months=36, end="2024-12"))
    every = [str(p) for p in pd.period_range("2022-01", "2024-12", freq="M")]
    for frame in (running, fixed, caseload, engagement):  # months before the data begin are absent, never zero
        assert list(frame.index) == every[len(every) - len(frame) :]
    assert list(running.index) == list(fixed.index) == list(engagement.index)  # all start at the first notification
    for month in running.index[::5]:
        one = vr.success_rate(data, month).set_index("group").loc["All"]
        assert (running.loc[month, "persons"], running.loc[month, "failures"]) == (one.persons, one.failures)
        one = vr.success_rate(data, month, method="fixed").set_index("group").loc["All"]
        assert (fixed.loc[month, "persons"], fixed.loc[month, "failures"]) == (one.persons, one.failures)
        if month in caseload.index:  # the caseload series starts at the first enrollment
            assert caseload.loc[month, "active_last_day"] == vr.active_caseload(data, month).iloc[0].active_last_day
        one = vr.engagement_rate(data, month, as_of="2024-12-31").iloc[0]
        assert (engagement.loc[month, "notified"], engagement.loc[month, "engaged"]) == (one.notified, one.engaged)


def test_demo_series_of_every_metric_is_one_call_each(demo: vr.Dataset) -> None:
    for metric in vr.metrics.series_metrics():
        frame = vr.series(demo, metric, months=36, end="2024-11")
        assert frame["month"].tolist() == list(pd.period_range("2021-12", "2024-11", freq="M"))
        assert isinstance(frame.index, pd.RangeIndex) and str(frame["month"].dtype) == "period[M]"


def test_failure_share_never_drops_for_a_fixed_cohort(demo: vr.Dataset) -> None:
    # With a cohort window longer than the data, the cohort stops growing after
    # the last notification; from then on only follow-up lengthens.
    config = demo.config.replace(success_cohort_months=600)
    later = [str(p) for p in pd.period_range("2025-01", "2027-12", freq="M")]
    counts = vr.metrics.success.success_counts(demo, later, config=config)
    assert counts["persons"].nunique() == 1
    assert counts["failures"].is_monotonic_increasing


def test_counts_over_categories_sum_to_totals(demo: vr.Dataset) -> None:
    for month in ("2023-07", "2024-11"):
        by_area = vr.referrals_by_area(demo, month).groupby("month")[["referrals", "fytd"]].sum()
        by_source = vr.referral_sources(demo, month).groupby("month")[["referrals", "fytd"]].sum()
        pd.testing.assert_frame_equal(by_area, by_source)
        totals = vr.series(demo, "referrals", months=3, end=month)["referrals"].tolist()
        assert by_area["referrals"].tolist() == totals
        fytd = vr.fytd_totals(demo, month).set_index("measure")
        assert fytd.loc["Referrals", "fytd"] == by_area["fytd"].iloc[-1]
        assert fytd.loc["Referrals", "count"] == by_area["referrals"].iloc[-1]
    by_age = vr.success_rate(demo, "2024-11", by="age_group").set_index("group")
    assert by_age.drop(index="All")[["persons", "failures"]].sum().tolist() == list(
        by_age.loc["All", ["persons", "failures"]]
    )


@settings(max_examples=15, deadline=None)
@given(seed=seeds, n_people=sizes)
def test_sparse_person_keys_take_the_sorting_path_to_the_same_results(seed: int, n_people: int) -> None:
    """Person keys far apart cannot index arrays; the core sorts instead, with equal results.

    The loader always gives dense keys (ids are text, keys their sorted ranks), so
    the sparse keys are set here directly, as a caller building a Dataset could.
    """
    dense = random_dataset(seed, n_people)
    sparse_tables = {
        name: frame.assign(person_key=(frame["person_key"] + 1) * 1_000_000_007) if "person_key" in frame else frame
        for name, frame in dense.tables.items()
    }
    sparse = vr.Dataset(sparse_tables, dense.quality, dense.config)
    keys = sparse.table("notifications")["person_key"]
    assert keys.empty or keys.max() > 10**9
    for as_of in AS_OF:
        for method in ("running", "fixed"):
            a = vr.success_rate(dense, as_of, method=method, by="age_group")[["persons", "failures"]]
            b = vr.success_rate(sparse, as_of, method=method, by="age_group")[["persons", "failures"]]
            pd.testing.assert_frame_equal(a, b)
    for month in MONTHS:
        e, f = vr.engagement_rate(dense, month).iloc[0], vr.engagement_rate(sparse, month).iloc[0]
        assert (e.notified, e.engaged, e.days_median) == (f.notified, f.engaged, f.days_median) or (
            (e.notified, e.engaged) == (f.notified, f.engaged) and np.isnan(e.days_median) and np.isnan(f.days_median)
        )
        c, d = vr.active_caseload(dense, month).iloc[0], vr.active_caseload(sparse, month).iloc[0]
        assert (c.active_last_day, c.average_daily) == (d.active_last_day, d.average_daily)


def test_a_month_as_of_means_its_last_day_everywhere(demo: vr.Dataset) -> None:
    # One calendar: "2024-06" as an as-of is 30 June 2024, for every metric.
    pd.testing.assert_frame_equal(
        vr.engagement_rate(demo, "2024-05", as_of="2024-06"), vr.engagement_rate(demo, "2024-05", as_of="2024-06-30")
    )
    pd.testing.assert_frame_equal(vr.success_rate(demo, "2024-06"), vr.success_rate(demo, "2024-06-30"))
    pd.testing.assert_frame_equal(
        vr.success_rate(demo, "2024-06", method="fixed"), vr.success_rate(demo, "2024-06-30", method="fixed")
    )
    # ... and is not 1 June: a day earlier changes what is observed.
    june_first = vr.engagement_rate(demo, "2024-05", as_of="2024-06-01")
    assert june_first["as_of"].iloc[0] == pd.Timestamp("2024-06-01")
    assert vr.engagement_rate(demo, "2024-05", as_of="2024-06")["as_of"].iloc[0] == pd.Timestamp("2024-06-30")
