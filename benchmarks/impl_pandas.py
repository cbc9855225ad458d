"""The metric set in idiomatic, vectorised pandas (NumPy for the daily caseload counts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import metric_set as ms

DAY = pd.Timedelta(1, unit="D")  # not days=1: pandas 2.3 on numpy 2.5 warns inside Timedelta(days=...)


def prepare(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in ("notifications", "incidents", "services", "enrollments", "referrals")
    }


def compute(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    cohort = _cohort(t)
    return {
        "running": _running(cohort),
        "fixed": _fixed(cohort),
        "engagement": _engagement(t),
        "caseload": _caseload(t),
        "areas": _areas(t),
    }


def _cohort(t) -> pd.DataFrame:
    notices = t["notifications"]
    t0 = notices.groupby("person_id")["notification_date"].transform("min")
    at_t0 = notices[notices["notification_date"] == t0]
    cohort = at_t0.groupby("person_id").agg(t0=("notification_date", "first"), group=("age_group_code", "min"))
    incidents = t["incidents"]
    violent = incidents.loc[incidents["violent"], ["person_id", "incident_date"]]
    after = violent.merge(cohort["t0"], left_on="person_id", right_index=True)
    after = after[after["incident_date"] > after["t0"]]
    cohort["fail"] = after.groupby("person_id")["incident_date"].min()
    return cohort


def _running(cohort: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for month, as_of, start in zip(ms.months(), ms.as_of_dates(), ms.cohort_starts(), strict=False):
        members = cohort[(cohort["t0"] >= start) & (cohort["t0"] <= as_of)]
        failed = members["fail"] <= as_of
        frame = pd.DataFrame(
            {"persons": members.groupby("group").size(), "failures": failed.groupby(members["group"]).sum()}
        )
        parts.append(frame.reset_index().assign(month=str(month)))
    return pd.concat(parts, ignore_index=True)


def _fixed(cohort: pd.DataFrame) -> pd.DataFrame:
    closes = cohort["t0"] + ms.WINDOW_DAYS * DAY
    failed_in_window = cohort["fail"] <= closes
    rows = []
    for month, as_of in zip(ms.months(), ms.as_of_dates(), strict=False):
        members = closes <= as_of
        rows.append((str(month), int(members.sum()), int((failed_in_window & members).sum())))
    return pd.DataFrame(rows, columns=["month", "persons", "failures"])


def _engagement(t) -> pd.DataFrame:
    as_of = ms.as_of_dates()[-1]
    notices = t["notifications"]
    month = notices["notification_date"].dt.to_period("M")
    first = notices.assign(month=month).groupby(["person_id", "month"], as_index=False)["notification_date"].min()
    first = first[first["month"].isin(ms.months())]
    services = t["services"]
    engaging = services.loc[services["status"].isin(ms.ENGAGING), ["person_id", "service_date"]]
    pairs = first.merge(engaging, on="person_id")
    ok = (
        (pairs["service_date"] >= pairs["notification_date"])
        & (pairs["service_date"] <= pairs["notification_date"] + ms.ENGAGEMENT_LAST_DAY * DAY)
        & (pairs["service_date"] <= as_of)
    )
    engaged = pairs[ok].drop_duplicates(["person_id", "month"]).groupby("month").size()
    notified = first.groupby("month").size()
    frame = pd.DataFrame({"notified": notified, "engaged": engaged}).fillna(0).reset_index()
    return frame.rename(columns={"index": "month"})


def _caseload(t) -> pd.DataFrame:
    episodes = t["enrollments"].sort_values(["person_id", "start_date"])
    far = pd.Timestamp("2262-01-01")
    end = episodes["end_date"].fillna(far)
    # Merge each person's overlapping or touching episodes, so a person counts once a day.
    reach = end.groupby(episodes["person_id"]).cummax().groupby(episodes["person_id"]).shift()
    block = (reach.isna() | (episodes["start_date"] > reach)).cumsum()
    merged = (
        pd.DataFrame({"start": episodes["start_date"], "end": end})
        .groupby(block)
        .agg(start=("start", "min"), end=("end", "max"))
    )
    first_day = ms.months()[0].start_time
    last_day = ms.as_of_dates()[-1]
    n_days = (last_day - first_day).days + 1
    lo = ((merged["start"] - first_day) // DAY).clip(0, n_days).to_numpy()
    hi = ((merged["end"].clip(upper=last_day + DAY) - first_day) // DAY).clip(0, n_days).to_numpy()
    keep = lo < hi
    delta = np.bincount(lo[keep], minlength=n_days + 1) - np.bincount(hi[keep], minlength=n_days + 1)
    daily = pd.Series(np.cumsum(delta)[:n_days], index=pd.date_range(first_day, periods=n_days))
    by_month = daily.groupby(daily.index.to_period("M"))
    return pd.DataFrame(
        {
            "month": [str(m) for m in ms.months()],
            "active_last_day": by_month.last().to_numpy(),
            "average_daily": by_month.mean().to_numpy(),
        }
    )


def _areas(t) -> pd.DataFrame:
    referrals = t["referrals"]
    month = referrals["referral_date"].dt.to_period("M")
    first = ms.months()[0]
    fy_first = pd.Period(f"{ms.fiscal_year(first) - 1}-{ms.FY_START_MONTH:02d}", "M")
    span = pd.period_range(fy_first, ms.months()[-1], freq="M")
    counts = (
        referrals.assign(month=month)[month.between(span[0], span[-1])]
        .groupby(["month", "area_command"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=span, columns=list(ms.AREAS), fill_value=0)
    )
    fytd = counts.groupby([ms.fiscal_year(p) for p in counts.index]).cumsum()
    long = counts.stack().rename("referrals").to_frame()
    long["fytd"] = fytd.stack()
    long = long.reset_index()
    long.columns = ["month", "area_command", "referrals", "fytd"]
    return long[long["month"].isin(ms.months())]
