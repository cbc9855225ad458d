"""Person ids: spelling variants, pseudonymisation and the shared int64 person key, for all tables at once."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import _core
from .columns import MISSING_WORDS, arrow_buffers, as_text
from .packed import alphabet, first_rows, pack, ranks, sort_order

_NOISE = r"[\s\-_.]+"
_WHITESPACE = b" \t\n\r\x0b\x0c"
_SEPARATORS = _WHITESPACE + b"-_."
MERGED = "person_id: spelling variants of one id merged (case, spaces, hyphens, dots)"


def id_key(value: str) -> str:
    """The canonical form of an id: case, spaces, hyphens, dots and underscores dropped ("P-001 " -> "p001").

    Leading zeros are kept: ``00123`` and ``123`` are two persons.
    """
    return re.sub(_NOISE, "", value).lower()


def pseudonym(value: str, salt: bytes) -> str:
    """A keyed hash (HMAC-SHA256, 80 bits shown): the same for one salt, unlinkable across salts."""
    return hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()[:20]


def _pseudonyms(values: list[str], salt: bytes) -> list[str]:
    start = hmac.new(salt, digestmod=hashlib.sha256)  # the key schedule once; each value copies it
    out = []
    for value in values:
        h = start.copy()
        h.update((value or "").encode())
        out.append(h.hexdigest()[:20])
    return out


@dataclass
class PersonIds:
    """One table's ids after the pass: a key per row (-1 blank), the raw spelling's index, blank rows."""

    key: np.ndarray
    spelling: np.ndarray  # the (merged) id's code as uint64, for finding duplicate rows
    blank: np.ndarray
    merged_rows: int
    ids: pa.Array  # the canonical (or pseudonymised) ids, sorted; ``key`` indexes it

    def column(self, keep: np.ndarray | None) -> pd.Series:
        """``person_id`` as an Arrow-dictionary pandas column (no copy of the id text)."""
        key = self.key if keep is None else self.key[keep]
        blank = key < 0
        array = pa.DictionaryArray.from_arrays(pa.array(key, mask=blank if blank.any() else None), self.ids)
        return pd.Series(pd.arrays.ArrowExtensionArray(array))


def assign_person_keys(
    ids: dict[str, list[pa.Array | pa.ChunkedArray]], *, salt: str | bytes | None
) -> dict[str, PersonIds]:
    """Canonical (or pseudonymised) ids and an int64 ``person_key`` per row, for every table in one pass.

    The id columns of all tables are trimmed and put in canonical form (case,
    spaces, hyphens, dots and underscores dropped, zeros kept), then ranked
    once, together, in sorted order of the canonical ids, so equal ids always
    get equal keys whatever the file or frame they came from. Spelling
    variants (rows spelled unlike their id's first row) are counted. ASCII ids,
    the usual case, take one pass of the core (``_core.person_id_codes``);
    other text takes Arrow's Unicode-aware kernels. With ``salt``, the distinct
    ids are hashed and ranked by their pseudonyms. The lists in ``ids`` are
    emptied (their text is copied once and released, to bound memory).
    """
    names = list(ids)
    pieces: list[pa.Array] = []
    sizes: dict[str, int] = {}
    for name in names:
        for column in ids[name]:
            text = pc.cast(as_text(column), pa.string())
            # One piece per file: its ids mostly share one length, which packs fastest.
            pieces.append(text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text)
            sizes[name] = sizes.get(name, 0) + len(text)
            del text
        ids[name].clear()  # the caller's chunks are copied into one piece: let them go (memory)
    if not pieces:
        return {}
    column = pa.chunked_array(pieces, pa.string())
    coded = _core.person_id_codes([arrow_buffers(p) for p in pieces])
    if coded is not None:  # every id is ASCII: canonicalised, ranked and checked for spellings in one C++ pass
        codes, flags, offsets, text = coded
        merged = flags.view(bool)
        final = pa.Array.from_buffers(
            pa.large_string(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(text)]
        )
        final = pc.cast(final, pa.string())
    else:
        codes, merged, final = _canonical_unicode(column)
    # A null id (a frame's NA, a database's NULL) is as blank as an empty cell.
    blank_value = _mask(pc.is_in(pc.fill_null(final, ""), pa.array(MISSING_WORDS)))
    blank = blank_value[codes]
    merged &= ~blank
    if salt is not None:
        salt_bytes = salt.encode() if isinstance(salt, str) else salt
        final = pa.array(_pseudonyms(final.to_pylist(), salt_bytes), pa.string())
        # Keyed ids are ranked by their pseudonyms, so keys say nothing of the raw ids' order.
        order = _sorted(final)
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
        key = rank[codes]
        final = final.take(pa.array(order))
    else:
        key = codes  # ranks already: the ids in sorted order of their packed text
    del codes
    if blank.any():
        key[blank] = -1
    # Duplicate rows are judged with the id as merged: rows differing only in an id's spelling are one event.
    spelling = key.view(np.uint64)
    sorted_ids = final
    out: dict[str, PersonIds] = {}
    position = 0
    for name in names:
        rows = slice(position, position + sizes.get(name, 0))
        position = rows.stop
        out[name] = PersonIds(key[rows], spelling[rows], blank[rows], int(merged[rows].sum()), sorted_ids)
    return out


def _canonical_unicode(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """The person-key pass for ids with non-ASCII text, with Arrow's Unicode-aware kernels.

    Per row, the rank of its canonical id and whether it was merged from another
    spelling; and the distinct canonical ids in sorted order.
    """
    used = alphabet(column)
    # Decide from the bytes the ids use which steps can change anything.
    trimmed = pc.utf8_trim_whitespace(column) if used[list(_WHITESPACE)].any() else column
    canonical = pc.utf8_lower(trimmed)
    if used[list(_SEPARATORS)].any():
        canonical = pc.replace_substring_regex(canonical, _NOISE, "")
    codes, first = _factorize(canonical)
    flat = _flat(trimmed)
    merged = np.zeros(len(column), bool)
    # An id has several spellings when some row spells it unlike the id's first row.
    other = _mask(pc.not_equal(flat, flat.take(pa.array(first[codes]))))
    if other.any():
        variants = np.zeros(len(first), bool)
        variants[codes[other]] = True
        merged = variants[codes] & _mask(pc.not_equal(flat, _flat(canonical)))
    return codes, merged, _flat(canonical).take(pa.array(first))


def _factorize(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the rank of its value among the distinct values (sorted order); a row holding each value."""
    words = pack(values)
    if words is not None:
        return ranks(words)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values, null_encoding="encode")  # ids longer than 32 bytes
    codes = np.asarray(encoded.indices.to_numpy(), np.int64)
    order = np.asarray(pc.sort_indices(encoded.dictionary).to_numpy(), np.int64)
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], first_rows(codes)[order]


def _flat(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), bool)


def _sorted(values: pa.Array) -> np.ndarray:
    words = pack(values)
    if words is None:
        return np.asarray(pc.sort_indices(values).to_numpy(), np.int64)
    return sort_order(words)
