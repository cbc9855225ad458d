"""Plain-pandas reference implementations of the metric definitions, written from DESIGN.md.

They share no code with vipreport beyond reading a loaded Dataset's tables,
and favour obviousness over speed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

# (persons, failures): totals, or per age-group code with by_code
Counts = tuple[int, int] | tuple["pd.Series[int]", "pd.Series[int]"]
DAY = pd.Timedelta(1, unit="D")  # not days=1: pandas 2.3 on numpy 2.5 warns inside Timedelta(days=...)


def first_notifications(notices: pd.DataFrame) -> pd.DataFrame:
    """Per person: t0 and the age-group code of the t0 notification (smallest code on ties)."""
    frame = notices.assign(code=notices["age_group"].cat.codes)
    frame["t0"] = frame.groupby("person_key")["notification_date"].transform("min")
    at_t0 = frame[frame["notification_date"] == frame["t0"]]
    return at_t0.groupby("person_key").agg(t0=("t0", "first"), code=("code", "min"))


def first_failures(notices: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    people = first_notifications(notices)
    violent = incidents[incidents["violent"]].merge(people.reset_index(), on="person_key")
    after = violent[violent["incident_date"] > violent["t0"]]
    people["fail"] = after.groupby("person_key")["incident_date"].min()
    return people


def running_success(
    notices: pd.DataFrame, incidents: pd.DataFrame, as_of: pd.Timestamp, cohort_months: int = 24, by_code: bool = False
) -> Counts:
    people = first_failures(notices, incidents)
    start = (as_of.to_period("M") - (cohort_months - 1)).start_time
    cohort = people[(people["t0"] >= start) & (people["t0"] <= as_of)]
    failed = cohort["fail"].notna() & (cohort["fail"] <= as_of)
    return _counts(cohort, failed, by_code)


def fixed_success(
    notices: pd.DataFrame, incidents: pd.DataFrame, as_of: pd.Timestamp, window_days: int = 730, by_code: bool = False
) -> Counts:
    people = first_failures(notices, incidents)
    closes = people["t0"] + window_days * DAY
    cohort = people[closes <= as_of]
    failed = cohort["fail"].notna() & (cohort["fail"] <= closes[cohort.index])
    return _counts(cohort, failed, by_code)


def _counts(cohort: pd.DataFrame, failed: pd.Series[bool], by_code: bool) -> Counts:
    if by_code:
        persons = cohort.groupby("code").size()
        failures = failed.astype(int).groupby(cohort["code"]).sum()
        return persons, failures
    return len(cohort), int(failed.sum())


def engagement(
    notices: pd.DataFrame,
    services: pd.DataFrame,
    month: str,
    *,
    window_days: int,
    statuses: Iterable[str],
    as_of: pd.Timestamp,
) -> tuple[int, int]:
    period = pd.Period(month, "M")
    in_month = notices[notices["notification_date"].dt.to_period("M") == period]
    t = in_month.groupby("person_key")["notification_date"].min().rename("t").reset_index()
    engaging = services[services["status"].isin(statuses)]
    pairs = t.merge(engaging, on="person_key", how="left")
    ok = (
        (pairs["service_date"] >= pairs["t"])
        & (pairs["service_date"] < pairs["t"] + window_days * DAY)  # days 0 .. window_days - 1
        & (pairs["service_date"] <= as_of)
    )
    engaged = pairs[ok]["person_key"].nunique()
    return len(t), engaged


def caseload(enrollments: pd.DataFrame, month: str) -> tuple[int, float]:
    period = pd.Period(month, "M")
    counts = []
    for day in pd.date_range(period.start_time, period.end_time.normalize()):
        active = (enrollments["start_date"] <= day) & (enrollments["end_date"].isna() | (enrollments["end_date"] > day))
        counts.append(enrollments.loc[active, "person_key"].nunique())
    return counts[-1], float(np.mean(counts))
