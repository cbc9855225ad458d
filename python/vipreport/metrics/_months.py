"""Report months: parsing "YYYY-MM", labels, fiscal years and as-of days."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .. import _core
from ..errors import ArgumentError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(month: str | pd.Period | pd.Timestamp) -> int:
    """``"2024-11"`` -> year*12 + month-1, the core's month index."""
    if isinstance(month, (pd.Period, pd.Timestamp)):
        return int(month.year) * 12 + int(month.month) - 1
    match = _MONTH.match(str(month).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ArgumentError(f"month must be written YYYY-MM (like 2024-11), got {month!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def fiscal_year_start(index: int, fy_start_month: int) -> int:
    return _core.fiscal_year_start_month_index(index, fy_start_month)


def fiscal_year(index: int, fy_start_month: int) -> int:
    return _core.fiscal_year_of_month(index, fy_start_month)


def month_end(index: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(_core.last_day_of_month(index), "D"))


def day_number(when: str | pd.Timestamp) -> int:
    """An as-of date ("2024-11-30") as a day number."""
    try:
        ts = pd.Timestamp(when)
    except (ValueError, TypeError):
        raise ArgumentError(f"as_of must be a date like 2024-11-30, got {when!r}") from None
    if pd.isna(ts):
        raise ArgumentError(f"as_of must be a date like 2024-11-30, got {when!r}")
    return int((ts.normalize() - pd.Timestamp("1970-01-01")).days)


def as_of_for(month: str | None, as_of: str | pd.Timestamp | None) -> int:
    """The as-of day: explicit, else the month's last day."""
    if as_of is not None:
        return day_number(as_of)
    if month is None:
        raise ArgumentError("give a month or an as_of date")
    return _core.last_day_of_month(month_index(month))
