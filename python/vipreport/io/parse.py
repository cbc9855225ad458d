"""Column parsers: each turns a raw column into typed values plus the rows it could not read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import Config, category_key

TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


@dataclass
class Parsed:
    values: pd.Series
    bad: np.ndarray                 # bool mask of rows that could not be read
    reason: str = ""                # what is wrong with a bad row
    recoded: dict[str, np.ndarray] = field(default_factory=dict)  # reason -> mask of recoded rows


# Text that exports write for a missing value; read as blank in every column.
MISSING_WORDS = ("", "nan", "null")


def blank_mask(raw: pd.Series) -> np.ndarray:
    if raw.dtype == object or pd.api.types.is_string_dtype(raw):
        text = raw.astype(str).str.strip().str.lower()
        return (raw.isna() | text.isin(MISSING_WORDS)).to_numpy()
    return raw.isna().to_numpy()


def parse_dates(raw: pd.Series, *, earliest: dt.date, latest: dt.date) -> Parsed:
    """ISO dates (time part allowed) or US month/day/year; blanks become NaT, not errors.

    Dates are read as whole days (``datetime64[D]``) whatever resolution pandas
    hands out (pandas 3 infers seconds or microseconds, pandas 2 nanoseconds),
    checked against the range as days, and only then given the Dataset's fixed
    ``datetime64[ns]``: a sentinel such as 9999-12-31 is a listed problem, never
    an overflow or a silently wrapped date.
    """
    blank = blank_mask(raw)
    if pd.api.types.is_datetime64_any_dtype(raw):
        days = _days_of(raw)
    else:
        days = _days_from_objects(raw.where(~blank, None))
    recoded = {}
    serial = np.isnat(days) & ~blank
    if serial.any():
        serial[serial] = _looks_like_serial(raw[serial])
    if serial.any():
        # A spreadsheet date cell not formatted as a date arrives as its serial number.
        numbers = np.zeros(len(raw), dtype=np.int64)
        numbers[serial] = pd.to_numeric(raw[serial], errors="coerce").to_numpy(dtype=np.int64)
        days = np.where(serial, EXCEL_EPOCH + numbers.astype("timedelta64[D]"), days)
        recoded["Excel date serial converted to a date"] = serial
    unreadable = np.isnat(days) & ~blank
    # Both bounds stay inside what datetime64[ns] can hold, whatever the config says.
    low = max(np.datetime64(earliest, "D"), _NS_FIRST_DAY)
    high = min(np.datetime64(latest, "D"), _NS_LAST_DAY)
    out_of_range = ~blank & ~unreadable & ((days < low) | (days > high))
    bad = unreadable | out_of_range
    values = np.where(bad, np.datetime64("NaT", "D"), days).astype("datetime64[ns]")
    return Parsed(
        pd.Series(values, index=raw.index),
        bad,
        f"is not a date from {earliest} to {latest} (write YYYY-MM-DD or MM/DD/YYYY)",
        recoded,
    )


EXCEL_EPOCH = np.datetime64("1899-12-30", "D")  # serial 1 = 1900-01-01, after Excel's 1900 leap-year quirk
_NS_FIRST_DAY = np.datetime64(pd.Timestamp.min.ceil("D").date(), "D")
_NS_LAST_DAY = np.datetime64(pd.Timestamp.max.floor("D").date(), "D")


def _days_of(values: pd.Series) -> np.ndarray:
    """A datetime column of any resolution as ``datetime64[D]`` (a new array; NaT stays NaT)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)  # the local calendar date, as written
    return values.to_numpy().astype("datetime64[D]")


def _looks_like_serial(raw: pd.Series) -> np.ndarray:
    """Whole numbers a spreadsheet would store a date from 1960 to 2100 as (21916 to 73415)."""
    numbers = pd.to_numeric(raw.map(lambda v: None if isinstance(v, (pd.Timestamp, dt.date)) else v),
                            errors="coerce")
    return (numbers.notna() & (numbers == np.floor(numbers.fillna(0))) & numbers.between(21916, 73415)).to_numpy()


def _days_from_objects(raw: pd.Series) -> np.ndarray:
    if raw.dtype == object and pd.api.types.infer_dtype(raw, skipna=True) not in ("string", "empty"):
        # Spreadsheet cells arrive as datetime objects beside text (and numbers,
        # left for the serial check); convert each kind on its own.
        is_text = raw.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        is_date = raw.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy(dtype=bool)
        days = np.full(len(raw), np.datetime64("NaT", "D"))
        if is_date.any():
            days[is_date] = [_day_of_object(v) for v in raw[is_date]]
        if is_text.any():
            days[is_text] = _days_from_text(raw[is_text])
        return days
    return _days_from_text(raw)


def _day_of_object(value: dt.date | np.datetime64) -> np.datetime64:
    """One spreadsheet cell's date, without a trip through nanoseconds (year 9999 stays year 9999)."""
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    if pd.isna(value):
        return np.datetime64("NaT", "D")
    return np.datetime64(dt.date(value.year, value.month, value.day), "D")


def _days_from_text(raw: pd.Series) -> np.ndarray:
    # One text dtype whatever the source (object on pandas 2, str on pandas 3): pandas' "string".
    text = raw.astype("string").str.strip()
    # ISO8601 parsing also accepts bare years and year-months; only full dates count.
    full_date = text.str.match(r"^\d{4}-\d{2}-\d{2}").to_numpy(dtype=bool, na_value=False)
    iso = _days_of(pd.to_datetime(text, format="ISO8601", errors="coerce"))
    days = np.where(full_date, iso, np.datetime64("NaT", "D"))
    missing = np.isnat(days) & text.notna().to_numpy(dtype=bool)
    if missing.any():
        days[missing] = _days_of(pd.to_datetime(text[missing], format="%m/%d/%Y", errors="coerce"))
    return days


def parse_categories(raw: pd.Series, allowed: tuple[str, ...], *, aliases: Mapping[str, str] | None = None,
                     missing_label: str | None = None) -> Parsed:
    """Match spellings to ``allowed`` ignoring case, spaces, dots and hyphens, then through ``aliases``.

    With ``missing_label`` a blank becomes that label (a counted recoding),
    otherwise a blank is a bad row.
    """
    lookup = {category_key(a): a for a in allowed}
    alias_lookup = {category_key(k): v for k, v in (aliases or {}).items()}
    blank = blank_mask(raw)
    text = raw.where(~blank, "").astype(str).str.strip()
    uniques = pd.unique(text[~blank])
    exact, respelled, aliased = {}, {}, {}
    for u in uniques:
        key = category_key(u)
        if u in allowed:
            exact[u] = u
        elif key in lookup:
            respelled[u] = lookup[key]
        elif key in alias_lookup:
            aliased[u] = lookup.get(category_key(alias_lookup[key]), alias_lookup[key])
    mapping = {**exact, **respelled, **aliased}
    values = text.map(mapping)
    recoded = {}
    if respelled:
        recoded["spelling normalised (case, spaces, punctuation)"] = text.isin(respelled).to_numpy() & ~blank
    if aliased:
        recoded["alias mapped to its canonical name"] = text.isin(aliased).to_numpy() & ~blank
    bad = values.isna().to_numpy() & ~blank
    if missing_label is not None:
        values = values.where(~blank, missing_label)
        if blank.any():
            recoded[f"blank recoded as {missing_label!r}"] = blank
    else:
        bad |= blank
    reason = f"is not one of: {', '.join(allowed)}"
    return Parsed(values.astype(object), bad, reason, recoded)


def parse_offenses(raw: pd.Series, config: Config, *, unknown_allowed: bool) -> Parsed:
    """Offense names to a violent flag; unknown names are bad unless allowed."""
    violent = {category_key(o) for o in config.violent_offenses}
    nonviolent = {category_key(o) for o in config.nonviolent_offenses}
    blank = blank_mask(raw)
    text = raw.where(~blank, "").astype(str)
    keys = text.map({u: category_key(u) for u in pd.unique(text)})  # one key per distinct spelling
    is_violent = keys.isin(violent).to_numpy()
    known = is_violent | keys.isin(nonviolent).to_numpy()
    recoded = {}
    bad = blank.copy()
    unknown = ~known & ~blank
    if not unknown_allowed:
        if config.unknown_offense == "nonviolent":
            if unknown.any():
                recoded["offense not in the offense map, counted as nonviolent"] = unknown
        else:
            bad |= unknown
    reason = "is not in the config's offense map (offenses.violent / offenses.nonviolent)"
    return Parsed(pd.Series(is_violent, index=raw.index), bad, reason, recoded)


def parse_bools(raw: pd.Series) -> Parsed:
    if pd.api.types.is_bool_dtype(raw):
        return Parsed(raw.astype(bool), np.zeros(len(raw), bool))
    text = raw.where(~blank_mask(raw), "").astype(str).str.strip().str.casefold()
    is_true = text.isin(TRUE_WORDS).to_numpy()
    bad = ~(is_true | text.isin(FALSE_WORDS).to_numpy())
    return Parsed(pd.Series(is_true, index=raw.index), bad, "is not true/false (yes/no, 1/0)")


def parse_counts(raw: pd.Series) -> Parsed:
    blank = blank_mask(raw)
    numbers = pd.to_numeric(raw.where(~blank, None), errors="coerce")
    whole = numbers.notna() & (numbers >= 0) & (numbers == np.floor(numbers.fillna(0)))
    bad = ~whole.to_numpy() & ~blank
    values = numbers.where(whole, 0).fillna(0).astype(np.int64)
    recoded = {"blank count recoded as 0": blank} if blank.any() else {}
    return Parsed(values, bad, "is not a whole number of zero or more", recoded)


def parse_ages(raw: pd.Series, max_age: int) -> Parsed:
    blank = blank_mask(raw)
    numbers = pd.to_numeric(raw.where(~blank, None), errors="coerce")
    ok = numbers.notna() & (numbers >= 0) & (numbers <= max_age) & (numbers == np.floor(numbers.fillna(0)))
    bad = ~ok.to_numpy() & ~blank
    return Parsed(numbers.where(ok).astype("Float64"), bad, f"is not an age from 0 to {max_age}")


def parse_ids(raw: pd.Series) -> Parsed:
    """Ids as strings; a float id read from a spreadsheet (1234.0) becomes "1234"."""
    blank = blank_mask(raw)
    if pd.api.types.is_integer_dtype(raw):
        return Parsed(raw.astype(np.int64), np.zeros(len(raw), bool))
    if pd.api.types.is_float_dtype(raw):
        whole = raw.notna() & (raw == np.floor(raw.fillna(0)))
        text = raw.where(whole).astype("Int64").astype(str)
        return Parsed(text.where(whole, None).astype(object), blank | ~whole.to_numpy(), "is not a valid id")
    text = raw.where(~blank, "").astype(str).str.strip()
    return Parsed(text.where(~blank, None).astype(object), blank, "is blank")
