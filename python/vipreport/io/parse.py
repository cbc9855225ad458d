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
    """ISO dates (time part allowed) or US month/day/year; blanks become NaT, not errors."""
    blank = blank_mask(raw)
    if pd.api.types.is_datetime64_any_dtype(raw):
        values = pd.Series(raw.to_numpy().astype("datetime64[ns]"), index=raw.index)
    else:
        values = _dates_from_objects(raw.where(~blank, None))
    recoded = {}
    serial = values.isna().to_numpy() & ~blank
    if serial.any():
        serial[serial] = _looks_like_serial(raw[serial])
    if serial.any():
        # A spreadsheet date cell not formatted as a date arrives as its serial number.
        numbers = pd.to_numeric(raw[serial], errors="coerce").astype("int64")
        values = values.copy()
        values[serial] = EXCEL_EPOCH + pd.to_timedelta(numbers, unit="D")
        recoded["Excel date serial converted to a date"] = serial
    unreadable = values.isna().to_numpy() & ~blank
    day = values.dt.normalize()
    out_of_range = ~blank & ~unreadable & (
        (day < pd.Timestamp(earliest)).to_numpy() | (day > pd.Timestamp(latest)).to_numpy()
    )
    return Parsed(
        values.dt.normalize(),
        unreadable | out_of_range,
        f"is not a date from {earliest} to {latest} (write YYYY-MM-DD or MM/DD/YYYY)",
        recoded,
    )


EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial 1 = 1900-01-01, after Excel's 1900 leap-year quirk


def _looks_like_serial(raw: pd.Series) -> np.ndarray:
    """Whole numbers a spreadsheet would store a date from 1960 to 2100 as (21916 to 73415)."""
    numbers = pd.to_numeric(raw.map(lambda v: None if isinstance(v, (pd.Timestamp, dt.date)) else v),
                            errors="coerce")
    return (numbers.notna() & (numbers == np.floor(numbers.fillna(0))) & numbers.between(21916, 73415)).to_numpy()


def _dates_from_objects(raw: pd.Series) -> pd.Series:
    if raw.dtype == object and pd.api.types.infer_dtype(raw, skipna=True) not in ("string", "empty"):
        # Spreadsheet cells arrive as datetime objects beside text (and numbers,
        # left for the serial check); convert each kind on its own.
        is_text = raw.map(lambda v: isinstance(v, str)).to_numpy()
        is_date = raw.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy()
        values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        if is_date.any():
            values[is_date] = pd.to_datetime(raw[is_date], errors="coerce")
        if is_text.any():
            values[is_text] = _dates_from_text(raw[is_text].astype(str))
        return values
    return _dates_from_text(raw.astype("string"))


def _dates_from_text(text: pd.Series) -> pd.Series:
    text = text.str.strip()
    iso = pd.to_datetime(text, format="ISO8601", errors="coerce")
    # ISO8601 parsing also accepts bare years and year-months; only full dates count.
    iso = iso.where(text.str.match(r"^\d{4}-\d{2}-\d{2}").fillna(False).astype(bool))
    missing = iso.isna() & text.notna()
    if missing.any():
        us = pd.to_datetime(text[missing], format="%m/%d/%Y", errors="coerce")
        iso = iso.copy()
        iso[missing] = us
    return iso.astype("datetime64[ns]")


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
    text = raw.astype(str).str.strip().str.casefold()
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
