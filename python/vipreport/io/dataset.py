"""The validated, typed record tables of one program: :class:`Dataset`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .. import _core
from ..config import Config
from ..errors import MissingTableError
from . import coverage as _coverage
from .dataset_html import dataset_html
from .subset import filter_dataset

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

    Editing tables is safe: results are memoised by the *contents* of the
    columns they read, so an edit in place (``.loc``, ``.iloc``, ``.at``), a
    new column or a new frame in ``tables`` changes the next result. To keep
    the original, slice a new dataset with :meth:`filter`, or copy a table
    first (``frame = data.table("notifications").copy()``).

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
    # Work on columns memoised by their *contents*: each slot (a conversion of one
    # column, or a computation over several) holds the digest of its inputs and the
    # result. Why content and not the buffer address or read-only arrays: an analyst
    # may edit a table in place along any pandas path (.loc, .iloc, .at, a chained
    # edit on pandas 2, a new column, a new frame in ``tables``), pandas versions
    # differ in which of those copy, and a freed buffer's address can be reused by
    # the next column. A digest of the values sees every edit on every path. It
    # costs a SHA-1 pass over the column's bytes (about 5 ms per million dates, half
    # of the day-number conversion it guards and a small part of the cohort index
    # it keys); one slot per name keeps memory bounded however often a table changes.
    _columns: dict[tuple[Any, ...], tuple[Any, Any]] = field(default_factory=dict, repr=False, compare=False)

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
        return self._memo(("days", table, column), fingerprint(series), lambda: _read_only(day_numbers(series)))

    def codes(self, table: str, column: str) -> np.ndarray:
        """A categorical column's int32 codes (-1 for blank); read-only."""
        series = self.table(table)[column]
        return self._memo(
            ("codes", table, column),
            fingerprint(series),
            lambda: _read_only(np.array(series.cat.codes.to_numpy(), dtype=np.int32)),
        )

    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per contents of its inputs.

        ``key`` is ``(name, *fingerprints)``: the name picks the slot, and the
        :func:`fingerprint` of every input column says whether the slot's value
        still holds; when one differs, ``compute()`` runs again and replaces it.
        """
        return self._memo(key[:1], key[1:], compute)

    def _memo(self, slot: tuple[Any, ...], digest: Any, compute: Callable[[], T]) -> T:
        held = self._columns.get(slot)
        if held is None or held[0] != digest:
            held = (digest, compute())
            self._columns[slot] = held
        value: T = held[1]
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

    def filter(
        self,
        *,
        area: str | Sequence[str] | None = None,
        program: str | Sequence[str] | None = None,
        persons: Iterable[int] | None = None,
        period: tuple[_coverage.DateLike, _coverage.DateLike] | None = None,
    ) -> Dataset:
        """A new dataset holding one slice of this one: an area, a program, some persons, a period.

        Persons are chosen first, and every table that names a person then
        keeps all of those persons' rows and no other, so the slice is a
        consistent smaller program (the engagement of a Valley person counts
        services anywhere). Filters given together all apply.

        Parameters
        ----------
        area
            An area command of the profile (``config.area_rows``, including
            the missing-area label), or a list of them. A person belongs to the
            area of their *first* referral (earliest date; the first row on a
            tie); persons with no referral belong to no area. CORA responses,
            which name no person, keep the rows of their own ``area_command``.
        program
            A referral program (``config.referral_programs``) or a list, by the
            program of each person's first referral (needs the referrals'
            ``program`` column). CORA responses belong to no program: they are
            emptied.
        persons
            ``person_key`` numbers (not raw ids). Every key must be in some table.
        period
            ``(start, end)``: dates ``"YYYY-MM-DD"`` or months ``"YYYY-MM"`` (a
            start month from its first day, an end month to its last day),
            both included. Each table keeps the events dated in the period (by
            its event date: referral, notification, service, incident, death,
            response); an enrollment episode is kept when it is open on any day
            of the period. Events after ``end`` are gone, so a follow-up window
            that reaches past ``end`` (engagement, the success rate) sees nothing
            after it: use an ``as_of`` no later than ``end``, where such a
            window is provisional as usual.

        Without an area or a program, tables that name no person are kept
        whole (they are sliced only by the period); with ``persons=``, they
        are emptied. The new dataset's ``quality`` ends with one ``filtered``
        row per table: what the filter was, and how many rows it kept and
        dropped. An unknown area or program, or a bad argument, raises
        :class:`~vipreport.errors.ArgumentError` listing every problem.

        Examples
        --------
        >>> import vipreport as vr
        >>> data = vr.datasets.demo()
        >>> valley = data.filter(area="Valley")
        >>> int(valley.quality["action"].eq("filtered").sum()) == len(valley.tables)
        True
        """
        return filter_dataset(self, area=area, program=program, persons=persons, period=period)

    def _repr_html_(self) -> str:
        return dataset_html(self)

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


def fingerprint(series: pd.Series) -> tuple[Any, ...]:
    """A digest of a column's current values (a categorical's codes), for memoising work on it.

    Equal values give equal digests wherever the column lives; any edit, in
    place or by replacement, gives another (a 128-bit digest of the values'
    bytes in row order, with their dtype and length, from the core: SHA-1 had
    taken a third of the metrics' time on large tables).
    """
    values = series.cat.codes if isinstance(series.dtype, pd.CategoricalDtype) else series
    array = np.ascontiguousarray(np.asarray(values))
    if array.dtype == object:  # not a column the core reads; hash its values instead of its pointers
        array = pd.util.hash_pandas_object(pd.Series(array), index=False).to_numpy()
    return (array.dtype.str, array.shape, _core.digest(array.reshape(-1).view(np.uint8)))


def _read_only(array: np.ndarray) -> np.ndarray:
    # A memoised array is shared by every caller: on pandas 2 as on pandas 3
    # (copy-on-write), nobody may write into it.
    array.flags.writeable = False
    return array


_UNITS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400 * 10**6, "ns": 86_400 * 10**9}


def day_numbers(values: pd.Series) -> np.ndarray:
    """int32 days since 1970-01-01 of a datetime column of any resolution (s, ms, us or ns).

    Raises ValueError on a blank date: NaT has no day number, and casting it
    would silently give a wrong one, so callers fill or drop blanks first.
    """
    raw = values.to_numpy()
    unit, count = np.datetime_data(raw.dtype)
    per_day = _UNITS_PER_DAY.get(unit)
    if per_day is None or count != 1:  # an unusual unit: numpy converts any unit to days exactly
        days = raw.astype("datetime64[D]")
        if np.isnat(days).any():
            raise ValueError(f"column {values.name!r} has blank dates; fill or drop them before counting days")
        return days.astype(np.int32)
    # Floor division of the raw integers by a constant (libdivide in NumPy): several times faster than
    # NumPy's datetime64[ns] -> [D] conversion, with the same result (floor, also before 1970).
    ticks = raw.view(np.int64)
    if (ticks == np.iinfo(np.int64).min).any():  # NaT
        raise ValueError(f"column {values.name!r} has blank dates; fill or drop them before counting days")
    return (ticks // per_day).astype(np.int32)
