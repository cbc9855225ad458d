"""Event counts by month x category, with fiscal-year-to-date totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..config import Config
from ..io import Dataset, day_numbers
from ._months import fiscal_year_start, month_index, month_label


def monthly_counts(frame: pd.DataFrame, *, date: str, category: str | None, first_month: int,
                   n_months: int, categories: list[str] | None = None, weight: str | None = None) -> pd.DataFrame:
    """Counts (or sums of ``weight``) per month (rows, labelled YYYY-MM) and category (columns).

    Rows whose date is blank are not events of that kind and are not counted.
    """
    present = frame[date].notna().to_numpy()
    days = day_numbers(frame[date][present])
    if category is None:
        codes = np.zeros(len(days), dtype=np.int32)
        labels = ["count"]
    else:
        column = frame[category][present]
        codes = column.cat.codes.to_numpy().astype(np.int32)
        labels = list(column.cat.categories) if categories is None else categories
        if (codes < 0).any():  # blank optional category: not counted under any label
            keep = codes >= 0
            days, codes = days[keep], codes[keep]
            present_weights = None if weight is None else frame[weight][present].to_numpy()[keep]
        else:
            present_weights = None if weight is None else frame[weight][present].to_numpy()
    if category is None:
        present_weights = None if weight is None else frame[weight][present].to_numpy()
    weights = None if present_weights is None else present_weights.astype(np.int64)
    grid = _core.count_by_month(days, codes, weights, n_categories=len(labels),
                                first_month=first_month, n_months=n_months)
    return pd.DataFrame(grid, index=[month_label(first_month + i) for i in range(n_months)], columns=labels)


def months_with_fytd(frame: pd.DataFrame, month: str, *, date: str, category: str | None,
                     config: Config, months_shown: int = 3, weight: str | None = None) -> pd.DataFrame:
    """The report's layout: categories as rows; the ``months_shown`` months ending at ``month``, then FYTD.

    FYTD runs from the first month of the fiscal year holding ``month``
    through the end of ``month``.
    """
    last = month_index(month)
    fy_first = fiscal_year_start(last, config.fiscal_year_start_month)
    first = min(fy_first, last - months_shown + 1)
    monthly = monthly_counts(frame, date=date, category=category, first_month=first,
                             n_months=last - first + 1, weight=weight)
    fytd = _core.fiscal_year_to_date(monthly.to_numpy(), first_month=first,
                                     fy_start_month=config.fiscal_year_start_month)
    table = monthly.iloc[-months_shown:].T.copy()
    table["FYTD"] = fytd[-1]
    table.index.name = category or "count"
    table.columns.name = None
    return table


def referrals_by_area(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Referrals by area command: the six commands and N/A; three months and FYTD.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``referrals`` table.
    month
        The report month, ``"YYYY-MM"``.
    config
        Overrides the fiscal-year start of ``data.config``. Area rows always
        come from the config the data was loaded with.

    Returns
    -------
    DataFrame
        Rows: area commands in report order, then the missing-area label.
        Columns: the three months ending at ``month`` (``"YYYY-MM"``), then ``"FYTD"``.
    """
    config = config or data.config
    table = months_with_fytd(data.table("referrals"), month, date="referral_date",
                             category="area_command", config=config)
    table.index.name = "area_command"
    return table
