"""Short strings packed into machine words: exact, fast factorising and sorting of id columns.

Ids are short (``P0001234``, ``00123``, a 20-character pseudonym). Packed
big-endian into up to four 64-bit words and zero-padded, a string compares
exactly like its bytes, so distinct values are found by hashing integers (a
pandas hash table, verified word by word, so a hash collision can never merge
two ids) and sorted with ``np.lexsort``. pyarrow's dictionary encoding of a
million distinct strings is several times slower. Longer strings return
None and the caller falls back to Arrow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MAX_WORDS = 4  # strings of up to 32 bytes


def pack(values: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """An (n, words) uint64 matrix of the strings' bytes, big-endian and zero-padded; None if too long.

    Nulls pack as all-zero words, which no non-empty string does; callers keep nulls apart.
    A chunked column packs chunk by chunk: one file's ids mostly share one length, which packs by a reshape.
    """
    if isinstance(values, pa.ChunkedArray):
        parts = [_pack(c) for c in values.chunks]
        if any(p is None for p in parts):
            return None
        width = max([p.shape[1] for p in parts if p is not None], default=1)
        out = np.zeros((len(values), width), np.uint64)
        row = 0
        for part in parts:
            assert part is not None
            out[row:row + len(part), :part.shape[1]] = part
            row += len(part)
        return out
    return _pack(values)


def _pack(values: pa.Array) -> np.ndarray | None:
    values = pc.cast(values, pa.large_string())
    n = len(values)
    buffers = values.buffers()
    offsets = np.frombuffer(buffers[1], np.int64)[values.offset:values.offset + n + 1] if n else np.zeros(1, np.int64)
    lengths = np.diff(offsets)
    longest = int(lengths.max(initial=0))
    if longest > 8 * MAX_WORDS:
        return None
    words = max(1, -(-longest // 8))
    data = np.frombuffer(buffers[2], np.uint8) if buffers[2] is not None and n else np.zeros(0, np.uint8)
    matrix = np.zeros((n, 8 * words), np.uint8)
    starts = offsets[:-1]
    if n and (lengths == longest).all():  # one length, as ids of one table mostly have: a reshape
        matrix[:, :longest] = data[offsets[0]:offsets[-1]].reshape(n, longest)
        return matrix.view(">u8").astype(np.uint64)
    for length in np.flatnonzero(np.bincount(lengths)):
        if length == 0:
            continue
        rows = np.flatnonzero(lengths == length)
        # One gather per distinct length (ids of a table mostly share one), in blocks to bound memory.
        for block in range(0, len(rows), 1 << 18):
            part = rows[block:block + (1 << 18)]
            matrix[part, :length] = data[starts[part, None] + np.arange(length)]
    return matrix.view(">u8").astype(np.uint64)


def factorize(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64, first-appearance order) and the first row of each distinct packed value."""
    n, width = words.shape
    if width == 1:
        codes, _ = pd.factorize(words[:, 0])
    else:
        h = words[:, 0].copy()
        for j in range(1, width):
            h = _mix(h * np.uint64(0x100000001B3) + words[:, j])
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
    return np.lexsort(words.T[::-1]) if len(words) else np.zeros(0, np.int64)


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))
