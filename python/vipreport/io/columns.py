"""Typing one column of text, vectorised: each parser returns typed values and the rows it could not read.

Every parser dictionary-encodes its column first and decides on the distinct
values only (a date column of millions of rows holds a few thousand distinct
dates; a category column a handful of spellings). Per-row work is NumPy
``take`` and mask arithmetic. Row counts of recodings come from one
``bincount`` of the dictionary indices.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from ..config import Config, category_key

TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}
# Text that exports write for a missing value; read as blank in every column.
MISSING_WORDS = ["", "nan", "null"]
NO_DAY = np.iinfo(np.int64).min
NOT_ISO = NO_DAY + 1  # iso_days: text other than YYYY-MM-DD
_EPOCH = dt.date(1970, 1, 1)
# Whole numbers a spreadsheet stores a date from 1960 to 2100 as; serial 25569 is 1970-01-01.
SERIAL_RANGE, SERIAL_EPOCH = (21916, 73415), 25569
_ISO = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)\s*(?P<zone>Z|z|[+-]\d{2}(?::?\d{2})?)?)?$"
)


@dataclass
class Encoded:
    """A column as dictionary indices (int32, one per row) into its distinct values (text, may be null)."""

    indices: np.ndarray
    dictionary: pa.Array

    @cached_property
    def counts(self) -> np.ndarray:
        """Rows per distinct value (computed when a recoding or problem needs counting)."""
        return np.bincount(self.indices, minlength=len(self.dictionary))

    def rows(self, per_value: np.ndarray) -> np.ndarray:
        """A per-distinct-value array spread to the rows."""
        if per_value.dtype == bool and not per_value.any():  # the usual "no bad value": no gather
            return np.zeros(len(self.indices), bool)
        out: np.ndarray = per_value[self.indices]
        return out

    def count(self, per_value: np.ndarray) -> int:
        """Rows whose value is flagged in the per-distinct-value mask."""
        return int(self.counts[per_value].sum()) if per_value.any() else 0


@dataclass
class Parsed:
    values: Any  # typed: a NumPy array, a pandas Categorical, or an Encoded (ids)
    bad: np.ndarray  # row mask of values that break the column's rule
    expected: str = ""  # what the column holds, for the message
    recoded: dict[str, int] = field(default_factory=dict)  # reason -> rows
    found: Callable[[int], str] | None = None  # row -> what kind of value was found there


def as_text(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Any Arrow column as text: numbers, booleans and dictionaries are cast; text stays as it is."""
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    if pa.types.is_null(kind):
        return pc.cast(column, pa.string())
    if pa.types.is_dictionary(kind):
        return as_text(pc.cast(column, kind.value_type))
    if pa.types.is_floating(kind):
        # 1234.0 from a spreadsheet or a pandas column with blanks is the integer 1234.
        whole = pc.and_(pc.is_finite(column), pc.equal(pc.floor(column), column))
        as_int = pc.cast(pc.if_else(whole, column, 0), pa.int64(), safe=False)
        return pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(column, pa.string()))
    return pc.cast(column, pa.string())


def encode(column: pa.Array | pa.ChunkedArray | Encoded) -> Encoded:
    """Dictionary-encode a column (as text, whitespace trimmed; blanks become null); encoded stays encoded."""
    if isinstance(column, Encoded):
        return column
    text = as_text(column)
    encoded = pc.dictionary_encode(text, null_encoding="encode")
    if isinstance(encoded, pa.ChunkedArray):
        chunks = encoded.chunks
        if not chunks:
            return Encoded(np.zeros(0, np.int32), pa.array([], pa.string()))
        indices = np.concatenate([c.indices.to_numpy() for c in chunks])
        dictionary = chunks[-1].dictionary
    else:
        indices, dictionary = encoded.indices.to_numpy(), encoded.dictionary
    if dictionary.type != pa.string():  # large_string from polars; distinct values are small
        dictionary = pc.cast(dictionary, pa.string())
    trimmed = pc.utf8_trim_whitespace(dictionary)
    blank = pc.fill_null(pc.is_in(pc.utf8_lower(trimmed), pa.array(MISSING_WORDS)), True)
    return Encoded(indices.astype(np.int32, copy=False), pc.if_else(blank, pa.scalar(None, pa.string()), trimmed))


def arrow_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets and bytes as NumPy views, for the core (nulls, if any, read as empty text)."""
    if values.null_count:
        values = pc.fill_null(values, "")
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], np.int32)[values.offset : values.offset + len(values) + 1]
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    return offsets, data


def iso_days(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Day numbers (int64) of text cells written exactly YYYY-MM-DD, in one pass of the core.

    NO_DAY where a cell is empty or null, NOT_ISO where it holds any other text
    (which the dictionary path then reads, with every other format and rule).
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    days = _core.iso_days([arrow_buffers(c) for c in chunks if len(c)]).astype(np.int64)
    days[days == _core.BLANK_DAY] = NO_DAY
    days[days == _core.NOT_ISO_DAY] = NOT_ISO
    return days


@dataclass
class Days:
    """A date column the core read as day numbers (every cell YYYY-MM-DD or empty; NO_DAY where empty)."""

    values: np.ndarray


def blank_values(encoded: Encoded) -> np.ndarray:
    return np.asarray(pc.is_null(encoded.dictionary).to_numpy(zero_copy_only=False), bool)


def describe(value: str | None) -> str:
    """What kind of value a cell holds, never the value itself."""
    if value is None or value.strip().lower() in MISSING_WORDS:
        return "a blank"
    value = value.strip()
    if re.fullmatch(r"[-+]?\d+(\.\d+)?", value):
        return "a number"
    if re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?", value):
        return "a date"
    if re.fullmatch(r"(?=.*\d)[A-Za-z0-9][\w\-./]*", value):
        return "an identifier-like token"
    return f"text of {len(value)} characters"


def _found(encoded: Encoded, kind: Callable[[str | None], str] = describe) -> Callable[[int], str]:
    return lambda row: kind(encoded.dictionary[int(encoded.indices[row])].as_py())


# -- dates -----------------------------------------------------------------


def parse_dates(
    column: pa.Array | pa.ChunkedArray | Encoded | Days, config: Config, *, earliest: dt.date, required: bool
) -> Parsed:
    """Dates as datetime64[ns]; zoned timestamps dated on the profile's time zone; blanks are NaT."""
    latest = config.latest_date
    written = ", ".join(["YYYY-MM-DD", *(_readable(f) for f in config.date_formats)])
    expected = f"a date from {earliest} to {latest} (written {written})"
    if isinstance(column, Days) or (
        not isinstance(column, Encoded) and (pa.types.is_timestamp(column.type) or pa.types.is_date(column.type))
    ):
        days = column.values if isinstance(column, Days) else _typed_days(column, config.timezone)
        blank = days == NO_DAY
        bad = _out_of_range(days, earliest, latest) | (blank & required)
        return Parsed(
            _datetimes(np.where(bad, NO_DAY, days)),
            bad,
            expected,
            found=lambda row: "a blank" if blank[row] else "a date out of range",
        )
    encoded = encode(column)
    days, recoded = _text_days(encoded.dictionary, config)
    blank = blank_values(encoded)
    unreadable = (days == NO_DAY) & ~blank
    wrong = unreadable | _out_of_range(days, earliest, latest) | (blank & required)
    counts = {reason: encoded.count(mask & ~wrong) for reason, mask in recoded.items()}

    def found(row: int) -> str:
        value = int(encoded.indices[row])
        if blank[value]:
            return "a blank"
        if not unreadable[value]:
            return "a date out of range"
        kind = describe(encoded.dictionary[value].as_py())
        return "an impossible date" if kind == "a date" else kind

    return Parsed(
        encoded.rows(_datetimes(np.where(wrong, NO_DAY, days))),
        encoded.rows(wrong),
        expected,
        {k: v for k, v in counts.items() if v},
        found,
    )


def _readable(fmt: str) -> str:
    """A strptime format as people write it: %m/%d/%Y -> MM/DD/YYYY."""
    for code, text in (
        ("%Y", "YYYY"),
        ("%y", "YY"),
        ("%m", "MM"),
        ("%d", "DD"),
        ("%b", "Mon"),
        ("%B", "Month"),
        ("%H", "hh"),
        ("%M", "mm"),
        ("%S", "ss"),
    ):
        fmt = fmt.replace(code, text)
    return fmt


def _datetimes(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[ns]")  # NO_DAY is NaT


# The days a datetime64[ns] can hold: a date beyond them (a 9999-12-31 sentinel) is a listed problem
# whatever the profile's range, never an overflow or a silently wrapped date.
_NS_DAYS = (-106751, 106751)  # 1677-09-22 to 2262-04-11


def _out_of_range(days: np.ndarray, earliest: dt.date, latest: dt.date) -> np.ndarray:
    lo = max((earliest - _EPOCH).days, _NS_DAYS[0])
    hi = min((latest - _EPOCH).days, _NS_DAYS[1])
    out: np.ndarray = (days != NO_DAY) & ((days < lo) | (days > hi))
    return out


def _typed_days(column: pa.Array | pa.ChunkedArray, timezone: str) -> np.ndarray:
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        column = pc.local_timestamp(pc.cast(column, pa.timestamp(column.type.unit, timezone)))
    day = pc.cast(pc.cast(column, pa.date32()), pa.int32())
    if isinstance(day, pa.ChunkedArray):
        day = day.combine_chunks()
    valid = np.asarray(day.is_valid().to_numpy(zero_copy_only=False), bool)
    return np.where(valid, np.asarray(pc.fill_null(day, 0).to_numpy(), np.int64), NO_DAY)


def _text_days(text: pa.Array, config: Config) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Day numbers of distinct date texts (NO_DAY where unreadable), and the recodings made."""
    days = np.full(len(text), NO_DAY, np.int64)
    recoded: dict[str, np.ndarray] = {}
    if not len(text):
        return days, recoded
    parts = pc.extract_regex(text, _ISO)
    valid = np.asarray(parts.is_valid().to_numpy(zero_copy_only=False), bool)
    date = pc.struct_field(parts, "date")
    days = np.where(valid, _strict_days(date, "%Y-%m-%d"), NO_DAY)
    zone = pc.struct_field(parts, "zone")
    zoned = valid & np.asarray(pc.fill_null(pc.not_equal(zone, ""), False).to_numpy(zero_copy_only=False), bool)
    if zoned.any():
        local = _zoned_days(date, pc.struct_field(parts, "time"), zone, config.timezone)
        days = np.where(zoned & (days != NO_DAY), local, days)
        recoded[f"timestamp with a time zone dated in {config.timezone}"] = zoned & (days != NO_DAY)
    for fmt in config.date_formats:
        left = days == NO_DAY
        if not left.any():
            break
        days = np.where(left, _strict_days(text, fmt), days)
    left = days == NO_DAY
    if left.any():
        serial = _serials(text)
        found = left & (serial != NO_DAY)
        if found.any():
            # A spreadsheet date cell not formatted as a date arrives as its serial number.
            days = np.where(found, serial - SERIAL_EPOCH, days)
            recoded["Excel date serial converted to a date"] = found
    return days, recoded


def _strict_days(text: pa.Array, fmt: str) -> np.ndarray:
    """strptime, refusing what it would roll over (Feb 30 -> Mar 1): the value must print back the same."""
    parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    back = pc.strftime(parsed, format=fmt)
    same = pc.equal(_unpadded(back), _unpadded(text))
    ok = np.asarray(pc.fill_null(same, False).to_numpy(zero_copy_only=False), bool)
    days = np.asarray(pc.fill_null(pc.cast(pc.cast(parsed, pa.date32()), pa.int32()), 0).to_numpy(), np.int64)
    return np.where(ok, days, NO_DAY)


def _unpadded(text: pa.Array) -> pa.Array:
    return pc.utf8_lower(pc.replace_substring_regex(text, r"(^|[^0-9])0+([0-9])", r"\1\2"))


def _zoned_days(date: pa.Array, time: pa.Array, zone: pa.Array, timezone: str) -> np.ndarray:
    """Local calendar day in ``timezone`` of ISO timestamps with an offset or Z."""
    clock = pc.utf8_slice_codeunits(time, 0, 8)
    clock = pc.if_else(pc.equal(pc.utf8_length(clock), 5), pc.binary_join_element_wise(clock, ":00", ""), clock)
    offset = pc.replace_substring(pc.utf8_upper(zone), ":", "")
    offset = pc.if_else(pc.equal(offset, "Z"), "+0000", offset)
    offset = pc.if_else(pc.equal(pc.utf8_length(offset), 3), pc.binary_join_element_wise(offset, "00", ""), offset)
    stamp = pc.binary_join_element_wise(date, "T", clock, offset, "")
    instant = pc.strptime(stamp, format="%Y-%m-%dT%H:%M:%S%z", unit="s", error_is_null=True)
    local = pc.local_timestamp(pc.cast(instant, pa.timestamp("s", timezone)))
    day = pc.cast(pc.cast(local, pa.date32()), pa.int32())
    return np.where(
        np.asarray(day.is_valid().to_numpy(zero_copy_only=False), bool),
        np.asarray(pc.fill_null(day, 0).to_numpy(), np.int64),
        NO_DAY,
    )


def _serials(text: pa.Array) -> np.ndarray:
    whole = pc.fill_null(pc.match_substring_regex(text, r"^\d{5}(\.0+)?$"), False)
    number = pc.cast(pc.utf8_slice_codeunits(pc.if_else(whole, text, "0"), 0, 5), pa.int64())
    values = np.asarray(number.to_numpy(), np.int64)
    ok = (
        np.asarray(whole.to_numpy(zero_copy_only=False), bool)
        & (values >= SERIAL_RANGE[0])
        & (values <= SERIAL_RANGE[1])
    )
    return np.where(ok, values, NO_DAY)


# -- categories, offenses, booleans ------------------------------------------


def parse_categories(
    column: pa.Array | pa.ChunkedArray,
    allowed: tuple[str, ...],
    *,
    aliases: Mapping[str, str] | None = None,
    missing_label: str | None = None,
    required: bool = True,
) -> Parsed:
    """Codes into ``allowed``: spellings matched ignoring case, spaces, dots and hyphens, then ``aliases``.

    With ``missing_label`` a blank becomes that label (a counted recoding);
    otherwise a blank is a bad row when the column is required.
    """
    encoded = encode(column)
    lookup = {category_key(a): i for i, a in enumerate(allowed)}
    alias_lookup = {category_key(k): lookup.get(category_key(v), -1) for k, v in (aliases or {}).items()}
    values = encoded.dictionary.to_pylist()
    codes = np.full(len(values), -1, np.int16)
    respelled = np.zeros(len(values), bool)
    aliased = np.zeros(len(values), bool)
    for i, value in enumerate(values):
        if value is None:
            continue
        key = category_key(value)
        if key in lookup:
            codes[i] = lookup[key]
            respelled[i] = value != allowed[codes[i]]
        elif key in alias_lookup:
            codes[i], aliased[i] = alias_lookup[key], True
    blank = blank_values(encoded)
    recoded = {
        "spelling normalised (case, spaces, punctuation)": encoded.count(respelled),
        "alias mapped to its canonical name": encoded.count(aliased),
    }
    bad_value = (codes < 0) & ~blank
    if missing_label is not None:
        codes[blank] = allowed.index(missing_label)
        recoded[f"blank recoded as {missing_label!r}"] = encoded.count(blank)
    elif required:
        bad_value |= blank
    return Parsed(
        encoded.rows(codes),
        encoded.rows(bad_value),
        f"one of: {', '.join(allowed)}",
        {k: v for k, v in recoded.items() if v},
        _found(encoded),
    )


def parse_offenses(column: pa.Array | pa.ChunkedArray, config: Config, *, unknown_allowed: bool) -> Parsed:
    """Offense names to a violent flag; unknown names are bad unless allowed."""
    encoded = encode(column)
    violent = {category_key(o) for o in config.violent_offenses}
    nonviolent = {category_key(o) for o in config.nonviolent_offenses}
    keys = [None if v is None else category_key(v) for v in encoded.dictionary.to_pylist()]
    is_violent = np.array([k in violent for k in keys], bool)
    known = is_violent | np.array([k in nonviolent for k in keys], bool)
    blank = blank_values(encoded)
    unknown = ~known & ~blank
    bad, recoded = blank.copy(), {}
    if not unknown_allowed:
        if config.unknown_offense == "nonviolent":
            recoded["offense not in the offense map, counted as nonviolent"] = encoded.count(unknown)
        else:
            bad |= unknown
    expected = "an offense in the config's offense map (offenses.violent / offenses.nonviolent)"
    return Parsed(
        encoded.rows(is_violent), encoded.rows(bad), expected, {k: v for k, v in recoded.items() if v}, _found(encoded)
    )


def parse_bools(column: pa.Array | pa.ChunkedArray) -> Parsed:
    encoded = encode(column)
    words = [None if v is None else v.casefold() for v in encoded.dictionary.to_pylist()]
    is_true = np.array([w in TRUE_WORDS for w in words], bool)
    known = is_true | np.array([w in FALSE_WORDS for w in words], bool)
    return Parsed(encoded.rows(is_true), encoded.rows(~known), "true/false (yes/no, 1/0)", found=_found(encoded))


# -- numbers ------------------------------------------------------------------


def _numbers(encoded: Encoded) -> np.ndarray:
    """The distinct values as floats (NaN where not a number)."""
    out = np.full(len(encoded.dictionary), np.nan)
    for i, value in enumerate(encoded.dictionary.to_pylist()):
        with contextlib.suppress(ValueError):  # not a number: stays NaN
            out[i] = float(value) if value is not None else np.nan
    return out


def _number_kind(numbers: np.ndarray, encoded: Encoded) -> Callable[[int], str]:
    def found(row: int) -> str:
        value = int(encoded.indices[row])
        number = numbers[value]
        if np.isnan(number):
            return describe(encoded.dictionary[value].as_py())
        return "a number out of range" if number == np.floor(number) else "a fraction"

    return found


def parse_counts(column: pa.Array | pa.ChunkedArray) -> Parsed:
    encoded = encode(column)
    numbers = _numbers(encoded)
    blank = blank_values(encoded)
    whole = ~np.isnan(numbers) & (numbers >= 0) & (numbers == np.floor(np.nan_to_num(numbers)))
    values = np.where(whole, np.nan_to_num(numbers), 0).astype(np.int64)
    recoded = {"blank count recoded as 0": encoded.count(blank)}
    return Parsed(
        encoded.rows(values),
        encoded.rows(~whole & ~blank),
        "a whole number of zero or more",
        {k: v for k, v in recoded.items() if v},
        _number_kind(numbers, encoded),
    )


def parse_ages(column: pa.Array | pa.ChunkedArray, max_age: int) -> Parsed:
    encoded = encode(column)
    numbers = _numbers(encoded)
    blank = blank_values(encoded)
    ok = ~np.isnan(numbers) & (numbers >= 0) & (numbers <= max_age) & (numbers == np.floor(np.nan_to_num(numbers)))
    values = np.where(ok, numbers, np.nan)
    return Parsed(
        encoded.rows(values),
        encoded.rows(~ok & ~blank),
        f"an age from 0 to {max_age}",
        found=_number_kind(numbers, encoded),
    )


def parse_ids(column: pa.Array | pa.ChunkedArray, *, required: bool) -> Parsed:
    """Ids as text, exactly as written apart from surrounding spaces: ``00123`` and ``123`` differ."""
    encoded = encode(column)
    blank = blank_values(encoded)
    bad = encoded.rows(blank) if required else np.zeros(len(encoded.indices), bool)
    return Parsed(encoded, bad, "an id (it is blank)", found=lambda row: "a blank")


def parse_text(column: pa.Array | pa.ChunkedArray | Encoded) -> Parsed:
    """Free text kept as written (trimmed; blanks null), as an Arrow string column."""
    text = column.dictionary.take(pa.array(column.indices)) if isinstance(column, Encoded) else as_text(column)
    return Parsed(text, np.zeros(len(text), bool))
