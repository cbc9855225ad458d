"""Person ids: spelling variants, pseudonymisation and the shared int64 person key."""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd

_NOISE = re.compile(r"[\s\-_.]+")
MERGED = "person_id: spelling variants of one id merged (case, spaces, hyphens, dots)"


def id_key(value: str) -> str:
    """The canonical form of an id: case, spaces, hyphens, dots and underscores dropped ("P-001 " -> "p001")."""
    return _NOISE.sub("", value).casefold()


def pseudonym(value: str, salt: bytes) -> str:
    """A keyed hash (HMAC-SHA256, 80 bits shown): the same for one salt, unlinkable across salts."""
    return hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()[:20]


def assign_person_keys(tables: dict[str, pd.DataFrame], *, salt: str | bytes | None) -> list[tuple[str, str, int]]:
    """Put every ``person_id`` in canonical form (pseudonymised with ``salt``), add an int64 ``person_key``.

    Ids that differ only in case, spaces, hyphens, dots or underscores are one
    person. Keys follow the sorted final ids, so equal ids always get equal
    keys. Returns the recodings as (table, reason, rows) for the quality summary.
    """
    with_ids = {name: t for name, t in tables.items() if "person_id" in t}
    if not with_ids:
        return []
    if salt is None and all(pd.api.types.is_integer_dtype(t["person_id"]) for t in with_ids.values()):
        for t in with_ids.values():  # integer ids are keys already
            t["person_key"] = t["person_id"].astype(np.int64)
        return []
    salt_bytes = salt.encode() if isinstance(salt, str) else salt
    columns = {name: _as_categorical(t["person_id"]) for name, t in with_ids.items()}
    spellings = pd.unique(np.concatenate([c.cat.categories.to_numpy(dtype=object) for c in columns.values()]))
    canonical = {s: id_key(s) for s in spellings}
    spellings_per_id = pd.Series(list(canonical.values())).value_counts()
    merged_spellings = {s for s, k in canonical.items() if spellings_per_id[k] > 1 and s != k}
    final = {s: (pseudonym(k, salt_bytes) if salt_bytes is not None else k) for s, k in canonical.items()}
    keys = np.sort(pd.unique(np.array(list(final.values()), dtype=object)))
    notes = []
    for name, ids in columns.items():
        categories = ids.cat.categories.to_numpy(dtype=object)
        codes = ids.cat.codes.to_numpy()
        final_of_category = np.array([final[c] for c in categories], dtype=object)
        new_categories, remap = np.unique(final_of_category, return_inverse=True) if len(categories) else (
            np.array([], dtype=object), np.array([], dtype=np.int64))
        new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)
        key_of_category = np.searchsorted(keys, new_categories) if len(new_categories) else np.array([], np.int64)
        t = with_ids[name]
        t["person_id"] = pd.Categorical.from_codes(new_codes, categories=new_categories)
        t["person_key"] = np.where(new_codes >= 0, key_of_category[np.maximum(new_codes, 0)]
                                   if len(key_of_category) else -1, -1).astype(np.int64)
        merged = np.isin(codes, [i for i, c in enumerate(categories) if c in merged_spellings])
        if merged.any():
            notes.append((name, MERGED, int(merged.sum())))
    return notes


def _as_categorical(ids: pd.Series) -> pd.Series:
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return ids.cat.rename_categories(ids.cat.categories.astype(str)) if len(ids.cat.categories) else ids
    return ids.astype("string").astype(object).astype("category")
