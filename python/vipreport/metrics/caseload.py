"""Active caseload: distinct persons with an open enrollment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import month_index
from ..config import Config
from ..io import Dataset, day_numbers
from .tidy import month_ends, periods


def caseload_counts(data: Dataset, first_month: int, n_months: int) -> pd.DataFrame:
    episodes = data.table("enrollments")
    start = data.days("enrollments", "start_date")
    if "end_date" in episodes:
        open_ended = episodes["end_date"].isna().to_numpy()
        end = np.where(open_ended, _core.NO_DAY, day_numbers(episodes["end_date"].fillna(episodes["start_date"])))
    else:
        end = np.full(len(start), _core.NO_DAY)
    counts = _core.caseload(
        episodes["person_key"].to_numpy(np.int64),
        start,
        end.astype(np.int32),
        first_month=first_month,
        n_months=n_months,
    )
    months = list(range(first_month, first_month + n_months))
    return pd.DataFrame(
        {
            "month": periods(months),
            "active_last_day": np.asarray(counts.active_last_day, dtype=np.int64),
            "average_daily": counts.average_daily,
            "as_of": month_ends(months),
        }
    )


def active_caseload(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Distinct persons with an enrollment open on the month's last day, and the month's daily mean.

    An enrollment is open on day d when ``start_date <= d`` and ``end_date``
    is blank or after d. A person's overlapping episodes count once.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with an ``enrollments`` table.
    month
        The month, ``"YYYY-MM"``.
    config
        Not used: the caseload has no definition in the profile. Accepted so that every
        table function takes the same arguments.

    Returns
    -------
    DataFrame
        One row: ``month`` (a monthly Period), ``active_last_day`` (persons),
        ``average_daily`` (the mean over the month's days of the persons open
        that day) and ``as_of`` (the month's last day).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> caseload = vr.active_caseload(data, "2024-11")
    >>> int(caseload["active_last_day"].iloc[0])
    98
    >>> round(float(caseload["average_daily"].iloc[0]), 1)
    97.6
    """
    m = month_index(month)
    return caseload_counts(data, m, 1)
