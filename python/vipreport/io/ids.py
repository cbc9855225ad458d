"""Person ids: spelling variants, pseudonymisation and the shared int64 person key, for all tables at once."""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .columns import Encoded

_NOISE = r"[\s\-_.]+"
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
        h.update(value.encode())
        out.append(h.hexdigest()[:20])
    return out


def assign_person_keys(ids: dict[str, list[Encoded]], *, salt: str | bytes | None
                       ) -> tuple[dict[str, tuple[np.ndarray, pd.Categorical]], list[tuple[str, str, int]]]:
    """Canonical (or pseudonymised) ids and an int64 ``person_key`` per row, for every table in one pass.

    ``ids`` holds each table's id column as dictionary-encoded chunks. The
    distinct spellings of all tables are concatenated and put in canonical
    form once (case, spaces, hyphens, dots and underscores dropped, zeros
    kept); the canonical ids are dictionary-encoded once more, hashed with
    ``salt`` when given (distinct values only), and keys follow their sorted
    order, so equal ids always get equal keys. Per-row work is one ``take``.

    Returns, per table, the keys (-1 for a blank id) and the ids as a
    Categorical; and the recodings as (table, reason, rows).
    """
    parts = [(name, chunk) for name, chunks in ids.items() for chunk in chunks]
    if not parts:
        return {}, []
    spellings = pa.concat_arrays([pc.cast(c.dictionary, pa.string()) for _, c in parts])
    canonical = pc.utf8_lower(pc.replace_substring_regex(spellings, _NOISE, ""))
    encoded = pc.dictionary_encode(canonical)
    valid = np.asarray(encoded.indices.is_valid().to_numpy(zero_copy_only=False), bool)
    canon = np.asarray(pc.fill_null(encoded.indices, 0).to_numpy(), np.int64)
    distinct = encoded.dictionary
    # Spellings per canonical id, counted over distinct (canonical, spelling) pairs.
    spelling = np.asarray(pc.fill_null(pc.dictionary_encode(spellings).indices, 0).to_numpy(), np.int64)
    pairs = np.unique(canon[valid] * (len(spellings) + 1) + spelling[valid])
    variants = np.bincount(pairs // (len(spellings) + 1), minlength=len(distinct))
    differs = np.asarray(pc.fill_null(pc.not_equal(spellings, canonical), False).to_numpy(zero_copy_only=False),
                         bool)
    merged = valid & differs & (variants[canon] > 1)
    if salt is not None:
        salt_bytes = salt.encode() if isinstance(salt, str) else salt
        distinct = pa.array(_pseudonyms(distinct.to_pylist(), salt_bytes), pa.string())
    order = np.asarray(pc.sort_indices(distinct).to_numpy(), np.int64)
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    key_of_spelling = np.where(valid, rank[canon], -1)
    categories = pd.Index(distinct.take(pa.array(order)).to_pandas())
    out: dict[str, tuple[np.ndarray, pd.Categorical]] = {}
    notes = []
    offset = 0
    keys: dict[str, list[np.ndarray]] = {}
    merged_rows: dict[str, int] = {}
    for name, chunk in parts:
        size = len(chunk.dictionary)
        keys.setdefault(name, []).append(key_of_spelling[offset:offset + size][chunk.indices])
        merged_rows[name] = merged_rows.get(name, 0) + int(chunk.counts[merged[offset:offset + size]].sum())
        offset += size
    for name, pieces in keys.items():
        key = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
        out[name] = (key, pd.Categorical.from_codes(key, categories=categories, validate=False))
        if merged_rows[name]:
            notes.append((name, MERGED, merged_rows[name]))
    return out, notes
