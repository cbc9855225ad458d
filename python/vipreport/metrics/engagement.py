"""Engagement: of the persons notified in a month, the share who took up a service."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import as_of_for, month_index, to_timestamp
from ..config import Config
from ..io import Dataset
from ..stats import check_confidence, wilson_interval
from .tidy import month_ends, periods


def engagement_counts(data: Dataset, months: list[int], *, as_of: int, config: Config) -> dict[str, np.ndarray]:
    notices = data.table("notifications")
    services = data.table("services")
    engaging = services["status"].isin(config.engagement_statuses).to_numpy(np.uint8)
    window = config.engagement_window_days
    # The core counts a service ``since`` days after the notice when 0 <= since <= its window argument;
    # the window is ``window_days`` days long (days 0 .. window_days - 1), so it is given window_days - 1.
    core = _core.engagement(
        notices["person_key"].to_numpy(np.int64),
        data.days("notifications", "notification_date"),
        services["person_key"].to_numpy(np.int64),
        data.days("services", "service_date"),
        engaging,
        np.asarray(months, dtype=np.int32),
        window_days=window - 1,
        as_of=as_of,
    )
    return {
        "notified": core.notified,
        "engaged": core.engaged,
        "provisional": core.provisional,
        "days_to_engagement": core.days_to_engagement,
        "open": np.asarray(core.open, np.int64),
    }


def engagement_frame(
    counts: dict[str, np.ndarray], months: list[int], as_of: int, *, confidence: float = 0.95
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "month": periods(months),
            "notified": counts["notified"],
            "engaged": counts["engaged"],
        }
    )
    frame["engagement_rate"] = frame["engaged"] / frame["notified"].where(frame["notified"] > 0)
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["engaged"], frame["notified"], confidence=confidence)
    # Provisional per person: a month's rate is provisional while any of its persons' windows is open.
    frame["open"] = np.asarray(counts["open"], dtype=np.int64)
    frame["open_share"] = frame["open"] / frame["notified"].where(frame["notified"] > 0)
    frame["provisional"] = frame["open"] > 0
    frame["empty"] = frame["notified"] == 0  # no one notified: no rate at all, not a provisional one
    frame["as_of"] = to_timestamp(as_of)
    return frame


def engagement_rate(
    data: Dataset,
    month: str,
    *,
    as_of: str | pd.Timestamp | None = None,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """Of the distinct persons notified in ``month``, how many engaged with a service.

    A person is engaged when a service whose status is one of
    ``engagement.statuses`` falls in their window and on or before ``as_of``.
    The window opens on the day of their first notification of the month and
    is exactly ``engagement.window_days`` days long: with 30, days 0 to 29
    after the notification, both ends included.

    Parameters
    ----------
    month
        ``"YYYY-MM"``.
    as_of
        How far services are observed: ``"YYYY-MM-DD"``, or ``"YYYY-MM"``
        meaning that month's last day; default ``month``'s last day. A
        person's outcome is provisional while their window is open at as-of
        (its last day is after as-of); the month's rate is ``provisional``
        when any of its persons' is.
    confidence
        Level of the Wilson interval, between 0 and 1 (default 0.95).
    config
        The definitions (``engagement.window_days``, ``engagement.statuses``); default ``data.config``.

    Returns
    -------
    DataFrame
        One row: ``month`` (a monthly Period), ``notified, engaged, engagement_rate`` (a proportion), ``ci_low, ci_high``
        (Wilson interval at ``confidence``), ``open`` (persons whose window is still open),
        ``open_share`` (of those notified), ``provisional`` (``open > 0``),
        ``empty`` (no one notified: the rate is NaN), ``as_of``, and the days from notification to first engagement
        (``days_count, days_mean, days_median, days_min, days_max``).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> row = vr.engagement_rate(data, "2024-10").iloc[0]
    >>> [str(row["month"]), int(row["notified"]), int(row["engaged"]), bool(row["provisional"])]
    ['2024-10', 31, 14, True]
    >>> str(row["as_of"].date())
    '2024-10-31'

    Observed a month later, more of October's persons have engaged, and the figure
    is the one :func:`series` gives for October when it ends in November (both as of 30 November):

    >>> later = vr.engagement_rate(data, "2024-10", as_of="2024-11").iloc[0]
    >>> [int(later["engaged"]), bool(later["provisional"]), round(float(later["engagement_rate"]), 3)]
    [19, False, 0.613]
    """
    config = config or data.config
    check_confidence(confidence)
    m = month_index(month)
    as_of_day = as_of_for(month, as_of)
    counts = engagement_counts(data, [m], as_of=as_of_day, config=config)
    frame = engagement_frame(counts, [m], as_of_day, confidence=confidence)
    stats = _core.summarize(counts["days_to_engagement"])
    for key in ("count", "mean", "median", "min", "max"):
        frame[f"days_{key}"] = getattr(stats, key)
    return frame


def notification_ages(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Age at notification of the persons notified in ``month`` (their first notice of the month).

    Streaming statistics from the core (Boost.Accumulators; the median is exact).
    Notices with an unknown age are counted in ``unknown``, not in the statistics.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``notifications`` table.
    month
        The month, ``"YYYY-MM"``.
    config
        Not used: ages have no definition in the profile. Accepted so that every table function takes the
        same arguments.

    Returns
    -------
    DataFrame
        One row: ``month`` (a monthly Period), ``count, unknown, mean, std, median, min, max``
        and ``as_of`` (the month's last day).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> ages = vr.metrics.notification_ages(data, "2024-11")
    >>> ages.columns.tolist()
    ['month', 'count', 'unknown', 'mean', 'std', 'median', 'min', 'max', 'as_of']
    """
    notices = data.table("notifications")
    m = month_index(month)
    dates = notices["notification_date"]
    in_month = ((dates.dt.year * 12 + dates.dt.month - 1) == m).to_numpy()
    firsts = notices[in_month].sort_values("notification_date").drop_duplicates("person_key")
    ages = firsts["age"].to_numpy(dtype=float)
    known = ~np.isnan(ages)
    stats = _core.summarize(ages[known].astype(np.int32))
    row = {
        "count": stats.count,
        "unknown": int((~known).sum()),
        "mean": stats.mean,
        "std": stats.std,
        "median": stats.median,
        "min": stats.min,
        "max": stats.max,
    }
    frame = pd.DataFrame([row])
    frame.insert(0, "month", periods([m]))
    frame["as_of"] = month_ends([m])
    return frame
