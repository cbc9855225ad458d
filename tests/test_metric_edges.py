"""Hand-worked tiny cases at every window edge of the metric definitions."""

from collections.abc import Callable, Iterable, Sequence
from typing import cast

import numpy as np
import pandas as pd
import pytest

import vipreport as vr


def dataset(
    notices: Sequence[tuple[str, str, int | None]],
    incidents: Iterable[tuple[str, str, str]] = (),
    services: Iterable[tuple[str, str, str, str]] = (),
    enrollments: Iterable[tuple[str, str, str | None]] = (),
) -> vr.Dataset:
    tables = {
        "notifications": pd.DataFrame(notices, columns=["person_id", "notification_date", "age"]),
        "incidents": pd.DataFrame(list(incidents), columns=["person_id", "incident_date", "offense"]),
        "services": pd.DataFrame(list(services), columns=["person_id", "service_date", "service_type", "status"]),
        "enrollments": pd.DataFrame(list(enrollments), columns=["person_id", "start_date", "end_date"]),
    }
    return vr.load(tables)


def running(data: vr.Dataset, as_of: str) -> tuple[int, int]:
    row = vr.success_rate(data, as_of).set_index("group").loc["All"]
    return int(cast(int, row["persons"])), int(cast(int, row["failures"]))


def fixed(data: vr.Dataset, as_of: str) -> tuple[int, int]:
    row = vr.success_rate(data, as_of, method="fixed").set_index("group").loc["All"]
    return int(cast(int, row["persons"])), int(cast(int, row["failures"]))


def test_incident_on_notification_day_is_not_a_failure() -> None:
    data = dataset([("a", "2024-01-10", 20)], [("a", "2024-01-10", "Shooting")])
    assert running(data, "2024-06-30") == (1, 0)


def test_incident_the_day_after_is_a_failure() -> None:
    data = dataset([("a", "2024-01-10", 20)], [("a", "2024-01-11", "Shooting")])
    assert running(data, "2024-01-10") == (1, 0)  # not yet observed
    assert running(data, "2024-01-11") == (1, 1)


def test_notification_ten_days_before_as_of_counts_as_a_success_so_far() -> None:
    data = dataset([("a", "2024-11-20", 20)])
    assert running(data, "2024-11-30") == (1, 0)
    assert fixed(data, "2024-11-30") == (0, 0)  # its window is far from closed


def test_incident_exactly_730_days_later_fails_the_fixed_window() -> None:
    t0 = pd.Timestamp("2021-03-01")
    on_edge = (t0 + pd.Timedelta(730, unit="D")).strftime("%Y-%m-%d")
    past_edge = (t0 + pd.Timedelta(731, unit="D")).strftime("%Y-%m-%d")
    data = dataset(
        [("a", "2021-03-01", 20), ("b", "2021-03-01", 20)], [("a", on_edge, "Shooting"), ("b", past_edge, "Shooting")]
    )
    assert fixed(data, "2023-12-31") == (2, 1)


def test_fixed_window_closes_exactly_730_days_after_a_leap_day() -> None:
    # 2024-02-29 + 730 days = 2026-02-28.
    data = dataset([("a", "2024-02-29", 30)])
    assert fixed(data, "2026-02-27") == (0, 0)
    assert fixed(data, "2026-02-28") == (1, 0)


def test_running_cohort_is_the_24_calendar_months_ending_with_as_of() -> None:
    data = dataset([("early", "2022-11-30", 20), ("first_day", "2022-12-01", 20), ("late", "2024-11-30", 20)])
    assert running(data, "2024-11-30") == (2, 0)  # Dec 2022 .. Nov 2024
    assert running(data, "2024-11-29") == (1, 0)  # "late" not yet notified


def test_person_notified_twice_is_indexed_at_the_first_notification() -> None:
    data = dataset(
        [("a", "2023-01-10", 20), ("a", "2023-09-01", 21)], [("a", "2023-05-01", "Shooting")]
    )  # between the two notices
    assert running(data, "2023-12-31") == (1, 1)


def test_incident_before_notification_and_nonviolent_ones_do_not_count() -> None:
    data = dataset([("a", "2023-06-01", 20)], [("a", "2023-01-01", "Shooting"), ("a", "2023-07-01", "Larceny")])
    assert running(data, "2023-12-31") == (1, 0)


def test_age_group_is_age_at_first_notification() -> None:
    data = dataset([("a", "2023-01-10", 17), ("a", "2024-03-01", 18)])
    by_age = vr.success_rate(data, "2024-06-30", by="age_group").set_index("group")
    assert by_age.loc["Under 18", "persons"] == 1 and by_age.loc["18-24", "persons"] == 0


def test_engagement_window_edges_and_as_of() -> None:
    svc: Callable[..., tuple[str, str, str, str]] = lambda who, day, status="connected": (who, day, "Housing", status)  # noqa: E731
    data = dataset(
        [
            ("a", "2024-03-01", 20),
            ("b", "2024-03-01", 20),
            ("c", "2024-03-20", 20),
            ("d", "2024-03-05", 20),
            ("e", "2024-03-10", 20),
        ],
        services=[
            svc("a", "2024-03-30"),  # day 29: the 30-day window's last day, inside
            svc("b", "2024-03-31"),  # day 30: the first day out
            svc("c", "2024-04-05"),  # inside, but after the month's end
            svc("d", "2024-03-04"),  # before the notification
            svc("e", "2024-03-12", "requested"),
        ],  # not an engaging status
    )
    at_month_end = vr.engagement_rate(data, "2024-03").iloc[0]
    assert (at_month_end.notified, at_month_end.engaged, at_month_end.provisional) == (5, 1, True)
    later = vr.engagement_rate(data, "2024-03", as_of="2024-05-31").iloc[0]
    assert (later.engaged, later.provisional) == (2, False)
    assert later.days_median == pytest.approx(22.5)  # a: 29 days, c: 16 days
    assert later.engagement_rate == pytest.approx(2 / 5)


def test_engagement_in_an_empty_month() -> None:
    data = dataset([("a", "2024-03-01", 20)])
    row = vr.engagement_rate(data, "2024-05").iloc[0]
    assert (row.notified, row.engaged) == (0, 0)
    assert np.isnan(row.engagement_rate) and np.isnan(row.days_median)


def test_enrollment_ending_on_the_months_last_day_is_not_active_then() -> None:
    data = dataset(
        [("a", "2024-01-01", 20)],
        enrollments=[
            ("a", "2024-01-05", "2024-04-30"),  # ends on the last day
            ("b", "2024-04-10", "2024-05-01"),  # ends the day after
            ("c", "2024-02-01", None),  # still open
            ("c", "2024-03-01", "2024-06-01"),  # overlaps c's open episode: c counts once
        ],
    )
    row = vr.active_caseload(data, "2024-04").iloc[0]
    assert row.active_last_day == 2  # b and c
    # Daily: a active Apr 1-29 (29 days), b Apr 10-30 (21), c all 30 days.
    assert row.average_daily == pytest.approx((29 + 21 + 30) / 30)


def test_summary_statistics_match_numpy() -> None:
    from vipreport import _core

    values = np.array([5, 1, 9, 3, 3, 12], np.int32)
    stats = _core.summarize(values)
    assert stats.count == 6
    assert stats.median == np.median(values)
    assert stats.mean == pytest.approx(values.mean(), rel=1e-15)
    assert stats.std == pytest.approx(values.std(ddof=1), rel=1e-12)
    assert (stats.min, stats.max) == (1, 12)
    assert _core.summarize(np.array([7], np.int32)).median == 7


def test_notification_ages_hand_worked() -> None:
    data = dataset(
        [
            ("a", "2024-03-01", 17),
            ("a", "2024-03-20", 18),
            ("b", "2024-03-05", 30),
            ("c", "2024-03-09", None),
            ("d", "2024-04-01", 50),
        ]
    )
    row = vr.metrics.notification_ages(data, "2024-03").iloc[0]
    # a counts once, at the month's first notice (17); c's age is unknown; d is in April.
    assert (row["count"], row["unknown"]) == (2, 1)
    assert (row["mean"], row["median"], row["min"], row["max"]) == (23.5, 23.5, 17, 30)
