"""Building the metrics' long, tidy results: one row per month (and category), FYTD in its own column.

Every public metric returns such a frame (see docs/analysts.md, "Result shapes"): a
``month`` column of pandas Periods, plain string dimension columns, int64 counts, a
``fytd`` column (the fiscal-year-to-date total through the row's month) where the
report shows FYTD, and an ``as_of`` column (the date through which the data were counted).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..calendar import last_day, month_label


def periods(months: Sequence[int]) -> pd.PeriodIndex:
    """Month indices (year * 12 + month - 1) as monthly Periods."""
    return pd.PeriodIndex([month_label(m) for m in months], freq="M")


def month_ends(months: Sequence[int]) -> np.ndarray:
    """Each month's last day, as datetime64[ns] (the ``as_of`` of a month's counts)."""
    return np.asarray([last_day(m) for m in months], dtype="datetime64[D]").astype("datetime64[ns]")


def long_counts(
    counts: np.ndarray,
    fytd: np.ndarray | None,
    months: Sequence[int],
    categories: Sequence[str] | None,
    *,
    dimension: str | None,
    value: str,
) -> pd.DataFrame:
    """A months x categories grid as long rows (month, then category order): month, dimension, value, fytd, as_of.

    Without ``dimension`` the grid has one column and the result no dimension column.
    """
    n_months = len(months)
    width = 1 if categories is None else len(categories)
    columns: dict[str, object] = {"month": np.repeat(periods(months), width)}
    if dimension is not None and categories is not None:
        columns[dimension] = np.tile(np.asarray([str(c) for c in categories], dtype=object), n_months)
    columns[value] = np.asarray(counts, dtype=np.int64).reshape(n_months, width).ravel()
    if fytd is not None:
        columns["fytd"] = np.asarray(fytd, dtype=np.int64).reshape(n_months, width).ravel()
    columns["as_of"] = np.repeat(month_ends(months), width)
    frame = pd.DataFrame(columns)
    if dimension is not None:
        frame[dimension] = frame[dimension].astype(str)
    return frame
