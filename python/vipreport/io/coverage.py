"""Which report months a dataset covers: from its first record to its last complete month.

A month is complete when the data hold a record dated after its last day
(the export was evidently taken later), or when the caller states the
export date (``data_as_of``) and that date is on or after the month's last
day. Only event dates count (``EVENT_DATE``): an optional end date may be a
planned one, in the future. The first month is the first of the program's
own records: incidents and deaths come from other agencies' records and
reach back before the program began (they count only when nothing else is
there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from pandas._libs.tslibs.nattype import NaTType

from ..errors import ArgumentError, MonthOutOfRangeError
from ..schema import EVENT_DATE

if TYPE_CHECKING:
    from .dataset import Dataset

DateLike = str | dt.date | pd.Timestamp
OUTSIDE_RECORDS = ("incidents", "deaths")  # kept by other agencies; not where the program's data begin


@dataclass(frozen=True)
class Coverage:
    """The months a dataset covers, as ``"YYYY-MM"`` labels (``None`` when it has no dated record).

    Attributes
    ----------
    first_month
        The month of the earliest event date.
    last_record_month
        The month of the latest event date.
    last_complete_month
        The latest month that can be reported: the month before the last
        record's, or the last month that ended on or before ``data_as_of``,
        whichever is later.
    """

    first_month: str | None
    last_record_month: str | None
    last_complete_month: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_month": self.first_month,
            "last_record_month": self.last_record_month,
            "last_complete_month": self.last_complete_month,
        }

    def describe(self) -> str:
        if self.first_month is None:
            return "the data hold no dated record"
        complete = (
            f"months {self.first_month} to {self.last_complete_month} can be reported"
            if self.last_complete_month is not None and self.last_complete_month >= self.first_month
            else "no month is complete yet"
        )
        return f"the records run from {self.first_month} to {self.last_record_month}; {complete}"


def today() -> dt.date:
    """Today's date (a function, so tests can fix it)."""
    return dt.date.today()


def coverage(data: Dataset, *, data_as_of: DateLike | None = None) -> Coverage:
    """The months ``data`` covers; ``data_as_of`` is the date the exports were taken, if known."""
    spans = {}
    for name, frame in data.tables.items():
        column = EVENT_DATE.get(name)
        if column is not None and column in frame and frame[column].notna().any():
            spans[name] = (frame[column].min(), frame[column].max())
    own = [low for name, (low, _) in spans.items() if name not in OUTSIDE_RECORDS]
    low = min(own or [first for first, _ in spans.values()], default=None)
    high = max((last for _, last in spans.values()), default=None)
    complete = []
    if high is not None:
        complete.append(_index(high) - 1)
    if data_as_of is not None:
        day = as_of_date(data_as_of)
        ended = day.is_month_end  # the export date is a month's last day
        complete.append(_index(day) - (0 if ended else 1))
    return Coverage(
        first_month=_label(_index(low)) if low is not None else None,
        last_record_month=_label(_index(high)) if high is not None else None,
        last_complete_month=_label(max(complete)) if complete and low is not None else None,
    )


def check_month(data: Dataset, month: str, *, data_as_of: DateLike | None = None) -> None:
    """Raise :class:`MonthOutOfRangeError` unless ``data`` covers ``month`` completely.

    Raises
    ------
    ArgumentError
        ``month`` is not written ``YYYY-MM``, or ``data_as_of`` is not a date or is after today.
    MonthOutOfRangeError
        ``month`` is in the future, before the first record, or after the last complete month.
    """
    from ..calendar import month_index, month_label  # the metrics package imports io

    index = month_index(month)
    label = month_label(index)
    found = coverage(data, data_as_of=data_as_of)
    now = today()
    if index > now.year * 12 + now.month - 1:
        raise MonthOutOfRangeError(f"{label} is in the future (today is {now.isoformat()}); {found.describe()}.")
    if found.first_month is None:
        raise MonthOutOfRangeError(f"no month can be reported: {found.describe()}.")
    if label < found.first_month:
        raise MonthOutOfRangeError(f"{label} is before the first record ({found.first_month}); {found.describe()}.")
    if found.last_complete_month is None or label > found.last_complete_month:
        last = found.last_complete_month
        raise MonthOutOfRangeError(
            f"{label} is after the last complete month of the data ({last or 'none yet'}): "
            f"{found.describe()}, and a month is complete only when the data hold a record dated after "
            f"its last day. Build an earlier month, or, if the exports were taken after {label} ended, "
            f"give their date (--as-of YYYY-MM-DD on the command line, data_as_of= in Python)."
        )


def as_of_date(value: DateLike) -> pd.Timestamp:
    day: pd.Timestamp | NaTType
    try:
        day = pd.Timestamp(dt.date.fromisoformat(value) if isinstance(value, str) else value)
    except (TypeError, ValueError):
        day = pd.NaT
    if not isinstance(day, pd.Timestamp) or pd.isna(day):
        raise ArgumentError(f"data_as_of must be a date written YYYY-MM-DD, got {value!r}")
    day = day.normalize()
    if day.date() > today():
        raise ArgumentError(
            f"data_as_of {day.date().isoformat()} is after today ({today().isoformat()}): "
            "it is the date the exports were taken"
        )
    return day


def _index(when: pd.Timestamp) -> int:
    return int(when.year) * 12 + int(when.month) - 1


def _label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
