"""One slice of a Dataset: an area, a program, some persons, a period (:meth:`Dataset.filter`).

A person's rows stay together: the slice picks persons first (by the area or
program of their first referral, or by key), then every table that names a
person keeps exactly those persons' rows, so engagement, success and caseload
on the slice are the same computations on a smaller program. Tables that name
no person are sliced by their own columns where they have one (CORA responses
by their area command) and are emptied where they cannot be placed at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..calendar import DateLike, as_of_day, first_day, is_month, month_index, to_timestamp
from ..errors import ArgumentError
from ..schema import EVENT_DATE

if TYPE_CHECKING:
    from .dataset import Dataset

Values = str | Sequence[str]


def filter_dataset(
    data: Dataset,
    *,
    area: Values | None = None,
    program: Values | None = None,
    persons: Iterable[int] | None = None,
    period: tuple[DateLike, DateLike] | None = None,
) -> Dataset:
    """The body of :meth:`Dataset.filter` (see there): checks every argument, then slices every table."""
    problems: list[str] = []
    areas = _values("area", area, data.config.area_rows, problems)
    programs = _values("program", program, data.config.referral_programs, problems)
    keys = _keys(persons, problems)
    window = _period(period, problems)
    if programs is not None and "program" not in data.table("referrals"):
        problems.append("program= needs the optional 'program' column of referrals, which this dataset does not have")
    if problems:
        raise ArgumentError("cannot filter the dataset:\n" + "\n".join(f"  - {p}" for p in problems))

    chosen: np.ndarray | None = None  # sorted person keys, or None for "every person"
    described: list[str] = []
    if areas is not None:
        chosen = _intersect(chosen, _first_referral_in(data, "area_command", areas))
        described.append(f"area {_listing(areas)} (persons by their first referral)")
    if programs is not None:
        chosen = _intersect(chosen, _first_referral_in(data, "program", programs))
        described.append(f"program {_listing(programs)} (persons by their first referral)")
    if keys is not None:
        known = _all_keys(data)
        missing = np.setdiff1d(keys, known)
        if len(missing):
            raise ArgumentError(
                f"cannot filter the dataset: {len(missing):,} of the {len(keys):,} person keys given are in no "
                "table (persons= takes person_key values, as in data.table('notifications')['person_key'])"
            )
        chosen = _intersect(chosen, keys)
        described.append(f"{len(keys):,} persons by key")
    if window is not None:
        described.append(f"period {window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d}")
    label = "; ".join(described) or "no filter"

    tables: dict[str, pd.DataFrame] = {}
    notes = []
    for name, frame in data.tables.items():
        keep = np.ones(len(frame), dtype=bool)
        if chosen is not None:
            keep &= _rows_of(frame, chosen, areas)
        if window is not None:
            keep &= _in_period(name, frame, *window)
        tables[name] = frame[keep].reset_index(drop=True)
        kept = int(keep.sum())
        notes.append((name, "filtered", f"filter {label}: kept {kept:,} of {len(frame):,} rows", len(frame) - kept))
    quality = pd.concat([data.quality, pd.DataFrame(notes, columns=list(data.quality.columns))], ignore_index=True)
    return type(data)(
        tables=tables,
        quality=quality,
        config=data.config,
        activities_text=data.activities_text,
        synthetic=data.synthetic,
        unmatched_files=list(data.unmatched_files),
    )


def _values(argument: str, given: Values | None, allowed: Sequence[str], problems: list[str]) -> list[str] | None:
    if given is None:
        return None
    values = [given] if isinstance(given, str) else list(given)
    # Allowed values are the profile's category labels (never personal data), so they can be listed.
    unknown = [v for v in values if v not in allowed]
    if not values or unknown:
        shown = ", ".join(repr(v) for v in unknown) if unknown else "nothing"
        problems.append(f"{argument}= got {shown}; the values are: {', '.join(repr(a) for a in allowed)}")
    return values


def _keys(persons: Iterable[int] | None, problems: list[str]) -> np.ndarray | None:
    if persons is None:
        return None
    if isinstance(persons, (str, bytes)):
        problems.append("persons= takes a list of person_key numbers, not a string (raw ids are not kept)")
        return None
    values = pd.Series(list(persons), dtype=object)
    whole = values.map(lambda v: isinstance(v, (int, np.integer)) and not isinstance(v, bool))
    if not whole.all():
        problems.append(
            f"persons= takes person_key numbers (whole numbers); {int((~whole).sum()):,} of the values given are not"
        )
        return None
    return np.unique(values.to_numpy(dtype=np.int64))


def _period(period: tuple[DateLike, DateLike] | None, problems: list[str]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if period is None:
        return None
    given: object = period  # checked as any object: a caller may pass a single date, or three
    if not isinstance(given, (tuple, list)) or len(given) != 2:
        problems.append("period= takes (start, end): two dates 'YYYY-MM-DD' or months 'YYYY-MM'")
        return None
    start, end = period
    try:
        # A month as the start means its first day; as the end, its last day (as as_of does).
        first = first_day(month_index(start)) if isinstance(start, str) and is_month(start) else as_of_day(start)
        last = as_of_day(end)
    except ArgumentError:
        problems.append("period= takes (start, end): two dates 'YYYY-MM-DD' or months 'YYYY-MM'")
        return None
    if last < first:
        problems.append(
            f"period= ends ({to_timestamp(last):%Y-%m-%d}) before it starts ({to_timestamp(first):%Y-%m-%d})"
        )
        return None
    return to_timestamp(first), to_timestamp(last)


def _first_referral_in(data: Dataset, column: str, values: list[str]) -> np.ndarray:
    """Keys of the persons whose first referral (earliest date; first row on ties) has ``column`` in ``values``."""
    referrals = data.table("referrals")
    named = referrals[referrals["person_key"] >= 0]
    first = named.sort_values("referral_date", kind="stable").drop_duplicates("person_key")
    return np.unique(first.loc[first[column].isin(values), "person_key"].to_numpy(np.int64))


def _all_keys(data: Dataset) -> np.ndarray:
    parts = [f["person_key"].to_numpy(np.int64) for f in data.tables.values() if "person_key" in f]
    return np.unique(np.concatenate(parts)) if parts else np.array([], dtype=np.int64)


def _intersect(chosen: np.ndarray | None, more: np.ndarray) -> np.ndarray:
    return more if chosen is None else np.intersect1d(chosen, more)


def _rows_of(frame: pd.DataFrame, chosen: np.ndarray, areas: list[str] | None) -> np.ndarray:
    """Rows of the chosen persons; in a table that names no person, rows of the chosen areas, else none."""
    if "person_key" in frame:
        return np.isin(frame["person_key"].to_numpy(np.int64), chosen)
    if areas is not None and "area_command" in frame:
        return frame["area_command"].isin(areas).to_numpy(dtype=bool)
    return np.zeros(len(frame), dtype=bool)


def _in_period(name: str, frame: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Events dated in [start, end]; an enrollment episode when it is open on any day of it."""
    last = end + pd.Timedelta(1, unit="D")  # dates are midnights; compare half-open so any resolution works
    if name == "enrollments" and "end_date" in frame:
        ends = frame["end_date"]
        return ((frame["start_date"] < last) & (ends.isna() | (ends > start))).to_numpy(dtype=bool)
    if EVENT_DATE.get(name) not in frame:
        return np.ones(len(frame), dtype=bool)  # a table with no event date is not placed in time
    dates = frame[EVENT_DATE[name]]
    return ((dates >= start) & (dates < last)).to_numpy(dtype=bool)


def _listing(values: list[str]) -> str:
    return repr(values[0]) if len(values) == 1 else "in [" + ", ".join(repr(v) for v in values) + "]"
