"""The loader's row passes in the core: person keys (against a plain-Python reference built on
``id_key``), repeated rows (against pandas) and dates written YYYY-MM-DD (against the calendar).

ASCII ids go through the core's one-pass kernel (``_core.person_id_codes``);
other text through Arrow's Unicode kernels. Both must give what the
documented rule gives, worked out here row by row with ``id_key``: trim,
canonical form, blank words, ranks in sorted order of the canonical ids, and
spelling variants merged (rows spelled unlike their id's canonical form, for
ids written more than one way).
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import vipreport as vr
from vipreport import Config, _core
from vipreport.io.columns import MISSING_WORDS, NO_DAY, NOT_ISO, iso_days
from vipreport.io.ids import assign_person_keys, id_key

BLANK = -1


def reference(values: Sequence[str | None]) -> tuple[list[int], list[bool], list[str]]:
    """Keys, merged flags and sorted distinct canonical ids, by the rule in plain Python."""
    spelled = [("" if v is None else v).strip() for v in values]
    canonical = [id_key(s) for s in spelled]
    distinct = sorted(set(canonical))
    rank = {c: i for i, c in enumerate(distinct)}
    spellings: dict[str, set[str]] = {}
    for s, c in zip(spelled, canonical, strict=True):
        spellings.setdefault(c, set()).add(s)
    keys = [BLANK if c in MISSING_WORDS else rank[c] for c in canonical]
    merged = [
        c not in MISSING_WORDS and len(spellings[c]) > 1 and s != c for s, c in zip(spelled, canonical, strict=True)
    ]
    return keys, merged, distinct


def keys_and_ids(values: Sequence[str | None], *, split: int | None = None) -> tuple[list[int], int, list[str]]:
    chunks = [values] if split is None else [values[:split], values[split:]]
    persons = assign_person_keys(
        {"t": [pa.chunked_array([pa.array(c, pa.string()) for c in chunks], pa.string())]}, salt=None
    )["t"]
    return persons.key.tolist(), persons.merged_rows, persons.ids.to_pylist()


TRICKY = [
    "P-0001",
    "p0001",
    " P0001 ",
    "P.0001",
    "P_0001",
    "00123",
    "123",
    "0123",
    "",
    "  ",
    "NaN",
    "null",
    "N-U-L-L",
    "\tQ7\x0b",
    "q7",
    "\x0cq 7",
    "Z",
    "a" * 40,  # longer than any packed key
    "A" * 40,
    "x9" * 11,
    None,
]


@pytest.mark.parametrize("split", [None, 7])
def test_ascii_ids_match_the_rule(split: int | None) -> None:
    assert _core.person_id_codes([(np.zeros(1, np.int32), np.zeros(0, np.uint8))]) is not None  # the core path
    keys, merged, ids = keys_and_ids(TRICKY, split=split)
    want_keys, want_merged, want_ids = reference(TRICKY)
    # Keys rank the canonical ids in sorted order; blank words stay in that list but their rows are keyed -1.
    assert ids == want_ids
    assert keys == want_keys
    # By hand: "P-0001", " P0001 ", "P.0001", "P_0001" (to p0001); "\tQ7\x0b", "\x0cq 7" (to q7); "A"*40.
    assert merged == sum(want_merged) == 7


def test_random_ids_with_wide_and_narrow_alphabets_match_the_rule() -> None:
    rng = np.random.default_rng(11)
    narrow = ["".join(rng.choice(list("P0129-. "), rng.integers(0, 12))) for _ in range(4000)]
    wide = ["".join(rng.choice([chr(c) for c in range(32, 127)], rng.integers(0, 14))) for _ in range(3000)]
    for values in (narrow, wide, narrow + wide):
        keys, merged, ids = keys_and_ids(values, split=len(values) // 3)
        want_keys, want_merged, want_ids = reference(values)
        assert ids == want_ids
        assert keys == want_keys
        assert merged == sum(want_merged)


def test_non_ascii_ids_take_the_unicode_path_with_the_same_rule() -> None:
    values = ["José-1", "josé1", "JOSÉ 1", "Ana", "ana", "ÅSA.2", "åsa2", "b"]
    assert _core.person_id_codes([(np.array([0, 2], np.int32), np.frombuffer("é".encode(), np.uint8))]) is None
    keys, merged, ids = keys_and_ids(values)
    want_keys, want_merged, want_ids = reference(values)
    assert (keys, merged, ids) == (want_keys, sum(want_merged), want_ids)


def test_core_kernel_on_hand_worked_ids() -> None:
    # rows: "B-2", "a1", "b2", "A1 ", "c"  -> canonical b2, a1, b2, a1, c -> ranks 1, 0, 1, 0, 2
    text = b"B-2a1b2A1 c"
    offsets = np.array([0, 3, 5, 7, 10, 11], np.int64)
    coded = _core.person_id_codes([(offsets, np.frombuffer(text, np.uint8))])
    assert coded is not None
    keys, merged, distinct_offsets, distinct = coded
    assert keys.tolist() == [1, 0, 1, 0, 1 + 1]
    # "B-2" and "A1" are spelled unlike their canonical ids, which are also written as such: merged.
    assert merged.tolist() == [1, 0, 0, 1, 0]
    assert distinct.tobytes() == b"a1b2c" and distinct_offsets.tolist() == [0, 2, 4, 5]


def test_repeated_rows_match_pandas_duplicated() -> None:
    """``_core.repeated`` flags a row when its value equals an earlier row's, as pandas' duplicated does."""
    rng = np.random.default_rng(5)
    cases = [
        rng.integers(0, 50, 5000).astype(np.uint64),
        rng.integers(-5, 5, 5000),  # int64 is read as the same 64-bit words
        np.array([0, 0, 1, 0, 2**64 - 1, 2**64 - 1, 1], np.uint64),  # 0 is the table's empty mark: tracked apart
        np.zeros(0, np.int64),
    ]
    for values in cases:
        assert _core.repeated(values).tolist() == pd.Series(values).duplicated(keep="first").tolist()
    assert _core.repeated(np.array([7, 8, 7, 7, 8], np.int64)).tolist() == [False, False, True, True, True]


def test_iso_days_read_only_exact_real_dates() -> None:
    """The core's YYYY-MM-DD reader, against the calendar: leap days, month ends, anything else is left alone."""
    cells = {
        "2024-02-29": dt.date(2024, 2, 29),  # leap day
        "2023-02-29": None,  # no such day
        "2000-02-29": dt.date(2000, 2, 29),  # divisible by 400: a leap year
        "1900-02-29": None,  # divisible by 100: not
        "2024-04-31": None,
        "2024-12-31": dt.date(2024, 12, 31),
        "2024-13-01": None,
        "2024-00-10": None,
        "0000-01-01": None,  # no year 0 in the calendar strptime reads
        "0001-01-01": dt.date(1, 1, 1),
        "9999-12-31": dt.date(9999, 12, 31),
        "2024-1-05": None,  # unpadded: the dictionary path reads it
        " 2024-01-05": None,  # untrimmed: likewise
        "2024-01-05T00:00": None,
        "2024/01/05": None,
        "NaN": None,
    }
    epoch = dt.date(1970, 1, 1)
    days = iso_days(pa.array([*cells, "", None], pa.string()))
    want = [NOT_ISO if d is None else (d - epoch).days for d in cells.values()] + [NO_DAY, NO_DAY]
    assert days.tolist() == want


def test_dates_read_by_either_path_type_and_deduplicate_alike(tmp_path: Path) -> None:
    """A table in two files, one all YYYY-MM-DD (the core's pass), one with another format (the dictionary path).

    The typed dates are the same, and a row repeated across the two files is one exact duplicate.
    """
    header = "person_id,referral_date,source,area_command\n"
    (tmp_path / "referrals_1.csv").write_text(header + "a,2024-01-05,Hospital,Valley\nb,2024-02-29,Hospital,\n")
    (tmp_path / "referrals_2.csv").write_text(header + "a,2024-01-05,Hospital,Valley\nc,03/01/2024,Hospital,\n")
    config = Config.default().replace(file_patterns={"referrals": ("referrals_*.csv",)}, file_choice="all")
    data = vr.load(tmp_path, config=config)
    frame = data.table("referrals")
    assert frame["referral_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-02-29", "2024-03-01"]
    quality = data.quality.set_index(["table", "reason"])["rows"]
    assert quality[("referrals", "exact_duplicate: exact duplicate of an earlier row")] == 1


def test_ids_whose_keys_fill_the_whole_word() -> None:
    """15 distinct characters (4 bits each) and 16 of them: 64 bits exactly, beside a blank and a short id."""
    values = ["0123456789abcde0", "", "edcba98765432100", "0", "0123456789ABCDE0", "e"]
    keys, merged, ids = keys_and_ids(values)
    want_keys, want_merged, want_ids = reference(values)
    assert (keys, merged, ids) == (want_keys, sum(want_merged), want_ids)
    # Ids past 8 bytes with a wider alphabet are ordered on their first 8 bytes, then their text.
    values = ["abcdefgh-" + chr(c) for c in range(33, 127)] + ["abcdefgh", "", "abcdefg"]
    keys, merged, ids = keys_and_ids(values)
    want_keys, want_merged, want_ids = reference(values)
    assert (keys, merged, ids) == (want_keys, sum(want_merged), want_ids)


def test_load_reads_only_the_tables_asked_for(tmp_path: Path) -> None:
    """``tables=`` leaves the other files unread: a broken one does not stop the load, and their rules wait."""
    (tmp_path / "referrals.csv").write_text("person_id,referral_date,source,area_command\na,2024-01-05,Hospital,\n")
    (tmp_path / "notifications.csv").write_text("person_id,notification_date\na,2024-01-06\nb,not a date\n")
    with pytest.raises(vr.ValidationError):
        vr.load(tmp_path)
    data = vr.load(tmp_path, tables=["referrals"])
    assert list(data.tables) == ["referrals"]
    assert data.table("referrals")["referral_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05"]
    assert set(data.quality["table"]) == {"referrals"}
    with pytest.raises(vr.ArgumentError, match=r"unknown table name\(s\) \['referal'\] in tables="):
        vr.load(tmp_path, tables=["referal"])
