"""Every metric for a run of months in one call: the report's trend lines and the historical tests."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..calendar import last_day, month_index, month_label
from ..config import Config
from ..errors import ArgumentError
from ..io import Dataset
from ..stats import check_confidence
from .caseload import caseload_counts
from .counts import first_record_month, monthly_counts
from .engagement import engagement_counts, engagement_frame
from .success import success_counts
from .tidy import month_ends, periods

SOURCES = {
    "success_rate_running": ("notifications", "notification_date"),
    "success_rate_fixed": ("notifications", "notification_date"),
    "engagement_rate": ("notifications", "notification_date"),
    "custom_notifications": ("notifications", "notification_date"),
    "referrals": ("referrals", "referral_date"),
    "active_caseload": ("enrollments", "start_date"),
}
METRICS = (
    "success_rate_running",
    "success_rate_fixed",
    "engagement_rate",
    "active_caseload",
    "referrals",
    "custom_notifications",
)
# The success series' names before one word per concept (docs/architecture.md, "Renames"): still accepted, with
# a DeprecationWarning naming the new one.
RENAMED = {"success_rate": "success_rate_running", "fixed_success_rate": "success_rate_fixed"}


def series(
    data: Dataset,
    metric: str,
    *,
    months: int = 36,
    end: str | None = None,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """One metric for ``months`` consecutive months ending at ``end``, from a single core call.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with the tables the metric needs.
    metric
        One of ``success_rate_running``, ``success_rate_fixed``,
        ``engagement_rate``, ``active_caseload``, ``referrals``,
        ``custom_notifications``. The old names ``success_rate`` and
        ``fixed_success_rate`` still work, with a ``DeprecationWarning``.
    months
        How many months.
    end
        The last month, ``"YYYY-MM"``; default the month of the latest event.
    config
        Overrides ``data.config`` (definitions: windows, cohort months, statuses).
    confidence
        Level of the Wilson intervals of the rates, between 0 and 1 (default 0.95).

    Returns
    -------
    DataFrame
        Long, one row per month, with a default index: ``month`` (a monthly
        Period), from the later of the first month asked for and the first
        month with a record of that kind (months before the data begin are
        absent, never zero), then the metric's columns, and ``as_of`` (the date
        through which that row was counted):

        - ``success_rate_running``, ``success_rate_fixed``: those of :func:`success_rate`
          (without ``group``), each month as of its last day, so a row equals
          ``success_rate(data, month)``.
        - ``engagement_rate``: those of :func:`engagement_rate` (without the
          ``days_*`` columns), every month observed up to the last month's end
          (``as_of`` is ``end``'s last day on every row), so recent months can be
          provisional. A month's row equals ``engagement_rate(data, month,
          as_of=end)``; the single-month call defaults to the month's own end,
          so it can show fewer engaged: the two differ only by their as-of.
        - ``active_caseload``: those of :func:`active_caseload`.
        - ``referrals``, ``custom_notifications``: one column of that name, the
          month's count of rows (for notifications, of notices, not persons).

    Raises
    ------
    ArgumentError
        An unknown metric, a ``months`` that is not a positive whole number, or no
        ``end`` for a dataset with no events.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> trend = vr.series(data, "success_rate_running", months=3, end="2024-11")
    >>> trend["month"].astype(str).tolist()
    ['2024-09', '2024-10', '2024-11']
    >>> trend["persons"].tolist()
    [571, 584, 583]
    >>> vr.series(data, "referrals", months=3, end="2024-11")["referrals"].tolist()
    [31, 49, 44]
    >>> vr.series(data, "engagement_rate", months=3, end="2024-11")["engaged"].tolist()
    [14, 19, 11]
    """
    config = config or data.config
    check_confidence(confidence)
    if metric in RENAMED:
        warnings.warn(
            f"the series name {metric!r} is deprecated: use {RENAMED[metric]!r}", DeprecationWarning, stacklevel=2
        )
        metric = RENAMED[metric]
    if metric not in METRICS:
        raise ArgumentError(f"metric must be one of {METRICS}, got {metric!r}")
    if not isinstance(months, (int, np.integer)) or months < 1:
        raise ArgumentError(f"months must be a positive whole number, got {months!r}")
    if end is None:
        span = data.date_range
        if span is None:
            raise ArgumentError("the dataset has no events; give end='YYYY-MM'")
        end = span[1].strftime("%Y-%m")
    last = month_index(end)
    first = last - months + 1
    # The series starts when the data do: a month before the source table's first record is absent, not 0.
    source, date = SOURCES[metric]
    if source in data:  # a missing table is reported by the metric itself, below
        start = first_record_month(data.table(source), date)
        first = max(first, start if start is not None else last + 1)
    months = max(0, last - first + 1)
    month_indices = list(range(first, last + 1))
    labels = [month_label(m) for m in month_indices]
    if metric in ("success_rate_running", "success_rate_fixed"):
        method = "running" if metric == "success_rate_running" else "fixed"
        frame = success_counts(data, labels, method=method, confidence=confidence, config=config).drop(columns="group")
        frame.insert(0, "month", periods(month_indices))
        return frame
    if metric == "engagement_rate":
        as_of = last_day(last)
        counts = engagement_counts(data, month_indices, as_of=as_of, config=config)
        return engagement_frame(counts, month_indices, as_of, confidence=confidence)
    if metric == "active_caseload":
        return caseload_counts(data, first, months)
    table, date = ("referrals", "referral_date") if metric == "referrals" else ("notifications", "notification_date")
    monthly = monthly_counts(data.table(table), date=date, category=None, first_month=first, n_months=months)
    return pd.DataFrame(
        {
            "month": periods(month_indices),
            metric: monthly["count"].to_numpy(dtype=np.int64),
            "as_of": month_ends(month_indices),
        }
    )
