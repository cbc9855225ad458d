"""The one calendar: every month, as-of and window argument is read here, and nowhere else.

Days are whole numbers since 1970-01-01 (proleptic Gregorian, as numpy's
``datetime64[D]`` and the core's ``days_from_civil``); months are indices
``year * 12 + month - 1``, as in the core. This module mirrors the core's
calendar (cpp/src/calendar.cpp) in plain Python, and a property test
(tests/test_calendar.py) checks the two against each other.

Conventions, the same everywhere:

* A month written ``"YYYY-MM"`` given where a *date* is expected (an as-of)
  means that month's **last** day: ``as_of="2024-06"`` is 30 June 2024.
* A window of ``n`` days that opens on day ``a`` holds days ``a .. a + n - 1``,
  both ends included: exactly ``n`` days. It is *closed* on as-of day ``d``
  when its last day is on or before ``d`` (``a + n - 1 <= d``), and *open*
  otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

from .errors import ArgumentError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

MonthLike = str | pd.Period | pd.Timestamp | dt.date
DateLike = str | pd.Timestamp | dt.date | np.datetime64


def month_index(month: MonthLike) -> int:
    """``"2024-11"`` (or a Period, Timestamp or date in that month) -> ``2024*12 + 10``."""
    if isinstance(month, (pd.Period, pd.Timestamp, dt.date)):
        return int(month.year) * 12 + int(month.month) - 1
    match = _MONTH.match(str(month).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ArgumentError(f"month must be written YYYY-MM (like 2024-11), got {month!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(index: int) -> str:
    """``2024*12 + 10`` -> ``"2024-11"``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days_from_civil(year: int, month: int, day: int) -> int:
    """The day number of a calendar date (the core's ``days_from_civil``, for years 1 to 9999)."""
    return dt.date(year, month, day).toordinal() - _EPOCH_ORDINAL


def civil_from_days(day: int) -> tuple[int, int, int]:
    """(year, month, day) of a day number (the core's ``civil_from_days``)."""
    date = dt.date.fromordinal(int(day) + _EPOCH_ORDINAL)
    return date.year, date.month, date.day


def month_of_day(day: int) -> int:
    """The month index holding a day number."""
    year, month, _ = civil_from_days(day)
    return year * 12 + month - 1


def first_day(index: int) -> int:
    """The day number of a month's first day."""
    return days_from_civil(index // 12, index % 12 + 1, 1)


def last_day(index: int) -> int:
    """The day number of a month's last day."""
    return first_day(index + 1) - 1


def fiscal_year_start(index: int, fy_start_month: int) -> int:
    """The month index that opens the fiscal year holding month ``index``."""
    _check_fy_start(fy_start_month)
    return index - (index - (fy_start_month - 1)) % 12


def fiscal_year(index: int, fy_start_month: int) -> int:
    """The fiscal year of a month, named by the calendar year in which it ends (FY2025 = Jul 2024 - Jun 2025)."""
    start_year = fiscal_year_start(index, fy_start_month) // 12
    return start_year if fy_start_month == 1 else start_year + 1


def _check_fy_start(fy_start_month: int) -> None:
    if not 1 <= fy_start_month <= 12:
        raise ArgumentError(f"fiscal_year_start_month must be 1..12, got {fy_start_month!r}")


def to_timestamp(day: int) -> pd.Timestamp:
    """A day number as a midnight Timestamp."""
    return pd.Timestamp(np.datetime64(int(day), "D"))


def month_end(index: int) -> pd.Timestamp:
    """A month's last day as a Timestamp."""
    return to_timestamp(last_day(index))


def as_of_day(when: DateLike) -> int:
    """An as-of argument as a day number.

    ``"YYYY-MM"`` is that month's last day; ``"YYYY-MM-DD"`` is that day; a
    date, Timestamp or datetime64 is its calendar day (time of day dropped).
    """
    if isinstance(when, str):
        text = when.strip()
        if _MONTH.match(text):
            return last_day(month_index(text))
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text).toordinal() - _EPOCH_ORDINAL
            except ValueError:
                pass
        raise ArgumentError(f"as_of must be a month YYYY-MM (its last day) or a date YYYY-MM-DD, got {when!r}")
    stamp: pd.Timestamp | NaTType
    try:
        stamp = pd.Timestamp(when)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        raise ArgumentError(f"as_of must be a month YYYY-MM (its last day) or a date YYYY-MM-DD, got {when!r}")
    return days_from_civil(stamp.year, stamp.month, stamp.day)


def as_of_days(values: DateLike | Sequence[DateLike]) -> tuple[np.ndarray, list[pd.Timestamp]]:
    """One or more as-of arguments as strictly increasing int32 day numbers, with their Timestamps."""
    items = [values] if isinstance(values, (str, pd.Timestamp, dt.date, np.datetime64)) else list(values)
    days = np.array([as_of_day(v) for v in items], dtype=np.int32)
    if len(days) > 1 and not (np.diff(days) > 0).all():
        raise ArgumentError("as-of dates must be strictly increasing")
    return days, [to_timestamp(int(d)) for d in days]


def as_of_for(month: MonthLike | None, as_of: DateLike | None) -> int:
    """The as-of day of a monthly figure: ``as_of`` when given, else the month's last day."""
    if as_of is not None:
        return as_of_day(as_of)
    if month is None:
        raise ArgumentError("give a month or an as_of date")
    return last_day(month_index(month))


def window_last_day(opens: np.ndarray | int, window_days: int) -> np.ndarray | int:
    """The last day of a ``window_days``-day window opening on ``opens``: ``opens + window_days - 1``."""
    if window_days < 1:
        raise ArgumentError(f"a window must be at least 1 day long, got {window_days!r}")
    return opens + (window_days - 1)


def window_open(opens: np.ndarray | int, window_days: int, as_of: int) -> np.ndarray | bool:
    """True where the window opening on ``opens`` has not closed by day ``as_of`` (its last day is after it)."""
    return window_last_day(opens, window_days) > as_of


def month_text(month: MonthLike, fmt: str = "%b %Y") -> str:
    """A month written for readers: ``"2024-11"`` -> ``"Nov 2024"`` (``fmt`` is a strftime format)."""
    index = month_index(month)
    return dt.date(index // 12, index % 12 + 1, 1).strftime(fmt)


def is_month(text: object) -> bool:
    """True when ``text`` is a month written ``"YYYY-MM"`` (month 01 to 12)."""
    if not isinstance(text, str):
        return False
    try:
        month_index(text)
    except ArgumentError:
        return False
    return text == text.strip()
