"""64-bit hashes of whole rows as exported, for finding exact duplicates chunk by chunk.

A row's hash combines the hashes of its values. Values are hashed from their
bytes with NumPy (a polynomial over the bytes, then a SplitMix64 finaliser),
once per distinct value of a dictionary-encoded column, so equal text hashes
equally in every chunk and every file of a table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from .columns import NO_DAY, NOT_ISO, iso_days

_BASE = np.uint64(0x100000001B3)
_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_NULL = np.uint64(0x5851F42D4C957F2D)
_DAY = np.uint64(0xD1B54A32D192ED03)  # dates written YYYY-MM-DD hash by their day number, apart from text
_BLOCK = 1 << 19  # strings hashed at a time, so temporaries stay small
_powers = np.ones(1, np.uint64)


def _power_table(length: int) -> np.ndarray:
    global _powers
    if len(_powers) < length:
        powers = np.empty(max(length, 2 * len(_powers)), np.uint64)
        powers[0] = 1
        with np.errstate(over="ignore"):
            for i in range(1, len(powers)):  # a few hundred entries at most, once per process
                powers[i] = powers[i - 1] * _BASE
        _powers = powers
    return _powers


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: spreads every input bit over the whole word."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    out: np.ndarray = x ^ (x >> np.uint64(31))
    return out


def text_hashes(values: pa.Array) -> np.ndarray:
    """One uint64 per string of ``values`` (null has its own hash)."""
    values = pc.cast(values, pa.large_string())
    out = np.empty(len(values), np.uint64)
    for start in range(0, len(values), _BLOCK):
        out[start : start + _BLOCK] = _block_hashes(values.slice(start, _BLOCK))
    return out


def _block_hashes(values: pa.Array) -> np.ndarray:
    n = len(values)
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], np.int64)[values.offset : values.offset + n + 1]
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    first = offsets[0]
    body = data[first : offsets[-1]].astype(np.uint64) + np.uint64(1)
    position = np.arange(len(body), dtype=np.int64) - np.repeat(offsets[:-1] - first, lengths)
    weights = _power_table(int(lengths.max(initial=0)) + 1)[position]
    sums = np.zeros(n, np.uint64)
    filled = lengths > 0
    if body.size:
        sums[filled] = np.add.reduceat(body * weights, (offsets[:-1] - first)[filled])
    hashes = mix(sums ^ (lengths.astype(np.uint64) * _LENGTH))
    if values.null_count:
        hashes[~np.asarray(values.is_valid().to_numpy(zero_copy_only=False), bool)] = _NULL
    return hashes


def day_hashes(days: np.ndarray) -> np.ndarray:
    """Hashes of dates written YYYY-MM-DD, from their day numbers (NO_DAY: a blank, hashed as null).

    That text and its day are one-to-one, so equal hashes still mean equal text;
    :func:`date_text_hashes` hashes the same way the dates of a column read as text.
    """
    out = mix(days.astype(np.int64).view(np.uint64) ^ _DAY)
    out[days == NO_DAY] = _NULL
    return out


def date_text_hashes(values: pa.Array) -> np.ndarray:
    """:func:`text_hashes` of a date column's distinct (trimmed) texts, with YYYY-MM-DD ones as :func:`day_hashes`."""
    out = text_hashes(values)
    days = iso_days(values)
    iso = days != NOT_ISO
    out[iso] = day_hashes(days[iso])
    return out


def number_hashes(values: np.ndarray) -> np.ndarray:
    return mix(values.astype(np.int64).view(np.uint64) ^ _LENGTH)


def combine(row: np.ndarray | None, column: np.ndarray) -> np.ndarray:
    """Fold one column's (already mixed) value hashes into the running row hashes; order matters.

    A multiply-add per column; :func:`repeats` mixes the result once at the end.
    """
    if row is None:
        return column.copy()
    row *= _BASE
    row += column
    return row


def repeats(hashes: np.ndarray) -> np.ndarray:
    """Rows whose (mixed) hash equals an earlier row's (one hash-set pass in the core)."""
    out: np.ndarray = _core.repeated(mix(hashes))
    return out
