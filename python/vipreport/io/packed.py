"""Short strings packed into machine words: exact, fast factorising and sorting of id columns.

Ids are short (``P0001234``, ``00123``, a 20-character pseudonym). When the
column's strings use a small alphabet (ids mostly use digits and a few
letters), each string is written as a number in base (alphabet size + 1),
its characters ranked by byte value and the end padded with zero: one 64-bit
word that orders exactly like the string's bytes. Otherwise the bytes are
packed big-endian into up to four words. Distinct values are then found by
hashing integers (a pandas hash table, verified word by word when there are
several words, so a collision can never merge two ids) and sorted with
NumPy. pyarrow's dictionary encoding of a million distinct strings is
several times slower. Longer strings return None and the caller falls back
to Arrow.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .rowhash import mix

MAX_WORDS = 4  # strings of up to 32 bytes


def _buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    values = pc.cast(values, pa.large_string())
    n = len(values)
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], np.int64)[values.offset : values.offset + n + 1] if n else np.zeros(1, np.int64)
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None and n else np.zeros(0, np.uint8)
    return offsets, data


def alphabet(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which of the 256 byte values occur in the strings (a bool mask)."""
    used = np.zeros(256, bool)
    for offsets, data in (_buffers(c) for c in (values.chunks if isinstance(values, pa.ChunkedArray) else [values])):
        _mark(used, data[offsets[0] : offsets[-1]])
    return used


def _mark(used: np.ndarray, data: np.ndarray) -> None:
    if len(data) < 1 << 20:
        used |= np.bincount(data, minlength=256) > 0
        return
    # Counting byte pairs as uint16 is several times faster than counting bytes.
    even = len(data) - len(data) % 2
    pairs = np.bincount(data[:even].view(np.uint16), minlength=65536).reshape(256, 256) > 0
    used |= pairs.any(axis=0) | pairs.any(axis=1)
    if even < len(data):
        used[data[-1]] = True


def pack(values: pa.Array | pa.ChunkedArray, used: np.ndarray | None = None) -> np.ndarray | None:
    """An (n, words) uint64 matrix whose rows compare and sort like the strings; None if too long.

    Nulls pack like the empty string; callers keep nulls apart. A chunked
    column packs chunk by chunk (one file's ids mostly share one length,
    which packs by a reshape), all chunks with the same alphabet.
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    parts = [_buffers(c) for c in chunks]
    longest = max((int(np.diff(o).max(initial=0)) for o, _ in parts), default=0)
    if longest > 8 * MAX_WORDS:
        return None
    if longest <= 8:  # the bytes themselves fit one word
        out = np.empty((sum(len(o) - 1 for o, _ in parts), 1), np.uint64)
        row = 0
        for offsets, data in parts:
            out[row : row + len(offsets) - 1] = _bytes(offsets, data, 8).view(">u8")
            row += len(offsets) - 1
        return out
    if used is None:  # the bytes the strings use (a caller may know them already)
        used = np.zeros(256, bool)
        for offsets, data in parts:
            _mark(used, data[offsets[0] : offsets[-1]])
    base = int(used.sum()) + 1
    if (longest + longest % 2) * math.log2(base) < 64:  # pairs of characters: an odd length gets a pad
        # Rank of each byte in the alphabet (1..), 0 for padding: order-preserving digits.
        digits = np.zeros(256, np.uint64)
        digits[used] = np.arange(1, base, dtype=np.uint64)
        words = [_numbers(offsets, data, longest, digits, base) for offsets, data in parts]
        return np.concatenate(words)[:, None] if words else np.zeros((0, 1), np.uint64)
    width = max(1, -(-longest // 8))
    return np.concatenate([_bytes(offsets, data, 8 * width).view(">u8").astype(np.uint64) for offsets, data in parts])


def _bytes(offsets: np.ndarray, data: np.ndarray, width: int) -> np.ndarray:
    """(n, width) uint8: each string's bytes, zero-padded."""
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    matrix = np.zeros((n, width), np.uint8)
    if not n:
        return matrix
    longest = int(lengths.max())
    if (lengths == longest).all():  # one length, as ids of one file mostly have: a reshape
        matrix[:, :longest] = data[offsets[0] : offsets[-1]].reshape(n, longest)
        return matrix
    starts = offsets[:-1]
    for length in np.flatnonzero(np.bincount(lengths)):
        if length == 0:
            continue
        rows = np.flatnonzero(lengths == length)
        for block in range(0, len(rows), 1 << 18):  # in blocks, to bound the index matrix
            part = rows[block : block + (1 << 18)]
            matrix[part, :length] = data[starts[part, None] + np.arange(length)]
    return matrix


def _numbers(offsets: np.ndarray, data: np.ndarray, longest: int, digits: np.ndarray, base: int) -> np.ndarray:
    # Digits for the whole matrix in one lookup, then two characters at a time (base**2 < 2**16).
    small = digits.astype(np.uint16)
    columns = np.ascontiguousarray(small[_bytes(offsets, data, longest + longest % 2)].T)
    pairs = columns[0::2] * np.uint16(base) + columns[1::2]
    out: np.ndarray = pairs[0].astype(np.uint64)
    radix = np.uint64(base * base)
    for pair in pairs[1:]:  # Horner's rule
        out *= radix
        out += pair
    if longest % 2:  # the padding column added to make pairs: divide it back out exactly
        out //= np.uint64(base)
    return out


def ranks(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the rank of its value among the distinct values in sorted order; and a row of each value.

    When value and row number fit one 64-bit word together (one-word ids
    whose spread needs few bits, as numbered ids do), one SIMD ``np.sort`` of
    (value, row) pairs does it, with no hashing; otherwise :func:`factorize`
    and a sort of the distinct values.
    """
    n = len(words)
    if words.shape[1] == 1 and n:
        values = words[:, 0]
        low = values.min()
        spread = int(values.max() - low)
        row_bits = max(1, (n - 1).bit_length())
        if spread.bit_length() + row_bits <= 64:
            pairs = ((values - low) << np.uint64(row_bits)) | np.arange(n, dtype=np.uint64)
            pairs.sort()
            rows = (pairs & np.uint64((1 << row_bits) - 1)).astype(np.int64)
            pairs >>= np.uint64(row_bits)
            new = np.empty(n, bool)
            new[0] = True
            np.not_equal(pairs[1:], pairs[:-1], out=new[1:])
            del pairs
            rank = np.cumsum(new) - 1
            out = np.empty(n, np.int64)
            out[rows] = rank
            return out, rows[new]
    codes, first = factorize(words)
    order = sort_order(words[first])
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], first[order]


def factorize(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64, first-appearance order) and the first row of each distinct packed value."""
    n, width = words.shape
    if width == 1:
        codes, _ = pd.factorize(words[:, 0], size_hint=len(words))
    else:
        h = words[:, 0].copy()
        for j in range(1, width):
            h = mix(h * np.uint64(0x100000001B3) + words[:, j])
        codes, _ = pd.factorize(h)
    codes = np.asarray(codes, np.int64)
    first = first_rows(codes)
    if width > 1 and n:
        same = (words == words[first[codes]]).all(axis=1)
        if not same.all():  # a 64-bit hash collision: split exactly by sorting instead
            return _factorize_sorted(words)
    return codes, first


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The row where each code first appears, for codes numbered in order of first appearance."""
    if not len(codes):
        return np.zeros(0, np.int64)
    seen = np.maximum.accumulate(codes)
    new = np.empty(len(codes), bool)
    new[0] = True
    new[1:] = codes[1:] > seen[:-1]
    return np.flatnonzero(new)


def _factorize_sorted(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    new = np.ones(len(order), bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    codes = np.empty(len(order), np.int64)
    codes[order] = group
    first = np.full(int(group.max(initial=-1)) + 1, len(order), np.int64)
    np.minimum.at(first, codes, np.arange(len(order), dtype=np.int64))
    return codes, first


def sort_order(words: np.ndarray) -> np.ndarray:
    """Row order sorting the packed strings by their bytes (Arrow's and Python's string order)."""
    if words.shape[1] == 1:
        return np.argsort(words[:, 0], kind="stable")
    return np.lexsort(words.T[::-1]) if len(words) else np.zeros(0, np.int64)
