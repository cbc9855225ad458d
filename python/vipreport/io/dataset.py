"""The validated, typed record tables of one program: :class:`Dataset`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import MissingTableError
from . import coverage as _coverage

T = TypeVar("T")


@dataclass
class Dataset:
    """Validated record tables plus the data-quality summary of the load that made them.

    ``tables`` maps table names (see ``vipreport.io.TABLES``) to DataFrames
    with typed columns: dates as ``datetime64[ns]``, categories as pandas
    Categoricals in the config's order, and an int64 ``person_key`` wherever
    a person is named. ``person_id`` holds each id in canonical form (trimmed,
    without case, spaces, hyphens, dots or underscores), or its keyed hash when
    :func:`load` was given a ``salt``: without a salt the ids are kept as the
    exports give them, in memory only (no output names a person). Names are
    not kept, and a birth date only as the ``age`` at notification.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> sorted(data.tables)[:3]
    ['cora_responses', 'deaths', 'enrollments']
    >>> data.table("referrals").columns.tolist()
    ['referral_date', 'source', 'area_command', 'program', 'person_id', 'person_key']
    >>> [str(day.date()) for day in data.date_range]
    ['2019-07-24', '2024-12-31']
    """

    tables: dict[str, pd.DataFrame]
    quality: pd.DataFrame
    config: Config
    activities_text: str | None = None
    # True for the generator's made-up data: every report built from it carries a visible mark.
    synthetic: bool = False
    # Files in the data folder that matched no table (``validate`` warns about them).
    unmatched_files: list[str] = field(default_factory=list)
    # Columns in the core's form (int32 days and codes), computed once per column
    # contents: the key includes the column's buffer address, so a replaced
    # column is converted again.
    _columns: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> pd.DataFrame:
        """The table ``name``; raises :class:`MissingTableError` naming what is there."""
        try:
            return self.tables[name]
        except KeyError:
            have = ", ".join(sorted(self.tables)) or "none"
            raise MissingTableError(
                f"this computation needs the {name!r} table, which the dataset does not have (it has: {have})"
            ) from None

    def days(self, table: str, column: str) -> np.ndarray:
        """A date column as int32 day numbers (the table must have no blank dates there); read-only."""
        series = self.table(table)[column]
        return self._memo(
            ("days", table, column, _fingerprint(series.to_numpy())), lambda: _read_only(day_numbers(series))
        )

    def codes(self, table: str, column: str) -> np.ndarray:
        """A categorical column's int32 codes (-1 for blank); read-only."""
        codes = self.table(table)[column].cat.codes.to_numpy()
        return self._memo(
            ("codes", table, column, _fingerprint(codes)), lambda: _read_only(np.array(codes, dtype=np.int32))
        )

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key``; callers put the fingerprints of their inputs in the key."""
        return self._memo(key, compute)

    def _memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if key not in self._columns:
            self._columns[key] = compute()
        value: T = self._columns[key]
        return value

    def coverage(self, *, data_as_of: _coverage.DateLike | None = None) -> _coverage.Coverage:
        """The months the data cover: first record, last record, last complete month.

        ``data_as_of`` is the date the exports were taken, when known: a month
        that ended on or before it is complete even with no later record.
        """
        return _coverage.coverage(self, data_as_of=data_as_of)

    def check_month(self, month: str, *, data_as_of: _coverage.DateLike | None = None) -> None:
        """Raise :class:`~vipreport.errors.MonthOutOfRangeError` unless ``month`` can be reported.

        A month can be reported when it is not in the future, not before the
        first record, and complete: the data hold a record dated after its
        last day, or ``data_as_of`` (the export date) is on or after it.
        """
        _coverage.check_month(self, month, data_as_of=data_as_of)

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    @property
    def date_range(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last event date over every table (None when every table is empty)."""
        lows, highs = [], []
        for frame in self.tables.values():
            for column in frame.columns:
                if pd.api.types.is_datetime64_any_dtype(frame[column]) and frame[column].notna().any():
                    lows.append(frame[column].min())
                    highs.append(frame[column].max())
        return (min(lows), max(highs)) if lows else None

    def __repr__(self) -> str:
        rows = ", ".join(f"{name}={len(frame):,}" for name, frame in self.tables.items())
        return f"<vipreport.Dataset {rows}>"


def _fingerprint(array: np.ndarray) -> tuple[Any, ...]:
    return (array.__array_interface__["data"][0], array.shape, array.dtype.str)


def fingerprint(series: pd.Series) -> tuple[Any, ...]:
    """Identifies a column's current contents (its buffer), for memoising work on it."""
    return _fingerprint(np.asarray(series.cat.codes if isinstance(series.dtype, pd.CategoricalDtype) else series))


def _read_only(array: np.ndarray) -> np.ndarray:
    # A memoised array is shared by every caller: on pandas 2 as on pandas 3
    # (copy-on-write), nobody may write into it.
    array.flags.writeable = False
    return array


def day_numbers(values: pd.Series) -> np.ndarray:
    """int32 days since 1970-01-01 of a datetime column of any resolution (s, ms, us or ns).

    Raises ValueError on a blank date: NaT has no day number, and casting it
    would silently give a wrong one, so callers fill or drop blanks first.
    """
    days = values.to_numpy().astype("datetime64[D]")  # numpy converts any unit to days exactly
    if np.isnat(days).any():
        raise ValueError(f"column {values.name!r} has blank dates; fill or drop them before counting days")
    return days.astype(np.int32)
