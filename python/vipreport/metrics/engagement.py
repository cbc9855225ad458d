"""Engagement: of the persons notified in a month, the share who took up a service."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..config import Config
from ..io import Dataset
from ..stats import wilson_interval
from ..calendar import as_of_for, month_index, month_label


def engagement_counts(data: Dataset, months: list[int], *, as_of: int, config: Config) -> dict[str, np.ndarray]:
    notices = data.table("notifications")
    services = data.table("services")
    engaging = services["status"].isin(config.engagement_statuses).to_numpy(np.uint8)
    return _core.engagement(
        notices["person_key"].to_numpy(np.int64), data.days("notifications", "notification_date"),
        services["person_key"].to_numpy(np.int64), data.days("services", "service_date"), engaging,
        np.asarray(months, dtype=np.int32), window_days=config.engagement_window_days, as_of=as_of,
    )


def engagement_frame(counts: dict[str, np.ndarray], months: list[int], as_of: int) -> pd.DataFrame:
    frame = pd.DataFrame({
        "month": [month_label(m) for m in months],
        "notified": counts["notified"],
        "engaged": counts["engaged"],
    })
    frame["engagement_rate"] = frame["engaged"] / frame["notified"].where(frame["notified"] > 0)
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["engaged"], frame["notified"])
    frame["provisional"] = counts["provisional"].astype(bool)
    frame["as_of"] = pd.Timestamp(np.datetime64(as_of, "D"))
    return frame


def engagement_rate(data: Dataset, month: str, *, as_of: str | pd.Timestamp | None = None,
                    config: Config | None = None) -> pd.DataFrame:
    """Of the distinct persons notified in ``month``, how many engaged with a service.

    A person is engaged when a service whose status is one of
    ``engagement.statuses`` falls on or after their first notification of the
    month, within ``engagement.window_days`` of it, and on or before ``as_of``.

    Parameters
    ----------
    month
        ``"YYYY-MM"``.
    as_of
        How far services are observed; default the month's last day. The
        result is ``provisional`` while a notified person's window is still
        open at ``as_of``.

    Returns
    -------
    DataFrame
        One row: ``month, notified, engaged, engagement_rate, ci_low, ci_high``
        (95% Wilson interval), ``provisional, as_of``, and the days from notification to first engagement
        (``days_count, days_mean, days_median, days_min, days_max``).
    """
    config = config or data.config
    m = month_index(month)
    as_of_day = as_of_for(month, as_of)
    counts = engagement_counts(data, [m], as_of=as_of_day, config=config)
    frame = engagement_frame(counts, [m], as_of_day)
    stats = _core.summarize(counts["days_to_engagement"])
    for key in ("count", "mean", "median", "min", "max"):
        frame[f"days_{key}"] = stats[key]
    return frame.set_index("month")


def notification_ages(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Age at notification of the persons notified in ``month`` (their first notice of the month).

    Streaming statistics from the core (Boost.Accumulators; the median is exact).
    Notices with an unknown age are counted in ``unknown``, not in the statistics.

    Returns
    -------
    DataFrame
        One row indexed by month: ``count, unknown, mean, std, median, min, max``.
    """
    notices = data.table("notifications")
    m = month_index(month)
    dates = notices["notification_date"]
    in_month = ((dates.dt.year * 12 + dates.dt.month - 1) == m).to_numpy()
    firsts = notices[in_month].sort_values("notification_date").drop_duplicates("person_key")
    ages = firsts["age"].to_numpy(dtype=float)
    known = ~np.isnan(ages)
    stats = _core.summarize(ages[known].astype(np.int32))
    row = {"count": stats["count"], "unknown": int((~known).sum()),
           **{k: stats[k] for k in ("mean", "std", "median", "min", "max")}}
    return pd.DataFrame([row], index=pd.Index([month_label(m)], name="month"))
